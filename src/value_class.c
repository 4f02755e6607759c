/*
 * value_class.c
 *	  The value classes of one customer: value_class(spend, orders, hero_min, repeat_min) and
 *	  value_class(h, hero_min, repeat_min [, during]) read from a purchase history, and
 *	  is_one_time(h).  HERO: spend >= hero_min; REPEAT: orders >= repeat_min; VIP: both;
 *	  REGULAR: neither.  threshold_capture (value_distribution_accessors.c) counts the same
 *	  classes over a whole customer table, with the same checks (value_distribution.c).
 *
 * What "orders" is for a purchase history: its order count, as count(*) over the orders gives
 * it, so that value_class(h, ...) equals value_class(total_spend(h), order_count(h), ...) and
 * does not depend on the session TimeZone (IMMUTABLE).  is_one_time(h) counts calendar days
 * instead (one purchase day: two orders on one day are one visit), in the session TimeZone.
 */
#include "postgres.h"

#include "utils/lsyscache.h"
#include "utils/rangetypes.h"

#include "amount.h"
#include "calendar.h"
#include "labels.h"
#include "purchase_history.h"
#include "value_distribution.h"

PG_FUNCTION_INFO_V1(value_class_of_values);
PG_FUNCTION_INFO_V1(value_class_of_history);
PG_FUNCTION_INFO_V1(value_class_of_history_during);
PG_FUNCTION_INFO_V1(purchase_history_is_one_time);

/* The labels of profiling.value_class, in the enum's order. */
typedef enum ValueClass
{
	VALUE_CLASS_VIP,
	VALUE_CLASS_HERO,
	VALUE_CLASS_REPEAT,
	VALUE_CLASS_REGULAR
} ValueClass;

static const char *const value_class_labels[] = {"vip", "hero", "repeat", "regular"};

/* The enum value of a class (labels looked up once per call site). */
static Datum
class_datum(FunctionCallInfo fcinfo, ValueClass class)
{
	const Oid  *labels = labels_of_call(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid),
									  value_class_labels, lengthof(value_class_labels));

	return ObjectIdGetDatum(labels[class]);
}

static Datum
classify(FunctionCallInfo fcinfo, float8 spend, int64 orders, float8 hero_min, int32 repeat_min)
{
	bool		hero;
	bool		repeat;

	vd_check_pair(spend, orders);
	vd_check_hero_min(hero_min);
	vd_check_repeat_min(repeat_min);
	hero = spend >= hero_min;
	repeat = orders >= repeat_min;
	return class_datum(fcinfo, hero ? (repeat ? VALUE_CLASS_VIP : VALUE_CLASS_HERO) :
					   (repeat ? VALUE_CLASS_REPEAT : VALUE_CLASS_REGULAR));
}

/* value_class(total_spend, orders, hero_min, repeat_min) */
Datum
value_class_of_values(PG_FUNCTION_ARGS)
{
	return classify(fcinfo, PG_GETARG_FLOAT8(0), PG_GETARG_INT64(1), PG_GETARG_FLOAT8(2),
					PG_GETARG_INT32(3));
}

/* The class of the orders [from, to) of a purchase history. */
static Datum
classify_orders(FunctionCallInfo fcinfo, const PurchaseHistory *ph, int32 from, int32 to)
{
	return classify(fcinfo, amount_sum(PH_AMOUNTS(ph) + from, to - from), to - from,
					PG_GETARG_FLOAT8(1), PG_GETARG_INT32(2));
}

/* value_class(h, hero_min, repeat_min): every order of the summary. */
Datum
value_class_of_history(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	return classify_orders(fcinfo, ph, 0, ph->norders);
}

/* value_class(h, hero_min, repeat_min, during): only the orders inside the range count. */
Datum
value_class_of_history_during(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int32		from,
				to;

	ph_range_indices(ph, PG_GETARG_RANGE_P(3), &from, &to);
	return classify_orders(fcinfo, ph, from, to);
}

/*
 * is_one_time(h): every order on one calendar day (session TimeZone): the opportunistic buyer
 * among the heroes.  The orders are sorted by time, so the first and the last decide.  A
 * summary without orders is not one-time.
 */
Datum
purchase_history_is_one_time(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	const int64 *times = PH_TIMES(ph);

	if (ph->norders == 0)
		PG_RETURN_BOOL(false);
	PG_RETURN_BOOL(calendar_local_day(times[0]) == calendar_local_day(times[ph->norders - 1]));
}
