/*
 * btyd.h
 *	  The fitted customer-base models, bgnbd (BG/NBD), mbgnbd (MBG/NBD), gamma_gamma and pnbd
 *	  (Pareto/NBD): one fixed layout for all, told apart by a kind byte.  This header declares
 *	  what the core, btyd.c, defines: the layout, the kinds, reading and checking a value,
 *	  building one from a fit, the binary form, and the checks of a customer's summary
 *	  (x, t_x, T) and spend that the aggregates and the scoring functions share.  The text and
 *	  binary I/O (btyd_io.c), the fit aggregates (btyd_agg.c) and the accessors and scoring
 *	  (btyd_accessors.c) build on it; the numbers come from the pure-C files under btyd_math.h.
 *
 * Layout (version 1), 104 bytes:
 *
 *	  int32   vl_len_
 *	  uint8   version        BTYD_FORMAT_VERSION
 *	  uint8   kind           BTYD_KIND_*: the SQL type the value belongs to
 *	  uint8   flags          BTYD_FLAG_CONVERGED; unknown bits must be zero
 *	  uint8   reserved1      must be zero
 *	  int32   iterations     of the optimiser, 0 or more
 *	  uint32  reserved2      must be zero
 *	  int64   customers      1 or more
 *	  float8  ll             the log-likelihood at params, finite
 *	  float8  grad_norm      largest |d mean LL / d log-parameter| where the optimiser stopped
 *	  float8  params[4]      r, alpha, a, b (bgnbd, mbgnbd)  /  p, q, gamma, 0  /  r, alpha, s, beta
 *	  float8  se[4]          standard errors, NaN when the Hessian was not definite; 0 if unused
 */
#ifndef PROFILING_BTYD_H
#define PROFILING_BTYD_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

#include "btyd_math.h"

#define BTYD_FORMAT_VERSION		1
#define BTYD_FLAG_CONVERGED		0x01
#define BTYD_KNOWN_FLAGS		(BTYD_FLAG_CONVERGED)

typedef enum BtydKindId
{
	BTYD_KIND_BGNBD = 1,
	BTYD_KIND_GAMMA_GAMMA = 2,
	BTYD_KIND_MBGNBD = 3,
	BTYD_KIND_PNBD = 4
} BtydKindId;

/* What differs between the model types. */
typedef struct BtydKind
{
	BtydKindId	id;
	const char *type_name;		/* in messages: "bgnbd" */
	int			nparams;
	const char *const *names;	/* the parameters' names, in the text form and params() */
} BtydKind;

extern const BtydKind btyd_bgnbd;
extern const BtydKind btyd_gamma_gamma;
extern const BtydKind btyd_mbgnbd;
extern const BtydKind btyd_pnbd;

/* The kind of a kind byte, or NULL when there is none. */
extern const BtydKind *btyd_kind_of(uint8 id);

typedef struct BtydModel
{
	int32		vl_len_;		/* varlena header (do not touch directly) */
	uint8		version;
	uint8		kind;
	uint8		flags;
	uint8		reserved1;
	int32		iterations;
	uint32		reserved2;
	int64		customers;
	float8		ll;
	float8		grad_norm;
	float8		params[BTYD_MAX_PARAMS];
	float8		se[BTYD_MAX_PARAMS];
} BtydModel;

#define BTYD_CONVERGED(m)	(((m)->flags & BTYD_FLAG_CONVERGED) != 0)

/* A stored value of the given kind, detoasted and checked (XX001 / 0A000 when not). */
extern BtydModel *btyd_detoast(Datum datum, const BtydKind *kind);

#define PG_GETARG_BGNBD_P(n)		btyd_detoast(PG_GETARG_DATUM(n), &btyd_bgnbd)
#define PG_GETARG_GAMMA_GAMMA_P(n)	btyd_detoast(PG_GETARG_DATUM(n), &btyd_gamma_gamma)
#define PG_GETARG_MBGNBD_P(n)		btyd_detoast(PG_GETARG_DATUM(n), &btyd_mbgnbd)
#define PG_GETARG_PNBD_P(n)			btyd_detoast(PG_GETARG_DATUM(n), &btyd_pnbd)

/*
 * Why the fields of a model cannot be a model of the kind, or NULL when they can (-0 is not
 * canonical: text input stores it as +0 before asking).
 */
extern const char *btyd_model_problem(const BtydModel *model, const BtydKind *kind);

/* A model from a fit of customers customers. */
extern BtydModel *btyd_from_fit(const BtydFit *fit, const BtydKind *kind, int64 customers);

/* An empty model of the kind: the caller fills it and checks it with btyd_model_problem. */
extern BtydModel *btyd_allocate(const BtydKind *kind);

/* The binary form, for send/recv. */
extern bytea *btyd_binary(const BtydModel *model);
extern BtydModel *btyd_read_binary(StringInfo buf, const BtydKind *kind);

/*
 * A customer's summary: x >= 0, t_x and T finite, 0 <= t_x <= T, t_x = 0 when x = 0 (22023).
 * And a customer's repeat spend for Gamma-Gamma: x >= 1 and monetary finite and > 0.
 */
extern void btyd_check_summary(int32 x, float8 t_x, float8 T);
extern void btyd_check_spend(int32 x, float8 monetary);

/*
 * The callback the pure numerical code (BtydInterrupt: the optimiser, the simulator, the long
 * sums of the scoring) calls now and then: CHECK_FOR_INTERRUPTS, the one way it can be
 * cancelled.  arg is unused.
 */
extern void btyd_check_interrupts(void *arg);

/*
 * The length of an interval in days: a fixed length, so no months or years, and positive
 * (22023; name: the argument's name in messages).  The time unit of summaries and models.
 */
extern float8 btyd_unit_days(const Interval *unit, const char *name);

#endif							/* PROFILING_BTYD_H */
