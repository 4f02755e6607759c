/*
 * summary.h
 *	  The summary kit: what every summary type of the extension needs whatever it summarises.
 *	  A summary type is a varlena whose header starts with a format version byte; its text and
 *	  binary forms are untrusted input; its aggregates keep their state in the aggregate's memory
 *	  and travel between processes in the type's binary form.  The parts of that which do not
 *	  depend on the type live here, so that each room writes only what is its own.
 *
 * Ground floor: this file calls into no room.
 */
#ifndef PROFILING_SUMMARY_H
#define PROFILING_SUMMARY_H

#include "postgres.h"

#include "datatype/timestamp.h"
#include "access/tupdesc.h"
#include "fmgr.h"
#include "lib/stringinfo.h"

/* ---------------------------------------------------------------------------------------------
 * Format versions and damaged values
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Checks the version byte of a stored value (type_name: "purchase_history").  A version above
 * `current` was written by a newer release (0A000: the value is fine, this library cannot read
 * it); anything else but `current` is damage (XX001).
 */
extern void summary_check_version(const char *type_name, int version, int current);

/* The same for a binary value (send/recv, serialized states): damage there is 22P03. */
extern void summary_check_binary_version(const char *type_name, int version, int current);

/* A stored value whose header or length does not hold together. */
extern void summary_error_corrupted(const char *type_name) pg_attribute_noreturn();

/* A binary value (recv, deserialize) that send could not have written; detail says why. */
extern void summary_error_binary(const char *type_name, const char *detail) pg_attribute_noreturn();

/*
 * A summary whose text form would pass 1 GB (54000): count entries ("orders") need more; the
 * hint says to read it in binary or in parts with during().
 */
extern void summary_error_text_too_large(const char *type_name, int32 count,
										 const char *entries) pg_attribute_noreturn();

/* A malformed text literal; detail_format has one %d, the character position (from 1). */
extern void summary_error_syntax(const char *type_name, const char *input,
								 const char *detail_format, int position) pg_attribute_noreturn();

/* More entries (orders, purchases...) than one summary can hold. */
extern void summary_error_too_many(const char *entries, const char *summary_name,
								   int64 limit) pg_attribute_noreturn();

/* ---------------------------------------------------------------------------------------------
 * Text input: the pieces of a literal such as {(a,b),(c,d)}
 * ---------------------------------------------------------------------------------------------
 */

/* p past any blanks. */
extern const char *summary_skip_space(const char *p);

/* [start, end) without surrounding blanks, in a palloc'd string. */
extern char *summary_trimmed_token(const char *start, const char *end);

/*
 * A number in a literal, read as float8 reads it (but not hexadecimal, which strtod would
 * accept): a syntax error (22P02) names the character position of the token in input;
 * out of range is 22003.  NaN and infinities are returned for the caller to judge.
 */
extern float8 summary_parse_float8(const char *type_name, const char *input, const char *token,
								   int position);

/* A whole number in a literal: the same errors, and 22003 beyond int32. */
extern int32 summary_parse_int32(const char *type_name, const char *input, const char *token,
								 int position);

/*
 * A time in a literal (what: "order time", in messages): a timestamptz literal, year first
 * (ISO 8601, so no DateStyle reads it as another day), no special values ('now', 'epoch',
 * 'infinity'...).  A syntax error (22P02) names the character position; 22008 out of range.
 */
extern TimestampTz summary_parse_time(const char *type_name, const char *what, const char *input,
									  const char *token, int position);

/*
 * A literal {(...),(...),...}: braces, commas and blanks between the elements, nothing after the
 * closing brace.  For each element, parse_element gets the position just after its "(" and
 * returns the position of its ")".  Anything else is a syntax error (22P02) of type_name.
 */
typedef const char *(*SummaryElementParser) (const char *input, const char *start, void *arg);
extern void summary_parse_list(const char *type_name, const char *input,
							   SummaryElementParser parse_element, void *arg);

/*
 * The field of an element that begins at start and ends at the next ",", "(" or ")" (or the end
 * of input): returns the position of that delimiter and sets *token to the field without
 * surrounding blanks.  A delimiter not among `accepted` is a syntax error, its detail
 * detail_format with the delimiter's position.
 */
extern const char *summary_field(const char *type_name, const char *input, const char *start,
								 const char *accepted, const char *detail_format, char **token);

/* Position of p in input, counted from 1 as PostgreSQL's messages count characters. */
#define SUMMARY_POSITION(input, p) ((int) ((p) - (input)) + 1)

/* ---------------------------------------------------------------------------------------------
 * Canonical bytes: equal values have equal bytes, so comparison and hashing are byte work
 * ---------------------------------------------------------------------------------------------
 */

/* -1, 0 or 1: shorter first, then memcmp of the bytes after the varlena header. */
extern int	summary_compare_bytes(const struct varlena *a, const struct varlena *b);
extern Datum summary_hash_bytes(const struct varlena *value);
extern Datum summary_hash_bytes_extended(const struct varlena *value, uint64 seed);

/*
 * Defines the SQL comparison and hash functions of a summary type whose equal values have
 * equal bytes: <prefix>_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash and _hash_extended.  detoast
 * reads an argument (a Datum) into the type's checked value; compare orders two values (-1, 0,
 * 1), totally, and never raises on valid ones.  The hashes are those of the bytes.
 */
#define SUMMARY_COMPARISON_FUNCTIONS(prefix, detoast, compare) \
	SUMMARY_COMPARISON_(prefix##_cmp, PG_RETURN_INT32, detoast, compare, ) \
	SUMMARY_COMPARISON_(prefix##_eq, PG_RETURN_BOOL, detoast, compare, == 0) \
	SUMMARY_COMPARISON_(prefix##_ne, PG_RETURN_BOOL, detoast, compare, != 0) \
	SUMMARY_COMPARISON_(prefix##_lt, PG_RETURN_BOOL, detoast, compare, < 0) \
	SUMMARY_COMPARISON_(prefix##_le, PG_RETURN_BOOL, detoast, compare, <= 0) \
	SUMMARY_COMPARISON_(prefix##_gt, PG_RETURN_BOOL, detoast, compare, > 0) \
	SUMMARY_COMPARISON_(prefix##_ge, PG_RETURN_BOOL, detoast, compare, >= 0) \
	PG_FUNCTION_INFO_V1(prefix##_hash); \
	Datum \
	prefix##_hash(PG_FUNCTION_ARGS) \
	{ \
		return summary_hash_bytes((const struct varlena *) detoast(PG_GETARG_DATUM(0))); \
	} \
	PG_FUNCTION_INFO_V1(prefix##_hash_extended); \
	Datum \
	prefix##_hash_extended(PG_FUNCTION_ARGS) \
	{ \
		return summary_hash_bytes_extended((const struct varlena *) detoast(PG_GETARG_DATUM(0)), \
										   PG_GETARG_INT64(1)); \
	}

#define SUMMARY_COMPARISON_(name, ret, detoast, compare, test) \
	PG_FUNCTION_INFO_V1(name); \
	Datum \
	name(PG_FUNCTION_ARGS) \
	{ \
		ret(compare(detoast(PG_GETARG_DATUM(0)), detoast(PG_GETARG_DATUM(1))) test); \
	}

/* ---------------------------------------------------------------------------------------------
 * Aggregate support
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Errors out unless called as an aggregate support function (the support functions are SQL
 * callable with an internal argument, which only an aggregate can give them).  Returns the
 * aggregate's memory context, where long-lived state belongs.
 */
extern MemoryContext summary_aggregate_context(FunctionCallInfo fcinfo, const char *type_name);

/*
 * The blessed row descriptor of a function that returns a row (OUT parameters or a composite
 * type), in the current memory context; a call site that keeps it copies it into fn_mcxt.
 */
extern TupleDesc summary_result_desc(FunctionCallInfo fcinfo);

/* A read-only StringInfo over a serialized state, for the type's binary reader. */
extern void summary_binary_buffer(bytea *bytes, StringInfo buf);

/* ---------------------------------------------------------------------------------------------
 * Messages
 * ---------------------------------------------------------------------------------------------
 */

/* Argument argno as its type prints it, cut to 40 characters: what a row held, in a detail. */
extern char *summary_argument_text(FunctionCallInfo fcinfo, int argno);

/* A float8 as text for a message: shortest exact digits, NaN, Infinity.  buf: 32 bytes. */
#define SUMMARY_FLOAT8_TEXT_LEN 32
extern const char *summary_float8_text(float8 value, char *buf);

#endif							/* PROFILING_SUMMARY_H */
