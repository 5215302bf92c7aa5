/*-------------------------------------------------------------------------
 *
 * geodesy.c
 *	  Great-circle distances on the WGS84 mean sphere: hs_distance and the
 *	  chord bound of a radius search (the haversine itself is inline in
 *	  facility_set.h, so that every query computes a pair's distance the same
 *	  way).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"

#include "common.h"
#include "facility_set.h"

PG_FUNCTION_INFO_V1(hs_distance);

/* ------------------------------------------------------------------------
 * distances
 * ------------------------------------------------------------------------
 */


Datum
hs_distance(PG_FUNCTION_ARGS)
{
	double		lon1 = PG_GETARG_FLOAT8(0);
	double		lat1 = PG_GETARG_FLOAT8(1);
	double		lon2 = PG_GETARG_FLOAT8(2);
	double		lat2 = PG_GETARG_FLOAT8(3);
	double		la1,
				la2;

	hs_check_coordinate(lon1, lat1);
	hs_check_coordinate(lon2, lat2);
	la1 = lat1 * DEG2RAD;
	la2 = lat2 * DEG2RAD;
	PG_RETURN_FLOAT8(haversine(la1, lon1 * DEG2RAD, cos(la1),
							   la2, lon2 * DEG2RAD, cos(la2)));
}


/*
 * Squared chord length that certainly contains every point within "dist"
 * metres: slightly enlarged, the exact haversine test follows.
 */
double
search_chord2(double dist)
{
	double		ang = dist / HS_EARTH_RADIUS;
	double		c;

	if (ang >= M_PI)
		return 5.0;				/* beyond the antipode: everything (max 4) */
	c = 2.0 * sin(ang * 0.5);
	c = c * (1.0 + 1e-9) + 1e-12;
	return c * c;
}

/*
 * Squared chord length within which every point is certainly within
 * "dist" metres by the haversine too: slightly shrunk, by far more than
 * the rounding of either computation (about 1e-15).  -1 (nothing certain)
 * for a radius of a quarter of the sphere or more, where the haversine's
 * own rounding grows.
 */
double
inner_chord2(double dist)
{
	double		ang = dist / HS_EARTH_RADIUS;
	double		c;

	if (ang >= M_PI / 4)
		return -1.0;
	c = 2.0 * sin(ang * 0.5);
	c = c * (1.0 - 1e-9) - 1e-12;
	return c > 0 ? c * c : -1.0;
}

