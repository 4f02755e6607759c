/*
 * btyd_math.c
 *	  Likelihoods, gradients, the optimiser and the scoring formulas of the customer-base models
 *	  (see btyd_math.h).
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd_math.h"

/* ---------------------------------------------------------------------------------------------
 * Special functions
 * ---------------------------------------------------------------------------------------------
 */

/*
 * psi(x) for x > 0: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic
 * series to the x^-14 term (the first omitted one, 3617/8160 x^-16, is below 5e-17 there).
 */
double
btyd_digamma(double x)
{
	double		result = 0.0;
	double		inv,
				inv2;

	if (!(x > 0.0))
		return NAN;
	while (x < 10.0)
	{
		result -= 1.0 / x;
		x += 1.0;
	}
	inv = 1.0 / x;
	inv2 = inv * inv;
	result += log(x) - 0.5 * inv -
		inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240 - inv2 *
				(1.0 / 132 - inv2 * (691.0 / 32760 - inv2 * (1.0 / 12)))))));
	return result;
}

double
btyd_lbeta(double a, double b)
{
	return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/* log(exp(u) + exp(v)), without overflow; v may be -inf. */
static double
log_sum_exp(double u, double v)
{
	if (v == -INFINITY)
		return u;
	if (u < v)
	{
		double		t = u;

		u = v;
		v = t;
	}
	return u + log1p(exp(v - u));
}

/*
 * *sum + *comp += term, Neumaier's compensated sum (the total is *sum + *comp).  The
 * log-likelihood is summed this way: near the optimum the optimiser compares values that differ
 * by about 1e-16 relative, and a plain sum of a few hundred thousand weighted patterns is off by
 * about 1e-14, which made it backtrack for dozens of iterations on a million customers.
 */
static inline void
neumaier_add(double *sum, double *comp, double term)
{
	double		t = *sum + term;

	*comp += fabs(*sum) >= fabs(term) ? (*sum - t) + term : (term - t) + *sum;
	*sum = t;
}

/* ---------------------------------------------------------------------------------------------
 * Sorting patterns (by x first, so the terms that depend on x alone are computed once per x;
 * the full order makes the fit independent of the order the patterns came in)
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

static int
spend_pattern_cmp(const void *pa, const void *pb)
{
	const BtydSpendPattern *a = pa;
	const BtydSpendPattern *b = pb;

	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	if (a->monetary != b->monetary)
		return a->monetary < b->monetary ? -1 : 1;
	if (a->weight != b->weight)
		return a->weight < b->weight ? -1 : 1;
	return 0;
}

void
btyd_sort_spend_patterns(BtydSpendPattern *patterns, size_t n)
{
	qsort(patterns, n, sizeof(BtydSpendPattern), spend_pattern_cmp);
}

/* ---------------------------------------------------------------------------------------------
 * BG/NBD likelihood
 *
 * For one customer, with A1 = ln G(r+x) - ln G(r) + r ln alpha,
 * A2 = ln G(a+b) + ln G(b+x) - ln G(b) - ln G(a+b+x), A3 = -(r+x) ln(alpha+T) and, when x > 0,
 * A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x):  LL = A1 + A2 + ln(e^A3 + [x > 0] e^A4).
 * ---------------------------------------------------------------------------------------------
 */

/* The terms of one x, and their derivatives (natural parameters). */
typedef struct XTerms
{
	int32_t		x;
	double		a12;			/* A1 + A2 without r ln alpha */
	double		d_r;			/* d(A1 + A2)/dr, without ln alpha */
	double		d_a;
	double		d_b;
	double		log_bx1;		/* ln(b + x - 1) when x > 0 */
	double		inv_bx1;
} XTerms;

static void
x_terms(const double *p, int32_t x, double psi_r, double psi_b, double psi_ab, XTerms *t)
{
	double		r = p[0],
				a = p[2],
				b = p[3];

	t->x = x;
	if (x == 0)
	{
		t->a12 = 0.0;
		t->d_r = 0.0;
		t->d_a = 0.0;
		t->d_b = 0.0;
		t->log_bx1 = 0.0;
		t->inv_bx1 = 0.0;
		return;
	}
	{
		double		psi_abx = btyd_digamma(a + b + x);

		t->a12 = lgamma(r + x) - lgamma(r) + lgamma(a + b) + lgamma(b + x) - lgamma(b) -
			lgamma(a + b + x);
		t->d_r = btyd_digamma(r + x) - psi_r;
		t->d_a = psi_ab - psi_abx;
		t->d_b = psi_ab + btyd_digamma(b + x) - psi_b - psi_abx;
		t->log_bx1 = log(b + x - 1.0);
		t->inv_bx1 = 1.0 / (b + x - 1.0);
	}
}

double
btyd_bgnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		log_alpha = log(alpha),
				log_a = log(a);
	double		psi_r = btyd_digamma(r),
				psi_b = btyd_digamma(b),
				psi_ab = btyd_digamma(a + b);
	double		ll = 0.0,
				ll_comp = 0.0,
				g_r = 0.0,
				g_alpha = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	XTerms		t;

	x_terms(p, patterns[0].x, psi_r, psi_b, psi_ab, &t);
	for (size_t i = 0; i < n; i++)
	{
		const BtydPattern *pt = &patterns[i];
		double		w = pt->weight;
		double		rx = r + pt->x;
		double		log_aT = log(alpha + pt->T);
		double		a3 = -rx * log_aT;
		double		a4 = -INFINITY;
		double		lse,
					w3,
					w4 = 0.0;
		double		log_atx = 0.0;

		if (pt->x != t.x)
			x_terms(p, pt->x, psi_r, psi_b, psi_ab, &t);
		if (pt->x > 0)
		{
			log_atx = log(alpha + pt->t_x);
			a4 = log_a - t.log_bx1 - rx * log_atx;
		}
		lse = log_sum_exp(a3, a4);
		neumaier_add(&ll, &ll_comp, w * (t.a12 + r * log_alpha + lse));
		if (grad == NULL)
			continue;
		w3 = exp(a3 - lse);
		if (pt->x > 0)
			w4 = exp(a4 - lse);
		g_r += w * (t.d_r + log_alpha - w3 * log_aT - w4 * log_atx);
		g_alpha += w * (r / alpha - w3 * rx / (alpha + pt->T) - w4 * rx / (alpha + pt->t_x));
		g_a += w * (t.d_a + w4 / a);
		g_b += w * (t.d_b - w4 * t.inv_bx1);
	}
	ll += ll_comp;
	if (grad != NULL)
	{
		grad[0] = g_r * r;
		grad[1] = g_alpha * alpha;
		grad[2] = g_a * a;
		grad[3] = g_b * b;
	}
	return ll;
}

/* ---------------------------------------------------------------------------------------------
 * Gamma-Gamma likelihood: for a customer with x repeat purchases of mean value m,
 * LL = ln G(px+q) - ln G(px) - ln G(q) + q ln g + (px-1) ln m + px ln x - (px+q) ln(g + x m).
 * ---------------------------------------------------------------------------------------------
 */

double
btyd_gg_ll(const double *params, const BtydSpendPattern *patterns, size_t n, double *grad)
{
	double		p = params[0],
				q = params[1],
				g = params[2];
	double		log_g = log(g),
				lg_q = lgamma(q),
				psi_q = btyd_digamma(q);
	double		ll = 0.0,
				ll_comp = 0.0,
				g_p = 0.0,
				g_q = 0.0,
				g_g = 0.0;
	int32_t		cur_x = -1;
	double		xd = 0.0,
				log_x = 0.0,
				lg_terms = 0.0,
				psi_pxq = 0.0,
				psi_px = 0.0;

	for (size_t i = 0; i < n; i++)
	{
		const BtydSpendPattern *pt = &patterns[i];
		double		w = pt->weight;
		double		log_m,
					log_gxm,
					px;

		if (pt->x != cur_x)
		{
			cur_x = pt->x;
			xd = (double) cur_x;
			log_x = log(xd);
			lg_terms = lgamma(p * xd + q) - lgamma(p * xd) - lg_q;
			if (grad != NULL)
			{
				psi_pxq = btyd_digamma(p * xd + q);
				psi_px = btyd_digamma(p * xd);
			}
		}
		px = p * xd;
		log_m = log(pt->monetary);
		log_gxm = log(g + xd * pt->monetary);
		neumaier_add(&ll, &ll_comp,
					 w * (lg_terms + q * log_g + (px - 1.0) * log_m + px * log_x - (px + q) * log_gxm));
		if (grad == NULL)
			continue;
		g_p += w * xd * (psi_pxq - psi_px + log_m + log_x - log_gxm);
		g_q += w * (psi_pxq - psi_q + log_g - log_gxm);
		g_g += w * (q / g - (px + q) / (g + xd * pt->monetary));
	}
	if (grad != NULL)
	{
		grad[0] = g_p * p;
		grad[1] = g_q * (q - 1.0);
		grad[2] = g_g * g;
	}
	ll += ll_comp;
	return ll;
}

/* ---------------------------------------------------------------------------------------------
 * The optimiser: BFGS on the transformed parameters theta (log-parameters), minimising the
 * negative mean log-likelihood, with a backtracking (Armijo) line search.  Deterministic: fixed
 * starting point, fixed step rules, no randomness.
 * ---------------------------------------------------------------------------------------------
 */

/* Total log-likelihood at theta and its gradient with respect to theta. */
typedef double (*Objective) (const double *theta, double *grad, const void *data, size_t n);

/* theta outside this box is treated as infeasible: parameters stay within e^-30 .. e^30. */
#define THETA_LIMIT 30.0
/* The largest step in any coordinate of theta (a factor of e^5 on a parameter). */
#define MAX_STEP 5.0

typedef struct Problem
{
	int			k;
	Objective	ll;
	const void *data;
	size_t		n;
	double		scale;			/* 1 / total weight */

	/*
	 * Stop once PLATEAU_ITERATIONS iterations in a row changed f by at most PLATEAU_CHANGE
	 * relative while some parameter is more than a factor e^PLATEAU_FAR from its start: the
	 * parameters run off to a boundary along a direction where the likelihood no longer
	 * changes (or sit at the box's edge).  Used by the Pareto/NBD, whose every value costs
	 * many 2F1s, and whose boundary fits otherwise spend their 200 iterations there; the other
	 * models keep theirs.  Such a fit reports converged only when its gradient is small.
	 */
	bool		plateau_stop;
} Problem;

#define PLATEAU_ITERATIONS 5
#define PLATEAU_FAR 10.0
#define PLATEAU_CHANGE 1e-12

/*
 * The negative mean log-likelihood; +inf outside the box or where the likelihood is not finite.
 * grad may be NULL: the line search's later trials ask for the value alone.
 */
static double
objective(const Problem *pr, const double *theta, double *grad)
{
	double		ll;

	for (int i = 0; i < pr->k; i++)
		if (!(fabs(theta[i]) <= THETA_LIMIT))
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
bfgs(const Problem *pr, double *theta, BtydInterrupt interrupt, void *arg, int *iterations,
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
		if (longest > MAX_STEP)
			step = MAX_STEP / longest;

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
theta_standard_errors(const Problem *pr, const double *theta, double *se_theta)
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
 * BG/NBD fit
 * ---------------------------------------------------------------------------------------------
 */

static double
bgnbd_theta_ll(const double *theta, double *grad, const void *data, size_t n)
{
	double		p[4];

	for (int i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	return btyd_bgnbd_ll(p, (const BtydPattern *) data, n, grad);
}

static double
total_weight(const double *weights, size_t stride, size_t n)
{
	double		w = 0.0;

	for (size_t i = 0; i < n; i++)
		w += *(const double *) ((const char *) weights + i * stride);
	return w;
}

/* A model of (x, t_x, T) patterns with parameters r, alpha, a, b (the BG/NBD and the MBG/NBD). */
typedef double (*NbdLikelihood) (const double *params, const BtydPattern *patterns, size_t n,
								 double *grad);

/* The fit of such a model: theta_ll is its likelihood in log-parameters, ll in parameters. */
static BtydFitStatus
nbd_fit(const BtydPattern *sorted, size_t n, Objective theta_ll, NbdLikelihood ll,
		BtydInterrupt interrupt, void *arg, BtydFit *fit)
{
	Problem		pr;
	double		theta[4],
				se_theta[4];
	double		mean_T = 0.0;

	memset(fit, 0, sizeof(*fit));
	fit->nparams = 4;
	if (n == 0)
		return BTYD_FIT_NO_DATA;
	fit->customers = total_weight(&sorted[0].weight, sizeof(BtydPattern), n);
	for (size_t i = 0; i < n; i++)
		mean_T += sorted[i].weight * sorted[i].T;
	mean_T /= fit->customers;

	/* start: r = 1, alpha on the data's time scale, a = b = 1 */
	theta[0] = 0.0;
	theta[1] = mean_T > 0.0 && isfinite(mean_T) ? log(mean_T) : 0.0;
	if (fabs(theta[1]) > THETA_LIMIT - MAX_STEP)
		theta[1] = copysign(THETA_LIMIT - MAX_STEP, theta[1]);
	theta[2] = 0.0;
	theta[3] = 0.0;

	pr.k = 4;
	pr.ll = theta_ll;
	pr.data = sorted;
	pr.n = n;
	pr.scale = 1.0 / fit->customers;
	pr.plateau_stop = false;
	if (!bfgs(&pr, theta, interrupt, arg, &fit->iterations, &fit->grad_norm, &fit->converged))
		return BTYD_FIT_FAILED;
	theta_standard_errors(&pr, theta, se_theta);
	for (int i = 0; i < 4; i++)
	{
		fit->params[i] = exp(theta[i]);
		fit->se[i] = fit->params[i] * se_theta[i];
	}
	fit->ll = ll(fit->params, sorted, n, NULL);
	return BTYD_FIT_OK;
}

BtydFitStatus
btyd_bgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
			   BtydFit *fit)
{
	return nbd_fit(sorted, n, bgnbd_theta_ll, btyd_bgnbd_ll, interrupt, arg, fit);
}

/* ---------------------------------------------------------------------------------------------
 * Gamma-Gamma fit
 * ---------------------------------------------------------------------------------------------
 */

static double
gg_theta_ll(const double *theta, double *grad, const void *data, size_t n)
{
	double		p[3];

	p[0] = exp(theta[0]);
	p[1] = 1.0 + exp(theta[1]);
	p[2] = exp(theta[2]);
	return btyd_gg_ll(p, (const BtydSpendPattern *) data, n, grad);
}

BtydFitStatus
btyd_gg_fit(const BtydSpendPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
			BtydFit *fit)
{
	Problem		pr;
	double		theta[3],
				se_theta[3];
	double		mean_m = 0.0;

	memset(fit, 0, sizeof(*fit));
	fit->nparams = 3;
	if (n == 0)
		return BTYD_FIT_NO_DATA;
	fit->customers = total_weight(&sorted[0].weight, sizeof(BtydSpendPattern), n);
	for (size_t i = 0; i < n; i++)
		mean_m += sorted[i].weight * sorted[i].monetary;
	mean_m /= fit->customers;

	/* start: p = 1, q = 2, gamma on the data's money scale */
	theta[0] = 0.0;
	theta[1] = 0.0;
	theta[2] = mean_m > 0.0 && isfinite(mean_m) ? log(mean_m) : 0.0;
	if (fabs(theta[2]) > THETA_LIMIT - MAX_STEP)
		theta[2] = copysign(THETA_LIMIT - MAX_STEP, theta[2]);

	pr.k = 3;
	pr.ll = gg_theta_ll;
	pr.data = sorted;
	pr.n = n;
	pr.scale = 1.0 / fit->customers;
	pr.plateau_stop = false;
	if (!bfgs(&pr, theta, interrupt, arg, &fit->iterations, &fit->grad_norm, &fit->converged))
		return BTYD_FIT_FAILED;
	theta_standard_errors(&pr, theta, se_theta);
	fit->params[0] = exp(theta[0]);
	fit->params[1] = 1.0 + exp(theta[1]);
	fit->params[2] = exp(theta[2]);
	fit->se[0] = fit->params[0] * se_theta[0];
	fit->se[1] = (fit->params[1] - 1.0) * se_theta[1];
	fit->se[2] = fit->params[2] * se_theta[2];
	fit->ll = btyd_gg_ll(fit->params, sorted, n, NULL);
	return BTYD_FIT_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Scoring
 * ---------------------------------------------------------------------------------------------
 */

/* P(alive | x, t_x, T) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)) */
static double
bgnbd_log_odds_dead(const double *p, double x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];

	return log(a) - log(b + x - 1.0) + (r + x) * (log(alpha + T) - log(alpha + t_x));
}

double
btyd_bgnbd_p_alive(const double *p, double x, double t_x, double T)
{
	double		u;

	if (x == 0.0)
		return 1.0;
	u = bgnbd_log_odds_dead(p, x, t_x, T);
	return u > 0.0 ? exp(-u) / (1.0 + exp(-u)) : 1.0 / (1.0 + exp(u));
}

/* expm1(v * l) / v, and its limit l at v = 0 */
static double
expm1_over(double v, double l)
{
	return v == 0.0 ? l : expm1(v * l) / v;
}

/*
 * E[Y(t) | x, t_x, T] (Fader, Hardie & Lee 2005, eq. 10):
 *
 *	 (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; z)] / (1 + D)
 *
 * with z = t/(alpha+T+t) and D the odds term of P(alive).  The series of that 2F1 grows like
 * (1-z)^-(r+x) before it converges, which overflows for heavy buyers, and the bracket vanishes
 * as a -> 1.  Euler's transformation turns the bracket into
 * 1 - (1-z)^(a-1) 2F1(a+b-1-r, a-1; a+b+x-1; z), whose series grows like (1-z)^-(a-1) instead;
 * splitting off its first term removes the apparent singularity at a = 1:
 *
 *	 [...]/(a-1) = -expm1((a-1) ln(1-z))/(a-1) - (1-z)^(a-1) sum_{k>=1} (A)_k (a)_{k-1} z^k / ((C)_k k!)
 *
 * with A = a+b-1-r and C = a+b+x-1.  So the Euler form serves unless a - 1 > r + x (a very
 * concentrated dropout probability), where the original series, of positive terms, grows less;
 * it is summed with rescaling, so that its size never overflows.  x = t_x = T = 0 gives the
 * unconditional E[X(t)].
 */
#define SERIES_MAX_TERMS 10000000L
#define RESCALE 1e280

/* ln of sum_{k>=0} (p)_k (q)_k z^k / ((c)_k k!) for p, q, c > 0 and 0 <= z < 1. */
static double
log_hyp2f1_positive(double p, double q, double c, double z)
{
	double		term = 1.0,
				sum = 1.0,
				log_scale = 0.0;

	for (long k = 0; k < SERIES_MAX_TERMS; k++)
	{
		term *= (p + k) * (q + k) * z / ((c + k) * (k + 1.0));
		sum += term;
		if (term <= 1e-17 * sum || !isfinite(sum))
			break;
		if (sum > RESCALE)
		{
			sum /= RESCALE;
			term /= RESCALE;
			log_scale += log(RESCALE);
		}
	}
	return log(sum) + log_scale;
}

double
btyd_bgnbd_expected(const double *p, double t, double x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		A = a + b - 1.0 - r,
				C = a + b + x - 1.0;
	double		log1mz,
				z,
				bracket,
				denominator;

	if (t == 0.0)
		return 0.0;
	z = t / (alpha + T + t);
	log1mz = log(alpha + T) - log(alpha + T + t);
	if (a - 1.0 > r + x)
	{
		double		log_f = log_hyp2f1_positive(r + x, b + x, C, z);

		bracket = -expm1((r + x) * log1mz + log_f) / (a - 1.0);
	}
	else
	{
		double		term = A * z / C,
					sum = 0.0;

		for (long k = 1; k < SERIES_MAX_TERMS; k++)
		{
			sum += term;
			if (fabs(term) <= 1e-17 * fabs(sum) || term == 0.0 || !isfinite(sum))
				break;
			term *= (A + k) * (a + k - 1.0) * z / ((C + k) * (k + 1.0));
		}
		bracket = -expm1_over(a - 1.0, log1mz) - exp((a - 1.0) * log1mz) * sum;
	}
	denominator = x > 0.0 ? 1.0 + exp(bgnbd_log_odds_dead(p, x, t_x, T)) : 1.0;
	return C * bracket / denominator;
}

/*
 * P(no purchase in (T, T + t] | x, t_x, T) = P(dead at T) + P(alive at T, no purchase in t).
 * Given alive, the posterior of lambda is Gamma(r + x, alpha + T), so no purchase in t has
 * probability ((alpha+T)/(alpha+T+t))^(r+x), and the whole is
 * 1 + P(alive) expm1((r+x) ln((alpha+T)/(alpha+T+t))): exactly 1 at t = 0.
 */
double
btyd_bgnbd_p_no_purchase(const double *p, double t, double x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1];

	return 1.0 + btyd_bgnbd_p_alive(p, x, t_x, T) *
		expm1((r + x) * (log(alpha + T) - log(alpha + T + t)));
}

/*
 * P(X(t) = n) for a new customer (Fader, Hardie & Lee 2005, eq. 8), in logs:
 *	 B(a, b+n)/B(a, b) NB(n) + [n > 0] B(a+1, b+n-1)/B(a, b) (1 - sum_{j<n} NB(j))
 * with NB the negative binomial pmf G(r+j)/(G(r) j!) (alpha/(alpha+t))^r (t/(alpha+t))^j.  The
 * sum stops once its terms, past the mode, no longer change it.
 */
double
btyd_bgnbd_prob_purchases(const double *p, int32_t n, double t)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		log_p0,
				log_q,
				log_nb_n,
				v,
				cdf = 0.0,
				log_term;

	if (t == 0.0)
		return n == 0 ? 1.0 : 0.0;
	log_p0 = log(alpha) - log(alpha + t);	/* ln(alpha / (alpha + t)) */
	log_q = log(t) - log(alpha + t);
	log_nb_n = lgamma(r + n) - lgamma(r) - lgamma(n + 1.0) + r * log_p0 + n * log_q;
	v = exp(btyd_lbeta(a, b + n) - btyd_lbeta(a, b) + log_nb_n);
	if (n == 0)
		return v;
	log_term = r * log_p0;
	for (int32_t j = 0; j < n; j++)
	{
		double		term = exp(log_term);

		cdf += term;
		if (j > (r - 1.0) * t / alpha && term <= 1e-17 * cdf)
			break;
		log_term += log(r + j) - log(j + 1.0) + log_q;
	}
	if (cdf < 1.0)
		v += exp(btyd_lbeta(a + 1.0, b + n - 1.0) - btyd_lbeta(a, b)) * (1.0 - cdf);
	return v > 1.0 ? 1.0 : v;
}

/* ---------------------------------------------------------------------------------------------
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007; BTYDplus's mbgnbd)
 *
 * The BG/NBD with one more chance to drop out: at the first purchase as well as after each
 * repeat purchase, so a customer without repeat purchases may be gone too (the BG/NBD keeps
 * every one of them alive).  Alive at T after x repeat purchases means x + 1 survived coin
 * flips instead of x, so each beta term is the BG/NBD's at x + 1:
 *
 *	 LL = A1 + A2(x + 1) + ln(e^A3 + e^A4'),  A4' = ln a - ln(b+x) - (r+x) ln(alpha+t_x)
 *
 * with A1, A2, A3 as in the BG/NBD, and A4' present for x = 0 too (then t_x = 0).  Given alive
 * at T the posterior is lambda ~ Gamma(r+x, alpha+T) and p ~ Beta(a, b+x+1): the BG/NBD's
 * posterior of an alive customer with b + 1 in place of b, which the scoring below reuses.
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The terms of one x: the BG/NBD's (x_terms), with the beta part moved from x to x + 1:
 * A2(x+1) - A2(x) = ln((b+x)/(a+b+x)), and its derivatives -1/(a+b+x) in a and
 * a/((b+x)(a+b+x)) in b.  Computed as a correction, so x + 1 never overflows an int32.
 */
static void
mbgnbd_x_terms(const double *p, int32_t x, double psi_r, double psi_b, double psi_ab, XTerms *t)
{
	double		a = p[2],
				bx = p[3] + x,
				abx = a + bx;

	x_terms(p, x, psi_r, psi_b, psi_ab, t);
	t->a12 += log1p(-a / abx);
	t->d_a -= 1.0 / abx;
	t->d_b += a / (bx * abx);
	t->log_bx1 = log(bx);		/* ln(b + x): the dropout term's denominator */
	t->inv_bx1 = 1.0 / bx;
}

double
btyd_mbgnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];
	double		log_alpha = log(alpha),
				log_a = log(a);
	double		psi_r = btyd_digamma(r),
				psi_b = btyd_digamma(b),
				psi_ab = btyd_digamma(a + b);
	double		ll = 0.0,
				ll_comp = 0.0,
				g_r = 0.0,
				g_alpha = 0.0,
				g_a = 0.0,
				g_b = 0.0;
	XTerms		t;

	mbgnbd_x_terms(p, patterns[0].x, psi_r, psi_b, psi_ab, &t);
	for (size_t i = 0; i < n; i++)
	{
		const BtydPattern *pt = &patterns[i];
		double		w = pt->weight;
		double		rx = r + pt->x;
		double		log_aT = log(alpha + pt->T);
		double		log_atx = log(alpha + pt->t_x);
		double		a3 = -rx * log_aT;
		double		a4,
					lse,
					w3,
					w4;

		if (pt->x != t.x)
			mbgnbd_x_terms(p, pt->x, psi_r, psi_b, psi_ab, &t);
		a4 = log_a - t.log_bx1 - rx * log_atx;
		lse = log_sum_exp(a3, a4);
		neumaier_add(&ll, &ll_comp, w * (t.a12 + r * log_alpha + lse));
		if (grad == NULL)
			continue;
		w3 = exp(a3 - lse);
		w4 = exp(a4 - lse);
		g_r += w * (t.d_r + log_alpha - w3 * log_aT - w4 * log_atx);
		g_alpha += w * (r / alpha - w3 * rx / (alpha + pt->T) - w4 * rx / (alpha + pt->t_x));
		g_a += w * (t.d_a + w4 / a);
		g_b += w * (t.d_b - w4 * t.inv_bx1);
	}
	if (grad != NULL)
	{
		grad[0] = g_r * r;
		grad[1] = g_alpha * alpha;
		grad[2] = g_a * a;
		grad[3] = g_b * b;
	}
	ll += ll_comp;
	return ll;
}

static double
mbgnbd_theta_ll(const double *theta, double *grad, const void *data, size_t n)
{
	double		p[4];

	for (int i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	return btyd_mbgnbd_ll(p, (const BtydPattern *) data, n, grad);
}

/* The same optimiser, starting point and standard errors as the BG/NBD. */
BtydFitStatus
btyd_mbgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
				BtydFit *fit)
{
	return nbd_fit(sorted, n, mbgnbd_theta_ll, btyd_mbgnbd_ll, interrupt, arg, fit);
}

/* The parameters with b + 1: the BG/NBD whose alive customers are the MBG/NBD's. */
static void
mbgnbd_shifted(const double *p, double *shifted)
{
	shifted[0] = p[0];
	shifted[1] = p[1];
	shifted[2] = p[2];
	shifted[3] = p[3] + 1.0;
}

/* 1 / (1 + e^u), without overflow */
static double
logistic_complement(double u)
{
	return u > 0.0 ? exp(-u) / (1.0 + exp(-u)) : 1.0 / (1.0 + exp(u));
}

/*
 * P(alive | x, t_x, T) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x)), for x = 0 too: the
 * BG/NBD's odds with b + 1 (bgnbd_log_odds_dead reads them for any x).
 */
double
btyd_mbgnbd_p_alive(const double *p, double x, double t_x, double T)
{
	double		shifted[4];

	mbgnbd_shifted(p, shifted);
	return logistic_complement(bgnbd_log_odds_dead(shifted, x, t_x, T));
}

/*
 * E[Y(t) | x, t_x, T] = P(alive) E[Y(t) | alive]: given alive, the future is the BG/NBD's with
 * b + 1, so for x > 0 this is btyd_bgnbd_expected with b + 1 (whose P(alive) factor is then
 * the MBG/NBD's); for x = 0 the BG/NBD takes P(alive) = 1, so the factor is applied here.
 * x = t_x = T = 0 gives a new customer's E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r
 * 2F1(r, b+1; a+b; t/(alpha+t))] (P(alive) at T = 0 is b/(a+b)).
 */
double
btyd_mbgnbd_expected(const double *p, double t, double x, double t_x, double T)
{
	double		shifted[4];
	double		v;

	mbgnbd_shifted(p, shifted);
	v = btyd_bgnbd_expected(shifted, t, x, t_x, T);
	if (x == 0.0)
		v *= btyd_mbgnbd_p_alive(p, 0.0, 0.0, T);
	return v;
}

/* P(no purchase in (T, T + t]) = 1 + P(alive) expm1((r+x) ln((alpha+T)/(alpha+T+t))) */
double
btyd_mbgnbd_p_no_purchase(const double *p, double t, double x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1];

	return 1.0 + btyd_mbgnbd_p_alive(p, x, t_x, T) *
		expm1((r + x) * (log(alpha + T) - log(alpha + T + t)));
}

/*
 * P(X(t) = n) for a new customer: gone at the first purchase (probability a/(a+b)) and n = 0,
 * or not, and then the BG/NBD with b + 1:
 *	 [n = 0] a/(a+b) + b/(a+b) P_BG/NBD(b+1)(X(t) = n)
 */
double
btyd_mbgnbd_prob_purchases(const double *p, int32_t n, double t)
{
	double		a = p[2],
				b = p[3];
	double		shifted[4];
	double		v;

	mbgnbd_shifted(p, shifted);
	v = b / (a + b) * btyd_bgnbd_prob_purchases(shifted, n, t);
	if (n == 0)
		v += a / (a + b);
	return v > 1.0 ? 1.0 : v;
}

/* ---------------------------------------------------------------------------------------------
 * P(alive t units after T), for the BG/NBD and the MBG/NBD
 *
 * Alive at T + t means alive at T and no dropout in (T, T + t].  Dropout happens only right
 * after a purchase, with probability p, so given alive at T, lambda and p, the n purchases of
 * (T, T + t] (Poisson, mean lambda t) all survive with probability
 * sum_n e^-lt (lt)^n/n! (1-p)^n = e^(-lambda p t).  Given alive at T, lambda ~ Gamma(r+x,
 * alpha+T) and p ~ Beta(a, beta) independently (beta = b+x for the BG/NBD, b+x+1 for the
 * MBG/NBD), so
 *
 *	 P(alive at T+t | x, t_x, T) = P(alive at T) E[(1 + p t/(alpha+T))^-(r+x)]
 *								 = P(alive at T) (1-z)^(r+x) 2F1(r+x, beta; a+beta; z)
 *								 = P(alive at T) (1-z)^a 2F1(a, a+beta-r-x; a+beta; z)
 *
 * with z = t/(alpha+T+t) (Euler's integral, then Pfaff's transformation, two ways).  The first
 * series has positive terms; the second too when a + beta >= r + x (beta - x = b or b + 1, so
 * whatever x), and it sums in a few terms for heavy buyers.  Either is summed in logs with
 * rescaling.  1 at t = 0, decreasing in t, to 0.
 * ---------------------------------------------------------------------------------------------
 */

/*
 * ln E[(1 + p u)^-s] for p ~ Beta(a, beta), u = t/(alpha+T), from log1mz = ln(1 - z); NaN when
 * the series does not settle within SERIES_MAX_TERMS terms: t more than about 100,000 times
 * alpha + T (less for heavy buyers of a model with a large a), or r + x and a both in the
 * millions.
 */
static double
log_survival_ahead(double s, double a, double beta, double z, double log1mz)
{
	double		A,
				B,
				C = a + beta,
				e;
	double		term = 1.0,
				sum = 1.0,
				log_scale = 0.0;

	/*
	 * The terms grow while their ratio, about A B z / (C (k + 1)), is above 1: take the form
	 * whose A B / C is smaller (the second needs B >= 0).  The first serves a, b in the
	 * millions (a dropout probability known exactly), the second heavy buyers.
	 */
	if (a + beta - s >= 0.0 && a * (a + beta - s) < s * beta)
	{
		A = a;
		B = a + beta - s;
		e = a;
	}
	else
	{
		A = s;
		B = beta;
		e = s;
	}
	for (long k = 0; k < SERIES_MAX_TERMS; k++)
	{
		double		ratio = (A + k) * (B + k) * z / ((C + k) * (k + 1.0));

		term *= ratio;
		sum += term;
		if (!isfinite(sum))
			return NAN;
		/*
		 * Past the peak the ratios tend to z, so what is left is below term q/(1-q) with q the
		 * larger of the ratio and z (a geometric series): stop when that cannot change sum.
		 */
		if (ratio < 1.0)
		{
			double		q = ratio > z ? ratio : z;

			if (q < 1.0 && term * q <= 1e-17 * sum * (1.0 - q))
				return e * log1mz + log(sum) + log_scale;
		}
		if (sum > RESCALE)
		{
			sum /= RESCALE;
			term /= RESCALE;
			log_scale += log(RESCALE);
		}
	}
	return NAN;
}

static double
p_alive_ahead(const double *p, double beta, double p_alive, double x, double T, double t)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2];
	double		log1mz,
				log_f;

	if (t == 0.0 || p_alive == 0.0)
		return p_alive;
	log1mz = log(alpha + T) - log(alpha + T + t);
	log_f = log_survival_ahead(r + x, a, beta, t / (alpha + T + t), log1mz);
	if (isnan(log_f))
		return NAN;
	return p_alive * exp(log_f);
}

double
btyd_bgnbd_p_alive_ahead(const double *p, double x, double t_x, double T, double t)
{
	return p_alive_ahead(p, p[3] + x, btyd_bgnbd_p_alive(p, x, t_x, T), x, T, t);
}

double
btyd_mbgnbd_p_alive_ahead(const double *p, double x, double t_x, double T, double t)
{
	return p_alive_ahead(p, p[3] + x + 1.0, btyd_mbgnbd_p_alive(p, x, t_x, T), x, T, t);
}

/* E[M | p, q, gamma, x, m] = p (gamma + x m) / (p x + q - 1) */
double
btyd_gg_expected_spend(const double *params, double x, double monetary)
{
	double		p = params[0],
				q = params[1],
				g = params[2];

	if (x == 0.0)
		return p * g / (q - 1.0);
	return p * (g + x * monetary) / (p * x + q - 1.0);
}

/* =============================================================================================
 * Pareto/NBD
 *
 * One customer's likelihood (Fader & Hardie's note, written as an integral), with
 * a = r + s + x:
 *
 *	 L = G(r+x) alpha^r beta^s / G(r) [(alpha+T)^-(r+x) (beta+T)^-s + s (I(t_x) - I(T))]
 *
 * where I(u) = int_u^inf (alpha+tau)^-(r+x) (beta+tau)^-(s+1) dtau: the first term is "alive at
 * T", the second "died unseen at some tau in (t_x, T]".  With M = max(alpha, beta) factored out
 * (the form CLVTools uses: the argument of the 2F1 then lies in [0, 1) whatever the parameters),
 *
 *	 I(u) = (M+u)^-a / a 2F1(a, b; a+1; z),  z = |alpha - beta| / (M+u),
 *
 * with b = s + 1 when alpha >= beta, else b = r + x.  Everything stays in logs: (M+u)^-a is far
 * below DBL_MIN for x in the thousands, and the textbook series of the 2F1 far above DBL_MAX.
 * I(t_x) - I(T) is formed as I(t_x) (1 - I(T)/I(t_x)) with log1p: both are positive and
 * I(T) <= I(t_x).
 * =============================================================================================
 */

/* Series terms at most (z <= 1/2 needs 55), and continued-fraction steps: see below. */
#define PNBD_MAX_TERMS 1000L
#define PNBD_MAX_CF_STEPS 150L
/* Above this z the continued fraction replaces the series. */
#define PNBD_SERIES_MAX_Z 0.5

/* k_j of the continued fraction below, j >= 1 */
static inline double
cf_coefficient(long j, double c, double e)
{
	long		m = j / 2;

	if (j % 2 == 1)
		return (e + m) * (c + m) / ((e + 2.0 * m) * (e + 2.0 * m + 1.0));
	return m * (e - c + m) / ((e + 2.0 * m - 1.0) * (e + 2.0 * m));
}

/* ---------------------------------------------------------------------------------------------
 * The analytic gradient.  Every piece of ln L is differentiated where it is evaluated: the
 * series and the continued fraction of ln 2F1(1, c; d; z) carry their derivatives in c, d and
 * z (below), the quadrature its derivatives in p, q, A and B (weighted means of the terms it
 * already computes), and the rest is the chain rule.  A gradient so costs about 1.7 values
 * (measured on the CDNOW master patterns) instead of the 8 or 16 of differences.
 * ---------------------------------------------------------------------------------------------
 */

/* ln 2F1(1, c; d; z) and its partial derivatives */
typedef struct LogG
{
	double		v;
	double		dc;
	double		dd;
	double		dz;
} LogG;

/* k_j of cf_coefficient and its derivatives in c and e */
static inline double
cf_coefficient_d(long j, double c, double e, double *dk_c, double *dk_e)
{
	long		m = j / 2;

	if (j % 2 == 1)
	{
		double		den = (e + 2.0 * m) * (e + 2.0 * m + 1.0),
					k = (e + m) * (c + m) / den;

		*dk_c = (e + m) / den;
		*dk_e = k * (1.0 / (e + m) - 1.0 / (e + 2.0 * m) - 1.0 / (e + 2.0 * m + 1.0));
		return k;
	}
	else
	{
		double		den = (e + 2.0 * m - 1.0) * (e + 2.0 * m),
					k = m * (e - c + m) / den;

		*dk_c = -m / den;
		*dk_e = m / den - k * (1.0 / (e + 2.0 * m - 1.0) + 1.0 / (e + 2.0 * m));
		return k;
	}
}

/*
 * The derivatives of ln 2F1(1, c; d; z) by the continued fraction summed backwards from depth
 * steps (forward-mode differentiation of v_i = 1 - k_i z / v_{i+1}, v_1 = 1 / 2F1).
 */
static void
hyp2f1_1_cf_derivatives(double c, double d, double z, long steps, LogG *g)
{
	double		e = d - 1.0;
	double		v = 1.0,
				v_c = 0.0,
				v_e = 0.0,
				v_z = 0.0;

	for (long i = steps; i >= 1; i--)
	{
		double		k_c,
					k_e,
					k = cf_coefficient_d(i, c, e, &k_c, &k_e),
					q = k * z / v,
					inv = 1.0 / v;

		/* v' = 1 - k z / v: d v' = -(dk z + k dz) / v + k z dv / v^2 */
		v_c = -k_c * z * inv + q * inv * v_c;
		v_e = -k_e * z * inv + q * inv * v_e;
		v_z = -k * inv + q * inv * v_z;
		v = 1.0 - q;
	}
	g->dc = -v_c / v;
	g->dd = -v_e / v;
	g->dz = -v_z / v;
}

/*
 * 2F1(1, c; d; z) for 0 < c < d, 0 <= z < 1, by Gauss's continued fraction
 *
 *	 2F1(1, c; d; z) = 1 / (1 - k1 z / (1 - k2 z / (1 - k3 z / ...)))
 *
 * (the ratio 2F1(1, c; d; z) / 2F1(0, c; d - 1; z), whose denominator is 1), with e = d - 1,
 * k_{2m+1} = (e + m)(c + m) / ((e + 2m)(e + 2m + 1)) and
 * k_{2m} = m (e - c + m) / ((e + 2m - 1)(e + 2m)), evaluated forwards by the modified Lentz
 * method.  It converges in the whole plane cut along [1, inf), about as fast as
 * ((1 - sqrt(1-z)) / (1 + sqrt(1-z)))^n: the square root of the series' rate near z = 1.
 * Forwards, a slow fraction stops once a step changes the value by less than one rounding,
 * though the many steps after it still add up (1e-12 of the value at 1 - z = 1e-6); so when it
 * took more than a few dozen steps, the fraction is summed again backwards (stable, and
 * without that loss) from twice as deep, where the tail is below rounding.
 *
 * The steps are capped at PNBD_MAX_CF_STEPS, enough for full precision down to 1 - z = 1e-2
 * whatever c and d, and far below when d is large or c/d small (heavy buyers): NaN past it.
 */
static double
hyp2f1_1_cf(double c, double d, double z, long *steps)
{
	const double tiny = 1e-300;
	double		e = d - 1.0;
	double		f = 1.0,
				C = 1.0,
				D = 0.0;

	long		j;

	for (j = 1; j <= PNBD_MAX_CF_STEPS; j++)
	{
		double		aj = -cf_coefficient(j, c, e) * z,
					delta;

		D = 1.0 + aj * D;
		if (fabs(D) < tiny)
			D = tiny;
		D = 1.0 / D;
		C = 1.0 + aj / C;
		if (fabs(C) < tiny)
			C = tiny;
		delta = C * D;
		f *= delta;
		if (fabs(delta - 1.0) <= DBL_EPSILON)
			break;
	}
	if (j > PNBD_MAX_CF_STEPS)
		return NAN;
	*steps = j;
	if (j > 32)
	{
		double		v = 1.0;

		for (long i = 2 * j + 8; i >= 1; i--)
			v = 1.0 - cf_coefficient(i, c, e) * z / v;
		f = v;
	}
	return 1.0 / f;
}

/*
 * ln 2F1(a, b; a+1; z) for a > 0, b > 0, 0 <= z < 1.
 *
 * The textbook series, terms (a)_k (b)_k / ((a+1)_k k!) z^k, grows like (b)_k / k! z^k to
 * about (1-z)^-b before it shrinks: for a heavy buyer (b = r + x in the thousands) that is
 * beyond DBL_MAX, after thousands of terms.  Euler's transformation
 *
 *	 2F1(a, b; a+1; z) = (1-z)^(1-b) 2F1(1, a+1-b; a+1; z)
 *
 * moves that growth into a prefactor taken in logs, and leaves a series whose term ratio
 * z (a+1-b+k) / (a+1+k) is below z for every k (as b > 0): its terms fall from 1 at once, the
 * sum lies in [1, 1/(1-z)], nothing overflows or cancels, and ln(eps)/ln(z) terms reach full
 * precision, 55 at most for z <= 1/2.  Nearer z = 1 the geometric rate z is slow (about
 * 1/(1-z) terms), and the Pfaff transformation, the usual remedy, would send z to
 * z/(z-1) < -1, outside the disc where any series converges; so there the same
 * 2F1(1, a+1-b; a+1; z) comes from Gauss's continued fraction, which needs about the square
 * root of that many steps, and few when a is large (heavy buyers, and the optimiser's
 * boundary where s or r grow without bound).  1 - z comes from the caller, computed without
 * the cancellation of 1 - z near z = 1.  NaN when the fraction does not converge within its
 * cap (z near 1 and b near or below 1): btyd_pnbd_log_integral then gives the integral.
 */
static double
log_hyp2f1_a1(double a, double b, double z, double one_minus_z, LogG *lg)
{
	double		c = a + 1.0 - b,
				d = a + 1.0,
				g;

	if (z == 0.0)
	{
		if (lg != NULL)
			*lg = (LogG) {0.0, 0.0, 0.0, c / d};
		return 0.0;
	}
	if (z <= PNBD_SERIES_MAX_Z)
	{
		double		term = 1.0,
					sum_c = 0.0,	/* sum of 1/(c+j), j < k: d ln term_k / dc */
					sum_d = 0.0,
					g_c = 0.0,
					g_d = 0.0,
					g_z = 0.0;
		long		k;

		g = 1.0;
		for (k = 0; k < PNBD_MAX_TERMS; k++)
		{
			term *= z * (c + k) / (d + k);
			g += term;
			if (lg != NULL)
			{
				sum_c += 1.0 / (c + k);
				sum_d += 1.0 / (d + k);
				g_c += term * sum_c;
				g_d -= term * sum_d;
				g_z += term * (k + 1);
			}
			if (term <= 1e-17 * g)
				break;
		}
		/* the derivatives' terms carry factors up to k: a few more terms for them */
		for (long extra = 0; lg != NULL && extra < 40 && k + 1 < PNBD_MAX_TERMS; extra++)
		{
			k++;
			term *= z * (c + k) / (d + k);
			sum_c += 1.0 / (c + k);
			sum_d += 1.0 / (d + k);
			g_c += term * sum_c;
			g_d -= term * sum_d;
			g_z += term * (k + 1);
			if (term * (k + 1) * (1.0 + sum_c + sum_d) <= 1e-17 * g)
				break;
		}
		if (lg != NULL)
			*lg = (LogG) {log(g), g_c / g, g_d / g, g_z / (z * g)};
	}
	else
	{
		long		steps = 0;

		g = hyp2f1_1_cf(c, d, z, &steps);
		if (lg != NULL && !isnan(g))
		{
			hyp2f1_1_cf_derivatives(c, d, z, 2 * steps + 16, lg);
			lg->v = log(g);
		}
	}
	return (1.0 - b) * log(one_minus_z) + log(g);
}

double
btyd_log_hyp2f1_a1(double a, double b, double z, double one_minus_z)
{
	return log_hyp2f1_a1(a, b, z, one_minus_z, NULL);
}

/* ln(C + e^v), without overflow */
static inline double
log_c_plus_exp(double log_c, double v)
{
	return v > log_c ? v + log1p(exp(log_c - v)) : log_c + log1p(exp(v - log_c));
}

/*
 * ln of int_0^inf (A+t)^-p (B+t)^-q dt for A, B > 0, p, q > 0, p + q > 1, by the trapezoidal
 * rule in v = ln t: the integrand e^phi(v), phi(v) = v - p ln(A + e^v) - q ln(B + e^v), is
 * analytic in the strip |Im v| < pi and falls exponentially at both ends (like e^v and
 * e^-(p+q-1)v), and for such functions the trapezoidal rule converges exponentially in 1/h:
 * its error is about e^(-2 pi d / h) for a strip of half-width d, against a growth of the
 * integrand inside the strip of about e^(kappa d^2 / 2), kappa = -phi'' at the mode.  h =
 * min(1/4, 0.6/sqrt(kappa)) keeps both below 1e-16.  phi is concave (phi' falls from 1 to
 * 1 - p - q), so its one mode is found by safeguarded Newton steps and the sum runs from it
 * both ways until the terms are below e^-42 of the largest.  The fallback of the 2F1 near
 * z = 1: a few hundred terms, whatever the ratio of alpha to beta.
 */
static double
pnbd_log_integral(double p, double q, double A, double B, double *grad)
{
	double		log_A = log(A),
				log_B = log(B),
				lo = fmin(log_A, log_B) - 50.0,
				hi = fmax(log_A, log_B) + 50.0 / fmin(1.0, p + q - 1.0),
				v,
				kappa = 0.0,
				h,
				peak,
				sum = 1.0;

	/*
	 * Start near the mode: where one factor alone would put it, e^v = A/(p-1) (p > 1) or
	 * B/(q-1), the nearer one; else between the scales.
	 */
	v = fmax(log_A, log_B);
	if (p > 1.0)
		v = fmin(v, log_A - log(p - 1.0));
	if (q > 1.0)
		v = fmin(v, log_B - log(q - 1.0));
	if (!(v > lo && v < hi))
		v = 0.5 * (lo + hi);
	for (int it = 0; it < 200; it++)
	{
		double		sa = 1.0 / (1.0 + exp(log_A - v)),
					sb = 1.0 / (1.0 + exp(log_B - v)),
					d1 = 1.0 - p * sa - q * sb,
					next;

		kappa = p * sa * (1.0 - sa) + q * sb * (1.0 - sb);
		if (d1 > 0.0)
			lo = v;
		else
			hi = v;
		next = kappa > 0.0 ? v + d1 / kappa : 0.5 * (lo + hi);
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - v) <= 1e-13 * fmax(1.0, fabs(v)) || hi - lo <= 1e-13 * fmax(1.0, fabs(v)))
		{
			v = next;
			break;
		}
		v = next;
	}
	h = kappa > 0.0 ? fmin(0.25, 0.6 / sqrt(kappa)) : 0.25;
	{
		double		la = log_c_plus_exp(log_A, v),
					lb = log_c_plus_exp(log_B, v);

		peak = v - p * la - q * lb;
		/*
		 * The derivatives: -p ln(A+t) - q ln(B+t) differentiated under the integral, the same
		 * rule on the same nodes (their integrands are as smooth and fall as fast).
		 */
		if (grad != NULL)
		{
			grad[0] = la;
			grad[1] = lb;
			grad[2] = exp(-la);
			grad[3] = exp(-lb);
		}
	}
	for (int dir = -1; dir <= 1; dir += 2)
		for (long k = 1; k < 100000; k++)
		{
			double		w = v + dir * k * h,
						la = log_c_plus_exp(log_A, w),
						lb = log_c_plus_exp(log_B, w),
						term = exp(w - p * la - q * lb - peak);

			sum += term;
			if (grad != NULL)
			{
				grad[0] += term * la;
				grad[1] += term * lb;
				grad[2] += term * exp(-la);
				grad[3] += term * exp(-lb);
			}
			if (term < 6e-19)
				break;
		}
	if (grad != NULL)
	{
		grad[0] *= -1.0 / sum;
		grad[1] *= -1.0 / sum;
		grad[2] *= -p / sum;
		grad[3] *= -q / sum;
	}
	return peak + log(h * sum);
}

double
btyd_pnbd_log_integral(double p, double q, double A, double B)
{
	return pnbd_log_integral(p, q, A, B, NULL);
}

/*
 * ln I(u), I as above, for a customer with x repeat purchases; grad (may be NULL) receives its
 * derivatives in r, alpha, s, beta.
 */
static double
pnbd_log_I(const double *p, double x, double u, double *grad)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];
	bool		ab = alpha >= beta;
	double		a = r + s + x,
				big = ab ? alpha : beta,
				small = ab ? beta : alpha,
				b = ab ? s + 1.0 : r + x,
				z = (big - small) / (big + u),
				one_minus_z = (small + u) / (big + u);
	LogG		lg;
	double		log_f = log_hyp2f1_a1(a, b, z, one_minus_z, grad != NULL ? &lg : NULL);
	double		log_big = log(big + u);

	if (isnan(log_f))
	{
		double		d[4];
		double		v = pnbd_log_integral(r + x, s + 1.0, alpha + u, beta + u,
										  grad != NULL ? d : NULL);

		if (grad != NULL)
		{
			grad[0] = d[0];
			grad[1] = d[2];
			grad[2] = d[1];
			grad[3] = d[3];
		}
		return v;
	}
	if (grad != NULL)
	{
		/*
		 * ln I = -a ln(M+u) - ln a + (1-b) ln(1-z) + ln G(c, d, z), c = a+1-b, d = a+1, with
		 * M and the parameter in b (so the one in c) chosen by alpha >= beta.  i_big, i_small:
		 * the indices of M and of the other scale; i_b, i_c those of the shape in b and in c.
		 */
		int			i_big = ab ? 1 : 3,
					i_small = ab ? 3 : 1,
					i_b = ab ? 2 : 0,
					i_c = ab ? 0 : 2;
		double		log_omz = log(one_minus_z),
					inv_big = 1.0 / (big + u),
					inv_small = 1.0 / (small + u);
		double		common = -log_big - 1.0 / a + lg.dd;	/* d/da (through a and d) */

		grad[0] = grad[2] = common;
		grad[i_b] += -log_omz;
		grad[i_c] += lg.dc;
		/* ln(1-z) = ln(small+u) - ln(big+u); z = (big - small)/(big+u) */
		grad[i_big] = -a * inv_big - (1.0 - b) * inv_big +
			lg.dz * one_minus_z * inv_big;
		grad[i_small] = (1.0 - b) * inv_small - lg.dz * inv_big;
	}
	return -a * log_big - log(a) + log_f;
}

/*
 * The two terms of the bracket of L in logs: alive at T, (alpha+T)^-(r+x) (beta+T)^-s; and
 * died unseen in (t_x, T], s (I(t_x) - I(T)), -inf when t_x = T.
 */
/*
 * ln I(T) of one x for the T seen so far (direct-mapped on T's bits): customers who came in on
 * the same day share T, and a fit's patterns sorted by x repeat a few hundred T's across
 * thousands of patterns, so about half of the 2F1s are repeats.  A hit returns the very value
 * computed before: the likelihood is the same with or without the cache.
 */
#define PNBD_CACHE_SIZE 256

typedef struct PnbdCache
{
	double		x;
	bool		with_grad;
	uint32_t	generation;		/* entries of another generation are empty */
	struct
	{
		uint32_t	generation;
		double		T;
		double		log_i;
		double		grad[4];
	}			entry[PNBD_CACHE_SIZE];
} PnbdCache;

static double
pnbd_log_I_T(const double *p, double x, double T, double *grad, PnbdCache *cache)
{
	uint64_t	bits;
	uint32_t	slot;

	if (cache == NULL)
		return pnbd_log_I(p, x, T, grad);
	if (x != cache->x || (grad != NULL) != cache->with_grad)
	{
		cache->x = x;
		cache->with_grad = grad != NULL;
		cache->generation++;
	}
	memcpy(&bits, &T, sizeof(bits));
	bits ^= bits >> 29;
	bits *= UINT64_C(0x9E3779B97F4A7C15);
	slot = (uint32_t) (bits >> 56) % PNBD_CACHE_SIZE;
	if (cache->entry[slot].generation != cache->generation || cache->entry[slot].T != T)
	{
		cache->entry[slot].generation = cache->generation;
		cache->entry[slot].T = T;
		cache->entry[slot].log_i = pnbd_log_I(p, x, T, grad != NULL ? cache->entry[slot].grad : NULL);
	}
	if (grad != NULL)
		memcpy(grad, cache->entry[slot].grad, sizeof(double) * 4);
	return cache->entry[slot].log_i;
}

static void
pnbd_log_terms_grad(const double *p, double x, double t_x, double T, double *log_alive,
					double *log_dead, double *g_alive, double *g_dead, PnbdCache *cache)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];
	double		log_aT = log(alpha + T),
				log_bT = log(beta + T);

	*log_alive = -(r + x) * log_aT - s * log_bT;
	*log_dead = -INFINITY;
	if (g_alive != NULL)
	{
		g_alive[0] = -log_aT;
		g_alive[1] = -(r + x) / (alpha + T);
		g_alive[2] = -log_bT;
		g_alive[3] = -s / (beta + T);
	}
	if (t_x < T)
	{
		double		d_tx[4],
					d_T[4];
		double		log_i_tx = pnbd_log_I(p, x, t_x, g_dead != NULL ? d_tx : NULL),
					log_i_T = pnbd_log_I_T(p, x, T, g_dead != NULL ? d_T : NULL, cache);

		/* I(T) < I(t_x) in exact arithmetic; within rounding of it the term is nil */
		if (log_i_T < log_i_tx)
		{
			double		ratio = exp(log_i_T - log_i_tx);

			*log_dead = log(s) + log_i_tx + log1p(-ratio);
			/* d ln(I(t_x) - I(T)) = (d ln I(t_x) - R d ln I(T)) / (1 - R), R = I(T)/I(t_x) */
			for (int i = 0; g_dead != NULL && i < 4; i++)
				g_dead[i] = (d_tx[i] - ratio * d_T[i]) / -expm1(log_i_T - log_i_tx);
			if (g_dead != NULL)
				g_dead[2] += 1.0 / s;
		}
	}
}

static void
pnbd_log_terms(const double *p, double x, double t_x, double T, double *log_alive,
			   double *log_dead)
{
	pnbd_log_terms_grad(p, x, t_x, T, log_alive, log_dead, NULL, NULL, NULL);
}

/* The patterns of a fit and the interrupt callback, which the likelihood also calls. */
typedef struct PnbdData
{
	const BtydPattern *patterns;
	BtydInterrupt interrupt;
	void	   *arg;
} PnbdData;

/* Patterns between two calls of the interrupt callback inside one likelihood. */
#define PNBD_INTERRUPT_EVERY 4096

/*
 * The log-likelihood of the weighted patterns, sorted by x, and its gradient with respect to
 * the log-parameters when grad is not NULL (analytic: see "The analytic gradient" above; the
 * value is the same whether or not the gradient is asked for).  On millions of distinct
 * patterns one evaluation takes long, so the interrupt callback (may be NULL) is called here
 * too.
 */
static double
pnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad,
		BtydInterrupt interrupt, void *arg)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];
	double		common = r * log(alpha) + s * log(beta) - lgamma(r);
	double		ll = 0.0,
				lg_rx = 0.0,
				psi_rx = 0.0,
				g[4] = {0.0, 0.0, 0.0, 0.0};
	int32_t		cur_x = -1;
	PnbdCache	cache_store;	/* on the stack: nothing to free when the callback throws */
	PnbdCache  *cache = NULL;

	/* a few patterns (a per-customer fit) repeat too few T's to pay for clearing it */
	if (n > 16)
	{
		memset(&cache_store, 0, sizeof(cache_store));
		cache = &cache_store;
		cache->x = -1.0;
	}
	for (size_t i = 0; i < n; i++)
	{
		const BtydPattern *pt = &patterns[i];
		double		log_alive,
					log_dead,
					g_alive[4],
					g_dead[4],
					lse;

		if (interrupt != NULL && i % PNBD_INTERRUPT_EVERY == PNBD_INTERRUPT_EVERY - 1)
			interrupt(arg);
		if (pt->x != cur_x)
		{
			cur_x = pt->x;
			lg_rx = lgamma(r + cur_x);
			if (grad != NULL)
				psi_rx = btyd_digamma(r + cur_x);
		}
		pnbd_log_terms_grad(p, pt->x, pt->t_x, pt->T, &log_alive, &log_dead,
							grad != NULL ? g_alive : NULL, grad != NULL ? g_dead : NULL, cache);
		lse = log_sum_exp(log_alive, log_dead);
		ll += pt->weight * (lg_rx + common + lse);
		if (grad != NULL)
		{
			double		w_alive = exp(log_alive - lse),
						w_dead = log_dead == -INFINITY ? 0.0 : exp(log_dead - lse);

			g[0] += pt->weight * (psi_rx + w_alive * g_alive[0] + w_dead * g_dead[0]);
			for (int k = 1; k < 4; k++)
				g[k] += pt->weight * (w_alive * g_alive[k] + w_dead * g_dead[k]);
		}
	}
	if (grad != NULL)
	{
		double		customers = 0.0;

		for (size_t k = 0; k < n; k++)
			customers += patterns[k].weight;
		/* the common terms r ln alpha + s ln beta - ln G(r), once for every customer */
		grad[0] = r * (g[0] + customers * (log(alpha) - btyd_digamma(r)));
		grad[1] = alpha * (g[1] + customers * r / alpha);
		grad[2] = s * (g[2] + customers * log(beta));
		grad[3] = beta * (g[3] + customers * s / beta);
	}
	return ll;
}

double
btyd_pnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad)
{
	return pnbd_ll(p, patterns, n, grad, NULL, NULL);
}

static double
pnbd_theta_ll(const double *theta, double *grad, const void *data, size_t n)
{
	const PnbdData *d = data;
	double		p[4];

	for (int i = 0; i < 4; i++)
		p[i] = exp(theta[i]);
	return pnbd_ll(p, d->patterns, n, grad, d->interrupt, d->arg);
}

BtydFitStatus
btyd_pnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
			  BtydFit *fit)
{
	Problem		pr;
	PnbdData	data = {sorted, interrupt, arg};
	double		theta[4],
				se_theta[4];
	double		mean_T = 0.0;

	memset(fit, 0, sizeof(*fit));
	fit->nparams = 4;
	if (n == 0)
		return BTYD_FIT_NO_DATA;
	fit->customers = total_weight(&sorted[0].weight, sizeof(BtydPattern), n);
	for (size_t i = 0; i < n; i++)
		mean_T += sorted[i].weight * sorted[i].T;
	mean_T /= fit->customers;

	/* start: r = s = 1, alpha = beta on the data's time scale (so z = 0 at the start) */
	theta[0] = 0.0;
	theta[1] = mean_T > 0.0 && isfinite(mean_T) ? log(mean_T) : 0.0;
	if (fabs(theta[1]) > THETA_LIMIT - MAX_STEP)
		theta[1] = copysign(THETA_LIMIT - MAX_STEP, theta[1]);
	theta[2] = 0.0;
	theta[3] = theta[1];

	pr.k = 4;
	pr.ll = pnbd_theta_ll;
	pr.data = &data;
	pr.n = n;
	pr.scale = 1.0 / fit->customers;
	pr.plateau_stop = true;
	if (!bfgs(&pr, theta, interrupt, arg, &fit->iterations, &fit->grad_norm, &fit->converged))
		return BTYD_FIT_FAILED;
	theta_standard_errors(&pr, theta, se_theta);
	for (int i = 0; i < 4; i++)
	{
		fit->params[i] = exp(theta[i]);
		fit->se[i] = fit->params[i] * se_theta[i];
	}
	fit->ll = pnbd_ll(fit->params, sorted, n, NULL, interrupt, arg);
	return BTYD_FIT_OK;
}

/* ---------------------------------------------------------------------------------------------
 * Pareto/NBD scoring.  Given alive at T, the posteriors are independent: lambda ~
 * Gamma(r + x, alpha + T) and mu ~ Gamma(s, beta + T).
 * ---------------------------------------------------------------------------------------------
 */

/* P(alive at T | x, t_x, T): the share of "alive at T" in the bracket of L. */
double
btyd_pnbd_p_alive(const double *p, double x, double t_x, double T)
{
	double		log_alive,
				log_dead;

	pnbd_log_terms(p, x, t_x, T, &log_alive, &log_dead);
	if (log_dead == -INFINITY)
		return 1.0;
	return 1.0 / (1.0 + exp(log_dead - log_alive));
}

/* P(alive at T + t): alive at T, then no death in t, E[e^-mu t] = ((beta+T)/(beta+T+t))^s. */
double
btyd_pnbd_p_alive_at(const double *p, double x, double t_x, double T, double t)
{
	double		s = p[2],
				beta = p[3];

	return btyd_pnbd_p_alive(p, x, t_x, T) * exp(-s * log1p(t / (beta + T)));
}

/*
 * E[Y(t) | x, t_x, T] = P(alive) E[lambda] E[(1 - e^-mu t) / mu]
 *	 = P(alive) (r+x)/(alpha+T) (beta+T) (1 - ((beta+T)/(beta+T+t))^(s-1)) / (s-1),
 * the last factor as expm1((1-s) l) / (1-s) with l = ln(1 + t/(beta+T)): exact at s = 1, where
 * it is l.  x = t_x = T = 0 gives a new customer's E[X(t)] = r beta / (alpha (s-1)) [...].
 */
double
btyd_pnbd_expected(const double *p, double t, double x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];

	if (t == 0.0)
		return 0.0;
	return btyd_pnbd_p_alive(p, x, t_x, T) * (r + x) / (alpha + T) * (beta + T) *
		expm1_over(1.0 - s, log1p(t / (beta + T)));
}

/*
 * P(no purchase in (T, T + t] | x, t_x, T) = 1 - P(alive) (1 - P0), where P0, the chance that
 * a customer alive at T buys nothing in t, is the likelihood of a customer with no repeat
 * purchase over a calibration of length t (x = t_x = 0, T = t) under the posterior parameters
 * r + x, alpha + T, s, beta + T.  Exactly 1 at t = 0.
 */
double
btyd_pnbd_p_no_purchase(const double *p, double t, double x, double t_x, double T)
{
	double		q[4] = {p[0] + x, p[1] + T, p[2], p[3] + T};
	double		log_alive,
				log_dead,
				prefix;

	if (t == 0.0)
		return 1.0;
	pnbd_log_terms(q, 0.0, 0.0, t, &log_alive, &log_dead);
	prefix = q[0] * log(q[1]) + q[2] * log(q[3]);
	/* prefix + log_alive = -(r+x) ln(1 + t/(alpha+T)) - s ln(1 + t/(beta+T)), without rounding */
	log_alive = -q[0] * log1p(t / q[1]) - q[2] * log1p(t / q[3]);
	return 1.0 + btyd_pnbd_p_alive(p, x, t_x, T) *
		expm1(log_sum_exp(log_alive, prefix + log_dead));
}
