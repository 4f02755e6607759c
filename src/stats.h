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
/* Continues a decimal sum (start from {0, 0}) with n more values, so a caller can sum in blocks. */
extern bool stats_decimal_add(stats_decimal *sum, const double *values, size_t n);
extern double stats_decimal_value(const stats_decimal *d, double divisor);

/*
 * Sums of many parts of one array: the bands of a sorted array, the values above a threshold.
 * How the array's values are summed is decided once, for the whole array, by
 * stats_summation_of: when every value is the double nearest to a decimal of at most 8 places
 * (as stats_decimal_sum asks) and their absolute values add up to less than 2^53 units of the
 * common scale, the sum of any of them is an exact count of units, rounded once when read: each
 * part is the double nearest to its exact decimal sum, and parts add up to the whole exactly.
 * Otherwise the sums are compensated.  A part is a stats_total that starts at zero ({0}) and
 * takes values of that array only.
 */
typedef struct stats_summation
{
	int			scale;			/* the common decimal scale, or -1: compensated sums */
	double		power;			/* 10^scale */
} stats_summation;

typedef struct stats_total
{
	int64_t		units;			/* decimal sums: the sum in units of 10^-scale */
	stats_sum	sum;			/* compensated sums */
} stats_total;

extern stats_summation stats_summation_of(const double *values, size_t n);

static inline void
stats_total_add(stats_total *t, const stats_summation *s, double v)
{
	if (s->scale >= 0)
		t->units += (int64_t) rint(v * s->power);	/* exact: the summation checked v */
	else
		stats_sum_add(&t->sum, v);
}

/* a - b, exact for decimal sums. */
extern stats_total stats_total_minus(const stats_total *a, const stats_total *b,
									 const stats_summation *s);

/* The sum, rounded once for decimal sums; not finite when a compensated sum overflowed. */
extern double stats_total_value(const stats_total *t, const stats_summation *s);

/* The sum divided by count > 0, rounded once for decimal sums (as stats_decimal_value). */
extern double stats_total_mean(const stats_total *t, const stats_summation *s, double count);

/*
 * percentile_cont(p) of n >= 1 values sorted ascending, 0 <= p <= 1, computed as PostgreSQL
 * computes it for float8: the values at floor and ceil of p * (n - 1) (from 0), interpolated
 * as lo + (p * (n - 1) - floor) * (hi - lo).
 */
extern double stats_percentile_cont_sorted(const double *values, size_t n, double p);

/*
 * percentile_cont(ps[j]) of n >= 1 unsorted values (no NaN), for k <= STATS_MAX_PERCENTILES
 * ascending ps, into out[j]:
 * the same numbers as sorting and stats_percentile_cont_sorted, found by selection (O(n log k)
 * on average, a sort of the range at worst) instead of a full sort.  Reorders the values (their
 * multiset is unchanged).
 */
#define STATS_MAX_PERCENTILES 128
extern void stats_percentiles_cont(double *values, size_t n, const double *ps, int k, double *out);

/*
 * The Gini coefficient of n >= 1 values sorted ascending, each >= 0 and not all 0:
 * G = sum over i of (2i - n - 1) v_i / (n * sum of v), i counted from 1: the mean absolute
 * difference of all ordered pairs over twice the mean, without a small-sample correction (0 when
 * all values are equal, (n - 1) / n when one value holds everything).  Computed as the equal
 * sum over k of k (n - k) (v_{k+1} - v_k) / (n * sum of v), whose terms are all >= 0: no
 * cancellation, so nearly equal values still give a few units in the last place of accuracy.
 * The values are scaled by a power of two first (exactly), so that no sum overflows.
 */
extern double stats_gini_sorted(const double *values, size_t n);

/*
 * Fisher's exact natural breaks.  Splits the n points x[0..n) into `groups` runs of consecutive
 * points (1 <= groups <= n), minimising the sum over runs of the squared deviations of the
 * run's points from the run's mean.  A point with present[i] false is no observation: it
 * belongs to a run but costs nothing and moves no mean (a run of such points costs 0).  Writes
 * the index of each run's last point to last[0..groups) and returns the minimal cost.  Among
 * splits of equal cost the first run is as short as possible, then the second, and so on.
 * work holds STATS_NATURAL_BREAKS_WORK(n, groups) doubles.
 */
#define STATS_NATURAL_BREAKS_WORK(n, groups) \
	((size_t) (n) * (size_t) (n) + 2 * ((size_t) (groups) + 1) * ((size_t) (n) + 1))
extern double stats_natural_breaks(const double *x, const bool *present, int n, int groups,
								   int *last, double *work);

/*
 * Median of n int64 values (n >= 1): for even n, lo + (hi - lo) * 0.5 of the two middle ones,
 * rounded half to even, as percentile_cont(0.5) computes it for intervals.  The difference of
 * the middle values must fit an int64.  Reorders values.
 */
extern int64_t stats_median_int64(int64_t *values, size_t n);

/* The same median of n values already in ascending order (callers that sort them themselves). */
extern int64_t stats_median_sorted_int64(const int64_t *sorted, size_t n);

/*
 * Least-squares slopes, as regr_slope(y, x) computes them (to rounding), in the centred form
 * sum((x - mean x) * y) / sum((x - mean x)^2), which loses nothing to cancellation.
 *
 * stats_slope_indexed: the slope of y[0..n) over x = 0, 1, ..., n - 1 (n >= 2).
 *
 * stats_slope_sparse: the slope over the length >= 2 points x = 0, 1, ..., length - 1 whose y
 * is the sum of the values[i] with positions[i] = x (0 <= positions[i] < length), and 0 where
 * no value falls: a monthly series with empty months, from its non-empty entries alone, in
 * O(n) whatever the length.  The numerator is a compensated sum; the denominator,
 * length (length^2 - 1) / 12, has a closed form.
 */
extern double stats_slope_indexed(const double *y, size_t n);
extern double stats_slope_sparse(const int64_t *positions, const double *values, size_t n,
								 int64_t length);

#endif							/* PROFILING_STATS_H */
