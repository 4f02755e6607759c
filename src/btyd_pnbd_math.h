/*
 * btyd_pnbd_math.h
 *	  The Pareto/NBD (Schmittlein, Morrison & Colombo 1987; the likelihood as in Fader &
 *	  Hardie's note "A Note on Deriving the Pareto/NBD Model and Related Expressions", 2005):
 *	  its log-likelihood with the analytic gradient, its fit and scoring.  Its 2F1 and the
 *	  quadrature that stands in for it are in btyd_special.h.  Pure C: no PostgreSQL headers;
 *	  unit-tested by test/unit/test_btyd_pnbd_math.c.
 */
#ifndef PROFILING_BTYD_PNBD_MATH_H
#define PROFILING_BTYD_PNBD_MATH_H

#include "btyd_optimize.h"

/*
 * params: r, alpha, s, beta.  Its patterns are BtydPattern, sorted by btyd_sort_patterns.  grad
 * (may be NULL) receives the derivatives with respect to log r, log alpha, log s, log beta
 * (analytic; the value is the same with or without it).
 */
extern double btyd_pnbd_ll(const double *params, const BtydPattern *patterns, size_t n,
						   double *grad);
extern BtydFitStatus btyd_pnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt,
								   void *arg, BtydFit *fit);

/* Pareto/NBD scoring */
extern double btyd_pnbd_p_alive(const double *params, double x, double t_x, double T);
extern double btyd_pnbd_p_alive_at(const double *params, double x, double t_x, double T, double t);
extern double btyd_pnbd_expected(const double *params, double t, double x, double t_x, double T);
extern double btyd_pnbd_p_no_purchase(const double *params, double t, double x, double t_x,
									  double T);

#endif							/* PROFILING_BTYD_PNBD_MATH_H */
