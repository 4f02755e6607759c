/*
 * btyd_simulate.h
 *	  A deterministic simulator of customers drawn from a BG/NBD (Fader, Hardie & Lee 2005): its
 *	  own seeded pseudo-random generator (xoshiro256**, seeded through splitmix64), gamma, beta
 *	  and exponential draws, and one customer's (x, t_x, T).  Pure C: no PostgreSQL headers, so
 *	  it is unit-tested on its own by test/unit/test_btyd_simulate.c; the SQL function
 *	  simulate(model, ...) is in btyd_simulate_sql.c.
 *
 * Every customer has a stream of its own, derived from (seed, customer): customer k's draw does
 * not depend on how many customers are simulated, nor on the order they are asked for, so the
 * first 100 of simulate(m, 1000, ...) are simulate(m, 100, ...), and the output is the same on
 * every platform with IEEE doubles and the same libm.
 */
#ifndef PROFILING_BTYD_SIMULATE_H
#define PROFILING_BTYD_SIMULATE_H

#include <stdbool.h>
#include <stdint.h>

/* Called every BTYD_SIM_INTERRUPT_EVERY purchases of one customer (the SQL side: CHECK_FOR_INTERRUPTS). */
typedef void (*BtydSimInterrupt) (void *arg);

#define BTYD_SIM_INTERRUPT_EVERY 65536

/* xoshiro256** state (Blackman & Vigna); never all zero. */
typedef struct BtydRng
{
	uint64_t	s[4];
} BtydRng;

/* splitmix64: the generator's seeding function (one step: advances *state, returns the output). */
extern uint64_t btyd_splitmix64(uint64_t *state);

/* The stream of (seed, stream): distinct streams for distinct pairs. */
extern void btyd_rng_seed(BtydRng *rng, uint64_t seed, uint64_t stream);
extern uint64_t btyd_rng_next(BtydRng *rng);

/* Draws */
extern double btyd_rng_uniform(BtydRng *rng);	/* in (0, 1): never 0, never 1 */
extern double btyd_rng_normal(BtydRng *rng);	/* standard normal */
extern double btyd_rng_exponential(BtydRng *rng);	/* rate 1 */
extern double btyd_rng_log_gamma(BtydRng *rng, double shape);	/* ln of a Gamma(shape, 1) */
extern double btyd_rng_gamma(BtydRng *rng, double shape);	/* Gamma(shape, 1) */
extern double btyd_rng_beta(BtydRng *rng, double a, double b);

/* One simulated customer. */
typedef struct BtydSimCustomer
{
	int32_t		x;				/* repeat purchases in (0, T] */
	double		t_x;			/* time of the last one (0 when x = 0) */
	double		T;				/* the customer's observation length */
	double		lambda;			/* the customer's purchase rate, drawn */
	double		p;				/* the customer's dropout probability, drawn */
	bool		alive;			/* still active at T: did not drop out (unobserved in real data) */
} BtydSimCustomer;

typedef enum BtydSimStatus
{
	BTYD_SIM_OK = 0,
	BTYD_SIM_TOO_MANY			/* the customer reached max_x purchases before T or dropout */
} BtydSimStatus;

/*
 * Customer number customer of seed, from a BG/NBD with params r, alpha, a, b (finite,
 * positive): lambda ~ Gamma(r, rate alpha), p ~ Beta(a, b); T ~ Uniform(T_min, T_max) (T_min
 * itself when T_min = T_max, which draws nothing); the first purchase at time 0, then purchases
 * at exponential(lambda) intervals up to T, and after each repeat purchase the customer drops
 * out with probability p.  More than max_x purchases gives BTYD_SIM_TOO_MANY (out is then the
 * state at max_x).  interrupt may be NULL.
 */
extern BtydSimStatus btyd_simulate_bgnbd(const double *params, uint64_t seed, uint64_t customer,
										 double T_min, double T_max, int32_t max_x,
										 BtydSimInterrupt interrupt, void *arg,
										 BtydSimCustomer *out);

#endif							/* PROFILING_BTYD_SIMULATE_H */
