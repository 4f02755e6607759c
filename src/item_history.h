/*
 * item_history.h
 *	  The item-history summary: every purchase line of one customer for one product (time,
 *	  quantity, coupon), sorted, in one varlena.  It is the purchase history's layout and
 *	  machinery with quantities in the amount column: the struct, the sorted order list, slicing
 *	  and the binary writer are the purchase history's own (purchase_history.h), not a copy.
 *	  This header declares what the type's core, item_history.c, adds: reading a value under
 *	  its own name, validating lines (quantities, not amounts), the binary reader, and the
 *	  purchases (one a calendar day) that every replenishment figure reads.  The type's text and
 *	  binary forms (item_history_io.c), aggregates (_agg.c), SQL readers (_accessors.c) and
 *	  comparison operators (_ops.c) build on it, never on each other.
 *
 * Layout (version 1): that of purchase_history.h, amount read as quantity:
 *	  16-byte header, int64 at[n], float8 quantity[n], float8 coupon[n] (only with a coupon).
 */
#ifndef PROFILING_ITEM_HISTORY_H
#define PROFILING_ITEM_HISTORY_H

#include "postgres.h"

#include <float.h>

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "purchase_history.h"

#define IH_TYPE_NAME		"item_history"

typedef PurchaseHistory ItemHistory;

#define IH_MAX_LINES		PH_MAX_ORDERS
#define IH_TIMES(ih)		PH_TIMES(ih)
#define IH_QUANTITIES(ih)	PH_AMOUNTS(ih)
#define IH_COUPON(ih, i)	PH_COUPON(ih, i)

#define PG_GETARG_ITEM_HISTORY_P(n)	ih_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_ITEM_HISTORY_P(x)	PG_RETURN_POINTER(x)

/* Reading a value: detoasted, its header and length checked (XX001 / 0A000 when not). */
extern ItemHistory *ih_detoast(Datum datum);
extern int32 ih_stored_count(Datum datum);

/* Every line entering a summary, from any path, is checked here (22023 / 22008). */
extern void ih_check_line(TimestampTz at, float8 quantity, float8 coupon);

static inline void
ih_check_line_fast(TimestampTz at, float8 quantity, float8 coupon)
{
	if (likely(!TIMESTAMP_NOT_FINITE(at) &&
			   quantity >= 0 && quantity <= DBL_MAX && coupon >= 0 && coupon <= DBL_MAX))
		return;
	ih_check_line(at, quantity, coupon);
}

extern void ih_error_too_many_lines(void) pg_attribute_noreturn();

/* The binary reader (the writer is ph_write_binary): trusts nothing, errors in this type's name. */
extern ItemHistory *ih_read_binary(StringInfo buf);

/*
 * Purchases: the lines of one calendar day (session TimeZone) are one purchase, at the time
 * of the day's last line, of the day's total quantity, with a coupon when any line had one.
 */
typedef struct IhPurchases
{
	int32		n;
	int64	   *at;
	float8	   *quantity;
	bool	   *coupon;
} IhPurchases;

extern void ih_purchases(const ItemHistory *ih, int32 nlines, IhPurchases *out);

#endif							/* PROFILING_ITEM_HISTORY_H */
