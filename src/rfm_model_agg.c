/*
 * rfm_model_agg.c
 *	  The aggregate rfm_model(recency_days, frequency, monetary [, bins]) over a customer table,
 *	  one row per customer.  Its state keeps every customer's three metrics (the cut points are
 *	  exact percentile_cont quantiles, which need every value); the combine, serialize and
 *	  deserialize functions let it run on parallel workers, with the same result as one pass.
 */
#include "postgres.h"

#include <float.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "rfm_model.h"
#include "stats.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_model_trans);
PG_FUNCTION_INFO_V1(rfm_model_combine);
PG_FUNCTION_INFO_V1(rfm_model_serialize);
PG_FUNCTION_INFO_V1(rfm_model_deserialize);
PG_FUNCTION_INFO_V1(rfm_model_final);

/* The bins of the 3-argument aggregate: the usual 1..5 scores. */
#define RFM_DEFAULT_BINS	5

/* The most customers a state holds: three columns of float8 in one huge allocation each. */
#define RFM_MAX_CUSTOMERS	((int64) (MaxAllocHugeSize / sizeof(float8)))

typedef struct RfmState
{
	int			bins;
	int64		n;
	int64		capacity;
	float8	   *values[3];		/* recency, frequency, monetary */
	MemoryContext context;
} RfmState;

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (RfmState *) PG_GETARG_POINTER(n))

static RfmState *
state_create(MemoryContext context, int bins)
{
	RfmState   *state = MemoryContextAlloc(context, sizeof(RfmState));

	state->bins = bins;
	state->n = 0;
	state->capacity = 16;
	for (int i = 0; i < 3; i++)
		state->values[i] = MemoryContextAllocHuge(context, sizeof(float8) * state->capacity);
	state->context = context;
	return state;
}

static void
state_reserve(RfmState *state, int64 more)
{
	int64		needed = state->n + more;
	int64		capacity;

	if (needed <= state->capacity)
		return;
	if (needed > RFM_MAX_CUSTOMERS)
		summary_error_too_many("customers", "rfm model state", RFM_MAX_CUSTOMERS);
	capacity = Min(Max(needed, state->capacity * 2), RFM_MAX_CUSTOMERS);
	for (int i = 0; i < 3; i++)
		state->values[i] = repalloc_huge(state->values[i], sizeof(float8) * capacity);
	state->capacity = capacity;
}

static void
check_same_bins(int a, int b)
{
	if (a != b)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be the same for every customer of a model"),
				 errdetail("One row asks for %d bins and another for %d.", a, b)));
}

/*
 * rfm_model(recency_days, frequency, monetary [, bins]) transition.  A row whose three metrics
 * are NULL is skipped (what a LEFT JOIN gives a customer without orders); a NULL metric of an
 * otherwise present customer, or a NULL bins, is an error, never a silent drop.
 */
Datum
rfm_model_trans(PG_FUNCTION_ARGS)
{
	RfmState   *state = PG_GETARG_STATE(0);
	int64		bins = RFM_DEFAULT_BINS;
	MemoryContext context = summary_aggregate_context(fcinfo, RFM_MODEL_TYPE_NAME);

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("bins must not be null")));
		bins = PG_GETARG_INT32(4);
		rfm_check_bins(bins);
	}
	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	for (int metric = 0; metric < 3; metric++)
	{
		if (PG_ARGISNULL(metric + 1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s value must not be null", rfm_metric_names[metric]),
					 errdetail("A customer's three metrics are all present, or all NULL (the row is skipped).")));
		rfm_check_value(metric, PG_GETARG_FLOAT8(metric + 1));
	}
	if (state == NULL)
		state = state_create(context, (int) bins);
	else
		check_same_bins(state->bins, (int) bins);
	state_reserve(state, 1);
	for (int metric = 0; metric < 3; metric++)
		state->values[metric][state->n] = PG_GETARG_FLOAT8(metric + 1) + 0.0;
	state->n++;
	PG_RETURN_POINTER(state);
}

/* Not strict: either state may be NULL (a worker that saw no rows).  other is only read. */
Datum
rfm_model_combine(PG_FUNCTION_ARGS)
{
	RfmState   *state = PG_GETARG_STATE(0);
	RfmState   *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, RFM_MODEL_TYPE_NAME);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(context, other->bins);
	check_same_bins(state->bins, other->bins);
	state_reserve(state, other->n);
	for (int metric = 0; metric < 3; metric++)
		memcpy(state->values[metric] + state->n, other->values[metric], sizeof(float8) * other->n);
	state->n += other->n;
	PG_RETURN_POINTER(state);
}

/* Serialized state: uint16 bins, int64 n, then the three columns of n float8. */
Datum
rfm_model_serialize(PG_FUNCTION_ARGS)
{
	RfmState   *state = (RfmState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, RFM_MODEL_TYPE_NAME);
	pq_begintypsend(&buf);
	pq_sendint16(&buf, state->bins);
	pq_sendint64(&buf, state->n);
	for (int metric = 0; metric < 3; metric++)
		for (int64 i = 0; i < state->n; i++)
			pq_sendfloat8(&buf, state->values[metric][i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
rfm_model_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	RfmState   *state;
	int			bins;
	int64		n;

	summary_aggregate_context(fcinfo, RFM_MODEL_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	if (buf.len < 10)
		summary_error_binary(RFM_MODEL_TYPE_NAME, "The state is shorter than its 10-byte header.");
	bins = pq_getmsgint(&buf, 2);
	n = pq_getmsgint64(&buf);
	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS || n < 0 || n > RFM_MAX_CUSTOMERS ||
		(uint64) (buf.len - buf.cursor) != 3 * sizeof(float8) * (uint64) n)
		summary_error_binary(RFM_MODEL_TYPE_NAME, "The state's header does not match its length.");
	state = state_create(CurrentMemoryContext, bins);
	state_reserve(state, n);
	for (int metric = 0; metric < 3; metric++)
		for (int64 i = 0; i < n; i++)
		{
			float8		v = pq_getmsgfloat8(&buf);

			if (!(v >= 0 && v <= DBL_MAX))
				summary_error_binary(RFM_MODEL_TYPE_NAME, "A metric is negative or not finite.");
			state->values[metric][i] = v;
		}
	state->n = n;
	PG_RETURN_POINTER(state);
}

/*
 * The cut points: percentile_cont(i / bins) of each metric, i = 1..bins - 1, by selection
 * rather than a full sort.  Reordering each column in place leaves its multiset, all the model
 * depends on, unchanged: a window aggregate may call this again (FINALFUNC_MODIFY = READ_ONLY).
 * No customers: NULL, as percentile_cont.
 */
Datum
rfm_model_final(PG_FUNCTION_ARGS)
{
	RfmState   *state = PG_GETARG_STATE(0);
	RfmModel   *model;
	double		ps[STATS_MAX_PERCENTILES];

	summary_aggregate_context(fcinfo, RFM_MODEL_TYPE_NAME);
	if (state == NULL || state->n == 0)
		PG_RETURN_NULL();
	StaticAssertStmt(RFM_MAX_BINS - 1 <= STATS_MAX_PERCENTILES, "a model's cut points are percentiles of one call");
	model = rfm_allocate(state->bins);
	for (int i = 1; i < state->bins; i++)
		ps[i - 1] = (double) i / state->bins;
	for (int metric = 0; metric < 3; metric++)
	{
		float8	   *cuts = RFM_CUTS(model, metric);

		CHECK_FOR_INTERRUPTS();
		stats_percentiles_cont(state->values[metric], state->n, ps, state->bins - 1, cuts);
		for (int i = 0; i < state->bins - 1; i++)
			cuts[i] += 0.0;
	}
	PG_RETURN_RFM_MODEL_P(model);
}
