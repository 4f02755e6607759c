/*
 * tier_mix.c
 *	  The tier_mix type's core (see tier_mix.h): reading a stored value safely, text and binary
 *	  I/O, and comparisons.
 *
 * Text form, lossless: the tiers with lines, (tier,lines,amount), in the order low, mid, high,
 * amounts with PostgreSQL's shortest exact float8 digits:
 *	  {(low,3,25.5),(high,1,99.9)}
 * The empty mix is {}.  Input reads cells in any order, with blanks between the pieces, and
 * cells of zero lines and zero amount (left out again on output); a tier given twice, an
 * unknown tier, a negative or fractional line count, an amount that is negative or not finite,
 * or an amount without lines are errors (22P02).  So m::text::tier_mix is m byte for byte.
 *
 * Binary form: uint8 version, uint8 flags, then per tier int64 lines and float8 amount in
 * network byte order: 50 bytes.
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "summary.h"
#include "tier_mix.h"

PG_FUNCTION_INFO_V1(tier_mix_in);
PG_FUNCTION_INFO_V1(tier_mix_out);
PG_FUNCTION_INFO_V1(tier_mix_recv);
PG_FUNCTION_INFO_V1(tier_mix_send);

#define BINARY_SIZE		(2 + PRICE_TIERS * 16)

StaticAssertDecl(sizeof(TierMix) == 8 + PRICE_TIERS * 16, "no padding in a tier_mix value");

bool
tier_mix_valid_cell(int64 lines, float8 amount)
{
	return lines >= 0 && amount >= 0 && amount <= DBL_MAX && !(amount == 0 && signbit(amount)) &&
		(lines > 0 || amount == 0);
}

TierMix *
tier_mix_detoast(Datum datum)
{
	TierMix    *m = (TierMix *) PG_DETOAST_DATUM(datum);

	if (VARSIZE(m) < offsetof(TierMix, tiers))
		summary_error_corrupted(TIER_MIX_TYPE_NAME);
	summary_check_version(TIER_MIX_TYPE_NAME, m->version, TIER_MIX_FORMAT_VERSION);
	if (VARSIZE(m) != TIER_MIX_SIZE || m->flags != 0 || m->reserved != 0)
		summary_error_corrupted(TIER_MIX_TYPE_NAME);
	for (int t = 0; t < PRICE_TIERS; t++)
		if (!tier_mix_valid_cell(m->tiers[t].lines, m->tiers[t].amount))
			summary_error_corrupted(TIER_MIX_TYPE_NAME);
	return m;
}

TierMix *
tier_mix_allocate(void)
{
	TierMix    *m = palloc0(TIER_MIX_SIZE);

	SET_VARSIZE(m, TIER_MIX_SIZE);
	m->version = TIER_MIX_FORMAT_VERSION;
	return m;
}

/* ---------------------------------------------------------------------------------------------
 * Text form
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

typedef struct ParseState
{
	TierMix    *m;
	bool		seen[PRICE_TIERS];
} ParseState;

static void pg_attribute_noreturn()
invalid(const char *input, const char *detail, int position)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", TIER_MIX_TYPE_NAME, input),
			 errdetail(detail, position)));
}

static int64
parse_lines(const char *input, const char *token, int position)
{
	int64		v = 0;

	if (*token == '\0')
		invalid(input, "Expected a line count at character %d.", position);
	for (const char *q = token; *q != '\0'; q++)
	{
		if (*q < '0' || *q > '9')
			invalid(input, "A line count is a whole number, zero or more (character %d).", position);
		if (v > (PG_INT64_MAX - (*q - '0')) / 10)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("line count \"%s\" is out of range for type bigint", token)));
		v = v * 10 + (*q - '0');
	}
	return v;
}

static const char *
parse_cell(const char *input, const char *start, void *arg)
{
	ParseState *state = arg;
	const char *cell = start;
	const char *p;
	char	   *token;
	int			tier = -1;
	int64		lines;
	float8		amount;

	p = summary_field(TIER_MIX_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the tier at character %d.", &token);
	for (int t = 0; t < PRICE_TIERS; t++)
		if (strcmp(token, price_tier_labels[t]) == 0)
			tier = t;
	if (tier < 0)
		invalid(input, "Expected a tier, low, mid or high, at character %d.",
				POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TIER_MIX_TYPE_NAME, input, start, ",",
					  "Expected \",\" after the line count at character %d.", &token);
	lines = parse_lines(input, token, POSITION(summary_skip_space(start)));
	start = p + 1;
	p = summary_field(TIER_MIX_TYPE_NAME, input, start, ")",
					  "Expected \")\" after the amount at character %d.", &token);
	amount = summary_parse_float8(TIER_MIX_TYPE_NAME, input, token, POSITION(summary_skip_space(start)));
	if (!(amount >= 0 && amount <= DBL_MAX))
		invalid(input, "An amount is a finite number, zero or more (character %d).",
				POSITION(summary_skip_space(start)));
	amount += 0.0;
	if (lines == 0 && amount != 0)
		invalid(input, "A tier without lines has no amount (character %d).",
				POSITION(summary_skip_space(start)));
	if (state->seen[tier])
		invalid(input, "A tier is given twice (character %d).", POSITION(cell));
	state->seen[tier] = true;
	state->m->tiers[tier].lines = lines;
	state->m->tiers[tier].amount = amount;
	return p;
}

Datum
tier_mix_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	state;

	memset(state.seen, 0, sizeof(state.seen));
	state.m = tier_mix_allocate();
	summary_parse_list(TIER_MIX_TYPE_NAME, input, parse_cell, &state);
	PG_RETURN_TIER_MIX_P(state.m);
}

Datum
tier_mix_out(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);
	StringInfoData out;
	bool		first = true;
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int t = 0; t < PRICE_TIERS; t++)
		if (m->tiers[t].lines != 0)
		{
			double_to_shortest_decimal_buf(m->tiers[t].amount, buf);
			appendStringInfo(&out, "%s(%s," INT64_FORMAT ",%s)", first ? "" : ",",
							 price_tier_labels[t], m->tiers[t].lines, buf);
			first = false;
		}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

Datum
tier_mix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TierMix    *m;

	if (buf->len - buf->cursor < 2)
		summary_error_binary(TIER_MIX_TYPE_NAME, "The value is shorter than its 2-byte header.");
	summary_check_binary_version(TIER_MIX_TYPE_NAME, pq_getmsgbyte(buf), TIER_MIX_FORMAT_VERSION);
	if (pq_getmsgbyte(buf) != 0)
		summary_error_binary(TIER_MIX_TYPE_NAME, "Unknown flag bits are set.");
	if (buf->len - buf->cursor != BINARY_SIZE - 2)
		summary_error_binary(TIER_MIX_TYPE_NAME,
							 psprintf("The value has %d bytes; a tier_mix value has %d.",
									  buf->len - buf->cursor + 2, BINARY_SIZE));
	m = tier_mix_allocate();
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		m->tiers[t].lines = pq_getmsgint64(buf);
		m->tiers[t].amount = pq_getmsgfloat8(buf);
		if (!tier_mix_valid_cell(m->tiers[t].lines, m->tiers[t].amount))
			summary_error_binary(TIER_MIX_TYPE_NAME,
								 psprintf("The %s tier's lines or amount are out of range.",
										  price_tier_labels[t]));
	}
	PG_RETURN_TIER_MIX_P(m);
}

Datum
tier_mix_send(PG_FUNCTION_ARGS)
{
	TierMix    *m = PG_GETARG_TIER_MIX_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, m->version);
	pq_sendbyte(&buf, m->flags);
	for (int t = 0; t < PRICE_TIERS; t++)
	{
		pq_sendint64(&buf, m->tiers[t].lines);
		pq_sendfloat8(&buf, m->tiers[t].amount);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/*
 * Comparisons: byte operations on the canonical form.  The order means nothing about
 * customers; it lets ORDER BY, DISTINCT and merge joins work.
 */
static inline int
tier_mix_compare(const TierMix *a, const TierMix *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* tier_mix_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(tier_mix, tier_mix_detoast, tier_mix_compare)
