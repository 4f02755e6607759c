/*
 * cohorts.c
 *	  The cohorts type's core (see cohorts.h): units and their periods, reading a value safely,
 *	  checking one, the builder and the canonical value made from it, and the binary form
 *	  (written by send and serialize, read by recv and deserialize).
 *
 * The canonical form: cohorts ascending by start, each with exactly the cells from its period
 * to the last period with any purchase, -0 stored as +0.  Every path that makes a value (the
 * aggregates, text and binary input) ends in ch_from_builder or is checked by ch_invalid.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/datetime.h"

#include "cohorts.h"
#include "summary.h"

/* ---------------------------------------------------------------------------------------------
 * Units and periods
 * ---------------------------------------------------------------------------------------------
 */

static const char *const unit_names[] = {NULL, "week", "month", "quarter", "year"};

const char *
ch_unit_name(int unit)
{
	if (unit < CH_FIRST_UNIT || unit > CH_LAST_UNIT)
		elog(ERROR, "unknown cohort unit %d", unit);
	return unit_names[unit];
}

/* As date_trunc reads its unit: any case. */
CohortUnit
ch_unit_from_name(const char *name, int len)
{
	for (int unit = CH_FIRST_UNIT; unit <= CH_LAST_UNIT; unit++)
		if (strlen(unit_names[unit]) == (size_t) len &&
			pg_strncasecmp(name, unit_names[unit], len) == 0)
			return (CohortUnit) unit;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unit \"%.*s\" is not supported", len, name),
			 errdetail("Cohorts are calendar periods of the session TimeZone."),
			 errhint("The unit is week, month, quarter or year.")));
}

/* floor(a / b) for b > 0, also for negative a (days before 2000 are negative) */
static inline int32
floor_div(int32 a, int32 b)
{
	return a / b - (a % b < 0 ? 1 : 0);
}

/* 2000-01-03, DateADT 2, is a Monday: ISO weeks, as date_trunc('week') starts them. */
#define MONDAY_2000_01_03	2

int32
ch_period_of(CohortUnit unit, DateADT day)
{
	int			year,
				month,
				mday;

	if (unit == CH_UNIT_WEEK)
		return floor_div(day - MONDAY_2000_01_03, 7);
	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	switch (unit)
	{
		case CH_UNIT_MONTH:
			return year * 12 + (month - 1);
		case CH_UNIT_QUARTER:
			return year * 4 + (month - 1) / 3;
		default:
			return year;
	}
}

DateADT
ch_period_start(CohortUnit unit, int32 period)
{
	int32		year;

	switch (unit)
	{
		case CH_UNIT_WEEK:
			return period * 7 + MONDAY_2000_01_03;
		case CH_UNIT_MONTH:
			year = floor_div(period, 12);
			return date2j(year, period - year * 12 + 1, 1) - POSTGRES_EPOCH_JDATE;
		case CH_UNIT_QUARTER:
			year = floor_div(period, 4);
			return date2j(year, (period - year * 4) * 3 + 1, 1) - POSTGRES_EPOCH_JDATE;
		default:
			return date2j(period, 1, 1) - POSTGRES_EPOCH_JDATE;
	}
}

/* A valid date that starts a period of unit. */
static bool
is_period_start(CohortUnit unit, DateADT day)
{
	return IS_VALID_DATE(day) && ch_period_start(unit, ch_period_of(unit, day)) == day;
}

/* ---------------------------------------------------------------------------------------------
 * Sizes and reading a value
 * ---------------------------------------------------------------------------------------------
 */

#define CH_MAX_CELLS	((int64) CH_MAX_PERIODS * (CH_MAX_PERIODS + 1) / 2)

static void pg_attribute_noreturn()
error_too_many_periods(void)
{
	summary_error_too_many("periods", "cohorts summary", CH_MAX_PERIODS);
}

static Size
ch_size(int32 ncohorts, int32 ncells)
{
	return add_size(add_size(CH_HEADER_SIZE, mul_size(sizeof(int64) + sizeof(float8), ncells)),
					mul_size(sizeof(int32), ncohorts));
}

/* A zeroed value of ncohorts cohorts and ncells cells: the caller writes the columns. */
static Cohorts *
ch_allocate(CohortUnit unit, int32 ncohorts, int32 ncells, DateADT last)
{
	Size		size = ch_size(ncohorts, ncells);
	Cohorts    *ch = palloc0(size);

	SET_VARSIZE(ch, size);
	ch->version = CH_FORMAT_VERSION;
	ch->unit = unit;
	ch->ncohorts = ncohorts;
	ch->ncells = ncells;
	ch->last = last;
	return ch;
}

/*
 * The cells the cohorts starting on starts[0..n) have when the last period starts on last, or
 * -1 when the starts are not valid ascending period starts within CH_MAX_PERIODS of last.
 */
static int64
count_cells(CohortUnit unit, const int32 *starts, int32 n, DateADT last)
{
	int64		cells = 0;
	int32		last_period;

	if (n == 0)
		return last == 0 ? 0 : -1;
	if (!is_period_start(unit, last))
		return -1;
	last_period = ch_period_of(unit, last);
	for (int32 i = 0; i < n; i++)
	{
		int32		period;

		if (!is_period_start(unit, starts[i]) || (i > 0 && starts[i] <= starts[i - 1]))
			return -1;
		period = ch_period_of(unit, starts[i]);
		if (period > last_period || last_period - period >= CH_MAX_PERIODS)
			return -1;
		cells += last_period - period + 1;
	}
	return cells;
}

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.  The cell count is checked against the starts, so
 * that readers may index cells by them.
 */
Cohorts *
ch_detoast(Datum datum)
{
	Cohorts    *ch = (Cohorts *) PG_DETOAST_DATUM(datum);
	Size		size = VARSIZE(ch);

	if (size < CH_HEADER_SIZE)
		summary_error_corrupted(CH_TYPE_NAME);
	summary_check_version(CH_TYPE_NAME, ch->version, CH_FORMAT_VERSION);
	if (ch->unit < CH_FIRST_UNIT || ch->unit > CH_LAST_UNIT ||
		ch->reserved1 != 0 || ch->reserved2 != 0 ||
		ch->ncohorts < 0 || ch->ncohorts > CH_MAX_PERIODS ||
		ch->ncells < 0 || ch->ncells > CH_MAX_CELLS ||
		size != ch_size(ch->ncohorts, ch->ncells) ||
		count_cells(ch->unit, CH_STARTS(ch), ch->ncohorts, ch->last) != ch->ncells)
		summary_error_corrupted(CH_TYPE_NAME);
	return ch;
}

int32
ch_cohort_periods(const Cohorts *ch, int32 i)
{
	return ch_period_of(ch->unit, ch->last) - ch_period_of(ch->unit, CH_STARTS(ch)[i]) + 1;
}

/*
 * The checks of a value whose layout holds together (count_cells): what a value made by the
 * aggregates always satisfies.
 */
const char *
ch_invalid(const Cohorts *ch)
{
	const int64 *retained = CH_RETAINED(ch);
	const float8 *revenue = CH_REVENUE(ch);
	int32		cell = 0;
	bool		last_bought = ch->ncohorts == 0;

	for (int32 i = 0; i < ch->ncohorts; i++)
	{
		int32		periods = ch_cohort_periods(ch, i);
		int64		size = retained[cell];

		CHECK_FOR_INTERRUPTS();
		if (size < 1)
			return "A cohort has no customers in its first period.";
		for (int32 k = 0; k < periods; k++, cell++)
		{
			if (retained[cell] < 0 || retained[cell] > size)
				return "A period has more customers than its cohort, or fewer than none.";
			if (!(revenue[cell] >= 0 && revenue[cell] <= DBL_MAX) ||
				(revenue[cell] == 0 && signbit(revenue[cell])))
				return "A revenue is negative, not finite or -0.";
			if (retained[cell] == 0 && revenue[cell] != 0)
				return "A period without customers has revenue.";
		}
		if (retained[cell - 1] > 0)
			last_bought = true;
	}
	if (!last_bought)
		return "No cohort bought in the last period.";
	return NULL;
}

/* ---------------------------------------------------------------------------------------------
 * The builder
 * ---------------------------------------------------------------------------------------------
 */

ChBuilder *
ch_builder_create(MemoryContext context, CohortUnit unit)
{
	ChBuilder  *b = MemoryContextAllocZero(context, sizeof(ChBuilder));

	b->context = context;
	b->unit = unit;
	return b;
}

/*
 * cohorts[] covering b->first .. b->last (every cohort lies there), with room to grow on the
 * side it grew on.  That span is within CH_MAX_PERIODS, so the array stays small.
 */
static void
cover_cohorts(ChBuilder *b, bool downward)
{
	int32		span = b->last - b->first + 1;
	int32		new_capacity;
	int32		new_base;
	ChCohort   *cohorts;

	if (b->cohorts != NULL && b->first >= b->base && b->last < b->base + b->capacity)
		return;
	new_capacity = 2 * span + 8;
	new_base = downward ? b->last - new_capacity + 1 : b->first;
	cohorts = MemoryContextAllocZero(b->context, sizeof(ChCohort) * new_capacity);
	for (int32 j = 0; b->cohorts != NULL && j < b->capacity; j++)
	{
		int32		at = b->base + j - new_base;

		if (at >= 0 && at < new_capacity)
			cohorts[at] = b->cohorts[j];
	}
	if (b->cohorts != NULL)
		pfree(b->cohorts);
	b->cohorts = cohorts;
	b->base = new_base;
	b->capacity = new_capacity;
}

ChCell *
ch_builder_cells(ChBuilder *b, int32 cohort, int32 max_offset)
{
	int32		first = b->any ? Min(b->first, cohort) : cohort;
	int64		last = (int64) cohort + max_offset;
	ChCohort   *c;

	if (b->any)
		last = Max(last, b->last);
	if (max_offset < 0 || last - first >= CH_MAX_PERIODS)
		error_too_many_periods();
	b->any = true;
	b->first = first;
	b->last = (int32) last;
	cover_cohorts(b, b->cohorts != NULL && cohort < b->base);

	c = &b->cohorts[cohort - b->base];
	if (max_offset >= c->capacity)
	{
		int32		capacity = Min(Max(max_offset + 1, 2 * c->capacity), CH_MAX_PERIODS);
		ChCell	   *cells = MemoryContextAllocZero(b->context, sizeof(ChCell) * capacity);

		if (c->cells != NULL)
		{
			memcpy(cells, c->cells, sizeof(ChCell) * c->ncells);
			pfree(c->cells);
		}
		c->cells = cells;
		c->capacity = capacity;
	}
	c->ncells = Max(c->ncells, max_offset + 1);
	return c->cells;
}

float8
ch_cell_revenue(const ChCell *cell)
{
	float8		value;

	if (!cell->inexact)
		value = stats_decimal_value(&cell->dec, 1);
	else
		value = stats_sum_result(&cell->sum);
	if (!isfinite(value))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("sum of amounts is out of range for type double precision")));
	return value + 0.0;			/* -0 as +0 */
}

static void
check_same_unit(CohortUnit unit, int other)
{
	if (unit != other)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot combine cohorts of different units"),
				 errdetail("One summary counts in %ss, another in %ss.",
						   ch_unit_name(unit), ch_unit_name(other)),
				 errhint("Roll up summaries made with the same unit.")));
}

/* Adds retained customers and revenue to a cell. */
static inline void
add_to_cell(ChCell *cell, int64 retained, float8 revenue)
{
	cell->retained += retained;
	if (revenue != 0)
		ch_cell_add_revenue(cell, revenue);
}

void
ch_builder_add_value(ChBuilder *b, const Cohorts *ch)
{
	const int64 *retained = CH_RETAINED(ch);
	const float8 *revenue = CH_REVENUE(ch);
	int32		cell = 0;

	check_same_unit(b->unit, ch->unit);
	for (int32 i = 0; i < ch->ncohorts; i++)
	{
		int32		cohort = ch_period_of(b->unit, CH_STARTS(ch)[i]);
		int32		periods = ch_cohort_periods(ch, i);
		int32		used = periods;
		ChCell	   *cells;

		CHECK_FOR_INTERRUPTS();
		/* cells past the cohort's last purchase stay implicit */
		while (used > 1 && retained[cell + used - 1] == 0)
			used--;
		cells = ch_builder_cells(b, cohort, used - 1);
		for (int32 k = 0; k < used; k++)
			add_to_cell(&cells[k], retained[cell + k], revenue[cell + k]);
		cell += periods;
	}
}

void
ch_builder_add_builder(ChBuilder *b, const ChBuilder *other)
{
	check_same_unit(b->unit, other->unit);
	if (!other->any)
		return;
	for (int32 j = 0; j < other->capacity; j++)
	{
		const ChCohort *c = &other->cohorts[j];
		ChCell	   *cells;

		if (c->ncells == 0)
			continue;
		CHECK_FOR_INTERRUPTS();
		cells = ch_builder_cells(b, other->base + j, c->ncells - 1);
		for (int32 k = 0; k < c->ncells; k++)
			if (c->cells[k].retained != 0)
				add_to_cell(&cells[k], c->cells[k].retained, ch_cell_revenue(&c->cells[k]));
	}
}

Cohorts *
ch_from_builder(const ChBuilder *b)
{
	int32		ncohorts = 0;
	int64		ncells = 0;
	Cohorts    *ch;
	int64	   *retained;
	float8	   *revenue;
	int32	   *starts;
	int32		cell = 0;
	int32		i = 0;

	if (!b->any)
		return ch_allocate(b->unit, 0, 0, 0);

	for (int32 j = 0; j < b->capacity; j++)
		if (b->cohorts[j].ncells > 0)
		{
			ncohorts++;
			ncells += b->last - (b->base + j) + 1;
		}
	ch = ch_allocate(b->unit, ncohorts, (int32) ncells, ch_period_start(b->unit, b->last));
	if (!IS_VALID_DATE(ch->last))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range for a period start")));
	retained = CH_RETAINED(ch);
	revenue = CH_REVENUE(ch);
	starts = CH_STARTS(ch);
	for (int32 j = 0; j < b->capacity; j++)
	{
		const ChCohort *c = &b->cohorts[j];
		int32		periods = b->last - (b->base + j) + 1;

		if (c->ncells == 0)
			continue;
		CHECK_FOR_INTERRUPTS();
		starts[i] = ch_period_start(b->unit, b->base + j);
		if (!IS_VALID_DATE(starts[i]))
			ereport(ERROR,
					(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
					 errmsg("date out of range for a period start")));
		for (int32 k = 0; k < c->ncells; k++)
		{
			retained[cell + k] = c->cells[k].retained;
			revenue[cell + k] = ch_cell_revenue(&c->cells[k]);
		}
		/* the cells beyond ncells are zero (palloc0) */
		cell += periods;
		i++;
	}
	return ch;
}

/* ---------------------------------------------------------------------------------------------
 * The binary form: uint8 version, uint8 unit, int32 ncohorts, int32 last, int32 start[ncohorts],
 * then int64 retained[] and float8 revenue[] of every cell, in network byte order.  The cell
 * count follows from the starts and last.  The reader accepts exactly what the writer produces
 * and checks every length and value: it reads what clients send (recv) and what other
 * processes send (deserialize).
 * ---------------------------------------------------------------------------------------------
 */

static void pg_attribute_noreturn()
binary_error(const char *detail)
{
	summary_error_binary(CH_TYPE_NAME, detail);
}

bytea *
ch_binary(const Cohorts *ch)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, ch->version);
	pq_sendbyte(&buf, ch->unit);
	pq_sendint32(&buf, ch->ncohorts);
	pq_sendint32(&buf, ch->last);
	for (int32 i = 0; i < ch->ncohorts; i++)
		pq_sendint32(&buf, CH_STARTS(ch)[i]);
	for (int32 i = 0; i < ch->ncells; i++)
		pq_sendint64(&buf, CH_RETAINED(ch)[i]);
	for (int32 i = 0; i < ch->ncells; i++)
		pq_sendfloat8(&buf, CH_REVENUE(ch)[i]);
	return pq_endtypsend(&buf);
}

Cohorts *
ch_read_binary(StringInfo buf)
{
	int			unit;
	int32		ncohorts;
	DateADT		last;
	int32	   *starts;
	int64		ncells;
	Cohorts    *ch;
	const char *invalid;

	if (buf->len - buf->cursor < 10)
		binary_error("The value is shorter than its 10-byte header.");
	summary_check_binary_version(CH_TYPE_NAME, pq_getmsgbyte(buf), CH_FORMAT_VERSION);
	unit = pq_getmsgbyte(buf);
	if (unit < CH_FIRST_UNIT || unit > CH_LAST_UNIT)
		binary_error("The unit is unknown.");
	ncohorts = pq_getmsgint(buf, 4);
	last = pq_getmsgint(buf, 4);
	if (ncohorts < 0 || ncohorts > CH_MAX_PERIODS)
		binary_error("The cohort count is out of range.");
	if (buf->len - buf->cursor < (int) sizeof(int32) * ncohorts)
		binary_error("The value is shorter than its cohorts.");
	starts = palloc(sizeof(int32) * Max(ncohorts, 1));
	for (int32 i = 0; i < ncohorts; i++)
		starts[i] = pq_getmsgint(buf, 4);
	ncells = count_cells(unit, starts, ncohorts, last);
	if (ncells < 0)
		binary_error("The cohorts are not ascending period starts within the periods a summary spans.");
	if ((Size) (buf->len - buf->cursor) != (sizeof(int64) + sizeof(float8)) * ncells)
		binary_error("The length does not match the cohorts.");

	ch = ch_allocate(unit, ncohorts, (int32) ncells, last);
	memcpy(CH_STARTS(ch), starts, sizeof(int32) * ncohorts);
	pfree(starts);
	for (int32 i = 0; i < ncells; i++)
		CH_RETAINED(ch)[i] = pq_getmsgint64(buf);
	for (int32 i = 0; i < ncells; i++)
		CH_REVENUE(ch)[i] = pq_getmsgfloat8(buf);
	invalid = ch_invalid(ch);
	if (invalid != NULL)
		binary_error(invalid);
	return ch;
}
