/*
 * engagement_accessors.c
 *	  The SQL functions that read an engagement summary: point-in-time slices (as_of, during),
 *	  the accessors (counts, durations, first and last interaction, interactions per week), the
 *	  interactions themselves, and browsing_without_buying, which reads a purchase history too.
 *
 * Which parameter belongs where: the aggregate takes only the interactions; every "as of" date
 * is an accessor argument, so one stored summary answers for any date.
 */
#include "postgres.h"

#include "common/int.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"
#include "utils/tuplestore.h"

#include "calendar.h"
#include "engagement.h"
#include "purchase_history.h"

PG_FUNCTION_INFO_V1(engagement_as_of);
PG_FUNCTION_INFO_V1(engagement_during);
PG_FUNCTION_INFO_V1(engagement_interaction_count);
PG_FUNCTION_INFO_V1(engagement_total_duration);
PG_FUNCTION_INFO_V1(engagement_first_interaction);
PG_FUNCTION_INFO_V1(engagement_last_interaction);
PG_FUNCTION_INFO_V1(engagement_interactions_per_week);
PG_FUNCTION_INFO_V1(engagement_interactions);
PG_FUNCTION_INFO_V1(engagement_browsing_without_buying);

/* ---------------------------------------------------------------------------------------------
 * Slicing by time
 * ---------------------------------------------------------------------------------------------
 */

/* How many interactions are at or before t. */
static inline int32
count_up_to(const Engagement *e, TimestampTz t)
{
	return calendar_count_before(EG_TIMES(e), e->ninteractions, t, true);
}

/* as_of(e, t): the interactions at or before t; nothing from the future. */
Datum
engagement_as_of(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	int32		n = count_up_to(e, PG_GETARG_TIMESTAMPTZ(1));

	if (n == e->ninteractions)
		PG_RETURN_ENGAGEMENT_P(e);
	PG_RETURN_ENGAGEMENT_P(eg_slice(e, 0, n));
}

/* during(e, range): the interactions inside a tstzrange, honouring its bounds. */
Datum
engagement_during(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	int32		from,
				to;

	calendar_range_indices(EG_TIMES(e), e->ninteractions, PG_GETARG_RANGE_P(1), &from, &to);
	PG_RETURN_ENGAGEMENT_P(eg_slice(e, from, to));
}

/* ---------------------------------------------------------------------------------------------
 * Accessors
 * ---------------------------------------------------------------------------------------------
 */

Datum
engagement_interaction_count(PG_FUNCTION_ARGS)
{
	/* the count is in the header: read only that much of a large, toasted summary */
	PG_RETURN_INT32(eg_stored_count(PG_GETARG_DATUM(0)));
}

/*
 * The sum of the known durations, NULL when none is known.  The interval has no days: a
 * duration is absolute time, and at + total_duration(e) must not move by an hour across a
 * daylight-saving change, as adding '1 day' does.
 */
Datum
engagement_total_duration(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	const int64 *durations = EG_DURATIONS(e);
	Interval   *result;
	int64		total = 0;
	bool		known = false;

	for (int32 i = 0; i < e->ninteractions; i++)
	{
		if (durations[i] == EG_UNKNOWN_DURATION)
			continue;
		known = true;
		if (pg_add_s64_overflow(total, durations[i], &total))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("interval out of range"),
					 errdetail("The durations add up to more microseconds than a bigint holds.")));
	}
	if (!known)
		PG_RETURN_NULL();
	result = palloc0(sizeof(Interval));
	result->time = total;
	PG_RETURN_INTERVAL_P(result);
}

Datum
engagement_first_interaction(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);

	if (e->ninteractions == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(EG_TIMES(e)[0]);
}

Datum
engagement_last_interaction(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);

	if (e->ninteractions == 0)
		PG_RETURN_NULL();
	PG_RETURN_TIMESTAMPTZ(EG_TIMES(e)[e->ninteractions - 1]);
}

/*
 * The interactions at or before as_of, divided by the weeks (7 x 24 hours) from the first
 * interaction to as_of, counting at least one week: a customer seen twice yesterday has 2 a
 * week, not 14.  NULL when no interaction is at or before as_of.
 */
Datum
engagement_interactions_per_week(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	TimestampTz as_of = PG_GETARG_TIMESTAMPTZ(1);
	int32		n;
	float8		weeks;

	calendar_check_as_of(as_of);
	n = count_up_to(e, as_of);
	if (n == 0)
		PG_RETURN_NULL();
	weeks = (float8) calendar_elapsed(as_of, EG_TIMES(e)[0]) / (7 * USECS_PER_DAY);
	PG_RETURN_FLOAT8(n / Max(weeks, 1.0));
}

/* interactions(e): the interactions, one row each, in time order (NULL: unknown duration). */
Datum
engagement_interactions(PG_FUNCTION_ARGS)
{
	Engagement *e = PG_GETARG_ENGAGEMENT_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	int64	   *times = EG_TIMES(e);
	int64	   *durations = EG_DURATIONS(e);

	InitMaterializedSRF(fcinfo, 0);
	for (int32 i = 0; i < e->ninteractions; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, durations[i] == EG_UNKNOWN_DURATION};
		Interval   *duration = palloc0(sizeof(Interval));

		duration->time = durations[i];
		values[0] = TimestampTzGetDatum(times[i]);
		values[1] = IntervalPGetDatum(duration);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
		pfree(duration);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return (Datum) 0;
}

/* ---------------------------------------------------------------------------------------------
 * browsing_without_buying(e, h, as_of, min_interactions, within)
 * ---------------------------------------------------------------------------------------------
 */

/*
 * At least min_interactions interactions in (max(last purchase at or before as_of, as_of -
 * within), as_of]: a customer who keeps coming back and has bought nothing since (did not find
 * the product, or waits for a promotion).  A NULL purchase history is a customer who never
 * bought; a NULL engagement one who never interacted (false).  A NULL as_of, min_interactions
 * or within gives NULL.  as_of - within is timestamptz arithmetic in the session TimeZone, as
 * SQL's own (STABLE).
 */
Datum
engagement_browsing_without_buying(PG_FUNCTION_ARGS)
{
	TimestampTz as_of;
	TimestampTz since;
	int32		min_interactions;
	Engagement *e;

	if (PG_ARGISNULL(2) || PG_ARGISNULL(3) || PG_ARGISNULL(4))
		PG_RETURN_NULL();
	as_of = PG_GETARG_TIMESTAMPTZ(2);
	min_interactions = PG_GETARG_INT32(3);
	calendar_check_as_of(as_of);
	if (min_interactions < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_interactions must be at least 1, not %d", min_interactions)));
	since = DatumGetTimestampTz(DirectFunctionCall2(timestamptz_mi_interval,
													TimestampTzGetDatum(as_of),
													PG_GETARG_DATUM(4)));
	if (since > as_of)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("within must not be negative"),
				 errdetail("The window would start at %s, after the as-of time.",
						   timestamptz_to_str(since))));

	if (PG_ARGISNULL(0))
		PG_RETURN_BOOL(false);
	e = PG_GETARG_ENGAGEMENT_P(0);
	if (!PG_ARGISNULL(1))
	{
		PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(1);
		int32		orders = ph_count_before(ph, as_of, true);

		if (orders > 0 && PH_TIMES(ph)[orders - 1] > since)
			since = PH_TIMES(ph)[orders - 1];
	}
	PG_RETURN_BOOL(count_up_to(e, as_of) - count_up_to(e, since) >= min_interactions);
}
