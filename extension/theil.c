/*-------------------------------------------------------------------------
 *
 * theil.c
 *	  The Theil indices T and L (aggregates theil_t, theil_l).  They need
 *	  only sums (equity.h), so their state is a real SQL value, a float8[]
 *	  of Neumaier-compensated sums that partial aggregates merge by addition
 *	  without losing digits; it is updated in place inside the aggregate.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"

#include "equity.h"

PG_FUNCTION_INFO_V1(hs_theil_accum);
PG_FUNCTION_INFO_V1(hs_theil_combine);
PG_FUNCTION_INFO_V1(hs_theil_t_final);
PG_FUNCTION_INFO_V1(hs_theil_l_final);

/*
 * The state array of argument "argno": a one-dimensional float8[] of
 * THEIL_NSTATE elements without NULLs, else an error.
 */
static ArrayType *
theil_state_arg(FunctionCallInfo fcinfo, int argno, bool copy)
{
	ArrayType  *a = copy ? PG_GETARG_ARRAYTYPE_P_COPY(argno) : PG_GETARG_ARRAYTYPE_P(argno);

	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != THEIL_NSTATE ||
		ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid Theil state: expected a float8[] of %d elements without NULLs",
						THEIL_NSTATE)));
	return a;
}

#define THEIL_SUMS(a)	array_data_nonulls(a)

/* theil_t / theil_l transition: strict, the state starts as all zeros */
Datum
hs_theil_accum(PG_FUNCTION_ARGS)
{
	bool		inagg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *state = theil_state_arg(fcinfo, 0, !inagg);
	double	   *s = THEIL_SUMS(state);
	double		y = PG_GETARG_FLOAT8(1);
	double		w = PG_GETARG_FLOAT8(2);

	y = check_row(y, w);
	if (w > 0.0)
	{
		theil_sums_add(s, y, w);
		check_sum_finite(s + TS_Y, "sum of value times weight");
		check_sum_finite(s + TS_W, "sum of weights");
		check_sum_finite(s + TS_A, "sum of weight times value times log value");
		check_sum_finite(s + TS_B, "sum of weight times log value");
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
hs_theil_combine(PG_FUNCTION_ARGS)
{
	bool		inagg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *state = theil_state_arg(fcinfo, 0, !inagg);
	double	   *s = THEIL_SUMS(state);
	double	   *o = THEIL_SUMS(theil_state_arg(fcinfo, 1, false));

	theil_sums_merge(s, o);
	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("merged Theil state is out of range")));
	PG_RETURN_ARRAYTYPE_P(state);
}

static double *
theil_final_state(FunctionCallInfo fcinfo)
{
	double	   *s = THEIL_SUMS(theil_state_arg(fcinfo, 0, false));

	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid Theil state: sums must be finite and counts not negative")));
	return s;
}

/* theil_t: NULL without population or without resource */
Datum
hs_theil_t_final(PG_FUNCTION_ARGS)
{
	double	   *s = theil_final_state(fcinfo);

	if (s[TS_N] == 0.0 || !(ksum_total(s + TS_W) > 0.0) || !(ksum_total(s + TS_Y) > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(Max(theil_t_of(s), 0.0));
}

/* theil_l: NULL also when a row with positive weight has value 0 (L = +inf) */
Datum
hs_theil_l_final(PG_FUNCTION_ARGS)
{
	double	   *s = theil_final_state(fcinfo);

	if (s[TS_N] == 0.0 || s[TS_Z] > 0.0 ||
		!(ksum_total(s + TS_W) > 0.0) || !(ksum_total(s + TS_Y) > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(Max(theil_l_of(s), 0.0));
}

