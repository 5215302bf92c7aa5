/*-------------------------------------------------------------------------
 *
 * theil_decompose.c
 *	  The Theil decomposition into between- and within-group parts
 *	  (aggregate theil_decompose): the theil_decomposition_state type, the
 *	  Theil sums of every group in a small hash table, its text and binary
 *	  forms, and the final function.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "common/hashfn.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "equity.h"

PG_FUNCTION_INFO_V1(hs_theil_decomp_accum);
PG_FUNCTION_INFO_V1(hs_theil_decomp_combine);
PG_FUNCTION_INFO_V1(theil_decomposition_state_in);
PG_FUNCTION_INFO_V1(theil_decomposition_state_out);
PG_FUNCTION_INFO_V1(theil_decomposition_state_recv);
PG_FUNCTION_INFO_V1(theil_decomposition_state_send);
PG_FUNCTION_INFO_V1(hs_theil_decomp_final);

/* ------------------------------------------------------------------------
 * The state: the sums of every group in a small hash table
 * ------------------------------------------------------------------------
 */

#define THEIL_INDEX_UNSET	0
#define THEIL_INDEX_T		1
#define THEIL_INDEX_L		2

typedef struct TheilGroup
{
	char	   *key;
	int32		keylen;
	uint32		hash;
	TheilSums	sums;
} TheilGroup;

typedef struct TheilDecompState
{
	int32		index;			/* THEIL_INDEX_* */
	int32		ngroups;
	int32		cap;			/* groups allocated */
	int32		nslots;			/* hash slots, a power of 2 */
	int32	   *slots;			/* group number + 1, 0 = empty */
	int32		last;			/* group of the previous row, -1 = none */
	TheilGroup *groups;
	MemoryContext cxt;
} TheilDecompState;

#define THEIL_DECOMP_MAGIC	0x48535444	/* "HSTD" */
#define THEIL_MAX_GROUPS	(1 << 24)

static void
theil_decomp_init(TheilDecompState *st, MemoryContext cxt)
{
	memset(st, 0, sizeof(TheilDecompState));
	st->cxt = cxt;
	st->last = -1;
	st->cap = 8;
	st->groups = MemoryContextAllocZero(cxt, st->cap * sizeof(TheilGroup));
	st->nslots = 16;
	st->slots = MemoryContextAllocZero(cxt, st->nslots * sizeof(int32));
}

static void
theil_decomp_rehash(TheilDecompState *st)
{
	int32		i;

	st->nslots *= 2;
	pfree(st->slots);
	st->slots = MemoryContextAllocExtended(st->cxt, (Size) st->nslots * sizeof(int32),
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < st->ngroups; i++)
	{
		uint32		h = st->groups[i].hash & (st->nslots - 1);

		while (st->slots[h] != 0)
			h = (h + 1) & (st->nslots - 1);
		st->slots[h] = i + 1;
	}
}

/* the sums of group "key", created empty on first sight */
static double *
theil_decomp_group(TheilDecompState *st, const char *key, int32 keylen)
{
	uint32		hash;
	uint32		h;
	TheilGroup *g;

	if (st->last >= 0)
	{
		g = &st->groups[st->last];
		if (g->keylen == keylen && memcmp(g->key, key, keylen) == 0)
			return g->sums.s;
	}
	hash = hash_bytes((const unsigned char *) key, keylen);
	for (h = hash & (st->nslots - 1); st->slots[h] != 0; h = (h + 1) & (st->nslots - 1))
	{
		int32		gi = st->slots[h] - 1;

		g = &st->groups[gi];
		if (g->hash == hash && g->keylen == keylen && memcmp(g->key, key, keylen) == 0)
		{
			st->last = gi;
			return g->sums.s;
		}
	}
	if (st->ngroups >= THEIL_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("theil_decompose supports at most %d groups", THEIL_MAX_GROUPS)));
	if (st->ngroups == st->cap)
	{
		st->groups = repalloc_huge(st->groups, (Size) st->cap * 2 * sizeof(TheilGroup));
		memset(st->groups + st->cap, 0, st->cap * sizeof(TheilGroup));
		st->cap *= 2;
	}
	g = &st->groups[st->ngroups];
	g->key = MemoryContextAlloc(st->cxt, Max(keylen, 1));
	memcpy(g->key, key, keylen);
	g->keylen = keylen;
	g->hash = hash;
	memset(&g->sums, 0, sizeof(TheilSums));
	st->slots[h] = st->ngroups + 1;
	st->last = st->ngroups;
	st->ngroups++;
	if (st->ngroups * 2 > st->nslots)
		theil_decomp_rehash(st);
	return g->sums.s;
}

static const char *
theil_index_name(int32 index)
{
	return index == THEIL_INDEX_T ? "T" : "L";
}

/* "T" or "L", either case; anything else is an error naming it */
static int32
theil_parse_index(text *t)
{
	const char *p = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len == 1 && (p[0] == 'T' || p[0] == 't'))
		return THEIL_INDEX_T;
	if (len == 1 && (p[0] == 'L' || p[0] == 'l'))
		return THEIL_INDEX_L;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown Theil index \"%s\"", hs_excerpt_cstring(text_to_cstring(t))),
			 errhint("Use \"T\" (GE(1), weighted by resource share) or \"L\" (GE(0), mean log deviation, weighted by population share).")));
	return THEIL_INDEX_UNSET;	/* keep compiler quiet */
}

static void
theil_set_index(TheilDecompState *st, int32 index)
{
	if (st->index == THEIL_INDEX_UNSET)
		st->index = index;
	else if (index != THEIL_INDEX_UNSET && st->index != index)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Theil index changes from \"%s\" to \"%s\" within one theil_decompose",
						theil_index_name(st->index), theil_index_name(index)),
				 errdetail("The index must be the same for every row of a group.")));
}

/*
 * The theil_decomposition_state type.  Flat form (and binary send/recv,
 * which are the same bytes): in network byte order, magic, index, number of
 * groups, then per group the key length, the key and the THEIL_NSTATE sums.
 * During aggregation the state is a read-write expanded object holding the
 * hash table in a child context of the aggregate context.
 */
#define ETHEIL_MAGIC		0x48535445	/* "HSTE" */
#define THEIL_FLAT_HDR		12
#define THEIL_FLAT_GROUP(keylen)	(4 + (Size) (keylen) + THEIL_NSTATE * 8)

typedef struct ExpandedTheil
{
	HsAggState	hdr;
	TheilDecompState st;		/* in the state's context */
} ExpandedTheil;

HS_AGGSTATE_DEFINE(etheil, ETHEIL_MAGIC, "theil_decomposition_state", ExpandedTheil, false)

/* merge the groups of one state into st, checking the merged sums */
static void
theil_decomp_merge_group(TheilDecompState *st, const char *key, int32 keylen,
						 const double *sums)
{
	double	   *s = theil_decomp_group(st, key, keylen);

	theil_sums_merge(s, sums);
	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("merged Theil state is out of range")));
}

/*
 * Parse the flat bytes (len of them) and merge them into st.  Returns false
 * (having possibly merged a prefix) when the bytes are not a valid state.
 */
static bool
theil_flat_merge(TheilDecompState *st, const char *data, int len)
{
	StringInfoData buf;
	int32		index,
				ngroups,
				i;
	int			j;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	if (len < THEIL_FLAT_HDR || pq_getmsgint(&buf, 4) != THEIL_DECOMP_MAGIC)
		return false;
	index = pq_getmsgint(&buf, 4);
	ngroups = pq_getmsgint(&buf, 4);
	if (index < THEIL_INDEX_UNSET || index > THEIL_INDEX_L ||
		ngroups < 0 || ngroups > THEIL_MAX_GROUPS)
		return false;
	theil_set_index(st, index);
	for (i = 0; i < ngroups; i++)
	{
		int32		keylen;
		const char *key;
		TheilSums	sums;

		if (buf.len - buf.cursor < 4)
			return false;
		keylen = pq_getmsgint(&buf, 4);
		if (keylen < 0 || keylen > buf.len - buf.cursor ||
			buf.len - buf.cursor - keylen < THEIL_NSTATE * 8)
			return false;
		key = pq_getmsgbytes(&buf, keylen);
		/* a group key prints as text: no NUL, valid in the server encoding */
		if (memchr(key, '\0', keylen) != NULL ||
			pg_encoding_verifymbstr(GetDatabaseEncoding(), key, keylen) != keylen)
			return false;
		for (j = 0; j < THEIL_NSTATE; j++)
			sums.s[j] = pq_getmsgfloat8(&buf);
		if (!theil_sums_valid(sums.s))
			return false;
		theil_decomp_merge_group(st, key, keylen, sums.s);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return buf.cursor == buf.len;
}

/* merge a state datum (expanded or flat) into st */
static void
theil_merge_datum(TheilDecompState *st, Datum d)
{
	ExpandedTheil *other = etheil_from_datum(d);
	int32		i;
	bytea	   *b;

	if (other != NULL)
	{
		theil_set_index(st, other->st.index);
		for (i = 0; i < other->st.ngroups; i++)
		{
			TheilGroup *g = &other->st.groups[i];

			theil_decomp_merge_group(st, g->key, g->keylen, g->sums.s);
		}
		return;
	}
	b = DatumGetByteaPP(d);
	if (!theil_flat_merge(st, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted theil_decomposition_state value of %zu bytes",
						(Size) VARSIZE_ANY_EXHDR(b))));
}

static Size
etheil_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedTheil *e = (ExpandedTheil *) eohptr;
	Size		size = VARHDRSZ + THEIL_FLAT_HDR;
	int32		i;

	Assert(e->hdr.magic == ETHEIL_MAGIC);
	for (i = 0; i < e->st.ngroups; i++)
		size += THEIL_FLAT_GROUP(e->st.groups[i].keylen);
	hs_check_alloc_size(size, "theil_decomposition_state");
	return size;
}

static void
etheil_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedTheil *e = (ExpandedTheil *) eohptr;
	StringInfoData buf;
	int32		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, THEIL_DECOMP_MAGIC);
	pq_sendint32(&buf, e->st.index);
	pq_sendint32(&buf, e->st.ngroups);
	for (i = 0; i < e->st.ngroups; i++)
	{
		TheilGroup *g = &e->st.groups[i];

		pq_sendint32(&buf, g->keylen);
		pq_sendbytes(&buf, g->key, g->keylen);
		for (j = 0; j < THEIL_NSTATE; j++)
			pq_sendfloat8(&buf, g->sums.s[j]);
	}
	Assert((Size) buf.len == allocated_size);
	memcpy(result, buf.data, Min((Size) buf.len, allocated_size));
	SET_VARSIZE(result, allocated_size);
	pfree(buf.data);
}

static void
etheil_init(HsAggState *s, int64 hint)
{
	theil_decomp_init(&((ExpandedTheil *) s)->st, HS_AGGSTATE_CXT(s));
}

static void
etheil_merge(HsAggState *s, Datum d)
{
	theil_merge_datum(&((ExpandedTheil *) s)->st, d);
}

/*
 * theil_decompose(value, weight, grp [, index]).  Rows with a NULL value,
 * weight or group are skipped; the index must be given and be the same on
 * every row.
 */
Datum
hs_theil_decomp_accum(PG_FUNCTION_ARGS)
{
	ExpandedTheil *e;
	TheilDecompState *st;
	int32		index = THEIL_INDEX_L;
	double		y,
				w;
	text	   *grp;
	double	   *s;

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("Theil index must not be NULL"),
					 errhint("Use \"T\" or \"L\".")));
		index = theil_parse_index(PG_GETARG_TEXT_PP(4));
	}
	e = (ExpandedTheil *) hs_aggstate_arg(&etheil_type, fcinfo);
	st = &e->st;
	theil_set_index(st, index);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_DATUM(hs_aggstate_return(&e->hdr));

	y = check_row(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	w = PG_GETARG_FLOAT8(2);
	if (w > 0.0)
	{
		grp = PG_GETARG_TEXT_PP(3);
		s = theil_decomp_group(st, VARDATA_ANY(grp), VARSIZE_ANY_EXHDR(grp));
		theil_sums_add(s, y, w);
		check_sum_finite(s + TS_Y, "sum of value times weight");
		check_sum_finite(s + TS_W, "sum of weights");
		check_sum_finite(s + TS_A, "sum of weight times value times log value");
		check_sum_finite(s + TS_B, "sum of weight times log value");
	}
	PG_RETURN_DATUM(hs_aggstate_return(&e->hdr));
}

Datum
hs_theil_decomp_combine(PG_FUNCTION_ARGS)
{
	return hs_aggstate_combine(&etheil_type, fcinfo);
}

/*
 * Text form: the index (T, L, or - when no row set it) followed by
 * {"key":[s0,...,s9],...}; keys are quoted with \ before " and \, and the
 * sums are written with exact float8 digits.
 */
Datum
theil_decomposition_state_out(PG_FUNCTION_ARGS)
{
	TheilDecompState st;
	StringInfoData buf;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	int32		i,
				k;
	int			j;

	theil_decomp_init(&st, CurrentMemoryContext);
	if (!theil_flat_merge(&st, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted theil_decomposition_state value of %zu bytes",
						(Size) VARSIZE_ANY_EXHDR(b))));
	initStringInfo(&buf);
	appendStringInfoString(&buf, st.index == THEIL_INDEX_UNSET ? "-" : theil_index_name(st.index));
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < st.ngroups; i++)
	{
		TheilGroup *g = &st.groups[i];

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '"');
		for (k = 0; k < g->keylen; k++)
		{
			if (g->key[k] == '"' || g->key[k] == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, g->key[k]);
		}
		appendStringInfoString(&buf, "\":[");
		for (j = 0; j < THEIL_NSTATE; j++)
		{
			if (j > 0)
				appendStringInfoChar(&buf, ',');
			hs_append_float8(&buf, g->sums.s[j]);
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/* the flat form of a state built in st */
static bytea *
theil_flat_of(TheilDecompState *st)
{
	StringInfoData buf;
	int32		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, THEIL_DECOMP_MAGIC);
	pq_sendint32(&buf, st->index);
	pq_sendint32(&buf, st->ngroups);
	for (i = 0; i < st->ngroups; i++)
	{
		TheilGroup *g = &st->groups[i];

		pq_sendint32(&buf, g->keylen);
		pq_sendbytes(&buf, g->key, g->keylen);
		for (j = 0; j < THEIL_NSTATE; j++)
			pq_sendfloat8(&buf, g->sums.s[j]);
	}
	return pq_endtypsend(&buf);
}

Datum
theil_decomposition_state_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	TheilDecompState st;
	StringInfoData key;

	theil_decomp_init(&st, CurrentMemoryContext);
	initStringInfo(&key);
	hs_skip_space(&p);
	if (*p == 'T' || *p == 't')
		st.index = THEIL_INDEX_T;
	else if (*p == 'L' || *p == 'l')
		st.index = THEIL_INDEX_L;
	else if (*p != '-')
		hs_syntax_error("theil_decomposition_state", str, "The value must start with the index T, L or -.");
	p++;
	if (*p++ != '{')
		hs_syntax_error("theil_decomposition_state", str, "The index must be followed by {.");
	hs_skip_space(&p);
	while (*p != '}')
	{
		TheilSums	sums;
		int			j;

		if (*p++ != '"')
			hs_syntax_error("theil_decomposition_state", str, "A quoted group key was expected.");
		resetStringInfo(&key);
		while (*p != '"')
		{
			if (*p == '\\')
				p++;
			if (*p == '\0')
				hs_syntax_error("theil_decomposition_state", str, "Unterminated group key.");
			appendStringInfoChar(&key, *p++);
		}
		p++;
		if (*p++ != ':' || *p++ != '[')
			hs_syntax_error("theil_decomposition_state", str, "A group key must be followed by :[.");
		for (j = 0; j < THEIL_NSTATE; j++)
		{
			if (!hs_parse_float8(&p, &sums.s[j], false))
				hs_syntax_error("theil_decomposition_state", str, "A number was expected.");
			if (*p++ != (j == THEIL_NSTATE - 1 ? ']' : ','))
				hs_syntax_error("theil_decomposition_state", str, "A group has exactly 10 sums separated by , inside [].");
		}
		if (!theil_sums_valid(sums.s))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid sums for group \"%s\" in theil_decomposition_state", hs_excerpt(key.data, key.len)),
					 errdetail("Sums must be finite, counts and totals not negative.")));
		theil_decomp_merge_group(&st, key.data, key.len, sums.s);
		hs_skip_space(&p);
		if (*p == ',')
		{
			p++;
			hs_skip_space(&p);
			if (*p == '}')
				hs_syntax_error("theil_decomposition_state", str, "A group was expected after ,.");
		}
		else if (*p != '}')
			hs_syntax_error("theil_decomposition_state", str, "Groups must be separated by , and the value end with }.");
		CHECK_FOR_INTERRUPTS();
	}
	p++;
	hs_skip_space(&p);
	if (*p != '\0')
		hs_syntax_error("theil_decomposition_state", str, "Unexpected characters after the closing }.");
	PG_RETURN_BYTEA_P(theil_flat_of(&st));
}

/* binary form: the flat bytes, validated on input */
Datum
theil_decomposition_state_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_P_COPY(0);

	PG_RETURN_BYTEA_P(b);
}

Datum
theil_decomposition_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TheilDecompState st;
	int			len = buf->len - buf->cursor;

	theil_decomp_init(&st, CurrentMemoryContext);
	if (!theil_flat_merge(&st, buf->data + buf->cursor, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary theil_decomposition_state of %d bytes", len)));
	buf->cursor = buf->len;
	/* rebuilt, so duplicate keys are merged and the form is our own */
	PG_RETURN_BYTEA_P(theil_flat_of(&st));
}

/*
 * total, between and within for index T or L.  A part that is undefined
 * (T: no resource at all; L: a zero value in a group, or a group without
 * resource for the between part) is NULL.
 *
 * T = sum_g s_g T_g + sum_g s_g ln(mu_g / mu)		  s_g = Y_g / Y
 * L = sum_g p_g L_g + sum_g p_g ln(mu / mu_g)		  p_g = W_g / W
 * with mu = Y / W the mean value and mu_g = Y_g / W_g the group's mean.
 */
Datum
hs_theil_decomp_final(PG_FUNCTION_ARGS)
{
	ExpandedTheil *e;
	TheilDecompState *st;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	TheilSums	all;
	double		between[2] = {0.0, 0.0};
	double		within[2] = {0.0, 0.0};
	double		W,
				Y,
				mu,
				total;
	bool		between_ok = true;
	int32		i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	e = etheil_from_datum(PG_GETARG_DATUM(0));
	if (e != NULL)
		st = &e->st;
	else
	{
		st = palloc(sizeof(TheilDecompState));
		theil_decomp_init(st, CurrentMemoryContext);
		theil_merge_datum(st, PG_GETARG_DATUM(0));
	}
	memset(&all, 0, sizeof(all));
	for (i = 0; i < st->ngroups; i++)
		theil_sums_merge(all.s, st->groups[i].sums.s);
	if (all.s[TS_N] == 0.0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	W = ksum_total(all.s + TS_W);
	Y = ksum_total(all.s + TS_Y);
	if (!(W > 0.0) || !(Y > 0.0))
		nulls[0] = nulls[1] = nulls[2] = true;
	else if (st->index == THEIL_INDEX_T)
	{
		mu = Y / W;
		total = theil_t_of(all.s);
		for (i = 0; i < st->ngroups; i++)
		{
			const double *s = st->groups[i].sums.s;
			double		Wg = ksum_total(s + TS_W);
			double		Yg = ksum_total(s + TS_Y);
			double		share;

			if (!(Yg > 0.0))
				continue;		/* s_g = 0: contributes 0 ln 0 = 0 */
			share = Yg / Y;
			ksum_add(within, share * theil_t_of(s));
			ksum_add(between, share * log((Yg / Wg) / mu));
		}
		values[0] = Float8GetDatum(Max(total, 0.0));
		values[1] = Float8GetDatum(Max(ksum_total(between), 0.0));
		values[2] = Float8GetDatum(Max(ksum_total(within), 0.0));
	}
	else
	{
		mu = Y / W;
		for (i = 0; i < st->ngroups; i++)
		{
			const double *s = st->groups[i].sums.s;
			double		Wg = ksum_total(s + TS_W);
			double		Yg = ksum_total(s + TS_Y);
			double		share = Wg / W;

			if (!(Yg > 0.0))
			{
				between_ok = false;
				continue;
			}
			ksum_add(between, share * log(mu / (Yg / Wg)));
			if (s[TS_Z] == 0.0)
				ksum_add(within, share * theil_l_of(s));
		}
		if (all.s[TS_Z] > 0.0)
			nulls[0] = nulls[2] = true;
		else
		{
			total = theil_l_of(all.s);
			values[0] = Float8GetDatum(Max(total, 0.0));
			values[2] = Float8GetDatum(Max(ksum_total(within), 0.0));
		}
		if (between_ok)
			values[1] = Float8GetDatum(Max(ksum_total(between), 0.0));
		else
			nulls[1] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

