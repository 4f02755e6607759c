/*
 * paths.h
 *	  The paths summary: over customers' item sequences, for each ordered pair of items (A, B),
 *	  the customers who bought A and then B at a strictly later time within a window, each with
 *	  the shortest such lag; plus the number of customers and, per item, its buyers.  The type's
 *	  text and binary forms (paths_io.c), its aggregates (paths_agg.c), its rules
 *	  (paths_accessors.c) and comparisons (paths_ops.c) build on this core, never on each other.
 *
 * Layout (version 1):
 *	  48-byte header, int64 item_customers[nitems], int64 lags[nlags] (each pair's lags,
 *	  ascending, pairs in order), int32 pair_first[npairs], int32 pair_then[npairs],
 *	  int32 pair_count[npairs] (customers with the pair: its number of lags),
 *	  int32 item_end[nitems] (where each item's text ends), char text[textlen].
 * Canonical form: items distinct in byte order; pairs distinct in (first, then) order, first !=
 * then, each with at least one lag; so the same customers give identical bytes in any order.
 */
#ifndef PROFILING_PATHS_H
#define PROFILING_PATHS_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "item_sequence.h"		/* items: their checks and byte order */

#define PATHS_TYPE_NAME		"paths"
#define PATHS_FORMAT_VERSION	1

/* Limits: lags (8 bytes each) keep a summary under 1 GB; items are checked as in a sequence. */
#define PATHS_MAX_LAGS		64000000
#define PATHS_MAX_ITEMS		10000000

typedef struct Paths
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* none defined: zero */
	uint16		reserved1;		/* zero */
	int32		nitems;
	int32		npairs;
	int32		textlen;
	int32		reserved2;		/* zero */
	int64		within;			/* the window, microseconds, > 0 */
	int64		customers;		/* customers with at least one purchase */
	int64		nlags;			/* sum of pair_count */
} Paths;

#define PATHS_HEADER_SIZE		MAXALIGN(sizeof(Paths))
#define PATHS_ITEM_CUSTOMERS(p)	((int64 *) ((char *) (p) + PATHS_HEADER_SIZE))
#define PATHS_LAGS(p)			(PATHS_ITEM_CUSTOMERS(p) + (p)->nitems)
#define PATHS_PAIR_FIRST(p)		((int32 *) (PATHS_LAGS(p) + (p)->nlags))
#define PATHS_PAIR_THEN(p)		(PATHS_PAIR_FIRST(p) + (p)->npairs)
#define PATHS_PAIR_COUNT(p)		(PATHS_PAIR_THEN(p) + (p)->npairs)
#define PATHS_ITEM_ENDS(p)		(PATHS_PAIR_COUNT(p) + (p)->npairs)
#define PATHS_TEXT(p)			((char *) (PATHS_ITEM_ENDS(p) + (p)->nitems))
#define PATHS_ITEM_START(p, k)	((k) == 0 ? 0 : PATHS_ITEM_ENDS(p)[(k) - 1])
#define PATHS_ITEM_LEN(p, k)	(PATHS_ITEM_ENDS(p)[k] - PATHS_ITEM_START(p, k))

#define PG_GETARG_PATHS_P(n)	paths_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_PATHS_P(x)	PG_RETURN_POINTER(x)

/* Reading a stored value: detoasted, its header and length checked (XX001 / 0A000). */
extern Paths *paths_detoast(Datum datum);

/*
 * Counts in the making: the aggregates' transition state, and what text and binary input
 * build a summary from.  Memory: per distinct item its text and about 60 bytes; per distinct
 * pair about 40 bytes; per lag 12 bytes (its pair and its value, in chunks).  All of it in the
 * memory context the state was created in.
 */
typedef struct PathsState PathsState;

extern PathsState *paths_state_create(MemoryContext cxt);

/*
 * Sets the window on the first call and checks every later one against it (22023): rows says
 * whether they come from the aggregate's rows or from stored summaries, for the message.
 */
extern void paths_state_within(PathsState *s, int64 within, bool rows);

/* A window as text for messages, "30 days", whatever the session IntervalStyle (MAXDATELEN + 1). */
extern void paths_window_text(int64 usec, char *buf);
extern bool paths_state_has_within(const PathsState *s);

/* The id of an item (added on first sight, text copied); checks its length and encoding. */
extern int32 paths_state_item(PathsState *s, const char *item, int32 len);

/* Counts one more customer, n more buyers of an item, one more (customer, pair) lag. */
extern void paths_state_add_customers(PathsState *s, int64 n);
extern void paths_state_add_buyers(PathsState *s, int32 item, int64 n);
extern void paths_state_add_lag(PathsState *s, int32 first, int32 then, int64 lag);

/* Everything a valid summary, or another state (in the same memory context), counts. */
extern void paths_state_add_summary(PathsState *s, const Paths *p);
extern void paths_state_add_state(PathsState *s, const PathsState *other);

/* The canonical summary (state unchanged). */
extern Paths *paths_build(const PathsState *s);

/*
 * Checks what a summary from outside (text or binary) claims: counts consistent with each
 * other and lags within (0, within].  Errors through fail(detail), which must not return.
 */
extern void paths_check_counts(const Paths *p, void (*fail) (const char *detail));

/* Binary form: the writer, and the reader that trusts nothing (22P03). */
extern void paths_write_binary(StringInfo buf, const Paths *p);
extern Paths *paths_read_binary(StringInfo buf);

#endif							/* PROFILING_PATHS_H */
