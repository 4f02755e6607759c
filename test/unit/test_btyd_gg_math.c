/*
 * test_btyd_gg_math.c
 *	  Unit tests of src/btyd_gg_math.c: the Gamma-Gamma gradient against finite differences, the
 *	  fit on CDNOW (Fader & Hardie 2013), heavy buyers and one customer, the expected spend.
 */
/* unit-depends: src/btyd_special.c src/btyd_optimize.c */
#include "btyd_gg_math.h"
#include "btyd_unit.h"

/* The analytic gradient (transformed parameters) against central differences. */
static void
test_gradient(void)
{
	BtydSpendPattern spend[] = {{1, 10.0, 2.0}, {3, 25.5, 1.0}, {7, 14.0, 3.0}};
	double		gp[3] = {4.0, 3.5, 12.0};
	double		grad[3];
	double		h = 1e-6;

	unit_diag("Gamma-Gamma: the analytic gradient against central differences");
	btyd_sort_spend_patterns(spend, LENGTH(spend));
	btyd_gg_ll(gp, spend, LENGTH(spend), grad);
	for (int i = 0; i < 3; i++)
	{
		double		up[3],
					dn[3],
					fd;

		for (int j = 0; j < 3; j++)
			up[j] = dn[j] = gp[j];
		if (i == 1)
		{
			up[1] = 1.0 + (gp[1] - 1.0) * exp(h);
			dn[1] = 1.0 + (gp[1] - 1.0) * exp(-h);
		}
		else
		{
			up[i] = gp[i] * exp(h);
			dn[i] = gp[i] * exp(-h);
		}
		fd = (btyd_gg_ll(up, spend, LENGTH(spend), NULL) -
			  btyd_gg_ll(dn, spend, LENGTH(spend), NULL)) / (2 * h);
		relative_near(grad[i], fd, 1e-7, "Gamma-Gamma d LL / d transformed param %d", i);
	}
}

#define GG_CDNOW_CHECKS 7

static void
test_cdnow(void)
{
	BtydPattern *pats;
	BtydSpendPattern *spend;
	size_t		n,
				nspend;
	int			mismatches;
	BtydFit		fit;

	unit_diag("Gamma-Gamma CDNOW acceptance (Fader & Hardie 2013)");
	if (!read_cdnow(&pats, &n, &spend, &nspend, &mismatches))
	{
		skip(GG_CDNOW_CHECKS, "CDNOW data not found (set PROFILING_CDNOW_DIR)");
		return;
	}
	unit_int64_is((int64_t) nspend, 946, "CDNOW: 946 repeat customers");
	btyd_sort_spend_patterns(spend, nspend);
	unit_int64_is(btyd_gg_fit(spend, nspend, NULL, NULL, &fit), BTYD_FIT_OK,
				  "Gamma-Gamma fit runs");
	unit_ok(fit.converged, "Gamma-Gamma converged in %d iterations, gradient %g", fit.iterations,
			fit.grad_norm);
	/* published to 2 decimals */
	unit_ok(fabs(fit.params[0] - 6.25) < 0.005, "Gamma-Gamma p = 6.25 (%.9g)", fit.params[0]);
	unit_ok(fabs(fit.params[1] - 3.74) < 0.005, "Gamma-Gamma q = 3.74 (%.9g)", fit.params[1]);
	unit_ok(fabs(fit.params[2] - 15.44) < 0.005, "Gamma-Gamma gamma = 15.44 (%.9g)",
			fit.params[2]);
	relative_near(fit.ll, -4055.92, 1e-6, "Gamma-Gamma LL = -4055.92");
	unit_diag("Gamma-Gamma ll %.10g, se %g %g %g", fit.ll, fit.se[0], fit.se[1], fit.se[2]);
	free(pats);
	free(spend);
}

static void
test_stress(void)
{
	BtydSpendPattern spend_heavy[] = {{1, 10.0, 3.0}, {4000, 12.0, 1.0}, {2, 9.0, 2.0}};
	BtydSpendPattern spend_one[] = {{2, 30.0, 1.0}};
	double		gp[3] = {6.25, 3.74, 15.44};
	BtydFit		fit;
	BtydFitStatus status;

	unit_diag("Gamma-Gamma stress: heavy buyers, one customer; the expected spend");
	btyd_sort_spend_patterns(spend_heavy, LENGTH(spend_heavy));
	status = btyd_gg_fit(spend_heavy, LENGTH(spend_heavy), NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK &&
			all_finite(&fit) && fit.params[1] > 1.0,
			"Gamma-Gamma with x = 4000: finite, q > 1 (q = %g)", fit.params[1]);
	status = btyd_gg_fit(spend_one, 1, NULL, NULL, &fit);
	unit_ok(status == BTYD_FIT_OK && all_finite(&fit) &&
			fit.params[1] > 1.0, "Gamma-Gamma, one customer: finite, q > 1 (converged %d)",
			fit.converged);
	relative_near(btyd_gg_expected_spend(gp, 0.0, 0.0), 6.25 * 15.44 / 2.74, 1e-15,
				  "expected spend with no repeat purchase = p gamma / (q - 1)");
	relative_near(btyd_gg_expected_spend(gp, 4000.0, 12.0),
				  6.25 * (15.44 + 4000 * 12.0) / (6.25 * 4000 + 2.74), 1e-15,
				  "expected spend of a heavy buyer");
}

int
main(void)
{
	test_gradient();
	test_cdnow();
	test_stress();
	return unit_done();
}
