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

/*
 * The common scale of values[0..n) and the sum of their units at it (of their absolute values
 * when `absolute`), continuing from *scale_out and *units_out (0 and 0 for a new sum): false
 * when a value is no decimal of at most DECIMAL_MAX_SCALE places, or the units reach 2^53.
 */
static bool
decimal_scale(const double *values, size_t n, bool absolute, int *scale_out, int64_t *units_out)
{
	int			scale = *scale_out;
	int64_t		units = *units_out;
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
		if (absolute && k < 0)
			k = -k;
		if (__builtin_add_overflow(units, k, &units) ||
			!(fabs((double) units) < EXACT_INTEGER_LIMIT))
			return false;
	}
	*scale_out = scale;
	*units_out = units;
	return true;
}

bool
stats_decimal_sum(const double *values, size_t n, stats_decimal *result)
{
	result->scale = 0;
	result->units = 0;
	return decimal_scale(values, n, false, &result->scale, &result->units);
}

bool
stats_decimal_add(stats_decimal *sum, const double *values, size_t n)
{
	return decimal_scale(values, n, false, &sum->scale, &sum->units);
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

/* ---------------------------------------------------------------------------------------------
 * Sums of many parts of one array
 * ---------------------------------------------------------------------------------------------
 */

stats_summation
stats_summation_of(const double *values, size_t n)
{
	stats_summation s = {-1, 1.0};
	int64_t		units = 0;
	int			scale = 0;

	/* bounding the sum of |units| bounds every partial sum, and every difference of two */
	if (decimal_scale(values, n, true, &scale, &units))
	{
		s.scale = scale;
		s.power = powers_of_ten[scale];
	}
	return s;
}

stats_total
stats_total_minus(const stats_total *a, const stats_total *b, const stats_summation *s)
{
	stats_total r = {0, {0.0, 0.0}};

	if (s->scale >= 0)
		r.units = a->units - b->units;
	else
	{
		r.sum = a->sum;
		stats_sum_add(&r.sum, -b->sum.sum);
		stats_sum_add(&r.sum, -b->sum.compensation);
	}
	return r;
}

double
stats_total_value(const stats_total *t, const stats_summation *s)
{
	if (s->scale >= 0)
		return (double) t->units / s->power;
	return stats_sum_result(&t->sum);
}

double
stats_total_mean(const stats_total *t, const stats_summation *s, double count)
{
	if (s->scale >= 0)
	{
		stats_decimal d = {t->units, s->scale};

		return stats_decimal_value(&d, count);
	}
	return stats_sum_mean(&t->sum, count);
}

/* ---------------------------------------------------------------------------------------------
 * Percentiles, Gini, natural breaks
 * ---------------------------------------------------------------------------------------------
 */

double
stats_percentile_cont_sorted(const double *values, size_t n, double p)
{
	double		position = p * (double) (n - 1);
	double		first = floor(position);
	double		lo = values[(size_t) first];
	double		hi = values[(size_t) ceil(position)];

	/* PostgreSQL's float8_lerp: lo + pct * (hi - lo) */
	return lo + ((position - first) * (hi - lo));
}

static int
compare_double(const void *a, const void *b)
{
	double		x = *(const double *) a;
	double		y = *(const double *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/*
 * Puts the ranks[0..k-1] (ascending) of values[lo..hi) in place: each values[r] the value a sort
 * would put there.  Three-way partitions around a median-of-three pivot, so that the many ties
 * of customer data (order counts) end a partition at once; below a small size, or when the
 * depth budget runs out (an adversarial input), sorts the range instead.
 */
static void
select_ranks(double *values, size_t lo, size_t hi, const size_t *ranks, int k, int depth)
{
	while (k > 0 && hi - lo > 1)
	{
		double		a, b, c, pivot;
		size_t		lt, gt, i;
		int			below, equal;

		if (hi - lo <= INSERTION_SORT_LIMIT || depth <= 0)
		{
			qsort(values + lo, hi - lo, sizeof(double), compare_double);
			return;
		}
		depth--;
		a = values[lo];
		b = values[lo + (hi - lo) / 2];
		c = values[hi - 1];
		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		/* [lo, lt) < pivot, [lt, i) = pivot, (gt, hi) > pivot */
		lt = lo;
		i = lo;
		gt = hi;
		while (i < gt)
		{
			double		v = values[i];

			if (v < pivot)
			{
				values[i++] = values[lt];
				values[lt++] = v;
			}
			else if (v > pivot)
			{
				values[i] = values[--gt];
				values[gt] = v;
			}
			else
				i++;
		}
		for (below = 0; below < k && ranks[below] < lt; below++)
			;
		for (equal = below; equal < k && ranks[equal] < gt; equal++)
			;
		/* the ranks in [lt, gt) hold the pivot already; recurse on the smaller side */
		if (below < k - equal)
		{
			select_ranks(values, lo, lt, ranks, below, depth);
			ranks += equal;
			k -= equal;
			lo = gt;
		}
		else
		{
			select_ranks(values, gt, hi, ranks + equal, k - equal, depth);
			k = below;
			hi = lt;
		}
	}
}

void
stats_percentiles_cont(double *values, size_t n, const double *ps, int k, double *out)
{
	size_t		ranks[2 * STATS_MAX_PERCENTILES] = {0};
	int			nranks = 0;
	int			depth = 2;

	for (size_t m = n; m > 1; m >>= 1)
		depth += 2;
	/* the positions floor and ceil of p * (n - 1), ascending without repeats */
	for (int j = 0; j < k; j++)
	{
		double		position = ps[j] * (double) (n - 1);
		size_t		floor_rank = (size_t) floor(position);
		size_t		ceil_rank = (size_t) ceil(position);

		if (nranks == 0 || ranks[nranks - 1] < floor_rank)
			ranks[nranks++] = floor_rank;
		if (ranks[nranks - 1] < ceil_rank)
			ranks[nranks++] = ceil_rank;
	}
	select_ranks(values, 0, n, ranks, nranks, depth);
	for (int j = 0; j < k; j++)
		out[j] = stats_percentile_cont_sorted(values, n, ps[j]);
}

double
stats_gini_sorted(const double *values, size_t n)
{
	int			exponent = ilogb(values[n - 1]);
	stats_sum	differences = {0.0, 0.0};
	stats_sum	total = {0.0, 0.0};
	double		previous = ldexp(values[0], -exponent);

	stats_sum_add(&total, previous);
	for (size_t k = 1; k < n; k++)
	{
		double		v = ldexp(values[k], -exponent);

		/* v - previous >= 0: the pairs that span the gap between the k-th and next value */
		stats_sum_add(&differences, (double) k * (double) (n - k) * (v - previous));
		stats_sum_add(&total, v);
		previous = v;
	}
	return stats_sum_result(&differences) / ((double) n * stats_sum_result(&total));
}

/* The squared deviations from their mean of the present points among x[from..to]. */
static double
run_cost(const double *x, const bool *present, int from, int to)
{
	stats_sum	sum = {0.0, 0.0};
	stats_sum	squares = {0.0, 0.0};
	int			count = 0;
	double		mean;

	for (int i = from; i <= to; i++)
		if (present[i])
		{
			stats_sum_add(&sum, x[i]);
			count++;
		}
	if (count == 0)
		return 0.0;
	mean = stats_sum_mean(&sum, count);
	for (int i = from; i <= to; i++)
		if (present[i])
			stats_sum_add(&squares, (x[i] - mean) * (x[i] - mean));
	return stats_sum_result(&squares);
}

double
stats_natural_breaks(const double *x, const bool *present, int n, int groups, int *last,
					 double *work)
{
	/* cost[i * n + j]: run x[i..j]; best and choice[g * (n + 1) + i]: x[i..n) in g runs */
	double	   *cost = work;
	double	   *best = cost + (size_t) n * n;
	double	   *choice = best + ((size_t) groups + 1) * (n + 1);
	size_t		row = (size_t) n + 1;
	int			start;

	for (int i = 0; i < n; i++)
		for (int j = i; j < n; j++)
			cost[(size_t) i * n + j] = run_cost(x, present, i, j);

	for (int i = 0; i <= n; i++)
		best[i] = i == n ? 0.0 : INFINITY;
	for (int g = 1; g <= groups; g++)
		for (int i = 0; i <= n; i++)
		{
			best[g * row + i] = INFINITY;
			choice[g * row + i] = -1;
			/* the first run is x[i..k]; the g - 1 others need a point each after it */
			for (int k = i; k <= n - g; k++)
			{
				double		c = cost[(size_t) i * n + k] + best[(g - 1) * row + k + 1];

				if (c < best[g * row + i])
				{
					best[g * row + i] = c;
					choice[g * row + i] = k;
				}
			}
		}

	start = 0;
	for (int g = groups; g >= 1; g--)
	{
		int			k = (int) choice[g * row + start];

		last[groups - g] = k;
		start = k + 1;
	}
	return best[groups * row];
}

/* ---------------------------------------------------------------------------------------------
 * Least-squares slopes
 * ---------------------------------------------------------------------------------------------
 */

double
stats_slope_indexed(const double *y, size_t n)
{
	double		xbar = (n - 1) / 2.0;
	double		ybar = 0;
	double		sxy = 0;
	double		sxx = 0;

	for (size_t k = 0; k < n; k++)
		ybar += y[k];
	ybar /= n;
	for (size_t k = 0; k < n; k++)
	{
		double		dx = k - xbar;

		sxy += dx * (y[k] - ybar);
		sxx += dx * dx;
	}
	return sxy / sxx;
}

double
stats_slope_sparse(const int64_t *positions, const double *values, size_t n, int64_t length)
{
	/* sum((x - xbar) * (y - ybar)) = sum((x - xbar) * y): the empty months add nothing */
	double		xbar = (length - 1) / 2.0;
	double		len = (double) length;
	stats_sum	sxy = {0, 0};

	for (size_t i = 0; i < n; i++)
		stats_sum_add(&sxy, ((double) positions[i] - xbar) * values[i]);
	return stats_sum_result(&sxy) / (len * (len * len - 1) / 12.0);
}
