/*
 * coupon_trend.c
 *	  coupon_trend(h, step [, from, to]) -> (period_start, orders, coupon_orders, spend,
 *	  coupon_amount, intensity, cumulative_intensity): a customer's use of coupons period by
 *	  period, and cumulated from the first period shown, so that a customer who buys only when a
 *	  coupon arrives stands out.
 *
 * The periods are [from + k * step, from + (k + 1) * step), k = 0, 1, ..., every one that starts
 * at or before `to`; each counts all its orders.  Multiples of the step from the start, as
 * stage_timeline does, so month ends stay month ends.  `from` defaults to the first order
 * truncated to the step's unit (the month for a step of months, the ISO week for a multiple of 7
 * days, the day for days, the hour otherwise), so that '1 month' periods are date_trunc('month')
 * periods in the session TimeZone; `to` defaults to the last order.  Empty periods are rows too
 * (0 orders, NULL intensity): a trend has no holes.
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "coupons.h"
#include "purchase_history.h"

PG_FUNCTION_INFO_V1(coupons_trend);

static void
check_step(Interval *step)
{
	Interval	zero = {0};

	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(step),
										  IntervalPGetDatum(&zero))) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("step must be a positive interval, not \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(step))))));
}

/* The unit date_trunc aligns a default start to. */
static const char *
step_unit(const Interval *step)
{
	if (step->month != 0)
		return "month";
	if (step->day != 0)
		return step->time == 0 && step->day % 7 == 0 ? "week" : "day";
	return "hour";
}

static TimestampTz
period_start(TimestampTz from, Interval *step, int64 k)
{
	Datum		offset = DirectFunctionCall2(interval_mul, IntervalPGetDatum(step),
											 Float8GetDatum((float8) k));

	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval,
												   TimestampTzGetDatum(from), offset));
}

/* Σ values[from, to), exact; 0 for none (an empty slice or no coupon column). */
static float8
slice_sum(const float8 *values, int32 from, int32 to)
{
	return values == NULL || to <= from ? 0.0 : amount_sum(values + from, to - from);
}

Datum
coupons_trend(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	PurchaseHistory *ph;
	Interval   *step;
	TimestampTz from,
				to;
	const int64 *times;
	const float8 *amounts,
			   *coupons;
	int32		first;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		return (Datum) 0;
	ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	step = PG_GETARG_INTERVAL_P(1);
	check_step(step);
	if (!PG_ARGISNULL(2))
		calendar_check_as_of(PG_GETARG_TIMESTAMPTZ(2));
	if (!PG_ARGISNULL(3))
		calendar_check_as_of(PG_GETARG_TIMESTAMPTZ(3));
	times = PH_TIMES(ph);
	amounts = PH_AMOUNTS(ph);
	coupons = PH_COUPONS(ph);
	if (PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (ph->norders == 0)
			return (Datum) 0;
	}
	from = !PG_ARGISNULL(2) ? PG_GETARG_TIMESTAMPTZ(2) :
		DatumGetTimestampTz(DirectFunctionCall2(timestamptz_trunc,
												CStringGetTextDatum(step_unit(step)),
												TimestampTzGetDatum(times[0])));
	to = !PG_ARGISNULL(3) ? PG_GETARG_TIMESTAMPTZ(3) : times[ph->norders - 1];

	first = calendar_count_before(times, ph->norders, from, false);
	for (int64 k = 0;; k++)
	{
		TimestampTz start = period_start(from, step, k);
		TimestampTz end;
		int32		lo,
					hi;
		float8		spend,
					coupon,
					cumulative_spend;
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};

		if (start > to)
			break;
		end = period_start(from, step, k + 1);
		lo = calendar_count_before(times, ph->norders, start, false);
		hi = calendar_count_before(times, ph->norders, end, false);
		spend = slice_sum(amounts, lo, hi);
		coupon = slice_sum(coupons, lo, hi);
		cumulative_spend = slice_sum(amounts, first, hi);
		values[0] = TimestampTzGetDatum(start);
		values[1] = Int32GetDatum(hi - lo);
		values[2] = Int32GetDatum(coupons_orders_with_coupon(ph, lo, hi));
		values[3] = Float8GetDatum(spend);
		values[4] = Float8GetDatum(coupon);
		if (spend != 0)
			values[5] = Float8GetDatum(coupon / spend);
		else
			nulls[5] = true;
		if (cumulative_spend != 0)
			values[6] = Float8GetDatum(slice_sum(coupons, first, hi) / cumulative_spend);
		else
			nulls[6] = true;
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
