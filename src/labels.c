/*
 * labels.c
 *	  SQL enums seen from C (labels.h).
 */
#include "postgres.h"

#include "catalog/pg_enum.h"
#include "utils/lsyscache.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "labels.h"

/*
 * The OIDs are kept in fn_mcxt with the type they belong to: a call site whose argument type
 * changed (it cannot, for a given function) would look them up again.
 */
typedef struct LabelCache
{
	Oid			type;
	int			n;
	Oid			oids[FLEXIBLE_ARRAY_MEMBER];
} LabelCache;

void
labels_lookup(Oid type, const char *const *labels, int n, Oid *oids)
{
	/* an argument may be of a domain over the enum: its labels are the enum's */
	Oid			enum_type = getBaseType(type);

	for (int i = 0; i < n; i++)
	{
		oids[i] = GetSysCacheOid2(ENUMTYPOIDNAME, Anum_pg_enum_oid, ObjectIdGetDatum(enum_type),
								  CStringGetDatum(labels[i]));
		/* only when someone renamed or dropped a label of the extension's enum */
		if (!OidIsValid(oids[i]))
			ereport(ERROR,
					(errcode(ERRCODE_UNDEFINED_OBJECT),
					 errmsg("enum %s has no label \"%s\"", format_type_be(type), labels[i]),
					 errhint("The extension's enums must keep their labels: reinstall profiling.")));
	}
}

const Oid *
labels_of_call(FunctionCallInfo fcinfo, Oid type, const char *const *labels, int n)
{
	LabelCache *cache = fcinfo->flinfo->fn_extra;

	if (cache == NULL || cache->type != type || cache->n != n)
	{
		cache = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, offsetof(LabelCache, oids) + sizeof(Oid) * n);
		labels_lookup(type, labels, n, cache->oids);
		cache->type = type;
		cache->n = n;
		fcinfo->flinfo->fn_extra = cache;
	}
	return cache->oids;
}

const Oid *
labels_of_argument(FunctionCallInfo fcinfo, int argno, const char *const *labels, int n)
{
	LabelCache *cache = fcinfo->flinfo->fn_extra;

	/* a call site's argument type never changes: found once, not once a row */
	if (cache != NULL && cache->n == n)
		return cache->oids;
	return labels_of_call(fcinfo, get_fn_expr_argtype(fcinfo->flinfo, argno), labels, n);
}

int
labels_index(const Oid *oids, int n, Oid value, const char *type_name)
{
	for (int i = 0; i < n; i++)
		if (oids[i] == value)
			return i;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("%u is not a value of type %s", value, type_name)));
	pg_unreachable();
}
