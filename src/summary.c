/*
 * summary.c
 *	  The summary kit (see summary.h): version checks, errors, canonical-byte comparison and
 *	  hashing, aggregate support and message helpers shared by every summary type.
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "catalog/pg_collation.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "common/shortest_dec.h"
#include "miscadmin.h"
#include "utils/datetime.h"
#include "utils/formatting.h"
#include "utils/lsyscache.h"
#include "utils/timestamp.h"

#include "canonical_text.h"
#include "summary.h"

StaticAssertDecl(SUMMARY_FLOAT8_TEXT_LEN >= DOUBLE_SHORTEST_DECIMAL_LEN,
				 "summary_float8_text needs room for the shortest decimal");

static void pg_attribute_noreturn()
error_newer_version(const char *type_name, int version, int current)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s value was written by a newer version of profiling", type_name),
			 errdetail("The value has format version %d; this version of profiling reads format version %d.",
					   version, current),
			 errhint("Install the release of profiling that wrote it, then run ALTER EXTENSION profiling UPDATE.")));
}

void
summary_check_version(const char *type_name, int version, int current)
{
	if (likely(version == current))
		return;
	if (version > current)
		error_newer_version(type_name, version, current);
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value is corrupted", type_name),
			 errdetail("Its format version is %d, which no version of profiling writes.", version)));
}

void
summary_check_binary_version(const char *type_name, int version, int current)
{
	if (likely(version == current))
		return;
	if (version > current)
		error_newer_version(type_name, version, current);
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("unsupported %s binary format version %d", type_name, version),
			 errdetail("This version of profiling reads format version %d.", current)));
}

void
summary_error_corrupted(const char *type_name)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("%s value is corrupted", type_name)));
}

void
summary_error_binary(const char *type_name, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s value", type_name),
			 errdetail("%s", detail)));
}

void
summary_error_syntax(const char *type_name, const char *input, const char *detail_format,
					 int position)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type_name, input),
			 errdetail(detail_format, position)));
}

void
summary_error_too_many(const char *entries, const char *summary_name, int64 limit)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("too many %s for one %s", entries, summary_name),
			 errdetail("The limit is " INT64_FORMAT " %s per summary.", limit, entries)));
}

void
summary_error_text_too_large(const char *type_name, int32 count, const char *entries)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("%s value is too large for its text form", type_name),
			 errdetail("Its %d %s need more than 1 GB as text.", count, entries),
			 errhint("Read it in binary (COPY ... (FORMAT binary), or a driver's binary results), or in parts with during().")));
}

const char *
summary_skip_space(const char *p)
{
	while (*p && isspace((unsigned char) *p))
		p++;
	return p;
}

char *
summary_trimmed_token(const char *start, const char *end)
{
	while (start < end && isspace((unsigned char) *start))
		start++;
	while (end > start && isspace((unsigned char) end[-1]))
		end--;
	return pnstrdup(start, end - start);
}

float8
summary_parse_float8(const char *type_name, const char *input, const char *token, int position)
{
	char	   *end;
	float8		value;

	if (token[0] == '\0')
		summary_error_syntax(type_name, input, "Expected a number at character %d.", position);
	/* the canonical digits the output writes, read directly; anything else as before */
	if (canonical_decimal(token, &value))
		return value;
	/* strtod would also read hexadecimal; PostgreSQL's float8 does not */
	if (strpbrk(token, "xXpP") != NULL)
		summary_error_syntax(type_name, input, "Invalid number at character %d.", position);
	errno = 0;
	value = strtod(token, &end);
	if (*end != '\0')
		summary_error_syntax(type_name, input, "Invalid number at character %d.", position);
	if (errno == ERANGE && (value == 0 || isinf(value)) &&
		pg_strcasecmp(token, "infinity") != 0 && pg_strcasecmp(token, "-infinity") != 0)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("\"%s\" is out of range for type double precision", token)));
	return value;
}

int32
summary_parse_int32(const char *type_name, const char *input, const char *token, int position)
{
	const char *digits = token + (token[0] == '-' || token[0] == '+');
	long		value;

	if (token[0] == '\0')
		summary_error_syntax(type_name, input, "Expected a whole number at character %d.", position);
	/* a sign and digits only: strtol would also skip blanks, and read "0x10" as 0 */
	if (*digits == '\0' || strspn(digits, "0123456789") != strlen(digits))
		summary_error_syntax(type_name, input, "Invalid whole number at character %d.", position);
	errno = 0;
	value = strtol(token, NULL, 10);
	if (errno == ERANGE || value < PG_INT32_MIN || value > PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type integer", token)));
	return (int32) value;
}

/*
 * Year first (ISO 8601), so that no DateStyle can read the same text as another day:
 * '01/02/2025' is January or February depending on DateStyle.  No special values ('now',
 * 'epoch', 'infinity'...): a stored summary must not depend on when it was read.
 */
TimestampTz
summary_parse_time(const char *type_name, const char *what, const char *input, const char *token,
				   int position)
{
	static const char *const special[] = {"now", "today", "tomorrow", "yesterday",
	"epoch", "infinity", "allballs"};
	char		workbuf[MAXDATELEN + MAXDATEFIELDS];
	char	   *field[MAXDATEFIELDS];
	int			ftype[MAXDATEFIELDS];
	int			nf;
	int			dterr;
	int			dtype;
	struct pg_tm tm;
	fsec_t		fsec;
	int			tz;
	TimestampTz result;
	char	   *lower;

	/* the canonical UTC time the output writes, read directly; anything else as before */
	if (canonical_utc_time(token, &result))
		return result;
	if (strspn(token, "0123456789") < 4 || token[strspn(token, "0123456789")] != '-')
		summary_error_syntax(type_name, input,
							 psprintf("Expected an ISO 8601 %s (YYYY-MM-DD ...) at character %%d.", what),
							 position);
	lower = str_tolower(token, strlen(token), DEFAULT_COLLATION_OID);
	for (int i = 0; i < lengthof(special); i++)
		if (strstr(lower, special[i]) != NULL)
			summary_error_syntax(type_name, input,
								 psprintf("Special time values are not %ss (character %%d).", what),
								 position);

	dterr = ParseDateTime(token, workbuf, sizeof(workbuf), field, ftype, MAXDATEFIELDS, &nf);
	if (dterr == 0)
		dterr = DecodeDateTime(field, ftype, nf, &dtype, &tm, &fsec, &tz);
	if (dterr == DTERR_FIELD_OVERFLOW || dterr == DTERR_MD_FIELD_OVERFLOW)
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_FIELD_OVERFLOW),
				 errmsg("date/time field value out of range in %s \"%s\"", what, token)));
	if (dterr != 0 || dtype != DTK_DATE)
		summary_error_syntax(type_name, input, psprintf("Invalid %s at character %%d.", what),
							 position);
	if (tm2timestamp(&tm, fsec, &tz, &result) != 0 || !IS_VALID_TIMESTAMP(result))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("%s out of range: \"%s\"", what, token)));
	return result;
}

void
summary_parse_list(const char *type_name, const char *input, SummaryElementParser parse_element,
				   void *arg)
{
	const char *p = summary_skip_space(input);

	if (*p != '{')
		summary_error_syntax(type_name, input, "Expected \"{\" at character %d.",
							 SUMMARY_POSITION(input, p));
	p = summary_skip_space(p + 1);
	if (*p == '}')
		p++;
	else
		for (;;)
		{
			if (*p != '(')
				summary_error_syntax(type_name, input, "Expected \"(\" at character %d.",
									 SUMMARY_POSITION(input, p));
			p = parse_element(input, p + 1, arg);
			CHECK_FOR_INTERRUPTS();
			p = summary_skip_space(p + 1);
			if (*p == '}')
			{
				p++;
				break;
			}
			if (*p != ',')
				summary_error_syntax(type_name, input, "Expected \",\" or \"}\" at character %d.",
									 SUMMARY_POSITION(input, p));
			p = summary_skip_space(p + 1);
		}
	p = summary_skip_space(p);
	if (*p != '\0')
		summary_error_syntax(type_name, input, "Unexpected text after \"}\" at character %d.",
							 SUMMARY_POSITION(input, p));
}

static inline bool
char_in(const char *set, char c)
{
	for (; *set != '\0'; set++)
		if (*set == c)
			return true;
	return false;
}

const char *
summary_field(const char *type_name, const char *input, const char *start, const char *accepted,
			  const char *detail_format, char **token)
{
	const char *end = start;

	/* plain loops: strcspn and strchr cost more than these few characters (text input speed) */
	while (*end != '\0' && *end != ',' && *end != '(' && *end != ')')
		end++;
	if (*end == '\0' || !char_in(accepted, *end))
		summary_error_syntax(type_name, input, detail_format, SUMMARY_POSITION(input, end));
	*token = summary_trimmed_token(start, end);
	return end;
}

int
summary_compare_bytes(const struct varlena *a, const struct varlena *b)
{
	int			result;

	if (VARSIZE(a) != VARSIZE(b))
		return VARSIZE(a) < VARSIZE(b) ? -1 : 1;
	result = memcmp(VARDATA(a), VARDATA(b), VARSIZE(a) - VARHDRSZ);
	return (result > 0) - (result < 0);
}

Datum
summary_hash_bytes(const struct varlena *value)
{
	return hash_any((const unsigned char *) VARDATA(value), VARSIZE(value) - VARHDRSZ);
}

Datum
summary_hash_bytes_extended(const struct varlena *value, uint64 seed)
{
	return hash_any_extended((const unsigned char *) VARDATA(value), VARSIZE(value) - VARHDRSZ,
							 seed);
}

MemoryContext
summary_aggregate_context(FunctionCallInfo fcinfo, const char *type_name)
{
	MemoryContext aggcontext;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("%s aggregate support function called outside an aggregate", type_name)));
	return aggcontext;
}

TupleDesc
summary_result_desc(FunctionCallInfo fcinfo)
{
	TupleDesc	desc;

	if (get_call_result_type(fcinfo, NULL, &desc) != TYPEFUNC_COMPOSITE)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("function returning record called in context that cannot accept type record")));
	return BlessTupleDesc(desc);
}

void
summary_binary_buffer(bytea *bytes, StringInfo buf)
{
	buf->data = VARDATA_ANY(bytes);
	buf->len = VARSIZE_ANY_EXHDR(bytes);
	buf->maxlen = buf->len;
	buf->cursor = 0;
}

char *
summary_argument_text(FunctionCallInfo fcinfo, int argno)
{
	Oid			type = get_fn_expr_argtype(fcinfo->flinfo, argno);
	Oid			output;
	bool		varlena;
	char	   *text;

	if (!OidIsValid(type))
		return "?";
	getTypeOutputInfo(type, &output, &varlena);
	text = OidOutputFunctionCall(output, PG_GETARG_DATUM(argno));
	if (strlen(text) > 40)
		text = psprintf("%.37s...", text);
	return text;
}

const char *
summary_float8_text(float8 value, char *buf)
{
	if (isnan(value))
		return "NaN";
	if (isinf(value))
		return value > 0 ? "Infinity" : "-Infinity";
	double_to_shortest_decimal_buf(value, buf);
	return buf;
}
