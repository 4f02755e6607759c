/*
 * stats.h
 *	  Small numeric building blocks shared by every capability.  Pure C: no PostgreSQL headers,
 *	  so they are unit-tested on their own: test/unit/test_stats.c (run by test/unit/run.sh, part
 *	  of make test).
 */
#ifndef PROFILING_STATS_H
#define PROFILING_STATS_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Compensated (Neumaier) sum.  Sums of money amounts stored as float8 stay within one rounding
 * of the exact sum whatever the order or count of the terms, so totals agree with the exact
 * numeric sum of the same amounts to the last digit in practice.
 */
typedef struct stats_sum
{
	double		sum;
	double		compensation;
} stats_sum;

static inline void
stats_sum_add(stats_sum *s, double x)
{
	double		t = s->sum + x;

	if ((s->sum >= 0 ? s->sum : -s->sum) >= (x >= 0 ? x : -x))
		s->compensation += (s->sum - t) + x;
	else
		s->compensation += (x - t) + s->sum;
	s->sum = t;
}

static inline double
stats_sum_result(const stats_sum *s)
{
	return s->sum + s->compensation;
}

/* The compensated sum divided by n, rounding once (the mean of amounts 0.1, 0.2, 0.3 is 0.2). */
static inline double
stats_sum_mean(const stats_sum *s, double n)
{
	double		q = s->sum / n;
	double		r = fma(-q, n, s->sum) + s->compensation;

	return q + r / n;
}

extern stats_sum stats_sum_of(const double *values, size_t n);

/*
 * Exact decimal sums.  Money amounts arrive as float8 conversions of decimals (25.5, 890.44):
 * when every value is the double nearest to k / 10^scale for an integer k (scale <= 8), the
 * k are summed exactly as integers and the result is rounded once, so the total is the double
 * nearest to the exact decimal sum, as sum(numeric)::float8 gives.  Returns false (and the
 * caller falls back to the compensated sum) when a value is not such a decimal or the integers
 * would exceed 2^53.
 */
typedef struct stats_decimal
{
	int64_t		units;			/* the sum in units of 10^-scale */
	int			scale;
} stats_decimal;

extern bool stats_decimal_sum(const double *values, size_t n, stats_decimal *result);
extern double stats_decimal_value(const stats_decimal *d, double divisor);

/*
 * Median of n int64 values (n >= 1): for even n, lo + (hi - lo) * 0.5 of the two middle ones,
 * rounded half to even, as percentile_cont(0.5) computes it for intervals.  The difference of
 * the middle values must fit an int64.  Reorders values.
 */
extern int64_t stats_median_int64(int64_t *values, size_t n);

/* The same median of n values already in ascending order (callers that sort them themselves). */
extern int64_t stats_median_sorted_int64(const int64_t *sorted, size_t n);

#endif							/* PROFILING_STATS_H */
