/*
 * baskets_accessors.c
 *	  What a baskets summary tells: association rules in both directions of every frequent pair,
 *	  the rules of one item (cross-sell), the basket count and the pair error bound.
 *
 * For a rule A -> B over N baskets, n(A) baskets holding A, n(B) holding B and n(AB) both:
 *	  support    = n(AB) / N
 *	  confidence = n(AB) / n(A)
 *	  lift       = confidence / (n(B) / N)
 *	  conviction = (1 - n(B) / N) / (1 - confidence), Infinity when confidence is 1
 *	  leverage   = support - (n(A) / N) (n(B) / N)
 * When the summary is approximate (pair_error > 0), n(AB) is a lower bound, within pair_error
 * of the truth.
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/float.h"

#include "baskets.h"

PG_FUNCTION_INFO_V1(baskets_association_rules);
PG_FUNCTION_INFO_V1(baskets_cross_sell_text);
PG_FUNCTION_INFO_V1(baskets_cross_sell_bigint);
PG_FUNCTION_INFO_V1(baskets_basket_count);
PG_FUNCTION_INFO_V1(baskets_pair_error);

#define RULE_COLUMNS 10

typedef struct Rule
{
	int32		antecedent;
	int32		consequent;
	int64		pair_count;
	float8		support;
	float8		confidence;
	float8		lift;
} Rule;

/* The figures of rule a -> c of pair count n. */
static void
rule_figures(const Baskets *b, int32 a, int32 c, int64 n, Rule *rule)
{
	const int64 *item_count = BASKETS_ITEM_COUNT(b);
	float8		total = (float8) b->nbaskets;

	rule->antecedent = a;
	rule->consequent = c;
	rule->pair_count = n;
	rule->support = (float8) n / total;
	rule->confidence = (float8) n / (float8) item_count[a];
	rule->lift = rule->confidence / ((float8) item_count[c] / total);
}

static void
put_rule(Tuplestorestate *store, TupleDesc desc, const Baskets *b, const Rule *rule)
{
	const int64 *item_count = BASKETS_ITEM_COUNT(b);
	float8		total = (float8) b->nbaskets;
	float8		support_a = (float8) item_count[rule->antecedent] / total;
	float8		support_c = (float8) item_count[rule->consequent] / total;
	Datum		values[RULE_COLUMNS];
	bool		nulls[RULE_COLUMNS] = {0};

	values[0] = CStringGetTextDatum(baskets_item_text(b, rule->antecedent));
	values[1] = CStringGetTextDatum(baskets_item_text(b, rule->consequent));
	values[2] = Int64GetDatum(rule->pair_count);
	values[3] = Int64GetDatum(item_count[rule->antecedent]);
	values[4] = Int64GetDatum(item_count[rule->consequent]);
	values[5] = Float8GetDatum(rule->support);
	values[6] = Float8GetDatum(rule->confidence);
	values[7] = Float8GetDatum(rule->lift);
	values[8] = Float8GetDatum(rule->confidence >= 1.0 ? get_float8_infinity()
							   : (1.0 - support_c) / (1.0 - rule->confidence));
	values[9] = Float8GetDatum(rule->support - support_a * support_c);
	tuplestore_putvalues(store, desc, values, nulls);
}

static void
check_threshold(const char *name, float8 value, float8 low, bool low_open, float8 high)
{
	if (isnan(value) || value < low || (low_open && value == low) || value > high)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be %s %g%s, not %g", name,
						low_open ? "greater than" : "at least", low,
						isinf(high) ? "" : psprintf(" and at most %g", high), value),
				 errdetail("%s", strcmp(name, "min_support") == 0
						   ? "min_support is the share of all baskets a pair must be in."
						   : strcmp(name, "min_confidence") == 0
						   ? "min_confidence is the share of the antecedent's baskets that must hold the consequent."
						   : "min_lift is how many times more often than chance the consequent must follow.")));
}

/*
 * association_rules(b, min_support, min_confidence, min_lift): both directions of every pair in
 * at least min_support of the baskets, kept when their confidence and lift reach the minimums;
 * ordered by antecedent, then consequent (the summary's item order).
 */
Datum
baskets_association_rules(PG_FUNCTION_ARGS)
{
	Baskets    *b = PG_GETARG_BASKETS_P(0);
	float8		min_support = PG_GETARG_FLOAT8(1);
	float8		min_confidence = PG_GETARG_FLOAT8(2);
	float8		min_lift = PG_GETARG_FLOAT8(3);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64 *pair_count = BASKETS_PAIR_COUNT(b);
	const int32 *pair_a = BASKETS_PAIR_A(b);
	const int32 *pair_b = BASKETS_PAIR_B(b);
	int64	   *first;
	int64	   *entries;
	int64		nrules = 0;

	check_threshold("min_support", min_support, 0, true, 1);
	check_threshold("min_confidence", min_confidence, 0, false, 1);
	check_threshold("min_lift", min_lift, 0, false, get_float8_infinity());
	InitMaterializedSRF(fcinfo, 0);
	if (b->npairs == 0)
		PG_RETURN_NULL();

	/*
	 * Rules grouped by antecedent with a counting sort: pairs are in (a, c) order, so each
	 * antecedent's consequents arrive in item order.  An entry is a pair's index and direction.
	 */
	first = palloc_extended(sizeof(int64) * ((Size) b->nitems + 1), MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (int64 i = 0; i < b->npairs; i++)
		if ((float8) pair_count[i] / (float8) b->nbaskets >= min_support)
		{
			first[pair_a[i] + 1]++;
			first[pair_b[i] + 1]++;
			nrules += 2;
		}
	for (int32 i = 0; i < b->nitems; i++)
		first[i + 1] += first[i];
	entries = palloc_extended(sizeof(int64) * Max(nrules, 1), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < b->npairs; i++)
		if ((float8) pair_count[i] / (float8) b->nbaskets >= min_support)
		{
			entries[first[pair_a[i]]++] = i * 2;
			entries[first[pair_b[i]]++] = i * 2 + 1;
		}
	for (int64 k = 0; k < nrules; k++)
	{
		int64		i = entries[k] / 2;
		Rule		rule;

		if ((k & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (entries[k] % 2 == 0)
			rule_figures(b, pair_a[i], pair_b[i], pair_count[i], &rule);
		else
			rule_figures(b, pair_b[i], pair_a[i], pair_count[i], &rule);
		if (rule.confidence >= min_confidence && rule.lift >= min_lift)
			put_rule(rsinfo->setResult, rsinfo->setDesc, b, &rule);
	}
	PG_RETURN_NULL();
}

/* Best first: confidence, then lift, then the consequent in the summary's item order. */
static int
rule_rank_cmp(const void *x, const void *y)
{
	const Rule *a = x;
	const Rule *b = y;

	if (a->confidence != b->confidence)
		return a->confidence > b->confidence ? -1 : 1;
	if (a->lift != b->lift)
		return a->lift > b->lift ? -1 : 1;
	return (a->consequent > b->consequent) - (a->consequent < b->consequent);
}

/* The rules of item (its position, or -1: none), best first, the first top of them. */
static Datum
cross_sell(FunctionCallInfo fcinfo, Baskets *b, int32 item, int32 top)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const int64 *pair_count = BASKETS_PAIR_COUNT(b);
	const int32 *pair_a = BASKETS_PAIR_A(b);
	const int32 *pair_b = BASKETS_PAIR_B(b);
	Rule	   *rules;
	int64		n = 0;

	if (top < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("top must be 0 or more, not %d", top),
				 errdetail("top is how many rules to return.")));
	InitMaterializedSRF(fcinfo, 0);
	if (item < 0 || top == 0)
		PG_RETURN_NULL();
	rules = palloc_extended(sizeof(Rule) * Max(b->nitems, 1), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < b->npairs; i++)
	{
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (pair_a[i] == item)
			rule_figures(b, item, pair_b[i], pair_count[i], &rules[n++]);
		else if (pair_b[i] == item)
			rule_figures(b, item, pair_a[i], pair_count[i], &rules[n++]);
	}
	qsort(rules, n, sizeof(Rule), rule_rank_cmp);
	for (int64 i = 0; i < Min(n, (int64) top); i++)
		put_rule(rsinfo->setResult, rsinfo->setDesc, b, &rules[i]);
	PG_RETURN_NULL();
}

/* The position of a bigint item in a summary, or -1. */
static int32
find_bigint(const Baskets *b, int64 value)
{
	const int64 *values = BASKETS_ITEM_VALUE(b);
	int32		low = 0,
				high = b->nitems - 1;

	while (low <= high)
	{
		int32		middle = low + (high - low) / 2;

		if (values[middle] == value)
			return middle;
		if (values[middle] < value)
			low = middle + 1;
		else
			high = middle - 1;
	}
	return -1;
}

/* The position of a text item in a summary, or -1. */
static int32
find_text(const Baskets *b, const char *text, int32 len)
{
	const int32 *end = BASKETS_ITEM_END(b);
	const char *data = BASKETS_TEXT(b);
	int32		low = 0,
				high = b->nitems - 1;

	while (low <= high)
	{
		int32		middle = low + (high - low) / 2;
		int32		start = middle == 0 ? 0 : end[middle - 1];
		int32		mlen = end[middle] - start;
		int			result = memcmp(data + start, text, Min(mlen, len));

		if (result == 0)
			result = (mlen > len) - (mlen < len);
		if (result == 0)
			return middle;
		if (result < 0)
			low = middle + 1;
		else
			high = middle - 1;
	}
	return -1;
}

/* cross_sell(b, item text, top): on a bigint summary, the item is read as a number. */
Datum
baskets_cross_sell_text(PG_FUNCTION_ARGS)
{
	Baskets    *b = PG_GETARG_BASKETS_P(0);
	text	   *item = PG_GETARG_TEXT_PP(1);
	int32		position = -1;

	if (b->kind == BASKETS_KIND_TEXT)
		position = find_text(b, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item));
	else if (b->kind == BASKETS_KIND_BIGINT)
	{
		char	   *digits = text_to_cstring(item);
		char	   *end;
		int64		value;

		errno = 0;
		value = strtoi64(digits, &end, 10);
		if (errno == 0 && end != digits && *end == '\0')
			position = find_bigint(b, value);
	}
	return cross_sell(fcinfo, b, position, PG_GETARG_INT32(2));
}

/* cross_sell(b, item bigint, top): on a text summary, the item is looked up as its digits. */
Datum
baskets_cross_sell_bigint(PG_FUNCTION_ARGS)
{
	Baskets    *b = PG_GETARG_BASKETS_P(0);
	int64		item = PG_GETARG_INT64(1);
	int32		position = -1;

	if (b->kind == BASKETS_KIND_BIGINT)
		position = find_bigint(b, item);
	else if (b->kind == BASKETS_KIND_TEXT)
	{
		char	   *digits = psprintf(INT64_FORMAT, item);

		position = find_text(b, digits, strlen(digits));
	}
	return cross_sell(fcinfo, b, position, PG_GETARG_INT32(2));
}

Datum
baskets_basket_count(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_BASKETS_P(0)->nbaskets);
}

Datum
baskets_pair_error(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_BASKETS_P(0)->pair_error);
}
