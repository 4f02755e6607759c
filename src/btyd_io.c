/*
 * btyd_io.c
 *	  Text and binary forms of the model types bgnbd, mbgnbd, gamma_gamma and pnbd.
 *
 * Text form, lossless (PostgreSQL's shortest exact float8 digits), every field named, in this
 * fixed order:
 *	  (r=0.2425945, alpha=4.4136, a=0.7929, b=2.4259, ll=-9582.429, customers=2357,
 *	   converged=true, iterations=23, gradient_norm=2.8e-12, se_r=0.0126, se_alpha=0.378,
 *	   se_a=0.186, se_b=0.705)
 * (mbgnbd the same; gamma_gamma: p, q, gamma and se_p, se_q, se_gamma; pnbd: r, alpha, s, beta
 * and se_r, se_alpha, se_s, se_beta).  A standard error the Hessian could not
 * give is NaN.  Input accepts blanks around the pieces and -0 (read as 0); model::text::type is
 * the model byte for byte.
 *
 * Binary form (written and read by the core, btyd.c).
 */
#include "postgres.h"

#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "btyd.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(bgnbd_in);
PG_FUNCTION_INFO_V1(bgnbd_out);
PG_FUNCTION_INFO_V1(bgnbd_recv);
PG_FUNCTION_INFO_V1(bgnbd_send);
PG_FUNCTION_INFO_V1(gamma_gamma_in);
PG_FUNCTION_INFO_V1(gamma_gamma_out);
PG_FUNCTION_INFO_V1(gamma_gamma_recv);
PG_FUNCTION_INFO_V1(gamma_gamma_send);
PG_FUNCTION_INFO_V1(mbgnbd_in);
PG_FUNCTION_INFO_V1(mbgnbd_out);
PG_FUNCTION_INFO_V1(mbgnbd_recv);
PG_FUNCTION_INFO_V1(mbgnbd_send);
PG_FUNCTION_INFO_V1(pnbd_in);
PG_FUNCTION_INFO_V1(pnbd_out);
PG_FUNCTION_INFO_V1(pnbd_recv);
PG_FUNCTION_INFO_V1(pnbd_send);

#define POSITION(p) SUMMARY_POSITION(input, p)

/* One "name=value" field from p; returns the position of the "," or ")" after it. */
static const char *
parse_field(const BtydKind *kind, const char *input, const char *p, const char *name,
			bool last, char **token, const char **token_start)
{
	size_t		len = strlen(name);
	const char *end;

	p = summary_skip_space(p);
	if (strncmp(p, name, len) != 0 || (p[len] != '=' && p[len] != ' ' && p[len] != '\t'))
	{
		char		detail[128];

		snprintf(detail, sizeof(detail), "Expected \"%s=\" at character %%d.", name);
		summary_error_syntax(kind->type_name, input, detail, POSITION(p));
	}
	p = summary_skip_space(p + len);
	if (*p != '=')
		summary_error_syntax(kind->type_name, input, "Expected \"=\" at character %d.", POSITION(p));
	p++;
	*token_start = summary_skip_space(p);
	end = p;
	while (*end != '\0' && *end != ',' && *end != ')' && *end != '(' && *end != '=')
		end++;
	if (*end != (last ? ')' : ','))
		summary_error_syntax(kind->type_name, input,
							 last ? "Expected \")\" at character %d." : "Expected \",\" at character %d.",
							 POSITION(end));
	*token = summary_trimmed_token(p, end);
	return end;
}

static int64
parse_int64(const BtydKind *kind, const char *input, const char *token, int position)
{
	const char *digits = token + (token[0] == '-' || token[0] == '+');
	long long	value;

	if (*digits == '\0' || strspn(digits, "0123456789") != strlen(digits))
		summary_error_syntax(kind->type_name, input, "Invalid whole number at character %d.", position);
	errno = 0;
	value = strtoll(token, NULL, 10);
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type bigint", token)));
	return (int64) value;
}

static BtydModel *
model_in(const BtydKind *kind, const char *input)
{
	BtydModel  *model = btyd_allocate(kind);
	const char *p = summary_skip_space(input);
	const char *problem;
	char	   *token;
	const char *start;
	char		name[32];
	int			nfields = kind->nparams * 2 + 5;
	int			field = 0;

	if (*p != '(')
		summary_error_syntax(kind->type_name, input, "Expected \"(\" at character %d.", POSITION(p));
	p++;
#define NEXT(fieldname) \
	(p = parse_field(kind, input, p, (fieldname), ++field == nfields, &token, &start) + 1)

	for (int i = 0; i < kind->nparams; i++)
	{
		NEXT(kind->names[i]);
		model->params[i] = summary_parse_float8(kind->type_name, input, token, POSITION(start)) + 0.0;
	}
	NEXT("ll");
	model->ll = summary_parse_float8(kind->type_name, input, token, POSITION(start)) + 0.0;
	NEXT("customers");
	model->customers = parse_int64(kind, input, token, POSITION(start));
	NEXT("converged");
	if (strcmp(token, "true") == 0)
		model->flags |= BTYD_FLAG_CONVERGED;
	else if (strcmp(token, "false") != 0)
		summary_error_syntax(kind->type_name, input, "Expected true or false at character %d.",
							 POSITION(start));
	NEXT("iterations");
	model->iterations = summary_parse_int32(kind->type_name, input, token, POSITION(start));
	NEXT("gradient_norm");
	model->grad_norm = summary_parse_float8(kind->type_name, input, token, POSITION(start)) + 0.0;
	for (int i = 0; i < kind->nparams; i++)
	{
		snprintf(name, sizeof(name), "se_%s", kind->names[i]);
		NEXT(name);
		model->se[i] = summary_parse_float8(kind->type_name, input, token, POSITION(start)) + 0.0;
		if (isnan(model->se[i]))
			model->se[i] = NAN;
	}
#undef NEXT
	p = summary_skip_space(p);
	if (*p != '\0')
		summary_error_syntax(kind->type_name, input, "Unexpected character after the model at character %d.",
							 POSITION(p));
	problem = btyd_model_problem(model, kind);
	if (problem != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type %s: \"%s\"", kind->type_name, input),
				 errdetail("%s", problem)));
	return model;
}

static void
append_float8(StringInfo out, float8 value)
{
	char		buf[DOUBLE_SHORTEST_DECIMAL_LEN];

	if (isnan(value))
		appendStringInfoString(out, "NaN");
	else
	{
		double_to_shortest_decimal_buf(value, buf);
		appendStringInfoString(out, buf);
	}
}

static char *
model_out(const BtydKind *kind, const BtydModel *model)
{
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfoChar(&out, '(');
	for (int i = 0; i < kind->nparams; i++)
	{
		appendStringInfo(&out, "%s=", kind->names[i]);
		append_float8(&out, model->params[i]);
		appendStringInfoString(&out, ", ");
	}
	appendStringInfoString(&out, "ll=");
	append_float8(&out, model->ll);
	appendStringInfo(&out, ", customers=" INT64_FORMAT ", converged=%s, iterations=%d, gradient_norm=",
					 model->customers, BTYD_CONVERGED(model) ? "true" : "false", model->iterations);
	append_float8(&out, model->grad_norm);
	for (int i = 0; i < kind->nparams; i++)
	{
		appendStringInfo(&out, ", se_%s=", kind->names[i]);
		append_float8(&out, model->se[i]);
	}
	appendStringInfoChar(&out, ')');
	return out.data;
}

/* The four I/O functions of one model type. */
#define BTYD_IO_FUNCTIONS(prefix, kind) \
	Datum \
	prefix##_in(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_POINTER(model_in(&(kind), PG_GETARG_CSTRING(0))); \
	} \
	Datum \
	prefix##_out(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_CSTRING(model_out(&(kind), btyd_detoast(PG_GETARG_DATUM(0), &(kind)))); \
	} \
	Datum \
	prefix##_recv(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_POINTER(btyd_read_binary((StringInfo) PG_GETARG_POINTER(0), &(kind))); \
	} \
	Datum \
	prefix##_send(PG_FUNCTION_ARGS) \
	{ \
		PG_RETURN_BYTEA_P(btyd_binary(btyd_detoast(PG_GETARG_DATUM(0), &(kind)))); \
	}

BTYD_IO_FUNCTIONS(bgnbd, btyd_bgnbd)
BTYD_IO_FUNCTIONS(gamma_gamma, btyd_gamma_gamma)
BTYD_IO_FUNCTIONS(mbgnbd, btyd_mbgnbd)
BTYD_IO_FUNCTIONS(pnbd, btyd_pnbd)
