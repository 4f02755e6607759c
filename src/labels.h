/*
 * labels.h
 *	  SQL enums seen from C: the OIDs of an enum type's labels, in the order of a C enum, and the
 *	  way back from a label's OID to its position.  Enum label OIDs differ from one database to
 *	  the next, so every room that returns or reads an enum (value_class, lifecycle_stage) looks
 *	  them up by name, once per call site.
 */
#ifndef PROFILING_LABELS_H
#define PROFILING_LABELS_H

#include "postgres.h"

#include "fmgr.h"

/*
 * The OIDs of labels[0..n-1] of enum type `type` (or of a domain over it), into oids[0..n-1]:
 * for a call site that keeps them in a cache of its own.
 */
extern void labels_lookup(Oid type, const char *const *labels, int n, Oid *oids);

/*
 * The OIDs of labels[0..n-1] of enum type `type` (or of a domain over it), looked up once and
 * kept in fn_extra of the call site (which must not use fn_extra for anything else).
 */
extern const Oid *labels_of_call(FunctionCallInfo fcinfo, Oid type, const char *const *labels, int n);

/*
 * labels_of_call for the type of argument argno of the call: the argument's type is read from
 * the call expression once, on the first call of the call site.
 */
extern const Oid *labels_of_argument(FunctionCallInfo fcinfo, int argno,
									 const char *const *labels, int n);

/* The position of an enum value among the labels, or an error (22P02) when it is none of them. */
extern int	labels_index(const Oid *oids, int n, Oid value, const char *type_name);

#endif							/* PROFILING_LABELS_H */
