/*
 * engagement.c
 *	  The engagement type's core (see engagement.h): reading a value safely, validating
 *	  interactions and durations, the canonical form built from a list, slicing by time, and the
 *	  binary form (written by send and serialize, read by recv and deserialize).
 *
 * Every path that makes a value (the aggregates, text and binary input, slicing) ends here, so
 * equal multisets of interactions give identical bytes.
 */
#include "postgres.h"

#include "access/detoast.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "engagement.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

static Size
eg_size(int32 n)
{
	if (n < 0 || n > EG_MAX_INTERACTIONS)
		eg_error_too_many();
	return add_size(EG_HEADER_SIZE, mul_size(2 * sizeof(int64), n));
}

/* A stored value's header, and its full size (with a 4-byte varlena header), hold together. */
static void
check_stored(const Engagement *e, Size size)
{
	if (size < EG_HEADER_SIZE)
		summary_error_corrupted(EG_TYPE_NAME);
	summary_check_version(EG_TYPE_NAME, e->version, EG_FORMAT_VERSION);
	if (e->flags != 0 || e->reserved1 != 0 || e->reserved2 != 0 ||
		e->ninteractions < 0 || e->ninteractions > EG_MAX_INTERACTIONS ||
		size != eg_size(e->ninteractions))
		summary_error_corrupted(EG_TYPE_NAME);
}

Engagement *
eg_detoast(Datum datum)
{
	Engagement *e = (Engagement *) PG_DETOAST_DATUM(datum);

	check_stored(e, VARSIZE(e));
	return e;
}

/* The count from the header alone: a large summary kept out of line is not fetched whole. */
int32
eg_stored_count(Datum datum)
{
	Size		size = toast_raw_datum_size(datum);
	Engagement *e = (Engagement *) PG_DETOAST_DATUM_SLICE(datum, 0, EG_HEADER_SIZE);

	check_stored(e, size);
	return e->ninteractions;
}

/* ---------------------------------------------------------------------------------------------
 * Validating interactions
 * ---------------------------------------------------------------------------------------------
 */

int64
eg_duration_from_interval(const Interval *duration, TimestampTz at)
{
	char		time[MAXDATELEN + 1];
	char	   *text;
	int64		usec = 0;
	bool		overflow;

	overflow = pg_mul_s64_overflow((int64) duration->day, USECS_PER_DAY, &usec) ||
		pg_add_s64_overflow(usec, duration->time, &usec);
	if (likely(duration->month == 0 && !overflow && usec >= 0))
		return usec;

	calendar_utc_text(at, false, time);
	text = DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(duration)));
	if (duration->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("interaction duration must not have a month component: \"%s\"", text),
				 errdetail("The interaction at %s lasts %s. A month has no fixed length.", time, text),
				 errhint("Give the duration in days, hours, minutes or seconds; a day counts as 24 hours.")));
	if (overflow)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interaction duration out of range: \"%s\"", text),
				 errdetail("The interaction at %s lasts more microseconds than a bigint holds.", time)));
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("interaction duration must not be negative: \"%s\"", text),
			 errdetail("The interaction at %s lasts %s.", time, text)));
}

void
eg_check_interaction(TimestampTz at, int64 duration)
{
	if (TIMESTAMP_NOT_FINITE(at))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interaction time must be finite, not \"%s\"",
						TIMESTAMP_IS_NOBEGIN(at) ? "-infinity" : "infinity")));
	if (duration < EG_UNKNOWN_DURATION)
		elog(ERROR, "negative interaction duration " INT64_FORMAT, duration);
}

/* ---------------------------------------------------------------------------------------------
 * Building values
 * ---------------------------------------------------------------------------------------------
 */

/* An empty summary value for n interactions; every caller writes all of the columns. */
Engagement *
eg_allocate(int32 n)
{
	Size		size = eg_size(n);
	Engagement *e = palloc(size);

	memset(e, 0, EG_HEADER_SIZE);
	SET_VARSIZE(e, size);
	e->version = EG_FORMAT_VERSION;
	e->ninteractions = n;
	return e;
}

void
eg_error_too_many(void)
{
	summary_error_too_many("interactions", "engagement summary", EG_MAX_INTERACTIONS);
}

#define ST_SORT eg_sort_interactions
#define ST_ELEMENT_TYPE EgInteraction
#define ST_COMPARE(a, b) eg_interaction_cmp(a, b)
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

EgInteractions *
eg_list_create(int32 capacity)
{
	EgInteractions *list;

	capacity = Max(capacity, 4);
	list = palloc(offsetof(EgInteractions, items) + sizeof(EgInteraction) * capacity);
	list->n = 0;
	list->capacity = capacity;
	return list;
}

/* Appends one interaction after checking it; the list may move. */
EgInteractions *
eg_list_append(EgInteractions *list, TimestampTz at, int64 duration)
{
	eg_check_interaction(at, duration);
	if (unlikely(list->n == list->capacity))
	{
		int64		capacity = Min((int64) list->capacity * 2, (int64) EG_MAX_INTERACTIONS);

		if (list->n >= EG_MAX_INTERACTIONS)
			eg_error_too_many();
		list = repalloc(list, offsetof(EgInteractions, items) + sizeof(EgInteraction) * capacity);
		list->capacity = (int32) capacity;
	}
	list->items[list->n].at = at;
	list->items[list->n].duration = duration;
	list->n++;
	return list;
}

/* The canonical summary of a list (sorts the list in place). */
Engagement *
eg_from_list(EgInteractions *list)
{
	Engagement *e;
	int64	   *times;
	int64	   *durations;

	CHECK_FOR_INTERRUPTS();
	eg_sort_interactions(list->items, list->n);
	e = eg_allocate(list->n);
	times = EG_TIMES(e);
	durations = EG_DURATIONS(e);
	for (int32 i = 0; i < list->n; i++)
	{
		times[i] = list->items[i].at;
		durations[i] = list->items[i].duration;
	}
	return e;
}

/* The interactions [from, to): a sorted part of a sorted summary is canonical. */
Engagement *
eg_slice(const Engagement *e, int32 from, int32 to)
{
	int32		n = Max(to - from, 0);
	Engagement *slice = eg_allocate(n);

	if (n > 0)
	{
		memcpy(EG_TIMES(slice), EG_TIMES(e) + from, sizeof(int64) * n);
		memcpy(EG_DURATIONS(slice), EG_DURATIONS(e) + from, sizeof(int64) * n);
	}
	return slice;
}

/* ---------------------------------------------------------------------------------------------
 * Text of a duration: hours, minutes, seconds, never days (a day of a duration is 24 hours,
 * and the text reads back as the same microseconds under any IntervalStyle).
 * ---------------------------------------------------------------------------------------------
 */

void
eg_duration_text(int64 duration, char *buf)
{
	int64		seconds = duration / USECS_PER_SEC;
	int64		fraction = duration % USECS_PER_SEC;
	int			len;

	len = snprintf(buf, EG_DURATION_TEXT_LEN, "%02" INT64_MODIFIER "d:%02d:%02d",
				   seconds / SECS_PER_HOUR, (int) (seconds / SECS_PER_MINUTE % MINS_PER_HOUR),
				   (int) (seconds % SECS_PER_MINUTE));
	if (fraction != 0)
	{
		/* microseconds without trailing zeros, as interval_out prints them */
		len += snprintf(buf + len, EG_DURATION_TEXT_LEN - len, ".%06d", (int) fraction);
		while (buf[len - 1] == '0')
			buf[--len] = '\0';
	}
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 flags, int32 n, then the two columns in network byte
 * order.  The reader accepts exactly what the writer produces and checks every length and
 * value: it reads what clients send (recv) and what other processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(EG_TYPE_NAME, detail);
}

void
eg_write_binary(StringInfo buf, const Engagement *e)
{
	const int64 *column[2] = {EG_TIMES(e), EG_DURATIONS(e)};

	pq_sendbyte(buf, e->version);
	pq_sendbyte(buf, e->flags);
	pq_sendint32(buf, e->ninteractions);
	enlargeStringInfo(buf, eg_size(e->ninteractions) - EG_HEADER_SIZE);
	for (int c = 0; c < 2; c++)
		for (int32 i = 0; i < e->ninteractions; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			pq_sendint64(buf, column[c][i]);
		}
}

/* Reads a value written by eg_write_binary, consuming the rest of buf; trusts nothing. */
Engagement *
eg_read_binary(StringInfo buf)
{
	int32		n;
	Engagement *e;
	int64	   *times;
	int64	   *durations;

	if (buf->len - buf->cursor < 6)
		binary_error("The value is shorter than its 6-byte header.");
	summary_check_binary_version(EG_TYPE_NAME, pq_getmsgbyte(buf), EG_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_error("Unknown flag bits are set.");
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > EG_MAX_INTERACTIONS)
		binary_error("The interaction count is out of range.");
	if ((Size) (buf->len - buf->cursor) != 2 * sizeof(int64) * (Size) n)
		binary_error("The length does not match the interaction count.");

	e = eg_allocate(n);
	times = EG_TIMES(e);
	durations = EG_DURATIONS(e);
	for (int32 i = 0; i < n; i++)
		times[i] = pq_getmsgint64(buf);
	for (int32 i = 0; i < n; i++)
		durations[i] = pq_getmsgint64(buf);

	for (int32 i = 0; i < n; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(times[i]))
			binary_error("An interaction time is out of range.");
		if (durations[i] < EG_UNKNOWN_DURATION)
			binary_error("A duration is negative.");
		if (i > 0 && eg_interaction_cmp(&(EgInteraction) {times[i - 1], durations[i - 1]},
										&(EgInteraction) {times[i], durations[i]}) > 0)
			binary_error("The interactions are not in canonical order.");
	}
	return e;
}
