/*-------------------------------------------------------------------------
 *
 * fs_index.c
 *	  Queries on a facility_set: the unpacked index cached in fn_extra
 *	  (unit vectors, keyed by the datum's identity), the k-d tree nearest
 *	  search, and the functions nearest_facility, facilities_within and the
 *	  aggregate coverage.  The radius searches are fs_reach.c's.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "facility_set.h"
#include "rate.h"

PG_FUNCTION_INFO_V1(nearest_facility);
PG_FUNCTION_INFO_V1(facilities_within);
PG_FUNCTION_INFO_V1(coverage_accum);

/* ------------------------------------------------------------------------
 * the query cache
 * ------------------------------------------------------------------------
 */

static void
fsi_release(FsIndex *ix)
{
	if (ix->fs)
		pfree(ix->fs);
	if (ix->xyz)
		pfree(ix->xyz);
	if (ix->keybytes)
		pfree(ix->keybytes);
	fs_search_release(ix);
	ix->fs = NULL;
	ix->xyz = NULL;
	ix->keybytes = NULL;
	ix->keykind = 0;
}

/*
 * Unpack fs (a private copy the index takes over) into ix: unit vectors,
 * radians and cosines of every facility, in cxt.
 */
void
fs_index_fill(FsIndex *ix, FacilitySet *fs, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int			i,
				n;

	fs_check_header(fs);
	ix->fs = fs;
	ix->checked_state = NULL;
	n = ix->n = fs->nfac;
	fs_arrays(fs, &ix->a);
	fs_decay(fs, &ix->a, &ix->decay);
	ix->fac_hash = fs_facility_hash(fs);
	ix->xyz = palloc(Max(n, 1) * 6 * sizeof(double));
	ix->latr = ix->xyz + 3 * n;
	ix->lonr = ix->latr + n;
	ix->coslat = ix->lonr + n;
	for (i = 0; i < n; i++)
	{
		if (ix->a.split[i] > 2)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupted facility_set value")));
		ix->latr[i] = ix->a.lat[i] * DEG2RAD;
		ix->lonr[i] = ix->a.lon[i] * DEG2RAD;
		ix->coslat[i] = cos(ix->latr[i]);
		unit_vector(ix->latr[i], ix->lonr[i], ix->xyz + 3 * i);
	}
	MemoryContextSwitchTo(old);
	fs_reserve(ix, cxt, 64);
}

/*
 * The unpacked index of argument "argno", from fn_extra when the same
 * facility_set was seen last time.  Identity: a toasted value by its toast
 * pointer; a small in-line value by its bytes; a large in-memory value by
 * address, size and content hash.
 */
FsIndex *
fs_get_index(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	MemoryContext cxt = fcinfo->flinfo->fn_mcxt;
	FsIndex    *ix = (FsIndex *) fcinfo->flinfo->fn_extra;
	int			keykind;
	Size		rawsize = VARSIZE_ANY(raw);
	MemoryContext old;

	if (VARATT_IS_EXTERNAL_ONDISK(raw))
		keykind = 1;
	else if (VARATT_IS_EXTERNAL(raw))
		keykind = 0;			/* indirect or expanded: no stable key */
	else if (VARATT_IS_EXTENDED(raw) || rawsize <= 4096)
		keykind = 2;			/* short header, compressed or small */
	else
		keykind = 3;

	if (ix != NULL && ix->keykind == keykind && keykind != 0)
	{
		if (keykind == 1 && ix->keysize == rawsize &&
			memcmp(ix->keybytes, raw, rawsize) == 0)
			return ix;
		if (keykind == 2 && ix->keysize == rawsize &&
			memcmp(ix->keybytes, raw, rawsize) == 0)
			return ix;
		if (keykind == 3 && ix->keyptr == (Pointer) raw && ix->keysize == rawsize &&
			ix->keyhash == ((FacilitySet *) raw)->hash)
			return ix;
	}
	if (ix == NULL)
	{
		ix = MemoryContextAllocZero(cxt, sizeof(FsIndex));
		fcinfo->flinfo->fn_extra = ix;
	}
	fsi_release(ix);

	old = MemoryContextSwitchTo(cxt);
	fs_index_fill(ix, (FacilitySet *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno)), cxt);
	ix->keykind = keykind;
	ix->keysize = rawsize;
	ix->keyptr = (Pointer) raw;
	ix->keyhash = keykind == 3 ? ix->fs->hash : 0;
	if (keykind == 1 || keykind == 2)
	{
		ix->keybytes = palloc(rawsize);
		memcpy(ix->keybytes, raw, rawsize);
	}
	MemoryContextSwitchTo(old);
	return ix;
}

typedef struct Nearest
{
	const FsIndex *ix;
	int			best;
	double		bestd2;
} Nearest;

static bool
nearest_visit(void *arg, int k, double d2)
{
	Nearest    *nb = (Nearest *) arg;

	if (d2 < nb->bestd2 ||
		(d2 == nb->bestd2 && nb->best >= 0 && nb->ix->a.id[k] < nb->ix->a.id[nb->best]))
	{
		nb->bestd2 = d2;
		nb->best = k;
	}
	return true;
}

/* the nearest facility (smallest chord; ties to the smaller id), or -1 */
int
fs_nearest(FsIndex *ix, double latr, double lonr)
{
	double		q[3];
	Nearest		nb;

	if (ix->n == 0)
		return -1;
	unit_vector(latr, lonr, q);
	nb.ix = ix;
	nb.best = -1;
	nb.bestd2 = DBL_MAX;
	fs_walk(ix, q, &nb.bestd2, nearest_visit, &nb);
	return nb.best;
}

/* ------------------------------------------------------------------------
 * queries
 * ------------------------------------------------------------------------
 */

Datum
nearest_facility(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	FsIndex    *ix;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	int			k;
	double		latr,
				lonr;

	hs_check_coordinate(lon, lat);
	ix = fs_get_index(fcinfo, 0);
	latr = lat * DEG2RAD;
	lonr = lon * DEG2RAD;
	k = fs_nearest(ix, latr, lonr);
	if (k < 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Int64GetDatum(ix->a.id[k]);
	values[1] = Float8GetDatum(haversine(latr, lonr, cos(latr),
										 ix->latr[k], ix->lonr[k], ix->coslat[k]));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

Datum
facilities_within(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	double		radius = PG_GETARG_FLOAT8(3);
	FsIndex    *ix;

	hs_check_coordinate(lon, lat);
	check_d0(radius, "radius");
	ix = fs_get_index(fcinfo, 0);
	PG_RETURN_INT32(fs_reach(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, radius, 0, false));
}

/* coverage(fs, lon, lat, pop, radius): population within radius of a facility */
Datum
coverage_accum(PG_FUNCTION_ARGS)
{
	HsRate *st;
	double		lon,
				lat,
				radius;
	int64		pop;
	FsIndex    *ix;

	(void) hs_aggregate_context(fcinfo, "coverage_accum");
	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
					   PG_ARGISNULL(4) || PG_ARGISNULL(5));
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	pop = PG_GETARG_INT64(4);
	radius = PG_GETARG_FLOAT8(5);
	hs_check_coordinate(lon, lat);
	if (pop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("population %lld is negative", (long long) pop)));
	check_d0(radius, "radius");
	if (PG_ARGISNULL(0))
	{
		st = (HsRate *) palloc0(sizeof(HsRate));
	}
	else
		st = (HsRate *) PG_GETARG_POINTER(0);
	ix = fs_get_index(fcinfo, 1);
	st->den = hs_add_int64(st->den, pop, "rate denominator");
	if (pop > 0 && fs_reach(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, radius, 1, false) > 0)
		st->num += pop;			/* bounded by den */
	PG_RETURN_POINTER(st);
}

