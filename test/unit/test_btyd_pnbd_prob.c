/*
 * test_btyd_pnbd_prob.c
 *	  Unit tests of src/btyd_pnbd_prob.c, the Pareto/NBD's P(X(t) = n) for a new customer:
 *	  against 60-digit reference values, the distribution's identities (it sums to 1, its mean
 *	  is the closed form of E[X(t)]), and extreme arguments on a grid and drawn at random over
 *	  the whole range of a double (finite, in [0, 1], never NaN).
 *
 * Of the other modules it needs only btyd_special.c (the negative binomial's coefficient):
 * E[X(t)] is written out below rather than taken from btyd_pnbd_math.c, so the check does not
 * share code with what the SQL side compares it to.
 */
/* unit-depends: src/btyd_special.c */
#include <float.h>
#include <stdlib.h>

#include "btyd_pnbd_prob.h"
#include "unit.h"

/* Fader & Hardie's CDNOW maximum-likelihood estimates (their 2005 note), weeks. */
static const double cdnow[4] = {0.553277, 10.577684, 0.606240, 11.668735};

/*
 * Reference values, computed with mpmath 1.3 at 60 significant digits in two independent ways
 * that agree to at least 56 digits on every row with n <= 300 but the last:
 *   - the mixture integral, NB(n; r, alpha, t) (beta/(beta+t))^s +
 *     mp.quad(lambda tau: NB(n; r, alpha, tau) s beta^s / (beta+tau)^(s+1), [0, ..., t]) with
 *     breakpoints at e^(v* + k), k = -40 ... 40, around the peak v* of the integrand in ln tau
 *     (tanh-sinh quadrature, maxdegree 10);
 *   - Fader & Hardie's closed form (2006 note, eq. for P(X(t) = x) with one 2F1 minus a sum of
 *     x + 1 2F1 terms, mp.hyp2f1) at 2n + 100 digits, enough for its cancellation;
 * the rows with n = 1000 and 1,000,000 by the integral, and again by mp.quad in ln tau over
 * breakpoints every 1/4 from -100 and at ln t - 2^-j (j < 30), which agrees to 20 digits (and
 * for n = 300 with both ways above);
 * the row with r = 1e-300 by the closed form at 400 and at 700 more digits (the first way's
 * breakpoints were too sparse for its long tail: it was off by 1e-11, and the second way gave
 * the closed form's value).  Printed to 20 digits, read here rounded to the nearest double.
 */
typedef struct Reference
{
	double		r,
				alpha,
				s,
				beta;
	int32_t		n;
	double		t;
	double		p;
} Reference;

static const Reference references[] = {
	/* CDNOW, the first 78 weeks (the distribution sql/btyd_pnbd.sql shows) */
	{0.553277, 10.577684, 0.606240, 11.668735, 0, 78, 0.55259695224969793315},
	{0.553277, 10.577684, 0.606240, 11.668735, 1, 78, 0.15355885005099732604},
	{0.553277, 10.577684, 0.606240, 11.668735, 2, 78, 0.079088601681023017629},
	{0.553277, 10.577684, 0.606240, 11.668735, 3, 78, 0.049692509179412706712},
	{0.553277, 10.577684, 0.606240, 11.668735, 4, 78, 0.034427204200812906783},
	{0.553277, 10.577684, 0.606240, 11.668735, 5, 78, 0.025255110940103880023},
	{0.553277, 10.577684, 0.606240, 11.668735, 6, 78, 0.019225665915441534603},
	{0.553277, 10.577684, 0.606240, 11.668735, 7, 78, 0.015016097829258731274},
	{0.553277, 10.577684, 0.606240, 11.668735, 100, 78, 2.2297422338214741042e-8},
	/* CDNOW over a nanosecond-like and a geological horizon */
	{0.553277, 10.577684, 0.606240, 11.668735, 0, 1e-9, 0.99999999994769393754},
	{0.553277, 10.577684, 0.606240, 11.668735, 1, 1e-9, 5.2306062452270426999e-11},
	{0.553277, 10.577684, 0.606240, 11.668735, 0, 1e9, 0.50968077555790888476},
	{0.553277, 10.577684, 0.606240, 11.668735, 5, 1e9, 0.021275322894923644897},
	{0.553277, 10.577684, 0.606240, 11.668735, 1000, 1e9, 5.6433820440278066434e-6},
	{0.553277, 10.577684, 0.606240, 11.668735, 1000000, 1e9, 8.6168115072029926606e-11},
	{0.553277, 10.577684, 0.606240, 11.668735, 2, 1e300, 0.066834866260266566418},
	{0.553277, 10.577684, 0.606240, 11.668735, 3, 0.5, 3.2164761515214428094e-5},
	/* alpha < beta; beta < alpha; r and s far from 1 */
	{0.5, 4, 0.8, 12, 3, 20, 0.054757014476497625926},
	{0.5, 4, 0.8, 12, 0, 20, 0.54431793460737497058},
	{2.5, 1, 3, 0.1, 2, 5, 0.012725977675589588581},
	{2.5, 1, 3, 0.1, 40, 5, 2.2171303676394670818e-8},
	{50, 5, 0.05, 500, 8, 1, 0.10810060035216137205},
	{1e-3, 1e-3, 1e-3, 1e-3, 1, 1, 0.00099115644414163286167},
	{1e3, 1e3, 1e3, 1e3, 1, 1, 0.28372578609794425194},
	/* r and alpha running off together, as in a boundary fit (mean rate 10 per unit) */
	{1e5, 1e4, 0.6, 11, 12, 10, 0.0045698832947042919931},
	{1e8, 1e7, 0.6, 11, 12, 10, 0.004569851712606437486},
	/* s = 1 and s large */
	{0.55, 10.58, 1, 11.67, 2, 52, 0.067658619357532502526},
	{0.55, 10.58, 20, 11.67, 2, 52, 0.0020097431062343434924},
	{10, 0.1, 0.2, 100, 300, 3, 0.0040854836074358344291},
	/* r = 1e-300: P(X = 1) is about r */
	{1e-300, 1e-6, 1e-6, 2.5, 1, 1e9, 9.9999999999410627781e-301},
};

static void
test_references(void)
{
	unit_diag("against 50-digit references (mpmath), to 1e-13 relative");
	for (size_t i = 0; i < LENGTH(references); i++)
	{
		const Reference *c = &references[i];
		double		p[4] = {c->r, c->alpha, c->s, c->beta};

		relative_near(btyd_pnbd_prob_purchases(p, c->n, c->t), c->p, 1e-13,
					  "r=%g alpha=%g s=%g beta=%g: P(X(%g) = %d)", c->r, c->alpha, c->s, c->beta,
					  c->t, c->n);
	}
	/* 2.2e-55234 in truth: below the smallest double */
	unit_double_is(btyd_pnbd_prob_purchases(cdnow, 1000000, 78), 0.0,
				   "CDNOW: P(X(78) = 1,000,000) underflows to 0");
	unit_ok(btyd_pnbd_prob_purchases(cdnow, 0, 0) == 1.0 &&
			btyd_pnbd_prob_purchases(cdnow, 1, 0) == 0.0 &&
			btyd_pnbd_prob_purchases(cdnow, INT32_MAX, 0) == 0.0,
			"t = 0: no purchase is certain");
}

/* A new customer's E[X(t)] = r beta / (alpha (s-1)) (1 - (beta/(beta+t))^(s-1)), s != 1. */
static double
expected_new(const double *p, double t)
{
	double		r = p[0],
				alpha = p[1],
				s = p[2],
				beta = p[3];

	return r * beta / (alpha * (s - 1.0)) * -expm1(-(s - 1.0) * log1p(t / beta));
}

/*
 * Sum P(X(t) = n) and n P(X(t) = n) over n (Neumaier's compensated sums) until past the mean
 * the terms no longer change either sum.
 */
static void
test_identities(void)
{
	static const struct
	{
		double		p[4];
		double		t;
	}			cases[] = {
		{{0.553277, 10.577684, 0.606240, 11.668735}, 78},
		{{0.553277, 10.577684, 0.606240, 11.668735}, 1000},
		{{0.553277, 10.577684, 0.606240, 11.668735}, 1e-6},
		{{0.5, 4, 0.8, 12}, 20},
		{{2.5, 1, 3, 0.1}, 5},
		{{50, 5, 0.05, 500}, 1},
		{{1e5, 1e4, 0.6, 11}, 10},
	};

	unit_diag("sum over n of P(X(t) = n) = 1 and of n P(X(t) = n) = E[X(t)], to 1e-12");
	for (size_t i = 0; i < LENGTH(cases); i++)
	{
		const double *p = cases[i].p;
		double		t = cases[i].t,
					mean = expected_new(p, t),
					sum = 0.0,
					sum_c = 0.0,
					first = 0.0,
					first_c = 0.0;
		int32_t		n;

		for (n = 0; n < 10000000; n++)
		{
			double		v = btyd_pnbd_prob_purchases(p, n, t),
						terms[2] = {v, n * v},
						*s[2] = {&sum, &first},
						*c[2] = {&sum_c, &first_c};

			for (int k = 0; k < 2; k++)
			{
				double		u = *s[k] + terms[k];

				*c[k] += fabs(*s[k]) >= fabs(terms[k]) ? (*s[k] - u) + terms[k] : (terms[k] - u) + *s[k];
				*s[k] = u;
			}
			if (n > mean && n * v < 1e-20 * first)
				break;
		}
		relative_near(sum + sum_c, 1.0, 1e-12, "r=%g alpha=%g s=%g beta=%g, t=%g: sum of P over n <= %d is 1",
					  p[0], p[1], p[2], p[3], t, n);
		relative_near(first + first_c, mean, 1e-12, "... and the mean is E[X(t)] = %.15g", mean);
	}
}

/* Extreme parameters, counts and horizons: finite and in [0, 1]. */
static void
test_extremes(void)
{
	static const double values[] = {5e-324, 1e-300, 1e-6, 2.5, 1e300, DBL_MAX};
	static const int32_t counts[] = {0, 1, 1000000, INT32_MAX};
	static const double horizons[] = {5e-324, 1e-9, 78, 1e9, DBL_MAX};
	int			bad = 0,
				calls = 0;

	unit_diag("extremes: r, alpha, s, beta in {5e-324, 1e-300, 1e-6, 2.5, 1e300, DBL_MAX}, n up to 2^31-1, t from 5e-324 to DBL_MAX");
	for (size_t a = 0; a < LENGTH(values); a++)
		for (size_t b = 0; b < LENGTH(values); b++)
			for (size_t c = 0; c < LENGTH(values); c++)
				for (size_t d = 0; d < LENGTH(values); d++)
					for (size_t i = 0; i < LENGTH(counts); i++)
						for (size_t j = 0; j < LENGTH(horizons); j++)
						{
							double		p[4] = {values[a], values[b], values[c], values[d]},
										v = btyd_pnbd_prob_purchases(p, counts[i], horizons[j]);

							calls++;
							if (!(v >= 0.0 && v <= 1.0) && bad++ < 10)
								printf("#   r=%g alpha=%g s=%g beta=%g n=%d t=%g: %g\n", p[0], p[1],
									   p[2], p[3], counts[i], horizons[j], v);
						}
	unit_int64_is(bad, 0, "all %d results finite and in [0, 1]", calls);

	unit_ok(btyd_pnbd_prob_purchases(cdnow, 0, 1e-300) == 1.0,
			"t = 1e-300: no purchase is certain to the last bit");
}

/* A deterministic generator for the sweep (splitmix64): the same draws on every machine. */
static uint64_t
next_draw(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9E3779B97F4A7C15));

	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

/* 10^(-300 .. 300), log-uniform */
static double
log_uniform(uint64_t *state)
{
	return pow(10.0, -300.0 + 600.0 * ((next_draw(state) >> 11) * 0x1.0p-53));
}

/*
 * Between the grid's points: parameters, counts and horizons drawn log-uniform over the whole
 * range of a double, where a term of psi can grow exponentially in ln tau (s huge and beta tiny,
 * or r huge and alpha tiny) and the search for the peak must still find it. And two answers
 * known there: with s = 1e200 and beta = 1e-80 the mean lifetime is 1e-280, so a customer
 * makes no purchase in t = 1 with probability 1; with r = 1e100 and alpha = s = beta = 1 the
 * first purchase comes at a rate of 1e100, so P(X(1) = 0) is the chance of dying first, 1e-100.
 */
static void
test_sweep(void)
{
	uint64_t	state = 20261202;
	int			bad = 0;
	const int	calls = 100000;

	unit_diag("sweep: %d draws of r, alpha, s, beta, t log-uniform over 1e-300..1e300, n over 0..2^31-1", calls);
	for (int i = 0; i < calls; i++)
	{
		double		p[4],
					t,
					v;
		int32_t		n;

		for (int k = 0; k < 4; k++)
			p[k] = log_uniform(&state);
		t = log_uniform(&state);
		n = (int32_t) fmin(pow(2.0, 31.0 * ((next_draw(&state) >> 11) * 0x1.0p-53)) - 1.0, (double) INT32_MAX);
		v = btyd_pnbd_prob_purchases(p, n, t);
		if (!(v >= 0.0 && v <= 1.0) && bad++ < 10)
			printf("#   r=%g alpha=%g s=%g beta=%g n=%d t=%g: %g\n", p[0], p[1], p[2], p[3], n, t, v);
	}
	unit_int64_is(bad, 0, "all %d results finite and in [0, 1]", calls);
	relative_near(btyd_pnbd_prob_purchases((double[]) {1.0, 1.0, 1e200, 1e-80}, 0, 1.0), 1.0, 1e-12,
				  "s = 1e200, beta = 1e-80 (dead at once): P(X(1) = 0) = 1");
	relative_near(btyd_pnbd_prob_purchases((double[]) {1e100, 1.0, 1.0, 1.0}, 0, 1.0), 1e-100, 1e-9,
				  "r = 1e100, alpha = s = beta = 1 (buys at once): P(X(1) = 0) = 1e-100");
}

int
main(void)
{
	test_references();
	test_identities();
	test_extremes();
	test_sweep();
	return unit_done();
}
