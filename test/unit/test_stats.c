/*
 * test_stats.c
 *	  Unit tests of src/stats.c: compensated sums, exact decimal sums, the int64 median, sums of
 *	  parts of one array, percentile_cont, the Gini coefficient and natural breaks.
 *
 * Expected values are exact and were worked out independently of the code under test (by hand,
 * or as the correctly rounded result of exact rational arithmetic); each case says what plain
 * float8 arithmetic would give instead, so a regression to it fails.
 */
#include <float.h>
#include <stdlib.h>

#include "stats.h"
#include "unit.h"


/* A 64-bit LCG (Knuth's MMIX constants): the same data on every machine and every run. */
static uint64_t rng_state;

static void
rng_seed(uint64_t seed)
{
	rng_state = seed;
}

static uint64_t
rng_next(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 33;
}

static void
shuffle_doubles(double *values, size_t n)
{
	for (size_t i = n; i > 1; i--)
	{
		size_t		j = rng_next() % i;
		double		t = values[i - 1];

		values[i - 1] = values[j];
		values[j] = t;
	}
}

/* Reverses n elements of size bytes (at most 8) at base. */
static void
reverse(void *base, size_t n, size_t size)
{
	char	   *p = base;
	char		t[8];

	for (size_t i = 0; i < n / 2; i++)
	{
		memcpy(t, p + i * size, size);
		memcpy(p + i * size, p + (n - 1 - i) * size, size);
		memcpy(p + (n - 1 - i) * size, t, size);
	}
}

static int
compare_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return (x > y) - (x < y);
}

static double
plain_sum(const double *values, size_t n)
{
	double		s = 0.0;

	for (size_t i = 0; i < n; i++)
		s += values[i];
	return s;
}

static double
sum_of(const double *values, size_t n)
{
	stats_sum	s = stats_sum_of(values, n);

	return stats_sum_result(&s);
}

static double
mean_of(const double *values, size_t n)
{
	stats_sum	s = stats_sum_of(values, n);

	return stats_sum_mean(&s, (double) n);
}

/* 10,000 amounts k / 100 (0 to 999.99) from a fixed seed, and the exact sum of their k. */
#define AMOUNTS 10000
static double amounts[AMOUNTS];
static int64_t amounts_cents;

static void
make_amounts(void)
{
	rng_seed(20240601);
	amounts_cents = 0;
	for (size_t i = 0; i < AMOUNTS; i++)
	{
		int64_t		k = (int64_t) (rng_next() % 100000);

		amounts[i] = (double) k / 100.0;	/* the double nearest to k / 100 */
		amounts_cents += k;
	}
}

/* Amounts of mixed scales, one negative: 2203.49 exactly, 440.698 on average. */
static const double mixed[] = {25.5, 890.44, 0.06, 1299.99, -12.5};

/* ---------------------------------------------------------------------------------------------
 * stats_sum_add, stats_sum_result, stats_sum_of
 * ---------------------------------------------------------------------------------------------
 */
static void
test_sum(void)
{
	static const double tenths[] = {0.1, 0.2, 0.3};
	static const double two_tenths[] = {0.1, 0.2};
	static const double cancel[] = {1e16, 1.0, -1e16};
	static const double neumaier[] = {1.0, 1e100, 1.0, -1e100};
	static const double negative[] = {-0.1, -0.2, -0.3};
	static const double signs[] = {0.1, -0.3, 0.2};
	static const double overflow[] = {DBL_MAX, DBL_MAX};
	double		ten_tenths[10];
	static double cents[100000];
	double		copy[AMOUNTS];
	double		expected_amounts = 4955013.45;	/* = sum of the k / 100, and of the doubles */
	stats_sum	s = {0.0, 0.0};
	stats_sum	of;
	double		plain[4];

	unit_diag("stats_sum_add, stats_sum_result, stats_sum_of");

	of = stats_sum_of(NULL, 0);
	unit_double_is(stats_sum_result(&of), 0.0, "sum of no values is +0");

	unit_double_is(sum_of(tenths, 3), 0.6, "0.1 + 0.2 + 0.3 = 0.6 (plain: 0.6000000000000001)");
	/* The doubles' exact sum lies halfway between 0.3 and the next double: ties to even. */
	unit_double_is(sum_of(two_tenths, 2), 0.30000000000000004,
				   "0.1 + 0.2 = 0.30000000000000004, the doubles' exact sum rounded once");
	unit_double_is(sum_of(cancel, 3), 1.0, "1e16 + 1 - 1e16 = 1 (plain: 0)");
	unit_double_is(sum_of(neumaier, 4), 2.0, "1 + 1e100 + 1 - 1e100 = 2 (plain and Kahan: 0)");

	for (size_t i = 0; i < LENGTH(ten_tenths); i++)
		ten_tenths[i] = 0.1;
	unit_double_is(sum_of(ten_tenths, 10), 1.0, "ten times 0.1 = 1 (plain: 0.9999999999999999)");
	for (size_t i = 0; i < LENGTH(cents); i++)
		cents[i] = 0.01;
	unit_double_is(sum_of(cents, LENGTH(cents)), 1000.0,
				   "100,000 times 0.01 = 1000 (plain: 999.9999999992356)");

	unit_double_is(sum_of(negative, 3), -0.6, "-0.1 - 0.2 - 0.3 = -0.6 (plain: -0.6000000000000001)");
	unit_double_is(sum_of(signs, 3), 0x1p-55, "0.1 - 0.3 + 0.2 = 2^-55, the doubles' exact sum");
	unit_double_is(sum_of(mixed, LENGTH(mixed)), 2203.4900000000002,
				   "25.5 + 890.44 + 0.06 + 1299.99 - 12.5 = the doubles' exact sum rounded once");

	/* Order independence: the same 10,000 amounts in four orders. */
	make_amounts();
	memcpy(copy, amounts, sizeof(copy));
	plain[0] = plain_sum(copy, AMOUNTS);
	unit_double_is(sum_of(copy, AMOUNTS), expected_amounts, "10,000 amounts in generated order");
	qsort(copy, AMOUNTS, sizeof(double), compare_double);
	plain[1] = plain_sum(copy, AMOUNTS);
	unit_double_is(sum_of(copy, AMOUNTS), expected_amounts, "the same amounts ascending");
	reverse(copy, AMOUNTS, sizeof(double));
	plain[2] = plain_sum(copy, AMOUNTS);
	unit_double_is(sum_of(copy, AMOUNTS), expected_amounts, "the same amounts descending");
	rng_seed(7);
	shuffle_doubles(copy, AMOUNTS);
	plain[3] = plain_sum(copy, AMOUNTS);
	unit_double_is(sum_of(copy, AMOUNTS), expected_amounts, "the same amounts shuffled");
	/* Otherwise the four cases above prove nothing. */
	unit_ok(plain[0] != expected_amounts && plain[1] != plain[0] && plain[2] != plain[1] &&
			plain[3] != plain[2],
			"test data: a plain sum of these amounts is wrong and depends on the order");

	/* stats_sum_of is stats_sum_add over the values, state and all. */
	for (size_t i = 0; i < LENGTH(mixed); i++)
		stats_sum_add(&s, mixed[i]);
	of = stats_sum_of(mixed, LENGTH(mixed));
	unit_ok(memcmp(&s.sum, &of.sum, sizeof(double)) == 0 &&
			memcmp(&s.compensation, &of.compensation, sizeof(double)) == 0,
			"stats_sum_of gives the state of stats_sum_add over the same values");

	/* purchase_history.c reports overflow when the state is not finite. */
	of = stats_sum_of(overflow, 2);
	unit_ok(!(isfinite(of.sum) && isfinite(of.compensation)),
			"DBL_MAX + DBL_MAX leaves a state that is not finite");
}

/* ---------------------------------------------------------------------------------------------
 * stats_sum_mean
 * ---------------------------------------------------------------------------------------------
 */
static void
test_sum_mean(void)
{
	static const double tenths[] = {0.1, 0.2, 0.3};
	static const double cancel[] = {1e16, 1.0, -1e16};
	double		ten_tenths[10];
	static double cents[100000];
	stats_sum	s;

	unit_diag("stats_sum_mean");

	unit_double_is(mean_of(tenths, 3), 0.2, "mean of 0.1, 0.2, 0.3 = 0.2 (plain: 0.20000000000000004)");
	unit_double_is(mean_of(mixed + 1, 1), 890.44, "mean of one value (890.44) is the value");
	unit_double_is(mean_of(mixed + 4, 1), -12.5, "mean of one value (-12.5) is the value");
	s = stats_sum_of(cancel, 3);
	unit_double_is(stats_sum_mean(&s, 1), 1.0,
				   "n = 1 divides the compensated sum (1e16 + 1 - 1e16 = 1), not the plain one");
	unit_double_is(mean_of(cancel, 3), 1.0 / 3, "mean of 1e16, 1, -1e16 = 1/3");
	for (size_t i = 0; i < LENGTH(ten_tenths); i++)
		ten_tenths[i] = 0.1;
	unit_double_is(mean_of(ten_tenths, 10), 0.1, "mean of ten times 0.1 = 0.1");
	for (size_t i = 0; i < LENGTH(cents); i++)
		cents[i] = 0.01;
	unit_double_is(mean_of(cents, LENGTH(cents)), 0.01, "mean of 100,000 times 0.01 = 0.01");
	unit_double_is(mean_of(mixed, LENGTH(mixed)), 440.69800000000004,
				   "mean of 25.5, 890.44, 0.06, 1299.99, -12.5 = the doubles' exact mean rounded once");
	make_amounts();
	unit_double_is(mean_of(amounts, AMOUNTS), 495.501345, "mean of the 10,000 amounts");
}

/* ---------------------------------------------------------------------------------------------
 * stats_decimal_sum, stats_decimal_value
 * ---------------------------------------------------------------------------------------------
 */

/* One assertion: stats_decimal_sum returns ok and, when it does, units and scale. */
static void
check_decimal(const double *values, size_t n, bool ok, int64_t units, int scale, const char *what)
{
	stats_decimal d = {-12345, -7}; /* garbage: a successful call sets both */
	bool		got = stats_decimal_sum(values, n, &d);
	bool		pass = got == ok && (!ok || (d.units == units && d.scale == scale));

	if (ok)
		unit_ok(pass, "decimal sum of %s: %" PRId64 " at scale %d", what, units, scale);
	else
		unit_ok(pass, "decimal sum of %s: false", what);
	if (!pass)
	{
		if (ok)
			printf("#   expected: true, units %" PRId64 ", scale %d\n", units, scale);
		else
			printf("#   expected: false\n");
		if (got)
			printf("#   actual:   true, units %" PRId64 ", scale %d\n", d.units, d.scale);
		else
			printf("#   actual:   false\n");
	}
}

/* The decimal sum of values divided by divisor; NaN (and a failed check) when there is none. */
static double
decimal_value_of(const double *values, size_t n, double divisor)
{
	stats_decimal d;

	if (!stats_decimal_sum(values, n, &d))
		return NAN;
	return stats_decimal_value(&d, divisor);
}

static void
test_decimal_sum(void)
{
	static const double integers[] = {1, 2, 3};
	static const double cents[] = {25.5, 890.44};
	static const double restart[] = {1, 2, 0.5};
	static const double restart_twice[] = {0.5, 0.25, 0.125};
	static const double eight[] = {0.12345678};
	static const double nine[] = {0.123456789};
	static const double nine_late[] = {1, 2, 0.123456789};
	static const double tiny[] = {1e-9};
	static const double third[] = {1.0 / 3};
	static const double big_cents[] = {12345678.91};
	static const double below_2_53[] = {9007199254740991.0};
	static const double below_2_53_neg[] = {-9007199254740991.0};
	static const double at_2_53[] = {9007199254740992.0};
	static const double halves_of_2_53[] = {4503599627370496.0, 4503599627370496.0};
	static const double neg_to_2_53[] = {-9007199254740991.0, -1};
	static const double big_then_half[] = {5e15, 0.5};
	static const double negatives[] = {-25.5, 10.25};
	static const double not_numbers[] = {1, NAN};
	static const double infinite[] = {1, INFINITY};
	static double past_int64[1100];

	unit_diag("stats_decimal_sum");

	check_decimal(NULL, 0, true, 0, 0, "no values");
	check_decimal(integers, 3, true, 6, 0, "1, 2, 3");
	check_decimal(cents, 2, true, 91594, 2, "25.5, 890.44");
	check_decimal(restart, 3, true, 35, 1, "1, 2, 0.5 (restart at scale 1 forgets the 3)");
	check_decimal(restart_twice, 3, true, 875, 3, "0.5, 0.25, 0.125 (two restarts)");
	check_decimal(eight, 1, true, 12345678, 8, "0.12345678 (8 decimals)");
	check_decimal(big_cents, 1, true, 1234567891, 2, "12345678.91");
	check_decimal(negatives, 2, true, -1525, 2, "-25.5, 10.25");
	check_decimal(nine, 1, false, 0, 0, "0.123456789 (9 decimals)");
	check_decimal(nine_late, 3, false, 0, 0, "1, 2, 0.123456789");
	check_decimal(tiny, 1, false, 0, 0, "1e-9");
	check_decimal(third, 1, false, 0, 0, "1/3");
	check_decimal(not_numbers, 2, false, 0, 0, "1, NaN");
	check_decimal(infinite, 2, false, 0, 0, "1, Infinity");
	check_decimal(below_2_53, 1, true, 9007199254740991, 0, "2^53 - 1");
	check_decimal(below_2_53_neg, 1, true, -9007199254740991, 0, "-(2^53 - 1)");
	check_decimal(at_2_53, 1, false, 0, 0, "2^53");
	check_decimal(halves_of_2_53, 2, false, 0, 0, "2^52, 2^52 (total 2^53)");
	check_decimal(neg_to_2_53, 2, false, 0, 0, "-(2^53 - 1), -1 (total -2^53)");
	check_decimal(big_then_half, 2, false, 0, 0, "5e15, 0.5 (5e15 is 5e16 tenths)");

	/*
	 * A total past INT64_MAX: the 2^53 bound stops the sum at the second value, so the int64
	 * overflow check behind it cannot be reached from here.
	 */
	for (size_t i = 0; i < LENGTH(past_int64); i++)
		past_int64[i] = 9007199254740991.0;
	check_decimal(past_int64, LENGTH(past_int64), false, 0, 0, "1100 times 2^53 - 1 (past INT64_MAX)");

	make_amounts();
	check_decimal(amounts, AMOUNTS, true, amounts_cents, 2, "the 10,000 amounts");
}

static void
test_decimal_value(void)
{
	static const double tenths[] = {0.1, 0.2, 0.3};
	static const double two_tenths[] = {0.1, 0.2};
	static const double cents[] = {10.01, 10.02};
	static const double cent_sums[] = {25.5, 890.44};
	stats_decimal d;

	unit_diag("stats_decimal_value");

	/* The double nearest to the exact decimal result: the C literal of that decimal. */
	unit_double_is(decimal_value_of(tenths, 3, 1), 0.6, "0.1 + 0.2 + 0.3 = 0.6");
	unit_double_is(decimal_value_of(tenths, 3, 3), 0.2, "mean of 0.1, 0.2, 0.3 = 0.2");
	unit_double_is(decimal_value_of(two_tenths, 2, 1), 0.3,
				   "0.1 + 0.2 = 0.3 (compensated sum: 0.30000000000000004)");
	unit_double_is(decimal_value_of(cent_sums, 2, 1), 915.94, "25.5 + 890.44 = 915.94");
	unit_double_is(decimal_value_of(cents, 2, 2), 10.015, "mean of 10.01, 10.02 = 10.015");
	unit_double_is(decimal_value_of(mixed, LENGTH(mixed), 1), 2203.49,
				   "25.5 + 890.44 + 0.06 + 1299.99 - 12.5 = 2203.49 (compensated: 2203.4900000000002)");
	unit_double_is(decimal_value_of(mixed, LENGTH(mixed), 5), 440.698,
				   "their mean = 440.698 (compensated: 440.69800000000004)");
	make_amounts();
	unit_double_is(decimal_value_of(amounts, AMOUNTS, 1), (double) amounts_cents / 100,
				   "the 10,000 amounts: the sum of their cents / 100");
	unit_double_is(decimal_value_of(amounts, AMOUNTS, AMOUNTS), 495.501345,
				   "the 10,000 amounts: mean 495.501345");

	/* 10^scale * divisor >= 2^53: divided in two steps. */
	d.units = INT64_C(4503599627370496);
	d.scale = 0;
	unit_double_is(stats_decimal_value(&d, 0x1p53), 0.5, "2^52 / 2^53 = 0.5 (denominator 2^53)");
	d.units = 500000000;
	d.scale = 8;
	unit_double_is(stats_decimal_value(&d, 0x1p27), 0x5p-27,
				   "5.00000000 / 2^27 = 5 * 2^-27 (denominator 1e8 * 2^27)");
	/* 10 * 859455854349421312 is no double: dividing by it rounded gives 5.487656479145345e-08 */
	d.units = INT64_C(471639848766);
	d.scale = 1;
	unit_double_is(stats_decimal_value(&d, 859455854349421312.0), 5.4876564791453453e-08,
				   "47163984876.6 / 859455854349421312 = the exact quotient rounded once");
	/* Two roundings: within one unit in the last place of the exact quotient. */
	d.units = INT64_C(6630111601277253);
	d.scale = 3;
	unit_double_near(stats_decimal_value(&d, 366401013986907.0), 0.01809523267726048, 1,
					 "6630111601277.253 / 366401013986907 within 1 ulp (denominator 3.7e17)");
	d.units = INT64_C(3520969743866418);
	d.scale = 8;
	unit_double_near(stats_decimal_value(&d, 1e8), 0.3520969743866418, 1,
					 "35209697.43866418 / 1e8 within 1 ulp (denominator 1e16)");
}

/* ---------------------------------------------------------------------------------------------
 * stats_median_int64
 * ---------------------------------------------------------------------------------------------
 */

/* Half-way between lo <= hi rounded half to even, in integers (hi - lo must fit an int64). */
static int64_t
midpoint_half_even(int64_t lo, int64_t hi)
{
	uint64_t	d = (uint64_t) hi - (uint64_t) lo;
	uint64_t	half = d / 2;

	if (d % 2 == 1 && half % 2 == 1)
		half++;
	return (int64_t) ((uint64_t) lo + half);
}

static int
compare_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/* The median the slow way: sort a copy with qsort. */
static int64_t
reference_median(const int64_t *values, size_t n)
{
	int64_t    *sorted = malloc(n * sizeof(int64_t));
	int64_t		m;

	memcpy(sorted, values, n * sizeof(int64_t));
	qsort(sorted, n, sizeof(int64_t), compare_int64);
	m = n % 2 == 1 ? sorted[n / 2] : midpoint_half_even(sorted[n / 2 - 1], sorted[n / 2]);
	free(sorted);
	return m;
}

/* stats_median_int64 of a copy of values (it reorders them) */
static int64_t
median_of(const int64_t *values, size_t n)
{
	int64_t    *copy = malloc(n * sizeof(int64_t));
	int64_t		m;

	memcpy(copy, values, n * sizeof(int64_t));
	m = stats_median_int64(copy, n);
	free(copy);
	return m;
}

#define MEDIAN_IS(expected, ...) \
	do { \
		static const int64_t v_[] = {__VA_ARGS__}; \
		unit_int64_is(median_of(v_, LENGTH(v_)), (expected), "median of {%s} = %s", \
					  #__VA_ARGS__, #expected); \
	} while (0)

/* n values from the generator in [-range/2, range/2), and in the order given. */
static void
check_random_median(size_t n, uint64_t range, const char *order)
{
	int64_t    *values = malloc(n * sizeof(int64_t));

	for (size_t i = 0; i < n; i++)
		values[i] = (int64_t) (rng_next() % range) - (int64_t) (range / 2);
	if (strcmp(order, "ascending") == 0 || strcmp(order, "descending") == 0)
		qsort(values, n, sizeof(int64_t), compare_int64);
	if (strcmp(order, "descending") == 0)
		reverse(values, n, sizeof(int64_t));
	unit_int64_is(median_of(values, n), reference_median(values, n),
				  "median of %zu %s values in [-%" PRIu64 ", %" PRIu64 ") = qsort reference",
				  n, order, range / 2, range / 2);
	free(values);
}

static void
test_median(void)
{
	static const size_t sizes[] = {31, 32, 33, 34, 64, 65, 1000, 1001};

	unit_diag("stats_median_int64");

	MEDIAN_IS(42, 42);
	MEDIAN_IS(-7, -7);
	MEDIAN_IS(2, 3, 1, 2);
	MEDIAN_IS(-3, -5, -1, -3);
	/* even n: lo + rint((hi - lo) * 0.5), as percentile_cont(0.5) */
	MEDIAN_IS(1, 1, 2);
	MEDIAN_IS(1, 2, 1);
	MEDIAN_IS(2, 1, 3);
	MEDIAN_IS(3, 1, 4);
	MEDIAN_IS(3, 1, 6);
	MEDIAN_IS(2, 2, 3);
	MEDIAN_IS(4, 3, 5);
	MEDIAN_IS(-2, -2, -1);
	MEDIAN_IS(-2, -4, -1);
	MEDIAN_IS(-2, -4, 1);
	MEDIAN_IS(4, 9, 1, 7, 2);
	/* duplicates */
	MEDIAN_IS(5, 5, 5, 5, 5);
	MEDIAN_IS(2, 2, 1, 2, 1, 2);
	MEDIAN_IS(1, 1, 2, 1, 2);
	/* extremes whose difference fits an int64 */
	MEDIAN_IS(INT64_MAX, INT64_MAX);
	MEDIAN_IS(INT64_MIN, INT64_MIN);
	MEDIAN_IS(INT64_MAX - 1, INT64_MAX, INT64_MAX - 1);
	MEDIAN_IS(INT64_MIN + 2, INT64_MIN + 3, INT64_MIN);
	MEDIAN_IS(0, INT64_MAX, INT64_MIN, 0);
	MEDIAN_IS(INT64_C(4611686018427387904), 0, INT64_MAX);
	MEDIAN_IS(INT64_C(-4611686018427387904), -1, INT64_MIN);
	/*
	 * hi - lo above 2^53 is rounded to a double before halving, as interval_mul does in
	 * percentile_cont: (2^55 + 5) / 2 gives 2^54 + 4, not the exact half-even 2^54 + 2.
	 */
	MEDIAN_IS(INT64_C(18014398509481988), 0, INT64_C(36028797018963973));
	/* past the insertion-sort limit, with extremes a subtracting comparator gets wrong */
	MEDIAN_IS(0, INT64_MAX, INT64_MIN, 1, -1, INT64_MAX, INT64_MIN, 2, -2, INT64_MAX, INT64_MIN,
			  3, -3, INT64_MAX, INT64_MIN, 4, -4, INT64_MAX, INT64_MIN, 5, -5, INT64_MAX, INT64_MIN,
			  6, -6, INT64_MAX, INT64_MIN, 7, -7, INT64_MAX, INT64_MIN, 8, -8, 0);

	/* around the insertion-sort limit of 32 and well past it, in three orders */
	rng_seed(42);
	for (size_t i = 0; i < LENGTH(sizes); i++)
	{
		check_random_median(sizes[i], 2000000, "shuffled");
		check_random_median(sizes[i], 2000000, "ascending");
		check_random_median(sizes[i], 2000000, "descending");
	}
	/* many duplicates: values in [-5, 5) */
	check_random_median(100, 10, "shuffled");
	check_random_median(1000, 10, "shuffled");
	check_random_median(1001, 10, "shuffled");

	/* The reference itself, on the hand-worked cases above. */
	unit_ok(midpoint_half_even(1, 2) == 1 && midpoint_half_even(1, 4) == 3 &&
			midpoint_half_even(1, 6) == 3 && midpoint_half_even(2, 3) == 2 &&
			midpoint_half_even(-4, -1) == -2 && midpoint_half_even(INT64_MIN, -1) == INT64_MIN / 2,
			"test reference: the integer half-even midpoint");
}


/* ---------------------------------------------------------------------------------------------
 * stats_summation_of, stats_total_*
 * ---------------------------------------------------------------------------------------------
 */

static double
total_of(const double *values, size_t n, const stats_summation *s)
{
	stats_total t = {0};

	for (size_t i = 0; i < n; i++)
		stats_total_add(&t, s, values[i]);
	return stats_total_value(&t, s);
}

static void
test_summation(void)
{
	static const double two_tenths[] = {0.1, 0.2};
	static const double tenths[] = {0.1, 0.2, 0.3};
	static const double third[] = {1.0 / 3, 1.0 / 3, 1.0 / 3};
	/* the signed sum is 2^52, but the absolute values add up to 3 * 2^52 >= 2^53 */
	static const double swinging[] = {4503599627370496.0, -4503599627370496.0, 4503599627370496.0};
	stats_summation s;
	stats_total whole = {0};
	stats_total parts[10];
	int64_t		part_cents[10];
	int64_t		units = 0;
	bool		exact = true;

	unit_diag("stats_summation_of, stats_total_add, stats_total_minus, stats_total_value, stats_total_mean");

	s = stats_summation_of(NULL, 0);
	unit_ok(s.scale == 0 && total_of(NULL, 0, &s) == 0.0, "no values: scale 0, sum 0");
	s = stats_summation_of(mixed, LENGTH(mixed));
	unit_ok(s.scale == 2 && s.power == 100.0, "25.5, 890.44, 0.06, 1299.99, -12.5: scale 2");
	unit_double_is(total_of(mixed, LENGTH(mixed), &s), 2203.49,
				   "their sum is 2203.49 (compensated: 2203.4900000000002)");
	s = stats_summation_of(two_tenths, 2);
	unit_double_is(total_of(two_tenths, 2, &s), 0.3, "0.1 + 0.2 = 0.3 (compensated: 0.30000000000000004)");
	s = stats_summation_of(third, 3);
	unit_ok(s.scale == -1, "1/3 is no decimal: compensated sums");
	unit_double_is(total_of(third, 3, &s), sum_of(third, 3), "compensated: the stats_sum of the values");
	s = stats_summation_of(swinging, 3);
	unit_ok(s.scale == -1, "2^52, -2^52, 2^52: absolute values reach 2^53, compensated sums");
	unit_double_is(total_of(swinging, 3, &s), 4503599627370496.0, "and the sum is still 2^52");

	s = stats_summation_of(tenths, 3);
	{
		stats_total t = {0};

		for (size_t i = 0; i < 3; i++)
			stats_total_add(&t, &s, tenths[i]);
		unit_double_is(stats_total_mean(&t, &s, 3), 0.2, "mean of 0.1, 0.2, 0.3 = 0.2");
	}

	/* The 10,000 amounts in ten parts: each part exact, the parts add up to the whole. */
	make_amounts();
	s = stats_summation_of(amounts, AMOUNTS);
	unit_ok(s.scale == 2, "the 10,000 amounts: scale 2");
	for (int p = 0; p < 10; p++)
	{
		stats_total zero = {0};

		parts[p] = zero;
		part_cents[p] = 0;
		for (size_t i = p * AMOUNTS / 10; i < (size_t) (p + 1) * AMOUNTS / 10; i++)
		{
			stats_total_add(&parts[p], &s, amounts[i]);
			stats_total_add(&whole, &s, amounts[i]);
			part_cents[p] += (int64_t) llround(amounts[i] * 100);
		}
		exact = exact && stats_total_value(&parts[p], &s) == (double) part_cents[p] / 100;
		units += parts[p].units;
	}
	unit_ok(exact, "each tenth of the amounts is the sum of its cents / 100");
	unit_ok(units == whole.units && stats_total_value(&whole, &s) == (double) amounts_cents / 100,
			"the tenths add up to the whole, exactly");
	{
		stats_total rest = stats_total_minus(&whole, &parts[0], &s);

		unit_double_is(stats_total_value(&rest, &s), (double) (amounts_cents - part_cents[0]) / 100,
					   "whole minus the first tenth: exact");
	}

	/* Compensated differences keep what a plain subtraction loses. */
	{
		static const double big_and_small[] = {1e16, 1.0, 0.5};
		stats_total a = {0};
		stats_total b = {0};
		stats_total d;

		s = stats_summation_of(big_and_small, 3);
		stats_total_add(&a, &s, 1e16);
		stats_total_add(&a, &s, 1.0);
		stats_total_add(&a, &s, 0.5);
		stats_total_add(&b, &s, 1e16);
		d = stats_total_minus(&a, &b, &s);
		unit_ok(s.scale == -1, "1e16, 1, 0.5: 1e16 is 1e17 tenths, compensated sums");
		unit_double_is(stats_total_value(&d, &s), 1.5, "(1e16 + 1 + 0.5) - 1e16 = 1.5 (plain: 2)");
	}
}

/* ---------------------------------------------------------------------------------------------
 * stats_percentile_cont_sorted
 * ---------------------------------------------------------------------------------------------
 */
static void
test_percentile(void)
{
	static const double tens[] = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
	static const double tenths[] = {0.1, 0.2, 0.7};
	static const double one[] = {42};

	unit_diag("stats_percentile_cont_sorted (expected values: PostgreSQL 15's percentile_cont)");
	unit_double_is(stats_percentile_cont_sorted(tens, 10, 0.9), 91, "p90 of 10..100 = 91");
	unit_double_is(stats_percentile_cont_sorted(tens, 10, 0.1), 19, "p10 of 10..100 = 19");
	unit_double_is(stats_percentile_cont_sorted(tens, 10, 0.7), 73, "p70 of 10..100 = 73");
	unit_double_is(stats_percentile_cont_sorted(tens, 10, 0), 10, "p0 = the smallest");
	unit_double_is(stats_percentile_cont_sorted(tens, 10, 1), 100, "p100 = the largest");
	unit_double_is(stats_percentile_cont_sorted(tenths, 3, 0.3), 0.16, "p30 of 0.1, 0.2, 0.7 = 0.16");
	unit_double_is(stats_percentile_cont_sorted(one, 1, 0.5), 42, "one value: every percentile is it");
}

/*
 * stats_percentiles_cont against sorting: n values in [0, range) (few distinct values when the
 * range is small: the ties of customer data), in the order given, at the cut points of `bins`
 * bins; every percentile must be bit-identical to the sorted computation.
 */
static int
compare_double_asc(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

static void
check_percentiles(size_t n, uint64_t range, const char *order, int bins)
{
	double	   *values = malloc(n * sizeof(double));
	double	   *sorted = malloc(n * sizeof(double));
	double		ps[STATS_MAX_PERCENTILES];
	double		out[STATS_MAX_PERCENTILES];
	bool		same = true;

	for (size_t i = 0; i < n; i++)
		values[i] = (double) (rng_next() % range) / 4;
	if (strcmp(order, "ascending") == 0 || strcmp(order, "descending") == 0)
		qsort(values, n, sizeof(double), compare_double_asc);
	if (strcmp(order, "descending") == 0)
		reverse(values, n, sizeof(double));
	memcpy(sorted, values, n * sizeof(double));
	qsort(sorted, n, sizeof(double), compare_double_asc);
	for (int i = 1; i < bins; i++)
		ps[i - 1] = (double) i / bins;
	stats_percentiles_cont(values, n, ps, bins - 1, out);
	for (int j = 0; j < bins - 1; j++)
		if (memcmp(&out[j], &(double) {stats_percentile_cont_sorted(sorted, n, ps[j])}, sizeof(double)) != 0)
			same = false;
	qsort(values, n, sizeof(double), compare_double_asc);
	unit_ok(same && memcmp(values, sorted, n * sizeof(double)) == 0,
			"percentiles of %zu %s values in [0, %" PRIu64 "/4), %d bins = the sorted ones, multiset kept",
			n, order, range, bins);
	free(values);
	free(sorted);
}

static void
test_percentiles_by_selection(void)
{
	static const double one[] = {42};
	double		v[] = {5, 1, 4, 2, 3};
	double		ps[] = {0.25, 0.5, 0.9};
	double		out[3];
	double		single[1] = {42};
	double		p_half = 0.5;

	unit_diag("stats_percentiles_cont (selection) = sort + stats_percentile_cont_sorted");
	stats_percentiles_cont(v, 5, ps, 3, out);
	unit_ok(out[0] == 2 && out[1] == 3 && out[2] == 4.6, "p25, p50, p90 of 5, 1, 4, 2, 3 = 2, 3, 4.6");
	stats_percentiles_cont(single, 1, &p_half, 1, out);
	unit_double_is(out[0], one[0], "one value: every percentile is it");
	check_percentiles(1000, 4, "shuffled", 5);		/* four distinct values */
	check_percentiles(1000, 1, "shuffled", 5);		/* all equal */
	check_percentiles(1001, 2, "shuffled", 10);		/* two values */
	check_percentiles(100000, 1000000, "shuffled", 5);
	check_percentiles(100000, 1000000, "ascending", 5);
	check_percentiles(100000, 1000000, "descending", 100);
	check_percentiles(100000, 30, "shuffled", 100);
	check_percentiles(33, 1000, "shuffled", 100);	/* more bins than values */
	check_percentiles(2, 1000, "shuffled", 2);
}

/* ---------------------------------------------------------------------------------------------
 * stats_gini_sorted
 * ---------------------------------------------------------------------------------------------
 */
static void
test_gini(void)
{
	static const double equal[] = {7, 7, 7};
	static const double one_holds_all[] = {0, 0, 1};
	static const double one_to_four[] = {1, 2, 3, 4};
	static const double one[] = {5};
	static const double huge[] = {DBL_MAX / 2, DBL_MAX};
	static const double tiny[] = {4.9406564584124654e-324, 9.8813129168249309e-324};
	double		near[1000];
	long double n = 1000;
	long double s = 0;

	unit_diag("stats_gini_sorted");
	unit_double_is(stats_gini_sorted(equal, 3), 0.0, "equal values: 0");
	unit_double_is(stats_gini_sorted(one, 1), 0.0, "one value: 0");
	unit_double_is(stats_gini_sorted(one_holds_all, 3), 2.0 / 3, "0, 0, 1: (n - 1) / n = 2/3");
	unit_double_is(stats_gini_sorted(one_to_four, 4), 0.25,
				   "1, 2, 3, 4: pair differences add up to 10, over n * sum = 40");
	unit_double_near(stats_gini_sorted(huge, 2), 1.0 / 6, 2, "DBL_MAX / 2, DBL_MAX: 1/6, no overflow");
	unit_double_near(stats_gini_sorted(tiny, 2), 1.0 / 6, 2, "the two smallest subnormals: 1/6");

	/*
	 * 1000 nearly equal values 1e6 + u, u random in [0, 1e-3), sorted: against the definition,
	 * the sum of the differences of all pairs (exact here) over n * sum, in long double with
	 * compensation.  The textbook sum of (2i - n - 1) v_i loses about 7 of its 16 digits to
	 * cancellation here.
	 */
	rng_seed(99);
	for (int k = 0; k < 1000; k++)
		near[k] = 1e6 + (double) rng_next() / 2147483648.0 * 1e-3;
	qsort(near, 1000, sizeof(double), compare_double);
	{
		long double pairs = 0;
		long double c = 0;

		for (int i = 0; i < 1000; i++)
		{
			s += near[i];
			for (int j = i + 1; j < 1000; j++)
			{
				long double y = (long double) (near[j] - near[i]) - c;
				long double t = pairs + y;

				c = (t - pairs) - y;
				pairs = t;
			}
		}
		unit_double_near(stats_gini_sorted(near, 1000), (double) (pairs / (n * s)), 4,
						 "1000 values 1e6 + u, u in [0, 0.001): within 4 ulp of the pair differences");
	}
}

/* ---------------------------------------------------------------------------------------------
 * stats_natural_breaks
 * ---------------------------------------------------------------------------------------------
 */

/* The cost of a split the slow way: each run's present points, mean, squared deviations. */
static double
reference_split_cost(const double *x, const bool *present, int n, const int *last, int groups)
{
	double		total = 0;
	int			from = 0;

	for (int g = 0; g < groups; g++)
	{
		long double sum = 0;
		long double squares = 0;
		int			count = 0;

		for (int i = from; i <= last[g]; i++)
			if (present[i])
			{
				sum += x[i];
				count++;
			}
		for (int i = from; count > 0 && i <= last[g]; i++)
			if (present[i])
				squares += (x[i] - sum / count) * (x[i] - sum / count);
		total += (double) squares;
		from = last[g] + 1;
	}
	(void) n;
	return total;
}

/*
 * Every split of n points into groups runs, by brute force: the minimal cost, how many splits
 * reach it to within 1e-12 relative, and the first of them in the order of stats_natural_breaks'
 * tie rule (the first run shortest, then the second...).
 */
static double
brute_force_breaks(const double *x, const bool *present, int n, int groups, int *best_last,
				   int *optimal_splits)
{
	int			last[16];
	double		best = INFINITY;
	double		costs[1 << 12];
	int			ncosts = 0;

	/* splits as bit masks of n - 1 possible cuts, in the order of the tie rule */
	for (int g = 0; g < groups; g++)
		last[g] = g;
	for (;;)
	{
		double		c;

		last[groups - 1] = n - 1;
		c = reference_split_cost(x, present, n, last, groups);
		costs[ncosts++] = c;
		if (c < best)
		{
			best = c;
			memcpy(best_last, last, sizeof(int) * groups);
		}
		/* next split: advance the last movable boundary, lexicographically */
		{
			int			g = groups - 2;

			while (g >= 0 && last[g] >= n - 1 - (groups - 1 - g))
				g--;
			if (g < 0)
				break;
			last[g]++;
			for (int h = g + 1; h < groups - 1; h++)
				last[h] = last[h - 1] + 1;
		}
	}
	*optimal_splits = 0;
	for (int i = 0; i < ncosts; i++)
		if (costs[i] <= best + 1e-12 * (best > 1 ? best : 1))
			(*optimal_splits)++;
	return best;
}

static void
check_breaks(const double *x, const bool *present, int n, int groups, const char *what)
{
	double		work[STATS_NATURAL_BREAKS_WORK(12, 12)];
	int			last[12];
	int			expected_last[12];
	int			optimal;
	double		cost = stats_natural_breaks(x, present, n, groups, last, work);
	double		expected = brute_force_breaks(x, present, n, groups, expected_last, &optimal);
	bool		same_split = memcmp(last, expected_last, sizeof(int) * groups) == 0;
	bool		ok = fabs(cost - expected) <= 1e-12 * (expected > 1 ? expected : 1) &&
		fabs(reference_split_cost(x, present, n, last, groups) - expected) <= 1e-12 * (expected > 1 ? expected : 1) &&
		(optimal > 1 || same_split);

	unit_ok(ok, "natural breaks of %s into %d: the brute-force minimum%s", what, groups,
			optimal > 1 ? " (several splits reach it)" : ", the same split");
	if (!ok)
		printf("#   cost %.17g, brute force %.17g (%d optimal splits)\n", cost, expected, optimal);
}

static void
test_natural_breaks(void)
{
	static const double five[] = {10, 9, 1, 1.5, 0};
	static const bool all[12] = {true, true, true, true, true, true, true, true, true, true, true, true};
	static const double equal[] = {5, 5, 5, 5};
	static const double with_gap[] = {10, NAN, 1, 1};
	static const bool gap_present[] = {true, false, true, true};
	double		work[STATS_NATURAL_BREAKS_WORK(12, 12)];
	double		random[12];
	int			last[12];
	double		cost;

	unit_diag("stats_natural_breaks");

	cost = stats_natural_breaks(five, all, 5, 2, last, work);
	unit_ok(last[0] == 1 && last[1] == 4, "10, 9 | 1, 1.5, 0");
	unit_double_near(cost, 0.5 + (1.0 / 6 * 1.0 / 6 + 4.0 / 6 * 4.0 / 6 + 5.0 / 6 * 5.0 / 6), 2,
					 "cost 0.5 + 25/18");
	cost = stats_natural_breaks(five, all, 5, 1, last, work);
	unit_ok(last[0] == 4, "one group: all the points");
	cost = stats_natural_breaks(five, all, 5, 5, last, work);
	unit_ok(cost == 0 && last[0] == 0 && last[1] == 1 && last[2] == 2 && last[3] == 3 && last[4] == 4,
			"as many groups as points: one point each, cost 0");
	cost = stats_natural_breaks(equal, all, 4, 2, last, work);
	unit_ok(cost == 0 && last[0] == 0 && last[1] == 3, "equal points: cost 0, the first run shortest");
	cost = stats_natural_breaks(with_gap, gap_present, 4, 2, last, work);
	unit_ok(cost == 0 && last[0] == 0 && last[1] == 3,
			"an absent point (its x is NaN) costs nothing and is never read: 10 | -, 1, 1");
	cost = stats_natural_breaks(with_gap, gap_present, 4, 3, last, work);
	unit_ok(cost == 0 && last[0] == 0 && last[1] == 1 && last[2] == 3,
			"three runs: 10 | - | 1, 1 (the absent point alone, cost 0)");

	/* Random points against the brute force, every group count. */
	rng_seed(16);
	for (int trial = 0; trial < 4; trial++)
	{
		for (int i = 0; i < 12; i++)
			random[i] = trial == 3 ? (double) (rng_next() % 3) : (double) (rng_next() % 100000) / 100;
		for (int groups = 1; groups <= 12; groups++)
			check_breaks(random, all, 12, groups, trial == 3 ? "12 points of 0, 1, 2" : "12 random points");
	}
}

/* A decimal sum continued block by block equals one pass, across a change of scale too. */
static void
test_decimal_add(void)
{
	const double values[] = {25, 10.5, 3, 0.25, 7.125, 100};
	stats_decimal one;
	stats_decimal blocks = {0, 0};
	bool		ok = stats_decimal_sum(values, 6, &one);

	ok = ok && stats_decimal_add(&blocks, values, 2);		/* 25, 10.5: scale 1 */
	ok = ok && stats_decimal_add(&blocks, values + 2, 3);	/* 3, 0.25, 7.125: scale 3 */
	ok = ok && stats_decimal_add(&blocks, values + 5, 1);
	unit_ok(ok, "decimal sum in blocks: every block is decimal");
	unit_int64_is(blocks.units, one.units, "decimal sum in blocks: the units of one pass (145875)");
	unit_int64_is(blocks.scale, one.scale, "decimal sum in blocks: the scale of one pass (3)");
	unit_int64_is(blocks.units, 145875, "decimal sum in blocks: 145.875 at scale 3");
	blocks.units = 0;
	blocks.scale = 0;
	unit_ok(!stats_decimal_add(&blocks, (const double[]) {0.1, 1e-9}, 2),
			"decimal sum in blocks: a value of more than 8 decimals ends it");
}

/*
 * Slopes.  Expected values by hand: y = 3 + 2x over x = 0..4 has slope exactly 2; a series
 * 10, 0, 0, 0 (one value at the start of four) has sum((x - 1.5) y) = -15 over
 * sum((x - 1.5)^2) = 5: -3; the sparse form must give the dense form's numbers.
 */
static void
test_slopes(void)
{
	const double line[] = {3, 5, 7, 9, 11};
	const double dense[] = {10, 0, 0, 0};
	const double month_values[] = {4, 6, 5};
	const int64_t month_positions[] = {0, 0, 3};	/* 10 in month 0, 5 in month 3 */
	const double month_dense[] = {10, 0, 0, 5};
	int64_t		positions[200];
	double		values[200];
	double		series[400];

	unit_double_is(stats_slope_indexed(line, 5), 2, "indexed slope of a straight line");
	unit_double_is(stats_slope_indexed(dense, 4), -3, "indexed slope of one value then zeros");
	unit_double_is(stats_slope_indexed((const double[]) {7, 7}, 2), 0, "indexed slope of equal values");
	unit_double_is(stats_slope_sparse((const int64_t[]) {0}, (const double[]) {10}, 1, 4), -3,
				   "sparse slope: one value then three empty positions");
	unit_double_is(stats_slope_sparse(month_positions, month_values, 3, 4),
				   stats_slope_indexed(month_dense, 4),
				   "sparse slope: values at one position add up (-1.5)");
	unit_double_is(stats_slope_sparse(month_positions, month_values, 3, 4), -1.5,
				   "sparse slope: 10, 0, 0, 5 by hand");
	unit_double_is(stats_slope_sparse(NULL, NULL, 0, 5), 0, "sparse slope of no values: 0");

	/*
	 * a long series, every other position empty: dense and sparse agree to 1e-12 relative
	 * (4096 ulps; the dense form sums without compensation and drifts a few hundred ulps)
	 */
	rng_seed(19);
	for (int i = 0; i < 200; i++)
	{
		positions[i] = 2 * i + 1;
		values[i] = (double) (rng_next() % 100000) / 100;
	}
	for (int i = 0; i < 400; i++)
		series[i] = i % 2 == 1 ? values[i / 2] : 0;
	unit_double_near(stats_slope_sparse(positions, values, 200, 400),
					 stats_slope_indexed(series, 400), 4096,
					 "sparse slope of 200 values over 400 positions = dense slope");
}

int
main(void)
{
	test_sum();
	test_sum_mean();
	test_decimal_sum();
	test_decimal_add();
	test_decimal_value();
	test_median();
	test_summation();
	test_percentile();
	test_percentiles_by_selection();
	test_gini();
	test_natural_breaks();
	test_slopes();
	return unit_done();
}
