/*
 * transitions_accessors.c
 *	  Reading a transitions summary: transition_rates(t), the non-zero cells with the share of
 *	  their from-stage (the Markov matrix of the period), and transition_count(t, from, to), one
 *	  cell.
 */
#include "postgres.h"

#include "funcapi.h"

#include "labels.h"
#include "transitions.h"

PG_FUNCTION_INFO_V1(transitions_rates);
PG_FUNCTION_INFO_V1(transitions_count);

/*
 * transition_rates(t) -> (from_stage, to_stage, customers, rate)
 * One row per cell with customers, ordered by from_stage, then to_stage (the enum's order).
 * rate = customers / all the customers of the from-stage, so the rates of one from-stage sum to
 * 1 (up to rounding).  The from-stage's total is summed in float8: a count beyond 2^53 loses
 * its last digits there, and an exact int64 total could overflow.
 */
Datum
transitions_rates(PG_FUNCTION_ARGS)
{
	Transitions *t = PG_GETARG_TRANSITIONS_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	const Oid  *labels;

	InitMaterializedSRF(fcinfo, 0);
	labels = labels_of_call(fcinfo, TupleDescAttr(rsinfo->setDesc, 0)->atttypid,
							lifecycle_stage_labels, LIFECYCLE_STAGES);
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
	{
		float8		total = 0;

		for (int to = 0; to < LIFECYCLE_STAGES; to++)
			total += (float8) t->counts[from][to];
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
		{
			Datum		values[4];
			bool		isnull[4] = {false, false, false, false};

			if (t->counts[from][to] == 0)
				continue;
			values[0] = ObjectIdGetDatum(labels[from]);
			values[1] = ObjectIdGetDatum(labels[to]);
			values[2] = Int64GetDatum(t->counts[from][to]);
			values[3] = Float8GetDatum((float8) t->counts[from][to] / total);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
		}
	}
	return (Datum) 0;
}

/* transition_count(t, from_stage, to_stage) -> bigint: the customers of one cell, 0 if none. */
Datum
transitions_count(PG_FUNCTION_ARGS)
{
	Transitions *t = PG_GETARG_TRANSITIONS_P(0);
	const Oid  *labels = labels_of_argument(fcinfo, 1, lifecycle_stage_labels,
											 LIFECYCLE_STAGES);
	int			from = labels_index(labels, LIFECYCLE_STAGES, PG_GETARG_OID(1), LIFECYCLE_STAGE_TYPE_NAME);
	int			to = labels_index(labels, LIFECYCLE_STAGES, PG_GETARG_OID(2), LIFECYCLE_STAGE_TYPE_NAME);

	PG_RETURN_INT64(t->counts[from][to]);
}
