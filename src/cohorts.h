/*
 * cohorts.h
 *	  The cohort-retention summary: customers grouped by the calendar period (week, month,
 *	  quarter or year) of their first purchase, and for each cohort and each later period how
 *	  many of them bought and what they spent.  This header declares what the type's core,
 *	  cohorts.c, defines: the layout, the units and their periods, reading a value safely,
 *	  checking one, the builder (the aggregates' state, and what text input fills) and the
 *	  canonical value made from it, and the binary form.  The text and binary forms
 *	  (cohorts_io.c), aggregates (_agg.c), readers (_accessors.c) and comparison operators
 *	  (_ops.c) build on it, and never on each other.
 *
 * Everything that depends on the session TimeZone is decided when the aggregate runs: a cohort
 * is stored as the date its period starts on and a purchase as a whole number of periods after
 * it, so that reading a stored value never depends on the session.
 *
 * On-disk / in-memory layout (version 1), 24-byte header then three columns:
 *
 *	  int32   vl_len_
 *	  uint8   version        CH_FORMAT_VERSION
 *	  uint8   unit           CohortUnit
 *	  uint16  reserved1      must be zero
 *	  int32   ncohorts
 *	  int32   ncells         the cells of every cohort, see below
 *	  int32   last           DateADT: the start of the last period with any purchase
 *	  uint32  reserved2      must be zero (keeps the columns 8-byte aligned)
 *	  int64   retained[ncells]  customers of the cohort who bought in the period
 *	  float8  revenue[ncells]   what they spent in it
 *	  int32   start[ncohorts]   DateADT: the first day of each cohort's period, ascending
 *
 * Cohort i has one cell for each period from its own (period 0) to `last`, in order, after
 * the cells of the cohorts before it: a triangle.  retained of period 0 is the cohort's size.
 * A cell costs 16 bytes.  The value holds no customer identities, so rollup adds cells: rollup
 * of disjoint customer sets equals one pass.
 */
#ifndef PROFILING_COHORTS_H
#define PROFILING_COHORTS_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "utils/date.h"

#include "stats.h"

/* The type's name in messages. */
#define CH_TYPE_NAME		"cohorts"

#define CH_FORMAT_VERSION	1

/*
 * The most periods one summary spans, from its first cohort to its last purchase: 2,000 weeks
 * are 38 years.  A summary then holds at most 2,001,000 cells (32 MB).
 */
#define CH_MAX_PERIODS		2000

typedef enum CohortUnit
{
	CH_UNIT_WEEK = 1,
	CH_UNIT_MONTH,
	CH_UNIT_QUARTER,
	CH_UNIT_YEAR
} CohortUnit;

#define CH_FIRST_UNIT		CH_UNIT_WEEK
#define CH_LAST_UNIT		CH_UNIT_YEAR

typedef struct Cohorts
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		unit;
	uint16		reserved1;
	int32		ncohorts;
	int32		ncells;
	int32		last;
	uint32		reserved2;
	char		columns[FLEXIBLE_ARRAY_MEMBER];
} Cohorts;

#define CH_HEADER_SIZE		offsetof(Cohorts, columns)

#define CH_RETAINED(ch)		((int64 *) (ch)->columns)
#define CH_REVENUE(ch)		((float8 *) ((ch)->columns + sizeof(int64) * (ch)->ncells))
#define CH_STARTS(ch)		((int32 *) ((ch)->columns + (sizeof(int64) + sizeof(float8)) * (ch)->ncells))

#define DatumGetCohortsP(X)		ch_detoast(X)
#define PG_GETARG_COHORTS_P(n)	DatumGetCohortsP(PG_GETARG_DATUM(n))
#define PG_RETURN_COHORTS_P(x)	PG_RETURN_POINTER(x)

/* Units: the name of one ("month"), and the unit a name means (22023, with a hint, if none). */
extern const char *ch_unit_name(int unit);
extern CohortUnit ch_unit_from_name(const char *name, int len);

/*
 * Periods are numbered consecutively (weeks from Monday 2000-01-03, months and quarters from
 * year 0, years as years): the period of a day, and the day a period starts on.
 */
extern int32 ch_period_of(CohortUnit unit, DateADT day);
extern DateADT ch_period_start(CohortUnit unit, int32 period);

/* Reading a value: detoasted, its header, length and cell count checked (XX001 / 0A000). */
extern Cohorts *ch_detoast(Datum datum);

/* The periods (cells) of cohort i: from its own period to `last`. */
extern int32 ch_cohort_periods(const Cohorts *ch, int32 i);

/* NULL when the value is canonical and consistent, else why not (a detail for an error). */
extern const char *ch_invalid(const Cohorts *ch);

/* ---------------------------------------------------------------------------------------------
 * The builder: cohorts by period number, each with its cells by period offset
 * ---------------------------------------------------------------------------------------------
 */

/* A cell while it builds: the revenue is an exact decimal sum while the amounts allow it. */
typedef struct ChCell
{
	int64		retained;
	bool		inexact;		/* false (as zeroed): dec holds the exact sum */
	stats_decimal dec;
	stats_sum	sum;			/* the compensated sum, for when it does not */
} ChCell;

typedef struct ChCohort
{
	int32		ncells;			/* cells in use: offsets 0 .. ncells - 1 */
	int32		capacity;
	ChCell	   *cells;
} ChCohort;

typedef struct ChBuilder
{
	MemoryContext context;
	CohortUnit	unit;
	int32		base;			/* the period number of cohorts[0] */
	int32		capacity;		/* cohorts[] covers base .. base + capacity - 1 */
	ChCohort   *cohorts;
	bool		any;			/* any cell yet; then first and last hold */
	int32		first;			/* the first cohort's period */
	int32		last;			/* the last period with any purchase */
} ChBuilder;

extern ChBuilder *ch_builder_create(MemoryContext context, CohortUnit unit);

/*
 * The cells of cohort `cohort` (a period number), at least up to offset max_offset, zero where
 * new; 54000 when the summary would span more than CH_MAX_PERIODS periods.  The pointer is
 * valid until the next call.
 */
extern ChCell *ch_builder_cells(ChBuilder *b, int32 cohort, int32 max_offset);

/* Adds an amount (a purchase, or a stored cell's revenue) to a cell's revenue. */
static inline void
ch_cell_add_revenue(ChCell *cell, float8 amount)
{
	if (!cell->inexact && !stats_decimal_add(&cell->dec, &amount, 1))
		cell->inexact = true;
	stats_sum_add(&cell->sum, amount);
}

/* The cell's revenue: the exact decimal sum rounded once, or the compensated sum (22003). */
extern float8 ch_cell_revenue(const ChCell *cell);

/* Adds every cell of a stored value, or of another builder (22023 when the units differ). */
extern void ch_builder_add_value(ChBuilder *b, const Cohorts *ch);
extern void ch_builder_add_builder(ChBuilder *b, const ChBuilder *other);

/* The canonical value of a builder, in the current memory context (the builder is unchanged). */
extern Cohorts *ch_from_builder(const ChBuilder *b);

/* The binary form, for send/recv and the aggregates' serialized state */
extern bytea *ch_binary(const Cohorts *ch);
extern Cohorts *ch_read_binary(StringInfo buf);

#endif							/* PROFILING_COHORTS_H */
