/*
 * purchase_history_agg.c
 *	  The aggregates that build purchase histories: purchase_history(ordered_at, amount
 *	  [, coupon]) over orders, and rollup(purchase_history) over stored summaries.  Both share
 *	  one transition state (the order log of order_log.h), one combine, serialize, deserialize and
 *	  final function, so they run on parallel workers and on shards, and rollup of any split of
 *	  the orders equals one pass (the final form is canonical).
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "order_log.h"
#include "purchase_history.h"

PG_FUNCTION_INFO_V1(purchase_history_trans);
PG_FUNCTION_INFO_V1(purchase_history_trans_numeric);
PG_FUNCTION_INFO_V1(purchase_history_rollup_trans);
PG_FUNCTION_INFO_V1(purchase_history_combine);
PG_FUNCTION_INFO_V1(purchase_history_serialize);
PG_FUNCTION_INFO_V1(purchase_history_deserialize);
PG_FUNCTION_INFO_V1(purchase_history_final);

/* ---------------------------------------------------------------------------------------------
 * The order list
 * ---------------------------------------------------------------------------------------------
 */

static inline int
ph_order_cmp(const PhOrder *a, const PhOrder *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->coupon != b->coupon)
		return a->coupon < b->coupon ? -1 : 1;
	return 0;
}

/* A specialised sort (no comparator calls through a pointer): sorting is the final's work. */
#define ST_SORT ph_sort_orders
#define ST_ELEMENT_TYPE PhOrder
#define ST_COMPARE(a, b) ph_order_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

PhOrders *
ph_orders_create(int32 capacity)
{
	PhOrders   *orders;

	capacity = Max(capacity, 4);
	orders = palloc(offsetof(PhOrders, items) + sizeof(PhOrder) * capacity);
	orders->n = 0;
	orders->capacity = capacity;
	return orders;
}

/* Room for `more` orders; the list stays in the memory context it was created in, but moves. */
static PhOrders *
ph_orders_reserve(PhOrders *orders, int32 more)
{
	int64		needed = (int64) orders->n + more;
	int64		capacity;

	if (likely(needed <= orders->capacity))
		return orders;
	if (needed > PH_MAX_ORDERS)
		ph_error_too_many_orders();
	capacity = Min(Max(needed, (int64) orders->capacity * 2), (int64) PH_MAX_ORDERS);
	orders = repalloc(orders, offsetof(PhOrders, items) + sizeof(PhOrder) * capacity);
	orders->capacity = (int32) capacity;
	return orders;
}

/* Appends one order after checking it; -0 is stored as +0 so the bytes are canonical. */
PhOrders *
ph_orders_append(PhOrders *orders, TimestampTz at, float8 amount, float8 coupon)
{
	PhOrder    *item;

	ph_check_order_fast(at, amount, coupon);
	orders = ph_orders_reserve(orders, 1);
	item = &orders->items[orders->n];
	item->at = at;
	item->amount = amount + 0.0;
	item->coupon = coupon + 0.0;
	orders->n++;
	return orders;
}

/* Orders that are already in order cost one pass: the sort checks that first. */
void
ph_orders_sort(PhOrders *orders)
{
	CHECK_FOR_INTERRUPTS();
	ph_sort_orders(orders->items, orders->n);
}

void
ph_error_too_many_orders(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many orders for one purchase history"),
			 errdetail("The limit is %d orders per summary.", PH_MAX_ORDERS)));
}

/* ---------------------------------------------------------------------------------------------
 * Aggregate support functions
 * ---------------------------------------------------------------------------------------------
 */

static void
check_aggregate_context(FunctionCallInfo fcinfo)
{
	if (!AggCheckCallContext(fcinfo, NULL))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("purchase_history aggregate support function called outside an aggregate")));
}

/* The order log of this group (see order_log.h); 0 when it has none yet. */
#define PG_GETARG_ORDER_LOG(n)	(PG_ARGISNULL(n) ? (Datum) 0 : PG_GETARG_DATUM(n))

/* An argument as its type prints it, cut to 40 characters, for messages. */
static char *
argument_text(FunctionCallInfo fcinfo, int argno)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	Oid			output;
	bool		varlena;
	char	   *text;

	if (!OidIsValid(type))
		return "?";
	getTypeOutputInfo(type, &output, &varlena);
	text = OidOutputFunctionCall(output, PG_GETARG_DATUM(argno));
	if (strlen(text) > 40)
		text = psprintf("%.37s...", text);
	return text;
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
						   PG_ARGISNULL(2) ? "NULL" : argument_text(fcinfo, 2))));
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
	PG_RETURN_DATUM(order_log_append(fcinfo, PG_GETARG_ORDER_LOG(0), at, amount + 0.0,
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
		log = order_log_append_history(fcinfo, log, PG_GETARG_PURCHASE_HISTORY_P(1));
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
	log = order_log_append_log(fcinfo, log, PG_GETARG_ORDER_LOG(1));
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
	ph_write_binary(&buf, ph_from_orders(order_log_orders(PG_GETARG_ORDER_LOG(0))));
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
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	ph = ph_read_binary(&buf);
	log = order_log_from_history(ph);
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
	PG_RETURN_PURCHASE_HISTORY_P(ph_from_orders(order_log_orders(PG_GETARG_ORDER_LOG(0))));
}
