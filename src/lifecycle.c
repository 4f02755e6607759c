/*
 * lifecycle.c
 *	  The lifecycle rules (lifecycle.h): the policy, one customer's life prepared for stage
 *	  questions, the stage as of a time, and the times at which the stage may change.
 *
 * Every question is answered from the events at or before the time asked (an order placed
 * exactly at it counts), by binary search in the sorted times: a stage costs O(log n), and the
 * exact changes of a whole life O(n log n), however long the life.
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "executor/executor.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/timestamp.h"

#include "amount.h"
#include "calendar.h"
#include "engagement.h"
#include "lifecycle.h"
#include "purchase_history.h"

const char *const lifecycle_stage_labels[LIFECYCLE_STAGES] = {
	"prospect", "registered", "active", "new", "repeat", "vip", "dormant", "churned"
};

/* -------------------------------------------------------------------------------------------
 * The policy
 * ------------------------------------------------------------------------------------------- */

/*
 * A positive interval here is one that moves every time forward: months, days and time each
 * zero or more, not all zero.  Mixed signs ('1 month -29 days') move some times back and others
 * forward on the calendar, and are refused.
 */
bool
lifecycle_interval_forward(const Interval *interval)
{
	return interval->month >= 0 && interval->day >= 0 && interval->time >= 0 &&
		(interval->month > 0 || interval->day > 0 || interval->time > 0);
}

void
lifecycle_check_forward(const Interval *interval, const char *name)
{
	if (!lifecycle_interval_forward(interval))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be a positive interval, not \"%s\"", name,
						DatumGetCString(DirectFunctionCall1(interval_out, IntervalPGetDatum(interval)))),
				 errdetail("Its months, days and time are each zero or more, and not all zero.")));
}

/*
 * No order between dormant_after and churn_after is required: months and days have no fixed
 * length, so no comparison of two intervals holds on every date.  The rules check churn first:
 * where the churn timer comes first, or with it, a lapsed buyer churns without a dormant stage.
 */
void
lifecycle_policy_check(const LifecyclePolicy *policy)
{
	lifecycle_check_forward(&policy->active_within, "active_within");
	lifecycle_check_forward(&policy->dormant_after, "dormant_after");
	if (policy->churns)
		lifecycle_check_forward(&policy->churn_after, "churn_after");
	if (policy->vip)
	{
		if (isnan(policy->hero_min) || isinf(policy->hero_min) || policy->hero_min < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("hero_min must be a finite amount of zero or more")));
		if (policy->repeat_min < 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("repeat_min must be at least 1")));
	}
}

/* A policy attribute, or NULL. */
static bool
attribute(HeapTupleHeader tuple, int number, Datum *value)
{
	bool		isnull;

	*value = GetAttributeByNum(tuple, number, &isnull);
	return !isnull;
}

void
lifecycle_policy_read(HeapTupleHeader tuple, LifecyclePolicy *out)
{
	Datum		value;
	bool		has_hero,
				has_repeat;

	memset(out, 0, sizeof(LifecyclePolicy));
	if (HeapTupleHeaderGetNatts(tuple) != POLICY_ATTRIBUTES)
		elog(ERROR, "a lifecycle_policy has %d attributes", POLICY_ATTRIBUTES);
	if (!attribute(tuple, POLICY_ACTIVE_WITHIN, &value))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("active_within of a lifecycle policy must not be NULL")));
	out->active_within = *DatumGetIntervalP(value);
	if (!attribute(tuple, POLICY_DORMANT_AFTER, &value))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("dormant_after of a lifecycle policy must not be NULL")));
	out->dormant_after = *DatumGetIntervalP(value);
	if ((out->churns = attribute(tuple, POLICY_CHURN_AFTER, &value)))
		out->churn_after = *DatumGetIntervalP(value);
	if ((has_hero = attribute(tuple, POLICY_HERO_MIN, &value)))
		out->hero_min = DatumGetFloat8(value);
	if ((has_repeat = attribute(tuple, POLICY_REPEAT_MIN, &value)))
		out->repeat_min = DatumGetInt32(value);
	if (has_hero != has_repeat)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("a lifecycle policy needs both hero_min and repeat_min for VIPs, or neither"),
				 errhint("A VIP is a repeat buyer whose spend reaches hero_min and whose orders reach repeat_min.")));
	out->vip = has_hero;
	lifecycle_policy_check(out);
}

/* -------------------------------------------------------------------------------------------
 * One customer
 * ------------------------------------------------------------------------------------------- */

TimestampTz
lifecycle_add(TimestampTz t, const Interval *interval)
{
	return DatumGetTimestampTz(DirectFunctionCall2(timestamptz_pl_interval, TimestampTzGetDatum(t),
												   IntervalPGetDatum(interval)));
}

static void
check_finite(TimestampTz t, const char *name)
{
	if (TIMESTAMP_NOT_FINITE(t))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s must be finite, not \"%s\"", name, TIMESTAMP_IS_NOBEGIN(t) ? "-infinity" : "infinity")));
}

/* How many of the ascending times are at or before t. */
static int32
count_until(const TimestampTz *times, int32 n, TimestampTz t)
{
	int32		lo = 0,
				hi = n;

	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (times[mid] <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The fewest first orders that pass the VIP test: at least repeat_from (two purchase days) and
 * repeat_min orders, and a total spend of hero_min or more.  Amounts are never negative, so
 * the spend of the first k orders grows with k: binary search, each sum exact as total_spend's.
 */
static int32
vip_from(const PurchaseHistory *ph, const LifecyclePolicy *policy, int32 repeat_from)
{
	const float8 *amounts = PH_AMOUNTS(ph);
	int32		n = ph->norders;
	int32		lo = Max(repeat_from, policy->repeat_min),
				hi = n;

	if (!policy->vip || lo > n || amount_sum(amounts, n) < policy->hero_min)
		return n + 1;
	while (lo < hi)
	{
		int32		mid = lo + (hi - lo) / 2;

		if (amount_sum(amounts, mid) >= policy->hero_min)
			hi = mid;
		else
			lo = mid + 1;
		CHECK_FOR_INTERRUPTS();
	}
	return lo;
}

void
lifecycle_customer_prepare(LifecycleCustomer *c, const LifecyclePolicy *policy,
						   const Datum *values, const bool *isnull)
{
	memset(c, 0, sizeof(LifecycleCustomer));
	if ((c->registered = !isnull[0]))
	{
		c->registered_at = DatumGetTimestampTz(values[0]);
		check_finite(c->registered_at, "registered_at");
	}
	if ((c->closed = !isnull[1]))
	{
		c->closed_at = DatumGetTimestampTz(values[1]);
		check_finite(c->closed_at, "closed_at");
	}
	if (c->registered && c->closed && c->closed_at < c->registered_at)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("closed_at is before registered_at")));
	c->repeat_from = 1;
	c->vip_from = 1;
	if (!isnull[2])
	{
		PurchaseHistory *ph = ph_detoast(values[2]);

		c->norders = ph->norders;
		c->order_at = PH_TIMES(ph);
		c->repeat_from = c->norders + 1;
		if (c->norders > 0)
		{
			DateADT		first = calendar_local_day(c->order_at[0]);

			for (int32 i = 1; i < c->norders; i++)
			{
				if (c->order_at[i] != c->order_at[0] && calendar_local_day(c->order_at[i]) != first)
				{
					c->repeat_from = i + 1;
					break;
				}
				if ((i & 1023) == 0)
					CHECK_FOR_INTERRUPTS();
			}
		}
		c->vip_from = vip_from(ph, policy, c->repeat_from);
	}
	if (!isnull[3])
	{
		Engagement *e = eg_detoast(values[3]);

		c->ninteractions = e->ninteractions;
		c->interaction_at = EG_TIMES(e);
	}
}

LifecycleStage
lifecycle_stage_at(const LifecycleCustomer *c, const LifecyclePolicy *policy, TimestampTz t)
{
	int32		orders,
				interactions;
	TimestampTz last;

	if (c->closed && c->closed_at <= t)
		return STAGE_CHURNED;
	orders = count_until(c->order_at, c->norders, t);
	if (orders == 0 && !(c->registered && c->registered_at <= t))
		return STAGE_PROSPECT;
	interactions = count_until(c->interaction_at, c->ninteractions, t);
	if (orders == 0)
	{
		if (interactions > 0 && t < lifecycle_add(c->interaction_at[interactions - 1], &policy->active_within))
			return STAGE_ACTIVE;
		return STAGE_REGISTERED;
	}
	last = c->order_at[orders - 1];
	if (interactions > 0 && c->interaction_at[interactions - 1] > last)
		last = c->interaction_at[interactions - 1];
	if (policy->churns && t >= lifecycle_add(last, &policy->churn_after))
		return STAGE_CHURNED;
	if (t >= lifecycle_add(last, &policy->dormant_after))
		return STAGE_DORMANT;
	if (orders >= c->vip_from)
		return STAGE_VIP;
	if (orders >= c->repeat_from)
		return STAGE_REPEAT;
	return STAGE_NEW;
}

static int
timestamp_cmp_qsort(const void *a, const void *b)
{
	TimestampTz x = *(const TimestampTz *) a;
	TimestampTz y = *(const TimestampTz *) b;

	return x < y ? -1 : (x > y ? 1 : 0);
}

TimestampTz *
lifecycle_change_candidates(const LifecycleCustomer *c, const LifecyclePolicy *policy, int32 *n)
{
	/* the events, an active timer a interaction, and dormant and churn timers an event */
	Size		capacity = 2 + (Size) c->norders * 3 + (Size) c->ninteractions * 4;
	TimestampTz *times;
	int32		k = 0;

	if (capacity > MaxAllocSize / sizeof(TimestampTz))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders and interactions for one customer's stage changes")));
	times = palloc(capacity * sizeof(TimestampTz));
	if (c->registered)
		times[k++] = c->registered_at;
	if (c->closed)
		times[k++] = c->closed_at;
	for (int32 i = 0; i < c->norders; i++)
	{
		times[k++] = c->order_at[i];
		times[k++] = lifecycle_add(c->order_at[i], &policy->dormant_after);
		if (policy->churns)
			times[k++] = lifecycle_add(c->order_at[i], &policy->churn_after);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	for (int32 i = 0; i < c->ninteractions; i++)
	{
		times[k++] = c->interaction_at[i];
		times[k++] = lifecycle_add(c->interaction_at[i], &policy->active_within);
		times[k++] = lifecycle_add(c->interaction_at[i], &policy->dormant_after);
		if (policy->churns)
			times[k++] = lifecycle_add(c->interaction_at[i], &policy->churn_after);
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	qsort(times, k, sizeof(TimestampTz), timestamp_cmp_qsort);
	*n = 0;
	for (int32 i = 0; i < k; i++)
		if (*n == 0 || times[*n - 1] != times[i])
			times[(*n)++] = times[i];
	return times;
}
