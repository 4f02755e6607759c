/*
 * item_history.c
 *	  The item_history type's core (see item_history.h): reading a value under its own name,
 *	  validating purchase lines, the binary reader, and the purchases (one a calendar day) that
 *	  the replenishment and incremental-sales figures read.
 *
 * The canonical form is the purchase history's (ph_from_orders): lines sorted by (time,
 * quantity, coupon), -0 stored as +0, the coupon column present exactly when some coupon is
 * non-zero; so equal multisets of lines give identical bytes.
 */
#include "postgres.h"

#include <math.h>

#include "access/detoast.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "item_history.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * Reading a value
 * ---------------------------------------------------------------------------------------------
 */

static void
check_stored(const ItemHistory *ih, Size size)
{
	if (size < PH_HEADER_SIZE)
		summary_error_corrupted(IH_TYPE_NAME);
	summary_check_version(IH_TYPE_NAME, ih->version, PH_FORMAT_VERSION);
	if ((ih->flags & ~PH_KNOWN_FLAGS) != 0 || ih->reserved1 != 0 || ih->reserved2 != 0 ||
		ih->norders < 0 || ih->norders > IH_MAX_LINES ||
		size != ph_size(ih->norders, PH_HAS_COUPONS(ih)))
		summary_error_corrupted(IH_TYPE_NAME);
}

ItemHistory *
ih_detoast(Datum datum)
{
	ItemHistory *ih = (ItemHistory *) PG_DETOAST_DATUM(datum);

	check_stored(ih, VARSIZE(ih));
	return ih;
}

/* The line count from the header alone: a large summary kept out of line is not fetched whole. */
int32
ih_stored_count(Datum datum)
{
	Size		size = toast_raw_datum_size(datum);
	ItemHistory *ih = (ItemHistory *) PG_DETOAST_DATUM_SLICE(datum, 0, PH_HEADER_SIZE);

	check_stored(ih, size);
	return ih->norders;
}

/* ---------------------------------------------------------------------------------------------
 * Validating lines
 * ---------------------------------------------------------------------------------------------
 */

void
ih_check_line(TimestampTz at, float8 quantity, float8 coupon)
{
	char		buf[SUMMARY_FLOAT8_TEXT_LEN];
	char		time[MAXDATELEN + 1];
	const char *number;

	calendar_check_order_time(at);
	if (isfinite(quantity) && quantity >= 0 && isfinite(coupon) && coupon >= 0)
		return;
	calendar_utc_text(at, false, time);
	if (!isfinite(quantity) || quantity < 0)
	{
		number = summary_float8_text(quantity, buf);
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid quantity \"%s\"", number),
				 errdetail("The line at %s has quantity %s. Quantities must be finite numbers, zero or more.",
						   time, number),
				 quantity < 0 ?
				 errhint("Returns are not purchases: leave them out, or net them into the lines they reverse.") : 0));
	}
	number = summary_float8_text(coupon, buf);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid coupon amount \"%s\"", number),
			 errdetail("The line at %s has coupon amount %s. Coupon amounts must be finite numbers, zero or more.",
					   time, number)));
}

void
ih_error_too_many_lines(void)
{
	summary_error_too_many("lines", "item history", IH_MAX_LINES);
}

/* ---------------------------------------------------------------------------------------------
 * The binary reader: the format ph_write_binary writes (uint8 version, uint8 flags, int32 n,
 * then the columns in network byte order), read under this type's name.
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(IH_TYPE_NAME, detail);
}

ItemHistory *
ih_read_binary(StringInfo buf)
{
	int			flags;
	int32		n;
	bool		coupons;
	Size		width;
	ItemHistory *ih;
	int64	   *times;
	float8	   *quantities;
	float8	   *coupon_column;

	if (buf->len - buf->cursor < 6)
		binary_error("The value is shorter than its 6-byte header.");
	summary_check_binary_version(IH_TYPE_NAME, pq_getmsgbyte(buf), PH_FORMAT_VERSION);
	flags = pq_getmsgbyte(buf);
	if ((flags & ~PH_KNOWN_FLAGS) != 0)
		binary_error("Unknown flag bits are set.");
	coupons = (flags & PH_FLAG_COUPONS) != 0;
	n = pq_getmsgint(buf, 4);
	if (n < 0 || n > IH_MAX_LINES)
		binary_error("The line count is out of range.");
	if (coupons && n == 0)
		binary_error("An empty summary cannot have a coupon column.");
	width = sizeof(int64) + sizeof(float8) + (coupons ? sizeof(float8) : 0);
	if ((Size) (buf->len - buf->cursor) != width * n)
		binary_error("The length does not match the line count.");

	ih = ph_allocate(n, coupons);
	times = IH_TIMES(ih);
	quantities = IH_QUANTITIES(ih);
	coupon_column = PH_COUPON_COLUMN(ih);
	for (int32 i = 0; i < n; i++)
		times[i] = pq_getmsgint64(buf);
	for (int32 i = 0; i < n; i++)
		quantities[i] = pq_getmsgfloat8(buf);
	if (coupons)
		for (int32 i = 0; i < n; i++)
			coupon_column[i] = pq_getmsgfloat8(buf);

	for (int32 i = 0; i < n; i++)
	{
		PhOrder		line = {times[i], quantities[i], coupons ? coupon_column[i] : 0.0};

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(line.at))
			binary_error("A line time is out of range.");
		ih_check_line(line.at, line.amount, line.coupon);
		if (signbit(line.amount) || signbit(line.coupon))
			binary_error("A quantity or coupon is negative zero.");
		if (i > 0)
		{
			PhOrder		previous = {times[i - 1], quantities[i - 1],
			coupons ? coupon_column[i - 1] : 0.0};

			if (ph_order_cmp(&previous, &line) > 0)
				binary_error("The lines are not in canonical order.");
		}
	}
	if (coupons && !ph_any_coupon(coupon_column, 0, n))
		binary_error("The coupon column holds only zeros.");
	return ih;
}

/* ---------------------------------------------------------------------------------------------
 * Purchases: one a calendar day
 * ---------------------------------------------------------------------------------------------
 */

/*
 * The purchases of the first nlines lines, in the current memory context.  Lines are sorted by
 * time; their days ascend except across a zone's backward jump at midnight, where a day seen
 * again joins the purchase it continues only if it is the same day as the last one.
 */
void
ih_purchases(const ItemHistory *ih, int32 nlines, IhPurchases *out)
{
	const int64 *times = IH_TIMES(ih);
	const float8 *quantities = IH_QUANTITIES(ih);
	int32		size = Max(nlines, 1);
	/* one allocation: the accessors call this once a summary, millions of times a query */
	char	   *block = palloc(mul_size(size, sizeof(int64) + sizeof(float8) + sizeof(DateADT) +
										sizeof(bool)));
	DateADT    *days;
	int32		n = 0;

	out->at = (int64 *) block;
	out->quantity = (float8 *) (block + sizeof(int64) * size);
	days = (DateADT *) (block + (sizeof(int64) + sizeof(float8)) * size);
	out->coupon = (bool *) (block + (sizeof(int64) + sizeof(float8) + sizeof(DateADT)) * size);
	calendar_local_days(times, nlines, days);
	for (int32 i = 0; i < nlines; i++)
	{
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (i == 0 || days[i] != days[i - 1])
		{
			out->at[n] = times[i];
			out->quantity[n] = quantities[i];
			out->coupon[n] = IH_COUPON(ih, i) != 0;
			n++;
		}
		else
		{
			out->at[n - 1] = times[i];
			out->quantity[n - 1] += quantities[i];
			out->coupon[n - 1] |= IH_COUPON(ih, i) != 0;
		}
	}
	out->n = n;
}
