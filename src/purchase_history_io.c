/*
 * purchase_history_io.c
 *	  The purchase_history type: validation, canonical form, text and binary I/O, the jsonb
 *	  cast, equality and hashing.
 *
 * Text form, lossless and independent of DateStyle and TimeZone:
 *	  {(2025-01-06 10:00:00+00,25,0),(2025-02-05 10:00:00+00,25,2.5)}
 * Times are printed in UTC with microseconds when they have any; amounts with PostgreSQL's
 * shortest exact float8 digits, so h::text::purchase_history is h byte for byte.  The coupon
 * field is printed only when some order has a coupon.  Input accepts orders in any order,
 * times in any zone, and an omitted coupon (0).
 *
 * Binary form (send/recv, and the aggregates' serialized state): uint8 version, uint8 flags,
 * int32 norders, then the columns in network byte order.  Receive accepts exactly what send
 * produces and checks every length and value.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_collation.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"
#include "utils/formatting.h"
#include "utils/jsonb.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "purchase_history.h"

PG_FUNCTION_INFO_V1(purchase_history_in);
PG_FUNCTION_INFO_V1(purchase_history_out);
PG_FUNCTION_INFO_V1(purchase_history_recv);
PG_FUNCTION_INFO_V1(purchase_history_send);
PG_FUNCTION_INFO_V1(purchase_history_to_jsonb);
PG_FUNCTION_INFO_V1(purchase_history_cmp);
PG_FUNCTION_INFO_V1(purchase_history_eq);
PG_FUNCTION_INFO_V1(purchase_history_ne);
PG_FUNCTION_INFO_V1(purchase_history_lt);
PG_FUNCTION_INFO_V1(purchase_history_le);
PG_FUNCTION_INFO_V1(purchase_history_gt);
PG_FUNCTION_INFO_V1(purchase_history_ge);
PG_FUNCTION_INFO_V1(purchase_history_hash);
PG_FUNCTION_INFO_V1(purchase_history_hash_extended);

/* ---------------------------------------------------------------------------------------------
 * Validation and canonical form
 * ---------------------------------------------------------------------------------------------
 */

static const char *
float8_text(float8 value, char *buf)
{
	if (isnan(value))
		return "NaN";
	if (isinf(value))
		return value > 0 ? "Infinity" : "-Infinity";
	double_to_shortest_decimal_buf(value, buf);
	return buf;
}

/*
 * Every order entering a summary, from any path (aggregate, text, binary), passes here.
 */
void
ph_check_order(TimestampTz at, float8 amount, float8 coupon)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	calendar_check_order_time(at);
	if (!isfinite(amount) || amount < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid order amount \"%s\"", float8_text(amount, buf)),
				 errdetail("Order amounts must be finite numbers, zero or more."),
				 amount < 0 ?
				 errhint("Returns and cancellations are not purchases: leave them out, or net them into the orders they reverse.") : 0));
	if (!isfinite(coupon) || coupon < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid coupon amount \"%s\"", float8_text(coupon, buf)),
				 errdetail("Coupon amounts must be finite numbers, zero or more.")));
}

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

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.  The check reads the 16-byte header only.
 */
void
ph_check_header(const PurchaseHistory *ph)
{
	if (ph->version != PH_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("purchase_history value has unsupported format version %d", ph->version),
				 errhint("It was written by another version of profiling; this one reads format version %d.",
						 PH_FORMAT_VERSION)));
	if ((ph->flags & ~PH_KNOWN_FLAGS) != 0 || ph->reserved1 != 0 || ph->reserved2 != 0 ||
		ph->norders < 0 || ph->norders > PH_MAX_ORDERS)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("purchase_history value is corrupted")));
}

PurchaseHistory *
ph_detoast(Datum datum)
{
	PurchaseHistory *ph = (PurchaseHistory *) PG_DETOAST_DATUM(datum);

	ph_check_header(ph);
	if (VARSIZE(ph) != ph_size(ph->norders, PH_HAS_COUPONS(ph)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("purchase_history value is corrupted")));
	return ph;
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

/* The canonical summary of a list of orders (sorts the list in place). */
PurchaseHistory *
ph_from_orders(PhOrders *orders)
{
	bool		coupons = false;
	PurchaseHistory *ph;
	int64	   *times;
	float8	   *amounts;
	float8	   *coupon_column;

	ph_orders_sort(orders);
	for (int32 i = 0; i < orders->n; i++)
		if (orders->items[i].coupon != 0)
		{
			coupons = true;
			break;
		}

	ph = ph_allocate(orders->n, coupons);
	times = PH_TIMES(ph);
	amounts = PH_AMOUNTS(ph);
	coupon_column = PH_COUPON_COLUMN(ph);
	for (int32 i = 0; i < orders->n; i++)
	{
		times[i] = orders->items[i].at;
		amounts[i] = orders->items[i].amount;
		if (coupons)
			coupon_column[i] = orders->items[i].coupon;
	}
	return ph;
}

/* ---------------------------------------------------------------------------------------------
 * Text input and output
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
syntax_error(const char *input, const char *detail_format, int position)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", "purchase_history", input),
			 errdetail(detail_format, position)));
}

static const char *
skip_space(const char *p)
{
	while (*p && isspace((unsigned char) *p))
		p++;
	return p;
}

/* Copy [start, end) without surrounding blanks into a palloc'd string. */
static char *
trimmed_token(const char *start, const char *end)
{
	while (start < end && isspace((unsigned char) *start))
		start++;
	while (end > start && isspace((unsigned char) end[-1]))
		end--;
	return pnstrdup(start, end - start);
}

/*
 * An order time: a timestamptz literal in any DateStyle-independent form PostgreSQL accepts,
 * but no special values ('now', 'epoch', 'infinity'...): a stored summary must not depend on
 * when it was read.
 */
static TimestampTz
parse_time(const char *input, const char *token, int position)
{
	static const char *const special[] = {"now", "today", "tomorrow", "yesterday",
	"epoch", "infinity", "allballs"};
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dterr;
	int			dtype;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	TimestampTz result;

	char	   *lower;

	/*
	 * Year first (ISO 8601), so that no DateStyle can read the same text as another day:
	 * '01/02/2025' is January or February depending on DateStyle.
	 */
	if (strspn(token, "0123456789") < 4 || token[strspn(token, "0123456789")] != '-')
		syntax_error(input, "Expected an ISO 8601 order time (YYYY-MM-DD ...) at character %d.",
					 position);
	lower = str_tolower(token, strlen(token), DEFAULT_COLLATION_OID);
	for (int i = 0; i < lengthof(special); i++)
		if (strstr(lower, special[i]) != NULL)
			syntax_error(input, "Special time values are not order times (character %d).",
						 position);

	dterr = ParseDateTime(token, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz);
	if (dterr == DTERR_FIELD_OVERFLOW || dterr == DTERR_MD_FIELD_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("date/time field value out of range in order time \"%s\"", token)));
	if (dterr != 0 || dtype != DTK_DATE)
		syntax_error(input, "Invalid order time at character %d.", position);
	if (tm2timestamp(&tm, fsec, &tz, &result) != 0 || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("order time out of range: \"%s\"", token)));
	return result;
}

static float8
parse_number(const char *input, const char *token, int position)
{
	char	   *end;
	float8		value;

	if (token[0] == '\0')
		syntax_error(input, "Expected a number at character %d.", position);
	/* strtod would also read hexadecimal; PostgreSQL's float8 does not */
	if (strpbrk(token, "xXpP") != NULL)
		syntax_error(input, "Invalid number at character %d.", position);
	errno = 0;
	value = strtod(token, &end);
	if (*end != '\0')
		syntax_error(input, "Invalid number at character %d.", position);
	if (errno == ERANGE && (value == 0 || isinf(value)) &&
		pg_strcasecmp(token, "infinity") != 0 && pg_strcasecmp(token, "-infinity") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("\"%s\" is out of range for type double precision", token)));
	return value;
}

/* Position of p in input, counted from 1 as PostgreSQL's messages count characters. */
#define POSITION(p) ((int) ((p) - input) + 1)

Datum
purchase_history_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = skip_space(input);
	PhOrders   *orders = ph_orders_create(8);
	PurchaseHistory *ph;

	if (*p != '{')
		syntax_error(input, "Expected \"{\" at character %d.", POSITION(p));
	p = skip_space(p + 1);

	if (*p == '}')
		p++;
	else
		for (;;)
		{
			const char *start;
			TimestampTz at;
			float8		amount;
			float8		coupon = 0.0;

			if (*p != '(')
				syntax_error(input, "Expected \"(\" at character %d.", POSITION(p));

			/* time, up to the comma */
			start = p + 1;
			p = start + strcspn(start, ",()");
			if (*p != ',')
				syntax_error(input, "Expected \",\" after the order time at character %d.",
							 POSITION(p));
			at = parse_time(input, trimmed_token(start, p), POSITION(start));

			/* amount, up to a comma or the closing parenthesis */
			start = p + 1;
			p = start + strcspn(start, ",()");
			if (*p != ',' && *p != ')')
				syntax_error(input, "Expected \",\" or \")\" at character %d.", POSITION(p));
			amount = parse_number(input, trimmed_token(start, p), POSITION(start));

			/* optional coupon */
			if (*p == ',')
			{
				start = p + 1;
				p = start + strcspn(start, ",()");
				if (*p != ')')
					syntax_error(input, "Expected \")\" at character %d.", POSITION(p));
				coupon = parse_number(input, trimmed_token(start, p), POSITION(start));
			}

			orders = ph_orders_append(orders, at, amount, coupon);
			CHECK_FOR_INTERRUPTS();

			p = skip_space(p + 1);
			if (*p == '}')
			{
				p++;
				break;
			}
			if (*p != ',')
				syntax_error(input, "Expected \",\" or \"}\" at character %d.", POSITION(p));
			p = skip_space(p + 1);
		}

	p = skip_space(p);
	if (*p != '\0')
		syntax_error(input, "Unexpected text after \"}\" at character %d.", POSITION(p));

	ph = ph_from_orders(orders);
	PG_RETURN_PURCHASE_HISTORY_P(ph);
}

Datum
purchase_history_out(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);
	StringInfoData out;
	char		buf[Max(MAXDATELEN + 1, DOUBLE_SHORTEST_DECIMAL_LEN)];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int32 i = 0; i < ph->norders; i++)
	{
		CHECK_FOR_INTERRUPTS();
		if (i > 0)
			appendStringInfoChar(&out, ',');
		appendStringInfoChar(&out, '(');
		calendar_utc_text(times[i], false, buf);
		appendStringInfoString(&out, buf);
		appendStringInfoChar(&out, ',');
		double_to_shortest_decimal_buf(amounts[i], buf);
		appendStringInfoString(&out, buf);
		if (PH_HAS_COUPONS(ph))
		{
			appendStringInfoChar(&out, ',');
			double_to_shortest_decimal_buf(PH_COUPONS(ph)[i], buf);
			appendStringInfoString(&out, buf);
		}
		appendStringInfoChar(&out, ')');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary purchase_history value"),
			 errdetail("%s", detail)));
}

void
ph_write_binary(StringInfo buf, const PurchaseHistory *ph)
{
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);

	pq_sendbyte(buf, ph->version);
	pq_sendbyte(buf, ph->flags);
	pq_sendint32(buf, ph->norders);
	for (int32 i = 0; i < ph->norders; i++)
		pq_sendint64(buf, times[i]);
	for (int32 i = 0; i < ph->norders; i++)
		pq_sendfloat8(buf, amounts[i]);
	if (PH_HAS_COUPONS(ph))
		for (int32 i = 0; i < ph->norders; i++)
			pq_sendfloat8(buf, PH_COUPONS(ph)[i]);
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
	bool		any_coupon = false;

	if (buf->len - buf->cursor < 6)
		binary_error("The value is shorter than its 6-byte header.");
	version = pq_getmsgbyte(buf);
	if (version != PH_FORMAT_VERSION)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("unsupported purchase_history binary format version %d", version),
				 errdetail("This version of profiling reads format version %d.",
						   PH_FORMAT_VERSION)));
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
		float8		coupon = coupons ? coupon_column[i] : 0.0;

		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		if (!IS_VALID_TIMESTAMP(times[i]))
			binary_error("An order time is out of range.");
		ph_check_order(times[i], amounts[i], coupon);
		if (signbit(amounts[i]) || signbit(coupon))
			binary_error("An amount is negative zero.");
		any_coupon |= coupon != 0;
		if (i > 0 &&
			(times[i] < times[i - 1] ||
			 (times[i] == times[i - 1] &&
			  (amounts[i] < amounts[i - 1] ||
			   (amounts[i] == amounts[i - 1] && coupons &&
				coupon < coupon_column[i - 1])))))
			binary_error("The orders are not in canonical order.");
	}
	if (coupons && !any_coupon)
		binary_error("The coupon column holds only zeros.");
	return ph;
}

Datum
purchase_history_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);

	PG_RETURN_PURCHASE_HISTORY_P(ph_read_binary(buf));
}

Datum
purchase_history_send(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	ph_write_binary(&buf, ph);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* ---------------------------------------------------------------------------------------------
 * jsonb
 * ---------------------------------------------------------------------------------------------
 */

static void
append_json_sum(StringInfo out, const float8 *values, int32 n)
{
	float8		sum;
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (ph_try_sum(values, n, &sum))
	{
		double_to_shortest_decimal_buf(sum, buf);
		appendStringInfoString(out, buf);
	}
	else
		appendStringInfoString(out, "null");
}

Datum
purchase_history_to_jsonb(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);
	int64	   *times = PH_TIMES(ph);
	float8	   *amounts = PH_AMOUNTS(ph);
	StringInfoData out;
	char		buf[Max(MAXDATELEN + 1, DOUBLE_SHORTEST_DECIMAL_LEN)];

	initStringInfo(&out);
	appendStringInfo(&out, "{\"order_count\": %d, \"orders\": [", ph->norders);
	for (int32 i = 0; i < ph->norders; i++)
	{
		float8		coupon = PH_COUPON(ph, i);

		CHECK_FOR_INTERRUPTS();
		calendar_utc_text(times[i], true, buf);
		appendStringInfo(&out, "%s{\"at\": \"%s\", ", i > 0 ? ", " : "", buf);
		double_to_shortest_decimal_buf(amounts[i], buf);
		appendStringInfo(&out, "\"amount\": %s, ", buf);
		double_to_shortest_decimal_buf(coupon, buf);
		appendStringInfo(&out, "\"coupon\": %s}", buf);
	}
	/* a summary whose total exceeds float8 is still a valid summary: its total is null */
	appendStringInfoString(&out, "], \"total_spend\": ");
	append_json_sum(&out, amounts, ph->norders);
	appendStringInfoString(&out, ", \"coupon_total\": ");
	if (PH_HAS_COUPONS(ph))
		append_json_sum(&out, PH_COUPONS(ph), ph->norders);
	else
		appendStringInfoChar(&out, '0');
	appendStringInfoChar(&out, '}');

	PG_RETURN_DATUM(DirectFunctionCall1(jsonb_in, CStringGetDatum(out.data)));
}

/* ---------------------------------------------------------------------------------------------
 * Comparison and hashing: the canonical form makes them byte operations.  The order (fewer
 * orders first, then the bytes) means nothing about customers; it exists so that sorting,
 * DISTINCT, ORDER BY and merge joins work.  It never raises on valid values.
 * ---------------------------------------------------------------------------------------------
 */

static int
ph_compare(PurchaseHistory *a, PurchaseHistory *b)
{
	int			result;

	if (a->norders != b->norders)
		return a->norders < b->norders ? -1 : 1;
	if (VARSIZE(a) != VARSIZE(b))
		return VARSIZE(a) < VARSIZE(b) ? -1 : 1;
	result = memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ);
	return (result > 0) - (result < 0);
}

#define PH_COMPARE_ARGS ph_compare(PG_GETARG_PURCHASE_HISTORY_P(0), PG_GETARG_PURCHASE_HISTORY_P(1))

Datum
purchase_history_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PH_COMPARE_ARGS);
}

Datum
purchase_history_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS == 0);
}

Datum
purchase_history_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS != 0);
}

Datum
purchase_history_lt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS < 0);
}

Datum
purchase_history_le(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS <= 0);
}

Datum
purchase_history_gt(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS > 0);
}

Datum
purchase_history_ge(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(PH_COMPARE_ARGS >= 0);
}

Datum
purchase_history_hash(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	return hash_any((unsigned char *) VARDATA(ph), VARSIZE(ph) - VARHDRSZ);
}

Datum
purchase_history_hash_extended(PG_FUNCTION_ARGS)
{
	PurchaseHistory *ph = PG_GETARG_PURCHASE_HISTORY_P(0);

	return hash_any_extended((unsigned char *) VARDATA(ph), VARSIZE(ph) - VARHDRSZ,
							 PG_GETARG_INT64(1));
}
