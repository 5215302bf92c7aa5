/*-------------------------------------------------------------------------
 *
 * flow_areas.c
 *	  Regions of a flowmatrix taken together: rollup of adcode keys to a
 *	  coarser level (flow_rollup, flow_key_adcode) and the Elzinga-Hogarty
 *	  market test of a set of regions (flow_market).  Service areas are
 *	  flow_service_areas.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "adcode.h"
#include "common.h"
#include "flow.h"

PG_FUNCTION_INFO_V1(flow_rollup);
PG_FUNCTION_INFO_V1(flow_key_adcode);
PG_FUNCTION_INFO_V1(flow_market);

/* ----------------------------------------------------------------------
 * Rollup of adcode keys
 * ----------------------------------------------------------------------
 */

/*
 * Pad a key holding an adcode's own digits (6, 9 or 12 of them) to twelve
 * digits; -1 when the key is no division code.
 */
static Adcode
flow_key_pad(int64 key)
{
	Adcode		a = -1;
	int			province;

	if (key >= INT64CONST(100000) && key <= INT64CONST(999999))
		a = key * ADCODE_PAD_COUNTY;
	else if (key >= INT64CONST(100000000) && key <= INT64CONST(999999999))
		a = key * ADCODE_PAD_TOWNSHIP;
	else if (key >= INT64CONST(100000000000) && key <= INT64CONST(999999999999))
		a = key;
	if (a < 0)
		return -1;
	province = (int) (a / ADCODE_PAD_PROVINCE);
	if (province < 11 || province > 82 ||
		((a / ADCODE_PAD_CITY) % 100 == 0 && a % ADCODE_PAD_CITY != 0) ||
		((a / ADCODE_PAD_TOWNSHIP) % 1000 == 0 && a % ADCODE_PAD_TOWNSHIP != 0))
		return -1;
	return a;
}

/* the padded adcode of a key, or an error naming the key */
static Adcode
flow_key_adcode_or_error(int64 key)
{
	Adcode		a = flow_key_pad(key);

	if (a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flowmatrix key %lld is not a division code", (long long) key),
				 errdetail("flow_rollup needs keys that are division codes of 6, 9 or 12 digits.")));
	return a;
}

/* flow_key_adcode(key int8) adcode: the key as a division code, or NULL */
Datum
flow_key_adcode(PG_FUNCTION_ARGS)
{
	Adcode		a = flow_key_pad(PG_GETARG_INT64(0));

	if (a < 0)
		PG_RETURN_NULL();
	PG_RETURN_ADCODE(a);
}

/* the key's ancestor at "level" as own digits; keys above the level stay */
static int64
flow_key_rollup(int64 key, AdcodeLevel level)
{
	Adcode		a = flow_key_adcode_or_error(key);
	Adcode		up;

	if (adcode_level_of(a) <= level)
		return key;
	switch (level)
	{
		case ADCODE_PROVINCE:
			up = a - a % ADCODE_PAD_PROVINCE;
			break;
		case ADCODE_CITY:
			up = a - a % ADCODE_PAD_CITY;
			break;
		case ADCODE_COUNTY:
			up = adcode_county_of(a);
			break;
		default:
			up = a - a % ADCODE_PAD_TOWNSHIP;
			break;
	}
	return adcode_to_digits(up);
}

/*
 * flow_rollup(fm, level): every key replaced by its ancestor at level
 * (township, county, city or province), counts of merged cells summed.
 * Keys already at or above the level are kept.
 */
Datum
flow_rollup(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	char	   *levelname = text_to_cstring(PG_GETARG_TEXT_PP(1));
	AdcodeLevel level;
	ExpandedFlowMatrix *efm;
	uint32		i;
	int64		last_in = 0,
				last_out = 0;
	bool		have_last = false;

	if (strcmp(levelname, "province") == 0)
		level = ADCODE_PROVINCE;
	else if (strcmp(levelname, "city") == 0)
		level = ADCODE_CITY;
	else if (strcmp(levelname, "county") == 0)
		level = ADCODE_COUNTY;
	else if (strcmp(levelname, "township") == 0)
		level = ADCODE_TOWNSHIP;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rollup level \"%s\"", hs_excerpt_cstring(levelname)),
				 errhint("Use \"township\", \"county\", \"city\" or \"province\".")));

	efm = efm_create(CurrentMemoryContext, 0);
	for (i = 0; i < fm->nentries; i++)
	{
		const FlowEntry *e = &fm->entries[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* origins come in runs: convert each once */
		if (!have_last || last_in != e->origin)
		{
			last_in = e->origin;
			last_out = flow_key_rollup(e->origin, level);
			have_last = true;
		}
		efm_add(efm, last_out, flow_key_rollup(e->dest, level), e->n);
	}
	PG_RETURN_POINTER(efm_finish(efm));
}

/* ----------------------------------------------------------------------
 * Markets
 * ----------------------------------------------------------------------
 */

/* key is in set[0..nset), sorted ascending */
static bool
in_sorted_set(const int64 *set, int nset, int64 key)
{
	int			lo = 0,
				hi = nset - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (set[mid] == key)
			return true;
		if (set[mid] < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

/*
 * flow_market(fm, regions int8[]) returns (residents, served, retained,
 * lofi, lifo, market): the Elzinga-Hogarty test of a set of regions taken
 * together as one market.  residents: visits by residents of the set;
 * served: visits at providers in the set; retained: both.  LOFI (little out
 * from inside) = retained/residents, LIFO (little in from outside) =
 * retained/served; market is 'strong' when both are >= 0.90, 'weak' when
 * both are >= 0.75, otherwise 'none' (NULL when an index is undefined).
 */
Datum
flow_market(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *elnulls;
	int			nelems,
				nset = 0,
				k;
	int64	   *set;
	int64		residents = 0,
				served = 0,
				retained = 0;
	uint32		i;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	double		lofi,
				lifo;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &elnulls, &nelems);
	set = (int64 *) palloc(Max(nelems, 1) * sizeof(int64));
	for (k = 0; k < nelems; k++)
		if (!elnulls[k])
			set[nset++] = DatumGetInt64(elems[k]);
	flow_sort_int64(set, nset);

	for (i = 0; i < fm->nentries; i++)
	{
		const FlowEntry *e = &fm->entries[i];
		bool		oin = in_sorted_set(set, nset, e->origin);
		bool		din = in_sorted_set(set, nset, e->dest);

		if (oin)
			residents += e->n;
		if (din)
			served += e->n;
		if (oin && din)
			retained += e->n;
	}
	values[0] = Int64GetDatum(residents);
	values[1] = Int64GetDatum(served);
	values[2] = Int64GetDatum(retained);
	values[3] = flow_ratio_datum(retained, residents, &nulls[3]);
	values[4] = flow_ratio_datum(retained, served, &nulls[4]);
	if (residents == 0 || served == 0)
		nulls[5] = true;
	else
	{
		lofi = (double) retained / (double) residents;
		lifo = (double) retained / (double) served;
		values[5] = CStringGetTextDatum(lofi >= 0.9 && lifo >= 0.9 ? "strong" :
										lofi >= 0.75 && lifo >= 0.75 ? "weak" : "none");
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

