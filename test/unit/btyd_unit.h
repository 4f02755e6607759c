/*
 * btyd_unit.h
 *	  What the unit tests of the customer-base models share (test_btyd_special.c,
 *	  test_btyd_bgnbd_math.c, test_btyd_pnbd_math.c, test_btyd_gg_math.c): differences of a
 *	  likelihood, skipped checks, the CDNOW sample read from Hardie's files and its identical
 *	  patterns merged, and the finiteness of a fit (the relative tolerance check is unit.h's).
 *	  Functions are static inline, so a test that uses some of them compiles without
 *	  unused-function warnings.
 *
 * The CDNOW acceptance reads cdnow_sample.csv (Hardie's 2,357 customer sample, transactions)
 * and cdnow_customers_summary.csv from $PROFILING_CDNOW_DIR, by default ../shared/data/cdnow
 * from the repository; without them those checks are skipped (and say so).  The data are never
 * copied into the repository.
 */
#ifndef PROFILING_BTYD_UNIT_H
#define PROFILING_BTYD_UNIT_H

#include <stdlib.h>

#include "btyd_optimize.h"
#include "btyd_gg_math.h"
#include "unit.h"



/*
 * The central difference of a likelihood of four parameters in the logarithm of parameter i,
 * (ll(p_i e^h) - ll(p_i e^-h)) / 2h, the others as in p.
 */
static inline double
log_difference(BtydNbdLikelihood ll, const double *p, int i, double h, const BtydPattern *pats,
			   size_t n)
{
	double		up[4],
				dn[4];

	memcpy(up, p, sizeof(up));
	memcpy(dn, p, sizeof(dn));
	up[i] = p[i] * exp(h);
	dn[i] = p[i] * exp(-h);
	return (ll(up, pats, n, NULL) - ll(dn, pats, n, NULL)) / (2 * h);
}

/*
 * Two of them extrapolated (Richardson), (4 D(h/2) - D(h)) / 3: the error is O(h^4), so a step
 * large enough to keep the rounding of the sums (1e-16 of |LL| / h) small serves.
 */
static inline double
log_difference_extrapolated(BtydNbdLikelihood ll, const double *p, int i, double h,
							const BtydPattern *pats, size_t n)
{
	double		d_h = log_difference(ll, p, i, h, pats, n);

	return (4.0 * log_difference(ll, p, i, h / 2, pats, n) - d_h) / 3.0;
}

static inline void
skip(int count, const char *why)
{
	for (int i = 0; i < count; i++)
		unit_ok(true, "# SKIP %s", why);
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Hinnant's days_from_civil). */
static inline long
days_from_civil(int y, int m, int d)
{
	long		era,
				yoe,
				doy,
				doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

#define CDNOW_CUSTOMERS 2357

/*
 * Hardie's CDNOW sample summarised exactly, from the transactions (cdnow_sample.csv): purchase
 * days up to 1997-09-30 (several orders on one day are one purchase, amounts summed), x = days
 * - 1, t_x and T in weeks (T to 1997-09-30), the mean value of the repeat purchase days.  The
 * published summary (cdnow_customers_summary.csv) rounds t_x and T to 2 decimals, which moves
 * the MLE in its sixth digit; each customer's exact summary is checked against it.  False when
 * the files are absent.
 */
static inline bool
read_cdnow(BtydPattern **patterns, size_t *n, BtydSpendPattern **spend, size_t *nspend,
		   int *summary_mismatches)
{
	const char *dir = getenv("PROFILING_CDNOW_DIR");
	char		path[4096];
	char		line[512];
	FILE	   *f;
	long		first[CDNOW_CUSTOMERS + 1],
				last[CDNOW_CUSTOMERS + 1];
	int			days[CDNOW_CUSTOMERS + 1];
	double		day_sum[CDNOW_CUSTOMERS + 1],
				repeat_sum[CDNOW_CUSTOMERS + 1];
	long		end = days_from_civil(1997, 9, 30);

	if (dir == NULL || *dir == '\0')
		dir = "../shared/data/cdnow";
	snprintf(path, sizeof(path), "%s/cdnow_sample.csv", dir);
	f = fopen(path, "r");
	if (f == NULL)
		return false;
	for (int c = 0; c <= CDNOW_CUSTOMERS; c++)
	{
		first[c] = last[c] = -1;
		days[c] = 0;
		day_sum[c] = repeat_sum[c] = 0.0;
	}
	/* master_id,sample_id,date,cds,dollars; each customer's lines are in date order */
	while (fgets(line, sizeof(line), f) != NULL)
	{
		int			master,
					c,
					y,
					m,
					d,
					cds;
		double		dollars;
		long		day;

		if (sscanf(line, "%d,%d,%d-%d-%d,%d,%lf", &master, &c, &y, &m, &d, &cds, &dollars) != 7 ||
			c < 1 || c > CDNOW_CUSTOMERS)
			continue;
		day = days_from_civil(y, m, d);
		if (day > end)
			continue;
		if (day != last[c])
		{
			if (days[c] > 1)
				repeat_sum[c] += day_sum[c];
			if (first[c] < 0)
				first[c] = day;
			last[c] = day;
			days[c]++;
			day_sum[c] = 0.0;
		}
		day_sum[c] += dollars;
	}
	fclose(f);

	*patterns = malloc(sizeof(BtydPattern) * CDNOW_CUSTOMERS);
	*spend = malloc(sizeof(BtydSpendPattern) * CDNOW_CUSTOMERS);
	*n = *nspend = 0;
	for (int c = 1; c <= CDNOW_CUSTOMERS; c++)
	{
		int			x;

		if (days[c] == 0)
			continue;
		x = days[c] - 1;
		if (days[c] > 1)
			repeat_sum[c] += day_sum[c];
		(*patterns)[(*n)++] = (BtydPattern) {x, (last[c] - first[c]) / 7.0,
		(end - first[c]) / 7.0, 1.0};
		if (x > 0)
			(*spend)[(*nspend)++] = (BtydSpendPattern) {x, repeat_sum[c] / x, 1.0};
	}

	/* the published summary, to 2 decimals */
	*summary_mismatches = 0;
	snprintf(path, sizeof(path), "%s/cdnow_customers_summary.csv", dir);
	f = fopen(path, "r");
	if (f == NULL)
	{
		*summary_mismatches = -1;
		return true;
	}
	while (fgets(line, sizeof(line), f) != NULL)
	{
		int			id,
					x;
		double		t_x,
					T;

		if (sscanf(line, "%d,%d,%lf,%lf", &id, &x, &t_x, &T) != 4)
			continue;
		if (id < 1 || id > (int) *n || (*patterns)[id - 1].x != x ||
			fabs((*patterns)[id - 1].t_x - t_x) > 0.005 + 1e-9 ||
			fabs((*patterns)[id - 1].T - T) > 0.005 + 1e-9)
			(*summary_mismatches)++;
	}
	fclose(f);
	return true;
}

/* The same data with identical patterns merged into counts (what the aggregate's state does). */
static inline size_t
compress(BtydPattern *sorted, size_t n)
{
	size_t		out = 0;

	for (size_t i = 0; i < n; i++)
	{
		if (out > 0 && sorted[out - 1].x == sorted[i].x && sorted[out - 1].t_x == sorted[i].t_x &&
			sorted[out - 1].T == sorted[i].T)
			sorted[out - 1].weight += sorted[i].weight;
		else
			sorted[out++] = sorted[i];
	}
	return out;
}

static inline bool
all_finite(const BtydFit *fit)
{
	if (!isfinite(fit->ll) || !isfinite(fit->grad_norm))
		return false;
	for (int i = 0; i < fit->nparams; i++)
		if (!isfinite(fit->params[i]) || !(fit->params[i] > 0.0))
			return false;
	return true;
}

#endif							/* PROFILING_BTYD_UNIT_H */
