/*-------------------------------------------------------------------------
 *
 * facility_set_io.c
 *	  The text and binary forms of facility_set (every input rebuilt by
 *	  fs_build, never trusted) and its readers facility_count and
 *	  facility_entries.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "common.h"
#include "facility_set.h"

PG_FUNCTION_INFO_V1(facility_set_in);
PG_FUNCTION_INFO_V1(facility_set_out);
PG_FUNCTION_INFO_V1(facility_set_recv);
PG_FUNCTION_INFO_V1(facility_set_send);
PG_FUNCTION_INFO_V1(facility_count);
PG_FUNCTION_INFO_V1(facility_entries);

/* ------------------------------------------------------------------------
 * text and binary forms
 *
 * text:   {(id,lon,lat,supply),...}
 *         2sfca;d0=10000;decay=binary;ratio{(id,lon,lat,supply,R),...}
 *         (demand instead of ratio for a partial fca_demand state)
 * binary: int32 n, int8 kind; for kind > 0: text method, float8 d0, text
 *         decay; then n times int64 id, float8 lon, lat, supply[, value]
 * ------------------------------------------------------------------------
 */

Datum
facility_set_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *start = str;
	const char *brace = strchr(str, '{');
	const char *p;
	int			kind = FS_PLAIN;
	int			method = FCA_NONE;
	double		d0 = 0;
	Decay		dc;
	FacRow	   *rows;
	int			n = 0,
				cap = 16;

	memset(&dc, 0, sizeof(dc));
	if (brace == NULL)
		hs_syntax_error("facility_set", str, "The facilities are written {(id,lon,lat,supply),...}.");
	hs_skip_space(&start);
	if (brace != start)
	{
		/* method;d0=...;decay=...;ratio|demand */
		char	   *pre = pnstrdup(start, brace - start);
		char	   *f1 = pre,
				   *f2,
				   *f3,
				   *f4;
		const char *q;

		f2 = strchr(f1, ';');
		f3 = f2 ? strchr(f2 + 1, ';') : NULL;
		f4 = f3 ? strrchr(f3 + 1, ';') : NULL;
		if (!f2 || !f3 || !f4)
			hs_syntax_error("facility_set", str, "The header is method;d0=N;decay=SPEC;ratio or demand.");
		*f2++ = '\0';
		*f3++ = '\0';
		*f4++ = '\0';
		method = parse_method(f1, strlen(f1));
		if (strncmp(f2, "d0=", 3) != 0)
			hs_syntax_error("facility_set", str, "The second header field is d0=N.");
		q = f2 + 3;
		if (!hs_parse_float8(&q, &d0, true) || *q != '\0' || d0 <= 0)
			hs_syntax_error("facility_set", str, "d0 must be a positive finite number.");
		if (strncmp(f3, "decay=", 6) != 0)
			hs_syntax_error("facility_set", str, "The third header field is decay=SPEC.");
		parse_decay(f3 + 6, strlen(f3 + 6), &dc);
		if (strcmp(f4, "ratio") == 0)
			kind = FS_RATIO;
		else if (strcmp(f4, "demand") == 0)
			kind = FS_DEMAND;
		else
			hs_syntax_error("facility_set", str, "The last header field is ratio or demand.");
	}
	rows = palloc(cap * sizeof(FacRow));
	p = brace + 1;
	hs_skip_space(&p);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			char	   *end;
			double		vals[4];
			int			k,
						nv = kind == FS_PLAIN ? 3 : 4;
			long long	id;

			hs_skip_space(&p);
			if (*p++ != '(')
				hs_syntax_error("facility_set", str, "Each facility is written (id,lon,lat,supply).");
			errno = 0;
			id = strtoll(p, &end, 10);
			if (end == p || errno == ERANGE)
				hs_syntax_error("facility_set", str, "A facility id must be a bigint.");
			p = end;
			for (k = 0; k < nv; k++)
			{
				hs_skip_space(&p);
				if (*p++ != ',' || !hs_parse_float8(&p, &vals[k], true))
					hs_syntax_error("facility_set", str, "Each facility is written (id,lon,lat,supply) with finite numbers.");
			}
			hs_skip_space(&p);
			if (*p++ != ')')
				hs_syntax_error("facility_set", str, "Each facility is written (id,lon,lat,supply).");
			if (n >= cap)
			{
				if (cap > fs_max_n())
					hs_syntax_error("facility_set", str, "Too many facilities.");
				cap *= 2;
				rows = repalloc(rows, cap * sizeof(FacRow));
			}
			rows[n].id = id;
			rows[n].lon = vals[0];
			rows[n].lat = vals[1];
			rows[n].supply = vals[2];
			rows[n].value = kind == FS_PLAIN ? 0 : vals[3];
			n++;
			hs_skip_space(&p);
			if (*p == ',')
			{
				p++;
				continue;
			}
			if (*p++ != '}')
				hs_syntax_error("facility_set", str, "Facilities are separated by commas and closed by }.");
			break;
		}
	}
	hs_skip_space(&p);
	if (*p != '\0')
		hs_syntax_error("facility_set", str, "Unexpected characters after the closing }.");
	PG_RETURN_POINTER(fs_build(rows, n, kind, method, &dc, d0,
							   ERRCODE_INVALID_TEXT_REPRESENTATION));
}

FacilitySet *
fs_arg(FunctionCallInfo fcinfo, int argno)
{
	FacilitySet *fs = (FacilitySet *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));

	fs_check_header(fs);
	return fs;
}

Datum
facility_set_out(PG_FUNCTION_ARGS)
{
	FacilitySet *fs = fs_arg(fcinfo, 0);
	FsArrays	a;
	StringInfoData buf;
	Decay		dc;
	int			i;

	fs_arrays(fs, &a);
	initStringInfo(&buf);
	if (fs->kind != FS_PLAIN)
	{
		fs_decay(fs, &a, &dc);
		appendStringInfo(&buf, "%s;d0=", method_name(fs->method));
		hs_append_float8(&buf, fs->d0);
		appendStringInfoString(&buf, ";decay=");
		append_decay(&buf, &dc);
		appendStringInfoString(&buf, fs->kind == FS_RATIO ? ";ratio" : ";demand");
	}
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < fs->nfac; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfo(&buf, "(%lld,", (long long) a.id[i]);
		hs_append_float8(&buf, a.lon[i]);
		appendStringInfoChar(&buf, ',');
		hs_append_float8(&buf, a.lat[i]);
		appendStringInfoChar(&buf, ',');
		hs_append_float8(&buf, a.supply[i]);
		if (a.value)
		{
			appendStringInfoChar(&buf, ',');
			hs_append_float8(&buf, a.value[i]);
		}
		appendStringInfoChar(&buf, ')');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
facility_set_send(PG_FUNCTION_ARGS)
{
	FacilitySet *fs = fs_arg(fcinfo, 0);
	FsArrays	a;
	StringInfoData buf;
	int			i;

	fs_arrays(fs, &a);
	pq_begintypsend(&buf);
	pq_sendint32(&buf, fs->nfac);
	pq_sendbyte(&buf, fs->kind);
	if (fs->kind != FS_PLAIN)
	{
		Decay		dc;
		StringInfoData d;

		fs_decay(fs, &a, &dc);
		initStringInfo(&d);
		append_decay(&d, &dc);
		pq_sendtext(&buf, method_name(fs->method), 5);
		pq_sendfloat8(&buf, fs->d0);
		pq_sendint32(&buf, d.len);
		pq_sendtext(&buf, d.data, d.len);
	}
	for (i = 0; i < fs->nfac; i++)
	{
		pq_sendint64(&buf, a.id[i]);
		pq_sendfloat8(&buf, a.lon[i]);
		pq_sendfloat8(&buf, a.lat[i]);
		pq_sendfloat8(&buf, a.supply[i]);
		if (a.value)
			pq_sendfloat8(&buf, a.value[i]);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

static void
fs_binary_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary facility_set: %s", detail)));
}

Datum
facility_set_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int			n = pq_getmsgint(buf, 4);
	int			kind = pq_getmsgbyte(buf);
	int			method = FCA_NONE;
	double		d0 = 0;
	Decay		dc;
	FacRow	   *rows;
	int			i,
				per;

	memset(&dc, 0, sizeof(dc));
	if (kind < FS_PLAIN || kind > FS_RATIO)
		fs_binary_error(psprintf("Unknown kind %d.", kind));
	if (n < 0)
		fs_binary_error(psprintf("Negative facility count %d.", n));
	if (kind != FS_PLAIN)
	{
		const char *m = pq_getmsgbytes(buf, 5);
		int			len;
		const char *d;

		if (memcmp(m, "2sfca", 5) == 0)
			method = FCA_2SFCA;
		else if (memcmp(m, "3sfca", 5) == 0)
			method = FCA_3SFCA;
		else
			fs_binary_error("Unknown method.");
		d0 = pq_getmsgfloat8(buf);
		len = pq_getmsgint(buf, 4);
		if (len < 0 || len > HS_DECAY_MAXLEN || len > buf->len - buf->cursor)
			fs_binary_error("Bad decay length.");
		d = pq_getmsgbytes(buf, len);
		if (memchr(d, '\0', len) != NULL)
			fs_binary_error("NUL byte in the decay specification.");
		if (pg_encoding_verifymbstr(GetDatabaseEncoding(), d, len) != len)
			fs_binary_error("The decay specification is not valid text in the server encoding.");
		parse_decay(d, len, &dc);
	}
	per = 32 + (kind != FS_PLAIN ? 8 : 0);
	if ((Size) n * per != (Size) (buf->len - buf->cursor))
		fs_binary_error(psprintf("%d facilities need %zu bytes, %d remain.",
								 n, (Size) n * per, buf->len - buf->cursor));
	rows = palloc(Max(n, 1) * sizeof(FacRow));
	for (i = 0; i < n; i++)
	{
		rows[i].id = pq_getmsgint64(buf);
		rows[i].lon = pq_getmsgfloat8(buf);
		rows[i].lat = pq_getmsgfloat8(buf);
		rows[i].supply = pq_getmsgfloat8(buf);
		rows[i].value = kind != FS_PLAIN ? pq_getmsgfloat8(buf) : 0;
	}
	PG_RETURN_POINTER(fs_build(rows, n, kind, method, &dc, d0,
							   ERRCODE_INVALID_BINARY_REPRESENTATION));
}

Datum
facility_count(PG_FUNCTION_ARGS)
{
	FacilitySet *fs = fs_arg(fcinfo, 0);

	PG_RETURN_INT32(fs->nfac);
}

/* facility_entries(fs) → setof (id, lon, lat, supply, ratio) */
Datum
facility_entries(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FacilitySet *fs = fs_arg(fcinfo, 0);
	FsArrays	a;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	fs_arrays(fs, &a);
	for (i = 0; i < fs->nfac; i++)
	{
		Datum		values[5];
		bool		nulls[5] = {false, false, false, false, false};

		values[0] = Int64GetDatum(a.id[i]);
		values[1] = Float8GetDatum(a.lon[i]);
		values[2] = Float8GetDatum(a.lat[i]);
		values[3] = Float8GetDatum(a.supply[i]);
		if (fs->kind == FS_PLAIN)
			nulls[4] = true;
		else
			values[4] = Float8GetDatum(a.value[i]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

