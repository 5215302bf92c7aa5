/*-------------------------------------------------------------------------
 *
 * density.c
 *	  Density and agglomeration of health resources: hr_density_index
 *	  (HRDI) and agglomeration_degree (HRAD, PAD).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "fmgr.h"
#include "utils/float.h"

PG_FUNCTION_INFO_V1(hr_density_index);
PG_FUNCTION_INFO_V1(agglomeration_degree);

static inline void
check_measure(double x, const char *what)
{
	if (!(x >= 0.0) || isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must be a finite number not below zero",
						what, float8out_internal(x))));
}

/* a result that overflowed is an error naming the measure */
static inline double
check_result(double x, const char *what)
{
	if (isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range for type double precision", what)));
	return x;
}

/*
 * hr_density_index(resource, population, area_km2) =
 * sqrt((resource per 1000 population) * (resource per km2));
 * NULL when population or area is 0.
 */
Datum
hr_density_index(PG_FUNCTION_ARGS)
{
	double		resource = PG_GETARG_FLOAT8(0);
	double		population = PG_GETARG_FLOAT8(1);
	double		area = PG_GETARG_FLOAT8(2);

	check_measure(resource, "resource");
	check_measure(population, "population");
	check_measure(area, "area");
	if (population == 0.0 || area == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(check_result(sqrt((resource / population * 1000.0) * (resource / area)),
								  "health resource density index"));
}

/*
 * agglomeration_degree(part, part_total, area, area_total) =
 * (part / part_total) / (area / area_total): the region's share of the
 * resource (HRAD) or of the population (PAD) over its share of the land.
 * NULL when part_total, area or area_total is 0.
 */
Datum
agglomeration_degree(PG_FUNCTION_ARGS)
{
	double		part = PG_GETARG_FLOAT8(0);
	double		part_total = PG_GETARG_FLOAT8(1);
	double		area = PG_GETARG_FLOAT8(2);
	double		area_total = PG_GETARG_FLOAT8(3);

	check_measure(part, "part");
	check_measure(part_total, "part total");
	check_measure(area, "area");
	check_measure(area_total, "area total");
	if (part_total == 0.0 || area == 0.0 || area_total == 0.0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(check_result((part / part_total) / (area / area_total),
								  "agglomeration degree"));
}
