/*
 * btyd_simulate_sql.c
 *	  simulate(model bgnbd, customers, T, seed) and simulate(model, customers, T_min, T_max,
 *	  seed): customers drawn from a fitted (or typed) BG/NBD, one row (customer, x, t_x, T) each,
 *	  for what-if questions and for testing fits against known parameters.  The draws are
 *	  btyd_simulate.c's: deterministic by seed, customer k the same whatever the number asked
 *	  for, so the function is IMMUTABLE.
 *
 * Value per call: a million customers stream through a SELECT list without being held in
 * memory (a FROM clause keeps them in a tuplestore, which spills to disk past work_mem).  The
 * planner support function tells the planner the row count, the customers argument, as
 * generate_series does, so a join with a simulated cohort is planned for its size.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "nodes/nodeFuncs.h"
#include "nodes/supportnodes.h"
#include "optimizer/optimizer.h"

#include "btyd.h"
#include "btyd_simulate.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(bgnbd_simulate);
PG_FUNCTION_INFO_V1(bgnbd_simulate_range);
PG_FUNCTION_INFO_V1(btyd_simulate_support);

/* What every call needs: the model's parameters and the arguments, checked. */
typedef struct SimulateArgs
{
	double		params[4];
	uint64		seed;
	double		T_min;
	double		T_max;
	TupleDesc	desc;
} SimulateArgs;

/* A length of observation: finite and positive (22023). */
static void
check_T(float8 T, const char *name)
{
	if (!(T > 0 && T <= DBL_MAX))
	{
		char		buf[SUMMARY_FLOAT8_TEXT_LEN];

		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s must be finite and positive, not %s", name, summary_float8_text(T, buf)),
				 errdetail("T is the time from a customer's first purchase to the end of observation, in the model's unit.")));
	}
}

static Datum
simulate(FunctionCallInfo fcinfo, bool range)
{
	FuncCallContext *funcctx;
	SimulateArgs *args;

	if (SRF_IS_FIRSTCALL())
	{
		BtydModel  *model = PG_GETARG_BGNBD_P(0);
		int32		customers = PG_GETARG_INT32(1);
		float8		T_min = PG_GETARG_FLOAT8(2);
		float8		T_max = range ? PG_GETARG_FLOAT8(3) : T_min;
		int64		seed = PG_GETARG_INT64(range ? 4 : 3);
		MemoryContext old;

		if (customers < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("customers must be zero or more, not %d", customers)));
		check_T(T_min, range ? "T_min" : "T");
		if (range)
		{
			check_T(T_max, "T_max");
			if (T_min > T_max)
			{
				char		lo[SUMMARY_FLOAT8_TEXT_LEN],
							hi[SUMMARY_FLOAT8_TEXT_LEN];

				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("T_min must not exceed T_max, not %s > %s",
								summary_float8_text(T_min, lo), summary_float8_text(T_max, hi)),
						 errdetail("Each customer's T is drawn uniformly between T_min and T_max.")));
			}
		}

		funcctx = SRF_FIRSTCALL_INIT();
		old = MemoryContextSwitchTo(funcctx->multi_call_memory_ctx);
		args = palloc(sizeof(SimulateArgs));
		memcpy(args->params, model->params, sizeof(args->params));
		args->seed = (uint64) seed;
		args->T_min = T_min;
		args->T_max = T_max;
		args->desc = summary_result_desc(fcinfo);
		funcctx->user_fctx = args;
		funcctx->max_calls = (uint64) customers;
		MemoryContextSwitchTo(old);
	}
	funcctx = SRF_PERCALL_SETUP();
	args = funcctx->user_fctx;
	CHECK_FOR_INTERRUPTS();
	if (funcctx->call_cntr < funcctx->max_calls)
	{
		int32		customer = (int32) funcctx->call_cntr + 1;
		BtydSimCustomer c;
		Datum		values[4];
		bool		nulls[4] = {false, false, false, false};

		if (btyd_simulate_bgnbd(args->params, args->seed, (uint64) customer, args->T_min,
								args->T_max, PG_INT32_MAX, btyd_check_interrupts, NULL, &c) != BTYD_SIM_OK)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("simulated customer %d makes more than %d repeat purchases", customer,
							PG_INT32_MAX),
					 errdetail("Its purchase rate is %g and its dropout probability %g.", c.lambda, c.p),
					 errhint("The model's purchase rate r / alpha is too high for T, or its dropout probability a / (a + b) too low.")));
		values[0] = Int32GetDatum(customer);
		values[1] = Int32GetDatum(c.x);
		values[2] = Float8GetDatum(c.t_x);
		values[3] = Float8GetDatum(c.T);
		SRF_RETURN_NEXT(funcctx, HeapTupleGetDatum(heap_form_tuple(args->desc, values, nulls)));
	}
	SRF_RETURN_DONE(funcctx);
}

/* simulate(model, customers, T, seed): every customer observed for T units. */
Datum
bgnbd_simulate(PG_FUNCTION_ARGS)
{
	return simulate(fcinfo, false);
}

/* simulate(model, customers, T_min, T_max, seed): each customer's T uniform in (T_min, T_max). */
Datum
bgnbd_simulate_range(PG_FUNCTION_ARGS)
{
	return simulate(fcinfo, true);
}

/* Planner support: the rows of simulate(...) are its customers argument, when it is known. */
Datum
btyd_simulate_support(PG_FUNCTION_ARGS)
{
	Node	   *request = (Node *) PG_GETARG_POINTER(0);

	if (IsA(request, SupportRequestRows))
	{
		SupportRequestRows *req = (SupportRequestRows *) request;

		if (is_funcclause(req->node))
		{
			List	   *args = ((FuncExpr *) req->node)->args;
			Node	   *customers = lsecond(args);

			if (req->root != NULL)
				customers = estimate_expression_value(req->root, customers);
			if (IsA(customers, Const) && !((Const *) customers)->constisnull)
			{
				req->rows = Max(DatumGetInt32(((Const *) customers)->constvalue), 0);
				PG_RETURN_POINTER(req);
			}
		}
	}
	PG_RETURN_POINTER(NULL);
}
