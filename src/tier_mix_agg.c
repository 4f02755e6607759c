/*
 * tier_mix_agg.c
 *	  The aggregates tier_mix(tier, amount), over a customer's order lines, and rollup(tier_mix),
 *	  over stored mixes, with their combine, serialize and deserialize functions.
 *
 * Amounts are summed exactly when they are decimals (money: stats_decimal of stats.h, one
 * rounding at the end, as sum(numeric)::float8 gives), else with a compensated sum.  A stored
 * amount is the double nearest to its exact decimal sum, which reads back as that decimal: so
 * rollup of the mixes of parts equals the mix of the whole, and parallel equals serial.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/int.h"
#include "libpq/pqformat.h"

#include "labels.h"
#include "stats.h"
#include "summary.h"
#include "tier_mix.h"

PG_FUNCTION_INFO_V1(tier_mix_trans);
PG_FUNCTION_INFO_V1(tier_mix_rollup_trans);
PG_FUNCTION_INFO_V1(tier_mix_combine);
PG_FUNCTION_INFO_V1(tier_mix_serialize);
PG_FUNCTION_INFO_V1(tier_mix_deserialize);
PG_FUNCTION_INFO_V1(tier_mix_final);

/* The largest decimal scale stats_decimal uses (stats.c). */
#define MAX_DECIMAL_SCALE	8
#define EXACT_INTEGER_LIMIT	9007199254740992.0	/* 2^53 */

typedef struct TierSum
{
	int64		lines;
	bool		exact;			/* decimal still holds the exact sum */
	stats_decimal decimal;
	stats_sum	sum;			/* compensated, always kept */
} TierSum;

typedef struct MixState
{
	TierSum		tiers[PRICE_TIERS];
} MixState;

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (MixState *) PG_GETARG_POINTER(n))

static MixState *
state_create(MemoryContext context)
{
	MixState   *state = MemoryContextAllocZero(context, sizeof(MixState));

	for (int t = 0; t < PRICE_TIERS; t++)
		state->tiers[t].exact = true;
	return state;
}

static void
add_lines(TierSum *s, int tier, int64 lines)
{
	if (unlikely(pg_add_s64_overflow(s->lines, lines, &s->lines)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("line count out of range"),
				 errdetail("The lines of the %s tier would be more than " INT64_FORMAT ".",
						   price_tier_labels[tier], PG_INT64_MAX)));
}

/* amount: finite, zero or more, checked by the caller. */
static inline void
add_amount(TierSum *s, float8 amount)
{
	if (s->exact && !stats_decimal_add(&s->decimal, &amount, 1))
		s->exact = false;
	stats_sum_add(&s->sum, amount);
}

/*
 * tier_mix(tier, amount) transition: one order line.  A row with a NULL tier or amount is
 * skipped, as sum() skips NULLs.  A negative amount (a refund) is an error: shares of a mix
 * with negative parts would not lie between 0 and 1.
 */
Datum
tier_mix_trans(PG_FUNCTION_ARGS)
{
	MixState   *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);
	const Oid  *labels;
	float8		amount;
	int			tier;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	amount = PG_GETARG_FLOAT8(2);
	if (!(amount >= 0 && amount <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid amount \"%s\"", summary_float8_text(amount, buf)),
				 errdetail("Amounts must be finite numbers, zero or more."),
				 errhint("Leave returns out of the mix, or net them out per line first.")));
	}
	labels = labels_of_argument(fcinfo, 1, price_tier_labels, PRICE_TIERS);
	tier = labels_index(labels, PRICE_TIERS, PG_GETARG_OID(1), "price_tier");
	if (state == NULL)
		state = state_create(context);
	add_lines(&state->tiers[tier], tier, 1);
	add_amount(&state->tiers[tier], amount + 0.0);
	PG_RETURN_POINTER(state);
}

/* rollup(tier_mix) transition: a NULL mix is skipped. */
Datum
tier_mix_rollup_trans(PG_FUNCTION_ARGS)
{
	MixState   *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);
	TierMix    *m;

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	m = PG_GETARG_TIER_MIX_P(1);
	if (state == NULL)
		state = state_create(context);
	for (int t = 0; t < PRICE_TIERS; t++)
		if (m->tiers[t].lines > 0)
		{
			add_lines(&state->tiers[t], t, m->tiers[t].lines);
			add_amount(&state->tiers[t], m->tiers[t].amount);
		}
	PG_RETURN_POINTER(state);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  other is only read.  An
 * exact part enters as its rounded sum, which reads back as the same decimal (a sum below 2^53
 * units of at most 8 places).
 */
Datum
tier_mix_combine(PG_FUNCTION_ARGS)
{
	MixState   *state = PG_GETARG_STATE(0);
	MixState   *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(context);
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		TierSum    *s = &state->tiers[t];
		const TierSum *o = &other->tiers[t];

		if (o->lines == 0)
			continue;
		add_lines(s, t, o->lines);
		if (s->exact && o->exact)
		{
			double		v = stats_decimal_value(&o->decimal, 1);

			if (!stats_decimal_add(&s->decimal, &v, 1))
				s->exact = false;
		}
		else
			s->exact = false;
		stats_sum_add(&s->sum, o->sum.sum);
		stats_sum_add(&s->sum, o->sum.compensation);
	}
	PG_RETURN_POINTER(state);
}

/* Serialized state, per tier: int64 lines, uint8 exact, int64 units, uint8 scale, float8 x 2. */
Datum
tier_mix_serialize(PG_FUNCTION_ARGS)
{
	MixState   *state = (MixState *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);
	pq_begintypsend(&buf);
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		const TierSum *s = &state->tiers[t];

		pq_sendint64(&buf, s->lines);
		pq_sendbyte(&buf, s->exact ? 1 : 0);
		pq_sendint64(&buf, s->decimal.units);
		pq_sendbyte(&buf, s->decimal.scale);
		pq_sendfloat8(&buf, s->sum.sum);
		pq_sendfloat8(&buf, s->sum.compensation);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

#define SERIALIZED_TIER_SIZE	(8 + 1 + 8 + 1 + 8 + 8)

Datum
tier_mix_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	MixState   *state;

	summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	if (buf.len != PRICE_TIERS * SERIALIZED_TIER_SIZE)
		summary_error_binary(TIER_MIX_TYPE_NAME, "The state's length is not that of three tiers.");
	state = state_create(CurrentMemoryContext);
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		TierSum    *s = &state->tiers[t];
		int			exact;

		s->lines = pq_getmsgint64(&buf);
		exact = pq_getmsgbyte(&buf);
		s->decimal.units = pq_getmsgint64(&buf);
		s->decimal.scale = pq_getmsgbyte(&buf);
		s->sum.sum = pq_getmsgfloat8(&buf);
		s->sum.compensation = pq_getmsgfloat8(&buf);
		if (s->lines < 0 || exact > 1 || s->decimal.scale > MAX_DECIMAL_SCALE ||
			s->decimal.units < 0 || (double) s->decimal.units >= EXACT_INTEGER_LIMIT ||
			isnan(s->sum.sum) || isnan(s->sum.compensation))
			summary_error_binary(TIER_MIX_TYPE_NAME, "A tier's lines or sums are out of range.");
		s->exact = exact == 1;
	}
	PG_RETURN_POINTER(state);
}

/* The mix; NULL when no line was aggregated.  Reads the state only (FINALFUNC_MODIFY = READ_ONLY). */
Datum
tier_mix_final(PG_FUNCTION_ARGS)
{
	MixState   *state = PG_GETARG_STATE(0);
	TierMix    *m;

	summary_aggregate_context(fcinfo, TIER_MIX_TYPE_NAME);
	if (state == NULL)
		PG_RETURN_NULL();
	m = tier_mix_allocate();
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		const TierSum *s = &state->tiers[t];
		float8		amount = s->exact ? stats_decimal_value(&s->decimal, 1) : stats_sum_result(&s->sum);

		if (!(amount <= DBL_MAX))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("amount out of range"),
					 errdetail("The amount of the %s tier is beyond float8.", price_tier_labels[t])));
		m->tiers[t].lines = s->lines;
		m->tiers[t].amount = amount + 0.0;
	}
	PG_RETURN_TIER_MIX_P(m);
}
