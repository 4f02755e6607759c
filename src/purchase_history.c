/*
 * purchase_history.c
 *	  The purchase_history type's core (see purchase_history.h): reading a value safely,
 *	  validating orders, the canonical form built from a list of orders, slicing by time, and the
 *	  binary form (written by send and serialize, read by recv and deserialize).
 *
 * The canonical form: orders sorted by (time, amount, coupon), -0 stored as +0, and the coupon
 * column present exactly when some coupon is non-zero.  Every path that makes a value (the
 * aggregates, text and binary input, slicing) ends here, so equal multisets of orders give
 * identical bytes.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "purchase_history.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.  The check reads the 16-byte header only.
 */
void
ph_check_header(const PurchaseHistory *ph)
{
	summary_check_version(PH_TYPE_NAME, ph->version, PH_FORMAT_VERSION);
	if ((ph->flags & ~PH_KNOWN_FLAGS) != 0 || ph->reserved1 != 0 || ph->reserved2 != 0 ||
		ph->norders < 0 || ph->norders > PH_MAX_ORDERS)
		summary_error_corrupted(PH_TYPE_NAME);
}

/* A stored value's header, and its full size (with a 4-byte varlena header), hold together. */
static void
check_stored(const PurchaseHistory *ph, Size size)
{
	if (size < PH_HEADER_SIZE)
		summary_error_corrupted(PH_TYPE_NAME);
	ph_check_header(ph);
	if (size != ph_size(ph->norders, PH_HAS_COUPONS(ph)))
		summary_error_corrupted(PH_TYPE_NAME);
}

PurchaseHistory *
ph_detoast(Datum datum)
{
	PurchaseHistory *ph = (PurchaseHistory *) PG_DETOAST_DATUM(datum);

	check_stored(ph, VARSIZE(ph));
	return ph;
}

/*
 * The order count of a stored value, from its header alone: a large summary kept out of line
 * (TOAST) is not fetched whole.  Its size is known without fetching it, so a value whose end is
 * missing is found as corrupted here too.
 */
int32
ph_stored_count(Datum datum)
{
	Size		size = toast_raw_datum_size(datum);
	PurchaseHistory *ph = (PurchaseHistory *) PG_DETOAST_DATUM_SLICE(datum, 0, PH_HEADER_SIZE);

	check_stored(ph, size);
	return ph->norders;
}

/* ---------------------------------------------------------------------------------------------
 * Validating orders
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The detail names the order's time, so that the row can be found among millions (README,
 * Troubleshooting, lists them before aggregating).
 */
void
ph_check_order(TimestampTz at, float8 amount, float8 coupon)
{
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];
	char		time[MAXDATELEN + 1];
	const char *number;

	calendar_check_order_time(at);
	if (isfinite(amount) && amount >= 0 && isfinite(coupon) && coupon >= 0)
		return;
	calendar_utc_text(at, false, time);
	if (!isfinite(amount) || amount < 0)
	{
		number = summary_float8_text(amount, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid order amount \"%s\"", number),
				 errdetail("The order at %s has amount %s. Order amounts must be finite numbers, zero or more.",
						   time, number),
				 amount < 0 ?
				 errhint("Returns and cancellations are not purchases: leave them out, or net them into the orders they reverse.") : 0));
	}
	number = summary_float8_text(coupon, buf);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid coupon amount \"%s\"", number),
			 errdetail("The order at %s has coupon amount %s. Coupon amounts must be finite numbers, zero or more.",
					   time, number)));
}

/* ---------------------------------------------------------------------------------------------
 * Building values
 * ---------------------------------------------------------------------------------------------
 */

Size
ph_size(int32 norders, bool coupons)
{
	Size		width = sizeof(int64) + sizeof(float8) + (coupons ? sizeof(float8) : 0);

	if (norders < 0 || norders > PH_MAX_ORDERS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a purchase history cannot hold %d orders", norders),
				 errdetail("The limit is %d orders per summary.", PH_MAX_ORDERS)));
	return add_size(PH_HEADER_SIZE, mul_size(width, norders));
}

/* An empty summary value for norders orders. */
PurchaseHistory *
ph_allocate(int32 norders, bool coupons)
{
	Size		size = ph_size(norders, coupons);
	PurchaseHistory *ph = palloc(size);

	/* only the header is zeroed: every caller writes all of the columns */
	memset(ph, 0, PH_HEADER_SIZE);
	SET_VARSIZE(ph, size);
	ph->version = PH_FORMAT_VERSION;
	ph->flags = coupons ? PH_FLAG_COUPONS : 0;
	ph->norders = norders;
	return ph;
}

/* Does any of coupons[from, to) differ from 0?  Decides whether a coupon column is written. */
bool
ph_any_coupon(const float8 *coupons, int32 from, int32 to)
{
	for (int32 i = from; i < to; i++)
		if (coupons[i] != 0)
			return true;
	return false;
}

void
ph_error_too_many_orders(void)
{
	summary_error_too_many("orders", "purchase history", PH_MAX_ORDERS);
}

/* ---------------------------------------------------------------------------------------------
 * The order list and the canonical summary of it
 * ---------------------------------------------------------------------------------------------
 */

/* A specialised sort (no comparator calls through a pointer): sorting is the final's work. */
#define ST_SORT ph_sort_orders
#define ST_ELEMENT_TYPE PhOrder
#define ST_COMPARE(a, b) ph_order_cmp(a, b)
#define ST_SCOPE static
#define ST_CHECK_FOR_INTERRUPTS
#define ST_DEFINE
#include "lib/sort_template.h"

PhOrders *
ph_orders_create(int32 capacity)
{
	PhOrders   *orders;

	capacity = Max(capacity, 4);
	orders = palloc(offsetof(PhOrders, items) + sizeof(PhOrder) * capacity);
	orders->n = 0;
	orders->capacity = capacity;
	return orders;
}

/* Room for `more` orders; the list stays in the memory context it was created in, but moves. */
static PhOrders *
ph_orders_reserve(PhOrders *orders, int32 more)
{
	int64		needed = (int64) orders->n + more;
	int64		capacity;

	if (likely(needed <= orders->capacity))
		return orders;
	if (needed > PH_MAX_ORDERS)
		ph_error_too_many_orders();
	capacity = Min(Max(needed, (int64) orders->capacity * 2), (int64) PH_MAX_ORDERS);
	orders = repalloc(orders, offsetof(PhOrders, items) + sizeof(PhOrder) * capacity);
	orders->capacity = (int32) capacity;
	return orders;
}

/* Appends one order after checking it; -0 is stored as +0 so the bytes are canonical. */
PhOrders *
ph_orders_append(PhOrders *orders, TimestampTz at, float8 amount, float8 coupon)
{
	PhOrder    *item;

	ph_check_order_fast(at, amount, coupon);
	orders = ph_orders_reserve(orders, 1);
	item = &orders->items[orders->n];
	item->at = at;
	item->amount = amount + 0.0;
	item->coupon = coupon + 0.0;
	orders->n++;
	return orders;
}

/* The canonical summary of a list of orders (sorts the list in place). */
PurchaseHistory *
ph_from_orders(PhOrders *orders)
{
	bool		coupons = false;
	PurchaseHistory *ph;
	int64	   *times;
	float8	   *amounts;
	float8	   *coupon_column;

	/* orders that are already in order cost one pass: the sort checks that first */
	CHECK_FOR_INTERRUPTS();
	ph_sort_orders(orders->items, orders->n);
	for (int32 i = 0; i < orders->n && !coupons; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		coupons = orders->items[i].coupon != 0;
	}

	ph = ph_allocate(orders->n, coupons);
	times = PH_TIMES(ph);
	amounts = PH_AMOUNTS(ph);
	coupon_column = PH_COUPON_COLUMN(ph);
	/* tens of millions of orders take a second here, most of it the kernel's first touch */
	for (int32 i = 0; i < orders->n; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		times[i] = orders->items[i].at;
		amounts[i] = orders->items[i].amount;
		if (coupons)
			coupon_column[i] = orders->items[i].coupon;
	}
	return ph;
}

/* ---------------------------------------------------------------------------------------------
 * Slicing by time
 * ---------------------------------------------------------------------------------------------
 */

/* How many orders are before t (at or before t when inclusive): a binary search. */
int32
ph_count_before(const PurchaseHistory *ph, TimestampTz t, bool inclusive)
{
	return calendar_count_before(PH_TIMES(ph), ph->norders, t, inclusive);
}

/* The orders inside a tstzrange, its bounds honoured: orders [*from, *to), none when empty. */
void
ph_range_indices(const PurchaseHistory *ph, const RangeType *range, int32 *from, int32 *to)
{
	calendar_range_indices(PH_TIMES(ph), ph->norders, range, from, to);
}

/* The summary of orders [from, to): still canonical (the coupon column goes if all are 0). */
PurchaseHistory *
ph_slice(const PurchaseHistory *ph, int32 from, int32 to)
{
	int32		n = Max(to - from, 0);
	bool		coupons = PH_HAS_COUPONS(ph) && ph_any_coupon(PH_COUPONS(ph), from, to);
	PurchaseHistory *slice = ph_allocate(n, coupons);

	if (n > 0)
	{
		memcpy(PH_TIMES(slice), PH_TIMES(ph) + from, sizeof(int64) * n);
		memcpy(PH_AMOUNTS(slice), PH_AMOUNTS(ph) + from, sizeof(float8) * n);
		if (coupons)
			memcpy(PH_COUPON_COLUMN(slice), PH_COUPON_COLUMN(ph) + from, sizeof(float8) * n);
	}
	return slice;
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 flags, int32 norders, then the columns in network byte
 * order.  The reader accepts exactly what the writer produces and checks every length and
 * value: it reads what clients send (recv) and what other processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(PH_TYPE_NAME, detail);
}

void
ph_write_binary(StringInfo buf, const PurchaseHistory *ph)
{
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);

	pq_sendbyte(buf, ph->version);
	pq_sendbyte(buf, ph->flags);
	pq_sendint32(buf, ph->norders);
	enlargeStringInfo(buf, ph_size(ph->norders, PH_HAS_COUPONS(ph)) - PH_HEADER_SIZE);
	for (int32 i = 0; i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendint64(buf, times[i]);
	}
	for (int32 i = 0; i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendfloat8(buf, amounts[i]);
	}
	for (int32 i = 0; PH_HAS_COUPONS(ph) && i < ph->norders; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		pq_sendfloat8(buf, PH_COUPONS(ph)[i]);
	}
}

/* Reads a value written by ph_write_binary, consuming the rest of buf; trusts nothing. */
PurchaseHistory *
ph_read_binary(StringInfo buf)
{
	int			version;
	int			flags;
	int32		norders;
	bool		coupons;
	Size		width;
	PurchaseHistory *ph;
	int64	   *times;
	float8	   *amounts;
	float8	   *coupon_column;

	if (buf->len - buf->cursor < 6)
		binary_error("The value is shorter than its 6-byte header.");
	version = pq_getmsgbyte(buf);
	summary_check_binary_version(PH_TYPE_NAME, version, PH_FORMAT_VERSION);
	flags = pq_getmsgbyte(buf);
	if ((flags & ~PH_KNOWN_FLAGS) != 0)
		binary_error("Unknown flag bits are set.");
	coupons = (flags & PH_FLAG_COUPONS) != 0;
	norders = pq_getmsgint(buf, 4);
	if (norders < 0 || norders > PH_MAX_ORDERS)
		binary_error("The order count is out of range.");
	if (coupons && norders == 0)
		binary_error("An empty summary cannot have a coupon column.");
	width = sizeof(int64) + sizeof(float8) + (coupons ? sizeof(float8) : 0);
	if ((Size) (buf->len - buf->cursor) != width * norders)
		binary_error("The length does not match the order count.");

	ph = ph_allocate(norders, coupons);
	times = PH_TIMES(ph);
	amounts = PH_AMOUNTS(ph);
	coupon_column = PH_COUPON_COLUMN(ph);
	for (int32 i = 0; i < norders; i++)
		times[i] = pq_getmsgint64(buf);
	for (int32 i = 0; i < norders; i++)
		amounts[i] = pq_getmsgfloat8(buf);
	if (coupons)
		for (int32 i = 0; i < norders; i++)
			coupon_column[i] = pq_getmsgfloat8(buf);

	for (int32 i = 0; i < norders; i++)
	{
		PhOrder		order = {times[i], amounts[i], coupons ? coupon_column[i] : 0.0};
		PhOrder		previous = {0};

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(order.at))
			binary_error("An order time is out of range.");
		ph_check_order(order.at, order.amount, order.coupon);
		if (signbit(order.amount) || signbit(order.coupon))
			binary_error("An amount is negative zero.");
		if (i > 0)
		{
			previous.at = times[i - 1];
			previous.amount = amounts[i - 1];
			previous.coupon = coupons ? coupon_column[i - 1] : 0.0;
			if (ph_order_cmp(&previous, &order) > 0)
				binary_error("The orders are not in canonical order.");
		}
	}
	if (coupons && !ph_any_coupon(coupon_column, 0, norders))
		binary_error("The coupon column holds only zeros.");
	return ph;
}
