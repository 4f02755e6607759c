/*
 * purchase_history_agg.c
 *	  The aggregates that build purchase histories: purchase_history(ordered_at, amount
 *	  [, coupon]) over orders, and rollup(purchase_history) over stored summaries.  Both share
 *	  one transition state (the order log of order_log.h), one combine, serialize, deserialize and
 *	  final function, so they run on parallel workers and on shards, and rollup of any split of
 *	  the orders equals one pass (the final form is canonical).
 *
 * How a purchase history uses the log: an order is an entry (time, amount, coupon); its coupon
 * is the entry's extra value, so an order without one costs a single 16-byte slot.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "order_log.h"
#include "purchase_history.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(purchase_history_trans);
PG_FUNCTION_INFO_V1(purchase_history_trans_numeric);
PG_FUNCTION_INFO_V1(purchase_history_rollup_trans);
PG_FUNCTION_INFO_V1(purchase_history_combine);
PG_FUNCTION_INFO_V1(purchase_history_serialize);
PG_FUNCTION_INFO_V1(purchase_history_deserialize);
PG_FUNCTION_INFO_V1(purchase_history_final);
PG_FUNCTION_INFO_V1(purchase_history_trans_local);
PG_FUNCTION_INFO_V1(purchase_history_final_local);

/* ---------------------------------------------------------------------------------------------
 * The log of a group's orders
 * ---------------------------------------------------------------------------------------------
 */

static const OrderLogLimit ph_log_limit = {PH_MAX_ORDERS, "orders", "purchase history", ORDER_LOG_FIRST_CLASS_FEW};

/* Appends one valid order (-0 already made +0). */
static inline Datum
ph_log_append(FunctionCallInfo fcinfo, Datum log, TimestampTz at, float8 amount, float8 coupon)
{
	return order_log_append(fcinfo, log, at, amount, coupon, &ph_log_limit);
}

/* Appends every order of a (valid) summary. */
static Datum
ph_log_append_history(FunctionCallInfo fcinfo, Datum log, const PurchaseHistory *ph)
{
	const int64 *times = PH_TIMES(ph);
	const float8 *amounts = PH_AMOUNTS(ph);

	for (int32 i = 0; i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		log = ph_log_append(fcinfo, log, times[i], amounts[i], PH_COUPON(ph, i));
	}
	return log;
}

/* The canonical summary of the orders of a log (0: none), in the current memory context. */
static PurchaseHistory *
ph_from_log(Datum log)
{
	OrderLogReader reader;
	OrderLogEntry entry;
	PhOrders   *orders;
	int32		capacity;

	order_log_reader_open(&reader, log);
	/* slots bound the orders from above; a log can hold more orders than a summary may */
	capacity = (int32) Min(reader.total_slots, (int64) PH_MAX_ORDERS);
	orders = ph_orders_create(capacity);
	while (order_log_read(&reader, &entry))
	{
		PhOrder    *item;

		if (unlikely(orders->n == capacity))
			ph_error_too_many_orders();
		if ((orders->n & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		item = &orders->items[orders->n++];
		item->at = entry.at;
		item->amount = entry.value;
		item->coupon = entry.extra;
	}
	order_log_reader_close(&reader);
	return ph_from_orders(orders);
}

/* ---------------------------------------------------------------------------------------------
 * Aggregate support functions
 * ---------------------------------------------------------------------------------------------
 */

static inline void
check_aggregate_context(FunctionCallInfo fcinfo)
{
	summary_aggregate_context(fcinfo, PH_TYPE_NAME);
}

/* An amount argument: float8 as is, numeric without the text detour. */
static pg_attribute_always_inline float8
amount_argument(FunctionCallInfo fcinfo, int argno, bool numeric)
{
	return numeric ? amount_from_numeric(PG_GETARG_DATUM(argno)) : PG_GETARG_FLOAT8(argno);
}

/*
 * purchase_history(ordered_at, amount [, coupon]) transition.  A row whose arguments are all
 * NULL is skipped (what a LEFT JOIN gives a customer without orders); a NULL coupon is no
 * coupon; a NULL time or amount in an otherwise present order is an error, never a silent drop.
 */
static pg_attribute_always_inline Datum
add_order(FunctionCallInfo fcinfo, bool numeric)
{
	bool		coupon_null = PG_NARGS() < 4 || PG_ARGISNULL(3);
	TimestampTz at;
	float8		amount;
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
				 errmsg("order time must not be null"),
				 errdetail("An order with amount %s has no time.",
						   PG_ARGISNULL(2) ? "NULL" : summary_argument_text(fcinfo, 2))));
	if (PG_ARGISNULL(2))
	{
		calendar_utc_text(PG_GETARG_TIMESTAMPTZ(1), false, buf);
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("order amount must not be null"),
				 errdetail("The order at %s has no amount.", buf)));
	}

	if (PG_ARGISNULL(0))
		check_aggregate_context(fcinfo);	/* once per group: the log lives in its memory */
	at = PG_GETARG_TIMESTAMPTZ(1);
	amount = amount_argument(fcinfo, 2, numeric);
	coupon = coupon_null ? 0.0 : amount_argument(fcinfo, 3, numeric);
	ph_check_order_fast(at, amount, coupon);
	/* -0 is stored as +0, so the bytes of the final summary are canonical */
	PG_RETURN_DATUM(ph_log_append(fcinfo, PG_GETARG_ORDER_LOG(0), at, amount + 0.0,
								  coupon + 0.0));
}

Datum
purchase_history_trans(PG_FUNCTION_ARGS)
{
	return add_order(fcinfo, false);
}

Datum
purchase_history_trans_numeric(PG_FUNCTION_ARGS)
{
	return add_order(fcinfo, true);
}

/* rollup(purchase_history) transition: NULL summaries are skipped. */
Datum
purchase_history_rollup_trans(PG_FUNCTION_ARGS)
{
	Datum		log = PG_GETARG_ORDER_LOG(0);

	check_aggregate_context(fcinfo);
	if (!PG_ARGISNULL(1))
		log = ph_log_append_history(fcinfo, log, PG_GETARG_PURCHASE_HISTORY_P(1));
	if (log == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(log);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The orders of the second
 * state are copied into the first: the second is only read, and may live in short-lived memory.
 */
Datum
purchase_history_combine(PG_FUNCTION_ARGS)
{
	Datum		log = PG_GETARG_ORDER_LOG(0);

	check_aggregate_context(fcinfo);
	log = order_log_append_log(fcinfo, log, PG_GETARG_ORDER_LOG(1), &ph_log_limit);
	if (log == 0)
		PG_RETURN_NULL();
	PG_RETURN_DATUM(log);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
purchase_history_serialize(PG_FUNCTION_ARGS)
{
	StringInfoData buf;

	check_aggregate_context(fcinfo);
	pq_begintypsend(&buf);
	ph_write_binary(&buf, ph_from_log(PG_GETARG_ORDER_LOG(0)));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
purchase_history_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PurchaseHistory *ph;
	Datum		log;

	check_aggregate_context(fcinfo);
	summary_binary_buffer(bytes, &buf);
	ph = ph_read_binary(&buf);
	log = order_log_from_columns(PH_TIMES(ph), PH_AMOUNTS(ph), PH_COUPONS(ph), ph->norders);
	pfree(ph);
	PG_RETURN_DATUM(log);
}

/*
 * The final function only reads the log (FINALFUNC_MODIFY = READ_ONLY), so a window aggregate
 * can call it again and go on adding rows.  No rows at all give the empty summary.
 */
Datum
purchase_history_final(PG_FUNCTION_ARGS)
{
	check_aggregate_context(fcinfo);
	PG_RETURN_PURCHASE_HISTORY_P(ph_from_log(PG_GETARG_ORDER_LOG(0)));
}

/*
 * purchase_history(timestamp, ...): a timestamp without time zone names no moment, and
 * PostgreSQL would cast it to timestamptz in the session TimeZone without a word: with the
 * server in UTC and the shop's clock in London, every summer order would move an hour.  These
 * overloads take the timestamp so they can refuse it, on the first row or, for no rows at all,
 * in the final function, so that a query is refused whatever data it meets.
 */
static void pg_attribute_noreturn()
refuse_local_times(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("order times must be timestamp with time zone"),
			 errdetail("A timestamp without time zone names no moment: read in the session TimeZone, it can move orders to another day."),
			 errhint("Say which zone the times are in: purchase_history(ordered_at AT TIME ZONE 'Europe/London', amount).")));
}

Datum
purchase_history_trans_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}

Datum
purchase_history_final_local(PG_FUNCTION_ARGS)
{
	refuse_local_times();
}
