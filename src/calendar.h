/*
 * calendar.h
 *	  Time helpers shared by every capability: calendar days in the session TimeZone, intervals
 *	  built the way PostgreSQL's own timestamptz subtraction builds them, and time values in
 *	  messages.
 */
#ifndef PROFILING_CALENDAR_H
#define PROFILING_CALENDAR_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "utils/date.h"
#include "utils/rangetypes.h"

/* The calendar day of t in the session TimeZone (so callers of it are STABLE, not IMMUTABLE). */
extern DateADT calendar_local_day(TimestampTz t);

/*
 * The calendar days (session TimeZone) of n times, into days[0..n): the zone's offset is looked
 * up once per daylight-saving period, not once per time.  Returns whether the days ascend; for
 * ascending times they do, except across a zone's backward jump at midnight.
 */
extern bool calendar_local_days(const TimestampTz *times, int32 n, DateADT *days);

/* Distinct calendar days (session TimeZone) among n ascending times. */
extern int32 calendar_count_days(const TimestampTz *times, int32 n);

/* An interval of usec microseconds, justified to days and hours like `t1 - t2`. */
extern Interval *calendar_interval(int64 usec);

/* t as ISO 8601 text in UTC, "2025-01-06 10:00:00+00" (sep ' ') or "2025-01-06T10:00:00+00:00"
 * (xsd = true), "infinity" or "-infinity"; never depends on DateStyle or TimeZone.  buf has
 * MAXDATELEN + 1 bytes. */
extern void calendar_utc_text(TimestampTz t, bool xsd, char *buf);

/* later - earlier in microseconds; an error (not a wrapped number) beyond the int64 range. */
extern int64 calendar_elapsed(TimestampTz later, TimestampTz earlier);

/* Errors out unless t is finite: as-of dates and order times must be real moments. */
extern void calendar_check_as_of(TimestampTz t);
extern void calendar_check_order_time(TimestampTz t);

/*
 * Slicing a summary's ascending time column: how many of times[0..n) are before t (at or before
 * t when inclusive), a binary search; and the entries [*from, *to) inside a tstzrange, its bounds
 * honoured (none when it is empty).
 */
extern int32 calendar_count_before(const int64 *times, int32 n, TimestampTz t, bool inclusive);
extern void calendar_range_indices(const int64 *times, int32 n, const RangeType *range,
								   int32 *from, int32 *to);

#endif							/* PROFILING_CALENDAR_H */
