/*
 * paths_accessors.c
 *	  SQL readers of a paths summary: its customers, and the sequence rules.
 *
 * A rule A -> B over N customers, with n(A) buyers of A, n(B) buyers of B and n(A -> B)
 * customers who bought B strictly after A within the window:
 *	  support = n(A -> B) / N, confidence = n(A -> B) / n(A), lift = confidence / (n(B) / N),
 * each computed in float8 in that order, as the same SQL over bigint counts cast to float8
 * computes it; the median lag is percentile_cont(0.5) of the customers' shortest lags.
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "calendar.h"
#include "paths.h"
#include "stats.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(paths_customers);
PG_FUNCTION_INFO_V1(paths_sequence_rules);

Datum
paths_customers(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_PATHS_P(0)->customers);
}

typedef struct Rule
{
	int32		pair;
	int32		first;			/* item ranks: byte order */
	int32		then;
	int32		customers;
	double		confidence;
	int64		lags;			/* where the pair's lags start */
} Rule;

/* Support (customers) descending, then confidence descending, then the items. */
static int
rule_order(const void *a, const void *b)
{
	const Rule *x = a;
	const Rule *y = b;

	if (x->customers != y->customers)
		return x->customers > y->customers ? -1 : 1;
	if (x->confidence != y->confidence)
		return x->confidence > y->confidence ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	return (x->then > y->then) - (x->then < y->then);
}

static void
check_share(float8 value, const char *name, bool zero_allowed)
{
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];

	if (isnan(value) || value > 1 || (zero_allowed ? value < 0 : value <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be %s, not %s", name,
						zero_allowed ? "between 0 and 1" : "greater than 0 and at most 1",
						summary_float8_text(value, buf)),
				 errhint(zero_allowed ? "A share of the buyers of the first item, for example 0.2." :
						 "A share of all customers, for example 0.01 for 1 %%.")));
}

/*
 * sequence_rules(p, min_support, min_confidence): every pair with at least that support and
 * confidence, best first.
 */
Datum
paths_sequence_rules(PG_FUNCTION_ARGS)
{
	Paths	   *p = PG_GETARG_PATHS_P(0);
	float8		min_support = PG_GETARG_FLOAT8(1);
	float8		min_confidence = PG_GETARG_FLOAT8(2);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64 *buyers = PATHS_ITEM_CUSTOMERS(p);
	const int64 *lags = PATHS_LAGS(p);
	const int32 *count = PATHS_PAIR_COUNT(p);
	const char *text = PATHS_TEXT(p);
	double		n = (double) p->customers;
	Rule	   *rules;
	int32		nrules = 0;
	int64		at = 0;

	check_share(min_support, "minimum support", false);
	check_share(min_confidence, "minimum confidence", true);
	InitMaterializedSRF(fcinfo, 0);

	rules = palloc(mul_size(Max(p->npairs, 1), sizeof(Rule)));
	for (int32 j = 0; j < p->npairs; j++)
	{
		Rule	   *r = &rules[nrules];

		if ((j & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		r->pair = j;
		r->first = PATHS_PAIR_FIRST(p)[j];
		r->then = PATHS_PAIR_THEN(p)[j];
		r->customers = count[j];
		r->confidence = (double) count[j] / (double) buyers[r->first];
		r->lags = at;
		at += count[j];
		if ((double) count[j] / n >= min_support && r->confidence >= min_confidence)
			nrules++;
	}
	qsort(rules, nrules, sizeof(Rule), rule_order);

	for (int32 i = 0; i < nrules; i++)
	{
		const Rule *r = &rules[i];
		Datum		values[7];
		bool		nulls[7] = {0};
		double		support = (double) r->customers / n;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = PointerGetDatum(cstring_to_text_with_len(text + PATHS_ITEM_START(p, r->first),
															 PATHS_ITEM_LEN(p, r->first)));
		values[1] = PointerGetDatum(cstring_to_text_with_len(text + PATHS_ITEM_START(p, r->then),
															 PATHS_ITEM_LEN(p, r->then)));
		values[2] = Int64GetDatum(r->customers);
		values[3] = Float8GetDatum(support);
		values[4] = Float8GetDatum(r->confidence);
		values[5] = Float8GetDatum(r->confidence / ((double) buyers[r->then] / n));
		values[6] = IntervalPGetDatum(calendar_interval(stats_median_sorted_int64(lags + r->lags,
																				  r->customers)));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
