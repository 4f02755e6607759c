/*
 * btyd_summary.c
 *	  The per-customer summary the customer-base models read, from a purchase history:
 *	  btyd_summary(h, as_of, unit) -> (x, t_x, T, monetary) and the calibration / holdout split
 *	  holdout(h, calibration_end, holdout_end, unit).
 *
 * Purchases are calendar days in the session TimeZone (calendar.c): several orders on one day
 * are one purchase of the day's total.  x = purchase days - 1; t_x = first to last purchase day
 * and T = first purchase day to the day of as_of, in units of `unit`; monetary = the mean value
 * of the repeat purchase days (the first day left out), NULL when x = 0.  Only orders at or
 * before as_of count; a customer without any has no summary (NULL).  Both functions follow the
 * session TimeZone, so they are STABLE.  The unit's length in days is the core's
 * (btyd.c), which the lifetime value shares.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "btyd.h"
#include "calendar.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(btyd_summary);
PG_FUNCTION_INFO_V1(btyd_holdout);

/* A purchase day: its calendar day and total. */
typedef struct PurchaseDay
{
	DateADT		day;
	float8		amount;
} PurchaseDay;

/* One order's day, for sorting the rare histories whose days do not ascend. */
typedef struct OrderDay
{
	DateADT		day;
	int32		index;
} OrderDay;

static int
order_day_cmp(const void *pa, const void *pb)
{
	const OrderDay *a = pa;
	const OrderDay *b = pb;

	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	return a->index < b->index ? -1 : (a->index > b->index);
}

/*
 * The purchase days of orders [from, to) of ph, ascending, each with the exact sum of its
 * orders (amount.c); returns how many.  out has room for to - from days.
 */
static int32
purchase_days(const PurchaseHistory *ph, int32 from, int32 to, PurchaseDay *out)
{
	int32		n = to - from;
	DateADT    *days;
	float8	   *amounts;
	int32		ndays = 0;

	if (n <= 0)
		return 0;
	days = palloc(sizeof(DateADT) * n);
	amounts = palloc(sizeof(float8) * n);
	memcpy(amounts, PH_AMOUNTS(ph) + from, sizeof(float8) * n);
	if (!calendar_local_days(PH_TIMES(ph) + from, n, days))
	{
		/* a zone's backward jump at midnight: a day can come back, sort the orders by day */
		OrderDay   *order = palloc(sizeof(OrderDay) * n);

		for (int32 i = 0; i < n; i++)
		{
			order[i].day = days[i];
			order[i].index = i;
		}
		qsort(order, n, sizeof(OrderDay), order_day_cmp);
		for (int32 i = 0; i < n; i++)
		{
			days[i] = order[i].day;
			amounts[i] = PH_AMOUNTS(ph)[from + order[i].index];
		}
		pfree(order);
	}
	for (int32 start = 0, end; start < n; start = end)
	{
		for (end = start + 1; end < n && days[end] == days[start]; end++)
			;
		out[ndays].day = days[start];
		out[ndays].amount = end - start == 1 ? amounts[start] : amount_sum(amounts + start, end - start);
		ndays++;
		if ((ndays & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	pfree(days);
	pfree(amounts);
	return ndays;
}

/* The calibration summary of purchase days days[0..ndays) (ndays >= 1) as of the day as_of. */
static void
summary_values(const PurchaseDay *days, int32 ndays, DateADT as_of, float8 unit, Datum *values,
			   bool *nulls)
{
	int32		x = ndays - 1;

	values[0] = Int32GetDatum(x);
	values[1] = Float8GetDatum((float8) (days[ndays - 1].day - days[0].day) / unit);
	values[2] = Float8GetDatum((float8) (as_of - days[0].day) / unit);
	nulls[0] = nulls[1] = nulls[2] = false;
	nulls[3] = x == 0;
	if (x > 0)
	{
		float8	   *repeat = palloc(sizeof(float8) * x);

		for (int32 i = 0; i < x; i++)
			repeat[i] = days[i + 1].amount;
		values[3] = Float8GetDatum(amount_mean(repeat, x));
		pfree(repeat);
	}
}

/* The result's descriptor, built once per call site. */
static TupleDesc
result_desc(FunctionCallInfo fcinfo)
{
	TupleDesc	desc = fcinfo->flinfo->fn_extra;

	if (desc == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		desc = CreateTupleDescCopy(summary_result_desc(fcinfo));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = desc;
	}
	return desc;
}

/* btyd_summary(h, as_of, unit) -> (x, t_x, T, monetary); NULL without an order by as_of. */
Datum
btyd_summary(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	float8		unit = btyd_unit_days(PG_GETARG_INTERVAL_P(2), "unit");
	TupleDesc	desc = result_desc(fcinfo);
	Datum		values[4];
	bool		nulls[4];
	int32		n;
	PurchaseDay *days;
	int32		ndays;

	calendar_check_as_of(as_of);
	n = ph_count_before(ph, as_of, true);
	if (n == 0)
		PG_RETURN_NULL();
	days = palloc(sizeof(PurchaseDay) * n);
	ndays = purchase_days(ph, 0, n, days);
	summary_values(days, ndays, calendar_local_day(as_of), unit, values, nulls);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

/*
 * holdout(h, calibration_end, holdout_end, unit) -> the calibration summary as of
 * calibration_end, t_holdout (the holdout's length in units, calibration_end's day to
 * holdout_end's), x_holdout (purchase days of the orders in (calibration_end, holdout_end] that
 * are not already a calibration purchase day) and spend_holdout (their total).  NULL for a
 * customer whose first order comes after calibration_end.
 */
Datum
btyd_holdout(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz calibration_end = PG_GETARG_TIMESTAMPTZ(1);
	TimestampTz holdout_end = PG_GETARG_TIMESTAMPTZ(2);
	float8		unit = btyd_unit_days(PG_GETARG_INTERVAL_P(3), "unit");
	TupleDesc	desc = result_desc(fcinfo);
	Datum		values[7];
	bool		nulls[7];
	int32		n,
				end;
	PurchaseDay *days;
	int32		ndays,
				nholdout;
	DateADT		calibration_day;

	calendar_check_as_of(calibration_end);
	calendar_check_as_of(holdout_end);
	if (holdout_end < calibration_end)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("holdout_end must not be before calibration_end")));
	n = ph_count_before(ph, calibration_end, true);
	if (n == 0)
		PG_RETURN_NULL();
	end = ph_count_before(ph, holdout_end, true);
	days = palloc(sizeof(PurchaseDay) * Max(n, end - n));
	ndays = purchase_days(ph, 0, n, days);
	calibration_day = calendar_local_day(calibration_end);
	summary_values(days, ndays, calibration_day, unit, values, nulls);
	values[4] = Float8GetDatum((float8) (calendar_local_day(holdout_end) - calibration_day) / unit);
	nulls[4] = false;

	{
		DateADT		last_calibration_day = days[ndays - 1].day;
		float8		spend = 0.0;
		int32		x_holdout = 0;

		if (end > n)
		{
			const float8 *amounts = PH_AMOUNTS(ph);

			nholdout = purchase_days(ph, n, end, days);
			for (int32 i = 0; i < nholdout; i++)
				x_holdout += days[i].day != last_calibration_day;
			spend = amount_sum(amounts + n, end - n);
		}
		values[5] = Int32GetDatum(x_holdout);
		values[6] = Float8GetDatum(spend);
		nulls[5] = nulls[6] = false;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}
