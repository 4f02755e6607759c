/*
 * loyalty_trend_accessors.c
 *	  The SQL functions that read a loyalty trend summary: point-in-time slices (as_of,
 *	  during), counts and totals, and the trend figures: spend_slope, category_growth and
 *	  trend.
 *
 * Which parameter belongs where: the aggregate takes only the lines; the as-of date, the
 * threshold and the category step are accessor arguments, so one stored summary answers for
 * any date and any policy.
 *
 * The customer's months.  A line's month is its calendar month in the session TimeZone.  The
 * series runs from the month of the first line to the month of the last line, or, with an
 * as-of date, to the last month begun before as_of (lines after as_of left out; as of the
 * 1st of a month at midnight, the series ends with the month before, so a reference date
 * adds no empty month that has not started): every month of it counts, those without a line
 * as zero spend.
 *
 * The customer's life.  From the first line to the last line, or to as_of; its midpoint,
 * first + (end - first) / 2 rounded down to the microsecond, splits it into the earlier half
 * (lines before the midpoint) and the later half (lines at or after it).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "miscadmin.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "labels.h"
#include "loyalty_trend.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(loyalty_trend_as_of);
PG_FUNCTION_INFO_V1(loyalty_trend_during);
PG_FUNCTION_INFO_V1(loyalty_trend_line_count);
PG_FUNCTION_INFO_V1(loyalty_trend_total_amount);
PG_FUNCTION_INFO_V1(loyalty_trend_category_count);
PG_FUNCTION_INFO_V1(loyalty_trend_spend_slope);
PG_FUNCTION_INFO_V1(loyalty_trend_category_growth);
PG_FUNCTION_INFO_V1(loyalty_trend_trend);

/* The labels of the enum profiling.loyalty_direction, in its order. */
typedef enum LtDirection
{
	LT_GROWING,
	LT_STABLE,
	LT_DECLINING,
	LT_DIRECTIONS
} LtDirection;

static const char *const lt_direction_labels[LT_DIRECTIONS] = {"growing", "stable", "declining"};

/* ---------------------------------------------------------------------------------------------
 * Slicing by time
 * ---------------------------------------------------------------------------------------------
 */

/* as_of(t, at): the lines at or before at; nothing from the future. */
Datum
loyalty_trend_as_of(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);
	int32		n = calendar_count_before(LT_TIMES(t), t->nlines, PG_GETARG_TIMESTAMPTZ(1), true);

	if (n == t->nlines)
		PG_RETURN_LOYALTY_TREND_P(t);
	PG_RETURN_LOYALTY_TREND_P(lt_slice(t, 0, n));
}

/* during(t, range): the lines inside a tstzrange, honouring its bounds. */
Datum
loyalty_trend_during(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);
	int32		from,
				to;

	calendar_range_indices(LT_TIMES(t), t->nlines, PG_GETARG_RANGE_P(1), &from, &to);
	if (from == 0 && to == t->nlines)
		PG_RETURN_LOYALTY_TREND_P(t);
	PG_RETURN_LOYALTY_TREND_P(lt_slice(t, from, to));
}

/* ---------------------------------------------------------------------------------------------
 * Counts and totals
 * ---------------------------------------------------------------------------------------------
 */

Datum
loyalty_trend_line_count(PG_FUNCTION_ARGS)
{
	/* the count is in the header: read only that much of a large, toasted summary */
	PG_RETURN_INT32(lt_stored_count(PG_GETARG_DATUM(0)));
}

/* Σ amount, as sum(amount::numeric)::float8 gives it; 0 without lines. */
Datum
loyalty_trend_total_amount(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);

	PG_RETURN_FLOAT8(amount_sum(LT_AMOUNTS(t), t->nlines));
}

Datum
loyalty_trend_category_count(PG_FUNCTION_ARGS)
{
	LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(0);

	PG_RETURN_INT32(t->ncategories);
}

/* ---------------------------------------------------------------------------------------------
 * The trend figures
 * ---------------------------------------------------------------------------------------------
 */

/* What the figures of one call read: the lines up to as_of, and the end of the life. */
typedef struct LtWindow
{
	const LoyaltyTrend *t;
	int32		n;				/* lines considered: [0, n) */
	bool		has_as_of;
	TimestampTz as_of;
} LtWindow;

/*
 * The window of argument 0 as of argument 1 (NULL: no as-of date).  Returns false when the
 * summary is NULL.
 */
static bool
window_of(FunctionCallInfo fcinfo, LtWindow *w)
{
	if (PG_ARGISNULL(0))
		return false;
	w->t = PG_GETARG_LOYALTY_TREND_P(0);
	w->has_as_of = !PG_ARGISNULL(1);
	w->n = w->t->nlines;
	if (w->has_as_of)
	{
		w->as_of = PG_GETARG_TIMESTAMPTZ(1);
		calendar_check_as_of(w->as_of);
		w->n = calendar_count_before(LT_TIMES(w->t), w->t->nlines, w->as_of, true);
	}
	return true;
}

/* The month number (year * 12 + month - 1) of a calendar day. */
static inline int64
month_of_day(DateADT day)
{
	int			year,
				month,
				mday;

	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	return (int64) year * 12 + month - 1;
}

/*
 * The least-squares slope of monthly spend over the window's months, the mean monthly spend
 * (mean NULL: not wanted) and the quiet months at its end (months after the last line's);
 * false when the window has no line or its series fewer than two months.  Sums beyond float8
 * are an error (22003).
 */
static bool
monthly_slope(const LtWindow *w, double *slope, double *mean, int64 *quiet)
{
	const int64 *times = LT_TIMES(w->t);
	DateADT    *days;
	int64	   *months;
	int64		first,
				last;

	if (w->n == 0)
		return false;
	days = palloc(sizeof(DateADT) * w->n);
	months = palloc(sizeof(int64) * w->n);
	calendar_local_days(times, w->n, days);
	first = last = month_of_day(days[0]);
	for (int32 i = 0; i < w->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		months[i] = month_of_day(days[i]);
		/* the days of ascending times ascend, except across a backward jump at midnight */
		first = Min(first, months[i]);
		last = Max(last, months[i]);
	}
	/* the months after the last line's: none without an as-of date */
	*quiet = 0;
	/* to the last month begun before as_of: as of the 1st at midnight, the month before */
	if (w->has_as_of && w->as_of > MIN_TIMESTAMP)
	{
		int64		end = month_of_day(calendar_local_day(w->as_of - 1));

		*quiet = Max(end - month_of_day(days[w->n - 1]), 0);
		last = Max(last, end);
	}
	if (last == first)
	{
		pfree(days);
		pfree(months);
		return false;
	}
	for (int32 i = 0; i < w->n; i++)
		months[i] -= first;
	*slope = stats_slope_sparse(months, LT_AMOUNTS(w->t), w->n, last - first + 1);
	if (!isfinite(*slope))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("spend slope is out of range for type double precision")));
	if (mean != NULL)
		*mean = amount_sum(LT_AMOUNTS(w->t), w->n) / (double) (last - first + 1);
	pfree(days);
	pfree(months);
	return true;
}

/*
 * Distinct categories of the later half of the life minus those of the earlier half; false
 * when the window has no line or the life has no length.
 */
static bool
category_change(const LtWindow *w, int32 *change)
{
	const int64 *times = LT_TIMES(w->t);
	const int32 *index = LT_CATEGORY_INDEX(w->t);
	TimestampTz first,
				end,
				mid;
	uint8	   *half;
	int32		earlier = 0,
				later = 0;

	if (w->n == 0)
		return false;
	first = times[0];
	end = w->has_as_of ? w->as_of : times[w->n - 1];
	if (end <= first)
		return false;
	mid = first + (TimestampTz) ((uint64) (end - first) / 2);
	/* bit 1: the category has a line in the earlier half; bit 2: in the later half */
	half = palloc0(Max(w->t->ncategories, 1));
	for (int32 i = 0; i < w->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		half[index[i]] |= times[i] < mid ? 1 : 2;
	}
	for (int32 c = 0; c < w->t->ncategories; c++)
	{
		earlier += (half[c] & 1) != 0;
		later += (half[c] & 2) != 0;
	}
	pfree(half);
	*change = later - earlier;
	return true;
}

/* spend_slope(t, as_of): change of monthly spend per month (NULL with fewer than two months). */
Datum
loyalty_trend_spend_slope(PG_FUNCTION_ARGS)
{
	LtWindow	w;
	double		slope;
	int64		quiet;

	if (!window_of(fcinfo, &w) || !monthly_slope(&w, &slope, NULL, &quiet))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(slope);
}

/* category_growth(t, as_of): later-half minus earlier-half distinct categories. */
Datum
loyalty_trend_category_growth(PG_FUNCTION_ARGS)
{
	LtWindow	w;
	int32		change;

	if (!window_of(fcinfo, &w) || !category_change(&w, &change))
		PG_RETURN_NULL();
	PG_RETURN_INT32(change);
}

/*
 * trend(t, as_of, threshold, category_step, quiet_months): in this order, the first rule that
 * holds decides:
 *	1. no line in the last quiet_months months of the series (only with an as-of date): declining;
 *	2. spend moving by at least threshold of the mean monthly spend per month: growing or
 *	   declining;
 *	3. the distinct categories moving by at least category_step between the halves of the life:
 *	   growing or declining;
 *	4. stable.
 * NULL with fewer than two months, or when t or a policy argument is NULL.
 */
Datum
loyalty_trend_trend(PG_FUNCTION_ARGS)
{
	LtWindow	w;
	double		threshold;
	int32		step;
	int32		quiet_months;
	double		slope,
				mean,
				relative;
	int64		quiet;
	int32		change;
	LtDirection direction = LT_STABLE;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	threshold = PG_GETARG_FLOAT8(2);
	step = PG_GETARG_INT32(3);
	quiet_months = PG_GETARG_INT32(4);
	/* NaN fails the test; Infinity turns the slope rule off */
	if (!(threshold >= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("trend threshold must be zero or more"),
				 errdetail("The threshold is the monthly change of spend, as a share of the mean monthly spend, that makes a trend; Infinity turns that rule off.")));
	if (step < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("category step must be at least 1, not %d", step)));
	if (quiet_months < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("quiet months must be at least 1, not %d", quiet_months)));
	if (!window_of(fcinfo, &w) || !monthly_slope(&w, &slope, &mean, &quiet))
		PG_RETURN_NULL();

	relative = mean > 0 ? slope / mean : 0.0;
	if (quiet >= quiet_months)
		direction = LT_DECLINING;
	else if (relative >= threshold && relative > 0)
		direction = LT_GROWING;
	else if (relative <= -threshold && relative < 0)
		direction = LT_DECLINING;
	else if (category_change(&w, &change))
	{
		if (change >= step)
			direction = LT_GROWING;
		else if (change <= -step)
			direction = LT_DECLINING;
	}
	PG_RETURN_OID(labels_of_call(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid),
								 lt_direction_labels, LT_DIRECTIONS)[direction]);
}
