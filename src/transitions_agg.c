/*
 * transitions_agg.c
 *	  The aggregates that build transitions summaries: transitions(from_stage, to_stage) over one
 *	  row per customer (its stage at the start and at the end of a period), and
 *	  rollup(transitions) over stored summaries.  Both share one transition state (a matrix of
 *	  counts), one combine, serialize, deserialize and final function, so they run on parallel
 *	  workers, and rollup of any split of the customers equals one pass: counts add exactly.
 *
 * No counted row gives NULL, as sum() does: a row with either stage NULL (a customer not yet
 * known at the start, or a LEFT JOIN row) is skipped, and rollup skips NULL summaries.
 */
#include "postgres.h"

#include "libpq/pqformat.h"

#include "labels.h"
#include "summary.h"
#include "transitions.h"

PG_FUNCTION_INFO_V1(transitions_trans);
PG_FUNCTION_INFO_V1(transitions_rollup_trans);
PG_FUNCTION_INFO_V1(transitions_combine);
PG_FUNCTION_INFO_V1(transitions_serialize);
PG_FUNCTION_INFO_V1(transitions_deserialize);
PG_FUNCTION_INFO_V1(transitions_final);

/* The state is a Transitions value in the aggregate's memory: 520 bytes a group. */
#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (Transitions *) PG_GETARG_POINTER(n))

/* The group's matrix, created in the aggregate's memory on its first counted row. */
static Transitions *
group_state(FunctionCallInfo fcinfo, Transitions *state)
{
	MemoryContext context = summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	MemoryContext old;

	if (state != NULL)
		return state;
	old = MemoryContextSwitchTo(context);
	state = transitions_allocate();
	MemoryContextSwitchTo(old);
	return state;
}

static Datum
return_state(Transitions *state, FunctionCallInfo fcinfo)
{
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * transitions(from_stage, to_stage) transition.  The stages arrive as label OIDs of the
 * argument's enum type; labels.h turns them into positions, looked up once per call site.
 */
Datum
transitions_trans(PG_FUNCTION_ARGS)
{
	Transitions *state = PG_GETARG_STATE(0);
	const Oid  *labels;
	int			from,
				to;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
		return return_state(state, fcinfo);
	}
	state = group_state(fcinfo, state);
	labels = labels_of_argument(fcinfo, 1, lifecycle_stage_labels, LIFECYCLE_STAGES);
	from = labels_index(labels, LIFECYCLE_STAGES, PG_GETARG_OID(1), LIFECYCLE_STAGE_TYPE_NAME);
	to = labels_index(labels, LIFECYCLE_STAGES, PG_GETARG_OID(2), LIFECYCLE_STAGE_TYPE_NAME);
	transitions_add(state, from, to, 1);
	PG_RETURN_POINTER(state);
}

/* rollup(transitions) transition: NULL summaries are skipped. */
Datum
transitions_rollup_trans(PG_FUNCTION_ARGS)
{
	Transitions *state = PG_GETARG_STATE(0);

	summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	if (!PG_ARGISNULL(1))
	{
		state = group_state(fcinfo, state);
		transitions_add_all(state, PG_GETARG_TRANSITIONS_P(1));
	}
	return return_state(state, fcinfo);
}

/* Not strict: either state may be NULL (a worker that saw no rows).  other is only read. */
Datum
transitions_combine(PG_FUNCTION_ARGS)
{
	Transitions *state = PG_GETARG_STATE(0);
	Transitions *other = PG_GETARG_STATE(1);

	summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	if (other != NULL)
	{
		state = group_state(fcinfo, state);
		transitions_add_all(state, other);
	}
	return return_state(state, fcinfo);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
transitions_serialize(PG_FUNCTION_ARGS)
{
	summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	PG_RETURN_BYTEA_P(transitions_binary((Transitions *) PG_GETARG_POINTER(0)));
}

Datum
transitions_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;

	summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	PG_RETURN_POINTER(transitions_read_binary(&buf));
}

/*
 * The final function returns a copy, so that the state stays the aggregate's to add to (window
 * use calls it again: FINALFUNC_MODIFY = READ_ONLY).  No counted row: NULL.
 */
Datum
transitions_final(PG_FUNCTION_ARGS)
{
	Transitions *state = PG_GETARG_STATE(0);
	Transitions *result;

	summary_aggregate_context(fcinfo, TRANSITIONS_TYPE_NAME);
	if (state == NULL)
		PG_RETURN_NULL();
	result = transitions_allocate();
	memcpy(result->counts, state->counts, sizeof(result->counts));
	PG_RETURN_TRANSITIONS_P(result);
}
