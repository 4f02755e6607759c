/*
 * test_btyd_pnbd_math.c
 *	  Unit tests of src/btyd_pnbd_math.c: one customer's values against quadrature and closed
 *	  forms, the analytic gradient against extrapolated differences on every path of the 2F1,
 *	  fits that run to a boundary, the fit on CDNOW (Fader & Hardie's note) and the stress
 *	  cases: heavy buyers, T = t_x, time scales a million times apart.
 */
/* unit-depends: src/btyd_special.c src/btyd_optimize.c */
#include "btyd_pnbd_math.h"
#include "btyd_unit.h"

/*
 * One customer at the published CDNOW parameters, against Simpson's rule on the integral form
 * of the likelihood (200,000 intervals, in Python) and the closed forms of the expectations.
 */
static void
test_pnbd_values(void)
{
	double		p[4] = {0.55, 10.58, 0.61, 11.67};
	double		far[4] = {0.8, 2000.0, 0.7, 3.0};
	BtydPattern one = {2, 30.43, 38.86, 1.0};

	unit_diag("Pareto/NBD: one customer's values against quadrature and closed forms");
	relative_near(btyd_pnbd_ll(p, &one, 1, NULL), -9.56198126084296, 1e-13,
				  "LL(x = 2, t_x = 30.43, T = 38.86)");
	relative_near(btyd_pnbd_p_alive(p, 2, 30.43, 38.86), 0.868410917132092, 1e-13,
				  "P(alive | 2, 30.43, 38.86)");
	relative_near(btyd_pnbd_p_alive_at(p, 2, 30.43, 38.86, 10.0), 0.7778363509321456, 1e-13,
				  "P(alive 10 weeks after T | 2, 30.43, 38.86)");
	relative_near(btyd_pnbd_expected(p, 39.0, 2, 30.43, 38.86), 1.450371374791711, 1e-13,
				  "E[Y(39) | 2, 30.43, 38.86]");
	relative_near(btyd_pnbd_expected(p, 78.0, 0, 0, 0), 1.8899983705311565, 1e-14,
				  "E[X(78)] of a new customer = r beta / (alpha (s-1)) [1 - (beta/(beta+t))^(s-1)]");
	relative_near(btyd_pnbd_p_no_purchase(p, 39.0, 2, 30.43, 38.86), 0.4093936042335239, 1e-13,
				  "P(no purchase in 39 weeks | 2, 30.43, 38.86)");
	unit_ok(btyd_pnbd_p_no_purchase(p, 0.0, 2, 30.43, 38.86) == 1.0 &&
			btyd_pnbd_expected(p, 0.0, 2, 30.43, 38.86) == 0.0 &&
			btyd_pnbd_p_alive_at(p, 2, 30.43, 38.86, 0.0) == btyd_pnbd_p_alive(p, 2, 30.43, 38.86),
			"nothing happens in no time");
	/* dead, or alive and dead before the next purchase (E[mu / (lambda + mu)] = 0.19046812987) */
	relative_near(btyd_pnbd_p_no_purchase(p, 1e12, 2, 30.43, 38.86), 0.2969936862161834, 1e-9,
				  "P(no purchase ever) = P(dead) + P(alive) E[mu / (lambda + mu)]");
	relative_near(btyd_pnbd_expected((double[]) {0.55, 10.58, 1.0, 11.67}, 78.0, 0, 0, 0),
				  0.55 / 10.58 * 11.67 * log1p(78.0 / 11.67), 1e-15,
				  "E[X(78)] at s = 1: the log limit");
	unit_ok(btyd_pnbd_p_alive(p, 3, 20.0, 20.0) == 1.0, "P(alive) = 1 when t_x = T");
	/* alpha >> beta: arguments of 2F1 above 1/2, by the continued fraction */
	one = (BtydPattern) {3, 10.0, 40.0, 1.0};
	relative_near(btyd_pnbd_ll(far, &one, 1, NULL), -22.48873788007388, 1e-12,
				  "LL with alpha = 2000, beta = 3 (z near 1)");
	relative_near(btyd_pnbd_p_alive(far, 0, 0.0, 40.0), 0.1533836037814593, 1e-12,
				  "P(alive) of a one-time buyer with alpha = 2000, beta = 3");
}

/*
 * The analytic gradient against Richardson-extrapolated central differences of the LL,
 * (4 D(h/2) - D(h)) / 3 with D(h) = (f(h) - f(-h)) / 2h in the log-parameters: truncation
 * about h^4, rounding about 1e-16 |LL| / h.  The points take each path of the 2F1: the series
 * (alpha near beta), the continued fraction (alpha/beta = 10), the quadrature (beta/alpha =
 * 1e5 with r + x below 1), alpha = beta exactly (z = 0, the fit's start), a heavy buyer, and
 * a point near the boundary (s -> 0, beta -> inf).
 */
static void
test_pnbd_gradient(void)
{
	BtydPattern pats[] = {
		{0, 0.0, 30.0, 3.0}, {1, 2.5, 38.0, 1.0}, {4, 30.0, 38.86, 2.0}, {4, 31.0, 38.86, 1.0},
		{2, 38.0, 38.0, 1.0}, {40, 20.0, 21.0, 1.0}, {0, 0.0, 0.5, 2.0},
	};
	double		points[][4] = {
		{0.7, 3.0, 0.6, 2.2}, {0.7, 30.0, 0.6, 2.2}, {0.3, 1.0, 0.6, 1e5},
		{0.55, 10.58, 0.61, 10.58}, {2.0, 0.05, 1.5, 400.0}, {50.0, 1500.0, 1e-6, 1e7},
	};
	double		h = 1e-3;

	unit_diag("Pareto/NBD: the analytic gradient against extrapolated differences");
	btyd_sort_patterns(pats, LENGTH(pats));
	for (size_t k = 0; k < LENGTH(points); k++)
	{
		double	   *p = points[k];
		double		grad[4],
					ll = btyd_pnbd_ll(p, pats, LENGTH(pats), grad);

		unit_ok(ll == btyd_pnbd_ll(p, pats, LENGTH(pats), NULL),
				"Pareto/NBD LL the same with and without the gradient (point %zu)", k);
		for (int i = 0; i < 4; i++)
		{
			double		d = log_difference_extrapolated(btyd_pnbd_ll, p, i, h, pats,
														LENGTH(pats));

			unit_ok(fabs(grad[i] - d) <= 1e-9 * (fabs(d) + fabs(ll)),
					"Pareto/NBD d LL / d log param %d at (%g, %g, %g, %g): %.12g vs %.12g", i,
					p[0], p[1], p[2], p[3], grad[i], d);
		}
	}
}

/*
 * Fits that run to a boundary (s -> 0, beta -> inf: nobody dies, or r, alpha -> inf as well):
 * one customer's orders as in test/pgtap/reliability.sql.  The plateau stop ends them within
 * a few dozen iterations, not converged, at the likelihood that 200 iterations reached (to 1e-9).
 */
static void
test_pnbd_boundary(void)
{
	BtydPattern one[] = {
		{1, 15.316762528678652, 25.31676252867865, 1}, {5, 19.662405928106885, 29.662405928106885, 1},
		{4, 68.4830025884233, 78.4830025884233, 1}, {3, 57.73860386391174, 67.73860386391175, 1},
	};
	BtydPattern nodeath[] = {
		{2, 11.506648469940814, 21.506648469940814, 1}, {2, 56.78167551984019, 66.78167551984019, 1},
		{3, 40.0, 50.0, 1}, {1, 30.0, 40.0, 1}, {4, 70.0, 80.0, 1},
	};
	BtydFit		fit;

	unit_diag("Pareto/NBD fits that run to a boundary");
	btyd_sort_patterns(one, LENGTH(one));
	unit_int64_is(btyd_pnbd_fit(one, LENGTH(one), NULL, NULL, &fit), BTYD_FIT_OK,
				  "boundary fit runs");
	unit_ok(!fit.converged && fit.iterations < 80,
			"boundary fit stops on the plateau: not converged, %d iterations", fit.iterations);
	/* -48.6116010696: the same fit by differences after 200 iterations */
	unit_ok(fabs(fit.ll - -48.6116010696) <= 1e-9 * 48.6116010696,
			"boundary fit LL %.12g within 1e-9 of the 200 iterations' -48.6116010696", fit.ll);
	unit_ok(fit.params[2] / fit.params[3] < 1e-12,
			"boundary fit: s/beta = %g, nobody dies", fit.params[2] / fit.params[3]);
	btyd_sort_patterns(nodeath, LENGTH(nodeath));
	unit_int64_is(btyd_pnbd_fit(nodeath, LENGTH(nodeath), NULL, NULL, &fit), BTYD_FIT_OK,
				  "second boundary fit runs");
	unit_ok(fit.iterations < 100 && isfinite(fit.ll) && fit.params[2] / fit.params[3] < 1e-9,
			"second boundary fit: %d iterations, converged %d, s/beta = %g", fit.iterations,
			fit.converged, fit.params[2] / fit.params[3]);
}

#define PNBD_CDNOW_CHECKS 12

/*
 * CDNOW: Fader & Hardie's note gives r = 0.55, alpha = 10.58, s = 0.61, beta = 11.67,
 * LL = -9595.0 (to their precision); the fit on the exact summaries must round to them.
 */
static void
test_pnbd_cdnow(void)
{
	BtydPattern *pats;
	BtydSpendPattern *spend;
	size_t		n,
				nspend,
				ncompressed;
	int			mismatches;
	BtydFit		fit,
				fit2;
	double		published[4] = {0.55, 10.58, 0.61, 11.67};
	const char *names[4] = {"r", "alpha", "s", "beta"};

	unit_diag("Pareto/NBD CDNOW acceptance (Fader & Hardie's note)");
	if (!read_cdnow(&pats, &n, &spend, &nspend, &mismatches))
	{
		skip(PNBD_CDNOW_CHECKS, "CDNOW data not found (set PROFILING_CDNOW_DIR)");
		return;
	}
	btyd_sort_patterns(pats, n);
	unit_int64_is(btyd_pnbd_fit(pats, n, NULL, NULL, &fit), BTYD_FIT_OK, "Pareto/NBD fit runs");
	unit_ok(fit.converged, "Pareto/NBD converged in %d iterations, gradient %g", fit.iterations,
			fit.grad_norm);
	for (int i = 0; i < 4; i++)
		unit_ok(fabs(fit.params[i] - published[i]) <= 0.005, "Pareto/NBD %s = %.2f (%.9g)",
				names[i], published[i], fit.params[i]);
	unit_ok(fabs(fit.ll - -9595.0) <= 0.05, "Pareto/NBD LL = -9595.0 (%.10g)", fit.ll);
	unit_ok(fit.ll >= btyd_pnbd_ll(published, pats, n, NULL),
			"Pareto/NBD: our optimum is at least as likely as the published parameters");
	for (int i = 0; i < 4; i += 2)
		unit_ok(isfinite(fit.se[i]) && fit.se[i] > 0.0 && fit.se[i] < fit.params[i],
				"Pareto/NBD se(%s) = %g is finite, positive and below the estimate", names[i],
				fit.se[i]);
	unit_diag("Pareto/NBD exact MLE: r %.9g alpha %.9g s %.9g beta %.9g ll %.10g; se %g %g %g %g",
			  fit.params[0], fit.params[1], fit.params[2], fit.params[3], fit.ll, fit.se[0],
			  fit.se[1], fit.se[2], fit.se[3]);

	ncompressed = compress(pats, n);
	btyd_pnbd_fit(pats, ncompressed, NULL, NULL, &fit2);
	unit_ok(ncompressed < n && fabs(fit2.ll - fit.ll) < 1e-9 * fabs(fit.ll) &&
			fabs(fit2.params[0] - fit.params[0]) < 1e-6 * fit.params[0],
			"Pareto/NBD on %zu counted patterns = on %zu customers (ll %.17g vs %.17g)",
			ncompressed, n, fit2.ll, fit.ll);
	unit_ok(fit2.params[1] > 0.0, "counted fit finite");
	free(pats);
	free(spend);
}


/* x in the hundreds and thousands, T = t_x, tiny and huge time scales, nobody repeats. */
static void
test_pnbd_stress(void)
{
	double		p[4] = {0.55, 10.58, 0.61, 11.67};
	static const double heavy[][5] = {
		/* x, t_x, T, LL by Simpson's rule on logs, P(alive) */
		{500, 30.0, 38.86, 748.1625412501517, 8.803748720165187e-41},
		{2000, 38.0, 38.86, 5426.360207176532, 1.883382726703209e-12},
		{500, 38.86, 38.86, 655.9317300590994, 1.0},
		{2000, 38.86, 38.86, 5399.362255543318, 1.0},
		{2000, 1.0, 38.86, 8295.779416227055, 0.0},
	};
	BtydPattern heavy_fit[] = {
		{0, 0.0, 52.0, 10.0}, {1, 10.0, 52.0, 5.0}, {500, 52.0, 52.0, 1.0},
		{2000, 51.0, 52.0, 1.0}, {2, 30.0, 52.0, 4.0},
	};
	BtydPattern tx_is_T[] = {{1, 20.0, 20.0, 3.0}, {2, 30.0, 30.0, 2.0}, {0, 0.0, 30.0, 5.0}};
	BtydPattern nobody[] = {{0, 0.0, 10.0, 4.0}, {0, 0.0, 30.0, 6.0}};
	BtydPattern one[] = {{3, 12.0, 40.0, 1.0}};
	BtydPattern scaled[3][6];
	double		scales[3] = {1e-6, 1.0, 1e6};
	BtydFit		fit;
	BtydFitStatus status;

	unit_diag("Pareto/NBD stress: heavy buyers, T = t_x, time scales, nobody repeats, one buyer");
	for (size_t i = 0; i < LENGTH(heavy); i++)
	{
		BtydPattern pt = {(int32_t) heavy[i][0], heavy[i][1], heavy[i][2], 1.0};
		double		pa = btyd_pnbd_p_alive(p, pt.x, pt.t_x, pt.T);
		double		e = btyd_pnbd_expected(p, 52.0, pt.x, pt.t_x, pt.T);
		double		none = btyd_pnbd_p_no_purchase(p, 52.0, pt.x, pt.t_x, pt.T);

		relative_near(btyd_pnbd_ll(p, &pt, 1, NULL), heavy[i][3], 1e-12,
					  "LL(x = %d, t_x = %g, T = %g)", pt.x, pt.t_x, pt.T);
		unit_ok(heavy[i][4] == 0.0 ? pa >= 0.0 && pa < 1e-300 :
				fabs(pa - heavy[i][4]) <= 1e-9 * heavy[i][4],
				"P(alive) = %.6g (x = %d, t_x = %g)", pa, pt.x, pt.t_x);
		unit_ok(isfinite(e) && e >= 0.0 && isfinite(none) && none >= 0.0 && none <= 1.0,
				"E[Y(52)] = %.6g and P(none in 52) = %.6g are finite (x = %d, t_x = %g)", e, none,
				pt.x, pt.t_x);
	}
	btyd_sort_patterns(heavy_fit, LENGTH(heavy_fit));
	status = btyd_pnbd_fit(heavy_fit, LENGTH(heavy_fit), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
			"x in the thousands: a finite fit (converged %d, ll %g)", fit.converged, fit.ll);
	btyd_sort_patterns(tx_is_T, LENGTH(tx_is_T));
	status = btyd_pnbd_fit(tx_is_T, LENGTH(tx_is_T), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit), "T = t_x: a finite fit (converged %d)",
			fit.converged);
	btyd_sort_patterns(nobody, LENGTH(nobody));
	status = btyd_pnbd_fit(nobody, LENGTH(nobody), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
			"nobody repeats: finite values (converged %d after %d iterations)", fit.converged,
			fit.iterations);
	status = btyd_pnbd_fit(one, 1, NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit), "one customer: finite values (converged %d)",
			fit.converged);
	unit_int64_is(btyd_pnbd_fit(one, 0, NULL, NULL, &fit), BTYD_FIT_NO_DATA, "no pattern");

	/* a few customers in units a million times smaller and larger: finite fits */
	for (int k = 0; k < 3; k++)
	{
		BtydPattern base[6] = {
			{0, 0.0, 30.0, 3.0}, {1, 2.5, 38.0, 1.0}, {4, 30.0, 38.86, 2.0}, {4, 31.0, 38.86, 1.0},
			{2, 38.0, 38.0, 1.0}, {40, 20.0, 21.0, 1.0},
		};

		for (int i = 0; i < 6; i++)
			scaled[k][i] = (BtydPattern) {base[i].x, base[i].t_x * scales[k], base[i].T * scales[k],
			base[i].weight};
		btyd_sort_patterns(scaled[k], 6);
		status = btyd_pnbd_fit(scaled[k], 6, NULL, NULL, &fit);
		unit_ok(status == BTYD_FIT_OK && all_finite(&fit),
				"time scale %g: finite values (converged %d, alpha %g, beta %g)", scales[k],
				fit.converged, fit.params[1], fit.params[3]);
	}
	{
		double		tiny[4] = {0.55, 10.58e-6, 0.61, 11.67e-6};
		double		huge[4] = {0.55, 10.58e6, 0.61, 11.67e6};

		relative_near(btyd_pnbd_p_alive(tiny, 2, 30.43e-6, 38.86e-6), 0.868410917132092, 1e-13,
					  "P(alive) in units of 1e-6");
		relative_near(btyd_pnbd_p_alive(huge, 2, 30.43e6, 38.86e6), 0.868410917132092, 1e-13,
					  "P(alive) in units of 1e6");
	}
}

int
main(void)
{
	test_pnbd_values();
	test_pnbd_gradient();
	test_pnbd_boundary();
	test_pnbd_cdnow();
	test_pnbd_stress();
	return unit_done();
}
