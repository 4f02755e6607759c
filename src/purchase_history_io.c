/*
 * purchase_history_io.c
 *	  The purchase_history type's text and binary forms, and its jsonb cast.
 *
 * Text form, lossless and independent of DateStyle and TimeZone:
 *	  {(2025-01-06 10:00:00+00,25,0),(2025-02-05 10:00:00+00,25,2.5)}
 * Times are printed in UTC with microseconds when they have any; amounts with PostgreSQL's
 * shortest exact float8 digits, so h::text::purchase_history is h byte for byte.  The coupon
 * field is printed only when some order has a coupon.  Input accepts orders in any order,
 * times in any zone, and an omitted coupon (0).
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * purchase_history.c): uint8 version, uint8 flags, int32 norders, then the columns in network
 * byte order.  Receive accepts exactly what send produces and checks every length and value.
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(purchase_history_in);
PG_FUNCTION_INFO_V1(purchase_history_out);
PG_FUNCTION_INFO_V1(purchase_history_recv);
PG_FUNCTION_INFO_V1(purchase_history_send);
PG_FUNCTION_INFO_V1(purchase_history_to_jsonb);

/* ---------------------------------------------------------------------------------------------
 * Text input and output
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

/* One order, (time, amount [, coupon]), from just after its "(": returns the position of ")". */
static const char *
parse_order(const char *input, const char *start, void *arg)
{
	PhOrders  **orders = arg;
	const char *p;
	char	   *token;
	TimestampTz at;
	float8		amount;
	float8		coupon = 0.0;

	p = summary_field(PH_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the order time at character %d.", &token);
	at = summary_parse_time(PH_TYPE_NAME, "order time", input, token, POSITION(start));
	start = p + 1;
	p = summary_field(PH_TYPE_NAME, input, start, ",)",
					  "Expected \",\" or \")\" at character %d.", &token);
	amount = summary_parse_float8(PH_TYPE_NAME, input, token, POSITION(start));
	if (*p == ',')
	{
		start = p + 1;
		p = summary_field(PH_TYPE_NAME, input, start, ")", "Expected \")\" at character %d.", &token);
		coupon = summary_parse_float8(PH_TYPE_NAME, input, token, POSITION(start));
	}
	*orders = ph_orders_append(*orders, at, amount, coupon);
	return p;
}

Datum
purchase_history_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	PhOrders   *orders = ph_orders_create(8);

	summary_parse_list(PH_TYPE_NAME, input, parse_order, &orders);
	PG_RETURN_PURCHASE_HISTORY_P(ph_from_orders(orders));
}

/* The longest text of one order: a time, two numbers, punctuation. */
#define ORDER_TEXT_MAX	(MAXDATELEN + 2 * DOUBLE_SHORTEST_DECIMAL_LEN + 8)

Datum
purchase_history_out(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);
	StringInfoData out;
	char		buf[Max(MAXDATELEN + 1, DOUBLE_SHORTEST_DECIMAL_LEN)];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < ph->norders; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (unlikely(out.len > (int) MaxAllocSize - ORDER_TEXT_MAX))
			summary_error_text_too_large(PH_TYPE_NAME, ph->norders, "orders");
		if (i > 0)
			appendStringInfoChar(&out, ',');
		appendStringInfoChar(&out, '(');
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		double_to_shortest_decimal_buf(amounts[i], buf);
		appendStringInfoString(&out, buf);
		if (PH_HAS_COUPONS(ph))
		{
			appendStringInfoChar(&out, ',');
			double_to_shortest_decimal_buf(PH_COUPONS(ph)[i], buf);
			appendStringInfoString(&out, buf);
		}
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

Datum
purchase_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_PURCHASE_HISTORY_P(ph_read_binary(buf));
}

Datum
purchase_history_send(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	ph_write_binary(&buf, ph);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------------------------------
 * jsonb
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The jsonb value is built directly (not printed and parsed again), so that building it answers
 * a cancel.  Numbers are PostgreSQL's shortest exact digits read as numeric, as the text form
 * prints them; times are ISO 8601 in UTC.
 */

static void
push_key(JsonbParseState **state, const char *key)
{
	JsonbValue	v;

	v.type = jbvString;
	v.val.string.val = (char *) key;
	v.val.string.len = strlen(key);
	pushJsonbValue(state, WJB_KEY, &v);
}

static void
push_number(JsonbParseState **state, float8 value)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	JsonbValue	v;

	double_to_shortest_decimal_buf(value, buf);
	v.type = jbvNumeric;
	v.val.numeric = DatumGetNumeric(DirectFunctionCall3(numeric_in, CStringGetDatum(buf),
														ObjectIdGetDatum(InvalidOid),
														Int32GetDatum(-1)));
	pushJsonbValue(state, WJB_VALUE, &v);
}

/* A sum of amounts, or null: a summary whose total exceeds float8 is still a valid summary. */
static void
push_sum(JsonbParseState **state, const float8 *values, int32 n)
{
	float8		sum;
	JsonbValue	v;

	if (amount_try_sum(values, n, &sum))
		push_number(state, sum);
	else
	{
		v.type = jbvNull;
		pushJsonbValue(state, WJB_VALUE, &v);
	}
}

Datum
purchase_history_to_jsonb(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);
	JsonbParseState *state = NULL;
	JsonbValue *result;
	char		buf[MAXDATELEN + 1];

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_key(&state, "order_count");
	push_number(&state, ph->norders);
	push_key(&state, "orders");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (int32 i = 0; i < ph->norders; i++)
	{
		JsonbValue	at;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		calendar_utc_text(times[i], true, buf);
		push_key(&state, "at");
		at.type = jbvString;
		at.val.string.len = strlen(buf);
		at.val.string.val = pnstrdup(buf, at.val.string.len);	/* pushJsonbValue keeps the pointer */
		pushJsonbValue(&state, WJB_VALUE, &at);
		push_key(&state, "amount");
		push_number(&state, amounts[i]);
		push_key(&state, "coupon");
		push_number(&state, PH_COUPON(ph, i));
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	push_key(&state, "total_spend");
	push_sum(&state, amounts, ph->norders);
	push_key(&state, "coupon_total");
	if (PH_HAS_COUPONS(ph))
		push_sum(&state, PH_COUPONS(ph), ph->norders);
	else
		push_number(&state, 0.0);
	result = pushJsonbValue(&state, WJB_END_OBJECT, NULL);

	PG_RETURN_POINTER(JsonbValueToJsonb(result));
}
