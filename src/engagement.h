/*
 * engagement.h
 *	  The engagement summary: every interaction of one customer (visits, calls, clicks: a time
 *	  and a duration, which may be unknown), sorted, in one varlena.  This header declares what
 *	  the type's core, engagement.c, defines: the layout, reading a value safely, validating
 *	  interactions, building the canonical value from a list, the binary form and slicing by
 *	  time.  The type's text and binary forms (engagement_io.c), aggregates (_agg.c), SQL
 *	  readers (_accessors.c) and comparison operators (_ops.c) build on it, never on each other.
 *
 * On-disk / in-memory layout (version 1), 16-byte header then two columns:
 *
 *	  int32   vl_len_
 *	  uint8   version        EG_FORMAT_VERSION
 *	  uint8   flags          no flag is defined yet: must be zero
 *	  uint16  reserved1      must be zero
 *	  int32   ninteractions
 *	  uint32  reserved2      must be zero (keeps the columns 8-byte aligned)
 *	  int64   at[n]          interaction times (TimestampTz, microseconds), ascending
 *	  int64   duration[n]    microseconds, zero or more; EG_UNKNOWN_DURATION (-1) when unknown
 *
 * An interaction costs 16 bytes.  Durations are whole microseconds, as an interval's time is,
 * so an int64 holds them exactly (a float8 would round beyond 285 years); a negative duration
 * is refused on the way in, which frees -1 to mark "unknown" in the same column: no bitmap, no
 * second column, and unknown sorts before every known duration.  Interactions are sorted by
 * (at, duration), so equal multisets give identical bytes: equality and hashing are byte
 * comparisons, and rollup of any split equals one pass.
 */
#ifndef PROFILING_ENGAGEMENT_H
#define PROFILING_ENGAGEMENT_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"

/* The type's name in messages. */
#define EG_TYPE_NAME		"engagement"

#define EG_FORMAT_VERSION	1
#define EG_UNKNOWN_DURATION	INT64CONST(-1)

typedef struct Engagement
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved1;
	int32		ninteractions;
	uint32		reserved2;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} Engagement;

#define EG_HEADER_SIZE		offsetof(Engagement, columns)

/* The largest interaction count whose summary still fits in one varlena (1 GB). */
#define EG_MAX_INTERACTIONS \
	((int32) ((MaxAllocSize - EG_HEADER_SIZE) / (2 * sizeof(int64))))

#define EG_TIMES(e)			((int64 *) (e)->columns)
#define EG_DURATIONS(e)		((int64 *) ((e)->columns + sizeof(int64) * (e)->ninteractions))

#define PG_GETARG_ENGAGEMENT_P(n)	eg_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_ENGAGEMENT_P(x)	PG_RETURN_POINTER(x)

/* One interaction, as the aggregates and text input collect them before sorting. */
typedef struct EgInteraction
{
	TimestampTz at;
	int64		duration;		/* or EG_UNKNOWN_DURATION */
} EgInteraction;

/* The canonical order: by time, then duration (unknown first). */
static inline int
eg_interaction_cmp(const EgInteraction *a, const EgInteraction *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->duration != b->duration)
		return a->duration < b->duration ? -1 : 1;
	return 0;
}

/* A growable list of interactions (one allocation; adding may move it, so adders return it). */
typedef struct EgInteractions
{
	int32		n;
	int32		capacity;
	EgInteraction items[FLEXIBLE_ARRAY_MEMBER];
} EgInteractions;

/* Reading a value: detoasted, its header and length checked (XX001 / 0A000 when not). */
extern Engagement *eg_detoast(Datum datum);
extern int32 eg_stored_count(Datum datum);

/*
 * Durations: an interval without a month component (a month has no fixed length; a day counts
 * as 24 hours), zero or more, in microseconds (22023 / 22008 otherwise).  at names the
 * interaction in the error's detail.
 */
extern int64 eg_duration_from_interval(const Interval *duration, TimestampTz at);

/* Every interaction entering a summary, from any path, is checked here (22008). */
extern void eg_check_interaction(TimestampTz at, int64 duration);

/* Building values */
extern Engagement *eg_allocate(int32 n);
extern void eg_error_too_many(void) pg_attribute_noreturn();
extern EgInteractions *eg_list_create(int32 capacity);
extern EgInteractions *eg_list_append(EgInteractions *list, TimestampTz at, int64 duration);
extern Engagement *eg_from_list(EgInteractions *list);

/* The binary form, for send/recv and the aggregates' serialized state */
extern void eg_write_binary(StringInfo buf, const Engagement *e);
extern Engagement *eg_read_binary(StringInfo buf);

/* The interactions [from, to), still canonical */
extern Engagement *eg_slice(const Engagement *e, int32 from, int32 to);

/* A duration as text, HH:MM:SS[.ffffff] with unbounded hours; buf: EG_DURATION_TEXT_LEN. */
#define EG_DURATION_TEXT_LEN 32
extern void eg_duration_text(int64 duration, char *buf);

#endif							/* PROFILING_ENGAGEMENT_H */
