/*
 * btyd_holdout_check.c
 *	  The holdout check of a customer-base model, for any model: predicted and actual holdout
 *	  purchases by calibration frequency x, in the buckets 0, 1, ..., 6 and 7+ (Fader, Hardie &
 *	  Lee 2005, figure 4, as numbers).  The type holdout_check, its text and binary forms, the
 *	  aggregate holdout_check(x, predicted, actual) and rollup(holdout_check), buckets(hc) and
 *	  mean_absolute_error(hc).
 *
 * Every count is exact, so the aggregate does not depend on row order or parallel workers, and
 * rollup of stored checks equals one pass over their rows, byte for byte: customers and actual
 * purchases are integers, and each prediction is counted in units of 1e-9 purchase (rounded to
 * the nearest unit once, as it arrives), so the sums are integer sums too.  A prediction is at
 * most 1e9 purchases (22023 beyond); the sums over all buckets stay within int64 (22003
 * beyond), so that the total of buckets() is exact too.
 *
 * Layout (version 1), 200 bytes:
 *
 *	  int32   vl_len_
 *	  uint8   version        HOLDOUT_CHECK_VERSION
 *	  uint8   reserved[3]    must be zero
 *	  8 x {int64 customers, int64 predicted (units of 1e-9), int64 actual}: x = 0..6, then 7+
 *
 * Text form: the non-empty buckets, ascending, as (bucket,customers,predicted,actual) with the
 * prediction's exact decimal (at most 9 places):  {(0,1411,1090.318274619,1098),(7+,23,41.5,44)}.
 * At least one customer: the aggregate of no rows is NULL, not an empty check.
 *
 * Binary form: uint8 version, three zero bytes, then the eight buckets' three int64.
 */
#include "postgres.h"

#include <math.h>

#include "common/int.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "btyd.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(holdout_check_in);
PG_FUNCTION_INFO_V1(holdout_check_out);
PG_FUNCTION_INFO_V1(holdout_check_recv);
PG_FUNCTION_INFO_V1(holdout_check_send);
PG_FUNCTION_INFO_V1(holdout_check_trans);
PG_FUNCTION_INFO_V1(holdout_check_rollup_trans);
PG_FUNCTION_INFO_V1(holdout_check_combine);
PG_FUNCTION_INFO_V1(holdout_check_serialize);
PG_FUNCTION_INFO_V1(holdout_check_deserialize);
PG_FUNCTION_INFO_V1(holdout_check_final);
PG_FUNCTION_INFO_V1(holdout_check_buckets);
PG_FUNCTION_INFO_V1(holdout_check_mean_absolute_error);

#define TYPE_NAME				"holdout_check"
#define HOLDOUT_CHECK_VERSION	1
#define BUCKETS					8	/* x = 0..6, then 7 and more */
#define UNITS					1000000000.0	/* units of a prediction per purchase */
#define UNIT_DIGITS				9
#define MAX_PREDICTION			1e9 /* purchases, so that units fit an int64 */

typedef struct Bucket
{
	int64		customers;
	int64		predicted;		/* units of 1e-9 purchase */
	int64		actual;
} Bucket;

typedef struct HoldoutCheck
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		reserved[3];
	Bucket		buckets[BUCKETS];
} HoldoutCheck;

/* The aggregate state: the same counters, and their totals (kept within int64 as they grow). */
typedef struct CheckState
{
	Bucket		buckets[BUCKETS];
	Bucket		total;
} CheckState;

static const char *const bucket_labels[BUCKETS] = {"0", "1", "2", "3", "4", "5", "6", "7+"};

#define POSITION(p) SUMMARY_POSITION(input, p)

/* ---------------------------------------------------------------------------------------------
 * The counters
 * ---------------------------------------------------------------------------------------------
 */

static void
error_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("holdout check counts out of range"),
			 errdetail("A holdout check counts at most 9223372036854775807 customers, actual purchases and 1e-9 units of predicted purchases, over all its buckets.")));
}

static void
bucket_add(Bucket *to, const Bucket *from)
{
	if (pg_add_s64_overflow(to->customers, from->customers, &to->customers) ||
		pg_add_s64_overflow(to->predicted, from->predicted, &to->predicted) ||
		pg_add_s64_overflow(to->actual, from->actual, &to->actual))
		error_overflow();
}

/* Why buckets cannot be a holdout check's, or NULL (empty buckets are all zero). */
static const char *
buckets_problem(const Bucket *buckets, bool allow_empty)
{
	Bucket		total = {0, 0, 0};

	for (int i = 0; i < BUCKETS; i++)
	{
		const Bucket *b = &buckets[i];

		if (b->customers < 0 || b->predicted < 0 || b->actual < 0)
			return "Counts must not be negative.";
		if (b->customers == 0 && (b->predicted != 0 || b->actual != 0))
			return "A bucket without customers has no purchases.";
		/* the total row of buckets() must fit too */
		if (pg_add_s64_overflow(total.customers, b->customers, &total.customers) ||
			pg_add_s64_overflow(total.predicted, b->predicted, &total.predicted) ||
			pg_add_s64_overflow(total.actual, b->actual, &total.actual))
			return "The totals over the buckets are out of range.";
	}
	if (total.customers == 0 && !allow_empty)
		return "A holdout check has 1 customer or more.";
	return NULL;
}

static HoldoutCheck *
check_allocate(void)
{
	HoldoutCheck *hc = palloc0(sizeof(HoldoutCheck));

	SET_VARSIZE(hc, sizeof(HoldoutCheck));
	hc->version = HOLDOUT_CHECK_VERSION;
	return hc;
}

static HoldoutCheck *
check_detoast(Datum datum)
{
	HoldoutCheck *hc = (HoldoutCheck *) PG_DETOAST_DATUM(datum);

	if (VARSIZE(hc) < offsetof(HoldoutCheck, reserved))
		summary_error_corrupted(TYPE_NAME);
	summary_check_version(TYPE_NAME, hc->version, HOLDOUT_CHECK_VERSION);
	if (VARSIZE(hc) != sizeof(HoldoutCheck) || hc->reserved[0] != 0 || hc->reserved[1] != 0 ||
		hc->reserved[2] != 0 || buckets_problem(hc->buckets, false) != NULL)
		summary_error_corrupted(TYPE_NAME);
	return hc;
}

/* ---------------------------------------------------------------------------------------------
 * Text and binary forms
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
invalid(const char *input, const char *detail_format, int position)
{
	summary_error_syntax(TYPE_NAME, input, detail_format, position);
}

/* A count: digits only, within int64. */
static int64
parse_count(const char *input, const char *token, int position)
{
	int64		v = 0;

	if (*token == '\0')
		invalid(input, "Expected a whole number, zero or more, at character %d.", position);
	for (const char *q = token; *q != '\0'; q++)
	{
		if (*q < '0' || *q > '9')
			invalid(input, "Expected a whole number, zero or more, at character %d.", position);
		if (v > (PG_INT64_MAX - (*q - '0')) / 10)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type bigint", token)));
		v = v * 10 + (*q - '0');
	}
	return v;
}

/* A prediction: digits, then at most 9 decimals; its exact count of units. */
static int64
parse_units(const char *input, const char *token, int position)
{
	const char *dot = strchr(token, '.');
	char	   *whole = pstrdup(token);
	int64		v,
				fraction = 0;
	int			places = 0;

	if (dot != NULL)
	{
		whole[dot - token] = '\0';
		for (const char *q = dot + 1; *q != '\0'; q++, places++)
		{
			if (*q < '0' || *q > '9' || places == UNIT_DIGITS)
				invalid(input, "A prediction is a decimal, zero or more, with at most 9 places (character %d).",
						position);
			fraction = fraction * 10 + (*q - '0');
		}
		if (places == 0)
			invalid(input, "A prediction is a decimal, zero or more, with at most 9 places (character %d).",
					position);
		for (int i = places; i < UNIT_DIGITS; i++)
			fraction *= 10;
	}
	if (*whole == '\0' || strspn(whole, "0123456789") != strlen(whole))
		invalid(input, "A prediction is a decimal, zero or more, with at most 9 places (character %d).",
				position);
	v = parse_count(input, whole, position);
	if (pg_mul_s64_overflow(v, (int64) UNITS, &v) || pg_add_s64_overflow(v, fraction, &v))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("prediction \"%s\" is out of range for type %s", token, TYPE_NAME)));
	return v;
}

typedef struct ParseState
{
	HoldoutCheck *hc;
	bool		seen[BUCKETS];
} ParseState;

static const char *
parse_bucket(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *element = start;
	const char *p;
	char	   *token;
	int			bucket = -1;
	Bucket	   *b;

	p = summary_field(TYPE_NAME, input, start, ",",
					  "Expected \",\" after the bucket at character %d.", &token);
	for (int i = 0; i < BUCKETS; i++)
		if (strcmp(token, bucket_labels[i]) == 0)
			bucket = i;
	if (bucket < 0)
		invalid(input, "Expected a bucket, 0 to 6 or 7+, at character %d.",
				POSITION(summary_skip_space(start)));
	if (state->seen[bucket])
		invalid(input, "A bucket is given twice (character %d).", POSITION(element));
	state->seen[bucket] = true;
	b = &state->hc->buckets[bucket];
	start = p + 1;
	p = summary_field(TYPE_NAME, input, start, ",",
					  "Expected \",\" after the customers at character %d.", &token);
	b->customers = parse_count(input, token, POSITION(summary_skip_space(start)));
	if (b->customers == 0)
		invalid(input, "A bucket has 1 customer or more (character %d).",
				POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TYPE_NAME, input, start, ",",
					  "Expected \",\" after the prediction at character %d.", &token);
	b->predicted = parse_units(input, token, POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TYPE_NAME, input, start, ")",
					  "Expected \")\" after the actual purchases at character %d.", &token);
	b->actual = parse_count(input, token, POSITION(summary_skip_space(start)));
	return p;
}

Datum
holdout_check_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state;
	const char *problem;

	memset(state.seen, 0, sizeof(state.seen));
	state.hc = check_allocate();
	summary_parse_list(TYPE_NAME, input, parse_bucket, &state);
	problem = buckets_problem(state.hc->buckets, false);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", TYPE_NAME, input),
				 errdetail("%s", problem)));
	PG_RETURN_POINTER(state.hc);
}

/* units as their exact decimal: 1090.318274619, 41.5, 3 */
static void
append_units(StringInfo out, int64 units)
{
	int64		whole = units / (int64) UNITS;
	int64		fraction = units % (int64) UNITS;
	int			places = UNIT_DIGITS;

	appendStringInfo(out, INT64_FORMAT, whole);
	if (fraction == 0)
		return;
	while (fraction % 10 == 0)
	{
		fraction /= 10;
		places--;
	}
	appendStringInfo(out, ".%0*lld", places, (long long) fraction);
}

Datum
holdout_check_out(PG_FUNCTION_ARGS)
{
	HoldoutCheck *hc = check_detoast(PG_GETARG_DATUM(0));
	StringInfoData out;
	bool		first = true;

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int i = 0; i < BUCKETS; i++)
	{
		const Bucket *b = &hc->buckets[i];

		if (b->customers == 0)
			continue;
		appendStringInfo(&out, "%s(%s," INT64_FORMAT ",", first ? "" : ",", bucket_labels[i],
						 b->customers);
		append_units(&out, b->predicted);
		appendStringInfo(&out, "," INT64_FORMAT ")", b->actual);
		first = false;
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

static void
send_buckets(StringInfo buf, const Bucket *buckets)
{
	for (int i = 0; i < BUCKETS; i++)
	{
		pq_sendint64(buf, buckets[i].customers);
		pq_sendint64(buf, buckets[i].predicted);
		pq_sendint64(buf, buckets[i].actual);
	}
}

#define BINARY_SIZE (4 + BUCKETS * 3 * 8)

/* Reads the version, the reserved bytes and the buckets of a binary value or state. */
static void
read_buckets(StringInfo buf, Bucket *buckets, bool allow_empty)
{
	const char *problem;

	if (buf->len - buf->cursor < 4)
		summary_error_binary(TYPE_NAME, "The value is shorter than its 4-byte header.");
	summary_check_binary_version(TYPE_NAME, pq_getmsgbyte(buf), HOLDOUT_CHECK_VERSION);
	for (int i = 0; i < 3; i++)
		if (pq_getmsgbyte(buf) != 0)
			summary_error_binary(TYPE_NAME, "A reserved byte is set.");
	if (buf->len - buf->cursor != BINARY_SIZE - 4)
		summary_error_binary(TYPE_NAME, "The length is not that of eight buckets.");
	for (int i = 0; i < BUCKETS; i++)
	{
		buckets[i].customers = pq_getmsgint64(buf);
		buckets[i].predicted = pq_getmsgint64(buf);
		buckets[i].actual = pq_getmsgint64(buf);
	}
	problem = buckets_problem(buckets, allow_empty);
	if (problem != NULL)
		summary_error_binary(TYPE_NAME, problem);
}

Datum
holdout_check_recv(PG_FUNCTION_ARGS)
{
	HoldoutCheck *hc = check_allocate();

	read_buckets((StringInfo) PG_GETARG_POINTER(0), hc->buckets, false);
	PG_RETURN_POINTER(hc);
}

static bytea *
binary_of(const Bucket *buckets)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, HOLDOUT_CHECK_VERSION);
	pq_sendbyte(&buf, 0);
	pq_sendbyte(&buf, 0);
	pq_sendbyte(&buf, 0);
	send_buckets(&buf, buckets);
	return pq_endtypsend(&buf);
}

Datum
holdout_check_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(binary_of(check_detoast(PG_GETARG_DATUM(0))->buckets));
}

/* ---------------------------------------------------------------------------------------------
 * The aggregates
 * ---------------------------------------------------------------------------------------------
 */

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (CheckState *) PG_GETARG_POINTER(n))

static CheckState *
state_create(MemoryContext context)
{
	return MemoryContextAllocZero(context, sizeof(CheckState));
}

static void
state_add(CheckState *state, int bucket, const Bucket *row)
{
	bucket_add(&state->total, row);
	bucket_add(&state->buckets[bucket], row);
}

/*
 * holdout_check(x, predicted, actual): a row whose three arguments are all NULL is skipped
 * (what holdout() and a scoring function give a customer outside the calibration cohort); one
 * or two NULLs are an error.
 */
Datum
holdout_check_trans(PG_FUNCTION_ARGS)
{
	CheckState *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, TYPE_NAME);
	int32		x,
				actual;
	float8		predicted;
	Bucket		row;

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("x, predicted and actual must all be present or all be null"),
				 errdetail("A customer's row is skipped only when all three are NULL.")));
	x = PG_GETARG_INT32(1);
	predicted = PG_GETARG_FLOAT8(2);
	actual = PG_GETARG_INT32(3);
	if (x < 0)
		btyd_check_summary(x, 0, 0);
	if (!(predicted >= 0 && predicted <= MAX_PREDICTION))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("predicted must be between 0 and 1e9, not %s",
						summary_float8_text(predicted, buf)),
				 errdetail("predicted is the number of purchases a model expects of the customer in the holdout period.")));
	}
	if (actual < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("actual must not be negative, not %d", actual),
				 errdetail("actual is the number of purchases the customer made in the holdout period.")));
	if (state == NULL)
		state = state_create(context);
	row.customers = 1;
	row.predicted = (int64) rint(predicted * UNITS);
	row.actual = actual;
	state_add(state, x < BUCKETS - 1 ? x : BUCKETS - 1, &row);
	PG_RETURN_POINTER(state);
}

/* rollup(holdout_check): adds a stored check; NULL is skipped. */
Datum
holdout_check_rollup_trans(PG_FUNCTION_ARGS)
{
	CheckState *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, TYPE_NAME);
	HoldoutCheck *hc;

	if (PG_ARGISNULL(1))
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	hc = check_detoast(PG_GETARG_DATUM(1));
	if (state == NULL)
		state = state_create(context);
	for (int i = 0; i < BUCKETS; i++)
		state_add(state, i, &hc->buckets[i]);
	PG_RETURN_POINTER(state);
}

/* Not strict: either state may be NULL (a worker that saw no rows).  other is only read. */
Datum
holdout_check_combine(PG_FUNCTION_ARGS)
{
	CheckState *state = PG_GETARG_STATE(0);
	CheckState *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, TYPE_NAME);

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(context);
	for (int i = 0; i < BUCKETS; i++)
		state_add(state, i, &other->buckets[i]);
	PG_RETURN_POINTER(state);
}

/* The state's bytes are the type's binary form (possibly with no customer). */
Datum
holdout_check_serialize(PG_FUNCTION_ARGS)
{
	CheckState *state = (CheckState *) PG_GETARG_POINTER(0);

	summary_aggregate_context(fcinfo, TYPE_NAME);
	PG_RETURN_BYTEA_P(binary_of(state->buckets));
}

Datum
holdout_check_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	CheckState *state;

	summary_aggregate_context(fcinfo, TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	state = state_create(CurrentMemoryContext);
	read_buckets(&buf, state->buckets, true);
	for (int i = 0; i < BUCKETS; i++)
		bucket_add(&state->total, &state->buckets[i]);	/* read_buckets checked they fit */
	PG_RETURN_POINTER(state);
}

/* NULL without customers.  The state is only read (FINALFUNC_MODIFY = READ_ONLY). */
Datum
holdout_check_final(PG_FUNCTION_ARGS)
{
	CheckState *state = PG_GETARG_STATE(0);
	HoldoutCheck *hc;

	summary_aggregate_context(fcinfo, TYPE_NAME);
	if (state == NULL || state->total.customers == 0)
		PG_RETURN_NULL();
	hc = check_allocate();
	memcpy(hc->buckets, state->buckets, sizeof(hc->buckets));
	PG_RETURN_POINTER(hc);
}

/* ---------------------------------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------------------------------
 */

/* The predicted purchases of units, rounded once. */
static float8
units_value(int64 units)
{
	return (float8) units / UNITS;
}

/* predicted - actual in purchases: exact in units first, so rounded once, unless that overflows */
static float8
bucket_error(const Bucket *b)
{
	int64		actual_units,
				difference;

	if (pg_mul_s64_overflow(b->actual, (int64) UNITS, &actual_units) ||
		pg_sub_s64_overflow(b->predicted, actual_units, &difference))
		return units_value(b->predicted) - (float8) b->actual;
	return units_value(difference);
}

/*
 * buckets(hc) -> (bucket, customers, predicted, actual, error): the non-empty buckets '0' to
 * '6' and '7+' in that order, then 'total'; error = predicted - actual (over-prediction is
 * positive).  The total's sums are exact, so it is the sum of the rows above it (each rounded
 * once).
 */
Datum
holdout_check_buckets(PG_FUNCTION_ARGS)
{
	HoldoutCheck *hc = check_detoast(PG_GETARG_DATUM(0));
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Bucket		total = {0, 0, 0};

	InitMaterializedSRF(fcinfo, 0);
	for (int i = 0; i <= BUCKETS; i++)
	{
		const Bucket *b = i < BUCKETS ? &hc->buckets[i] : &total;
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		if (b->customers == 0)
			continue;
		if (i < BUCKETS)
			bucket_add(&total, b);
		values[0] = CStringGetTextDatum(i < BUCKETS ? bucket_labels[i] : "total");
		values[1] = Int64GetDatum(b->customers);
		values[2] = Float8GetDatum(units_value(b->predicted));
		values[3] = Int64GetDatum(b->actual);
		values[4] = Float8GetDatum(bucket_error(b));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * mean_absolute_error(hc) = sum over buckets of |predicted - actual| / customers: the mean
 * absolute error of the buckets' mean purchases per customer, weighted by their customers.
 * Weighted, so that the 7+ bucket of a few heavy buyers counts for its few customers and not
 * as much as the thousands without repeat purchases (unweighted, the noise of the smallest
 * bucket dominates); in purchases per customer, so checks of cohorts of any size compare.
 */
Datum
holdout_check_mean_absolute_error(PG_FUNCTION_ARGS)
{
	HoldoutCheck *hc = check_detoast(PG_GETARG_DATUM(0));
	float8		sum = 0.0;
	float8		customers = 0.0;

	for (int i = 0; i < BUCKETS; i++)
	{
		const Bucket *b = &hc->buckets[i];

		sum += fabs(bucket_error(b));
		customers += (float8) b->customers;
	}
	PG_RETURN_FLOAT8(sum / customers);
}
