/*
 * paths.c
 *	  The paths type's core (see paths.h): reading a stored value, the counting state every
 *	  path into a summary goes through (the aggregates, rollup, text and binary input), the
 *	  canonical form, the consistency checks of untrusted values, and the binary writer and
 *	  reader.
 *
 * The state keeps items in a hash table of their text, pairs in a hash table of their two item
 * ids, and every (customer, pair) lag in an append-only log of chunks; the final form sorts
 * items, pairs and each pair's lags once, so no per-pair array grows row by row.
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "common/int.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/memutils.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "item_sequence.h"
#include "paths.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * The state's hash tables
 * ---------------------------------------------------------------------------------------------
 */

typedef struct ItemKey
{
	const char *str;
	int32		len;
} ItemKey;

typedef struct ItemEntry
{
	ItemKey		key;
	uint32		hash;
	int32		id;
	char		status;
} ItemEntry;

#define SH_PREFIX		itemtab
#define SH_ELEMENT_TYPE	ItemEntry
#define SH_KEY_TYPE		ItemKey
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	hash_bytes((const unsigned char *) (k).str, (k).len)
#define SH_EQUAL(tb, a, b)	((a).len == (b).len && memcmp((a).str, (b).str, (a).len) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a)	((a)->hash)
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

typedef struct PairEntry
{
	uint64		key;			/* first << 32 | then */
	int32		id;
	char		status;
} PairEntry;

static inline uint32
pair_hash(uint64 k)
{
	/* the splitmix64 finaliser: item ids are small and dense, their bits need mixing */
	k = (k ^ (k >> 30)) * UINT64CONST(0xbf58476d1ce4e5b9);
	k = (k ^ (k >> 27)) * UINT64CONST(0x94d049bb133111eb);
	return (uint32) (k ^ (k >> 31));
}

#define SH_PREFIX		pairtab
#define SH_ELEMENT_TYPE	PairEntry
#define SH_KEY_TYPE		uint64
#define SH_KEY			key
#define SH_HASH_KEY(tb, k)	pair_hash(k)
#define SH_EQUAL(tb, a, b)	((a) == (b))
#define SH_SCOPE		static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * The pairs of the first PATHS_DENSE_ITEMS items (usually the most bought) find their id in a
 * matrix instead of the hash table: one lookup a (customer, pair), without hashing or probing.
 * It covers every item as it is added, up to that many, growing with them (1 kB for 16
 * items, 4 MB at most), so that pairs among them are never in the hash table.
 */
#define PATHS_DENSE_ITEMS	1024

#define LAG_CHUNK		8192
#define ARENA_BLOCK		8192

typedef struct LagChunk
{
	struct LagChunk *next;
	int32		n;
	int32		pair[LAG_CHUNK];
	int64		lag[LAG_CHUNK];
} LagChunk;

struct PathsState
{
	MemoryContext cxt;
	bool		has_within;
	int64		within;
	int64		customers;
	itemtab_hash *items;
	ItemKey    *item_keys;
	int64	   *item_customers;
	int32		nitems;
	int32		items_cap;
	pairtab_hash *pairs;
	int32	   *pair_dense;		/* pair id + 1 of (first, then), both below dense_dim; 0: none */
	int32		dense_dim;
	int32	   *pair_first;
	int32	   *pair_then;
	int32	   *pair_count;
	int32		npairs;
	int32		pairs_cap;
	LagChunk   *lags_head;
	LagChunk   *lags_tail;
	int64		nlags;
	char	   *arena;
	Size		arena_free;
};

/* ---------------------------------------------------------------------------------------------
 * Reading a stored value
 * ---------------------------------------------------------------------------------------------
 */

static Size
paths_size(int32 nitems, int32 npairs, int64 nlags, int32 textlen)
{
	return add_size(PATHS_HEADER_SIZE,
					add_size(mul_size(nitems, sizeof(int64) + sizeof(int32)),
							 add_size(mul_size(nlags, sizeof(int64)),
									  add_size(mul_size(npairs, 3 * sizeof(int32)), textlen))));
}

Paths *
paths_detoast(Datum datum)
{
	Paths	   *p = (Paths *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(p);

	if (size < PATHS_HEADER_SIZE)
		summary_error_corrupted(PATHS_TYPE_NAME);
	summary_check_version(PATHS_TYPE_NAME, p->version, PATHS_FORMAT_VERSION);
	if (p->flags != 0 || p->reserved1 != 0 || p->reserved2 != 0 ||
		p->nitems < 0 || p->nitems > PATHS_MAX_ITEMS || p->npairs < 0 ||
		p->nlags < p->npairs || p->nlags > PATHS_MAX_LAGS || p->textlen < 0 ||
		p->within <= 0 || p->customers < 0 ||
		size != paths_size(p->nitems, p->npairs, p->nlags, p->textlen) ||
		(p->nitems > 0 && PATHS_ITEM_ENDS(p)[p->nitems - 1] != p->textlen))
		summary_error_corrupted(PATHS_TYPE_NAME);
	return p;
}

/* ---------------------------------------------------------------------------------------------
 * The state
 * ---------------------------------------------------------------------------------------------
 */

PathsState *
paths_state_create(MemoryContext cxt)
{
	PathsState *s = MemoryContextAllocZero(cxt, sizeof(PathsState));

	s->cxt = cxt;
	s->items = itemtab_create(cxt, 64, NULL);
	s->pairs = pairtab_create(cxt, 256, NULL);
	return s;
}

void
paths_state_within(PathsState *s, int64 within, bool rows)
{
	char		a[MAXDATELEN + 1];
	char		b[MAXDATELEN + 1];

	if (within <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("window must be positive"),
				 errhint("A path is a purchase followed by another within the window, for example '30 days'.")));
	if (!s->has_within)
	{
		s->has_within = true;
		s->within = within;
		return;
	}
	if (s->within == within)
		return;
	paths_window_text(s->within, a);
	paths_window_text(within, b);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 rows ? errmsg("window must be the same in every row") :
			 errmsg("paths summaries with different windows cannot be rolled up"),
			 errdetail("Windows of %s and %s were given.", a, b),
			 errhint("Counts over different windows cannot be added: use one window per summary.")));
}

void
paths_window_text(int64 usec, char *buf)
{
	struct pg_itm itm;

	interval2itm(*calendar_interval(usec), &itm);
	EncodeInterval(&itm, INTSTYLE_POSTGRES, buf);
}

bool
paths_state_has_within(const PathsState *s)
{
	return s->has_within;
}

int32
paths_state_item(PathsState *s, const char *item, int32 len)
{
	ItemKey		key = {item, len};
	ItemEntry  *entry;
	bool		found;

	entry = itemtab_insert(s->items, key, &found);
	if (found)
		return entry->id;

	/* a new item: its text is checked and copied, so the key must be replaced */
	is_check_item(item, len);
	if (s->nitems >= PATHS_MAX_ITEMS)
		summary_error_too_many("items", "paths summary", PATHS_MAX_ITEMS);
	if (s->nitems == s->items_cap)
	{
		int32		cap = Max(64, s->items_cap * 2);

		s->item_keys = s->item_keys ?
			repalloc(s->item_keys, mul_size(cap, sizeof(ItemKey))) :
			MemoryContextAlloc(s->cxt, mul_size(cap, sizeof(ItemKey)));
		s->item_customers = s->item_customers ?
			repalloc(s->item_customers, mul_size(cap, sizeof(int64))) :
			MemoryContextAlloc(s->cxt, mul_size(cap, sizeof(int64)));
		s->items_cap = cap;
	}
	if ((Size) len > s->arena_free)
	{
		if (len > ARENA_BLOCK / 4)
			s->arena_free = 0;
		else
		{
			s->arena = MemoryContextAlloc(s->cxt, ARENA_BLOCK);
			s->arena_free = ARENA_BLOCK;
		}
	}
	if ((Size) len <= s->arena_free)
	{
		key.str = memcpy(s->arena, item, len);
		s->arena += len;
		s->arena_free -= len;
	}
	else
		key.str = memcpy(MemoryContextAlloc(s->cxt, len), item, len);
	entry->key = key;
	entry->id = s->nitems;
	s->item_keys[s->nitems] = key;
	s->item_customers[s->nitems] = 0;
	s->nitems++;
	if (s->nitems > s->dense_dim && s->nitems <= PATHS_DENSE_ITEMS)
	{
		int32		dim = Min(Max(16, s->dense_dim * 2), PATHS_DENSE_ITEMS);
		int32	   *dense = MemoryContextAllocZero(s->cxt, mul_size((Size) dim * dim, sizeof(int32)));

		for (int32 a = 0; a < s->dense_dim; a++)
			memcpy(dense + (Size) a * dim, s->pair_dense + (Size) a * s->dense_dim,
				   sizeof(int32) * s->dense_dim);
		if (s->pair_dense != NULL)
			pfree(s->pair_dense);
		s->pair_dense = dense;
		s->dense_dim = dim;
	}
	return s->nitems - 1;
}

static void pg_attribute_noreturn()
too_many_customers(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("customer count out of range for a paths summary")));
}

void
paths_state_add_customers(PathsState *s, int64 n)
{
	if (pg_add_s64_overflow(s->customers, n, &s->customers))
		too_many_customers();
}

void
paths_state_add_buyers(PathsState *s, int32 item, int64 n)
{
	if (pg_add_s64_overflow(s->item_customers[item], n, &s->item_customers[item]))
		too_many_customers();
}

static int32
pair_id(PathsState *s, int32 first, int32 then)
{
	bool		found;
	PairEntry  *entry = NULL;
	int32	   *cell = NULL;

	if (first < s->dense_dim && then < s->dense_dim)
	{
		cell = &s->pair_dense[(Size) first * s->dense_dim + then];
		if (*cell != 0)
			return *cell - 1;
	}
	else
	{
		entry = pairtab_insert(s->pairs, ((uint64) first << 32) | (uint32) then, &found);
		if (found)
			return entry->id;
	}
	if (s->npairs == s->pairs_cap)
	{
		int32		cap = Max(256, s->pairs_cap * 2);

		if (s->pair_first == NULL)
		{
			s->pair_first = MemoryContextAlloc(s->cxt, mul_size(cap, sizeof(int32)));
			s->pair_then = MemoryContextAlloc(s->cxt, mul_size(cap, sizeof(int32)));
			s->pair_count = MemoryContextAlloc(s->cxt, mul_size(cap, sizeof(int32)));
		}
		else
		{
			s->pair_first = repalloc(s->pair_first, mul_size(cap, sizeof(int32)));
			s->pair_then = repalloc(s->pair_then, mul_size(cap, sizeof(int32)));
			s->pair_count = repalloc(s->pair_count, mul_size(cap, sizeof(int32)));
		}
		s->pairs_cap = cap;
	}
	if (cell != NULL)
		*cell = s->npairs + 1;
	else
		entry->id = s->npairs;
	s->pair_first[s->npairs] = first;
	s->pair_then[s->npairs] = then;
	s->pair_count[s->npairs] = 0;
	return s->npairs++;
}

static inline void
log_lag(PathsState *s, int32 pair, int64 lag)
{
	LagChunk   *chunk = s->lags_tail;

	if (unlikely(s->nlags >= PATHS_MAX_LAGS))
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many paths for one paths summary"),
				 errdetail("A paths summary holds at most %d (customer, pair) lags.", PATHS_MAX_LAGS),
				 errhint("Shorten the window, or summarise the customers in parts (a paths summary per region or cohort).")));
	if (chunk == NULL || chunk->n == LAG_CHUNK)
	{
		chunk = MemoryContextAlloc(s->cxt, sizeof(LagChunk));
		chunk->next = NULL;
		chunk->n = 0;
		if (s->lags_tail)
			s->lags_tail->next = chunk;
		else
			s->lags_head = chunk;
		s->lags_tail = chunk;
	}
	chunk->pair[chunk->n] = pair;
	chunk->lag[chunk->n] = lag;
	chunk->n++;
	s->pair_count[pair]++;
	s->nlags++;
}

void
paths_state_add_lag(PathsState *s, int32 first, int32 then, int64 lag)
{
	log_lag(s, pair_id(s, first, then), lag);
}

void
paths_state_add_summary(PathsState *s, const Paths *p)
{
	const int64 *customers = PATHS_ITEM_CUSTOMERS(p);
	const int64 *lags = PATHS_LAGS(p);
	const int32 *first = PATHS_PAIR_FIRST(p);
	const int32 *then = PATHS_PAIR_THEN(p);
	const int32 *count = PATHS_PAIR_COUNT(p);
	const char *text = PATHS_TEXT(p);
	int32	   *ids = palloc(mul_size(Max(p->nitems, 1), sizeof(int32)));
	int64		l = 0;

	paths_state_within(s, p->within, false);
	paths_state_add_customers(s, p->customers);
	for (int32 k = 0; k < p->nitems; k++)
	{
		ids[k] = paths_state_item(s, text + PATHS_ITEM_START(p, k), PATHS_ITEM_LEN(p, k));
		paths_state_add_buyers(s, ids[k], customers[k]);
	}
	for (int32 j = 0; j < p->npairs; j++)
	{
		int32		id = pair_id(s, ids[first[j]], ids[then[j]]);

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < count[j]; i++)
			log_lag(s, id, lags[l++]);
	}
	pfree(ids);
}

void
paths_state_add_state(PathsState *s, const PathsState *other)
{
	int32	   *ids;
	int32	   *pairs;

	if (!other->has_within)
		return;
	paths_state_within(s, other->within, false);
	paths_state_add_customers(s, other->customers);
	ids = palloc(mul_size(Max(other->nitems, 1), sizeof(int32)));
	for (int32 k = 0; k < other->nitems; k++)
	{
		ids[k] = paths_state_item(s, other->item_keys[k].str, other->item_keys[k].len);
		paths_state_add_buyers(s, ids[k], other->item_customers[k]);
	}
	pairs = palloc(mul_size(Max(other->npairs, 1), sizeof(int32)));
	for (int32 j = 0; j < other->npairs; j++)
		pairs[j] = pair_id(s, ids[other->pair_first[j]], ids[other->pair_then[j]]);
	for (const LagChunk *chunk = other->lags_head; chunk; chunk = chunk->next)
	{
		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < chunk->n; i++)
			log_lag(s, pairs[chunk->pair[i]], chunk->lag[i]);
	}
	pfree(ids);
	pfree(pairs);
}

/* ---------------------------------------------------------------------------------------------
 * The canonical form
 * ---------------------------------------------------------------------------------------------
 */

static int
item_order(const void *a, const void *b, void *arg)
{
	const ItemKey *keys = arg;
	const ItemKey *x = &keys[*(const int32 *) a];
	const ItemKey *y = &keys[*(const int32 *) b];

	return is_item_cmp(x->str, x->len, y->str, y->len);
}

typedef struct PairOrder
{
	int32		first;			/* item ranks */
	int32		then;
	int32		id;
} PairOrder;

static int
pair_order(const void *a, const void *b)
{
	const PairOrder *x = a;
	const PairOrder *y = b;

	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (x->then != y->then)
		return x->then < y->then ? -1 : 1;
	return 0;
}

/*
 * The sorts of the build, specialised (sort_template.h inlines the comparison): each pair's
 * lags are most of the build's time, and qsort's call per comparison doubled it.
 */
#define ST_SORT sort_lags
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) ((*(a) > *(b)) - (*(a) < *(b)))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

#define ST_SORT sort_pair_orders
#define ST_ELEMENT_TYPE PairOrder
#define ST_COMPARE(a, b) pair_order(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

Paths *
paths_build(const PathsState *s)
{
	int32		nitems = s->nitems;
	int32		npairs = s->npairs;
	int32	   *order = palloc(mul_size(Max(nitems, 1), sizeof(int32)));
	int32	   *rank = palloc(mul_size(Max(nitems, 1), sizeof(int32)));
	PairOrder  *pairs = palloc(mul_size(Max(npairs, 1), sizeof(PairOrder)));
	int64	   *position = palloc(mul_size(Max(npairs, 1), sizeof(int64)));
	Size		textlen = 0;
	Paths	   *p;
	int64	   *lags;
	int64		at = 0;

	for (int32 k = 0; k < nitems; k++)
	{
		order[k] = k;
		textlen = add_size(textlen, s->item_keys[k].len);
	}
	if (textlen > MaxAllocSize)
		summary_error_too_many("bytes of item text", "paths summary", MaxAllocSize);
	qsort_arg(order, nitems, sizeof(int32), item_order, s->item_keys);
	for (int32 k = 0; k < nitems; k++)
		rank[order[k]] = k;
	for (int32 j = 0; j < npairs; j++)
	{
		pairs[j].first = rank[s->pair_first[j]];
		pairs[j].then = rank[s->pair_then[j]];
		pairs[j].id = j;
	}
	sort_pair_orders(pairs, npairs);
	CHECK_FOR_INTERRUPTS();

	p = palloc0(paths_size(nitems, npairs, s->nlags, (int32) textlen));
	SET_VARSIZE(p, paths_size(nitems, npairs, s->nlags, (int32) textlen));
	p->version = PATHS_FORMAT_VERSION;
	p->nitems = nitems;
	p->npairs = npairs;
	p->textlen = (int32) textlen;
	p->within = s->within;
	p->customers = s->customers;
	p->nlags = s->nlags;

	textlen = 0;
	for (int32 k = 0; k < nitems; k++)
	{
		const ItemKey *key = &s->item_keys[order[k]];

		PATHS_ITEM_CUSTOMERS(p)[k] = s->item_customers[order[k]];
		memcpy(PATHS_TEXT(p) + textlen, key->str, key->len);
		textlen += key->len;
		PATHS_ITEM_ENDS(p)[k] = (int32) textlen;
	}
	for (int32 j = 0; j < npairs; j++)
	{
		PATHS_PAIR_FIRST(p)[j] = pairs[j].first;
		PATHS_PAIR_THEN(p)[j] = pairs[j].then;
		PATHS_PAIR_COUNT(p)[j] = s->pair_count[pairs[j].id];
		position[pairs[j].id] = at;
		at += s->pair_count[pairs[j].id];
	}

	/* each lag into its pair's place, then each pair's lags in order */
	lags = PATHS_LAGS(p);
	for (const LagChunk *chunk = s->lags_head; chunk; chunk = chunk->next)
	{
		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < chunk->n; i++)
			lags[position[chunk->pair[i]]++] = chunk->lag[i];
	}
	at = 0;
	for (int32 j = 0; j < npairs; j++)
	{
		int32		n = PATHS_PAIR_COUNT(p)[j];

		if ((j & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (n > 1)
			sort_lags(lags + at, n);
		at += n;
	}
	pfree(order);
	pfree(rank);
	pfree(pairs);
	pfree(position);
	return p;
}

/* ---------------------------------------------------------------------------------------------
 * Consistency of a value from outside
 * ---------------------------------------------------------------------------------------------
 */

void
paths_check_counts(const Paths *p, void (*fail) (const char *detail))
{
	const int64 *customers = PATHS_ITEM_CUSTOMERS(p);
	const int64 *lags = PATHS_LAGS(p);
	const int32 *first = PATHS_PAIR_FIRST(p);
	const int32 *then = PATHS_PAIR_THEN(p);
	const int32 *count = PATHS_PAIR_COUNT(p);
	int64		l = 0;

	if (p->within <= 0)
		fail("The window must be positive.");
	if (p->customers < 0)
		fail("The customer count must not be negative.");
	for (int32 k = 0; k < p->nitems; k++)
		if (customers[k] < 1 || customers[k] > p->customers)
			fail("An item's buyers must number at least 1 and at most the customers.");
	for (int32 j = 0; j < p->npairs; j++)
	{
		if ((j & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (first[j] < 0 || first[j] >= p->nitems || then[j] < 0 || then[j] >= p->nitems)
			fail("A pair names an item that is not listed.");
		if (first[j] == then[j])
			fail("A pair's two items must differ.");
		if (count[j] < 1 || count[j] > customers[first[j]] || count[j] > customers[then[j]])
			fail("A pair's customers must number at least 1 and at most the buyers of either item.");
		for (int32 i = 0; i < count[j]; i++, l++)
			if (lags[l] <= 0 || lags[l] > p->within)
				fail("A lag must be positive and at most the window.");
	}
}

/* ---------------------------------------------------------------------------------------------
 * Binary form: uint8 version, uint8 flags, int64 within, int64 customers, int32 nitems,
 * int32 npairs, int64 nlags; each item (int32 length, its bytes, int64 buyers); each pair
 * (int32 first, int32 then, int32 customers); the lags (int64 each), pair after pair.
 * ---------------------------------------------------------------------------------------------
 */

void
paths_write_binary(StringInfo buf, const Paths *p)
{
	const char *text = PATHS_TEXT(p);
	const int64 *lags = PATHS_LAGS(p);

	pq_sendbyte(buf, PATHS_FORMAT_VERSION);
	pq_sendbyte(buf, 0);
	pq_sendint64(buf, p->within);
	pq_sendint64(buf, p->customers);
	pq_sendint32(buf, p->nitems);
	pq_sendint32(buf, p->npairs);
	pq_sendint64(buf, p->nlags);
	for (int32 k = 0; k < p->nitems; k++)
	{
		pq_sendint32(buf, PATHS_ITEM_LEN(p, k));
		pq_sendbytes(buf, text + PATHS_ITEM_START(p, k), PATHS_ITEM_LEN(p, k));
		pq_sendint64(buf, PATHS_ITEM_CUSTOMERS(p)[k]);
	}
	for (int32 j = 0; j < p->npairs; j++)
	{
		pq_sendint32(buf, PATHS_PAIR_FIRST(p)[j]);
		pq_sendint32(buf, PATHS_PAIR_THEN(p)[j]);
		pq_sendint32(buf, PATHS_PAIR_COUNT(p)[j]);
	}
	for (int64 l = 0; l < p->nlags; l++)
	{
		if ((l & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, lags[l]);
	}
}

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(PATHS_TYPE_NAME, detail);
}

Paths *
paths_read_binary(StringInfo buf)
{
	int64		within;
	int64		customers;
	int32		nitems;
	int32		npairs;
	int64		nlags;
	int32		textlen = 0;
	int			start;
	Paths	   *p;
	int64		total = 0;

	if (buf->len - buf->cursor < 34)
		binary_error("The value is shorter than its 34-byte header.");
	summary_check_binary_version(PATHS_TYPE_NAME, pq_getmsgbyte(buf), PATHS_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_error("Unknown flag bits are set.");
	within = pq_getmsgint64(buf);
	customers = pq_getmsgint64(buf);
	nitems = pq_getmsgint(buf, 4);
	npairs = pq_getmsgint(buf, 4);
	nlags = pq_getmsgint64(buf);
	if (nitems < 0 || nitems > PATHS_MAX_ITEMS)
		binary_error("The item count is out of range.");
	if (npairs < 0 || nlags < npairs || nlags > PATHS_MAX_LAGS)
		binary_error("The pair or lag count is out of range.");
	/* 12 bytes at least an item, 12 a pair, 8 a lag: check before allocating anything */
	if ((Size) (buf->len - buf->cursor) < (Size) nitems * 12 + (Size) npairs * 12 + (Size) nlags * 8)
		binary_error("The value is shorter than its counts say.");

	start = buf->cursor;
	for (int32 k = 0; k < nitems; k++)
	{
		int32		len;

		if (buf->len - buf->cursor < 12)
			binary_error("The value ends inside its items.");
		len = pq_getmsgint(buf, 4);
		if (len < 0 || len > IS_MAX_ITEM_LEN || len > buf->len - buf->cursor - 8)
			binary_error("An item length is out of range.");
		buf->cursor += len + 8;
		textlen += len;
	}
	if ((Size) (buf->len - buf->cursor) != (Size) npairs * 12 + (Size) nlags * 8)
		binary_error("The length does not match the pair and lag counts.");

	p = palloc0(paths_size(nitems, npairs, nlags, textlen));
	SET_VARSIZE(p, paths_size(nitems, npairs, nlags, textlen));
	p->version = PATHS_FORMAT_VERSION;
	p->nitems = nitems;
	p->npairs = npairs;
	p->textlen = textlen;
	p->within = within;
	p->customers = customers;
	p->nlags = nlags;
	buf->cursor = start;
	textlen = 0;
	for (int32 k = 0; k < nitems; k++)
	{
		int32		len = pq_getmsgint(buf, 4);
		const char *bytes = pq_getmsgbytes(buf, len);

		is_check_item(bytes, len);
		memcpy(PATHS_TEXT(p) + textlen, bytes, len);
		textlen += len;
		PATHS_ITEM_ENDS(p)[k] = textlen;
		PATHS_ITEM_CUSTOMERS(p)[k] = pq_getmsgint64(buf);
		if (k > 0 && is_item_cmp(PATHS_TEXT(p) + PATHS_ITEM_START(p, k - 1),
								 PATHS_ITEM_LEN(p, k - 1),
								 PATHS_TEXT(p) + PATHS_ITEM_START(p, k), len) >= 0)
			binary_error("The items are not distinct and in byte order.");
	}
	for (int32 j = 0; j < npairs; j++)
	{
		int32	   *first = PATHS_PAIR_FIRST(p);
		int32	   *then = PATHS_PAIR_THEN(p);

		first[j] = pq_getmsgint(buf, 4);
		then[j] = pq_getmsgint(buf, 4);
		PATHS_PAIR_COUNT(p)[j] = pq_getmsgint(buf, 4);
		if (PATHS_PAIR_COUNT(p)[j] < 1)
			binary_error("A pair has no customers.");
		total += PATHS_PAIR_COUNT(p)[j];
		if (j > 0 && (first[j - 1] > first[j] || (first[j - 1] == first[j] && then[j - 1] >= then[j])))
			binary_error("The pairs are not distinct and in order.");
	}
	if (total != nlags)
		binary_error("The pairs' customers do not add up to the lag count.");
	total = 0;
	for (int32 j = 0; j < npairs; j++)
	{
		int32		n = PATHS_PAIR_COUNT(p)[j];

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < n; i++, total++)
		{
			PATHS_LAGS(p)[total] = pq_getmsgint64(buf);
			if (i > 0 && PATHS_LAGS(p)[total - 1] > PATHS_LAGS(p)[total])
				binary_error("A pair's lags are not in ascending order.");
		}
	}
	paths_check_counts(p, binary_error);
	return p;
}
