/*
 * engagement_ops.c
 *	  Comparison and hashing of engagement summaries.  The canonical form makes them byte
 *	  operations (summary kit).  The order (fewer interactions first, then the bytes) means
 *	  nothing about customers; it exists so that sorting, DISTINCT, ORDER BY and merge joins
 *	  work.  It never raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "engagement.h"
#include "summary.h"

static int
eg_compare(const Engagement *a, const Engagement *b)
{
	if (a->ninteractions != b->ninteractions)
		return a->ninteractions < b->ninteractions ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* engagement_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(engagement, eg_detoast, eg_compare)
