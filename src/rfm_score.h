/*
 * rfm_score.h
 *	  The RFM score: the recency, frequency and monetary scores of one customer, each 1..100
 *	  (1..bins of the model that scored it), packed in one int32 passed by value:
 *	  r << 16 | f << 8 | m, so that comparing the integers orders scores by (r, f, m).  Defined
 *	  by rfm_score.c (text and binary forms, comparisons, accessors, the cast to integer); the
 *	  named segments of a score are rfm_segment.c's.
 */
#ifndef PROFILING_RFM_SCORE_H
#define PROFILING_RFM_SCORE_H

#include "postgres.h"

#include "fmgr.h"

#define RFM_SCORE_TYPE_NAME	"rfm_score"

/* Scores run 1..RFM_MAX_BINS: a model has 2 to 100 bins. */
#define RFM_MIN_BINS		2
#define RFM_MAX_BINS		100

#define RFM_SCORE_MAKE(r, f, m)	((int32) (((r) << 16) | ((f) << 8) | (m)))
#define RFM_SCORE_R(s)		(((s) >> 16) & 0xFF)
#define RFM_SCORE_F(s)		(((s) >> 8) & 0xFF)
#define RFM_SCORE_M(s)		((s) & 0xFF)

extern char *rfm_score_text(int32 s);

#define PG_GETARG_RFM_SCORE(n)	PG_GETARG_INT32(n)
#define PG_RETURN_RFM_SCORE(x)	PG_RETURN_INT32(x)

#endif							/* PROFILING_RFM_SCORE_H */
