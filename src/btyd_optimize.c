/*
 * btyd_optimize.c
 *	  The maximum-likelihood machinery of the customer-base models (see btyd_optimize.h): the
 *	  order of the patterns, BFGS on log-parameters, the standard errors from the Hessian at
 *	  the optimum, and the fit driver of the BG/NBD, the MBG/NBD and the Pareto/NBD.  One
 *	  optimiser for every model, so that a fix to the line search or the stopping rules reaches
 *	  them all.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd_optimize.h"

/* ---------------------------------------------------------------------------------------------
 * Sorting patterns (see btyd_sort_patterns in btyd_optimize.h)
 * ---------------------------------------------------------------------------------------------
 */

static int
pattern_cmp(const void *pa, const void *pb)
{
	const BtydPattern *a = pa;
	const BtydPattern *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->t_x != b->t_x)
		return a->t_x < b->t_x ? -1 : 1;
	if (a->T != b->T)
		return a->T < b->T ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	return 0;
}

void
btyd_sort_patterns(BtydPattern *patterns, size_t n)
{
	qsort(patterns, n, sizeof(BtydPattern), pattern_cmp);
}

/* ---------------------------------------------------------------------------------------------
 * The optimiser: BFGS on the transformed parameters theta (log-parameters), minimising the
 * negative mean log-likelihood, with a backtracking (Armijo) line search.  Deterministic: fixed
 * starting point, fixed step rules, no randomness.
 * ---------------------------------------------------------------------------------------------
 */

#define PLATEAU_ITERATIONS 5
#define PLATEAU_FAR 10.0
#define PLATEAU_CHANGE 1e-12

/*
 * The negative mean log-likelihood; +inf outside the box or where the likelihood is not finite.
 * grad may be NULL: the line search's later trials ask for the value alone.
 */
static double
objective(const BtydProblem *pr, const double *theta, double *grad)
{
	double		ll;

	for (int i = 0; i < pr->k; i++)
		if (!(fabs(theta[i]) <= BTYD_THETA_LIMIT))
			return INFINITY;
	ll = pr->ll(theta, grad, pr->data, pr->n);
	if (!isfinite(ll))
		return INFINITY;
	for (int i = 0; grad != NULL && i < pr->k; i++)
	{
		grad[i] = -grad[i] * pr->scale;
		if (!isfinite(grad[i]))
			return INFINITY;
	}
	return -ll * pr->scale;
}

static double
max_abs(const double *v, int k)
{
	double		m = 0.0;

	for (int i = 0; i < k; i++)
		if (fabs(v[i]) > m)
			m = fabs(v[i]);
	return m;
}

static void
identity(double h[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS], int k)
{
	for (int i = 0; i < k; i++)
		for (int j = 0; j < k; j++)
			h[i][j] = i == j ? 1.0 : 0.0;
}

/*
 * Minimises from theta (in place).  Returns false when the starting point is infeasible.
 * *converged: the gradient's largest component went below the tolerance.
 */
static bool
bfgs(const BtydProblem *pr, double *theta, BtydInterrupt interrupt, void *arg, int *iterations,
	 double *grad_norm, bool *converged)
{
	int			k = pr->k;
	double		h[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS];
	double		g[BTYD_MAX_PARAMS],
				d[BTYD_MAX_PARAMS],
				trial[BTYD_MAX_PARAMS],
				g_trial[BTYD_MAX_PARAMS],
				start[BTYD_MAX_PARAMS];
	double		f,
				f_trial;
	bool		fresh = true;	/* h is the identity */
	int			it,
				plateau = 0;	/* steps in a row along a plateau */

	f = objective(pr, theta, g);
	if (!isfinite(f))
		return false;
	memcpy(start, theta, sizeof(double) * k);
	identity(h, k);
	*converged = false;
	for (it = 0; it < BTYD_MAX_ITERATIONS; it++)
	{
		double		slope = 0.0,
					step = 1.0,
					longest;
		bool		accepted = false;

		if (interrupt != NULL)
			interrupt(arg);
		if (max_abs(g, k) <= BTYD_GRADIENT_TOLERANCE)
		{
			*converged = true;
			break;
		}
		for (int i = 0; i < k; i++)
		{
			d[i] = 0.0;
			for (int j = 0; j < k; j++)
				d[i] -= h[i][j] * g[j];
			slope += d[i] * g[i];
		}
		if (!(slope < 0.0))
		{
			/* not a descent direction: start the curvature over */
			identity(h, k);
			fresh = true;
			for (int i = 0; i < k; i++)
				d[i] = -g[i];
			slope = -0.0;
			for (int i = 0; i < k; i++)
				slope -= g[i] * g[i];
		}
		longest = max_abs(d, k);
		if (longest > BTYD_MAX_STEP)
			step = BTYD_MAX_STEP / longest;

		for (int tries = 0; tries < 60; tries++, step *= 0.5)
		{
			for (int i = 0; i < k; i++)
				trial[i] = theta[i] + step * d[i];

			/*
			 * The first trial, usually taken, with its gradient at once (the value is the same
			 * with or without it: one evaluation instead of two); later ones by value alone.
			 */
			f_trial = objective(pr, trial, tries == 0 ? g_trial : NULL);
			if (!isfinite(f_trial))
				continue;
			/*
			 * Armijo; or, near the optimum where the decrease drowns in rounding, any step that
			 * keeps f within rounding and shrinks the gradient.  The gradient only at a step
			 * that may be taken (the same value comes back with it).
			 */
			if (f_trial <= f + 1e-4 * step * slope)
			{
				if (tries > 0 && !isfinite(objective(pr, trial, g_trial)))
					continue;
				accepted = true;
				break;
			}
			if (f_trial <= f + 8 * DBL_EPSILON * fabs(f))
			{
				if (tries > 0 && !isfinite(objective(pr, trial, g_trial)))
					continue;
				if (max_abs(g_trial, k) < max_abs(g, k))
				{
					accepted = true;
					break;
				}
			}
		}
		if (!accepted)
		{
			if (fresh)
				break;			/* no progress even along the gradient */
			identity(h, k);
			fresh = true;
			continue;
		}

		/* BFGS update of the inverse Hessian approximation */
		{
			double		s[BTYD_MAX_PARAMS],
						y[BTYD_MAX_PARAMS],
						hy[BTYD_MAX_PARAMS];
			double		sy = 0.0,
						yhy = 0.0,
						yy = 0.0;

			for (int i = 0; i < k; i++)
			{
				s[i] = trial[i] - theta[i];
				y[i] = g_trial[i] - g[i];
				sy += s[i] * y[i];
				yy += y[i] * y[i];
			}
			if (sy > 1e-12 * sqrt(yy) * max_abs(s, k) && sy > 0.0)
			{
				if (fresh)
				{
					/* scale the identity to the curvature seen (Nocedal & Wright 6.20) */
					identity(h, k);
					for (int i = 0; i < k; i++)
						h[i][i] = sy / yy;
					fresh = false;
				}
				for (int i = 0; i < k; i++)
				{
					hy[i] = 0.0;
					for (int j = 0; j < k; j++)
						hy[i] += h[i][j] * y[j];
					yhy += y[i] * hy[i];
				}
				for (int i = 0; i < k; i++)
					for (int j = 0; j < k; j++)
						h[i][j] += ((sy + yhy) * s[i] * s[j]) / (sy * sy) -
							(hy[i] * s[j] + s[i] * hy[j]) / sy;
			}
		}
		if (pr->plateau_stop)
		{
			double		far = 0.0;

			for (int i = 0; i < k; i++)
				far = fmax(far, fabs(trial[i] - start[i]));
			if (far >= PLATEAU_FAR && fabs(f_trial - f) <= PLATEAU_CHANGE * fabs(f))
				plateau++;
			else
				plateau = 0;
		}
		memcpy(theta, trial, sizeof(double) * k);
		memcpy(g, g_trial, sizeof(double) * k);
		f = f_trial;
		if (plateau >= PLATEAU_ITERATIONS)
		{
			it++;
			break;
		}
	}
	if (max_abs(g, k) <= BTYD_GRADIENT_TOLERANCE)
		*converged = true;
	*iterations = it;
	*grad_norm = max_abs(g, k);
	return true;
}

/*
 * Standard errors in theta: the inverse of the Hessian of the negative total log-likelihood,
 * by central differences of the analytic gradient, inverted through Cholesky.  se_theta[i] is
 * NaN when the Hessian is not positive definite.
 */
static void
theta_standard_errors(const BtydProblem *pr, const double *theta, double *se_theta)
{
	int			k = pr->k;
	double		hess[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS];
	double		l[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS];
	double		inv[BTYD_MAX_PARAMS][BTYD_MAX_PARAMS];
	double		step = 1e-4;
	bool		ok = true;

	for (int j = 0; j < k; j++)
	{
		double		tp[BTYD_MAX_PARAMS],
					tm[BTYD_MAX_PARAMS],
					gp[BTYD_MAX_PARAMS],
					gm[BTYD_MAX_PARAMS];

		memcpy(tp, theta, sizeof(double) * k);
		memcpy(tm, theta, sizeof(double) * k);
		tp[j] += step;
		tm[j] -= step;
		if (!isfinite(objective(pr, tp, gp)) || !isfinite(objective(pr, tm, gm)))
			ok = false;
		for (int i = 0; i < k; i++)
			hess[i][j] = (gp[i] - gm[i]) / (2 * step) / pr->scale;
	}
	for (int i = 0; ok && i < k; i++)
		for (int j = 0; j < i; j++)
			hess[i][j] = hess[j][i] = 0.5 * (hess[i][j] + hess[j][i]);

	/* Cholesky: hess = L L' */
	for (int j = 0; ok && j < k; j++)
	{
		double		s = hess[j][j];

		for (int m = 0; m < j; m++)
			s -= l[j][m] * l[j][m];
		if (!(s > 0.0) || !isfinite(s))
		{
			ok = false;
			break;
		}
		l[j][j] = sqrt(s);
		for (int i = j + 1; i < k; i++)
		{
			double		t = hess[i][j];

			for (int m = 0; m < j; m++)
				t -= l[i][m] * l[j][m];
			l[i][j] = t / l[j][j];
		}
	}
	if (!ok)
	{
		for (int i = 0; i < k; i++)
			se_theta[i] = NAN;
		return;
	}
	/* inverse of L (lower triangular), then hess^-1 = L'^-1 L^-1: only its diagonal */
	for (int c = 0; c < k; c++)
		for (int i = 0; i < k; i++)
		{
			double		t = i == c ? 1.0 : 0.0;

			if (i < c)
			{
				inv[i][c] = 0.0;
				continue;
			}
			for (int m = c; m < i; m++)
				t -= l[i][m] * inv[m][c];
			inv[i][c] = t / l[i][i];
		}
	for (int i = 0; i < k; i++)
	{
		double		v = 0.0;

		for (int m = i; m < k; m++)
			v += inv[m][i] * inv[m][i];
		se_theta[i] = sqrt(v);
	}
}

/* ---------------------------------------------------------------------------------------------
 * The parts every fit shares
 * ---------------------------------------------------------------------------------------------
 */

double
btyd_total_weight(const double *weights, size_t stride, size_t n)
{
	double		w = 0.0;

	for (size_t i = 0; i < n; i++)
		w += *(const double *) ((const char *) weights + i * stride);
	return w;
}

double
btyd_log_start(double mean)
{
	double		theta = mean > 0.0 && isfinite(mean) ? log(mean) : 0.0;

	if (fabs(theta) > BTYD_THETA_LIMIT - BTYD_MAX_STEP)
		theta = copysign(BTYD_THETA_LIMIT - BTYD_MAX_STEP, theta);
	return theta;
}

BtydFitStatus
btyd_fit_run(const BtydProblem *pr, double *theta, BtydInterrupt interrupt, void *arg,
			 BtydFit *fit, double *se_theta)
{
	if (!bfgs(pr, theta, interrupt, arg, &fit->iterations, &fit->grad_norm, &fit->converged))
		return BTYD_FIT_FAILED;
	theta_standard_errors(pr, theta, se_theta);
	return BTYD_FIT_OK;
}

/* ---------------------------------------------------------------------------------------------
 * The fit of the four-parameter models of (x, t_x, T) patterns
 * ---------------------------------------------------------------------------------------------
 */

BtydFitStatus
btyd_nbd_fit_model(const BtydPattern *sorted, size_t n, const BtydNbdModel *model,
				   BtydInterrupt interrupt, void *arg, BtydFit *fit)
{
	BtydProblem pr;
	BtydFitStatus status;
	double		theta[4],
				se_theta[4];
	double		mean_T = 0.0;

	memset(fit, 0, sizeof(*fit));
	fit->nparams = 4;
	if (n == 0)
		return BTYD_FIT_NO_DATA;
	fit->customers = btyd_total_weight(&sorted[0].weight, sizeof(BtydPattern), n);
	for (size_t i = 0; i < n; i++)
		mean_T += sorted[i].weight * sorted[i].T;
	mean_T /= fit->customers;

	/*
	 * start: r = 1, alpha on the data's time scale, a = b = 1 (the Pareto/NBD: s = 1, beta =
	 * alpha, so that its 2F1s start at z = 0)
	 */
	theta[0] = 0.0;
	theta[1] = btyd_log_start(mean_T);
	theta[2] = 0.0;
	theta[3] = model->fourth_is_scale ? theta[1] : 0.0;

	pr.k = 4;
	pr.ll = model->theta_ll;
	pr.data = model->data;
	pr.n = n;
	pr.scale = 1.0 / fit->customers;
	pr.plateau_stop = model->plateau_stop;
	status = btyd_fit_run(&pr, theta, interrupt, arg, fit, se_theta);
	if (status != BTYD_FIT_OK)
		return status;
	for (int i = 0; i < 4; i++)
	{
		fit->params[i] = exp(theta[i]);
		fit->se[i] = fit->params[i] * se_theta[i];
	}
	/* at exp(theta), the parameters just stored */
	fit->ll = model->theta_ll(theta, NULL, model->data, n);
	return BTYD_FIT_OK;
}

/* The patterns of a BG/NBD-like fit and their likelihood in the parameters. */
typedef struct NbdData
{
	const BtydPattern *patterns;
	BtydNbdLikelihood ll;
} NbdData;

/* The likelihood in log-parameters, the optimiser's objective. */
static double
nbd_theta_ll(const double *theta, double *grad, const void *data, size_t n)
{
	const NbdData *d = data;
	double		p[4];

	for (int i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	return d->ll(p, d->patterns, n, grad);
}

BtydFitStatus
btyd_nbd_fit(const BtydPattern *sorted, size_t n, BtydNbdLikelihood ll, BtydInterrupt interrupt,
			 void *arg, BtydFit *fit)
{
	NbdData		data = {sorted, ll};
	BtydNbdModel model = {nbd_theta_ll, &data, false, false};

	return btyd_nbd_fit_model(sorted, n, &model, interrupt, arg, fit);
}
