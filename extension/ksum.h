/*-------------------------------------------------------------------------
 *
 * ksum.h
 *	  Neumaier-compensated sums of doubles, inline: the equity family's sums
 *	  (the Gini and Lorenz walks, the Theil states) keep their digits when
 *	  partial states are merged.  A sum is a double[2]: sum[0] the running
 *	  sum, sum[1] the accumulated rounding error; the total is their sum.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_KSUM_H
#define HS_KSUM_H

#include "postgres.h"

#include <math.h>

/* add x to the compensated sum */
static inline void
ksum_add(double *sum, double x)
{
	double		t = sum[0] + x;

	if (fabs(sum[0]) >= fabs(x))
		sum[1] += (sum[0] - t) + x;
	else
		sum[1] += (x - t) + sum[0];
	sum[0] = t;
}

/* merge compensated sum "other" into "sum" */
static inline void
ksum_merge(double *sum, const double *other)
{
	ksum_add(sum, other[0]);
	sum[1] += other[1];
}

static inline double
ksum_total(const double *sum)
{
	return sum[0] + sum[1];
}

/* a sum that is no longer finite is out of range */
static inline void
check_sum_finite(const double *sum, const char *what)
{
	if (unlikely(!isfinite(sum[0]) || !isfinite(sum[1])))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range for type double precision", what)));
}

#endif							/* HS_KSUM_H */
