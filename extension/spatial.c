/*-------------------------------------------------------------------------
 *
 * spatial.c
 *	  Great-circle distances, the facility_set type (a flat k-d tree over
 *	  facilities), nearest / within / coverage queries and the two-step
 *	  floating catchment area (2SFCA, E2SFCA, 3SFCA) family.
 *
 *	  A facility_set is one varlena:
 *
 *		FacilitySet header (56 bytes)
 *		double	step_d[nsteps], step_w[nsteps]	stepped decay, if any
 *		int64	id[n]
 *		double	lon[n], lat[n], supply[n]		degrees, supply units
 *		double	value[n]						demand (FS_DEMAND) or
 *												ratio R_j (FS_RATIO) only
 *		uint8	split[n]						k-d split axis per node
 *
 *	  The facilities are stored in the order of an implicit k-d tree over
 *	  their 3-D unit vectors: the node of the range [lo, hi) is the element
 *	  at lo + (hi - lo) / 2, split[] holds its axis, its left subtree is
 *	  [lo, mid) and its right subtree (mid, hi).  Every constructor (the
 *	  aggregate, text and binary input) sorts the facilities canonically and
 *	  builds the tree itself, so the layout never depends on row order and
 *	  input never has to be trusted.  The unit vectors are recomputed from
 *	  lon/lat when a value is first used and cached in fn_extra, keyed by the
 *	  datum's identity, so a facility_set passed to every row of a query is
 *	  unpacked once per backend.
 *
 *	  FS_DEMAND is the transition state of fca_demand (Σ_k W(d_kj)·P_k per
 *	  facility, updated in place; partial states merge by addition);
 *	  FS_RATIO is its final value, carrying R_j = S_j / demand_j together
 *	  with d0, decay and method so that fca_access uses the same parameters.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <float.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "common.h"
#include "facility_set.h"


/*
 * hs_rate's layout (rate.c): coverage() returns one.  Families do not
 * include each other, so the 16-byte layout {int64 num; int64 den} is
 * repeated here; rate.c is the owner of the type.
 */
typedef struct SpatialRate
{
	int64		num;
	int64		den;
} SpatialRate;

StaticAssertDecl(sizeof(SpatialRate) == 16, "hs_rate is 16 bytes");


PG_FUNCTION_INFO_V1(hs_distance);
PG_FUNCTION_INFO_V1(facility_set_in);
PG_FUNCTION_INFO_V1(facility_set_out);
PG_FUNCTION_INFO_V1(facility_set_recv);
PG_FUNCTION_INFO_V1(facility_set_send);
PG_FUNCTION_INFO_V1(facility_set_accum);
PG_FUNCTION_INFO_V1(facility_set_combine);
PG_FUNCTION_INFO_V1(facility_set_final);
PG_FUNCTION_INFO_V1(facility_count);
PG_FUNCTION_INFO_V1(facility_entries);
PG_FUNCTION_INFO_V1(nearest_facility);
PG_FUNCTION_INFO_V1(facilities_within);
PG_FUNCTION_INFO_V1(coverage_accum);
PG_FUNCTION_INFO_V1(fca_demand_accum);
PG_FUNCTION_INFO_V1(fca_demand_combine);
PG_FUNCTION_INFO_V1(fca_demand_final);
PG_FUNCTION_INFO_V1(fca_access);
PG_FUNCTION_INFO_V1(fca_costs);

/* ------------------------------------------------------------------------
 * distances
 * ------------------------------------------------------------------------
 */


Datum
hs_distance(PG_FUNCTION_ARGS)
{
	double		lon1 = PG_GETARG_FLOAT8(0);
	double		lat1 = PG_GETARG_FLOAT8(1);
	double		lon2 = PG_GETARG_FLOAT8(2);
	double		lat2 = PG_GETARG_FLOAT8(3);
	double		la1,
				la2;

	hs_check_coordinate(lon1, lat1);
	hs_check_coordinate(lon2, lat2);
	la1 = lat1 * DEG2RAD;
	la2 = lat2 * DEG2RAD;
	PG_RETURN_FLOAT8(haversine(la1, lon1 * DEG2RAD, cos(la1),
							   la2, lon2 * DEG2RAD, cos(la2)));
}


/*
 * Squared chord length that certainly contains every point within "dist"
 * metres: slightly enlarged, the exact haversine test follows.
 */
static double
search_chord2(double dist)
{
	double		ang = dist / HS_EARTH_RADIUS;
	double		c;

	if (ang >= M_PI)
		return 5.0;				/* beyond the antipode: everything (max 4) */
	c = 2.0 * sin(ang * 0.5);
	c = c * (1.0 + 1e-9) + 1e-12;
	return c * c;
}

/* ------------------------------------------------------------------------
 * decays and methods
 * ------------------------------------------------------------------------
 */

static void
decay_syntax(const char *text, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid decay \"%s\"", hs_excerpt_cstring(text)),
			 errdetail("%s", detail),
			 errhint("Use binary, linear, gaussian, gravity:β[,dmin] or steps:d1=w1,d2=w2,... with distances increasing.")));
}

/* a finite number at *p, advancing *p; false when there is none */
static bool
parse_number(const char **p, double *out)
{
	char	   *end;
	double		v;

	while (isspace((unsigned char) **p))
		(*p)++;
	if (**p == '\0')
		return false;
	errno = 0;
	v = strtod(*p, &end);
	/* as float8in: a subnormal number is accepted, an overflow or a total underflow is not */
	if (end == *p || !isfinite(v) || (errno == ERANGE && v == 0.0))
		return false;
	*out = v;
	*p = end;
	while (isspace((unsigned char) **p))
		(*p)++;
	return true;
}

/*
 * Parse a decay specification (case-insensitive keywords):
 *	binary | linear | gaussian | gravity:β[,dmin] | steps:d1=w1,d2=w2,...
 */
static void
parse_decay(const char *text, int len, Decay *dc)
{
	char	   *orig;
	char	   *s;
	char	   *p;
	int			i;

	if (len > HS_DECAY_MAXLEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decay specification is too long (%d bytes, at most %d)", len, HS_DECAY_MAXLEN)));
	orig = pnstrdup(text, len);
	s = pnstrdup(text, len);
	/* pnstrdup stops at a NUL byte (possible in binary input) */
	len = strlen(s);
	for (i = 0; i < len; i++)
		s[i] = pg_ascii_tolower((unsigned char) s[i]);
	/* trim */
	p = s;
	while (isspace((unsigned char) *p))
		p++;
	for (i = strlen(p); i > 0 && isspace((unsigned char) p[i - 1]); i--)
		p[i - 1] = '\0';

	memset(dc, 0, sizeof(Decay));
	if (strcmp(p, "binary") == 0)
		dc->kind = DECAY_BINARY;
	else if (strcmp(p, "linear") == 0)
		dc->kind = DECAY_LINEAR;
	else if (strcmp(p, "gaussian") == 0)
		dc->kind = DECAY_GAUSSIAN;
	else if (strncmp(p, "gravity:", 8) == 0)
	{
		const char *q = p + 8;

		dc->kind = DECAY_GRAVITY;
		dc->dmin = 1.0;
		if (!parse_number(&q, &dc->beta) || dc->beta <= 0)
			decay_syntax(orig, "The gravity exponent β must be a positive finite number.");
		if (*q == ',')
		{
			q++;
			if (!parse_number(&q, &dc->dmin) || dc->dmin <= 0)
				decay_syntax(orig, "The gravity minimum distance must be a positive finite number.");
		}
		if (*q != '\0')
			decay_syntax(orig, "Unexpected characters after the gravity parameters.");
	}
	else if (strncmp(p, "steps:", 6) == 0)
	{
		const char *q = p + 6;

		dc->kind = DECAY_STEPS;
		for (;;)
		{
			double		d,
						w;

			if (dc->nsteps >= HS_MAX_STEPS)
				decay_syntax(orig, psprintf("At most %d steps are allowed.", HS_MAX_STEPS));
			if (!parse_number(&q, &d) || *q != '=')
				decay_syntax(orig, "Each step is distance=weight.");
			q++;
			if (!parse_number(&q, &w))
				decay_syntax(orig, "Each step is distance=weight.");
			if (d <= 0 || (dc->nsteps > 0 && d <= dc->step_d[dc->nsteps - 1]))
				decay_syntax(orig, "Step distances must be positive and strictly increasing.");
			if (w < 0)
				decay_syntax(orig, "Step weights must not be negative.");
			dc->step_d[dc->nsteps] = d;
			dc->step_w[dc->nsteps] = w;
			dc->nsteps++;
			if (*q == '\0')
				break;
			if (*q != ',')
				decay_syntax(orig, "Steps are separated by commas.");
			q++;
		}
	}
	else
		decay_syntax(orig, "Unknown decay function.");
	pfree(s);
	pfree(orig);
}

static int
parse_method(const char *text, int len)
{
	char	   *s = pnstrdup(text, len);
	int			m;
	int			i;

	len = strlen(s);			/* pnstrdup stops at a NUL byte */
	for (i = 0; i < len; i++)
		s[i] = pg_ascii_tolower((unsigned char) s[i]);
	if (strcmp(s, "2sfca") == 0)
		m = FCA_2SFCA;
	else if (strcmp(s, "3sfca") == 0)
		m = FCA_3SFCA;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid method \"%s\"", hs_excerpt_cstring(s)),
				 errhint("Use 2sfca or 3sfca.")));
	pfree(s);
	return m;
}

static const char *
method_name(int m)
{
	return m == FCA_3SFCA ? "3sfca" : "2sfca";
}

/* append the shortest exact decimal form of v */
static void
append_double(StringInfo buf, double v)
{
	char		tmp[DOUBLE_SHORTEST_DECIMAL_LEN];

	double_to_shortest_decimal_buf(v, tmp);
	appendStringInfoString(buf, tmp);
}

/* the canonical text form of a decay */
static void
append_decay(StringInfo buf, const Decay *dc)
{
	int			i;

	switch (dc->kind)
	{
		case DECAY_BINARY:
			appendStringInfoString(buf, "binary");
			break;
		case DECAY_LINEAR:
			appendStringInfoString(buf, "linear");
			break;
		case DECAY_GAUSSIAN:
			appendStringInfoString(buf, "gaussian");
			break;
		case DECAY_GRAVITY:
			appendStringInfoString(buf, "gravity:");
			append_double(buf, dc->beta);
			appendStringInfoChar(buf, ',');
			append_double(buf, dc->dmin);
			break;
		case DECAY_STEPS:
			appendStringInfoString(buf, "steps:");
			for (i = 0; i < dc->nsteps; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				append_double(buf, dc->step_d[i]);
				appendStringInfoChar(buf, '=');
				append_double(buf, dc->step_w[i]);
			}
			break;
	}
}

static bool
decay_equal(const Decay *a, const Decay *b)
{
	int			i;

	if (a->kind != b->kind || a->nsteps != b->nsteps)
		return false;
	if (a->kind == DECAY_GRAVITY && (a->beta != b->beta || a->dmin != b->dmin))
		return false;
	for (i = 0; i < a->nsteps; i++)
		if (a->step_d[i] != b->step_d[i] || a->step_w[i] != b->step_w[i])
			return false;
	return true;
}

/* 1 - e^{-1/2}, the normalisation of the Gaussian decay */
#define GAUSS_E		0.60653065971263342360	/* e^{-1/2} */

/*
 * W(d) for a distance (or cost) d <= d0; 0 beyond d0.
 */
static inline double
decay_weight(const Decay *dc, double d, double d0)
{
	int			i;

	if (!(d <= d0))
		return 0.0;
	switch (dc->kind)
	{
		case DECAY_BINARY:
			return 1.0;
		case DECAY_LINEAR:
			return 1.0 - d / d0;
		case DECAY_GAUSSIAN:
			{
				double		r = d / d0;

				return (exp(-0.5 * r * r) - GAUSS_E) / (1.0 - GAUSS_E);
			}
		case DECAY_GRAVITY:
			return pow(d > dc->dmin ? d : dc->dmin, -dc->beta);
		case DECAY_STEPS:
			for (i = 0; i < dc->nsteps; i++)
				if (d <= dc->step_d[i])
					return dc->step_w[i];
			return 0.0;
	}
	return 0.0;
}

static void
check_d0(double d0, const char *what)
{
	if (!isfinite(d0) || d0 <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not a positive finite number", what, d0)));
}

static void
check_amount(double v, const char *what)
{
	if (!isfinite(v) || v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not a non-negative finite number", what, v)));
}

/* ------------------------------------------------------------------------
 * layout
 * ------------------------------------------------------------------------
 */

static Size
fs_size(int n, int nsteps, int kind)
{
	Size		per = sizeof(int64) + 3 * sizeof(double) + 1 +
		(kind != FS_PLAIN ? sizeof(double) : 0);

	return FS_HDRSZ + (Size) nsteps * 2 * sizeof(double) + (Size) n * per;
}

static int
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

static void
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
static uint64
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
static uint64
fs_full_hash(FacilitySet *fs)
{
	Size		off = offsetof(FacilitySet, d0);
	uint64		h;

	h = hash_bytes_extended((const unsigned char *) fs + VARHDRSZ,
							offsetof(FacilitySet, hash) - VARHDRSZ, 0);
	return hash_bytes_extended((const unsigned char *) fs + off, VARSIZE(fs) - off, h);
}

static void
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

typedef struct FacRow
{
	int64		id;
	double		lon;
	double		lat;
	double		supply;
	double		value;
	double		v[3];
} FacRow;

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
static FacilitySet *
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
 * the query cache
 * ------------------------------------------------------------------------
 */

static void
fsi_reserve(FsIndex *ix, MemoryContext cxt, int need)
{
	int			cap;

	if (need <= ix->capcand)
		return;
	cap = Max(need, Max(64, ix->capcand * 2));
	if (ix->cand)
	{
		/* keep the candidates collected so far */
		ix->cand = repalloc(ix->cand, cap * sizeof(int));
		ix->cand_d = repalloc(ix->cand_d, cap * sizeof(double));
		ix->cand_w = repalloc(ix->cand_w, cap * sizeof(double));
	}
	else
	{
		ix->cand = MemoryContextAlloc(cxt, cap * sizeof(int));
		ix->cand_d = MemoryContextAlloc(cxt, cap * sizeof(double));
		ix->cand_w = MemoryContextAlloc(cxt, cap * sizeof(double));
	}
	ix->capcand = cap;
}

static void
fsi_release(FsIndex *ix)
{
	if (ix->fs)
		pfree(ix->fs);
	if (ix->xyz)
		pfree(ix->xyz);
	if (ix->keybytes)
		pfree(ix->keybytes);
	ix->fs = NULL;
	ix->xyz = NULL;
	ix->keybytes = NULL;
	ix->keykind = 0;
}

/*
 * Unpack fs (a private copy the index takes over) into ix: unit vectors,
 * radians and cosines of every facility, in cxt.
 */
void
fs_index_fill(FsIndex *ix, FacilitySet *fs, MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	int			i,
				n;

	fs_check_header(fs);
	ix->fs = fs;
	n = ix->n = fs->nfac;
	fs_arrays(fs, &ix->a);
	fs_decay(fs, &ix->a, &ix->decay);
	ix->fac_hash = fs_facility_hash(fs);
	ix->xyz = palloc(Max(n, 1) * 6 * sizeof(double));
	ix->latr = ix->xyz + 3 * n;
	ix->lonr = ix->latr + n;
	ix->coslat = ix->lonr + n;
	for (i = 0; i < n; i++)
	{
		if (ix->a.split[i] > 2)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupted facility_set value")));
		ix->latr[i] = ix->a.lat[i] * DEG2RAD;
		ix->lonr[i] = ix->a.lon[i] * DEG2RAD;
		ix->coslat[i] = cos(ix->latr[i]);
		unit_vector(ix->latr[i], ix->lonr[i], ix->xyz + 3 * i);
	}
	MemoryContextSwitchTo(old);
	fsi_reserve(ix, cxt, 64);
}

/*
 * The unpacked index of argument "argno", from fn_extra when the same
 * facility_set was seen last time.  Identity: a toasted value by its toast
 * pointer; a small in-line value by its bytes; a large in-memory value by
 * address, size and content hash.
 */
static FsIndex *
fs_get_index(FunctionCallInfo fcinfo, int argno)
{
	struct varlena *raw = (struct varlena *) DatumGetPointer(PG_GETARG_DATUM(argno));
	MemoryContext cxt = fcinfo->flinfo->fn_mcxt;
	FsIndex    *ix = (FsIndex *) fcinfo->flinfo->fn_extra;
	int			keykind;
	Size		rawsize = VARSIZE_ANY(raw);
	MemoryContext old;

	if (VARATT_IS_EXTERNAL_ONDISK(raw))
		keykind = 1;
	else if (VARATT_IS_EXTERNAL(raw))
		keykind = 0;			/* indirect or expanded: no stable key */
	else if (VARATT_IS_EXTENDED(raw) || rawsize <= 4096)
		keykind = 2;			/* short header, compressed or small */
	else
		keykind = 3;

	if (ix != NULL && ix->keykind == keykind && keykind != 0)
	{
		if (keykind == 1 && ix->keysize == rawsize &&
			memcmp(ix->keybytes, raw, rawsize) == 0)
			return ix;
		if (keykind == 2 && ix->keysize == rawsize &&
			memcmp(ix->keybytes, raw, rawsize) == 0)
			return ix;
		if (keykind == 3 && ix->keyptr == (Pointer) raw && ix->keysize == rawsize &&
			ix->keyhash == ((FacilitySet *) raw)->hash)
			return ix;
	}
	if (ix == NULL)
	{
		ix = MemoryContextAllocZero(cxt, sizeof(FsIndex));
		fcinfo->flinfo->fn_extra = ix;
	}
	fsi_release(ix);

	old = MemoryContextSwitchTo(cxt);
	fs_index_fill(ix, (FacilitySet *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(argno)), cxt);
	ix->keykind = keykind;
	ix->keysize = rawsize;
	ix->keyptr = (Pointer) raw;
	ix->keyhash = keykind == 3 ? ix->fs->hash : 0;
	if (keykind == 1 || keykind == 2)
	{
		ix->keybytes = palloc(rawsize);
		memcpy(ix->keybytes, raw, rawsize);
	}
	MemoryContextSwitchTo(old);
	return ix;
}

static inline double
dist2(const double *a, const double *b)
{
	double		dx = a[0] - b[0],
				dy = a[1] - b[1],
				dz = a[2] - b[2];

	return dx * dx + dy * dy + dz * dz;
}

/*
 * Collect into ix->cand the facilities within "radius" metres (inclusive)
 * of (latr, lonr), with their distances.  limit > 0 stops after that many.
 */
int
fs_within(FsIndex *ix, MemoryContext cxt, double latr, double lonr, double radius, int limit)
{
	double		q[3];
	double		c2 = search_chord2(radius);
	double		coslat = cos(latr);
	int			stack_lo[KD_STACK],
				stack_hi[KD_STACK];
	int			sp = 0;
	const double *xyz = ix->xyz;
	const uint8 *split = ix->a.split;

	unit_vector(latr, lonr, q);
	ix->ncand = 0;
	if (ix->n == 0)
		return 0;
	stack_lo[0] = 0;
	stack_hi[0] = ix->n;
	sp = 1;

#define CONSIDER(k) \
	do { \
		if (dist2(q, xyz + 3 * (k)) <= c2) \
		{ \
			double		d_ = haversine(latr, lonr, coslat, ix->latr[k], ix->lonr[k], ix->coslat[k]); \
			if (d_ <= radius) \
			{ \
				if (ix->ncand >= ix->capcand) \
					fsi_reserve(ix, cxt, ix->ncand + 1); \
				ix->cand[ix->ncand] = (k); \
				ix->cand_d[ix->ncand] = d_; \
				ix->ncand++; \
				if (limit > 0 && ix->ncand >= limit) \
					return ix->ncand; \
			} \
		} \
	} while (0)

	while (sp > 0)
	{
		int			lo,
					hi,
					mid,
					axis;
		double		diff;

		sp--;
		lo = stack_lo[sp];
		hi = stack_hi[sp];
		if (hi - lo <= KD_LEAF)
		{
			int			k;

			for (k = lo; k < hi; k++)
				CONSIDER(k);
			continue;
		}
		mid = lo + (hi - lo) / 2;
		axis = split[mid];
		CONSIDER(mid);
		diff = q[axis] - xyz[3 * mid + axis];
		if (sp + 2 > KD_STACK)
			elog(ERROR, "facility_set k-d tree too deep");
		if (diff <= 0)
		{
			if (diff * diff <= c2)
			{
				stack_lo[sp] = mid + 1;
				stack_hi[sp++] = hi;
			}
			stack_lo[sp] = lo;
			stack_hi[sp++] = mid;
		}
		else
		{
			if (diff * diff <= c2)
			{
				stack_lo[sp] = lo;
				stack_hi[sp++] = mid;
			}
			stack_lo[sp] = mid + 1;
			stack_hi[sp++] = hi;
		}
	}
#undef CONSIDER
	return ix->ncand;
}

/* the nearest facility (smallest chord; ties to the smaller id), or -1 */
int
fs_nearest(FsIndex *ix, double latr, double lonr)
{
	double		q[3];
	int			stack_lo[KD_STACK],
				stack_hi[KD_STACK];
	double		stack_b[KD_STACK];
	int			sp;
	int			best = -1;
	double		bestd2 = DBL_MAX;
	const double *xyz = ix->xyz;

	if (ix->n == 0)
		return -1;
	unit_vector(latr, lonr, q);
	stack_lo[0] = 0;
	stack_hi[0] = ix->n;
	stack_b[0] = 0;
	sp = 1;

#define CONSIDER(k) \
	do { \
		double		d2_ = dist2(q, xyz + 3 * (k)); \
		if (d2_ < bestd2 || (d2_ == bestd2 && best >= 0 && ix->a.id[k] < ix->a.id[best])) \
		{ \
			bestd2 = d2_; \
			best = (k); \
		} \
	} while (0)

	while (sp > 0)
	{
		int			lo,
					hi,
					mid,
					axis;
		double		diff;

		sp--;
		if (stack_b[sp] > bestd2)
			continue;
		lo = stack_lo[sp];
		hi = stack_hi[sp];
		if (hi - lo <= KD_LEAF)
		{
			int			k;

			for (k = lo; k < hi; k++)
				CONSIDER(k);
			continue;
		}
		mid = lo + (hi - lo) / 2;
		axis = ix->a.split[mid];
		CONSIDER(mid);
		diff = q[axis] - xyz[3 * mid + axis];
		if (sp + 2 > KD_STACK)
			elog(ERROR, "facility_set k-d tree too deep");
		/* far side first on the stack, so the near side is searched first */
		if (diff <= 0)
		{
			stack_lo[sp] = mid + 1;
			stack_hi[sp] = hi;
			stack_b[sp++] = diff * diff;
			stack_lo[sp] = lo;
			stack_hi[sp] = mid;
			stack_b[sp++] = 0;
		}
		else
		{
			stack_lo[sp] = lo;
			stack_hi[sp] = mid;
			stack_b[sp++] = diff * diff;
			stack_lo[sp] = mid + 1;
			stack_hi[sp] = hi;
			stack_b[sp++] = 0;
		}
	}
#undef CONSIDER
	return best;
}

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

static void
fs_text_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type facility_set: \"%s\"", hs_excerpt_cstring(str)),
			 errdetail("%s", detail)));
}

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
		fs_text_error(str, "The facilities are written {(id,lon,lat,supply),...}.");
	while (isspace((unsigned char) *start))
		start++;
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
			fs_text_error(str, "The header is method;d0=N;decay=SPEC;ratio or demand.");
		*f2++ = '\0';
		*f3++ = '\0';
		*f4++ = '\0';
		method = parse_method(f1, strlen(f1));
		if (strncmp(f2, "d0=", 3) != 0)
			fs_text_error(str, "The second header field is d0=N.");
		q = f2 + 3;
		if (!parse_number(&q, &d0) || *q != '\0' || d0 <= 0)
			fs_text_error(str, "d0 must be a positive finite number.");
		if (strncmp(f3, "decay=", 6) != 0)
			fs_text_error(str, "The third header field is decay=SPEC.");
		parse_decay(f3 + 6, strlen(f3 + 6), &dc);
		if (strcmp(f4, "ratio") == 0)
			kind = FS_RATIO;
		else if (strcmp(f4, "demand") == 0)
			kind = FS_DEMAND;
		else
			fs_text_error(str, "The last header field is ratio or demand.");
	}
	rows = palloc(cap * sizeof(FacRow));
	p = brace + 1;
	while (isspace((unsigned char) *p))
		p++;
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

			while (isspace((unsigned char) *p))
				p++;
			if (*p++ != '(')
				fs_text_error(str, "Each facility is written (id,lon,lat,supply).");
			errno = 0;
			id = strtoll(p, &end, 10);
			if (end == p || errno == ERANGE)
				fs_text_error(str, "A facility id must be a bigint.");
			p = end;
			for (k = 0; k < nv; k++)
			{
				while (isspace((unsigned char) *p))
					p++;
				if (*p++ != ',' || !parse_number(&p, &vals[k]))
					fs_text_error(str, "Each facility is written (id,lon,lat,supply) with finite numbers.");
			}
			while (isspace((unsigned char) *p))
				p++;
			if (*p++ != ')')
				fs_text_error(str, "Each facility is written (id,lon,lat,supply).");
			if (n >= cap)
			{
				if (cap > fs_max_n())
					fs_text_error(str, "Too many facilities.");
				cap *= 2;
				rows = repalloc(rows, cap * sizeof(FacRow));
			}
			rows[n].id = id;
			rows[n].lon = vals[0];
			rows[n].lat = vals[1];
			rows[n].supply = vals[2];
			rows[n].value = kind == FS_PLAIN ? 0 : vals[3];
			n++;
			while (isspace((unsigned char) *p))
				p++;
			if (*p == ',')
			{
				p++;
				continue;
			}
			if (*p++ != '}')
				fs_text_error(str, "Facilities are separated by commas and closed by }.");
			break;
		}
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		fs_text_error(str, "Unexpected characters after the closing }.");
	PG_RETURN_POINTER(fs_build(rows, n, kind, method, &dc, d0,
							   ERRCODE_INVALID_TEXT_REPRESENTATION));
}

static FacilitySet *
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
		append_double(&buf, fs->d0);
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
		append_double(&buf, a.lon[i]);
		appendStringInfoChar(&buf, ',');
		append_double(&buf, a.lat[i]);
		appendStringInfoChar(&buf, ',');
		append_double(&buf, a.supply[i]);
		if (a.value)
		{
			appendStringInfoChar(&buf, ',');
			append_double(&buf, a.value[i]);
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
	ExpandedObjectHeader hdr;
	uint32		magic;
	int			n;
	int			cap;
	FacRow	   *rows;			/* in hdr.eoh_context */
} ExpandedFacilitySet;

static Size efs_get_flat_size(ExpandedObjectHeader *eohptr);
static void efs_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							 Size allocated_size);

static const ExpandedObjectMethods efs_methods = {
	efs_get_flat_size,
	efs_flatten_into
};

static ExpandedFacilitySet *
efs_create(MemoryContext parent, int cap)
{
	MemoryContext cxt;
	ExpandedFacilitySet *efs;

	cxt = AllocSetContextCreate(parent, "facility_set", ALLOCSET_SMALL_SIZES);
	efs = (ExpandedFacilitySet *) MemoryContextAlloc(cxt, sizeof(ExpandedFacilitySet));
	EOH_init_header(&efs->hdr, &efs_methods, cxt);
	efs->magic = EFS_MAGIC;
	efs->n = 0;
	efs->cap = Max(cap, 64);
	efs->rows = MemoryContextAllocExtended(cxt, (Size) efs->cap * sizeof(FacRow),
										   MCXT_ALLOC_HUGE);
	return efs;
}

static inline ExpandedFacilitySet *
efs_from_datum(Datum d)
{
	ExpandedFacilitySet *efs;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	efs = (ExpandedFacilitySet *) DatumGetEOHP(d);
	if (efs->magic != EFS_MAGIC)
		elog(ERROR, "expanded object is not a facility_set");
	return efs;
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

/* merge a facility_set datum (expanded, or a flat plain set) into efs */
static void
efs_merge_datum(ExpandedFacilitySet *efs, Datum d)
{
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

	Assert(efs->magic == EFS_MAGIC);
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

/*
 * The state to update: a read-write expanded state of this aggregate is
 * updated in place; a NULL or flat state becomes a new expanded object in a
 * child of the aggregate context, which the executor adopts.
 */
static ExpandedFacilitySet *
efs_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;
	ExpandedFacilitySet *efs;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s can only run inside its aggregate", fname)));
	if (PG_ARGISNULL(0))
		return efs_create(aggcxt, 0);
	if (VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		efs = efs_from_datum(PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(efs->hdr.eoh_context) == aggcxt)
			return efs;
	}
	efs = efs_create(aggcxt, 0);
	efs_merge_datum(efs, PG_GETARG_DATUM(0));
	return efs;
}

Datum
facility_set_accum(PG_FUNCTION_ARGS)
{
	ExpandedFacilitySet *efs;
	FacRow	   *r;
	double		lon,
				lat,
				supply;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		(PG_NARGS() > 4 && PG_ARGISNULL(4)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	supply = PG_NARGS() > 4 ? PG_GETARG_FLOAT8(4) : 1.0;
	hs_check_coordinate(lon, lat);
	check_amount(supply, "supply");
	efs = efs_state(fcinfo, "facility_set_accum");
	if (unlikely(efs->n == efs->cap))
		efs_reserve(efs, 1);
	r = &efs->rows[efs->n++];
	r->id = PG_GETARG_INT64(1);
	r->lon = lon;
	r->lat = lat;
	r->supply = supply;
	r->value = 0;
	PG_RETURN_DATUM(EOHPGetRWDatum(&efs->hdr));
}

Datum
facility_set_combine(PG_FUNCTION_ARGS)
{
	ExpandedFacilitySet *efs;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	efs = efs_state(fcinfo, "facility_set_combine");
	efs_merge_datum(efs, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&efs->hdr));
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

/* ------------------------------------------------------------------------
 * queries
 * ------------------------------------------------------------------------
 */

Datum
nearest_facility(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	FsIndex    *ix;
	TupleDesc	tupdesc;
	Datum		values[2];
	bool		nulls[2] = {false, false};
	int			k;
	double		latr,
				lonr;

	hs_check_coordinate(lon, lat);
	ix = fs_get_index(fcinfo, 0);
	latr = lat * DEG2RAD;
	lonr = lon * DEG2RAD;
	k = fs_nearest(ix, latr, lonr);
	if (k < 0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	values[0] = Int64GetDatum(ix->a.id[k]);
	values[1] = Float8GetDatum(haversine(latr, lonr, cos(latr),
										 ix->latr[k], ix->lonr[k], ix->coslat[k]));
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(BlessTupleDesc(tupdesc), values, nulls)));
}

Datum
facilities_within(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	double		radius = PG_GETARG_FLOAT8(3);
	FsIndex    *ix;

	hs_check_coordinate(lon, lat);
	check_d0(radius, "radius");
	ix = fs_get_index(fcinfo, 0);
	PG_RETURN_INT32(fs_within(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, radius, 0));
}

/* coverage(fs, lon, lat, pop, radius): population within radius of a facility */
Datum
coverage_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	SpatialRate *st;
	double		lon,
				lat,
				radius;
	int64		pop;
	FsIndex    *ix;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("coverage_accum is the transition function of the aggregate coverage and cannot be called on its own")));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(5))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	pop = PG_GETARG_INT64(4);
	radius = PG_GETARG_FLOAT8(5);
	hs_check_coordinate(lon, lat);
	if (pop < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("population %lld is negative", (long long) pop)));
	check_d0(radius, "radius");
	if (PG_ARGISNULL(0))
	{
		st = (SpatialRate *) palloc0(sizeof(SpatialRate));
	}
	else
		st = (SpatialRate *) PG_GETARG_POINTER(0);
	ix = fs_get_index(fcinfo, 1);
	st->den = hs_add_int64(st->den, pop, "rate denominator");
	if (pop > 0 && fs_within(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, radius, 1) > 0)
		st->num += pop;			/* bounded by den */
	PG_RETURN_POINTER(st);
}

/* ------------------------------------------------------------------------
 * 2SFCA family
 * ------------------------------------------------------------------------
 */

/*
 * Weights of the facilities reached from (latr, lonr), into ix->cand_w;
 * returns their sum (the 3SFCA selection denominator).
 */
static double
fca_weights(FsIndex *ix, MemoryContext cxt, double latr, double lonr, double d0,
			const Decay *dc)
{
	int			c,
				nc = fs_within(ix, cxt, latr, lonr, d0, 0);
	double		sum = 0;

	for (c = 0; c < nc; c++)
	{
		ix->cand_w[c] = decay_weight(dc, ix->cand_d[c], d0);
		sum += ix->cand_w[c];
	}
	return sum;
}

/*
 * fca_demand transition: state and result are facility_set values; the
 * state (FS_DEMAND) is updated in place in the aggregate context.
 */
Datum
fca_demand_accum(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FacilitySet *st;
	FsArrays	sa;
	FsIndex    *ix;
	double		lon,
				lat,
				pop,
				d0,
				wsum;
	int			method = FCA_2SFCA;
	int			c;
	Decay	   *dc;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("fca_demand_accum is the transition function of the aggregate fca_demand and cannot be called on its own")));
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
		PG_ARGISNULL(4) || PG_ARGISNULL(5) ||
		(PG_NARGS() > 6 && PG_ARGISNULL(6)) ||
		(PG_NARGS() > 7 && PG_ARGISNULL(7)))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	pop = PG_GETARG_FLOAT8(4);
	d0 = PG_GETARG_FLOAT8(5);
	hs_check_coordinate(lon, lat);
	check_amount(pop, "population");
	check_d0(d0, "d0");

	ix = fs_get_index(fcinfo, 1);
	/* decay and method: parsed once, re-checked by bytes */
	{
		text	   *dt = PG_NARGS() > 6 ? PG_GETARG_TEXT_PP(6) : NULL;
		const char *ds = dt ? VARDATA_ANY(dt) : "binary";
		int			dl = dt ? VARSIZE_ANY_EXHDR(dt) : 6;

		if (ix->decay_text == NULL || ix->decay_textlen != dl ||
			memcmp(ix->decay_text, ds, dl) != 0)
		{
			parse_decay(ds, dl, &ix->arg_decay);
			if (ix->decay_text)
				pfree(ix->decay_text);
			ix->decay_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(dl, 1));
			memcpy(ix->decay_text, ds, dl);
			ix->decay_textlen = dl;
		}
		dc = &ix->arg_decay;
		if (PG_NARGS() > 7)
		{
			text	   *mt = PG_GETARG_TEXT_PP(7);

			method = parse_method(VARDATA_ANY(mt), VARSIZE_ANY_EXHDR(mt));
		}
	}

	if (PG_ARGISNULL(0))
	{
		/* a fresh state: the facilities of the argument, zero demand */
		Size		size = fs_size(ix->n, dc->nsteps, FS_DEMAND);
		FsArrays	ia = ix->a;
		int			n = ix->n;

		hs_check_alloc_size(size, "fca_demand state");
		/* the executor copies a new state into the aggregate context */
		st = (FacilitySet *) palloc0(size);
		SET_VARSIZE(st, size);
		st->version = FS_VERSION;
		st->kind = FS_DEMAND;
		st->method = method;
		st->decay = dc->kind;
		st->nfac = n;
		st->nsteps = dc->nsteps;
		st->d0 = d0;
		st->beta = dc->beta;
		st->dmin = dc->dmin;
		fs_arrays(st, &sa);
		memcpy(sa.step_d, dc->step_d, dc->nsteps * sizeof(double));
		memcpy(sa.step_w, dc->step_w, dc->nsteps * sizeof(double));
		memcpy(sa.id, ia.id, n * sizeof(int64));
		memcpy(sa.lon, ia.lon, n * sizeof(double));
		memcpy(sa.lat, ia.lat, n * sizeof(double));
		memcpy(sa.supply, ia.supply, n * sizeof(double));
		memcpy(sa.split, ia.split, n);
		st->hash = ix->fac_hash;
	}
	else
	{
		Decay		sd;

		st = (FacilitySet *) PG_GETARG_POINTER(0);
		fs_arrays(st, &sa);
		if (st->hash != ix->fac_hash || st->nfac != ix->n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fca_demand needs the same facility_set in every row of a group")));
		fs_decay(st, &sa, &sd);
		if (st->d0 != d0 || st->method != method || !decay_equal(&sd, dc))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fca_demand parameters differ between rows of a group (d0 %g, method %s, then d0 %g, method %s)",
							st->d0, method_name(st->method), d0, method_name(method))));
	}

	if (pop > 0 && ix->n > 0)
	{
		wsum = fca_weights(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, d0, dc);
		if (wsum > 0)
		{
			for (c = 0; c < ix->ncand; c++)
			{
				double		w = ix->cand_w[c];

				if (method == FCA_3SFCA)
					w = w * (w / wsum);
				sa.value[ix->cand[c]] += w * pop;
			}
		}
	}
	PG_RETURN_POINTER(st);
}

Datum
fca_demand_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FacilitySet *a,
			   *b;
	FsArrays	aa,
				ba;
	Decay		ad,
				bd;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		aggcxt = NULL;
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	b = fs_arg(fcinfo, 1);
	if (b->kind != FS_DEMAND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_demand_combine needs partial fca_demand states")));
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);
	if (aggcxt != NULL)
		a = (FacilitySet *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	else
		a = (FacilitySet *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	fs_check_header(a);
	fs_arrays(a, &aa);
	fs_arrays(b, &ba);
	fs_decay(a, &aa, &ad);
	fs_decay(b, &ba, &bd);
	if (a->kind != FS_DEMAND || a->hash != b->hash || a->nfac != b->nfac ||
		memcmp(aa.id, ba.id, a->nfac * sizeof(int64)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge fca_demand states over different facility sets")));
	if (a->d0 != b->d0 || a->method != b->method || !decay_equal(&ad, &bd))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge fca_demand states with different parameters (d0 %g, method %s and d0 %g, method %s)",
						a->d0, method_name(a->method), b->d0, method_name(b->method))));
	for (i = 0; i < a->nfac; i++)
		aa.value[i] += ba.value[i];
	PG_RETURN_POINTER(a);
}

/* R_j = S_j / demand_j, 0 where nobody with population reaches j */
Datum
fca_demand_final(PG_FUNCTION_ARGS)
{
	FacilitySet *st,
			   *out;
	FsArrays	oa;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = fs_arg(fcinfo, 0);
	if (st->kind != FS_DEMAND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_demand_final needs an fca_demand state")));
	out = (FacilitySet *) palloc(VARSIZE(st));
	memcpy(out, st, VARSIZE(st));
	out->kind = FS_RATIO;
	fs_arrays(out, &oa);
	for (i = 0; i < out->nfac; i++)
		oa.value[i] = oa.value[i] > 0 ? oa.supply[i] / oa.value[i] : 0.0;
	fs_seal(out);
	PG_RETURN_POINTER(out);
}

Datum
fca_access(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	FsIndex    *ix;
	FacilitySet *fs;
	double		wsum,
				acc = 0;
	int			c;

	hs_check_coordinate(lon, lat);
	ix = fs_get_index(fcinfo, 0);
	fs = ix->fs;
	if (fs->kind != FS_RATIO)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_access needs the result of fca_demand"),
				 errdetail("This facility_set carries no supply-to-demand ratios.")));
	if (ix->n == 0)
		PG_RETURN_NULL();
	wsum = fca_weights(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, fs->d0, &ix->decay);
	if (wsum > 0)
	{
		for (c = 0; c < ix->ncand; c++)
		{
			double		w = ix->cand_w[c];

			if (fs->method == FCA_3SFCA)
				w = w * (w / wsum);
			acc += w * ix->a.value[ix->cand[c]];
		}
	}
	PG_RETURN_FLOAT8(acc);
}

/* ------------------------------------------------------------------------
 * fca_costs: the same over an origin-destination cost table
 * ------------------------------------------------------------------------
 */

typedef struct IdEntry
{
	int64		key;
	int			index;
} IdEntry;

typedef struct CostPair
{
	int			pop;
	int			fac;
	double		w;
} CostPair;

double
spi_number(HeapTuple tup, TupleDesc desc, int col, bool *isnull, const char *name,
		   const char *query)
{
	Datum		d = SPI_getbinval(tup, desc, col, isnull);
	Oid			typ = SPI_gettypeid(desc, col);

	if (*isnull)
		return 0;
	switch (typ)
	{
		case FLOAT8OID:
			return DatumGetFloat8(d);
		case FLOAT4OID:
			return DatumGetFloat4(d);
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return (double) DatumGetInt64(d);
		case NUMERICOID:
			return DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column %d (%s) of the %s has type %s, not a number",
					col, name, query, format_type_be(typ))));
	return 0;
}

int64
spi_id(HeapTuple tup, TupleDesc desc, int col, bool *isnull, const char *name,
	   const char *query)
{
	Datum		d = SPI_getbinval(tup, desc, col, isnull);
	Oid			typ = SPI_gettypeid(desc, col);

	if (*isnull)
		return 0;
	switch (typ)
	{
		case INT2OID:
			return DatumGetInt16(d);
		case INT4OID:
			return DatumGetInt32(d);
		case INT8OID:
			return DatumGetInt64(d);
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column %d (%s) of the %s has type %s, not an integer",
					col, name, query, format_type_be(typ))));
	return 0;
}

static int
id_index(HTAB *h, int64 key, int *n, double **vals, int *cap, double v,
		 const char *what, MemoryContext cxt)
{
	bool		found;
	IdEntry    *e = hash_search(h, &key, HASH_ENTER, &found);

	if (!found)
	{
		if (*n >= *cap)
		{
			*cap *= 2;
			*vals = repalloc_huge(*vals, (Size) *cap * sizeof(double));
		}
		e->index = (*n)++;
		(*vals)[e->index] = v;
	}
	else if ((*vals)[e->index] != v)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %lld has two different values, %g and %g", what,
						(long long) key, (*vals)[e->index], v),
				 errdetail("Every row of the same %s must carry the same amount.", what)));
	return e->index;
}

typedef struct PopOut
{
	int64		id;
	double		access;
} PopOut;

static int
popout_cmp(const void *a, const void *b)
{
	int64		x = ((const PopOut *) a)->id,
				y = ((const PopOut *) b)->id;

	return x < y ? -1 : x > y;
}

Datum
fca_costs(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	double		d0 = PG_GETARG_FLOAT8(1);
	text	   *dt = PG_GETARG_TEXT_PP(2);
	text	   *mt = PG_GETARG_TEXT_PP(3);
	Decay		dc;
	int			method;
	MemoryContext cxt = CurrentMemoryContext;
	HASHCTL		hctl;
	HTAB	   *pops,
			   *facs;
	int			npop = 0,
				nfac = 0,
				cappop = 1024,
				capfac = 1024;
	double	   *popv,
			   *supv;
	int64	   *popids;
	CostPair   *pairs;
	Size		npairs = 0,
				cappairs = 1024;
	double	   *wsum,
			   *demand,
			   *acc;
	uint64		r;
	Size		k;
	int			i;
	PopOut	   *out;

	check_d0(d0, "d0");
	parse_decay(VARDATA_ANY(dt), VARSIZE_ANY_EXHDR(dt), &dc);
	method = parse_method(VARDATA_ANY(mt), VARSIZE_ANY_EXHDR(mt));
	InitMaterializedSRF(fcinfo, 0);

	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = sizeof(int64);
	hctl.entrysize = sizeof(IdEntry);
	hctl.hcxt = cxt;
	pops = hash_create("fca_costs populations", 1024, &hctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	facs = hash_create("fca_costs facilities", 1024, &hctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	popv = palloc(cappop * sizeof(double));
	supv = palloc(capfac * sizeof(double));
	pairs = palloc(cappairs * sizeof(CostPair));

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	{
		Portal		portal;
		SPIPlanPtr	plan = SPI_prepare(sql, 0, NULL);

		if (plan == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_SYNTAX_ERROR),
					 errmsg("cannot prepare the cost query: %s", SPI_result_code_string(SPI_result))));
		portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
		for (;;)
		{
			SPI_cursor_fetch(portal, true, 10000);
			if (SPI_processed == 0)
				break;
			if (SPI_tuptable->tupdesc->natts != 5)
				ereport(ERROR,
						(errcode(ERRCODE_DATATYPE_MISMATCH),
						 errmsg("the cost query returns %d columns, not 5", SPI_tuptable->tupdesc->natts),
						 errhint("Return pop_id, pop, fac_id, supply, cost.")));
			for (r = 0; r < SPI_processed; r++)
			{
				HeapTuple	tup = SPI_tuptable->vals[r];
				TupleDesc	desc = SPI_tuptable->tupdesc;
				bool		n1,
							n2,
							n3,
							n4,
							n5;
				int64		pid = spi_id(tup, desc, 1, &n1, "pop_id", "cost query");
				double		pv = spi_number(tup, desc, 2, &n2, "pop", "cost query");
				int64		fid = spi_id(tup, desc, 3, &n3, "fac_id", "cost query");
				double		sv = spi_number(tup, desc, 4, &n4, "supply", "cost query");
				double		cost = spi_number(tup, desc, 5, &n5, "cost", "cost query");
				int			pi,
							fi;
				double		w;
				MemoryContext old;

				if (n1 || n2)
					continue;
				check_amount(pv, "population");
				old = MemoryContextSwitchTo(cxt);
				pi = id_index(pops, pid, &npop, &popv, &cappop, pv, "population", cxt);
				MemoryContextSwitchTo(old);
				if (n3 || n4 || n5)
					continue;
				check_amount(sv, "supply");
				if (isnan(cost) || cost < 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("cost %g is negative or NaN", cost)));
				old = MemoryContextSwitchTo(cxt);
				fi = id_index(facs, fid, &nfac, &supv, &capfac, sv, "facility", cxt);
				w = decay_weight(&dc, cost, d0);
				if (w > 0)
				{
					if (npairs >= cappairs)
					{
						cappairs *= 2;
						pairs = repalloc_huge(pairs, cappairs * sizeof(CostPair));
					}
					pairs[npairs].pop = pi;
					pairs[npairs].fac = fi;
					pairs[npairs].w = w;
					npairs++;
				}
				MemoryContextSwitchTo(old);
			}
			SPI_freetuptable(SPI_tuptable);
			CHECK_FOR_INTERRUPTS();
		}
		SPI_cursor_close(portal);
	}
	SPI_finish();

	wsum = palloc0(Max(npop, 1) * sizeof(double));
	acc = palloc0(Max(npop, 1) * sizeof(double));
	demand = palloc0(Max(nfac, 1) * sizeof(double));
	for (k = 0; k < npairs; k++)
		wsum[pairs[k].pop] += pairs[k].w;
	for (k = 0; k < npairs; k++)
	{
		double		w = pairs[k].w;

		if (method == FCA_3SFCA)
			w = w * (w / wsum[pairs[k].pop]);
		demand[pairs[k].fac] += w * popv[pairs[k].pop];
	}
	for (i = 0; i < nfac; i++)
		demand[i] = demand[i] > 0 ? supv[i] / demand[i] : 0.0;
	for (k = 0; k < npairs; k++)
	{
		double		w = pairs[k].w;

		if (method == FCA_3SFCA)
			w = w * (w / wsum[pairs[k].pop]);
		acc[pairs[k].pop] += w * demand[pairs[k].fac];
	}

	/* the population ids, in id order */
	popids = palloc(Max(npop, 1) * sizeof(int64));
	{
		HASH_SEQ_STATUS seq;
		IdEntry    *e;

		hash_seq_init(&seq, pops);
		while ((e = hash_seq_search(&seq)) != NULL)
			popids[e->index] = e->key;
	}
	out = palloc(Max(npop, 1) * sizeof(PopOut));
	for (i = 0; i < npop; i++)
	{
		out[i].id = popids[i];
		out[i].access = acc[i];
	}
	qsort(out, npop, sizeof(PopOut), popout_cmp);
	for (i = 0; i < npop; i++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		values[0] = Int64GetDatum(out[i].id);
		values[1] = Float8GetDatum(out[i].access);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
