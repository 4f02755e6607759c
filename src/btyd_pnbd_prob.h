/*
 * btyd_pnbd_prob.h
 *	  P(X(t) = n) of the Pareto/NBD: the probability that a new customer makes exactly n
 *	  purchases in its first t units.  Pure C (the C library only, no PostgreSQL headers), so it
 *	  is unit-tested on its own by test/unit/test_btyd_pnbd_prob.c; the SQL function
 *	  prob_purchases(pnbd, n, t) is in btyd_accessors.c.
 */
#ifndef PROFILING_BTYD_PNBD_PROB_H
#define PROFILING_BTYD_PNBD_PROB_H

#include <stdint.h>

/*
 * params: r, alpha, s, beta, each positive and finite; n >= 0; t finite and >= 0.  The result
 * is in [0, 1], never NaN: 0 where it is below the smallest double.  The cost is bounded
 * whatever the arguments (at most BTYD_PNBD_PROB_MAX_PANELS quadrature panels).
 */
extern double btyd_pnbd_prob_purchases(const double *params, int32_t n, double t);

#define BTYD_PNBD_PROB_MAX_PANELS 200

#endif							/* PROFILING_BTYD_PNBD_PROB_H */
