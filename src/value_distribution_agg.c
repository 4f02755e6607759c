/*
 * value_distribution_agg.c
 *	  The aggregates that build value distributions: value_distribution(value, orders) over a
 *	  customer table (one row per customer), and rollup(value_distribution) over stored
 *	  summaries.  Both share one transition state (the pair list of value_distribution.h), one
 *	  combine, serialize, deserialize and final function, so they run on parallel workers and on
 *	  shards, and rollup of any split of the customers equals one pass (the final form is
 *	  canonical).
 */
#include "postgres.h"

#include "lib/stringinfo.h"
#include "miscadmin.h"

#include "summary.h"
#include "value_distribution.h"

PG_FUNCTION_INFO_V1(value_distribution_trans);
PG_FUNCTION_INFO_V1(value_distribution_rollup_trans);
PG_FUNCTION_INFO_V1(value_distribution_combine);
PG_FUNCTION_INFO_V1(value_distribution_serialize);
PG_FUNCTION_INFO_V1(value_distribution_deserialize);
PG_FUNCTION_INFO_V1(value_distribution_final);

#define PG_GETARG_PAIRS(n)	(PG_ARGISNULL(n) ? NULL : (VdPairs *) PG_GETARG_POINTER(n))

/* The group's pair list, created in the aggregate's memory on its first pair. */
static VdPairs *
group_pairs(FunctionCallInfo fcinfo, VdPairs *pairs)
{
	if (pairs != NULL)
		return pairs;
	return vd_pairs_create(summary_aggregate_context(fcinfo, VD_TYPE_NAME));
}

static Datum
return_pairs(FunctionCallInfo fcinfo, VdPairs *pairs)
{
	if (pairs == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(pairs);
}

/*
 * value_distribution(value, orders) transition.  A row whose arguments are both NULL is skipped
 * (what a LEFT JOIN gives a customer without a summary); a NULL in an otherwise present
 * customer is an error, never a silent drop.
 */
Datum
value_distribution_trans(PG_FUNCTION_ARGS)
{
	VdPairs    *pairs = PG_GETARG_PAIRS(0);
	float8		value;
	int64		orders;

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2))
		return return_pairs(fcinfo, pairs);
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("customer value must not be null"),
				 errdetail("The customer's order count is " INT64_FORMAT ".", PG_GETARG_INT64(2))));
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("order count must not be null"),
				 errdetail("The customer's value is %s.", summary_argument_text(fcinfo, 1))));

	value = PG_GETARG_FLOAT8(1);
	orders = PG_GETARG_INT64(2);
	vd_check_pair_fast(value, orders);
	pairs = group_pairs(fcinfo, pairs);
	vd_pairs_append(pairs, value, (int32) orders);
	PG_RETURN_POINTER(pairs);
}

/* rollup(value_distribution) transition: NULL summaries are skipped. */
Datum
value_distribution_rollup_trans(PG_FUNCTION_ARGS)
{
	VdPairs    *pairs = PG_GETARG_PAIRS(0);

	summary_aggregate_context(fcinfo, VD_TYPE_NAME);
	if (!PG_ARGISNULL(1))
	{
		ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(1);

		pairs = group_pairs(fcinfo, pairs);
		vd_pairs_append_columns(pairs, VD_VALUES(vd), VD_ORDERS(vd), vd->ncustomers);
	}
	return return_pairs(fcinfo, pairs);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The pairs of the second
 * state are copied into the first: the second is only read, and may live in short-lived memory.
 */
Datum
value_distribution_combine(PG_FUNCTION_ARGS)
{
	VdPairs    *pairs = PG_GETARG_PAIRS(0);
	VdPairs    *other = PG_GETARG_PAIRS(1);

	summary_aggregate_context(fcinfo, VD_TYPE_NAME);
	if (other != NULL)
	{
		pairs = group_pairs(fcinfo, pairs);
		vd_pairs_reserve(pairs, other->n);
		memcpy(pairs->items + pairs->n, other->items, sizeof(VdPair) * other->n);
		pairs->n += other->n;
	}
	return return_pairs(fcinfo, pairs);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
value_distribution_serialize(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd;
	bytea	   *bytes;

	summary_aggregate_context(fcinfo, VD_TYPE_NAME);
	vd = vd_from_pairs((VdPairs *) PG_GETARG_POINTER(0));
	bytes = vd_binary(vd);
	pfree(vd);
	PG_RETURN_BYTEA_P(bytes);
}

Datum
value_distribution_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	ValueDistribution *vd;
	VdPairs    *pairs;

	summary_aggregate_context(fcinfo, VD_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	vd = vd_read_binary(&buf);
	pairs = vd_pairs_create(CurrentMemoryContext);
	vd_pairs_append_columns(pairs, VD_VALUES(vd), VD_ORDERS(vd), vd->ncustomers);
	pfree(vd);
	PG_RETURN_POINTER(pairs);
}

/*
 * The final function sorts the pairs in place, which leaves their multiset, the state's value,
 * unchanged: a window aggregate can call it again and go on adding rows
 * (FINALFUNC_MODIFY = READ_ONLY).  No rows at all give the empty summary.
 */
Datum
value_distribution_final(PG_FUNCTION_ARGS)
{
	VdPairs    *pairs = PG_GETARG_PAIRS(0);

	summary_aggregate_context(fcinfo, VD_TYPE_NAME);
	if (pairs == NULL)
		PG_RETURN_VALUE_DISTRIBUTION_P(vd_allocate(0));
	PG_RETURN_VALUE_DISTRIBUTION_P(vd_from_pairs(pairs));
}
