/*
 * coupons.h
 *	  Coupon dependence of one customer, read from a purchase history: the metrics, the
 *	  dependence class and the promotion share (coupons.c), the trend (coupon_trend.c) and the
 *	  attitude (attitude.c).  This header declares what coupons.c defines: the sums every one of
 *	  them reads, and which orders fall inside promotion periods.
 */
#ifndef PROFILING_COUPONS_H
#define PROFILING_COUPONS_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/multirangetypes.h"

#include "purchase_history.h"

/* Orders [from, to) of a summary that used a coupon (coupon > 0). */
extern int32 coupons_orders_with_coupon(const PurchaseHistory *ph, int32 from, int32 to);

/*
 * Errors out (22023) unless promotions holds at least one period: an empty list is almost
 * always a filter that matched no promotion, and every share would silently be 0.
 */
extern void coupons_check_promotions(const MultirangeType *promotions);

/*
 * Promotion periods as one call site reads them, once: each period as the half-open interval
 * [start, end) of microseconds it covers (the multirange's bounds, inclusive or not, folded
 * in), sorted and disjoint as a multirange keeps them; and a copy of the multirange's bytes,
 * to tell whether the next call passes the same value.
 */
typedef struct CouponsPromotions
{
	Size		size;			/* VARSIZE of the multirange read */
	char	   *bytes;			/* its copy */
	int32		count;			/* periods */
	int64	   *starts;
	int64	   *ends;
} CouponsPromotions;

/*
 * The periods of `promotions`, checked as coupons_check_promotions does: *cache when it holds
 * the same value, else read into a new *cache allocated in mcxt (the call site's fn_mcxt).
 */
extern const CouponsPromotions *coupons_read_promotions(const MultirangeType *promotions,
														CouponsPromotions **cache,
														MemoryContext mcxt);

/*
 * Marks in[i - from] for the orders i in [from, to) whose time falls inside one of the
 * promotion periods and returns how many do: one walk over the orders and the periods
 * together, both sorted.
 */
extern int32 coupons_mark_promotions(const PurchaseHistory *ph, int32 from, int32 to,
									 const CouponsPromotions *promotions, bool *in);

/* The enum the function returns, read from the call expression (else the catalog). */
extern Oid	coupons_result_type(FunctionCallInfo fcinfo);

/*
 * The OID of label `index` of the enum the function returns, the labels looked up once per
 * call site (labels.h); the result type is read from the call expression, not the catalog.
 */
extern Datum coupons_result_label(FunctionCallInfo fcinfo, const char *const *labels, int n,
								  int index);

#endif							/* PROFILING_COUPONS_H */
