/*
 * transitions.c
 *	  The transitions type's core (see transitions.h): reading a stored value safely, adding
 *	  counts, the binary form, text and binary I/O, and comparisons.
 *
 * Text form, lossless: the non-zero cells, (from,to,customers), sorted by from then to in the
 * order of profiling.lifecycle_stage, stages named by their labels:
 *	  {(prospect,registered,5),(new,new,2),(new,repeat,3)}
 * The empty matrix is {}.  Input reads cells in any order, with blanks between the pieces, and
 * cells of zero customers (left out again on output); a pair given twice, an unknown stage, a
 * negative or fractional count are errors (22P02), a count beyond bigint 22003.  So
 * t::text::transitions is t byte for byte.
 *
 * Binary form (send/recv, and the aggregates' serialized state): uint8 version, uint8 flags,
 * then the 64 counts, from-major, as int64 in network byte order: 514 bytes.  Receive accepts
 * exactly that and checks every count.
 */
#include "postgres.h"

#include "common/int.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "summary.h"
#include "transitions.h"

PG_FUNCTION_INFO_V1(transitions_in);
PG_FUNCTION_INFO_V1(transitions_out);
PG_FUNCTION_INFO_V1(transitions_recv);
PG_FUNCTION_INFO_V1(transitions_send);

#define CELLS				(LIFECYCLE_STAGES * LIFECYCLE_STAGES)
/* version, flags, the counts */
#define BINARY_SIZE			(2 + CELLS * (int) sizeof(int64))

StaticAssertDecl(offsetof(Transitions, counts) == 8, "the counts follow an 8-byte header");
StaticAssertDecl(sizeof(Transitions) == 8 + CELLS * sizeof(int64), "no padding in a transitions value");

/* ---------------------------------------------------------------------------------------------
 * The core
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Stored summaries outlive releases: a value this version cannot read (a newer format, or a
 * damaged one) is an error, never misread.
 */
Transitions *
transitions_detoast(Datum datum)
{
	Transitions *t = (Transitions *) PG_DETOAST_DATUM(datum);

	if (VARSIZE(t) < offsetof(Transitions, counts))
		summary_error_corrupted(TRANSITIONS_TYPE_NAME);
	summary_check_version(TRANSITIONS_TYPE_NAME, t->version, TRANSITIONS_FORMAT_VERSION);
	if (VARSIZE(t) != TRANSITIONS_SIZE || t->flags != 0 || t->reserved != 0)
		summary_error_corrupted(TRANSITIONS_TYPE_NAME);
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
			if (t->counts[from][to] < 0)
				summary_error_corrupted(TRANSITIONS_TYPE_NAME);
	return t;
}

Transitions *
transitions_allocate(void)
{
	Transitions *t = palloc0(TRANSITIONS_SIZE);

	SET_VARSIZE(t, TRANSITIONS_SIZE);
	t->version = TRANSITIONS_FORMAT_VERSION;
	return t;
}

static void pg_attribute_noreturn()
error_count_out_of_range(int from, int to)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("transition count out of range"),
			 errdetail("The customers moving from %s to %s would be more than " INT64_FORMAT ".",
					   lifecycle_stage_labels[from], lifecycle_stage_labels[to], PG_INT64_MAX)));
}

void
transitions_add(Transitions *t, int from, int to, int64 n)
{
	if (unlikely(pg_add_s64_overflow(t->counts[from][to], n, &t->counts[from][to])))
		error_count_out_of_range(from, to);
}

void
transitions_add_all(Transitions *t, const Transitions *other)
{
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
			transitions_add(t, from, to, other->counts[from][to]);
}

bytea *
transitions_binary(const Transitions *t)
{
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, t->version);
	pq_sendbyte(&buf, t->flags);
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
			pq_sendint64(&buf, t->counts[from][to]);
	return pq_endtypsend(&buf);
}

Transitions *
transitions_read_binary(StringInfo buf)
{
	Transitions *t;

	if (buf->len - buf->cursor < 2)
		summary_error_binary(TRANSITIONS_TYPE_NAME, "The value is shorter than its 2-byte header.");
	summary_check_binary_version(TRANSITIONS_TYPE_NAME, pq_getmsgbyte(buf), TRANSITIONS_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		summary_error_binary(TRANSITIONS_TYPE_NAME, "Unknown flag bits are set.");
	if (buf->len - buf->cursor != BINARY_SIZE - 2)
		summary_error_binary(TRANSITIONS_TYPE_NAME,
							 psprintf("The value has %d bytes; a transitions value has %d.",
									  buf->len - buf->cursor + 2, BINARY_SIZE));
	t = transitions_allocate();
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
		{
			t->counts[from][to] = pq_getmsgint64(buf);
			if (t->counts[from][to] < 0)
				summary_error_binary(TRANSITIONS_TYPE_NAME,
									 psprintf("The count of customers from %s to %s is negative.",
											  lifecycle_stage_labels[from], lifecycle_stage_labels[to]));
		}
	return t;
}

/* ---------------------------------------------------------------------------------------------
 * Text input and output
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

/* A stage label, exactly as the enum spells it (an enum's input is case-sensitive too). */
static int
parse_stage(const char *input, const char *token, int position)
{
	for (int i = 0; i < LIFECYCLE_STAGES; i++)
		if (strcmp(token, lifecycle_stage_labels[i]) == 0)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", TRANSITIONS_TYPE_NAME, input),
			 errdetail("Expected a lifecycle stage at character %d: prospect, registered, active, new, repeat, vip, dormant or churned.",
					   position)));
	pg_unreachable();
}

/* A count: digits only (a leading + allowed), up to bigint's limit (22003); never negative. */
static int64
parse_count(const char *input, const char *token, int position)
{
	const char *digits = token + (token[0] == '+');
	int64		count = 0;

	if (token[0] == '\0')
		summary_error_syntax(TRANSITIONS_TYPE_NAME, input,
							 "Expected a count of customers at character %d.", position);
	if (token[0] == '-' && token[1] != '\0' && strspn(token + 1, "0123456789") == strlen(token + 1))
		summary_error_syntax(TRANSITIONS_TYPE_NAME, input,
							 "A count of customers is written without a minus sign (character %d).", position);
	if (*digits == '\0' || strspn(digits, "0123456789") != strlen(digits))
		summary_error_syntax(TRANSITIONS_TYPE_NAME, input,
							 "Invalid count of customers at character %d: a whole number is expected.",
							 position);
	for (const char *p = digits; *p; p++)
		if (pg_mul_s64_overflow(count, 10, &count) || pg_add_s64_overflow(count, *p - '0', &count))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value \"%s\" is out of range for type bigint", token)));
	return count;
}

typedef struct ParseState
{
	Transitions *t;
	bool		seen[LIFECYCLE_STAGES][LIFECYCLE_STAGES];
} ParseState;

/* One cell, (from,to,count), from just after its "(": returns the position of ")". */
static const char *
parse_cell(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *cell = start - 1;
	const char *p;
	char	   *token;
	int			from,
				to;

	p = summary_field(TRANSITIONS_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the from stage at character %d.", &token);
	from = parse_stage(input, token, POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TRANSITIONS_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the to stage at character %d.", &token);
	to = parse_stage(input, token, POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TRANSITIONS_TYPE_NAME, input, start, ")",
					  "Expected \")\" after the count at character %d.", &token);
	if (state->seen[from][to])
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", TRANSITIONS_TYPE_NAME, input),
				 errdetail("The pair (%s,%s) at character %d is given twice.",
						   lifecycle_stage_labels[from], lifecycle_stage_labels[to], POSITION(cell))));
	state->seen[from][to] = true;
	state->t->counts[from][to] = parse_count(input, token, POSITION(summary_skip_space(start)));
	return p;
}

Datum
transitions_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state;

	memset(state.seen, 0, sizeof(state.seen));
	state.t = transitions_allocate();
	summary_parse_list(TRANSITIONS_TYPE_NAME, input, parse_cell, &state);
	PG_RETURN_TRANSITIONS_P(state.t);
}

Datum
transitions_out(PG_FUNCTION_ARGS)
{
	Transitions *t = PG_GETARG_TRANSITIONS_P(0);
	StringInfoData out;
	bool		first = true;

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int from = 0; from < LIFECYCLE_STAGES; from++)
		for (int to = 0; to < LIFECYCLE_STAGES; to++)
			if (t->counts[from][to] != 0)
			{
				appendStringInfo(&out, "%s(%s,%s," INT64_FORMAT ")", first ? "" : ",",
								 lifecycle_stage_labels[from], lifecycle_stage_labels[to],
								 t->counts[from][to]);
				first = false;
			}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

Datum
transitions_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_TRANSITIONS_P(transitions_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
transitions_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(transitions_binary(PG_GETARG_TRANSITIONS_P(0)));
}

/* ---------------------------------------------------------------------------------------------
 * Comparisons
 * ---------------------------------------------------------------------------------------------
 */

/*
 * Every value has the same size, so the order is memcmp of the counts in memory: total and
 * stable on one machine, but meaningless about customers.  It lets ORDER BY, DISTINCT and merge
 * joins work.
 */
static inline int
transitions_compare(const Transitions *a, const Transitions *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* transitions_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(transitions, transitions_detoast, transitions_compare)
