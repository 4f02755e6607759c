/*
 * cohorts_agg.c
 *	  The aggregates that build cohort summaries: cohorts(h [, unit]) over a customer table (one
 *	  purchase history a customer), and rollup(cohorts) over stored summaries.  Both share one
 *	  transition state (the builder of cohorts.h), one combine, serialize, deserialize and final
 *	  function, so they run on parallel workers and on shards, and rollup of any split of the
 *	  customers equals one pass (the final form is canonical, and money sums are exact).
 *
 * A customer: the calendar days of its orders in the session TimeZone, their periods; the
 * cohort is the earliest period (the first purchase's; only a zone's backward jump over a
 * period's first midnight could make a later order's day earlier), and each period with an
 * order counts the customer once and adds the orders' amounts.  That is the only place the
 * session TimeZone enters: the summary keeps dates and period numbers.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"

#include "calendar.h"
#include "cohorts.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(cohorts_trans);
PG_FUNCTION_INFO_V1(cohorts_rollup_trans);
PG_FUNCTION_INFO_V1(cohorts_combine);
PG_FUNCTION_INFO_V1(cohorts_serialize);
PG_FUNCTION_INFO_V1(cohorts_deserialize);
PG_FUNCTION_INFO_V1(cohorts_final);

#define PG_GETARG_BUILDER(n)	(PG_ARGISNULL(n) ? NULL : (ChBuilder *) PG_GETARG_POINTER(n))

/*
 * The days and periods of one customer's orders, and which of its periods are counted:
 * reused from row to row (fn_extra).
 */
typedef struct Scratch
{
	int32		capacity;
	DateADT    *days;
	int32	   *periods;
	bool		counted[CH_MAX_PERIODS];	/* by offset; all false between customers */
} Scratch;

static Scratch *
scratch_for(FunctionCallInfo fcinfo, int32 n)
{
	Scratch    *s = fcinfo->flinfo->fn_extra;

	if (s == NULL)
	{
		s = MemoryContextAllocZero(fcinfo->flinfo->fn_mcxt, sizeof(Scratch));
		fcinfo->flinfo->fn_extra = s;
	}
	if (n > s->capacity)
	{
		int32		capacity = Max(n, Min(2 * (int64) s->capacity, (int64) PH_MAX_ORDERS));

		if (s->days != NULL)
		{
			pfree(s->days);
			pfree(s->periods);
		}
		s->days = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt, sizeof(DateADT) * capacity);
		s->periods = MemoryContextAllocHuge(fcinfo->flinfo->fn_mcxt, sizeof(int32) * capacity);
		s->capacity = capacity;
	}
	return s;
}

/* Adds one customer (a purchase history with orders). */
static void
add_customer(FunctionCallInfo fcinfo, ChBuilder *b, const PurchaseHistory *ph)
{
	int32		n = ph->norders;
	const float8 *amounts = PH_AMOUNTS(ph);
	Scratch    *s = scratch_for(fcinfo, n);
	int32		cohort,
				latest;
	ChCell	   *cells;

	calendar_local_days(PH_TIMES(ph), n, s->days);
	s->periods[0] = cohort = latest = ch_period_of(b->unit, s->days[0]);
	for (int32 i = 1; i < n; i++)
	{
		/* orders come in days: a period is computed once a day */
		s->periods[i] = s->days[i] == s->days[i - 1] ? s->periods[i - 1] :
			ch_period_of(b->unit, s->days[i]);
		cohort = Min(cohort, s->periods[i]);
		latest = Max(latest, s->periods[i]);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	/* the customer counts once in each period it bought in, whatever the order of its days */
	cells = ch_builder_cells(b, cohort, latest - cohort);
	for (int32 i = 0; i < n; i++)
	{
		int32		offset = s->periods[i] - cohort;

		ch_cell_add_revenue(&cells[offset], amounts[i]);
		if (!s->counted[offset])
		{
			s->counted[offset] = true;
			cells[offset].retained++;
		}
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (int32 i = 0; i < n; i++)
		s->counted[s->periods[i] - cohort] = false;
}

/*
 * cohorts(h [, unit]) transition.  A NULL or empty purchase history is skipped (a customer with
 * no order is in no cohort); a NULL unit is an error, and so is a unit that changes from row to
 * row.
 */
Datum
cohorts_trans(PG_FUNCTION_ARGS)
{
	ChBuilder  *b = PG_GETARG_BUILDER(0);
	MemoryContext context = summary_aggregate_context(fcinfo, CH_TYPE_NAME);
	CohortUnit	unit = CH_UNIT_MONTH;

	if (PG_NARGS() > 2)
	{
		text	   *name;

		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("unit must not be null"),
					 errhint("The unit is week, month, quarter or year; cohorts(h) counts in months.")));
		name = PG_GETARG_TEXT_PP(2);
		unit = ch_unit_from_name(VARDATA_ANY(name), VARSIZE_ANY_EXHDR(name));
	}
	if (b == NULL)
		b = ch_builder_create(context, unit);
	else if (b->unit != unit)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit must be the same for every row"),
				 errdetail("The first row counts in %ss, this one in %ss.",
						   ch_unit_name(b->unit), ch_unit_name(unit))));

	if (!PG_ARGISNULL(1))
	{
		PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(1);

		if (ph->norders > 0)
			add_customer(fcinfo, b, ph);
	}
	PG_RETURN_POINTER(b);
}

/* rollup(cohorts) transition: NULL summaries are skipped; units must agree (22023). */
Datum
cohorts_rollup_trans(PG_FUNCTION_ARGS)
{
	ChBuilder  *b = PG_GETARG_BUILDER(0);
	MemoryContext context = summary_aggregate_context(fcinfo, CH_TYPE_NAME);

	if (!PG_ARGISNULL(1))
	{
		Cohorts    *ch = PG_GETARG_COHORTS_P(1);

		if (b == NULL)
			b = ch_builder_create(context, ch->unit);
		ch_builder_add_value(b, ch);
	}
	if (b == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(b);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The cells of the second
 * state are added to the first: the second is only read, and may live in short-lived memory.
 */
Datum
cohorts_combine(PG_FUNCTION_ARGS)
{
	ChBuilder  *b = PG_GETARG_BUILDER(0);
	ChBuilder  *other = PG_GETARG_BUILDER(1);
	MemoryContext context = summary_aggregate_context(fcinfo, CH_TYPE_NAME);

	if (other != NULL)
	{
		if (b == NULL)
			b = ch_builder_create(context, other->unit);
		ch_builder_add_builder(b, other);
	}
	if (b == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(b);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
cohorts_serialize(PG_FUNCTION_ARGS)
{
	summary_aggregate_context(fcinfo, CH_TYPE_NAME);
	PG_RETURN_BYTEA_P(ch_binary(ch_from_builder((ChBuilder *) PG_GETARG_POINTER(0))));
}

Datum
cohorts_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	Cohorts    *ch;
	ChBuilder  *b;

	summary_aggregate_context(fcinfo, CH_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	ch = ch_read_binary(&buf);
	b = ch_builder_create(CurrentMemoryContext, ch->unit);
	ch_builder_add_value(b, ch);
	pfree(ch);
	PG_RETURN_POINTER(b);
}

/*
 * The final function only reads the builder (FINALFUNC_MODIFY = READ_ONLY), so a window
 * aggregate can call it again and go on adding rows.  No rows at all give NULL: without a row
 * there is no unit.
 */
Datum
cohorts_final(PG_FUNCTION_ARGS)
{
	ChBuilder  *b = PG_GETARG_BUILDER(0);

	summary_aggregate_context(fcinfo, CH_TYPE_NAME);
	if (b == NULL)
		PG_RETURN_NULL();
	PG_RETURN_COHORTS_P(ch_from_builder(b));
}
