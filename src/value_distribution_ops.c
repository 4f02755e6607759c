/*
 * value_distribution_ops.c
 *	  Comparison and hashing of value distributions.  The canonical form makes them byte
 *	  operations (summary kit).  The order (fewer customers first, then the bytes) means nothing
 *	  about the customers; it exists so that sorting, DISTINCT, ORDER BY and merge joins work.  It
 *	  never raises on valid values.
 */
#include "postgres.h"

#include "fmgr.h"

#include "summary.h"
#include "value_distribution.h"

/* The size grows with the customer count, so comparing bytes puts fewer customers first. */
static inline int
vd_compare(const ValueDistribution *a, const ValueDistribution *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* value_distribution_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(value_distribution, vd_detoast, vd_compare)
