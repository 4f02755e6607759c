/*
 * test_btyd_simulate.c
 *	  Unit tests of src/btyd_simulate.c: the generator against its authors' reference outputs,
 *	  determinism by seed and per-customer streams, the moments of every draw, and simulated
 *	  customers against the BG/NBD's closed forms (E[X(T)], P(X(T) = 0), and the mean P(alive)
 *	  against the share simulated alive).
 *
 * Statistical checks compare a sample statistic with its exact value within 5 of its standard
 * errors (estimated from the sample itself).  The seeds are fixed, so each check passes or
 * fails for good; 5 standard errors is wide enough that a correct generator passes with any
 * seed (two-sided p = 6e-7) and narrow enough that a wrong shape or rate fails by far.
 */
#include <float.h>
#include <stdlib.h>

#include "btyd_simulate.h"
#include "unit.h"

#define Z_TOLERANCE 5.0

/* The CDNOW-like model of the brief: r, alpha, a, b. */
static const double model[4] = {0.25, 4.0, 0.8, 2.5};

/* |estimate - exact| <= Z_TOLERANCE standard errors */
static UNIT_PRINTF(4, 5) bool
within_se(double estimate, double exact, double se, const char *fmt, ...)
{
	bool		ok = isfinite(estimate) && fabs(estimate - exact) <= Z_TOLERANCE * se;

	UNIT_RESULT(ok, fmt);
	if (!ok || getenv("UNIT_VERBOSE") != NULL)
	{
		unit_diag_double("exact:", exact);
		unit_diag_double("estimate:", estimate);
		unit_diag_double("se:", se);
	}
	return ok;
}

/* Sample moments of n draws. */
typedef struct Moments
{
	double		n,
				mean,
				m2,
				m4;				/* central moments */
} Moments;

typedef double (*Draw) (BtydRng *rng, const double *arg);

static Moments
moments_of(Draw draw, const double *arg, uint64_t seed, long n)
{
	BtydRng		rng;
	double	   *v = malloc(sizeof(double) * n);
	Moments		m = {(double) n, 0.0, 0.0, 0.0};

	btyd_rng_seed(&rng, seed, 0);
	for (long i = 0; i < n; i++)
	{
		v[i] = draw(&rng, arg);
		m.mean += v[i];
	}
	m.mean /= n;
	for (long i = 0; i < n; i++)
	{
		double		d = (v[i] - m.mean) * (v[i] - m.mean);

		m.m2 += d;
		m.m4 += d * d;
	}
	m.m2 /= n;
	m.m4 /= n;
	free(v);
	return m;
}

/* The sample mean and variance against the exact ones. */
static void
check_moments(const char *what, Draw draw, const double *arg, double mean, double variance)
{
	Moments		m = moments_of(draw, arg, 20260101, 1000000);

	within_se(m.mean, mean, sqrt(m.m2 / m.n), "%s: mean %g", what, mean);
	within_se(m.m2, variance, sqrt((m.m4 - m.m2 * m.m2) / m.n), "%s: variance %g", what, variance);
}

static double
draw_uniform(BtydRng *rng, const double *arg)
{
	(void) arg;
	return btyd_rng_uniform(rng);
}

static double
draw_normal(BtydRng *rng, const double *arg)
{
	(void) arg;
	return btyd_rng_normal(rng);
}

static double
draw_exponential(BtydRng *rng, const double *arg)
{
	(void) arg;
	return btyd_rng_exponential(rng);
}

static double
draw_gamma(BtydRng *rng, const double *arg)
{
	return btyd_rng_gamma(rng, arg[0]);
}

static double
draw_beta(BtydRng *rng, const double *arg)
{
	return btyd_rng_beta(rng, arg[0], arg[1]);
}

static void
test_generator(void)
{
	uint64_t	state = 0;
	BtydRng		rng = {{1, 2, 3, 4}};
	static const uint64_t xoshiro_1234[] = {
		UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240), UINT64_C(1215971899390074240),
		UINT64_C(1216172134540287360),
	};
	bool		same = true;
	double		lo = 1.0,
				hi = 0.0;

	unit_diag("the generator against its reference outputs (Vigna's splitmix64.c and xoshiro256starstar.c)");
	unit_ok(btyd_splitmix64(&state) == UINT64_C(0xe220a8397b1dcdaf) &&
			btyd_splitmix64(&state) == UINT64_C(7960286522194355700),
			"splitmix64 from state 0: 0xe220a8397b1dcdaf, 7960286522194355700");
	for (int i = 0; i < 5; i++)
		same = same && btyd_rng_next(&rng) == xoshiro_1234[i];
	unit_ok(same, "xoshiro256** from state {1, 2, 3, 4}: 11520, 0, 1509978240, ...");

	btyd_rng_seed(&rng, 7, 0);
	for (int i = 0; i < 1000000; i++)
	{
		double		u = btyd_rng_uniform(&rng);

		lo = u < lo ? u : lo;
		hi = u > hi ? u : hi;
	}
	unit_ok(lo > 0.0 && hi < 1.0, "a million uniforms lie strictly inside (0, 1)");
	/* the largest uniform the bits can give (the formula of btyd_rng_uniform) is exact, below 1 */
	unit_double_is(((double) (UINT64_MAX >> 12) + 0.5) * 0x1.0p-52, 1.0 - 0x1.0p-53,
				   "the largest uniform is 1 - 2^-53, not 1");
}

static void
test_moments(void)
{
	double		shapes[] = {0.25, 1.0, 2.5, 40.0};

	unit_diag("moments of the draws (a million each; within 5 standard errors)");
	check_moments("uniform", draw_uniform, NULL, 0.5, 1.0 / 12.0);
	check_moments("normal", draw_normal, NULL, 0.0, 1.0);
	check_moments("exponential", draw_exponential, NULL, 1.0, 1.0);
	for (int i = 0; i < 4; i++)
	{
		char		what[64];

		snprintf(what, sizeof(what), "gamma(%g)", shapes[i]);
		check_moments(what, draw_gamma, &shapes[i], shapes[i], shapes[i]);
	}
	{
		double		ab[][2] = {{0.8, 2.5}, {0.05, 0.05}, {30.0, 3.0}};

		for (int i = 0; i < 3; i++)
		{
			double		a = ab[i][0],
						b = ab[i][1];
			char		what[64];

			snprintf(what, sizeof(what), "beta(%g, %g)", a, b);
			check_moments(what, draw_beta, ab[i], a / (a + b),
						  a * b / ((a + b) * (a + b) * (a + b + 1.0)));
		}
	}
	{
		/* shape 0.001: most draws are below the smallest double; in logs they are finite */
		BtydRng		rng;
		bool		finite = true;
		double		tiny = 0.001;
		Moments		m;

		btyd_rng_seed(&rng, 3, 0);
		for (int i = 0; i < 100000; i++)
			finite = finite && isfinite(btyd_rng_log_gamma(&rng, tiny));
		unit_ok(finite, "ln of gamma(0.001) draws is finite");
		m = moments_of(draw_gamma, &tiny, 5, 1000000);
		within_se(m.mean, tiny, sqrt(m.m2 / m.n), "gamma(0.001): mean 0.001");
	}
}

static void
test_determinism(void)
{
	BtydSimCustomer c1,
				c2;
	bool		same = true,
				differs = false;
	int			n = 2000;
	BtydSimCustomer *forward = malloc(sizeof(BtydSimCustomer) * n);

	unit_diag("determinism: a seed gives the same customers, each from its own stream");
	for (int i = 0; i < n; i++)
		btyd_simulate_bgnbd(model, 42, i + 1, 30.0, 80.0, INT32_MAX, NULL, NULL, &forward[i]);
	for (int i = n - 1; i >= 0; i--)
	{
		btyd_simulate_bgnbd(model, 42, i + 1, 30.0, 80.0, INT32_MAX, NULL, NULL, &c1);
		same = same && c1.x == forward[i].x && c1.t_x == forward[i].t_x &&
			c1.T == forward[i].T && c1.lambda == forward[i].lambda && c1.p == forward[i].p &&
			c1.alive == forward[i].alive;
		btyd_simulate_bgnbd(model, 43, i + 1, 30.0, 80.0, INT32_MAX, NULL, NULL, &c2);
		differs = differs || c2.T != forward[i].T;
	}
	unit_ok(same, "customers asked for in reverse order are the same, bit for bit");
	unit_ok(differs, "another seed gives other customers");

	/* Pinned: the first customers of seed 42 (the SQL regression test shows the same rows). */
	btyd_simulate_bgnbd(model, 42, 1, 52.0, 52.0, INT32_MAX, NULL, NULL, &c1);
	unit_ok(c1.T == 52.0, "T_min = T_max: T is that value");
	{
		int32_t		xs[8];
		int32_t		pinned[8] = {0, 3, 0, 0, 0, 0, 0, 1};
		bool		ok = true;

		for (int i = 0; i < 8; i++)
		{
			btyd_simulate_bgnbd(model, 42, i + 1, 52.0, 52.0, INT32_MAX, NULL, NULL, &c1);
			xs[i] = c1.x;
			ok = ok && xs[i] == pinned[i];
		}
		unit_ok(ok, "seed 42, T = 52: the x of the first 8 customers are pinned");
		if (!ok)
			for (int i = 0; i < 8; i++)
				printf("#   customer %d: x = %d\n", i + 1, xs[i]);
	}
	free(forward);
}

/* 2F1(p, q; c; z) by its series, 0 <= z < 1 (test-only; z here is at most 0.96). */
static double
hyp2f1(double p, double q, double c, double z)
{
	double		term = 1.0,
				sum = 1.0;

	for (long k = 0; k < 10000000L; k++)
	{
		term *= (p + k) * (q + k) * z / ((c + k) * (k + 1.0));
		sum += term;
		if (fabs(term) <= 1e-17 * fabs(sum))
			break;
	}
	return sum;
}

/* E[X(t)] of a new customer (Fader, Hardie & Lee 2005, eq. 9). */
static double
expected_x(const double *p, double t)
{
	double		r = p[0],
				alpha = p[1],
				a = p[2],
				b = p[3];

	return (a + b - 1.0) / (a - 1.0) *
		(1.0 - pow(alpha / (alpha + t), r) * hyp2f1(r, b, a + b - 1.0, t / (alpha + t)));
}

/* P(alive at T | x, t_x, T) */
static double
p_alive(const double *p, int32_t x, double t_x, double T)
{
	if (x == 0)
		return 1.0;
	return 1.0 / (1.0 + p[2] / (p[3] + x - 1.0) * pow((p[1] + T) / (p[1] + t_x), p[0] + x));
}

/*
 * n customers of the model with T in [T_min, T_max] against the closed forms: the mean x
 * against E[X(T)] (averaged over T by Simpson's rule when T varies), the share with x = 0
 * against (alpha / (alpha + T))^r, and the mean P(alive | x, t_x, T) against the share still
 * active at T (which checks the joint distribution of x and t_x, not only x).
 */
static void
check_customers(const double *p, double T_min, double T_max, int n, uint64_t seed)
{
	double		sum_x = 0.0,
				sum_x2 = 0.0,
				zeros = 0.0,
				sum_pa = 0.0,
				sum_d = 0.0,
				sum_d2 = 0.0;
	double		exact_x = 0.0,
				exact_zero = 0.0;
	bool		sane = true;
	int			steps = T_min < T_max ? 200 : 0;

	for (int i = 0; i < n; i++)
	{
		BtydSimCustomer c;
		double		pa,
					alive,
					d;

		btyd_simulate_bgnbd(p, seed, i + 1, T_min, T_max, INT32_MAX, NULL, NULL, &c);
		sane = sane && c.x >= 0 && c.t_x >= 0.0 && c.t_x <= c.T && (c.x > 0 || c.t_x == 0.0) &&
			c.T >= T_min && c.T <= T_max;
		sum_x += c.x;
		sum_x2 += (double) c.x * c.x;
		zeros += c.x == 0;
		pa = p_alive(p, c.x, c.t_x, c.T);
		sum_pa += pa;
		alive = c.alive ? 1.0 : 0.0;
		d = pa - alive;
		sum_d += d;
		sum_d2 += d * d;
	}
	if (steps == 0)
	{
		exact_x = expected_x(p, T_min);
		exact_zero = pow(p[1] / (p[1] + T_min), p[0]);
	}
	else
	{
		double		h = (T_max - T_min) / steps;

		for (int k = 0; k <= steps; k++)
		{
			double		w = (k == 0 || k == steps) ? 1.0 : (k % 2 ? 4.0 : 2.0);
			double		T = T_min + k * h;

			exact_x += w * expected_x(p, T);
			exact_zero += w * pow(p[1] / (p[1] + T), p[0]);
		}
		exact_x *= h / 3.0 / (T_max - T_min);
		exact_zero *= h / 3.0 / (T_max - T_min);
	}
	{
		double		mean = sum_x / n,
					var = sum_x2 / n - mean * mean,
					share = zeros / n,
					md = sum_d / n;

		unit_ok(sane, "r=%g alpha=%g a=%g b=%g, T in [%g, %g]: %d customers, each with 0 <= t_x <= T",
				p[0], p[1], p[2], p[3], T_min, T_max, n);
		within_se(mean, exact_x, sqrt(var / n), "  mean x = E[X(T)] = %.6f", exact_x);
		within_se(share, exact_zero, sqrt(exact_zero * (1.0 - exact_zero) / n),
				  "  share with x = 0 = (alpha/(alpha+T))^r = %.6f", exact_zero);
		within_se(md, 0.0, sqrt((sum_d2 / n - md * md) / n),
				  "  mean P(alive | x, t_x, T) = share alive at T (%.6f)", sum_pa / n);
	}
}

static void
test_customers(void)
{
	static const double heavy[4] = {2.0, 3.0, 1.5, 6.0};
	static const double rare_dropout[4] = {0.8, 10.0, 0.3, 40.0};

	unit_diag("simulated customers against the BG/NBD's closed forms");
	check_customers(model, 52.0, 52.0, 200000, 1);
	check_customers(model, 30.0, 80.0, 200000, 2);
	check_customers(heavy, 10.0, 10.0, 100000, 3);
	check_customers(rare_dropout, 1.0, 100.0, 100000, 4);
}

static int	interrupts;

static void
count_interrupt(void *arg)
{
	(void) arg;
	interrupts++;
}

static void
test_limits(void)
{
	/* lambda about 1e6, p about 1e-6: about a million purchases before T = 1 or dropout */
	static const double busy[4] = {1000.0, 0.001, 0.001, 1000.0};
	static const double tiny_r[4] = {0.001, 1.0, 1.0, 1.0};
	BtydSimCustomer c;
	BtydSimStatus status;
	bool		sane = true;
	int			zeros = 0;

	unit_diag("limits: the purchase cap, the interrupt callback, rates that underflow");
	status = btyd_simulate_bgnbd(busy, 1, 1, 1.0, 1.0, 1000, NULL, NULL, &c);
	unit_ok(status == BTYD_SIM_TOO_MANY && c.x == 1000,
			"a customer past max_x purchases is BTYD_SIM_TOO_MANY, stopped at max_x");
	interrupts = 0;
	status = btyd_simulate_bgnbd(busy, 1, 1, 1.0, 1.0, 200000, count_interrupt, NULL, &c);
	unit_ok(status == BTYD_SIM_TOO_MANY && interrupts == 200000 / BTYD_SIM_INTERRUPT_EVERY,
			"the interrupt callback runs every %d purchases (%d times for 200000)",
			BTYD_SIM_INTERRUPT_EVERY, interrupts);
	for (int i = 0; i < 10000; i++)
	{
		btyd_simulate_bgnbd(tiny_r, 9, i + 1, 5.0, 5.0, INT32_MAX, NULL, NULL, &c);
		sane = sane && c.lambda >= 0.0 && isfinite(c.lambda) && c.x >= 0 && c.t_x <= c.T;
		zeros += c.x == 0;
	}
	unit_ok(sane && zeros > 9900, "r = 0.001: rates that underflow to 0 buy nothing (%d of 10000 with x = 0)",
			zeros);
}

int
main(void)
{
	test_generator();
	test_moments();
	test_determinism();
	test_customers();
	test_limits();
	return unit_done();
}
