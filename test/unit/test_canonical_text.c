/*
 * test_canonical_text.c
 *	  Unit tests of src/canonical_text.c: the canonical UTC time and short decimal readers.
 *
 * Times: expected microseconds since 2000-01-01 00:00 UTC worked out independently (Python's
 * datetime, proleptic Gregorian like PostgreSQL), at the ends of the range, around leap days,
 * around the epoch.  Every spelling that is not canonical must be declined, so that the general
 * parser reads it.  Decimals: equal to strtod bit for bit, on fixed cases and on 200,000
 * pseudo-random decimals of up to 15 digits at every scale.
 */
#include <stdlib.h>

#include "canonical_text.h"
#include "unit.h"


static void
time_is(const char *text, int64_t expected)
{
	int64_t		actual = 0;
	bool		read = canonical_utc_time(text, &actual);

	if (!unit_ok(read, "\"%s\" is canonical", text))
		return;
	unit_int64_is(actual, expected, "\"%s\" is %" PRId64 " us from 2000-01-01", text, expected);
}

static void
time_declined(const char *text)
{
	int64_t		actual = 0;

	unit_ok(!canonical_utc_time(text, &actual), "\"%s\" is left to the general parser", text);
}

static void
decimal_is_strtod(const char *text)
{
	double		actual = 0;
	bool		read = canonical_decimal(text, &actual);

	if (!unit_ok(read, "\"%s\" is canonical", text))
		return;
	unit_double_is(actual, strtod(text, NULL), "\"%s\" reads as strtod reads it", text);
}

static void
decimal_declined(const char *text)
{
	double		actual = 0;

	unit_ok(!canonical_decimal(text, &actual), "\"%s\" is left to strtod", text);
}

/* A 64-bit LCG (Knuth's MMIX constants): the same data on every machine and every run. */
static uint64_t rng_state = 42;

static uint64_t
rng_next(void)
{
	rng_state = rng_state * 6364136223846793005ULL + 1442695040888963407ULL;
	return rng_state >> 11;
}

int
main(void)
{
	static const char *const declined_times[] = {
		"", "2025", "2025-01-06", "2025-01-06 10:00", "2025-01-06 10:00:00",
		"2025-01-06 10:00:00+0", "2025-01-06 10:00:00+00 ", "2025-01-06 10:00:00+01",
		"2025-01-06 10:00:00-00", "2025-01-06 10:00:00Z", "2025-01-06T10:00:00+00",
		"2025-1-06 10:00:00+00", "25-01-06 10:00:00+00", "02025-01-06 10:00:00+00",
		"0000-01-01 00:00:00+00", "2025-00-06 10:00:00+00", "2025-13-06 10:00:00+00",
		"2025-01-00 10:00:00+00", "2025-01-32 10:00:00+00", "2025-04-31 10:00:00+00",
		"2023-02-29 10:00:00+00", "1900-02-29 10:00:00+00", "2100-02-29 10:00:00+00",
		"2025-01-06 24:00:00+00", "2025-01-06 10:60:00+00", "2025-01-06 10:00:60+00",
		"2025-01-06 10:00:00.+00", "2025-01-06 10:00:00.1234567+00",
		"2025-01-06 10:00:00.5 +00", "2025-01-06 10:00:00+00 BC", "2025-01-06 10:00:00+00:00",
		" 2025-01-06 10:00:00+00", "2025-01-06  10:00:00+00", "2025-01-06 1a:00:00+00",
	};
	static const char *const decimals[] = {
		"0", "-0", "25", "2.5", "35.99", "0.1", "0.3", "-12.345", "1.7976931348623",
		"999999999999999", "0.00000000000001", "123456789.012345", "9007199254740.99",
		"5e-324" + 5,			/* "4": a digit */
	};
	static const char *const declined_decimals[] = {
		"", "-", "+5", ".5", "5.", "-.5", "1e10", "1E10", "1e+20", "0x10", "inf", "Infinity",
		"NaN", "1,5", " 5", "5 ", "--5", "1.2.3", "9999999999999999", "0.000000000000001",
		"1234567890123456", "12345678.90123456",
	};
	char		buf[64];
	int			mismatches = 0;

	unit_diag("times in the canonical form");
	time_is("2000-01-01 00:00:00+00", 0);
	time_is("1999-12-31 23:59:59+00", -1000000);
	time_is("2025-01-06 10:00:00+00", INT64_C(789472800000000));
	time_is("2025-01-06 10:00:00.25+00", INT64_C(789472800250000));
	time_is("2025-01-06 10:00:00.000001+00", INT64_C(789472800000001));
	time_is("2025-01-06 10:00:00.999999+00", INT64_C(789472800999999));
	time_is("2024-02-29 12:34:56+00", INT64_C(762525296000000));
	time_is("2000-02-29 00:00:00+00", INT64_C(5097600000000));
	time_is("1600-03-01 00:00:00+00", INT64_C(-12617596800000000));
	time_is("0001-01-01 00:00:00+00", INT64_C(-63082281600000000));
	time_is("9999-12-31 23:59:59.999999+00", INT64_C(252455615999999999));

	/*
	 * Every day of years 1 to 9999: the dates that read are exactly the 3,652,059 days of the
	 * calendar, each one day after the one before, from 0001-01-01 to 9999-12-31 (the ends
	 * checked above); every other day number of a month (02-30, 04-31...) is declined.
	 */
	{
		int64_t		previous = 0;
		int64_t		accepted = 0;
		int64_t		steps_wrong = 0;

		for (int year = 1; year <= 9999; year++)
			for (int month = 1; month <= 12; month++)
				for (int day = 1; day <= 31; day++)
				{
					int64_t		t;

					snprintf(buf, sizeof(buf), "%04d-%02d-%02d 00:00:00+00", year, month, day);
					if (!canonical_utc_time(buf, &t))
						continue;
					if (accepted++ > 0 && t - previous != INT64_C(86400000000))
						steps_wrong++;
					previous = t;
				}
		unit_int64_is(accepted, 3652059, "the dates that read are the 3,652,059 days from 0001-01-01 to 9999-12-31");
		unit_int64_is(steps_wrong, 0, "each date reads as one day after the one before");
		unit_int64_is(previous, INT64_C(252455529600000000), "the last one is 9999-12-31");
	}

	unit_diag("other spellings are declined");
	for (size_t i = 0; i < LENGTH(declined_times); i++)
		time_declined(declined_times[i]);

	unit_diag("short decimals read as strtod reads them");
	for (size_t i = 0; i < LENGTH(decimals); i++)
		decimal_is_strtod(decimals[i]);
	for (size_t i = 0; i < LENGTH(declined_decimals); i++)
		decimal_declined(declined_decimals[i]);

	/* every length and scale: units below 10^digits, the point after any of them */
	for (int i = 0; i < 200000; i++)
	{
		int			count = 1 + (int) (rng_next() % 15);
		int			scale = (int) (rng_next() % (uint64_t) (count + 1));
		uint64_t	units = rng_next() % 1000000000000000ULL;
		char		all[32];
		double		actual;
		int			len;

		snprintf(all, sizeof(all), "%015llu", (unsigned long long) units);
		len = snprintf(buf, sizeof(buf), "%s%.*s", (i & 1) ? "-" : "", count - scale, all + 15 - count);
		if (scale > 0)
			snprintf(buf + len, sizeof(buf) - len, ".%.*s", scale, all + 15 - scale);
		if (count == scale)
			continue;			/* ".123": not canonical, no digit before the point */
		if (!canonical_decimal(buf, &actual) ||
			memcmp(&actual, &(double) {strtod(buf, NULL)}, sizeof(double)) != 0)
		{
			if (mismatches++ < 5)
				unit_diag("differs from strtod: \"%s\"", buf);
		}
	}
	unit_int64_is(mismatches, 0, "200,000 pseudo-random decimals read as strtod reads them");
	return unit_done();
}
