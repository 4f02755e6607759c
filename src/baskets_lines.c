/*
 * baskets_lines.c
 *	  The baskets aggregate over order lines: baskets(order_id, item [, max_pairs]), one row a
 *	  line (bigint or text items), giving the same summary as baskets(items) over one array of
 *	  items an order, without building the arrays (array_agg ... GROUP BY order_id costs more
 *	  than counting the pairs).
 *
 * How lines become baskets.  Lines usually arrive clustered by order (a table filled order by
 * order, its primary key): the aggregate keeps the open order's item positions, and when the
 * order id changes it seals the order, counting it at once in the counting state of
 * baskets.h.  Whatever the input order, the result is exact: every sealed order is also
 * written, compactly, to a log of (order id, item positions).  While the sealed ids ascend
 * strictly, no order can have come back (an id that returns is below the last one), and the
 * log is never read.  When an id descends (unsorted input, or states of parallel workers
 * combined), the final function sorts the log's orders by id; an order found in several parts
 * is taken back part by part and counted once as the union of its parts (exact while no pair
 * counter was dropped; beyond the pair budget everything is counted again from the log).
 *
 * Memory.  The counting state of the array form (16 bytes an item, about 16 a pair counter
 * plus hash table room), plus the log: per order a variable-length id delta (1 byte when ids
 * go up by less than 64) and item count (1 byte below 128 items), and per distinct item of
 * the order its position (1 byte below 128 items, 2 below 16,384, 3 below 2,097,152).  That is
 * about 6 bytes an order of 2 items from a catalogue of 1,000 products: O(lines), the price of
 * exactness whatever the input order and of parallel workers splitting orders.
 *
 * NULL order ids and NULL items are skipped (a GROUP BY would gather NULL ids into one
 * basket; here such lines belong to no order); an order without items is no basket.
 */
#include "postgres.h"

#include "common/int.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"

#include "baskets.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(baskets_lines_trans_bigint);
PG_FUNCTION_INFO_V1(baskets_lines_trans_text);
PG_FUNCTION_INFO_V1(baskets_lines_combine);
PG_FUNCTION_INFO_V1(baskets_lines_serialize);
PG_FUNCTION_INFO_V1(baskets_lines_deserialize);
PG_FUNCTION_INFO_V1(baskets_lines_final);

/* The serialized state's own version (the summary inside carries the type's). */
#define LINES_STATE_VERSION		1

/* Longest encodings: an id delta (zigzag, 64 bits), an item count or a position (32 bits). */
#define VARINT64_MAX_BYTES		10
#define VARINT32_MAX_BYTES		5

typedef struct LinesState
{
	MemoryContext context;
	BasketsState *counts;		/* the sealed orders, counted */
	int			kind;
	/* the open order: its id and the positions of its lines' items, unsorted */
	bool		open;
	int64		open_id;
	int32	   *run;
	int32		nrun;
	int32		run_capacity;
	/* the log of the sealed orders */
	uint8	   *log;
	int64		log_len;
	int64		log_capacity;
	int64		nruns;
	int64		last_id;		/* of the log's last order (0 before the first) */
	bool		ascending;		/* the log's ids ascend strictly: no order is in two parts */
} LinesState;

#define PG_GETARG_LINES(n)	(PG_ARGISNULL(n) ? NULL : (LinesState *) PG_GETARG_POINTER(n))

/* ---------------------------------------------------------------------------------------------
 * The log
 * ---------------------------------------------------------------------------------------------
 */

static inline uint8 *
put_varint(uint8 *p, uint64 v)
{
	while (v >= 0x80)
	{
		*p++ = (uint8) (v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8) v;
	return p;
}

static void pg_attribute_noreturn()
error_corrupted(void)
{
	summary_error_binary(BASKETS_TYPE_NAME, "The order log of an aggregate state is damaged.");
}

/* A varint of at most max_bytes bytes, within [*p, end). */
static inline uint64
get_varint(const uint8 **p, const uint8 *end, int max_bytes)
{
	uint64		v = 0;
	int			shift = 0;

	/* most values take one byte */
	if (likely(*p < end && (**p & 0x80) == 0))
		return *(*p)++;
	for (int i = 0; i < max_bytes; i++)
	{
		uint8		byte;

		if (*p >= end)
			error_corrupted();
		byte = *(*p)++;
		v |= (uint64) (byte & 0x7F) << shift;
		if ((byte & 0x80) == 0)
			return v;
		shift += 7;
	}
	error_corrupted();
}

static inline uint64
zigzag(int64 v)
{
	return ((uint64) v << 1) ^ (uint64) (v >> 63);
}

static inline int64
unzigzag(uint64 v)
{
	return (int64) (v >> 1) ^ -(int64) (v & 1);
}

/* Appends one order (its distinct positions) to the log; the caller counted it. */
static void
log_order(LinesState *state, int64 id, const int32 *positions, int n)
{
	int64		need = VARINT64_MAX_BYTES + VARINT32_MAX_BYTES + (int64) VARINT32_MAX_BYTES * n;
	uint8	   *p;
	int64		delta;

	if (state->log_len + need > state->log_capacity)
	{
		int64		capacity = Max(Max(state->log_capacity * 2, 8192), state->log_len + need);

		if ((Size) capacity > MaxAllocHugeSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("baskets order log is too large"),
					 errdetail("The aggregate over order lines keeps every order's items until its end.")));
		state->log = state->log == NULL
			? MemoryContextAllocHuge(state->context, capacity)
			: repalloc_huge(state->log, capacity);
		state->log_capacity = capacity;
	}
	if (state->nruns > 0 && id <= state->last_id)
		state->ascending = false;
	/* wrapping subtraction: any two ids have a delta, read back the same way */
	delta = (int64) ((uint64) id - (uint64) state->last_id);
	p = state->log + state->log_len;
	p = put_varint(p, zigzag(delta));
	p = put_varint(p, (uint32) n);
	for (int i = 0; i < n; i++)
		p = put_varint(p, (uint32) positions[i]);
	state->log_len = p - state->log;
	state->last_id = id;
	state->nruns++;
}

/* Reading the log back, order by order. */
typedef struct LogReader
{
	const uint8 *p;
	const uint8 *end;
	int64		id;
	int32		nitems;			/* positions must lie below */
} LogReader;

static void
log_reader_start(LogReader *reader, const LinesState *state, const uint8 *log, int64 len)
{
	reader->p = log;
	reader->end = log + len;
	reader->id = 0;
	reader->nitems = baskets_state_nitems(state->counts);
}

/*
 * The next order: its id, its positions into *positions (grown as needed) and their count;
 * false at the end.  Checks what a damaged log could break: the counts and positions.
 */
static bool
log_next(LogReader *reader, int32 **positions, int32 *capacity, int *n)
{
	uint64		count;

	if (reader->p >= reader->end)
		return false;
	reader->id = (int64) ((uint64) reader->id + (uint64) unzigzag(get_varint(&reader->p, reader->end, VARINT64_MAX_BYTES)));
	count = get_varint(&reader->p, reader->end, VARINT32_MAX_BYTES);
	if (count < 1 || count > BASKETS_MAX_BASKET_ITEMS)
		error_corrupted();
	if ((int32) count > *capacity)
	{
		*capacity = Max((int32) count, *capacity * 2);
		*positions = *positions == NULL ? palloc(sizeof(int32) * *capacity)
			: repalloc(*positions, sizeof(int32) * *capacity);
	}
	for (uint64 i = 0; i < count; i++)
	{
		uint64		position = get_varint(&reader->p, reader->end, VARINT32_MAX_BYTES);

		if (position >= (uint64) reader->nitems || (i > 0 && position <= (uint64) (*positions)[i - 1]))
			error_corrupted();
		(*positions)[i] = (int32) position;
	}
	*n = (int) count;
	return true;
}

/* ---------------------------------------------------------------------------------------------
 * The open order
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
error_basket_too_large(int64 n)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("basket holds too many distinct items"),
			 errdetail("An order holds at least " INT64_FORMAT " distinct items; a basket holds at most %d, whose pairs are counted one by one.",
					   n, BASKETS_MAX_BASKET_ITEMS),
			 errhint("Leave such orders out, or split them.")));
}

static int
int32_cmp(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* Sorts positions ascending and drops repeats: the count left. */
static int
sort_distinct(int32 *positions, int n)
{
	int			distinct = 0;

	if (n <= 16)
	{
		for (int i = 1; i < n; i++)
		{
			int32		v = positions[i];
			int			j = i;

			while (j > 0 && positions[j - 1] > v)
			{
				positions[j] = positions[j - 1];
				j--;
			}
			positions[j] = v;
		}
	}
	else
		qsort(positions, n, sizeof(int32), int32_cmp);
	for (int i = 0; i < n; i++)
		if (i == 0 || positions[i] != positions[i - 1])
			positions[distinct++] = positions[i];
	return distinct;
}

/* Counts and logs the open order, if any. */
static void
seal(LinesState *state)
{
	int			n;

	if (!state->open)
		return;
	state->open = false;
	n = sort_distinct(state->run, state->nrun);
	state->nrun = 0;
	if (n > BASKETS_MAX_BASKET_ITEMS)
		error_basket_too_large(n);
	baskets_state_add_basket(state->counts, state->run, n);
	log_order(state, state->open_id, state->run, n);
}

/* One line of the open order. */
static inline void
add_line(LinesState *state, int64 id, int32 position)
{
	if (!state->open || id != state->open_id)
	{
		seal(state);
		state->open = true;
		state->open_id = id;
	}
	if (unlikely(state->nrun == state->run_capacity))
	{
		/*
		 * A large order: drop repeated items before growing, so that the buffer holds at
		 * most twice the largest basket allowed.
		 */
		if (state->nrun >= 2 * BASKETS_MAX_BASKET_ITEMS)
		{
			state->nrun = sort_distinct(state->run, state->nrun);
			if (state->nrun > BASKETS_MAX_BASKET_ITEMS)
				error_basket_too_large(state->nrun);
		}
		if (state->nrun == state->run_capacity)
		{
			state->run_capacity *= 2;
			state->run = repalloc(state->run, sizeof(int32) * state->run_capacity);
		}
	}
	state->run[state->nrun++] = position;
}

/* ---------------------------------------------------------------------------------------------
 * The state
 * ---------------------------------------------------------------------------------------------
 */

static LinesState *
lines_state_create(MemoryContext context, int kind, int64 max_pairs)
{
	LinesState *state = MemoryContextAllocZero(context, sizeof(LinesState));

	state->context = context;
	state->counts = baskets_state_create(context, max_pairs);
	state->kind = kind;
	baskets_state_set_kind(state->counts, kind);
	state->run_capacity = 16;
	state->run = MemoryContextAlloc(context, sizeof(int32) * state->run_capacity);
	state->ascending = true;
	return state;
}

/* The group's state, created in the aggregate's memory on its first row. */
static LinesState *
group_state(FunctionCallInfo fcinfo, int kind)
{
	MemoryContext context;
	int64		max_pairs = BASKETS_DEFAULT_MAX_PAIRS;

	if (!PG_ARGISNULL(0))
		return (LinesState *) PG_GETARG_POINTER(0);
	context = summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	if (PG_NARGS() > 3)
	{
		if (PG_ARGISNULL(3))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("max_pairs must not be null"),
					 errdetail("max_pairs is the number of pair counters a summary keeps: its memory budget.")));
		max_pairs = PG_GETARG_INT64(3);
	}
	return lines_state_create(context, kind, max_pairs);
}

Datum
baskets_lines_trans_bigint(PG_FUNCTION_ARGS)
{
	LinesState *state = group_state(fcinfo, BASKETS_KIND_BIGINT);

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	add_line(state, PG_GETARG_INT64(1), baskets_state_item_bigint(state->counts, PG_GETARG_INT64(2)));
	PG_RETURN_POINTER(state);
}

Datum
baskets_lines_trans_text(PG_FUNCTION_ARGS)
{
	LinesState *state = group_state(fcinfo, BASKETS_KIND_TEXT);
	text	   *item;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
		PG_RETURN_POINTER(state);
	item = PG_GETARG_TEXT_PP(2);
	add_line(state, PG_GETARG_INT64(1),
			 baskets_state_item_text(state->counts, VARDATA_ANY(item), VARSIZE_ANY_EXHDR(item)));
	PG_RETURN_POINTER(state);
}

static bool merge_ascending(LinesState *state, const LinesState *other, const int32 *map);

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The second state is only
 * read: its counts are added to the first, its log (and its open order) appended to the
 * first's with its item positions translated.  When both logs ascend (each parallel worker
 * reads its blocks in order), the two are merged by id instead, the orders split between the
 * two counted whole at once: the result ascends, and the final function has nothing to sort.
 */
Datum
baskets_lines_combine(PG_FUNCTION_ARGS)
{
	LinesState *state = PG_GETARG_LINES(0);
	LinesState *other = PG_GETARG_LINES(1);
	MemoryContext context = summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	int32		nother;
	int32	   *map;
	int32	   *positions = NULL;
	int32		capacity = 0;
	int			n;
	LogReader	reader;
	int64		k = 0;

	if (other == NULL)
	{
		if (state == NULL)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(state);
	}
	if (state == NULL)
		state = lines_state_create(context, other->kind,
								   baskets_state_max_pairs(other->counts));
	else if (state->kind != other->kind)
		baskets_state_set_kind(state->counts, other->kind);	/* raises 42804 */
	seal(state);
	baskets_state_add_state(state->counts, other->counts);

	nother = baskets_state_nitems(other->counts);
	map = palloc(sizeof(int32) * Max(nother, 1));
	for (int32 i = 0; i < nother; i++)
	{
		if (other->kind == BASKETS_KIND_BIGINT)
			map[i] = baskets_state_find_bigint(state->counts, baskets_state_item_value(other->counts, i));
		else
		{
			int32		len;
			const char *text = baskets_state_item_text_at(other->counts, i, &len);

			map[i] = baskets_state_find_text(state->counts, text, len);
		}
	}
	if (merge_ascending(state, other, map))
		reader.p = reader.end = NULL;	/* the other's log is merged */
	else
		log_reader_start(&reader, other, other->log, other->log_len);
	while (reader.p != NULL && log_next(&reader, &positions, &capacity, &n))
	{
		if ((k++ & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		for (int i = 0; i < n; i++)
			positions[i] = map[positions[i]];
		sort_distinct(positions, n);
		log_order(state, reader.id, positions, n);
	}
	/* the other's open order: counted here, and logged, as if it were sealed there */
	if (other->open && other->nrun > 0)
	{
		int32	   *run = palloc(sizeof(int32) * other->nrun);

		for (int i = 0; i < other->nrun; i++)
			run[i] = map[other->run[i]];
		n = sort_distinct(run, other->nrun);
		if (n > BASKETS_MAX_BASKET_ITEMS)
			error_basket_too_large(n);
		baskets_state_add_basket(state->counts, run, n);
		log_order(state, other->open_id, run, n);
		pfree(run);
	}
	pfree(map);
	if (positions != NULL)
		pfree(positions);
	PG_RETURN_POINTER(state);
}

/* ---------------------------------------------------------------------------------------------
 * Orders in several parts
 * ---------------------------------------------------------------------------------------------
 */

typedef struct LogOrder
{
	int64		id;
	int64		offset;			/* where the order starts in the log */
	int64		previous_id;	/* the id its delta is relative to */
} LogOrder;

#define ST_SORT sort_log_orders
#define ST_ELEMENT_TYPE LogOrder
#define ST_COMPARE(a, b) \
	((a)->id != (b)->id ? ((a)->id > (b)->id) - ((a)->id < (b)->id) \
	 : ((a)->offset > (b)->offset) - ((a)->offset < (b)->offset))
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* Reads the one order at o into *positions. */
static int
read_order_at(LinesState *state, const LogOrder *o, int32 **positions, int32 *capacity)
{
	LogReader	reader;
	int			n;

	log_reader_start(&reader, state, state->log + o->offset, state->log_len - o->offset);
	reader.id = o->previous_id;
	if (!log_next(&reader, positions, capacity, &n) || reader.id != o->id)
		error_corrupted();
	return n;
}

/*
 * Merges the other state's log into this one's by id when both ascend and no pair counter was
 * dropped (false otherwise, and nothing is done).  The counts of both are already added: an
 * order in both logs is taken back part by part and counted once as the union of its parts,
 * after every part is taken back (taking back is exact only before any pair is dropped).
 */
static bool
merge_ascending(LinesState *state, const LinesState *other, const int32 *map)
{
	uint8	   *old_log = state->log;
	int64		old_len = state->log_len;
	LogReader	ra,
				rb;
	int32	   *pa = NULL,
			   *pb = NULL,
			   *merged = NULL;
	int32		capa = 0,
				capb = 0,
				capm = 0;
	int			na = 0,
				nb = 0;
	bool		have_a,
				have_b;
	LogOrder   *unions = NULL;
	int64		nunions = 0,
				unions_capacity = 0;
	int64		k = 0;

	if (!state->ascending || !other->ascending || baskets_state_pair_error(state->counts) != 0)
		return false;
	state->log = NULL;
	state->log_len = 0;
	state->log_capacity = 0;
	state->nruns = 0;
	state->last_id = 0;
	log_reader_start(&ra, state, old_log, old_len);
	log_reader_start(&rb, other, other->log, other->log_len);
	have_a = log_next(&ra, &pa, &capa, &na);
	have_b = log_next(&rb, &pb, &capb, &nb);
	if (have_b)
	{
		for (int i = 0; i < nb; i++)
			pb[i] = map[pb[i]];
		sort_distinct(pb, nb);
	}
	while (have_a || have_b)
	{
		int64		id_a = ra.id,
					id_b = rb.id;

		if ((k++ & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (have_a && (!have_b || ra.id < rb.id))
		{
			log_order(state, ra.id, pa, na);
			have_a = log_next(&ra, &pa, &capa, &na);
			if (have_a && ra.id <= id_a)
				error_corrupted();
			continue;
		}
		if (!have_a || rb.id < ra.id)
			log_order(state, rb.id, pb, nb);
		else
		{
			/* one order in both: take back both parts, log the union, count it below */
			int			nm;

			baskets_state_remove_basket(state->counts, pa, na);
			baskets_state_remove_basket(state->counts, pb, nb);
			if (na + nb > capm)
			{
				capm = Max(na + nb, capm * 2);
				merged = merged == NULL ? palloc(sizeof(int32) * capm) : repalloc(merged, sizeof(int32) * capm);
			}
			memcpy(merged, pa, sizeof(int32) * na);
			memcpy(merged + na, pb, sizeof(int32) * nb);
			nm = sort_distinct(merged, na + nb);
			if (nm > BASKETS_MAX_BASKET_ITEMS)
				error_basket_too_large(nm);
			if (nunions == unions_capacity)
			{
				unions_capacity = Max(16, unions_capacity * 2);
				unions = unions == NULL ? palloc(sizeof(LogOrder) * unions_capacity)
					: repalloc_huge(unions, sizeof(LogOrder) * unions_capacity);
			}
			unions[nunions].id = ra.id;
			unions[nunions].offset = state->log_len;
			unions[nunions].previous_id = state->last_id;
			nunions++;
			log_order(state, ra.id, merged, nm);
			have_a = log_next(&ra, &pa, &capa, &na);
			if (have_a && ra.id <= id_a)
				error_corrupted();
		}
		have_b = log_next(&rb, &pb, &capb, &nb);
		if (have_b && rb.id <= id_b)
			error_corrupted();
		if (have_b)
		{
			for (int i = 0; i < nb; i++)
				pb[i] = map[pb[i]];
			sort_distinct(pb, nb);
		}
	}
	for (int64 i = 0; i < nunions; i++)
	{
		int			n = read_order_at(state, &unions[i], &merged, &capm);

		baskets_state_add_basket(state->counts, merged, n);
	}
	if (old_log != NULL)
		pfree(old_log);
	if (pa != NULL)
		pfree(pa);
	if (pb != NULL)
		pfree(pb);
	if (merged != NULL)
		pfree(merged);
	if (unions != NULL)
		pfree(unions);
	return true;
}

/*
 * Makes the counts exact when an order's lines came in several parts: sorts the log's orders
 * by id and counts every order once, as the union of its parts.  The log is rewritten in id
 * order with one entry an order, so that it ascends again.  The state stays equivalent: more
 * lines and another final call give the right answer.
 */
static void
settle(LinesState *state)
{
	LogOrder   *orders;
	LogReader	reader;
	int32	   *positions = NULL;
	int32		capacity = 0;
	int32	   *merged = NULL;
	int64		merged_capacity = 0;
	int			n;
	int64		k = 0;
	bool		repeated = false;
	bool		recount;
	uint8	   *old_log;
	int64		old_len;
	BasketsState *counts;

	seal(state);
	if (state->ascending)
		return;
	if ((Size) state->nruns > MaxAllocHugeSize / sizeof(LogOrder))
		error_corrupted();
	orders = palloc_extended(sizeof(LogOrder) * Max(state->nruns, 1), MCXT_ALLOC_HUGE);
	log_reader_start(&reader, state, state->log, state->log_len);
	for (;;)
	{
		int64		offset = reader.p - state->log;
		int64		previous = reader.id;

		if (!log_next(&reader, &positions, &capacity, &n))
			break;
		if ((k & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (k >= state->nruns)
			error_corrupted();
		orders[k].id = reader.id;
		orders[k].offset = offset;
		orders[k].previous_id = previous;
		k++;
	}
	if (k != state->nruns)
		error_corrupted();
	sort_log_orders(orders, k);
	for (int64 i = 1; i < k && !repeated; i++)
		repeated = orders[i].id == orders[i - 1].id;

	/*
	 * Orders in parts are taken back and counted again as wholes: exact while no pair counter
	 * was dropped.  Beyond the pair budget a count taken back may have been dropped already,
	 * so everything is counted again, whole orders in id order.
	 */
	recount = repeated && baskets_state_pair_error(state->counts) != 0;
	counts = state->counts;
	if (recount)
	{
		counts = baskets_state_create(state->context, baskets_state_max_pairs(state->counts));
		baskets_state_set_kind(counts, state->kind);
		/* the same positions: the items are registered in the same order */
		for (int32 i = 0; i < baskets_state_nitems(state->counts); i++)
		{
			if (state->kind == BASKETS_KIND_BIGINT)
				baskets_state_item_bigint(counts, baskets_state_item_value(state->counts, i));
			else
			{
				int32		len;
				const char *text = baskets_state_item_text_at(state->counts, i, &len);

				baskets_state_item_text(counts, text, len);
			}
		}
	}
	else if (repeated)
		for (int64 i = 0; i < k; i++)
		{
			bool		part = (i > 0 && orders[i].id == orders[i - 1].id) ||
				(i + 1 < k && orders[i].id == orders[i + 1].id);

			if ((i & 4095) == 0)
				CHECK_FOR_INTERRUPTS();
			if (part)
			{
				n = read_order_at(state, &orders[i], &positions, &capacity);
				baskets_state_remove_basket(counts, positions, n);
			}
		}

	/* the new log, one entry an order in id order; whole orders counted where needed */
	old_log = state->log;
	old_len = state->log_len;
	state->log = NULL;
	state->log_len = 0;
	state->log_capacity = 0;
	state->nruns = 0;
	state->last_id = 0;
	state->ascending = true;
	{
		LinesState	reading = *state;

		/* read_order_at reads the old log */
		reading.log = old_log;
		reading.log_len = old_len;
		for (int64 i = 0; i < k;)
		{
			int64		j = i;
			int64		nmerged = 0;

			if ((i & 4095) == 0)
				CHECK_FOR_INTERRUPTS();
			while (j < k && orders[j].id == orders[i].id)
			{
				n = read_order_at(&reading, &orders[j], &positions, &capacity);
				if (nmerged + n > merged_capacity)
				{
					merged_capacity = Max(nmerged + n, merged_capacity * 2);
					merged = merged == NULL ? palloc(sizeof(int32) * merged_capacity)
						: repalloc(merged, sizeof(int32) * merged_capacity);
				}
				memcpy(merged + nmerged, positions, sizeof(int32) * n);
				nmerged += n;
				j++;
			}
			if (j - i > 1)
			{
				nmerged = sort_distinct(merged, (int) nmerged);
				if (nmerged > BASKETS_MAX_BASKET_ITEMS)
					error_basket_too_large(nmerged);
			}
			if (recount || j - i > 1)
				baskets_state_add_basket(counts, merged, (int) nmerged);
			log_order(state, orders[i].id, merged, (int) nmerged);
			i = j;
		}
	}
	state->counts = counts;
	pfree(old_log);
	pfree(orders);
	if (positions != NULL)
		pfree(positions);
	if (merged != NULL)
		pfree(merged);
}

/* ---------------------------------------------------------------------------------------------
 * Serialized state
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The state travels as: its version; the summary of the sealed orders in the type's binary
 * form (length first); the items in the state's position order, which the log's positions
 * refer to; the log.  The open order is sealed first.
 */
Datum
baskets_lines_serialize(PG_FUNCTION_ARGS)
{
	LinesState *state = (LinesState *) PG_GETARG_POINTER(0);
	StringInfoData buf;
	Baskets    *b;
	bytea	   *summary;
	int32		nitems;

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	seal(state);
	b = baskets_from_state(state->counts);
	summary = baskets_binary(b);
	pfree(b);
	nitems = baskets_state_nitems(state->counts);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, LINES_STATE_VERSION);
	pq_sendbyte(&buf, state->kind);
	pq_sendint32(&buf, VARSIZE(summary) - VARHDRSZ);
	pq_sendbytes(&buf, VARDATA(summary), VARSIZE(summary) - VARHDRSZ);
	pfree(summary);
	pq_sendint32(&buf, nitems);
	for (int32 i = 0; i < nitems; i++)
	{
		if (state->kind == BASKETS_KIND_BIGINT)
			pq_sendint64(&buf, baskets_state_item_value(state->counts, i));
		else
		{
			int32		len;
			const char *text = baskets_state_item_text_at(state->counts, i, &len);

			pq_sendint32(&buf, len);
			pq_sendbytes(&buf, text, len);
		}
	}
	pq_sendint64(&buf, state->nruns);
	pq_sendbyte(&buf, state->ascending ? 1 : 0);
	pq_sendint64(&buf, state->last_id);
	pq_sendint64(&buf, state->log_len);
	pq_sendbytes(&buf, (const char *) state->log, state->log_len);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void pg_attribute_noreturn()
error_state(const char *detail)
{
	summary_error_binary(BASKETS_TYPE_NAME, detail);
}

Datum
baskets_lines_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	StringInfoData part;
	int			kind;
	int32		len;
	int32		nitems;
	int64		log_len;
	Baskets    *b;
	LinesState *state;

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	if (buf.len - buf.cursor < 6)
		error_state("The state is shorter than its header.");
	if (pq_getmsgbyte(&buf) != LINES_STATE_VERSION)
		error_state("The state's version is unknown.");
	kind = pq_getmsgbyte(&buf);
	if (kind != BASKETS_KIND_BIGINT && kind != BASKETS_KIND_TEXT)
		error_state("The item kind is unknown.");
	len = pq_getmsgint(&buf, 4);
	if (len < 0 || len > buf.len - buf.cursor)
		error_state("The summary's length is out of range.");
	part.data = buf.data + buf.cursor;
	part.len = len;
	part.maxlen = len;
	part.cursor = 0;
	buf.cursor += len;
	b = baskets_read_binary(&part);
	if (b->kind != BASKETS_KIND_NONE && b->kind != kind)
		error_state("The summary's item kind does not match the state's.");

	state = lines_state_create(CurrentMemoryContext, kind, b->max_pairs);
	if (buf.len - buf.cursor < 4)
		error_state("The state is shorter than its items.");
	nitems = pq_getmsgint(&buf, 4);
	if (nitems != b->nitems)
		error_state("The item count does not match the summary's.");
	for (int32 i = 0; i < nitems; i++)
	{
		if ((i & 4095) == 0)
			CHECK_FOR_INTERRUPTS();
		if (kind == BASKETS_KIND_BIGINT)
		{
			if (buf.len - buf.cursor < 8)
				error_state("The state is shorter than its items.");
			baskets_state_item_bigint(state->counts, pq_getmsgint64(&buf));
		}
		else
		{
			int32		tlen;

			if (buf.len - buf.cursor < 4)
				error_state("The state is shorter than its items.");
			tlen = pq_getmsgint(&buf, 4);
			if (tlen < 0 || tlen > buf.len - buf.cursor)
				error_state("An item's length is out of range.");
			/* the summary's items are checked text; a position item not in it fails below */
			baskets_state_item_text(state->counts, buf.data + buf.cursor, tlen);
			buf.cursor += tlen;
		}
		if (baskets_state_nitems(state->counts) != i + 1)
			error_state("An item is repeated.");
	}
	baskets_state_add_summary(state->counts, b);
	if (baskets_state_nitems(state->counts) != nitems)
		error_state("The items do not match the summary's.");
	pfree(b);

	if (buf.len - buf.cursor < 25)
		error_state("The state is shorter than its order log.");
	state->nruns = pq_getmsgint64(&buf);
	state->ascending = pq_getmsgbyte(&buf) != 0;
	state->last_id = pq_getmsgint64(&buf);
	log_len = pq_getmsgint64(&buf);
	if (state->nruns < 0 || state->nruns > log_len / 3 || (state->nruns == 0) != (log_len == 0))
		error_state("The order count does not match the order log.");
	if (log_len < 0 || log_len != buf.len - buf.cursor)
		error_state("The order log's length does not match the state's.");
	if (log_len > 0)
	{
		state->log = MemoryContextAllocHuge(state->context, log_len);
		state->log_capacity = log_len;
		memcpy(state->log, buf.data + buf.cursor, log_len);
	}
	state->log_len = log_len;

	/*
	 * The log is not read here: every reading checks its bounds and positions, the merge
	 * checks that a log said to ascend does, and settle that it holds nruns orders.
	 */
	PG_RETURN_POINTER(state);
}

/*
 * The final function seals the open order and, when orders came in parts, counts them whole
 * (settle); the state it leaves holds the same lines, so that more rows and another final call
 * (a window aggregate) give the right answer (FINALFUNC_MODIFY = READ_ONLY in that sense).
 * No rows at all give the empty summary.
 */
Datum
baskets_lines_final(PG_FUNCTION_ARGS)
{
	LinesState *state = PG_GETARG_LINES(0);

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	if (state == NULL)
	{
		BasketsState *empty = baskets_state_create(CurrentMemoryContext, BASKETS_DEFAULT_MAX_PAIRS);

		PG_RETURN_BASKETS_P(baskets_from_state(empty));
	}
	settle(state);
	PG_RETURN_BASKETS_P(baskets_from_state(state->counts));
}
