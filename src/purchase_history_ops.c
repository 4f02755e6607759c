/*
 * purchase_history_ops.c
 *	  Comparison and hashing of purchase histories.  The canonical form makes them byte
 *	  operations (summary kit).  The order (fewer orders first, then the bytes) means nothing
 *	  about customers; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It
 *	  never raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "purchase_history.h"
#include "summary.h"

static int
ph_compare(const PurchaseHistory *a, const PurchaseHistory *b)
{
	if (a->norders != b->norders)
		return a->norders < b->norders ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* purchase_history_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(purchase_history, ph_detoast, ph_compare)
