/*-------------------------------------------------------------------------
 *
 * rate_compare.c
 *	  Comparing rates: the difference of two rates with Newcombe's hybrid
 *	  score interval, their ratio with the Katz log interval, the pooled
 *	  two-proportion z test, and the exact binomial control limits of a
 *	  funnel plot (Spiegelhalter 2005) with the over-dispersion estimate.
 *
 *	  References (docs/rates.md, "Comparing rates"):
 *	  R. G. Newcombe, Interval estimation for the difference between
 *	  independent proportions: comparison of eleven methods, Statistics in
 *	  Medicine 17 (1998) 873-890, method 10.
 *	  D. Katz, J. Baptista, S. P. Azen, M. C. Pike, Obtaining confidence
 *	  intervals for the risk ratio in cohort studies, Biometrics 34 (1978).
 *	  D. J. Spiegelhalter, Funnel plots for comparing institutional
 *	  performance, Statistics in Medicine 24 (2005) 1185-1202, appendix A.
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

#include "rate.h"

PG_FUNCTION_INFO_V1(rate_diff_ci);
PG_FUNCTION_INFO_V1(rate_ratio_ci);
PG_FUNCTION_INFO_V1(rate_test);
PG_FUNCTION_INFO_V1(funnel_limits);
PG_FUNCTION_INFO_V1(funnel_phi_final);

static void
compare_check_level(double level)
{
	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", level),
				 errdetail("The level must lie strictly between 0 and 1.")));
}

/* the function's row of n float8 columns, NULL where isnull says */
static Datum
compare_row(FunctionCallInfo fcinfo, int n, const double *v, bool *isnull)
{
	TupleDesc	tupdesc;
	Datum		values[3];

	Assert(n <= (int) lengthof(values));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);
	for (int i = 0; i < n; i++)
		values[i] = Float8GetDatum(v[i]);
	return HeapTupleGetDatum(heap_form_tuple(tupdesc, values, isnull));
}

/*
 * rate_diff_ci(a, b, level) returns (diff, lower, upper): p1 - p2 with
 * Newcombe's hybrid score interval (method 10): from the Wilson intervals
 * (l1, u1) of p1 and (l2, u2) of p2,
 *   lower = d - sqrt((p1 - l1)^2 + (u2 - p2)^2),
 *   upper = d + sqrt((u1 - p1)^2 + (p2 - l2)^2).
 * NULL columns when either rate is empty.
 */
Datum
rate_diff_ci(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);
	double		level = PG_GETARG_FLOAT8(2);
	bool		nulls[3] = {true, true, true};
	double		row[3] = {0, 0, 0};
	double		z,
				p1,
				p2,
				l1,
				u1,
				l2,
				u2,
				d;

	compare_check_level(level);
	if (a->den == 0 || b->den == 0)
		PG_RETURN_DATUM(compare_row(fcinfo, 3, row, nulls));
	z = hs_normal_quantile(0.5 + level / 2.0);
	p1 = (double) a->num / (double) a->den;
	p2 = (double) b->num / (double) b->den;
	hs_wilson_interval((double) a->num, (double) a->den, z, &l1, &u1);
	hs_wilson_interval((double) b->num, (double) b->den, z, &l2, &u2);
	d = p1 - p2;
	nulls[0] = nulls[1] = nulls[2] = false;
	row[0] = d;
	row[1] = d - sqrt((p1 - l1) * (p1 - l1) + (u2 - p2) * (u2 - p2));
	row[2] = d + sqrt((u1 - p1) * (u1 - p1) + (p2 - l2) * (p2 - l2));
	PG_RETURN_DATUM(compare_row(fcinfo, 3, row, nulls));
}

/*
 * rate_ratio_ci(a, b, level) returns (ratio, lower, upper): p1 / p2 with the
 * Katz log interval exp(log(p1 / p2) +- z sqrt(1/x1 - 1/n1 + 1/x2 - 1/n2)).
 * The ratio is NULL when p2 is 0 (or a rate is empty); the bounds are NULL
 * when either numerator is 0, where the interval is not defined.
 */
Datum
rate_ratio_ci(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);
	double		level = PG_GETARG_FLOAT8(2);
	bool		nulls[3] = {true, true, true};
	double		row[3];
	double		ratio = 0.0,
				lower = 0.0,
				upper = 0.0;

	compare_check_level(level);
	if (a->den > 0 && b->den > 0 && b->num > 0)
	{
		double		x1 = (double) a->num,
					n1 = (double) a->den,
					x2 = (double) b->num,
					n2 = (double) b->den;

		ratio = (x1 / n1) / (x2 / n2);
		nulls[0] = false;
		if (a->num > 0)
		{
			double		z = hs_normal_quantile(0.5 + level / 2.0);
			double		se = sqrt(1.0 / x1 - 1.0 / n1 + 1.0 / x2 - 1.0 / n2);

			lower = ratio * exp(-z * se);
			upper = ratio * exp(z * se);
			nulls[1] = nulls[2] = false;
		}
	}
	row[0] = ratio;
	row[1] = lower;
	row[2] = upper;
	PG_RETURN_DATUM(compare_row(fcinfo, 3, row, nulls));
}

/*
 * rate_test(a, b): the two-sided p-value of the pooled two-proportion z test
 * without continuity correction, z = (p1 - p2) / sqrt(p (1 - p) (1/n1 + 1/n2))
 * with p the pooled proportion.  NULL when a rate is empty; 1 when the pooled
 * proportion is 0 or 1 (both rates equal, nothing to test).
 */
Datum
rate_test(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);
	double		n1,
				n2,
				p,
				z;

	if (a->den == 0 || b->den == 0)
		PG_RETURN_NULL();
	n1 = (double) a->den;
	n2 = (double) b->den;
	p = ((double) a->num + (double) b->num) / (n1 + n2);
	if (p <= 0.0 || p >= 1.0)
		PG_RETURN_FLOAT8(1.0);
	z = ((double) a->num / n1 - (double) b->num / n2) / sqrt(p * (1.0 - p) * (1.0 / n1 + 1.0 / n2));
	PG_RETURN_FLOAT8(erfc(fabs(z) / M_SQRT2));
}

/* P(R <= r) for R ~ Binomial(n, theta) */
static double
binomial_cdf(int64 r, int64 n, double theta)
{
	if (r < 0)
		return 0.0;
	if (r >= n)
		return 1.0;
	return hs_incomplete_beta(1.0 - theta, (double) (n - r), (double) r + 1.0);
}

/*
 * The p-th exact binomial limit as a proportion (Spiegelhalter 2005,
 * appendix A.1.1): r_p, the smallest r with P(R <= r) >= p, interpolated,
 * (r_p - alpha) / n with alpha = (P(R <= r_p) - p) / (P(R <= r_p) -
 * P(R <= r_p - 1)).
 */
static double
binomial_limit(double p, int64 n, double theta)
{
	int64		lo = 0,
				hi = n;
	double		f,
				fprev,
				alpha;

	/* bisection on the CDF, which grows with r */
	while (lo < hi)
	{
		int64		mid = lo + (hi - lo) / 2;

		CHECK_FOR_INTERRUPTS();
		if (binomial_cdf(mid, n, theta) >= p)
			hi = mid;
		else
			lo = mid + 1;
	}
	f = binomial_cdf(lo, n, theta);
	fprev = binomial_cdf(lo - 1, n, theta);
	alpha = f > fprev ? (f - p) / (f - fprev) : 0.0;
	return Max(0.0, ((double) lo - alpha) / (double) n);
}

/*
 * funnel_limits(target, n, level, phi) returns (lower, upper): the control
 * limits of a proportion with denominator n around target.  phi = 1: the
 * exact binomial limits; phi > 0 otherwise: the normal limits with the
 * variance multiplied by phi (Spiegelhalter 2005, section 3.5, the
 * multiplicative over-dispersion model), clipped to [0, 1].
 */
Datum
funnel_limits(PG_FUNCTION_ARGS)
{
	double		target = PG_GETARG_FLOAT8(0);
	int64		n = PG_GETARG_INT64(1);
	double		level = PG_GETARG_FLOAT8(2);
	double		phi = PG_GETARG_FLOAT8(3);
	double		lower,
				upper,
				p = (1.0 - level) / 2.0;
	double		row[2];
	bool		nulls[2] = {false, false};

	compare_check_level(level);
	if (!(target >= 0.0 && target <= 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel target %g is not a proportion", target),
				 errdetail("The target must lie between 0 and 1.")));
	if (n < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("funnel denominator " INT64_FORMAT " is not positive", n)));
	if (!(phi > 0.0) || isinf(phi))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("over-dispersion factor %g is not a positive number", phi),
				 errhint("Use 1 for the exact binomial limits, or the estimate of funnel_phi.")));

	if (phi == 1.0)
	{
		lower = target == 0.0 ? 0.0 : binomial_limit(p, n, target);
		upper = target == 1.0 ? 1.0 : binomial_limit(1.0 - p, n, target);
	}
	else
	{
		double		half = hs_normal_quantile(1.0 - p) * sqrt(phi * target * (1.0 - target) / (double) n);

		lower = Max(0.0, target - half);
		upper = Min(1.0, target + half);
	}

	row[0] = lower;
	row[1] = upper;
	PG_RETURN_DATUM(compare_row(fcinfo, 2, row, nulls));
}

static int
compare_double(const void *a, const void *b)
{
	double		x = *(const double *) a,
				y = *(const double *) b;

	return (x > y) - (x < y);
}

/*
 * Final function of funnel_phi: the over-dispersion estimate of
 * Spiegelhalter 2005 (section 3.5.1), the mean of the squared z-scores
 * after Winsorizing them at their 10th and 90th percentiles.  The state is
 * the float8[] of z-scores; NULL for fewer than two units.
 */
Datum
funnel_phi_final(PG_FUNCTION_ARGS)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n,
				k = 0;
	double	   *z,
				lo,
				hi,
				sum = 0.0;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	arr = PG_GETARG_ARRAYTYPE_P(0);
	deconstruct_array(arr, FLOAT8OID, sizeof(float8), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &nulls, &n);
	z = palloc(sizeof(double) * Max(n, 1));
	for (int i = 0; i < n; i++)
		if (!nulls[i])
			z[k++] = DatumGetFloat8(elems[i]);
	if (k < 2)
		PG_RETURN_NULL();
	qsort(z, k, sizeof(double), compare_double);
	/* the 10th and 90th percentiles, linear between order statistics */
	{
		double		pos_lo = 0.1 * (k - 1),
					pos_hi = 0.9 * (k - 1);
		int			i_lo = (int) floor(pos_lo),
					i_hi = (int) floor(pos_hi);

		lo = z[i_lo] + (pos_lo - i_lo) * (i_lo + 1 < k ? z[i_lo + 1] - z[i_lo] : 0.0);
		hi = z[i_hi] + (pos_hi - i_hi) * (i_hi + 1 < k ? z[i_hi + 1] - z[i_hi] : 0.0);
	}
	for (int i = 0; i < k; i++)
	{
		double		w = Min(Max(z[i], lo), hi);

		sum += w * w;
	}
	PG_RETURN_FLOAT8(sum / k);
}
