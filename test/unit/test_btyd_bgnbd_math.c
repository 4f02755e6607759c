/*
 * test_btyd_bgnbd_math.c
 *	  Unit tests of src/btyd_bgnbd_math.c: the BG/NBD gradient against finite differences, its
 *	  fit on CDNOW (Fader, Hardie & Lee 2005), the stress cases other tools overflow on, and the
 *	  MBG/NBD (Batislam, Denizel & Filiztekin 2007: BTYDplus's CDNOW estimates, and simulated
 *	  customers) with P(alive) t units ahead.
 */
/* unit-depends: src/btyd_special.c src/btyd_optimize.c */
#include "btyd_bgnbd_math.h"
#include "btyd_special.h"
#include "btyd_unit.h"

/* The analytic gradient (log-parameters) against central differences of the likelihood. */
static void
test_gradients(void)
{
	BtydPattern pats[] = {
		{0, 0.0, 30.0, 3.0}, {1, 2.5, 38.0, 1.0}, {4, 30.0, 38.86, 2.0}, {4, 31.0, 38.86, 1.0},
		{2, 38.0, 38.0, 1.0}, {40, 20.0, 21.0, 1.0},
	};
	double		p[4] = {0.7, 3.0, 0.6, 2.2};
	double		grad[4];
	double		h = 1e-6;

	unit_diag("BG/NBD: the analytic gradient against central differences");
	btyd_sort_patterns(pats, LENGTH(pats));
	btyd_bgnbd_ll(p, pats, LENGTH(pats), grad);
	for (int i = 0; i < 4; i++)
		relative_near(grad[i], log_difference(btyd_bgnbd_ll, p, i, h, pats, LENGTH(pats)), 1e-7,
					  "BG/NBD d LL / d log param %d", i);

	/*
	 * Where a fit runs a and b towards e^30 (a customer's dropout probability all but fixed):
	 * the likelihood's ln Gamma differences at a + b stay exact, so its differences still show
	 * the gradient (ln Gamma(a + b + x) - ln Gamma(a + b) taken apart lost them in the last
	 * bits of values of 1e10).
	 */
	{
		double		large[4] = {0.7, 3.0, 3e8, 1e9};

		btyd_bgnbd_ll(large, pats, LENGTH(pats), grad);
		for (int i = 2; i < 4; i++)
			relative_near(grad[i], log_difference_extrapolated(btyd_bgnbd_ll, large, i, 1e-3, pats, LENGTH(pats)),
						  1e-5, "BG/NBD at a = 3e8, b = 1e9: d LL / d log param %d", i);
	}
}

/* An interrupt callback that counts its calls. */
static void
count_call(void *arg)
{
	(*(long *) arg)++;
}

#define CDNOW_CHECKS 20

static void
test_cdnow(void)
{
	BtydPattern *pats;
	BtydSpendPattern *spend;
	size_t		n,
				nspend,
				ncompressed;
	int			mismatches;
	BtydFit		fit,
				fit2;
	double		published[4] = {0.2425945, 4.4136019, 0.7929199, 2.4258881};
	const char *names[4] = {"r", "alpha", "a", "b"};

	unit_diag("BG/NBD CDNOW acceptance (Fader, Hardie & Lee 2005)");
	if (!read_cdnow(&pats, &n, &spend, &nspend, &mismatches))
	{
		skip(CDNOW_CHECKS, "CDNOW data not found (set PROFILING_CDNOW_DIR)");
		return;
	}
	unit_int64_is((int64_t) n, 2357, "CDNOW: 2357 customers");
	unit_int64_is(mismatches, 0, "CDNOW: every summary (x, t_x, T) is Hardie's, to 2 decimals");

	btyd_sort_patterns(pats, n);
	unit_int64_is(btyd_bgnbd_fit(pats, n, NULL, NULL, &fit), BTYD_FIT_OK, "BG/NBD fit runs");
	unit_ok(fit.converged, "BG/NBD converged in %d iterations, gradient %g", fit.iterations,
			fit.grad_norm);
	/*
	 * r and alpha agree with the published exact MLE to 1e-7; a and b, the flattest directions
	 * of the likelihood (relative standard errors above 20%), to 1e-5: at our optimum the
	 * gradient is below 1e-12 and the likelihood is higher than at the published values.
	 */
	for (int i = 0; i < 4; i++)
		relative_near(fit.params[i], published[i], i < 2 ? 1e-6 : 1e-5, "BG/NBD %s = %.7f (%.9g)",
					  names[i], published[i], fit.params[i]);
	relative_near(fit.ll, -9582.429, 1e-7, "BG/NBD LL = -9582.429 (%.10g)", fit.ll);
	unit_ok(fit.ll >= btyd_bgnbd_ll(published, pats, n, NULL),
			"BG/NBD: our optimum is at least as likely as the published parameters");
	unit_ok(fit.customers == 2357.0, "BG/NBD customers = 2357");
	for (int i = 0; i < 4; i++)
		unit_ok(isfinite(fit.se[i]) && fit.se[i] > 0.0 && fit.se[i] < fit.params[i],
				"BG/NBD se(%s) = %g is finite, positive and below the estimate", names[i],
				fit.se[i]);
	relative_near(btyd_bgnbd_expected(fit.params, 39.0, 2.0, 30.43, 38.86), 1.226, 5e-4,
				  "E[Y(39) | x = 2, t_x = 30.43, T = 38.86] = 1.226");
	/* 30-digit evaluations of the closed forms (mpmath's hyp2f1) at the published parameters */
	relative_near(btyd_bgnbd_expected(published, 39.0, 2.0, 30.43, 38.86),
				  1.22590570451003965, 1e-13, "E[Y(39) | 2, 30.43, 38.86], published parameters");
	relative_near(btyd_bgnbd_expected(published, 78.0, 0.0, 0.0, 0.0), 1.85795600911807857,
				  1e-13, "E[X(78)] = 1.858 for a new customer, published parameters");
	relative_near(btyd_bgnbd_expected(fit.params, 78.0, 0.0, 0.0, 0.0), 1.858, 5e-4,
				  "E[X(78)] = 1.858 for a new customer, fitted");

	/* identical patterns merged into counts give the same fit, bit for bit */
	ncompressed = compress(pats, n);
	btyd_bgnbd_fit(pats, ncompressed, NULL, NULL, &fit2);
	unit_ok(ncompressed < n && fabs(fit2.ll - fit.ll) < 1e-9 * fabs(fit.ll) &&
			fabs(fit2.params[0] - fit.params[0]) < 1e-7 * fit.params[0],
			"BG/NBD on %zu counted patterns = on %zu customers (ll %.17g vs %.17g)",
			ncompressed, n, fit2.ll, fit.ll);
	free(pats);
	free(spend);
}

static void
test_stress(void)
{
	BtydPattern heavy[] = {
		{0, 0.0, 52.0, 10.0}, {1, 10.0, 52.0, 5.0}, {3000, 51.9, 52.0, 1.0},
		{5000, 40.0, 52.0, 1.0}, {2, 30.0, 52.0, 4.0},
	};
	BtydPattern tx_is_T[] = {{1, 20.0, 20.0, 3.0}, {2, 30.0, 30.0, 2.0}, {0, 0.0, 30.0, 5.0}};
	BtydPattern nobody[] = {{0, 0.0, 10.0, 4.0}, {0, 0.0, 30.0, 6.0}};
	BtydPattern one[] = {{3, 12.0, 40.0, 1.0}};
	BtydPattern tiny_scale[] = {{0, 0.0, 1e-6, 3.0}, {2, 5e-7, 1e-6, 2.0}, {1, 2e-7, 9e-7, 1.0}};
	double		p[4] = {0.2425945, 4.4136019, 0.7929199, 2.4258881};
	BtydFit		fit;
	BtydFitStatus status;
	double		v;

	unit_diag("BG/NBD stress: heavy buyers, T = t_x, nobody repeats, one customer, tiny time scale");
	btyd_sort_patterns(heavy, LENGTH(heavy));
	status = btyd_bgnbd_fit(heavy, LENGTH(heavy), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK &&
			all_finite(&fit), "x in the thousands: a finite fit (converged %d, ll %g)",
			fit.converged, fit.ll);
	v = btyd_bgnbd_p_alive(p, 5000, 40.0, 52.0);
	unit_ok(isfinite(v) && v >= 0.0 && v <= 1.0, "P(alive) with x = 5000 is a probability (%g)",
			v);
	v = btyd_bgnbd_expected(p, 52.0, 5000, 51.9, 52.0);
	unit_ok(isfinite(v) && v > 1000.0, "E[Y(52)] with x = 5000 is finite and large (%g)", v);
	v = btyd_bgnbd_expected(p, 52.0, 5000, 1.0, 52.0);
	unit_ok(isfinite(v) && v >= 0.0, "E[Y(52)] for a heavy buyer gone long ago is finite (%g)", v);

	btyd_sort_patterns(tx_is_T, LENGTH(tx_is_T));
	status = btyd_bgnbd_fit(tx_is_T, LENGTH(tx_is_T), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK &&
			all_finite(&fit), "T = t_x: a finite fit");
	v = btyd_bgnbd_p_alive(p, 3, 38.0, 38.0);
	unit_ok(isfinite(v) && v > 0.0 && v < 1.0, "P(alive) with T = t_x (%g)", v);

	btyd_sort_patterns(nobody, LENGTH(nobody));
	status = btyd_bgnbd_fit(nobody, LENGTH(nobody), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK &&
			all_finite(&fit), "nobody repeats: finite values (converged %d after %d iterations)",
			fit.converged, fit.iterations);

	status = btyd_bgnbd_fit(one, 1, NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
			"one customer: finite values (converged %d)", fit.converged);

	btyd_sort_patterns(tiny_scale, LENGTH(tiny_scale));
	status = btyd_bgnbd_fit(tiny_scale, LENGTH(tiny_scale), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK &&
			all_finite(&fit), "a time scale of 1e-6: finite values (alpha %g)", fit.params[1]);

	unit_int64_is(btyd_bgnbd_fit(one, 0, NULL, NULL, &fit), BTYD_FIT_NO_DATA, "no pattern");

	/* a concentrated dropout probability (a, b in the millions): both forms of the series */
	{
		double		big[4] = {1.25, 4.06, 3.4e6, 6.9e7};
		double		edge_lo[4] = {1.25, 4.06, 1.0 + 1.25 + 3.0 - 1e-9, 60.0};
		double		edge_hi[4] = {1.25, 4.06, 1.0 + 1.25 + 3.0 + 1e-9, 60.0};

		v = btyd_bgnbd_expected(big, 52.0, 3, 30.0, 50.0);
		unit_ok(isfinite(v) && v > 0.0 && v < 1000.0, "E[Y(52)] with a = 3.4e6, b = 6.9e7 is finite (%g)",
				v);
		relative_near(btyd_bgnbd_expected(edge_lo, 52.0, 3, 30.0, 50.0),
					  btyd_bgnbd_expected(edge_hi, 52.0, 3, 30.0, 50.0), 1e-7,
					  "E[Y(t)] is continuous where the series changes form (a - 1 = r + x)");
		v = btyd_bgnbd_expected((double[]) {0.25, 4.4, 1e4, 1e8}, 52.0, 5000, 52.0, 52.0);
		unit_ok(isfinite(v) && v > 1000.0, "E[Y(52)] with x = 5000, a = 1e4, b = 1e8 is finite and large (%g)", v);
	}
	/* P(X(t) = n) is a distribution whose mean is E[X(t)]; P(no purchase) against its parts */
	{
		double		cd[4] = {0.2425945, 4.4136019, 0.7929199, 2.4258881};
		double		total = 0.0,
					mean = 0.0;

		for (int32_t n = 0; n < 2000; n++)
		{
			double		pn = btyd_bgnbd_prob_purchases(cd, n, 78.0, NULL, NULL);

			total += pn;
			mean += n * pn;
		}
		relative_near(total, 1.0, 1e-9, "sum over n of P(X(78) = n) = 1 (%.17g)", total);
		relative_near(mean, btyd_bgnbd_expected(cd, 78.0, 0, 0, 0), 1e-7,
					  "the mean of P(X(78) = n) is E[X(78)] (%.12g)", mean);
		relative_near(btyd_bgnbd_prob_purchases(cd, 0, 78.0, NULL, NULL) + 0.0,
					  btyd_bgnbd_p_no_purchase(cd, 78.0, 0, 0, 0), 1e-13,
					  "P(X(78) = 0) = P(no purchase in 78) of a new customer");
		relative_near(btyd_bgnbd_p_no_purchase(cd, 0.0, 2, 30.43, 38.86), 1.0, 1e-15,
					  "P(no purchase in no time) = 1");
		relative_near(btyd_bgnbd_p_no_purchase(cd, 1e12, 2, 30.43, 38.86),
					  1.0 - btyd_bgnbd_p_alive(cd, 2, 30.43, 38.86), 1e-6,
					  "P(no purchase ever) = P(dead)");
		v = btyd_bgnbd_prob_purchases(cd, 5000, 78.0, NULL, NULL);
		unit_ok(isfinite(v) && v >= 0.0 && v < 1e-6, "P(X(78) = 5000) is finite and tiny (%g)", v);
	}
	/*
	 * Large a and b (a fit's parameters may run to e^30 = 1e13, where p is all but fixed): the
	 * distribution moves smoothly to its limit, and a = 1e300 (every customer gone after the
	 * first purchase) leaves only the no-purchase case.  Differences of ln B lost these: at
	 * a = b = 1e13 they left two digits.
	 */
	{
		double		p12[4] = {0.5, 4.0, 1e12, 1e12},
					p13[4] = {0.5, 4.0, 1e13, 1e13},
					gone[4] = {1.0, 1.0, 1e300, 1.0};

		for (int32_t n = 0; n <= 5; n++)
			relative_near(btyd_bgnbd_prob_purchases(p13, n, 10.0, NULL, NULL),
						  btyd_bgnbd_prob_purchases(p12, n, 10.0, NULL, NULL), 1e-9,
						  "a = b = 1e13 and 1e12 give the same P(X(10) = %d) to 1e-9", n);
		relative_near(btyd_bgnbd_prob_purchases(gone, 0, 10.0, NULL, NULL), 1.0 / 11.0, 1e-15,
					  "a = 1e300: P(X(10) = 0) = alpha / (alpha + t)");
		unit_ok(btyd_bgnbd_prob_purchases(gone, 3, 10.0, NULL, NULL) < 1e-200,
				"a = 1e300: P(X(10) = 3) is nothing (%g)", btyd_bgnbd_prob_purchases(gone, 3, 10.0, NULL, NULL));
	}
	/*
	 * A sum as long as the purchases: ten million terms (a mean of a billion purchases in t) call
	 * the interrupt callback every 65,536, where the SQL side can cancel.
	 */
	{
		long		calls = 0;
		double		v = btyd_bgnbd_prob_purchases((double[]) {1.0, 1.0, 0.8, 2.5}, 10000000, 1e9,
												  count_call, &calls);

		unit_int64_is(calls, 10000000 / 65536, "P(X(t) = 1e7) with E[X(t)] = 1e9: the interrupt callback every 65,536 terms");
		unit_ok(isfinite(v) && v >= 0.0 && v <= 1.0, "and its value is a probability (%g)", v);
	}
	relative_near(btyd_bgnbd_expected((double[]) {0.5, 4.0, 1.0, 2.0}, 10.0, 0, 0, 0),
				  btyd_bgnbd_expected((double[]) {0.5, 4.0, 1.0 + 1e-9, 2.0}, 10.0, 0, 0, 0), 1e-7,
				  "E[X(t)] is continuous at a = 1");
}

/* ---------------------------------------------------------------------------------------------
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007) and P(alive) t units ahead
 * ---------------------------------------------------------------------------------------------
 */

/* The MBG/NBD log-likelihood of one customer, written out directly from the paper's form. */
static double
mbgnbd_ll_direct(const double *p, int x, double t_x, double T)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];

	return lgamma(r + x) - lgamma(r) + r * log(alpha) + btyd_lbeta(a, b + x + 1.0) -
		btyd_lbeta(a, b) +
		log(pow(alpha + T, -(r + x)) + a / (b + x) * pow(alpha + t_x, -(r + x)));
}

/*
 * E[(1 + p u)^-s] for p ~ Beta(a, beta) by the midpoint rule in w = p^a (which removes the
 * density's singularity at 0; beta >= 1 here, so none at 1): an independent check of the
 * hypergeometric series of P(alive) ahead.
 */
static double
survival_by_quadrature(double s, double a, double beta, double u)
{
	const int	steps = 200000;
	double		sum = 0.0;

	for (int i = 0; i < steps; i++)
	{
		double		w = (i + 0.5) / steps;
		double		p = pow(w, 1.0 / a);

		sum += pow(1.0 - p, beta - 1.0) * pow(1.0 + p * u, -s);
	}
	return sum / steps / a / exp(btyd_lbeta(a, beta));
}

#define MBG_CDNOW_CHECKS 9

static void
test_mbgnbd(void)
{
	BtydPattern pats[] = {
		{0, 0.0, 30.0, 3.0}, {0, 0.0, 12.0, 1.0}, {1, 2.5, 38.0, 1.0}, {4, 30.0, 38.86, 2.0},
		{2, 38.0, 38.0, 1.0}, {40, 20.0, 21.0, 1.0},
	};
	double		p[4] = {0.7, 3.0, 0.6, 2.2};
	double		cd[4] = {0.525, 6.183, 0.891, 1.614};
	double		grad[4];
	double		h = 1e-3;
	double		direct = 0.0,
				v;
	BtydPattern *cdnow;
	BtydSpendPattern *spend;
	size_t		n,
				nspend;
	int			mismatches;
	BtydFit		fit,
				bg;

	unit_diag("MBG/NBD: likelihood, gradient, fit, scoring");
	btyd_sort_patterns(pats, LENGTH(pats));
	for (size_t i = 0; i < LENGTH(pats); i++)
		direct += pats[i].weight * mbgnbd_ll_direct(p, pats[i].x, pats[i].t_x, pats[i].T);
	relative_near(btyd_mbgnbd_ll(p, pats, LENGTH(pats), NULL), direct, 1e-13,
				  "MBG/NBD LL = the paper's formula written out");
	btyd_mbgnbd_ll(p, pats, LENGTH(pats), grad);
	/* extrapolated differences: a step this large keeps their rounding far below 1e-7 */
	for (int i = 0; i < 4; i++)
		relative_near(grad[i], log_difference_extrapolated(btyd_mbgnbd_ll, p, i, h, pats,
														   LENGTH(pats)),
					  1e-7, "MBG/NBD d LL / d log param %d", i);

	/* the key property: a customer without repeat purchases may be gone */
	v = btyd_mbgnbd_p_alive(cd, 0, 0, 38.86);
	relative_near(v, 1.0 / (1.0 + 0.891 / 1.614 * pow((6.183 + 38.86) / 6.183, 0.525)), 1e-15,
				  "MBG/NBD P(alive | x = 0, T = 38.86) = 1 / (1 + a/b ((alpha+T)/alpha)^r) = %.6f", v);
	unit_ok(v < 1.0 && btyd_bgnbd_p_alive(cd, 0, 0, 38.86) == 1.0,
			"P(alive | x = 0) < 1 for the MBG/NBD, = 1 for the BG/NBD");
	relative_near(btyd_mbgnbd_p_alive(cd, 2, 30.43, 38.86),
				  1.0 / (1.0 + 0.891 / (1.614 + 2) * pow((6.183 + 38.86) / (6.183 + 30.43), 2.525)),
				  1e-15, "MBG/NBD P(alive | x = 2) = 1 / (1 + a/(b+x) ((alpha+T)/(alpha+t_x))^(r+x))");

	/* a new customer: the distribution of X(t) sums to 1, its mean is E[X(t)] */
	{
		double		total = 0.0,
					mean = 0.0;

		for (int32_t k = 0; k < 2000; k++)
		{
			double		pk = btyd_mbgnbd_prob_purchases(cd, k, 78.0, NULL, NULL);

			total += pk;
			mean += k * pk;
		}
		relative_near(total, 1.0, 1e-9, "MBG/NBD: sum over n of P(X(78) = n) = 1");
		relative_near(mean, btyd_mbgnbd_expected(cd, 78.0, 0, 0, 0), 1e-7,
					  "MBG/NBD: the mean of P(X(78) = n) is E[X(78)] = %.6f", mean);
		/* E[X(t)] = b/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b+1; a+b; t/(alpha+t))], summed here */
		{
			double		z = 78.0 / (6.183 + 78.0),
						term = 1.0,
						f = 1.0;

			for (int k = 0; k < 100000; k++)
			{
				term *= (0.525 + k) * (1.614 + 1 + k) * z / ((0.891 + 1.614 + k) * (k + 1.0));
				f += term;
			}
			relative_near(btyd_mbgnbd_expected(cd, 78.0, 0, 0, 0),
						  1.614 / (0.891 - 1) * (1 - pow(6.183 / (6.183 + 78), 0.525) * f), 1e-9,
						  "MBG/NBD E[X(78)] = Batislam et al.'s closed form");
		}
		relative_near(btyd_mbgnbd_prob_purchases(cd, 0, 78.0, NULL, NULL),
					  btyd_mbgnbd_p_no_purchase(cd, 78.0, 0, 0, 0), 1e-13,
					  "MBG/NBD: P(X(78) = 0) = P(no purchase in 78) of a new customer");
		relative_near(btyd_mbgnbd_p_no_purchase(cd, 1e30, 0, 0, 38.86),
					  1.0 - btyd_mbgnbd_p_alive(cd, 0, 0, 38.86), 1e-12,
					  "MBG/NBD: P(no purchase ever) = P(dead), for x = 0 too");
		unit_ok(btyd_mbgnbd_p_no_purchase(cd, 0.0, 3, 20, 38.86) == 1.0 &&
				btyd_mbgnbd_expected(cd, 0.0, 3, 20, 38.86) == 0.0,
				"MBG/NBD: nothing happens in no time");
	}

	/* P(alive) ahead: t = 0 is P(alive); it decreases in t; it agrees with quadrature */
	{
		double		bgp[4] = {0.2425945, 4.4136019, 0.7929199, 2.4258881};
		double		last_bg = 2.0,
					last_mbg = 2.0;
		bool		decreasing = true;

		unit_ok(btyd_bgnbd_p_alive_ahead(bgp, 2, 30.43, 38.86, 0.0) ==
				btyd_bgnbd_p_alive(bgp, 2, 30.43, 38.86) &&
				btyd_mbgnbd_p_alive_ahead(cd, 0, 0, 38.86, 0.0) ==
				btyd_mbgnbd_p_alive(cd, 0, 0, 38.86),
				"P(alive at T + 0) = P(alive at T), BG/NBD and MBG/NBD");
		for (double t = 1.0; t < 1e5; t *= 1.5)
		{
			double		vb = btyd_bgnbd_p_alive_ahead(bgp, 2, 30.43, 38.86, t);
			double		vm = btyd_mbgnbd_p_alive_ahead(cd, 2, 30.43, 38.86, t);

			if (!(vb < last_bg && vm < last_mbg && vb > 0.0 && vm > 0.0))
				decreasing = false;
			last_bg = vb;
			last_mbg = vm;
		}
		unit_ok(decreasing, "P(alive at T + t) decreases in t, stays positive (t = 1e5: %g, %g)",
				last_bg, last_mbg);
		relative_near(btyd_bgnbd_p_alive_ahead(bgp, 2, 30.43, 38.86, 52.0),
					  btyd_bgnbd_p_alive(bgp, 2, 30.43, 38.86) *
					  survival_by_quadrature(2.2425945, 0.7929199, 2.4258881 + 2, 52.0 / (4.4136019 + 38.86)),
					  1e-6, "BG/NBD P(alive at T + 52) = P(alive) E[(1 + p t/(alpha+T))^-(r+x)], by quadrature");
		relative_near(btyd_mbgnbd_p_alive_ahead(cd, 0, 0, 38.86, 52.0),
					  btyd_mbgnbd_p_alive(cd, 0, 0, 38.86) *
					  survival_by_quadrature(0.525, 0.891, 1.614 + 1, 52.0 / (6.183 + 38.86)),
					  1e-6, "MBG/NBD P(alive at T + 52 | x = 0), by quadrature");
		/* r > a + b: the other series */
		relative_near(btyd_bgnbd_p_alive_ahead((double[]) {3.0, 4.0, 0.5, 1.5}, 1, 10, 20, 30.0),
					  btyd_bgnbd_p_alive((double[]) {3.0, 4.0, 0.5, 1.5}, 1, 10, 20) *
					  survival_by_quadrature(4.0, 0.5, 2.5, 30.0 / 24.0), 1e-6,
					  "P(alive ahead) when r > a + b (the other series), by quadrature");
		/* 30-digit evaluations (mpmath: P(alive) hyp2f1(r+x, a; a+beta; -t/(alpha+T))) */
		relative_near(btyd_bgnbd_p_alive_ahead(bgp, 2, 30.43, 38.86, 52.0), 0.53170464204995658235,
					  1e-14, "BG/NBD P(alive at T + 52 | x = 2), against mpmath");
		relative_near(btyd_mbgnbd_p_alive_ahead(cd, 0, 0, 38.86, 52.0), 0.34471044829343848492,
					  1e-14, "MBG/NBD P(alive at T + 52 | x = 0), against mpmath");
		relative_near(btyd_bgnbd_p_alive_ahead(bgp, 500, 38, 38.86, 52.0), 0.014370164150789613209,
					  1e-13, "BG/NBD P(alive at T + 52 | x = 500), against mpmath");
		relative_near(btyd_mbgnbd_p_alive_ahead(cd, 2, 30.43, 38.86, 1e6), 0.00024283232317036226101,
					  1e-10, "MBG/NBD P(alive at T + 1e6 | x = 2), against mpmath");
		relative_near(btyd_bgnbd_p_alive_ahead((double[]) {3.0, 4.0, 0.5, 1.5}, 1, 10, 20, 30.0),
					  0.15596014067684492539, 1e-14, "P(alive ahead) when r > a + b, against mpmath");
		/* a, b in the billions: p is a/(a+b) exactly, so the factor is (1 + p t/(alpha+T))^-(r+x) */
		{
			double		sharp[4] = {0.5, 4.0, 1e10, 3e10};

			relative_near(btyd_bgnbd_p_alive_ahead(sharp, 3, 20, 30, 52.0),
						  btyd_bgnbd_p_alive(sharp, 3, 20, 30) * pow(1.0 + 0.25 * 52.0 / 34.0, -3.5),
						  1e-8, "P(alive ahead) with a = 1e10, b = 3e10 (p known exactly)");
			relative_near(btyd_mbgnbd_p_alive_ahead(sharp, 0, 0, 30, 52.0),
						  btyd_mbgnbd_p_alive(sharp, 0, 0, 30) * pow(1.0 + 0.25 * 52.0 / 34.0, -0.5),
						  1e-8, "MBG/NBD P(alive ahead | x = 0) with a = 1e10, b = 3e10");
		}
		v = btyd_bgnbd_p_alive_ahead(bgp, 2000, 51.0, 52.0, 52.0);
		unit_ok(isfinite(v) && v > 0.0 && v < btyd_bgnbd_p_alive(bgp, 2000, 51.0, 52.0),
				"P(alive ahead) with x = 2000 is finite (%g)", v);
		unit_ok(isnan(btyd_bgnbd_p_alive_ahead(bgp, 2, 30.43, 38.86, 1e300)),
				"P(alive ahead) beyond reach is NaN, not a wrong number");
	}

	/* stress: heavy buyers, T = t_x */
	{
		BtydPattern heavy[] = {
			{0, 0.0, 52.0, 10.0}, {1, 10.0, 52.0, 5.0}, {500, 51.9, 52.0, 1.0},
			{2000, 40.0, 52.0, 1.0}, {2, 30.0, 52.0, 4.0}, {3, 52.0, 52.0, 2.0},
		};
		BtydFitStatus status;

		btyd_sort_patterns(heavy, LENGTH(heavy));
		status = btyd_mbgnbd_fit(heavy, LENGTH(heavy), NULL, NULL, &fit);
		unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
				"MBG/NBD with x = 500 and 2000, T = t_x: a finite fit (converged %d, ll %g)",
				fit.converged, fit.ll);
		v = btyd_mbgnbd_p_alive(cd, 2000, 40.0, 52.0);
		unit_ok(isfinite(v) && v >= 0.0 && v <= 1.0, "MBG/NBD P(alive | x = 2000) is a probability (%g)", v);
		v = btyd_mbgnbd_expected(cd, 52.0, 500, 52.0, 52.0);
		unit_ok(isfinite(v) && v > 100.0, "MBG/NBD E[Y(52) | x = 500, T = t_x] is finite and large (%g)", v);
		v = btyd_mbgnbd_p_alive(cd, 3, 52.0, 52.0);
		unit_ok(isfinite(v) && v > 0.0 && v < 1.0, "MBG/NBD P(alive) with T = t_x (%g)", v);
		v = btyd_mbgnbd_p_alive_ahead(cd, 500, 51.9, 52.0, 52.0);
		unit_ok(isfinite(v) && v > 0.0 && v < 1.0, "MBG/NBD P(alive at T + 52 | x = 500) (%g)", v);
		status = btyd_mbgnbd_fit((BtydPattern[]) {{0, 0.0, 10.0, 4.0}, {0, 0.0, 30.0, 6.0}}, 2,
								 NULL, NULL, &fit);
		unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
				"MBG/NBD, nobody repeats: finite values (converged %d)", fit.converged);
		status = btyd_mbgnbd_fit((BtydPattern[]) {{3, 12.0, 40.0, 1.0}}, 1, NULL, NULL, &fit);
		unit_ok(status == BTYD_FIT_OK && all_finite(&fit), "MBG/NBD, one customer: finite values");
	}

	/* CDNOW: BTYDplus's published estimates */
	if (!read_cdnow(&cdnow, &n, &spend, &nspend, &mismatches))
	{
		skip(MBG_CDNOW_CHECKS, "CDNOW data not found (set PROFILING_CDNOW_DIR)");
		return;
	}
	btyd_sort_patterns(cdnow, n);
	unit_int64_is(btyd_mbgnbd_fit(cdnow, n, NULL, NULL, &fit), BTYD_FIT_OK, "CDNOW MBG/NBD fit runs");
	unit_ok(fit.converged, "CDNOW MBG/NBD converged in %d iterations, gradient %g", fit.iterations,
			fit.grad_norm);
	unit_diag("CDNOW MBG/NBD: r = %.9g, alpha = %.9g, a = %.9g, b = %.9g, LL = %.10g",
			  fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.ll);
	unit_diag("CDNOW MBG/NBD se: %g %g %g %g", fit.se[0], fit.se[1], fit.se[2], fit.se[3]);
	/* published to 3 decimals */
	for (int i = 0; i < 4; i++)
		unit_ok(fabs(fit.params[i] - cd[i]) <= 0.0005 + 1e-12, "CDNOW MBG/NBD param %d = %.3f (%.7f)",
				i, cd[i], fit.params[i]);
	unit_ok(fit.ll >= btyd_mbgnbd_ll(cd, cdnow, n, NULL),
			"CDNOW MBG/NBD: our optimum is at least as likely as the published parameters");
	btyd_bgnbd_fit(cdnow, n, NULL, NULL, &bg);
	/* the same four parameters, one more dropout chance: on CDNOW a slightly higher likelihood */
	unit_ok(fit.ll > bg.ll, "CDNOW: the MBG/NBD's LL %.4f is above the BG/NBD's %.4f",
			fit.ll, bg.ll);
	for (int i = 0; i < 4; i++)
		if (!(isfinite(fit.se[i]) && fit.se[i] > 0.0))
			unit_diag("se %d not finite", i);
	unit_ok(isfinite(fit.se[0]) && isfinite(fit.se[1]) && isfinite(fit.se[2]) &&
			isfinite(fit.se[3]), "CDNOW MBG/NBD standard errors are finite");
	free(cdnow);
	free(spend);
}

/* ---------------------------------------------------------------------------------------------
 * Simulated MBG/NBD customers: the fit recovers the parameters that generated them
 * ---------------------------------------------------------------------------------------------
 */

/* splitmix64: a deterministic stream of uniform doubles in (0, 1) */
static double
uniform(uint64_t *state)
{
	uint64_t	z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	z ^= z >> 31;
	return ((z >> 11) + 0.5) / 9007199254740992.0;
}

/* Gamma(shape, 1) by Marsaglia & Tsang (shape < 1 through shape + 1 and U^(1/shape)) */
static double
gamma_draw(uint64_t *state, double shape)
{
	double		d,
				c;

	if (shape < 1.0)
		return gamma_draw(state, shape + 1.0) * pow(uniform(state), 1.0 / shape);
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;)
	{
		double		z = sqrt(-2.0 * log(uniform(state))) * cos(2.0 * M_PI * uniform(state));
		double		v = 1.0 + c * z;

		if (v <= 0.0)
			continue;
		v = v * v * v;
		if (log(uniform(state)) < 0.5 * z * z + d - d * v + d * log(v))
			return d * v;
	}
}

/*
 * One customer of the MBG/NBD observed for T after the first purchase: lambda ~ Gamma(r,
 * alpha), p ~ Beta(a, b); gone at the first purchase with probability p; else purchases at rate
 * lambda, each followed by dropout with probability p.
 */
static BtydPattern
simulate_mbgnbd(uint64_t *state, const double *params, double T)
{
	double		lambda = gamma_draw(state, params[0]) / params[1];
	double		g1 = gamma_draw(state, params[2]);
	double		p = g1 / (g1 + gamma_draw(state, params[3]));
	BtydPattern pt = {0, 0.0, T, 1.0};
	double		t = 0.0;

	if (uniform(state) < p)
		return pt;
	for (;;)
	{
		t += -log(uniform(state)) / lambda;
		if (t > T)
			return pt;
		pt.x++;
		pt.t_x = t;
		if (uniform(state) < p)
			return pt;
	}
}

#define SIMULATED 50000

static void
test_mbgnbd_simulated(void)
{
	double		truth[4] = {0.6, 5.0, 0.9, 2.0};
	const char *names[4] = {"r", "alpha", "a", "b"};
	BtydPattern *pats = malloc(sizeof(BtydPattern) * SIMULATED);
	uint64_t	state = 20070101;
	BtydFit		fit;

	unit_diag("MBG/NBD on %d simulated customers (r = 0.6, alpha = 5, a = 0.9, b = 2; T 26 to 52)",
			  SIMULATED);
	for (int i = 0; i < SIMULATED; i++)
		pats[i] = simulate_mbgnbd(&state, truth, 26.0 + (i % 27));
	btyd_sort_patterns(pats, SIMULATED);
	unit_int64_is(btyd_mbgnbd_fit(pats, SIMULATED, NULL, NULL, &fit), BTYD_FIT_OK,
				  "simulated MBG/NBD: the fit runs");
	unit_ok(fit.converged, "simulated MBG/NBD: converged in %d iterations", fit.iterations);
	/* within 3 standard errors of the truth: a fixed seed, so this is one draw, checked once */
	for (int i = 0; i < 4; i++)
		unit_ok(fabs(fit.params[i] - truth[i]) < 3.0 * fit.se[i],
				"simulated MBG/NBD: %s = %.4f, truth %g, se %.4f", names[i], fit.params[i],
				truth[i], fit.se[i]);
	free(pats);
}

int
main(void)
{
	test_gradients();
	test_cdnow();
	test_stress();
	test_mbgnbd();
	test_mbgnbd_simulated();
	return unit_done();
}
