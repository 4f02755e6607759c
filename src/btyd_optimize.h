/*
 * btyd_optimize.h
 *	  The maximum-likelihood machinery the customer-base models share: the (x, t_x, T) pattern
 *	  and its order, what a fit reports, a deterministic BFGS on log-parameters, the standard
 *	  errors from the Hessian at the optimum, and the fit driver of the four-parameter models of
 *	  (x, t_x, T) patterns.  The models (btyd_bgnbd_math.c, btyd_pnbd_math.c, btyd_gg_math.c)
 *	  supply their likelihoods; this file knows none of them.  Pure C: no PostgreSQL headers.
 */
#ifndef PROFILING_BTYD_OPTIMIZE_H
#define PROFILING_BTYD_OPTIMIZE_H

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

/*
 * Sorts by x first, so that a likelihood computes the terms that depend on x alone once per x;
 * the full order makes the fit independent of the order the patterns came in.
 */
extern void btyd_sort_patterns(BtydPattern *patterns, size_t n);

/* ---------------------------------------------------------------------------------------------
 * The optimiser, for the models' fit functions
 * ---------------------------------------------------------------------------------------------
 */

/* Total log-likelihood at theta and its gradient (may be NULL) with respect to theta. */
typedef double (*BtydObjective) (const double *theta, double *grad, const void *data, size_t n);

/* theta outside this box is treated as infeasible: parameters stay within e^-30 .. e^30. */
#define BTYD_THETA_LIMIT 30.0
/* The largest step in any coordinate of theta (a factor of e^5 on a parameter). */
#define BTYD_MAX_STEP 5.0

typedef struct BtydProblem
{
	int			k;
	BtydObjective ll;
	const void *data;
	size_t		n;
	double		scale;			/* 1 / total weight */

	/*
	 * Stop once PLATEAU_ITERATIONS iterations in a row changed f by at most PLATEAU_CHANGE
	 * relative while some parameter is more than a factor e^PLATEAU_FAR from its start
	 * (btyd_optimize.c): the parameters run off to a boundary along a direction where the
	 * likelihood no longer changes (or sit at the box's edge).  Used by the Pareto/NBD, whose
	 * every value costs many 2F1s, and whose boundary fits otherwise spend their 200
	 * iterations there; the other models keep theirs.  Such a fit reports converged only when
	 * its gradient is small.
	 */
	bool		plateau_stop;
} BtydProblem;

/* The sum of n weights stride bytes apart (the weight fields of an array of patterns). */
extern double btyd_total_weight(const double *weights, size_t stride, size_t n);

/*
 * ln mean as the start of a scale parameter in theta: 0 unless mean is positive and finite,
 * and a step inside the box.
 */
extern double btyd_log_start(double mean);

/*
 * Minimises the negative mean log-likelihood from theta (in place) by BFGS, then the standard
 * errors in theta (NaN where the Hessian is not positive definite) into se_theta; the
 * iterations, the final gradient and whether it converged into *fit.  BTYD_FIT_FAILED when the
 * likelihood is not finite at the start.
 */
extern BtydFitStatus btyd_fit_run(const BtydProblem *pr, double *theta, BtydInterrupt interrupt,
								  void *arg, BtydFit *fit, double *se_theta);

/* ---------------------------------------------------------------------------------------------
 * The fit of a model of (x, t_x, T) patterns with four positive parameters (the BG/NBD, the
 * MBG/NBD, the Pareto/NBD), on their logarithms.  The start: 1 for the shapes, the patterns'
 * mean T for the scales.
 * ---------------------------------------------------------------------------------------------
 */
typedef struct BtydNbdModel
{
	BtydObjective theta_ll;		/* the log-likelihood in the log-parameters */
	const void *data;			/* theta_ll's data: it holds the sorted patterns */
	bool		fourth_is_scale;	/* the fourth parameter is a time scale too (the
									 * Pareto/NBD's beta), else a shape */
	bool		plateau_stop;	/* see BtydProblem */
} BtydNbdModel;

extern BtydFitStatus btyd_nbd_fit_model(const BtydPattern *sorted, size_t n,
										const BtydNbdModel *model, BtydInterrupt interrupt,
										void *arg, BtydFit *fit);

/*
 * The same for a likelihood in the parameters whose gradient is in their logarithms (the
 * BG/NBD and the MBG/NBD: r, alpha, a, b).
 */
typedef double (*BtydNbdLikelihood) (const double *params, const BtydPattern *patterns, size_t n,
									 double *grad);

extern BtydFitStatus btyd_nbd_fit(const BtydPattern *sorted, size_t n, BtydNbdLikelihood ll,
								  BtydInterrupt interrupt, void *arg, BtydFit *fit);

#endif							/* PROFILING_BTYD_OPTIMIZE_H */
