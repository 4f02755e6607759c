/*
 * amount.c
 *	  numeric -> float8 for amounts, and sums of amounts (see amount.h).
 *
 * PostgreSQL 15 converts numeric to float8 by printing the numeric and parsing the text, which
 * costs as much as the rest of an aggregate's work per order (README, Performance).  A
 * numeric is stored as base-10000 digits with a weight (the power of 10000 of the first digit);
 * that on-disk format is fixed (pg_upgrade keeps it), so the digits can be read directly:
 * value = D * 10000^(weight - ndigits + 1) with D the digits as one integer.  When D < 2^53 and
 * the power of ten is exact, one float8 division or multiplication is correctly rounded, which
 * is exactly what parsing the text gives.
 */
#include "postgres.h"

#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"

#include "amount.h"
#include "stats.h"

/* The on-disk numeric header (utils/adt/numeric.c), read through memcpy: packed varlenas are
 * not aligned. */
#define NUM_SIGN_MASK			0xC000
#define NUM_NEG					0x4000
#define NUM_SHORT				0x8000
#define NUM_SPECIAL				0xC000
#define NUM_SHORT_SIGN_MASK		0x2000
#define NUM_SHORT_WEIGHT_SIGN	0x0040
#define NUM_SHORT_WEIGHT_MASK	0x003F
#define NUM_BASE				10000

#define EXACT_INTEGER_LIMIT		((int64) 1 << 53)

static const double exact_powers_of_ten[] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
	1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22
};

float8
amount_from_numeric(Datum numeric)
{
	struct varlena *packed = PG_DETOAST_DATUM_PACKED(numeric);
	const char *data = VARDATA_ANY(packed);
	Size		size = VARSIZE_ANY_EXHDR(packed);
	uint16		header;
	int			weight;
	bool		negative;
	Size		digits_offset;
	int			ndigits;
	int64		units = 0;
	int			exponent;
	double		value;

	if (size < sizeof(uint16))
		goto fallback;
	memcpy(&header, data, sizeof(uint16));
	if ((header & NUM_SIGN_MASK) == NUM_SPECIAL)
		goto fallback;			/* NaN, Infinity: let numeric_float8 say what they are */

	if ((header & NUM_SIGN_MASK) == NUM_SHORT)
	{
		negative = (header & NUM_SHORT_SIGN_MASK) != 0;
		weight = (header & NUM_SHORT_WEIGHT_MASK);
		if (header & NUM_SHORT_WEIGHT_SIGN)
			weight |= ~NUM_SHORT_WEIGHT_MASK;
		digits_offset = sizeof(uint16);
	}
	else
	{
		int16		long_weight;

		if (size < sizeof(uint16) + sizeof(int16))
			goto fallback;
		negative = (header & NUM_SIGN_MASK) == NUM_NEG;
		memcpy(&long_weight, data + sizeof(uint16), sizeof(int16));
		weight = long_weight;
		digits_offset = sizeof(uint16) + sizeof(int16);
	}

	ndigits = (size - digits_offset) / sizeof(int16);
	if (ndigits == 0)
		return 0.0;
	for (int i = 0; i < ndigits; i++)
	{
		int16		digit;

		memcpy(&digit, data + digits_offset + i * sizeof(int16), sizeof(int16));
		if (units >= EXACT_INTEGER_LIMIT / NUM_BASE)
			goto fallback;
		units = units * NUM_BASE + digit;
	}

	/* value = units * 10^exponent */
	exponent = 4 * (weight - ndigits + 1);
	if (exponent < 0 && -exponent < (int) lengthof(exact_powers_of_ten))
		value = (double) units / exact_powers_of_ten[-exponent];
	else if (exponent >= 0 && exponent < (int) lengthof(exact_powers_of_ten) &&
			 (double) units * exact_powers_of_ten[exponent] < (double) EXACT_INTEGER_LIMIT)
		value = (double) units * exact_powers_of_ten[exponent];
	else
		goto fallback;
	return negative ? -value : value;

fallback:
	return DatumGetFloat8(DirectFunctionCall1(numeric_float8, numeric));
}

/* ---------------------------------------------------------------------------------------------
 * Sums
 * ---------------------------------------------------------------------------------------------
 */

static bool
sum_is_finite(const stats_sum *s)
{
	return isfinite(s->sum) && isfinite(s->compensation);
}

static void pg_attribute_noreturn()
sum_out_of_range(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("sum of amounts is out of range for type double precision")));
}

/*
 * The decimal and the compensated sums, in blocks with a check for interrupts between them: a
 * summary can hold tens of millions of amounts.
 */
#define SUM_BLOCK	(1 << 20)

static bool
decimal_sum_of(const float8 *values, int32 n, stats_decimal *d)
{
	d->scale = 0;
	d->units = 0;
	for (int32 from = 0; from < n; from += SUM_BLOCK)
	{
		CHECK_FOR_INTERRUPTS();
		if (!stats_decimal_add(d, values + from, Min(SUM_BLOCK, n - from)))
			return false;
	}
	return true;
}

static stats_sum
compensated_sum_of(const float8 *values, int32 n)
{
	stats_sum	s = {0.0, 0.0};

	for (int32 i = 0; i < n; i++)
	{
		if ((i & (SUM_BLOCK - 1)) == 0)
			CHECK_FOR_INTERRUPTS();
		stats_sum_add(&s, values[i]);
	}
	return s;
}

bool
amount_try_sum(const float8 *values, int32 n, float8 *result)
{
	stats_decimal d;
	stats_sum	s;

	if (decimal_sum_of(values, n, &d))
	{
		*result = stats_decimal_value(&d, 1);
		return true;
	}
	s = compensated_sum_of(values, n);
	*result = stats_sum_result(&s);
	/* a finite sum and compensation can still add up to more than float8 holds */
	return sum_is_finite(&s) && isfinite(*result);
}

float8
amount_sum(const float8 *values, int32 n)
{
	float8		result;

	if (!amount_try_sum(values, n, &result))
		sum_out_of_range();
	return result;
}

float8
amount_mean(const float8 *values, int32 n)
{
	stats_decimal d;
	stats_sum	s;

	if (decimal_sum_of(values, n, &d))
		return stats_decimal_value(&d, n);
	s = compensated_sum_of(values, n);
	if (!sum_is_finite(&s))
		sum_out_of_range();
	return stats_sum_mean(&s, n);
}
