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
 * Marks in[i - from] for the orders i in [from, to) whose time falls inside one of the
 * promotion periods (bounds honoured) and returns how many do.  Walks the periods once, each
 * located by binary search.
 */
extern int32 coupons_mark_promotions(const PurchaseHistory *ph, int32 from, int32 to,
									 const MultirangeType *promotions, bool *in);

/*
 * The OID of label `index` of the enum the function returns, the labels looked up once per
 * call site (labels.h); the result type is read from the call expression, not the catalog.
 */
extern Datum coupons_result_label(FunctionCallInfo fcinfo, const char *const *labels, int n,
								  int index);

#endif							/* PROFILING_COUPONS_H */
