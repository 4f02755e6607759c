/*
 * paths_ops.c
 *	  Comparison and hashing of paths summaries: byte operations on the canonical form (summary
 *	  kit).  The order (fewer customers first, then the bytes) means nothing about customers'
 *	  paths; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It never raises
 *	  on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "paths.h"
#include "summary.h"

static int
paths_compare(const Paths *a, const Paths *b)
{
	if (a->customers != b->customers)
		return a->customers < b->customers ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* paths_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(paths, paths_detoast, paths_compare)
