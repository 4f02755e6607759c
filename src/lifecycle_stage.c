/*
 * lifecycle_stage.c
 *	  The SQL functions of the lifecycle rules (lifecycle.c): lifecycle_policy(...) builds a
 *	  checked policy; stage(...) is the stage as of a time; stage_changes(...) every change of a
 *	  customer's life at its exact time; stage_timeline(...) the stage sampled on a calendar.
 *
 * The four life arguments (registered_at, closed_at, purchases, engagement) may each be NULL,
 * meaning "none", so none of these functions is STRICT; a NULL time asked about (as_of, from,
 * to, step) or a NULL policy gives NULL or no rows.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "labels.h"
#include "lifecycle.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(lifecycle_policy_make);
PG_FUNCTION_INFO_V1(lifecycle_stage);
PG_FUNCTION_INFO_V1(lifecycle_stage_changes);
PG_FUNCTION_INFO_V1(lifecycle_stage_timeline);

/* The life arguments are the first four of stage, stage_changes and stage_timeline. */
#define LIFE_ARGUMENTS	4

Datum
lifecycle_policy_make(PG_FUNCTION_ARGS)
{
	TupleDesc	desc;
	Datum		values[POLICY_ATTRIBUTES];
	bool		isnull[POLICY_ATTRIBUTES];
	HeapTuple	tuple;
	LifecyclePolicy policy;

	desc = summary_result_desc(fcinfo);
	for (int i = 0; i < POLICY_ATTRIBUTES; i++)
	{
		values[i] = PG_GETARG_DATUM(i);
		isnull[i] = PG_ARGISNULL(i);
	}
	tuple = heap_form_tuple(desc, values, isnull);
	/* The same checks as every function that reads a policy, made now. */
	lifecycle_policy_read(tuple->t_data, &policy);
	PG_RETURN_DATUM(HeapTupleGetDatum(tuple));
}

static void
prepare(FunctionCallInfo fcinfo, int policy_argument, LifecyclePolicy *policy, LifecycleCustomer *customer)
{
	Datum		values[LIFE_ARGUMENTS];
	bool		isnull[LIFE_ARGUMENTS];

	lifecycle_policy_read(PG_GETARG_HEAPTUPLEHEADER(policy_argument), policy);
	for (int i = 0; i < LIFE_ARGUMENTS; i++)
	{
		values[i] = PG_GETARG_DATUM(i);
		isnull[i] = PG_ARGISNULL(i);
	}
	lifecycle_customer_prepare(customer, policy, values, isnull);
}

/* stage(registered_at, closed_at, purchases, engagement, as_of, policy) */
Datum
lifecycle_stage(PG_FUNCTION_ARGS)
{
	LifecyclePolicy policy;
	LifecycleCustomer customer;
	TimestampTz as_of;
	const Oid  *labels;

	if (PG_ARGISNULL(4) || PG_ARGISNULL(5))
		PG_RETURN_NULL();
	as_of = PG_GETARG_TIMESTAMPTZ(4);
	calendar_check_as_of(as_of);
	prepare(fcinfo, 5, &policy, &customer);
	labels = labels_of_call(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid),
							lifecycle_stage_labels, LIFECYCLE_STAGES);
	PG_RETURN_OID(labels[lifecycle_stage_at(&customer, &policy, as_of)]);
}

/* The OIDs of the stage labels, from the type of result column `column` (1-based). */
static const Oid *
labels_of_column(FunctionCallInfo fcinfo, int column)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;

	return labels_of_call(fcinfo, TupleDescAttr(rsinfo->setDesc, column - 1)->atttypid,
						  lifecycle_stage_labels, LIFECYCLE_STAGES);
}

/*
 * stage_changes(registered_at, closed_at, purchases, engagement, policy, until)
 *	  -> (changed_at, from_stage, to_stage)
 * The first row is the stage at the first event (from_stage NULL); then every change up to
 * until (every scheduled one when until is NULL).
 */
Datum
lifecycle_stage_changes(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LifecyclePolicy policy;
	LifecycleCustomer customer;
	bool		bounded = !PG_ARGISNULL(5);
	TimestampTz until = bounded ? PG_GETARG_TIMESTAMPTZ(5) : DT_NOEND;
	TimestampTz *times;
	int32		n;
	int			previous = -1;
	const Oid  *labels;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(4))
		return (Datum) 0;
	prepare(fcinfo, 4, &policy, &customer);
	labels = labels_of_column(fcinfo, 2);
	times = lifecycle_change_candidates(&customer, &policy, &n);
	for (int32 i = 0; i < n && times[i] <= until; i++)
	{
		LifecycleStage stage = lifecycle_stage_at(&customer, &policy, times[i]);

		if ((int) stage != previous)
		{
			Datum		values[3];
			bool		isnull[3] = {false, previous < 0, false};

			values[0] = TimestampTzGetDatum(times[i]);
			values[1] = previous < 0 ? (Datum) 0 : ObjectIdGetDatum(labels[previous]);
			values[2] = ObjectIdGetDatum(labels[stage]);
			tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
			previous = stage;
		}
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/*
 * stage_timeline(registered_at, closed_at, purchases, engagement, policy, from, to, step)
 *	  -> (at, stage)
 * The sample times are from + k * step, k = 0, 1, ..., up to to: multiples of the step from the
 * start, so that month ends stay month ends ('2025-01-31' + 2 months is March 31), where
 * adding a month at a time would drift to the 28th.
 */
Datum
lifecycle_stage_timeline(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	LifecyclePolicy policy;
	LifecycleCustomer customer;
	TimestampTz from,
				to;
	Interval   *step;
	const Oid  *labels;

	InitMaterializedSRF(fcinfo, 0);
	if (PG_ARGISNULL(4) || PG_ARGISNULL(5) || PG_ARGISNULL(6) || PG_ARGISNULL(7))
		return (Datum) 0;
	from = PG_GETARG_TIMESTAMPTZ(5);
	to = PG_GETARG_TIMESTAMPTZ(6);
	step = PG_GETARG_INTERVAL_P(7);
	calendar_check_as_of(from);
	calendar_check_as_of(to);
	/* forward in every part, so that the sample times ascend and the loop may stop past to */
	lifecycle_check_forward(step, "step");
	prepare(fcinfo, 4, &policy, &customer);
	labels = labels_of_column(fcinfo, 2);
	for (int64 k = 0;; k++)
	{
		Interval   *offset = DatumGetIntervalP(DirectFunctionCall2(interval_mul, IntervalPGetDatum(step),
																	Float8GetDatum((float8) k)));
		TimestampTz at = lifecycle_add(from, offset);
		Datum		values[2];
		bool		isnull[2] = {false, false};

		if (at > to)
			break;
		values[0] = TimestampTzGetDatum(at);
		values[1] = ObjectIdGetDatum(labels[lifecycle_stage_at(&customer, &policy, at)]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, isnull);
		pfree(offset);
		CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}
