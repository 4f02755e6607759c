/*
 * unit.h
 *	  Assertions for the C unit tests in test/unit/ (see run.sh).  Each check prints one TAP line,
 *	  "ok N - description" or "not ok N - description", and on failure "# " lines with the
 *	  expected and the actual value; unit_done() prints the plan "1..N" and returns the exit
 *	  status.  A program that dies before unit_done() leaves no plan, which run.sh counts as a
 *	  failure.  Doubles are compared by their bits: where exactness is the point, "close" is wrong.
 */
#ifndef PROFILING_UNIT_H
#define PROFILING_UNIT_H

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define UNIT_PRINTF(f, a) __attribute__((format(printf, f, a)))

#define LENGTH(a) (sizeof(a) / sizeof((a)[0]))

static int	unit_run;
static int	unit_failed;

/*
 * The TAP line for one assertion; the caller prints the diagnostics of a failure after it (they
 * are flushed with the next line, or by exit).
 */
static inline bool
unit_result(bool ok, const char *fmt, va_list ap)
{
	unit_run++;
	if (!ok)
		unit_failed++;
	printf("%sok %d - ", ok ? "" : "not ", unit_run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);				/* whole lines even if the program dies next */
	return ok;
}

/* The TAP line of ok, described by the caller's own fmt and "..." arguments. */
#define UNIT_RESULT(ok, fmt) \
	do { \
		va_list		ap_; \
		va_start(ap_, fmt); \
		unit_result(ok, fmt, ap_); \
		va_end(ap_); \
	} while (0)

static inline UNIT_PRINTF(2, 3) bool
unit_ok(bool ok, const char *fmt, ...)
{
	UNIT_RESULT(ok, fmt);
	return ok;
}

static inline void
unit_diag_double(const char *label, double v)
{
	printf("#   %-9s %.17g (%a)\n", label, v, v);
}

/* actual and expected are the same double, bit for bit (so 0.0 is not -0.0, and NaN is NaN). */
static inline UNIT_PRINTF(3, 4) bool
unit_double_is(double actual, double expected, const char *fmt, ...)
{
	bool		ok = memcmp(&actual, &expected, sizeof(double)) == 0;

	UNIT_RESULT(ok, fmt);
	if (!ok)
	{
		unit_diag_double("expected:", expected);
		unit_diag_double("actual:", actual);
	}
	return ok;
}

/* |actual - expected| <= tolerance * |expected|, and actual finite (numerical code checked against references) */
static inline UNIT_PRINTF(4, 5) bool
relative_near(double actual, double expected, double tolerance, const char *fmt, ...)
{
	bool		ok = isfinite(actual) && fabs(actual - expected) <= tolerance * fabs(expected);

	UNIT_RESULT(ok, fmt);
	if (!ok)
	{
		printf("#   relative tolerance %g\n", tolerance);
		unit_diag_double("expected:", expected);
		unit_diag_double("actual:", actual);
	}
	return ok;
}

/* actual is within ulps units in the last place of expected (a finite, nonzero double). */
static inline UNIT_PRINTF(4, 5) bool
unit_double_near(double actual, double expected, int ulps, const char *fmt, ...)
{
	double		ulp = nextafter(fabs(expected), INFINITY) - fabs(expected);
	bool		ok = fabs(actual - expected) <= ulps * ulp;

	UNIT_RESULT(ok, fmt);
	if (!ok)
	{
		printf("#   within %d ulp (%a) of\n", ulps, ulp);
		unit_diag_double("expected:", expected);
		unit_diag_double("actual:", actual);
	}
	return ok;
}

static inline UNIT_PRINTF(3, 4) bool
unit_int64_is(int64_t actual, int64_t expected, const char *fmt, ...)
{
	bool		ok = actual == expected;

	UNIT_RESULT(ok, fmt);
	if (!ok)
	{
		printf("#   expected: %" PRId64 "\n", expected);
		printf("#   actual:   %" PRId64 "\n", actual);
	}
	return ok;
}

/* A "# " comment line: a heading for the checks that follow. */
static inline UNIT_PRINTF(1, 2) void
unit_diag(const char *fmt, ...)
{
	va_list		ap;

	va_start(ap, fmt);
	fputs("# ", stdout);
	vprintf(fmt, ap);
	putchar('\n');
	va_end(ap);
}

/* The plan, last; the exit status of the test program. */
static inline int
unit_done(void)
{
	printf("1..%d\n", unit_run);
	return unit_failed == 0 ? 0 : 1;
}

#endif							/* PROFILING_UNIT_H */
