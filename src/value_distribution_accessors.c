/*
 * value_distribution_accessors.c
 *	  The SQL functions that read a value distribution: the value structure (deciles,
 *	  merge_bands, top_share, gini, lorenz) and threshold capture.
 *
 * Which parameter belongs where: the aggregate takes only the customers; the number of bands,
 * the groups, the fraction and the thresholds are accessor arguments, so one stored summary
 * answers every question.
 *
 * Sums: every sum over customers (a band's total, the value above a threshold) is a part of the
 * summary's value column, summed as stats.h's stats_summation decides for the whole column:
 * decimal values (money) give exact decimal sums that add up to the whole exactly, so the last
 * cumulative share is 1; other values give compensated sums.
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/tuplestore.h"

#include "stats.h"
#include "summary.h"
#include "value_distribution.h"

PG_FUNCTION_INFO_V1(value_distribution_deciles);
PG_FUNCTION_INFO_V1(value_distribution_merge_bands);
PG_FUNCTION_INFO_V1(value_distribution_top_share);
PG_FUNCTION_INFO_V1(value_distribution_gini);
PG_FUNCTION_INFO_V1(value_distribution_lorenz);
PG_FUNCTION_INFO_V1(value_distribution_threshold_capture);

#define MIN_BANDS 2
#define MAX_BANDS 100
#define MAX_LORENZ_POINTS 1000000

/* ---------------------------------------------------------------------------------------------
 * Sums
 * ---------------------------------------------------------------------------------------------
 */

/* A sum read back; a compensated sum past float8 is an error, as float8 addition's is. */
static double
total_value(const stats_total *t, const stats_summation *s)
{
	double		value = stats_total_value(t, s);

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of customer values is out of range for type double precision")));
	return value;
}

/* part / whole, or NULL (isnull) when the whole is not positive: a share of nothing. */
static Datum
share_of(double part, double whole, bool *isnull)
{
	*isnull = !(whole > 0);
	return *isnull ? (Datum) 0 : Float8GetDatum(part / whole);
}

/* ---------------------------------------------------------------------------------------------
 * Bands: runs of customers counted from the most valuable
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Customers [start, end) in rank order, 0 the most valuable; in the (ascending) value column
 * they are [n - end, n - start).
 */
typedef struct Band
{
	int64		start;
	int64		end;
	stats_total total;
	stats_total cumulative;		/* this band and every band above it */
} Band;

static void
check_bands(int32 bands)
{
	if (bands < MIN_BANDS || bands > MAX_BANDS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bands must be between %d and %d, not %d", MIN_BANDS, MAX_BANDS, bands)));
}

/* The band (from 1) that ntile(bands) gives the customer of rank p (from 0) of n. */
static int32
ntile_of(int64 p, int64 n, int32 bands)
{
	int64		per_band = n / bands;
	int64		larger = n % bands; /* the first `larger` bands have one customer more */

	if (p < larger * (per_band + 1))
		return (int32) (p / (per_band + 1)) + 1;
	return (int32) (larger + (p - larger * (per_band + 1)) / per_band) + 1;
}

/*
 * The equal-count bands of the customers by rank, as ntile(bands) OVER (ORDER BY value DESC)
 * cuts them, except that customers of equal value stay together: a tie group goes whole to the
 * band of its first (highest-ranked) member.  Bands after it may then be empty.
 */
static void
cut_bands(const ValueDistribution *vd, int32 bands, Band *band)
{
	const float8 *values = VD_VALUES(vd);
	int64		n = vd->ncustomers;
	int64		p = 0;

	for (int32 b = 0; b < bands; b++)
		band[b].start = band[b].end = 0;
	while (p < n)
	{
		int64		q = p + 1;
		int32		b = ntile_of(p, n, bands) - 1;

		while (q < n && values[n - 1 - q] == values[n - 1 - p])
		{
			if ((q & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			q++;
		}
		band[b].end = q;
		p = q;
	}
	/* bands between the ones that received a tie group are empty where the previous ended */
	for (int32 b = 0; b < bands; b++)
	{
		band[b].start = b == 0 ? 0 : band[b - 1].end;
		band[b].end = Max(band[b].end, band[b].start);
	}
}

/* The totals of consecutive bands, and the cumulative totals from the top. */
static void
sum_bands(const ValueDistribution *vd, const stats_summation *s, Band *band, int32 count)
{
	const float8 *values = VD_VALUES(vd);
	int64		n = vd->ncustomers;
	stats_total cumulative = {0};

	for (int32 b = 0; b < count; b++)
	{
		stats_total total = {0};

		for (int64 p = band[b].start; p < band[b].end; p++)
		{
			if ((p & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			stats_total_add(&total, s, values[n - 1 - p]);
			stats_total_add(&cumulative, s, values[n - 1 - p]);
		}
		band[b].total = total;
		band[b].cumulative = cumulative;
	}
}

/* The mean value of a band's customers, or NULL (isnull) for an empty band. */
static Datum
band_mean(const Band *band, const stats_summation *s, bool *isnull)
{
	int64		customers = band->end - band->start;
	double		mean;

	*isnull = customers == 0;
	if (*isnull)
		return (Datum) 0;
	/* a total past float8 is an error here, before its mean can reach merge_bands */
	(void) total_value(&band->total, s);
	mean = stats_total_mean(&band->total, s, (double) customers);
	return Float8GetDatum(mean);
}

/*
 * One row per band: (band, customers, min_value, max_value, total_value, share_of_value,
 * cumulative_share, avg_value [, first_band, last_band]).  The last band's cumulative total
 * is the whole.
 */
static void
put_band_rows(ReturnSetInfo *rsinfo, const ValueDistribution *vd, const stats_summation *s,
			  const Band *band, int32 count, const int32 *last_band)
{
	const float8 *values = VD_VALUES(vd);
	int64		n = vd->ncustomers;
	double		whole = count > 0 ? total_value(&band[count - 1].cumulative, s) : 0;

	for (int32 b = 0; b < count; b++)
	{
		Datum		row[10];
		bool		nulls[10] = {false};
		int64		customers = band[b].end - band[b].start;
		double		total = total_value(&band[b].total, s);

		row[0] = Int32GetDatum(b + 1);
		row[1] = Int64GetDatum(customers);
		nulls[2] = nulls[3] = customers == 0;
		if (customers > 0)
		{
			row[2] = Float8GetDatum(values[n - band[b].end]);
			row[3] = Float8GetDatum(values[n - 1 - band[b].start]);
		}
		row[4] = Float8GetDatum(total);
		row[5] = share_of(total, whole, &nulls[5]);
		row[6] = share_of(total_value(&band[b].cumulative, s), whole, &nulls[6]);
		row[7] = band_mean(&band[b], s, &nulls[7]);
		if (last_band != NULL)
		{
			row[8] = Int32GetDatum(b == 0 ? 1 : last_band[b - 1] + 1);
			row[9] = Int32GetDatum(last_band[b]);
		}
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, nulls);
	}
}

/* deciles(vd, bands): the customers in equal-count bands, band 1 the most valuable. */
Datum
value_distribution_deciles(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	int32		bands = PG_GETARG_INT32(1);
	Band		band[MAX_BANDS];
	stats_summation s;

	check_bands(bands);
	s = stats_summation_of(VD_VALUES(vd), vd->ncustomers);
	cut_bands(vd, bands, band);
	sum_bands(vd, &s, band, bands);
	InitMaterializedSRF(fcinfo, 0);
	put_band_rows((ReturnSetInfo *) fcinfo->resultinfo, vd, &s, band, bands, NULL);
	return (Datum) 0;
}

/*
 * merge_bands(vd, groups, bands): the bands merged into `groups` runs of consecutive bands,
 * chosen by Fisher's exact natural breaks over the bands' mean values (each non-empty band one
 * point; an empty band belongs to a run but weighs nothing).
 */
Datum
value_distribution_merge_bands(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	int32		groups = PG_GETARG_INT32(1);
	int32		bands = PG_GETARG_INT32(2);
	Band		band[MAX_BANDS];
	Band		group[MAX_BANDS];
	double		mean[MAX_BANDS];
	bool		present[MAX_BANDS];
	int			last[MAX_BANDS];
	int32		last_band[MAX_BANDS];
	stats_summation s;
	double	   *work;

	check_bands(bands);
	if (groups < 1 || groups > bands)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("groups must be between 1 and the number of bands (%d), not %d", bands, groups)));
	s = stats_summation_of(VD_VALUES(vd), vd->ncustomers);
	cut_bands(vd, bands, band);
	sum_bands(vd, &s, band, bands);
	for (int32 b = 0; b < bands; b++)
	{
		bool		empty;

		mean[b] = DatumGetFloat8(band_mean(&band[b], &s, &empty));
		present[b] = !empty;
	}

	work = palloc(sizeof(double) * STATS_NATURAL_BREAKS_WORK(bands, groups));
	stats_natural_breaks(mean, present, bands, groups, last, work);
	pfree(work);
	for (int32 g = 0; g < groups; g++)
	{
		group[g].start = band[g == 0 ? 0 : last[g - 1] + 1].start;
		group[g].end = band[last[g]].end;
		last_band[g] = last[g] + 1;
	}
	sum_bands(vd, &s, group, groups);
	InitMaterializedSRF(fcinfo, 0);
	put_band_rows((ReturnSetInfo *) fcinfo->resultinfo, vd, &s, group, groups, last_band);
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------------------------
 * Concentration: top_share, gini, lorenz
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The sum of the i smallest values plus frac times the next one: the piecewise-linear Lorenz
 * curve at customer i + frac (before dividing by the whole).  *prefix holds the sum of the
 * `*done` smallest values and moves forward (callers ask for increasing positions).
 */
static double
lorenz_sum(const ValueDistribution *vd, const stats_summation *s, stats_total *prefix,
		   int64 *done, int64 i, double frac)
{
	const float8 *values = VD_VALUES(vd);

	for (; *done < i; (*done)++)
	{
		if ((*done & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		stats_total_add(prefix, s, values[*done]);
	}
	if (frac == 0)
		return total_value(prefix, s);
	return total_value(prefix, s) + frac * values[i];
}

/* The sum of every value. */
static double
whole_value(const ValueDistribution *vd, const stats_summation *s)
{
	stats_total all = {0};
	int64		done = 0;

	return lorenz_sum(vd, s, &all, &done, vd->ncustomers, 0);
}

/*
 * top_share(vd, fraction): the share of the whole value held by the most valuable `fraction`
 * of the customers.  At fraction * n customers the cut falls inside a customer (or a tie
 * group): the partly taken customer counts with that part of its value, as if a tie group's
 * value were spread evenly over its members.  It is 1 - L(1 - fraction) on the Lorenz curve.
 * The top is summed on its own (not as the whole less the rest), so that a small share keeps
 * its digits, and the whole continues the same sum, so that fraction 1 gives 1.
 */
Datum
value_distribution_top_share(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	float8		fraction = PG_GETARG_FLOAT8(1);
	const float8 *values = VD_VALUES(vd);
	int64		n = vd->ncustomers;
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];
	stats_summation s;
	stats_total sum = {0};
	double		x;
	int64		top;
	double		top_value = 0;
	double		whole;

	if (!(fraction >= 0 && fraction <= 1))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fraction must be between 0 and 1, not %s",
						summary_float8_text(fraction, buf))));
	if (n == 0)
		PG_RETURN_NULL();
	s = stats_summation_of(values, n);

	/* the top x customers: the top floor(x) whole, and frac of the next one */
	x = fraction * (double) n;
	top = Min((int64) floor(x), n);
	for (int64 p = 0; p < n; p++)
	{
		if (p == top)
			top_value = total_value(&sum, &s) + (x - (double) top) * values[n - 1 - p];
		if ((p & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		stats_total_add(&sum, &s, values[n - 1 - p]);
	}
	whole = total_value(&sum, &s);
	if (top == n)
		top_value = whole;
	if (!(whole > 0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(top_value / whole);
}

/*
 * gini(vd): sum over i of (2i - n - 1) v_i / (n * sum of v), values ascending and i from 1
 * (stats_gini_sorted).  NULL without customers or when every value is 0; negative values are
 * refused: the coefficient is then no measure of concentration (it can pass 1).
 */
Datum
value_distribution_gini(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	const float8 *values = VD_VALUES(vd);
	int32		n = vd->ncustomers;
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];

	if (n == 0)
		PG_RETURN_NULL();
	if (values[0] < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("the Gini coefficient is undefined for negative values"),
				 errdetail("The smallest customer value is %s.", summary_float8_text(values[0], buf)),
				 errhint("Leave out the customers who lose money, or count them as 0: value_distribution(greatest(profit, 0), orders).")));
	if (values[n - 1] == 0)
		PG_RETURN_NULL();
	CHECK_FOR_INTERRUPTS();
	PG_RETURN_FLOAT8(stats_gini_sorted(values, n));
}

/*
 * lorenz(vd, points): the Lorenz curve at customer_share = 0, 1/points, ..., 1: the share of
 * the whole value held by the least valuable customer_share of the customers, interpolated
 * inside a customer as top_share does.  value_share is NULL when the whole is not positive.
 */
Datum
value_distribution_lorenz(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	int32		points = PG_GETARG_INT32(1);
	int64		n = vd->ncustomers;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	stats_summation s;
	stats_total prefix = {0};
	int64		done = 0;
	double		whole;

	if (points < 1 || points > MAX_LORENZ_POINTS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("points must be between 1 and %d, not %d", MAX_LORENZ_POINTS, points)));
	s = stats_summation_of(VD_VALUES(vd), n);
	whole = whole_value(vd, &s);

	InitMaterializedSRF(fcinfo, 0);
	for (int32 j = 0; j <= points; j++)
	{
		Datum		row[2];
		bool		nulls[2] = {false, false};
		/* the position j * n / points, exactly: customer i, and frac of the next */
		int64		i = (int64) j * n / points;
		double		frac = (double) ((int64) j * n % points) / points;

		row[0] = Float8GetDatum((double) j / points);
		row[1] = share_of(lorenz_sum(vd, &s, &prefix, &done, i, frac), whole, &nulls[1]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, nulls);
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------------------------
 * Threshold capture
 * ---------------------------------------------------------------------------------------------
 */

/* The customers of one class at one pair of thresholds. */
typedef struct ClassCount
{
	int64		customers;
	stats_total total;
} ClassCount;

/* What the sweep from the top has seen when it reaches one hero_min, for one repeat_min. */
typedef struct Capture
{
	ClassCount	vip;			/* value >= hero_min, orders >= repeat_min */
	ClassCount	hero;			/* value >= hero_min, orders < repeat_min */
	int64		one_time_heroes;	/* heroes with a single order */
	ClassCount	repeat;			/* value < hero_min, orders >= repeat_min */
	ClassCount	regular;		/* value < hero_min, orders < repeat_min */
} Capture;

static void
class_add(ClassCount *c, const stats_summation *s, double value)
{
	c->customers++;
	stats_total_add(&c->total, s, value);
}

static ClassCount
class_minus(const ClassCount *a, const ClassCount *b, const stats_summation *s)
{
	ClassCount	r;

	r.customers = a->customers - b->customers;
	r.total = stats_total_minus(&a->total, &b->total, s);
	return r;
}

/* The elements of a one-dimensional array without NULLs (name: the argument, for messages). */
static Datum *
array_elements(ArrayType *array, Oid type, const char *name, int *count)
{
	int16		typlen;
	bool		typbyval;
	char		typalign;
	Datum	   *elements;
	bool	   *nulls;

	if (ARR_NDIM(array) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a one-dimensional array", name)));
	get_typlenbyvalalign(type, &typlen, &typbyval, &typalign);
	deconstruct_array(array, type, typlen, typbyval, typalign, &elements, &nulls, count);
	for (int i = 0; i < *count; i++)
		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("%s must not contain nulls", name)));
	return elements;
}

/* The default hero_mins: the value deciles, percentile_cont(0.9) down to (0.1), each once. */
static Datum *
default_hero_mins(const ValueDistribution *vd, int *count)
{
	Datum	   *mins = palloc(sizeof(Datum) * 9);

	*count = 0;
	for (int k = 9; k >= 1 && vd->ncustomers > 0; k--)
	{
		float8		cut = stats_percentile_cont_sorted(VD_VALUES(vd), vd->ncustomers, k / 10.0);

		if (*count == 0 || cut != DatumGetFloat8(mins[*count - 1]))
			mins[(*count)++] = Float8GetDatum(cut);
	}
	return mins;
}

/* The default repeat_mins: 2 to 10. */
static Datum *
default_repeat_mins(int *count)
{
	Datum	   *mins = palloc(sizeof(Datum) * 9);

	for (*count = 0; *count < 9; (*count)++)
		mins[*count] = Int32GetDatum(*count + 2);
	return mins;
}

/* qsort_arg comparator: indexes of the hero_mins in arg, the highest threshold first. */
static int
compare_hero_min_desc(const void *a, const void *b, void *arg)
{
	const Datum *hero_mins = arg;
	float8		x = DatumGetFloat8(hero_mins[*(const int *) a]);
	float8		y = DatumGetFloat8(hero_mins[*(const int *) b]);

	return (x < y) - (x > y);
}

/*
 * One sweep per repeat_min, from the most valuable customer down: at each hero_min (highest
 * first) the customers seen so far are the heroes and VIPs.  At the end of the sweep the
 * customers of each order class are known, and the repeat and regular classes are the rest.
 */
static void
capture_repeat_min(const ValueDistribution *vd, const stats_summation *s,
				   const Datum *hero_mins, const int *order, int nhero, int32 repeat_min,
				   Capture *capture, int stride)
{
	const float8 *values = VD_VALUES(vd);
	const int32 *orders = VD_ORDERS(vd);
	int64		i = vd->ncustomers - 1;
	ClassCount	repeaters = {0};	/* orders >= repeat_min */
	ClassCount	others = {0};		/* orders < repeat_min */
	int64		one_time = 0;

	for (int k = 0; k <= nhero; k++)
	{
		/* k == nhero: the rest of the customers, for the totals */
		for (; i >= 0 && (k == nhero || values[i] >= DatumGetFloat8(hero_mins[order[k]])); i--)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			if (orders[i] >= repeat_min)
				class_add(&repeaters, s, values[i]);
			else
			{
				class_add(&others, s, values[i]);
				one_time += orders[i] == 1;
			}
		}
		if (k < nhero)
		{
			Capture    *c = &capture[order[k] * stride];

			c->vip = repeaters;
			c->hero = others;
			c->one_time_heroes = one_time;
		}
	}
	for (int k = 0; k < nhero; k++)
	{
		Capture    *c = &capture[k * stride];

		c->repeat = class_minus(&repeaters, &c->vip, s);
		c->regular = class_minus(&others, &c->hero, s);
	}
}

/*
 * threshold_capture(vd, hero_mins, repeat_mins): one row per (hero_min, repeat_min), hero_mins
 * outer and repeat_mins inner in the order given: the customers of each value class, their
 * share of the customers and of the whole value, and the heroes with a single order.  A NULL
 * array is the default: hero_mins the value deciles, repeat_mins 2 to 10.  Not strict: a NULL
 * summary gives no rows.
 */
Datum
value_distribution_threshold_capture(PG_FUNCTION_ARGS)
{
	ValueDistribution *vd;
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Datum	   *hero_mins;
	Datum	   *repeat_mins;
	int			nhero;
	int			nrepeat;
	int		   *order;
	Capture    *capture;
	stats_summation s;
	double		whole;
	int64		n;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(0))
		return (Datum) 0;
	vd = PG_GETARG_VALUE_DISTRIBUTION_P(0);
	n = vd->ncustomers;

	if (PG_ARGISNULL(1))
		hero_mins = default_hero_mins(vd, &nhero);
	else
		hero_mins = array_elements(PG_GETARG_ARRAYTYPE_P(1), FLOAT8OID, "hero_mins", &nhero);
	if (PG_ARGISNULL(2))
		repeat_mins = default_repeat_mins(&nrepeat);
	else
		repeat_mins = array_elements(PG_GETARG_ARRAYTYPE_P(2), INT4OID, "repeat_mins", &nrepeat);
	for (int k = 0; k < nhero; k++)
		vd_check_hero_min(DatumGetFloat8(hero_mins[k]));
	for (int r = 0; r < nrepeat; r++)
		vd_check_repeat_min(DatumGetInt32(repeat_mins[r]));
	if (nhero == 0 || nrepeat == 0)
		return (Datum) 0;
	if ((Size) nhero * nrepeat > MaxAllocSize / sizeof(Capture))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many pairs of thresholds"),
				 errdetail("%d hero_mins and %d repeat_mins make %lld pairs; one call takes at most %zu.",
						   nhero, nrepeat, (long long) nhero * nrepeat, MaxAllocSize / sizeof(Capture))));

	s = stats_summation_of(VD_VALUES(vd), n);
	whole = whole_value(vd, &s);
	order = palloc(sizeof(int) * nhero);
	for (int k = 0; k < nhero; k++)
		order[k] = k;
	qsort_arg(order, nhero, sizeof(int), compare_hero_min_desc, hero_mins);
	capture = palloc0(mul_size(sizeof(Capture), mul_size(nhero, nrepeat)));
	for (int r = 0; r < nrepeat; r++)
		capture_repeat_min(vd, &s, hero_mins, order, nhero, DatumGetInt32(repeat_mins[r]),
						   capture + r, nrepeat);

	for (int k = 0; k < nhero; k++)
		for (int r = 0; r < nrepeat; r++)
		{
			const Capture *c = &capture[k * nrepeat + r];
			const ClassCount *classes[4] = {&c->vip, &c->hero, &c->repeat, &c->regular};
			Datum		row[15];
			bool		nulls[15] = {false};

			row[0] = hero_mins[k];
			row[1] = repeat_mins[r];
			for (int class = 0; class < 4; class++)
			{
				row[2 + class] = Int64GetDatum(classes[class]->customers);
				nulls[6 + class] = n == 0;
				row[6 + class] = n == 0 ? (Datum) 0 :
					Float8GetDatum((double) classes[class]->customers / n);
				row[10 + class] = share_of(total_value(&classes[class]->total, &s), whole,
										   &nulls[10 + class]);
			}
			row[14] = Int64GetDatum(c->one_time_heroes);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, row, nulls);
		}
	return (Datum) 0;
}
