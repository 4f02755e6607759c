/*
 * btyd_gg_math.h
 *	  The Gamma-Gamma model of spend per purchase (Fader & Hardie 2013): its patterns, its
 *	  log-likelihood with the analytic gradient, its fit and the expected spend.  Pure C: no
 *	  PostgreSQL headers; unit-tested by test/unit/test_btyd_gg_math.c.
 */
#ifndef PROFILING_BTYD_GG_MATH_H
#define PROFILING_BTYD_GG_MATH_H

#include "btyd_optimize.h"

/* One (x, mean repeat spend) pattern of the Gamma-Gamma model (x >= 1, monetary > 0). */
typedef struct BtydSpendPattern
{
	int32_t		x;
	double		monetary;
	double		weight;
} BtydSpendPattern;

/*
 * params: p, q, gamma; the gradient is with respect to log p, log(q - 1), log gamma (q > 1 is
 * built in, so the expected spend is finite).
 */
extern double btyd_gg_ll(const double *params, const BtydSpendPattern *patterns, size_t n,
						 double *grad);
extern void btyd_sort_spend_patterns(BtydSpendPattern *patterns, size_t n);
extern BtydFitStatus btyd_gg_fit(const BtydSpendPattern *sorted, size_t n,
								 BtydInterrupt interrupt, void *arg, BtydFit *fit);
extern double btyd_gg_expected_spend(const double *params, double x, double monetary);

#endif							/* PROFILING_BTYD_GG_MATH_H */
