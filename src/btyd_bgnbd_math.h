/*
 * btyd_bgnbd_math.h
 *	  The BG/NBD (Fader, Hardie & Lee 2005) and the MBG/NBD (Batislam, Denizel & Filiztekin
 *	  2007): log-likelihoods with their analytic gradients, fits and scoring.  Everything is
 *	  evaluated in log space, so a customer with thousands of purchases gives finite values
 *	  where the textbook products overflow.  Pure C: no PostgreSQL headers; unit-tested by
 *	  test/unit/test_btyd_bgnbd_math.c.
 */
#ifndef PROFILING_BTYD_BGNBD_MATH_H
#define PROFILING_BTYD_BGNBD_MATH_H

#include "btyd_optimize.h"

/*
 * BG/NBD.  params: r, alpha, a, b.  The log-likelihood of the weighted patterns; grad (may be
 * NULL) receives its derivatives with respect to log r, log alpha, log a, log b.  Patterns must
 * be sorted by x (btyd_sort_patterns) for speed only.
 */
extern double btyd_bgnbd_ll(const double *params, const BtydPattern *patterns, size_t n,
							double *grad);
extern BtydFitStatus btyd_bgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt,
									void *arg, BtydFit *fit);

/* BG/NBD scoring */
extern double btyd_bgnbd_p_alive(const double *params, double x, double t_x, double T);
extern double btyd_bgnbd_expected(const double *params, double t, double x, double t_x, double T);
extern double btyd_bgnbd_p_no_purchase(const double *params, double t, double x, double t_x,
									   double T);
/*
 * P(X(t) = n) for a new customer.  Its sum runs over up to n terms, as many as the purchases a
 * customer makes in t when t is long: it calls interrupt(arg) (NULL: none) every 65,536.
 */
extern double btyd_bgnbd_prob_purchases(const double *params, int32_t n, double t,
										BtydInterrupt interrupt, void *arg);

/*
 * P(alive t units after T, given no information after T): P(alive at T) times the probability
 * of no dropout in (T, T + t].  NaN when t is too far ahead to evaluate (beyond about 100,000
 * times alpha + T).
 */
extern double btyd_bgnbd_p_alive_ahead(const double *params, double x, double t_x, double T,
									   double t);

/*
 * MBG/NBD: the BG/NBD where a customer can also drop out at the first purchase, so P(alive) < 1
 * without repeat purchases.  params: r, alpha, a, b; the same pattern order, gradient
 * (log-parameters), optimiser and scoring signatures as the BG/NBD.
 */
extern double btyd_mbgnbd_ll(const double *params, const BtydPattern *patterns, size_t n,
							 double *grad);
extern BtydFitStatus btyd_mbgnbd_fit(const BtydPattern *sorted, size_t n,
									 BtydInterrupt interrupt, void *arg, BtydFit *fit);
extern double btyd_mbgnbd_p_alive(const double *params, double x, double t_x, double T);
extern double btyd_mbgnbd_p_alive_ahead(const double *params, double x, double t_x, double T,
										double t);
extern double btyd_mbgnbd_expected(const double *params, double t, double x, double t_x,
								   double T);
extern double btyd_mbgnbd_p_no_purchase(const double *params, double t, double x, double t_x,
										double T);
extern double btyd_mbgnbd_prob_purchases(const double *params, int32_t n, double t,
										 BtydInterrupt interrupt, void *arg);

#endif							/* PROFILING_BTYD_BGNBD_MATH_H */
