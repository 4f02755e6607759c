/*
 * order_log.c
 *	  The chunked order log behind the purchase_history aggregates (see order_log.h): the arena
 *	  that hands out size-aligned chunks, growing a log, and reading it back.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/memutils.h"

#include "order_log.h"

#define ORDER_LOG_MAX_CLASS		(ORDER_LOG_CLASSES - 1)
#define FIRST_SLAB_SIZE			1024	/* small, so a sorted aggregate reset per group stays cheap */
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
	char	   *free[ORDER_LOG_CLASSES];	/* next chunk of each class, aligned */
	char	   *end[ORDER_LOG_CLASSES];
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
arena_chunk(OrderLogArena *arena, int class)
{
	Size		size = ORDER_LOG_CHUNK_SIZE(class);
	OrderLogChunk *chunk;

	if (arena->free[class] == NULL || arena->end[class] - arena->free[class] < (ptrdiff_t) size)
	{
		Size		slab = Max(arena->next_slab_size, size * 4);
		char	   *raw = MemoryContextAlloc(arena->context, slab + size);

		/* the slack of `size` bytes makes room to align the first chunk */
		arena->free[class] = (char *) TYPEALIGN(size, raw);
		arena->end[class] = raw + slab + size;
		arena->next_slab_size = Min(arena->next_slab_size * 2, MAX_SLAB_SIZE);
	}
	chunk = (OrderLogChunk *) arena->free[class];
	arena->free[class] += size;
	return chunk;
}

static inline OrderLogChunk *
tail_chunk(Datum log)
{
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_CLASS_MASK;
	uintptr_t	size = ORDER_LOG_CHUNK_SIZE(log & ORDER_LOG_CLASS_MASK);

	/* tail - 1: a full chunk's tail is the first byte after it */
	return (OrderLogChunk *) ((tail - 1) & ~(size - 1));
}

static inline int32
tail_slots(Datum log, const OrderLogChunk *chunk)
{
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_CLASS_MASK;

	return (int32) ((tail - (uintptr_t) chunk->slots) / ORDER_LOG_SLOT_SIZE);
}

static inline Datum
tagged(OrderLogSlot *slot, int class)
{
	return (Datum) ((uintptr_t) slot | (uintptr_t) class);
}

Datum
order_log_grow(FunctionCallInfo fcinfo, Datum log, int slots)
{
	MemoryContext aggcontext;
	OrderLogChunk *prev = NULL;
	OrderLogChunk *chunk;
	int			class = 0;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		elog(ERROR, "order_log_grow called outside an aggregate");
	if (log != 0)
	{
		/* seal the full chunk: its slot count is no longer in the tail pointer */
		prev = tail_chunk(log);
		prev->nslots = tail_slots(log, prev);
		/* the class from the tag, not the header: the full chunk is written, never read */
		class = Min((int) (log & ORDER_LOG_CLASS_MASK) + 1, ORDER_LOG_MAX_CLASS);
	}
	chunk = arena_chunk(arena_for(fcinfo->flinfo, aggcontext), class);
	chunk->prev = prev;
	chunk->nslots = 0;
	chunk->class = class;
	Assert(slots * ORDER_LOG_SLOT_SIZE <= ORDER_LOG_CHUNK_SIZE(0) - offsetof(OrderLogChunk, slots));
	return tagged(chunk->slots, class);
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
	if (other == 0)
		return log;
	for (OrderLogChunk *chunk = tail_chunk(other); chunk != NULL; chunk = chunk->prev)
	{
		int32		used = chunk == tail_chunk(other) ? tail_slots(other, chunk) : chunk->nslots;
		const OrderLogSlot *slots = chunk->slots;

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < used; i++)
		{
			bool		coupon = i + 1 < used && slots[i + 1].at == ORDER_LOG_COUPON_MARK;

			log = order_log_append(fcinfo, log, slots[i].at, slots[i].value,
								   coupon ? slots[i + 1].value : 0.0);
			i += coupon;
		}
	}
	return log;
}

PhOrders *
order_log_orders(Datum log)
{
	OrderLogChunk *local[16];
	OrderLogChunk **chunks = local;
	int64		max_chunks = lengthof(local);
	int64		nchunks = 0;
	int64		nslots = 0;
	PhOrders   *orders;

	if (log == 0)
		return ph_orders_create(0);

	/* one walk from the newest chunk: each step is a cache miss that waits for the one before */
	for (OrderLogChunk *chunk = tail_chunk(log); chunk != NULL; chunk = chunk->prev)
	{
		if (nchunks == max_chunks)
		{
			max_chunks *= 2;
			if (chunks == local)
			{
				chunks = palloc(sizeof(OrderLogChunk *) * max_chunks);
				memcpy(chunks, local, sizeof(local));
			}
			else
				chunks = repalloc(chunks, sizeof(OrderLogChunk *) * max_chunks);
		}
		nslots += nchunks == 0 ? tail_slots(log, chunk) : chunk->nslots;
		chunks[nchunks++] = chunk;
	}
	if (nslots > PH_MAX_ORDERS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many orders for one purchase history"),
				 errdetail("The limit is %d orders per summary.", PH_MAX_ORDERS)));

	/* oldest chunk first, so orders that arrived in time order come out sorted */
	orders = ph_orders_create((int32) nslots);
	for (int64 c = nchunks - 1; c >= 0; c--)
	{
		int32		used = c == 0 ? tail_slots(log, chunks[0]) : chunks[c]->nslots;
		const OrderLogSlot *slots = chunks[c]->slots;

		CHECK_FOR_INTERRUPTS();
		for (int32 i = 0; i < used; i++)
		{
			PhOrder    *item;

			if (slots[i].at == ORDER_LOG_COUPON_MARK)
			{
				orders->items[orders->n - 1].coupon = slots[i].value;
				continue;
			}
			item = &orders->items[orders->n++];
			item->at = slots[i].at;
			item->amount = slots[i].value;
			item->coupon = 0.0;
		}
	}
	orders->sorted = orders->n <= 1;
	if (chunks != local)
		pfree(chunks);
	return orders;
}

Datum
order_log_from_history(const PurchaseHistory *ph)
{
	Size		size = ORDER_LOG_CHUNK_SIZE(ORDER_LOG_MAX_CLASS);
	int64		per_chunk = (size - offsetof(OrderLogChunk, slots)) / ORDER_LOG_SLOT_SIZE;
	int64		nslots = ph->norders;
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

		raw += size;
		next->prev = chunk;
		next->class = ORDER_LOG_MAX_CLASS;
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
	}
	return tagged(chunk->slots + chunk->nslots, ORDER_LOG_MAX_CLASS);
}
