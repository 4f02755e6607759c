/*
 * cohorts_ops.c
 *	  Comparison and hashing of cohort summaries.  The canonical form makes them byte operations
 *	  (summary kit).  The order (smaller summaries first, then the bytes) means nothing about the
 *	  customers; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It never
 *	  raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "cohorts.h"
#include "summary.h"

static inline int
ch_compare(const Cohorts *a, const Cohorts *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* cohorts_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(cohorts, ch_detoast, ch_compare)
