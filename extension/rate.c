/*-------------------------------------------------------------------------
 *
 * rate.c
 *	  The hs_rate type: an exact proportion num/den of int8 counts, its
 *	  aggregates (rate, sum, in_county_rate), value functions, confidence
 *	  intervals and small-cell suppression.
 *
 *	  An hs_rate is a fixed-length 16-byte value, so it is its own aggregate
 *	  state: partial aggregates are real SQL values that PostgreSQL parallel
 *	  workers and Citus workers hand back for merging by addition.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "adcode.h"
#include "aggstate.h"
#include "common.h"
#include "rate.h"


PG_FUNCTION_INFO_V1(hs_rate_in);
PG_FUNCTION_INFO_V1(hs_rate_out);
PG_FUNCTION_INFO_V1(hs_rate_recv);
PG_FUNCTION_INFO_V1(hs_rate_send);
PG_FUNCTION_INFO_V1(hs_rate_eq);
PG_FUNCTION_INFO_V1(hs_rate_ne);
PG_FUNCTION_INFO_V1(hs_rate_add);
PG_FUNCTION_INFO_V1(hs_rate_make);
PG_FUNCTION_INFO_V1(hs_rate_bool_accum);
PG_FUNCTION_INFO_V1(hs_rate_accum);
PG_FUNCTION_INFO_V1(hs_rate_combine);
PG_FUNCTION_INFO_V1(hs_in_county_accum);
PG_FUNCTION_INFO_V1(rate_value);
PG_FUNCTION_INFO_V1(rate_num);
PG_FUNCTION_INFO_V1(rate_den);
PG_FUNCTION_INFO_V1(rate_ci);
PG_FUNCTION_INFO_V1(rate_public);

/*
 * Check 0 <= num <= den; "errcode" is the SQLSTATE for a violation.
 */
static void
rate_check(int64 num, int64 den, int errcode_bad)
{
	if (num < 0 || den < 0 || num > den)
		ereport(ERROR,
				(errcode(errcode_bad),
				 errmsg("invalid rate %lld/%lld", (long long) num, (long long) den),
				 errdetail("A rate needs 0 <= numerator <= denominator.")));
}

static HsRate *
rate_palloc(int64 num, int64 den)
{
	HsRate	   *r = (HsRate *) palloc(sizeof(HsRate));

	r->num = num;
	r->den = den;
	return r;
}

/* text form: "num/den", white space allowed around either part */
Datum
hs_rate_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	int64		num = 0,
				den = 0;

	hs_skip_space(&p);
	if (!hs_parse_int64(&p, &num, false, "rate", str))
		goto syntax;
	hs_skip_space(&p);
	if (*p++ != '/')
		goto syntax;
	hs_skip_space(&p);
	if (!hs_parse_int64(&p, &den, false, "rate", str))
		goto syntax;
	hs_skip_space(&p);
	if (*p != '\0')
		goto syntax;
	if (num > den)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type hs_rate: \"%s\"", hs_excerpt_cstring(str)),
				 errdetail("The numerator must not exceed the denominator.")));
	PG_RETURN_POINTER(rate_palloc(num, den));

syntax:
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type hs_rate: \"%s\"", hs_excerpt_cstring(str)),
			 errdetail("A rate is written numerator/denominator with non-negative integers, as in 412/450.")));
	PG_RETURN_NULL();			/* keep compiler quiet */
}

Datum
hs_rate_out(PG_FUNCTION_ARGS)
{
	HsRate	   *r = PG_GETARG_HSRATE_P(0);

	PG_RETURN_CSTRING(psprintf("%lld/%lld", (long long) r->num, (long long) r->den));
}

Datum
hs_rate_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		num = pq_getmsgint64(buf);
	int64		den = pq_getmsgint64(buf);

	rate_check(num, den, ERRCODE_INVALID_BINARY_REPRESENTATION);
	PG_RETURN_POINTER(rate_palloc(num, den));
}

Datum
hs_rate_send(PG_FUNCTION_ARGS)
{
	HsRate	   *r = PG_GETARG_HSRATE_P(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, r->num);
	pq_sendint64(&buf, r->den);
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* equality compares the counts, not the proportion: 1/2 <> 2/4 */
Datum
hs_rate_eq(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);

	PG_RETURN_BOOL(a->num == b->num && a->den == b->den);
}

Datum
hs_rate_ne(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);

	PG_RETURN_BOOL(a->num != b->num || a->den != b->den);
}

Datum
hs_rate_add(PG_FUNCTION_ARGS)
{
	HsRate	   *a = PG_GETARG_HSRATE_P(0);
	HsRate	   *b = PG_GETARG_HSRATE_P(1);

	PG_RETURN_POINTER(rate_palloc(hs_add_int64(a->num, b->num, "rate numerator"),
								  hs_add_int64(a->den, b->den, "rate denominator")));
}

/* hs_rate(num int8, den int8): build a rate from its two counts */
Datum
hs_rate_make(PG_FUNCTION_ARGS)
{
	int64		num = PG_GETARG_INT64(0);
	int64		den = PG_GETARG_INT64(1);

	rate_check(num, den, ERRCODE_INVALID_PARAMETER_VALUE);
	PG_RETURN_POINTER(rate_palloc(num, den));
}

/*
 * The state to update in a transition or combine function.  Inside an
 * aggregate the state is updated in place; a NULL state (the first row of a
 * group) becomes a fresh zero rate in the per-call context, which the
 * executor copies into the aggregate context.  Called directly, the function
 * must not scribble on its argument, so it works on a copy.
 */
static inline HsRate *
rate_state(FunctionCallInfo fcinfo)
{
	if (PG_ARGISNULL(0))
		return rate_palloc(0, 0);
	if (AggCheckCallContext(fcinfo, NULL))
		return PG_GETARG_HSRATE_P(0);
	return rate_palloc(PG_GETARG_HSRATE_P(0)->num, PG_GETARG_HSRATE_P(0)->den);
}

/* rate(bool): true rows over non-null rows */
Datum
hs_rate_bool_accum(PG_FUNCTION_ARGS)
{
	HsRate	   *state;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	state = rate_state(fcinfo);
	state->den = hs_add_int64(state->den, 1, "rate denominator");
	if (PG_GETARG_BOOL(1))
		state->num++;			/* num <= den, so cannot overflow */
	PG_RETURN_POINTER(state);
}

/* rate(num, den): sums of both, each row checked for 0 <= num <= den */
Datum
hs_rate_accum(PG_FUNCTION_ARGS)
{
	HsRate	   *state;
	int64		num,
				den;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2));
	num = PG_GETARG_INT64(1);
	den = PG_GETARG_INT64(2);
	rate_check(num, den, ERRCODE_INVALID_PARAMETER_VALUE);
	state = rate_state(fcinfo);
	state->den = hs_add_int64(state->den, den, "rate denominator");
	state->num += num;			/* bounded by den */
	PG_RETURN_POINTER(state);
}

/* sum(hs_rate) transition and the combine function of every rate aggregate */
Datum
hs_rate_combine(PG_FUNCTION_ARGS)
{
	HsRate	   *state;
	HsRate	   *other;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	other = PG_GETARG_HSRATE_P(1);
	state = rate_state(fcinfo);
	state->den = hs_add_int64(state->den, other->den, "rate denominator");
	state->num += other->num;
	PG_RETURN_POINTER(state);
}

/*
 * in_county_rate(residence, facility): visits whose facility lies in the
 * resident's county over visits where both counties are known.  A code at
 * city or province level names no county and the row is skipped.
 */
Datum
hs_in_county_accum(PG_FUNCTION_ARGS)
{
	HsRate	   *state;
	Adcode		home,
				away;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
					   (home = adcode_county_of(PG_GETARG_ADCODE(1))) < 0 ||
					   (away = adcode_county_of(PG_GETARG_ADCODE(2))) < 0);
	state = rate_state(fcinfo);
	state->den = hs_add_int64(state->den, 1, "rate denominator");
	if (home == away)
		state->num++;
	PG_RETURN_POINTER(state);
}

Datum
rate_value(PG_FUNCTION_ARGS)
{
	HsRate	   *r = PG_GETARG_HSRATE_P(0);

	if (r->den == 0)
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) r->num / (double) r->den);
}

Datum
rate_num(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_HSRATE_P(0)->num);
}

Datum
rate_den(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(PG_GETARG_HSRATE_P(0)->den);
}

/*
 * Standard normal quantile: Newton's method on 0.5 erfc(z / sqrt 2) = q,
 * started from the Abramowitz-Stegun 26.2.23 approximation (|error| < 4.5e-4),
 * so the result is as exact as libm's erfc.
 */
double
hs_normal_quantile(double p)
{
	double		q = p < 0.5 ? p : 1.0 - p;
	double		t = sqrt(-2.0 * log(q));
	double		z;
	int			i;

	z = t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
		(1.0 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t);
	for (i = 0; i < 100; i++)
	{
		double		f = 0.5 * erfc(z / M_SQRT2) - q;
		double		dens = exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
		double		step = f / dens;

		z += step;
		if (fabs(step) <= 1e-15 * (1.0 + fabs(z)))
			break;
	}
	return p < 0.5 ? -z : z;
}

/* Stirling remainder of lgamma for x >= 15: error below 1e-14 */
static double
stirling_correction(double x)
{
	double		x2 = x * x;

	return (1.0 / 12.0 - (1.0 / 360.0 - (1.0 / 1260.0 - 1.0 / (1680.0 * x2)) / x2) / x2) / x;
}

/*
 * log B(a, b), written so that large arguments do not cancel: for b >= 15
 * the Stirling forms of lgamma(b) - lgamma(a + b) are combined with log1p.
 */
static double
log_beta(double a, double b)
{
	double		s;

	if (a > b)
	{
		double		tmp = a;

		a = b;
		b = tmp;
	}
	s = a + b;
	if (b < 15.0)
		return lgamma(a) + lgamma(b) - lgamma(s);
	if (a < 15.0)
		return lgamma(a) + a - a * log(s) - (b - 0.5) * log1p(a / b) +
			stirling_correction(b) - stirling_correction(s);
	return 0.5 * log(2.0 * M_PI) - (a - 0.5) * log1p(b / a) -
		(b - 0.5) * log1p(a / b) - 0.5 * log(s) +
		stirling_correction(a) + stirling_correction(b) - stirling_correction(s);
}

/*
 * Continued fraction of the incomplete beta function (modified Lentz).
 */
static double
beta_continued_fraction(double x, double a, double b)
{
	const double tiny = 1e-300;
	double		c = 1.0;
	double		d = 1.0 - (a + b) * x / (a + 1.0);
	double		f;
	long		m;
	long		maxiter = 10000 + (long) (10.0 * sqrt(Max(a, b)));

	if (fabs(d) < tiny)
		d = tiny;
	d = 1.0 / d;
	f = d;
	for (m = 1; m <= maxiter; m++)
	{
		double		m2 = 2.0 * m;
		double		coef;
		double		delta;

		if ((m & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* even step */
		coef = m * (b - m) * x / ((a + m2 - 1.0) * (a + m2));
		d = 1.0 + coef * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + coef / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		f *= d * c;
		/* odd step */
		coef = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1.0));
		d = 1.0 + coef * d;
		if (fabs(d) < tiny)
			d = tiny;
		c = 1.0 + coef / c;
		if (fabs(c) < tiny)
			c = tiny;
		d = 1.0 / d;
		delta = d * c;
		f *= delta;
		if (fabs(delta - 1.0) < 1e-15)
			break;
	}
	return f;
}

/* log of x^a (1-x)^b / B(a, b) */
static double
log_beta_kernel(double x, double a, double b)
{
	return a * log(x) + b * log1p(-x) - log_beta(a, b);
}

/* regularized incomplete beta I_x(a, b) */
double
hs_incomplete_beta(double x, double a, double b)
{
	if (x <= 0.0)
		return 0.0;
	if (x >= 1.0)
		return 1.0;
	if (x < (a + 1.0) / (a + b + 2.0))
		return exp(log_beta_kernel(x, a, b)) * beta_continued_fraction(x, a, b) / a;
	return 1.0 - exp(log_beta_kernel(x, a, b)) * beta_continued_fraction(1.0 - x, b, a) / b;
}

/*
 * Quantile of the Beta(a, b) distribution: the t with I_t(a, b) = p.
 * Newton steps kept inside a shrinking bracket, bisection when they leave it.
 */
static double
beta_quantile(double p, double a, double b, double start)
{
	double		lo = 0.0,
				hi = 1.0;
	double		t = (start > 0.0 && start < 1.0) ? start : a / (a + b);
	int			i;

	for (i = 0; i < 300; i++)
	{
		double		f = hs_incomplete_beta(t, a, b) - p;
		double		next;

		if (f == 0.0)
			return t;
		if (f < 0.0)
			lo = t;
		else
			hi = t;
		next = t - f / exp((a - 1.0) * log(t) + (b - 1.0) * log1p(-t) -
						   log_beta(a, b));
		if (!(next > lo && next < hi))
			next = 0.5 * (lo + hi);
		if (fabs(next - t) <= 1e-15 * t || hi - lo <= 1e-16 * hi)
			return next;
		t = next;
	}
	return t;
}

/* Wilson score interval */
void
hs_wilson_interval(double x, double n, double z, double *lower, double *upper)
{
	double		p = x / n;
	double		z2n = z * z / n;
	double		center = (p + z2n / 2.0) / (1.0 + z2n);
	double		half = z / (1.0 + z2n) * sqrt(p * (1.0 - p) / n + z2n / (4.0 * n));

	*lower = Max(0.0, center - half);
	*upper = Min(1.0, center + half);
}

/*
 * rate_ci(r, level, method) returns (lower, upper)
 *
 * wilson: Wilson score interval.  exact: Clopper-Pearson, the beta quantiles
 * B(alpha/2; x, n-x+1) and B(1-alpha/2; x+1, n-x).  Bounds at 0/n and n/n are
 * exactly 0 and 1.  An empty rate (den = 0) gives NULL bounds.
 */
Datum
rate_ci(PG_FUNCTION_ARGS)
{
	HsRate	   *r = PG_GETARG_HSRATE_P(0);
	double		level = PG_GETARG_FLOAT8(1);
	char	   *method = text_to_cstring(PG_GETARG_TEXT_PP(2));
	bool		exact;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	double		x = (double) r->num,
				n = (double) r->den,
				lower,
				upper;

	if (!(level > 0.0 && level < 1.0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("confidence level %g is out of range", level),
				 errdetail("The level must lie strictly between 0 and 1.")));
	if (pg_strcasecmp(method, "wilson") == 0)
		exact = false;
	else if (pg_strcasecmp(method, "exact") == 0 ||
			 pg_strcasecmp(method, "clopper-pearson") == 0)
		exact = true;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown confidence interval method \"%s\"", hs_excerpt_cstring(method)),
				 errhint("Use \"wilson\" or \"exact\" (Clopper-Pearson).")));

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	if (r->den == 0)
	{
		nulls[0] = nulls[1] = true;
		PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
	}

	hs_wilson_interval(x, n, hs_normal_quantile(0.5 + level / 2.0), &lower, &upper);
	if (exact)
	{
		double		alpha = 1.0 - level;

		lower = r->num == 0 ? 0.0 : beta_quantile(alpha / 2.0, x, n - x + 1.0, lower);
		upper = r->num == r->den ? 1.0 : beta_quantile(1.0 - alpha / 2.0, x + 1.0, n - x, upper);
	}
	if (r->num == 0)
		lower = 0.0;
	if (r->num == r->den)
		upper = 1.0;

	values[0] = Float8GetDatum(lower);
	values[1] = Float8GetDatum(upper);
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/*
 * rate_public(r, min_cell): the rate's value, or NULL when the denominator,
 * the numerator or the complement den - num is a non-zero count below
 * min_cell (a cell that could single out a few patients), or den = 0.
 */
Datum
rate_public(PG_FUNCTION_ARGS)
{
	HsRate	   *r = PG_GETARG_HSRATE_P(0);
	int32		min_cell = PG_GETARG_INT32(1);
	int64		rest = r->den - r->num;

	if (min_cell < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_cell %d must not be negative", min_cell)));
	if (r->den == 0 ||
		r->den < min_cell ||
		(r->num > 0 && r->num < min_cell) ||
		(rest > 0 && rest < min_cell))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8((double) r->num / (double) r->den);
}
