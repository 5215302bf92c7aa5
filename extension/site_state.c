/*-------------------------------------------------------------------------
 *
 * site_state.c
 *	  The site_select_state, state of site_select and site_select_median
 *	  (planning.h): the checks of its parameters and sets, its flat format,
 *	  its expanded object on the aggregate-state floor (aggstate.h), and
 *	  the transition and combine functions.
 *
 *	  The state holds the parameters, the candidate and existing
 *	  facility_sets and the demand points (lon, lat, pop).  While
 *	  aggregating it is a read-write expanded object in a child of the
 *	  aggregate context; it is flattened only when it leaves the node.
 *	  Partial states merge by concatenating their points.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "planning.h"

PG_FUNCTION_INFO_V1(site_select_accum);
PG_FUNCTION_INFO_V1(site_median_accum);
PG_FUNCTION_INFO_V1(site_select_combine);

/* which facility_set datum was last checked equal to the stored one */
typedef struct SetKey
{
	Pointer		ptr;			/* an in-line value at this address */
	int			len;			/* a toast pointer: its bytes */
	char		bytes[32];
} SetKey;

typedef struct ExpandedSiteState
{
	HsAggState	hdr;
	SiteView	v;				/* v.cand NULL: no row yet; v.pts has cap slots */
	int			cap;
	SetKey		cand_key;
	SetKey		exist_key;
} ExpandedSiteState;

HS_AGGSTATE_DEFINE(ess, SS_MAGIC, "site_select_state", ExpandedSiteState, false)

/* ------------------------------------------------------------------------
 * checks of the parameters, the sets and the ids
 * ------------------------------------------------------------------------
 */

/* k sites among ncand candidates; the radius of a covering */
void
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

/* the parameters, and the sets: plain facility_sets, candidate ids unique */
void
site_check_view(const SiteView *v)
{
	FsArrays	a;

	if (v->cand->kind != FS_PLAIN || (v->exist && v->exist->kind != FS_PLAIN))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("site_select needs plain facility_sets, not results of fca_demand")));
	site_check_params(v->objective, v->k, v->radius, v->cand->nfac);
	fs_arrays(v->cand, &a);
	pfree(site_sorted_ids(a.id, v->cand->nfac, "candidate"));
}

/* int64 ids in increasing order (qsort, bsearch) */
int
site_id_cmp(const void *a, const void *b)
{
	int64		x = *(const int64 *) a,
				y = *(const int64 *) b;

	return x < y ? -1 : x > y;
}

/* the ids of a set, sorted; error on a duplicate */
int64 *
site_sorted_ids(const int64 *ids, int n, const char *what)
{
	int64	   *s = palloc(Max(n, 1) * sizeof(int64));
	int			i;

	memcpy(s, ids, n * sizeof(int64));
	qsort(s, n, sizeof(int64), site_id_cmp);
	for (i = 1; i < n; i++)
		if (s[i] == s[i - 1])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("%s id %lld appears twice", what, (long long) s[i])));
	return s;
}

/* ------------------------------------------------------------------------
 * the flat state
 * ------------------------------------------------------------------------
 */

Size
site_flat_size(const SiteView *v)
{
	return sizeof(SiteState) + MAXALIGN(VARSIZE(v->cand)) +
		(v->exist ? MAXALIGN(VARSIZE(v->exist)) : 0) +
		(Size) v->n * sizeof(SitePoint);
}

void
site_flatten(const SiteView *v, SiteState *st, Size size)
{
	char	   *p = (char *) st + sizeof(SiteState);

	memset(st, 0, size);
	SET_VARSIZE(st, size);
	st->magic = SS_MAGIC;
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

static void
site_corrupted(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_DATA_CORRUPTED),
			 errmsg("corrupted site_select_state value")));
}

/* a new flat state holding v */
SiteState *
site_flat_new(const SiteView *v)
{
	Size		size = site_flat_size(v);
	SiteState  *st;

	hs_check_alloc_size(size, "site_select_state");
	st = palloc_extended(size, MCXT_ALLOC_HUGE);
	site_flatten(v, st, size);
	return st;
}

/* view a flat state, checking its structure */
void
site_view_flat(SiteState *st, SiteView *v)
{
	char	   *p = (char *) st + sizeof(SiteState);
	Size		size = VARSIZE(st);
	Size		need;

	/* the magic and the version first, then the header */
	if (size < offsetof(SiteState, objective) ||
		st->magic != SS_MAGIC || st->version != SS_VERSION)
		site_corrupted();
	if (size < sizeof(SiteState) ||
		st->objective > PLAN_MEDIAN || st->npoints < 0 ||
		st->cand_size < sizeof(FacilitySet) ||
		(st->exist_size != 0 && st->exist_size < sizeof(FacilitySet)))
		site_corrupted();
	need = sizeof(SiteState) + MAXALIGN((Size) st->cand_size) +
		MAXALIGN((Size) st->exist_size) + (Size) st->npoints * sizeof(SitePoint);
	if (need != size)
		site_corrupted();
	v->objective = st->objective;
	v->k = st->k;
	v->radius = st->radius;
	v->cand = (FacilitySet *) p;
	p += MAXALIGN(st->cand_size);
	if (VARSIZE(v->cand) != st->cand_size)
		site_corrupted();
	fs_check_header(v->cand);
	v->exist = NULL;
	if (st->exist_size != 0)
	{
		v->exist = (FacilitySet *) p;
		p += MAXALIGN(st->exist_size);
		if (VARSIZE(v->exist) != st->exist_size)
			site_corrupted();
		fs_check_header(v->exist);
	}
	v->n = st->npoints;
	v->pts = (SitePoint *) p;
	site_check_params(v->objective, v->k, v->radius, v->cand->nfac);
}

/* ------------------------------------------------------------------------
 * the sets of a group's rows
 * ------------------------------------------------------------------------
 */

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

/* ------------------------------------------------------------------------
 * the expanded state
 * ------------------------------------------------------------------------
 */

static Size
ess_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) eohptr;

	Assert(ess->v.cand != NULL);
	return site_flat_size(&ess->v);
}

static void
ess_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) eohptr;

	Assert(allocated_size == site_flat_size(&ess->v));
	site_flatten(&ess->v, (SiteState *) result, allocated_size);
}

/* the view of a state datum, expanded or flat */
void
site_view_datum(Datum d, SiteView *v)
{
	ExpandedSiteState *ess = ess_from_datum(d);

	if (ess != NULL)
		*v = ess->v;
	else
		site_view_flat((SiteState *) PG_DETOAST_DATUM(d), v);
}

/* an empty state: no parameters and sets yet, no point */
static void
ess_init(HsAggState *s, int64 hint)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) s;

	ess->cap = 256;
	ess->v.pts = MemoryContextAllocExtended(HS_AGGSTATE_CXT(ess),
											ess->cap * sizeof(SitePoint),
											MCXT_ALLOC_HUGE);
}

/* the parameters of v, and copies of its sets, into a state without them */
static void
ess_set_params(ExpandedSiteState *ess, const SiteView *v)
{
	MemoryContext cxt = HS_AGGSTATE_CXT(ess);

	ess->v.objective = v->objective;
	ess->v.k = v->k;
	ess->v.radius = v->radius;
	ess->v.cand = MemoryContextAlloc(cxt, VARSIZE(v->cand));
	memcpy(ess->v.cand, v->cand, VARSIZE(v->cand));
	ess->v.exist = NULL;
	if (v->exist)
	{
		ess->v.exist = MemoryContextAlloc(cxt, VARSIZE(v->exist));
		memcpy(ess->v.exist, v->exist, VARSIZE(v->exist));
	}
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

/* add the points of state datum d (same parameters and sets) */
static void
ess_merge(HsAggState *s, Datum d)
{
	ExpandedSiteState *ess = (ExpandedSiteState *) s;
	SiteView	b;

	site_view_datum(d, &b);
	if (ess->v.cand == NULL)
		ess_set_params(ess, &b);
	else
		site_check_same(&ess->v, &b);
	ess_append(ess, b.pts, b.n);
}

/* is any of arguments 1 .. last NULL (a row to skip)? */
static bool
site_row_has_null(FunctionCallInfo fcinfo, int last)
{
	int			i;

	for (i = 1; i <= last; i++)
		if (PG_ARGISNULL(i))
			return true;
	return false;
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
	SitePoint	pt;
	SiteView	v;
	ExpandedSiteState *ess;

	HS_AGG_SKIP_ROW_IF(site_row_has_null(fcinfo, kpos));
	pt.lon = PG_GETARG_FLOAT8(2);
	pt.lat = PG_GETARG_FLOAT8(3);
	pt.pop = PG_GETARG_FLOAT8(4);
	hs_check_coordinate(pt.lon, pt.lat);
	check_amount(pt.pop, "population");
	pt.pop += 0.0;				/* -0 becomes +0 */
	memset(&v, 0, sizeof(v));
	v.objective = objective;
	v.radius = objective == PLAN_COVER ? PG_GETARG_FLOAT8(5) : 0;
	v.k = PG_GETARG_INT32(kpos);

	ess = (ExpandedSiteState *) hs_aggstate_arg(&ess_type, fcinfo);
	if (ess->v.cand == NULL)
	{
		/* the first row: check the parameters and the sets once */
		v.cand = site_fs_arg(fcinfo, 1);
		v.exist = PG_NARGS() > epos ? site_fs_arg(fcinfo, epos) : NULL;
		site_check_view(&v);
		ess_set_params(ess, &v);
	}
	else
	{
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
	PG_RETURN_DATUM(hs_aggstate_return(&ess->hdr));
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

/* the demand points of both partial states (same parameters and sets) */
Datum
site_select_combine(PG_FUNCTION_ARGS)
{
	return hs_aggstate_combine(&ess_type, fcinfo);
}
