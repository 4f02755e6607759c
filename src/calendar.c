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
#include "utils/typcache.h"

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

/* Local days are sorted only across a backward jump at midnight, but then all of them are. */
#define ST_SORT sort_days
#define ST_ELEMENT_TYPE DateADT
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

/* floor(a / b) for b > 0, also for negative a (times before 2000 are negative) */
static inline int64
floor_div(int64 a, int64 b)
{
	return a / b - (a % b < 0 ? 1 : 0);
}

/*
 * The session zone's UTC offset at t (seconds), and until when it holds: the next daylight-
 * saving boundary, or DT_NOEND when the zone has none ahead.  False if the zone cannot say.
 */
static bool
offset_at(TimestampTz t, long *gmtoff, TimestampTz *valid_until)
{
	pg_time_t	unix_seconds = (pg_time_t) floor_div(t, USECS_PER_SEC) +
		(POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY;
	pg_time_t	boundary;
	long		after_gmtoff;
	int			before_isdst,
				after_isdst;
	int			found;

	found = pg_next_dst_boundary(&unix_seconds, gmtoff, &before_isdst, &boundary,
								 &after_gmtoff, &after_isdst, session_timezone);
	if (found < 0)
		return false;
	*valid_until = found == 0 ? DT_NOEND :
		(TimestampTz) (boundary - (POSTGRES_EPOCH_JDATE - UNIX_EPOCH_JDATE) * SECS_PER_DAY) *
		USECS_PER_SEC;
	return true;
}

bool
calendar_local_days(const TimestampTz *times, int32 n, DateADT *days)
{
	bool		ascending = true;
	long		gmtoff = 0;
	TimestampTz valid_until = DT_NOBEGIN;	/* no offset known yet */
	bool		zone_offsets = true;

	for (int32 i = 0; i < n; i++)
	{
		/*
		 * The zone's offset changes only at its daylight-saving boundaries: look it up once per
		 * boundary, not once per time (times are mostly ascending).
		 */
		if (zone_offsets && (i == 0 || times[i] >= valid_until || times[i] < times[i - 1]))
			zone_offsets = offset_at(times[i], &gmtoff, &valid_until);
		if (zone_offsets)
			days[i] = (DateADT) floor_div(times[i] + (int64) gmtoff * USECS_PER_SEC, USECS_PER_DAY);
		else
			days[i] = calendar_local_day(times[i]);
		if (i > 0 && days[i] < days[i - 1])
			ascending = false;
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return ascending;
}

int32
calendar_count_days(const TimestampTz *times, int32 n)
{
	DateADT    *days;
	int32		count;

	if (n == 0)
		return 0;

	days = palloc(sizeof(DateADT) * n);

	/*
	 * Local days follow absolute time except across a zone's backward jump at midnight (a local
	 * day can then occur twice, with another day between): sort only then.
	 */
	if (!calendar_local_days(times, n, days))
		sort_days(days, n);

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

int32
calendar_count_before(const int64 *times, int32 n, TimestampTz t, bool inclusive)
{
	int32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (times[mid] < t || (inclusive && times[mid] == t))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The type cache is looked up here rather than through the caller's fn_extra, which the caller
 * may use for something else.
 */
void
calendar_range_indices(const int64 *times, int32 n, const RangeType *range, int32 *from,
					   int32 *to)
{
	TypeCacheEntry *typcache = lookup_type_cache(RangeTypeGetOid(range), TYPECACHE_RANGE_INFO);
	RangeBound	lower,
				upper;
	bool		empty;

	if (typcache->rngelemtype == NULL)
		elog(ERROR, "type %u is not a range type", RangeTypeGetOid(range));
	range_deserialize(typcache, range, &lower, &upper, &empty);
	if (empty)
	{
		*from = *to = 0;
		return;
	}
	*from = lower.infinite ? 0 :
		calendar_count_before(times, n, DatumGetTimestampTz(lower.val), !lower.inclusive);
	*to = upper.infinite ? n :
		calendar_count_before(times, n, DatumGetTimestampTz(upper.val), upper.inclusive);
}
