/*
 * btyd_special.c
 *	  The special functions of the customer-base models (see btyd_special.h): digamma and ln B,
 *	  the hypergeometric series with positive terms of the BG/NBD's expectation, the
 *	  ln 2F1(a, b; a+1; z) of every Pareto/NBD likelihood term (a series, or Gauss's continued
 *	  fraction near z = 1) with its derivatives, and the quadrature of the integral that 2F1
 *	  stands for, where the continued fraction would be slow.  Apart from the models, so that
 *	  each is tested against reference values on its own and the models' files hold only their
 *	  formulas.
 */
#include <float.h>
#include <math.h>
#include <stddef.h>

#include "btyd_special.h"

/* ---------------------------------------------------------------------------------------------
 * Digamma and ln B
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

/* S(y) = ln Gamma(y) - ((y - 1/2) ln y - y + ln(2 pi) / 2), Stirling's series, for y >= 10. */
static double
stirling_rest(double y)
{
	double		inv = 1.0 / y,
				inv2 = inv * inv;

	/* The first term left out, 3617/122400 y^-15, is below 3e-17 at y = 10. */
	return inv * (1.0 / 12 - inv2 * (1.0 / 360 - inv2 * (1.0 / 1260 - inv2 * (1.0 / 1680 -
				  inv2 * (1.0 / 1188 - inv2 * (691.0 / 360360 - inv2 * (1.0 / 156)))))));
}

/*
 * ln Gamma(x + d) - ln Gamma(x), x > 0 and x + d > 0: for x and x + d >= 10 by differencing
 * Stirling's series term by term, since lgamma(x + d) - lgamma(x) would lose the difference
 * among the digits of two large values (lgamma(1e8) is 1.7e9, and its last bit is 2e-7; at
 * 1e13, where a fit's parameters may run, the last bit is 0.03).
 */
double
btyd_lgamma_difference(double x, double d)
{
	if (d == 0.0)
		return 0.0;
	if (x < 10.0 || x + d < 10.0)
		return lgamma(x + d) - lgamma(x);
	return (x - 0.5) * log1p(d / x) + d * (log(x + d) - 1.0) +
		(stirling_rest(x + d) - stirling_rest(x));
}

double
btyd_log_nb_coefficient(double r, int32_t n)
{
	double		v = 0.0;

	if (n == 0)
		return 0.0;
	if (n < 10 && r < 10.0)
	{
		for (int32_t j = 0; j < n; j++)
			v += log((r + j) / (j + 1.0));
		return v;
	}
	if (r >= n)					/* r >= 10: Gamma(r + n) / Gamma(r) from r's side */
		return btyd_lgamma_difference(r, n) - lgamma(n + 1.0);
	/* n >= 10 and n > r: Gamma(n + r) / Gamma(n + 1) from n's side */
	return btyd_lgamma_difference(n + 1.0, r - 1.0) - lgamma(r);
}

/* ---------------------------------------------------------------------------------------------
 * A hypergeometric series of positive terms, summed with rescaling (the BG/NBD's E[Y(t)] where
 * its Euler form would grow more)
 * ---------------------------------------------------------------------------------------------
 */


/* ln of sum_{k>=0} (p)_k (q)_k z^k / ((c)_k k!) for p, q, c > 0 and 0 <= z < 1. */
double
btyd_log_hyp2f1_positive(double p, double q, double c, double z)
{
	double		term = 1.0,
				sum = 1.0,
				log_scale = 0.0;

	for (long k = 0; k < BTYD_SERIES_MAX_TERMS; k++)
	{
		term *= (p + k) * (q + k) * z / ((c + k) * (k + 1.0));
		sum += term;
		if (term <= 1e-17 * sum || !isfinite(sum))
			break;
		if (sum > BTYD_RESCALE)
		{
			sum /= BTYD_RESCALE;
			term /= BTYD_RESCALE;
			log_scale += log(BTYD_RESCALE);
		}
	}
	return log(sum) + log_scale;
}

/* =============================================================================================
 * ln 2F1(a, b; a+1; z), the form of every Pareto/NBD 2F1 (see btyd_pnbd_math.c)
 * =============================================================================================
 */

/* Series terms at most (z <= 1/2 needs 55), and continued-fraction steps: see below. */
#define A1_MAX_TERMS 1000L
#define A1_MAX_CF_STEPS 150L
/* Above this z the continued fraction replaces the series. */
#define A1_SERIES_MAX_Z 0.5

/* k_j of the continued fraction below, j >= 1 */
static inline double
cf_coefficient(long j, double c, double e)
{
	long		m = j / 2;

	if (j % 2 == 1)
		return (e + m) * (c + m) / ((e + 2.0 * m) * (e + 2.0 * m + 1.0));
	return m * (e - c + m) / ((e + 2.0 * m - 1.0) * (e + 2.0 * m));
}

/*
 * The derivatives, for the Pareto/NBD's analytic gradient: the series and the continued
 * fraction of ln 2F1(1, c; d; z) carry theirs in c, d and z (BtydLogG).
 */

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
hyp2f1_1_cf_derivatives(double c, double d, double z, long steps, BtydLogG *g)
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
 * The steps are capped at A1_MAX_CF_STEPS, enough for full precision down to 1 - z = 1e-2
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

	for (j = 1; j <= A1_MAX_CF_STEPS; j++)
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
	if (j > A1_MAX_CF_STEPS)
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
double
btyd_log_hyp2f1_a1_grad(double a, double b, double z, double one_minus_z, BtydLogG *lg)
{
	double		c = a + 1.0 - b,
				d = a + 1.0,
				g;

	if (z == 0.0)
	{
		if (lg != NULL)
			*lg = (BtydLogG) {0.0, 0.0, 0.0, c / d};
		return 0.0;
	}
	if (z <= A1_SERIES_MAX_Z)
	{
		double		term = 1.0,
					sum_c = 0.0,	/* sum of 1/(c+j), j < k: d ln term_k / dc */
					sum_d = 0.0,
					g_c = 0.0,
					g_d = 0.0,
					g_z = 0.0;
		long		k;

		g = 1.0;
		for (k = 0; k < A1_MAX_TERMS; k++)
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
		for (long extra = 0; lg != NULL && extra < 40 && k + 1 < A1_MAX_TERMS; extra++)
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
			*lg = (BtydLogG) {log(g), g_c / g, g_d / g, g_z / (z * g)};
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
	return btyd_log_hyp2f1_a1_grad(a, b, z, one_minus_z, NULL);
}

/* =============================================================================================
 * The integral that ln 2F1(a, b; a+1; z) stands for, by quadrature, where the continued
 * fraction would be slow
 * =============================================================================================
 */

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
double
btyd_pnbd_log_integral_grad(double p, double q, double A, double B, double *grad)
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
	return btyd_pnbd_log_integral_grad(p, q, A, B, NULL);
}

