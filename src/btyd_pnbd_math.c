/*
 * btyd_pnbd_math.c
 *	  The Pareto/NBD (see btyd_pnbd_math.h): its likelihood in logs with the analytic gradient,
 *	  its fit by the shared optimiser (btyd_optimize.c) and its scoring.  The 2F1 of its
 *	  likelihood terms and the quadrature of their integral are in btyd_special.c.
 */
#include <math.h>
#include <string.h>

#include "btyd_pnbd_math.h"
#include "btyd_special.h"

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

/* ---------------------------------------------------------------------------------------------
 * The analytic gradient.  Every piece of ln L is differentiated where it is evaluated: the
 * series and the continued fraction of ln 2F1(1, c; d; z) carry their derivatives in c, d and
 * z (btyd_log_hyp2f1_a1_grad), the quadrature its derivatives in p, q, A and B (weighted means of the terms it
 * already computes), and the rest is the chain rule.  A gradient so costs about 1.7 values
 * (measured on the CDNOW master patterns) instead of the 8 or 16 of differences.
 * ---------------------------------------------------------------------------------------------
 */

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
	BtydLogG	lg;
	double		log_f = btyd_log_hyp2f1_a1_grad(a, b, z, one_minus_z, grad != NULL ? &lg : NULL);
	double		log_big = log(big + u);

	if (isnan(log_f))
	{
		double		d[4];
		double		v = btyd_pnbd_log_integral_grad(r + x, s + 1.0, alpha + u, beta + u,
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

/*
 * The two terms of the bracket of L in logs: alive at T, (alpha+T)^-(r+x) (beta+T)^-s; and
 * died unseen in (t_x, T], s (I(t_x) - I(T)), -inf when t_x = T.  g_alive and g_dead (may be
 * NULL) receive their derivatives in r, alpha, s, beta; cache (may be NULL) keeps ln I(T).
 */
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
		lse = btyd_log_sum_exp(log_alive, log_dead);
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

/*
 * The shared fit of four-parameter models, starting at r = s = 1 and alpha = beta on the data's
 * time scale (so z = 0 at the start), and stopping on a plateau.
 */
BtydFitStatus
btyd_pnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
			  BtydFit *fit)
{
	PnbdData	data = {sorted, interrupt, arg};
	BtydNbdModel model = {pnbd_theta_ll, &data, true, true};

	return btyd_nbd_fit_model(sorted, n, &model, interrupt, arg, fit);
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
		btyd_expm1_over(1.0 - s, log1p(t / (beta + T)));
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
		expm1(btyd_log_sum_exp(log_alive, prefix + log_dead));
}
