/*
 * item_sequence_accessors.c
 *	  SQL readers of an item sequence: slicing by time (as_of, during) and its counts.
 */
#include "postgres.h"

#include "fmgr.h"
#include "utils/rangetypes.h"
#include "utils/timestamp.h"

#include "calendar.h"
#include "item_sequence.h"

PG_FUNCTION_INFO_V1(item_sequence_as_of);
PG_FUNCTION_INFO_V1(item_sequence_during);
PG_FUNCTION_INFO_V1(item_sequence_lines);
PG_FUNCTION_INFO_V1(item_sequence_items);

/* The purchases [from, to) as a canonical summary of their own (unused items dropped). */
static ItemSequence *
slice(ItemSequence *s, int32 from, int32 to)
{
	IsBuilder  *b;

	if (from == 0 && to == s->nevents)
		return s;
	b = is_builder_create(CurrentMemoryContext);
	is_builder_add_sequence(b, s, from, to);
	return is_build(b);
}

Datum
item_sequence_as_of(PG_FUNCTION_ARGS)
{
	ItemSequence *s = PG_GETARG_ITEM_SEQUENCE_P(0);

	PG_RETURN_ITEM_SEQUENCE_P(slice(s, 0, calendar_count_before(IS_TIMES(s), s->nevents,
																 PG_GETARG_TIMESTAMPTZ(1), true)));
}

Datum
item_sequence_during(PG_FUNCTION_ARGS)
{
	ItemSequence *s = PG_GETARG_ITEM_SEQUENCE_P(0);
	int32		from,
				to;

	calendar_range_indices(IS_TIMES(s), s->nevents, PG_GETARG_RANGE_P(1), &from, &to);
	PG_RETURN_ITEM_SEQUENCE_P(slice(s, from, to));
}

Datum
item_sequence_lines(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_ITEM_SEQUENCE_P(0)->nevents);
}

Datum
item_sequence_items(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT32(PG_GETARG_ITEM_SEQUENCE_P(0)->nitems);
}
