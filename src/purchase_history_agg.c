/*
 * purchase_history_agg.c
 *	  The aggregates that build purchase histories: purchase_history(ordered_at, amount
 *	  [, coupon]) over orders, and rollup(purchase_history) over stored summaries.  Both share
 *	  one transition state (a growable order list), one combine, serialize, deserialize and
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
	orders->sorted = true;
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
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders for one purchase history"),
				 errdetail("The limit is %d orders per summary.", PH_MAX_ORDERS)));
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
	if (orders->sorted && orders->n > 0 && ph_order_cmp(item - 1, item) > 0)
		orders->sorted = false;
	orders->n++;
	return orders;
}

/* Appends every order of a (valid) summary. */
PhOrders *
ph_orders_append_history(PhOrders *orders, const PurchaseHistory *ph)
{
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);

	if (ph->norders == 0)
		return orders;
	orders = ph_orders_reserve(orders, ph->norders);
	if (orders->n > 0)
		orders->sorted = false;
	for (int32 i = 0; i < ph->norders; i++)
	{
		PhOrder    *item = &orders->items[orders->n++];

		item->at = times[i];
		item->amount = amounts[i];
		item->coupon = PH_COUPON(ph, i);
	}
	return orders;
}

void
ph_orders_sort(PhOrders *orders)
{
	if (!orders->sorted)
	{
		CHECK_FOR_INTERRUPTS();
		ph_sort_orders(orders->items, orders->n);
		orders->sorted = true;
	}
}

/* ---------------------------------------------------------------------------------------------
 * Aggregate support functions
 * ---------------------------------------------------------------------------------------------
 */

static MemoryContext
aggregate_context(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("purchase_history aggregate support function called outside an aggregate")));
	return aggcontext;
}

/* The state of this group, created in the aggregate's memory on first use. */
static inline PhOrders *
group_state(FunctionCallInfo fcinfo, int32 capacity)
{
	MemoryContext aggcontext;
	MemoryContext old;
	PhOrders   *orders;

	/* an existing state proves the aggregate context: internal values come from nowhere else */
	if (likely(!PG_ARGISNULL(0)))
		return (PhOrders *) PG_GETARG_POINTER(0);
	aggcontext = aggregate_context(fcinfo);
	old = MemoryContextSwitchTo(aggcontext);
	orders = ph_orders_create(capacity);
	MemoryContextSwitchTo(old);
	return orders;
}

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
	PhOrders   *orders = group_state(fcinfo, 8);
	bool		coupon_null = PG_NARGS() < 4 || PG_ARGISNULL(3);
	char		buf[MAXDATELEN + 1];

	if (PG_ARGISNULL(1) && PG_ARGISNULL(2) && coupon_null)
		PG_RETURN_POINTER(orders);

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

	PG_RETURN_POINTER(ph_orders_append(orders, PG_GETARG_TIMESTAMPTZ(1),
									   amount_argument(fcinfo, 2, numeric),
									   coupon_null ? 0.0 : amount_argument(fcinfo, 3, numeric)));
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
	PhOrders   *orders = group_state(fcinfo, 8);

	if (!PG_ARGISNULL(1))
		orders = ph_orders_append_history(orders, PG_GETARG_PURCHASE_HISTORY_P(1));
	PG_RETURN_POINTER(orders);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The first state is ours to
 * extend; the second is only read, and may live in short-lived memory, so it is copied.
 */
Datum
purchase_history_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcontext = aggregate_context(fcinfo);
	PhOrders   *into = PG_ARGISNULL(0) ? NULL : (PhOrders *) PG_GETARG_POINTER(0);
	PhOrders   *from = PG_ARGISNULL(1) ? NULL : (PhOrders *) PG_GETARG_POINTER(1);

	if (from == NULL)
	{
		if (into == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(into);
	}
	if (into == NULL)
	{
		MemoryContext old = MemoryContextSwitchTo(aggcontext);

		into = ph_orders_create(from->n);
		MemoryContextSwitchTo(old);
	}

	if (from->n > 0)
	{
		into = ph_orders_reserve(into, from->n);
		memcpy(into->items + into->n, from->items, sizeof(PhOrder) * from->n);
		into->sorted = (into->n == 0 && from->sorted);
		into->n += from->n;
	}
	PG_RETURN_POINTER(into);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
purchase_history_serialize(PG_FUNCTION_ARGS)
{
	PhOrders   *orders = (PhOrders *) PG_GETARG_POINTER(0);
	StringInfoData buf;

	aggregate_context(fcinfo);
	pq_begintypsend(&buf);
	ph_write_binary(&buf, ph_from_orders(orders));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
purchase_history_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	PurchaseHistory *ph;
	PhOrders   *orders;

	aggregate_context(fcinfo);
	buf.data = VARDATA_ANY(bytes);
	buf.len = VARSIZE_ANY_EXHDR(bytes);
	buf.maxlen = buf.len;
	buf.cursor = 0;
	ph = ph_read_binary(&buf);

	orders = ph_orders_append_history(ph_orders_create(ph->norders), ph);
	orders->sorted = true;		/* ph_read_binary accepts canonical order only */
	pfree(ph);
	PG_RETURN_POINTER(orders);
}

/*
 * Sorting the list in place leaves it a valid state for more rows (FINALFUNC_MODIFY =
 * READ_ONLY holds: the orders it holds do not change).  No rows at all give the empty summary.
 */
Datum
purchase_history_final(PG_FUNCTION_ARGS)
{
	PhOrders	empty = {0, 0, true};
	PhOrders   *orders = PG_ARGISNULL(0) ? &empty : (PhOrders *) PG_GETARG_POINTER(0);

	aggregate_context(fcinfo);
	PG_RETURN_PURCHASE_HISTORY_P(ph_from_orders(orders));
}
