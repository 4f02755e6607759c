/*
 * value_distribution.h
 *	  The value-distribution summary: one (value, orders) pair per customer of a customer table,
 *	  sorted, in one varlena.  The segmentation room reads it: deciles, merged bands, Pareto
 *	  shares, Gini, the Lorenz curve, threshold capture.  This header declares what the type's
 *	  core, value_distribution.c, defines: the layout, reading a value safely, validating pairs
 *	  and thresholds, building the canonical value from a list of pairs, and the binary form.  The
 *	  text and binary forms (value_distribution_io.c), aggregates (_agg.c), readers
 *	  (_accessors.c) and comparison operators (_ops.c) build on it, and never on each other.
 *
 * On-disk / in-memory layout (version 1), 16-byte header then two columns:
 *
 *	  int32   vl_len_
 *	  uint8   version        VD_FORMAT_VERSION
 *	  uint8   flags          none are defined yet: must be zero
 *	  uint16  reserved1      must be zero
 *	  int32   ncustomers
 *	  uint32  reserved2      must be zero (keeps the columns 8-byte aligned)
 *	  float8  value[ncustomers]    ascending, finite
 *	  int32   orders[ncustomers]   zero or more
 *
 * A customer costs 12 bytes.  Pairs are sorted by (value, orders) and -0 is stored as +0, so
 * equal multisets of pairs give identical bytes: equality and hashing are byte comparisons,
 * and rollup of any split equals one pass.
 */
#ifndef PROFILING_VALUE_DISTRIBUTION_H
#define PROFILING_VALUE_DISTRIBUTION_H

#include "postgres.h"

#include <float.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"

/* The type's name in messages. */
#define VD_TYPE_NAME		"value_distribution"

#define VD_FORMAT_VERSION	1

typedef struct ValueDistribution
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved1;
	int32		ncustomers;
	uint32		reserved2;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} ValueDistribution;

#define VD_HEADER_SIZE		offsetof(ValueDistribution, columns)

/* The largest customer count whose summary still fits in one varlena (1 GB). */
#define VD_MAX_CUSTOMERS \
	((int32) ((MaxAllocSize - VD_HEADER_SIZE) / (sizeof(float8) + sizeof(int32))))

#define VD_VALUES(vd)		((float8 *) (vd)->columns)
#define VD_ORDERS(vd)		((int32 *) ((vd)->columns + sizeof(float8) * (vd)->ncustomers))

#define DatumGetValueDistributionP(X)		vd_detoast(X)
#define PG_GETARG_VALUE_DISTRIBUTION_P(n)	DatumGetValueDistributionP(PG_GETARG_DATUM(n))
#define PG_RETURN_VALUE_DISTRIBUTION_P(x)	PG_RETURN_POINTER(x)

/* One customer, as the aggregates and text input collect them before sorting. */
typedef struct VdPair
{
	float8		value;
	int32		orders;
} VdPair;

/* The canonical order: by value, then orders.  Sorting and the binary reader's check use it. */
static inline int
vd_pair_cmp(const VdPair *a, const VdPair *b)
{
	if (a->value != b->value)
		return a->value < b->value ? -1 : 1;
	if (a->orders != b->orders)
		return a->orders < b->orders ? -1 : 1;
	return 0;
}

/*
 * A growable list of pairs, in one memory context: the aggregates' transition state, and what
 * text input parses.  Sorting it (vd_from_pairs) leaves the same multiset, so more pairs may
 * be appended afterwards.
 */
typedef struct VdPairs
{
	int64		n;
	int64		capacity;
	VdPair	   *items;			/* a huge allocation in context */
	MemoryContext context;
} VdPairs;

/* Reading a value: detoasted, its header and length checked (XX001 / 0A000 when not). */
extern ValueDistribution *vd_detoast(Datum datum);

/* Every pair entering a summary, from any path, is checked here (22023, 22003). */
extern void vd_check_pair(float8 value, int64 orders);

/* vd_check_pair's test, inline for the aggregates' per-row path: NaN fails every comparison. */
static inline void
vd_check_pair_fast(float8 value, int64 orders)
{
	if (likely(value >= -DBL_MAX && value <= DBL_MAX && orders >= 0 && orders <= PG_INT32_MAX))
		return;
	vd_check_pair(value, orders);
}

/* The thresholds of the value classes: hero_min not NaN, repeat_min 1 or more (22023). */
extern void vd_check_hero_min(float8 hero_min);
extern void vd_check_repeat_min(int32 repeat_min);

/* Building values */
extern Size vd_size(int64 ncustomers);
extern ValueDistribution *vd_allocate(int32 ncustomers);

/* The pair list; the canonical summary of one (sorts the list in place) */
extern VdPairs *vd_pairs_create(MemoryContext context);
extern void vd_pairs_reserve(VdPairs *pairs, int64 more);
extern void vd_pairs_append_columns(VdPairs *pairs, const float8 *values, const int32 *orders,
									int64 n);
extern ValueDistribution *vd_from_pairs(VdPairs *pairs);

/* Appends one checked pair; -0 is stored as +0 so the bytes are canonical. */
static inline void
vd_pairs_append(VdPairs *pairs, float8 value, int32 orders)
{
	VdPair	   *item;

	if (unlikely(pairs->n == pairs->capacity))
		vd_pairs_reserve(pairs, 1);
	item = &pairs->items[pairs->n++];
	item->value = value + 0.0;
	item->orders = orders;
}

/* The binary form, for send/recv and the aggregates' serialized state */
extern bytea *vd_binary(const ValueDistribution *vd);
extern ValueDistribution *vd_read_binary(StringInfo buf);

#endif							/* PROFILING_VALUE_DISTRIBUTION_H */
