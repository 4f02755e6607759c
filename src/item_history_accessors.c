/*
 * item_history_accessors.c
 *	  The SQL functions that read an item history: point-in-time slices (as_of, during), its
 *	  lines (line_count, lines), the replenishment figures (purchases, total quantity, cycle, cycle per unit, regularity, last
 *	  purchase, next due, is due) and the incremental-sales figures (quantity slope,
 *	  is_incremental, stockpiling).
 *
 * Every figure but total_quantity reads purchases, not lines: the lines of one calendar day in
 * the session TimeZone are one purchase (as purchase_days counts days), at the time of the
 * day's last line, of the day's total quantity, with a coupon when any of its lines had one.
 * Those figures are therefore STABLE.  A gap is the time between consecutive purchases.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/multirangetypes.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "item_history.h"
#include "stats.h"

PG_FUNCTION_INFO_V1(item_history_as_of);
PG_FUNCTION_INFO_V1(item_history_during);
PG_FUNCTION_INFO_V1(item_history_lines);
PG_FUNCTION_INFO_V1(item_history_line_rows);
PG_FUNCTION_INFO_V1(item_history_purchases);
PG_FUNCTION_INFO_V1(item_history_total_quantity);
PG_FUNCTION_INFO_V1(item_history_replenishment_cycle);
PG_FUNCTION_INFO_V1(item_history_cycle_per_unit);
PG_FUNCTION_INFO_V1(item_history_regularity);
PG_FUNCTION_INFO_V1(item_history_last_purchase);
PG_FUNCTION_INFO_V1(item_history_next_due);
PG_FUNCTION_INFO_V1(item_history_is_due);
PG_FUNCTION_INFO_V1(item_history_quantity_slope);
PG_FUNCTION_INFO_V1(item_history_is_incremental);
PG_FUNCTION_INFO_V1(item_history_stockpiling);

/* ---------------------------------------------------------------------------------------------
 * Slicing by time
 * ---------------------------------------------------------------------------------------------
 */

Datum
item_history_as_of(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	int32		n = ph_count_before(ih, PG_GETARG_TIMESTAMPTZ(1), true);

	if (n == ih->norders)
		PG_RETURN_ITEM_HISTORY_P(ih);
	PG_RETURN_ITEM_HISTORY_P(ph_slice(ih, 0, n));
}

Datum
item_history_during(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	int32		from,
				to;

	ph_range_indices(ih, PG_GETARG_RANGE_P(1), &from, &to);
	PG_RETURN_ITEM_HISTORY_P(ph_slice(ih, from, to));
}

/* ---------------------------------------------------------------------------------------------
 * Counts and totals
 * ---------------------------------------------------------------------------------------------
 */

Datum
item_history_lines(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(ih_stored_count(PG_GETARG_DATUM(0)));
}

/* lines(i): the lines, one row each, in time order, as the aggregate received them. */
Datum
item_history_line_rows(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64 *times = IH_TIMES(ih);
	const float8 *quantities = IH_QUANTITIES(ih);

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < ih->norders; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = TimestampTzGetDatum(times[i]);
		values[1] = Float8GetDatum(quantities[i]);
		values[2] = Float8GetDatum(IH_COUPON(ih, i));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

Datum
item_history_purchases(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);

	PG_RETURN_INT32(calendar_count_days(IH_TIMES(ih), ih->norders));
}

Datum
item_history_total_quantity(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	stats_sum	sum = stats_sum_of(IH_QUANTITIES(ih), ih->norders);

	PG_RETURN_FLOAT8(stats_sum_result(&sum));
}

/* ---------------------------------------------------------------------------------------------
 * Replenishment
 * ---------------------------------------------------------------------------------------------
 */

/* The purchases of a summary's lines. */
static void
purchases_of(const ItemHistory *ih, IhPurchases *p)
{
	ih_purchases(ih, ih->norders, p);
}

/*
 * Purchases are never more than lines: a figure that needs `needed` purchases is NULL for a
 * summary with fewer lines, without reading its days (most customer x product pairs have one
 * line, and this keeps them cheap).
 */
#define RETURN_NULL_UNLESS_LINES(ih, needed) \
	do { \
		if ((ih)->norders < (needed)) \
			PG_RETURN_NULL(); \
	} while (0)

/* The median gap in microseconds, as percentile_cont(0.5) of the gaps; false without a gap. */
static bool
cycle_usec(const IhPurchases *p, int64 *cycle)
{
	int64	   *gaps;

	if (p->n < 2)
		return false;
	gaps = palloc(sizeof(int64) * (p->n - 1));
	for (int32 k = 1; k < p->n; k++)
		gaps[k - 1] = calendar_elapsed(p->at[k], p->at[k - 1]);
	*cycle = stats_median_int64(gaps, p->n - 1);
	pfree(gaps);
	return true;
}

Datum
item_history_replenishment_cycle(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	IhPurchases p;
	int64		cycle;

	RETURN_NULL_UNLESS_LINES(ih, 2);
	purchases_of(ih, &p);
	if (!cycle_usec(&p, &cycle))
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(calendar_interval(cycle));
}

/*
 * The median of gap / quantity bought at the gap's start: how long one unit lasts.  Gaps that
 * start with a purchase of quantity 0 say nothing about a unit and are left out.
 */
Datum
item_history_cycle_per_unit(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	IhPurchases p;
	double	   *per_unit;
	int32		n = 0;
	double		median;

	RETURN_NULL_UNLESS_LINES(ih, 2);
	purchases_of(ih, &p);
	per_unit = palloc(sizeof(double) * Max(p.n, 1));
	for (int32 k = 1; k < p.n; k++)
		if (p.quantity[k - 1] > 0)
			per_unit[n++] = (double) calendar_elapsed(p.at[k], p.at[k - 1]) / p.quantity[k - 1];
	if (n == 0)
		PG_RETURN_NULL();
	stats_percentiles_cont(per_unit, n, (const double[]) {0.5}, 1, &median);
	/* a gap over a tiny quantity can pass what an interval holds */
	if (!(median < (double) PG_INT64_MAX))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("cycle per unit out of range"),
				 errdetail("A gap divided by the quantity bought at its start passes what an interval holds.")));
	PG_RETURN_INTERVAL_P(calendar_interval((int64) rint(median)));
}

/*
 * Coefficient of variation of the gaps: their sample standard deviation over their mean
 * (stddev_samp / avg); 0 for a perfectly regular customer, NULL with fewer than two gaps.
 */
Datum
item_history_regularity(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	IhPurchases p;
	int32		ngaps;
	double		mean = 0;
	double		ss = 0;

	RETURN_NULL_UNLESS_LINES(ih, 3);
	purchases_of(ih, &p);
	ngaps = p.n - 1;
	if (ngaps < 2)
		PG_RETURN_NULL();
	for (int32 k = 1; k < p.n; k++)
		mean += (double) calendar_elapsed(p.at[k], p.at[k - 1]) / USECS_PER_SEC;
	mean /= ngaps;
	for (int32 k = 1; k < p.n; k++)
	{
		double		d = (double) calendar_elapsed(p.at[k], p.at[k - 1]) / USECS_PER_SEC - mean;

		ss += d * d;
	}
	PG_RETURN_FLOAT8(sqrt(ss / (ngaps - 1)) / mean);
}

Datum
item_history_last_purchase(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);

	if (ih->norders == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(IH_TIMES(ih)[ih->norders - 1]);
}

/* The last purchase plus the cycle, in absolute time; false without a cycle or past the range. */
static bool
next_due_of(const ItemHistory *ih, int32 nlines, TimestampTz *due)
{
	IhPurchases p;
	int64		cycle;

	ih_purchases(ih, nlines, &p);
	if (!cycle_usec(&p, &cycle))
		return false;
	if (pg_add_s64_overflow(p.at[p.n - 1], cycle, due) || !IS_VALID_TIMESTAMP(*due))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("next due date out of range")));
	return true;
}

Datum
item_history_next_due(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	TimestampTz due;

	RETURN_NULL_UNLESS_LINES(ih, 2);
	if (!next_due_of(ih, ih->norders, &due))
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(due);
}

/*
 * is_due(i, as_of [, tolerance]): from the purchases at or before as_of, the next due date is
 * at or before as_of + tolerance.  NULL without a cycle as of that date.
 */
Datum
item_history_is_due(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz horizon;
	TimestampTz due;

	calendar_check_as_of(as_of);
	horizon = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
													  TimestampTzGetDatum(as_of),
													  PG_GETARG_DATUM(2)));
	if (!next_due_of(ih, ph_count_before(ih, as_of, true), &due))
		PG_RETURN_NULL();
	PG_RETURN_BOOL(due <= horizon);
}

/* ---------------------------------------------------------------------------------------------
 * Incremental sales
 * ---------------------------------------------------------------------------------------------
 */

/* Units per purchase: the least-squares slope of quantity over the purchases in order. */
Datum
item_history_quantity_slope(PG_FUNCTION_ARGS)
{
	ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(0);
	IhPurchases p;

	RETURN_NULL_UNLESS_LINES(ih, 2);
	purchases_of(ih, &p);
	if (p.n < 2)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(stats_slope_indexed(p.quantity, p.n));
}

/*
 * Growth: each of the last min_purchases purchases buys more than the one before it.  A
 * stockpiler's spikes fall back or stay level, so they never pass; coupons do not matter here
 * (a grower may use one): stockpiling() is the test that reads them.
 */
Datum
item_history_is_incremental(PG_FUNCTION_ARGS)
{
	ItemHistory *ih;
	IhPurchases p;
	int32		min_purchases = PG_GETARG_INT32(1);

	if (min_purchases < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_purchases must be at least 2, not %d", min_purchases)));
	ih = PG_GETARG_ITEM_HISTORY_P(0);
	if (ih->norders < min_purchases)
		PG_RETURN_BOOL(false);
	purchases_of(ih, &p);
	if (p.n < min_purchases)
		PG_RETURN_BOOL(false);
	for (int32 k = p.n - min_purchases + 1; k < p.n; k++)
		if (!(p.quantity[k] > p.quantity[k - 1]))
			PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(true);
}

static int
cmp_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/*
 * Hoarding: at least two promoted purchases (with a coupon, or inside one of the promotions)
 * are spikes followed by a long gap, and they are at least half of the promoted purchases.
 * A spike buys at least twice the median quantity of the unpromoted purchases (any promoted
 * purchase is one when every purchase is promoted); the gap after it is longer than the usual
 * cycle, the median gap after unpromoted purchases (any gap is, when no unpromoted purchase is
 * followed by another).  Growth is not hoarding: quantities that rise at every purchase are
 * never stockpiling.
 */
Datum
item_history_stockpiling(PG_FUNCTION_ARGS)
{
	IhPurchases p;
	bool	   *promoted;
	double	   *plain_q;
	int64	   *plain_gaps;
	int32		nplain = 0,
				nplain_gaps = 0,
				npromoted = 0,
				nhoards = 0;
	double		base_q = 0;
	int64		usual = -1;
	MultirangeType *promotions = PG_ARGISNULL(1) ? NULL : PG_GETARG_MULTIRANGE_P(1);
	TypeCacheEntry *rangetyp = NULL;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	purchases_of(PG_GETARG_ITEM_HISTORY_P(0), &p);
	if (promotions != NULL)
		rangetyp = multirange_get_typcache(fcinfo, MultirangeTypeGetOid(promotions))->rngtype;
	promoted = palloc(sizeof(bool) * Max(p.n, 1));
	plain_q = palloc(sizeof(double) * Max(p.n, 1));
	plain_gaps = palloc(sizeof(int64) * Max(p.n, 1));
	for (int32 k = 0; k < p.n; k++)
	{
		promoted[k] = p.coupon[k] ||
			(promotions != NULL &&
			 multirange_contains_elem_internal(rangetyp, promotions,
											   TimestampTzGetDatum(p.at[k])));
		if (promoted[k])
			npromoted++;
		else
		{
			plain_q[nplain++] = p.quantity[k];
			if (k + 1 < p.n)
				plain_gaps[nplain_gaps++] = calendar_elapsed(p.at[k + 1], p.at[k]);
		}
	}
	if (nplain > 0)
	{
		qsort(plain_q, nplain, sizeof(double), cmp_double);
		base_q = stats_percentile_cont_sorted(plain_q, nplain, 0.5);
	}
	if (nplain_gaps > 0)
		usual = stats_median_int64(plain_gaps, nplain_gaps);
	for (int32 k = 0; k + 1 < p.n; k++)
	{
		if (!promoted[k])
			continue;
		if (nplain > 0 && !(p.quantity[k] >= 2 * base_q && p.quantity[k] > 0))
			continue;
		if (calendar_elapsed(p.at[k + 1], p.at[k]) > usual)
			nhoards++;
	}
	if (nhoards < 2 || 2 * nhoards < npromoted)
		PG_RETURN_BOOL(false);
	/* growth is not hoarding: quantities that rise at every purchase are never stockpiling */
	for (int32 k = 1; k < p.n; k++)
		if (!(p.quantity[k] > p.quantity[k - 1]))
			PG_RETURN_BOOL(true);
	PG_RETURN_BOOL(false);
}
