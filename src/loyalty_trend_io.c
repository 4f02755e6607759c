/*
 * loyalty_trend_io.c
 *	  The loyalty_trend type's text and binary forms.
 *
 * Text form, lossless and independent of DateStyle and TimeZone:
 *	  {(2025-01-06 10:00:00+00,25.5,"books"),(2025-02-05 10:00:00+00,12,"garden \"tools\"")}
 * (time, amount, category): times in UTC with microseconds when they have any, amounts with
 * PostgreSQL's shortest exact float8 digits, the category always in double quotes, a `"` or
 * `\` inside it preceded by `\`.  Input accepts lines in any order and times in any zone.
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * loyalty_trend.c): the categories in the client encoding, then the three columns in network
 * byte order.  Receive accepts exactly what send produces and checks every value.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/datetime.h"

#include "calendar.h"
#include "loyalty_trend.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(loyalty_trend_in);
PG_FUNCTION_INFO_V1(loyalty_trend_out);
PG_FUNCTION_INFO_V1(loyalty_trend_recv);
PG_FUNCTION_INFO_V1(loyalty_trend_send);

/* ---------------------------------------------------------------------------------------------
 * Text input
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

typedef struct ParseState
{
	LtLines    *lines;
	LtDictionary *dict;
	StringInfoData category;
} ParseState;

/* A quoted category from its opening quote: into state->category; returns the closing quote. */
static const char *
parse_category(const char *input, const char *p, ParseState *state)
{
	resetStringInfo(&state->category);
	if (*p != '"')
		summary_error_syntax(LT_TYPE_NAME, input,
							 "Expected a category in double quotes at character %d.", POSITION(p));
	for (p++; *p != '"'; p++)
	{
		if (*p == '\0')
			summary_error_syntax(LT_TYPE_NAME, input,
								 "Unterminated category at character %d.", POSITION(p));
		if (*p == '\\')
		{
			p++;
			if (*p != '"' && *p != '\\')
				summary_error_syntax(LT_TYPE_NAME, input,
									 "Expected \\\" or \\\\ at character %d.", POSITION(p - 1));
		}
		appendStringInfoChar(&state->category, *p);
	}
	return p;
}

/* One line, (time, amount, category), from just after its "(": returns the position of ")". */
static const char *
parse_line(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *p;
	char	   *token;
	TimestampTz at;
	float8		amount;

	p = summary_field(LT_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the line time at character %d.", &token);
	at = summary_parse_time(LT_TYPE_NAME, "order time", input, token, POSITION(start));
	start = p + 1;
	p = summary_field(LT_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the amount at character %d.", &token);
	amount = summary_parse_float8(LT_TYPE_NAME, input, token, POSITION(start));
	p = parse_category(input, summary_skip_space(p + 1), state);
	p = summary_skip_space(p + 1);
	if (*p != ')')
		summary_error_syntax(LT_TYPE_NAME, input, "Expected \")\" at character %d.", POSITION(p));
	lt_lines_append(state->lines, at, amount,
					lt_dictionary_index(state->dict, state->category.data, state->category.len));
	return p;
}

Datum
loyalty_trend_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state;

	state.lines = lt_lines_create(8);
	state.dict = lt_dictionary_create(CurrentMemoryContext);
	initStringInfo(&state.category);
	summary_parse_list(LT_TYPE_NAME, input, parse_line, &state);
	PG_RETURN_LOYALTY_TREND_P(lt_build(state.lines->at, state.lines->amount,
									   state.lines->category, state.lines->n,
									   (const char *const *) state.dict->names, state.dict->n));
}

/* ---------------------------------------------------------------------------------------------
 * Text output
 * ---------------------------------------------------------------------------------------------
 */

/* The longest text of one line without its category: a time, an amount, punctuation. */
#define LINE_TEXT_MAX	(MAXDATELEN + DOUBLE_SHORTEST_DECIMAL_LEN + 8)

Datum
loyalty_trend_out(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);
	const int64 *times = LT_TIMES(t);
	const float8 *amounts = LT_AMOUNTS(t);
	const int32 *index = LT_CATEGORY_INDEX(t);
	const char **names = palloc(sizeof(char *) * Max(t->ncategories, 1));
	int32	   *lengths = palloc(sizeof(int32) * Max(t->ncategories, 1));
	StringInfoData out;
	char		buf[MAXDATELEN + 1];

	lt_category_names(t, names);
	for (int32 c = 0; c < t->ncategories; c++)
		lengths[c] = strlen(names[c]);
	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < t->nlines; i++)
	{
		const char *name = names[index[i]];

		CHECK_FOR_INTERRUPTS();
		/* every character of the category may need a backslash */
		if (unlikely((Size) out.len + LINE_TEXT_MAX + 2 * (Size) lengths[index[i]] >= MaxAllocSize))
			summary_error_text_too_large(LT_TYPE_NAME, t->nlines, "lines");
		appendStringInfoString(&out, i > 0 ? ",(" : "(");
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		double_to_shortest_decimal_buf(amounts[i], buf);
		appendStringInfoString(&out, buf);
		appendStringInfoString(&out, ",\"");
		for (const char *p = name; *p != '\0'; p++)
		{
			if (*p == '"' || *p == '\\')
				appendStringInfoChar(&out, '\\');
			appendStringInfoChar(&out, *p);
		}
		appendStringInfoString(&out, "\")");
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

Datum
loyalty_trend_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_LOYALTY_TREND_P(lt_read_binary((StringInfo) PG_GETARG_POINTER(0), true));
}

Datum
loyalty_trend_send(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	lt_write_binary(&buf, t, true);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
