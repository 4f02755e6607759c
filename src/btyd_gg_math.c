/*
 * btyd_gg_math.c
 *	  The Gamma-Gamma model (see btyd_gg_math.h): the order of its patterns, its
 *	  log-likelihood, its fit by the shared optimiser (btyd_optimize.c) and the expected spend.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "btyd_gg_math.h"
#include "btyd_special.h"

/* ---------------------------------------------------------------------------------------------
 * Sorting patterns (by x first, so the terms that depend on x alone are computed once per x;
 * the full order makes the fit independent of the order the patterns came in)
 * ---------------------------------------------------------------------------------------------
 */

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
		btyd_neumaier_add(&ll, &ll_comp,
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
	BtydProblem pr;
	BtydFitStatus status;
	double		theta[3],
				se_theta[3];
	double		mean_m = 0.0;

	memset(fit, 0, sizeof(*fit));
	fit->nparams = 3;
	if (n == 0)
		return BTYD_FIT_NO_DATA;
	fit->customers = btyd_total_weight(&sorted[0].weight, sizeof(BtydSpendPattern), n);
	for (size_t i = 0; i < n; i++)
		mean_m += sorted[i].weight * sorted[i].monetary;
	mean_m /= fit->customers;

	/* start: p = 1, q = 2, gamma on the data's money scale */
	theta[0] = 0.0;
	theta[1] = 0.0;
	theta[2] = btyd_log_start(mean_m);

	pr.k = 3;
	pr.ll = gg_theta_ll;
	pr.data = sorted;
	pr.n = n;
	pr.scale = 1.0 / fit->customers;
	pr.plateau_stop = false;
	status = btyd_fit_run(&pr, theta, interrupt, arg, fit, se_theta);
	if (status != BTYD_FIT_OK)
		return status;
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
 * Expected spend
 * ---------------------------------------------------------------------------------------------
 */

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
