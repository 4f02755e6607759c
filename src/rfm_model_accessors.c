/*
 * rfm_model_accessors.c
 *	  Building a model from explicit cut points, and scoring customers with a model:
 *	  rfm_model(r_bounds, f_bounds, m_bounds) and rfm_score(model, recency_days, frequency,
 *	  monetary).
 *
 * Scoring: a metric's position is 1 + the number of cut points below the value, so a value
 * equal to a cut point takes the lower score; equal values always score the same.  Recency is
 * reversed (fewer days since the last order score higher): its score is 1 + the number of
 * cut points above the value, so there too a value equal to a cut point takes the lower score.
 * Scores keep the 1..bins scale when ties make cut points equal: some scores are then unused.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "rfm_model.h"
#include "rfm_score.h"

PG_FUNCTION_INFO_V1(rfm_model_from_bounds);
PG_FUNCTION_INFO_V1(rfm_model_score);
PG_FUNCTION_INFO_V1(rfm_model_bins);

static const char *const bound_names[3] = {"r_bounds", "f_bounds", "m_bounds"};

Datum
rfm_model_from_bounds(PG_FUNCTION_ARGS)
{
	int			n = -1;
	RfmModel   *model = NULL;

	for (int metric = 0; metric < 3; metric++)
	{
		ArrayType  *a = PG_GETARG_ARRAYTYPE_P(metric);
		int			count = ArrayGetNItems(ARR_NDIM(a), ARR_DIMS(a));

		if (ARR_NDIM(a) > 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s must be a one-dimensional array", bound_names[metric])));
		if (array_contains_nulls(a))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", bound_names[metric])));
		if (metric == 0)
		{
			if (count < RFM_MIN_BINS - 1 || count > RFM_MAX_BINS - 1)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("r_bounds must hold between %d and %d cut points, not %d",
								RFM_MIN_BINS - 1, RFM_MAX_BINS - 1, count),
						 errdetail("A model of bins scores has bins - 1 cut points a metric.")));
			n = count;
			model = rfm_allocate(n + 1);
		}
		else if (count != n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s has %d cut points and r_bounds %d", bound_names[metric], count, n),
					 errdetail("The three metrics have the same number of cut points, bins - 1.")));
		memcpy(RFM_CUTS(model, metric), ARR_DATA_PTR(a), sizeof(float8) * n);
	}
	rfm_check_cuts(model, NULL);
	PG_RETURN_RFM_MODEL_P(model);
}

/* 1 + the number of cut points below value (above it, reversed, for recency). */
static int
score_of(const RfmModel *model, int metric, float8 value)
{
	const float8 *cuts = RFM_CUTS(model, metric);
	int			score = 1;

	rfm_check_value(metric, value);
	for (int i = 0; i < model->bins - 1; i++)
		score += metric == 0 ? (cuts[i] > value) : (cuts[i] < value);
	return score;
}

Datum
rfm_model_score(PG_FUNCTION_ARGS)
{
	RfmModel   *model = PG_GETARG_RFM_MODEL_P(0);
	int			s[3];

	for (int metric = 0; metric < 3; metric++)
		s[metric] = score_of(model, metric, PG_GETARG_FLOAT8(metric + 1));
	PG_RETURN_RFM_SCORE(RFM_SCORE_MAKE(s[0], s[1], s[2]));
}

Datum
rfm_model_bins(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_RFM_MODEL_P(0)->bins);
}
