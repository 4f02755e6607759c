/*
 * stats.c
 *	  Pure numeric helpers (see stats.h).
 */
#include <math.h>
#include <stdlib.h>

#include "stats.h"

stats_sum
stats_sum_of(const double *values, size_t n)
{
	stats_sum	s = {0.0, 0.0};

	for (size_t i = 0; i < n; i++)
		stats_sum_add(&s, values[i]);
	return s;
}

#define DECIMAL_MAX_SCALE 8
#define EXACT_INTEGER_LIMIT 9007199254740992.0	/* 2^53: doubles hold every integer below */

static const double powers_of_ten[DECIMAL_MAX_SCALE + 1] =
{1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};

/* Is v the double nearest to k / 10^scale for an integer k (returned in *k)? */
static bool
decimal_units(double v, int scale, int64_t *k)
{
	double		scaled = rint(v * powers_of_ten[scale]);

	if (!(fabs(scaled) < EXACT_INTEGER_LIMIT) || scaled / powers_of_ten[scale] != v)
		return false;
	*k = (int64_t) scaled;
	return true;
}

bool
stats_decimal_sum(const double *values, size_t n, stats_decimal *result)
{
	int			scale = 0;
	int64_t		units = 0;
	int64_t		k;

	/*
	 * One pass at the smallest scale seen so far.  A value with more decimals raises the scale:
	 * the sum so far is rescaled (k / 10^s is k * 10^d / 10^(s + d), exactly), so no value is
	 * read twice and the pass stays one pass however the scales are mixed.
	 */
	for (size_t i = 0; i < n; i++)
	{
		while (!decimal_units(values[i], scale, &k))
		{
			if (++scale > DECIMAL_MAX_SCALE ||
				__builtin_mul_overflow(units, (int64_t) 10, &units) ||
				!(fabs((double) units) < EXACT_INTEGER_LIMIT))
				return false;
		}
		if (__builtin_add_overflow(units, k, &units) ||
			!(fabs((double) units) < EXACT_INTEGER_LIMIT))
			return false;
	}
	result->units = units;
	result->scale = scale;
	return true;
}

/* The decimal sum divided by divisor (1 for the sum, n for the mean), rounded once when exact. */
double
stats_decimal_value(const stats_decimal *d, double divisor)
{
	double		denominator = powers_of_ten[d->scale] * divisor;

	/* units and denominator are exact doubles, so one correctly rounded division */
	if (denominator < EXACT_INTEGER_LIMIT)
		return (double) d->units / denominator;
	return ((double) d->units / powers_of_ten[d->scale]) / divisor;
}

static int
compare_int64(const void *a, const void *b)
{
	int64_t		x = *(const int64_t *) a;
	int64_t		y = *(const int64_t *) b;

	return (x > y) - (x < y);
}

/* Sorting a few values in place: most customers have a few dozen orders, not thousands. */
#define INSERTION_SORT_LIMIT 32

static void
insertion_sort_int64(int64_t *values, size_t n)
{
	for (size_t i = 1; i < n; i++)
	{
		int64_t		v = values[i];
		size_t		j = i;

		for (; j > 0 && values[j - 1] > v; j--)
			values[j] = values[j - 1];
		values[j] = v;
	}
}

int64_t
stats_median_int64(int64_t *values, size_t n)
{
	if (n <= INSERTION_SORT_LIMIT)
		insertion_sort_int64(values, n);
	else
		qsort(values, n, sizeof(int64_t), compare_int64);
	return stats_median_sorted_int64(values, n);
}

int64_t
stats_median_sorted_int64(const int64_t *sorted, size_t n)
{
	int64_t		lo,
				hi;

	if (n % 2 == 1)
		return sorted[n / 2];
	lo = sorted[n / 2 - 1];
	hi = sorted[n / 2];
	/* lo + (hi - lo) * 0.5 rounded half to even, as percentile_cont(0.5) computes it */
	return lo + (int64_t) rint((double) (hi - lo) * 0.5);
}
