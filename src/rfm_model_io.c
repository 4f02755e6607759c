/*
 * rfm_model_io.c
 *	  The rfm_model type's text and binary forms, comparisons and hashing.
 *
 * Text form, lossless: the cut points of recency, frequency and monetary value, bins - 1 each,
 * with PostgreSQL's shortest exact float8 digits:
 *	  {{12,30.5,61,140},{1,1,2,4},{25.5,80,162.25,410}}
 * so model::text::rfm_model is model byte for byte.  Input accepts blanks between the pieces
 * and -0 (read as 0); the three lists must have the same length, 1 to 99.
 *
 * Binary form (written and read by the core, rfm_model.c): uint8 version, uint8 flags,
 * uint16 bins, then the cut points in network byte order.
 */
#include "postgres.h"

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "rfm_model.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(rfm_model_in);
PG_FUNCTION_INFO_V1(rfm_model_out);
PG_FUNCTION_INFO_V1(rfm_model_recv);
PG_FUNCTION_INFO_V1(rfm_model_send);

#define POSITION(p) SUMMARY_POSITION(input, p)

static void pg_attribute_noreturn()
syntax_error(const char *input, const char *detail, const char *p)
{
	summary_error_syntax(RFM_MODEL_TYPE_NAME, input, detail, POSITION(p));
}

/* One list {a,b,...} from p (at its "{"): its numbers into values, returns the position after "}". */
static const char *
parse_cuts(const char *input, const char *p, float8 *values, int *n)
{
	*n = 0;
	if (*p != '{')
		syntax_error(input, "Expected \"{\" at character %d.", p);
	p++;
	for (;;)
	{
		const char *start = summary_skip_space(p);
		const char *end = start;
		char	   *token;

		while (*end != '\0' && *end != ',' && *end != '}' && *end != '{')
			end++;
		if (*end != ',' && *end != '}')
			syntax_error(input, "Expected \",\" or \"}\" at character %d.", end);
		if (*n == RFM_MAX_BINS - 1)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", RFM_MODEL_TYPE_NAME, input),
					 errdetail("A model has at most %d cut points a metric (%d bins).",
							   RFM_MAX_BINS - 1, RFM_MAX_BINS)));
		token = summary_trimmed_token(start, end);
		values[(*n)++] = summary_parse_float8(RFM_MODEL_TYPE_NAME, input, token, POSITION(start));
		pfree(token);
		p = end + 1;
		if (*end == '}')
			return p;
	}
}

Datum
rfm_model_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	const char *p = summary_skip_space(input);
	float8		values[3][RFM_MAX_BINS - 1];
	int			n[3];
	RfmModel   *model;

	if (*p != '{')
		syntax_error(input, "Expected \"{\" at character %d.", p);
	p++;
	for (int metric = 0; metric < 3; metric++)
	{
		p = summary_skip_space(p);
		if (metric > 0)
		{
			if (*p != ',')
				syntax_error(input, "Expected \",\" and three lists of cut points at character %d.", p);
			p = summary_skip_space(p + 1);
		}
		p = parse_cuts(input, p, values[metric], &n[metric]);
		if (metric > 0 && n[metric] != n[0])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type %s: \"%s\"", RFM_MODEL_TYPE_NAME, input),
					 errdetail("The %s list has %d cut points and the recency list %d: all three need bins - 1.",
							   rfm_metric_names[metric], n[metric], n[0])));
	}
	p = summary_skip_space(p);
	if (*p != '}')
		syntax_error(input, "Expected \"}\" after three lists of cut points at character %d.", p);
	p = summary_skip_space(p + 1);
	if (*p != '\0')
		syntax_error(input, "Unexpected character after the model at character %d.", p);

	model = rfm_allocate(n[0] + 1);
	for (int metric = 0; metric < 3; metric++)
		memcpy(RFM_CUTS(model, metric), values[metric], sizeof(float8) * n[0]);
	rfm_check_cuts(model, input);
	PG_RETURN_RFM_MODEL_P(model);
}

Datum
rfm_model_out(PG_FUNCTION_ARGS)
{
	RfmModel   *model = PG_GETARG_RFM_MODEL_P(0);
	StringInfoData out;
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	initStringInfo(&out);
	appendStringInfoChar(&out, '{');
	for (int metric = 0; metric < 3; metric++)
	{
		const float8 *cuts = RFM_CUTS(model, metric);

		if (metric > 0)
			appendStringInfoChar(&out, ',');
		appendStringInfoChar(&out, '{');
		for (int i = 0; i < model->bins - 1; i++)
		{
			if (i > 0)
				appendStringInfoChar(&out, ',');
			double_to_shortest_decimal_buf(cuts[i], buf);
			appendStringInfoString(&out, buf);
		}
		appendStringInfoChar(&out, '}');
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

Datum
rfm_model_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_RFM_MODEL_P(rfm_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
rfm_model_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(rfm_binary(PG_GETARG_RFM_MODEL_P(0)));
}

/*
 * Comparisons: the canonical form makes them byte operations.  The order (fewer bins first,
 * then the bytes) means nothing about customers; it lets ORDER BY, DISTINCT and merge joins work.
 */
static inline int
rfm_compare(const RfmModel *a, const RfmModel *b)
{
	return summary_compare_bytes((const struct varlena *) a, (const struct varlena *) b);
}

/* rfm_model_cmp, _eq, _ne, _lt, _le, _gt, _ge, _hash, _hash_extended */
SUMMARY_COMPARISON_FUNCTIONS(rfm_model, rfm_detoast, rfm_compare)
