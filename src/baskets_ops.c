/*
 * baskets_ops.c
 *	  Comparison and hashing of baskets summaries.  The canonical form makes them byte
 *	  operations (summary kit).  The order (smaller summaries first, then the bytes) means nothing
 *	  about the baskets; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It
 *	  never raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "baskets.h"
#include "summary.h"

static inline int
baskets_compare(const Baskets *a, const Baskets *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* baskets_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(baskets, baskets_detoast, baskets_compare)
