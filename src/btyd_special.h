/*
 * btyd_special.h
 *	  The special functions of the customer-base models: digamma, ln B, log-space sums, the
 *	  compensated sum the likelihoods add up with, and the Gauss hypergeometric functions with
 *	  the quadrature that stands in for them near z = 1.  The ground floor of the pure numeric
 *	  code (btyd_optimize.c, btyd_bgnbd_math.c, btyd_pnbd_math.c, btyd_gg_math.c build on it,
 *	  never the other way).  Pure C: no PostgreSQL headers; unit-tested by
 *	  test/unit/test_btyd_special.c.
 */
#ifndef PROFILING_BTYD_SPECIAL_H
#define PROFILING_BTYD_SPECIAL_H

#include <math.h>
#include <stdint.h>

extern double btyd_digamma(double x);
extern double btyd_lbeta(double a, double b);

/*
 * ln Gamma(x + d) - ln Gamma(x) (x > 0, x + d > 0) without the loss of lgamma's difference for
 * large x; and ln(Gamma(r + n) / (Gamma(r) n!)), the negative binomial's coefficient, from it.
 */
extern double btyd_lgamma_difference(double x, double d);
extern double btyd_log_nb_coefficient(double r, int32_t n);

/*
 * log(exp(u) + exp(v)), without overflow; v may be -inf.  Inline: the likelihoods call it once
 * a pattern.
 */
static inline double
btyd_log_sum_exp(double u, double v)
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
btyd_neumaier_add(double *sum, double *comp, double term)
{
	double		t = *sum + term;

	*comp += fabs(*sum) >= fabs(term) ? (*sum - t) + term : (term - t) + *sum;
	*sum = t;
}

/* expm1(v * l) / v, and its limit l at v = 0 */
static inline double
btyd_expm1_over(double v, double l)
{
	return v == 0.0 ? l : expm1(v * l) / v;
}

/*
 * The series summed term by term stop after this many terms, and are rescaled by RESCALE
 * whenever their sum passes it, so that their size never overflows.
 */
#define BTYD_SERIES_MAX_TERMS 10000000L
#define BTYD_RESCALE 1e280

/* ln of sum_{k>=0} (p)_k (q)_k z^k / ((c)_k k!) for p, q, c > 0 and 0 <= z < 1. */
extern double btyd_log_hyp2f1_positive(double p, double q, double c, double z);

/*
 * ln 2F1(a, b; a + 1; z) for a > 0, b > 0, 0 <= z < 1 (one_minus_z = 1 - z, computed by the
 * caller without cancellation): the form of every Pareto/NBD 2F1.  NaN where it would be slow
 * (z near 1 and b near or below 1).
 */
extern double btyd_log_hyp2f1_a1(double a, double b, double z, double one_minus_z);

/* ln 2F1(1, c; d; z) and its partial derivatives */
typedef struct BtydLogG
{
	double		v;
	double		dc;
	double		dd;
	double		dz;
} BtydLogG;

/*
 * btyd_log_hyp2f1_a1, and in *lg (when not NULL and the value is not NaN) ln 2F1(1, c; d; z),
 * c = a+1-b, d = a+1, of Euler's form and its derivatives in c, d and z.
 */
extern double btyd_log_hyp2f1_a1_grad(double a, double b, double z, double one_minus_z,
									  BtydLogG *lg);

/* ln int_0^inf (A+t)^-p (B+t)^-q dt, by quadrature: the fallback near z = 1. */
extern double btyd_pnbd_log_integral(double p, double q, double A, double B);

/* The same, and in grad[4] (when not NULL) its derivatives in p, q, A and B. */
extern double btyd_pnbd_log_integral_grad(double p, double q, double A, double B, double *grad);

#endif							/* PROFILING_BTYD_SPECIAL_H */
