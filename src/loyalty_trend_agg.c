/*
 * loyalty_trend_agg.c
 *	  The aggregates that build loyalty trend summaries: loyalty_trend(ordered_at, amount,
 *	  category) over purchase lines, and rollup(loyalty_trend) over stored summaries.  Both
 *	  share one transition state, one combine, serialize, deserialize and final function, so
 *	  they run on parallel workers, and rollup of any split equals one pass (the final form is
 *	  canonical).
 *
 * The state is a group's category dictionary (each distinct category copied once, numbered
 * as it first comes) and an order log (order_log.h, the machinery of the purchase history) of
 * (time, amount, extra = the category's number): a line of the group's first category takes
 * one 16-byte slot, any other line two.  Numbers are exact in a float8 (below 2^31).
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "loyalty_trend.h"
#include "order_log.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(loyalty_trend_trans);
PG_FUNCTION_INFO_V1(loyalty_trend_rollup_trans);
PG_FUNCTION_INFO_V1(loyalty_trend_combine);
PG_FUNCTION_INFO_V1(loyalty_trend_serialize);
PG_FUNCTION_INFO_V1(loyalty_trend_deserialize);
PG_FUNCTION_INFO_V1(loyalty_trend_final);
PG_FUNCTION_INFO_V1(loyalty_trend_trans_local);
PG_FUNCTION_INFO_V1(loyalty_trend_final_local);

static const OrderLogLimit lt_log_limit = {LT_MAX_LINES, "lines", "loyalty trend"};

typedef struct LtState
{
	Datum		log;			/* 0 until the first line */
	LtDictionary *dict;
} LtState;

/* ---------------------------------------------------------------------------------------------
 * The state
 * ---------------------------------------------------------------------------------------------
 */

static LtState *
state_create(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext = summary_aggregate_context(fcinfo, LT_TYPE_NAME);
	LtState    *state = MemoryContextAlloc(aggcontext, sizeof(LtState));

	state->log = 0;
	state->dict = lt_dictionary_create(aggcontext);
	return state;
}

static inline void
state_append(FunctionCallInfo fcinfo, LtState *state, TimestampTz at, float8 amount,
			 int32 category)
{
	state->log = order_log_append(fcinfo, state->log, at, amount, (float8) category,
								  &lt_log_limit);
}

/*
 * Appends lines given as columns whose categories index names[0..ncategories): each name is
 * looked up once.
 */
static void
state_append_lines(FunctionCallInfo fcinfo, LtState *state, const int64 *at, const float8 *amount,
				   const int32 *category, int32 n, const char *const *names, int32 ncategories)
{
	int32	   *map = palloc(sizeof(int32) * Max(ncategories, 1));

	for (int32 c = 0; c < ncategories; c++)
		map[c] = lt_dictionary_index(state->dict, names[c], strlen(names[c]));
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		state_append(fcinfo, state, at[i], amount[i], map[category[i]]);
	}
	pfree(map);
}

/* The canonical summary of a state (NULL: no lines), in the current memory context. */
static LoyaltyTrend *
lt_from_state(const LtState *state)
{
	OrderLogReader reader;
	OrderLogEntry entry;
	LtLines    *lines;
	LoyaltyTrend *t;
	int32		capacity;

	if (state == NULL)
		return lt_build(NULL, NULL, NULL, 0, NULL, 0);
	order_log_reader_open(&reader, state->log);
	/* slots bound the entries from above; a log can hold more than a summary may */
	capacity = (int32) Min(reader.total_slots, (int64) LT_MAX_LINES);
	lines = lt_lines_create(capacity);
	while (order_log_read(&reader, &entry))
	{
		if (unlikely(lines->n == capacity))
			lt_error_too_many();
		lines->at[lines->n] = entry.at;
		lines->amount[lines->n] = entry.value;
		lines->category[lines->n] = (int32) entry.extra;
		lines->n++;
	}
	order_log_reader_close(&reader);
	t = lt_build(lines->at, lines->amount, lines->category, lines->n,
				 (const char *const *) state->dict->names, state->dict->n);
	pfree(lines->at);
	pfree(lines->amount);
	pfree(lines->category);
	pfree(lines);
	return t;
}

#define PG_GETARG_LT_STATE(n) (PG_ARGISNULL(n) ? NULL : (LtState *) PG_GETARG_POINTER(n))

/* ---------------------------------------------------------------------------------------------
 * Aggregate support functions
 * ---------------------------------------------------------------------------------------------
 */

/*
 * loyalty_trend(ordered_at, amount, category) transition.  A row whose arguments are all NULL
 * is skipped (what a LEFT JOIN gives a customer without orders); a NULL in an otherwise
 * present line is an error, never a silent drop.
 */
Datum
loyalty_trend_trans(PG_FUNCTION_ARGS)
{
	LtState    *state = PG_GETARG_LT_STATE(0);
	TimestampTz at;
	float8		amount;
	text	   *category;
	char		buf[MAXDATELEN + 1];

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && PG_ARGISNULL(3))
		{
			if (state == NULL)
				PG_RETURN_NULL();
			PG_RETURN_POINTER(state);
		}
		if (PG_ARGISNULL(1))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("order time must not be null"),
					 errdetail("A line with amount %s has no time.",
							   PG_ARGISNULL(2) ? "NULL" : summary_argument_text(fcinfo, 2))));
		calendar_utc_text(PG_GETARG_TIMESTAMPTZ(1), false, buf);
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("order amount must not be null"),
					 errdetail("The line at %s has no amount.", buf)));
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("category must not be null"),
				 errdetail("The line at %s has no category.", buf),
				 errhint("To count lines without a category as a category of their own, pass coalesce(category, '(none)').")));
	}

	if (state == NULL)
		state = state_create(fcinfo);	/* once per group: its memory is the aggregate's */
	at = PG_GETARG_TIMESTAMPTZ(1);
	amount = PG_GETARG_FLOAT8(2);
	category = PG_GETARG_TEXT_PP(3);
	lt_check_line(at, amount);
	/* -0 is stored as +0, so the bytes of the final summary are canonical */
	state_append(fcinfo, state, at, amount + 0.0,
				 lt_dictionary_index(state->dict, VARDATA_ANY(category),
									 VARSIZE_ANY_EXHDR(category)));
	PG_RETURN_POINTER(state);
}

/* rollup(loyalty_trend) transition: NULL summaries are skipped. */
Datum
loyalty_trend_rollup_trans(PG_FUNCTION_ARGS)
{
	LtState    *state = PG_GETARG_LT_STATE(0);

	if (state == NULL)
		state = state_create(fcinfo);
	if (!PG_ARGISNULL(1))
	{
		LoyaltyTrend *t = PG_GETARG_LOYALTY_TREND_P(1);
		const char **names = palloc(sizeof(char *) * Max(t->ncategories, 1));

		lt_category_names(t, names);
		state_append_lines(fcinfo, state, LT_TIMES(t), LT_AMOUNTS(t), LT_CATEGORY_INDEX(t),
						   t->nlines, names, t->ncategories);
		pfree(names);
	}
	PG_RETURN_POINTER(state);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The lines of the second
 * state are copied into the first, their categories renumbered; the second is only read.
 */
Datum
loyalty_trend_combine(PG_FUNCTION_ARGS)
{
	LtState    *state = PG_GETARG_LT_STATE(0);
	LtState    *other = PG_GETARG_LT_STATE(1);
	OrderLogReader reader;
	OrderLogEntry entry;
	int32	   *map;

	summary_aggregate_context(fcinfo, LT_TYPE_NAME);
	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = state_create(fcinfo);

	map = palloc(sizeof(int32) * Max(other->dict->n, 1));
	for (int32 c = 0; c < other->dict->n; c++)
		map[c] = lt_dictionary_index(state->dict, other->dict->names[c], other->dict->lengths[c]);
	order_log_reader_open(&reader, other->log);
	while (order_log_read(&reader, &entry))
		state_append(fcinfo, state, entry.at, entry.value, map[(int32) entry.extra]);
	order_log_reader_close(&reader);
	pfree(map);
	PG_RETURN_POINTER(state);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
loyalty_trend_serialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	summary_aggregate_context(fcinfo, LT_TYPE_NAME);
	pq_begintypsend(&buf);
	lt_write_binary(&buf, lt_from_state(PG_GETARG_LT_STATE(0)), false);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
loyalty_trend_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	LoyaltyTrend *t;
	LtState    *state;
	const char **names;
	float8	   *extras;

	state = state_create(fcinfo);
	summary_binary_buffer(PG_GETARG_BYTEA_PP(0), &buf);
	t = lt_read_binary(&buf, false);
	names = palloc(sizeof(char *) * Max(t->ncategories, 1));
	lt_category_names(t, names);
	/* the summary's categories are distinct: they keep their numbers */
	for (int32 c = 0; c < t->ncategories; c++)
		lt_dictionary_index(state->dict, names[c], strlen(names[c]));
	extras = palloc(sizeof(float8) * Max(t->nlines, 1));
	for (int32 i = 0; i < t->nlines; i++)
		extras[i] = (float8) LT_CATEGORY_INDEX(t)[i];
	state->log = order_log_from_columns(LT_TIMES(t), LT_AMOUNTS(t), extras, t->nlines);
	pfree(extras);
	pfree(names);
	pfree(t);
	PG_RETURN_POINTER(state);
}

/*
 * The final function only reads the state (FINALFUNC_MODIFY = READ_ONLY), so a window
 * aggregate can call it again and go on adding rows.  No rows at all give the empty summary.
 */
Datum
loyalty_trend_final(PG_FUNCTION_ARGS)
{
	summary_aggregate_context(fcinfo, LT_TYPE_NAME);
	PG_RETURN_LOYALTY_TREND_P(lt_from_state(PG_GETARG_LT_STATE(0)));
}

/*
 * loyalty_trend(timestamp, float8, text): a timestamp without time zone names no moment, and
 * PostgreSQL would read it in the session TimeZone without a word.  This overload takes it to
 * refuse it, on the first row or, for no rows, in the final function.
 */
static void pg_attribute_noreturn()
refuse_local_times(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("order times must be timestamp with time zone"),
			 errdetail("A timestamp without time zone names no moment: read in the session TimeZone, it can move lines to another month."),
			 errhint("Say which zone the times are in: loyalty_trend(ordered_at AT TIME ZONE 'Europe/London', amount, category).")));
}

Datum
loyalty_trend_trans_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}

Datum
loyalty_trend_final_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}
