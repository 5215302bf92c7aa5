/*-------------------------------------------------------------------------
 *
 * equity.h
 *	  Private header of the equity family (inequality.c: Gini and Lorenz;
 *	  theil.c: Theil T and L; theil_decompose.c: their between/within
 *	  decomposition; density.c: density and agglomeration): the check of an
 *	  input row and the Theil sums.
 *
 *	  Every measure is of a per-capita value y_i (beds per 1000 residents)
 *	  of region i weighted by its population w_i.  With W = sum w and
 *	  Y = sum w*y, the population share of i is w~_i = w_i / W and its
 *	  resource share s_i = w_i y_i / Y.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_EQUITY_H
#define HS_EQUITY_H

#include "postgres.h"

#include <math.h>

#include "utils/array.h"
#include "utils/float.h"

#include "ksum.h"

/*
 * A value or weight must be finite and not negative.  "what" is "value" or
 * "weight"; the message quotes the number as PostgreSQL prints it.
 */
static inline void
check_nonneg(double x, const char *what)
{
	if (unlikely(!(x >= 0.0) || isinf(x)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is not allowed in an inequality measure",
						what, float8out_internal(x)),
				 errdetail("Values and weights must be finite and not negative.")));
}

/* check one (value, weight) row; returns y normalised (-0 becomes +0) */
static inline double
check_row(double y, double w)
{
	check_nonneg(y, "value");
	check_nonneg(w, "weight");
	if (unlikely(isinf(y * w)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %s times weight %s is out of range for type double precision",
						float8out_internal(y), float8out_internal(w))));
	return y == 0.0 ? 0.0 : y;
}

/*
 * The data of a float8 array without NULLs (ARR_DATA_PTR, written without
 * the signedness mix-up of its conditional that -Wextra rejects).
 */
static inline double *
array_data_nonulls(ArrayType *a)
{
	Assert(!ARR_HASNULL(a));
	return (double *) ((char *) a + ARR_OVERHEAD_NONULLS(ARR_NDIM(a)));
}

/* ------------------------------------------------------------------------
 * The sums of the Theil indices (theil.c, theil_decompose.c)
 * ------------------------------------------------------------------------
 */

/*
 * State layout, each sum as (running sum, compensation):
 *	 [0]	rows with positive weight
 *	 [1,2]	W = sum w
 *	 [3,4]	Y = sum w y
 *	 [5,6]	A = sum w y ln y		(rows with y > 0: 0 ln 0 = 0)
 *	 [7,8]	B = sum w ln y			(rows with y > 0)
 *	 [9]	rows with positive weight and y = 0 (L is infinite then)
 */
#define THEIL_NSTATE	10
#define TS_N	0
#define TS_W	1
#define TS_Y	3
#define TS_A	5
#define TS_B	7
#define TS_Z	9

/* the sums of one group, the same layout in a plain C array */
typedef struct TheilSums
{
	double		s[THEIL_NSTATE];
} TheilSums;

static inline void
theil_sums_add(double *s, double y, double w)
{
	s[TS_N] += 1.0;
	ksum_add(s + TS_W, w);
	ksum_add(s + TS_Y, w * y);
	if (y > 0.0)
	{
		double		ly = log(y);

		ksum_add(s + TS_A, w * y * ly);
		ksum_add(s + TS_B, w * ly);
	}
	else
		s[TS_Z] += 1.0;
}

static inline void
theil_sums_merge(double *s, const double *o)
{
	s[TS_N] += o[TS_N];
	ksum_merge(s + TS_W, o + TS_W);
	ksum_merge(s + TS_Y, o + TS_Y);
	ksum_merge(s + TS_A, o + TS_A);
	ksum_merge(s + TS_B, o + TS_B);
	s[TS_Z] += o[TS_Z];
}

/* sums must be finite, counts and W, Y non-negative */
static inline bool
theil_sums_valid(const double *s)
{
	int			i;

	for (i = 0; i < THEIL_NSTATE; i++)
		if (!isfinite(s[i]))
			return false;
	return s[TS_N] >= 0.0 && s[TS_Z] >= 0.0 && s[TS_Z] <= s[TS_N] &&
		ksum_total(s + TS_W) >= 0.0 && ksum_total(s + TS_Y) >= 0.0;
}

/* T of a group from its sums: A/Y - ln(Y/W); requires W, Y > 0 */
static inline double
theil_t_of(const double *s)
{
	double		W = ksum_total(s + TS_W);
	double		Y = ksum_total(s + TS_Y);

	return ksum_total(s + TS_A) / Y - log(Y / W);
}

/* L of a group: ln(Y/W) - B/W; requires W, Y > 0 and no zero values */
static inline double
theil_l_of(const double *s)
{
	double		W = ksum_total(s + TS_W);
	double		Y = ksum_total(s + TS_Y);

	return log(Y / W) - ksum_total(s + TS_B) / W;
}

#endif							/* HS_EQUITY_H */
