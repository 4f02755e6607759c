/*
 * btyd_bgnbd_math.c
 *	  The BG/NBD (Fader, Hardie & Lee 2005) and the MBG/NBD (Batislam, Denizel & Filiztekin
 *	  2007) (see btyd_bgnbd_math.h): their log-likelihood with its analytic gradient, their fits
 *	  by the shared optimiser (btyd_optimize.c) and their scoring, P(alive) t units ahead
 *	  included.  One file for both: the MBG/NBD is the BG/NBD with one more dropout chance, and
 *	  reuses its likelihood terms and, with b + 1, its scoring.
 */
#include <math.h>

#include "btyd_bgnbd_math.h"
#include "btyd_special.h"

/* ---------------------------------------------------------------------------------------------
 * BG/NBD and MBG/NBD likelihood
 *
 * BG/NBD: for one customer, with A1 = ln G(r+x) - ln G(r) + r ln alpha,
 * A2 = ln G(a+b) + ln G(b+x) - ln G(b) - ln G(a+b+x), A3 = -(r+x) ln(alpha+T) and, when x > 0,
 * A4 = ln a - ln(b+x-1) - (r+x) ln(alpha+t_x):  LL = A1 + A2 + ln(e^A3 + [x > 0] e^A4).
 *
 * MBG/NBD (BTYDplus's mbgnbd): the BG/NBD with one more chance to drop out: at the first
 * purchase as well as after each repeat purchase, so a customer without repeat purchases may be
 * gone too (the BG/NBD keeps every one of them alive).  Alive at T after x repeat purchases
 * means x + 1 survived coin flips instead of x, so each beta term is the BG/NBD's at x + 1:
 *
 *	 LL = A1 + A2(x + 1) + ln(e^A3 + e^A4'),  A4' = ln a - ln(b+x) - (r+x) ln(alpha+t_x)
 *
 * with A1, A2, A3 as in the BG/NBD, and A4' present for x = 0 too (then t_x = 0).  The two
 * differ only in the terms of one x and in the dropout term at x = 0, so one loop sums both.
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
	double		log_bx1;		/* A4's ln(b + x - 1) when x > 0; A4's ln(b + x) */
	double		inv_bx1;
} XTerms;

/*
 * The BG/NBD's terms of one x; for the MBG/NBD (mbg), the beta part moved from x to x + 1:
 * A2(x+1) - A2(x) = ln((b+x)/(a+b+x)), and its derivatives -1/(a+b+x) in a and
 * a/((b+x)(a+b+x)) in b.  Computed as a correction, so x + 1 never overflows an int32.
 */
static void
x_terms(const double *p, int32_t x, bool mbg, double psi_r, double psi_b, double psi_ab,
		XTerms *t)
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
	}
	else
	{
		double		psi_abx = btyd_digamma(a + b + x);

		/* differences of ln Gamma at one argument: exact however large r, a, b run */
		t->a12 = btyd_lgamma_difference(r, x) + btyd_lgamma_difference(b, x) -
			btyd_lgamma_difference(a + b, x);
		t->d_r = btyd_digamma(r + x) - psi_r;
		t->d_a = psi_ab - psi_abx;
		t->d_b = psi_ab + btyd_digamma(b + x) - psi_b - psi_abx;
		t->log_bx1 = log(b + x - 1.0);
		t->inv_bx1 = 1.0 / (b + x - 1.0);
	}
	if (mbg)
	{
		double		bx = b + x,
					abx = a + bx;

		t->a12 += log1p(-a / abx);
		t->d_a -= 1.0 / abx;
		t->d_b += a / (bx * abx);
		t->log_bx1 = log(bx);
		t->inv_bx1 = 1.0 / bx;
	}
}

/*
 * The log-likelihood of the BG/NBD, or of the MBG/NBD (mbg), and its gradient in the
 * log-parameters when grad is not NULL.
 */
static double
nbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad, bool mbg)
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

	x_terms(p, patterns[0].x, mbg, psi_r, psi_b, psi_ab, &t);
	for (size_t i = 0; i < n; i++)
	{
		const BtydPattern *pt = &patterns[i];
		double		w = pt->weight;
		double		rx = r + pt->x;
		double		log_aT = log(alpha + pt->T);
		double		a3 = -rx * log_aT;
		double		a4 = -INFINITY;
		double		lse = a3,
					w3 = 1.0,
					w4 = 0.0;
		double		log_atx = 0.0;
		bool		dropout_term = pt->x > 0 || mbg;	/* A4 (A4') is there */

		if (pt->x != t.x)
			x_terms(p, pt->x, mbg, psi_r, psi_b, psi_ab, &t);
		if (dropout_term)
		{
			/*
			 * ln(e^A3 + e^A4) and the shares e^A3, e^A4 of the sum (the gradient's weights),
			 * from one exponential: the smaller over the larger.  The likelihood is a few
			 * logarithms and exponentials a pattern, so each one saved shows in a fit.
			 */
			double		e;

			log_atx = log(alpha + pt->t_x);
			a4 = log_a - t.log_bx1 - rx * log_atx;
			e = exp(a3 >= a4 ? a4 - a3 : a3 - a4);
			lse = fmax(a3, a4) + log1p(e);
			w3 = 1.0 / (1.0 + e);
			w4 = e * w3;
			if (a3 < a4)
			{
				w4 = w3;
				w3 = e * w4;
			}
		}
		btyd_neumaier_add(&ll, &ll_comp, w * (t.a12 + r * log_alpha + lse));
		if (grad == NULL)
			continue;
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

double
btyd_bgnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad)
{
	return nbd_ll(p, patterns, n, grad, false);
}

double
btyd_mbgnbd_ll(const double *p, const BtydPattern *patterns, size_t n, double *grad)
{
	return nbd_ll(p, patterns, n, grad, true);
}

/* ---------------------------------------------------------------------------------------------
 * BG/NBD fit: btyd_nbd_fit (btyd_optimize.c) on this likelihood
 * ---------------------------------------------------------------------------------------------
 */

BtydFitStatus
btyd_bgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
			   BtydFit *fit)
{
	return btyd_nbd_fit(sorted, n, btyd_bgnbd_ll, interrupt, arg, fit);
}

/* ---------------------------------------------------------------------------------------------
 * Scoring
 * ---------------------------------------------------------------------------------------------
 */

/* 1 / (1 + e^u), without overflow */
static double
logistic_complement(double u)
{
	return u > 0.0 ? exp(-u) / (1.0 + exp(-u)) : 1.0 / (1.0 + exp(u));
}

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
	return logistic_complement(u);
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
		double		log_f = btyd_log_hyp2f1_positive(r + x, b + x, C, z);

		bracket = -expm1((r + x) * log1mz + log_f) / (a - 1.0);
	}
	else
	{
		double		term = A * z / C,
					sum = 0.0;

		for (long k = 1; k < BTYD_SERIES_MAX_TERMS; k++)
		{
			sum += term;
			if (fabs(term) <= 1e-17 * fabs(sum) || term == 0.0 || !isfinite(sum))
				break;
			term *= (A + k) * (a + k - 1.0) * z / ((C + k) * (k + 1.0));
		}
		bracket = -btyd_expm1_over(a - 1.0, log1mz) - exp((a - 1.0) * log1mz) * sum;
	}
	denominator = x > 0.0 ? 1.0 + exp(bgnbd_log_odds_dead(p, x, t_x, T)) : 1.0;
	return C * bracket / denominator;
}

/*
 * P(no purchase in (T, T + t] | x, t_x, T) = P(dead at T) + P(alive at T, no purchase in t).
 * Given alive, the posterior of lambda is Gamma(r + x, alpha + T) (the MBG/NBD's too), so no
 * purchase in t has probability ((alpha+T)/(alpha+T+t))^(r+x), and the whole is
 * 1 + P(alive) expm1((r+x) ln((alpha+T)/(alpha+T+t))): exactly 1 at t = 0.
 */
static double
no_purchase(const double *p, double p_alive, double t, double x, double T)
{
	double		r = p[0],
				alpha = p[1];

	return 1.0 + p_alive * expm1((r + x) * (log(alpha + T) - log(alpha + T + t)));
}

double
btyd_bgnbd_p_no_purchase(const double *p, double t, double x, double t_x, double T)
{
	return no_purchase(p, btyd_bgnbd_p_alive(p, x, t_x, T), t, x, T);
}

/*
 * P(X(t) = n) for a new customer (Fader, Hardie & Lee 2005, eq. 8), in logs:
 *	 B(a, b+n)/B(a, b) NB(n) + [n > 0] B(a+1, b+n-1)/B(a, b) (1 - sum_{j<n} NB(j))
 * with NB the negative binomial pmf G(r+j)/(G(r) j!) (alpha/(alpha+t))^r (t/(alpha+t))^j.  The
 * sum stops once its terms, past the mode, no longer change it.
 */
double
btyd_bgnbd_prob_purchases(const double *p, int32_t n, double t, BtydInterrupt interrupt,
						  void *arg)
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
	log_nb_n = btyd_log_nb_coefficient(r, n) + r * log_p0 + n * log_q;
	/*
	 * B(a, b + n) / B(a, b) and B(a + 1, b + n - 1) / B(a, b) as differences of ln Gamma at
	 * the same argument: as differences of ln B they would lose every digit once a or b is
	 * large (1e13, where a fit's parameters may run, leaves two digits).
	 */
	v = exp(btyd_lgamma_difference(b, n) - btyd_lgamma_difference(a + b, n) + log_nb_n);
	if (n == 0)
		return v;
	log_term = r * log_p0;
	for (int32_t j = 0; j < n; j++)
	{
		double		term = exp(log_term);

		if (interrupt != NULL && (j & 0xFFFF) == 0xFFFF)
			interrupt(arg);
		cdf += term;
		if (j > (r - 1.0) * t / alpha && term <= 1e-17 * cdf)
			break;
		log_term += log(r + j) - log(j + 1.0) + log_q;
	}
	if (cdf < 1.0)
		v += exp(log(a) + btyd_lgamma_difference(b, n - 1.0) - btyd_lgamma_difference(a + b, n)) *
			(1.0 - cdf);
	return v > 1.0 ? 1.0 : v;
}

/* ---------------------------------------------------------------------------------------------
 * MBG/NBD fit and scoring
 *
 * Given alive at T the MBG/NBD's posterior is lambda ~ Gamma(r+x, alpha+T) and
 * p ~ Beta(a, b+x+1): the BG/NBD's posterior of an alive customer with b + 1 in place of b,
 * which the scoring below reuses.
 * ---------------------------------------------------------------------------------------------
 */

/* The same optimiser, starting point and standard errors as the BG/NBD. */
BtydFitStatus
btyd_mbgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt, void *arg,
				BtydFit *fit)
{
	return btyd_nbd_fit(sorted, n, btyd_mbgnbd_ll, interrupt, arg, fit);
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

/* P(no purchase in (T, T + t]): the BG/NBD's formula with the MBG/NBD's P(alive) */
double
btyd_mbgnbd_p_no_purchase(const double *p, double t, double x, double t_x, double T)
{
	return no_purchase(p, btyd_mbgnbd_p_alive(p, x, t_x, T), t, x, T);
}

/*
 * P(X(t) = n) for a new customer: gone at the first purchase (probability a/(a+b)) and n = 0,
 * or not, and then the BG/NBD with b + 1:
 *	 [n = 0] a/(a+b) + b/(a+b) P_BG/NBD(b+1)(X(t) = n)
 */
double
btyd_mbgnbd_prob_purchases(const double *p, int32_t n, double t, BtydInterrupt interrupt,
						   void *arg)
{
	double		a = p[2],
				b = p[3];
	double		shifted[4];
	double		v;

	mbgnbd_shifted(p, shifted);
	v = b / (a + b) * btyd_bgnbd_prob_purchases(shifted, n, t, interrupt, arg);
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
 * the series does not settle within BTYD_SERIES_MAX_TERMS terms: t more than about 100,000
 * times alpha + T (less for heavy buyers of a model with a large a), or r + x and a both in the
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
	for (long k = 0; k < BTYD_SERIES_MAX_TERMS; k++)
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
		if (sum > BTYD_RESCALE)
		{
			sum /= BTYD_RESCALE;
			term /= BTYD_RESCALE;
			log_scale += log(BTYD_RESCALE);
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
