/*
 * btyd_agg.c
 *	  The fit aggregates bgnbd_fit(x, t_x, T [, customers]), pnbd_fit(x, t_x, T [, customers])
 *	  and gamma_gamma_fit(x, monetary [, customers]).
 *
 * The state is a hash table of distinct patterns, (x, t_x, T) or (x, monetary), each with the
 * number of customers who share it: ten million customers cost what their distinct patterns
 * cost, and a table of patterns with counts is fitted directly.  The final function sorts the
 * patterns (so the fit does not depend on the order rows arrive in, nor on how parallel workers
 * split them) and runs the optimiser of btyd_math.c, which calls back for CHECK_FOR_INTERRUPTS.
 * A fit that stops early is reported in the model (converged = false), not raised.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"

#include "btyd.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(btyd_bgnbd_trans);
PG_FUNCTION_INFO_V1(btyd_gamma_gamma_trans);
PG_FUNCTION_INFO_V1(btyd_fit_combine);
PG_FUNCTION_INFO_V1(btyd_fit_serialize);
PG_FUNCTION_INFO_V1(btyd_fit_deserialize);
PG_FUNCTION_INFO_V1(btyd_bgnbd_final);
PG_FUNCTION_INFO_V1(btyd_gamma_gamma_final);
PG_FUNCTION_INFO_V1(btyd_pnbd_final);

/* A pattern: gamma_gamma keeps monetary in t_x and 0 in T.  No padding: it is hashed as bytes. */
typedef struct PatternKey
{
	float8		t_x;
	float8		T;
	int32		x;
	int32		zero;
} PatternKey;

typedef struct PatternEntry
{
	PatternKey	key;
	int64		count;
} PatternEntry;

typedef struct FitState
{
	uint8		kind;			/* BTYD_KIND_* */
	HTAB	   *patterns;
	int64		customers;
} FitState;

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (FitState *) PG_GETARG_POINTER(n))

/* A serialized pattern: int32 x, float8 t_x, float8 T, int64 count. */
#define SERIAL_PATTERN_SIZE (4 + 8 + 8 + 8)

static FitState *
state_create(MemoryContext context, uint8 kind)
{
	FitState   *state = MemoryContextAlloc(context, sizeof(FitState));
	HASHCTL		ctl;

	ctl.keysize = sizeof(PatternKey);
	ctl.entrysize = sizeof(PatternEntry);
	ctl.hcxt = context;
	state->kind = kind;
	state->patterns = hash_create("btyd fit patterns", 256, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	state->customers = 0;
	return state;
}

static void
error_too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many customers in one model"),
			 errdetail("A model counts at most %lld customers.", (long long) PG_INT64_MAX)));
}

static void
state_add(FitState *state, int32 x, float8 t_x, float8 T, int64 count)
{
	PatternKey	key;
	PatternEntry *entry;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.x = x;
	key.t_x = t_x + 0.0;		/* -0 and +0 are one pattern */
	key.T = T + 0.0;
	entry = hash_search(state->patterns, &key, HASH_ENTER, &found);
	if (!found)
		entry->count = 0;
	if (pg_add_s64_overflow(entry->count, count, &entry->count) ||
		pg_add_s64_overflow(state->customers, count, &state->customers))
		error_too_many();
}

/* The optional count argument: NULL is an error, 0 adds nothing, negative is an error. */
static int64
count_argument(FunctionCallInfo fcinfo, int argno)
{
	int64		count;

	if (PG_NARGS() <= argno)
		return 1;
	if (PG_ARGISNULL(argno))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("customers must not be null")));
	count = PG_GETARG_INT64(argno);
	if (count < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("customers must not be negative, not " INT64_FORMAT, count),
				 errdetail("customers is the number of customers with this summary.")));
	return count;
}

/*
 * bgnbd_fit(x, t_x, T [, customers]).  A row whose x, t_x and T are all NULL is skipped (what
 * btyd_summary gives a customer without orders); one NULL among them is an error.
 */
Datum
btyd_bgnbd_trans(PG_FUNCTION_ARGS)
{
	FitState   *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, btyd_bgnbd.type_name);
	int64		count;

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
	{
		count_argument(fcinfo, 4);
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("x, t_x and T must all be present or all be null"),
				 errdetail("A customer's summary is skipped only when all three are NULL.")));
	btyd_check_summary(PG_GETARG_INT32(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3));
	count = count_argument(fcinfo, 4);
	if (state == NULL)
		state = state_create(context, BTYD_KIND_BGNBD);
	if (count > 0)
		state_add(state, PG_GETARG_INT32(1), PG_GETARG_FLOAT8(2), PG_GETARG_FLOAT8(3), count);
	PG_RETURN_POINTER(state);
}

/*
 * gamma_gamma_fit(x, monetary [, customers]).  Customers without a repeat purchase (x = 0, or
 * x NULL) are skipped, whatever their monetary (NULL from btyd_summary); for x >= 1 monetary
 * must be present, finite and positive.
 */
Datum
btyd_gamma_gamma_trans(PG_FUNCTION_ARGS)
{
	FitState   *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, btyd_gamma_gamma.type_name);
	int64		count = count_argument(fcinfo, 3);
	int32		x;

	if (PG_ARGISNULL(1) || PG_GETARG_INT32(1) == 0)
	{
		if (!PG_ARGISNULL(1) || PG_ARGISNULL(2))
		{
			if (state == NULL)
				PG_RETURN_NULL();
			PG_RETURN_POINTER(state);
		}
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("x must not be null when monetary is present")));
	}
	x = PG_GETARG_INT32(1);
	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("monetary must not be null when x is %d", x),
				 errdetail("A customer with repeat purchases has a mean repeat spend.")));
	btyd_check_spend(x, PG_GETARG_FLOAT8(2));
	if (state == NULL)
		state = state_create(context, BTYD_KIND_GAMMA_GAMMA);
	if (count > 0)
		state_add(state, x, PG_GETARG_FLOAT8(2), 0.0, count);
	PG_RETURN_POINTER(state);
}

/* Not strict: either state may be NULL (a worker that saw no rows).  other is only read. */
Datum
btyd_fit_combine(PG_FUNCTION_ARGS)
{
	FitState   *state = PG_GETARG_STATE(0);
	FitState   *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, "customer-base model");
	HASH_SEQ_STATUS seq;
	PatternEntry *entry;

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(context, other->kind);
	if (state->kind != other->kind)
		elog(ERROR, "combining the states of two kinds of model");
	hash_seq_init(&seq, other->patterns);
	while ((entry = hash_seq_search(&seq)) != NULL)
		state_add(state, entry->key.x, entry->key.t_x, entry->key.T, entry->count);
	PG_RETURN_POINTER(state);
}

/* Serialized state: uint8 kind, int64 patterns, then each pattern (SERIAL_PATTERN_SIZE). */
Datum
btyd_fit_serialize(PG_FUNCTION_ARGS)
{
	FitState   *state = (FitState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	HASH_SEQ_STATUS seq;
	PatternEntry *entry;

	summary_aggregate_context(fcinfo, "customer-base model");
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, state->kind);
	pq_sendint64(&buf, hash_get_num_entries(state->patterns));
	hash_seq_init(&seq, state->patterns);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		pq_sendint32(&buf, entry->key.x);
		pq_sendfloat8(&buf, entry->key.t_x);
		pq_sendfloat8(&buf, entry->key.T);
		pq_sendint64(&buf, entry->count);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Every pattern is checked as a row would be: a deserialize function reads untrusted bytes. */
Datum
btyd_fit_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	FitState   *state;
	uint8		kind;
	int64		n;

	summary_aggregate_context(fcinfo, "customer-base model");
	summary_binary_buffer(bytes, &buf);
	if (buf.len < 9)
		summary_error_binary("customer-base model", "The state is shorter than its 9-byte header.");
	kind = pq_getmsgbyte(&buf);
	n = pq_getmsgint64(&buf);
	if ((kind != BTYD_KIND_BGNBD && kind != BTYD_KIND_GAMMA_GAMMA) || n < 0 ||
		(uint64) (buf.len - buf.cursor) != (uint64) n * SERIAL_PATTERN_SIZE)
		summary_error_binary("customer-base model", "The state's header does not match its length.");
	state = state_create(CurrentMemoryContext, kind);
	for (int64 i = 0; i < n; i++)
	{
		int32		x = pq_getmsgint(&buf, 4);
		float8		t_x = pq_getmsgfloat8(&buf);
		float8		T = pq_getmsgfloat8(&buf);
		int64		count = pq_getmsgint64(&buf);

		if (count < 1)
			summary_error_binary("customer-base model", "A pattern's count is not positive.");
		if (kind == BTYD_KIND_BGNBD)
			btyd_check_summary(x, t_x, T);
		else
		{
			btyd_check_spend(x, t_x);
			if (T != 0)
				summary_error_binary("customer-base model", "A spend pattern has a time.");
		}
		state_add(state, x, t_x, T, count);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(state);
}

/* The optimiser's callback: the one place a long fit can be cancelled. */
static void
fit_interrupt(void *arg)
{
	(void) arg;
	CHECK_FOR_INTERRUPTS();
}

/*
 * The final functions: NULL without customers.  The state is only read (FINALFUNC_MODIFY =
 * READ_ONLY): a window aggregate may call them again.
 */
/* A fit of (x, t_x, T) patterns: btyd_bgnbd_fit, btyd_pnbd_fit. */
typedef BtydFitStatus (*PatternFit) (const BtydPattern *sorted, size_t n, BtydInterrupt interrupt,
									 void *arg, BtydFit *fit);

/* The final function of the models fitted on (x, t_x, T): one state, another optimiser. */
static Datum
pattern_fit_final(FunctionCallInfo fcinfo, const BtydKind *kind, PatternFit fit_patterns)
{
	FitState   *state = PG_GETARG_STATE(0);
	BtydPattern *patterns;
	HASH_SEQ_STATUS seq;
	PatternEntry *entry;
	long		n = 0;
	BtydFit		fit;

	summary_aggregate_context(fcinfo, kind->type_name);
	if (state == NULL || state->customers == 0)
		PG_RETURN_NULL();
	patterns = MemoryContextAllocHuge(CurrentMemoryContext,
									  sizeof(BtydPattern) * hash_get_num_entries(state->patterns));
	hash_seq_init(&seq, state->patterns);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		patterns[n].x = entry->key.x;
		patterns[n].t_x = entry->key.t_x;
		patterns[n].T = entry->key.T;
		patterns[n].weight = (double) entry->count;
		n++;
	}
	btyd_sort_patterns(patterns, n);
	if (fit_patterns(patterns, n, fit_interrupt, NULL, &fit) != BTYD_FIT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the %s likelihood is not finite at the starting point", kind->type_name),
				 errhint("Check the time unit: t_x and T far beyond 1e12 units cannot be fitted.")));
	pfree(patterns);
	PG_RETURN_POINTER(btyd_from_fit(&fit, kind, state->customers));
}

Datum
btyd_bgnbd_final(PG_FUNCTION_ARGS)
{
	return pattern_fit_final(fcinfo, &btyd_bgnbd, btyd_bgnbd_fit);
}

/* pnbd_fit(x, t_x, T [, customers]): the state of bgnbd_fit, the Pareto/NBD optimiser. */
Datum
btyd_pnbd_final(PG_FUNCTION_ARGS)
{
	return pattern_fit_final(fcinfo, &btyd_pnbd, btyd_pnbd_fit);
}

Datum
btyd_gamma_gamma_final(PG_FUNCTION_ARGS)
{
	FitState   *state = PG_GETARG_STATE(0);
	BtydSpendPattern *patterns;
	HASH_SEQ_STATUS seq;
	PatternEntry *entry;
	long		n = 0;
	BtydFit		fit;

	summary_aggregate_context(fcinfo, btyd_gamma_gamma.type_name);
	if (state == NULL || state->customers == 0)
		PG_RETURN_NULL();
	patterns = MemoryContextAllocHuge(CurrentMemoryContext,
									  sizeof(BtydSpendPattern) * hash_get_num_entries(state->patterns));
	hash_seq_init(&seq, state->patterns);
	while ((entry = hash_seq_search(&seq)) != NULL)
	{
		patterns[n].x = entry->key.x;
		patterns[n].monetary = entry->key.t_x;
		patterns[n].weight = (double) entry->count;
		n++;
	}
	btyd_sort_spend_patterns(patterns, n);
	if (btyd_gg_fit(patterns, n, fit_interrupt, NULL, &fit) != BTYD_FIT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the gamma_gamma likelihood is not finite at the starting point"),
				 errhint("Check the money unit: monetary values far beyond 1e12 cannot be fitted.")));
	pfree(patterns);
	PG_RETURN_POINTER(btyd_from_fit(&fit, &btyd_gamma_gamma, state->customers));
}
