/*
 * baskets_io.c
 *	  The baskets type's text and binary forms.
 *
 * Text form, lossless: a header (kind, baskets, pair_error, max_pairs), then one (item, count)
 * an item and one (item, item, count) a pair, items and pairs in canonical order:
 *	  {(text,7,0,1000000),("beer",7),("chips",3),("beer","chips",3)}
 *	  {(bigint,2,0,1000000),(17,2),(42,1),(17,42,1)}
 * Text items are always double-quoted, with \" and \\ inside; bigint items are plain numbers.
 * Input accepts the elements in any order, blanks, and pairs in either item order; every item
 * of a pair must be listed, with counts that hold together (a pair in at most as many baskets
 * as each of its items, an item in at most as many as there are).
 *
 * Binary form (send/recv, and the aggregates' serialized state; written and read by the core,
 * baskets.c).  Receive accepts exactly what send produces and checks every length and value.
 */
#include "postgres.h"

#include <ctype.h>

#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "baskets.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(baskets_in);
PG_FUNCTION_INFO_V1(baskets_out);
PG_FUNCTION_INFO_V1(baskets_recv);
PG_FUNCTION_INFO_V1(baskets_send);

/* ---------------------------------------------------------------------------------------------
 * Text input
 * ---------------------------------------------------------------------------------------------
 */

#define POSITION(p) SUMMARY_POSITION(input, p)

static void pg_attribute_noreturn()
syntax_error(const char *input, const char *detail_format, const char *p)
{
	summary_error_syntax(BASKETS_TYPE_NAME, input, detail_format, POSITION(p));
}

static void pg_attribute_noreturn()
invalid_value(const char *input, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid baskets value: \"%s\"", input),
			 errdetail("%s", detail)));
}

/* One field of an element: a quoted text, or a plain token. */
typedef struct Field
{
	char	   *text;
	int32		len;
	bool		quoted;
	const char *at;				/* where it starts, for messages */
} Field;

/* A pair of the literal, resolved once every item is known. */
typedef struct PendingPair
{
	Field		a;
	Field		b;
	int64		count;
	const char *at;
} PendingPair;

typedef struct ParseState
{
	BasketsState *state;
	int			kind;
	int64		nbaskets;
	int64		pair_error;
	int64		max_pairs;
	bool		header_seen;
	PendingPair *pairs;
	int64		npairs;
	int64		pairs_capacity;
} ParseState;

/*
 * Reads the field at start, ending at one of the delimiters in accepted: returns the position
 * of the delimiter.
 */
static const char *
read_field(const char *input, const char *start, const char *accepted, Field *field)
{
	const char *p = summary_skip_space(start);

	field->at = p;
	if (*p == '"')
	{
		StringInfoData buf;

		initStringInfo(&buf);
		for (p++;; p++)
		{
			if (*p == '\0')
				syntax_error(input, "Unterminated quoted item at character %d.", field->at);
			if (*p == '"')
				break;
			if (*p == '\\')
			{
				p++;
				if (*p != '"' && *p != '\\')
					syntax_error(input, "Expected \\\" or \\\\ at character %d.", p - 1);
			}
			appendStringInfoChar(&buf, *p);
		}
		field->text = buf.data;
		field->len = buf.len;
		field->quoted = true;
		p = summary_skip_space(p + 1);
		if (*p == '\0' || strchr(accepted, *p) == NULL)
			syntax_error(input, strchr(accepted, ',') && strchr(accepted, ')')
						 ? "Expected \",\" or \")\" at character %d."
						 : strchr(accepted, ',') ? "Expected \",\" at character %d."
						 : "Expected \")\" at character %d.", p);
		return p;
	}
	p = summary_field(BASKETS_TYPE_NAME, input, p, accepted,
					  strchr(accepted, ',') && strchr(accepted, ')')
					  ? "Expected \",\" or \")\" at character %d."
					  : strchr(accepted, ',') ? "Expected \",\" at character %d."
					  : "Expected \")\" at character %d.", &field->text);
	field->len = strlen(field->text);
	field->quoted = false;
	return p;
}

static int64
parse_int64(const char *input, const Field *field)
{
	const char *digits = field->text + (field->text[0] == '-' || field->text[0] == '+');
	char	   *end;
	int64		value;

	if (field->quoted || field->text[0] == '\0')
		syntax_error(input, "Expected a whole number at character %d.", field->at);
	if (*digits == '\0' || strspn(digits, "0123456789") != strlen(digits))
		syntax_error(input, "Invalid whole number at character %d.", field->at);
	errno = 0;
	value = strtoi64(field->text, &end, 10);
	if (errno == ERANGE)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value \"%s\" is out of range for type bigint", field->text)));
	return value;
}

/* A count in a literal: a whole number, 0 or more (22023 when negative). */
static int64
parse_count(const char *input, const Field *field, const char *what)
{
	int64		value = parse_int64(input, field);

	if (value < 0)
		invalid_value(input, psprintf("The %s must be 0 or more.", what));
	return value;
}

/* The item of a field, looked up (-1: not listed) or added. */
static int32
item_of(ParseState *ps, const char *input, const Field *field, bool add)
{
	if (ps->kind == BASKETS_KIND_BIGINT)
	{
		int64		value;

		if (field->quoted)
			syntax_error(input, "Expected a bigint item (unquoted) at character %d.", field->at);
		value = parse_int64(input, field);
		return add ? baskets_state_item_bigint(ps->state, value)
			: baskets_state_find_bigint(ps->state, value);
	}
	if (!field->quoted)
		syntax_error(input, "Expected a quoted text item at character %d.", field->at);
	pg_verifymbstr(field->text, field->len, false);
	return add ? baskets_state_item_text(ps->state, field->text, field->len)
		: baskets_state_find_text(ps->state, field->text, field->len);
}

static const char *
parse_header(ParseState *ps, const char *input, const char *start)
{
	Field		kind,
				baskets,
				error,
				max_pairs;
	const char *p;

	p = read_field(input, start, ",", &kind);
	ps->kind = kind.quoted ? -1 : baskets_kind_of_name(kind.text);
	if (ps->kind < 0)
		syntax_error(input, "Expected the item kind (bigint, text or none) at character %d.", kind.at);
	p = read_field(input, p + 1, ",", &baskets);
	ps->nbaskets = parse_count(input, &baskets, "basket count");
	p = read_field(input, p + 1, ",", &error);
	ps->pair_error = parse_count(input, &error, "pair error");
	p = read_field(input, p + 1, ")", &max_pairs);
	ps->max_pairs = parse_int64(input, &max_pairs);
	baskets_check_max_pairs(ps->max_pairs);
	ps->state = baskets_state_create(CurrentMemoryContext, ps->max_pairs);
	baskets_state_set_kind(ps->state, ps->kind);
	ps->header_seen = true;
	return p;
}

/* One element from just after its "(": returns the position of ")". */
static const char *
parse_element(const char *input, const char *start, void *arg)
{
	ParseState *ps = arg;
	Field		fields[3];
	const char *p;
	int			n = 0;

	if (!ps->header_seen)
		return parse_header(ps, input, start);
	if (ps->kind == BASKETS_KIND_NONE)
		invalid_value(input, "A summary of kind none holds no items.");

	p = read_field(input, start, ",", &fields[n++]);
	p = read_field(input, p + 1, ",)", &fields[n++]);
	if (*p == ',')
		p = read_field(input, p + 1, ")", &fields[n++]);

	if (n == 2)
	{
		int64		count = parse_count(input, &fields[1], "item count");

		if (item_of(ps, input, &fields[0], false) >= 0)
			invalid_value(input, psprintf("The item at character %d is listed twice.",
										  POSITION(fields[0].at)));
		baskets_state_add_item_count(ps->state, item_of(ps, input, &fields[0], true), count);
	}
	else
	{
		PendingPair *pair;

		if (ps->npairs == ps->pairs_capacity)
		{
			ps->pairs_capacity = Max(16, ps->pairs_capacity * 2);
			ps->pairs = ps->pairs == NULL
				? palloc_extended(sizeof(PendingPair) * ps->pairs_capacity, MCXT_ALLOC_HUGE)
				: repalloc_huge(ps->pairs, sizeof(PendingPair) * ps->pairs_capacity);
		}
		pair = &ps->pairs[ps->npairs++];
		pair->a = fields[0];
		pair->b = fields[1];
		pair->count = parse_count(input, &fields[2], "pair count");
		pair->at = start;
	}
	return p;
}

typedef struct ResolvedPair
{
	int32		a;
	int32		b;
	int64		count;
} ResolvedPair;

static int
resolved_cmp(const void *x, const void *y)
{
	const ResolvedPair *a = x;
	const ResolvedPair *b = y;

	if (a->a != b->a)
		return a->a < b->a ? -1 : 1;
	if (a->b != b->b)
		return a->b < b->b ? -1 : 1;
	return 0;
}

Datum
baskets_in(PG_FUNCTION_ARGS)
{
	const char *input = PG_GETARG_CSTRING(0);
	ParseState	ps = {0};
	Baskets    *b;
	ResolvedPair *pairs;
	int64	   *item_count;

	summary_parse_list(BASKETS_TYPE_NAME, input, parse_element, &ps);
	if (!ps.header_seen)
		syntax_error(input, "Expected the header (kind, baskets, pair_error, max_pairs) at character %d.",
					 summary_skip_space(input) + 1);

	pairs = palloc_extended(sizeof(ResolvedPair) * Max(ps.npairs, 1), MCXT_ALLOC_HUGE);
	for (int64 i = 0; i < ps.npairs; i++)
	{
		int32		a = item_of(&ps, input, &ps.pairs[i].a, false);
		int32		c = item_of(&ps, input, &ps.pairs[i].b, false);

		if (a < 0 || c < 0)
			invalid_value(input, psprintf("The pair at character %d names an item that is not listed.",
										  POSITION(ps.pairs[i].at)));
		if (a == c)
			invalid_value(input, psprintf("The pair at character %d pairs an item with itself.",
										  POSITION(ps.pairs[i].at)));
		pairs[i].a = Min(a, c);
		pairs[i].b = Max(a, c);
		pairs[i].count = ps.pairs[i].count;
	}
	qsort(pairs, ps.npairs, sizeof(ResolvedPair), resolved_cmp);
	for (int64 i = 1; i < ps.npairs; i++)
		if (resolved_cmp(&pairs[i - 1], &pairs[i]) == 0)
			invalid_value(input, "A pair is listed twice.");
	if (ps.npairs > ps.max_pairs)
		invalid_value(input, "It lists more pairs than its pair budget, max_pairs.");
	for (int64 i = 0; i < ps.npairs; i++)
		baskets_state_add_pair_count(ps.state, pairs[i].a, pairs[i].b, pairs[i].count);

	baskets_state_add_baskets(ps.state, ps.nbaskets, ps.pair_error);
	b = baskets_from_state(ps.state);

	/* the counts hold together */
	item_count = BASKETS_ITEM_COUNT(b);
	if ((b->nitems == 0) != (b->nbaskets == 0))
		invalid_value(input, "A summary with baskets lists their items, and one without lists none.");
	if (b->nitems == 0 && b->pair_error != 0)
		invalid_value(input, "A summary without items has no pair error.");
	for (int32 i = 0; i < b->nitems; i++)
		if (item_count[i] < 1 || item_count[i] > b->nbaskets)
			invalid_value(input, psprintf("Item %s is in " INT64_FORMAT " baskets: an item is in 1 to " INT64_FORMAT " baskets.",
										  baskets_item_text(b, i), item_count[i], b->nbaskets));
	for (int64 i = 0; i < b->npairs; i++)
	{
		int32		a = BASKETS_PAIR_A(b)[i];
		int32		c = BASKETS_PAIR_B(b)[i];
		int64		count = BASKETS_PAIR_COUNT(b)[i];

		if (count < 1 || count > Min(item_count[a], item_count[c]))
			invalid_value(input, psprintf("Pair (%s, %s) is in " INT64_FORMAT " baskets: a pair is in 1 to as many baskets as each of its items.",
										  baskets_item_text(b, a), baskets_item_text(b, c), count));
	}
	PG_RETURN_BASKETS_P(b);
}

/* ---------------------------------------------------------------------------------------------
 * Text output
 * ---------------------------------------------------------------------------------------------
 */

static void
append_item(StringInfo out, const Baskets *b, int32 i)
{
	if (b->kind == BASKETS_KIND_BIGINT)
		appendStringInfo(out, INT64_FORMAT, BASKETS_ITEM_VALUE(b)[i]);
	else
	{
		const int32 *end = BASKETS_ITEM_END(b);
		int32		start = i == 0 ? 0 : end[i - 1];
		const char *text = BASKETS_TEXT(b);

		appendStringInfoChar(out, '"');
		for (int32 k = start; k < end[i]; k++)
		{
			if (text[k] == '"' || text[k] == '\\')
				appendStringInfoChar(out, '\\');
			appendStringInfoChar(out, text[k]);
		}
		appendStringInfoChar(out, '"');
	}
}

Datum
baskets_out(PG_FUNCTION_ARGS)
{
	Baskets    *b = PG_GETARG_BASKETS_P(0);
	const int64 *item_count = BASKETS_ITEM_COUNT(b);
	const int64 *pair_count = BASKETS_PAIR_COUNT(b);
	const int32 *pair_a = BASKETS_PAIR_A(b);
	const int32 *pair_b = BASKETS_PAIR_B(b);
	StringInfoData out;

	initStringInfo(&out);
	appendStringInfo(&out, "{(%s," INT64_FORMAT "," INT64_FORMAT "," INT64_FORMAT ")",
					 baskets_kind_name(b->kind), b->nbaskets, b->pair_error, b->max_pairs);
	for (int32 i = 0; i < b->nitems; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&out, ",(");
		append_item(&out, b, i);
		appendStringInfo(&out, "," INT64_FORMAT ")", item_count[i]);
	}
	for (int64 i = 0; i < b->npairs; i++)
	{
		if ((i & 1023) == 0)
			CHECK_FOR_INTERRUPTS();
		appendStringInfoString(&out, ",(");
		append_item(&out, b, pair_a[i]);
		appendStringInfoChar(&out, ',');
		append_item(&out, b, pair_b[i]);
		appendStringInfo(&out, "," INT64_FORMAT ")", pair_count[i]);
	}
	appendStringInfoChar(&out, '}');
	PG_RETURN_CSTRING(out.data);
}

/* ---------------------------------------------------------------------------------------------
 * Binary form
 * ---------------------------------------------------------------------------------------------
 */

Datum
baskets_recv(PG_FUNCTION_ARGS)
{
	PG_RETURN_BASKETS_P(baskets_read_binary((StringInfo) PG_GETARG_POINTER(0)));
}

Datum
baskets_send(PG_FUNCTION_ARGS)
{
	PG_RETURN_BYTEA_P(baskets_binary(PG_GETARG_BASKETS_P(0)));
}
