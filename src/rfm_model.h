/*
 * rfm_model.h
 *	  The RFM model: the cut points of recency, frequency and monetary value that split a
 *	  customer base into `bins` scores each.  This header declares what the type's core,
 *	  rfm_model.c, defines: the layout, reading a value safely, checking cut points and customer
 *	  metrics, building a model, and the binary form.  The text and binary I/O and comparisons
 *	  (rfm_model_io.c), the aggregates (_agg.c) and scoring (_accessors.c) build on it.
 *
 * Layout (version 1), 8-byte header then three columns of bins - 1 cut points:
 *
 *	  int32   vl_len_
 *	  uint8   version        RFM_FORMAT_VERSION
 *	  uint8   flags          none are defined yet: must be zero
 *	  uint16  bins           2..100
 *	  float8  cuts[3][bins - 1]   recency, frequency, monetary; each non-decreasing, finite,
 *	                              zero or more, -0 stored as +0
 *
 * Equal models have equal bytes: equality and hashing are byte comparisons.
 */
#ifndef PROFILING_RFM_MODEL_H
#define PROFILING_RFM_MODEL_H

#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"

#include "rfm_score.h"

#define RFM_MODEL_TYPE_NAME	"rfm_model"
#define RFM_FORMAT_VERSION	1

typedef struct RfmModel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		flags;
	uint16		bins;
	float8		cuts[FLEXIBLE_ARRAY_MEMBER];
} RfmModel;

#define RFM_HEADER_SIZE		offsetof(RfmModel, cuts)
#define RFM_SIZE(bins)		(RFM_HEADER_SIZE + 3 * ((bins) - 1) * sizeof(float8))
/* The cut points of metric 0 (recency), 1 (frequency) or 2 (monetary). */
#define RFM_CUTS(model, metric)	((model)->cuts + (metric) * ((model)->bins - 1))

#define DatumGetRfmModelP(X)		rfm_detoast(X)
#define PG_GETARG_RFM_MODEL_P(n)	DatumGetRfmModelP(PG_GETARG_DATUM(n))
#define PG_RETURN_RFM_MODEL_P(x)	PG_RETURN_POINTER(x)

/* The metric names, in messages. */
extern const char *const rfm_metric_names[3];

extern RfmModel *rfm_detoast(Datum datum);

/* bins 2..100 (22023). */
extern void rfm_check_bins(int64 bins);

/* A customer's metric: finite and zero or more (22023). */
extern void rfm_check_value(int metric, float8 value);

/* An empty model of bins bins: the caller writes the cut points, then rfm_check_model. */
extern RfmModel *rfm_allocate(int bins);

/*
 * Checks the cut points of a model being built from user input (text, arrays): finite, zero
 * or more, non-decreasing (22023, or 22P02 with the literal when input is not NULL); stores -0
 * as +0.
 */
extern void rfm_check_cuts(RfmModel *model, const char *input);

/* The binary form, for send/recv. */
extern bytea *rfm_binary(const RfmModel *model);
extern RfmModel *rfm_read_binary(StringInfo buf);

#endif							/* PROFILING_RFM_MODEL_H */
