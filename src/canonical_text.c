/*
 * canonical_text.c
 *	  The canonical text of times and numbers, read directly (canonical_text.h).
 */
#include "canonical_text.h"

#define USECS_PER_SEC		INT64_C(1000000)
#define SECS_PER_DAY		INT64_C(86400)
/* days from 1970-01-01 (days_from_civil's origin) to 2000-01-01 (PostgreSQL's) */
#define PG_EPOCH_DAYS		INT64_C(10957)
#define MAX_DECIMAL_DIGITS	15		/* 10^15 - 1 < 2^53: every such integer is a double */

static const double powers_of_ten[MAX_DECIMAL_DIGITS + 1] = {
	1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15
};

static inline bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The number written by the n digits at s (checked to be digits). */
static int
digits(const char *s, int n)
{
	int			value = 0;

	for (int i = 0; i < n; i++)
		value = value * 10 + (s[i] - '0');
	return value;
}

static bool
is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/*
 * Days from 1970-01-01 to a date of the proleptic Gregorian calendar, which PostgreSQL uses
 * for every year (the algorithm of H. Hinnant, "chrono-compatible low-level date algorithms").
 */
static int64_t
days_from_civil(int year, int month, int day)
{
	int64_t		y = year - (month <= 2);
	int64_t		era = (y >= 0 ? y : y - 399) / 400;
	int64_t		year_of_era = y - era * 400;
	int64_t		day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int64_t		day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;

	return era * 146097 + day_of_era - 719468;
}

bool
canonical_utc_time(const char *s, int64_t *result)
{
	static const char pattern[] = "dddd-dd-dd dd:dd:dd";
	static const int month_days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	int			year,
				month,
				day,
				hour,
				minute,
				second;
	int64_t		fraction = 0;
	const char *p;

	/*
	 * "YYYY-MM-DD HH:MM:SS", character by character: a shorter token fails at its '\0', so
	 * nothing beyond it is read.
	 */
	for (int i = 0; pattern[i] != '\0'; i++)
		if (pattern[i] == 'd' ? !is_digit(s[i]) : s[i] != pattern[i])
			return false;
	year = digits(s, 4);
	month = digits(s + 5, 2);
	day = digits(s + 8, 2);
	hour = digits(s + 11, 2);
	minute = digits(s + 14, 2);
	second = digits(s + 17, 2);
	if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59)
		return false;
	if (day > month_days[month - 1] + (month == 2 && is_leap(year)))
		return false;

	p = s + 19;
	if (*p == '.')
	{
		int			n = 0;

		for (p++; is_digit(*p) && n < 6; p++, n++)
			fraction = fraction * 10 + (*p - '0');
		if (n == 0 || is_digit(*p))
			return false;		/* no digit, or more than six */
		for (; n < 6; n++)
			fraction *= 10;
	}
	if (p[0] != '+' || p[1] != '0' || p[2] != '0' || p[3] != '\0')
		return false;

	*result = ((days_from_civil(year, month, day) - PG_EPOCH_DAYS) * SECS_PER_DAY +
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
