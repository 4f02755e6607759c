/*
 * loyalty_trend_ops.c
 *	  Comparison and hashing of loyalty trend summaries.  The canonical form makes them byte
 *	  operations (summary kit).  The order (fewer lines first, then the bytes) means nothing
 *	  about customers; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It
 *	  never raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "loyalty_trend.h"
#include "summary.h"

static int
lt_compare(const LoyaltyTrend *a, const LoyaltyTrend *b)
{
	if (a->nlines != b->nlines)
		return a->nlines < b->nlines ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* loyalty_trend_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(loyalty_trend, lt_detoast, lt_compare)
