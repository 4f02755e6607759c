/*
 * purchase_history_accessors.c
 *	  The SQL functions that read a purchase history: point-in-time slices (as_of, during), the
 *	  accessors (recency, frequency, monetary value, tenure, inter-purchase intervals, coupons),
 *	  rfm and the orders themselves.
 *
 * Which parameter belongs where: the aggregate takes only the orders; every "as of" date is an
 * accessor argument, so one stored summary answers for any date.  Accessors without an as-of
 * argument read the whole summary: compose them with as_of(h, t) or during(h, range).
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "amount.h"
#include "calendar.h"
#include "purchase_history.h"
#include "stats.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(purchase_history_as_of);
PG_FUNCTION_INFO_V1(purchase_history_during);
PG_FUNCTION_INFO_V1(purchase_history_order_count);
PG_FUNCTION_INFO_V1(purchase_history_purchase_days);
PG_FUNCTION_INFO_V1(purchase_history_total_spend);
PG_FUNCTION_INFO_V1(purchase_history_avg_order_value);
PG_FUNCTION_INFO_V1(purchase_history_max_order_value);
PG_FUNCTION_INFO_V1(purchase_history_first_purchase);
PG_FUNCTION_INFO_V1(purchase_history_last_purchase);
PG_FUNCTION_INFO_V1(purchase_history_recency);
PG_FUNCTION_INFO_V1(purchase_history_recency_days);
PG_FUNCTION_INFO_V1(purchase_history_tenure);
PG_FUNCTION_INFO_V1(purchase_history_interpurchase_median);
PG_FUNCTION_INFO_V1(purchase_history_interpurchase_mean);
PG_FUNCTION_INFO_V1(purchase_history_coupon_total);
PG_FUNCTION_INFO_V1(purchase_history_coupon_orders);
PG_FUNCTION_INFO_V1(purchase_history_rfm);
PG_FUNCTION_INFO_V1(purchase_history_orders);

/* ---------------------------------------------------------------------------------------------
 * Slicing by time
 * ---------------------------------------------------------------------------------------------
 */

/* as_of(h, t): the orders at or before t; nothing from the future. */
Datum
purchase_history_as_of(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz t = PG_GETARG_TIMESTAMPTZ(1);
	int32		n = ph_count_before(ph, t, true);

	if (n == ph->norders)
		PG_RETURN_PURCHASE_HISTORY_P(ph);
	PG_RETURN_PURCHASE_HISTORY_P(ph_slice(ph, 0, n));
}

/* during(h, range): the orders inside a tstzrange, honouring its bounds ("the last 90 days"). */
Datum
purchase_history_during(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int32		from,
				to;

	ph_range_indices(ph, PG_GETARG_RANGE_P(1), &from, &to);
	PG_RETURN_PURCHASE_HISTORY_P(ph_slice(ph, from, to));
}

/* ---------------------------------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------------------------------
 */

Datum
purchase_history_order_count(PG_FUNCTION_ARGS)
{
	/* the count is in the header: read only that much of a large, toasted summary */
	PG_RETURN_INT32(ph_stored_count(PG_GETARG_DATUM(0)));
}

/* Distinct calendar days with an order, in the session TimeZone. */
Datum
purchase_history_purchase_days(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_INT32(calendar_count_days(PH_TIMES(ph), ph->norders));
}

Datum
purchase_history_total_spend(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_FLOAT8(amount_sum(PH_AMOUNTS(ph), ph->norders));
}

Datum
purchase_history_avg_order_value(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	if (ph->norders == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(amount_mean(PH_AMOUNTS(ph), ph->norders));
}

Datum
purchase_history_max_order_value(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	float8	   *amounts = PH_AMOUNTS(ph);
	float8		max;

	if (ph->norders == 0)
		PG_RETURN_NULL();
	max = amounts[0];
	for (int32 i = 1; i < ph->norders; i++)
		if (amounts[i] > max)
			max = amounts[i];
	PG_RETURN_FLOAT8(max);
}

Datum
purchase_history_first_purchase(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	if (ph->norders == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(PH_TIMES(ph)[0]);
}

Datum
purchase_history_last_purchase(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	if (ph->norders == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(PH_TIMES(ph)[ph->norders - 1]);
}

/* How many orders are at or before as_of, which must be a real moment. */
static int32
orders_up_to(const PurchaseHistory *ph, TimestampTz as_of)
{
	calendar_check_as_of(as_of);
	return ph_count_before(ph, as_of, true);
}

/*
 * recency(h, as_of) = as_of - the last order at or before as_of; tenure(h, as_of) = as_of -
 * the first order.  NULL when no order is at or before as_of.
 */
static Datum
elapsed_since(FunctionCallInfo fcinfo, bool since_first)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	int32		n;

	n = orders_up_to(ph, as_of);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_INTERVAL_P(calendar_interval(calendar_elapsed(as_of,
															PH_TIMES(ph)[since_first ? 0 : n - 1])));
}

Datum
purchase_history_recency(PG_FUNCTION_ARGS)
{
	return elapsed_since(fcinfo, false);
}

Datum
purchase_history_tenure(PG_FUNCTION_ARGS)
{
	return elapsed_since(fcinfo, true);
}

/* The gaps of a large summary take a while to sort: a sort that answers a cancel. */
#define ST_SORT sort_gaps
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * Inter-purchase intervals are the gaps between consecutive orders (two orders on one day give
 * a short gap; purchase_days counts days).  NULL with fewer than two orders.
 */
Datum
purchase_history_interpurchase_median(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	int32		ngaps = ph->norders - 1;
	int64		local[64];
	int64	   *gaps = local;
	int64		median;

	if (ph->norders < 2)
		PG_RETURN_NULL();
	/* most customers: a few gaps on the stack, sorted by stats.c without a palloc */
	if (ngaps <= lengthof(local))
	{
		for (int32 i = 1; i < ph->norders; i++)
			local[i - 1] = calendar_elapsed(times[i], times[i - 1]);
		PG_RETURN_INTERVAL_P(calendar_interval(stats_median_int64(local, ngaps)));
	}
	gaps = palloc(sizeof(int64) * ngaps);
	for (int32 i = 1; i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		gaps[i - 1] = calendar_elapsed(times[i], times[i - 1]);
	}
	sort_gaps(gaps, ngaps);
	median = stats_median_sorted_int64(gaps, ngaps);
	pfree(gaps);
	PG_RETURN_INTERVAL_P(calendar_interval(median));
}

/* The mean gap telescopes to (last - first) / (n - 1), rounded to the microsecond. */
Datum
purchase_history_interpurchase_mean(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	int64		span;

	if (ph->norders < 2)
		PG_RETURN_NULL();
	span = calendar_elapsed(times[ph->norders - 1], times[0]);
	PG_RETURN_INTERVAL_P(calendar_interval((int64) rint((double) span / (ph->norders - 1))));
}

Datum
purchase_history_coupon_total(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	if (!PH_HAS_COUPONS(ph))
		PG_RETURN_FLOAT8(0.0);
	PG_RETURN_FLOAT8(amount_sum(PH_COUPONS(ph), ph->norders));
}

Datum
purchase_history_coupon_orders(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int32		count = 0;

	if (PH_HAS_COUPONS(ph))
		for (int32 i = 0; i < ph->norders; i++)
			if (PH_COUPONS(ph)[i] > 0)
				count++;
	PG_RETURN_INT32(count);
}

/*
 * Days (fractional) from the last order at or before as_of to as_of, from the n orders at or
 * before it (n > 0): a number, so that "recency_days(h, t) > 90" reads as it should.
 */
static float8
recency_days(const PurchaseHistory *ph, int32 n, TimestampTz as_of)
{
	return (double) calendar_elapsed(as_of, PH_TIMES(ph)[n - 1]) / USECS_PER_DAY;
}

Datum
purchase_history_recency_days(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	int32		n;

	n = orders_up_to(ph, as_of);
	if (n == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(recency_days(ph, n, as_of));
}

/*
 * rfm(h, as_of) -> (recency_days, frequency, monetary): recency_days(h, as_of), the number of
 * orders at or before as_of, and their total amount.
 */
Datum
purchase_history_rfm(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	int32		n;

	tupdesc = summary_result_desc(fcinfo);

	n = orders_up_to(ph, as_of);
	if (n == 0)
		nulls[0] = true;
	else
		values[0] = Float8GetDatum(recency_days(ph, n, as_of));
	values[1] = Int32GetDatum(n);
	values[2] = Float8GetDatum(amount_sum(PH_AMOUNTS(ph), n));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* orders(h): the orders, one row each, in time order. */
Datum
purchase_history_orders(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < ph->norders; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		values[0] = TimestampTzGetDatum(times[i]);
		values[1] = Float8GetDatum(amounts[i]);
		values[2] = Float8GetDatum(PH_COUPON(ph, i));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
