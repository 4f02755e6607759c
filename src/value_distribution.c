/*
 * value_distribution.c
 *	  The value_distribution type's core (see value_distribution.h): reading a value safely,
 *	  validating pairs and thresholds, the canonical form built from a list of pairs, and the
 *	  binary form (written by send and serialize, read by recv and deserialize).
 *
 * The canonical form: pairs sorted by (value, orders) and -0 stored as +0.  Every path that
 * makes a value (the aggregates, text and binary input) ends here, so equal multisets of pairs
 * give identical bytes.
 */
#include "postgres.h"

#include <math.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"

#include "summary.h"
#include "value_distribution.h"

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.
 */
ValueDistribution *
vd_detoast(Datum datum)
{
	ValueDistribution *vd = (ValueDistribution *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(vd);

	if (size < VD_HEADER_SIZE)
		summary_error_corrupted(VD_TYPE_NAME);
	summary_check_version(VD_TYPE_NAME, vd->version, VD_FORMAT_VERSION);
	if (vd->flags != 0 || vd->reserved1 != 0 || vd->reserved2 != 0 ||
		vd->ncustomers < 0 || vd->ncustomers > VD_MAX_CUSTOMERS ||
		size != vd_size(vd->ncustomers))
		summary_error_corrupted(VD_TYPE_NAME);
	return vd;
}

/* ---------------------------------------------------------------------------------------------
 * Validating pairs and thresholds
 * ---------------------------------------------------------------------------------------------
 */

/* The detail names the pair's other field, to find the row among millions. */
void
vd_check_pair(float8 value, int64 orders)
{
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];
	const char *number = summary_float8_text(value, buf);

	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid customer value \"%s\"", number),
				 errdetail("Customer values must be finite numbers. The customer's order count is " INT64_FORMAT ".",
						   orders)));
	if (orders < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid order count " INT64_FORMAT, orders),
				 errdetail("Order counts must be zero or more. The customer's value is %s.", number)));
	if (orders > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("order count " INT64_FORMAT " is out of range", orders),
				 errdetail("Order counts must fit an integer. The customer's value is %s.", number)));
}

void
vd_check_hero_min(float8 hero_min)
{
	if (isnan(hero_min))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("hero_min must not be NaN"),
				 errdetail("A customer is a hero when its value is at least hero_min.")));
}

void
vd_check_repeat_min(int32 repeat_min)
{
	if (repeat_min < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("repeat_min must be 1 or more, not %d", repeat_min),
				 errdetail("A customer is a repeat buyer when its order count is at least repeat_min.")));
}

/* ---------------------------------------------------------------------------------------------
 * Building values
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
error_too_many_customers(void)
{
	summary_error_too_many("customers", "value distribution", VD_MAX_CUSTOMERS);
}

Size
vd_size(int64 ncustomers)
{
	if (ncustomers < 0 || ncustomers > VD_MAX_CUSTOMERS)
		error_too_many_customers();
	return add_size(VD_HEADER_SIZE, mul_size(sizeof(float8) + sizeof(int32), ncustomers));
}

/* An empty summary value for ncustomers customers: the caller writes both columns. */
ValueDistribution *
vd_allocate(int32 ncustomers)
{
	Size		size = vd_size(ncustomers);
	ValueDistribution *vd = palloc(size);

	memset(vd, 0, VD_HEADER_SIZE);
	SET_VARSIZE(vd, size);
	vd->version = VD_FORMAT_VERSION;
	vd->ncustomers = ncustomers;
	return vd;
}

/* ---------------------------------------------------------------------------------------------
 * The pair list and the canonical summary of it
 * ---------------------------------------------------------------------------------------------
 */

#define ST_SORT vd_sort_pairs
#define ST_ELEMENT_TYPE VdPair
#define ST_COMPARE(a, b) vd_pair_cmp(a, b)
#define ST_SCOPE static
#define ST_DEFINE
#include "lib/sort_template.h"

/* A list starts with room for a few pairs: an aggregate may have many small groups. */
#define VD_PAIRS_FIRST_CAPACITY 16

VdPairs *
vd_pairs_create(MemoryContext context)
{
	VdPairs    *pairs = MemoryContextAlloc(context, sizeof(VdPairs));

	pairs->n = 0;
	pairs->capacity = VD_PAIRS_FIRST_CAPACITY;
	pairs->items = MemoryContextAllocHuge(context, sizeof(VdPair) * VD_PAIRS_FIRST_CAPACITY);
	pairs->context = context;
	return pairs;
}

/*
 * Room for `more` pairs: the capacity doubles, up to the customers one summary can hold (the
 * state is then larger than a summary, 16 bytes a pair: a huge allocation).
 */
void
vd_pairs_reserve(VdPairs *pairs, int64 more)
{
	int64		needed = pairs->n + more;
	int64		capacity;

	if (needed <= pairs->capacity)
		return;
	if (needed > VD_MAX_CUSTOMERS)
		error_too_many_customers();
	capacity = Min(Max(needed, pairs->capacity * 2), (int64) VD_MAX_CUSTOMERS);
	pairs->items = repalloc_huge(pairs->items, sizeof(VdPair) * capacity);
	pairs->capacity = capacity;
}

/* Appends n valid pairs given as columns (a stored summary's, or a deserialized one's). */
void
vd_pairs_append_columns(VdPairs *pairs, const float8 *values, const int32 *orders, int64 n)
{
	vd_pairs_reserve(pairs, n);
	for (int64 i = 0; i < n; i++)
	{
		pairs->items[pairs->n + i].value = values[i];
		pairs->items[pairs->n + i].orders = orders[i];
	}
	pairs->n += n;
}

/*
 * The canonical summary of a list of pairs, in the current memory context.  Sorts the list in
 * place: the same multiset, so the list remains a valid transition state (pairs already in
 * order cost one pass: the sort checks that first).
 */
ValueDistribution *
vd_from_pairs(VdPairs *pairs)
{
	ValueDistribution *vd;
	float8	   *values;
	int32	   *orders;

	if (pairs->n > VD_MAX_CUSTOMERS)
		error_too_many_customers();
	CHECK_FOR_INTERRUPTS();
	vd_sort_pairs(pairs->items, pairs->n);
	vd = vd_allocate((int32) pairs->n);
	values = VD_VALUES(vd);
	orders = VD_ORDERS(vd);
	for (int64 i = 0; i < pairs->n; i++)
	{
		values[i] = pairs->items[i].value;
		orders[i] = pairs->items[i].orders;
	}
	return vd;
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 flags, int32 ncustomers, then the columns in network
 * byte order.  The reader accepts exactly what the writer produces and checks every length and
 * value: it reads what clients send (recv) and what other processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(VD_TYPE_NAME, detail);
}

/* The binary form as a bytea: what send returns and serialize passes on. */
bytea *
vd_binary(const ValueDistribution *vd)
{
	const float8 *values = VD_VALUES(vd);
	const int32 *orders = VD_ORDERS(vd);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, vd->version);
	pq_sendbyte(&buf, vd->flags);
	pq_sendint32(&buf, vd->ncustomers);
	for (int32 i = 0; i < vd->ncustomers; i++)
		pq_sendfloat8(&buf, values[i]);
	for (int32 i = 0; i < vd->ncustomers; i++)
		pq_sendint32(&buf, orders[i]);
	return pq_endtypsend(&buf);
}

/* Reads a value written by vd_binary, consuming the rest of buf; trusts nothing. */
ValueDistribution *
vd_read_binary(StringInfo buf)
{
	int32		n;
	ValueDistribution *vd;
	float8	   *values;
	int32	   *orders;

	if (buf->len - buf->cursor < 6)
		binary_error("The value is shorter than its 6-byte header.");
	summary_check_binary_version(VD_TYPE_NAME, pq_getmsgbyte(buf), VD_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		binary_error("Unknown flag bits are set.");
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > VD_MAX_CUSTOMERS)
		binary_error("The customer count is out of range.");
	if ((Size) (buf->len - buf->cursor) != (sizeof(float8) + sizeof(int32)) * n)
		binary_error("The length does not match the customer count.");

	vd = vd_allocate(n);
	values = VD_VALUES(vd);
	orders = VD_ORDERS(vd);
	for (int32 i = 0; i < n; i++)
		values[i] = pq_getmsgfloat8(buf);
	for (int32 i = 0; i < n; i++)
		orders[i] = pq_getmsgint(buf, 4);

	for (int32 i = 0; i < n; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		vd_check_pair(values[i], orders[i]);
		if (signbit(values[i]) && values[i] == 0)
			binary_error("A value is negative zero.");
		if (i > 0)
		{
			VdPair		previous = {values[i - 1], orders[i - 1]};
			VdPair		pair = {values[i], orders[i]};

			if (vd_pair_cmp(&previous, &pair) > 0)
				binary_error("The customers are not in canonical order.");
		}
	}
	return vd;
}
