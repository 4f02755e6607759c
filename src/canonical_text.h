/*
 * canonical_text.h
 *	  The canonical text the summary types print, read back directly: a time in UTC as
 *	  calendar_utc_text writes it ("2025-01-06 10:00:00.25+00") and a short decimal as
 *	  PostgreSQL's shortest-exact float8 output writes it ("35.99").
 *
 * Why: postgres_fdw ships every summary from the shards to the coordinator as text, and the
 * general parsers (PostgreSQL's date/time parser, strtod) cost about a microsecond an order.
 * These readers accept only the canonical spelling and decline everything else, which then goes
 * to the general parser (summary.c): they never disagree with it, they only decline.  A
 * declined token costs a few character tests.
 *
 * Pure C, no PostgreSQL headers: unit-tested on their own (test/unit/test_canonical_text.c).
 */
#ifndef PROFILING_CANONICAL_TEXT_H
#define PROFILING_CANONICAL_TEXT_H

#include <stdbool.h>
#include <stdint.h>

/*
 * A time "YYYY-MM-DD HH:MM:SS[.F]+00" (a year of four digits from 0001, one to six fraction
 * digits, a valid calendar date, seconds below 60) as microseconds since 2000-01-01 00:00 UTC,
 * PostgreSQL's timestamptz; false for any other text.
 */
extern bool canonical_utc_time(const char *token, int64_t *result);

/*
 * A decimal "[-]D[.D]" of at most 15 digits as the double nearest to it, which is what strtod
 * gives (the digits make an integer below 2^53 and the scale a power of ten below 10^23, both
 * exact doubles, so one division rounds correctly); false for any other text (exponents,
 * more digits, "inf", a sign "+", a missing digit around the point).
 */
extern bool canonical_decimal(const char *token, double *result);

#endif							/* PROFILING_CANONICAL_TEXT_H */
