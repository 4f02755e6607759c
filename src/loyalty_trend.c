/*
 * loyalty_trend.c
 *	  The loyalty trend type's core (see loyalty_trend.h): reading a value safely, the category
 *	  dictionary, the canonical form built from lines, slicing by time, and the binary form
 *	  (written by send and serialize, read by recv and deserialize).
 *
 * Every path that makes a value (the aggregates, text and binary input, slicing) ends in
 * lt_build or is checked to be what lt_build would give, so equal multisets of lines give
 * identical bytes.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/detoast.h"
#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"

#include "loyalty_trend.h"
#include "purchase_history.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

/* The size of the columns of n lines and a category text of text_len bytes. */
static Size
lt_size(int32 n, Size text_len)
{
	Size		size;

	if (n < 0 || n > LT_MAX_LINES)
		lt_error_too_many();
	size = add_size(add_size(LT_HEADER_SIZE, mul_size(LT_LINE_SIZE, n)), text_len);
	if (size > MaxAllocSize)
		lt_error_too_many();
	return size;
}

/*
 * The category text of a stored value: ncategories NUL-terminated strings, strictly
 * ascending, filling the rest of the value exactly.
 */
static bool
categories_hold_together(const char *text, Size len, int32 ncategories)
{
	const char *previous = NULL;
	const char *p = text;
	const char *end = text + len;
	int32		count = 0;

	while (p < end)
	{
		const char *nul = memchr(p, '\0', end - p);

		if (nul == NULL)
			return false;
		if (previous != NULL && strcmp(previous, p) >= 0)
			return false;
		previous = p;
		p = nul + 1;
		count++;
	}
	return count == ncategories;
}

/* A stored value's header, its size (with a 4-byte varlena header), categories and indexes. */
static void
check_stored(const LoyaltyTrend *t, Size size)
{
	Size		columns;
	const int32 *index;

	if (size < LT_HEADER_SIZE)
		summary_error_corrupted(LT_TYPE_NAME);
	summary_check_version(LT_TYPE_NAME, t->version, LT_FORMAT_VERSION);
	if (t->flags != 0 || t->reserved != 0 ||
		t->nlines < 0 || t->nlines > LT_MAX_LINES ||
		t->ncategories < 0 || t->ncategories > t->nlines ||
		(t->ncategories == 0) != (t->nlines == 0))
		summary_error_corrupted(LT_TYPE_NAME);
	columns = LT_HEADER_SIZE + LT_LINE_SIZE * (Size) t->nlines;
	if (size < columns ||
		!categories_hold_together(LT_CATEGORY_TEXT(t), size - columns, t->ncategories))
		summary_error_corrupted(LT_TYPE_NAME);
	index = LT_CATEGORY_INDEX(t);
	for (int32 i = 0; i < t->nlines; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if ((uint32) index[i] >= (uint32) t->ncategories)
			summary_error_corrupted(LT_TYPE_NAME);
	}
}

LoyaltyTrend *
lt_detoast(Datum datum)
{
	LoyaltyTrend *t = (LoyaltyTrend *) PG_DETOAST_DATUM(datum);

	check_stored(t, VARSIZE(t));
	return t;
}

/* The count from the header alone: a large summary kept out of line is not fetched whole. */
int32
lt_stored_count(Datum datum)
{
	Size		size = toast_raw_datum_size(datum);
	LoyaltyTrend *t = (LoyaltyTrend *) PG_DETOAST_DATUM_SLICE(datum, 0, LT_HEADER_SIZE);

	if (size < LT_HEADER_SIZE)
		summary_error_corrupted(LT_TYPE_NAME);
	summary_check_version(LT_TYPE_NAME, t->version, LT_FORMAT_VERSION);
	if (t->flags != 0 || t->reserved != 0 || t->nlines < 0 || t->nlines > LT_MAX_LINES ||
		size < LT_HEADER_SIZE + LT_LINE_SIZE * (Size) t->nlines)
		summary_error_corrupted(LT_TYPE_NAME);
	return t->nlines;
}

void
lt_category_names(const LoyaltyTrend *t, const char **names)
{
	const char *p = LT_CATEGORY_TEXT(t);

	for (int32 c = 0; c < t->ncategories; c++)
	{
		names[c] = p;
		p += strlen(p) + 1;
	}
}

void
lt_error_too_many(void)
{
	summary_error_too_many("lines", "loyalty trend", LT_MAX_LINES);
}

/* ---------------------------------------------------------------------------------------------
 * The category dictionary
 * ---------------------------------------------------------------------------------------------
 */

#define DICT_LINEAR_MAX 16		/* searched in order up to this many categories */

LtDictionary *
lt_dictionary_create(MemoryContext context)
{
	LtDictionary *dict = MemoryContextAllocZero(context, sizeof(LtDictionary));

	dict->context = context;
	dict->capacity = 4;
	dict->names = MemoryContextAlloc(context, sizeof(char *) * dict->capacity);
	dict->lengths = MemoryContextAlloc(context, sizeof(int32) * dict->capacity);
	dict->hashes = MemoryContextAlloc(context, sizeof(uint32) * dict->capacity);
	return dict;
}

static inline bool
dict_entry_is(const LtDictionary *dict, int32 i, const char *name, int32 len)
{
	return dict->lengths[i] == len && memcmp(dict->names[i], name, len) == 0;
}

/* Puts index i into the open-addressing table (which has a free slot). */
static void
dict_table_put(LtDictionary *dict, int32 i)
{
	uint32		mask = (uint32) dict->table_size - 1;
	uint32		slot = dict->hashes[i] & mask;

	while (dict->table[slot] != 0)
		slot = (slot + 1) & mask;
	dict->table[slot] = i + 1;
}

/* The table, rebuilt at twice the size: at most half full. */
static void
dict_table_rebuild(LtDictionary *dict)
{
	int32		size = 64;

	while (size < 2 * (dict->n + 1))
		size *= 2;
	if (dict->table != NULL)
		pfree(dict->table);
	dict->table = MemoryContextAllocZero(dict->context, sizeof(int32) * size);
	dict->table_size = size;
	for (int32 i = 0; i < dict->n; i++)
		dict_table_put(dict, i);
}

int32
lt_dictionary_index(LtDictionary *dict, const char *name, int32 len)
{
	uint32		hash;
	int32		i;

	if (dict->n > 0 && dict_entry_is(dict, dict->last, name, len))
		return dict->last;
	hash = hash_bytes((const unsigned char *) name, len);
	if (dict->table == NULL)
	{
		for (i = 0; i < dict->n; i++)
			if (dict->hashes[i] == hash && dict_entry_is(dict, i, name, len))
				return dict->last = i;
	}
	else
	{
		uint32		mask = (uint32) dict->table_size - 1;

		for (uint32 slot = hash & mask; dict->table[slot] != 0; slot = (slot + 1) & mask)
		{
			i = dict->table[slot] - 1;
			if (dict->hashes[i] == hash && dict_entry_is(dict, i, name, len))
				return dict->last = i;
		}
	}

	/* a new category */
	if (dict->n >= LT_MAX_LINES)
		lt_error_too_many();
	if (dict->n == dict->capacity)
	{
		int32		capacity = (int32) Min((int64) dict->capacity * 2, (int64) LT_MAX_LINES);

		dict->names = repalloc(dict->names, sizeof(char *) * capacity);
		dict->lengths = repalloc(dict->lengths, sizeof(int32) * capacity);
		dict->hashes = repalloc(dict->hashes, sizeof(uint32) * capacity);
		dict->capacity = capacity;
	}
	i = dict->n++;
	dict->names[i] = MemoryContextAlloc(dict->context, len + 1);
	memcpy(dict->names[i], name, len);
	dict->names[i][len] = '\0';
	dict->lengths[i] = len;
	dict->hashes[i] = hash;
	if (dict->table != NULL && 2 * dict->n <= dict->table_size)
		dict_table_put(dict, i);
	else if (dict->n > DICT_LINEAR_MAX)
		dict_table_rebuild(dict);
	return dict->last = i;
}

/* ---------------------------------------------------------------------------------------------
 * Validating and collecting lines
 * ---------------------------------------------------------------------------------------------
 */

/* The purchase history's rule and messages: a line's amount is an order amount. */
void
lt_check_line(TimestampTz at, float8 amount)
{
	ph_check_order_fast(at, amount, 0.0);
}

LtLines *
lt_lines_create(int32 capacity)
{
	LtLines    *lines = palloc(sizeof(LtLines));

	capacity = Max(capacity, 4);
	lines->n = 0;
	lines->capacity = capacity;
	lines->at = palloc(sizeof(int64) * capacity);
	lines->amount = palloc(sizeof(float8) * capacity);
	lines->category = palloc(sizeof(int32) * capacity);
	return lines;
}

void
lt_lines_append(LtLines *lines, TimestampTz at, float8 amount, int32 category)
{
	lt_check_line(at, amount);
	if (unlikely(lines->n == lines->capacity))
	{
		int32		capacity = (int32) Min((int64) lines->capacity * 2, (int64) LT_MAX_LINES);

		if (lines->n >= LT_MAX_LINES)
			lt_error_too_many();
		lines->at = repalloc(lines->at, sizeof(int64) * capacity);
		lines->amount = repalloc(lines->amount, sizeof(float8) * capacity);
		lines->category = repalloc(lines->category, sizeof(int32) * capacity);
		lines->capacity = capacity;
	}
	lines->at[lines->n] = at;
	lines->amount[lines->n] = amount + 0.0;	/* -0 is stored as +0: canonical bytes */
	lines->category[lines->n] = category;
	lines->n++;
}

/* ---------------------------------------------------------------------------------------------
 * Building the canonical value
 * ---------------------------------------------------------------------------------------------
 */

typedef struct LtSortLine
{
	int64		at;
	float8		amount;
	int32		category;		/* the new (sorted) index */
} LtSortLine;

static inline int
lt_line_cmp(const LtSortLine *a, const LtSortLine *b)
{
	if (a->at != b->at)
		return a->at < b->at ? -1 : 1;
	if (a->amount != b->amount)
		return a->amount < b->amount ? -1 : 1;
	if (a->category != b->category)
		return a->category < b->category ? -1 : 1;
	return 0;
}

#define ST_SORT lt_sort_lines
#define ST_ELEMENT_TYPE LtSortLine
#define ST_COMPARE(a, b) lt_line_cmp(a, b)
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

/* Sorting category numbers by their text. */
static const char *const *sort_names;

static int
name_index_cmp(const void *a, const void *b)
{
	return strcmp(sort_names[*(const int32 *) a], sort_names[*(const int32 *) b]);
}

LoyaltyTrend *
lt_build(const int64 *at, const float8 *amount, const int32 *category, int32 n,
		 const char *const *names, int32 ncategories)
{
	int32	   *rank = palloc(sizeof(int32) * Max(ncategories, 1));
	int32	   *used = palloc(sizeof(int32) * Max(ncategories, 1));
	int32		nused = 0;
	Size		text_len = 0;
	LtSortLine *sorted;
	LoyaltyTrend *t;
	int64	   *times;
	float8	   *amounts;
	int32	   *index;
	char	   *text;

	CHECK_FOR_INTERRUPTS();
	/* the categories some line uses, in text order */
	for (int32 c = 0; c < ncategories; c++)
		rank[c] = -1;
	for (int32 i = 0; i < n; i++)
		if (rank[category[i]] < 0)
		{
			rank[category[i]] = 0;
			used[nused++] = category[i];
		}
	sort_names = names;
	qsort(used, nused, sizeof(int32), name_index_cmp);
	for (int32 k = 0; k < nused; k++)
	{
		if (k > 0 && strcmp(names[used[k - 1]], names[used[k]]) == 0)
			elog(ERROR, "loyalty trend dictionary holds \"%s\" twice", names[used[k]]);
		rank[used[k]] = k;
		text_len = add_size(text_len, strlen(names[used[k]]) + 1);
	}

	sorted = palloc(sizeof(LtSortLine) * Max(n, 1));
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		sorted[i].at = at[i];
		sorted[i].amount = amount[i];
		sorted[i].category = rank[category[i]];
	}
	lt_sort_lines(sorted, n);

	t = palloc0(lt_size(n, text_len));
	SET_VARSIZE(t, lt_size(n, text_len));
	t->version = LT_FORMAT_VERSION;
	t->nlines = n;
	t->ncategories = nused;
	times = LT_TIMES(t);
	amounts = LT_AMOUNTS(t);
	index = LT_CATEGORY_INDEX(t);
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		times[i] = sorted[i].at;
		amounts[i] = sorted[i].amount;
		index[i] = sorted[i].category;
	}
	text = LT_CATEGORY_TEXT(t);
	for (int32 k = 0; k < nused; k++)
	{
		Size		len = strlen(names[used[k]]) + 1;

		memcpy(text, names[used[k]], len);
		text += len;
	}
	pfree(sorted);
	pfree(rank);
	pfree(used);
	return t;
}

/* The lines [from, to): a sorted part of a sorted summary, with the categories it uses. */
LoyaltyTrend *
lt_slice(const LoyaltyTrend *t, int32 from, int32 to)
{
	const char **names = palloc(sizeof(char *) * Max(t->ncategories, 1));
	int32		n = Max(to - from, 0);

	lt_category_names(t, names);
	return lt_build(LT_TIMES(t) + from, LT_AMOUNTS(t) + from, LT_CATEGORY_INDEX(t) + from, n,
					names, t->ncategories);
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 flags, int32 nlines, int32 ncategories, the categories
 * as NUL-terminated strings, then the time, amount and category columns in network byte
 * order.  The reader accepts exactly what the writer produces and checks every length and
 * value: it reads what clients send (recv) and what other processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(LT_TYPE_NAME, detail);
}

void
lt_write_binary(StringInfo buf, const LoyaltyTrend *t, bool convert)
{
	const char *text = LT_CATEGORY_TEXT(t);
	const int64 *times = LT_TIMES(t);
	const float8 *amounts = LT_AMOUNTS(t);
	const int32 *index = LT_CATEGORY_INDEX(t);

	pq_sendbyte(buf, t->version);
	pq_sendbyte(buf, t->flags);
	pq_sendint32(buf, t->nlines);
	pq_sendint32(buf, t->ncategories);
	for (int32 c = 0; c < t->ncategories; c++)
	{
		if (convert)
			pq_sendstring(buf, text);
		else
			appendBinaryStringInfo(buf, text, strlen(text) + 1);
		text += strlen(text) + 1;
	}
	enlargeStringInfo(buf, LT_LINE_SIZE * (Size) t->nlines);
	for (int32 i = 0; i < t->nlines; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, times[i]);
	}
	for (int32 i = 0; i < t->nlines; i++)
		pq_sendfloat8(buf, amounts[i]);
	for (int32 i = 0; i < t->nlines; i++)
		pq_sendint32(buf, index[i]);
}

/* Reads a value written by lt_write_binary, consuming the rest of buf; trusts nothing. */
LoyaltyTrend *
lt_read_binary(StringInfo buf, bool convert)
{
	int32		n;
	int32		ncategories;
	char	  **names;
	bool	   *seen;
	int64	   *times;
	float8	   *amounts;
	int32	   *index;
	LoyaltyTrend *t;

	if (buf->len - buf->cursor < 10)
		binary_error("The value is shorter than its 10-byte header.");
	summary_check_binary_version(LT_TYPE_NAME, pq_getmsgbyte(buf), LT_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_error("Unknown flag bits are set.");
	n = pq_getmsgint(buf, 4);
	ncategories = pq_getmsgint(buf, 4);
	if (n < 0 || n > LT_MAX_LINES)
		binary_error("The line count is out of range.");
	if (ncategories < 0 || ncategories > n || (ncategories == 0) != (n == 0))
		binary_error("The category count is out of range.");

	names = palloc(sizeof(char *) * Max(ncategories, 1));
	for (int32 c = 0; c < ncategories; c++)
	{
		const char *start = buf->data + buf->cursor;
		const char *nul = memchr(start, '\0', buf->len - buf->cursor);
		int			len;

		if ((c & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (nul == NULL)
			binary_error("A category is not terminated.");
		len = nul - start;
		if (convert)
			names[c] = pstrdup(pq_getmsgstring(buf));
		else
		{
			pg_verify_mbstr(GetDatabaseEncoding(), start, len, false);
			names[c] = pstrdup(start);
			buf->cursor += len + 1;
		}
		if (c > 0 && strcmp(names[c - 1], names[c]) >= 0)
			binary_error("The categories are not in ascending order.");
	}
	if ((Size) (buf->len - buf->cursor) != LT_LINE_SIZE * (Size) n)
		binary_error("The length does not match the line count.");

	times = palloc(sizeof(int64) * Max(n, 1));
	amounts = palloc(sizeof(float8) * Max(n, 1));
	index = palloc(sizeof(int32) * Max(n, 1));
	for (int32 i = 0; i < n; i++)
		times[i] = pq_getmsgint64(buf);
	for (int32 i = 0; i < n; i++)
		amounts[i] = pq_getmsgfloat8(buf);
	for (int32 i = 0; i < n; i++)
		index[i] = pq_getmsgint(buf, 4);

	seen = palloc0(sizeof(bool) * Max(ncategories, 1));
	for (int32 i = 0; i < n; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(times[i]))
			binary_error("A line time is out of range.");
		if (!(amounts[i] >= 0 && amounts[i] <= DBL_MAX) ||
			(amounts[i] == 0 && signbit(amounts[i])))
			binary_error("An amount is negative or not finite.");
		if ((uint32) index[i] >= (uint32) ncategories)
			binary_error("A category index is out of range.");
		seen[index[i]] = true;
		if (i > 0 && lt_line_cmp(&(LtSortLine) {times[i - 1], amounts[i - 1], index[i - 1]},
								 &(LtSortLine) {times[i], amounts[i], index[i]}) > 0)
			binary_error("The lines are not in canonical order.");
	}
	for (int32 c = 0; c < ncategories; c++)
		if (!seen[c])
			binary_error("A category is used by no line.");

	t = lt_build(times, amounts, index, n, (const char *const *) names, ncategories);
	pfree(times);
	pfree(amounts);
	pfree(index);
	pfree(seen);
	for (int32 c = 0; c < ncategories; c++)
		pfree(names[c]);
	pfree(names);
	return t;
}
