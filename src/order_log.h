/*
 * order_log.h
 *	  A per-group log of timed entries, (time, value [, extra value]), for aggregates whose
 *	  transition state collects every row of a group: a customer's orders for purchase
 *	  histories, and later interactions, per-product purchases...  It knows chunks and slots and
 *	  nothing of what the entries mean; each room reads its log back into its own summary.
 *
 * Why not a growable array?  Rows usually arrive in time order, not group order, so under a
 * hash aggregate each row lands in a different group whose memory is not in the CPU cache.
 * An array must read its length and capacity first (a cache miss per row) and copy itself as it
 * grows.  The log's state is instead the Datum the executor already holds per group: a pointer
 * to the next free slot, tagged in its low bits with the size class of the chunk it lies in.
 * Chunks are aligned to their size, so the pointer alone says where its chunk starts and ends.
 * Appending an entry writes its slot and returns the next pointer.  When the chunk has no room
 * left for the entry, the chunk is sealed (its slot count is written to its header) and a new
 * one, twice larger up to 4 kB, is taken from the arena.
 *
 * Layout.  A chunk of 32 << size class bytes (class 0..7) holds a 16-byte header and 16-byte
 * slots.  A room chooses the class of a log's first chunk (OrderLogLimit.first_class).  An entry is one slot (time, value); an entry with a non-zero extra value is followed
 * in the same chunk by a second slot whose time is ORDER_LOG_EXTRA_MARK (an infinite time, which
 * no entry may have) and whose value is the extra.  The slot format is written by
 * order_log_put and read by order_log_read, and nowhere else.
 *
 * Memory.  Chunks are carved from slabs allocated in the aggregate's memory context; an arena
 * per (function call site, context) remembers the slabs in use and is forgotten when that
 * context is reset, through a reset callback.
 *
 * Ground floor: calls into no room (errors go through the summary kit).
 */
#ifndef PROFILING_ORDER_LOG_H
#define PROFILING_ORDER_LOG_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "miscadmin.h"

#define ORDER_LOG_SLOT_SIZE		16
#define ORDER_LOG_SMALLEST_CHUNK	32	/* a header and one slot */
#define ORDER_LOG_SIZE_CLASSES	8	/* chunks of 32 bytes to 4 kB */
#define ORDER_LOG_CHUNK_SIZE(size_class)	((uintptr_t) ORDER_LOG_SMALLEST_CHUNK << (size_class))

/*
 * First chunks.  128 bytes, 7 slots: one chunk holds most groups of a few entries (a
 * customer's orders, interactions), a cache miss less to read.  32 bytes, one slot: for groups
 * that mostly hold one entry (a customer's purchases of one product), where a larger first
 * chunk would be mostly empty and a hash aggregate of millions of groups would spill.
 */
#define ORDER_LOG_FIRST_CLASS_FEW	2
#define ORDER_LOG_FIRST_CLASS_ONE	0
#define ORDER_LOG_EXTRA_MARK	DT_NOBEGIN

/* The tag in the low bits of a log's tail pointer (slots are 16-byte aligned). */
#define ORDER_LOG_TAG_MASK		((uintptr_t) (ORDER_LOG_SLOT_SIZE - 1))
#define ORDER_LOG_CLASS_MASK	((uintptr_t) 7)
#define ORDER_LOG_STREAMING		((uintptr_t) 8) /* write slots with streaming stores */
StaticAssertDecl(ORDER_LOG_SIZE_CLASSES - 1 <= ORDER_LOG_CLASS_MASK,
				 "every size class must fit in the tag");

/* A log is this Datum; 0 is the log of a group that has none yet. */
#define PG_GETARG_ORDER_LOG(n)	(PG_ARGISNULL(n) ? (Datum) 0 : PG_GETARG_DATUM(n))

/* One entry, as appended and as read back; extra is 0 when the entry has none. */
typedef struct OrderLogEntry
{
	TimestampTz at;
	float8		value;
	float8		extra;
} OrderLogEntry;

/*
 * What a room allows in one group: a log refuses to grow beyond the slots of max_entries
 * entries (each with an extra), so that a runaway group fails early instead of filling memory.
 * The names make the error read as the room's own ("too many orders for one purchase history").
 */
typedef struct OrderLogLimit
{
	int64		max_entries;
	const char *entries;		/* "orders" */
	const char *summary_name;	/* "purchase history" */
	int			first_class;	/* of a log's first chunk: ORDER_LOG_FIRST_CLASS_* */
} OrderLogLimit;

typedef struct OrderLogSlot
{
	TimestampTz at;				/* or ORDER_LOG_EXTRA_MARK: the extra of the entry before */
	float8		value;			/* its value, or that extra */
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
 * CPU-specific code, chosen here and nowhere else: a streaming (non-temporal) store where the
 * CPU has one (x86-64 always has SSE2), a plain store elsewhere, where the log never asks for
 * streaming (ORDER_LOG_HAS_STREAMING_STORES is false).
 *
 * Why streaming: under a hash aggregate each row writes to a different group's chunk, a cache
 * line that is almost never cached and is read back only by the final function, after every
 * row.  An ordinary store must first read that line from memory, and such stores fill the
 * store buffer and stall the executor; a streaming store writes around the cache (README,
 * Performance, has the measured effect).  A sorted aggregate reads its group back at once,
 * from the cache, so it keeps ordinary stores.  Only this backend reads the slots, and it sees
 * its own stores in program order (the kernel fences when it moves the process to another
 * CPU), so no fence is needed.
 */
#if defined(__x86_64__) || defined(_M_AMD64)
#include <emmintrin.h>
#define ORDER_LOG_HAS_STREAMING_STORES true

static inline void
order_log_store_streaming(OrderLogSlot *slot, TimestampTz at, float8 value)
{
	int64		bits;

	memcpy(&bits, &value, sizeof(bits));
	_mm_stream_si128((__m128i *) slot, _mm_set_epi64x(bits, at));
}
#else
#define ORDER_LOG_HAS_STREAMING_STORES false

static inline void
order_log_store_streaming(OrderLogSlot *slot, TimestampTz at, float8 value)
{
	slot->at = at;
	slot->value = value;
}
#endif

/* Slots an entry takes. */
static inline int
order_log_entry_slots(float8 extra)
{
	return extra != 0 ? 2 : 1;
}

/* Writes an entry at slot (room for order_log_entry_slots(extra) slots); the slot format. */
static inline void
order_log_put(OrderLogSlot *slot, TimestampTz at, float8 value, float8 extra, bool streaming)
{
	if (streaming)
	{
		order_log_store_streaming(&slot[0], at, value);
		if (extra != 0)
			order_log_store_streaming(&slot[1], ORDER_LOG_EXTRA_MARK, extra);
		return;
	}
	slot[0].at = at;
	slot[0].value = value;
	if (extra != 0)
	{
		slot[1].at = ORDER_LOG_EXTRA_MARK;
		slot[1].value = extra;
	}
}

/* Starts a log or moves it to a new chunk with room for `slots` slots; returns the new tail. */
extern Datum order_log_grow(FunctionCallInfo fcinfo, Datum log, int slots,
							const OrderLogLimit *limit);

/*
 * Appends an entry to the log of this group (0: a group that has none yet) and returns the
 * log.  at must be finite: the caller has validated the entry.  Must be called from an
 * aggregate support function: new chunks live in the aggregate's memory context.
 */
static inline Datum
order_log_append(FunctionCallInfo fcinfo, Datum log, TimestampTz at, float8 value,
				 float8 extra, const OrderLogLimit *limit)
{
	int			slots = order_log_entry_slots(extra);
	uintptr_t	tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;
	uintptr_t	size = ORDER_LOG_CHUNK_SIZE(log & ORDER_LOG_CLASS_MASK);
	uintptr_t	chunk_end = ((tail - 1) | (size - 1)) + 1;

	if (unlikely(log == 0 || chunk_end - tail < (uintptr_t) slots * ORDER_LOG_SLOT_SIZE))
	{
		log = order_log_grow(fcinfo, log, slots, limit);
		tail = (uintptr_t) log & ~ORDER_LOG_TAG_MASK;
	}
	order_log_put((OrderLogSlot *) tail, at, value, extra, (log & ORDER_LOG_STREAMING) != 0);
	return (Datum) ((tail + slots * ORDER_LOG_SLOT_SIZE) | (log & ORDER_LOG_TAG_MASK));
}

/* Appends every entry of another log (0: none), which is only read. */
extern Datum order_log_append_log(FunctionCallInfo fcinfo, Datum log, Datum other,
								  const OrderLogLimit *limit);

/*
 * A log holding n entries given as columns (extras NULL: none), in the current memory context:
 * a deserialized state.  Entries must be valid, as for order_log_append.
 */
extern Datum order_log_from_columns(const TimestampTz *times, const float8 *values,
									const float8 *extras, int32 n);

/* ---------------------------------------------------------------------------------------------
 * Reading a log back, oldest chunk first: entries appended in time order come out in time
 * order.
 * ---------------------------------------------------------------------------------------------
 */

#define ORDER_LOG_READER_LOCAL_CHUNKS 16

typedef struct OrderLogReader
{
	OrderLogChunk **chunks;		/* oldest first */
	int32	   *used;			/* slots used in each */
	int64		nchunks;
	int64		total_slots;	/* an upper bound of the entries */
	int64		chunk;			/* reading position */
	int32		slot;
	/* room for the few chunks of most logs: the final reads a log per group, no palloc */
	OrderLogChunk *local_chunks[ORDER_LOG_READER_LOCAL_CHUNKS];
	int32		local_used[ORDER_LOG_READER_LOCAL_CHUNKS];
} OrderLogReader;

extern void order_log_reader_open(OrderLogReader *reader, Datum log);
extern void order_log_reader_close(OrderLogReader *reader);

/* The next entry into *entry, or false at the end. */
static inline bool
order_log_read(OrderLogReader *reader, OrderLogEntry *entry)
{
	while (reader->chunk < reader->nchunks)
	{
		const OrderLogSlot *slots = reader->chunks[reader->chunk]->slots;
		int32		used = reader->used[reader->chunk];
		int32		i = reader->slot;

		if (likely(i < used))
		{
			entry->at = slots[i].at;
			entry->value = slots[i].value;
			entry->extra = 0.0;
			i++;
			if (i < used && slots[i].at == ORDER_LOG_EXTRA_MARK)
				entry->extra = slots[i++].value;
			reader->slot = i;
			return true;
		}
		reader->chunk++;
		reader->slot = 0;
		CHECK_FOR_INTERRUPTS();
	}
	return false;
}

#endif							/* PROFILING_ORDER_LOG_H */
