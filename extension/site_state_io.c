/*-------------------------------------------------------------------------
 *
 * site_state_io.c
 *	  The text and binary forms of the site_select_state (planning.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "libpq/pqformat.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "common.h"
#include "planning.h"

PG_FUNCTION_INFO_V1(site_state_in);
PG_FUNCTION_INFO_V1(site_state_out);
PG_FUNCTION_INFO_V1(site_state_recv);
PG_FUNCTION_INFO_V1(site_state_send);

/* ------------------------------------------------------------------------
 * text and binary forms
 *
 * text:   cover;k=5;radius=5000;candidates={...};existing={...};points={(lon,lat,pop),...}
 *         median;k=5;candidates={...};existing={...};points={...}
 *         (existing= is empty when there are none; the sets in facility_set text)
 * binary: int8 objective, int32 k, float8 radius, int32 length + candidates
 *         (facility_set binary), int32 length (-1: none) + existing, int32 n,
 *         n times float8 lon, lat, pop
 * ------------------------------------------------------------------------
 */

Datum
site_state_out(PG_FUNCTION_ARGS)
{
	SiteView	v;
	StringInfoData buf;
	int			i;

	site_view_flat((SiteState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0)), &v);
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s;k=%d;", v.objective == PLAN_COVER ? "cover" : "median", v.k);
	if (v.objective == PLAN_COVER)
	{
		appendStringInfoString(&buf, "radius=");
		hs_append_float8(&buf, v.radius);
		appendStringInfoChar(&buf, ';');
	}
	appendStringInfo(&buf, "candidates=%s;existing=",
					 DatumGetCString(DirectFunctionCall1(facility_set_out, PointerGetDatum(v.cand))));
	if (v.exist)
		appendStringInfoString(&buf, DatumGetCString(DirectFunctionCall1(facility_set_out, PointerGetDatum(v.exist))));
	appendStringInfoString(&buf, ";points={");
	for (i = 0; i < v.n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '(');
		hs_append_float8(&buf, v.pts[i].lon);
		appendStringInfoChar(&buf, ',');
		hs_append_float8(&buf, v.pts[i].lat);
		appendStringInfoChar(&buf, ',');
		hs_append_float8(&buf, v.pts[i].pop);
		appendStringInfoChar(&buf, ')');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* the syntax error of site_state_in */
#define ss_text_error(str, detail) hs_syntax_error("site_select_state", (str), (detail))

/* the next ';'-separated field of *p, which must start with key */
static char *
ss_field(char **p, const char *key, const char *str)
{
	char	   *f = *p;
	char	   *semi;
	size_t		kl = strlen(key);

	if (f == NULL || strncmp(f, key, kl) != 0)
		ss_text_error(str, psprintf("Expected the field %s.", key));
	semi = strchr(f, ';');
	if (semi)
	{
		*semi = '\0';
		*p = semi + 1;
	}
	else
		*p = NULL;
	return f + kl;
}

/* the field s: one finite number, white space around it */
static double
ss_number(const char *s, const char *str, const char *what)
{
	double		v;

	if (!hs_parse_float8(&s, &v, true))
		ss_text_error(str, psprintf("%s must be a finite number.", what));
	if (*s != '\0')
		ss_text_error(str, psprintf("Unexpected characters after %s.", what));
	return v;
}

Datum
site_state_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	char	   *s = pstrdup(str);
	char	   *p = s;
	char	   *f;
	const char *q;
	SiteView	v;
	double		kd;
	int			cap = 64;

	memset(&v, 0, sizeof(v));
	while (isspace((unsigned char) *p))
		p++;
	if (strncmp(p, "cover;", 6) == 0)
		v.objective = PLAN_COVER;
	else if (strncmp(p, "median;", 7) == 0)
		v.objective = PLAN_MEDIAN;
	else
		ss_text_error(str, "The value starts with cover; or median;.");
	p = strchr(p, ';') + 1;
	kd = ss_number(ss_field(&p, "k=", str), str, "k");
	if (kd != floor(kd) || kd < 1 || kd > PG_INT32_MAX)
		ss_text_error(str, "k must be a positive integer.");
	v.k = (int) kd;
	if (v.objective == PLAN_COVER)
		v.radius = ss_number(ss_field(&p, "radius=", str), str, "radius");
	f = ss_field(&p, "candidates=", str);
	v.cand = (FacilitySet *) DatumGetPointer(DirectFunctionCall1(facility_set_in, CStringGetDatum(f)));
	q = ss_field(&p, "existing=", str);
	hs_skip_space(&q);
	if (*q != '\0')
		v.exist = (FacilitySet *) DatumGetPointer(DirectFunctionCall1(facility_set_in, CStringGetDatum(q)));
	site_check_view(&v);
	q = ss_field(&p, "points=", str);
	if (p != NULL)
		ss_text_error(str, "Unexpected fields after points.");
	v.pts = palloc(cap * sizeof(SitePoint));
	hs_skip_space(&q);
	if (*q++ != '{')
		ss_text_error(str, "The points are written {(lon,lat,pop),...}.");
	hs_skip_space(&q);
	if (*q == '}')
		q++;
	else
	{
		for (;;)
		{
			double		vals[3];
			int			c;

			hs_skip_space(&q);
			if (*q++ != '(')
				ss_text_error(str, "Each point is written (lon,lat,pop).");
			for (c = 0; c < 3; c++)
			{
				if (!hs_parse_float8(&q, &vals[c], true))
					ss_text_error(str, "Each point is written (lon,lat,pop) with finite numbers.");
				if (*q++ != (c < 2 ? ',' : ')'))
					ss_text_error(str, "Each point is written (lon,lat,pop).");
			}
			hs_check_coordinate(vals[0], vals[1]);
			check_amount(vals[2], "population");
			if (v.n >= cap)
			{
				if (cap >= PG_INT32_MAX / 2 || (Size) cap * 2 * sizeof(SitePoint) > MaxAllocHugeSize)
					ss_text_error(str, "Too many points.");
				cap *= 2;
				v.pts = repalloc_huge(v.pts, (Size) cap * sizeof(SitePoint));
			}
			v.pts[v.n].lon = vals[0];
			v.pts[v.n].lat = vals[1];
			v.pts[v.n].pop = vals[2] + 0.0;
			v.n++;
			hs_skip_space(&q);
			if (*q == ',')
			{
				q++;
				continue;
			}
			if (*q++ != '}')
				ss_text_error(str, "Points are separated by commas and closed by }.");
			break;
		}
	}
	hs_skip_space(&q);
	if (*q != '\0')
		ss_text_error(str, "Unexpected characters after the closing }.");
	PG_RETURN_POINTER(site_flat_new(&v));
}

static void
send_set(StringInfo buf, FacilitySet *fs)
{
	bytea	   *b;

	if (fs == NULL)
	{
		pq_sendint32(buf, -1);
		return;
	}
	b = DatumGetByteaPP(DirectFunctionCall1(facility_set_send, PointerGetDatum(fs)));
	pq_sendint32(buf, VARSIZE_ANY_EXHDR(b));
	pq_sendbytes(buf, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b));
}

Datum
site_state_send(PG_FUNCTION_ARGS)
{
	SiteView	v;
	StringInfoData buf;
	int			i;

	site_view_flat((SiteState *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0)), &v);
	pq_begintypsend(&buf);
	pq_sendbyte(&buf, v.objective);
	pq_sendint32(&buf, v.k);
	pq_sendfloat8(&buf, v.radius);
	send_set(&buf, v.cand);
	send_set(&buf, v.exist);
	pq_sendint32(&buf, v.n);
	for (i = 0; i < v.n; i++)
	{
		pq_sendfloat8(&buf, v.pts[i].lon);
		pq_sendfloat8(&buf, v.pts[i].lat);
		pq_sendfloat8(&buf, v.pts[i].pop);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* the error of site_state_recv */
#define ss_binary_error(detail) hs_binary_error("site_select_state", (detail))

static FacilitySet *
recv_set(StringInfo buf, bool optional)
{
	int			len = pq_getmsgint(buf, 4);
	StringInfoData sub;

	if (len == -1 && optional)
		return NULL;
	if (len < 0 || len > buf->len - buf->cursor)
		ss_binary_error(psprintf("Bad facility_set length %d.", len));
	initStringInfo(&sub);
	appendBinaryStringInfo(&sub, pq_getmsgbytes(buf, len), len);
	return (FacilitySet *) DatumGetPointer(DirectFunctionCall1(facility_set_recv, PointerGetDatum(&sub)));
}

Datum
site_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	SiteView	v;
	int			i;

	memset(&v, 0, sizeof(v));
	v.objective = pq_getmsgbyte(buf);
	if (v.objective != PLAN_COVER && v.objective != PLAN_MEDIAN)
		ss_binary_error(psprintf("Unknown objective %d.", v.objective));
	v.k = pq_getmsgint(buf, 4);
	v.radius = pq_getmsgfloat8(buf);
	if (v.objective == PLAN_MEDIAN && v.radius != 0)
		ss_binary_error("A median state carries radius 0.");
	v.radius += 0.0;			/* -0 becomes +0, as the text form reads it */
	v.cand = recv_set(buf, false);
	v.exist = recv_set(buf, true);
	site_check_view(&v);
	v.n = pq_getmsgint(buf, 4);
	if (v.n < 0 || (Size) v.n * 24 != (Size) (buf->len - buf->cursor))
		ss_binary_error(psprintf("%d points need %zu bytes, %d remain.",
								 v.n, (Size) Max(v.n, 0) * 24, buf->len - buf->cursor));
	v.pts = palloc_extended(Max((Size) v.n * sizeof(SitePoint), 1), MCXT_ALLOC_HUGE);
	for (i = 0; i < v.n; i++)
	{
		v.pts[i].lon = pq_getmsgfloat8(buf);
		v.pts[i].lat = pq_getmsgfloat8(buf);
		v.pts[i].pop = pq_getmsgfloat8(buf);
		hs_check_coordinate(v.pts[i].lon, v.pts[i].lat);
		check_amount(v.pts[i].pop, "population");
		v.pts[i].pop += 0.0;
	}
	PG_RETURN_POINTER(site_flat_new(&v));
}
