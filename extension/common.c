/*-------------------------------------------------------------------------
 *
 * common.c
 *	  Module initialisation and the helpers every family shares.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "mb/pg_wchar.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "common.h"

PG_MODULE_MAGIC;

int			hs_min_cell = 5;

void		_PG_init(void);

void
_PG_init(void)
{
	DefineCustomIntVariable("health_share.min_cell",
							"Smallest non-zero cell that rate_public() publishes.",
							"Rates whose numerator, denominator or complement is "
							"a non-zero count below this value are suppressed.",
							&hs_min_cell,
							5,
							0,
							INT_MAX,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
	MarkGUCPrefixReserved("health_share");
}

/*
 * Raise the error for an exact count that no longer fits in int8.
 */
void
hs_overflow_error(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
			 errmsg("%s is out of range for type bigint", what)));
}

/*
 * Refuse, before allocating, a value larger than a varlena can hold.
 */
void
hs_check_alloc_size(Size size, const char *what)
{
	if (size > MaxAllocSize)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("%s would need %zu bytes, more than the maximum of %zu",
						what, size, (Size) MaxAllocSize)));
}

/*
 * Longitude must lie in [-180, 180] and latitude in [-90, 90], both finite.
 */
void
hs_check_coordinate(double lon, double lat)
{
	if (!isfinite(lon) || lon < -180.0 || lon > 180.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("longitude %g is out of range", lon),
				 errdetail("Longitude must be a finite number of degrees between -180 and 180.")));
	if (!isfinite(lat) || lat < -90.0 || lat > 90.0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("latitude %g is out of range", lat),
				 errdetail("Latitude must be a finite number of degrees between -90 and 90.")));
}

/*
 * hs_excerpt(s, len): a palloc'd, NUL-terminated quote of s for an error
 * message (see common.h).  The valid prefix of s in the server encoding is
 * kept, then clipped to HS_EXCERPT_BYTES at a character boundary.
 */
char *
hs_excerpt(const char *s, int len)
{
	int			valid,
				keep;
	char	   *out;

	if (len < 0)
		len = 0;
	valid = pg_encoding_verifymbstr(GetDatabaseEncoding(), s, len);
	keep = pg_mbcliplen(s, valid, HS_EXCERPT_BYTES);
	out = palloc(keep + 4);
	memcpy(out, s, keep);
	if (keep < len)
		memcpy(out + keep, "...", 4);
	else
		out[keep] = '\0';
	return out;
}

char *
hs_excerpt_cstring(const char *s)
{
	return hs_excerpt(s, (int) strnlen(s, MaxAllocSize - 1));
}

void
hs_syntax_error(const char *type, const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type %s: \"%s\"", type, hs_excerpt_cstring(str)),
			 errdetail_internal("%s", detail)));
}

void
hs_binary_error(const char *type, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary %s: %s", type, detail)));
}

/* an int8 at *p (see common.h) */
bool
hs_parse_int64(const char **p, int64 *out, bool allow_sign, const char *type, const char *str)
{
	const char *s = *p;
	bool		neg = false;
	int64		v = 0;

	if (allow_sign && (*s == '-' || *s == '+'))
		neg = (*s++ == '-');
	if (!isdigit((unsigned char) *s))
		return false;
	/* accumulate negatively so that the int8 minimum parses */
	while (isdigit((unsigned char) *s))
	{
		if (unlikely(pg_mul_s64_overflow(v, 10, &v) ||
					 pg_sub_s64_overflow(v, *s - '0', &v)))
			break;
		s++;
	}
	if (isdigit((unsigned char) *s) || (!neg && v == PG_INT64_MIN))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value in %s \"%s\" is out of range for type bigint",
						type, hs_excerpt_cstring(str))));
	*out = neg ? v : -v;
	*p = s;
	return true;
}

/* a float8 at *p (see common.h) */
bool
hs_parse_float8(const char **p, double *out, bool finite)
{
	char	   *end;
	double		v;

	hs_skip_space(p);
	if (!(isdigit((unsigned char) **p) || **p == '.' || **p == '-' || **p == '+'))
		return false;
	errno = 0;
	v = strtod(*p, &end);
	if (end == *p)
		return false;
	/* as float8in: a subnormal number is accepted, a total underflow is not */
	if (finite && (!isfinite(v) || (errno == ERANGE && v == 0.0)))
		return false;
	*out = v;
	*p = end;
	hs_skip_space(p);
	return true;
}

void
hs_append_float8(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, tmp);
	appendStringInfoString(buf, tmp);
}
