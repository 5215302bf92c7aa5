/*-------------------------------------------------------------------------
 *
 * rate.h
 *	  The public header of the rates family: the hs_rate value and the
 *	  statistics other files of the family (rate_compare.c) share.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_RATE_H
#define HS_RATE_H

#include "postgres.h"

#include "fmgr.h"

/* an exact proportion num / den, 0 <= num <= den: 16 bytes, by reference */
typedef struct HsRate
{
	int64		num;
	int64		den;
} HsRate;

#define DatumGetHsRateP(X)		((HsRate *) DatumGetPointer(X))
#define PG_GETARG_HSRATE_P(n)	DatumGetHsRateP(PG_GETARG_DATUM(n))

/* the standard normal quantile of p, 0 < p < 1 */
extern double hs_normal_quantile(double p);

/* the regularized incomplete beta function I_x(a, b) */
extern double hs_incomplete_beta(double x, double a, double b);

/* the Wilson score interval of x events in n trials at quantile z */
extern void hs_wilson_interval(double x, double n, double z, double *lower, double *upper);

#endif							/* HS_RATE_H */
