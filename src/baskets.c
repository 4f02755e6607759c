/*
 * baskets.c
 *	  The baskets type's core (see baskets.h): reading a value safely, the counting state that the
 *	  aggregates, rollup and text input fill, the pair budget and its error bound, the canonical
 *	  value of a state, and the binary form (written by send and serialize, read by recv and
 *	  deserialize).
 *
 * The state numbers items as they arrive and keys a pair by its two numbers, smaller first, in
 * one 64-bit word: one hash probe a pair.  Item counts are always exact.  Pair counters are
 * bounded by the pair budget max_pairs: when the table would pass max_pairs counters, the
 * Misra-Gries step in batches takes over: d, the median count, is subtracted from every
 * counter and the counters left at zero or below are dropped (at least half of them), and d is
 * added to pair_error.  Every pair's count then lies in [true count - pair_error, true count],
 * and a pair missing from the table occurred at most pair_error times.  Each step takes d from
 * at least max_pairs / 2 counters, so pair_error <= 2 x (pair occurrences) / max_pairs.  Below
 * the budget nothing is dropped and pair_error stays 0: the summary is exact.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"

#include "baskets.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * The counting state
 * ---------------------------------------------------------------------------------------------
 */

static inline uint32
mix64(uint64 h)
{
	/* the finalizer of MurmurHash3: every input bit reaches every output bit */
	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	h *= UINT64CONST(0xc4ceb9fe1a85ec53);
	h ^= h >> 33;
	return (uint32) h;
}

typedef struct BigintItemEntry
{
	int64		value;
	int32		index;
	char		status;
} BigintItemEntry;

/* A text item's entry: the key is its position; PROBE_INDEX stands for the text looked up. */
typedef struct TextItemEntry
{
	int32		index;
	uint32		hash;
	char		status;
} TextItemEntry;

typedef struct PairEntry
{
	uint64		key;			/* smaller position << 32 | larger position */
	int64		count;
	char		status;
} PairEntry;

#define PROBE_INDEX (-1)

#define SH_PREFIX bigint_items
#define SH_ELEMENT_TYPE BigintItemEntry
#define SH_KEY_TYPE int64
#define SH_KEY value
#define SH_HASH_KEY(tb, key) mix64((uint64) (key))
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

struct BasketsState
{
	MemoryContext context;
	int			kind;
	int64		nbaskets;
	int64		pair_error;
	int64		max_pairs;
	int32		nitems;
	int32		capacity;
	int64	   *item_count;
	int64	   *item_value;		/* bigint items */
	char	  **item_text;		/* text items, and their lengths */
	int32	   *item_len;
	struct bigint_items_hash *bigint_items;
	struct text_items_hash *text_items;
	const char *probe;			/* the text being looked up */
	int32		probe_len;
	struct pairs_hash *pairs;
	/* the pairs of the first dense_dim items: counters in a triangle (see count_pair) */
	int64	   *dense;
	int32		dense_dim;		/* items covered: positions below */
	int32		dense_capacity; /* items the triangle has room for */
	int32		dense_max;		/* items it may cover, from the pair budget */
	int64		dense_kept;		/* its counters above zero */
};

static inline const char *
text_of(const BasketsState *state, int32 index, int32 *len)
{
	if (index == PROBE_INDEX)
	{
		*len = state->probe_len;
		return state->probe;
	}
	*len = state->item_len[index];
	return state->item_text[index];
}

static inline uint32
text_item_hash(const BasketsState *state, int32 index)
{
	int32		len;
	const char *text = text_of(state, index, &len);

	return hash_bytes((const unsigned char *) text, len);
}

static inline bool
text_item_equal(const BasketsState *state, int32 a, int32 b)
{
	int32		alen,
				blen;
	const char *atext = text_of(state, a, &alen);
	const char *btext = text_of(state, b, &blen);

	return alen == blen && memcmp(atext, btext, alen) == 0;
}

#define SH_PREFIX text_items
#define SH_ELEMENT_TYPE TextItemEntry
#define SH_KEY_TYPE int32
#define SH_KEY index
#define SH_HASH_KEY(tb, key) text_item_hash((const BasketsState *) (tb)->private_data, key)
#define SH_EQUAL(tb, a, b) text_item_equal((const BasketsState *) (tb)->private_data, a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) ((a)->hash)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define SH_PREFIX pairs
#define SH_ELEMENT_TYPE PairEntry
#define SH_KEY_TYPE uint64
#define SH_KEY key
#define SH_HASH_KEY(tb, key) mix64(key)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

#define PAIR_KEY(a, b)	(((uint64) (uint32) (a) << 32) | (uint32) (b))

/*
 * The dense triangle.  Items get positions as they arrive, so the first ones are usually the
 * most frequent, and most pair occurrences fall among them (every pair of a 1,000-product
 * catalogue).  Their counters live in a triangle indexed by position, (a, b) with a < b at
 * b(b-1)/2 + a, instead of the hash table: an increment without hashing or probing, and 8
 * bytes a counter instead of the table's 24 and its empty room.  Only where counters are
 * stored changes: a triangle counter above zero is a kept pair counter like a table entry,
 * counted against the pair budget and pruned with the others, so the summary is the same
 * whichever holds a pair.  The triangle covers at most BASKETS_DENSE_MAX_ITEMS items (4 MB),
 * and no more cells than the pair budget, so that a small budget keeps a small state; it
 * grows with the items from 16 (960 bytes), so that many small groups stay small.
 */
#define BASKETS_DENSE_MAX_ITEMS	1024
#define DENSE_CELL(b, a)	((int64) (b) * ((b) - 1) / 2 + (a))

static int32
dense_max_items(int64 max_pairs)
{
	int32		d = BASKETS_DENSE_MAX_ITEMS;

	while (d > 1 && (int64) d * (d - 1) / 2 > max_pairs)
		d--;
	return d;
}

/* The triangle covers one more item, the newest, when it may. */
static void
dense_cover(BasketsState *state)
{
	int32		dim = state->nitems;

	if (dim > state->dense_max || dim <= state->dense_dim)
		return;
	if (dim > state->dense_capacity)
	{
		int32		capacity = Min(Max(16, state->dense_capacity * 2), state->dense_max);
		Size		old_size = sizeof(int64) * DENSE_CELL(state->dense_capacity, 0);
		Size		size = sizeof(int64) * DENSE_CELL(capacity, 0);

		state->dense = state->dense == NULL
			? MemoryContextAllocHuge(state->context, size)
			: repalloc_huge(state->dense, size);
		memset((char *) state->dense + old_size, 0, size - old_size);
		state->dense_capacity = capacity;
	}
	state->dense_dim = dim;
}
#define PAIR_A(key)		((int32) ((key) >> 32))
#define PAIR_B(key)		((int32) ((key) & 0xFFFFFFFF))

static void pg_attribute_noreturn()
error_count_overflow(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("baskets count is out of range"),
			 errdetail("Counts of baskets must fit a bigint.")));
}

void
baskets_check_max_pairs(int64 max_pairs)
{
	if (max_pairs < BASKETS_MIN_MAX_PAIRS || max_pairs > BASKETS_MAX_MAX_PAIRS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("max_pairs must be between " INT64_FORMAT " and " INT64_FORMAT ", not " INT64_FORMAT,
						BASKETS_MIN_MAX_PAIRS, BASKETS_MAX_MAX_PAIRS, max_pairs),
				 errdetail("max_pairs is the number of pair counters a summary keeps: its memory budget.")));
}

BasketsState *
baskets_state_create(MemoryContext context, int64 max_pairs)
{
	BasketsState *state = MemoryContextAllocZero(context, sizeof(BasketsState));

	baskets_check_max_pairs(max_pairs);
	state->context = context;
	state->max_pairs = max_pairs;
	state->pairs = pairs_create(context, 64, state);
	state->dense_max = dense_max_items(max_pairs);
	return state;
}

MemoryContext
baskets_state_context(const BasketsState *state)
{
	return state->context;
}

int
baskets_state_kind(const BasketsState *state)
{
	return state->kind;
}

void
baskets_state_set_kind(BasketsState *state, int kind)
{
	if (state->kind == kind || kind == BASKETS_KIND_NONE)
		return;
	if (state->kind != BASKETS_KIND_NONE)
		ereport(ERROR,
				(errcode(ERRCODE_DATATYPE_MISMATCH),
				 errmsg("cannot combine baskets of %s items with baskets of %s items",
						baskets_kind_name(state->kind), baskets_kind_name(kind)),
				 errdetail("A summary's items are all bigint or all text."),
				 errhint("Cast the items to one type before aggregating, e.g. items::text[].")));
	state->kind = kind;
	if (kind == BASKETS_KIND_BIGINT)
		state->bigint_items = bigint_items_create(state->context, 64, state);
	else
		state->text_items = text_items_create(state->context, 64, state);
}

/* Room for one more item. */
static void
reserve_item(BasketsState *state)
{
	int32		capacity;

	if (state->nitems < state->capacity)
		return;
	if (state->nitems >= PG_INT32_MAX / 2)
		summary_error_too_many("items", "baskets summary", PG_INT32_MAX / 2);
	capacity = Max(64, state->capacity * 2);
#define GROW(field, type) \
	state->field = state->field == NULL \
		? MemoryContextAllocHuge(state->context, sizeof(type) * capacity) \
		: repalloc_huge(state->field, sizeof(type) * capacity)
	GROW(item_count, int64);
	if (state->kind == BASKETS_KIND_BIGINT)
		GROW(item_value, int64);
	else
	{
		GROW(item_text, char *);
		GROW(item_len, int32);
	}
#undef GROW
	state->capacity = capacity;
}

int32
baskets_state_item_bigint(BasketsState *state, int64 value)
{
	bool		found;
	BigintItemEntry *entry = bigint_items_insert(state->bigint_items, value, &found);

	if (!found)
	{
		reserve_item(state);
		entry->index = state->nitems;
		state->item_value[state->nitems] = value;
		state->item_count[state->nitems] = 0;
		state->nitems++;
		dense_cover(state);
	}
	return entry->index;
}

int32
baskets_state_item_text(BasketsState *state, const char *text, int32 len)
{
	bool		found;
	TextItemEntry *entry;

	state->probe = text;
	state->probe_len = len;
	entry = text_items_insert(state->text_items, PROBE_INDEX, &found);
	if (!found)
	{
		char	   *copy;

		reserve_item(state);
		copy = MemoryContextAlloc(state->context, Max(len, 1));
		memcpy(copy, text, len);
		entry->index = state->nitems;
		state->item_text[state->nitems] = copy;
		state->item_len[state->nitems] = len;
		state->item_count[state->nitems] = 0;
		state->nitems++;
		dense_cover(state);
	}
	return entry->index;
}

int32
baskets_state_find_bigint(BasketsState *state, int64 value)
{
	BigintItemEntry *entry;

	if (state->kind != BASKETS_KIND_BIGINT)
		return -1;
	entry = bigint_items_lookup(state->bigint_items, value);
	return entry ? entry->index : -1;
}

int32
baskets_state_find_text(BasketsState *state, const char *text, int32 len)
{
	TextItemEntry *entry;

	if (state->kind != BASKETS_KIND_TEXT)
		return -1;
	state->probe = text;
	state->probe_len = len;
	entry = text_items_lookup(state->text_items, PROBE_INDEX);
	return entry ? entry->index : -1;
}

/* ---------------------------------------------------------------------------------------------
 * The pair budget
 * ---------------------------------------------------------------------------------------------
 */

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

/*
 * The table is full: subtract the median count from every counter, drop those left at zero or
 * below, and add the median to the error bound (see the file's comment).
 */
static void
prune_pairs(BasketsState *state)
{
	int64		n = state->pairs->members + state->dense_kept;
	int64	   *counts = palloc_extended(sizeof(int64) * n, MCXT_ALLOC_HUGE);
	int64		cells = DENSE_CELL(state->dense_dim, 0);
	PairEntry  *kept;
	uint32		nkept = 0;
	int64		i = 0;
	int64		d;
	pairs_iterator it;
	PairEntry  *entry;

	CHECK_FOR_INTERRUPTS();
	pairs_start_iterate(state->pairs, &it);
	while ((entry = pairs_iterate(state->pairs, &it)) != NULL)
		counts[i++] = entry->count;
	for (int64 c = 0; c < cells; c++)
		if (state->dense[c] > 0)
			counts[i++] = state->dense[c];
	qsort(counts, n, sizeof(int64), int64_cmp);
	d = counts[n / 2];
	pfree(counts);

	for (int64 c = 0; c < cells; c++)
		if (state->dense[c] > 0)
		{
			if (state->dense[c] > d)
				state->dense[c] -= d;
			else
			{
				state->dense[c] = 0;
				state->dense_kept--;
			}
		}
	kept = palloc_extended(sizeof(PairEntry) * Max(state->pairs->members, 1), MCXT_ALLOC_HUGE);
	pairs_start_iterate(state->pairs, &it);
	while ((entry = pairs_iterate(state->pairs, &it)) != NULL)
		if (entry->count > d)
		{
			kept[nkept].key = entry->key;
			kept[nkept].count = entry->count - d;
			nkept++;
		}
	pairs_reset(state->pairs);
	for (uint32 k = 0; k < nkept; k++)
	{
		bool		found;

		pairs_insert(state->pairs, kept[k].key, &found)->count = kept[k].count;
	}
	pfree(kept);
	if (pg_add_s64_overflow(state->pair_error, d, &state->pair_error))
		error_count_overflow();
}

/*
 * Counts a pair.  A count below 1 (text input checks it after counting) goes to the table,
 * which can hold it, never to the triangle, where a counter at zero means no pair.
 */
static inline void
count_pair(BasketsState *state, uint64 key, int64 count)
{
	int32		b = PAIR_B(key);

	if (b < state->dense_dim && likely(count > 0))
	{
		int64	   *cell = &state->dense[DENSE_CELL(b, PAIR_A(key))];

		if (*cell == 0)
			state->dense_kept++;
		if (unlikely(pg_add_s64_overflow(*cell, count, cell)))
			error_count_overflow();
	}
	else
	{
		bool		found;
		PairEntry  *entry = pairs_insert(state->pairs, key, &found);

		if (!found)
			entry->count = count;
		else if (unlikely(pg_add_s64_overflow(entry->count, count, &entry->count)))
			error_count_overflow();
	}
	if (unlikely(state->pairs->members + state->dense_kept > state->max_pairs))
		prune_pairs(state);
}

/* ---------------------------------------------------------------------------------------------
 * Counting
 * ---------------------------------------------------------------------------------------------
 */

void
baskets_state_add_basket(BasketsState *state, int32 *items, int n)
{
	state->nbaskets++;
	for (int i = 0; i < n; i++)
		state->item_count[items[i]]++;
	for (int i = 0; i < n - 1; i++)
	{
		uint64		high = (uint64) (uint32) items[i] << 32;

		if ((i & 255) == 255)
			CHECK_FOR_INTERRUPTS();
		for (int j = i + 1; j < n; j++)
			count_pair(state, high | (uint32) items[j], 1);
	}
}

void
baskets_state_remove_basket(BasketsState *state, const int32 *items, int n)
{
	if (state->pair_error != 0 || state->nbaskets < 1)
		elog(ERROR, "baskets: cannot take back a basket once pairs were dropped");
	state->nbaskets--;
	for (int i = 0; i < n; i++)
	{
		if (items[i] < 0 || items[i] >= state->nitems || state->item_count[items[i]] < 1)
			elog(ERROR, "baskets: a basket taken back was not counted");
		state->item_count[items[i]]--;
	}
	for (int i = 0; i < n - 1; i++)
	{
		uint64		high = (uint64) (uint32) items[i] << 32;

		if ((i & 255) == 255)
			CHECK_FOR_INTERRUPTS();
		for (int j = i + 1; j < n; j++)
		{
			PairEntry  *entry;

			if (items[j] < state->dense_dim)
			{
				int64	   *cell = &state->dense[DENSE_CELL(items[j], items[i])];

				if (*cell < 1)
					elog(ERROR, "baskets: a pair taken back was not counted");
				if (--*cell == 0)
					state->dense_kept--;
				continue;
			}
			entry = pairs_lookup(state->pairs, high | (uint32) items[j]);
			if (entry == NULL)
				elog(ERROR, "baskets: a pair taken back was not counted");
			/* a counter at zero goes, so that the state is what counting the rest would give */
			if (--entry->count == 0)
				pairs_delete_item(state->pairs, entry);
		}
	}
}

int32
baskets_state_nitems(const BasketsState *state)
{
	return state->nitems;
}

int64
baskets_state_item_value(const BasketsState *state, int32 item)
{
	return state->item_value[item];
}

const char *
baskets_state_item_text_at(const BasketsState *state, int32 item, int32 *len)
{
	*len = state->item_len[item];
	return state->item_text[item];
}

int64
baskets_state_pair_error(const BasketsState *state)
{
	return state->pair_error;
}

int64
baskets_state_max_pairs(const BasketsState *state)
{
	return state->max_pairs;
}

void
baskets_state_add_baskets(BasketsState *state, int64 nbaskets, int64 pair_error)
{
	if (pg_add_s64_overflow(state->nbaskets, nbaskets, &state->nbaskets) ||
		pg_add_s64_overflow(state->pair_error, pair_error, &state->pair_error))
		error_count_overflow();
}

void
baskets_state_add_item_count(BasketsState *state, int32 item, int64 count)
{
	if (pg_add_s64_overflow(state->item_count[item], count, &state->item_count[item]))
		error_count_overflow();
}

void
baskets_state_add_pair_count(BasketsState *state, int32 a, int32 b, int64 count)
{
	count_pair(state, a < b ? PAIR_KEY(a, b) : PAIR_KEY(b, a), count);
}

/* Rollup over summaries made with other budgets keeps the largest. */
static void
widen_budget(BasketsState *state, int64 max_pairs)
{
	if (max_pairs > state->max_pairs)
	{
		state->max_pairs = max_pairs;
		if (state->nitems == 0)
			state->dense_max = dense_max_items(max_pairs);
	}
}

void
baskets_state_add_summary(BasketsState *state, const Baskets *b)
{
	const int64 *item_count = BASKETS_ITEM_COUNT(b);
	const int64 *pair_count = BASKETS_PAIR_COUNT(b);
	const int32 *pair_a = BASKETS_PAIR_A(b);
	const int32 *pair_b = BASKETS_PAIR_B(b);
	int32	   *map = palloc_extended(sizeof(int32) * Max(b->nitems, 1), MCXT_ALLOC_HUGE);

	baskets_state_set_kind(state, b->kind);
	widen_budget(state, b->max_pairs);
	baskets_state_add_baskets(state, b->nbaskets, b->pair_error);
	for (int32 i = 0; i < b->nitems; i++)
	{
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (b->kind == BASKETS_KIND_BIGINT)
			map[i] = baskets_state_item_bigint(state, BASKETS_ITEM_VALUE(b)[i]);
		else
		{
			const int32 *end = BASKETS_ITEM_END(b);
			int32		start = i == 0 ? 0 : end[i - 1];

			map[i] = baskets_state_item_text(state, BASKETS_TEXT(b) + start, end[i] - start);
		}
		baskets_state_add_item_count(state, map[i], item_count[i]);
	}
	for (int64 i = 0; i < b->npairs; i++)
	{
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		baskets_state_add_pair_count(state, map[pair_a[i]], map[pair_b[i]], pair_count[i]);
	}
	pfree(map);
}

void
baskets_state_add_state(BasketsState *state, const BasketsState *other)
{
	int32	   *map = palloc_extended(sizeof(int32) * Max(other->nitems, 1), MCXT_ALLOC_HUGE);
	pairs_iterator it;
	PairEntry  *entry;
	int64		i = 0;

	baskets_state_set_kind(state, other->kind);
	widen_budget(state, other->max_pairs);
	baskets_state_add_baskets(state, other->nbaskets, other->pair_error);
	for (int32 k = 0; k < other->nitems; k++)
	{
		if ((k & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		map[k] = other->kind == BASKETS_KIND_BIGINT
			? baskets_state_item_bigint(state, other->item_value[k])
			: baskets_state_item_text(state, other->item_text[k], other->item_len[k]);
		baskets_state_add_item_count(state, map[k], other->item_count[k]);
	}
	pairs_start_iterate(other->pairs, &it);
	while ((entry = pairs_iterate(other->pairs, &it)) != NULL)
	{
		if ((i++ & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		baskets_state_add_pair_count(state, map[PAIR_A(entry->key)], map[PAIR_B(entry->key)],
									 entry->count);
	}
	for (int32 b = 1; b < other->dense_dim; b++)
	{
		CHECK_FOR_INTERRUPTS();
		for (int32 a = 0; a < b; a++)
		{
			int64		count = other->dense[DENSE_CELL(b, a)];

			if (count > 0)
				baskets_state_add_pair_count(state, map[a], map[b], count);
		}
	}
	pfree(map);
}

/* ---------------------------------------------------------------------------------------------
 * The canonical value
 * ---------------------------------------------------------------------------------------------
 */

static int
compare_text(const char *a, int32 alen, const char *b, int32 blen)
{
	int			result = memcmp(a, b, Min(alen, blen));

	if (result != 0)
		return result;
	return (alen > blen) - (alen < blen);
}

typedef struct SortPair
{
	uint64		key;
	int64		count;
} SortPair;

#define ST_SORT sort_pairs
#define ST_ELEMENT_TYPE SortPair
#define ST_COMPARE(a, b) (((a)->key > (b)->key) - ((a)->key < (b)->key))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT sort_bigint_items
#define ST_ELEMENT_TYPE int32
#define ST_COMPARE_ARG_TYPE BasketsState
#define ST_COMPARE(a, b, state) \
	(((state)->item_value[*(a)] > (state)->item_value[*(b)]) - \
	 ((state)->item_value[*(a)] < (state)->item_value[*(b)]))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT sort_text_items
#define ST_ELEMENT_TYPE int32
#define ST_COMPARE_ARG_TYPE BasketsState
#define ST_COMPARE(a, b, state) \
	compare_text((state)->item_text[*(a)], (state)->item_len[*(a)], \
				 (state)->item_text[*(b)], (state)->item_len[*(b)])
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

static void pg_attribute_noreturn()
error_too_large(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("baskets summary is too large"),
			 errdetail("Its items and pairs need more than 1 GB."),
			 errhint("Lower max_pairs, the pair budget.")));
}

/* The size of a value; text_bytes counts the text of text items. */
static Size
baskets_size(int kind, int64 nitems, int64 npairs, int64 text_bytes)
{
	Size		size;

	if (nitems < 0 || npairs < 0 || text_bytes < 0 ||
		nitems > MaxAllocSize || npairs > MaxAllocSize || text_bytes > MaxAllocSize)
		error_too_large();
	size = add_size(BASKETS_HEADER_SIZE,
					mul_size(nitems, kind == BASKETS_KIND_BIGINT ? 16 : kind == BASKETS_KIND_TEXT ? 12 : 8));
	size = add_size(size, mul_size(npairs, 16));
	size = add_size(size, text_bytes);
	if (size > MaxAllocSize)
		error_too_large();
	return size;
}

Baskets *
baskets_from_state(BasketsState *state)
{
	int32		n = state->nitems;
	int32	   *order = palloc_extended(sizeof(int32) * Max(n, 1), MCXT_ALLOC_HUGE);
	int32	   *rank = palloc_extended(sizeof(int32) * Max(n, 1), MCXT_ALLOC_HUGE);
	int64		npairs = state->pairs->members + state->dense_kept;
	SortPair   *pairs = palloc_extended(sizeof(SortPair) * Max(npairs, 1), MCXT_ALLOC_HUGE);
	int64		text_bytes = 0;
	int			kind = n == 0 ? BASKETS_KIND_NONE : state->kind;
	Size		size;
	Baskets    *b;
	pairs_iterator it;
	PairEntry  *entry;
	int64		k = 0;

	CHECK_FOR_INTERRUPTS();
	for (int32 i = 0; i < n; i++)
	{
		order[i] = i;
		if (kind == BASKETS_KIND_TEXT)
			text_bytes += state->item_len[i];
	}
	if (kind == BASKETS_KIND_BIGINT)
		sort_bigint_items(order, n, state);
	else if (kind == BASKETS_KIND_TEXT)
		sort_text_items(order, n, state);
	for (int32 i = 0; i < n; i++)
		rank[order[i]] = i;

	pairs_start_iterate(state->pairs, &it);
	while ((entry = pairs_iterate(state->pairs, &it)) != NULL)
	{
		int32		a = rank[PAIR_A(entry->key)];
		int32		b2 = rank[PAIR_B(entry->key)];

		pairs[k].key = a < b2 ? PAIR_KEY(a, b2) : PAIR_KEY(b2, a);
		pairs[k].count = entry->count;
		k++;
	}
	for (int32 b = 1; b < state->dense_dim; b++)
		for (int32 a = 0; a < b; a++)
		{
			int64		count = state->dense[DENSE_CELL(b, a)];

			if (count > 0)
			{
				int32		ra = rank[a];
				int32		rb = rank[b];

				pairs[k].key = ra < rb ? PAIR_KEY(ra, rb) : PAIR_KEY(rb, ra);
				pairs[k].count = count;
				k++;
			}
		}
	CHECK_FOR_INTERRUPTS();
	sort_pairs(pairs, npairs);

	size = baskets_size(kind, n, npairs, text_bytes);
	b = palloc_extended(size, MCXT_ALLOC_HUGE);
	memset(b, 0, BASKETS_HEADER_SIZE);
	SET_VARSIZE(b, size);
	b->version = BASKETS_FORMAT_VERSION;
	b->kind = kind;
	b->nitems = n;
	b->nbaskets = state->nbaskets;
	b->npairs = npairs;
	b->pair_error = state->pair_error;
	b->max_pairs = state->max_pairs;
	{
		int64	   *item_count = BASKETS_ITEM_COUNT(b);
		int64	   *pair_count = BASKETS_PAIR_COUNT(b);
		int32	   *pair_a = BASKETS_PAIR_A(b);
		int32	   *pair_b = BASKETS_PAIR_B(b);

		for (int32 i = 0; i < n; i++)
			item_count[i] = state->item_count[order[i]];
		if (kind == BASKETS_KIND_BIGINT)
			for (int32 i = 0; i < n; i++)
				BASKETS_ITEM_VALUE(b)[i] = state->item_value[order[i]];
		for (int64 i = 0; i < npairs; i++)
		{
			pair_count[i] = pairs[i].count;
			pair_a[i] = PAIR_A(pairs[i].key);
			pair_b[i] = PAIR_B(pairs[i].key);
		}
		if (kind == BASKETS_KIND_TEXT)
		{
			int32	   *end = BASKETS_ITEM_END(b);
			char	   *text = BASKETS_TEXT(b);
			int32		offset = 0;

			for (int32 i = 0; i < n; i++)
			{
				memcpy(text + offset, state->item_text[order[i]], state->item_len[order[i]]);
				offset += state->item_len[order[i]];
				end[i] = offset;
			}
		}
	}
	pfree(order);
	pfree(rank);
	pfree(pairs);
	return b;
}

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

const char *
baskets_kind_name(int kind)
{
	switch (kind)
	{
		case BASKETS_KIND_BIGINT:
			return "bigint";
		case BASKETS_KIND_TEXT:
			return "text";
		default:
			return "none";
	}
}

int
baskets_kind_of_name(const char *name)
{
	if (strcmp(name, "bigint") == 0)
		return BASKETS_KIND_BIGINT;
	if (strcmp(name, "text") == 0)
		return BASKETS_KIND_TEXT;
	if (strcmp(name, "none") == 0)
		return BASKETS_KIND_NONE;
	return -1;
}

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.  The positions the accessors follow are checked too.
 */
Baskets *
baskets_detoast(Datum datum)
{
	Baskets    *b = (Baskets *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(b);
	Size		fixed;
	int64		text_bytes = 0;

	if (size < BASKETS_HEADER_SIZE)
		summary_error_corrupted(BASKETS_TYPE_NAME);
	summary_check_version(BASKETS_TYPE_NAME, b->version, BASKETS_FORMAT_VERSION);
	if (b->reserved1 != 0 || b->reserved2 != 0 || b->kind > BASKETS_KIND_TEXT ||
		b->nitems < 0 || b->npairs < 0 || b->nbaskets < 0 || b->pair_error < 0 ||
		(b->kind == BASKETS_KIND_NONE) != (b->nitems == 0) ||
		b->npairs > (int64) MaxAllocSize || b->nitems > (int32) (MaxAllocSize / 8) ||
		b->max_pairs < BASKETS_MIN_MAX_PAIRS || b->max_pairs > BASKETS_MAX_MAX_PAIRS)
		summary_error_corrupted(BASKETS_TYPE_NAME);
	fixed = BASKETS_HEADER_SIZE + (Size) b->nitems * (b->kind == BASKETS_KIND_BIGINT ? 16 : 12) +
		(Size) b->npairs * 16;
	if (size < fixed)
		summary_error_corrupted(BASKETS_TYPE_NAME);
	if (b->kind == BASKETS_KIND_TEXT)
	{
		const int32 *end = BASKETS_ITEM_END(b);
		int32		previous = 0;

		for (int32 i = 0; i < b->nitems; i++)
		{
			if (end[i] < previous)
				summary_error_corrupted(BASKETS_TYPE_NAME);
			previous = end[i];
		}
		text_bytes = previous;
	}
	if (size != fixed + text_bytes)
		summary_error_corrupted(BASKETS_TYPE_NAME);
	{
		const int32 *pair_a = BASKETS_PAIR_A(b);
		const int32 *pair_b = BASKETS_PAIR_B(b);

		for (int64 i = 0; i < b->npairs; i++)
			if (pair_a[i] < 0 || pair_a[i] >= pair_b[i] || pair_b[i] >= b->nitems)
				summary_error_corrupted(BASKETS_TYPE_NAME);
	}
	return b;
}

char *
baskets_item_text(const Baskets *b, int32 i)
{
	if (b->kind == BASKETS_KIND_BIGINT)
		return psprintf(INT64_FORMAT, BASKETS_ITEM_VALUE(b)[i]);
	else
	{
		const int32 *end = BASKETS_ITEM_END(b);
		int32		start = i == 0 ? 0 : end[i - 1];

		return pnstrdup(BASKETS_TEXT(b) + start, end[i] - start);
	}
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 kind, int32 nitems, int64 nbaskets, npairs, pair_error,
 * max_pairs; each item (bigint: int64 value; text: int32 length, its bytes) and its int64 count;
 * each pair: int32 a, int32 b, int64 count; all in network byte order.  The reader accepts
 * exactly what the writer produces and checks every length and value: it reads what clients
 * send (recv) and what other processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

#define BINARY_HEADER_SIZE 38

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(BASKETS_TYPE_NAME, detail);
}

bytea *
baskets_binary(const Baskets *b)
{
	const int64 *item_count = BASKETS_ITEM_COUNT(b);
	const int64 *pair_count = BASKETS_PAIR_COUNT(b);
	const int32 *pair_a = BASKETS_PAIR_A(b);
	const int32 *pair_b = BASKETS_PAIR_B(b);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, b->version);
	pq_sendbyte(&buf, b->kind);
	pq_sendint32(&buf, b->nitems);
	pq_sendint64(&buf, b->nbaskets);
	pq_sendint64(&buf, b->npairs);
	pq_sendint64(&buf, b->pair_error);
	pq_sendint64(&buf, b->max_pairs);
	for (int32 i = 0; i < b->nitems; i++)
	{
		if (b->kind == BASKETS_KIND_BIGINT)
			pq_sendint64(&buf, BASKETS_ITEM_VALUE(b)[i]);
		else
		{
			const int32 *end = BASKETS_ITEM_END(b);
			int32		start = i == 0 ? 0 : end[i - 1];

			pq_sendint32(&buf, end[i] - start);
			pq_sendbytes(&buf, BASKETS_TEXT(b) + start, end[i] - start);
		}
		pq_sendint64(&buf, item_count[i]);
	}
	for (int64 i = 0; i < b->npairs; i++)
	{
		pq_sendint32(&buf, pair_a[i]);
		pq_sendint32(&buf, pair_b[i]);
		pq_sendint64(&buf, pair_count[i]);
	}
	return pq_endtypsend(&buf);
}

static inline int64
remaining(StringInfo buf)
{
	return buf->len - buf->cursor;
}

/* Reads a value written by baskets_binary, consuming the rest of buf; trusts nothing. */
Baskets *
baskets_read_binary(StringInfo buf)
{
	int			kind;
	int32		nitems;
	int64		nbaskets,
				npairs,
				pair_error,
				max_pairs;
	int			item_start;
	int64		text_bytes = 0;
	Baskets    *b;
	int64	   *item_count;
	int64	   *pair_count;
	int32	   *pair_a;
	int32	   *pair_b;

	if (remaining(buf) < BINARY_HEADER_SIZE)
		binary_error("The value is shorter than its 38-byte header.");
	summary_check_binary_version(BASKETS_TYPE_NAME, pq_getmsgbyte(buf), BASKETS_FORMAT_VERSION);
	kind = pq_getmsgbyte(buf);
	nitems = pq_getmsgint(buf, 4);
	nbaskets = pq_getmsgint64(buf);
	npairs = pq_getmsgint64(buf);
	pair_error = pq_getmsgint64(buf);
	max_pairs = pq_getmsgint64(buf);
	if (kind > BASKETS_KIND_TEXT)
		binary_error("The item kind is unknown.");
	if (nitems < 0 || (kind == BASKETS_KIND_NONE) != (nitems == 0))
		binary_error("The item count does not match the item kind.");
	if (nbaskets < 0 || (nitems == 0) != (nbaskets == 0))
		binary_error("The basket count is out of range.");
	if (max_pairs < BASKETS_MIN_MAX_PAIRS || max_pairs > BASKETS_MAX_MAX_PAIRS)
		binary_error("The pair budget is out of range.");
	if (npairs < 0 || npairs > max_pairs || npairs > (int64) nitems * (nitems - 1) / 2)
		binary_error("The pair count is out of range.");
	if (pair_error < 0 || (nitems == 0 && pair_error != 0))
		binary_error("The pair error is out of range.");
	if (remaining(buf) < (int64) nitems * (kind == BASKETS_KIND_BIGINT ? 16 : 12) + npairs * 16)
		binary_error("The value is shorter than its items and pairs.");

	/* the text of text items, measured first: the value is allocated once */
	item_start = buf->cursor;
	if (kind == BASKETS_KIND_TEXT)
		for (int32 i = 0; i < nitems; i++)
		{
			int32		len;

			if (remaining(buf) < 12)
				binary_error("The value is shorter than its items.");
			len = pq_getmsgint(buf, 4);
			if (len < 0 || remaining(buf) < (int64) len + 8)
				binary_error("An item's length is out of range.");
			buf->cursor += len + 8;
			text_bytes += len;
		}
	buf->cursor = item_start;
	if (remaining(buf) != (int64) nitems * (kind == BASKETS_KIND_BIGINT ? 16 : 12) + text_bytes + npairs * 16)
		binary_error("The length does not match the item and pair counts.");

	b = palloc_extended(baskets_size(kind, nitems, npairs, text_bytes), MCXT_ALLOC_HUGE);
	memset(b, 0, BASKETS_HEADER_SIZE);
	SET_VARSIZE(b, baskets_size(kind, nitems, npairs, text_bytes));
	b->version = BASKETS_FORMAT_VERSION;
	b->kind = kind;
	b->nitems = nitems;
	b->nbaskets = nbaskets;
	b->npairs = npairs;
	b->pair_error = pair_error;
	b->max_pairs = max_pairs;
	item_count = BASKETS_ITEM_COUNT(b);
	pair_count = BASKETS_PAIR_COUNT(b);
	pair_a = BASKETS_PAIR_A(b);
	pair_b = BASKETS_PAIR_B(b);

	for (int32 i = 0; i < nitems; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (kind == BASKETS_KIND_BIGINT)
		{
			int64	   *value = BASKETS_ITEM_VALUE(b);

			value[i] = pq_getmsgint64(buf);
			if (i > 0 && value[i] <= value[i - 1])
				binary_error("The items are not in canonical order.");
		}
		else
		{
			int32	   *end = BASKETS_ITEM_END(b);
			char	   *text = BASKETS_TEXT(b);
			int32		start = i == 0 ? 0 : end[i - 1];
			int32		len = pq_getmsgint(buf, 4);

			pq_copymsgbytes(buf, text + start, len);
			end[i] = start + len;
			if (memchr(text + start, '\0', len) != NULL ||
				!pg_verify_mbstr(GetDatabaseEncoding(), text + start, len, true))
				binary_error("An item is not valid text in the database encoding.");
			if (i > 0 && compare_text(text + (i == 1 ? 0 : end[i - 2]), end[i - 1] - (i == 1 ? 0 : end[i - 2]),
									  text + start, len) >= 0)
				binary_error("The items are not in canonical order.");
		}
		item_count[i] = pq_getmsgint64(buf);
		if (item_count[i] < 1 || item_count[i] > nbaskets)
			binary_error("An item count is out of range.");
	}
	for (int64 i = 0; i < npairs; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		pair_a[i] = pq_getmsgint(buf, 4);
		pair_b[i] = pq_getmsgint(buf, 4);
		pair_count[i] = pq_getmsgint64(buf);
		if (pair_a[i] < 0 || pair_a[i] >= pair_b[i] || pair_b[i] >= nitems)
			binary_error("A pair's items are out of range.");
		if (i > 0 && PAIR_KEY(pair_a[i], pair_b[i]) <= PAIR_KEY(pair_a[i - 1], pair_b[i - 1]))
			binary_error("The pairs are not in canonical order.");
		if (pair_count[i] < 1 || pair_count[i] > Min(item_count[pair_a[i]], item_count[pair_b[i]]))
			binary_error("A pair count is out of range.");
	}
	return b;
}
