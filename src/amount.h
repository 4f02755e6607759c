/*
 * amount.h
 *	  Money amounts read from numeric columns, for every aggregate that takes amounts.
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

#endif							/* PROFILING_AMOUNT_H */
