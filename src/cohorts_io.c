/*
 * cohorts_io.c
 *	  The cohorts type's text and binary forms.
 *
 * Text form, lossless: the unit, then one (cohort, period, retained, revenue) element for each
 * cell with customers, by cohort then period:
 *	  {(month),(2025-01-01,0,3,120.5),(2025-01-01,2,1,20),(2025-02-01,0,1,5)}
 * Cohorts are ISO dates (whatever DateStyle says), revenues PostgreSQL's shortest exact float8
 * digits, so c::text::cohorts is c byte for byte.  The cells left out have no customers (and
 * no revenue); the last period is the latest one listed.  Input accepts the cells in any order
 * and blanks, and checks what the aggregate guarantees: each date starts a period of the unit,
 * each cohort has its period 0, no period has more customers than its cohort.
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * cohorts.c).
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/datetime.h"

#include "cohorts.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(cohorts_in);
PG_FUNCTION_INFO_V1(cohorts_out);
PG_FUNCTION_INFO_V1(cohorts_recv);
PG_FUNCTION_INFO_V1(cohorts_send);

/* ---------------------------------------------------------------------------------------------
 * Text input
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

typedef struct TextState
{
	ChBuilder  *builder;		/* NULL until the unit is read */
} TextState;

static void pg_attribute_noreturn()
syntax_error(const char *input, const char *detail_format, const char *at)
{
	summary_error_syntax(CH_TYPE_NAME, input, detail_format, POSITION(at));
}

/* n digits at p */
static bool
digits(const char *p, int n)
{
	for (int i = 0; i < n; i++)
		if (!isdigit((unsigned char) p[i]))
			return false;
	return true;
}

/* A date as the text form writes it: YYYY-MM-DD, with " BC" for years before 1. */
static DateADT
parse_date(const char *input, const char *token, const char *at)
{
	size_t		year_digits = strspn(token, "0123456789");
	const char *p = token + year_digits;
	int			year,
				month,
				day;
	DateADT		result;

	if (year_digits < 4 || year_digits > 7 || p[0] != '-' || !digits(p + 1, 2) || p[3] != '-' ||
		!digits(p + 4, 2) || (p[6] != '\0' && pg_strcasecmp(p + 6, " BC") != 0))
		syntax_error(input, "Expected a date such as 2025-01-01 at character %d.", at);
	year = atoi(token);
	month = atoi(p + 1);
	day = atoi(p + 4);
	if (year < 1)
		syntax_error(input, "Invalid date at character %d.", at);
	if (p[6] != '\0')
		year = 1 - year;		/* 1 BC is year 0 */
	if (month < 1 || month > 12 || day < 1 ||
		day > day_tab[isleap(year)][month - 1] || !IS_VALID_JULIAN(year, month, day))
		syntax_error(input, "Invalid date at character %d.", at);
	result = date2j(year, month, day) - POSTGRES_EPOCH_JDATE;
	if (!IS_VALID_DATE(result))
		syntax_error(input, "Invalid date at character %d.", at);
	return result;
}

/* A count of customers: a whole number of bigint's range. */
static int64
parse_count(const char *input, const char *token, const char *at)
{
	char	   *end;
	int64		value;

	if (token[0] == '\0' || strspn(token, "0123456789") != strlen(token))
		syntax_error(input, "Expected a count of customers at character %d.", at);
	errno = 0;
	value = strtoi64(token, &end, 10);
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type bigint", token)));
	return value;
}

/* The unit, alone in the first element. */
static const char *
parse_unit(const char *input, const char *start, TextState *state)
{
	char	   *token;
	const char *p = summary_field(CH_TYPE_NAME, input, start, ")",
								  "Expected the unit alone, as in (month), at character %d.", &token);

	for (int unit = CH_FIRST_UNIT; unit <= CH_LAST_UNIT; unit++)
		if (strcmp(token, ch_unit_name(unit)) == 0)
			state->builder = ch_builder_create(CurrentMemoryContext, unit);
	if (state->builder == NULL)
		syntax_error(input, "Expected week, month, quarter or year at character %d.", start);
	return p;
}

/* One element: the unit first, then (cohort, period, retained, revenue) cells. */
static const char *
parse_element(const char *input, const char *start, void *arg)
{
	TextState  *state = arg;
	ChBuilder  *b = state->builder;
	const char *p;
	const char *fields[4];
	char	   *token[4];
	DateADT		cohort;
	int32		period;
	int64		retained;
	float8		revenue;
	ChCell	   *cells;

	if (b == NULL)
		return parse_unit(input, start, state);

	fields[0] = start;
	p = summary_field(CH_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the cohort at character %d.", &token[0]);
	fields[1] = p + 1;
	p = summary_field(CH_TYPE_NAME, input, fields[1], ",",
					  "Expected \",\" after the period at character %d.", &token[1]);
	fields[2] = p + 1;
	p = summary_field(CH_TYPE_NAME, input, fields[2], ",",
					  "Expected \",\" after the customers at character %d.", &token[2]);
	fields[3] = p + 1;
	p = summary_field(CH_TYPE_NAME, input, fields[3], ")",
					  "Expected \")\" after the revenue at character %d.", &token[3]);

	cohort = parse_date(input, token[0], fields[0]);
	if (ch_period_start(b->unit, ch_period_of(b->unit, cohort)) != cohort)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", CH_TYPE_NAME, input),
				 errdetail("The cohort at character %d does not start a %s.",
						   POSITION(fields[0]), ch_unit_name(b->unit))));
	period = summary_parse_int32(CH_TYPE_NAME, input, token[1], POSITION(fields[1]));
	if (period < 0 || period >= CH_MAX_PERIODS)
		syntax_error(input, "The period at character %d is not between 0 and 1999.", fields[1]);
	retained = parse_count(input, token[2], fields[2]);
	if (retained < 1)
		syntax_error(input, "The customers at character %d are not 1 or more: only periods with customers are listed.", fields[2]);
	revenue = summary_parse_float8(CH_TYPE_NAME, input, token[3], POSITION(fields[3]));
	if (!(revenue >= 0 && revenue <= DBL_MAX))
		syntax_error(input, "The revenue at character %d is not a finite number of zero or more.",
					 fields[3]);

	cells = ch_builder_cells(b, ch_period_of(b->unit, cohort), period);
	if (cells[period].retained != 0)
		syntax_error(input, "The cohort and period at character %d appear twice.", fields[0]);
	cells[period].retained = retained;
	if (revenue != 0)
		ch_cell_add_revenue(&cells[period], revenue);
	return p;
}

Datum
cohorts_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	TextState	state = {NULL};
	Cohorts    *ch;
	const char *invalid;

	summary_parse_list(CH_TYPE_NAME, input, parse_element, &state);
	if (state.builder == NULL)
		syntax_error(input, "Expected the unit first, as in {(month)}, at character %d.", input);
	ch = ch_from_builder(state.builder);
	invalid = ch_invalid(ch);
	if (invalid != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", CH_TYPE_NAME, input),
				 errdetail("%s", invalid)));
	PG_RETURN_COHORTS_P(ch);
}

/* ---------------------------------------------------------------------------------------------
 * Text output
 * ---------------------------------------------------------------------------------------------
 */

/* An ISO date, whatever DateStyle says. */
static void
append_date(StringInfo out, DateADT day)
{
	struct pg_tm tm;
	char		buf[MAXDATELEN + 1];

	memset(&tm, 0, sizeof(tm));
	j2date(day + POSTGRES_EPOCH_JDATE, &tm.tm_year, &tm.tm_mon, &tm.tm_mday);
	EncodeDateOnly(&tm, USE_ISO_DATES, buf);
	appendStringInfoString(out, buf);
}

Datum
cohorts_out(PG_FUNCTION_ARGS)
{
	Cohorts    *ch = PG_GETARG_COHORTS_P(0);
	const int64 *retained = CH_RETAINED(ch);
	const float8 *revenue = CH_REVENUE(ch);
	StringInfoData out;
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];
	int32		cell = 0;

	initStringInfo(&out);
	appendStringInfo(&out, "{(%s)", ch_unit_name(ch->unit));
	for (int32 i = 0; i < ch->ncohorts; i++)
	{
		int32		periods = ch_cohort_periods(ch, i);

		CHECK_FOR_INTERRUPTS();
		for (int32 k = 0; k < periods; k++, cell++)
		{
			if (retained[cell] == 0)
				continue;
			appendStringInfoString(&out, ",(");
			append_date(&out, CH_STARTS(ch)[i]);
			double_to_shortest_decimal_buf(revenue[cell], buf);
			appendStringInfo(&out, ",%d," INT64_FORMAT ",%s)", k, retained[cell], buf);
		}
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

Datum
cohorts_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_COHORTS_P(ch_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
cohorts_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(ch_binary(PG_GETARG_COHORTS_P(0)));
}
