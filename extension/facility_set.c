/*-------------------------------------------------------------------------
 *
 * facility_set.c
 *	  The facility_set value (layout in facility_set.h): its arrays, hashes
 *	  and header check, the canonical order and the k-d tree every constructor
 *	  builds (fs_build), and the aggregate facility_set(id, lon, lat, supply)
 *	  with its expanded state (aggstate.h).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "facility_set.h"

PG_FUNCTION_INFO_V1(facility_set_accum);
PG_FUNCTION_INFO_V1(facility_set_combine);
PG_FUNCTION_INFO_V1(facility_set_final);

/* ------------------------------------------------------------------------
 * layout
 * ------------------------------------------------------------------------
 */

Size
fs_size(int n, int nsteps, int kind)
{
	Size		per = sizeof(int64) + 3 * sizeof(double) + 1 +
		(kind != FS_PLAIN ? sizeof(double) : 0);

	return FS_HDRSZ + (Size) nsteps * 2 * sizeof(double) + (Size) n * per;
}

int
fs_max_n(void)
{
	return (int) ((MaxAllocSize - FS_HDRSZ - HS_MAX_STEPS * 2 * sizeof(double)) / 41);
}

void
fs_arrays(FacilitySet *fs, FsArrays *a)
{
	char	   *p = (char *) fs + FS_HDRSZ;
	int			n = fs->nfac;

	a->step_d = (double *) p;
	p += fs->nsteps * sizeof(double);
	a->step_w = (double *) p;
	p += fs->nsteps * sizeof(double);
	a->id = (int64 *) p;
	p += n * sizeof(int64);
	a->lon = (double *) p;
	p += n * sizeof(double);
	a->lat = (double *) p;
	p += n * sizeof(double);
	a->supply = (double *) p;
	p += n * sizeof(double);
	if (fs->kind != FS_PLAIN)
	{
		a->value = (double *) p;
		p += n * sizeof(double);
	}
	else
		a->value = NULL;
	a->split = (uint8 *) p;
}

void
fs_decay(const FacilitySet *fs, const FsArrays *a, Decay *dc)
{
	memset(dc, 0, sizeof(Decay));
	dc->kind = fs->decay;
	dc->beta = fs->beta;
	dc->dmin = fs->dmin;
	dc->nsteps = fs->nsteps;
	if (fs->nsteps > 0)
	{
		memcpy(dc->step_d, a->step_d, fs->nsteps * sizeof(double));
		memcpy(dc->step_w, a->step_w, fs->nsteps * sizeof(double));
	}
}

/* hash of the facilities (ids, coordinates, supplies, tree) */
uint64
fs_facility_hash(FacilitySet *fs)
{
	FsArrays	a;
	uint64		h;
	Size		n = fs->nfac;

	fs_arrays(fs, &a);
	h = hash_bytes_extended((const unsigned char *) &fs->nfac, sizeof(int32), 0);
	h = hash_bytes_extended((const unsigned char *) a.id, n * (sizeof(int64) + 3 * sizeof(double)), h);
	return hash_bytes_extended(a.split, n, h);
}

/* hash of everything but the hash field */
uint64
fs_full_hash(FacilitySet *fs)
{
	Size		off = offsetof(FacilitySet, d0);
	uint64		h;

	h = hash_bytes_extended((const unsigned char *) fs + VARHDRSZ,
							offsetof(FacilitySet, hash) - VARHDRSZ, 0);
	return hash_bytes_extended((const unsigned char *) fs + off, VARSIZE(fs) - off, h);
}

void
fs_seal(FacilitySet *fs)
{
	fs->hash = fs->kind == FS_DEMAND ? fs_facility_hash(fs) : fs_full_hash(fs);
}

/*
 * Structural check of a facility_set that our own code produced: cheap
 * insurance against reading outside the buffer.
 */
void
fs_check_header(FacilitySet *fs)
{
	if (fs->version != FS_VERSION || fs->kind > FS_RATIO ||
		fs->nfac < 0 || fs->nfac > fs_max_n() ||
		fs->nsteps < 0 || fs->nsteps > HS_MAX_STEPS ||
		VARSIZE(fs) != fs_size(fs->nfac, fs->nsteps, fs->kind))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted facility_set value")));
}

/* ------------------------------------------------------------------------
 * building: canonical order and the k-d tree
 * ------------------------------------------------------------------------
 */


static int
facrow_cmp(const void *a, const void *b)
{
	const FacRow *x = (const FacRow *) a;
	const FacRow *y = (const FacRow *) b;

	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	if (x->lon != y->lon)
		return x->lon < y->lon ? -1 : 1;
	if (x->lat != y->lat)
		return x->lat < y->lat ? -1 : 1;
	if (x->supply != y->supply)
		return x->supply < y->supply ? -1 : 1;
	if (x->value != y->value)
		return x->value < y->value ? -1 : 1;
	return 0;
}

/* deterministic quickselect: rows[k] gets the k-th smallest on axis */
static void
kd_select(FacRow *rows, int lo, int hi, int k, int axis)
{
	while (hi - lo > 1)
	{
		int			mid = lo + (hi - lo) / 2;
		double		a = rows[lo].v[axis],
					b = rows[mid].v[axis],
					c = rows[hi - 1].v[axis];
		double		pivot = a < b ? (b < c ? b : (a < c ? c : a)) : (a < c ? a : (b < c ? c : b));
		int			i = lo,
					j = hi - 1;
		FacRow		tmp;

		/* Hoare partition */
		while (i <= j)
		{
			while (rows[i].v[axis] < pivot)
				i++;
			while (rows[j].v[axis] > pivot)
				j--;
			if (i <= j)
			{
				tmp = rows[i];
				rows[i] = rows[j];
				rows[j] = tmp;
				i++;
				j--;
			}
		}
		if (k <= j)
			hi = j + 1;
		else if (k >= i)
			lo = i;
		else
			return;
	}
}

static void
kd_build(FacRow *rows, uint8 *split, int lo, int hi, int depth)
{
	int			mid,
				axis,
				i,
				d;
	double		mn[3],
				mx[3],
				best;

	if (hi - lo <= KD_LEAF)
	{
		for (i = lo; i < hi; i++)
			split[i] = 0;
		return;
	}
	CHECK_FOR_INTERRUPTS();
	for (d = 0; d < 3; d++)
		mn[d] = mx[d] = rows[lo].v[d];
	for (i = lo + 1; i < hi; i++)
		for (d = 0; d < 3; d++)
		{
			if (rows[i].v[d] < mn[d])
				mn[d] = rows[i].v[d];
			if (rows[i].v[d] > mx[d])
				mx[d] = rows[i].v[d];
		}
	axis = 0;
	best = mx[0] - mn[0];
	for (d = 1; d < 3; d++)
		if (mx[d] - mn[d] > best)
		{
			best = mx[d] - mn[d];
			axis = d;
		}
	mid = lo + (hi - lo) / 2;
	kd_select(rows, lo, hi, mid, axis);
	split[mid] = (uint8) axis;
	kd_build(rows, split, lo, mid, depth + 1);
	kd_build(rows, split, mid + 1, hi, depth + 1);
}

/*
 * Build a facility_set from rows (which it reorders) after validating them.
 * "errc" is the SQLSTATE for bad values (invalid parameter / binary / text).
 */
FacilitySet *
fs_build(FacRow *rows, int n, int kind, int method, const Decay *dc, double d0,
		 int errc)
{
	FacilitySet *fs;
	FsArrays	a;
	Size		size;
	int			i;

	if (n < 0 || n > fs_max_n())
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a facility_set holds at most %d facilities", fs_max_n())));
	for (i = 0; i < n; i++)
	{
		FacRow	   *r = &rows[i];

		if (!isfinite(r->lon) || r->lon < -180 || r->lon > 180 ||
			!isfinite(r->lat) || r->lat < -90 || r->lat > 90)
			ereport(ERROR,
					(errcode(errc),
					 errmsg("facility %lld has coordinates (%g, %g) out of range",
							(long long) r->id, r->lon, r->lat)));
		if (!isfinite(r->supply) || r->supply < 0)
			ereport(ERROR,
					(errcode(errc),
					 errmsg("facility %lld has invalid supply %g", (long long) r->id, r->supply)));
		if (kind != FS_PLAIN && (!isfinite(r->value) || r->value < 0))
			ereport(ERROR,
					(errcode(errc),
					 errmsg("facility %lld has invalid %s %g", (long long) r->id,
							kind == FS_DEMAND ? "demand" : "ratio", r->value)));
		if (kind == FS_PLAIN)
			r->value = 0;
		/*
		 * -0 becomes +0: facrow_cmp sees them equal, so keeping the sign
		 * would make the stored order (and the text round trip) depend on
		 * the input order.
		 */
		r->lon += 0.0;
		r->lat += 0.0;
		r->supply += 0.0;
		r->value += 0.0;
	}
	if (kind != FS_PLAIN)
	{
		if (method != FCA_2SFCA && method != FCA_3SFCA)
			ereport(ERROR, (errcode(errc), errmsg("invalid facility_set method %d", method)));
		if (!isfinite(d0) || d0 <= 0)
			ereport(ERROR, (errcode(errc), errmsg("facility_set d0 %g is not a positive finite number", d0)));
	}
	qsort(rows, n, sizeof(FacRow), facrow_cmp);
	for (i = 0; i < n; i++)
		unit_vector(rows[i].lat * DEG2RAD, rows[i].lon * DEG2RAD, rows[i].v);

	size = fs_size(n, kind == FS_PLAIN ? 0 : dc->nsteps, kind);
	fs = (FacilitySet *) palloc0(size);
	SET_VARSIZE(fs, size);
	fs->version = FS_VERSION;
	fs->kind = kind;
	fs->nfac = n;
	if (kind != FS_PLAIN)
	{
		fs->method = method;
		fs->decay = dc->kind;
		fs->nsteps = dc->nsteps;
		fs->d0 = d0;
		fs->beta = dc->beta;
		fs->dmin = dc->dmin;
	}
	fs_arrays(fs, &a);
	if (fs->nsteps > 0)
	{
		memcpy(a.step_d, dc->step_d, fs->nsteps * sizeof(double));
		memcpy(a.step_w, dc->step_w, fs->nsteps * sizeof(double));
	}
	kd_build(rows, a.split, 0, n, 0);
	for (i = 0; i < n; i++)
	{
		a.id[i] = rows[i].id;
		a.lon[i] = rows[i].lon;
		a.lat[i] = rows[i].lat;
		a.supply[i] = rows[i].supply;
		if (a.value)
			a.value[i] = rows[i].value;
	}
	fs_seal(fs);
	return fs;
}

/* ------------------------------------------------------------------------
 * facility_set(id, lon, lat, supply) aggregate
 *
 * The state is a facility_set (a real SQL type, so Citus pushes partial
 * aggregation down to its workers).  During aggregation it is a read-write
 * expanded object in a child context of the aggregate context holding the
 * rows in arrival order; it is flattened (sorted, k-d tree built) only when
 * it leaves the node: the final value, a partial state sent to a parallel
 * leader or a Citus coordinator.
 * ------------------------------------------------------------------------
 */

#define EFS_MAGIC	0x48534653	/* "HSFS" */

typedef struct ExpandedFacilitySet
{
	HsAggState	hdr;
	int			n;
	int			cap;
	FacRow	   *rows;			/* in the state's context */
} ExpandedFacilitySet;

HS_AGGSTATE_DEFINE(efs, EFS_MAGIC, "facility_set", ExpandedFacilitySet, false)

/* an empty set, room for "hint" facilities (at least 64) */
static void
efs_init(HsAggState *s, int64 hint)
{
	ExpandedFacilitySet *efs = (ExpandedFacilitySet *) s;

	efs->n = 0;
	efs->cap = (int) Max(Min(hint, (int64) fs_max_n()), 64);
	efs->rows = MemoryContextAllocExtended(HS_AGGSTATE_CXT(efs),
										   (Size) efs->cap * sizeof(FacRow),
										   MCXT_ALLOC_HUGE);
}

static void
efs_reserve(ExpandedFacilitySet *efs, int more)
{
	int			cap;

	if (more <= efs->cap - efs->n)
		return;
	if (more > fs_max_n() - efs->n)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("a facility_set holds at most %d facilities", fs_max_n())));
	cap = efs->cap;
	while (cap - efs->n < more)
		cap = (int) Min((int64) cap * 2, (int64) fs_max_n());
	efs->rows = repalloc_huge(efs->rows, (Size) cap * sizeof(FacRow));
	efs->cap = cap;
}

/* merge a facility_set datum (expanded, or a flat plain set) into s */
static void
efs_merge(HsAggState *s, Datum d)
{
	ExpandedFacilitySet *efs = (ExpandedFacilitySet *) s;
	ExpandedFacilitySet *other = efs_from_datum(d);
	FacilitySet *fs;
	FsArrays	a;
	int			i;

	if (other != NULL)
	{
		efs_reserve(efs, other->n);
		memcpy(efs->rows + efs->n, other->rows, (Size) other->n * sizeof(FacRow));
		efs->n += other->n;
		return;
	}
	fs = (FacilitySet *) PG_DETOAST_DATUM(d);
	fs_check_header(fs);
	if (fs->kind != FS_PLAIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge a facility_set of fca_demand into a facility_set aggregate")));
	fs_arrays(fs, &a);
	efs_reserve(efs, fs->nfac);
	for (i = 0; i < fs->nfac; i++)
	{
		FacRow	   *r = &efs->rows[efs->n + i];

		r->id = a.id[i];
		r->lon = a.lon[i];
		r->lat = a.lat[i];
		r->supply = a.supply[i];
		r->value = 0;
	}
	efs->n += fs->nfac;
	if ((Pointer) fs != DatumGetPointer(d))
		pfree(fs);
}

static Size
efs_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedFacilitySet *efs = (ExpandedFacilitySet *) eohptr;

	Assert(efs->hdr.magic == EFS_MAGIC);
	return fs_size(efs->n, 0, FS_PLAIN);
}

/* build the canonical flat set (on a copy: the rows stay in arrival order) */
static FacilitySet *
efs_build(ExpandedFacilitySet *efs)
{
	FacRow	   *rows;

	rows = palloc_extended(Max((Size) efs->n * sizeof(FacRow), 1), MCXT_ALLOC_HUGE);
	memcpy(rows, efs->rows, (Size) efs->n * sizeof(FacRow));
	return fs_build(rows, efs->n, FS_PLAIN, FCA_NONE, NULL, 0,
					ERRCODE_INVALID_PARAMETER_VALUE);
}

static void
efs_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedFacilitySet *efs = (ExpandedFacilitySet *) eohptr;
	FacilitySet *fs = efs_build(efs);

	Assert(allocated_size == VARSIZE(fs));
	memcpy(result, fs, Min(allocated_size, (Size) VARSIZE(fs)));
	pfree(fs);
}

Datum
facility_set_accum(PG_FUNCTION_ARGS)
{
	ExpandedFacilitySet *efs;
	FacRow	   *r;
	double		lon,
				lat,
				supply;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
					   (PG_NARGS() > 4 && PG_ARGISNULL(4)));
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	supply = PG_NARGS() > 4 ? PG_GETARG_FLOAT8(4) : 1.0;
	hs_check_coordinate(lon, lat);
	check_amount(supply, "supply");
	efs = (ExpandedFacilitySet *) hs_aggstate_arg(&efs_type, fcinfo);
	if (unlikely(efs->n == efs->cap))
		efs_reserve(efs, 1);
	r = &efs->rows[efs->n++];
	r->id = PG_GETARG_INT64(1);
	r->lon = lon;
	r->lat = lat;
	r->supply = supply;
	r->value = 0;
	PG_RETURN_DATUM(hs_aggstate_return(&efs->hdr));
}

Datum
facility_set_combine(PG_FUNCTION_ARGS)
{
	return hs_aggstate_combine(&efs_type, fcinfo);
}

/* the set with its k-d tree; NULL when no facility was aggregated */
Datum
facility_set_final(PG_FUNCTION_ARGS)
{
	ExpandedFacilitySet *efs;
	FacilitySet *fs;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	efs = efs_from_datum(PG_GETARG_DATUM(0));
	if (efs != NULL)
	{
		if (efs->n == 0)
			PG_RETURN_NULL();
		PG_RETURN_POINTER(efs_build(efs));
	}
	/* a flat state (merged elsewhere): already canonical, return a copy */
	fs = (FacilitySet *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	fs_check_header(fs);
	if (fs->kind != FS_PLAIN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("facility_set aggregate state is not a plain facility_set")));
	if (fs->nfac == 0)
		PG_RETURN_NULL();
	PG_RETURN_POINTER(fs);
}

