/*
 * test_btyd_special.c
 *	  Unit tests of src/btyd_special.c: digamma and ln B against their closed forms, and
 *	  ln 2F1(a, b; a+1; z) (series and continued fraction) and the quadrature that stands in for
 *	  it near z = 1, against 50-digit sums and closed forms.
 */
#include "btyd_special.h"
#include "btyd_unit.h"

static void
test_special_functions(void)
{
	unit_diag("digamma against its closed forms");
	/* reference values: 30-digit evaluations (mpmath), rounded to double */
	relative_near(btyd_digamma(1.0), -0.577215664901532861, 1e-15, "psi(1) = -Euler's gamma");
	relative_near(btyd_digamma(0.5), -1.96351002602142348, 1e-15, "psi(1/2) = -gamma - 2 ln 2");
	relative_near(btyd_digamma(10.0), 2.25175258906672111, 1e-15, "psi(10) = H_9 - gamma");
	relative_near(btyd_digamma(3.3), 1.03482248905962169, 1e-15, "psi(3.3)");
	relative_near(btyd_digamma(1e-10), -10000000000.5772157, 1e-15, "psi(1e-10)");
	relative_near(btyd_digamma(1e6), 13.8155100579641908, 1e-15, "psi(1e6)");
	unit_ok(isnan(btyd_digamma(0.0)) && isnan(btyd_digamma(-1.0)), "psi is NaN at x <= 0");
	relative_near(btyd_lbeta(2.0, 3.0), log(1.0 / 12.0), 1e-15, "ln B(2, 3) = ln 1/12");
}

/* ---------------------------------------------------------------------------------------------
 * ln 2F1(a, b; a+1; z), the Pareto/NBD's, and its quadrature
 * ---------------------------------------------------------------------------------------------
 */

/* ln 2F1(a, b; a+1; z) as the likelihood takes it: the quadrature where the 2F1 gives NaN. */
static double
log_hyp2f1_or_integral(double a, double b, double z)
{
	double		v = btyd_log_hyp2f1_a1(a, b, z, 1.0 - z);

	/* I = int (1+t)^-(a+1-b) (1-z+t)^-b dt = 2F1(a, b; a+1; z) / a */
	return isnan(v) ? btyd_pnbd_log_integral(a + 1.0 - b, b, 1.0, 1.0 - z) + log(a) : v;
}

/*
 * ln 2F1(a, b; a+1; z) against 50-digit sums of the textbook series (Python's decimal), on both
 * sides of the switch from the Euler-form series to the continued fraction (z = 1/2), and where
 * the quadrature takes over.
 */
static void
test_pnbd_hyp2f1(void)
{
	static const double cases[][4] = {
		{1.5, 1.6, 0.3, 0.33615813016721203176},
		{1.5, 1.6, 0.7, 1.0861285720504387952},
		{0.8, 0.3, 0.9, 0.21022798811997714843},
		{3.2, 2.5, 0.99, 7.6389775311137078435},
		{500.6, 1.61, 0.6, 1.4704391417701831934},
		{500.6, 500.0, 0.45, 298.32210110200048708},
		{2.0, 1.0, 0.999, 2.4715833777697733362},
		{0.5, 0.6, 0.75, 0.23246297449417234094},
	};

	unit_diag("Pareto/NBD: ln 2F1(a, b; a+1; z), series and continued fraction");
	for (size_t i = 0; i < LENGTH(cases); i++)
		relative_near(log_hyp2f1_or_integral(cases[i][0], cases[i][1], cases[i][2]), cases[i][3],
					  1e-13, "ln 2F1(%g, %g; %g; %g)", cases[i][0], cases[i][1], cases[i][0] + 1,
					  cases[i][2]);
	/*
	 * closed form: 2F1(1, 1; 2; z) = -ln(1-z)/z, far into the continued fraction's range (1 - z
	 * a power of 2, so that z is exact).
	 */
	for (int e = 5; e <= 27; e += 11)
	{
		double		w = ldexp(1.0, -e);

		if (e < 10)
			relative_near(btyd_log_hyp2f1_a1(1.0, 1.0, 1.0 - w, w), log(e * log(2.0) / (1.0 - w)),
						  1e-13, "2F1(1, 1; 2; 1 - 2^-%d) = -ln(1-z)/z", e);
		else
			unit_ok(isnan(btyd_log_hyp2f1_a1(1.0, 1.0, 1.0 - w, w)),
					"2F1(1, 1; 2; 1 - 2^-%d): NaN, left to the quadrature", e);
		/* the same as the integral int_0^inf (1+t)^-1 (w+t)^-1 dt = ln(1/w) / (1-w) */
		relative_near(btyd_pnbd_log_integral(1.0, 1.0, 1.0, w), log(e * log(2.0) / (1.0 - w)),
					  1e-14, "its quadrature, 1 - z = 2^-%d", e);
	}
	{
		double		below = nextafter(0.5, 0.0);

		relative_near(btyd_log_hyp2f1_a1(2.5, 1.7, below, 1.0 - below),
					  btyd_log_hyp2f1_a1(2.5, 1.7, 0.5, 0.5), 1e-15,
					  "continuous where the continued fraction takes over (z = 1/2)");
	}
	unit_ok(btyd_log_hyp2f1_a1(0.3, 0.2, 0.0, 1.0) == 0.0, "2F1(a, b; a+1; 0) = 1");
	unit_ok(isnan(btyd_log_hyp2f1_a1(26268.09, 0.09, 1.0 - 2e-8, 2e-8)),
			"NaN where the continued fraction would be slow (z near 1, b below 1)");

	/*
	 * The quadrature of the integral the 2F1 stands for, I = int_0^inf (A+t)^-p (B+t)^-q dt =
	 * M^-a / a 2F1(a, b; a+1; |A-B|/M), a = p + q - 1, M = max(A, B), b = q if A >= B else p.
	 */
	{
		static const double cases[][4] = {
			{0.55, 1.61, 10.58, 11.67}, {2.55, 1.61, 40.58, 11.67}, {2000.5, 1.6, 48.0, 40.0},
			{0.3, 1.2, 1.0, 5.0}, {0.5, 1.5, 1.0, 3.0},
		};

		for (size_t i = 0; i < LENGTH(cases); i++)
		{
			double		p = cases[i][0],
						q = cases[i][1],
						A = cases[i][2],
						B = cases[i][3],
						a = p + q - 1.0,
						M = fmax(A, B),
						m = fmin(A, B);

			relative_near(btyd_pnbd_log_integral(p, q, A, B),
						  -a * log(M) - log(a) +
						  btyd_log_hyp2f1_a1(a, A >= B ? q : p, (M - m) / M, m / M),
						  1e-13, "quadrature = 2F1 for p = %g, q = %g, A = %g, B = %g", p, q, A, B);
		}
		relative_near(btyd_pnbd_log_integral(0.7, 1.3, 5.0, 5.0), -log(5.0), 1e-15,
					  "quadrature with A = B: A^(1-p-q) / (p+q-1)");
		unit_ok(isfinite(btyd_pnbd_log_integral(0.09, 26268.0, 0.038, 1.88e6)),
				"quadrature where the continued fraction gives up: finite (%.17g)",
				btyd_pnbd_log_integral(0.09, 26268.0, 0.038, 1.88e6));
	}
}

int
main(void)
{
	test_special_functions();
	test_pnbd_hyp2f1();
	return unit_done();
}
