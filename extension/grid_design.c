/*-------------------------------------------------------------------------
 *
 * grid_design.c
 *	  grid_design(units_sql, hospitals, capacity_per_supply): every unit of
 *	  a grid (read with SPI, spi_rows.h) to one lead hospital.  Without
 *	  capacities the nearest; with them the capacitated single-source
 *	  assignment of least population-weighted distance
 *	  (grid_design_search.c), after checking that it can exist.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "common.h"
#include "planning.h"
#include "spi_rows.h"

PG_FUNCTION_INFO_V1(grid_design);

/* ------------------------------------------------------------------------
 * grid_design(units_sql, hospitals, capacity_per_supply)
 * ------------------------------------------------------------------------
 */

typedef struct Unit
{
	int64		id;
	double		lon;
	double		lat;
	double		pop;
} Unit;

static const HsColumn unit_columns[] = {
	{"id", HS_COLUMN_ID},
	{"lon", HS_COLUMN_NUMBER},
	{"lat", HS_COLUMN_NUMBER},
	{"pop", HS_COLUMN_NUMBER},
};

/* a row of the units query: id, lon, lat, pop */
static void
unit_row(void *arg, const HsValue *row)
{
	HsVec	   *v = (HsVec *) arg;
	int64		id = row[0].id;
	double		lon = row[1].number;
	double		lat = row[2].number;
	double		pop = row[3].number;
	Unit	   *u;

	if (row[0].isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a unit of the units query has a NULL id")));
	if (row[1].isnull || row[2].isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit %lld has no coordinates", (long long) id),
				 errhint("Every unit needs lon and lat to be assigned to a hospital.")));
	if (row[3].isnull)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit %lld has no population", (long long) id)));
	hs_check_coordinate(lon, lat);
	if (!isfinite(pop) || pop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit %lld has population %g, not a non-negative finite number",
						(long long) id, pop)));
	u = hs_vec_push(v);
	u->id = id;
	u->lon = lon;
	u->lat = lat;
	u->pop = pop + 0.0;
}

static int
unit_cmp(const void *a, const void *b)
{
	int64		x = ((const Unit *) a)->id,
				y = ((const Unit *) b)->id;

	return x < y ? -1 : x > y;
}

/* hospitals by distance from one unit (arg: its row of distances), then by id */
static int
hosp_cmp(const void *a, const void *b, void *arg)
{
	const double *row = (const double *) arg;
	int			x = *(const int *) a,
				y = *(const int *) b;

	if (row[x] != row[y])
		return row[x] < row[y] ? -1 : 1;
	return x - y;
}

Datum
grid_design(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	HsVec		uv;
	Unit	   *units;
	FacilitySet *hosp;
	FsIndex    *hix;
	int		   *hrank;
	int64	   *hid;
	int			n,
				h,
				i,
				c;
	bool		capacitated = !PG_ARGISNULL(2);
	double		cps = capacitated ? PG_GETARG_FLOAT8(2) : 0;
	Design		g;
	double	   *cap,
			   *pop,
			   *hlatr,
			   *hlonr,
			   *hcos;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("units_sql is NULL")));
	if (capacitated && (!isfinite(cps) || cps <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity_per_supply %g is not a positive finite number", cps)));
	InitMaterializedSRF(fcinfo, 0);

	hs_vec_init(&uv, sizeof(Unit));
	hs_read_query(text_to_cstring(PG_GETARG_TEXT_PP(0)), "units query",
				  unit_columns, lengthof(unit_columns), unit_row, &uv);
	units = (Unit *) uv.data;
	if (uv.n > (Size) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("grid_design takes at most %d units", PG_INT32_MAX)));
	n = (int) uv.n;
	qsort(units, n, sizeof(Unit), unit_cmp);
	for (i = 1; i < n; i++)
		if (units[i].id == units[i - 1].id)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit id %lld appears twice in the units query", (long long) units[i].id)));
	if (n == 0)
		return (Datum) 0;

	hosp = site_fs_arg(fcinfo, 1);
	if (hosp == NULL || hosp->nfac == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no hospital to assign the %d units to", n)));
	hix = site_index(hosp);
	hrank = site_ranks(hix, &hid);
	h = hix->n;

	/* hospitals in id order */
	cap = palloc(h * sizeof(double));
	hlatr = palloc(h * sizeof(double));
	hlonr = palloc(h * sizeof(double));
	hcos = palloc(h * sizeof(double));
	for (c = 0; c < h; c++)
	{
		int			b = hrank[c];

		cap[b] = hix->a.supply[c] * cps;
		hlatr[b] = hix->latr[c];
		hlonr[b] = hix->lonr[c];
		hcos[b] = hix->coslat[c];
	}

	g.n = n;
	g.h = h;
	pop = palloc_extended((Size) n * sizeof(double), MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
		pop[i] = units[i].pop;
	g.pop = pop;
	g.at = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);

	if (!capacitated)
	{
		for (i = 0; i < n; i++)
			g.at[i] = hrank[fs_nearest(hix, units[i].lat * DEG2RAD, units[i].lon * DEG2RAD)];
	}
	else
	{
		double		total = 0,
					capacity = 0,
					most = 0;

		for (i = 0; i < n; i++)
			total += pop[i];
		for (c = 0; c < h; c++)
		{
			capacity += cap[c];
			most = Max(most, cap[c]);
		}
		for (i = 0; i < n; i++)
		{
			if (pop[i] > most)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unit %lld has population %g, more than any hospital can hold (at most %g): %g short",
								(long long) units[i].id, pop[i], most, pop[i] - most),
						 errdetail("Capacity is supply × capacity_per_supply (%g).", cps)));
		}
		if (capacity < total)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the hospitals' capacity %g cannot hold the population %g: %g short",
							capacity, total, total - capacity),
					 errdetail("Capacity is supply × capacity_per_supply (%g).", cps)));
		hs_check_alloc_size((Size) n * h * sizeof(double), "grid_design distance matrix");
		g.dist = palloc_extended((Size) n * h * sizeof(double), MCXT_ALLOC_HUGE);
		g.order = palloc_extended((Size) n * h * sizeof(int), MCXT_ALLOC_HUGE);
		g.res = palloc(h * sizeof(double));
		for (i = 0; i < n; i++)
		{
			double		latr = units[i].lat * DEG2RAD,
						lonr = units[i].lon * DEG2RAD,
						cl = cos(latr);
			int		   *o = g.order + (Size) i * h;

			for (c = 0; c < h; c++)
			{
				DIST(&g, i, c) = haversine(latr, lonr, cl, hlatr[c], hlonr[c], hcos[c]);
				o[c] = c;
			}
			qsort_arg(o, h, sizeof(int), hosp_cmp, g.dist + (Size) i * h);
			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		if (!grid_design_search(&g, cap))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("no assignment of the units within the hospitals' capacities was found (capacity %g, population %g)",
							capacity, total),
					 errdetail("Assigning every unit whole to one hospital may be impossible although the total capacity suffices."),
					 errhint("Raise capacity_per_supply.")));
	}

	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			b = g.at[i];
		double		latr = units[i].lat * DEG2RAD;

		values[0] = Int64GetDatum(units[i].id);
		values[1] = Int64GetDatum(hid[b]);
		values[2] = Float8GetDatum(haversine(latr, units[i].lon * DEG2RAD, cos(latr),
											 hlatr[b], hlonr[b], hcos[b]));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
