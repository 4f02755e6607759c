/*
 * item_history_io.c
 *	  The item_history type's text and binary forms.
 *
 * Text form, lossless and independent of DateStyle and TimeZone, the purchase history's:
 *	  {(2025-01-06 10:00:00+00,2),(2025-02-05 10:00:00+00,3,1.5)}
 * (time, quantity [, coupon]): times in UTC with microseconds when they have any, numbers with
 * PostgreSQL's shortest exact float8 digits, the coupon field only when some line has one.
 * Input accepts lines in any order, times in any zone, and an omitted coupon (0).
 *
 * Binary form (send/recv, and the aggregates' serialized state): the purchase history's,
 * written by ph_write_binary and read by ih_read_binary, which checks every length and value.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"

#include "calendar.h"
#include "item_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(item_history_in);
PG_FUNCTION_INFO_V1(item_history_out);
PG_FUNCTION_INFO_V1(item_history_recv);
PG_FUNCTION_INFO_V1(item_history_send);

#define POSITION(p) SUMMARY_POSITION(input, p)

/* One line, (time, quantity [, coupon]), from just after its "(": returns the position of ")". */
static const char *
parse_line(const char *input, const char *start, void *arg)
{
	PhOrders  **lines = arg;
	const char *p;
	char	   *token;
	TimestampTz at;
	float8		quantity;
	float8		coupon = 0.0;

	p = summary_field(IH_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the line time at character %d.", &token);
	at = summary_parse_time(IH_TYPE_NAME, "line time", input, token, POSITION(start));
	start = p + 1;
	p = summary_field(IH_TYPE_NAME, input, start, ",)",
					  "Expected \",\" or \")\" at character %d.", &token);
	quantity = summary_parse_float8(IH_TYPE_NAME, input, token, POSITION(start));
	if (*p == ',')
	{
		start = p + 1;
		p = summary_field(IH_TYPE_NAME, input, start, ")", "Expected \")\" at character %d.", &token);
		coupon = summary_parse_float8(IH_TYPE_NAME, input, token, POSITION(start));
	}
	ih_check_line(at, quantity, coupon);
	*lines = ph_orders_append(*lines, at, quantity, coupon);
	return p;
}

Datum
item_history_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	PhOrders   *lines = ph_orders_create(8);

	summary_parse_list(IH_TYPE_NAME, input, parse_line, &lines);
	PG_RETURN_ITEM_HISTORY_P(ph_from_orders(lines));
}

/* The longest text of one line: a time, two numbers, punctuation. */
#define LINE_TEXT_MAX	(MAXDATELEN + 2 * DOUBLE_SHORTEST_DECIMAL_LEN + 8)

Datum
item_history_out(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	int64	   *times = IH_TIMES(ih);
	float8	   *quantities = IH_QUANTITIES(ih);
	StringInfoData out;
	char		buf[Max(MAXDATELEN + 1, DOUBLE_SHORTEST_DECIMAL_LEN)];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < ih->norders; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (unlikely(out.len > (int) MaxAllocSize - LINE_TEXT_MAX))
			summary_error_text_too_large(IH_TYPE_NAME, ih->norders, "lines");
		appendStringInfoString(&out, i > 0 ? ",(" : "(");
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		double_to_shortest_decimal_buf(quantities[i], buf);
		appendStringInfoString(&out, buf);
		if (PH_HAS_COUPONS(ih))
		{
			appendStringInfoChar(&out, ',');
			double_to_shortest_decimal_buf(PH_COUPONS(ih)[i], buf);
			appendStringInfoString(&out, buf);
		}
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

Datum
item_history_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_ITEM_HISTORY_P(ih_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
item_history_send(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	ph_write_binary(&buf, ih);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
