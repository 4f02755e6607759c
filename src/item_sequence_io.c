/*
 * item_sequence_io.c
 *	  The item_sequence type's text and binary forms.
 *
 * Text form, lossless and independent of DateStyle and TimeZone:
 *	  {(2025-01-06 10:00:00+00,"42"),(2025-01-20 09:30:00+00,"gift \"box\"")}
 * (time, item): times in UTC with microseconds when they have any; items always in double
 * quotes, a '"' or '\' inside written with a backslash before it.  Input accepts events in any
 * order, times in any zone, repeated events (kept once), and an item without quotes when it
 * holds none of  , ( ) " \  and is not blank (surrounding blanks are dropped).
 *
 * Binary form (send/recv, and the aggregates' serialized state): is_write_binary and
 * is_read_binary (item_sequence.c), which checks every length and value.
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/memutils.h"

#include "calendar.h"
#include "item_sequence.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(item_sequence_in);
PG_FUNCTION_INFO_V1(item_sequence_out);
PG_FUNCTION_INFO_V1(item_sequence_recv);
PG_FUNCTION_INFO_V1(item_sequence_send);

#define POSITION(p) SUMMARY_POSITION(input, p)

typedef struct ParseState
{
	IsBuilder  *builder;
	StringInfoData item;
} ParseState;

/* One event, (time, item), from just after its "(": returns the position of ")". */
static const char *
parse_event(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *p;
	char	   *token;
	TimestampTz at;

	p = summary_field(IS_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the purchase time at character %d.", &token);
	at = summary_parse_time(IS_TYPE_NAME, "purchase time", input, token, POSITION(start));
	p = is_parse_item(IS_TYPE_NAME, input, p + 1, &state->item);
	if (*p != ')')
		summary_error_syntax(IS_TYPE_NAME, input, "Expected \")\" at character %d.", POSITION(p));
	is_builder_add(state->builder, at, state->item.data, state->item.len);
	return p;
}

Datum
item_sequence_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state;

	state.builder = is_builder_create(CurrentMemoryContext);
	initStringInfo(&state.item);
	summary_parse_list(IS_TYPE_NAME, input, parse_event, &state);
	PG_RETURN_ITEM_SEQUENCE_P(is_build(state.builder));
}

Datum
item_sequence_out(PG_FUNCTION_ARGS)
{
	ItemSequence *s = PG_GETARG_ITEM_SEQUENCE_P(0);
	const int64 *times = IS_TIMES(s);
	const int32 *items = IS_ITEMS(s);
	const char *text = IS_TEXT(s);
	StringInfoData out;
	char		buf[MAXDATELEN + 1];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < s->nevents; i++)
	{
		int32		k = items[i];

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		/* an event's text: a time, punctuation, and its item at most doubled */
		if (unlikely((Size) out.len + MAXDATELEN + 8 + 2 * (Size) IS_ITEM_LEN(s, k) >= MaxAllocSize))
			summary_error_text_too_large(IS_TYPE_NAME, s->nevents, "purchases");
		appendStringInfoString(&out, i > 0 ? ",(" : "(");
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		is_append_quoted(&out, text + IS_ITEM_START(s, k), IS_ITEM_LEN(s, k));
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

Datum
item_sequence_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_ITEM_SEQUENCE_P(is_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
item_sequence_send(PG_FUNCTION_ARGS)
{
	ItemSequence *s = PG_GETARG_ITEM_SEQUENCE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	is_write_binary(&buf, s);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}
