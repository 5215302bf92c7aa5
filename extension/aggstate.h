/*-------------------------------------------------------------------------
 *
 * aggstate.h
 *	  The aggregate-state floor: what every expanded-object aggregate state
 *	  of health_share (flowmatrix, facility_set, inequality_state,
 *	  theil_decomposition_state, site_select_state) shares.
 *
 *	  A state type is described once by an HsAggStateType: the magic that
 *	  marks its expanded objects, its SQL name (messages, memory context),
 *	  the size of its expanded struct, the expanded-object methods (flat
 *	  size and flatten), init (an empty state) and merge (add the contents
 *	  of a flat or expanded datum).  The expanded struct of every type starts
 *	  with an HsAggState.  hs_aggstate_from_datum is the one way to look
 *	  inside a datum; hs_aggstate_arg is the one accessor for transition and
 *	  combine functions (inside an aggregate the read-write state is updated
 *	  in place, outside one the argument is copied and never modified), and
 *	  hs_aggstate_return gives back what the function must return.
 *
 *	  Flat formats: a new flat format starts, after the varlena header, with
 *	  a uint32 magic and a uint32 version, checked before anything else is
 *	  read; the formats stored by releases 1.0 and 1.1 are read as they are
 *	  (docs/development.md, "Aggregate states").
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_AGGSTATE_H
#define HS_AGGSTATE_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/expandeddatum.h"

typedef struct HsAggStateType HsAggStateType;

/* the head of every expanded aggregate state */
typedef struct HsAggState
{
	ExpandedObjectHeader hdr;
	uint32		magic;			/* type->magic */
	bool		direct;			/* made outside an aggregate: return it flat */
	const HsAggStateType *type;
} HsAggState;

struct HsAggStateType
{
	/* first, so that the expanded object's methods pointer names the type */
	ExpandedObjectMethods methods;	/* flat size and flatten */
	uint32		magic;
	const char *name;			/* the SQL type */
	Size		size;			/* of the expanded struct, HsAggState first */
	bool		outside_aggregate;	/* transition functions may run directly */
	/* set up an empty state in s->hdr.eoh_context; hint: expected entries */
	void		(*init) (HsAggState *s, int64 hint);
	/* add what a datum of this type holds (flat or expanded) */
	void		(*merge) (HsAggState *s, Datum d);
};

/*
 * HS_AGGSTATE_DEFINE(prefix, magic, "sql type", Struct, outside) in the
 * file of a state type: declares its four methods prefix_get_flat_size,
 * prefix_flatten_into, prefix_init and prefix_merge (the file defines
 * them), defines its descriptor prefix_type and prefix_from_datum(d), the
 * Struct behind d or NULL when d is flat.
 */
#define HS_AGGSTATE_DEFINE(prefix, magic_, name_, Struct, outside) \
	static Size prefix##_get_flat_size(ExpandedObjectHeader *eohptr); \
	static void prefix##_flatten_into(ExpandedObjectHeader *eohptr, \
									  void *result, Size allocated_size); \
	static void prefix##_init(HsAggState *s, int64 hint); \
	static void prefix##_merge(HsAggState *s, Datum d); \
	static const HsAggStateType prefix##_type = { \
		.methods = {prefix##_get_flat_size, prefix##_flatten_into}, \
		.magic = (magic_), \
		.name = (name_), \
		.size = sizeof(Struct), \
		.outside_aggregate = (outside), \
		.init = prefix##_init, \
		.merge = prefix##_merge, \
	}; \
	static inline Struct * \
	prefix##_from_datum(Datum d) \
	{ \
		return (Struct *) hs_aggstate_from_datum(&prefix##_type, d); \
	}

/* the memory context of a state */
#define HS_AGGSTATE_CXT(s)	(((HsAggState *) (s))->hdr.eoh_context)

extern HsAggState *hs_aggstate_create(const HsAggStateType *type,
									  MemoryContext parent, int64 hint);
extern HsAggState *hs_aggstate_from_datum(const HsAggStateType *type, Datum d);
extern MemoryContext hs_aggregate_context(FunctionCallInfo fcinfo,
										  const char *fallback_name);
extern HsAggState *hs_aggstate_arg(const HsAggStateType *type, FunctionCallInfo fcinfo);
extern Datum hs_aggstate_return(HsAggState *s);
extern void *hs_aggstate_flat(HsAggState *s);
extern Datum hs_aggstate_combine(const HsAggStateType *type, FunctionCallInfo fcinfo);

/*
 * In a transition or combine function whose argument 0 is the state: when
 * "skip" holds (a row with a NULL input), return the state unchanged.
 */
#define HS_AGG_SKIP_ROW_IF(skip) \
	do { \
		if (skip) \
		{ \
			if (PG_ARGISNULL(0)) \
				PG_RETURN_NULL(); \
			PG_RETURN_DATUM(PG_GETARG_DATUM(0)); \
		} \
	} while (0)

#endif							/* HS_AGGSTATE_H */
