/*
 * tier_mix_accessors.c
 *	  Reading a tier mix: dominant_tier(m), tier_share(m, tier), tier_amount(m, tier) and
 *	  tier_lines(m, tier).
 */
#include "postgres.h"

#include <math.h>

#include "utils/lsyscache.h"

#include "labels.h"
#include "tier_mix.h"

PG_FUNCTION_INFO_V1(tier_mix_dominant_tier);
PG_FUNCTION_INFO_V1(tier_mix_share);
PG_FUNCTION_INFO_V1(tier_mix_amount);
PG_FUNCTION_INFO_V1(tier_mix_lines);

/* The tier argument (argument 1) as a position. */
static int
tier_argument(FunctionCallInfo fcinfo)
{
	const Oid  *labels = labels_of_argument(fcinfo, 1, price_tier_labels, PRICE_TIERS);

	return labels_index(labels, PRICE_TIERS, PG_GETARG_OID(1), "price_tier");
}

/*
 * dominant_tier(m): the tier with the largest amount; on equal amounts the lower tier (the
 * cautious recommendation).  NULL when the mix has no amount at all.
 */
Datum
tier_mix_dominant_tier(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);
	const Oid  *labels = labels_of_call(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid),
									  price_tier_labels, PRICE_TIERS);
	int			best = 0;

	for (int t = 1; t < PRICE_TIERS; t++)
		if (m->tiers[t].amount > m->tiers[best].amount)
			best = t;
	if (m->tiers[best].amount == 0)
		PG_RETURN_NULL();
	PG_RETURN_OID(labels[best]);
}

/*
 * tier_share(m, tier): the tier's amount over the mix's total amount, 0..1; NULL when the total
 * is 0 (no spend to share).
 */
Datum
tier_mix_share(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);
	int			tier = tier_argument(fcinfo);
	float8		total = 0;

	for (int t = 0; t < PRICE_TIERS; t++)
		total += m->tiers[t].amount;
	if (total == 0)
		PG_RETURN_NULL();
	if (isinf(total))
	{
		/* amounts near the float8 limit: halve them all (exactly) so that the total fits */
		total = 0;
		for (int t = 0; t < PRICE_TIERS; t++)
			total += m->tiers[t].amount / 2;
		PG_RETURN_FLOAT8((m->tiers[tier].amount / 2) / total);
	}
	PG_RETURN_FLOAT8(m->tiers[tier].amount / total);
}

Datum
tier_mix_amount(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);

	PG_RETURN_FLOAT8(m->tiers[tier_argument(fcinfo)].amount);
}

Datum
tier_mix_lines(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);

	PG_RETURN_INT64(m->tiers[tier_argument(fcinfo)].lines);
}
