/*
 * btyd_simulate.c
 *	  The BG/NBD simulator (see btyd_simulate.h): the generator, the draws, one customer.
 *
 * The generator is xoshiro256** (Blackman & Vigna 2018): 256 bits of state, period 2^256 - 1,
 * passes BigCrush; seeded by splitmix64 as its authors recommend.  Its own code here, so the
 * draws never depend on the C library's rand() or on PostgreSQL's generator, and a seed gives
 * the same customers on every platform.
 */
#include <math.h>
#include <stddef.h>

#include "btyd_simulate.h"

/* ---------------------------------------------------------------------------------------------
 * The generator
 * ---------------------------------------------------------------------------------------------
 */

uint64_t
btyd_splitmix64(uint64_t *state)
{
	uint64_t	z = (*state += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/*
 * The stream's splitmix64 state mixes the seed with the mixed stream number, so streams of
 * neighbouring customers (or seeds) start far apart; the four outputs that fill the state come
 * from a bijection of consecutive states, so at most one of them is zero and the state never is.
 */
void
btyd_rng_seed(BtydRng *rng, uint64_t seed, uint64_t stream)
{
	uint64_t	mixed = stream;
	uint64_t	state = seed ^ btyd_splitmix64(&mixed);

	for (int i = 0; i < 4; i++)
		rng->s[i] = btyd_splitmix64(&state);
}

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
btyd_rng_next(BtydRng *rng)
{
	uint64_t   *s = rng->s;
	uint64_t	result = rotl(s[1] * 5, 7) * 9;
	uint64_t	t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

/*
 * The top 52 bits, centred in their interval: (k + 1/2) 2^-52, exact in a double, strictly
 * inside (0, 1) (53 bits would round the largest to 1).
 */
double
btyd_rng_uniform(BtydRng *rng)
{
	return ((double) (btyd_rng_next(rng) >> 12) + 0.5) * 0x1.0p-52;
}

/* Marsaglia's polar method (no trigonometry; one of the pair is dropped to keep no state). */
double
btyd_rng_normal(BtydRng *rng)
{
	for (;;)
	{
		double		u = 2.0 * btyd_rng_uniform(rng) - 1.0;
		double		v = 2.0 * btyd_rng_uniform(rng) - 1.0;
		double		s = u * u + v * v;

		if (s > 0.0 && s < 1.0)
			return u * sqrt(-2.0 * log(s) / s);
	}
}

double
btyd_rng_exponential(BtydRng *rng)
{
	return -log(btyd_rng_uniform(rng));
}

/*
 * Marsaglia & Tsang (2000) for shape >= 1.  For shape < 1 their boost, G(shape) = G(shape + 1)
 * U^(1/shape), taken in logs: with r = 0.01 the draw is often below the smallest double, and
 * the beta draw and the purchase rate need it as a number, not as 0.
 */
double
btyd_rng_log_gamma(BtydRng *rng, double shape)
{
	double		d,
				c;

	if (shape < 1.0)
		return btyd_rng_log_gamma(rng, shape + 1.0) + log(btyd_rng_uniform(rng)) / shape;
	d = shape - 1.0 / 3.0;
	c = 1.0 / sqrt(9.0 * d);
	for (;;)
	{
		double		z = btyd_rng_normal(rng);
		double		v = 1.0 + c * z;
		double		u;

		if (v <= 0.0)
			continue;
		v = v * v * v;
		u = btyd_rng_uniform(rng);
		if (u < 1.0 - 0.0331 * (z * z) * (z * z) ||
			log(u) < 0.5 * z * z + d * (1.0 - v + log(v)))
			return log(d) + log(v);
	}
}

double
btyd_rng_gamma(BtydRng *rng, double shape)
{
	return exp(btyd_rng_log_gamma(rng, shape));
}

/* X / (X + Y) for X ~ Gamma(a), Y ~ Gamma(b), as 1 / (1 + e^(ln Y - ln X)): no 0 / 0. */
double
btyd_rng_beta(BtydRng *rng, double a, double b)
{
	double		lx = btyd_rng_log_gamma(rng, a);
	double		ly = btyd_rng_log_gamma(rng, b);

	return 1.0 / (1.0 + exp(ly - lx));
}

/* ---------------------------------------------------------------------------------------------
 * One customer
 * ---------------------------------------------------------------------------------------------
 */

BtydSimStatus
btyd_simulate_bgnbd(const double *params, uint64_t seed, uint64_t customer, double T_min,
					double T_max, int32_t max_x, BtydSimInterrupt interrupt, void *arg,
					BtydSimCustomer *out)
{
	double		r = params[0],
				alpha = params[1],
				a = params[2],
				b = params[3];
	BtydRng		rng;
	double		t = 0.0;

	btyd_rng_seed(&rng, seed, customer);
	out->x = 0;
	out->t_x = 0.0;
	out->alive = true;
	out->T = T_min < T_max ? T_min + (T_max - T_min) * btyd_rng_uniform(&rng) : T_min;
	/* lambda ~ Gamma(r, rate alpha): it may underflow to 0 (no purchase) or overflow to inf */
	out->lambda = exp(btyd_rng_log_gamma(&rng, r) - log(alpha));
	out->p = btyd_rng_beta(&rng, a, b);
	if (!(out->lambda > 0.0))
		return BTYD_SIM_OK;
	for (;;)
	{
		/* the time to the next purchase; it drops out after a purchase, never at time 0 */
		t += btyd_rng_exponential(&rng) / out->lambda;
		if (!(t <= out->T))
			return BTYD_SIM_OK;
		if (out->x >= max_x)
			return BTYD_SIM_TOO_MANY;
		out->x++;
		out->t_x = t;
		if (btyd_rng_uniform(&rng) < out->p)
		{
			out->alive = false;
			return BTYD_SIM_OK;
		}
		if (interrupt != NULL && out->x % BTYD_SIM_INTERRUPT_EVERY == 0)
			interrupt(arg);
	}
}
