/*
 * item_history_ops.c
 *	  Comparison and hashing of item histories: byte operations on the canonical form (summary
 *	  kit).  The order (fewer lines first, then the bytes) means nothing about customers; it
 *	  exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It never raises on valid
 *	  values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "item_history.h"
#include "summary.h"

static int
ih_compare(const ItemHistory *a, const ItemHistory *b)
{
	if (a->norders != b->norders)
		return a->norders < b->norders ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* item_history_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(item_history, ih_detoast, ih_compare)
