/*
 * coupons.c
 *	  Coupon dependence of one customer (coupons.h): coupon_intensity, coupon_order_rate,
 *	  full_price_orders, the class coupon_dependence(h, occasional_max, dependent_min) and
 *	  promotion_share(h, promotions); and the two helpers the trend and the attitude share.
 *
 * Amounts are read as recorded: intensity is Σ coupon / Σ amount, whatever the amount means
 * (docs/coupons.md says what to pass when amounts are net of the coupon).  Sums are exact
 * (amount.c), so every metric agrees with the plain SQL over numeric columns.
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"
#include "utils/typcache.h"

#include "amount.h"
#include "calendar.h"
#include "coupons.h"
#include "labels.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(coupons_intensity);
PG_FUNCTION_INFO_V1(coupons_order_rate);
PG_FUNCTION_INFO_V1(coupons_full_price_orders);
PG_FUNCTION_INFO_V1(coupons_dependence);
PG_FUNCTION_INFO_V1(coupons_promotion_share);

/* profiling.coupon_dependence, in the enum's order. */
typedef enum CouponDependence
{
	DEPENDENCE_NONE,
	DEPENDENCE_OCCASIONAL,
	DEPENDENCE_DEPENDENT,
	DEPENDENCE_COUPON_ONLY
} CouponDependence;

static const char *const dependence_labels[] = {"none", "occasional", "dependent", "coupon_only"};

/* -------------------------------------------------------------------------------------------
 * Shared with coupon_trend.c and attitude.c
 * ------------------------------------------------------------------------------------------- */

int32
coupons_orders_with_coupon(const PurchaseHistory *ph, int32 from, int32 to)
{
	const float8 *coupons = PH_COUPONS(ph);
	int32		count = 0;

	if (coupons == NULL)
		return 0;
	for (int32 i = from; i < to; i++)
		count += coupons[i] > 0;
	return count;
}

void
coupons_check_promotions(const MultirangeType *promotions)
{
	if (MultirangeIsEmpty(promotions))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("promotions must hold at least one period"),
				 errdetail("With no promotion period every share would be 0."),
				 errhint("Check the filter that built the multirange; range_agg over no rows gives NULL, not an empty multirange.")));
}

/* t + 1 (a bound that excludes t), saturating: 'infinity' excluded still excludes every time */
static inline int64
after(int64 t)
{
	return t == PG_INT64_MAX ? t : t + 1;
}

const CouponsPromotions *
coupons_read_promotions(const MultirangeType *promotions, CouponsPromotions **cache,
						MemoryContext mcxt)
{
	CouponsPromotions *p = *cache;
	Size		size = VARSIZE(promotions);
	TypeCacheEntry *typcache;

	if (p != NULL && p->size == size && memcmp(p->bytes, promotions, size) == 0)
		return p;
	coupons_check_promotions(promotions);
	typcache = lookup_type_cache(MultirangeTypeGetOid(promotions), TYPECACHE_MULTIRANGE_INFO);
	if (typcache->rngtype == NULL)
		elog(ERROR, "type %u is not a multirange", MultirangeTypeGetOid(promotions));
	if (p != NULL)
	{
		pfree(p->bytes);
		pfree(p->starts);
		pfree(p->ends);
	}
	else
		p = MemoryContextAllocZero(mcxt, sizeof(CouponsPromotions));
	p->size = size;
	p->bytes = MemoryContextAlloc(mcxt, size);
	memcpy(p->bytes, promotions, size);
	p->count = promotions->rangeCount;
	p->starts = MemoryContextAlloc(mcxt, sizeof(int64) * p->count);
	p->ends = MemoryContextAlloc(mcxt, sizeof(int64) * p->count);
	for (int32 r = 0; r < p->count; r++)
	{
		RangeBound	lower,
					upper;

		multirange_get_bounds(typcache->rngtype, promotions, r, &lower, &upper);
		p->starts[r] = lower.infinite ? PG_INT64_MIN :
			lower.inclusive ? DatumGetTimestampTz(lower.val) : after(DatumGetTimestampTz(lower.val));
		p->ends[r] = upper.infinite ? PG_INT64_MAX :
			upper.inclusive ? after(DatumGetTimestampTz(upper.val)) : DatumGetTimestampTz(upper.val);
		if ((r & 1023) == 1023)
			CHECK_FOR_INTERRUPTS();
	}
	*cache = p;
	return p;
}

/* The first period from r on that ends after t: a few steps, or a binary search for a jump. */
static inline int32
period_ending_after(const CouponsPromotions *p, int32 r, int64 t)
{
	int32		hi;

	while (r < p->count && p->ends[r] <= t)
	{
		if (p->count - r <= 8 || p->ends[r + 8] > t)
		{
			r++;
			continue;
		}
		/* ends[r + 8] <= t: the answer is in (r + 8, count] */
		r += 9;
		hi = p->count;
		while (r < hi)
		{
			int32		mid = r + (hi - r) / 2;

			if (p->ends[mid] <= t)
				r = mid + 1;
			else
				hi = mid;
		}
		break;
	}
	return r;
}

int32
coupons_mark_promotions(const PurchaseHistory *ph, int32 from, int32 to,
						const CouponsPromotions *promotions, bool *in)
{
	const int64 *times = PH_TIMES(ph);
	int32		r = 0;
	int32		marked = 0;

	for (int32 i = from; i < to; i++)
	{
		r = period_ending_after(promotions, r, times[i]);
		in[i - from] = r < promotions->count && promotions->starts[r] <= times[i];
		marked += in[i - from];
		if ((i & 65535) == 65535)
			CHECK_FOR_INTERRUPTS();
	}
	return marked;
}

/* -------------------------------------------------------------------------------------------
 * The metrics
 * ------------------------------------------------------------------------------------------- */

/* Whether any of amounts[from, to) is non-zero: amounts are >= 0, so whether their sum is. */
static bool
any_amount(const float8 *amounts, int32 from, int32 to)
{
	for (int32 i = from; i < to; i++)
		if (amounts[i] != 0)
			return true;
	return false;
}

Oid
coupons_result_type(FunctionCallInfo fcinfo)
{
	Oid			type = get_fn_expr_rettype(fcinfo->flinfo);

	return OidIsValid(type) ? type : get_func_rettype(fcinfo->flinfo->fn_oid);
}

Datum
coupons_result_label(FunctionCallInfo fcinfo, const char *const *labels, int n, int index)
{
	return ObjectIdGetDatum(labels_of_call(fcinfo, coupons_result_type(fcinfo), labels, n)[index]);
}

/* coupon_intensity(h) = Σ coupon / Σ amount; NULL when the total spend is 0 (or no orders). */
Datum
coupons_intensity(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	float8		spend;

	/* without coupons only whether anything was spent matters: no sum */
	if (!PH_HAS_COUPONS(ph))
	{
		if (!any_amount(PH_AMOUNTS(ph), 0, ph->norders))
			PG_RETURN_NULL();
		PG_RETURN_FLOAT8(0.0);
	}
	spend = amount_sum(PH_AMOUNTS(ph), ph->norders);
	if (spend == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(amount_sum(PH_COUPONS(ph), ph->norders) / spend);
}

/* coupon_order_rate(h) = orders with a coupon / orders; NULL without orders. */
Datum
coupons_order_rate(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	if (ph->norders == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((float8) coupons_orders_with_coupon(ph, 0, ph->norders) / ph->norders);
}

/* full_price_orders(h): the orders without a coupon. */
Datum
coupons_full_price_orders(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	PG_RETURN_INT32(ph->norders - coupons_orders_with_coupon(ph, 0, ph->norders));
}

/* -------------------------------------------------------------------------------------------
 * The dependence class
 * ------------------------------------------------------------------------------------------- */

static void
check_share(float8 value, const char *name)
{
	if (!(value >= 0 && value <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be between 0 and 1, not %g", name, value)));
}

/*
 * coupon_dependence(h, occasional_max, dependent_min), r = the coupon order rate:
 *	  none         no order with a coupon (r = 0);
 *	  coupon_only  every order with a coupon, and at least 2 orders;
 *	  occasional   0 < r <= occasional_max;
 *	  dependent    r >= dependent_min;
 * between the two thresholds the money decides: dependent when the orders with a coupon carry
 * at least dependent_min of the spend, occasional otherwise.  NULL without orders.  The
 * thresholds are checked first, whatever the summary.
 */
Datum
coupons_dependence(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	float8		occasional_max = PG_GETARG_FLOAT8(1);
	float8		dependent_min = PG_GETARG_FLOAT8(2);
	int32		with_coupon;
	float8		rate;
	CouponDependence class;

	check_share(occasional_max, "occasional_max");
	check_share(dependent_min, "dependent_min");
	if (occasional_max > dependent_min)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("occasional_max must not be greater than dependent_min"),
				 errdetail("occasional_max is %g and dependent_min is %g.", occasional_max, dependent_min),
				 errhint("Occasional users have a coupon order rate up to occasional_max; dependent ones from dependent_min on.")));
	if (ph->norders == 0)
		PG_RETURN_NULL();
	with_coupon = coupons_orders_with_coupon(ph, 0, ph->norders);
	rate = (float8) with_coupon / ph->norders;
	if (with_coupon == 0)
		class = DEPENDENCE_NONE;
	else if (with_coupon == ph->norders && ph->norders >= 2)
		class = DEPENDENCE_COUPON_ONLY;
	else if (rate >= dependent_min)
		class = DEPENDENCE_DEPENDENT;
	else if (rate <= occasional_max)
		class = DEPENDENCE_OCCASIONAL;
	else
	{
		/* the grey band: the share of the spend in orders with a coupon */
		const float8 *amounts = PH_AMOUNTS(ph);
		const float8 *coupons = PH_COUPONS(ph);
		float8	   *part = palloc(sizeof(float8) * with_coupon);
		float8		spend = amount_sum(amounts, ph->norders);
		float8		couponed;
		int32		k = 0;

		for (int32 i = 0; i < ph->norders; i++)
			if (coupons[i] > 0)
				part[k++] = amounts[i];
		couponed = amount_sum(part, with_coupon);
		pfree(part);
		class = spend > 0 && couponed >= dependent_min * spend ?
			DEPENDENCE_DEPENDENT : DEPENDENCE_OCCASIONAL;
	}
	PG_RETURN_DATUM(coupons_result_label(fcinfo, dependence_labels, lengthof(dependence_labels), class));
}

/* -------------------------------------------------------------------------------------------
 * Promotions
 * ------------------------------------------------------------------------------------------- */

/*
 * promotion_share(h, promotions) -> (orders_share, spend_share): the share of the orders, and
 * of the spend, inside the promotion periods.  Both NULL without orders; spend_share NULL when
 * the spend is 0.
 */
/* What promotion_share keeps per call site: the result's descriptor and the periods read. */
typedef struct PromotionShareCache
{
	TupleDesc	desc;
	CouponsPromotions *promotions;
} PromotionShareCache;

Datum
coupons_promotion_share(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	MultirangeType *promotions = PG_GETARG_MULTIRANGE_P(1);
	PromotionShareCache *cache = fcinfo->flinfo->fn_extra;
	const CouponsPromotions *periods;
	Datum		values[2] = {0, 0};
	bool		nulls[2] = {true, true};

	/* the result's descriptor, built once per call site: building it costs more than the rest */
	if (cache == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(fcinfo->flinfo->fn_mcxt);

		cache = palloc0(sizeof(PromotionShareCache));
		cache->desc = CreateTupleDescCopy(summary_result_desc(fcinfo));
		MemoryContextSwitchTo(old);
		fcinfo->flinfo->fn_extra = cache;
	}
	periods = coupons_read_promotions(promotions, &cache->promotions, fcinfo->flinfo->fn_mcxt);
	if (ph->norders > 0)
	{
		bool	   *in = palloc(sizeof(bool) * ph->norders);
		const float8 *amounts = PH_AMOUNTS(ph);
		int32		inside = coupons_mark_promotions(ph, 0, ph->norders, periods, in);
		float8		spend;

		values[0] = Float8GetDatum((float8) inside / ph->norders);
		nulls[0] = false;
		/* none or all of the orders inside: no sum (amounts are >= 0) */
		if ((inside == 0 || inside == ph->norders) && any_amount(amounts, 0, ph->norders))
		{
			values[1] = Float8GetDatum(inside == 0 ? 0.0 : 1.0);
			nulls[1] = false;
		}
		else if (inside > 0 && inside < ph->norders && (spend = amount_sum(amounts, ph->norders)) != 0)
		{
			float8	   *part = palloc(sizeof(float8) * Max(inside, 1));
			int32		k = 0;

			for (int32 i = 0; i < ph->norders; i++)
				if (in[i])
					part[k++] = amounts[i];
			values[1] = Float8GetDatum(amount_sum(part, inside) / spend);
			nulls[1] = false;
		}
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(cache->desc, values, nulls)));
}
