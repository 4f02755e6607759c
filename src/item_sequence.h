/*
 * item_sequence.h
 *	  The item-sequence summary: one customer's purchases as (time, item) events, sorted, in one
 *	  varlena.  Items are text: a bigint item is kept as its decimal text, so the bigint and text
 *	  aggregates give byte-identical summaries.  The type's text and binary forms
 *	  (item_sequence_io.c), aggregates (_agg.c), SQL readers (_accessors.c) and comparisons
 *	  (_ops.c) build on this core, never on each other.
 *
 * Layout (version 1):
 *	  24-byte header, int64 at[nevents], int32 item[nevents] (an index into the item list),
 *	  int32 item_end[nitems] (where each item's text ends), char text[textlen].
 * Canonical form: the items distinct and in byte order, every one used by an event; the events
 * distinct and sorted by (time, item); so equal sets of events give identical bytes.
 */
#ifndef PROFILING_ITEM_SEQUENCE_H
#define PROFILING_ITEM_SEQUENCE_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#define IS_TYPE_NAME		"item_sequence"
#define IS_FORMAT_VERSION	1

/* Limits that keep a summary well under 1 GB. */
#define IS_MAX_EVENTS		10000000
#define IS_MAX_ITEM_LEN		8192

typedef struct ItemSequence
{
	int32		vl_len_;
	uint8		version;
	uint8		flags;			/* none defined: zero */
	uint16		reserved1;		/* zero */
	int32		nevents;
	int32		nitems;
	int32		textlen;
	int32		reserved2;		/* zero */
} ItemSequence;

#define IS_HEADER_SIZE		MAXALIGN(sizeof(ItemSequence))
#define IS_TIMES(s)			((int64 *) ((char *) (s) + IS_HEADER_SIZE))
#define IS_ITEMS(s)			((int32 *) (IS_TIMES(s) + (s)->nevents))
#define IS_ITEM_ENDS(s)		(IS_ITEMS(s) + (s)->nevents)
#define IS_TEXT(s)			((char *) (IS_ITEM_ENDS(s) + (s)->nitems))
#define IS_ITEM_START(s, k)	((k) == 0 ? 0 : IS_ITEM_ENDS(s)[(k) - 1])
#define IS_ITEM_LEN(s, k)	(IS_ITEM_ENDS(s)[k] - IS_ITEM_START(s, k))

#define PG_GETARG_ITEM_SEQUENCE_P(n)	is_detoast(PG_GETARG_DATUM(n))
#define PG_RETURN_ITEM_SEQUENCE_P(x)	PG_RETURN_POINTER(x)

/* Reading a stored value: detoasted, its header and length checked (XX001 / 0A000). */
extern ItemSequence *is_detoast(Datum datum);

/*
 * A collection of events in the making: the aggregates' transition state, and what text input,
 * binary input and slicing build a summary from.  Item text is copied into the builder's
 * memory (the context it was created in).
 */
typedef struct IsEvent
{
	int64		at;
	const char *item;
	int32		len;
} IsEvent;

/*
 * A bigint item's event keeps the number (16 bytes, no text); its decimal text is made once
 * per distinct item when the summary is built.  Customers' purchases are most of a grouping's
 * memory: this halves it for bigint items.
 */
typedef struct IsNumberEvent
{
	int64		at;
	int64		item;
} IsNumberEvent;

typedef struct IsBuilder
{
	MemoryContext cxt;
	IsEvent    *events;
	int32		n;
	int32		cap;
	IsNumberEvent *numbers;		/* events of bigint items */
	int32		nnumbers;
	int32		numbers_cap;
	char	   *arena;			/* item text, in blocks */
	Size		arena_free;
	Size		arena_block;	/* the size of the last block */
} IsBuilder;

extern IsBuilder *is_builder_create(MemoryContext cxt);

/* One event; the item is checked (length, encoding) and copied. */
extern void is_builder_add(IsBuilder *b, int64 at, const char *item, int32 len);

/* The same for an item known to be valid: copied only. */
extern void is_builder_add_checked(IsBuilder *b, int64 at, const char *item, int32 len);

/* One event of a bigint item, the same as its decimal text in the summary. */
extern void is_builder_add_number(IsBuilder *b, int64 at, int64 item);

/* The events [from, to) of a valid summary. */
extern void is_builder_add_sequence(IsBuilder *b, const ItemSequence *s, int32 from, int32 to);

/* The events of another builder in the same memory context (their text is shared, not copied). */
extern void is_builder_add_builder(IsBuilder *b, const IsBuilder *other);

/* The canonical summary of the events (sorts the builder's events in place). */
extern ItemSequence *is_build(IsBuilder *b);

/* Checks an item's length and encoding (54000 / 22021). */
extern void is_check_item(const char *item, int32 len);

/*
 * Items in literals (this type's and the paths summary's): output always in double quotes with
 * '"' and '\\' escaped by a backslash; input quoted, or bare when it holds none of , ( ) " \\
 * (blanks around it dropped).  is_parse_item returns the position after the item and its
 * blanks; syntax errors (22P02) are in type_name's name.
 */
extern void is_append_quoted(StringInfo out, const char *item, int32 len);
extern const char *is_parse_item(const char *type_name, const char *input, const char *start,
								 StringInfo item);

/* Binary form: the writer, and the reader that trusts nothing (22P03). */
extern void is_write_binary(StringInfo buf, const ItemSequence *s);
extern ItemSequence *is_read_binary(StringInfo buf);

/* Byte order of two item texts (memcmp, then the shorter first): C collation. */
static inline int
is_item_cmp(const char *a, int32 alen, const char *b, int32 blen)
{
	int			c = memcmp(a, b, Min(alen, blen));

	if (c != 0)
		return c < 0 ? -1 : 1;
	return (alen > blen) - (alen < blen);
}

#endif							/* PROFILING_ITEM_SEQUENCE_H */
