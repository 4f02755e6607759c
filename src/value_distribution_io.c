/*
 * value_distribution_io.c
 *	  The value_distribution type's text and binary forms.
 *
 * Text form, lossless: one (value,orders) pair a customer, sorted by value then orders:
 *	  {(0,1),(25.5,2),(1127.77,1)}
 * Values are printed with PostgreSQL's shortest exact float8 digits, so
 * vd::text::value_distribution is vd byte for byte.  Input accepts pairs in any order, blanks,
 * and -0 (read as 0).
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * value_distribution.c): uint8 version, uint8 flags, int32 ncustomers, then the columns in
 * network byte order.  Receive accepts exactly what send produces and checks every length and
 * value.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "summary.h"
#include "value_distribution.h"

PG_FUNCTION_INFO_V1(value_distribution_in);
PG_FUNCTION_INFO_V1(value_distribution_out);
PG_FUNCTION_INFO_V1(value_distribution_recv);
PG_FUNCTION_INFO_V1(value_distribution_send);

/* ---------------------------------------------------------------------------------------------
 * Text input and output
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

/* One customer, (value, orders), from just after its "(": returns the position of ")". */
static const char *
parse_customer(const char *input, const char *start, void *arg)
{
	VdPairs    *pairs = arg;
	const char *p;
	char	   *token;
	float8		value;
	int32		orders;

	p = summary_field(VD_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the value at character %d.", &token);
	value = summary_parse_float8(VD_TYPE_NAME, input, token, POSITION(start));
	start = p + 1;
	p = summary_field(VD_TYPE_NAME, input, start, ")", "Expected \")\" at character %d.", &token);
	orders = summary_parse_int32(VD_TYPE_NAME, input, token, POSITION(start));
	vd_check_pair(value, orders);
	vd_pairs_append(pairs, value, orders);
	return p;
}

Datum
value_distribution_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	VdPairs    *pairs = vd_pairs_create(CurrentMemoryContext);

	summary_parse_list(VD_TYPE_NAME, input, parse_customer, pairs);
	PG_RETURN_VALUE_DISTRIBUTION_P(vd_from_pairs(pairs));
}

Datum
value_distribution_out(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	const float8 *values = VD_VALUES(vd);
	const int32 *orders = VD_ORDERS(vd);
	StringInfoData out;
	char		buf[Max(DOUBLE_SHORTEST_DECIMAL_LEN, MAXINT8LEN + 1)];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < vd->ncustomers; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&out, ',');
		appendStringInfoChar(&out, '(');
		double_to_shortest_decimal_buf(values[i], buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		pg_ltoa(orders[i], buf);
		appendStringInfoString(&out, buf);
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
value_distribution_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_VALUE_DISTRIBUTION_P(vd_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
value_distribution_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(vd_binary(PG_GETARG_VALUE_DISTRIBUTION_P(0)));
}
