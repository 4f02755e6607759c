/*
 * calendar.c
 *	  Time helpers shared by every capability (see calendar.h).
 */
#include "postgres.h"

#include "common/int.h"
#include "miscadmin.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"

DateADT
calendar_local_day(TimestampTz t)
{
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;

	/* NULL time-zone name and pg_tz: the session TimeZone */
	if (timestamp2tm(t, &tz, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	return date2j(tm.tm_year, tm.tm_mon, tm.tm_mday) - POSTGRES_EPOCH_JDATE;
}

static int
compare_date(const void *a, const void *b)
{
	DateADT		x = *(const DateADT *) a;
	DateADT		y = *(const DateADT *) b;

	return (x > y) - (x < y);
}

int32
calendar_count_days(const TimestampTz *times, int32 n)
{
	DateADT    *days;
	bool		ascending = true;
	int32		count;

	if (n == 0)
		return 0;

	days = palloc(sizeof(DateADT) * n);
	for (int32 i = 0; i < n; i++)
	{
		days[i] = calendar_local_day(times[i]);
		if (i > 0 && days[i] < days[i - 1])
			ascending = false;
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	/*
	 * Local days follow absolute time except across a zone's backward jump at midnight (a local
	 * day can then occur twice, with another day between): sort only then.
	 */
	if (!ascending)
		qsort(days, n, sizeof(DateADT), compare_date);

	count = 1;
	for (int32 i = 1; i < n; i++)
		if (days[i] != days[i - 1])
			count++;
	pfree(days);
	return count;
}

Interval *
calendar_interval(int64 usec)
{
	Interval	raw;

	raw.time = usec;
	raw.day = 0;
	raw.month = 0;
	/* the same justification timestamptz_mi applies, so recency equals as_of - last order */
	return DatumGetIntervalP(DirectFunctionCall1(interval_justify_hours,
												 IntervalPGetDatum(&raw)));
}

void
calendar_utc_text(TimestampTz t, bool xsd, char *buf)
{
	struct pg_tm tm;
	fsec_t		fsec;

	if (TIMESTAMP_NOT_FINITE(t))
	{
		EncodeSpecialTimestamp(t, buf);
		return;
	}
	/* a NULL tzp asks for UTC */
	if (timestamp2tm(t, NULL, &tm, &fsec, NULL, NULL) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("timestamp out of range")));
	tm.tm_isdst = 0;			/* a known zone (UTC), so EncodeDateTime prints the offset */
	EncodeDateTime(&tm, fsec, true, 0, NULL, xsd ? USE_XSD_DATES : USE_ISO_DATES, buf);
}

int64
calendar_elapsed(TimestampTz later, TimestampTz earlier)
{
	int64		usec;

	/* 4713 BC to 294276 AD is more microseconds than an int64 holds */
	if (pg_sub_s64_overflow(later, earlier, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("interval out of range")));
	return usec;
}

void
calendar_check_as_of(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("as-of time must be finite, not \"%s\"",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
}

void
calendar_check_order_time(TimestampTz t)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order time must be finite, not \"%s\"",
						TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
}
