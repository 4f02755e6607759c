/*
 * price_bands_agg.c
 *	  The aggregate price_bands(unit_price): the terciles of the prices, as
 *	  percentile_cont(1/3) and percentile_cont(2/3) give them.  Its state keeps every price
 *	  (exact quantiles need them all: 8 bytes a price while it builds); the combine, serialize
 *	  and deserialize functions let it run on parallel workers, with the same result as one pass.
 *
 * There is no rollup(price_bands): the terciles of a union are not a function of the terciles
 * of its parts, and storing the prices would make the summary as large as the table.
 */
#include "postgres.h"

#include <float.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "price_bands.h"
#include "stats.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(price_bands_trans);
PG_FUNCTION_INFO_V1(price_bands_combine);
PG_FUNCTION_INFO_V1(price_bands_serialize);
PG_FUNCTION_INFO_V1(price_bands_deserialize);
PG_FUNCTION_INFO_V1(price_bands_final);

#define MAX_PRICES	((int64) (MaxAllocHugeSize / sizeof(float8)))

typedef struct BandsState
{
	int64		n;
	int64		capacity;
	float8	   *prices;
} BandsState;

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (BandsState *) PG_GETARG_POINTER(n))

static BandsState *
state_create(MemoryContext context)
{
	BandsState *state = MemoryContextAlloc(context, sizeof(BandsState));

	state->n = 0;
	state->capacity = 16;
	state->prices = MemoryContextAllocHuge(context, sizeof(float8) * state->capacity);
	return state;
}

static void
state_reserve(BandsState *state, int64 more)
{
	int64		needed = state->n + more;
	int64		capacity;

	if (needed <= state->capacity)
		return;
	if (needed > MAX_PRICES)
		summary_error_too_many("prices", "price bands state", MAX_PRICES);
	capacity = Min(Max(needed, state->capacity * 2), MAX_PRICES);
	state->prices = repalloc_huge(state->prices, sizeof(float8) * capacity);
	state->capacity = capacity;
}

/* price_bands(unit_price) transition: a NULL price is skipped, as percentile_cont skips it. */
Datum
price_bands_trans(PG_FUNCTION_ARGS)
{
	BandsState *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, PRICE_BANDS_TYPE_NAME);
	float8		price;

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	price = PG_GETARG_FLOAT8(1);
	price_bands_check_price(price, "price");
	if (state == NULL)
		state = state_create(context);
	state_reserve(state, 1);
	state->prices[state->n++] = price + 0.0;
	PG_RETURN_POINTER(state);
}

/* Not strict: either state may be NULL (a worker that saw no rows).  other is only read. */
Datum
price_bands_combine(PG_FUNCTION_ARGS)
{
	BandsState *state = PG_GETARG_STATE(0);
	BandsState *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, PRICE_BANDS_TYPE_NAME);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(context);
	state_reserve(state, other->n);
	memcpy(state->prices + state->n, other->prices, sizeof(float8) * other->n);
	state->n += other->n;
	PG_RETURN_POINTER(state);
}

/* Serialized state: int64 n, then n float8. */
Datum
price_bands_serialize(PG_FUNCTION_ARGS)
{
	BandsState *state = (BandsState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, PRICE_BANDS_TYPE_NAME);
	pq_begintypsend(&buf);
	pq_sendint64(&buf, state->n);
	for (int64 i = 0; i < state->n; i++)
		pq_sendfloat8(&buf, state->prices[i]);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
price_bands_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	BandsState *state;
	int64		n;

	summary_aggregate_context(fcinfo, PRICE_BANDS_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	if (buf.len < 8)
		summary_error_binary(PRICE_BANDS_TYPE_NAME, "The state is shorter than its 8-byte header.");
	n = pq_getmsgint64(&buf);
	if (n < 0 || n > MAX_PRICES || (uint64) (buf.len - buf.cursor) != sizeof(float8) * (uint64) n)
		summary_error_binary(PRICE_BANDS_TYPE_NAME, "The state's header does not match its length.");
	state = state_create(CurrentMemoryContext);
	state_reserve(state, n);
	for (int64 i = 0; i < n; i++)
	{
		float8		v = pq_getmsgfloat8(&buf);

		if (!(v >= 0 && v <= DBL_MAX))
			summary_error_binary(PRICE_BANDS_TYPE_NAME, "A price is negative or not finite.");
		state->prices[i] = v;
	}
	state->n = n;
	PG_RETURN_POINTER(state);
}

/*
 * The cut points: percentile_cont(1/3) and percentile_cont(2/3) of the prices, by selection
 * rather than a full sort.  Reordering the prices in place leaves their multiset, all the bands
 * depend on, unchanged: a window aggregate may call this again (FINALFUNC_MODIFY = READ_ONLY).
 * No prices: NULL, as percentile_cont.
 */
Datum
price_bands_final(PG_FUNCTION_ARGS)
{
	BandsState *state = PG_GETARG_STATE(0);
	const double ps[2] = {1.0 / 3.0, 2.0 / 3.0};
	double		cuts[2];

	summary_aggregate_context(fcinfo, PRICE_BANDS_TYPE_NAME);
	if (state == NULL || state->n == 0)
		PG_RETURN_NULL();
	CHECK_FOR_INTERRUPTS();
	stats_percentiles_cont(state->prices, state->n, ps, 2, cuts);
	PG_RETURN_PRICE_BANDS_P(price_bands_make(cuts[0], cuts[1], state->n));
}
