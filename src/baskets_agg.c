/*
 * baskets_agg.c
 *	  The aggregates that build baskets summaries: baskets(items [, max_pairs]) over one array of
 *	  items a basket (bigint[] or text[]), and rollup(baskets) over stored summaries.  They share
 *	  one transition state (the counting state of baskets.h), one combine, serialize, deserialize
 *	  and final function, so they run on parallel workers and on shards; the final form is
 *	  canonical, so below the pair budget rollup of any split of the baskets equals one pass.
 *
 * A basket's items count once however often they appear in its array; NULL arrays and NULL
 * elements are skipped, and so is a basket left without items: the basket count N counts the
 * baskets that hold at least one item.
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/array.h"

#include "baskets.h"
#include "summary.h"

PG_FUNCTION_INFO_V1(baskets_trans_bigint);
PG_FUNCTION_INFO_V1(baskets_trans_text);
PG_FUNCTION_INFO_V1(baskets_rollup_trans);
PG_FUNCTION_INFO_V1(baskets_combine);
PG_FUNCTION_INFO_V1(baskets_serialize);
PG_FUNCTION_INFO_V1(baskets_deserialize);
PG_FUNCTION_INFO_V1(baskets_final);

#define PG_GETARG_STATE(n)	(PG_ARGISNULL(n) ? NULL : (BasketsState *) PG_GETARG_POINTER(n))

/* The group's state, created in the aggregate's memory on its first row. */
static BasketsState *
group_state(FunctionCallInfo fcinfo, BasketsState *state)
{
	MemoryContext context = summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	int64		max_pairs = BASKETS_DEFAULT_MAX_PAIRS;

	if (state != NULL)
		return state;
	if (PG_NARGS() > 2)
	{
		if (PG_ARGISNULL(2))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("max_pairs must not be null"),
					 errdetail("max_pairs is the number of pair counters a summary keeps: its memory budget.")));
		max_pairs = PG_GETARG_INT64(2);
	}
	return baskets_state_create(context, max_pairs);
}

static void pg_attribute_noreturn()
error_basket_too_large(int n)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
			 errmsg("basket holds too many distinct items"),
			 errdetail("It holds %d distinct items; a basket holds at most %d, whose pairs are counted one by one.",
					   n, BASKETS_MAX_BASKET_ITEMS),
			 errhint("Leave such orders out (WHERE cardinality(items) <= %d), or split them.",
					 BASKETS_MAX_BASKET_ITEMS)));
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a;
	int64		y = *(const int64 *) b;

	return (x > y) - (x < y);
}

static int
int32_cmp(const void *a, const void *b)
{
	int32		x = *(const int32 *) a;
	int32		y = *(const int32 *) b;

	return (x > y) - (x < y);
}

/* Sorts a small array in place: most baskets hold a few items. */
#define INSERTION_SORT(type, values, n) \
	for (int i_ = 1; i_ < (n); i_++) \
	{ \
		type		v_ = (values)[i_]; \
		int			j_ = i_; \
		while (j_ > 0 && (values)[j_ - 1] > v_) \
		{ \
			(values)[j_] = (values)[j_ - 1]; \
			j_--; \
		} \
		(values)[j_] = v_; \
	}

/*
 * Room for the positions of a basket of n distinct items of a kind: the basket's size checked
 * before any pair is counted, the state's kind fixed.
 */
static int32 *
basket_positions(BasketsState *state, int kind, int n)
{
	if (n > BASKETS_MAX_BASKET_ITEMS)
		error_basket_too_large(n);
	baskets_state_set_kind(state, kind);
	return palloc(sizeof(int32) * n);
}

/* The basket's item positions, distinct: sorted and counted. */
static void
add_positions(BasketsState *state, int32 *positions, int n)
{
	if (n <= 16)
	{
		INSERTION_SORT(int32, positions, n);
	}
	else
		qsort(positions, n, sizeof(int32), int32_cmp);
	baskets_state_add_basket(state, positions, n);
}

Datum
baskets_trans_bigint(PG_FUNCTION_ARGS)
{
	BasketsState *state = group_state(fcinfo, PG_GETARG_STATE(0));
	ArrayType  *array;
	int			nelements;
	const int64 *data;
	const bits8 *nulls;
	int64	   *values;
	int32	   *positions;
	int			n = 0;
	int			distinct = 0;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);
	array = PG_GETARG_ARRAYTYPE_P(1);
	nelements = ArrayGetNItems(ARR_NDIM(array), ARR_DIMS(array));
	if (nelements == 0)
		PG_RETURN_POINTER(state);
	data = (const int64 *) ARR_DATA_PTR(array);
	nulls = ARR_NULLBITMAP(array);
	values = palloc(sizeof(int64) * nelements);
	for (int i = 0; i < nelements; i++)
		if (nulls == NULL || (nulls[i / 8] & (1 << (i % 8))))
			values[n++] = *data++;
	if (n == 0)
		PG_RETURN_POINTER(state);
	if (n <= 16)
	{
		INSERTION_SORT(int64, values, n);
	}
	else
		qsort(values, n, sizeof(int64), int64_cmp);
	for (int i = 0; i < n; i++)
		if (i == 0 || values[i] != values[i - 1])
			values[distinct++] = values[i];
	positions = basket_positions(state, BASKETS_KIND_BIGINT, distinct);
	for (int i = 0; i < distinct; i++)
		positions[i] = baskets_state_item_bigint(state, values[i]);
	add_positions(state, positions, distinct);
	PG_RETURN_POINTER(state);
}

typedef struct TextItem
{
	const char *data;
	int32		len;
} TextItem;

static int
text_item_cmp(const void *x, const void *y)
{
	const TextItem *a = x;
	const TextItem *b = y;
	int			result = memcmp(a->data, b->data, Min(a->len, b->len));

	if (result != 0)
		return result;
	return (a->len > b->len) - (a->len < b->len);
}

Datum
baskets_trans_text(PG_FUNCTION_ARGS)
{
	BasketsState *state = group_state(fcinfo, PG_GETARG_STATE(0));
	ArrayType  *array;
	Datum	   *elements;
	bool	   *nulls;
	int			nelements;
	TextItem   *items;
	int32	   *positions;
	int			n = 0;
	int			distinct = 0;

	if (PG_ARGISNULL(1))
		PG_RETURN_POINTER(state);
	array = PG_GETARG_ARRAYTYPE_P(1);
	deconstruct_array(array, TEXTOID, -1, false, TYPALIGN_INT, &elements, &nulls, &nelements);
	if (nelements == 0)
		PG_RETURN_POINTER(state);
	items = palloc(sizeof(TextItem) * nelements);
	for (int i = 0; i < nelements; i++)
		if (!nulls[i])
		{
			items[n].data = VARDATA_ANY(DatumGetPointer(elements[i]));
			items[n].len = VARSIZE_ANY_EXHDR(DatumGetPointer(elements[i]));
			n++;
		}
	if (n == 0)
		PG_RETURN_POINTER(state);
	qsort(items, n, sizeof(TextItem), text_item_cmp);
	for (int i = 0; i < n; i++)
		if (i == 0 || text_item_cmp(&items[i], &items[i - 1]) != 0)
			items[distinct++] = items[i];
	positions = basket_positions(state, BASKETS_KIND_TEXT, distinct);
	for (int i = 0; i < distinct; i++)
		positions[i] = baskets_state_item_text(state, items[i].data, items[i].len);
	add_positions(state, positions, distinct);
	PG_RETURN_POINTER(state);
}

/* rollup(baskets) transition: NULL summaries are skipped. */
Datum
baskets_rollup_trans(PG_FUNCTION_ARGS)
{
	BasketsState *state = PG_GETARG_STATE(0);
	MemoryContext context = summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);

	if (!PG_ARGISNULL(1))
	{
		Baskets    *b = PG_GETARG_BASKETS_P(1);

		if (state == NULL)
			state = baskets_state_create(context, b->max_pairs);
		baskets_state_add_summary(state, b);
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/*
 * Not strict: either state may be NULL (a worker that saw no rows).  The second state is only
 * read: its counts are added to the first.
 */
Datum
baskets_combine(PG_FUNCTION_ARGS)
{
	BasketsState *state = PG_GETARG_STATE(0);
	BasketsState *other = PG_GETARG_STATE(1);
	MemoryContext context = summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);

	if (other != NULL)
	{
		if (state == NULL)
			state = baskets_state_create(context, BASKETS_MIN_MAX_PAIRS);
		baskets_state_add_state(state, other);
	}
	if (state == NULL)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(state);
}

/* The state travels in the type's binary form: portable, versioned, checked on arrival. */
Datum
baskets_serialize(PG_FUNCTION_ARGS)
{
	Baskets    *b;
	bytea	   *bytes;

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	b = baskets_from_state((BasketsState *) PG_GETARG_POINTER(0));
	bytes = baskets_binary(b);
	pfree(b);
	PG_RETURN_BYTEA_P(bytes);
}

Datum
baskets_deserialize(PG_FUNCTION_ARGS)
{
	bytea	   *bytes = PG_GETARG_BYTEA_PP(0);
	StringInfoData buf;
	Baskets    *b;
	BasketsState *state;

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	summary_binary_buffer(bytes, &buf);
	b = baskets_read_binary(&buf);
	state = baskets_state_create(CurrentMemoryContext, b->max_pairs);
	baskets_state_add_summary(state, b);
	pfree(b);
	PG_RETURN_POINTER(state);
}

/*
 * The final function reads the state and leaves it as it was: a window aggregate can call it
 * again and go on adding rows (FINALFUNC_MODIFY = READ_ONLY).  No rows at all give the empty
 * summary.
 */
Datum
baskets_final(PG_FUNCTION_ARGS)
{
	BasketsState *state = PG_GETARG_STATE(0);

	summary_aggregate_context(fcinfo, BASKETS_TYPE_NAME);
	if (state == NULL)
		state = baskets_state_create(CurrentMemoryContext, BASKETS_DEFAULT_MAX_PAIRS);
	PG_RETURN_BASKETS_P(baskets_from_state(state));
}
