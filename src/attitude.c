/*
 * attitude.c
 *	  attitude(h, as_of [, policy [, promotions]]): the customer's attitude to the brand as of a
 *	  time, and attitude_policy(...), its checked policy.
 *
 * The rule (docs/coupons.md has it with examples), from the orders at or before as_of:
 *	  regular     at least min_purchase_days purchase days (calendar days, session TimeZone) in
 *	              the window (as_of - within, as_of], and the last purchase no longer ago than
 *	              lapse_factor times the customer's own mean gap between purchase days (the
 *	              first to the last purchase up to as_of, over purchase days - 1);
 *	  discounted  the share of the window's orders with a coupon, or inside a promotion period
 *	              when promotions are given;
 *	  positive    regular, and discounted < uncertain_min: buys regularly, mostly at full price;
 *	  uncertain   regular, and discounted >= uncertain_min: keeps buying, mostly on discount;
 *	  neutral     not regular: few or irregular purchases, bought when the need arose.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "executor/executor.h"
#include "funcapi.h"
#include "pgtime.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "calendar.h"
#include "coupons.h"
#include "labels.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(attitude_policy_make);
PG_FUNCTION_INFO_V1(attitude_of);

typedef enum Attitude
{
	ATTITUDE_POSITIVE,
	ATTITUDE_UNCERTAIN,
	ATTITUDE_NEUTRAL
} Attitude;

static const char *const attitude_labels[] = {"positive", "uncertain", "neutral"};

/* profiling.attitude_policy, checked. */
typedef struct AttitudePolicy
{
	Interval	within;
	int32		min_purchase_days;
	float8		lapse_factor;
	float8		uncertain_min;
} AttitudePolicy;

#define POLICY_WITHIN				1
#define POLICY_MIN_PURCHASE_DAYS	2
#define POLICY_LAPSE_FACTOR			3
#define POLICY_UNCERTAIN_MIN		4
#define POLICY_ATTRIBUTES			4

static const char *const policy_names[POLICY_ATTRIBUTES] = {
	"within", "min_purchase_days", "lapse_factor", "uncertain_min"
};

static Datum
policy_attribute(const Datum *values, const bool *isnull, int number)
{
	if (isnull[number - 1])
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s of an attitude policy must not be NULL", policy_names[number - 1])));
	return values[number - 1];
}

static void
policy_read(HeapTupleHeader tuple, AttitudePolicy *out)
{
	Interval	zero = {0};
	TupleDesc	desc;
	HeapTupleData row;
	Datum		values[POLICY_ATTRIBUTES];
	bool		isnull[POLICY_ATTRIBUTES];

	if (HeapTupleHeaderGetNatts(tuple) != POLICY_ATTRIBUTES)
		elog(ERROR, "an attitude_policy has %d attributes", POLICY_ATTRIBUTES);
	/* one look-up of the row type and one pass over the row, not one per attribute */
	desc = lookup_rowtype_tupdesc(HeapTupleHeaderGetTypeId(tuple), HeapTupleHeaderGetTypMod(tuple));
	row.t_len = HeapTupleHeaderGetDatumLength(tuple);
	ItemPointerSetInvalid(&row.t_self);
	row.t_tableOid = InvalidOid;
	row.t_data = tuple;
	heap_deform_tuple(&row, desc, values, isnull);
	ReleaseTupleDesc(desc);
	out->within = *DatumGetIntervalP(policy_attribute(values, isnull, POLICY_WITHIN));
	out->min_purchase_days = DatumGetInt32(policy_attribute(values, isnull, POLICY_MIN_PURCHASE_DAYS));
	out->lapse_factor = DatumGetFloat8(policy_attribute(values, isnull, POLICY_LAPSE_FACTOR));
	out->uncertain_min = DatumGetFloat8(policy_attribute(values, isnull, POLICY_UNCERTAIN_MIN));
	if (DatumGetInt32(DirectFunctionCall2(interval_cmp, IntervalPGetDatum(&out->within),
										  IntervalPGetDatum(&zero))) <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must be a positive interval, not \"%s\"",
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(&out->within))))));
	if (out->min_purchase_days < 2)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_purchase_days must be at least 2, not %d", out->min_purchase_days),
				 errdetail("Regular buying needs a gap between two purchase days.")));
	if (!(out->lapse_factor > 0) || isinf(out->lapse_factor))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("lapse_factor must be a finite number greater than 0, not %g", out->lapse_factor)));
	if (!(out->uncertain_min >= 0 && out->uncertain_min <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("uncertain_min must be between 0 and 1, not %g", out->uncertain_min)));
}

Datum
attitude_policy_make(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[POLICY_ATTRIBUTES];
	bool		isnull[POLICY_ATTRIBUTES];
	HeapTuple	tuple;
	AttitudePolicy policy;

	desc = summary_result_desc(fcinfo);
	for (int i = 0; i < POLICY_ATTRIBUTES; i++)
	{
		values[i] = PG_GETARG_DATUM(i);
		isnull[i] = PG_ARGISNULL(i);
	}
	tuple = heap_form_tuple(desc, values, isnull);
	/* the same checks as attitude() makes, made now */
	policy_read(tuple->t_data, &policy);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

/*
 * What attitude() keeps per call site, where as_of, the policy and the promotions are usually
 * the same for every customer: the labels, the policy read and checked, the start of the window
 * (as_of - within, in the session TimeZone, which the window's months and days follow), the
 * promotion periods read.
 */
typedef struct AttitudeCache
{
	Oid			labels[lengthof(attitude_labels)];
	Size		policy_size;	/* the policy datum last read, and its copy */
	char	   *policy_bytes;
	AttitudePolicy policy;
	bool		window_known;	/* window_start is as_of - within for this as_of and zone */
	TimestampTz as_of;
	pg_tz	   *zone;
	TimestampTz window_start;
	CouponsPromotions *promotions;
} AttitudeCache;

static AttitudeCache *
attitude_cache(FunctionCallInfo fcinfo, HeapTupleHeader policy, TimestampTz as_of)
{
	AttitudeCache *cache = fcinfo->flinfo->fn_extra;
	Size		size = HeapTupleHeaderGetDatumLength(policy);

	if (cache == NULL)
	{
		cache = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(AttitudeCache));
		labels_lookup(coupons_result_type(fcinfo), attitude_labels, lengthof(attitude_labels),
					  cache->labels);
		fcinfo->flinfo->fn_extra = cache;
	}
	if (cache->policy_bytes == NULL || cache->policy_size != size ||
		memcmp(cache->policy_bytes, policy, size) != 0)
	{
		AttitudePolicy read;

		policy_read(policy, &read);
		if (cache->policy_bytes != NULL)
			pfree(cache->policy_bytes);
		cache->policy_bytes = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, size);
		memcpy(cache->policy_bytes, policy, size);
		cache->policy_size = size;
		cache->policy = read;
		cache->window_known = false;
	}
	if (!cache->window_known || cache->as_of != as_of || cache->zone != session_timezone)
	{
		cache->window_start = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
																	  TimestampTzGetDatum(as_of),
																	  IntervalPGetDatum(&cache->policy.within)));
		cache->as_of = as_of;
		cache->zone = session_timezone;
		cache->window_known = true;
	}
	return cache;
}

/*
 * Purchase days (calendar days, session TimeZone) of times[0, n), into *all, and of its last
 * n - start times, into *window: one conversion to days for both.
 */
static void
count_purchase_days(const int64 *times, int32 n, int32 start, int32 *all, int32 *window)
{
	DateADT    *days = palloc(sizeof(DateADT) * Max(n, 1));

	if (n > 0 && calendar_local_days(times, n, days))
	{
		*all = 1;
		*window = n > start ? 1 : 0;
		for (int32 i = 1; i < n; i++)
			if (days[i] != days[i - 1])
			{
				(*all)++;
				*window += i > start;
			}
	}
	else
	{
		/* none, or local days out of order across a backward jump at midnight */
		*all = calendar_count_days(times, n);
		*window = calendar_count_days(times + start, n - start);
	}
	pfree(days);
}

/*
 * attitude(h, as_of, policy, promotions): NULL when h, as_of or policy is NULL; promotions NULL
 * means coupons alone mark a discounted order.
 */
Datum
attitude_of(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph;
	TimestampTz as_of;
	AttitudeCache *cache;
	const CouponsPromotions *periods = NULL;
	const int64 *times;
	int32		n,
				start,
				days,
				window_days,
				discounted;
	int64		mean_gap;
	Attitude	attitude;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_NULL();
	as_of = PG_GETARG_TIMESTAMPTZ(1);
	calendar_check_as_of(as_of);
	cache = attitude_cache(fcinfo, PG_GETARG_HEAPTUPLEHEADER(2), as_of);
	if (!PG_ARGISNULL(3))
		periods = coupons_read_promotions(PG_GETARG_MULTIRANGE_P(3), &cache->promotions,
										  fcinfo->flinfo->fn_mcxt);
	ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	times = PH_TIMES(ph);
	n = ph_count_before(ph, as_of, true);
	start = ph_count_before(ph, cache->window_start, true);
	if (n - start < cache->policy.min_purchase_days)
		PG_RETURN_OID(cache->labels[ATTITUDE_NEUTRAL]);

	/* purchase days in the window, and over the whole history up to as_of */
	count_purchase_days(times, n, start, &days, &window_days);
	if (window_days < cache->policy.min_purchase_days)
		PG_RETURN_OID(cache->labels[ATTITUDE_NEUTRAL]);
	mean_gap = calendar_elapsed(times[n - 1], times[0]) / (days - 1);
	if ((float8) calendar_elapsed(as_of, times[n - 1]) > cache->policy.lapse_factor * (float8) mean_gap)
		PG_RETURN_OID(cache->labels[ATTITUDE_NEUTRAL]);

	/* the discounted orders of the window */
	if (periods == NULL)
		discounted = coupons_orders_with_coupon(ph, start, n);
	else
	{
		bool	   *in = palloc(sizeof(bool) * (n - start));

		coupons_mark_promotions(ph, start, n, periods, in);
		discounted = 0;
		for (int32 i = start; i < n; i++)
			discounted += in[i - start] || PH_COUPON(ph, i) > 0;
		pfree(in);
	}
	attitude = (float8) discounted / (n - start) >= cache->policy.uncertain_min ?
		ATTITUDE_UNCERTAIN : ATTITUDE_POSITIVE;
	PG_RETURN_OID(cache->labels[attitude]);
}
