/*
 * profiling.c
 *	  The extension's module: one per shared library.  Each capability lives in its own files
 *	  (src/<capability>.c and src/<capability>.sql).
 */
#include "postgres.h"

#include "fmgr.h"

PG_MODULE_MAGIC;
