/*
 * lifecycle.h
 *	  Lifecycle stages of one customer: the stage as of any time, computed from what was known at
 *	  that time only (registration, account closing, orders, interactions), under a policy.
 *	  lifecycle.c defines the rules; lifecycle_stage.c the SQL functions that read them (stage,
 *	  stage_changes, stage_timeline, lifecycle_policy).  transitions*.c count the moves between
 *	  stages.
 *
 * The rules, in order (docs/lifecycle.md has them with examples):
 *	  churned     the account is closed (closed_at <= t), or, when the policy has churn_after, a
 *	              buyer's last purchase or interaction is churn_after or longer ago;
 *	  prospect    not registered by t (a customer who bought before registering counts as
 *	              registered at the first purchase);
 *	  active      registered, never bought, an interaction less than active_within ago;
 *	  registered  registered, never bought, no recent interaction;
 *	  dormant     bought, and the last purchase or interaction is dormant_after or longer ago;
 *	  vip         two or more purchase days, and total spend >= hero_min and orders >= repeat_min
 *	              (only when the policy has both);
 *	  repeat      two or more purchase days (calendar days in the session TimeZone);
 *	  new         one purchase day.
 * Without interactions (engagement NULL) buying is the only activity: a registered customer who
 * never bought stays registered, and dormancy counts from the last purchase.
 */
#ifndef PROFILING_LIFECYCLE_H
#define PROFILING_LIFECYCLE_H

#include "postgres.h"

#include "access/htup.h"
#include "datatype/timestamp.h"
#include "fmgr.h"

/* profiling.lifecycle_stage, in the enum's order. */
typedef enum LifecycleStage
{
	STAGE_PROSPECT,
	STAGE_REGISTERED,
	STAGE_ACTIVE,
	STAGE_NEW,
	STAGE_REPEAT,
	STAGE_VIP,
	STAGE_DORMANT,
	STAGE_CHURNED
} LifecycleStage;

#define LIFECYCLE_STAGES	8
#define LIFECYCLE_STAGE_TYPE_NAME	"lifecycle_stage"

extern const char *const lifecycle_stage_labels[LIFECYCLE_STAGES];

/* profiling.lifecycle_policy, checked. */
typedef struct LifecyclePolicy
{
	Interval	active_within;
	Interval	dormant_after;
	bool		churns;			/* churn_after given */
	Interval	churn_after;
	bool		vip;			/* hero_min and repeat_min given */
	float8		hero_min;
	int32		repeat_min;
} LifecyclePolicy;

/* The policy composite's attributes, by number. */
#define POLICY_ACTIVE_WITHIN	1
#define POLICY_DORMANT_AFTER	2
#define POLICY_CHURN_AFTER		3
#define POLICY_HERO_MIN			4
#define POLICY_REPEAT_MIN		5
#define POLICY_ATTRIBUTES		5

/* An interval that moves every time forward (months, days, time >= 0, not all 0); else 22023. */
extern bool lifecycle_interval_forward(const Interval *interval);
extern void lifecycle_check_forward(const Interval *interval, const char *name);

/* Reads and checks a lifecycle_policy value (22023 / 22004 when it breaks a rule). */
extern void lifecycle_policy_read(HeapTupleHeader policy, LifecyclePolicy *out);
extern void lifecycle_policy_check(const LifecyclePolicy *policy);

/*
 * One customer's life, prepared once for any number of stage questions: sorted times, and
 * from which order on the customer is a repeat buyer and a VIP.
 */
typedef struct LifecycleCustomer
{
	bool		registered;		/* registered_at given */
	TimestampTz registered_at;
	bool		closed;			/* closed_at given */
	TimestampTz closed_at;
	int32		norders;
	const TimestampTz *order_at;	/* ascending */
	int32		ninteractions;
	const TimestampTz *interaction_at;	/* ascending */
	int32		repeat_from;	/* orders it takes to span two calendar days; norders + 1 if never */
	int32		vip_from;		/* orders it takes to pass the VIP test; norders + 1 if never */
} LifecycleCustomer;

/*
 * Prepares a customer from the function's arguments: registered_at, closed_at, purchases and
 * engagement, each possibly NULL (isnull[0..3]).  Checks that closed_at is not before
 * registered_at (22023).
 */
extern void lifecycle_customer_prepare(LifecycleCustomer *c, const LifecyclePolicy *policy,
									   const Datum *values, const bool *isnull);

/* The stage as of t (finite). */
extern LifecycleStage lifecycle_stage_at(const LifecycleCustomer *c, const LifecyclePolicy *policy,
										 TimestampTz t);

/*
 * Every time at which the stage may change, ascending, without duplicates: the events
 * themselves and the timers they start.  palloc'd; *n set.
 */
extern TimestampTz *lifecycle_change_candidates(const LifecycleCustomer *c, const LifecyclePolicy *policy,
												int32 *n);

/* t + interval, as timestamptz + interval computes it (calendar-aware in the session TimeZone). */
extern TimestampTz lifecycle_add(TimestampTz t, const Interval *interval);

#endif							/* PROFILING_LIFECYCLE_H */
