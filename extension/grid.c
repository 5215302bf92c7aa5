/*-------------------------------------------------------------------------
 *
 * grid.c
 *	  Equal-area grid cells on the Albers equal-area conic projection used
 *	  for maps of China: WGS84 ellipsoid (a = 6378137 m, 1/f = 298.257223563;
 *	  CGCS2000's 1/f = 298.257222101 differs by 0.1 mm in b), standard
 *	  parallels 25° N and 47° N, latitude of origin 0°, central meridian
 *	  105° E, no false easting or northing; in PROJ terms
 *	  +proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84.
 *	  Ellipsoidal formulas of Snyder, "Map Projections: A Working Manual"
 *	  (USGS PP 1395, 1987), §14 (eqs. 14-1 to 14-4, 14-6, 14-7 to 14-11)
 *	  and eq. 3-16 for the inverse latitude.
 *
 *	  A cell of size s metres is the square [i·s, (i+1)·s) × [j·s, (j+1)·s)
 *	  of projected coordinates; the projection is equal-area, so every cell
 *	  of one size covers s² of the ellipsoid's surface.  The cell id packs
 *	  size, row and column into a positive int8:
 *
 *		bits 44..62  size in metres (1 .. 524287)
 *		bits 22..43  row j + 2^21
 *		bits  0..21  column i + 2^21
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "funcapi.h"
#include "lib/stringinfo.h"
#include "utils/builtins.h"

#include "common.h"

#define AEA_A		6378137.0
#define AEA_F		(1.0 / 298.257223563)
#define AEA_LAT1	25.0
#define AEA_LAT2	47.0
#define AEA_LAT0	0.0
#define AEA_LON0	105.0
#define DEG			(M_PI / 180.0)

#define GRID_SIZE_MAX	524287
#define GRID_HALF		(INT64CONST(1) << 21)

PG_FUNCTION_INFO_V1(grid_cell);
PG_FUNCTION_INFO_V1(grid_cell_center);
PG_FUNCTION_INFO_V1(grid_cell_geojson);
PG_FUNCTION_INFO_V1(grid_project);
PG_FUNCTION_INFO_V1(grid_unproject);

typedef struct Albers
{
	double		e2;
	double		e;
	double		n;
	double		C;
	double		rho0;
	double		qp;				/* q at the pole */
} Albers;

static Albers aea;
static bool aea_ready = false;

/* Snyder 3-12 */
static double
aea_q(double sinphi)
{
	double		e = aea.e;
	double		es = e * sinphi;

	return (1.0 - aea.e2) * (sinphi / (1.0 - es * es) -
							 (1.0 / (2.0 * e)) * log((1.0 - es) / (1.0 + es)));
}

/* Snyder 14-15 */
static double
aea_m(double phi)
{
	double		s = sin(phi);

	return cos(phi) / sqrt(1.0 - aea.e2 * s * s);
}

static void
aea_init(void)
{
	double		m1,
				m2,
				q1,
				q2,
				q0;

	if (aea_ready)
		return;
	aea.e2 = AEA_F * (2.0 - AEA_F);
	aea.e = sqrt(aea.e2);
	m1 = aea_m(AEA_LAT1 * DEG);
	m2 = aea_m(AEA_LAT2 * DEG);
	q1 = aea_q(sin(AEA_LAT1 * DEG));
	q2 = aea_q(sin(AEA_LAT2 * DEG));
	q0 = aea_q(sin(AEA_LAT0 * DEG));
	aea.n = (m1 * m1 - m2 * m2) / (q2 - q1);	/* 14-14 */
	aea.C = m1 * m1 + aea.n * q1;	/* 14-13 */
	aea.rho0 = AEA_A * sqrt(aea.C - aea.n * q0) / aea.n;	/* 14-12a */
	aea.qp = aea_q(1.0);
	aea_ready = true;
}

static void
aea_forward(double lon, double lat, double *x, double *y)
{
	double		dlon = lon - AEA_LON0;
	double		rho,
				theta;

	aea_init();
	/* the longitude difference in [-180, 180) */
	while (dlon < -180.0)
		dlon += 360.0;
	while (dlon >= 180.0)
		dlon -= 360.0;
	rho = AEA_A * sqrt(aea.C - aea.n * aea_q(sin(lat * DEG))) / aea.n;	/* 14-12 */
	theta = aea.n * dlon * DEG; /* 14-4 */
	*x = rho * sin(theta);		/* 14-1 */
	*y = aea.rho0 - rho * cos(theta);	/* 14-2 */
}

/* false when (x, y) lies outside the projection's image */
static bool
aea_inverse(double x, double y, double *lon, double *lat)
{
	double		dy = aea.rho0 - y;
	double		rho = sqrt(x * x + dy * dy);	/* 14-10 */
	double		q = (aea.C - rho * rho * aea.n * aea.n / (AEA_A * AEA_A)) / aea.n;	/* 14-19 */
	double		theta = atan2(x, dy);	/* 14-11, n > 0 */
	double		phi;
	int			i;

	aea_init();
	if (!isfinite(q) || fabs(q) > aea.qp * (1.0 + 1e-12) || fabs(theta / aea.n) > M_PI * (1.0 + 1e-12))
		return false;
	if (fabs(q) >= aea.qp)
		phi = q > 0 ? M_PI / 2 : -M_PI / 2;
	else
	{
		phi = asin(q / 2.0);
		for (i = 0; i < 50; i++)	/* 3-16 */
		{
			double		s = sin(phi);
			double		es2 = 1.0 - aea.e2 * s * s;
			double		dphi = es2 * es2 / (2.0 * cos(phi)) *
				(q / (1.0 - aea.e2) - s / es2 +
				 (1.0 / (2.0 * aea.e)) * log((1.0 - aea.e * s) / (1.0 + aea.e * s)));

			phi += dphi;
			if (fabs(dphi) < 1e-15)
				break;
		}
	}
	*lat = phi / DEG;
	*lon = AEA_LON0 + theta / aea.n / DEG;	/* 14-9 */
	if (*lon > 180.0)
		*lon -= 360.0;
	if (*lon < -180.0)
		*lon += 360.0;
	return true;
}

static int64
cell_encode(int64 size, int64 i, int64 j, double lon, double lat)
{
	if (i < -GRID_HALF || i >= GRID_HALF || j < -GRID_HALF || j >= GRID_HALF)
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("point (%g, %g) lies outside the range of grid cells of %lld m",
						lon, lat, (long long) size),
				 errdetail("Cell ids hold rows and columns up to ±2^21.")));
	return (size << 44) | ((j + GRID_HALF) << 22) | (i + GRID_HALF);
}

static void
cell_decode(int64 id, int64 *size, int64 *i, int64 *j)
{
	*size = id >> 44;
	if (id <= 0 || *size < 1 || *size > GRID_SIZE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%lld is not a grid cell id", (long long) id)));
	*j = ((id >> 22) & ((INT64CONST(1) << 22) - 1)) - GRID_HALF;
	*i = (id & ((INT64CONST(1) << 22) - 1)) - GRID_HALF;
}

/* grid_cell(lon, lat, size_m) */
Datum
grid_cell(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(0);
	double		lat = PG_GETARG_FLOAT8(1);
	int32		size = PG_GETARG_INT32(2);
	double		x,
				y;

	hs_check_coordinate(lon, lat);
	if (size < 1 || size > GRID_SIZE_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid cell size %d m is out of range", size),
				 errdetail("Cell sizes run from 1 m to %d m.", GRID_SIZE_MAX)));
	aea_forward(lon, lat, &x, &y);
	PG_RETURN_INT64(cell_encode(size, (int64) floor(x / size), (int64) floor(y / size), lon, lat));
}

static void
cell_point(int64 id, double fx, double fy, double *lon, double *lat)
{
	int64		size,
				i,
				j;

	cell_decode(id, &size, &i, &j);
	if (!aea_inverse(((double) i + fx) * size, ((double) j + fy) * size, lon, lat))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("grid cell %lld lies outside the projection", (long long) id)));
}

/* grid_cell_center(id) → (lon, lat) */
Datum
grid_cell_center(PG_FUNCTION_ARGS)
{
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		lon,
				lat;

	cell_point(PG_GETARG_INT64(0), 0.5, 0.5, &lon, &lat);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(lon);
	values[1] = Float8GetDatum(lat);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/*
 * grid_cell_geojson(id): the cell as a GeoJSON Polygon, counter-clockwise
 * (RFC 7946).  A cell's edges are straight in the projection; cells larger
 * than 10 km get a vertex every 10 km so that the curved edges follow.
 */
Datum
grid_cell_geojson(PG_FUNCTION_ARGS)
{
	int64		id = PG_GETARG_INT64(0);
	int64		size,
				i,
				j;
	int			per,
				side,
				k;
	StringInfoData buf;
	static const double corner[5][2] = {{0, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 0}};

	cell_decode(id, &size, &i, &j);
	per = (int) ((size + 9999) / 10000);
	initStringInfo(&buf);
	appendStringInfoString(&buf, "{\"type\":\"Polygon\",\"coordinates\":[[");
	for (side = 0; side < 4; side++)
	{
		for (k = 0; k < per || (side == 3 && k == per); k++)
		{
			double		t = (double) k / per;
			double		fx = corner[side][0] + t * (corner[side + 1][0] - corner[side][0]);
			double		fy = corner[side][1] + t * (corner[side + 1][1] - corner[side][1]);
			double		lon,
						lat;

			cell_point(id, fx, fy, &lon, &lat);
			if (side > 0 || k > 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfo(&buf, "[%.7f,%.7f]", lon, lat);
		}
	}
	appendStringInfoString(&buf, "]]}");
	PG_RETURN_TEXT_P(cstring_to_text(buf.data));
}

/* grid_project(lon, lat) → (x, y): the projection itself, metres */
Datum
grid_project(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(0);
	double		lat = PG_GETARG_FLOAT8(1);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		x,
				y;

	hs_check_coordinate(lon, lat);
	aea_forward(lon, lat, &x, &y);
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(x);
	values[1] = Float8GetDatum(y);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

/* grid_unproject(x, y) → (lon, lat) */
Datum
grid_unproject(PG_FUNCTION_ARGS)
{
	double		x = PG_GETARG_FLOAT8(0);
	double		y = PG_GETARG_FLOAT8(1);
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		lon,
				lat;

	if (!isfinite(x) || !isfinite(y) || !aea_inverse(x, y, &lon, &lat))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("point (%g, %g) lies outside the projection", x, y)));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Float8GetDatum(lon);
	values[1] = Float8GetDatum(lat);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}
