/*
 * engagement_io.c
 *	  The engagement type's text and binary forms, and its jsonb cast.
 *
 * Text form, lossless and independent of DateStyle, IntervalStyle and TimeZone:
 *	  {(2025-01-06 10:00:00+00,00:05:00),(2025-01-06 10:00:00+00,26:00:00.5),(2025-01-07 09:00:00+00,NULL)}
 * Times are printed in UTC with microseconds when they have any, durations as hours (never
 * days: a duration's day is 24 hours), minutes and seconds with microseconds when they have
 * any, and an unknown duration as NULL.  Input accepts interactions in any order, times in any
 * zone, and any interval literal for a duration (5 minutes, PT5M, 1 day 02:00) that has no
 * month component and is not negative.
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * engagement.c): uint8 version, uint8 flags, int32 count, then the time and duration columns
 * in network byte order.  Receive accepts exactly what send produces and checks every value.
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "engagement.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(engagement_in);
PG_FUNCTION_INFO_V1(engagement_out);
PG_FUNCTION_INFO_V1(engagement_recv);
PG_FUNCTION_INFO_V1(engagement_send);
PG_FUNCTION_INFO_V1(engagement_to_jsonb);

/* ---------------------------------------------------------------------------------------------
 * Text input and output
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

/* A duration field: NULL (unknown), or an interval literal read as interval_in reads it. */
static int64
parse_duration(const char *input, char *token, int position, TimestampTz at)
{
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dtype = 0;
	int			dterr;
	struct pg_itm_in itm;
	Interval	interval;

	if (pg_strcasecmp(token, "NULL") == 0)
		return EG_UNKNOWN_DURATION;
	if (token[0] == '\0')
		summary_error_syntax(EG_TYPE_NAME, input,
							 "Expected a duration or NULL at character %d.", position);
	dterr = ParseDateTime(token, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeInterval(field, ftype, nf, INTERVAL_FULL_RANGE, &dtype, &itm);
	if (dterr == DTERR_BAD_FORMAT)
		dterr = DecodeISO8601Interval(token, &dtype, &itm);
	if (dterr == DTERR_FIELD_OVERFLOW || dterr == DTERR_INTERVAL_OVERFLOW ||
		(dterr == 0 && dtype == DTK_DELTA && itmin2interval(&itm, &interval) != 0))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interaction duration out of range: \"%s\"", token)));
	if (dterr != 0 || dtype != DTK_DELTA)
		summary_error_syntax(EG_TYPE_NAME, input, "Invalid duration at character %d.", position);
	return eg_duration_from_interval(&interval, at);
}

/* One interaction, (time, duration), from just after its "(": returns the position of ")". */
static const char *
parse_interaction(const char *input, const char *start, void *arg)
{
	EgInteractions **list = arg;
	const char *p;
	char	   *token;
	TimestampTz at;

	p = summary_field(EG_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the interaction time at character %d.", &token);
	at = summary_parse_time(EG_TYPE_NAME, "interaction time", input, token, POSITION(start));
	start = p + 1;
	p = summary_field(EG_TYPE_NAME, input, start, ")", "Expected \")\" at character %d.", &token);
	*list = eg_list_append(*list, at, parse_duration(input, token, POSITION(start), at));
	return p;
}

Datum
engagement_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	EgInteractions *list = eg_list_create(8);

	summary_parse_list(EG_TYPE_NAME, input, parse_interaction, &list);
	PG_RETURN_ENGAGEMENT_P(eg_from_list(list));
}

/* The longest text of one interaction: a time, a duration, punctuation. */
#define INTERACTION_TEXT_MAX	(MAXDATELEN + EG_DURATION_TEXT_LEN + 4)

Datum
engagement_out(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	int64	   *times = EG_TIMES(e);
	int64	   *durations = EG_DURATIONS(e);
	StringInfoData out;
	char		buf[MAXDATELEN + 1];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < e->ninteractions; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (unlikely(out.len > (int) MaxAllocSize - INTERACTION_TEXT_MAX))
			summary_error_text_too_large(EG_TYPE_NAME, e->ninteractions, "interactions");
		appendStringInfoString(&out, i > 0 ? ",(" : "(");
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		if (durations[i] == EG_UNKNOWN_DURATION)
			appendStringInfoString(&out, "NULL");
		else
		{
			eg_duration_text(durations[i], buf);
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
engagement_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_ENGAGEMENT_P(eg_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
engagement_send(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	eg_write_binary(&buf, e);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------------------------------
 * jsonb: {"interaction_count": n, "interactions": [{"at": ..., "duration": ...}, ...],
 * "total_duration": ...}, built directly (so that building it answers a cancel).  Times are
 * ISO 8601 in UTC; durations are the text form's, or null when unknown.
 * ---------------------------------------------------------------------------------------------
 */

/* A string (a key or a value), or null when text is NULL. */
static void
push_string(JsonbParseState **state, JsonbIteratorToken token, const char *text)
{
	JsonbValue	v;

	v.type = text == NULL ? jbvNull : jbvString;
	if (text != NULL)
	{
		/* pushJsonbValue keeps the pointer */
		v.val.string.val = pstrdup(text);
		v.val.string.len = strlen(text);
	}
	pushJsonbValue(state, token, &v);
}

Datum
engagement_to_jsonb(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	int64	   *times = EG_TIMES(e);
	int64	   *durations = EG_DURATIONS(e);
	JsonbParseState *state = NULL;
	JsonbValue	count;
	char		buf[MAXDATELEN + 1];
	int64		total = 0;
	int32		known = 0;
	bool		overflow = false;

	pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
	push_string(&state, WJB_KEY, "interaction_count");
	count.type = jbvNumeric;
	count.val.numeric = int64_to_numeric(e->ninteractions);
	pushJsonbValue(&state, WJB_VALUE, &count);
	push_string(&state, WJB_KEY, "interactions");
	pushJsonbValue(&state, WJB_BEGIN_ARRAY, NULL);
	for (int32 i = 0; i < e->ninteractions; i++)
	{
		bool		unknown = durations[i] == EG_UNKNOWN_DURATION;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		pushJsonbValue(&state, WJB_BEGIN_OBJECT, NULL);
		calendar_utc_text(times[i], true, buf);
		push_string(&state, WJB_KEY, "at");
		push_string(&state, WJB_VALUE, buf);
		if (!unknown)
		{
			eg_duration_text(durations[i], buf);
			known++;
			overflow = overflow || pg_add_s64_overflow(total, durations[i], &total);
		}
		push_string(&state, WJB_KEY, "duration");
		push_string(&state, WJB_VALUE, unknown ? NULL : buf);
		pushJsonbValue(&state, WJB_END_OBJECT, NULL);
	}
	pushJsonbValue(&state, WJB_END_ARRAY, NULL);
	/* null without a known duration, or when the total exceeds a bigint of microseconds */
	if (known > 0 && !overflow)
		eg_duration_text(total, buf);
	push_string(&state, WJB_KEY, "total_duration");
	push_string(&state, WJB_VALUE, known > 0 && !overflow ? buf : NULL);
	PG_RETURN_POINTER(JsonbValueToJsonb(pushJsonbValue(&state, WJB_END_OBJECT, NULL)));
}
