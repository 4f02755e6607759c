/*
 * btyd_accessors.c
 *	  What a fitted model gives: params(model) and the scoring functions p_alive (at T, or t
 *	  units later), expected_purchases (conditional on a customer's summary, or for a new
 *	  customer), p_no_purchase, prob_purchases, expected_spend and clv, for the bgnbd, the
 *	  mbgnbd and the pnbd (the same signatures, and one C path each with the model's formulas
 *	  passed in).  All IMMUTABLE: they read the model and their arguments only.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "btyd.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(bgnbd_params);
PG_FUNCTION_INFO_V1(gamma_gamma_params);
PG_FUNCTION_INFO_V1(bgnbd_p_alive);
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(bgnbd_expected_purchases_new);
PG_FUNCTION_INFO_V1(bgnbd_p_no_purchase);
PG_FUNCTION_INFO_V1(bgnbd_prob_purchases);
PG_FUNCTION_INFO_V1(gamma_gamma_expected_spend);
PG_FUNCTION_INFO_V1(btyd_clv);
PG_FUNCTION_INFO_V1(bgnbd_p_alive_ahead);
PG_FUNCTION_INFO_V1(mbgnbd_params);
PG_FUNCTION_INFO_V1(mbgnbd_p_alive);
PG_FUNCTION_INFO_V1(mbgnbd_p_alive_ahead);
PG_FUNCTION_INFO_V1(mbgnbd_expected_purchases);
PG_FUNCTION_INFO_V1(mbgnbd_expected_purchases_new);
PG_FUNCTION_INFO_V1(mbgnbd_p_no_purchase);
PG_FUNCTION_INFO_V1(mbgnbd_prob_purchases);
PG_FUNCTION_INFO_V1(mbgnbd_clv);
PG_FUNCTION_INFO_V1(pnbd_params);
PG_FUNCTION_INFO_V1(pnbd_p_alive);
PG_FUNCTION_INFO_V1(pnbd_p_alive_at);
PG_FUNCTION_INFO_V1(pnbd_expected_purchases);
PG_FUNCTION_INFO_V1(pnbd_expected_purchases_new);
PG_FUNCTION_INFO_V1(pnbd_p_no_purchase);
PG_FUNCTION_INFO_V1(pnbd_prob_purchases);
PG_FUNCTION_INFO_V1(pnbd_clv);

/*
 * params(model) -> the parameters, ll, customers, converged, iterations, gradient_norm and the
 * standard errors (NULL where the Hessian at the optimum was not positive definite).
 */
static Datum
model_params(FunctionCallInfo fcinfo, const BtydKind *kind, const BtydModel *model)
{
	TupleDesc	desc;
	Datum		values[5 + 2 * BTYD_MAX_PARAMS];
	bool		nulls[5 + 2 * BTYD_MAX_PARAMS];
	int			k = 0;

	desc = summary_result_desc(fcinfo);
	memset(nulls, 0, sizeof(nulls));
	for (int i = 0; i < kind->nparams; i++)
		values[k++] = Float8GetDatum(model->params[i]);
	values[k++] = Float8GetDatum(model->ll);
	values[k++] = Int64GetDatum(model->customers);
	values[k++] = BoolGetDatum(BTYD_CONVERGED(model));
	values[k++] = Int32GetDatum(model->iterations);
	values[k++] = Float8GetDatum(model->grad_norm);
	for (int i = 0; i < kind->nparams; i++)
	{
		nulls[k] = isnan(model->se[i]);
		values[k++] = Float8GetDatum(model->se[i]);
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(desc, values, nulls)));
}

Datum
bgnbd_params(PG_FUNCTION_ARGS)
{
	return model_params(fcinfo, &btyd_bgnbd, PG_GETARG_BGNBD_P(0));
}

Datum
gamma_gamma_params(PG_FUNCTION_ARGS)
{
	return model_params(fcinfo, &btyd_gamma_gamma, PG_GETARG_GAMMA_GAMMA_P(0));
}

/* A horizon t: finite, zero or more (22023). */
static void
check_horizon(float8 t)
{
	if (!(t >= 0 && t <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t must be finite, zero or more, not %s", summary_float8_text(t, buf)),
				 errdetail("t is a length of time in the model's unit.")));
	}
}

/* p_alive(model, x, t_x, T): the probability that the customer is still active at T. */
typedef double (*AliveScore) (const double *params, double x, double t_x, double T);

static Datum
p_alive(FunctionCallInfo fcinfo, const BtydKind *kind, AliveScore score)
{
	BtydModel  *model = btyd_detoast(PG_GETARG_DATUM(0), kind);
	int32		x = PG_GETARG_INT32(1);
	float8		t_x = PG_GETARG_FLOAT8(2);
	float8		T = PG_GETARG_FLOAT8(3);

	btyd_check_summary(x, t_x, T);
	PG_RETURN_FLOAT8(score(model->params, x, t_x, T));
}

Datum
bgnbd_p_alive(PG_FUNCTION_ARGS)
{
	return p_alive(fcinfo, &btyd_bgnbd, btyd_bgnbd_p_alive);
}

/* A function of (model, t, x, t_x, T): its arguments, checked. */
typedef double (*HorizonScore) (const double *params, double t, double x, double t_x, double T);

static Datum
horizon_score(FunctionCallInfo fcinfo, const BtydKind *kind, HorizonScore score)
{
	BtydModel  *model = btyd_detoast(PG_GETARG_DATUM(0), kind);
	float8		t = PG_GETARG_FLOAT8(1);
	int32		x = PG_GETARG_INT32(2);
	float8		t_x = PG_GETARG_FLOAT8(3);
	float8		T = PG_GETARG_FLOAT8(4);

	check_horizon(t);
	btyd_check_summary(x, t_x, T);
	PG_RETURN_FLOAT8(score(model->params, t, x, t_x, T));
}

/* expected_purchases(model, t, x, t_x, T): expected purchases in (T, T + t]. */
Datum
bgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_bgnbd, btyd_bgnbd_expected);
}

/* p_no_purchase(model, t, x, t_x, T): the probability of no purchase in (T, T + t]. */
Datum
bgnbd_p_no_purchase(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_bgnbd, btyd_bgnbd_p_no_purchase);
}

/* expected_purchases(model, t): expected purchases of a new customer in (0, t]. */
static Datum
expected_purchases_new(FunctionCallInfo fcinfo, const BtydKind *kind, HorizonScore expected)
{
	BtydModel  *model = btyd_detoast(PG_GETARG_DATUM(0), kind);
	float8		t = PG_GETARG_FLOAT8(1);

	check_horizon(t);
	PG_RETURN_FLOAT8(expected(model->params, t, 0, 0, 0));
}

Datum
bgnbd_expected_purchases_new(PG_FUNCTION_ARGS)
{
	return expected_purchases_new(fcinfo, &btyd_bgnbd, btyd_bgnbd_expected);
}

/* prob_purchases(model, n, t): P(X(t) = n) for a new customer. */
typedef double (*ProbPurchases) (const double *params, int32_t n, double t,
								 BtydInterrupt interrupt, void *arg);

static Datum
prob_purchases(FunctionCallInfo fcinfo, const BtydKind *kind, ProbPurchases prob)
{
	BtydModel  *model = btyd_detoast(PG_GETARG_DATUM(0), kind);
	int32		n = PG_GETARG_INT32(1);
	float8		t = PG_GETARG_FLOAT8(2);
	float8		v;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("n must not be negative, not %d", n),
				 errdetail("n is a number of purchases.")));
	check_horizon(t);
	v = prob(model->params, n, t, btyd_check_interrupts, NULL);
	if (isnan(v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("P(X(t) = %d) cannot be evaluated for this model", n),
				 errdetail("Its parameters are beyond the range its evaluation handles.")));
	PG_RETURN_FLOAT8(v);
}

Datum
bgnbd_prob_purchases(PG_FUNCTION_ARGS)
{
	return prob_purchases(fcinfo, &btyd_bgnbd, btyd_bgnbd_prob_purchases);
}

/*
 * expected_spend(model, x, monetary): the expected value of the customer's next purchases,
 * p (gamma + x monetary) / (p x + q - 1); for x = 0 the population mean p gamma / (q - 1),
 * whatever monetary (NULL from btyd_summary).  Not strict for that reason: NULL model or x
 * gives NULL, and so does a NULL monetary with x >= 1.
 */
Datum
gamma_gamma_expected_spend(PG_FUNCTION_ARGS)
{
	BtydModel  *model;
	int32		x;
	float8		monetary = 0.0;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_NULL();
	model = PG_GETARG_GAMMA_GAMMA_P(0);
	x = PG_GETARG_INT32(1);
	if (x < 0)
		btyd_check_summary(x, 0, 0);
	if (x > 0)
	{
		if (PG_ARGISNULL(2))
			PG_RETURN_NULL();
		monetary = PG_GETARG_FLOAT8(2);
		btyd_check_spend(x, monetary);
	}
	PG_RETURN_FLOAT8(btyd_gg_expected_spend(model->params, x, monetary));
}

/* The most periods clv sums: a century of weeks. */
#define CLV_MAX_PERIODS 10000

/*
 * clv(model, gg, x, t_x, T, monetary, periods, period, discount_rate [, unit]): the customer's
 * expected value over the coming periods,
 *
 *	 sum_{k=1..periods} (E[Y(k P)] - E[Y((k-1) P)]) * expected_spend / (1 + discount_rate)^k
 *
 * with E[Y(t)] the conditional expected purchases, P the period in the model's time unit
 * (period / unit, both fixed lengths: no months) and the spend of gg.  Not strict: monetary may
 * be NULL for x = 0; any other NULL gives NULL.
 */
static Datum
clv(FunctionCallInfo fcinfo, const BtydKind *kind, HorizonScore expected)
{
	BtydModel  *bg,
			   *gg;
	int32		x,
				periods;
	float8		t_x,
				T,
				monetary = 0.0,
				rate,
				step,
				spend,
				previous = 0.0,
				discount = 1.0,
				value = 0.0;

	for (int i = 0; i < PG_NARGS(); i++)
		if (PG_ARGISNULL(i) && i != 5)
			PG_RETURN_NULL();
	bg = btyd_detoast(PG_GETARG_DATUM(0), kind);
	gg = PG_GETARG_GAMMA_GAMMA_P(1);
	x = PG_GETARG_INT32(2);
	t_x = PG_GETARG_FLOAT8(3);
	T = PG_GETARG_FLOAT8(4);
	periods = PG_GETARG_INT32(6);
	rate = PG_GETARG_FLOAT8(8);
	btyd_check_summary(x, t_x, T);
	if (x > 0)
	{
		if (PG_ARGISNULL(5))
			PG_RETURN_NULL();
		monetary = PG_GETARG_FLOAT8(5);
		btyd_check_spend(x, monetary);
	}
	if (periods < 0 || periods > CLV_MAX_PERIODS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("periods must be between 0 and %d, not %d", CLV_MAX_PERIODS, periods)));
	if (!(rate > -1 && rate <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("discount_rate must be finite and greater than -1, not %s",
						summary_float8_text(rate, buf)),
				 errdetail("discount_rate is a rate per period: 0.01 discounts each period by 1%%.")));
	}
	step = btyd_unit_days(PG_GETARG_INTERVAL_P(7), "period") /
		btyd_unit_days(PG_GETARG_INTERVAL_P(9), "unit");
	spend = btyd_gg_expected_spend(gg->params, x, monetary);
	for (int32 k = 1; k <= periods; k++)
	{
		float8		cumulative = expected(bg->params, k * step, x, t_x, T);

		CHECK_FOR_INTERRUPTS();
		discount /= 1.0 + rate;
		value += (cumulative - previous) * spend * discount;
		previous = cumulative;
	}
	PG_RETURN_FLOAT8(value);
}

Datum
btyd_clv(PG_FUNCTION_ARGS)
{
	return clv(fcinfo, &btyd_bgnbd, btyd_bgnbd_expected);
}

Datum
mbgnbd_clv(PG_FUNCTION_ARGS)
{
	return clv(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_expected);
}

/* ---------------------------------------------------------------------------------------------
 * P(alive) t units after T, and the MBG/NBD's scoring: the BG/NBD's signatures
 * ---------------------------------------------------------------------------------------------
 */

typedef double (*AliveAhead) (const double *params, double x, double t_x, double T, double t);

/* p_alive(model, x, t_x, T, t): alive t units after T, given no information after T. */
static Datum
p_alive_ahead(FunctionCallInfo fcinfo, const BtydKind *kind, AliveAhead score)
{
	BtydModel  *model = btyd_detoast(PG_GETARG_DATUM(0), kind);
	int32		x = PG_GETARG_INT32(1);
	float8		t_x = PG_GETARG_FLOAT8(2);
	float8		T = PG_GETARG_FLOAT8(3);
	float8		t = PG_GETARG_FLOAT8(4);
	float8		v;

	btyd_check_summary(x, t_x, T);
	check_horizon(t);
	v = score(model->params, x, t_x, T, t);
	if (isnan(v))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("P(alive) cannot be evaluated %s units ahead", summary_float8_text(t, buf)),
				 errdetail("Its series does not settle when t is more than about 100,000 times alpha + T, or when x and the model's a are both in the millions."),
				 errhint("Use a shorter horizon: P(alive) that far ahead is close to 0.")));
	}
	PG_RETURN_FLOAT8(v);
}

Datum
bgnbd_p_alive_ahead(PG_FUNCTION_ARGS)
{
	return p_alive_ahead(fcinfo, &btyd_bgnbd, btyd_bgnbd_p_alive_ahead);
}

Datum
mbgnbd_p_alive_ahead(PG_FUNCTION_ARGS)
{
	return p_alive_ahead(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_p_alive_ahead);
}

Datum
mbgnbd_params(PG_FUNCTION_ARGS)
{
	return model_params(fcinfo, &btyd_mbgnbd, PG_GETARG_MBGNBD_P(0));
}

/* p_alive(model, x, t_x, T): below 1 for x = 0 too, unlike the BG/NBD's. */
Datum
mbgnbd_p_alive(PG_FUNCTION_ARGS)
{
	return p_alive(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_p_alive);
}

Datum
mbgnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_expected);
}

Datum
mbgnbd_p_no_purchase(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_p_no_purchase);
}

Datum
mbgnbd_expected_purchases_new(PG_FUNCTION_ARGS)
{
	return expected_purchases_new(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_expected);
}

Datum
mbgnbd_prob_purchases(PG_FUNCTION_ARGS)
{
	return prob_purchases(fcinfo, &btyd_mbgnbd, btyd_mbgnbd_prob_purchases);
}

/* ---------------------------------------------------------------------------------------------
 * pnbd: the same functions, the Pareto/NBD formulas (prob_purchases: btyd_pnbd_prob.c)
 * ---------------------------------------------------------------------------------------------
 */

Datum
pnbd_params(PG_FUNCTION_ARGS)
{
	return model_params(fcinfo, &btyd_pnbd, PG_GETARG_PNBD_P(0));
}

Datum
pnbd_p_alive(PG_FUNCTION_ARGS)
{
	return p_alive(fcinfo, &btyd_pnbd, btyd_pnbd_p_alive);
}

Datum
pnbd_p_alive_at(PG_FUNCTION_ARGS)
{
	return p_alive_ahead(fcinfo, &btyd_pnbd, btyd_pnbd_p_alive_at);
}

Datum
pnbd_expected_purchases(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_pnbd, btyd_pnbd_expected);
}

Datum
pnbd_p_no_purchase(PG_FUNCTION_ARGS)
{
	return horizon_score(fcinfo, &btyd_pnbd, btyd_pnbd_p_no_purchase);
}

/*
 * Its cost is bounded whatever n and t (at most BTYD_PNBD_PROB_MAX_PANELS quadrature panels), so
 * it needs no CHECK_FOR_INTERRUPTS.
 */
/* The Pareto/NBD's P(X(t) = n) costs at most 200 quadrature panels: nothing to interrupt. */
static double
pnbd_prob_purchases_bounded(const double *params, int32_t n, double t, BtydInterrupt interrupt,
							void *arg)
{
	(void) interrupt;
	(void) arg;
	return btyd_pnbd_prob_purchases(params, n, t);
}

Datum
pnbd_prob_purchases(PG_FUNCTION_ARGS)
{
	return prob_purchases(fcinfo, &btyd_pnbd, pnbd_prob_purchases_bounded);
}

Datum
pnbd_expected_purchases_new(PG_FUNCTION_ARGS)
{
	return expected_purchases_new(fcinfo, &btyd_pnbd, btyd_pnbd_expected);
}

Datum
pnbd_clv(PG_FUNCTION_ARGS)
{
	return clv(fcinfo, &btyd_pnbd, btyd_pnbd_expected);
}
