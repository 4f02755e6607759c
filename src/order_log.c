/*
 * order_log.c
 *	  The chunked per-group log of timed entries (see order_log.h): the arena that hands out
 *	  size-aligned chunks, growing a log, copying and building logs, and opening one to read.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/memutils.h"

#include "order_log.h"
#include "summary.h"

#define ORDER_LOG_MAX_CLASS		(ORDER_LOG_SIZE_CLASSES - 1)
#define SLOTS_PER_CHUNK(size_class) \
	((int32) ((ORDER_LOG_CHUNK_SIZE(size_class) - offsetof(OrderLogChunk, slots)) / ORDER_LOG_SLOT_SIZE))

/*
 * Slabs are powers of two, which the allocator hands out without rounding up, from 2 kB (a
 * sorted aggregate resets its context after every group, so its first slab must be cheap) to
 * 64 kB.  Aligning the first chunk of a slab costs at most one chunk.
 */
#define FIRST_SLAB_SIZE			2048
#define MAX_SLAB_SIZE			65536

/*
 * Where one function call site takes chunks in one memory context.  A call site can serve
 * several contexts (grouping sets keep one per set), so its arenas form a list in fn_extra.
 * The reset callback marks an arena free when its context is reset or deleted, before the
 * slabs go away; it is registered again when the arena is next bound.
 */
typedef struct OrderLogArena
{
	MemoryContext context;		/* NULL: free */
	MemoryContextCallback on_reset;
	struct OrderLogArena *next;
	Size		next_slab_size;
	char	   *free[ORDER_LOG_SIZE_CLASSES];	/* next chunk of each class, aligned */
	char	   *end[ORDER_LOG_SIZE_CLASSES];
} OrderLogArena;

static void
arena_forget(void *arg)
{
	OrderLogArena *arena = (OrderLogArena *) arg;

	arena->context = NULL;
}

static OrderLogArena *
arena_for(FmgrInfo *flinfo, MemoryContext context)
{
	OrderLogArena *arena;
	OrderLogArena *unbound = NULL;

	for (arena = (OrderLogArena *) flinfo->fn_extra; arena != NULL; arena = arena->next)
	{
		if (arena->context == context)
			return arena;
		if (arena->context == NULL && unbound == NULL)
			unbound = arena;
	}
	if (unbound == NULL)
	{
		unbound = MemoryContextAllocZero(flinfo->fn_mcxt, sizeof(OrderLogArena));
		unbound->next = (OrderLogArena *) flinfo->fn_extra;
		flinfo->fn_extra = unbound;
	}
	unbound->context = context;
	unbound->next_slab_size = FIRST_SLAB_SIZE;
	memset(unbound->free, 0, sizeof(unbound->free));
	memset(unbound->end, 0, sizeof(unbound->end));
	unbound->on_reset.func = arena_forget;
	unbound->on_reset.arg = unbound;
	MemoryContextRegisterResetCallback(context, &unbound->on_reset);
	return unbound;
}

/* A chunk of the class, aligned to its size, from the arena's slab for that class. */
static OrderLogChunk *
arena_chunk(OrderLogArena *arena, int size_class)
{
	Size		size = ORDER_LOG_CHUNK_SIZE(size_class);
	OrderLogChunk *chunk;

	if (arena->free[size_class] == NULL ||
		arena->end[size_class] - arena->free[size_class] < (ptrdiff_t) size)
	{
		Size		slab = Max(arena->next_slab_size, size * 4);
		char	   *raw = MemoryContextAlloc(arena->context, slab);

		arena->free[size_class] = (char *) TYPEALIGN(size, raw);
		arena->end[size_class] = raw + slab;
		arena->next_slab_size = Min(arena->next_slab_size * 2, MAX_SLAB_SIZE);
	}
	chunk = (OrderLogChunk *) arena->free[size_class];
	arena->free[size_class] += size;
	return chunk;
}

static inline OrderLogChunk *
tail_chunk(Datum log)
{
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;
	uintptr_t	size = ORDER_LOG_CHUNK_SIZE(log & ORDER_LOG_CLASS_MASK);

	/* tail - 1: a full chunk's tail is the first byte after it */
	return (OrderLogChunk *) ((tail - 1) & ~(size - 1));
}

static inline int32
tail_slots(Datum log, const OrderLogChunk *chunk)
{
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;

	return (int32) ((tail - (uintptr_t) chunk->slots) / ORDER_LOG_SLOT_SIZE);
}

/*
 * Hash aggregation keeps its groups in the hash context; only there do rows visit groups in
 * no order, so that streaming stores pay (see order_log_store_streaming).
 */
static bool
in_hash_aggregate(FunctionCallInfo fcinfo, MemoryContext aggcontext)
{
	AggState   *aggstate;

	if (fcinfo->context == NULL || !IsA(fcinfo->context, AggState))
		return false;
	aggstate = (AggState *) fcinfo->context;
	return aggstate->hashcontext != NULL &&
		aggcontext == aggstate->hashcontext->ecxt_per_tuple_memory;
}

Datum
order_log_grow(FunctionCallInfo fcinfo, Datum log, int slots, const OrderLogLimit *limit)
{
	MemoryContext aggcontext;
	OrderLogChunk *prev = NULL;
	OrderLogChunk *chunk;
	int			size_class = 0;
	int64		slots_before = 0;
	uintptr_t	streaming;

	/* can't happen: the support functions check their context before they append */
	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "order log grown outside an aggregate");
	if (log == 0)
	{
		streaming = ORDER_LOG_HAS_STREAMING_STORES && in_hash_aggregate(fcinfo, aggcontext) ?
			ORDER_LOG_STREAMING : 0;
		/* the room's first class, or the first that holds the entry (one with an extra) */
		size_class = limit->first_class;
		while (SLOTS_PER_CHUNK(size_class) < slots)
			size_class++;
	}
	else
	{
		int			prev_class = (int) (log & ORDER_LOG_CLASS_MASK);

		/* seal the chunk: its slot count is no longer in the tail pointer */
		prev = tail_chunk(log);
		prev->nslots = tail_slots(log, prev);
		streaming = log & ORDER_LOG_STREAMING;
		size_class = Min(prev_class + 1, ORDER_LOG_MAX_CLASS);

		/*
		 * Below the largest class, the older chunks hold at most the capacity of the smaller
		 * classes, known without reading them; from there on, one header read a 4 kB chunk.
		 */
		if (prev_class < ORDER_LOG_MAX_CLASS)
			for (int c = 0; c <= prev_class; c++)
				slots_before += SLOTS_PER_CHUNK(c);
		else
			slots_before = (int64) prev->slots_before + prev->nslots;
		/* no valid group needs more slots than its limit, every entry with an extra */
		if (slots_before > limit->max_entries * 2)
			summary_error_too_many(limit->entries, limit->summary_name, limit->max_entries);
	}
	chunk = arena_chunk(arena_for(fcinfo->flinfo, aggcontext), size_class);
	chunk->prev = prev;
	chunk->nslots = 0;
	chunk->slots_before = (int32) slots_before;
	Assert(slots <= SLOTS_PER_CHUNK(size_class));
	return (Datum) ((uintptr_t) chunk->slots | (uintptr_t) size_class | streaming);
}

void
order_log_reader_open(OrderLogReader *reader, Datum log)
{
	int64		capacity = ORDER_LOG_READER_LOCAL_CHUNKS;

	reader->chunks = reader->local_chunks;
	reader->used = reader->local_used;
	reader->nchunks = 0;
	reader->total_slots = 0;
	reader->chunk = 0;
	reader->slot = 0;
	if (log == 0)
		return;

	/* one walk from the newest chunk: each step is a cache miss that waits for the one before */
	for (OrderLogChunk *chunk = tail_chunk(log); chunk != NULL; chunk = chunk->prev)
	{
		int64		n = reader->nchunks;

		if (n == capacity)
		{
			CHECK_FOR_INTERRUPTS();
			capacity *= 2;
			if (reader->chunks == reader->local_chunks)
			{
				reader->chunks = palloc(sizeof(OrderLogChunk *) * capacity);
				reader->used = palloc(sizeof(int32) * capacity);
				memcpy(reader->chunks, reader->local_chunks, sizeof(reader->local_chunks));
				memcpy(reader->used, reader->local_used, sizeof(reader->local_used));
			}
			else
			{
				reader->chunks = repalloc(reader->chunks, sizeof(OrderLogChunk *) * capacity);
				reader->used = repalloc(reader->used, sizeof(int32) * capacity);
			}
		}
		reader->used[n] = n == 0 ? tail_slots(log, chunk) : chunk->nslots;
		reader->total_slots += reader->used[n];
		reader->chunks[n] = chunk;
		reader->nchunks++;
	}
	for (int64 i = 0, j = reader->nchunks - 1; i < j; i++, j--)
	{
		OrderLogChunk *chunk = reader->chunks[i];
		int32		used = reader->used[i];

		reader->chunks[i] = reader->chunks[j];
		reader->used[i] = reader->used[j];
		reader->chunks[j] = chunk;
		reader->used[j] = used;
	}
}

void
order_log_reader_close(OrderLogReader *reader)
{
	if (reader->chunks != reader->local_chunks)
	{
		pfree(reader->chunks);
		pfree(reader->used);
	}
}

Datum
order_log_append_log(FunctionCallInfo fcinfo, Datum log, Datum other, const OrderLogLimit *limit)
{
	OrderLogReader reader;
	OrderLogEntry entry;

	order_log_reader_open(&reader, other);
	while (order_log_read(&reader, &entry))
		log = order_log_append(fcinfo, log, entry.at, entry.value, entry.extra, limit);
	order_log_reader_close(&reader);
	return log;
}

Datum
order_log_from_columns(const TimestampTz *times, const float8 *values, const float8 *extras,
					   int32 n)
{
	Size		size = ORDER_LOG_CHUNK_SIZE(ORDER_LOG_MAX_CLASS);
	int64		per_chunk = SLOTS_PER_CHUNK(ORDER_LOG_MAX_CLASS);
	int64		nslots = n;
	int64		slots_before = 0;
	int64		max_chunks;
	char	   *raw;
	OrderLogChunk *chunk = NULL;
	int32		i = 0;

	if (n == 0)
		return 0;
	for (int32 k = 0; extras != NULL && k < n; k++)
		nslots += order_log_entry_slots(extras[k]) - 1;

	/*
	 * Chunks of the largest class from one allocation.  A chunk is closed when fewer than two
	 * slots are left (an entry and its extra never straddle chunks), so each holds at least
	 * per_chunk - 1 slots.
	 */
	max_chunks = (nslots + per_chunk - 2) / (per_chunk - 1);
	raw = MemoryContextAllocHuge(CurrentMemoryContext, add_size(mul_size(max_chunks, size), size));
	raw = (char *) TYPEALIGN(size, raw);
	while (i < n)
	{
		OrderLogChunk *next = (OrderLogChunk *) raw;
		int32		used = 0;

		CHECK_FOR_INTERRUPTS();
		raw += size;
		next->prev = chunk;
		next->slots_before = (int32) slots_before;
		chunk = next;
		while (i < n && used + 2 <= per_chunk)
		{
			float8		extra = extras != NULL ? extras[i] : 0.0;

			order_log_put(&chunk->slots[used], times[i], values[i], extra, false);
			used += order_log_entry_slots(extra);
			i++;
		}
		chunk->nslots = used;
		slots_before += used;
	}
	return (Datum) ((uintptr_t) (chunk->slots + chunk->nslots) | (uintptr_t) ORDER_LOG_MAX_CLASS);
}
