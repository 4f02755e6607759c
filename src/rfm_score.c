/*
 * rfm_score.c
 *	  The rfm_score type (rfm_score.h): text and binary forms, comparisons and hashing, the
 *	  accessors r(s), f(s), m(s) and the cast to integer.
 *
 * Text form: three digits "545" when every score is 9 or less, else the three scores joined
 * by "-": "12-3-45".  Output picks the form, so it is unambiguous and s::text::rfm_score = s;
 * input also reads the "-" form of small scores ("5-4-5" is 545).
 */
#include "postgres.h"

#include <ctype.h>

#include "common/hashfn.h"
#include "libpq/pqformat.h"
#include "utils/builtins.h"

#include "rfm_score.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_score_in);
PG_FUNCTION_INFO_V1(rfm_score_out);
PG_FUNCTION_INFO_V1(rfm_score_recv);
PG_FUNCTION_INFO_V1(rfm_score_send);
PG_FUNCTION_INFO_V1(rfm_score_cmp);
PG_FUNCTION_INFO_V1(rfm_score_eq);
PG_FUNCTION_INFO_V1(rfm_score_ne);
PG_FUNCTION_INFO_V1(rfm_score_lt);
PG_FUNCTION_INFO_V1(rfm_score_le);
PG_FUNCTION_INFO_V1(rfm_score_gt);
PG_FUNCTION_INFO_V1(rfm_score_ge);
PG_FUNCTION_INFO_V1(rfm_score_hash);
PG_FUNCTION_INFO_V1(rfm_score_hash_extended);
PG_FUNCTION_INFO_V1(rfm_score_r);
PG_FUNCTION_INFO_V1(rfm_score_f);
PG_FUNCTION_INFO_V1(rfm_score_m);
PG_FUNCTION_INFO_V1(rfm_score_to_int4);

static void pg_attribute_noreturn()
syntax_error(const char *input, const char *detail, int position)
{
	summary_error_syntax(RFM_SCORE_TYPE_NAME, input, detail, position);
}

/* A score 1..100 without sign or leading zero, from p; sets *end past its digits. */
static int
parse_score(const char *input, const char *p, const char **end)
{
	int			v = 0;
	const char *q = p;

	if (!isdigit((unsigned char) *q))
		syntax_error(input, "Expected a score from 1 to 100 at character %d.", SUMMARY_POSITION(input, p));
	if (*q == '0')
		syntax_error(input, "Scores run from 1 to 100, without leading zeros (character %d).", SUMMARY_POSITION(input, p));
	while (isdigit((unsigned char) *q))
	{
		v = v * 10 + (*q - '0');
		if (v > RFM_MAX_BINS)
			syntax_error(input, "Scores run from 1 to 100 (character %d).", SUMMARY_POSITION(input, p));
		q++;
	}
	*end = q;
	return v;
}

Datum
rfm_score_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = summary_skip_space(input);
	const char *start = p;
	int			s[3];

	while (isdigit((unsigned char) *p))
		p++;
	if (p - start == 3 && *summary_skip_space(p) == '\0')
	{
		for (int i = 0; i < 3; i++)
		{
			s[i] = start[i] - '0';
			if (s[i] == 0)
				syntax_error(input, "Scores run from 1, not 0 (character %d).", SUMMARY_POSITION(input, start + i));
		}
	}
	else
	{
		p = start;
		for (int i = 0; i < 3; i++)
		{
			if (i > 0)
			{
				if (*p != '-')
					syntax_error(input, "Expected three digits, or three scores separated by \"-\" (character %d).", SUMMARY_POSITION(input, p));
				p++;
			}
			s[i] = parse_score(input, p, &p);
		}
		p = summary_skip_space(p);
		if (*p != '\0')
			syntax_error(input, "Unexpected character after the score at character %d.", SUMMARY_POSITION(input, p));
	}
	PG_RETURN_RFM_SCORE(RFM_SCORE_MAKE(s[0], s[1], s[2]));
}

/* The text form of a score, palloc'd: also what error messages quote. */
char *
rfm_score_text(int32 s)
{
	int			r = RFM_SCORE_R(s),
				f = RFM_SCORE_F(s),
				m = RFM_SCORE_M(s);

	if (r <= 9 && f <= 9 && m <= 9)
		return psprintf("%d%d%d", r, f, m);
	return psprintf("%d-%d-%d", r, f, m);
}

Datum
rfm_score_out(PG_FUNCTION_ARGS)
{
	PG_RETURN_CSTRING(rfm_score_text(PG_GETARG_RFM_SCORE(0)));
}

/* Binary form: the three scores, one byte each. */
Datum
rfm_score_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			s[3];

	if (buf->len - buf->cursor != 3)
		summary_error_binary(RFM_SCORE_TYPE_NAME, "An rfm_score is 3 bytes.");
	for (int i = 0; i < 3; i++)
	{
		s[i] = pq_getmsgbyte(buf);
		if (s[i] < 1 || s[i] > RFM_MAX_BINS)
			summary_error_binary(RFM_SCORE_TYPE_NAME, "Scores run from 1 to 100.");
	}
	PG_RETURN_RFM_SCORE(RFM_SCORE_MAKE(s[0], s[1], s[2]));
}

Datum
rfm_score_send(PG_FUNCTION_ARGS)
{
	int32		s = PG_GETARG_RFM_SCORE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendbyte(&buf, RFM_SCORE_R(s));
	pq_sendbyte(&buf, RFM_SCORE_F(s));
	pq_sendbyte(&buf, RFM_SCORE_M(s));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* Comparisons: by r, then f, then m, which is the order of the packed integers. */
#define RFM_CMP(a, b) ((a) < (b) ? -1 : ((a) > (b) ? 1 : 0))

Datum
rfm_score_cmp(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_CMP(PG_GETARG_RFM_SCORE(0), PG_GETARG_RFM_SCORE(1)));
}

#define RFM_COMPARISON(name, op) \
	Datum \
	name(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_BOOL(PG_GETARG_RFM_SCORE(0) op PG_GETARG_RFM_SCORE(1)); \
	}

RFM_COMPARISON(rfm_score_eq, ==)
RFM_COMPARISON(rfm_score_ne, !=)
RFM_COMPARISON(rfm_score_lt, <)
RFM_COMPARISON(rfm_score_le, <=)
RFM_COMPARISON(rfm_score_gt, >)
RFM_COMPARISON(rfm_score_ge, >=)

Datum
rfm_score_hash(PG_FUNCTION_ARGS)
{
	return hash_uint32((uint32) PG_GETARG_RFM_SCORE(0));
}

Datum
rfm_score_hash_extended(PG_FUNCTION_ARGS)
{
	return hash_uint32_extended((uint32) PG_GETARG_RFM_SCORE(0), PG_GETARG_INT64(1));
}

Datum
rfm_score_r(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_R(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_f(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_F(PG_GETARG_RFM_SCORE(0)));
}

Datum
rfm_score_m(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(RFM_SCORE_M(PG_GETARG_RFM_SCORE(0)));
}

/*
 * The cast to integer: the three digits read as a number (545), defined when every score is 9
 * or less.  Larger scores have no such number: 22003, not a number that could be mistaken for
 * one of three digits.
 */
Datum
rfm_score_to_int4(PG_FUNCTION_ARGS)
{
	int32		s = PG_GETARG_RFM_SCORE(0);
	int			r = RFM_SCORE_R(s),
				f = RFM_SCORE_F(s),
				m = RFM_SCORE_M(s);

	if (r > 9 || f > 9 || m > 9)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("rfm score %d-%d-%d has no integer form", r, f, m),
				 errdetail("Only scores of one digit each (models of at most 9 bins) read as a three-digit integer."),
				 errhint("Use r(s), f(s) and m(s).")));
	PG_RETURN_INT32(r * 100 + f * 10 + m);
}
