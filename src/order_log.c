/*
 * order_log.c
 *	  The chunked order log behind the purchase_history aggregates (see order_log.h): the arena
 *	  that hands out size-aligned chunks, growing a log, and reading it back.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "nodes/execnodes.h"
#include "utils/memutils.h"

#include "order_log.h"

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

/* No valid summary needs more slots than this (every order with a coupon): a log's bound. */
#define MAX_LOG_SLOTS			((int64) PH_MAX_ORDERS * 2)

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
 * no order, so that streaming stores pay (see order_log_write_slot).
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
order_log_grow(FunctionCallInfo fcinfo, Datum log, int slots)
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
		streaming = in_hash_aggregate(fcinfo, aggcontext) ? ORDER_LOG_STREAMING : 0;
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
		if (slots_before > MAX_LOG_SLOTS)
			ph_error_too_many_orders();
	}
	chunk = arena_chunk(arena_for(fcinfo->flinfo, aggcontext), size_class);
	chunk->prev = prev;
	chunk->nslots = 0;
	chunk->slots_before = (int32) slots_before;
	Assert(slots <= SLOTS_PER_CHUNK(0));
	return (Datum) ((uintptr_t) chunk->slots | (uintptr_t) size_class | streaming);
}

/*
 * The chunks of a log, oldest first, and the slots each uses: read in this order, orders that
 * arrived in time order come out sorted.
 */
typedef struct ChunkList
{
	OrderLogChunk **chunks;
	int32	   *used;
	int64		n;
	int64		total_slots;
	/* room for the few chunks of most logs: the final reads a log per group, no palloc */
	OrderLogChunk *local_chunks[16];
	int32		local_used[16];
} ChunkList;

static void
chunk_list_read(ChunkList *list, Datum log)
{
	int64		capacity = lengthof(list->local_chunks);

	list->chunks = list->local_chunks;
	list->used = list->local_used;
	list->n = 0;
	list->total_slots = 0;
	if (log == 0)
		return;

	/* one walk from the newest chunk: each step is a cache miss that waits for the one before */
	for (OrderLogChunk *chunk = tail_chunk(log); chunk != NULL; chunk = chunk->prev)
	{
		if (list->n == capacity)
		{
			CHECK_FOR_INTERRUPTS();
			capacity *= 2;
			if (list->chunks == list->local_chunks)
			{
				list->chunks = palloc(sizeof(OrderLogChunk *) * capacity);
				list->used = palloc(sizeof(int32) * capacity);
				memcpy(list->chunks, list->local_chunks, sizeof(list->local_chunks));
				memcpy(list->used, list->local_used, sizeof(list->local_used));
			}
			else
			{
				list->chunks = repalloc(list->chunks, sizeof(OrderLogChunk *) * capacity);
				list->used = repalloc(list->used, sizeof(int32) * capacity);
			}
		}
		list->used[list->n] = list->n == 0 ? tail_slots(log, chunk) : chunk->nslots;
		list->total_slots += list->used[list->n];
		list->chunks[list->n++] = chunk;
	}
	for (int64 i = 0, j = list->n - 1; i < j; i++, j--)
	{
		OrderLogChunk *chunk = list->chunks[i];
		int32		used = list->used[i];

		list->chunks[i] = list->chunks[j];
		list->used[i] = list->used[j];
		list->chunks[j] = chunk;
		list->used[j] = used;
	}
}

static void
chunk_list_free(ChunkList *list)
{
	if (list->chunks != list->local_chunks)
	{
		pfree(list->chunks);
		pfree(list->used);
	}
}

Datum
order_log_append_history(FunctionCallInfo fcinfo, Datum log, const PurchaseHistory *ph)
{
	const int64 *times = PH_TIMES(ph);
	const float8 *amounts = PH_AMOUNTS(ph);

	for (int32 i = 0; i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		log = order_log_append(fcinfo, log, times[i], amounts[i], PH_COUPON(ph, i));
	}
	return log;
}

Datum
order_log_append_log(FunctionCallInfo fcinfo, Datum log, Datum other)
{
	ChunkList	list;

	chunk_list_read(&list, other);
	for (int64 c = 0; c < list.n; c++)
	{
		const OrderLogSlot *slots = list.chunks[c]->slots;
		int32		used = list.used[c];

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < used; i++)
		{
			bool		coupon = i + 1 < used && slots[i + 1].at == ORDER_LOG_COUPON_MARK;

			log = order_log_append(fcinfo, log, slots[i].at, slots[i].value,
								   coupon ? slots[i + 1].value : 0.0);
			i += coupon;
		}
	}
	chunk_list_free(&list);
	return log;
}

PhOrders *
order_log_orders(Datum log)
{
	ChunkList	list;
	PhOrders   *orders;
	int32		capacity;

	chunk_list_read(&list, log);
	/* slots bound the orders from above; a log can hold more orders than a summary may */
	capacity = (int32) Min(list.total_slots, (int64) PH_MAX_ORDERS);
	orders = ph_orders_create(capacity);
	for (int64 c = 0; c < list.n; c++)
	{
		const OrderLogSlot *slots = list.chunks[c]->slots;
		int32		used = list.used[c];

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < used; i++)
		{
			PhOrder    *item;

			if (slots[i].at == ORDER_LOG_COUPON_MARK)
			{
				orders->items[orders->n - 1].coupon = slots[i].value;
				continue;
			}
			if (orders->n == capacity)
				ph_error_too_many_orders();
			item = &orders->items[orders->n++];
			item->at = slots[i].at;
			item->amount = slots[i].value;
			item->coupon = 0.0;
		}
	}
	chunk_list_free(&list);
	return orders;
}

Datum
order_log_from_history(const PurchaseHistory *ph)
{
	Size		size = ORDER_LOG_CHUNK_SIZE(ORDER_LOG_MAX_CLASS);
	int64		per_chunk = SLOTS_PER_CHUNK(ORDER_LOG_MAX_CLASS);
	int64		nslots = ph->norders;
	int64		slots_before = 0;
	int64		max_chunks;
	char	   *raw;
	OrderLogChunk *chunk = NULL;
	const int64 *times = PH_TIMES(ph);
	const float8 *amounts = PH_AMOUNTS(ph);
	int32		i = 0;

	if (ph->norders == 0)
		return 0;
	for (int32 k = 0; PH_HAS_COUPONS(ph) && k < ph->norders; k++)
		nslots += PH_COUPONS(ph)[k] != 0;

	/*
	 * Chunks of the largest class from one allocation.  A chunk is closed when fewer than two
	 * slots are left (an order and its coupon never straddle chunks), so each holds at least
	 * per_chunk - 1 slots.
	 */
	max_chunks = (nslots + per_chunk - 2) / (per_chunk - 1);
	raw = MemoryContextAllocHuge(CurrentMemoryContext, add_size(mul_size(max_chunks, size), size));
	raw = (char *) TYPEALIGN(size, raw);
	while (i < ph->norders)
	{
		OrderLogChunk *next = (OrderLogChunk *) raw;
		int32		used = 0;

		CHECK_FOR_INTERRUPTS();
		raw += size;
		next->prev = chunk;
		next->slots_before = (int32) slots_before;
		chunk = next;
		while (i < ph->norders && used + 2 <= per_chunk)
		{
			float8		coupon = PH_COUPON(ph, i);

			chunk->slots[used].at = times[i];
			chunk->slots[used++].value = amounts[i];
			if (coupon != 0)
			{
				chunk->slots[used].at = ORDER_LOG_COUPON_MARK;
				chunk->slots[used++].value = coupon;
			}
			i++;
		}
		chunk->nslots = used;
		slots_before += used;
	}
	return (Datum) ((uintptr_t) (chunk->slots + chunk->nslots) | (uintptr_t) ORDER_LOG_MAX_CLASS);
}
