/*
 * item_sequence_ops.c
 *	  Comparison and hashing of item sequences: byte operations on the canonical form (summary
 *	  kit).  The order (fewer purchases first, then the bytes) means nothing about customers; it
 *	  exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It never raises on valid
 *	  values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "item_sequence.h"
#include "summary.h"

static int
is_compare(const ItemSequence *a, const ItemSequence *b)
{
	if (a->nevents != b->nevents)
		return a->nevents < b->nevents ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* item_sequence_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(item_sequence, is_detoast, is_compare)
