/*
 * engagement_agg.c
 *	  The aggregates that build engagement summaries: engagement(at, duration) over
 *	  interactions, and rollup(engagement) over stored summaries.  Both share one transition
 *	  state (the order log of order_log.h, the same machinery the purchase history uses), one
 *	  combine, serialize, deserialize and final function, so they run on parallel workers, and
 *	  rollup of any split equals one pass (the final form is canonical).
 *
 * How an interaction is an entry of the log (time, value, extra), all exact:
 *	- an unknown duration is value -1 (a known one is never negative), extra 0;
 *	- a duration d below 2^53 microseconds (285 years: every real one) is value d, extra 0, so
 *	  an interaction costs one 16-byte slot;
 *	- a longer one is value d - (d mod 2048) and extra d mod 2048: both float8s are exact (the
 *	  first is a multiple of 2048 below 2^63, 52 significant bits), and d is their sum.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/timestamp.h"

#include "engagement.h"
#include "order_log.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(engagement_trans);
PG_FUNCTION_INFO_V1(engagement_rollup_trans);
PG_FUNCTION_INFO_V1(engagement_combine);
PG_FUNCTION_INFO_V1(engagement_serialize);
PG_FUNCTION_INFO_V1(engagement_deserialize);
PG_FUNCTION_INFO_V1(engagement_final);
PG_FUNCTION_INFO_V1(engagement_trans_local);
PG_FUNCTION_INFO_V1(engagement_final_local);

/* ---------------------------------------------------------------------------------------------
 * The log of a group's interactions
 * ---------------------------------------------------------------------------------------------
 */

static const OrderLogLimit eg_log_limit = {EG_MAX_INTERACTIONS, "interactions", "engagement summary", ORDER_LOG_FIRST_CLASS_FEW};

#define EXACT_LIMIT		(INT64CONST(1) << 53)

/* The log's (value, extra) of a duration, and back. */
static inline void
encode_duration(int64 duration, float8 *value, float8 *extra)
{
	int64		low = duration < EXACT_LIMIT ? 0 : duration & 2047;

	*value = (float8) (duration - low);
	*extra = (float8) low;
}

static inline int64
decode_duration(float8 value, float8 extra)
{
	return (int64) value + (int64) extra;
}

static inline Datum
eg_log_append(FunctionCallInfo fcinfo, Datum log, TimestampTz at, int64 duration)
{
	float8		value;
	float8		extra;

	encode_duration(duration, &value, &extra);
	return order_log_append(fcinfo, log, at, value, extra, &eg_log_limit);
}

/* The canonical summary of the interactions of a log (0: none), in the current memory context. */
static Engagement *
eg_from_log(Datum log)
{
	OrderLogReader reader;
	OrderLogEntry entry;
	EgInteractions *list;
	int32		capacity;

	order_log_reader_open(&reader, log);
	/* slots bound the entries from above; a log can hold more than a summary may */
	capacity = (int32) Min(reader.total_slots, (int64) EG_MAX_INTERACTIONS);
	list = eg_list_create(capacity);
	while (order_log_read(&reader, &entry))
	{
		if (unlikely(list->n == capacity))
			eg_error_too_many();
		list->items[list->n].at = entry.at;
		list->items[list->n].duration = decode_duration(entry.value, entry.extra);
		list->n++;
	}
	order_log_reader_close(&reader);
	return eg_from_list(list);
}

/* ---------------------------------------------------------------------------------------------
 * Aggregate support functions
 * ---------------------------------------------------------------------------------------------
 */

static inline void
check_aggregate_context(FunctionCallInfo fcinfo)
{
	summary_aggregate_context(fcinfo, EG_TYPE_NAME);
}

/*
 * engagement(at, duration) transition.  A row whose arguments are both NULL is skipped (what a
 * LEFT JOIN gives a customer without interactions); a NULL duration is an unknown one; a NULL
 * time with a duration is an error, never a silent drop.
 */
Datum
engagement_trans(PG_FUNCTION_ARGS)
{
	TimestampTz at;
	int64		duration = EG_UNKNOWN_DURATION;

	if (PG_ARGISNULL(1))
	{
		if (!PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("interaction time must not be null"),
					 errdetail("An interaction lasting %s has no time.",
							   summary_argument_text(fcinfo, 2))));
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}

	if (PG_ARGISNULL(0))
		check_aggregate_context(fcinfo);	/* once per group: the log lives in its memory */
	at = PG_GETARG_TIMESTAMPTZ(1);
	if (!PG_ARGISNULL(2))
		duration = eg_duration_from_interval(PG_GETARG_INTERVAL_P(2), at);
	eg_check_interaction(at, duration);
	PG_RETURN_DATUM(eg_log_append(fcinfo, PG_GETARG_ORDER_LOG(0), at, duration));
}

/* rollup(engagement) transition: NULL summaries are skipped. */
Datum
engagement_rollup_trans(PG_FUNCTION_ARGS)
{
	Datum		log = PG_GETARG_ORDER_LOG(0);

	check_aggregate_context(fcinfo);
	if (!PG_ARGISNULL(1))
	{
		Engagement *e = PG_GETARG_ENGAGEMENT_P(1);

		for (int32 i = 0; i < e->ninteractions; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			log = eg_log_append(fcinfo, log, EG_TIMES(e)[i], EG_DURATIONS(e)[i]);
		}
	}
	if (log == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(log);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The entries of the second
 * state are copied into the first, which is the only one written.
 */
Datum
engagement_combine(PG_FUNCTION_ARGS)
{
	Datum		log = PG_GETARG_ORDER_LOG(0);

	check_aggregate_context(fcinfo);
	log = order_log_append_log(fcinfo, log, PG_GETARG_ORDER_LOG(1), &eg_log_limit);
	if (log == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(log);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
engagement_serialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	check_aggregate_context(fcinfo);
	pq_begintypsend(&buf);
	eg_write_binary(&buf, eg_from_log(PG_GETARG_ORDER_LOG(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
engagement_deserialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;
	Engagement *e;
	float8	   *values;
	float8	   *extras;
	Datum		log;

	check_aggregate_context(fcinfo);
	summary_binary_buffer(PG_GETARG_BYTEA_PP(0), &buf);
	e = eg_read_binary(&buf);
	values = palloc(sizeof(float8) * Max(e->ninteractions, 1));
	extras = palloc(sizeof(float8) * Max(e->ninteractions, 1));
	for (int32 i = 0; i < e->ninteractions; i++)
		encode_duration(EG_DURATIONS(e)[i], &values[i], &extras[i]);
	log = order_log_from_columns(EG_TIMES(e), values, extras, e->ninteractions);
	pfree(values);
	pfree(extras);
	pfree(e);
	PG_RETURN_DATUM(log);
}

/*
 * The final function only reads the log (FINALFUNC_MODIFY = READ_ONLY), so a window aggregate
 * can call it again and go on adding rows.  No rows at all give the empty summary.
 */
Datum
engagement_final(PG_FUNCTION_ARGS)
{
	check_aggregate_context(fcinfo);
	PG_RETURN_ENGAGEMENT_P(eg_from_log(PG_GETARG_ORDER_LOG(0)));
}

/*
 * engagement(timestamp, interval): a timestamp without time zone names no moment, and
 * PostgreSQL would read it in the session TimeZone without a word.  This overload takes it to
 * refuse it, on the first row or, for no rows, in the final function.
 */
static void pg_attribute_noreturn()
refuse_local_times(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("interaction times must be timestamp with time zone"),
			 errdetail("A timestamp without time zone names no moment: read in the session TimeZone, it can move interactions to another day."),
			 errhint("Say which zone the times are in: engagement(at AT TIME ZONE 'Europe/London', duration).")));
}

Datum
engagement_trans_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}

Datum
engagement_final_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}
