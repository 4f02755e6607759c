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
 * Appending an order writes its slot and returns the next pointer.  When the chunk is full, its
 * slot count is written to its header (sealing it) and a new chunk, twice larger up to 4 kB,
 * is taken from the arena.
 *
 * Layout.  A chunk of 128 << class bytes (class 0..5) holds a 16-byte header (the previous
 * chunk, the number of slots used once sealed, the class) and 16-byte slots.  An order is one
 * slot (time, amount); an order with a coupon is followed in the same chunk by a second slot
 * whose time is ORDER_LOG_COUPON_MARK (an infinite time, which no order can have) and whose
 * value is the coupon.  An order costs 16 bytes, 32 with a coupon.
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
#define ORDER_LOG_CLASSES		6	/* chunks of 128 bytes to 4 kB */
#define ORDER_LOG_CLASS_MASK	((uintptr_t) (ORDER_LOG_SLOT_SIZE - 1))
#define ORDER_LOG_CHUNK_SIZE(class)	((uintptr_t) ORDER_LOG_FIRST_CHUNK << (class))
#define ORDER_LOG_COUPON_MARK	DT_NOBEGIN

typedef struct OrderLogSlot
{
	TimestampTz at;				/* or ORDER_LOG_COUPON_MARK: the coupon of the order before */
	float8		value;			/* its amount, or that coupon */
} OrderLogSlot;

typedef struct OrderLogChunk
{
	struct OrderLogChunk *prev; /* the chunk filled before this one, or NULL */
	int32		nslots;			/* slots used, once the chunk is sealed */
	int32		class;
#if SIZEOF_VOID_P == 4
	int32		padding;		/* the slots start 16 bytes in, so they are 16-byte aligned */
#endif
	OrderLogSlot slots[FLEXIBLE_ARRAY_MEMBER];
} OrderLogChunk;

StaticAssertDecl(offsetof(OrderLogChunk, slots) == ORDER_LOG_SLOT_SIZE,
				 "the low bits of a slot address must be free for the chunk class");

/*
 * Writes a slot with a non-temporal (streaming) store where the CPU has one.  A slot is written
 * once and read back only by the final function, long after; each row writes to a different
 * group's chunk, whose cache line is almost never cached.  An ordinary store must first read
 * that line from memory, and such stores fill the store buffer and stall the executor; a
 * streaming store writes around the cache.  On the large sample warehouse this takes the
 * aggregate from about 1.1 to about 0.9 times the cost of count(*), sum(amount) (x86-64, AMD
 * EPYC; bench/).  Only this process reads the slots back, so no fence is needed: a CPU sees
 * its own stores in program order.
 */
static inline void
order_log_write_slot(OrderLogSlot *slot, TimestampTz at, float8 value)
{
#ifdef ORDER_LOG_STREAMING_STORES
	int64		bits;

	memcpy(&bits, &value, sizeof(bits));
	_mm_stream_si128((__m128i *) slot, _mm_set_epi64x(bits, at));
#else
	slot->at = at;
	slot->value = value;
#endif
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
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_CLASS_MASK;
	uintptr_t	size = ORDER_LOG_CHUNK_SIZE(log & ORDER_LOG_CLASS_MASK);
	uintptr_t	chunk_end = ((tail - 1) | (size - 1)) + 1;
	OrderLogSlot *slot;

	if (unlikely(log == 0 || chunk_end - tail < (uintptr_t) slots * ORDER_LOG_SLOT_SIZE))
	{
		log = order_log_grow(fcinfo, log, slots);
		tail = (uintptr_t) log & ~ORDER_LOG_CLASS_MASK;
	}
	slot = (OrderLogSlot *) tail;
	order_log_write_slot(&slot[0], at, amount);
	if (slots == 2)
		order_log_write_slot(&slot[1], ORDER_LOG_COUPON_MARK, coupon);
	return (Datum) ((tail + slots * ORDER_LOG_SLOT_SIZE) | (log & ORDER_LOG_CLASS_MASK));
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
