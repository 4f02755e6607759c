/*
 * btyd_agg.c
 *	  The fit aggregates bgnbd_fit(x, t_x, T [, customers]), mbgnbd_fit(x, t_x, T [, customers]),
 *	  pnbd_fit(x, t_x, T [, customers]) and gamma_gamma_fit(x, monetary [, customers]).
 *	  mbgnbd_fit and pnbd_fit share bgnbd_fit's state and support functions; only their final
 *	  functions (another model's fit) differ.
 *
 * The state holds the distinct patterns, (x, t_x, T) or (x, monetary), each with the number of
 * customers who share it: ten million customers cost what their distinct patterns cost, and a
 * table of patterns with counts is fitted directly.  Rows are appended to an array; when it is
 * full, the new tail is sorted and merged into the sorted head, equal patterns adding up, and the
 * array doubles only if the head still fills more than half of it.  So the memory is at most
 * about twice the distinct patterns (32 bytes each), and the work is one sort of each row plus
 * linear merges.  A hash table did the same with a random memory access per row: it took a third
 * of a million-customer fit.  The patterns leave the state sorted, which the fit needs anyway
 * (so it does not depend on the order rows arrive in, nor on how parallel workers split them),
 * and which makes the serialized state canonical.  The optimiser of btyd_optimize.c calls back for
 * CHECK_FOR_INTERRUPTS.  A fit that stops early is reported in the model (converged = false),
 * not raised.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
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
PG_FUNCTION_INFO_V1(btyd_mbgnbd_final);
PG_FUNCTION_INFO_V1(btyd_pnbd_final);

/* A pattern: gamma_gamma keeps monetary in t_x and 0 in T. */
typedef struct PatternEntry
{
	float8		t_x;
	float8		T;
	int32		x;
	int32		zero;			/* padding, kept zero */
	int64		count;
} PatternEntry;

typedef struct FitState
{
	uint8		kind;			/* BTYD_KIND_* */
	PatternEntry *items;		/* [0, sorted): distinct, ascending; [sorted, n): appended */
	int64		sorted;
	int64		n;
	int64		capacity;
	int64		customers;
} FitState;

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (FitState *) PG_GETARG_POINTER(n))

/* A serialized pattern: int32 x, float8 t_x, float8 T, int64 count. */
#define SERIAL_PATTERN_SIZE (4 + 8 + 8 + 8)

/* The first array: small, since GROUP BY cohort keeps one state a group. */
#define INITIAL_CAPACITY 64

/* The patterns' order: x, then t_x, then T (btyd_sort_patterns' order for distinct patterns). */
static inline int
entry_cmp(const PatternEntry *a, const PatternEntry *b)
{
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	return 0;
}

#define ST_SORT sort_pattern_entries
#define ST_ELEMENT_TYPE PatternEntry
#define ST_COMPARE(a, b) entry_cmp(a, b)
#define ST_CHECK_FOR_INTERRUPTS
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static FitState *
state_create(MemoryContext context, uint8 kind)
{
	FitState   *state = MemoryContextAlloc(context, sizeof(FitState));

	state->kind = kind;
	state->items = MemoryContextAlloc(context, sizeof(PatternEntry) * INITIAL_CAPACITY);
	state->sorted = 0;
	state->n = 0;
	state->capacity = INITIAL_CAPACITY;
	state->customers = 0;
	return state;
}

/*
 * Sort the appended tail and merge it into the sorted head, equal patterns adding up (no
 * overflow: every count is part of customers, which is checked).  The tail is copied aside and
 * the merge runs from the back, so it never overwrites a head entry it has yet to read; the
 * result ends at the array's end and is moved to its start.
 */
static void
state_compact(FitState *state)
{
	PatternEntry *items = state->items;
	PatternEntry *tail;
	int64		tail_n = state->n - state->sorted;
	int64		h,
				t,
				w;

	if (tail_n == 0)
		return;
	sort_pattern_entries(items + state->sorted, tail_n);
	tail = palloc_extended(sizeof(PatternEntry) * tail_n, MCXT_ALLOC_HUGE);
	memcpy(tail, items + state->sorted, sizeof(PatternEntry) * tail_n);
	h = state->sorted - 1;
	t = tail_n - 1;
	w = state->n;				/* items[w, n) is the merged result so far */
	while (h >= 0 || t >= 0)
	{
		const PatternEntry *next;

		if (t < 0 || (h >= 0 && entry_cmp(&items[h], &tail[t]) > 0))
			next = &items[h--];
		else
			next = &tail[t--];
		if (w < state->n && entry_cmp(next, &items[w]) == 0)
			items[w].count += next->count;
		else
			items[--w] = *next;
	}
	pfree(tail);
	state->n -= w;
	memmove(items, items + w, sizeof(PatternEntry) * state->n);
	state->sorted = state->n;
}

static void
error_too_many(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many customers in one model"),
			 errdetail("A model counts at most %lld customers.", (long long) PG_INT64_MAX)));
}

/* Add count customers with a pattern; the state's array lives in the state's context. */
static void
state_add(FitState *state, int32 x, float8 t_x, float8 T, int64 count)
{
	PatternEntry *entry;

	if (pg_add_s64_overflow(state->customers, count, &state->customers))
		error_too_many();
	if (state->n == state->capacity)
	{
		state_compact(state);
		if (state->n > state->capacity / 2)
		{
			state->capacity *= 2;
			state->items = repalloc_huge(state->items, sizeof(PatternEntry) * state->capacity);
		}
	}
	entry = &state->items[state->n++];
	entry->x = x;
	entry->zero = 0;
	entry->t_x = t_x + 0.0;		/* -0 and +0 are one pattern */
	entry->T = T + 0.0;
	entry->count = count;
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
	for (int64 i = 0; i < other->n; i++)
	{
		const PatternEntry *entry = &other->items[i];

		state_add(state, entry->x, entry->t_x, entry->T, entry->count);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	PG_RETURN_POINTER(state);
}

/*
 * Serialized state: uint8 kind, int64 patterns, then each pattern (SERIAL_PATTERN_SIZE), distinct
 * and in order, so equal states serialize to equal bytes.  Compacting first changes how the state
 * is held, not what it holds.
 */
Datum
btyd_fit_serialize(PG_FUNCTION_ARGS)
{
	FitState   *state = (FitState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, "customer-base model");
	state_compact(state);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, state->kind);
	pq_sendint64(&buf, state->n);
	for (int64 i = 0; i < state->n; i++)
	{
		const PatternEntry *entry = &state->items[i];

		pq_sendint32(&buf, entry->x);
		pq_sendfloat8(&buf, entry->t_x);
		pq_sendfloat8(&buf, entry->T);
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

/* A model of (x, t_x, T) patterns: the bgnbd and the mbgnbd share the state, not the fit. */
typedef BtydFitStatus (*NbdFit) (const BtydPattern *sorted, size_t n, BtydInterrupt interrupt,
								 void *arg, BtydFit *fit);

/*
 * The final functions: NULL without customers.  The state is only read (FINALFUNC_MODIFY =
 * READ_ONLY): a window aggregate may call them again.
 */

static Datum
nbd_final(FunctionCallInfo fcinfo, const BtydKind *kind, NbdFit fit_patterns)
{
	FitState   *state = PG_GETARG_STATE(0);
	BtydPattern *patterns;
	BtydFit		fit;

	summary_aggregate_context(fcinfo, kind->type_name);
	if (state == NULL || state->customers == 0)
		PG_RETURN_NULL();
	state_compact(state);
	/* Distinct and in order: already as btyd_sort_patterns would leave them. */
	patterns = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(BtydPattern) * state->n);
	for (int64 i = 0; i < state->n; i++)
	{
		patterns[i].x = state->items[i].x;
		patterns[i].t_x = state->items[i].t_x;
		patterns[i].T = state->items[i].T;
		patterns[i].weight = (double) state->items[i].count;
	}
	if (fit_patterns(patterns, state->n, btyd_check_interrupts, NULL, &fit) != BTYD_FIT_OK)
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
	return nbd_final(fcinfo, &btyd_bgnbd, btyd_bgnbd_fit);
}

/* mbgnbd_fit: the state of bgnbd_fit (its transition, combine, serial and deserial functions). */
Datum
btyd_mbgnbd_final(PG_FUNCTION_ARGS)
{
	return nbd_final(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_fit);
}

/* pnbd_fit(x, t_x, T [, customers]): the state of bgnbd_fit, the Pareto/NBD optimiser. */
Datum
btyd_pnbd_final(PG_FUNCTION_ARGS)
{
	return nbd_final(fcinfo, &btyd_pnbd, btyd_pnbd_fit);
}

Datum
btyd_gamma_gamma_final(PG_FUNCTION_ARGS)
{
	FitState   *state = PG_GETARG_STATE(0);
	BtydSpendPattern *patterns;
	BtydFit		fit;

	summary_aggregate_context(fcinfo, btyd_gamma_gamma.type_name);
	if (state == NULL || state->customers == 0)
		PG_RETURN_NULL();
	state_compact(state);
	/* Distinct and in order: already as btyd_sort_spend_patterns would leave them. */
	patterns = MemoryContextAllocHuge(CurrentMemoryContext, sizeof(BtydSpendPattern) * state->n);
	for (int64 i = 0; i < state->n; i++)
	{
		patterns[i].x = state->items[i].x;
		patterns[i].monetary = state->items[i].t_x;
		patterns[i].weight = (double) state->items[i].count;
	}
	if (btyd_gg_fit(patterns, state->n, btyd_check_interrupts, NULL, &fit) != BTYD_FIT_OK)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the gamma_gamma likelihood is not finite at the starting point"),
				 errhint("Check the money unit: monetary values far beyond 1e12 cannot be fitted.")));
	pfree(patterns);
	PG_RETURN_POINTER(btyd_from_fit(&fit, &btyd_gamma_gamma, state->customers));
}
