/*-------------------------------------------------------------------------
 *
 * aggstate.c
 *	  The aggregate-state floor (aggstate.h): creating an expanded state of
 *	  a described type, finding it behind a datum, the state a transition
 *	  or combine function updates and what it returns.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "utils/lsyscache.h"
#include "utils/memutils.h"

#include "aggstate.h"

/* a new empty state in a child context of "parent" */
HsAggState *
hs_aggstate_create(const HsAggStateType *type, MemoryContext parent, int64 hint)
{
	MemoryContext cxt;
	HsAggState *s;

	/* the name is a string constant of the descriptor, as the macro wants */
	cxt = AllocSetContextCreateInternal(parent, type->name, ALLOCSET_SMALL_SIZES);
	s = (HsAggState *) MemoryContextAllocZero(cxt, type->size);
	EOH_init_header(&s->hdr, &type->methods, cxt);
	s->magic = type->magic;
	s->type = type;
	type->init(s, hint);
	return s;
}

/*
 * The expanded state behind a datum, or NULL when the datum is flat.  An
 * expanded object of another type is an internal error.
 */
HsAggState *
hs_aggstate_from_datum(const HsAggStateType *type, Datum d)
{
	ExpandedObjectHeader *eoh;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	eoh = DatumGetEOHP(d);
	if (eoh->eoh_methods != &type->methods ||
		((HsAggState *) eoh)->magic != type->magic)
		elog(ERROR, "expanded object is not a %s", type->name);
	return (HsAggState *) eoh;
}

/*
 * The aggregate context of a transition function that cannot run on its
 * own: called outside an aggregate, it fails with one message for every
 * such function of the extension, naming the function.
 */
MemoryContext
hs_aggregate_context(FunctionCallInfo fcinfo, const char *fallback_name)
{
	MemoryContext aggcxt;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
	{
		char	   *fname = get_func_name(fcinfo->flinfo->fn_oid);

		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s can only run inside its aggregate",
						fname ? fname : fallback_name)));
	}
	return aggcxt;
}

/*
 * The state to update in a transition or combine function (argument 0).
 * Inside an aggregate, a read-write expanded state of this aggregate is
 * updated in place and returned as the same pointer, so the executor keeps
 * it without copying; a NULL or flat state becomes a new expanded object in
 * a child of the aggregate context, which the executor adopts.  Outside an
 * aggregate (only for types with outside_aggregate) the argument is never
 * modified: the work happens on a copy in the current context, returned
 * flat by hs_aggstate_return.
 */
HsAggState *
hs_aggstate_arg(const HsAggStateType *type, FunctionCallInfo fcinfo)
{
	MemoryContext aggcxt;
	bool		direct;
	HsAggState *s;

	direct = !AggCheckCallContext(fcinfo, &aggcxt);
	if (direct)
	{
		if (!type->outside_aggregate)
			(void) hs_aggregate_context(fcinfo, type->name);	/* fails */
		aggcxt = CurrentMemoryContext;
	}
	else if (!PG_ARGISNULL(0) &&
			 VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		s = hs_aggstate_from_datum(type, PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(s->hdr.eoh_context) == aggcxt)
			return s;
	}
	s = hs_aggstate_create(type, aggcxt, 0);
	s->direct = direct;
	if (!PG_ARGISNULL(0))
		type->merge(s, PG_GETARG_DATUM(0));
	return s;
}

/* the flat form of a state, palloc'd in the current context */
void *
hs_aggstate_flat(HsAggState *s)
{
	Size		size = EOH_get_flat_size(&s->hdr);
	void	   *flat = palloc(size);

	EOH_flatten_into(&s->hdr, flat, size);
	return flat;
}

/* what a transition or combine function returns for the state it updated */
Datum
hs_aggstate_return(HsAggState *s)
{
	if (s->direct)
	{
		void	   *flat = hs_aggstate_flat(s);

		DeleteExpandedObject(EOHPGetRWDatum(&s->hdr));
		return PointerGetDatum(flat);
	}
	return EOHPGetRWDatum(&s->hdr);
}

/*
 * The combine function of a state type (and the transition function of an
 * aggregate over the type itself, such as sum(flowmatrix)): argument 1
 * merged into the state.
 */
Datum
hs_aggstate_combine(const HsAggStateType *type, FunctionCallInfo fcinfo)
{
	HsAggState *s;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	s = hs_aggstate_arg(type, fcinfo);
	type->merge(s, PG_GETARG_DATUM(1));
	return hs_aggstate_return(s);
}
