/*-------------------------------------------------------------------------
 *
 * planning.c
 *	  Planning: where new facilities would serve the most people, and which
 *	  lead hospital each unit of a grid should belong to.
 *
 *	  site_select		maximal covering location (Church & ReVelle 1974):
 *						the k candidates that, added to the existing
 *						facilities, cover the most population within a radius
 *	  site_select_median p-median (Hakimi 1964): the k candidates that, with
 *						the existing facilities, minimise the population-
 *						weighted distance to the nearest open site
 *	  site_select_costs	maximal covering over an origin-destination cost
 *						table (travel times) instead of distances
 *	  grid_design		every unit to one lead hospital: nearest, or the
 *						capacitated single-source assignment of least
 *						population-weighted distance
 *
 *	  Heuristics: greedy with lazy evaluation (the covered population, and the
 *	  p-median's savings, are submodular), then Teitz & Bart (1968) vertex
 *	  substitution (best swap of one chosen site for one candidate, repeated
 *	  while it improves), with Whitaker's (1983) fast interchange for the
 *	  p-median.  grid_design: regret greedy, Lagrangian and randomised
 *	  starts, each improved by shift, swap and chain moves, then an iterated
 *	  local search (kicks, repair, threshold acceptance) on small instances.
 *	  All results are deterministic: the demand points are sorted before any
 *	  sum, ties go to the smaller id; the randomised steps use a fixed hash.
 *
 *	  The state of site_select and site_select_median is a site_select_state
 *	  (a real SQL type): the parameters, the candidate and existing
 *	  facility_sets and the demand points (lon, lat, pop).  While aggregating
 *	  it is a read-write expanded object in a child of the aggregate context;
 *	  it is flattened only when it leaves the node.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "common/hashfn.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "common.h"
#include "facility_set.h"

#define PLAN_COVER	0
#define PLAN_MEDIAN 1

#define SS_VERSION	1
#define SS_MAGIC	0x48535353		/* "HSSS" */

PG_FUNCTION_INFO_V1(site_state_in);
PG_FUNCTION_INFO_V1(site_state_out);
PG_FUNCTION_INFO_V1(site_state_recv);
PG_FUNCTION_INFO_V1(site_state_send);
PG_FUNCTION_INFO_V1(site_select_accum);
PG_FUNCTION_INFO_V1(site_median_accum);
PG_FUNCTION_INFO_V1(site_select_combine);
PG_FUNCTION_INFO_V1(site_select_final);
PG_FUNCTION_INFO_V1(site_select_costs);
PG_FUNCTION_INFO_V1(grid_design);

/* a demand point */
typedef struct SitePoint
{
	double		lon;
	double		lat;
	double		pop;
} SitePoint;

/*
 * The flat site_select_state:
 *		SiteState header (40 bytes)
 *		candidates		a facility_set, padded to MAXALIGN
 *		existing		a facility_set (exist_size 0: none), padded
 *		SitePoint		points[npoints]
 */
typedef struct SiteState
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;
	uint8		objective;		/* PLAN_COVER or PLAN_MEDIAN */
	uint16		reserved;
	int32		k;
	int32		npoints;
	int32		reserved2;
	double		radius;			/* PLAN_COVER; 0 for PLAN_MEDIAN */
	uint32		cand_size;
	uint32		exist_size;
} SiteState;

StaticAssertDecl(sizeof(SiteState) == 40, "site_select_state header is 40 bytes");

/* the parameters and sets of a state, flat or expanded */
typedef struct SiteView
{
	int			objective;
	int			k;
	double		radius;
	FacilitySet *cand;
	FacilitySet *exist;			/* NULL: none */
	int			n;
	SitePoint  *pts;
} SiteView;

/* which facility_set datum was last checked equal to the stored one */
typedef struct SetKey
{
	Pointer		ptr;			/* an in-line value at this address */
	int			len;			/* a toast pointer: its bytes */
	char		bytes[32];
} SetKey;

typedef struct ExpandedSiteState
{
	ExpandedObjectHeader hdr;
	uint32		magic;
	SiteView	v;				/* v.pts has cap slots */
	int			cap;
	SetKey		cand_key;
	SetKey		exist_key;
} ExpandedSiteState;

static void
site_check_params(int objective, int k, double radius, int ncand)
{
	if (k < 1)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k %d is not a positive number of sites", k)));
	if (k > ncand)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("k %d is larger than the number of candidates (%d)", k, ncand)));
	if (objective == PLAN_COVER && (!isfinite(radius) || radius <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radius %g is not a positive finite number", radius)));
}

static int64 *sorted_ids(const int64 *ids, int n, const char *what);

/* the parameters, and the sets: plain facility_sets, candidate ids unique */
static void
site_check_view(const SiteView *v)
{
	FsArrays	a;

	if (v->cand->kind != FS_PLAIN || (v->exist && v->exist->kind != FS_PLAIN))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site_select needs plain facility_sets, not results of fca_demand")));
	site_check_params(v->objective, v->k, v->radius, v->cand->nfac);
	fs_arrays(v->cand, &a);
	pfree(sorted_ids(a.id, v->cand->nfac, "candidate"));
}

static int
int64_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* the ids of a set, sorted; error on a duplicate */
static int64 *
sorted_ids(const int64 *ids, int n, const char *what)
{
	int64	   *s = palloc(Max(n, 1) * sizeof(int64));
	int			i;

	memcpy(s, ids, n * sizeof(int64));
	qsort(s, n, sizeof(int64), int64_cmp);
	for (i = 1; i < n; i++)
		if (s[i] == s[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s id %lld appears twice", what, (long long) s[i])));
	return s;
}

static void
check_pop(double pop, const char *what)
{
	if (!isfinite(pop) || pop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not a non-negative finite number", what, pop)));
}

/* ------------------------------------------------------------------------
 * the flat state
 * ------------------------------------------------------------------------
 */

static Size
site_flat_size(const SiteView *v)
{
	return sizeof(SiteState) + MAXALIGN(VARSIZE(v->cand)) +
		(v->exist ? MAXALIGN(VARSIZE(v->exist)) : 0) +
		(Size) v->n * sizeof(SitePoint);
}

static void
site_flatten(const SiteView *v, SiteState *st, Size size)
{
	char	   *p = (char *) st + sizeof(SiteState);

	memset(st, 0, size);
	SET_VARSIZE(st, size);
	st->version = SS_VERSION;
	st->objective = v->objective;
	st->k = v->k;
	st->npoints = v->n;
	st->radius = v->radius;
	st->cand_size = VARSIZE(v->cand);
	memcpy(p, v->cand, VARSIZE(v->cand));
	p += MAXALIGN(VARSIZE(v->cand));
	if (v->exist)
	{
		st->exist_size = VARSIZE(v->exist);
		memcpy(p, v->exist, VARSIZE(v->exist));
		p += MAXALIGN(VARSIZE(v->exist));
	}
	memcpy(p, v->pts, (Size) v->n * sizeof(SitePoint));
}

/* view a flat state, checking its structure */
static void
site_view_flat(SiteState *st, SiteView *v)
{
	char	   *p = (char *) st + sizeof(SiteState);
	Size		size = VARSIZE(st);
	Size		need;

	if (size < sizeof(SiteState) || st->version != SS_VERSION ||
		st->objective > PLAN_MEDIAN || st->npoints < 0 ||
		st->cand_size < sizeof(FacilitySet) ||
		(st->exist_size != 0 && st->exist_size < sizeof(FacilitySet)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted site_select_state value")));
	need = sizeof(SiteState) + MAXALIGN((Size) st->cand_size) +
		MAXALIGN((Size) st->exist_size) + (Size) st->npoints * sizeof(SitePoint);
	if (need != size)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted site_select_state value")));
	v->objective = st->objective;
	v->k = st->k;
	v->radius = st->radius;
	v->cand = (FacilitySet *) p;
	p += MAXALIGN(st->cand_size);
	if (VARSIZE(v->cand) != st->cand_size)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted site_select_state value")));
	fs_check_header(v->cand);
	v->exist = NULL;
	if (st->exist_size != 0)
	{
		v->exist = (FacilitySet *) p;
		p += MAXALIGN(st->exist_size);
		if (VARSIZE(v->exist) != st->exist_size)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupted site_select_state value")));
		fs_check_header(v->exist);
	}
	v->n = st->npoints;
	v->pts = (SitePoint *) p;
	site_check_params(v->objective, v->k, v->radius, v->cand->nfac);
}

/* ------------------------------------------------------------------------
 * the expanded state
 * ------------------------------------------------------------------------
 */

static Size ess_get_flat_size(ExpandedObjectHeader *eohptr);
static void ess_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							 Size allocated_size);

static const ExpandedObjectMethods ess_methods = {
	ess_get_flat_size,
	ess_flatten_into
};

static Size
ess_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) eohptr;

	Assert(ess->magic == SS_MAGIC);
	return site_flat_size(&ess->v);
}

static void
ess_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) eohptr;

	Assert(allocated_size == site_flat_size(&ess->v));
	site_flatten(&ess->v, (SiteState *) result, allocated_size);
}

static inline ExpandedSiteState *
ess_from_datum(Datum d)
{
	ExpandedSiteState *ess;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	ess = (ExpandedSiteState *) DatumGetEOHP(d);
	if (ess->magic != SS_MAGIC)
		elog(ERROR, "expanded object is not a site_select_state");
	return ess;
}

/* the view of a state datum, expanded or flat */
static void
site_view_datum(Datum d, SiteView *v)
{
	ExpandedSiteState *ess = ess_from_datum(d);

	if (ess != NULL)
		*v = ess->v;
	else
		site_view_flat((SiteState *) PG_DETOAST_DATUM(d), v);
}

/* a new expanded state holding copies of v's sets and no point */
static ExpandedSiteState *
ess_create(MemoryContext parent, const SiteView *v)
{
	MemoryContext cxt;
	ExpandedSiteState *ess;

	cxt = AllocSetContextCreate(parent, "site_select_state", ALLOCSET_DEFAULT_SIZES);
	ess = (ExpandedSiteState *) MemoryContextAllocZero(cxt, sizeof(ExpandedSiteState));
	EOH_init_header(&ess->hdr, &ess_methods, cxt);
	ess->magic = SS_MAGIC;
	ess->v = *v;
	ess->v.cand = MemoryContextAlloc(cxt, VARSIZE(v->cand));
	memcpy(ess->v.cand, v->cand, VARSIZE(v->cand));
	if (v->exist)
	{
		ess->v.exist = MemoryContextAlloc(cxt, VARSIZE(v->exist));
		memcpy(ess->v.exist, v->exist, VARSIZE(v->exist));
	}
	ess->v.n = 0;
	ess->cap = 256;
	ess->v.pts = MemoryContextAllocExtended(cxt, ess->cap * sizeof(SitePoint), MCXT_ALLOC_HUGE);
	return ess;
}

static void
ess_append(ExpandedSiteState *ess, const SitePoint *pts, int n)
{
	if (n > ess->cap - ess->v.n)
	{
		int64		cap = ess->cap;

		if ((int64) ess->v.n + n > (int64) (MaxAllocHugeSize / sizeof(SitePoint)) ||
			(int64) ess->v.n + n > PG_INT32_MAX)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("site_select holds at most %d demand points", PG_INT32_MAX)));
		while (cap - ess->v.n < n)
			cap *= 2;
		cap = Min(cap, PG_INT32_MAX);
		ess->v.pts = repalloc_huge(ess->v.pts, (Size) cap * sizeof(SitePoint));
		ess->cap = (int) cap;
	}
	memcpy(ess->v.pts + ess->v.n, pts, (Size) n * sizeof(SitePoint));
	ess->v.n += n;
}

static bool
same_sets(const FacilitySet *a, const FacilitySet *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return VARSIZE(a) == VARSIZE(b) && a->hash == b->hash &&
		memcmp(a, b, VARSIZE(a)) == 0;
}

static void
site_check_same(const SiteView *a, const SiteView *b)
{
	if (a->objective != b->objective || a->k != b->k || a->radius != b->radius)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site_select parameters differ between rows of a group (k %d, radius %g, then k %d, radius %g)",
						a->k, a->radius, b->k, b->radius)));
	if (!same_sets(a->cand, b->cand))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site_select needs the same candidates in every row of a group")));
	if (!same_sets(a->exist, b->exist))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site_select needs the same existing facilities in every row of a group")));
}

/*
 * Is the facility_set datum d the set stored?  Cheap when it is the datum
 * checked last time: the same toast pointer, or the same in-line value at
 * the same address with the same size and hash.
 */
static bool
arg_is_stored(SetKey *key, const FacilitySet *stored, Datum d)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(d);
	FacilitySet *fs;
	bool		same;

	if (VARATT_IS_EXTERNAL_ONDISK(raw))
	{
		Size		sz = VARSIZE_EXTERNAL(raw);

		if (key->len == (int) sz && memcmp(key->bytes, raw, sz) == 0)
			return true;
		fs = (FacilitySet *) PG_DETOAST_DATUM(d);
		same = same_sets(fs, stored);
		if (same && sz <= sizeof(key->bytes))
		{
			memcpy(key->bytes, raw, sz);
			key->len = (int) sz;
		}
		pfree(fs);
		return same;
	}
	if (VARATT_IS_4B_U(raw) && VARSIZE(raw) >= sizeof(FacilitySet))
	{
		fs = (FacilitySet *) raw;
		if (VARSIZE(fs) != VARSIZE(stored) || fs->hash != stored->hash)
			return false;
		if (key->ptr == (Pointer) raw)
			return true;
		same = memcmp(fs, stored, VARSIZE(fs)) == 0;
		if (same)
			key->ptr = (Pointer) raw;
		return same;
	}
	fs = (FacilitySet *) PG_DETOAST_DATUM(d);
	same = same_sets(fs, stored);
	if ((Pointer) fs != (Pointer) raw)
		pfree(fs);
	return same;
}

/* the facility_set argument argno, detoasted and checked; NULL if NULL */
static FacilitySet *
fs_argument(FunctionCallInfo fcinfo, int argno)
{
	FacilitySet *fs;

	if (PG_ARGISNULL(argno))
		return NULL;
	fs = (FacilitySet *) PG_DETOAST_DATUM(PG_GETARG_DATUM(argno));
	fs_check_header(fs);
	return fs;
}

/*
 * The state to update: a read-write expanded state of this aggregate is
 * updated in place; otherwise a new expanded object in a child of the
 * aggregate context (which the executor adopts) gets v's sets, and the
 * points of state datum "from" when it is not NULL.
 */
static ExpandedSiteState *
ess_state(FunctionCallInfo fcinfo, const char *fname, const SiteView *v)
{
	MemoryContext aggcxt;
	ExpandedSiteState *ess;
	SiteView	old;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s can only run inside its aggregate", fname)));
	if (!PG_ARGISNULL(0) && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		ess = ess_from_datum(PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(ess->hdr.eoh_context) == aggcxt)
			return ess;
	}
	if (PG_ARGISNULL(0))
		return ess_create(aggcxt, v);
	site_view_datum(PG_GETARG_DATUM(0), &old);
	ess = ess_create(aggcxt, &old);
	ess_append(ess, old.pts, old.n);
	return ess;
}

/*
 * site_select_accum(state, candidates, lon, lat, pop, radius, k [, existing])
 * site_median_accum(state, candidates, lon, lat, pop, k [, existing])
 */
static Datum
site_accum(FunctionCallInfo fcinfo, int objective)
{
	int			kpos = objective == PLAN_COVER ? 6 : 5;
	int			epos = kpos + 1;
	int			i;
	SitePoint	pt;
	SiteView	v;
	ExpandedSiteState *ess;

	for (i = 1; i <= kpos; i++)
		if (PG_ARGISNULL(i))
		{
			if (PG_ARGISNULL(0))
				PG_RETURN_NULL();
			PG_RETURN_DATUM(PG_GETARG_DATUM(0));
		}
	pt.lon = PG_GETARG_FLOAT8(2);
	pt.lat = PG_GETARG_FLOAT8(3);
	pt.pop = PG_GETARG_FLOAT8(4);
	hs_check_coordinate(pt.lon, pt.lat);
	check_pop(pt.pop, "population");
	pt.pop += 0.0;				/* -0 becomes +0 */
	memset(&v, 0, sizeof(v));
	v.objective = objective;
	v.radius = objective == PLAN_COVER ? PG_GETARG_FLOAT8(5) : 0;
	v.k = PG_GETARG_INT32(kpos);

	if (PG_ARGISNULL(0))
	{
		/* the first row: check the parameters and the sets once */
		v.cand = fs_argument(fcinfo, 1);
		v.exist = PG_NARGS() > epos ? fs_argument(fcinfo, epos) : NULL;
		site_check_view(&v);
		ess = ess_state(fcinfo, objective == PLAN_COVER ? "site_select_accum" : "site_median_accum", &v);
	}
	else
	{
		ess = ess_state(fcinfo, objective == PLAN_COVER ? "site_select_accum" : "site_median_accum", &v);
		if (ess->v.k != v.k || ess->v.radius != v.radius || ess->v.objective != objective)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("site_select parameters differ between rows of a group (k %d, radius %g, then k %d, radius %g)",
							ess->v.k, ess->v.radius, v.k, v.radius)));
		if (!arg_is_stored(&ess->cand_key, ess->v.cand, PG_GETARG_DATUM(1)))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("site_select needs the same candidates in every row of a group")));
		if (PG_NARGS() > epos && !PG_ARGISNULL(epos) ?
			(ess->v.exist == NULL ||
			 !arg_is_stored(&ess->exist_key, ess->v.exist, PG_GETARG_DATUM(epos))) :
			ess->v.exist != NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("site_select needs the same existing facilities in every row of a group")));
	}
	ess_append(ess, &pt, 1);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ess->hdr));
}

Datum
site_select_accum(PG_FUNCTION_ARGS)
{
	return site_accum(fcinfo, PLAN_COVER);
}

Datum
site_median_accum(PG_FUNCTION_ARGS)
{
	return site_accum(fcinfo, PLAN_MEDIAN);
}

Datum
site_select_combine(PG_FUNCTION_ARGS)
{
	ExpandedSiteState *ess;
	SiteView	b;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	site_view_datum(PG_GETARG_DATUM(1), &b);
	ess = ess_state(fcinfo, "site_select_combine", &b);
	if (!PG_ARGISNULL(0) || ess->v.n > 0)
		site_check_same(&ess->v, &b);
	ess_append(ess, b.pts, b.n);
	PG_RETURN_DATUM(EOHPGetRWDatum(&ess->hdr));
}

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

static void
ss_text_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type site_select_state: \"%s\"", hs_excerpt_cstring(str)),
			 errdetail("%s", detail)));
}

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

static double
ss_number(const char *s, const char *str, const char *what)
{
	char	   *end;
	double		v;

	while (isspace((unsigned char) *s))
		s++;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || !isfinite(v) || (errno == ERANGE && v == 0.0))
		ss_text_error(str, psprintf("%s must be a finite number.", what));
	while (isspace((unsigned char) *end))
		end++;
	if (*end != '\0')
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
	SiteView	v;
	double		kd;
	int			cap = 64;
	SiteState  *st;
	Size		size;

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
	f = ss_field(&p, "existing=", str);
	while (isspace((unsigned char) *f))
		f++;
	if (*f != '\0')
		v.exist = (FacilitySet *) DatumGetPointer(DirectFunctionCall1(facility_set_in, CStringGetDatum(f)));
	site_check_view(&v);
	f = ss_field(&p, "points=", str);
	if (p != NULL)
		ss_text_error(str, "Unexpected fields after points.");
	v.pts = palloc(cap * sizeof(SitePoint));
	while (isspace((unsigned char) *f))
		f++;
	if (*f++ != '{')
		ss_text_error(str, "The points are written {(lon,lat,pop),...}.");
	while (isspace((unsigned char) *f))
		f++;
	if (*f == '}')
		f++;
	else
	{
		for (;;)
		{
			double		vals[3];
			int			c;

			while (isspace((unsigned char) *f))
				f++;
			if (*f++ != '(')
				ss_text_error(str, "Each point is written (lon,lat,pop).");
			for (c = 0; c < 3; c++)
			{
				char	   *end;

				errno = 0;
				vals[c] = strtod(f, &end);
				if (end == f || !isfinite(vals[c]) || (errno == ERANGE && vals[c] == 0.0))
					ss_text_error(str, "Each point is written (lon,lat,pop) with finite numbers.");
				f = end;
				while (isspace((unsigned char) *f))
					f++;
				if (*f++ != (c < 2 ? ',' : ')'))
					ss_text_error(str, "Each point is written (lon,lat,pop).");
			}
			hs_check_coordinate(vals[0], vals[1]);
			check_pop(vals[2], "population");
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
			while (isspace((unsigned char) *f))
				f++;
			if (*f == ',')
			{
				f++;
				continue;
			}
			if (*f++ != '}')
				ss_text_error(str, "Points are separated by commas and closed by }.");
			break;
		}
	}
	while (isspace((unsigned char) *f))
		f++;
	if (*f != '\0')
		ss_text_error(str, "Unexpected characters after the closing }.");
	size = site_flat_size(&v);
	hs_check_alloc_size(size, "site_select_state");
	st = palloc_extended(size, MCXT_ALLOC_HUGE);
	site_flatten(&v, st, size);
	PG_RETURN_POINTER(st);
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

static void
ss_binary_error(const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
			 errmsg("invalid binary site_select_state: %s", detail)));
}

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
	SiteState  *st;
	Size		size;
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
		check_pop(v.pts[i].pop, "population");
		v.pts[i].pop += 0.0;
	}
	size = site_flat_size(&v);
	hs_check_alloc_size(size, "site_select_state");
	st = palloc_extended(size, MCXT_ALLOC_HUGE);
	site_flatten(&v, st, size);
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------------------
 * maximal covering: greedy with lazy evaluation, then swaps
 *
 * The problem: npts demand points with weights pop[], m candidates (ranks
 * 0..m-1 in id order; a lower rank wins a tie), cover[] the candidates
 * within reach of each point (CSR: pstart[i] .. pstart[i+1]).
 * ------------------------------------------------------------------------
 */

typedef struct CoverProblem
{
	int			npts;
	int			m;
	int			k;
	double	   *pop;
	int64	   *pstart;			/* npts + 1 */
	int		   *pcand;
	/* built by cover_solve: the points of each candidate */
	int64	   *cstart;			/* m + 1 */
	int		   *cpt;
} CoverProblem;

/* a max-heap of (gain, rank): larger gain first, then smaller rank */
typedef struct HeapItem
{
	double		gain;
	int			j;
} HeapItem;

static inline bool
heap_before(const HeapItem *a, const HeapItem *b)
{
	return a->gain > b->gain || (a->gain == b->gain && a->j < b->j);
}

static void
heap_sift_down(HeapItem *h, int n, int i)
{
	for (;;)
	{
		int			l = 2 * i + 1,
					r = l + 1,
					best = i;
		HeapItem	t;

		if (l < n && heap_before(&h[l], &h[best]))
			best = l;
		if (r < n && heap_before(&h[r], &h[best]))
			best = r;
		if (best == i)
			return;
		t = h[i];
		h[i] = h[best];
		h[best] = t;
		i = best;
	}
}

/*
 * Greedy with lazy evaluation (Minoux 1978): a stale gain is an upper bound
 * of the current one (the covered population is submodular), so the top of
 * the heap, re-evaluated, is the best choice when it still comes first.
 * "gain" computes the current gain of rank j; "take" adds it.
 */
typedef double (*GainFn) (void *arg, int j);
typedef void (*TakeFn) (void *arg, int j);

static void
lazy_greedy(int m, int k, const bool *skip, const double *initial,
			GainFn gain, TakeFn take, void *arg, int *chosen)
{
	HeapItem   *h = palloc(Max(m, 1) * sizeof(HeapItem));
	int			n = 0,
				t,
				j;

	for (j = 0; j < m; j++)
		if (!skip[j])
		{
			h[n].gain = initial[j];
			h[n].j = j;
			n++;
		}
	for (j = n / 2 - 1; j >= 0; j--)
		heap_sift_down(h, n, j);
	for (t = 0; t < k && n > 0;)
	{
		HeapItem	top = h[0];

		CHECK_FOR_INTERRUPTS();
		top.gain = gain(arg, top.j);
		h[0] = h[--n];
		heap_sift_down(h, n, 0);
		if (n == 0 || heap_before(&top, &h[0]))
		{
			take(arg, top.j);
			chosen[t++] = top.j;
		}
		else
		{
			/* back in, with its current gain */
			int			i = n++;

			h[i] = top;
			while (i > 0 && heap_before(&h[i], &h[(i - 1) / 2]))
			{
				HeapItem	x = h[i];

				h[i] = h[(i - 1) / 2];
				h[(i - 1) / 2] = x;
				i = (i - 1) / 2;
			}
		}
	}
	pfree(h);
}

typedef struct CoverRun
{
	CoverProblem *p;
	int		   *cnt;			/* chosen sites covering each point */
	bool	   *flag;			/* points only the site being removed covers */
} CoverRun;

static double
cover_gain(void *arg, int j)
{
	CoverRun   *r = (CoverRun *) arg;
	CoverProblem *p = r->p;
	double		g = 0;
	int64		x;

	for (x = p->cstart[j]; x < p->cstart[j + 1]; x++)
	{
		int			i = p->cpt[x];

		if (r->cnt[i] == 0 || r->flag[i])
			g += p->pop[i];
	}
	return g;
}

static void
cover_take(void *arg, int j)
{
	CoverRun   *r = (CoverRun *) arg;
	int64		x;

	for (x = r->p->cstart[j]; x < r->p->cstart[j + 1]; x++)
		r->cnt[r->p->cpt[x]]++;
}

static void
cover_drop(CoverRun *r, int j)
{
	int64		x;

	for (x = r->p->cstart[j]; x < r->p->cstart[j + 1]; x++)
		r->cnt[r->p->cpt[x]]--;
}

/* the transpose of the point -> candidate lists */
static void
cover_transpose(CoverProblem *p)
{
	int64		nnz = p->pstart[p->npts];
	int64	   *fill;
	int64		x;
	int			i,
				j;

	p->cstart = palloc0((p->m + 1) * sizeof(int64));
	p->cpt = palloc_extended(Max(nnz, 1) * sizeof(int), MCXT_ALLOC_HUGE);
	for (x = 0; x < nnz; x++)
		p->cstart[p->pcand[x] + 1]++;
	for (j = 0; j < p->m; j++)
		p->cstart[j + 1] += p->cstart[j];
	fill = palloc((p->m + 1) * sizeof(int64));
	memcpy(fill, p->cstart, (p->m + 1) * sizeof(int64));
	/* points in increasing order within each candidate: sums in one order */
	for (i = 0; i < p->npts; i++)
		for (x = p->pstart[i]; x < p->pstart[i + 1]; x++)
			p->cpt[fill[p->pcand[x]]++] = i;
	pfree(fill);
}

/*
 * How many starts the local search gets: the greedy solution, then greedy
 * solutions whose first site is forced to each candidate in turn (best
 * first), as long as starts × work stays within a budget of about 10^8
 * elementary steps.
 */
static int
n_starts(int m, double work)
{
	double		r = 1e8 / Max(work, 1.0);

	return (int) Max(1.0, Min((double) m, r));
}

/* greedy (first site forced when forced >= 0), then swaps; the coverage */
static double
cover_run(CoverProblem *p, CoverRun *r, const double *initial, int forced,
		  bool *in, int *chosen)
{
	double		total = 0,
				covered = 0,
				tol;
	int			i,
				j,
				t;

	memset(r->cnt, 0, Max(p->npts, 1) * sizeof(int));
	memset(in, 0, Max(p->m, 1) * sizeof(bool));
	t = 0;
	if (forced >= 0)
	{
		cover_take(r, forced);
		in[forced] = true;
		chosen[t++] = forced;
	}
	lazy_greedy(p->m, p->k - t, in, initial, cover_gain, cover_take, r, chosen + t);
	for (t = 0; t < p->k; t++)
		in[chosen[t]] = true;
	for (i = 0; i < p->npts; i++)
		total += p->pop[i];

	/*
	 * Teitz-Bart: the best swap (remove chosen[t], add j) while it gains
	 * more than rounding could explain.
	 */
	tol = total * 1e-12;
	for (;;)
	{
		double		best = tol;
		int			bt = -1,
					bj = -1;

		for (t = 0; t < p->k; t++)
		{
			int			c = chosen[t];
			double		loss = 0;
			int64		x;

			for (x = p->cstart[c]; x < p->cstart[c + 1]; x++)
			{
				i = p->cpt[x];
				if (r->cnt[i] == 1)
				{
					r->flag[i] = true;
					loss += p->pop[i];
				}
			}
			for (j = 0; j < p->m; j++)
			{
				double		d;

				if (in[j])
					continue;
				d = cover_gain(r, j) - loss;
				if (d > best)
				{
					best = d;
					bt = t;
					bj = j;
				}
			}
			for (x = p->cstart[c]; x < p->cstart[c + 1]; x++)
				r->flag[p->cpt[x]] = false;
			CHECK_FOR_INTERRUPTS();
		}
		if (bt < 0)
			break;
		cover_drop(r, chosen[bt]);
		in[chosen[bt]] = false;
		cover_take(r, bj);
		in[bj] = true;
		chosen[bt] = bj;
	}
	for (i = 0; i < p->npts; i++)
		if (r->cnt[i] > 0)
			covered += p->pop[i];
	return covered;
}

/* the k ranks chosen, in chosen[]: the best of the starts */
static void
cover_solve(CoverProblem *p, int *chosen)
{
	CoverRun	r;
	double	   *initial = palloc0(Max(p->m, 1) * sizeof(double));
	bool	   *in = palloc0(Max(p->m, 1) * sizeof(bool));
	int		   *cur = palloc(p->k * sizeof(int));
	HeapItem   *order = palloc(Max(p->m, 1) * sizeof(HeapItem));
	double		best,
				total = 0;
	int			i,
				j,
				s,
				starts;

	cover_transpose(p);
	r.p = p;
	r.cnt = palloc0(Max(p->npts, 1) * sizeof(int));
	r.flag = palloc0(Max(p->npts, 1) * sizeof(bool));
	for (i = 0; i < p->npts; i++)
		total += p->pop[i];
	for (j = 0; j < p->m; j++)
	{
		initial[j] = cover_gain(&r, j);
		order[j].gain = initial[j];
		order[j].j = j;
	}
	best = cover_run(p, &r, initial, -1, in, chosen);
	starts = n_starts(p->m, (double) p->k * (p->cstart[p->m] + p->m) * 4);
	if (starts > 1)
	{
		/* forced first sites, best initial gain first (the heap's order) */
		for (j = p->m / 2 - 1; j >= 0; j--)
			heap_sift_down(order, p->m, j);
		for (s = 0, i = p->m; s < starts && i > 0; s++)
		{
			HeapItem	top = order[0];
			double		v;

			order[0] = order[--i];
			heap_sift_down(order, i, 0);
			v = cover_run(p, &r, initial, top.j, in, cur);
			if (v > best + total * 1e-12)
			{
				best = v;
				memcpy(chosen, cur, p->k * sizeof(int));
			}
		}
	}
}

/* ------------------------------------------------------------------------
 * p-median: greedy, then Whitaker's fast interchange
 * ------------------------------------------------------------------------
 */

typedef struct MedianRun
{
	int			npts;
	int			m;
	const double *pop;
	const double *pxyz;			/* unit vectors of the points */
	const double *cxyz;			/* of the candidates, in rank order */
	double	   *d1;				/* distance to the nearest open site */
	double	   *d2;				/* to the second nearest (existing counted once) */
	int		   *c1;				/* the nearest: a rank, -1 existing, -2 none */
	const double *e;			/* distance to the nearest existing; +inf none */
} MedianRun;

/* great-circle distance from the chord between two unit vectors */
static inline double
chord_distance(const double *a, const double *b)
{
	double		dx = a[0] - b[0],
				dy = a[1] - b[1],
				dz = a[2] - b[2];
	double		h = 0.5 * sqrt(dx * dx + dy * dy + dz * dz);

	return 2.0 * HS_EARTH_RADIUS * asin(h > 1.0 ? 1.0 : h);
}

/* savings of opening rank j: Σ pop·max(0, d1 − d) */
static double
median_gain(void *arg, int j)
{
	MedianRun  *r = (MedianRun *) arg;
	const double *c = r->cxyz + 3 * j;
	double		g = 0;
	int			i;

	for (i = 0; i < r->npts; i++)
	{
		double		d = chord_distance(r->pxyz + 3 * i, c);

		if (d < r->d1[i])
			g += r->pop[i] * (r->d1[i] - d);
	}
	return g;
}

static void
median_take(void *arg, int j)
{
	MedianRun  *r = (MedianRun *) arg;
	const double *c = r->cxyz + 3 * j;
	int			i;

	for (i = 0; i < r->npts; i++)
	{
		double		d = chord_distance(r->pxyz + 3 * i, c);

		if (d < r->d1[i])
		{
			r->d2[i] = r->d1[i];
			r->d1[i] = d;
			r->c1[i] = j;
		}
		else if (d < r->d2[i])
			r->d2[i] = d;
	}
}

/* d1, d2, c1 from scratch for the open ranks chosen[0..k) */
static void
median_assign(MedianRun *r, const int *chosen, int k)
{
	int			i,
				t;

	for (i = 0; i < r->npts; i++)
	{
		r->d1[i] = r->e[i];
		r->c1[i] = isinf(r->e[i]) ? -2 : -1;
		r->d2[i] = get_float8_infinity();
	}
	for (t = 0; t < k; t++)
		median_take(r, chosen[t]);
}

static double
median_cost(MedianRun *r)
{
	double		total = 0;
	int			i;

	for (i = 0; i < r->npts; i++)
		total += r->pop[i] * r->d1[i];
	return total;
}

/*
 * Greedy from the first site "first" (or from the existing facilities
 * when first < 0), then fast interchange; the total weighted distance.
 */
static double
median_run(MedianRun *r, int k, int first, bool *in, double *initial,
		   double *extra, int *slot, int *chosen)
{
	int			i,
				j,
				t,
				start = 0;

	memset(in, 0, Max(r->m, 1) * sizeof(bool));
	median_assign(r, chosen, 0);
	if (first >= 0)
	{
		median_take(r, first);
		chosen[0] = first;
		in[first] = true;
		start = 1;
	}
	for (j = 0; j < r->m; j++)
		initial[j] = in[j] ? 0 : median_gain(r, j);
	lazy_greedy(r->m, k - start, in, initial, median_gain, median_take, r, chosen + start);
	for (t = 0; t < k; t++)
		in[chosen[t]] = true;

	/*
	 * Fast interchange (Whitaker 1983): for each closed j, the change of
	 * swapping it in for each open site at once; the best swap is applied
	 * while it saves more than rounding could explain.
	 */
	for (;;)
	{
		double		best = -median_cost(r) * 1e-12;
		int			bt = -1,
					bj = -1;

		for (t = 0; t < r->m; t++)
			slot[t] = -1;
		for (t = 0; t < k; t++)
			slot[chosen[t]] = t;
		for (j = 0; j < r->m; j++)
		{
			const double *c = r->cxyz + 3 * j;
			double		common = 0;

			if (in[j])
				continue;
			for (t = 0; t < k; t++)
				extra[t] = 0;
			for (i = 0; i < r->npts; i++)
			{
				double		d = chord_distance(r->pxyz + 3 * i, c);
				double		w = r->pop[i];

				if (d < r->d1[i])
					common += w * (d - r->d1[i]);
				if (r->c1[i] >= 0)
				{
					/* closing the nearest: min(d, d2) instead of min(d, d1) */
					double		with = d < r->d2[i] ? d : r->d2[i];
					double		without = d < r->d1[i] ? d : r->d1[i];

					extra[slot[r->c1[i]]] += w * (with - without);
				}
			}
			for (t = 0; t < k; t++)
			{
				double		delta = common + extra[t];

				if (delta < best)
				{
					best = delta;
					bt = t;
					bj = j;
				}
			}
			CHECK_FOR_INTERRUPTS();
		}
		if (bt < 0)
			break;
		in[chosen[bt]] = false;
		in[bj] = true;
		chosen[bt] = bj;
		median_assign(r, chosen, k);
	}
	return median_cost(r);
}

static void
median_solve(MedianRun *r, int k, int *chosen)
{
	bool	   *in = palloc0(Max(r->m, 1) * sizeof(bool));
	double	   *initial = palloc(Max(r->m, 1) * sizeof(double));
	double	   *extra = palloc(Max(k, 1) * sizeof(double));
	int		   *slot = palloc(Max(r->m, 1) * sizeof(int));
	int		   *cur = palloc(k * sizeof(int));
	HeapItem   *order = palloc(Max(r->m, 1) * sizeof(HeapItem));
	double		best;
	int			i,
				j,
				s,
				starts;
	bool		unserved = false;

	/* each candidate alone: its total weighted distance (with the existing) */
	median_assign(r, chosen, 0);
	for (i = 0; i < r->npts; i++)
		if (isinf(r->d1[i]))
			unserved = true;
	for (j = 0; j < r->m; j++)
	{
		const double *c = r->cxyz + 3 * j;
		double		cost = 0;

		for (i = 0; i < r->npts; i++)
		{
			double		d = chord_distance(r->pxyz + 3 * i, c);

			cost += r->pop[i] * (d < r->d1[i] ? d : r->d1[i]);
		}
		order[j].gain = -cost;
		order[j].j = j;
		CHECK_FOR_INTERRUPTS();
	}
	for (j = r->m / 2 - 1; j >= 0; j--)
		heap_sift_down(order, r->m, j);

	/*
	 * Starts: the greedy solution (from the best single site when nothing
	 * exists yet), then greedy solutions from each next best single site.
	 */
	best = median_run(r, k, unserved ? order[0].j : -1, in, initial, extra, slot, chosen);
	starts = n_starts(r->m, (double) r->npts * r->m * (k + 2));
	for (s = 1, i = r->m; s < starts && i > 0; s++)
	{
		HeapItem	top = order[0];
		double		v;

		order[0] = order[--i];
		heap_sift_down(order, i, 0);
		if (s == 1 && unserved)
			continue;			/* the greedy start above */
		v = median_run(r, k, top.j, in, initial, extra, slot, cur);
		if (v < best - best * 1e-12)
		{
			best = v;
			memcpy(chosen, cur, k * sizeof(int));
		}
	}
}

/* ------------------------------------------------------------------------
 * site_select_final
 * ------------------------------------------------------------------------
 */

static int
sitepoint_cmp(const void *a, const void *b)
{
	const SitePoint *x = (const SitePoint *) a;
	const SitePoint *y = (const SitePoint *) b;

	if (x->lon != y->lon)
		return x->lon < y->lon ? -1 : 1;
	if (x->lat != y->lat)
		return x->lat < y->lat ? -1 : 1;
	if (x->pop != y->pop)
		return x->pop < y->pop ? -1 : 1;
	return 0;
}

/* the chosen ranks as a sorted int8[] of ids */
static ArrayType *
ids_array(const int64 *rank_id, const int *chosen, int k)
{
	Datum	   *d = palloc(k * sizeof(Datum));
	int64	   *ids = palloc(k * sizeof(int64));
	int			t;

	for (t = 0; t < k; t++)
		ids[t] = rank_id[chosen[t]];
	qsort(ids, k, sizeof(int64), int64_cmp);
	for (t = 0; t < k; t++)
		d[t] = Int64GetDatum(ids[t]);
	return construct_array(d, k, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* tree position -> rank in id order (ids are unique) */
static int *
fs_ranks(FsIndex *ix, int64 **rank_id)
{
	int			n = ix->n;
	int		   *rank = palloc(Max(n, 1) * sizeof(int));
	int64	   *ids = sorted_ids(ix->a.id, n, "candidate");
	int			c;

	for (c = 0; c < n; c++)
	{
		int64	   *hit = bsearch(&ix->a.id[c], ids, n, sizeof(int64), int64_cmp);

		rank[c] = (int) (hit - ids);
	}
	*rank_id = ids;
	return rank;
}

static FsIndex *
index_of(FacilitySet *fs)
{
	FsIndex    *ix = palloc0(sizeof(FsIndex));

	fs_index_fill(ix, fs, CurrentMemoryContext);
	return ix;
}

Datum
site_select_final(PG_FUNCTION_ARGS)
{
	SiteView	v;
	SitePoint  *pts;
	FsIndex    *cix,
			   *eix = NULL;
	int		   *rank;
	int64	   *rank_id;
	int		   *chosen;
	int			n = 0,
				i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	site_view_datum(PG_GETARG_DATUM(0), &v);
	if (v.n == 0)
		PG_RETURN_NULL();

	/* the points with population, in a canonical order */
	pts = palloc_extended((Size) v.n * sizeof(SitePoint), MCXT_ALLOC_HUGE);
	for (i = 0; i < v.n; i++)
		if (v.pts[i].pop > 0)
			pts[n++] = v.pts[i];
	qsort(pts, n, sizeof(SitePoint), sitepoint_cmp);

	cix = index_of(v.cand);
	rank = fs_ranks(cix, &rank_id);
	if (v.exist != NULL && v.exist->nfac > 0)
		eix = index_of(v.exist);
	chosen = palloc(v.k * sizeof(int));

	if (v.objective == PLAN_COVER)
	{
		CoverProblem p;
		int			np = 0;
		int64		nnz = 0,
					cap = Max(n, 64);

		p.m = cix->n;
		p.k = v.k;
		p.pop = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
		p.pstart = palloc_extended(((Size) n + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
		p.pcand = palloc_extended(cap * sizeof(int), MCXT_ALLOC_HUGE);
		p.pstart[0] = 0;
		for (i = 0; i < n; i++)
		{
			double		latr = pts[i].lat * DEG2RAD,
						lonr = pts[i].lon * DEG2RAD;
			int			c,
						nc;

			if ((i & 1023) == 0)
				CHECK_FOR_INTERRUPTS();
			/* covered already by an existing facility: no candidate adds it */
			if (eix != NULL && fs_within(eix, CurrentMemoryContext, latr, lonr, v.radius, 1) > 0)
				continue;
			nc = fs_within(cix, CurrentMemoryContext, latr, lonr, v.radius, 0);
			if (nc == 0)
				continue;
			if (nnz + nc > cap)
			{
				while (nnz + nc > cap)
					cap *= 2;
				if ((Size) cap * sizeof(int) > MaxAllocHugeSize)
					ereport(ERROR,
							(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
							 errmsg("too many point-candidate pairs within radius %g", v.radius)));
				p.pcand = repalloc_huge(p.pcand, cap * sizeof(int));
			}
			for (c = 0; c < nc; c++)
				p.pcand[nnz++] = rank[cix->cand[c]];
			p.pop[np] = pts[i].pop;
			p.pstart[++np] = nnz;
		}
		p.npts = np;
		cover_solve(&p, chosen);
	}
	else
	{
		MedianRun	r;
		double	   *pxyz = palloc_extended(Max((Size) n, 1) * 3 * sizeof(double), MCXT_ALLOC_HUGE);
		double	   *cxyz = palloc(Max(cix->n, 1) * 3 * sizeof(double));
		double	   *e = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
		double	   *pop = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
		int			c;

		for (c = 0; c < cix->n; c++)
			memcpy(cxyz + 3 * rank[c], cix->xyz + 3 * c, 3 * sizeof(double));
		for (i = 0; i < n; i++)
		{
			double		latr = pts[i].lat * DEG2RAD,
						lonr = pts[i].lon * DEG2RAD;

			unit_vector(latr, lonr, pxyz + 3 * i);
			pop[i] = pts[i].pop;
			e[i] = get_float8_infinity();
			if (eix != NULL)
			{
				int			x = fs_nearest(eix, latr, lonr);

				e[i] = chord_distance(pxyz + 3 * i, eix->xyz + 3 * x);
			}
		}
		r.npts = n;
		r.m = cix->n;
		r.pop = pop;
		r.pxyz = pxyz;
		r.cxyz = cxyz;
		r.e = e;
		r.d1 = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
		r.d2 = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
		r.c1 = palloc_extended(Max((Size) n, 1) * sizeof(int), MCXT_ALLOC_HUGE);
		median_solve(&r, v.k, chosen);
	}
	PG_RETURN_ARRAYTYPE_P(ids_array(rank_id, chosen, v.k));
}

/* ------------------------------------------------------------------------
 * reading a caller's query (site_select_costs, grid_design)
 *
 * The query text is the caller's own: it is prepared and run read-only
 * with SPI under the caller's privileges, never combined with other text.
 * ------------------------------------------------------------------------
 */

typedef void (*RowFn) (void *arg, HeapTuple tup, TupleDesc desc);

static void
read_query(const char *sql, int natts, const char *what, const char *hint,
		   RowFn row, void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	Portal		portal;
	SPIPlanPtr	plan;

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("cannot prepare the %s: %s", what, SPI_result_code_string(SPI_result))));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		uint64		t;

		SPI_cursor_fetch(portal, true, 10000);
		if (SPI_processed == 0)
			break;
		if (SPI_tuptable->tupdesc->natts != natts)
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the %s returns %d columns, not %d", what, SPI_tuptable->tupdesc->natts, natts),
					 errhint("%s", hint)));
		for (t = 0; t < SPI_processed; t++)
		{
			MemoryContext old = MemoryContextSwitchTo(cxt);

			row(arg, SPI_tuptable->vals[t], SPI_tuptable->tupdesc);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
}

/* a growing array of fixed-size items */
typedef struct Vec
{
	char	   *data;
	Size		n;
	Size		cap;
	Size		item;
} Vec;

static void
vec_init(Vec *v, Size item)
{
	v->item = item;
	v->n = 0;
	v->cap = 1024;
	v->data = palloc_extended(v->cap * item, MCXT_ALLOC_HUGE);
}

static void *
vec_push(Vec *v)
{
	if (v->n >= v->cap)
	{
		if (v->cap * 2 * v->item > MaxAllocHugeSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many rows")));
		v->cap *= 2;
		v->data = repalloc_huge(v->data, v->cap * v->item);
	}
	return v->data + (v->n++) * v->item;
}

/* ------------------------------------------------------------------------
 * site_select_costs(costs_sql, radius, k, existing int8[])
 * ------------------------------------------------------------------------
 */

typedef struct CostRow
{
	int64		pop_id;
	double		pop;
	int64		site_id;
	bool		has_site;		/* site_id not NULL */
	bool		reach;			/* a site within the radius */
} CostRow;

typedef struct CostRead
{
	Vec			rows;
	double		radius;
} CostRead;

static void
cost_row(void *arg, HeapTuple tup, TupleDesc desc)
{
	CostRead   *cr = (CostRead *) arg;
	bool		n1,
				n2,
				n3,
				n4;
	int64		pid = spi_id(tup, desc, 1, &n1, "pop_id", "cost query");
	double		pop = spi_number(tup, desc, 2, &n2, "pop", "cost query");
	int64		sid = spi_id(tup, desc, 3, &n3, "site_id", "cost query");
	double		cost = spi_number(tup, desc, 4, &n4, "cost", "cost query");
	CostRow    *r;

	if (n1 || n2)
		return;
	check_pop(pop, "population");
	if (!n4 && (isnan(cost) || cost < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost %g is negative or NaN", cost)));
	r = vec_push(&cr->rows);
	r->pop_id = pid;
	r->pop = pop + 0.0;
	r->has_site = !n3;
	r->site_id = n3 ? 0 : sid;
	r->reach = !n3 && !n4 && cost <= cr->radius;
}

static int
costrow_cmp(const void *a, const void *b)
{
	const CostRow *x = (const CostRow *) a;
	const CostRow *y = (const CostRow *) b;

	if (x->pop_id != y->pop_id)
		return x->pop_id < y->pop_id ? -1 : 1;
	if (x->site_id != y->site_id)
		return x->site_id < y->site_id ? -1 : 1;
	return 0;
}

Datum
site_select_costs(PG_FUNCTION_ARGS)
{
	char	   *sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	double		radius = PG_GETARG_FLOAT8(1);
	int			k = PG_GETARG_INT32(2);
	ArrayType  *ex = PG_GETARG_ARRAYTYPE_P(3);
	int64	   *exist;
	int			nexist;
	CostRead	cr;
	CostRow    *rows;
	Size		nr,
				x;
	int64	   *sites;
	int			m = 0;
	CoverProblem p;
	int		   *chosen;
	int64		nnz = 0;

	if (!isfinite(radius) || radius <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radius %g is not a positive finite number", radius)));
	if (k < 1)
		site_check_params(PLAN_COVER, k, radius, 0);
	if (ARR_NDIM(ex) > 1 || array_contains_nulls(ex))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("existing must be a one-dimensional array of site ids without NULLs")));
	{
		Datum	   *d;
		int			i;

		deconstruct_array(ex, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &d, NULL, &nexist);
		exist = palloc(Max(nexist, 1) * sizeof(int64));
		for (i = 0; i < nexist; i++)
			exist[i] = DatumGetInt64(d[i]);
		qsort(exist, nexist, sizeof(int64), int64_cmp);
	}

	cr.radius = radius;
	vec_init(&cr.rows, sizeof(CostRow));
	read_query(sql, 4, "cost query", "Return pop_id, pop, site_id, cost.", cost_row, &cr);
	rows = (CostRow *) cr.rows.data;
	nr = cr.rows.n;
	qsort(rows, nr, sizeof(CostRow), costrow_cmp);

	/* the candidate sites: every site id that is not an existing one */
	sites = palloc_extended(Max(nr, 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	{
		Size		ns = 0;

		for (x = 0; x < nr; x++)
			if (rows[x].has_site &&
				bsearch(&rows[x].site_id, exist, nexist, sizeof(int64), int64_cmp) == NULL)
				sites[ns++] = rows[x].site_id;
		qsort(sites, ns, sizeof(int64), int64_cmp);
		for (x = 0; x < ns; x++)
			if (m == 0 || sites[m - 1] != sites[x])
				sites[m++] = sites[x];
	}
	site_check_params(PLAN_COVER, k, radius, m);

	p.m = m;
	p.k = k;
	p.npts = 0;
	p.pop = palloc_extended(Max(nr, 1) * sizeof(double), MCXT_ALLOC_HUGE);
	p.pstart = palloc_extended((nr + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	p.pcand = palloc_extended(Max(nr, 1) * sizeof(int), MCXT_ALLOC_HUGE);
	p.pstart[0] = 0;
	for (x = 0; x < nr;)
	{
		Size		y;
		bool		covered = false;
		int64		start = nnz;

		for (y = x; y < nr && rows[y].pop_id == rows[x].pop_id; y++)
		{
			if (rows[y].pop != rows[x].pop)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("population %lld has two different values, %g and %g",
								(long long) rows[x].pop_id, rows[x].pop, rows[y].pop),
						 errdetail("Every row of the same population must carry the same amount.")));
			if (!rows[y].reach)
				continue;
			if (bsearch(&rows[y].site_id, exist, nexist, sizeof(int64), int64_cmp) != NULL)
				covered = true;
			else
			{
				int64	   *hit = bsearch(&rows[y].site_id, sites, m, sizeof(int64), int64_cmp);
				int			j = (int) (hit - sites);

				/* the rows are in site order: a repeated site is adjacent */
				if (nnz == start || p.pcand[nnz - 1] != j)
					p.pcand[nnz++] = j;
			}
		}
		if (covered || rows[x].pop == 0 || nnz == start)
			nnz = start;
		else
		{
			p.pop[p.npts] = rows[x].pop;
			p.pstart[++p.npts] = nnz;
		}
		x = y;
	}
	chosen = palloc(k * sizeof(int));
	cover_solve(&p, chosen);
	PG_RETURN_ARRAYTYPE_P(ids_array(sites, chosen, k));
}

/* ------------------------------------------------------------------------
 * grid_design(units_sql, hospitals, capacity_per_supply)
 * ------------------------------------------------------------------------
 */

typedef struct Unit
{
	int64		id;
	double		lon;
	double		lat;
	double		pop;
} Unit;

static void
unit_row(void *arg, HeapTuple tup, TupleDesc desc)
{
	Vec		   *v = (Vec *) arg;
	bool		n1,
				n2,
				n3,
				n4;
	int64		id = spi_id(tup, desc, 1, &n1, "id", "units query");
	double		lon = spi_number(tup, desc, 2, &n2, "lon", "units query");
	double		lat = spi_number(tup, desc, 3, &n3, "lat", "units query");
	double		pop = spi_number(tup, desc, 4, &n4, "pop", "units query");
	Unit	   *u;

	if (n1)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("a unit of the units query has a NULL id")));
	if (n2 || n3)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit %lld has no coordinates", (long long) id),
				 errhint("Every unit needs lon and lat to be assigned to a hospital.")));
	if (n4)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("unit %lld has no population", (long long) id)));
	hs_check_coordinate(lon, lat);
	if (!isfinite(pop) || pop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unit %lld has population %g, not a non-negative finite number",
						(long long) id, pop)));
	u = vec_push(v);
	u->id = id;
	u->lon = lon;
	u->lat = lat;
	u->pop = pop + 0.0;
}

static int
unit_cmp(const void *a, const void *b)
{
	int64		x = ((const Unit *) a)->id,
				y = ((const Unit *) b)->id;

	return x < y ? -1 : x > y;
}

typedef struct Design
{
	int			n;				/* units */
	int			h;				/* hospitals, in id order */
	const double *pop;
	double	   *dist;			/* n × h */
	int		   *order;			/* n × h: each unit's hospitals, nearest first */
	double	   *res;			/* residual capacity */
	int		   *at;				/* the hospital of each unit, -1 none */
} Design;

/*
 * The iterated local search's budget: ILS_WORK / units² kicks (a kick's
 * moves cost about units² / hospitals), at most ILS_MAX: 20,000 for 200
 * units, none at province size (40,000 units).  A kick's result is kept
 * when it is at most ILS_ACCEPT (relative) worse than the current one.
 */
#define ILS_MAX 20000
#define ILS_ACCEPT 5e-4
#define ILS_WORK 8e8
#define DIST(g, i, b) ((g)->dist[(Size) (i) * (g)->h + (b)])

static void
design_move(Design *g, int i, int b)
{
	if (g->at[i] >= 0)
		g->res[g->at[i]] += g->pop[i];
	g->at[i] = b;
	g->res[b] -= g->pop[i];
}

/* the units of each hospital: members[mstart[b] .. mstart[b + 1]) */
static void
design_members(Design *g, int *members, int *mstart)
{
	int		   *fill = palloc((g->h + 1) * sizeof(int));
	int			i,
				b;

	memset(mstart, 0, (g->h + 1) * sizeof(int));
	for (i = 0; i < g->n; i++)
		mstart[g->at[i] + 1]++;
	for (b = 0; b < g->h; b++)
		mstart[b + 1] += mstart[b];
	memcpy(fill, mstart, (g->h + 1) * sizeof(int));
	for (i = 0; i < g->n; i++)
		members[fill[g->at[i]]++] = i;
	pfree(fill);
}

static double
design_cost(Design *g)
{
	double		total = 0;
	int			i;

	for (i = 0; i < g->n; i++)
		total += g->pop[i] * DIST(g, i, g->at[i]);
	return total;
}

/*
 * Ejection chains of length two: unit i moves to a nearer hospital b that
 * has no room for it, one unit j of b moves on to the nearest hospital c
 * with room for it.  The best chain for each i is applied when it lowers
 * the total; true when one was.
 */
static bool
design_chains(Design *g, const int *members, const int *mstart)
{
	bool		improved = false;
	int			i,
				x;

	for (i = 0; i < g->n; i++)
	{
		int			a = g->at[i];
		double		w = g->pop[i];
		double		best = -1e-9 * w;
		int			bb = -1,
					bj = -1,
					bc = -1;

		if ((i & 63) == 0)
			CHECK_FOR_INTERRUPTS();
		for (x = 0; x < g->h; x++)
		{
			int			b = g->order[(Size) i * g->h + x];
			int			y;

			if (b == a || DIST(g, i, b) >= DIST(g, i, a))
				break;
			for (y = mstart[b]; y < mstart[b + 1]; y++)
			{
				int			j = members[y];
				double		wj = g->pop[j];
				double		gain_i = w * (DIST(g, i, b) - DIST(g, i, a));
				int			z;

				if (g->at[j] != b || g->res[b] + wj < w)
					continue;
				/* j to the nearest hospital other than b with room for it */
				for (z = 0; z < g->h; z++)
				{
					int			c = g->order[(Size) j * g->h + z];
					double		room = c == a ? g->res[a] + w : g->res[c];
					double		delta;

					if (c == b || room < wj)
						continue;
					delta = gain_i + wj * (DIST(g, j, c) - DIST(g, j, b));
					if (delta < best)
					{
						best = delta;
						bb = b;
						bj = j;
						bc = c;
					}
					break;
				}
			}
		}
		if (bb >= 0)
		{
			design_move(g, i, bb);
			design_move(g, bj, bc);
			improved = true;
		}
	}
	return improved;
}

/*
 * Shift and swap moves, each applied when it lowers the population-
 * weighted distance without exceeding a capacity, until none does; then
 * ejection chains (when n² is at most 10^8), and shifts and swaps again.
 */
static void
design_improve(Design *g, int *members, int *mstart)
{
	bool		improved = true;
	bool		chains = (double) g->n * g->n <= 1e8;
	int			i,
				x,
				b;

	while (improved)
	{
		improved = false;
		for (i = 0; i < g->n; i++)
		{
			int			a = g->at[i];
			double		w = g->pop[i];

			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
			/* shift: the nearest hospital with room that is nearer */
			for (x = 0; x < g->h; x++)
			{
				b = g->order[(Size) i * g->h + x];
				if (b == a || DIST(g, i, b) >= DIST(g, i, a))
					break;
				if (g->res[b] >= w)
				{
					design_move(g, i, b);
					improved = true;
					break;
				}
			}
			if (g->at[i] != a)
				continue;
			/* swap: i to a nearer hospital b, one unit j of b to a */
			for (x = 0; x < g->h && g->at[i] == a; x++)
			{
				int			y;
				double		best = 0;
				int			bj = -1;

				b = g->order[(Size) i * g->h + x];
				if (b == a || DIST(g, i, b) >= DIST(g, i, a))
					break;
				for (y = mstart[b]; y < mstart[b + 1]; y++)
				{
					int			j = members[y];
					double		wj = g->pop[j];
					double		delta;

					if (g->at[j] != b || g->res[a] + w - wj < 0 || g->res[b] + wj - w < 0)
						continue;
					delta = w * (DIST(g, i, b) - DIST(g, i, a)) + wj * (DIST(g, j, a) - DIST(g, j, b));
					if (delta < best - 1e-9 * (w + wj))
					{
						best = delta;
						bj = j;
					}
				}
				if (bj >= 0)
				{
					g->res[a] += w - g->pop[bj];
					g->res[b] += g->pop[bj] - w;
					g->at[i] = b;
					g->at[bj] = a;
					improved = true;
				}
			}
		}
		if (!improved && chains)
			improved = design_chains(g, members, mstart);
		/* the member lists follow the moves */
		if (improved)
			design_members(g, members, mstart);
	}
}

/* hospitals by distance from one unit (arg: its row of distances), then by id */
static int
hosp_cmp(const void *a, const void *b, void *arg)
{
	const double *row = (const double *) arg;
	int			x = *(const int *) a,
				y = *(const int *) b;

	if (row[x] != row[y])
		return row[x] < row[y] ? -1 : 1;
	return x - y;
}

typedef struct RegretItem
{
	double		regret;
	double		pop;
	int			i;
} RegretItem;

static int
regret_cmp(const void *a, const void *b)
{
	const RegretItem *x = (const RegretItem *) a;
	const RegretItem *y = (const RegretItem *) b;

	if (x->regret != y->regret)
		return x->regret > y->regret ? -1 : 1;
	if (x->pop != y->pop)
		return x->pop > y->pop ? -1 : 1;
	return x->i - y->i;
}

/*
 * Regret greedy: units in decreasing order of pop × (second nearest −
 * nearest), each to the nearest hospital with room; the units that fit
 * nowhere then go, largest first, to the hospital with the most room left.
 * Returns false when some unit still fits nowhere.
 */
static bool
design_greedy(Design *g, int start)
{
	RegretItem *it = palloc(Max(g->n, 1) * sizeof(RegretItem));
	int		   *left = palloc(Max(g->n, 1) * sizeof(int));
	int			nleft = 0,
				i,
				x;

	for (i = 0; i < g->n; i++)
	{
		const int  *o = g->order + (Size) i * g->h;

		it[i].i = i;
		it[i].pop = g->pop[i];
		it[i].regret = g->h > 1 ? g->pop[i] * (DIST(g, i, o[1]) - DIST(g, i, o[0])) : 0;
		if (start > 0)
		{
			/* later starts: the regret scaled by a pseudo-random 0.5 .. 1.5 */
			uint32		x = hash_combine((uint32) start * 2654435761U, (uint32) i);

			x = hash_bytes_uint32(x);
			it[i].regret *= 0.5 + (x & 0xffff) / 65536.0;
		}
	}
	qsort(it, g->n, sizeof(RegretItem), regret_cmp);
	for (x = 0; x < g->n; x++)
	{
		int			y;

		i = it[x].i;
		g->at[i] = -1;
		for (y = 0; y < g->h; y++)
		{
			int			b = g->order[(Size) i * g->h + y];

			if (g->res[b] >= g->pop[i])
			{
				design_move(g, i, b);
				break;
			}
		}
		if (g->at[i] < 0)
			left[nleft++] = i;
	}
	for (x = 0; x < nleft; x++)
	{
		int			b,
					bb = 0;

		i = left[x];
		for (b = 1; b < g->h; b++)
			if (g->res[b] > g->res[bb])
				bb = b;
		if (g->res[bb] < g->pop[i])
			return false;
		design_move(g, i, bb);
	}
	return true;
}

/* first-fit decreasing by population, ignoring distance */
static bool
design_pack(Design *g)
{
	RegretItem *it = palloc(Max(g->n, 1) * sizeof(RegretItem));
	int			i,
				x,
				b;

	for (i = 0; i < g->n; i++)
	{
		it[i].i = i;
		it[i].pop = g->pop[i];
		it[i].regret = g->pop[i];
		g->at[i] = -1;
	}
	qsort(it, g->n, sizeof(RegretItem), regret_cmp);
	for (x = 0; x < g->n; x++)
	{
		int			bb = -1;

		i = it[x].i;
		/* the hospital with the least room that still holds the unit */
		for (b = 0; b < g->h; b++)
			if (g->res[b] >= g->pop[i] && (bb < 0 || g->res[b] < g->res[bb]))
				bb = b;
		if (bb < 0)
			return false;
		design_move(g, i, bb);
	}
	return true;
}

/*
 * Repair an assignment that may exceed capacities (g->res may be negative):
 * while a hospital is over, the unit of it whose move to the nearest
 * hospital with room costs least per person moves there.  False when some
 * hospital stays over.
 */
static bool
design_repair(Design *g, int *members, int *mstart)
{
	int			b;

	design_members(g, members, mstart);
	for (b = 0; b < g->h; b++)
	{
		while (g->res[b] < 0)
		{
			double		bestd = get_float8_infinity();
			int			bi = -1,
						bk = -1,
						y;

			for (y = mstart[b]; y < mstart[b + 1]; y++)
			{
				int			i = members[y];
				int			z;

				if (g->at[i] != b)
					continue;
				for (z = 0; z < g->h; z++)
				{
					int			k = g->order[(Size) i * g->h + z];

					if (k == b || g->res[k] < g->pop[i])
						continue;
					if (DIST(g, i, k) - DIST(g, i, b) < bestd)
					{
						bestd = DIST(g, i, k) - DIST(g, i, b);
						bi = i;
						bk = k;
					}
					break;
				}
			}
			if (bi < 0)
				return false;
			design_move(g, bi, bk);
		}
	}
	return true;
}

/*
 * Lagrangian starts: with multipliers λ on the capacities, every unit goes
 * to the hospital of least d + λ; the multipliers follow the subgradient
 * (load − capacity) with Polyak's step toward the best total found; each
 * relaxed assignment, repaired and improved by the moves, is a start.  At
 * most "iters" iterations.
 */
static void
design_lagrange(Design *g, const double *cap, int *members, int *mstart,
				int iters, double *best, int *best_at)
{
	double	   *lambda = palloc0(g->h * sizeof(double));
	double	   *load = palloc(g->h * sizeof(double));
	double		theta = 2.0,
				lbest = -get_float8_infinity();
	int			it,
				stall = 0,
				i,
				b;

	for (it = 0; it < iters; it++)
	{
		double		lval = 0,
					norm = 0,
					v;

		CHECK_FOR_INTERRUPTS();
		memset(load, 0, g->h * sizeof(double));
		for (i = 0; i < g->n; i++)
		{
			int			bb = 0;

			for (b = 1; b < g->h; b++)
				if (DIST(g, i, b) + lambda[b] < DIST(g, i, bb) + lambda[bb])
					bb = b;
			g->at[i] = bb;
			load[bb] += g->pop[i];
			lval += g->pop[i] * (DIST(g, i, bb) + lambda[bb]);
		}
		for (b = 0; b < g->h; b++)
		{
			double		sg = load[b] - cap[b];

			lval -= lambda[b] * cap[b];
			if (sg > 0 || lambda[b] > 0)
				norm += sg * sg;
			g->res[b] = cap[b] - load[b];
		}
		if (lval > lbest + 1e-12 * fabs(lbest))
		{
			lbest = lval;
			stall = 0;
		}
		else if (++stall >= 5)
		{
			theta /= 2;
			stall = 0;
		}
		if (design_repair(g, members, mstart))
		{
			design_members(g, members, mstart);
			design_improve(g, members, mstart);
			v = design_cost(g);
			if (v < *best - 1e-12 * *best)
			{
				*best = v;
				memcpy(best_at, g->at, (Size) g->n * sizeof(int));
			}
		}
		if (norm == 0 || *best - lval <= 1e-9 * *best)
			break;				/* feasible relaxation or no gap left */
		for (b = 0; b < g->h; b++)
		{
			lambda[b] += theta * (*best - lval) / norm * (load[b] - cap[b]) / 1.0;
			if (lambda[b] < 0)
				lambda[b] = 0;
		}
	}
}

/* the residual capacities of the assignment g->at */
static void
design_residuals(Design *g, const double *cap)
{
	int			i;

	memcpy(g->res, cap, g->h * sizeof(double));
	for (i = 0; i < g->n; i++)
		g->res[g->at[i]] -= g->pop[i];
}

/*
 * Iterated local search: from the current assignment (at first the best
 * one), a kick moves a few pseudo-randomly chosen units to another of their
 * nearest hospitals regardless of room; the result is repaired and improved
 * by the moves, and becomes the current assignment when it is at most
 * ILS_ACCEPT worse (threshold accepting, Dueck & Scheuer 1990).
 * After 200 kicks without a new best the walk returns to the best.
 * The pseudo-random numbers are a hash of the iteration: deterministic.
 */
static void
design_ils(Design *g, const double *cap, int *members, int *mstart,
		   int iters, double *best, int *best_at)
{
	int		   *cur_at = palloc_extended((Size) g->n * sizeof(int), MCXT_ALLOC_HUGE);
	double		cur = *best;
	int			near = Min(g->h - 1, 4),
				since = 0,
				it;

	if (g->h < 2 || g->n < 2)
		return;
	memcpy(cur_at, best_at, (Size) g->n * sizeof(int));
	for (it = 0; it < iters; it++)
	{
		uint32		s = hash_bytes_uint32((uint32) it * 2654435761U + 0x9e3779b9U);
		int			kick = 2 + (int) (s % 4),
					k;
		double		v;

		CHECK_FOR_INTERRUPTS();
		memcpy(g->at, cur_at, (Size) g->n * sizeof(int));
		design_residuals(g, cap);
		for (k = 0; k < kick; k++)
		{
			int			i,
						b;

			s = hash_bytes_uint32(s + (uint32) k + 1);
			i = (int) (s % (uint32) g->n);
			s = hash_bytes_uint32(s);
			b = g->order[(Size) i * g->h + (int) (s % (uint32) (near + 1))];
			if (b != g->at[i])
				design_move(g, i, b);
		}
		if (!design_repair(g, members, mstart))
			continue;
		design_members(g, members, mstart);
		design_improve(g, members, mstart);
		v = design_cost(g);
		since++;
		if (v < *best - 1e-12 * *best)
		{
			*best = v;
			memcpy(best_at, g->at, (Size) g->n * sizeof(int));
			since = 0;
		}
		if (v <= cur * (1 + ILS_ACCEPT))
		{
			cur = v;
			memcpy(cur_at, g->at, (Size) g->n * sizeof(int));
		}
		if (since >= 200)
		{
			cur = *best;
			memcpy(cur_at, best_at, (Size) g->n * sizeof(int));
			since = 0;
		}
	}
	pfree(cur_at);
}

Datum
grid_design(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Vec			uv;
	Unit	   *units;
	FacilitySet *hosp;
	FsIndex    *hix;
	int		   *hrank;
	int64	   *hid;
	int			n,
				h,
				i,
				c;
	bool		capacitated = !PG_ARGISNULL(2);
	double		cps = capacitated ? PG_GETARG_FLOAT8(2) : 0;
	Design		g;
	double	   *cap,
			   *pop,
			   *hlatr,
			   *hlonr,
			   *hcos;

	if (PG_ARGISNULL(0))
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("units_sql is NULL")));
	if (capacitated && (!isfinite(cps) || cps <= 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("capacity_per_supply %g is not a positive finite number", cps)));
	InitMaterializedSRF(fcinfo, 0);

	vec_init(&uv, sizeof(Unit));
	read_query(text_to_cstring(PG_GETARG_TEXT_PP(0)), 4, "units query",
			   "Return id, lon, lat, pop.", unit_row, &uv);
	units = (Unit *) uv.data;
	if (uv.n > (Size) PG_INT32_MAX)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("grid_design takes at most %d units", PG_INT32_MAX)));
	n = (int) uv.n;
	qsort(units, n, sizeof(Unit), unit_cmp);
	for (i = 1; i < n; i++)
		if (units[i].id == units[i - 1].id)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("unit id %lld appears twice in the units query", (long long) units[i].id)));
	if (n == 0)
		return (Datum) 0;

	hosp = fs_argument(fcinfo, 1);
	if (hosp == NULL || hosp->nfac == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("there is no hospital to assign the %d units to", n)));
	hix = index_of(hosp);
	hrank = fs_ranks(hix, &hid);
	h = hix->n;

	/* hospitals in id order */
	cap = palloc(h * sizeof(double));
	hlatr = palloc(h * sizeof(double));
	hlonr = palloc(h * sizeof(double));
	hcos = palloc(h * sizeof(double));
	for (c = 0; c < h; c++)
	{
		int			b = hrank[c];

		cap[b] = hix->a.supply[c] * cps;
		hlatr[b] = hix->latr[c];
		hlonr[b] = hix->lonr[c];
		hcos[b] = hix->coslat[c];
	}

	g.n = n;
	g.h = h;
	pop = palloc_extended((Size) n * sizeof(double), MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
		pop[i] = units[i].pop;
	g.pop = pop;
	g.at = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);

	if (!capacitated)
	{
		for (i = 0; i < n; i++)
			g.at[i] = hrank[fs_nearest(hix, units[i].lat * DEG2RAD, units[i].lon * DEG2RAD)];
	}
	else
	{
		double		total = 0,
					capacity = 0;
		int		   *members,
				   *mstart;

		for (i = 0; i < n; i++)
			total += pop[i];
		for (c = 0; c < h; c++)
			capacity += cap[c];
		for (i = 0; i < n; i++)
		{
			double		most = 0;

			for (c = 0; c < h; c++)
				most = Max(most, cap[c]);
			if (pop[i] > most)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("unit %lld has population %g, more than any hospital can hold (at most %g): %g short",
								(long long) units[i].id, pop[i], most, pop[i] - most),
						 errdetail("Capacity is supply × capacity_per_supply (%g).", cps)));
		}
		if (capacity < total)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("the hospitals' capacity %g cannot hold the population %g: %g short",
							capacity, total, total - capacity),
					 errdetail("Capacity is supply × capacity_per_supply (%g).", cps)));
		hs_check_alloc_size((Size) n * h * sizeof(double), "grid_design distance matrix");
		g.dist = palloc_extended((Size) n * h * sizeof(double), MCXT_ALLOC_HUGE);
		g.order = palloc_extended((Size) n * h * sizeof(int), MCXT_ALLOC_HUGE);
		g.res = palloc(h * sizeof(double));
		for (i = 0; i < n; i++)
		{
			double		latr = units[i].lat * DEG2RAD,
						lonr = units[i].lon * DEG2RAD,
						cl = cos(latr);
			int		   *o = g.order + (Size) i * h;

			for (c = 0; c < h; c++)
			{
				DIST(&g, i, c) = haversine(latr, lonr, cl, hlatr[c], hlonr[c], hcos[c]);
				o[c] = c;
			}
			qsort_arg(o, h, sizeof(int), hosp_cmp, g.dist + (Size) i * h);
			if ((i & 255) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		memcpy(g.res, cap, h * sizeof(double));
		if (!design_greedy(&g, 0))
		{
			memcpy(g.res, cap, h * sizeof(double));
			if (!design_pack(&g))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("no assignment of the units within the hospitals' capacities was found (capacity %g, population %g)",
								capacity, total),
						 errdetail("Assigning every unit whole to one hospital may be impossible although the total capacity suffices."),
						 errhint("Raise capacity_per_supply.")));
		}
		members = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);
		mstart = palloc0((h + 1) * sizeof(int));
		design_members(&g, members, mstart);
		design_improve(&g, members, mstart);

		/*
		 * More starts: Lagrangian ones, then GRASP ones (the regret greedy
		 * with perturbed regrets), each followed by the same moves; the
		 * least total wins.  As many of each as about 2·10^7 / (units ×
		 * hospitals), at most 64.  Then the iterated local search from the
		 * best of them.
		 */
		{
			int			starts = (int) Min(64.0, 2e7 / ((double) n * h));
			int		   *best_at = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);
			double		best = design_cost(&g);
			int			st;

			memcpy(best_at, g.at, (Size) n * sizeof(int));
			design_lagrange(&g, cap, members, mstart, starts, &best, best_at);
			for (st = 1; st < starts; st++)
			{
				double		v;

				memcpy(g.res, cap, h * sizeof(double));
				if (!design_greedy(&g, st))
					continue;
				design_members(&g, members, mstart);
				design_improve(&g, members, mstart);
				v = design_cost(&g);
				if (v < best - 1e-12 * best)
				{
					best = v;
					memcpy(best_at, g.at, (Size) n * sizeof(int));
				}
			}
			design_ils(&g, cap, members, mstart,
					   (int) Min(ILS_MAX, ILS_WORK / ((double) n * n)), &best, best_at);
			g.at = best_at;
		}
	}

	for (i = 0; i < n; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};
		int			b = g.at[i];
		double		latr = units[i].lat * DEG2RAD;

		values[0] = Int64GetDatum(units[i].id);
		values[1] = Int64GetDatum(hid[b]);
		values[2] = Float8GetDatum(haversine(latr, units[i].lon * DEG2RAD, cos(latr),
											 hlatr[b], hlonr[b], hcos[b]));
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
