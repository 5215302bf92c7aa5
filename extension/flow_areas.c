/*-------------------------------------------------------------------------
 *
 * flow_areas.c
 *	  Regions of a flowmatrix taken together: rollup of adcode keys to a
 *	  coarser level (flow_rollup, flow_key_adcode), service-area
 *	  delineation (flow_service_areas) and the Elzinga-Hogarty market test
 *	  of a set of regions (flow_market).
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
PG_FUNCTION_INFO_V1(flow_service_areas);
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
 * Service areas and markets
 * ----------------------------------------------------------------------
 */

/*
 * flow_service_areas(fm, min_li) returns setof (region, area)
 *
 * HSA-style delineation.  1. Plurality: every origin goes to the area named
 * by its plurality destination; a key that is some origin's plurality
 * destination anchors its own area; other keys that are only destinations
 * form areas of their own (without residents).  2. While some area with
 * residents has a localization index (visits of its residents to providers
 * in the area over all visits of its residents) below min_li and more than
 * one area remains: take the area with the lowest index (ties: smallest
 * area id) and merge it into the area that receives most of its residents'
 * outside visits (ties: smallest area id); the merged area keeps the
 * receiver's id.  One row per origin, sorted by region.
 */
Datum
flow_service_areas(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	double		min_li = PG_GETARG_FLOAT8(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FlowRegions r;
	int		   *area;			/* region index -> index of its area's key */
	int64	   *ares,
			   *ain,
			   *aout;
	int			nareas = 0;
	int			k;
	uint32		i;

	if (isnan(min_li))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_li must not be NaN")));
	InitMaterializedSRF(fcinfo, 0);
	flow_regions_compute(fm, &r, true);
	if (r.nregions == 0)
		return (Datum) 0;

	area = (int *) palloc(r.nregions * sizeof(int));
	for (k = 0; k < r.nregions; k++)
		area[k] = k;
	/* plurality; entries are sorted, so each origin's run is contiguous */
	i = 0;
	while (i < fm->nentries)
	{
		uint32		best = i;
		int			o = r.oidx[i];

		for (; i < fm->nentries && r.oidx[i] == o; i++)
			if (fm->entries[i].n > fm->entries[best].n)
				best = i;
		area[o] = r.didx[best];
	}
	/* anchors (plurality destinations) keep their own area */
	{
		bool	   *anchor = (bool *) palloc0(r.nregions * sizeof(bool));

		for (k = 0; k < r.nregions; k++)
			if (r.residents[k] > 0)
				anchor[area[k]] = true;
		for (k = 0; k < r.nregions; k++)
			if (anchor[k] || r.residents[k] == 0)
				area[k] = k;
		pfree(anchor);
	}
	for (k = 0; k < r.nregions; k++)
		if (area[k] == k)
			nareas++;

	ares = (int64 *) palloc(r.nregions * sizeof(int64));
	ain = (int64 *) palloc(r.nregions * sizeof(int64));
	aout = (int64 *) palloc(r.nregions * sizeof(int64));
	while (nareas > 1)
	{
		int			worst = -1;
		int			target = -1;

		CHECK_FOR_INTERRUPTS();
		memset(ares, 0, r.nregions * sizeof(int64));
		memset(ain, 0, r.nregions * sizeof(int64));
		for (i = 0; i < fm->nentries; i++)
		{
			int			a = area[r.oidx[i]];

			ares[a] += fm->entries[i].n;
			if (area[r.didx[i]] == a)
				ain[a] += fm->entries[i].n;
		}
		/* the area with the lowest index below the threshold */
		for (k = 0; k < r.nregions; k++)
		{
			if (area[k] != k || ares[k] == 0)
				continue;
			if (!((double) ain[k] < min_li * (double) ares[k]))
				continue;
			if (worst < 0 ||
				(double) ain[k] * (double) ares[worst] <
				(double) ain[worst] * (double) ares[k])
				worst = k;
		}
		if (worst < 0)
			break;
		/* the area receiving most of its outflow */
		memset(aout, 0, r.nregions * sizeof(int64));
		for (i = 0; i < fm->nentries; i++)
		{
			int			b = area[r.didx[i]];

			if (area[r.oidx[i]] == worst && b != worst)
				aout[b] += fm->entries[i].n;
		}
		for (k = 0; k < r.nregions; k++)
			if (aout[k] > 0 && (target < 0 || aout[k] > aout[target]))
				target = k;
		if (target < 0)
			break;				/* no outflow: cannot happen below min_li <= 1 */
		for (k = 0; k < r.nregions; k++)
			if (area[k] == worst)
				area[k] = target;
		nareas--;
	}

	for (k = 0; k < r.nregions; k++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (r.residents[k] == 0)
			continue;
		values[0] = Int64GetDatum(r.keys[k]);
		values[1] = Int64GetDatum(r.keys[area[k]]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
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
		bool		oin = false,
					din = false;
		int			lo,
					hi;

		/* binary searches in the sorted set */
		for (lo = 0, hi = nset - 1; lo <= hi;)
		{
			int			mid = lo + (hi - lo) / 2;

			if (set[mid] == e->origin)
			{
				oin = true;
				break;
			}
			if (set[mid] < e->origin)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		for (lo = 0, hi = nset - 1; lo <= hi;)
		{
			int			mid = lo + (hi - lo) / 2;

			if (set[mid] == e->dest)
			{
				din = true;
				break;
			}
			if (set[mid] < e->dest)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
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

