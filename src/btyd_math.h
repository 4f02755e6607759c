/*
 * btyd_math.h
 *	  The numerical core of the customer-base models ("buy 'til you die"): special functions,
 *	  the BG/NBD and Gamma-Gamma log-likelihoods with their analytic gradients, a deterministic
 *	  maximum-likelihood fit (BFGS on log-parameters), standard errors from the Hessian at the
 *	  optimum, and the scoring formulas.  Pure C: no PostgreSQL headers, so it is unit-tested on
 *	  its own by test/unit/test_btyd_math.c; the SQL side (src/btyd*.c) passes an interrupt
 *	  callback into the optimiser.
 *
 * Everything is evaluated in log space, so a customer with thousands of purchases gives finite
 * values where the textbook products overflow.
 */
#ifndef PROFILING_BTYD_MATH_H
#define PROFILING_BTYD_MATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One (x, t_x, T) pattern of the BG/NBD and the number of customers who share it. */
typedef struct BtydPattern
{
	int32_t		x;				/* repeat purchases, >= 0 */
	double		t_x;			/* first to last purchase, 0 <= t_x <= T */
	double		T;				/* first purchase to the end of calibration, > 0 */
	double		weight;			/* customers with this pattern, > 0 */
} BtydPattern;

/* One (x, mean repeat spend) pattern of the Gamma-Gamma model (x >= 1, monetary > 0). */
typedef struct BtydSpendPattern
{
	int32_t		x;
	double		monetary;
	double		weight;
} BtydSpendPattern;

#define BTYD_MAX_PARAMS 4

/* What a fit found. */
typedef struct BtydFit
{
	int			nparams;
	double		params[BTYD_MAX_PARAMS];	/* r, alpha, a, b  /  p, q, gamma */
	double		se[BTYD_MAX_PARAMS];	/* standard errors; NaN when the Hessian is not definite */
	double		ll;				/* log-likelihood at params */
	double		customers;		/* sum of the weights */
	bool		converged;		/* gradient norm below the tolerance */
	int32_t		iterations;
	double		grad_norm;		/* max |d mean LL / d log-parameter| at the end */
} BtydFit;

/* Called once per optimiser iteration (the SQL side: CHECK_FOR_INTERRUPTS). */
typedef void (*BtydInterrupt) (void *arg);

/* Outcome of a fit. */
typedef enum BtydFitStatus
{
	BTYD_FIT_OK = 0,			/* params usable (converged or not: see fit->converged) */
	BTYD_FIT_NO_DATA,			/* no pattern */
	BTYD_FIT_FAILED				/* the likelihood was not finite at the starting point */
} BtydFitStatus;

#define BTYD_MAX_ITERATIONS 200
#define BTYD_GRADIENT_TOLERANCE 1e-9

/* Special functions */
extern double btyd_digamma(double x);
extern double btyd_lbeta(double a, double b);

/*
 * BG/NBD (Fader, Hardie & Lee 2005).  params: r, alpha, a, b.  The log-likelihood of the
 * weighted patterns; grad (may be NULL) receives its derivatives with respect to log r,
 * log alpha, log a, log b.  Patterns must be sorted by x (btyd_sort_patterns) for speed only.
 */
extern double btyd_bgnbd_ll(const double *params, const BtydPattern *patterns, size_t n,
							double *grad);
extern void btyd_sort_patterns(BtydPattern *patterns, size_t n);
extern BtydFitStatus btyd_bgnbd_fit(const BtydPattern *sorted, size_t n, BtydInterrupt interrupt,
									void *arg, BtydFit *fit);

/* BG/NBD scoring */
extern double btyd_bgnbd_p_alive(const double *params, double x, double t_x, double T);
extern double btyd_bgnbd_expected(const double *params, double t, double x, double t_x, double T);
extern double btyd_bgnbd_p_no_purchase(const double *params, double t, double x, double t_x,
									   double T);
extern double btyd_bgnbd_prob_purchases(const double *params, int32_t n, double t);

/*
 * P(alive t units after T, given no information after T): P(alive at T) times the probability
 * of no dropout in (T, T + t].  NaN when t is too far ahead to evaluate (beyond about 100,000
 * times alpha + T).
 */
extern double btyd_bgnbd_p_alive_ahead(const double *params, double x, double t_x, double T,
									   double t);

/*
 * MBG/NBD (Batislam, Denizel & Filiztekin 2007): the BG/NBD where a customer can also drop out
 * at the first purchase, so P(alive) < 1 without repeat purchases.  params: r, alpha, a, b;
 * the same pattern order, gradient (log-parameters), optimiser and scoring signatures as the
 * BG/NBD.
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
extern double btyd_mbgnbd_prob_purchases(const double *params, int32_t n, double t);

/*
 * Gamma-Gamma (Fader & Hardie 2013).  params: p, q, gamma; the gradient is with respect to
 * log p, log(q - 1), log gamma (q > 1 is built in, so the expected spend is finite).
 */
extern double btyd_gg_ll(const double *params, const BtydSpendPattern *patterns, size_t n,
						 double *grad);
extern void btyd_sort_spend_patterns(BtydSpendPattern *patterns, size_t n);
extern BtydFitStatus btyd_gg_fit(const BtydSpendPattern *sorted, size_t n,
								 BtydInterrupt interrupt, void *arg, BtydFit *fit);
extern double btyd_gg_expected_spend(const double *params, double x, double monetary);

/* ---------------------------------------------------------------------------------------------
 * Pareto/NBD (Schmittlein, Morrison & Colombo 1987; the likelihood as in Fader & Hardie's note
 * "A Note on Deriving the Pareto/NBD Model and Related Expressions", 2005).  params: r, alpha,
 * s, beta.  Its patterns are BtydPattern, sorted by btyd_sort_patterns.  grad (may be NULL)
 * receives the derivatives with respect to log r, log alpha, log s, log beta (analytic; the
 * value is the same with or without it).
 * ---------------------------------------------------------------------------------------------
 */

/*
 * ln 2F1(a, b; a + 1; z) for a > 0, b > 0, 0 <= z < 1 (one_minus_z = 1 - z, computed by the
 * caller without cancellation): the form of every Pareto/NBD 2F1.  NaN where it would be slow
 * (z near 1 and b near or below 1).
 */
extern double btyd_log_hyp2f1_a1(double a, double b, double z, double one_minus_z);

/* ln int_0^inf (A+t)^-p (B+t)^-q dt, by quadrature: the fallback near z = 1. */
extern double btyd_pnbd_log_integral(double p, double q, double A, double B);

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

#endif							/* PROFILING_BTYD_MATH_H */
