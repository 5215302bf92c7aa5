/*-------------------------------------------------------------------------
 *
 * referral.c
 *	  Referrals between care levels: the aggregates referrals(from, to) and
 *	  sum(referral_counts), counting upward, downward and same-level
 *	  referrals.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "utils/array.h"
#include "utils/lsyscache.h"
#include "utils/syscache.h"
#include "utils/typcache.h"

#include "aggstate.h"
#include "common.h"

PG_FUNCTION_INFO_V1(referral_accum);
PG_FUNCTION_INFO_V1(referral_combine);
PG_FUNCTION_INFO_V1(referral_add_counts);

/* ----------------------------------------------------------------------
 * Referrals between care levels
 *
 * State: bigint[3] = {up, down, lateral}, a plain SQL array (mergeable by
 * Citus), updated in place inside the aggregate.
 * ----------------------------------------------------------------------
 */

static ArrayType *
referral_state_new(MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum		zeros[3] = {Int64GetDatum(0), Int64GetDatum(0), Int64GetDatum(0)};
	ArrayType  *a = construct_array(zeros, 3, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);

	MemoryContextSwitchTo(old);
	return a;
}

static int64 *
referral_counts_of(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 3 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("referral state must be a bigint array of 3 non-null counts")));
	/* no null bitmap, checked above */
	return (int64 *) ((char *) a + ARR_OVERHEAD_NONULLS(1));
}

/* the writable state array: in place inside the aggregate, a copy outside */
static ArrayType *
referral_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	ArrayType  *a;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = NULL;
	/* a new state is made in the per-call context; the executor copies it */
	if (PG_ARGISNULL(0))
		return referral_state_new(CurrentMemoryContext);
	if (aggcontext)
		a = PG_GETARG_ARRAYTYPE_P(0);
	else
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
	(void) referral_counts_of(a);
	return a;
}

/* compare two care_level values by their enum sort order */
static int
referral_compare(FunctionCallInfo fcinfo, Oid a, Oid b)
{
	TypeCacheEntry *tcache = (TypeCacheEntry *) fcinfo->flinfo->fn_extra;

	if (a == b)
		return 0;
	if (tcache == NULL)
	{
		Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, 1);

		/*
		 * Without an expression (Citus' worker_partial_agg calls the
		 * transition function through its own FmgrInfo) the type is that
		 * of the enum value itself.
		 */
		if (!OidIsValid(typid))
		{
			HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(a));

			if (!HeapTupleIsValid(tup))
				elog(ERROR, "could not determine the care level type");
			typid = ((Form_pg_enum) GETSTRUCT(tup))->enumtypid;
			ReleaseSysCache(tup);
		}
		tcache = lookup_type_cache(typid, 0);
		fcinfo->flinfo->fn_extra = tcache;
	}
	return compare_values_of_enum(tcache, a, b);
}

/* referrals(from, to) transition: counts up, down and lateral referrals */
Datum
referral_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	int			cmp;
	int			slot;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2));
	cmp = referral_compare(fcinfo, PG_GETARG_OID(1), PG_GETARG_OID(2));
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	slot = cmp < 0 ? 0 : (cmp > 0 ? 1 : 2);
	c[slot] = hs_add_int64(c[slot], 1, "referral count");
	PG_RETURN_ARRAYTYPE_P(state);
}

/* combine: adds two count arrays */
Datum
referral_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	int64	   *o;
	int			k;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	o = referral_counts_of(PG_GETARG_ARRAYTYPE_P(1));
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	for (k = 0; k < 3; k++)
		c[k] = hs_add_int64(c[k], o[k], "referral count");
	PG_RETURN_ARRAYTYPE_P(state);
}

/* sum(referral_counts) transition: adds the three counts of a row */
Datum
referral_add_counts(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	HeapTupleHeader row;
	int			k;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	row = PG_GETARG_HEAPTUPLEHEADER(1);
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	for (k = 0; k < 3; k++)
	{
		bool		isnull;
		Datum		v = GetAttributeByNum(row, k + 1, &isnull);
		int64		n;

		if (isnull)
			continue;
		n = DatumGetInt64(v);
		if (n < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("referral count %lld must not be negative", (long long) n)));
		c[k] = hs_add_int64(c[k], n, "referral count");
	}
	PG_RETURN_ARRAYTYPE_P(state);
}
