/*
 * loyalty_trend.h
 *	  The loyalty trend summary: every purchase line of one customer (a time, an amount and the
 *	  product's category), sorted, in one varlena, with each distinct category stored once.
 *	  This header declares what the type's core, loyalty_trend.c, defines: the layout, reading
 *	  a value safely, the category dictionary, building the canonical value from a list of
 *	  lines, slicing by time and the binary form.  The type's text and binary forms
 *	  (loyalty_trend_io.c), aggregates (_agg.c), SQL readers (_accessors.c) and comparison
 *	  operators (_ops.c) build on it, never on each other.
 *
 * On-disk / in-memory layout (version 1), 16-byte header then three columns and the categories:
 *
 *	  int32   vl_len_
 *	  uint8   version        LT_FORMAT_VERSION
 *	  uint8   flags          no flag is defined yet: must be zero
 *	  uint16  reserved       must be zero
 *	  int32   nlines
 *	  int32   ncategories
 *	  int64   at[n]          line times (TimestampTz, microseconds), ascending
 *	  float8  amount[n]      finite, zero or more (never -0)
 *	  int32   category[n]    index into the categories, 0 .. ncategories - 1
 *	  char    categories[]   ncategories NUL-terminated strings, ascending by bytes, distinct,
 *	                         each used by some line; they end the value
 *
 * A line costs 20 bytes, and each distinct category its text once.  Lines are sorted by (at,
 * amount, category); since the categories are sorted, the index order is the text order, and
 * equal multisets of lines give identical bytes: equality and hashing are byte comparisons, and
 * rollup of any split equals one pass.
 */
#ifndef PROFILING_LOYALTY_TREND_H
#define PROFILING_LOYALTY_TREND_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/memutils.h"

/* The type's name in messages. */
#define LT_TYPE_NAME		"loyalty_trend"

#define LT_FORMAT_VERSION	1

typedef struct LoyaltyTrend
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		reserved;
	int32		nlines;
	int32		ncategories;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} LoyaltyTrend;

#define LT_HEADER_SIZE		offsetof(LoyaltyTrend, columns)
#define LT_LINE_SIZE		(sizeof(int64) + sizeof(float8) + sizeof(int32))

/* The largest line count whose columns still fit in one varlena (1 GB). */
#define LT_MAX_LINES		((int32) ((MaxAllocSize - LT_HEADER_SIZE - 1) / LT_LINE_SIZE))

#define LT_TIMES(t)			((int64 *) (t)->columns)
#define LT_AMOUNTS(t)		((float8 *) ((t)->columns + sizeof(int64) * (t)->nlines))
#define LT_CATEGORY_INDEX(t) ((int32 *) ((t)->columns + 2 * sizeof(int64) * (t)->nlines))
#define LT_CATEGORY_TEXT(t)	((t)->columns + LT_LINE_SIZE * (t)->nlines)

#define PG_GETARG_LOYALTY_TREND_P(n)	lt_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_LOYALTY_TREND_P(x)	PG_RETURN_POINTER(x)

/* Reading a value: detoasted, its header, lengths, categories and indexes checked. */
extern LoyaltyTrend *lt_detoast(Datum datum);
extern int32 lt_stored_count(Datum datum);

/* The start of each category's text, into names[0..ncategories) (a valid value's). */
extern void lt_category_names(const LoyaltyTrend *t, const char **names);

/*
 * A dictionary of distinct category strings, each with its index, in the memory context it
 * was created in: the aggregates' state and text input number the categories as they come.
 * Small dictionaries are searched in order; larger ones through an open-addressing table.
 */
typedef struct LtDictionary
{
	MemoryContext context;
	int32		n;
	int32		capacity;
	char	  **names;			/* NUL-terminated copies */
	int32	   *lengths;
	uint32	   *hashes;
	int32	   *table;			/* NULL, or table_size slots: index + 1, 0 when free */
	int32		table_size;
	int32		last;			/* the index found last: consecutive lines often share it */
} LtDictionary;

extern LtDictionary *lt_dictionary_create(MemoryContext context);
/* The index of a category (len bytes, no NUL inside), added when new. */
extern int32 lt_dictionary_index(LtDictionary *dict, const char *name, int32 len);

/* A growable list of lines, in three columns. */
typedef struct LtLines
{
	int32		n;
	int32		capacity;
	int64	   *at;
	float8	   *amount;
	int32	   *category;		/* indexes of a dictionary */
} LtLines;

extern LtLines *lt_lines_create(int32 capacity);
/* Appends one line after checking it (time finite, amount finite and >= 0). */
extern void lt_lines_append(LtLines *lines, TimestampTz at, float8 amount, int32 category);

/* Every line entering a summary, from any path, is checked here (22008, 22023). */
extern void lt_check_line(TimestampTz at, float8 amount);

/*
 * The canonical summary of lines[0..n) whose categories index names[0..ncategories) (any
 * order, some perhaps unused; no two equal): keeps the used categories, sorts them and the
 * lines.  Reorders nothing the caller passes.
 */
extern LoyaltyTrend *lt_build(const int64 *at, const float8 *amount, const int32 *category,
							  int32 n, const char *const *names, int32 ncategories);

extern void lt_error_too_many(void) pg_attribute_noreturn();

/* The lines [from, to), canonical (the categories they use, renumbered). */
extern LoyaltyTrend *lt_slice(const LoyaltyTrend *t, int32 from, int32 to);

/*
 * The binary form, for send/recv (convert: category texts in the client encoding) and the
 * aggregates' serialized state (the server encoding, as stored).
 */
extern void lt_write_binary(StringInfo buf, const LoyaltyTrend *t, bool convert);
extern LoyaltyTrend *lt_read_binary(StringInfo buf, bool convert);

#endif							/* PROFILING_LOYALTY_TREND_H */
