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

PG_FUNCTION_INFO_V1(purchase_history_cmp);
PG_FUNCTION_INFO_V1(purchase_history_eq);
PG_FUNCTION_INFO_V1(purchase_history_ne);
PG_FUNCTION_INFO_V1(purchase_history_lt);
PG_FUNCTION_INFO_V1(purchase_history_le);
PG_FUNCTION_INFO_V1(purchase_history_gt);
PG_FUNCTION_INFO_V1(purchase_history_ge);
PG_FUNCTION_INFO_V1(purchase_history_hash);
PG_FUNCTION_INFO_V1(purchase_history_hash_extended);

static int
ph_compare(const PurchaseHistory *a, const PurchaseHistory *b)
{
	if (a->norders != b->norders)
		return a->norders < b->norders ? -1 : 1;
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

#define PH_COMPARE_ARGS ph_compare(PG_GETARG_PURCHASE_HISTORY_P(0), PG_GETARG_PURCHASE_HISTORY_P(1))

Datum
purchase_history_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PH_COMPARE_ARGS);
}

Datum
purchase_history_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS == 0);
}

Datum
purchase_history_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS != 0);
}

Datum
purchase_history_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS < 0);
}

Datum
purchase_history_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS <= 0);
}

Datum
purchase_history_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS > 0);
}

Datum
purchase_history_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS >= 0);
}

Datum
purchase_history_hash(PG_FUNCTION_ARGS)
{
	return summary_hash_bytes((struct varlena *) PG_GETARG_PURCHASE_HISTORY_P(0));
}

Datum
purchase_history_hash_extended(PG_FUNCTION_ARGS)
{
	return summary_hash_bytes_extended((struct varlena *) PG_GETARG_PURCHASE_HISTORY_P(0),
									   PG_GETARG_INT64(1));
}
