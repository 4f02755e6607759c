/*
 * item_sequence.c
 *	  The item_sequence type's core (see item_sequence.h): reading a stored value, the builder
 *	  that every path into a summary goes through (aggregates, text and binary input, slicing),
 *	  the canonical form, and the binary writer and reader.
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "item_sequence.h"
#include "summary.h"

#define ARENA_BLOCK		8192

/* ---------------------------------------------------------------------------------------------
 * Reading a stored value
 * ---------------------------------------------------------------------------------------------
 */

static Size
is_size(int32 nevents, int32 nitems, int32 textlen)
{
	return add_size(IS_HEADER_SIZE,
					add_size(mul_size(nevents, sizeof(int64) + sizeof(int32)),
							 add_size(mul_size(nitems, sizeof(int32)), textlen)));
}

ItemSequence *
is_detoast(Datum datum)
{
	ItemSequence *s = (ItemSequence *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(s);

	if (size < IS_HEADER_SIZE)
		summary_error_corrupted(IS_TYPE_NAME);
	summary_check_version(IS_TYPE_NAME, s->version, IS_FORMAT_VERSION);
	if (s->flags != 0 || s->reserved1 != 0 || s->reserved2 != 0 ||
		s->nevents < 0 || s->nevents > IS_MAX_EVENTS || s->nitems < 0 ||
		s->nitems > s->nevents || s->textlen < 0 ||
		size != is_size(s->nevents, s->nitems, s->textlen) ||
		(s->nitems > 0 && IS_ITEM_ENDS(s)[s->nitems - 1] != s->textlen))
		summary_error_corrupted(IS_TYPE_NAME);
	return s;
}

/* ---------------------------------------------------------------------------------------------
 * Items
 * ---------------------------------------------------------------------------------------------
 */

void
is_check_item(const char *item, int32 len)
{
	if (len > IS_MAX_ITEM_LEN)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("item is too long for an item sequence"),
				 errdetail("An item of %d bytes was given; at most %d bytes are allowed.",
						   len, IS_MAX_ITEM_LEN),
				 errhint("Use a product key, not its description.")));
	/* reports 22021 with the offending bytes */
	pg_verify_mbstr(GetDatabaseEncoding(), item, len, false);
}

/* ---------------------------------------------------------------------------------------------
 * Items in text: always quoted on output; quoted, or bare when plain, on input
 * ---------------------------------------------------------------------------------------------
 */

/* An item in double quotes, '"' and '\' escaped. */
void
is_append_quoted(StringInfo out, const char *item, int32 len)
{
	appendStringInfoChar(out, '"');
	for (int32 i = 0; i < len; i++)
	{
		if (item[i] == '"' || item[i] == '\\')
			appendStringInfoChar(out, '\\');
		appendStringInfoChar(out, item[i]);
	}
	appendStringInfoChar(out, '"');
}

/*
 * An item in a literal, quoted or bare, from start (blanks allowed around it): its text into
 * item; returns the position after it and its blanks.
 */
const char *
is_parse_item(const char *type_name, const char *input, const char *start, StringInfo item)
{
	const char *p = summary_skip_space(start);

	resetStringInfo(item);
	if (*p == '"')
	{
		const char *open = p;

		for (p++;; p++)
		{
			if (*p == '\0')
				summary_error_syntax(type_name, input,
									 "Unterminated quoted item starting at character %d.",
									 SUMMARY_POSITION(input, open));
			if (*p == '"')
				break;
			if (*p == '\\')
			{
				p++;
				if (*p == '\0')
					summary_error_syntax(type_name, input,
										 "Unterminated quoted item starting at character %d.",
										 SUMMARY_POSITION(input, open));
			}
			appendStringInfoChar(item, *p);
		}
		return summary_skip_space(p + 1);
	}
	else
	{
		const char *end = p + strcspn(p, ",()\"\\");
		char	   *token;

		if (*end == '"' || *end == '\\')
			summary_error_syntax(type_name, input,
								 "An item with \" or \\ must be quoted (character %d).",
								 SUMMARY_POSITION(input, end));
		token = summary_trimmed_token(p, end);
		if (token[0] == '\0')
			summary_error_syntax(type_name, input,
								 "Expected an item at character %d.", SUMMARY_POSITION(input, p));
		appendStringInfoString(item, token);
		return end;
	}
}

/* ---------------------------------------------------------------------------------------------
 * The builder
 * ---------------------------------------------------------------------------------------------
 */

IsBuilder *
is_builder_create(MemoryContext cxt)
{
	IsBuilder  *b = MemoryContextAllocZero(cxt, sizeof(IsBuilder));

	b->cxt = cxt;
	return b;
}

/*
 * Room for more entries in one of the builder's two arrays (events, numbers), used of them taken:
 * the arrays are allocated on first use, 8 entries first, and together hold at most
 * IS_MAX_EVENTS.  Returns the array, perhaps moved.
 */
static inline void *
grow_array(IsBuilder *b, void *array, int32 *cap, int32 used, int32 more, Size size)
{
	if (b->n + (int64) b->nnumbers + more > IS_MAX_EVENTS)
		summary_error_too_many("purchases", "item sequence", IS_MAX_EVENTS);
	if (used + more > *cap)
	{
		int32		new_cap = Max(*cap, 8);

		while (new_cap < used + more)
			new_cap = (int32) Min((int64) new_cap * 2, (int64) IS_MAX_EVENTS);
		array = array == NULL
			? MemoryContextAlloc(b->cxt, mul_size(new_cap, size))
			: repalloc(array, mul_size(new_cap, size));
		*cap = new_cap;
	}
	return array;
}

static inline void
grow(IsBuilder *b, int32 more)
{
	b->events = grow_array(b, b->events, &b->cap, b->n, more, sizeof(IsEvent));
}

static inline void
grow_numbers(IsBuilder *b, int32 more)
{
	b->numbers = grow_array(b, b->numbers, &b->numbers_cap, b->nnumbers, more,
							sizeof(IsNumberEvent));
}

void
is_builder_add_number(IsBuilder *b, int64 at, int64 item)
{
	IsNumberEvent *e;

	grow_numbers(b, 1);
	e = &b->numbers[b->nnumbers++];
	e->at = at;
	e->item = item;
}

static const char *
arena_copy(IsBuilder *b, const char *item, int32 len)
{
	char	   *copy;

	if ((Size) len > b->arena_free)
	{
		/* blocks double from 64 bytes: most customers buy a few short items */
		b->arena_block = Min(Max(b->arena_block * 2, 64), ARENA_BLOCK);
		if (len > b->arena_block / 4)
			return memcpy(MemoryContextAlloc(b->cxt, Max(len, 1)), item, len);
		b->arena = MemoryContextAlloc(b->cxt, b->arena_block);
		b->arena_free = b->arena_block;
	}
	copy = b->arena;
	memcpy(copy, item, len);
	b->arena += len;
	b->arena_free -= len;
	return copy;
}

void
is_builder_add(IsBuilder *b, int64 at, const char *item, int32 len)
{
	is_check_item(item, len);
	is_builder_add_checked(b, at, item, len);
}

void
is_builder_add_checked(IsBuilder *b, int64 at, const char *item, int32 len)
{
	IsEvent    *e;

	grow(b, 1);
	e = &b->events[b->n++];
	e->at = at;
	e->len = len;
	e->item = arena_copy(b, item, len);
}

void
is_builder_add_sequence(IsBuilder *b, const ItemSequence *s, int32 from, int32 to)
{
	const int64 *times = IS_TIMES(s);
	const int32 *items = IS_ITEMS(s);
	const char *text = IS_TEXT(s);
	const char **copies;

	if (to <= from)
		return;
	grow(b, to - from);
	/* each item's text once */
	copies = palloc0(mul_size(Max(s->nitems, 1), sizeof(char *)));
	for (int32 i = from; i < to; i++)
	{
		int32		k = items[i];
		IsEvent    *e = &b->events[b->n++];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (copies[k] == NULL)
			copies[k] = arena_copy(b, text + IS_ITEM_START(s, k), IS_ITEM_LEN(s, k));
		e->at = times[i];
		e->item = copies[k];
		e->len = IS_ITEM_LEN(s, k);
	}
	pfree(copies);
}

void
is_builder_add_builder(IsBuilder *b, const IsBuilder *other)
{
	if (other->n > 0)
	{
		grow(b, other->n);
		memcpy(b->events + b->n, other->events, other->n * sizeof(IsEvent));
		b->n += other->n;
	}
	if (other->nnumbers > 0)
	{
		grow_numbers(b, other->nnumbers);
		memcpy(b->numbers + b->nnumbers, other->numbers, other->nnumbers * sizeof(IsNumberEvent));
		b->nnumbers += other->nnumbers;
	}
}

/* ---------------------------------------------------------------------------------------------
 * The canonical form
 * ---------------------------------------------------------------------------------------------
 */

static int
event_cmp(const void *a, const void *b)
{
	const IsEvent *x = a;
	const IsEvent *y = b;

	if (x->at != y->at)
		return x->at < y->at ? -1 : 1;
	return is_item_cmp(x->item, x->len, y->item, y->len);
}

static int
item_ptr_cmp(const void *a, const void *b)
{
	const IsEvent *x = *(const IsEvent *const *) a;
	const IsEvent *y = *(const IsEvent *const *) b;

	return is_item_cmp(x->item, x->len, y->item, y->len);
}

/* The sorts of the build, specialised: the comparisons inline (sort_template.h). */
#define ST_SORT sort_events
#define ST_ELEMENT_TYPE IsEvent
#define ST_COMPARE(a, b) event_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

typedef IsEvent *IsEventPtr;

#define ST_SORT sort_event_ptrs
#define ST_ELEMENT_TYPE IsEventPtr
#define ST_COMPARE(a, b) item_ptr_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static ItemSequence *build_events(IsEvent *events, int32 *nevents);

#define ST_SORT sort_int64s
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

typedef struct NumberRank
{
	int64		at;
	int32		rank;			/* the item's place in text byte order */
} NumberRank;

#define ST_SORT sort_number_ranks
#define ST_ELEMENT_TYPE NumberRank
#define ST_COMPARE(a, b) \
	((a)->at != (b)->at ? ((a)->at > (b)->at) - ((a)->at < (b)->at) \
	 : ((a)->rank > (b)->rank) - ((a)->rank < (b)->rank))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

typedef struct NumberText
{
	const char *text;
	int32		len;
	int32		index;			/* in the numerically sorted distinct items */
} NumberText;

#define ST_SORT sort_number_texts
#define ST_ELEMENT_TYPE NumberText
#define ST_COMPARE(a, b) is_item_cmp((a)->text, (a)->len, (b)->text, (b)->len)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/*
 * The summary of a builder of bigint items only, from the numbers: each distinct item's text
 * made once and ranked in byte order, the events sorted by (time, rank) as integers, so that
 * no text is compared per event.  The same bytes as the text path.
 */
static ItemSequence *
build_numbers(IsBuilder *b)
{
	int32		nn = b->nnumbers;
	int64	   *distinct = palloc(mul_size(nn, sizeof(int64)));
	int32		ndistinct = 0;
	char	   *digits;
	NumberText *texts;
	int32	   *rank;
	NumberRank *events;
	int32		n = 0;
	Size		textlen = 0;
	ItemSequence *s;
	int64	   *times;
	int32	   *items;
	int32	   *ends;
	char	   *text;

	for (int32 i = 0; i < nn; i++)
		distinct[i] = b->numbers[i].item;
	sort_int64s(distinct, nn);
	for (int32 i = 0; i < nn; i++)
		if (i == 0 || distinct[i] != distinct[ndistinct - 1])
			distinct[ndistinct++] = distinct[i];
	digits = palloc(mul_size(ndistinct, MAXINT8LEN + 1));
	texts = palloc(mul_size(ndistinct, sizeof(NumberText)));
	for (int32 k = 0; k < ndistinct; k++)
	{
		texts[k].text = digits + (Size) k * (MAXINT8LEN + 1);
		texts[k].len = pg_lltoa(distinct[k], digits + (Size) k * (MAXINT8LEN + 1));
		texts[k].index = k;
		textlen += texts[k].len;
	}
	sort_number_texts(texts, ndistinct);
	rank = palloc(mul_size(ndistinct, sizeof(int32)));
	for (int32 k = 0; k < ndistinct; k++)
		rank[texts[k].index] = k;

	events = palloc(mul_size(nn, sizeof(NumberRank)));
	for (int32 i = 0; i < nn; i++)
	{
		int64		item = b->numbers[i].item;
		int32		lo = 0,
					hi = ndistinct - 1;

		while (lo < hi)
		{
			int32		mid = lo + (hi - lo) / 2;

			if (distinct[mid] < item)
				lo = mid + 1;
			else
				hi = mid;
		}
		events[i].at = b->numbers[i].at;
		events[i].rank = rank[lo];
	}
	CHECK_FOR_INTERRUPTS();
	sort_number_ranks(events, nn);
	for (int32 i = 0; i < nn; i++)
		if (n == 0 || events[i].at != events[n - 1].at || events[i].rank != events[n - 1].rank)
			events[n++] = events[i];

	s = palloc0(is_size(n, ndistinct, (int32) textlen));
	SET_VARSIZE(s, is_size(n, ndistinct, (int32) textlen));
	s->version = IS_FORMAT_VERSION;
	s->nevents = n;
	s->nitems = ndistinct;
	s->textlen = (int32) textlen;
	times = IS_TIMES(s);
	items = IS_ITEMS(s);
	ends = IS_ITEM_ENDS(s);
	text = IS_TEXT(s);
	for (int32 i = 0; i < n; i++)
	{
		times[i] = events[i].at;
		items[i] = events[i].rank;
	}
	textlen = 0;
	for (int32 k = 0; k < ndistinct; k++)
	{
		memcpy(text + textlen, texts[k].text, texts[k].len);
		textlen += texts[k].len;
		ends[k] = (int32) textlen;
	}
	pfree(events);
	pfree(rank);
	pfree(texts);
	pfree(digits);
	pfree(distinct);
	return s;
}

/*
 * The canonical summary of the builder's events.  Text events are sorted and their repeats
 * dropped in place: the builder keeps the same set of events, so the final function can run
 * again.  Events of bigint items are read, not changed; mixed with text events (a builder
 * that also took stored sequences) they become text events in the current memory context,
 * each distinct item's text made once.
 */
ItemSequence *
is_build(IsBuilder *b)
{
	IsEvent    *events;
	int64	   *distinct;
	char	   *text;
	int32		ndistinct = 0;
	int32		n;
	ItemSequence *s;

	if (b->nnumbers == 0)
		return build_events(b->events, &b->n);
	if (b->n == 0)
		return build_numbers(b);

	/* the distinct items, each as its text once */
	distinct = palloc(mul_size(b->nnumbers, sizeof(int64)));
	for (int32 i = 0; i < b->nnumbers; i++)
		distinct[i] = b->numbers[i].item;
	sort_int64s(distinct, b->nnumbers);
	for (int32 i = 0; i < b->nnumbers; i++)
		if (i == 0 || distinct[i] != distinct[ndistinct - 1])
			distinct[ndistinct++] = distinct[i];
	text = palloc(mul_size(ndistinct, MAXINT8LEN + 1));
	n = b->n + b->nnumbers;
	events = palloc(mul_size(Max(n, 1), sizeof(IsEvent)));
	if (b->n > 0)
		memcpy(events, b->events, b->n * sizeof(IsEvent));
	{
		int32	   *lens = palloc(mul_size(ndistinct, sizeof(int32)));

		for (int32 k = 0; k < ndistinct; k++)
			lens[k] = pg_lltoa(distinct[k], text + (Size) k * (MAXINT8LEN + 1));
		for (int32 i = 0; i < b->nnumbers; i++)
		{
			int64		item = b->numbers[i].item;
			int32		lo = 0,
						hi = ndistinct - 1;
			IsEvent    *e = &events[b->n + i];

			while (lo < hi)
			{
				int32		mid = lo + (hi - lo) / 2;

				if (distinct[mid] < item)
					lo = mid + 1;
				else
					hi = mid;
			}
			e->at = b->numbers[i].at;
			e->item = text + (Size) lo * (MAXINT8LEN + 1);
			e->len = lens[lo];
		}
		pfree(lens);
	}
	s = build_events(events, &n);
	pfree(events);
	pfree(text);
	pfree(distinct);
	return s;
}

/* The summary of events (sorted, and their repeats dropped, in place: *nevents is updated). */
static ItemSequence *
build_events(IsEvent *events, int32 *nevents)
{
	int32		n = 0;
	int32		nitems = 0;
	Size		textlen = 0;
	IsEvent   **byitem;
	int32	   *index;
	ItemSequence *s;
	int64	   *times;
	int32	   *items;
	int32	   *ends;
	char	   *text;

	/* sort and drop repeated events */
	if (*nevents > 1)
		sort_events(events, *nevents);
	for (int32 i = 0; i < *nevents; i++)
		if (n == 0 || event_cmp(&events[n - 1], &events[i]) != 0)
			events[n++] = events[i];
	*nevents = n;
	CHECK_FOR_INTERRUPTS();

	/* the distinct items, in byte order */
	byitem = palloc(mul_size(Max(n, 1), sizeof(IsEvent *)));
	for (int32 i = 0; i < n; i++)
		byitem[i] = &events[i];
	if (n > 1)
		sort_event_ptrs(byitem, n);
	index = palloc(mul_size(Max(n, 1), sizeof(int32)));
	for (int32 i = 0; i < n; i++)
	{
		if (i == 0 || item_ptr_cmp(&byitem[i - 1], &byitem[i]) != 0)
		{
			nitems++;
			textlen = add_size(textlen, byitem[i]->len);
		}
		index[byitem[i] - events] = nitems - 1;
	}
	if (textlen > MaxAllocSize)
		summary_error_too_many("bytes of item text", "item sequence", MaxAllocSize);

	s = palloc0(is_size(n, nitems, (int32) textlen));
	SET_VARSIZE(s, is_size(n, nitems, (int32) textlen));
	s->version = IS_FORMAT_VERSION;
	s->nevents = n;
	s->nitems = nitems;
	s->textlen = (int32) textlen;
	times = IS_TIMES(s);
	items = IS_ITEMS(s);
	ends = IS_ITEM_ENDS(s);
	text = IS_TEXT(s);
	for (int32 i = 0; i < n; i++)
	{
		times[i] = events[i].at;
		items[i] = index[i];
	}
	textlen = 0;
	nitems = 0;
	for (int32 i = 0; i < n; i++)
		if (i == 0 || item_ptr_cmp(&byitem[i - 1], &byitem[i]) != 0)
		{
			memcpy(text + textlen, byitem[i]->item, byitem[i]->len);
			textlen += byitem[i]->len;
			ends[nitems++] = (int32) textlen;
		}
	pfree(byitem);
	pfree(index);
	return s;
}

/* ---------------------------------------------------------------------------------------------
 * Binary form: uint8 version, uint8 flags, int32 nitems, int32 nevents, then each item
 * (int32 length, its bytes), then each event (int64 time, int32 item index).
 * ---------------------------------------------------------------------------------------------
 */

void
is_write_binary(StringInfo buf, const ItemSequence *s)
{
	const int64 *times = IS_TIMES(s);
	const int32 *items = IS_ITEMS(s);
	const char *text = IS_TEXT(s);

	pq_sendbyte(buf, IS_FORMAT_VERSION);
	pq_sendbyte(buf, 0);
	pq_sendint32(buf, s->nitems);
	pq_sendint32(buf, s->nevents);
	for (int32 k = 0; k < s->nitems; k++)
	{
		pq_sendint32(buf, IS_ITEM_LEN(s, k));
		pq_sendbytes(buf, text + IS_ITEM_START(s, k), IS_ITEM_LEN(s, k));
	}
	for (int32 i = 0; i < s->nevents; i++)
	{
		pq_sendint64(buf, times[i]);
		pq_sendint32(buf, items[i]);
	}
}

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(IS_TYPE_NAME, detail);
}

ItemSequence *
is_read_binary(StringInfo buf)
{
	int32		nitems;
	int32		nevents;
	int32		textlen = 0;
	int32		start;
	ItemSequence *s;
	int32	   *ends;
	int64	   *times;
	int32	   *items;
	bool	   *used;

	if (buf->len - buf->cursor < 10)
		binary_error("The value is shorter than its 10-byte header.");
	summary_check_binary_version(IS_TYPE_NAME, pq_getmsgbyte(buf), IS_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_error("Unknown flag bits are set.");
	nitems = pq_getmsgint(buf, 4);
	nevents = pq_getmsgint(buf, 4);
	if (nevents < 0 || nevents > IS_MAX_EVENTS)
		binary_error("The purchase count is out of range.");
	if (nitems < 0 || nitems > nevents)
		binary_error("The item count is out of range.");
	/* every item takes 4 bytes and every event 12: check before allocating anything */
	if ((Size) (buf->len - buf->cursor) < (Size) nitems * 4 + (Size) nevents * 12)
		binary_error("The value is shorter than its counts say.");

	/* the items: their text is measured first, then copied into place */
	start = buf->cursor;
	for (int32 k = 0; k < nitems; k++)
	{
		int32		len;

		if (buf->len - buf->cursor < 4)
			binary_error("The value ends inside its items.");
		len = pq_getmsgint(buf, 4);
		if (len < 0 || len > IS_MAX_ITEM_LEN || len > buf->len - buf->cursor)
			binary_error("An item length is out of range.");
		buf->cursor += len;
		textlen += len;
	}
	if ((Size) (buf->len - buf->cursor) != (Size) nevents * 12)
		binary_error("The length does not match the purchase count.");

	s = palloc0(is_size(nevents, nitems, textlen));
	SET_VARSIZE(s, is_size(nevents, nitems, textlen));
	s->version = IS_FORMAT_VERSION;
	s->nevents = nevents;
	s->nitems = nitems;
	s->textlen = textlen;
	ends = IS_ITEM_ENDS(s);
	times = IS_TIMES(s);
	items = IS_ITEMS(s);
	buf->cursor = start;
	textlen = 0;
	for (int32 k = 0; k < nitems; k++)
	{
		int32		len = pq_getmsgint(buf, 4);
		const char *bytes = pq_getmsgbytes(buf, len);

		is_check_item(bytes, len);
		memcpy(IS_TEXT(s) + textlen, bytes, len);
		textlen += len;
		ends[k] = textlen;
		if (k > 0 && is_item_cmp(IS_TEXT(s) + IS_ITEM_START(s, k - 1), IS_ITEM_LEN(s, k - 1),
								 IS_TEXT(s) + IS_ITEM_START(s, k), len) >= 0)
			binary_error("The items are not distinct and in byte order.");
	}
	used = palloc0(Max(nitems, 1));
	for (int32 i = 0; i < nevents; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		times[i] = pq_getmsgint64(buf);
		items[i] = pq_getmsgint(buf, 4);
		if (!IS_VALID_TIMESTAMP(times[i]) || TIMESTAMP_NOT_FINITE(times[i]))
			binary_error("A purchase time is out of range.");
		if (items[i] < 0 || items[i] >= nitems)
			binary_error("An item index is out of range.");
		if (i > 0 && (times[i - 1] > times[i] ||
					  (times[i - 1] == times[i] && items[i - 1] >= items[i])))
			binary_error("The purchases are not distinct and in canonical order.");
		used[items[i]] = true;
	}
	for (int32 k = 0; k < nitems; k++)
		if (!used[k])
			binary_error("An item is not bought by any purchase.");
	pfree(used);
	return s;
}
