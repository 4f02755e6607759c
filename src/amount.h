/*
 * amount.h
 *	  Money amounts: read from numeric columns, and summed, for every room that keeps amounts.
 *
 * Ground floor: calls into no room.
 */
#ifndef PROFILING_AMOUNT_H
#define PROFILING_AMOUNT_H

#include "postgres.h"

/*
 * The float8 nearest to a numeric, the same value numeric::float8 gives, without its detour
 * through text: decimals of up to 15 significant digits (every money amount) are converted
 * with one correctly rounded division; anything else falls back to numeric_float8.
 */
extern float8 amount_from_numeric(Datum numeric);

/*
 * Sums of amounts: exact decimal sums when the amounts are decimals (money), else compensated
 * sums; either way the total agrees with sum(numeric)::float8.  amount_try_sum reports an
 * overflow of float8 by returning false; amount_sum and amount_mean raise it (22003), as
 * float8 addition does.
 */
extern bool amount_try_sum(const float8 *values, int32 n, float8 *result);
extern float8 amount_sum(const float8 *values, int32 n);
extern float8 amount_mean(const float8 *values, int32 n);

#endif							/* PROFILING_AMOUNT_H */
