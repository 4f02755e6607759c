/*
 * btyd_math.h
 *	  The numerical core of the customer-base models ("buy 'til you die"), all of it: a thin
 *	  umbrella over the headers of its pure-C files, so that the SQL side (src/btyd*.c) includes
 *	  one header.  Each file has one concern, and a file of that core includes only the headers
 *	  it needs:
 *
 *	  btyd_special.h	digamma, ln B, log-space sums, the Gauss hypergeometric functions and
 *						the quadrature that stands in for them near z = 1
 *	  btyd_optimize.h	the patterns, what a fit reports, BFGS, the standard errors, the fit
 *						driver of the BG/NBD, the MBG/NBD and the Pareto/NBD
 *	  btyd_bgnbd_math.h	the BG/NBD and the MBG/NBD: likelihoods, fits, scoring
 *	  btyd_pnbd_math.h	the Pareto/NBD: likelihood, fit, scoring
 *	  btyd_pnbd_prob.h	the Pareto/NBD's P(X(t) = n), by quadrature
 *	  btyd_gg_math.h	the Gamma-Gamma: likelihood, fit, expected spend
 *
 *	  None includes PostgreSQL headers, so they are unit-tested without a server
 *	  (test/unit/test_btyd_*.c); the SQL side passes an interrupt callback into the optimiser
 *	  and the long sums (btyd_check_interrupts).
 */
#ifndef PROFILING_BTYD_MATH_H
#define PROFILING_BTYD_MATH_H

#include "btyd_special.h"
#include "btyd_optimize.h"
#include "btyd_bgnbd_math.h"
#include "btyd_pnbd_math.h"
#include "btyd_pnbd_prob.h"
#include "btyd_gg_math.h"

#endif							/* PROFILING_BTYD_MATH_H */
