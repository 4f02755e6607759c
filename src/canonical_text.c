/*
 * canonical_text.c
 *	  The canonical text of times and numbers, read directly (canonical_text.h).
 */
#include "canonical_text.h"

#define USECS_PER_SEC		INT64_C(1000000)
#define SECS_PER_DAY		INT64_C(86400)
#define MAX_DECIMAL_DIGITS	15		/* 10^15 - 1 < 2^53: every such integer is a double */

static const double powers_of_ten[MAX_DECIMAL_DIGITS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
};

static inline bool
is_digit(char c)
{
	return (unsigned) (c - '0') <= 9;
}

/* The value of the digit at s[i], or -1 for anything else ('\0' included). */
#define DIGIT(s, i)		((unsigned) ((s)[i] - '0') <= 9 ? (s)[i] - '0' : -1)

static bool
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days of a common year before each month. */
static const int days_before_month[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

/*
 * Days from 0001-01-01 to a date of the proleptic Gregorian calendar, which PostgreSQL uses for
 * every year; 2000-01-01, PostgreSQL's epoch, is day 730119.
 */
#define PG_EPOCH_DAY	730119

static int64_t
day_number(int year, int month, int day)
{
	int64_t		y = year - 1;

	return y * 365 + y / 4 - y / 100 + y / 400 + days_before_month[month - 1] +
		(month > 2 && is_leap(year)) + day - 1;
}

/*
 * The two digits at s[i] and s[i + 1] as a number, or -1: a '\0' fails the first test, so no
 * character beyond the token's end is read.
 */
static inline int
two_digits(const char *s, int i)
{
	int			tens = DIGIT(s, i);
	int			ones;

	if (tens < 0)
		return -1;
	ones = DIGIT(s, i + 1);
	return ones < 0 ? -1 : tens * 10 + ones;
}

bool
canonical_utc_time(const char *s, int64_t *result)
{
	int			century,
				year,
				month,
				day,
				hour,
				minute,
				second;
	int64_t		fraction = 0;
	const char *p;

	/* "YYYY-MM-DD HH:MM:SS", left to right: each test stops at the token's '\0' */
	if ((century = two_digits(s, 0)) < 0 || (year = two_digits(s, 2)) < 0 || s[4] != '-' ||
		(month = two_digits(s, 5)) < 0 || s[7] != '-' ||
		(day = two_digits(s, 8)) < 0 || s[10] != ' ' ||
		(hour = two_digits(s, 11)) < 0 || s[13] != ':' ||
		(minute = two_digits(s, 14)) < 0 || s[16] != ':' ||
		(second = two_digits(s, 17)) < 0)
		return false;
	year += century * 100;
	if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
		return false;
	if (day > month_days[month - 1] + (month == 2 && is_leap(year)))
		return false;

	p = s + 19;
	if (*p == '.')
	{
		int			n = 0;
		int			d;

		for (p++; (d = DIGIT(p, 0)) >= 0 && n < 6; p++, n++)
			fraction = fraction * 10 + d;
		if (n == 0 || DIGIT(p, 0) >= 0)
			return false;		/* no digit, or more than six */
		for (; n < 6; n++)
			fraction *= 10;
	}
	if (p[0] != '+' || p[1] != '0' || p[2] != '0' || p[3] != '\0')
		return false;

	*result = ((day_number(year, month, day) - PG_EPOCH_DAY) * SECS_PER_DAY +
			   hour * INT64_C(3600) + minute * INT64_C(60) + second) * USECS_PER_SEC + fraction;
	return true;
}

bool
canonical_decimal(const char *s, double *result)
{
	const char *p = s;
	bool		negative = false;
	uint64_t	units = 0;
	int			count = 0;
	int			scale = 0;
	double		value;

	if (*p == '-')
	{
		negative = true;
		p++;
	}
	if (!is_digit(*p))
		return false;
	for (; is_digit(*p); p++)
	{
		if (++count > MAX_DECIMAL_DIGITS)
			return false;
		units = units * 10 + (uint64_t) (*p - '0');
	}
	if (*p == '.')
	{
		if (!is_digit(*++p))
			return false;
		for (; is_digit(*p); p++, scale++)
		{
			if (++count > MAX_DECIMAL_DIGITS)
				return false;
			units = units * 10 + (uint64_t) (*p - '0');
		}
	}
	if (*p != '\0')
		return false;
	value = (double) units;
	if (scale > 0)
		value /= powers_of_ten[scale];
	*result = negative ? -value : value;
	return true;
}
