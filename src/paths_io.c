/*
 * paths_io.c
 *	  The paths type's text and binary forms.
 *
 * Text form, lossless and independent of every setting:
 *	  {(2592000,3),("C",2),("D",2),("C","D",1209600,1296000.5)}
 * First (window, customers); then each item (item, its buyers); then each pair (first item,
 * then item, the lag of each of its customers, ascending).  Times (the window, the lags) are
 * seconds with up to 6 decimals: exact microseconds.  Items are quoted as in an item sequence.
 * Input accepts items and pairs in any order (after the header) and checks that the counts hold
 * together: every item listed once with at least one buyer, at most the customers; every pair
 * listed once, of two listed items, with at most as many customers as either item's buyers;
 * every lag positive and at most the window.
 *
 * Binary form (send/recv, and the aggregates' serialized state): paths_write_binary and
 * paths_read_binary (paths.c), which checks every length and value.
 */
#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "item_sequence.h"
#include "paths.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(paths_in);
PG_FUNCTION_INFO_V1(paths_out);
PG_FUNCTION_INFO_V1(paths_recv);
PG_FUNCTION_INFO_V1(paths_send);

#define POSITION(p) SUMMARY_POSITION(input, p)

typedef struct ParseState
{
	PathsState *paths;
	bool		header;			/* seen */
	int64		within;
	int32		items;			/* item elements */
	int32		pairs;			/* pair elements */
	StringInfoData first;
	StringInfoData then;
} ParseState;

/* Seconds with at most 6 decimals, as exact microseconds. */
static int64
parse_seconds(const char *input, const char *token, int position)
{
	const char *p = token;
	int64		usec = 0;
	int			decimals = 0;

	if (!isdigit((unsigned char) *p))
		summary_error_syntax(PATHS_TYPE_NAME, input,
							 "Expected seconds (digits, up to 6 decimals) at character %d.", position);
	for (; isdigit((unsigned char) *p); p++)
		if (pg_mul_s64_overflow(usec, 10, &usec) || pg_add_s64_overflow(usec, *p - '0', &usec))
			goto overflow;
	if (*p == '.')
		for (p++; isdigit((unsigned char) *p); p++, decimals++)
		{
			if (decimals == 6)
				summary_error_syntax(PATHS_TYPE_NAME, input,
									 "Seconds have at most 6 decimals (character %d).", position);
			if (pg_mul_s64_overflow(usec, 10, &usec) || pg_add_s64_overflow(usec, *p - '0', &usec))
				goto overflow;
		}
	if (*p != '\0' || p[-1] == '.')
		summary_error_syntax(PATHS_TYPE_NAME, input,
							 "Expected seconds (digits, up to 6 decimals) at character %d.", position);
	for (; decimals < 6; decimals++)
		if (pg_mul_s64_overflow(usec, 10, &usec))
			goto overflow;
	return usec;
overflow:
	ereport(ERROR,
			(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
			 errmsg("time \"%s\" is out of range for type paths", token)));
}

/* A whole number of customers, 0 or more. */
static int64
parse_count(const char *input, const char *token, int position)
{
	int64		value = 0;

	if (*token == '\0' || strspn(token, "0123456789") != strlen(token))
		summary_error_syntax(PATHS_TYPE_NAME, input,
							 "Expected a count of customers at character %d.", position);
	for (const char *p = token; *p; p++)
		if (pg_mul_s64_overflow(value, 10, &value) || pg_add_s64_overflow(value, *p - '0', &value))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type bigint", token)));
	return value;
}

/* One element, from just after its "(": returns the position of its ")". */
static const char *
parse_element(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *p = summary_skip_space(start);
	char	   *token;

	if (!state->header)
	{
		/* (window, customers) */
		if (*p == '"')
			summary_error_syntax(PATHS_TYPE_NAME, input,
								 "Expected the window and the customer count first, at character %d.",
								 POSITION(p));
		p = summary_field(PATHS_TYPE_NAME, input, start, ",",
						  "Expected \",\" after the window at character %d.", &token);
		state->within = parse_seconds(input, token, POSITION(start));
		if (state->within <= 0)
			summary_error_syntax(PATHS_TYPE_NAME, input,
								 "The window must be positive (character %d).", POSITION(start));
		paths_state_within(state->paths, state->within, false);
		start = p + 1;
		p = summary_field(PATHS_TYPE_NAME, input, start, ")",
						  "Expected \")\" after the customer count at character %d.", &token);
		paths_state_add_customers(state->paths, parse_count(input, token, POSITION(start)));
		state->header = true;
		return p;
	}

	if (*p != '"')
		summary_error_syntax(PATHS_TYPE_NAME, input,
							 "Expected a quoted item at character %d.", POSITION(p));
	p = is_parse_item(PATHS_TYPE_NAME, input, p, &state->first);
	if (*p != ',')
		summary_error_syntax(PATHS_TYPE_NAME, input, "Expected \",\" at character %d.", POSITION(p));
	start = p + 1;
	p = summary_skip_space(start);
	if (*p == '"')
	{
		/* a pair: (first, then, lag, lag...) */
		int32		first;
		int32		then;

		p = is_parse_item(PATHS_TYPE_NAME, input, p, &state->then);
		first = paths_state_item(state->paths, state->first.data, state->first.len);
		then = paths_state_item(state->paths, state->then.data, state->then.len);
		if (*p != ',')
			summary_error_syntax(PATHS_TYPE_NAME, input,
								 "Expected \",\" and the lags of the pair at character %d.", POSITION(p));
		do
		{
			int64		lag;

			start = p + 1;
			p = summary_field(PATHS_TYPE_NAME, input, start, ",)",
							  "Expected \",\" or \")\" at character %d.", &token);
			lag = parse_seconds(input, token, POSITION(start));
			if (lag <= 0 || lag > state->within)
				summary_error_syntax(PATHS_TYPE_NAME, input,
									 "A lag must be positive and at most the window (character %d).",
									 POSITION(start));
			paths_state_add_lag(state->paths, first, then, lag);
		} while (*p == ',');
		state->pairs++;
		return p;
	}
	else
	{
		/* an item: (item, buyers) */
		int32		item = paths_state_item(state->paths, state->first.data, state->first.len);

		p = summary_field(PATHS_TYPE_NAME, input, start, ")",
						  "Expected \")\" after the item's buyers at character %d.", &token);
		paths_state_add_buyers(state->paths, item, parse_count(input, token, POSITION(start)));
		state->items++;
		return p;
	}
}

static const char *current_input;

static void pg_attribute_noreturn()
text_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type paths: \"%s\"", current_input),
			 errdetail("%s", detail)));
}

Datum
paths_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state = {0};
	Paths	   *p;

	state.paths = paths_state_create(CurrentMemoryContext);
	initStringInfo(&state.first);
	initStringInfo(&state.then);
	summary_parse_list(PATHS_TYPE_NAME, input, parse_element, &state);
	if (!state.header)
		summary_error_syntax(PATHS_TYPE_NAME, input,
							 "Expected the window and the customer count first, at character %d.",
							 (int) strlen(input));
	p = paths_build(state.paths);
	current_input = input;
	paths_check_counts(p, text_error);
	if (p->nitems != state.items)
		text_error("Each item must be listed once.");
	if (p->npairs != state.pairs)
		text_error("Each pair must be listed once.");
	PG_RETURN_PATHS_P(p);
}

/* Microseconds as seconds with the decimals they need. */
static void
append_seconds(StringInfo out, int64 usec)
{
	int64		frac = usec % USECS_PER_SEC;
	char		digits[8];
	int			len;

	appendStringInfo(out, INT64_FORMAT, usec / USECS_PER_SEC);
	if (frac == 0)
		return;
	len = snprintf(digits, sizeof(digits), "%06d", (int) frac);
	while (len > 0 && digits[len - 1] == '0')
		len--;
	appendStringInfoChar(out, '.');
	appendBinaryStringInfo(out, digits, len);
}

Datum
paths_out(PG_FUNCTION_ARGS)
{
	Paths	   *p = PG_GETARG_PATHS_P(0);
	const char *text = PATHS_TEXT(p);
	const int64 *lags = PATHS_LAGS(p);
	StringInfoData out;
	int64		l = 0;

	initStringInfo(&out);
	appendStringInfoString(&out, "{(");
	append_seconds(&out, p->within);
	appendStringInfo(&out, "," INT64_FORMAT ")", p->customers);
	for (int32 k = 0; k < p->nitems; k++)
	{
		if (unlikely((Size) out.len + 2 * (Size) PATHS_ITEM_LEN(p, k) + 32 >= MaxAllocSize))
			summary_error_text_too_large(PATHS_TYPE_NAME, p->nitems, "items");
		appendStringInfoString(&out, ",(");
		is_append_quoted(&out, text + PATHS_ITEM_START(p, k), PATHS_ITEM_LEN(p, k));
		appendStringInfo(&out, "," INT64_FORMAT ")", PATHS_ITEM_CUSTOMERS(p)[k]);
	}
	for (int32 j = 0; j < p->npairs; j++)
	{
		int32		a = PATHS_PAIR_FIRST(p)[j];
		int32		b = PATHS_PAIR_THEN(p)[j];
		int32		n = PATHS_PAIR_COUNT(p)[j];

		CHECK_FOR_INTERRUPTS();
		/* 28 characters at most a lag */
		if (unlikely((Size) out.len + 2 * (Size) (PATHS_ITEM_LEN(p, a) + PATHS_ITEM_LEN(p, b)) +
					 28 * (Size) n + 16 >= MaxAllocSize))
			summary_error_text_too_large(PATHS_TYPE_NAME, p->npairs, "pairs");
		appendStringInfoString(&out, ",(");
		is_append_quoted(&out, text + PATHS_ITEM_START(p, a), PATHS_ITEM_LEN(p, a));
		appendStringInfoChar(&out, ',');
		is_append_quoted(&out, text + PATHS_ITEM_START(p, b), PATHS_ITEM_LEN(p, b));
		for (int32 i = 0; i < n; i++)
		{
			appendStringInfoChar(&out, ',');
			append_seconds(&out, lags[l++]);
		}
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

Datum
paths_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_PATHS_P(paths_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
paths_send(PG_FUNCTION_ARGS)
{
	Paths	   *p = PG_GETARG_PATHS_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	paths_write_binary(&buf, p);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
