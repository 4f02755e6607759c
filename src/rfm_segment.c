/*
 * rfm_segment.c
 *	  rfm_segment(score, bins): the named segment (Champions, At Risk, ...) of an RFM score,
 *	  read from the table profiling.rfm_segment_map (declared, with its rules, in
 *	  src/segmentation.sql).  A row maps a box of recency scores r_min..r_max and of FM scores
 *	  fm_min..fm_max, for models of `bins` bins, where fm = (f + m + 1) / 2: the mean of the
 *	  frequency and monetary scores, halves rounded up.
 *
 * The map is read once a statement (the function is STABLE) into a cache on the call site:
 * scoring a million customers reads the table once.  A cell (r, fm) that no row covers gives
 * NULL (check_rfm_segment_map() lists such gaps); a cell that several rows cover is an error,
 * never an arbitrary pick.
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "storage/proc.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "rfm_score.h"

PG_FUNCTION_INFO_V1(rfm_segment);

#define MAP_TABLE	"profiling.rfm_segment_map"

#define CELL_NONE		(-1)
#define CELL_SEVERAL	(-2)

typedef struct SegmentRow
{
	int32		bins;
	int32		r_min,
				r_max,
				fm_min,
				fm_max;
	text	   *segment;
} SegmentRow;

typedef struct SegmentMap
{
	/* The statement the map was read for: a later one reads it again. */
	LocalTransactionId lxid;
	CommandId	cid;
	int			nrows;
	SegmentRow *rows;
	/* Per bins value, built when first asked for: bins x bins cells (r - 1) * bins + (fm - 1),
	 * each the covering row, CELL_NONE or CELL_SEVERAL. */
	int16	   *cells[RFM_MAX_BINS + 1];
} SegmentMap;

static int32
column_int32(HeapTuple tuple, TupleDesc desc, int column)
{
	bool		isnull;
	Datum		d = SPI_getbinval(tuple, desc, column, &isnull);

	/* The table's NOT NULL constraints rule this out; a user may have dropped them. */
	if (isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NOT_NULL_VIOLATION),
				 errmsg("%s has a NULL in column \"%s\"", MAP_TABLE, SPI_fname(desc, column))));
	return DatumGetInt32(d);
}

/* Reads every row of the map into memory of cxt. */
static void
read_map(SegmentMap *map, MemoryContext cxt)
{
	SPITupleTable *table;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	/* Qualified and free of operators: no search_path can redirect it. */
	if (SPI_execute("SELECT segment, bins, r_min, r_max, fm_min, fm_max FROM " MAP_TABLE,
					true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not read %s", MAP_TABLE);
	table = SPI_tuptable;
	map->nrows = (int) SPI_processed;
	map->rows = MemoryContextAllocZero(cxt, sizeof(SegmentRow) * Max(map->nrows, 1));
	for (int i = 0; i < map->nrows; i++)
	{
		HeapTuple	tuple = table->vals[i];
		SegmentRow *row = &map->rows[i];
		bool		isnull;
		Datum		segment = SPI_getbinval(tuple, table->tupdesc, 1, &isnull);
		MemoryContext old;

		row->bins = column_int32(tuple, table->tupdesc, 2);
		row->r_min = column_int32(tuple, table->tupdesc, 3);
		row->r_max = column_int32(tuple, table->tupdesc, 4);
		row->fm_min = column_int32(tuple, table->tupdesc, 5);
		row->fm_max = column_int32(tuple, table->tupdesc, 6);
		if (isnull)
			ereport(ERROR,
					(errcode(ERRCODE_NOT_NULL_VIOLATION),
					 errmsg("%s has a NULL in column \"segment\"", MAP_TABLE)));
		old = MemoryContextSwitchTo(cxt);
		row->segment = DatumGetTextPCopy(segment);
		MemoryContextSwitchTo(old);
	}
	SPI_finish();
}

/* The cells of one bins value: which row covers each (r, fm). */
static int16 *
build_cells(const SegmentMap *map, int32 bins, MemoryContext cxt)
{
	int16	   *cells = MemoryContextAlloc(cxt, sizeof(int16) * bins * bins);
	bool		any = false;

	for (int i = 0; i < bins * bins; i++)
		cells[i] = CELL_NONE;
	for (int i = 0; i < map->nrows; i++)
	{
		const SegmentRow *row = &map->rows[i];

		if (row->bins != bins)
			continue;
		any = true;
		/* Clamped: the CHECK constraints keep the boxes inside 1..bins, unless dropped. */
		for (int r = Max(row->r_min, 1); r <= Min(row->r_max, bins); r++)
			for (int fm = Max(row->fm_min, 1); fm <= Min(row->fm_max, bins); fm++)
			{
				int16	   *cell = &cells[(r - 1) * bins + (fm - 1)];

				*cell = (*cell == CELL_NONE) ? (int16) i : CELL_SEVERAL;
			}
	}
	if (!any)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s has no segments for %d bins", MAP_TABLE, bins),
				 errhint("Insert a map for %d bins into %s, or give the bins of the model that scored the customers.",
						 bins, MAP_TABLE)));
	return cells;
}

/* The segments covering one cell, for the error message. */
static char *
covering_segments(const SegmentMap *map, int32 bins, int r, int fm)
{
	StringInfoData names;

	initStringInfo(&names);
	for (int i = 0; i < map->nrows; i++)
	{
		const SegmentRow *row = &map->rows[i];

		if (row->bins == bins && row->r_min <= r && r <= row->r_max &&
			row->fm_min <= fm && fm <= row->fm_max)
			appendStringInfo(&names, "%s\"%s\"", names.len > 0 ? ", " : "", text_to_cstring(row->segment));
	}
	return names.data;
}

Datum
rfm_segment(PG_FUNCTION_ARGS)
{
	int32		s = PG_GETARG_RFM_SCORE(0);
	int32		bins = PG_GETARG_INT32(1);
	int			r = RFM_SCORE_R(s),
				f = RFM_SCORE_F(s),
				m = RFM_SCORE_M(s),
				fm = (f + m + 1) / 2;
	SegmentMap *map = (SegmentMap *) fcinfo->flinfo->fn_extra;
	LocalTransactionId lxid = MyProc->lxid;
	CommandId	cid = GetCurrentCommandId(false);
	int16		cell;

	if (bins < RFM_MIN_BINS || bins > RFM_MAX_BINS)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("bins must be between %d and %d", RFM_MIN_BINS, RFM_MAX_BINS)));
	if (r > bins || f > bins || m > bins)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("RFM score %s is out of range for %d bins", rfm_score_text(s), bins),
				 errdetail("Scores of a model of %d bins run from 1 to %d.", bins, bins),
				 errhint("Give the bins of the model that scored the customer: rfm_segment(s, profiling.bins(model)).")));

	if (map == NULL || map->lxid != lxid || map->cid != cid)
	{
		MemoryContext cxt = fcinfo->flinfo->fn_mcxt;

		if (map == NULL)
			map = MemoryContextAllocZero(cxt, sizeof(SegmentMap));
		else
		{
			/* Another statement: forget what was read for the last one. */
			for (int i = 0; i < map->nrows; i++)
				pfree(map->rows[i].segment);
			pfree(map->rows);
			for (int b = 0; b <= RFM_MAX_BINS; b++)
				if (map->cells[b] != NULL)
					pfree(map->cells[b]);
			memset(map, 0, sizeof(SegmentMap));
		}
		fcinfo->flinfo->fn_extra = map;
		read_map(map, cxt);
		map->lxid = lxid;
		map->cid = cid;
	}
	if (map->cells[bins] == NULL)
		map->cells[bins] = build_cells(map, bins, fcinfo->flinfo->fn_mcxt);

	cell = map->cells[bins][(r - 1) * bins + (fm - 1)];
	if (cell == CELL_NONE)
		PG_RETURN_NULL();
	if (cell == CELL_SEVERAL)
		ereport(ERROR,
				(errcode(ERRCODE_CARDINALITY_VIOLATION),
				 errmsg("RFM score %s falls in more than one segment of %s", rfm_score_text(s), MAP_TABLE),
				 errdetail("For %d bins, r = %d and fm = %d are covered by %s.",
						   bins, r, fm, covering_segments(map, bins, r, fm)),
				 errhint("SELECT * FROM profiling.check_rfm_segment_map() lists every gap and overlap of the map.")));
	PG_RETURN_TEXT_P(DatumGetTextPCopy(PointerGetDatum(map->rows[cell].segment)));
}
