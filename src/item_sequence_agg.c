/*
 * item_sequence_agg.c
 *	  The aggregates that build item sequences: item_sequence(ordered_at, item) over one
 *	  customer's purchase lines (item bigint or text), and rollup(item_sequence) over stored
 *	  summaries.  They share one transition state (an IsBuilder in the aggregate's memory), one
 *	  combine, serialize, deserialize and final function; the final form is canonical, so any
 *	  split of the rows (parallel workers, rollup of parts) gives the same bytes as one pass.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "calendar.h"
#include "item_sequence.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(item_sequence_trans);
PG_FUNCTION_INFO_V1(item_sequence_trans_text);
PG_FUNCTION_INFO_V1(item_sequence_rollup_trans);
PG_FUNCTION_INFO_V1(item_sequence_combine);
PG_FUNCTION_INFO_V1(item_sequence_serialize);
PG_FUNCTION_INFO_V1(item_sequence_deserialize);
PG_FUNCTION_INFO_V1(item_sequence_final);
PG_FUNCTION_INFO_V1(item_sequence_trans_local);
PG_FUNCTION_INFO_V1(item_sequence_final_local);

static IsBuilder *
state_of(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return is_builder_create(summary_aggregate_context(fcinfo, IS_TYPE_NAME));
	return (IsBuilder *) PG_GETARG_POINTER(0);
}

/* A purchase with an item and no time is an error, never a silent drop. */
static void
check_time(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("purchase time must not be null"),
				 errdetail("A purchase of item %s has no time.", summary_argument_text(fcinfo, 2))));
	calendar_check_order_time(PG_GETARG_TIMESTAMPTZ(1));
}

/*
 * One row: a NULL item is skipped (a LEFT JOIN's customer without lines); a bigint item is
 * kept as its decimal text, so that item_sequence(t, 42) and item_sequence(t, '42') are the
 * same summary.
 */
static Datum
add_row(FunctionCallInfo fcinfo, bool text_item)
{
	IsBuilder  *b;

	if (PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	check_time(fcinfo);
	b = state_of(fcinfo);
	if (text_item)
	{
		text	   *t = PG_GETARG_TEXT_PP(2);

		is_builder_add(b, PG_GETARG_TIMESTAMPTZ(1), VARDATA_ANY(t), VARSIZE_ANY_EXHDR(t));
	}
	else
		is_builder_add_number(b, PG_GETARG_TIMESTAMPTZ(1), PG_GETARG_INT64(2));
	PG_RETURN_POINTER(b);
}

/* item_sequence(ordered_at, item bigint) transition. */
Datum
item_sequence_trans(PG_FUNCTION_ARGS)
{
	return add_row(fcinfo, false);
}

/* item_sequence(ordered_at, item text) transition. */
Datum
item_sequence_trans_text(PG_FUNCTION_ARGS)
{
	return add_row(fcinfo, true);
}

/* rollup(item_sequence) transition: NULL summaries are skipped. */
Datum
item_sequence_rollup_trans(PG_FUNCTION_ARGS)
{
	IsBuilder  *b = state_of(fcinfo);

	if (!PG_ARGISNULL(1))
	{
		ItemSequence *s = PG_GETARG_ITEM_SEQUENCE_P(1);

		is_builder_add_sequence(b, s, 0, s->nevents);
	}
	PG_RETURN_POINTER(b);
}

/* Both states live in the aggregate's memory: the second one's item text is shared. */
Datum
item_sequence_combine(PG_FUNCTION_ARGS)
{
	IsBuilder  *b;

	summary_aggregate_context(fcinfo, IS_TYPE_NAME);
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_POINTER(PG_GETARG_POINTER(0));
	}
	b = state_of(fcinfo);
	is_builder_add_builder(b, (IsBuilder *) PG_GETARG_POINTER(1));
	PG_RETURN_POINTER(b);
}

/* The state travels as the binary form of its summary. */
Datum
item_sequence_serialize(PG_FUNCTION_ARGS)
{
	IsBuilder  *b = (IsBuilder *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, IS_TYPE_NAME);
	pq_begintypsend(&buf);
	is_write_binary(&buf, is_build(b));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
item_sequence_deserialize(PG_FUNCTION_ARGS)
{
	MemoryContext cxt = summary_aggregate_context(fcinfo, IS_TYPE_NAME);
	StringInfoData buf;
	ItemSequence *s;
	IsBuilder  *b;

	summary_binary_buffer(PG_GETARG_BYTEA_PP(0), &buf);
	s = is_read_binary(&buf);
	b = is_builder_create(cxt);
	is_builder_add_sequence(b, s, 0, s->nevents);
	PG_RETURN_POINTER(b);
}

/*
 * No rows with an item: the empty sequence, as for the other summaries of one customer.  The
 * build sorts the state's events and drops repeats in place: the state still holds the same
 * set of events, so the final function can run again (READ_ONLY, window use).
 */
Datum
item_sequence_final(PG_FUNCTION_ARGS)
{
	IsBuilder  *b;

	summary_aggregate_context(fcinfo, IS_TYPE_NAME);
	if (PG_ARGISNULL(0))
	{
		IsBuilder	empty = {0};

		PG_RETURN_ITEM_SEQUENCE_P(is_build(&empty));
	}
	b = (IsBuilder *) PG_GETARG_POINTER(0);
	PG_RETURN_ITEM_SEQUENCE_P(is_build(b));
}

/*
 * item_sequence(timestamp, ...): a timestamp without time zone names no moment, and
 * PostgreSQL would cast it in the session TimeZone without a word; refused, as
 * purchase_history(timestamp, ...) is, on the first row or in the final function.
 */
static void pg_attribute_noreturn()
refuse_local_times(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("purchase times must be timestamp with time zone"),
			 errdetail("A timestamp without time zone names no moment: read in the session TimeZone, it can move purchases across a path's window."),
			 errhint("Say which zone the times are in: item_sequence(ordered_at AT TIME ZONE 'Europe/London', item).")));
}

Datum
item_sequence_trans_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}

Datum
item_sequence_final_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}
