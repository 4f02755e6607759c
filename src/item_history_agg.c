/*
 * item_history_agg.c
 *	  The aggregates that build item histories: item_history(ordered_at, quantity [, coupon])
 *	  over purchase lines of one customer and one product, and rollup(item_history) over stored
 *	  summaries.  The transition state is the order log of order_log.h, holding exactly what the
 *	  purchase history's holds: a line is an entry (time, quantity, coupon), its coupon the
 *	  entry's extra value, so a line without one costs a single 16-byte slot.  The state is the
 *	  same, and so is the summary's layout: the combine, serialize, deserialize and final
 *	  functions are the purchase history's own (src/item_history.sql declares them over the
 *	  purchase_history_* symbols), not copies.  Only what reads a row or a stored summary is
 *	  here, so that its checks and messages speak of lines and quantities.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/datetime.h"

#include "calendar.h"
#include "item_history.h"
#include "order_log.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(item_history_trans);
PG_FUNCTION_INFO_V1(item_history_rollup_trans);
PG_FUNCTION_INFO_V1(item_history_trans_local);
PG_FUNCTION_INFO_V1(item_history_final_local);

static const OrderLogLimit ih_log_limit = {IH_MAX_LINES, "lines", "item history", ORDER_LOG_FIRST_CLASS_ONE};

static inline void
check_aggregate_context(FunctionCallInfo fcinfo)
{
	summary_aggregate_context(fcinfo, IH_TYPE_NAME);
}

/*
 * item_history(ordered_at, quantity [, coupon]) transition.  A row whose arguments are all
 * NULL is skipped (a LEFT JOIN's customer without lines); a NULL coupon is no coupon; a NULL
 * time or quantity in an otherwise present line is an error, never a silent drop.
 */
Datum
item_history_trans(PG_FUNCTION_ARGS)
{
	bool		coupon_null = PG_NARGS() < 4 || PG_ARGISNULL(3);
	TimestampTz at;
	float8		quantity;
	float8		coupon;
	char		buf[MAXDATELEN + 1];

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && coupon_null)
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	if (PG_ARGISNULL(1))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("line time must not be null"),
				 errdetail("A line with quantity %s has no time.",
						   PG_ARGISNULL(2) ? "NULL" : summary_argument_text(fcinfo, 2))));
	if (PG_ARGISNULL(2))
	{
		calendar_utc_text(PG_GETARG_TIMESTAMPTZ(1), false, buf);
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("quantity must not be null"),
				 errdetail("The line at %s has no quantity.", buf)));
	}

	if (PG_ARGISNULL(0))
		check_aggregate_context(fcinfo);	/* once per group: the log lives in its memory */
	at = PG_GETARG_TIMESTAMPTZ(1);
	quantity = PG_GETARG_FLOAT8(2);
	coupon = coupon_null ? 0.0 : PG_GETARG_FLOAT8(3);
	ih_check_line_fast(at, quantity, coupon);
	/* -0 is stored as +0, so the bytes of the final summary are canonical */
	PG_RETURN_DATUM(order_log_append(fcinfo, PG_GETARG_ORDER_LOG(0), at, quantity + 0.0,
									 coupon + 0.0, &ih_log_limit));
}

/* rollup(item_history) transition: NULL summaries are skipped. */
Datum
item_history_rollup_trans(PG_FUNCTION_ARGS)
{
	Datum		log = PG_GETARG_ORDER_LOG(0);

	check_aggregate_context(fcinfo);
	if (!PG_ARGISNULL(1))
	{
		ItemHistory *ih = PG_GETARG_ITEM_HISTORY_P(1);

		for (int32 i = 0; i < ih->norders; i++)
		{
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
			log = order_log_append(fcinfo, log, IH_TIMES(ih)[i], IH_QUANTITIES(ih)[i],
								   IH_COUPON(ih, i), &ih_log_limit);
		}
	}
	if (log == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(log);
}

/* item_history(timestamp, ...): refused, as purchase_history(timestamp, ...) is. */
static void pg_attribute_noreturn()
refuse_local_times(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("line times must be timestamp with time zone"),
			 errdetail("A timestamp without time zone names no moment: read in the session TimeZone, it can move purchases to another day."),
			 errhint("Say which zone the times are in: item_history(ordered_at AT TIME ZONE 'Europe/London', quantity).")));
}

Datum
item_history_trans_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}

Datum
item_history_final_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}
