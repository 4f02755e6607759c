/*
 * transitions.h
 *	  The transitions summary: how many customers moved from each lifecycle stage to each other
 *	  one (or stayed) over a period, an 8 x 8 matrix of counts in one fixed-size varlena.  This
 *	  header declares what the type's core, transitions.c, defines: the layout, reading a stored
 *	  value safely, the stage positions, adding counts, and the binary form.  The core also holds
 *	  the text and binary I/O and the comparisons (the type is small enough for one file); the
 *	  aggregates (transitions_agg.c) and the readers (transitions_accessors.c) build on it, and
 *	  never on each other.
 *
 * Stages are positions 0..7 in the order of profiling.lifecycle_stage (LifecycleStage of
 * lifecycle.h): never enum label OIDs, which differ from one database to the next.  The text
 * form names them by their labels; the aggregates and accessors map label OIDs to positions
 * with labels.h.
 *
 * On-disk / in-memory layout (version 1), 520 bytes:
 *
 *	  int32   vl_len_
 *	  uint8   version        TRANSITIONS_FORMAT_VERSION
 *	  uint8   flags          none are defined yet: must be zero
 *	  uint16  reserved       must be zero (keeps the counts 8-byte aligned)
 *	  int64   counts[8][8]   counts[from][to], each zero or more
 *
 * Every matrix has one representation, so equality and hashing are byte comparisons.
 */
#ifndef PROFILING_TRANSITIONS_H
#define PROFILING_TRANSITIONS_H

#include "postgres.h"

#include "access/htup.h"			/* lifecycle.h uses HeapTupleHeader without it */
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "lifecycle.h"

#define TRANSITIONS_TYPE_NAME		"transitions"
#define TRANSITIONS_FORMAT_VERSION	1

typedef struct Transitions
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int64		counts[LIFECYCLE_STAGES][LIFECYCLE_STAGES];
} Transitions;

#define TRANSITIONS_SIZE	sizeof(Transitions)

#define DatumGetTransitionsP(X)		transitions_detoast(X)
#define PG_GETARG_TRANSITIONS_P(n)	DatumGetTransitionsP(PG_GETARG_DATUM(n))
#define PG_RETURN_TRANSITIONS_P(x)	PG_RETURN_POINTER(x)

/* Reading a value: detoasted, its header, length and counts checked (XX001 / 0A000 when not). */
extern Transitions *transitions_detoast(Datum datum);

/* An all-zero matrix, palloc'd in the current memory context. */
extern Transitions *transitions_allocate(void);

/* counts[from][to] += n (n >= 0); beyond int64 is an error (22003). */
extern void transitions_add(Transitions *t, int from, int to, int64 n);

/* Adds every count of other into t (22003 beyond int64); other is only read. */
extern void transitions_add_all(Transitions *t, const Transitions *other);

/* The binary form, for send/recv and the aggregates' serialized state. */
extern bytea *transitions_binary(const Transitions *t);
extern Transitions *transitions_read_binary(StringInfo buf);

#endif							/* PROFILING_TRANSITIONS_H */
