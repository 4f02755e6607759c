/*
 * order_log.h
 *	  The transition state of the purchase_history aggregates: an append-only log of orders,
 *	  kept in chunks, that costs one memory write per row.
 *
 * Why not a growable array?  Orders usually arrive in time order, not customer order, so under
 * a hash aggregate each row lands in a different group whose memory is not in the CPU cache.
 * An array must read its length and capacity first (a cache miss per row) and copy itself as it
 * grows.  The log's state is instead the Datum the executor already holds per group: a pointer
 * to the next free slot, tagged in its low bits with the size class of the chunk it lies in.
 * Chunks are aligned to their size, so the pointer alone says where its chunk starts and ends.
 * Appending an order writes its slot and returns the next pointer.  When the chunk has no room
 * left for the order, the chunk is sealed (its slot count is written to its header) and a new
 * one, twice larger up to 4 kB, is taken from the arena.
 *
 * Layout.  A chunk of 128 << size class bytes (class 0..5) holds a 16-byte header and 16-byte
 * slots.  An order is one slot (time, amount); an order with a coupon is followed in the same
 * chunk by a second slot whose time is ORDER_LOG_COUPON_MARK (an infinite time, which no order
 * can have) and whose value is the coupon.  An order costs 16 bytes, 32 with a coupon.
 *
 * Memory.  Chunks are carved from slabs allocated in the aggregate's memory context; an arena
 * per (function call site, context) remembers the slabs in use and is forgotten when that
 * context is reset, through a reset callback.
 */
#ifndef PROFILING_ORDER_LOG_H
#define PROFILING_ORDER_LOG_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"

#include "purchase_history.h"

/* x86-64 always has SSE2, whose streaming stores order_log_write_slot uses */
#if defined(__x86_64__) || defined(_M_AMD64)
#include <emmintrin.h>
#define ORDER_LOG_STREAMING_STORES
#endif

#define ORDER_LOG_SLOT_SIZE		16
/* 128 bytes, 7 slots: one chunk holds most customers of a few orders, a cache miss less to read */
#define ORDER_LOG_FIRST_CHUNK	128
#define ORDER_LOG_SIZE_CLASSES	6	/* chunks of 128 bytes to 4 kB */
#define ORDER_LOG_CHUNK_SIZE(size_class)	((uintptr_t) ORDER_LOG_FIRST_CHUNK << (size_class))
#define ORDER_LOG_COUPON_MARK	DT_NOBEGIN

/* The tag in the low bits of a log's tail pointer (slots are 16-byte aligned). */
#define ORDER_LOG_TAG_MASK		((uintptr_t) (ORDER_LOG_SLOT_SIZE - 1))
#define ORDER_LOG_CLASS_MASK	((uintptr_t) 7)
#define ORDER_LOG_STREAMING		((uintptr_t) 8) /* write slots with streaming stores */

typedef struct OrderLogSlot
{
	TimestampTz at;				/* or ORDER_LOG_COUPON_MARK: the coupon of the order before */
	float8		value;			/* its amount, or that coupon */
} OrderLogSlot;

typedef struct OrderLogChunk
{
	struct OrderLogChunk *prev; /* the chunk filled before this one, or NULL */
	int32		nslots;			/* slots used, once the chunk is sealed */
	int32		slots_before;	/* at least the slots of the older chunks: bounds a log's size */
#if SIZEOF_VOID_P == 4
	int32		padding;		/* the slots start 16 bytes in, so they are 16-byte aligned */
#endif
	OrderLogSlot slots[FLEXIBLE_ARRAY_MEMBER];
} OrderLogChunk;

StaticAssertDecl(offsetof(OrderLogChunk, slots) == ORDER_LOG_SLOT_SIZE,
				 "the low bits of a slot address must be free for the tag");

/*
 * Writes a slot.  Under a hash aggregate (ORDER_LOG_STREAMING), with a CPU that has them, it
 * is a non-temporal (streaming) store: each row writes to a different group's chunk, a cache
 * line that is almost never cached and is read back only by the final function, after every
 * row.  An ordinary store must first read that line from memory, and such stores fill the
 * store buffer and stall the executor; a streaming store writes around the cache.  On the
 * large sample warehouse this takes the aggregate from about 1.1 to about 0.9 times the cost
 * of count(*), sum(amount) (x86-64, AMD EPYC; bench/).  A sorted aggregate reads its group
 * back at once, from the cache, so it keeps ordinary stores.  Only this backend reads the
 * slots, and it sees its own stores in program order (the kernel fences when it moves the
 * process to another CPU), so no fence is needed.
 */
static inline void
order_log_write_slot(OrderLogSlot *slot, TimestampTz at, float8 value, bool streaming)
{
#ifdef ORDER_LOG_STREAMING_STORES
	if (streaming)
	{
		int64		bits;

		memcpy(&bits, &value, sizeof(bits));
		_mm_stream_si128((__m128i *) slot, _mm_set_epi64x(bits, at));
		return;
	}
#endif
	slot->at = at;
	slot->value = value;
}

/* Starts a log or moves it to a new chunk with room for `slots` slots; returns the new tail. */
extern Datum order_log_grow(FunctionCallInfo fcinfo, Datum log, int slots);

/*
 * Appends a valid order (see ph_check_order) to the log of this group; log is 0 for a group
 * that has none yet.  Must be called from an aggregate support function: new chunks live in
 * the aggregate's memory context.
 */
static inline Datum
order_log_append(FunctionCallInfo fcinfo, Datum log, TimestampTz at, float8 amount,
				 float8 coupon)
{
	int			slots = coupon != 0 ? 2 : 1;
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;
	uintptr_t	size = ORDER_LOG_CHUNK_SIZE(log & ORDER_LOG_CLASS_MASK);
	uintptr_t	chunk_end = ((tail - 1) | (size - 1)) + 1;
	bool		streaming;
	OrderLogSlot *slot;

	if (unlikely(log == 0 || chunk_end - tail < (uintptr_t) slots * ORDER_LOG_SLOT_SIZE))
	{
		log = order_log_grow(fcinfo, log, slots);
		tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;
	}
	streaming = (log & ORDER_LOG_STREAMING) != 0;
	slot = (OrderLogSlot *) tail;
	order_log_write_slot(&slot[0], at, amount, streaming);
	if (slots == 2)
		order_log_write_slot(&slot[1], ORDER_LOG_COUPON_MARK, coupon, streaming);
	return (Datum) ((tail + slots * ORDER_LOG_SLOT_SIZE) | (log & ORDER_LOG_TAG_MASK));
}

/* Appends every order of a (valid) summary. */
extern Datum order_log_append_history(FunctionCallInfo fcinfo, Datum log,
									  const PurchaseHistory *ph);

/* Appends every order of another log (0: none), which is only read. */
extern Datum order_log_append_log(FunctionCallInfo fcinfo, Datum log, Datum other);

/* The orders of a log (0: none), oldest chunk first, in a new list in the current context. */
extern PhOrders *order_log_orders(Datum log);

/* A log holding the orders of a summary, in the current memory context (deserialization). */
extern Datum order_log_from_history(const PurchaseHistory *ph);

#endif							/* PROFILING_ORDER_LOG_H */
