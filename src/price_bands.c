/*
 * price_bands.c
 *	  The price_bands type (price_bands.h): reading stored values, the checks, the text and binary
 *	  forms, comparisons and hashing, the accessors, price_bands(low_max, mid_max) and
 *	  price_tier(bands, unit_price).
 *
 * Text form, lossless: (low_max,mid_max,prices), the cut points with PostgreSQL's shortest
 * exact float8 digits, prices the count they were computed from (0 for explicit bounds):
 *	  (12.5,40,24)
 * so bands::text::price_bands is bands byte for byte.  Input accepts blanks between the pieces
 * and -0 (read as 0).
 *
 * Binary form: uint8 version, uint8 flags, int64 prices, float8 low_max, float8 mid_max.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"

#include "labels.h"
#include "price_bands.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(price_bands_in);
PG_FUNCTION_INFO_V1(price_bands_out);
PG_FUNCTION_INFO_V1(price_bands_recv);
PG_FUNCTION_INFO_V1(price_bands_send);
PG_FUNCTION_INFO_V1(price_bands_from_bounds);
PG_FUNCTION_INFO_V1(price_bands_low_max);
PG_FUNCTION_INFO_V1(price_bands_mid_max);
PG_FUNCTION_INFO_V1(price_bands_prices);
PG_FUNCTION_INFO_V1(price_bands_tier);

const char *const price_tier_labels[PRICE_TIERS] = {"low", "mid", "high"};

#define BINARY_SIZE		(2 + 3 * 8)

StaticAssertDecl(sizeof(PriceBands) == 32, "no padding in a price_bands value");

/* ---------------------------------------------------------------------------------------------
 * The core
 * ---------------------------------------------------------------------------------------------
 */

static bool
valid_cuts(float8 low_max, float8 mid_max)
{
	return low_max >= 0 && mid_max <= DBL_MAX && low_max <= mid_max;
}

PriceBands *
price_bands_detoast(Datum datum)
{
	PriceBands *b = (PriceBands *) PG_DETOAST_DATUM(datum);

	if (VARSIZE(b) < offsetof(PriceBands, prices))
		summary_error_corrupted(PRICE_BANDS_TYPE_NAME);
	summary_check_version(PRICE_BANDS_TYPE_NAME, b->version, PRICE_BANDS_FORMAT_VERSION);
	if (VARSIZE(b) != PRICE_BANDS_SIZE || b->flags != 0 || b->reserved != 0 || b->prices < 0 ||
		!valid_cuts(b->low_max, b->mid_max) || signbit(b->low_max) || signbit(b->mid_max))
		summary_error_corrupted(PRICE_BANDS_TYPE_NAME);
	return b;
}

void
price_bands_check_price(float8 price, const char *what)
{
	if (!(price >= 0 && price <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid %s \"%s\"", what, summary_float8_text(price, buf)),
				 errdetail("Prices and cut points must be finite numbers, zero or more.")));
	}
}

PriceBands *
price_bands_make(float8 low_max, float8 mid_max, int64 prices)
{
	PriceBands *b;

	price_bands_check_price(low_max, "low_max");
	price_bands_check_price(mid_max, "mid_max");
	if (low_max > mid_max)
	{
		char		a[SUMMARY_FLOAT8_TEXT_LEN],
					c[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("low_max %s is above mid_max %s", summary_float8_text(low_max, a),
						summary_float8_text(mid_max, c)),
				 errdetail("The low tier's highest price cannot be above the mid tier's."),
				 errhint("Give the cut points in ascending order: price_bands(low_max, mid_max).")));
	}
	b = palloc0(PRICE_BANDS_SIZE);
	SET_VARSIZE(b, PRICE_BANDS_SIZE);
	b->version = PRICE_BANDS_FORMAT_VERSION;
	b->prices = prices;
	b->low_max = low_max + 0.0;
	b->mid_max = mid_max + 0.0;
	return b;
}

/* ---------------------------------------------------------------------------------------------
 * Text and binary forms
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

Datum
price_bands_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = summary_skip_space(input);
	const char *start;
	char	   *token;
	float8		cuts[2];
	int64		prices;

	if (*p != '(')
		summary_error_syntax(PRICE_BANDS_TYPE_NAME, input, "Expected \"(\" at character %d.", POSITION(p));
	for (int i = 0; i < 2; i++)
	{
		start = p + 1;
		p = summary_field(PRICE_BANDS_TYPE_NAME, input, start, ",",
						  "Expected \",\" after a cut point at character %d.", &token);
		cuts[i] = summary_parse_float8(PRICE_BANDS_TYPE_NAME, input, token,
									   POSITION(summary_skip_space(start)));
		if (!(cuts[i] >= 0 && cuts[i] <= DBL_MAX))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", PRICE_BANDS_TYPE_NAME, input),
					 errdetail("Cut points must be finite numbers, zero or more (character %d).",
							   POSITION(summary_skip_space(start)))));
	}
	start = p + 1;
	p = summary_field(PRICE_BANDS_TYPE_NAME, input, start, ")",
					  "Expected \")\" after the price count at character %d.", &token);
	{
		int64		v = 0;
		const char *q = token;

		if (*q == '\0')
			summary_error_syntax(PRICE_BANDS_TYPE_NAME, input,
								 "Expected a price count at character %d.", POSITION(summary_skip_space(start)));
		for (; *q != '\0'; q++)
		{
			if (*q < '0' || *q > '9')
				summary_error_syntax(PRICE_BANDS_TYPE_NAME, input,
									 "The price count is a whole number, zero or more (character %d).",
									 POSITION(summary_skip_space(start)));
			if (v > (PG_INT64_MAX - (*q - '0')) / 10)
				ereport(ERROR,
						(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
						 errmsg("price count \"%s\" is out of range for type bigint", token)));
			v = v * 10 + (*q - '0');
		}
		prices = v;
	}
	p = summary_skip_space(p + 1);
	if (*p != '\0')
		summary_error_syntax(PRICE_BANDS_TYPE_NAME, input,
							 "Unexpected character after the bands at character %d.", POSITION(p));
	if (cuts[0] > cuts[1])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", PRICE_BANDS_TYPE_NAME, input),
				 errdetail("The cut points must be in ascending order: low_max, then mid_max.")));
	PG_RETURN_PRICE_BANDS_P(price_bands_make(cuts[0], cuts[1], prices));
}

Datum
price_bands_out(PG_FUNCTION_ARGS)
{
	PriceBands *b = PG_GETARG_PRICE_BANDS_P(0);
	char		low[DOUBLE_SHORTEST_DECIMAL_LEN];
	char		mid[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(b->low_max, low);
	double_to_shortest_decimal_buf(b->mid_max, mid);
	PG_RETURN_CSTRING(psprintf("(%s,%s," INT64_FORMAT ")", low, mid, b->prices));
}

Datum
price_bands_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		prices;
	float8		low_max,
				mid_max;

	if (buf->len - buf->cursor < 2)
		summary_error_binary(PRICE_BANDS_TYPE_NAME, "The value is shorter than its 2-byte header.");
	summary_check_binary_version(PRICE_BANDS_TYPE_NAME, pq_getmsgbyte(buf), PRICE_BANDS_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		summary_error_binary(PRICE_BANDS_TYPE_NAME, "Unknown flag bits are set.");
	if (buf->len - buf->cursor != BINARY_SIZE - 2)
		summary_error_binary(PRICE_BANDS_TYPE_NAME,
							 psprintf("The value has %d bytes; a price_bands value has %d.",
									  buf->len - buf->cursor + 2, BINARY_SIZE));
	prices = pq_getmsgint64(buf);
	low_max = pq_getmsgfloat8(buf);
	mid_max = pq_getmsgfloat8(buf);
	if (prices < 0 || !valid_cuts(low_max, mid_max) ||
		(low_max == 0 && signbit(low_max)) || (mid_max == 0 && signbit(mid_max)))
		summary_error_binary(PRICE_BANDS_TYPE_NAME,
							 "The price count must be zero or more, the cut points finite, zero or more, ascending, and not -0.");
	PG_RETURN_PRICE_BANDS_P(price_bands_make(low_max, mid_max, prices));
}

Datum
price_bands_send(PG_FUNCTION_ARGS)
{
	PriceBands *b = PG_GETARG_PRICE_BANDS_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, b->version);
	pq_sendbyte(&buf, b->flags);
	pq_sendint64(&buf, b->prices);
	pq_sendfloat8(&buf, b->low_max);
	pq_sendfloat8(&buf, b->mid_max);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Comparisons: the canonical form makes them byte operations.  The order means nothing about
 * prices; it lets ORDER BY, DISTINCT and merge joins work.
 */
static inline int
price_bands_compare(const PriceBands *a, const PriceBands *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* price_bands_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(price_bands, price_bands_detoast, price_bands_compare)

/* ---------------------------------------------------------------------------------------------
 * Functions
 * ---------------------------------------------------------------------------------------------
 */

/* price_bands(low_max, mid_max): bands from explicit bounds (a price count of 0). */
Datum
price_bands_from_bounds(PG_FUNCTION_ARGS)
{
	PG_RETURN_PRICE_BANDS_P(price_bands_make(PG_GETARG_FLOAT8(0), PG_GETARG_FLOAT8(1), 0));
}

Datum
price_bands_low_max(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_PRICE_BANDS_P(0)->low_max);
}

Datum
price_bands_mid_max(PG_FUNCTION_ARGS)
{
	PG_RETURN_FLOAT8(PG_GETARG_PRICE_BANDS_P(0)->mid_max);
}

Datum
price_bands_prices(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_PRICE_BANDS_P(0)->prices);
}

/*
 * price_tier(bands, unit_price): low up to low_max, mid up to mid_max, high above.  A price
 * equal to a cut point takes the lower tier, as the cut points are the highest prices of theirs.
 */
Datum
price_bands_tier(PG_FUNCTION_ARGS)
{
	PriceBands *b = PG_GETARG_PRICE_BANDS_P(0);
	float8		price = PG_GETARG_FLOAT8(1);
	const Oid  *labels = labels_of_call(fcinfo, get_func_rettype(fcinfo->flinfo->fn_oid),
									  price_tier_labels, PRICE_TIERS);

	price_bands_check_price(price, "price");
	PG_RETURN_OID(labels[price <= b->low_max ? PRICE_TIER_LOW :
						 (price <= b->mid_max ? PRICE_TIER_MID : PRICE_TIER_HIGH)]);
}
