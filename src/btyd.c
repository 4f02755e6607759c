/*
 * btyd.c
 *	  The core of the model types bgnbd, mbgnbd, gamma_gamma and pnbd (btyd.h): the kinds, reading
 *	  values, the checks every path shares, building models and the binary form.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "datatype/timestamp.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"

#include "btyd.h"
#include "summary.h"

static const char *const bgnbd_names[] = {"r", "alpha", "a", "b"};
static const char *const gamma_gamma_names[] = {"p", "q", "gamma"};
static const char *const pnbd_names[] = {"r", "alpha", "s", "beta"};

const BtydKind btyd_bgnbd = {BTYD_KIND_BGNBD, "bgnbd", 4, bgnbd_names};
const BtydKind btyd_gamma_gamma = {BTYD_KIND_GAMMA_GAMMA, "gamma_gamma", 3, gamma_gamma_names};
/* The MBG/NBD has the BG/NBD's parameters. */
const BtydKind btyd_mbgnbd = {BTYD_KIND_MBGNBD, "mbgnbd", 4, bgnbd_names};
const BtydKind btyd_pnbd = {BTYD_KIND_PNBD, "pnbd", 4, pnbd_names};

const BtydKind *
btyd_kind_of(uint8 id)
{
	switch (id)
	{
		case BTYD_KIND_BGNBD:
			return &btyd_bgnbd;
		case BTYD_KIND_GAMMA_GAMMA:
			return &btyd_gamma_gamma;
		case BTYD_KIND_MBGNBD:
			return &btyd_mbgnbd;
		case BTYD_KIND_PNBD:
			return &btyd_pnbd;
	}
	return NULL;
}

/* The largest iteration count a model may report (the optimiser stops far below). */
#define BTYD_MAX_STORED_ITERATIONS 1000000

BtydModel *
btyd_allocate(const BtydKind *kind)
{
	BtydModel  *model = palloc0(sizeof(BtydModel));

	SET_VARSIZE(model, sizeof(BtydModel));
	model->version = BTYD_FORMAT_VERSION;
	model->kind = kind->id;
	return model;
}

BtydModel *
btyd_detoast(Datum datum, const BtydKind *kind)
{
	BtydModel  *model = (BtydModel *) PG_DETOAST_DATUM(datum);

	if (VARSIZE(model) < offsetof(BtydModel, iterations))
		summary_error_corrupted(kind->type_name);
	summary_check_version(kind->type_name, model->version, BTYD_FORMAT_VERSION);
	if (VARSIZE(model) != sizeof(BtydModel) || model->kind != kind->id ||
		btyd_model_problem(model, kind) != NULL)
		summary_error_corrupted(kind->type_name);
	return model;
}

static bool
finite_positive(float8 v)
{
	return v > 0 && v <= DBL_MAX;
}

const char *
btyd_model_problem(const BtydModel *model, const BtydKind *kind)
{
	if ((model->flags & ~BTYD_KNOWN_FLAGS) != 0 || model->reserved1 != 0 || model->reserved2 != 0)
		return "Unknown flag bits or reserved fields are set.";
	if (model->customers < 1)
		return "A model has 1 customer or more.";
	if (model->iterations < 0 || model->iterations > BTYD_MAX_STORED_ITERATIONS)
		return "The iteration count is out of range.";
	if (!(fabs(model->ll) <= DBL_MAX))
		return "The log-likelihood must be finite.";
	if (!(model->grad_norm >= 0 && model->grad_norm <= DBL_MAX))
		return "The gradient norm must be finite, zero or more.";
	for (int i = 0; i < BTYD_MAX_PARAMS; i++)
	{
		if (i >= kind->nparams)
		{
			if (model->params[i] != 0 || model->se[i] != 0 || signbit(model->params[i]) ||
				signbit(model->se[i]))
				return "Unused parameter slots must be zero.";
			continue;
		}
		if (!finite_positive(model->params[i]))
			return "Parameters must be finite and positive.";
		if (!isnan(model->se[i]) && !(model->se[i] >= 0 && model->se[i] <= DBL_MAX))
			return "Standard errors must be finite, zero or more, or NaN.";
		if (model->se[i] == 0 && signbit(model->se[i]))
			return "A standard error is negative zero.";
	}
	if (kind->id == BTYD_KIND_GAMMA_GAMMA && !(model->params[1] > 1))
		return "The Gamma-Gamma q must be greater than 1.";
	if ((model->ll == 0 && signbit(model->ll)) || signbit(model->grad_norm))
		return "The log-likelihood or the gradient norm is negative zero.";
	return NULL;
}

BtydModel *
btyd_from_fit(const BtydFit *fit, const BtydKind *kind, int64 customers)
{
	BtydModel  *model = btyd_allocate(kind);
	const char *problem;

	model->flags = fit->converged ? BTYD_FLAG_CONVERGED : 0;
	model->iterations = fit->iterations;
	model->customers = customers;
	model->ll = fit->ll + 0.0;
	model->grad_norm = fit->grad_norm + 0.0;
	for (int i = 0; i < kind->nparams; i++)
	{
		model->params[i] = fit->params[i];
		model->se[i] = isnan(fit->se[i]) ? NAN : fit->se[i] + 0.0;
	}
	problem = btyd_model_problem(model, kind);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("the %s fit found no usable parameters", kind->type_name),
				 errdetail("%s", problem),
				 errhint("Check the data: the model needs customers with repeat purchases and varied histories.")));
	return model;
}

/* Binary form: uint8 version, kind, flags, reserved; int32 iterations; int64 customers; float8
 * ll, grad_norm, then nparams parameters and nparams standard errors. */
bytea *
btyd_binary(const BtydModel *model)
{
	StringInfoData buf;
	const BtydKind *kind = btyd_kind_of(model->kind);
	int			nparams;

	if (kind == NULL)
		elog(ERROR, "unknown customer-base model kind %d", model->kind);
	nparams = kind->nparams;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, model->version);
	pq_sendbyte(&buf, model->kind);
	pq_sendbyte(&buf, model->flags);
	pq_sendbyte(&buf, 0);
	pq_sendint32(&buf, model->iterations);
	pq_sendint64(&buf, model->customers);
	pq_sendfloat8(&buf, model->ll);
	pq_sendfloat8(&buf, model->grad_norm);
	for (int i = 0; i < nparams; i++)
		pq_sendfloat8(&buf, model->params[i]);
	for (int i = 0; i < nparams; i++)
		pq_sendfloat8(&buf, model->se[i]);
	return pq_endtypsend(&buf);
}

BtydModel *
btyd_read_binary(StringInfo buf, const BtydKind *kind)
{
	BtydModel  *model = btyd_allocate(kind);
	const char *problem;

	if (buf->len - buf->cursor < 4)
		summary_error_binary(kind->type_name, "The value is shorter than its 4-byte header.");
	summary_check_binary_version(kind->type_name, pq_getmsgbyte(buf), BTYD_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != kind->id)
		summary_error_binary(kind->type_name, "The value is a model of another kind.");
	model->flags = pq_getmsgbyte(buf);
	model->reserved1 = pq_getmsgbyte(buf);
	if ((Size) (buf->len - buf->cursor) != 4 + 8 + 2 * 8 + 2 * kind->nparams * sizeof(float8))
		summary_error_binary(kind->type_name, "The length does not match the model's kind.");
	model->iterations = pq_getmsgint(buf, 4);
	model->customers = pq_getmsgint64(buf);
	model->ll = pq_getmsgfloat8(buf);
	model->grad_norm = pq_getmsgfloat8(buf);
	for (int i = 0; i < kind->nparams; i++)
		model->params[i] = pq_getmsgfloat8(buf);
	for (int i = 0; i < kind->nparams; i++)
	{
		float8		canonical_nan = NAN;

		model->se[i] = pq_getmsgfloat8(buf);
		/* one NaN: send must give back what recv accepted, and text input writes this one */
		if (isnan(model->se[i]) && memcmp(&model->se[i], &canonical_nan, sizeof(float8)) != 0)
			summary_error_binary(kind->type_name, "A standard error is a NaN other than the canonical one.");
	}
	problem = btyd_model_problem(model, kind);
	if (problem != NULL)
		summary_error_binary(kind->type_name, problem);
	return model;
}

/* The pure numerical code's interrupt callback (btyd.h). */
void
btyd_check_interrupts(void *arg)
{
	(void) arg;
	CHECK_FOR_INTERRUPTS();
}

/* ---------------------------------------------------------------------------------------------
 * A customer's summary and spend
 * ---------------------------------------------------------------------------------------------
 */

void
btyd_check_summary(int32 x, float8 t_x, float8 T)
{
	char		buf1[SUMMARY_FLOAT8_TEXT_LEN],
				buf2[SUMMARY_FLOAT8_TEXT_LEN];

	if (x < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must not be negative, not %d", x),
				 errdetail("x is the number of repeat purchases: purchase days - 1.")));
	if (!(t_x >= 0 && T <= DBL_MAX && t_x <= T))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid summary t_x = %s, T = %s", summary_float8_text(t_x, buf1),
						summary_float8_text(T, buf2)),
				 errdetail("t_x (first to last purchase) and T (first purchase to the end of calibration) must be finite, with 0 <= t_x <= T."),
				 errhint("profiling.btyd_summary() builds the summary from a purchase history.")));
	if (x == 0 && t_x != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("t_x must be 0 when x is 0, not %s", summary_float8_text(t_x, buf1)),
				 errdetail("Without a repeat purchase the first purchase is the last.")));
}

void
btyd_check_spend(int32 x, float8 monetary)
{
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];

	if (x < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("x must be 1 or more, not %d", x),
				 errdetail("The Gamma-Gamma model reads customers with repeat purchases.")));
	if (!finite_positive(monetary))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("monetary must be finite and positive, not %s",
						summary_float8_text(monetary, buf)),
				 errdetail("monetary is the mean value of the repeat purchases.")));
}

/* ---------------------------------------------------------------------------------------------
 * Units
 * ---------------------------------------------------------------------------------------------
 */

float8
btyd_unit_days(const Interval *unit, const char *name)
{
	float8		days;

	if (unit->month != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must not contain months or years", name),
				 errdetail("A month has no fixed length in days."),
				 errhint("Use days or weeks, such as '1 week' or '30 days'.")));
	days = unit->day + (float8) unit->time / USECS_PER_DAY;
	if (!(days > 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be positive", name)));
	return days;
}
