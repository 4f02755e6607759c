/*
 * paths_agg.c
 *	  The aggregates that build paths summaries: paths(seq, within) over customers' item
 *	  sequences, and rollup(paths) over stored summaries.  They share one transition state, one
 *	  combine, serialize, deserialize and final function; the final form is canonical, so any
 *	  split of the customers (parallel workers, rollup of parts) gives the same bytes as one pass.
 *
 * One customer's pairs.  A pair (A, B), A != B, is on the customer's path when some B was bought
 * at a time strictly later than some A, at most `within` later; its lag is the shortest such
 * B - A.  The events are walked in time order; from each B the walk goes back through the
 * window, and the first A met (the latest A before this B) gives this B's shortest lag from A.
 * The shortest over every B is kept in a per-customer table: a dense matrix for customers with
 * few items, a hash table otherwise, at most PATHS_MAX_CUSTOMER_PAIRS pairs a customer.  Cost:
 * for each purchase, the purchases in the window before it.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "item_sequence.h"
#include "paths.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(paths_trans);
PG_FUNCTION_INFO_V1(paths_rollup_trans);
PG_FUNCTION_INFO_V1(paths_combine);
PG_FUNCTION_INFO_V1(paths_serialize);
PG_FUNCTION_INFO_V1(paths_deserialize);
PG_FUNCTION_INFO_V1(paths_final);

/* Customers with at most DENSE_ITEMS items use a matrix of their pairs. */
#define DENSE_ITEMS		64
/* One customer's distinct pairs: 1,000 items bought within one window. */
#define PATHS_MAX_CUSTOMER_PAIRS	1000000

typedef struct LocalPair
{
	uint64		key;			/* first << 32 | then, the sequence's item indices */
	int64		lag;
	char		status;
} LocalPair;

#define SH_PREFIX		localtab
#define SH_ELEMENT_TYPE	LocalPair
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	murmurhash32((uint32) ((k) ^ ((k) >> 29)))
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct PathsAggState
{
	PathsState *paths;
	MemoryContext cxt;
	int64	   *matrix;			/* DENSE_ITEMS^2 shortest lags, 0: none */
	int32	   *touched;		/* the matrix cells set for this customer */
	MemoryContext scratch;		/* per-customer tables of customers with many items */
} PathsAggState;

static PathsAggState *
state_create(MemoryContext cxt)
{
	PathsAggState *st = MemoryContextAllocZero(cxt, sizeof(PathsAggState));

	st->cxt = cxt;
	st->paths = paths_state_create(cxt);
	return st;
}

static PathsAggState *
state_of(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return state_create(summary_aggregate_context(fcinfo, PATHS_TYPE_NAME));
	return (PathsAggState *) PG_GETARG_POINTER(0);
}

/* The window in microseconds: an elapsed time, so no months (a month is no fixed length). */
static int64
window_usec(const Interval *within)
{
	int64		days;
	int64		usec;

	if (within->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window must not contain months or years"),
				 errdetail("A month is no fixed length; the window is an elapsed time."),
				 errhint("Give the window in days, for example '30 days'.")));
	if (pg_mul_s64_overflow(within->day, USECS_PER_DAY, &days) ||
		pg_add_s64_overflow(days, within->time, &usec))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("window out of range")));
	if (usec <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window must be positive"),
				 errdetail("The window is the longest time from a purchase to the one that follows it on a path."),
				 errhint("For example '30 days'.")));
	return usec;
}

static void
too_many_pairs(int32 nitems)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many pairs for one customer"),
			 errdetail("A customer's %d items give more than %d pairs within the window.",
					   nitems, PATHS_MAX_CUSTOMER_PAIRS),
			 errhint("Leave out accounts that are not one customer (resellers, test accounts), or shorten the window.")));
}

/* Every pair of one customer's sequence into the state. */
static void
add_sequence(PathsAggState *st, const ItemSequence *seq, int64 within)
{
	PathsState *ps = st->paths;
	int32		n = seq->nevents;
	int32		nitems = seq->nitems;
	const int64 *times = IS_TIMES(seq);
	const int32 *items = IS_ITEMS(seq);
	const char *text = IS_TEXT(seq);
	int32	   *ids;
	int32	   *seen;
	bool		dense = nitems <= DENSE_ITEMS;
	localtab_hash *local = NULL;
	int32		ntouched = 0;
	int64		steps = 0;

	if (n == 0)
		return;					/* bought nothing: on no path, and no customer of any item */
	paths_state_add_customers(ps, 1);
	ids = palloc(nitems * sizeof(int32));
	for (int32 k = 0; k < nitems; k++)
	{
		ids[k] = paths_state_item(ps, text + IS_ITEM_START(seq, k), IS_ITEM_LEN(seq, k));
		paths_state_add_buyers(ps, ids[k], 1);
	}
	if (nitems < 2)
	{
		pfree(ids);
		return;
	}

	if (dense && st->matrix == NULL)
	{
		st->matrix = MemoryContextAllocZero(st->cxt, DENSE_ITEMS * DENSE_ITEMS * sizeof(int64));
		st->touched = MemoryContextAlloc(st->cxt, DENSE_ITEMS * DENSE_ITEMS * sizeof(int32));
	}
	if (!dense)
	{
		if (st->scratch == NULL)
			st->scratch = AllocSetContextCreate(st->cxt, "paths customer pairs",
												ALLOCSET_DEFAULT_SIZES);
		local = localtab_create(st->scratch, 1024, NULL);
	}
	seen = palloc0(nitems * sizeof(int32));

	for (int32 i = 0; i < n; i++)
	{
		int32		b = items[i];
		uint64		t = (uint64) times[i];

		for (int32 j = i - 1; j >= 0; j--)
		{
			/* times ascend, so the lag grows as j falls; unsigned: no overflow */
			uint64		lag = t - (uint64) times[j];
			int32		a = items[j];

			if (lag > (uint64) within)
				break;
			if (lag == 0 || a == b || seen[a] == i + 1)
				continue;
			seen[a] = i + 1;	/* the latest A before this B: its shortest lag */
			if ((++steps & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (dense)
			{
				int32		cell = a * DENSE_ITEMS + b;

				if (st->matrix[cell] == 0)
				{
					st->touched[ntouched++] = cell;
					st->matrix[cell] = (int64) lag;
				}
				else if ((int64) lag < st->matrix[cell])
					st->matrix[cell] = (int64) lag;
			}
			else
			{
				bool		found;
				LocalPair  *entry = localtab_insert(local, ((uint64) a << 32) | (uint32) b, &found);

				if (!found)
				{
					entry->lag = (int64) lag;
					if (local->members > PATHS_MAX_CUSTOMER_PAIRS)
						too_many_pairs(nitems);
				}
				else if ((int64) lag < entry->lag)
					entry->lag = (int64) lag;
			}
		}
	}

	if (dense)
	{
		for (int32 c = 0; c < ntouched; c++)
		{
			int32		cell = st->touched[c];

			paths_state_add_lag(ps, ids[cell / DENSE_ITEMS], ids[cell % DENSE_ITEMS],
								st->matrix[cell]);
			st->matrix[cell] = 0;
		}
	}
	else
	{
		localtab_iterator it;
		LocalPair  *entry;

		localtab_start_iterate(local, &it);
		while ((entry = localtab_iterate(local, &it)) != NULL)
			paths_state_add_lag(ps, ids[entry->key >> 32], ids[(uint32) entry->key], entry->lag);
		MemoryContextReset(st->scratch);
	}
	pfree(seen);
	pfree(ids);
}

/*
 * paths(seq, within) transition.  A NULL sequence is skipped; an empty one (no purchases) is
 * no customer.  The window must be the same in every row.
 */
Datum
paths_trans(PG_FUNCTION_ARGS)
{
	PathsAggState *st;
	int64		within;

	if (PG_ARGISNULL(2))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("window must not be null"),
				 errhint("Give the window of the paths, for example '30 days'.")));
	within = window_usec(PG_GETARG_INTERVAL_P(2));
	if (PG_ARGISNULL(1) && PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = state_of(fcinfo);
	paths_state_within(st->paths, within, true);
	if (!PG_ARGISNULL(1))
		add_sequence(st, PG_GETARG_ITEM_SEQUENCE_P(1), within);
	PG_RETURN_POINTER(st);
}

/* rollup(paths) transition: NULL summaries are skipped. */
Datum
paths_rollup_trans(PG_FUNCTION_ARGS)
{
	PathsAggState *st;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	st = state_of(fcinfo);
	paths_state_add_summary(st->paths, PG_GETARG_PATHS_P(1));
	PG_RETURN_POINTER(st);
}

Datum
paths_combine(PG_FUNCTION_ARGS)
{
	PathsAggState *st;

	summary_aggregate_context(fcinfo, PATHS_TYPE_NAME);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	st = state_of(fcinfo);
	paths_state_add_state(st->paths, ((PathsAggState *) PG_GETARG_POINTER(1))->paths);
	PG_RETURN_POINTER(st);
}

/* The state travels as the binary form of its summary. */
Datum
paths_serialize(PG_FUNCTION_ARGS)
{
	PathsAggState *st = (PathsAggState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, PATHS_TYPE_NAME);
	pq_begintypsend(&buf);
	paths_write_binary(&buf, paths_build(st->paths));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
paths_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = summary_aggregate_context(fcinfo, PATHS_TYPE_NAME);
	StringInfoData buf;
	PathsAggState *st;

	summary_binary_buffer(PG_GETARG_BYTEA_PP(0), &buf);
	st = state_create(cxt);
	paths_state_add_summary(st->paths, paths_read_binary(&buf));
	PG_RETURN_POINTER(st);
}

/* No rows, or only NULL sequences: NULL. */
Datum
paths_final(PG_FUNCTION_ARGS)
{
	PathsAggState *st;

	summary_aggregate_context(fcinfo, PATHS_TYPE_NAME);
	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = (PathsAggState *) PG_GETARG_POINTER(0);
	if (!paths_state_has_within(st->paths))
		PG_RETURN_NULL();
	PG_RETURN_PATHS_P(paths_build(st->paths));
}
