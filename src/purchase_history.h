/*
 * purchase_history.h
 *	  The purchase-history summary: every order of one customer (time, amount, coupon), sorted,
 *	  in one varlena.  This header declares what the type's core, purchase_history.c, defines:
 *	  the layout, reading a value safely, validating orders, building the canonical value from a
 *	  list of orders, the binary form, and slicing by time.  The type's text and binary forms
 *	  (purchase_history_io.c), aggregates (_agg.c), SQL readers (_accessors.c) and comparison
 *	  operators (_ops.c) build on it, and never on each other; so does every later room that
 *	  reads a customer's orders.
 *
 * On-disk / in-memory layout (version 1), 16-byte header then three columns:
 *
 *	  int32   vl_len_
 *	  uint8   version        PH_FORMAT_VERSION
 *	  uint8   flags          PH_FLAG_*; unknown bits must be zero
 *	  uint16  reserved1      must be zero
 *	  int32   norders
 *	  uint32  reserved2      must be zero (keeps the columns 8-byte aligned)
 *	  int64   at[norders]      order times (TimestampTz, microseconds), ascending
 *	  float8  amount[norders]
 *	  float8  coupon[norders]  only when PH_FLAG_COUPONS is set
 *
 * An order costs 16 bytes, or 24 when any order of the customer has a coupon.  Orders are
 * sorted by (at, amount, coupon), -0 is stored as +0 and the coupon column is present exactly
 * when some coupon is non-zero, so equal multisets of orders give identical bytes: equality
 * and hashing are byte comparisons, and rollup of any split equals one pass.
 */
#ifndef PROFILING_PURCHASE_HISTORY_H
#define PROFILING_PURCHASE_HISTORY_H

#include "postgres.h"

#include <float.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"
#include "utils/rangetypes.h"

/* The type's name in messages. */
#define PH_TYPE_NAME		"purchase_history"

#define PH_FORMAT_VERSION	1
#define PH_FLAG_COUPONS		0x01
#define PH_KNOWN_FLAGS		(PH_FLAG_COUPONS)

typedef struct PurchaseHistory
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved1;
	int32		norders;
	uint32		reserved2;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} PurchaseHistory;

#define PH_HEADER_SIZE		offsetof(PurchaseHistory, columns)

/* The largest order count whose summary still fits in one varlena (1 GB). */
#define PH_MAX_ORDERS \
	((int32) ((MaxAllocSize - PH_HEADER_SIZE) / (sizeof(int64) + 2 * sizeof(float8))))

#define PH_HAS_COUPONS(ph)	(((ph)->flags & PH_FLAG_COUPONS) != 0)
#define PH_TIMES(ph)		((int64 *) (ph)->columns)
#define PH_AMOUNTS(ph)		((float8 *) ((ph)->columns + sizeof(int64) * (ph)->norders))
/* Where the coupon column is, or would be: only valid when PH_HAS_COUPONS. */
#define PH_COUPON_COLUMN(ph) \
	((float8 *) ((ph)->columns + (sizeof(int64) + sizeof(float8)) * (ph)->norders))
/* NULL when the summary has no coupon column: every coupon is 0. */
#define PH_COUPONS(ph)		(PH_HAS_COUPONS(ph) ? PH_COUPON_COLUMN(ph) : NULL)
#define PH_COUPON(ph, i)	(PH_HAS_COUPONS(ph) ? PH_COUPONS(ph)[i] : 0.0)

#define DatumGetPurchaseHistoryP(X)		ph_detoast(X)
#define PG_GETARG_PURCHASE_HISTORY_P(n)	DatumGetPurchaseHistoryP(PG_GETARG_DATUM(n))
#define PG_RETURN_PURCHASE_HISTORY_P(x)	PG_RETURN_POINTER(x)

/* One order, as the aggregates and text input collect them before sorting. */
typedef struct PhOrder
{
	TimestampTz at;
	float8		amount;
	float8		coupon;
} PhOrder;

/*
 * The canonical order of orders: by time, then amount, then coupon.  Sorting and the binary
 * reader's check both use this one definition.
 */
static inline int
ph_order_cmp(const PhOrder *a, const PhOrder *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->coupon != b->coupon)
		return a->coupon < b->coupon ? -1 : 1;
	return 0;
}

/*
 * A growable list of orders, to sort and write as a summary: what text input parses and what
 * the aggregates' log is read into.  One allocation (header and items together); growing may
 * move it, so the functions that add orders return the list.
 */
typedef struct PhOrders
{
	int32		n;
	int32		capacity;
	PhOrder		items[FLEXIBLE_ARRAY_MEMBER];
} PhOrders;

/* Reading a value: detoasted, its header and length checked (XX001 / 0A000 when not). */
extern PurchaseHistory *ph_detoast(Datum datum);
extern void ph_check_header(const PurchaseHistory *ph);
extern int32 ph_stored_count(Datum datum);

/* Every order entering a summary, from any path, is checked here (22023 / 22008). */
extern void ph_check_order(TimestampTz at, float8 amount, float8 coupon);

/* ph_check_order's test, inline for the aggregates' per-row path: NaN fails every comparison. */
static inline void
ph_check_order_fast(TimestampTz at, float8 amount, float8 coupon)
{
	if (likely(!TIMESTAMP_NOT_FINITE(at) &&
			   amount >= 0 && amount <= DBL_MAX && coupon >= 0 && coupon <= DBL_MAX))
		return;
	ph_check_order(at, amount, coupon);
}

/* Building values */
extern Size ph_size(int32 norders, bool coupons);
extern PurchaseHistory *ph_allocate(int32 norders, bool coupons);
extern bool ph_any_coupon(const float8 *coupons, int32 from, int32 to);
extern void ph_error_too_many_orders(void) pg_attribute_noreturn();

/* The order list; the canonical summary of one (sorts the list in place) */
extern PhOrders *ph_orders_create(int32 capacity);
extern PhOrders *ph_orders_append(PhOrders *orders, TimestampTz at, float8 amount, float8 coupon);
extern PurchaseHistory *ph_from_orders(PhOrders *orders);

/* The binary form, for send/recv and the aggregates' serialized state */
extern void ph_write_binary(StringInfo buf, const PurchaseHistory *ph);
extern PurchaseHistory *ph_read_binary(StringInfo buf);

/* Slicing by time */
extern int32 ph_count_before(const PurchaseHistory *ph, TimestampTz t, bool inclusive);
extern void ph_range_indices(const PurchaseHistory *ph, const RangeType *range, int32 *from,
							 int32 *to);
extern PurchaseHistory *ph_slice(const PurchaseHistory *ph, int32 from, int32 to);

#endif							/* PROFILING_PURCHASE_HISTORY_H */
