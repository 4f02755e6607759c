/*
 * baskets.h
 *	  The baskets summary: how many baskets (orders), how many hold each item, and how many hold
 *	  each pair of items, in one varlena.  The cross-sell room reads it: association rules in both
 *	  directions of every frequent pair, and the rules of one item.  This header declares what the
 *	  type's core, baskets.c, defines: the layout, reading a value safely, the counting state the
 *	  aggregates and input share (items, pairs, the pair budget and its error), the canonical
 *	  value built from it, and the binary form.  Text and binary I/O (baskets_io.c), the
 *	  aggregates (_agg.c), the rules (_accessors.c) and the comparisons (_ops.c) build on it, and
 *	  never on each other.
 *
 * On-disk / in-memory layout (version 1), a 48-byte header then columns:
 *
 *	  int32   vl_len_
 *	  uint8   version        BASKETS_FORMAT_VERSION
 *	  uint8   kind           BASKETS_KIND_NONE (no items), _BIGINT or _TEXT
 *	  uint16  reserved1      must be zero
 *	  int32   nitems
 *	  uint32  reserved2      must be zero (keeps the columns 8-byte aligned)
 *	  int64   nbaskets       baskets holding at least one item
 *	  int64   npairs
 *	  int64   pair_error     0: every pair count is exact; else each pair count may be low by
 *	                         at most this much (the frequent-pair algorithm took over)
 *	  int64   max_pairs      the pair budget: pair counters kept at most
 *	  int64   item_count[nitems]     baskets holding the item, 1..nbaskets
 *	  int64   pair_count[npairs]     baskets holding both, 1..min(item counts)
 *	  int64   item_value[nitems]     bigint items only
 *	  int32   pair_a[npairs], pair_b[npairs]   item positions, a < b
 *	  int32   item_end[nitems]       text items only: end of each item's bytes in the text column
 *	  char    text[]                 text items only, not terminated
 *
 * Items are sorted (bigint: by value; text: by bytes, then length) and pairs by (a, b), so equal
 * summaries have identical bytes: equality and hashing are byte comparisons.  An item costs 16
 * bytes (bigint) or 12 bytes plus its text, a pair 16 bytes.
 */
#ifndef PROFILING_BASKETS_H
#define PROFILING_BASKETS_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"

/* The type's name in messages. */
#define BASKETS_TYPE_NAME		"baskets"

#define BASKETS_FORMAT_VERSION	1

#define BASKETS_KIND_NONE		0
#define BASKETS_KIND_BIGINT		1
#define BASKETS_KIND_TEXT		2

/*
 * The pair budget: max_pairs pair counters at most (the aggregates' argument; default below).
 * Below it every count is exact; at it, the frequent-pair algorithm (Misra-Gries, in batches)
 * keeps the heaviest pairs, and pair_error bounds what each count may miss.
 */
#define BASKETS_DEFAULT_MAX_PAIRS	INT64CONST(1000000)
#define BASKETS_MIN_MAX_PAIRS		INT64CONST(16)
#define BASKETS_MAX_MAX_PAIRS		INT64CONST(50000000)

/*
 * A basket of n distinct items has n(n-1)/2 pairs: a basket with more distinct items than this
 * is refused (54000), so that one order cannot stall the aggregate.
 */
#define BASKETS_MAX_BASKET_ITEMS	10000

typedef struct Baskets
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		kind;
	uint16		reserved1;
	int32		nitems;
	uint32		reserved2;
	int64		nbaskets;
	int64		npairs;
	int64		pair_error;
	int64		max_pairs;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} Baskets;

#define BASKETS_HEADER_SIZE		offsetof(Baskets, columns)

#define BASKETS_ITEM_COUNT(b)	((int64 *) (b)->columns)
#define BASKETS_PAIR_COUNT(b)	(BASKETS_ITEM_COUNT(b) + (b)->nitems)
#define BASKETS_ITEM_VALUE(b)	(BASKETS_PAIR_COUNT(b) + (b)->npairs)
#define BASKETS_PAIR_A(b) \
	((int32 *) (BASKETS_ITEM_VALUE(b) + ((b)->kind == BASKETS_KIND_BIGINT ? (b)->nitems : 0)))
#define BASKETS_PAIR_B(b)		(BASKETS_PAIR_A(b) + (b)->npairs)
#define BASKETS_ITEM_END(b)		(BASKETS_PAIR_B(b) + (b)->npairs)
#define BASKETS_TEXT(b)			((char *) (BASKETS_ITEM_END(b) + (b)->nitems))

#define DatumGetBasketsP(X)		baskets_detoast(X)
#define PG_GETARG_BASKETS_P(n)	DatumGetBasketsP(PG_GETARG_DATUM(n))
#define PG_RETURN_BASKETS_P(x)	PG_RETURN_POINTER(x)

/* Reading a value: detoasted, its header, lengths and positions checked (XX001 / 0A000). */
extern Baskets *baskets_detoast(Datum datum);

/* Item i of a summary as text (a bigint in decimal), palloc'd. */
extern char *baskets_item_text(const Baskets *b, int32 i);

/* The kind's name ("bigint", "text", "none") and back (-1: unknown). */
extern const char *baskets_kind_name(int kind);
extern int	baskets_kind_of_name(const char *name);

/* The pair budget, checked (22023) wherever it enters: an aggregate argument, input. */
extern void baskets_check_max_pairs(int64 max_pairs);

/*
 * The counting state: the aggregates' transition state, and what input and rollup build.  Items
 * get positions in the order they arrive; baskets_from_state sorts them.  Everything lives in
 * one memory context.
 */
typedef struct BasketsState BasketsState;

extern BasketsState *baskets_state_create(MemoryContext context, int64 max_pairs);
extern MemoryContext baskets_state_context(const BasketsState *state);
extern int	baskets_state_kind(const BasketsState *state);

/* Fixes the state's kind on its first item; a summary cannot mix them (42804). */
extern void baskets_state_set_kind(BasketsState *state, int kind);

/* The item's position, added with count 0 when new (the kind must be set). */
extern int32 baskets_state_item_bigint(BasketsState *state, int64 value);
extern int32 baskets_state_item_text(BasketsState *state, const char *text, int32 len);

/* The item's position, or -1 when the state has no such item. */
extern int32 baskets_state_find_bigint(BasketsState *state, int64 value);
extern int32 baskets_state_find_text(BasketsState *state, const char *text, int32 len);

/* One basket of n distinct item positions (sorted ascending by the caller, n >= 1). */
extern void baskets_state_add_basket(BasketsState *state, int32 *items, int n);

/* Counts from a summary or from input: added, checked against overflow. */
extern void baskets_state_add_baskets(BasketsState *state, int64 nbaskets, int64 pair_error);
extern void baskets_state_add_item_count(BasketsState *state, int32 item, int64 count);
extern void baskets_state_add_pair_count(BasketsState *state, int32 a, int32 b, int64 count);

/* Adds a whole summary, and another state (read only). */
extern void baskets_state_add_summary(BasketsState *state, const Baskets *b);
extern void baskets_state_add_state(BasketsState *state, const BasketsState *other);

/*
 * Reading a state back, for the aggregate over order lines (baskets_lines.c), which keeps item
 * positions of its own: the items in position order, and the counts' error so far.
 */
extern int32 baskets_state_nitems(const BasketsState *state);
extern int64 baskets_state_item_value(const BasketsState *state, int32 item);
extern const char *baskets_state_item_text_at(const BasketsState *state, int32 item, int32 *len);
extern int64 baskets_state_pair_error(const BasketsState *state);
extern int64 baskets_state_max_pairs(const BasketsState *state);

/*
 * Takes back one basket counted by add_basket (its positions sorted ascending, as added): the
 * order-lines aggregate uses it when an order's lines turn out to have come in two parts.
 * Exact only while no pair was dropped (pair_error 0); a count that would go below zero is
 * an internal error (XX000).
 */
extern void baskets_state_remove_basket(BasketsState *state, const int32 *items, int n);

/* The canonical summary of a state, in the current memory context; the state is unchanged. */
extern Baskets *baskets_from_state(BasketsState *state);

/* The binary form, for send/recv and the aggregates' serialized state. */
extern bytea *baskets_binary(const Baskets *b);
extern Baskets *baskets_read_binary(StringInfo buf);

#endif							/* PROFILING_BASKETS_H */
