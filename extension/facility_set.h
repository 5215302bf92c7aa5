/*-------------------------------------------------------------------------
 *
 * facility_set.h
 *	  The header of the spatial family (geodesy.c, decay.c, facility_set.c,
 *	  facility_set_io.c, fs_index.c, fs_reach.c, fca.c, fca_costs.c) and of
 *	  the planning files (planning.h), which use the facility_set: its
 *	  layout, the unpacked k-d tree index, radius and nearest queries, the
 *	  decays, the great-circle distance.
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
 *	  builds the tree itself (fs_build), so the layout never depends on row
 *	  order and input never has to be trusted.  The unit vectors are
 *	  recomputed from lon/lat when a value is first used and cached in
 *	  fn_extra, keyed by the datum's identity (fs_get_index), so a
 *	  facility_set passed to every row of a query is unpacked once per
 *	  backend.  Radius searches read programs of the tree walk kept per cell
 *	  of space (fs_reach.c), shared by the indexes of one query over the same
 *	  facilities.
 *
 *	  FS_DEMAND is the transition state of fca_demand (sum_k W(d_kj) P_k per
 *	  facility, updated in place; partial states merge by addition);
 *	  FS_RATIO is its final value, carrying R_j = S_j / demand_j together
 *	  with d0, decay and method so that fca_access uses the same parameters.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_FACILITY_SET_H
#define HS_FACILITY_SET_H

#include <math.h>

#include "executor/spi.h"
#include "fmgr.h"

/* mean Earth radius (IUGG R1 of WGS84), metres */
#define HS_EARTH_RADIUS 6371008.8
#define DEG2RAD (M_PI / 180.0)

/* kinds of facility_set */
#define FS_PLAIN	0
#define FS_DEMAND	1
#define FS_RATIO	2

#define FS_VERSION	1

/* methods */
#define FCA_NONE	0
#define FCA_2SFCA	1
#define FCA_3SFCA	2

/* decays */
#define DECAY_NONE		0
#define DECAY_BINARY	1
#define DECAY_LINEAR	2
#define DECAY_GAUSSIAN	3
#define DECAY_GRAVITY	4
#define DECAY_STEPS		5

#define HS_MAX_STEPS	64
#define HS_DECAY_MAXLEN 2048
#define KD_LEAF			8
#define KD_STACK		128

typedef struct FacilitySet
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint8		version;
	uint8		kind;			/* FS_PLAIN, FS_DEMAND, FS_RATIO */
	uint8		method;			/* FCA_*; FCA_NONE for FS_PLAIN */
	uint8		decay;			/* DECAY_*; DECAY_NONE for FS_PLAIN */
	int32		nfac;
	int32		nsteps;
	int32		reserved1;
	int32		reserved2;
	uint64		hash;			/* FS_DEMAND: hash of the facilities; else of
								 * the whole value */
	double		d0;
	double		beta;			/* gravity exponent */
	double		dmin;			/* gravity minimum distance */
} FacilitySet;

#define FS_HDRSZ	sizeof(FacilitySet)

StaticAssertDecl(sizeof(FacilitySet) == 56, "facility_set header is 56 bytes");

typedef struct Decay
{
	int			kind;
	double		beta;
	double		dmin;
	int			nsteps;
	double		step_d[HS_MAX_STEPS];
	double		step_w[HS_MAX_STEPS];
} Decay;

/* pointers into a facility_set */
typedef struct FsArrays
{
	double	   *step_d;
	double	   *step_w;
	int64	   *id;
	double	   *lon;
	double	   *lat;
	double	   *supply;
	double	   *value;			/* NULL for FS_PLAIN */
	uint8	   *split;
} FsArrays;

/* a facility_set unpacked for queries, cached in fn_extra */
typedef struct FsIndex
{
	/* identity of the datum this was built from */
	int			keykind;		/* 0 none, 1 toast pointer, 2 bytes, 3 pointer */
	Pointer		keyptr;
	Size		keysize;
	uint64		keyhash;
	char	   *keybytes;		/* copy of a small datum / toast pointer */

	FacilitySet *fs;			/* private copy */
	FsArrays	a;
	int			n;
	uint64		fac_hash;		/* hash of the facilities alone */
	double	   *xyz;			/* 3n unit vectors, tree order */
	double	   *latr;
	double	   *lonr;
	double	   *coslat;
	Decay		decay;			/* of an FS_DEMAND / FS_RATIO value */

	/* the chords of the last radius searched (search_chord2, inner_chord2) */
	double		chord_radius;
	double		chord2;
	double		inner2;

	/* the radius searches' cells (fs_reach.c), NULL until used */
	struct FsSearch *search;

	/* scratch: candidates of the last range query */
	int		   *cand;
	double	   *cand_d;
	double	   *cand_w;
	int			ncand;
	int			capcand;

	/*
	 * fca_demand: the state last checked against the arguments (its
	 * facilities, d0, method and decay), with those d0 and method; reset
	 * when the decay text or the facility_set changes
	 */
	Pointer		checked_state;
	double		checked_d0;
	int			checked_method;

	/* fca_demand: the decay text last parsed, and its parse */
	char	   *decay_text;
	int			decay_textlen;
	Decay		arg_decay;
	int			arg_method;
} FsIndex;

/*
 * Haversine distance in metres between two points given in radians, with
 * the cosines of their latitudes.  hs_distance and every facility_set query
 * use this one function, so the same pair always gives the same distance
 * (inclusive thresholds agree everywhere).
 */
static inline double
haversine(double lat1, double lon1, double coslat1,
		  double lat2, double lon2, double coslat2)
{
	double		s1 = sin((lat2 - lat1) * 0.5);
	double		s2 = sin((lon2 - lon1) * 0.5);
	double		h = s1 * s1 + coslat1 * coslat2 * s2 * s2;

	if (h > 1.0)
		h = 1.0;
	return 2.0 * HS_EARTH_RADIUS * asin(sqrt(h));
}

/* squared chord between unit vectors */
static inline double
fs_dist2(const double *a, const double *b)
{
	double		dx = a[0] - b[0],
				dy = a[1] - b[1],
				dz = a[2] - b[2];

	return dx * dx + dy * dy + dz * dz;
}

/*
 * A walk of the k-d tree of ix from unit vector q: a node's facility, then
 * its subtree on q's side of the split (q[axis] - split <= 0: the left
 * one), then the other unless its split lies farther than *bound2 (a
 * squared chord, which visit may shrink); a leaf in index order.
 * visit(arg, k, squared chord to k) returns false to stop.  fs_nearest and
 * the radius searches of a point (fs_reach.c) use it.
 */
typedef bool (*FsVisit) (void *arg, int k, double d2);

static inline void
fs_walk(const FsIndex *ix, const double *q, const double *bound2, FsVisit visit, void *arg)
{
	int			stack_lo[KD_STACK],
				stack_hi[KD_STACK];
	double		stack_b[KD_STACK];
	int			sp = 1;
	const double *xyz = ix->xyz;

	stack_lo[0] = 0;
	stack_hi[0] = ix->n;
	stack_b[0] = 0;
	while (sp > 0)
	{
		int			lo,
					hi,
					mid,
					axis,
					k;
		double		diff;

		sp--;
		if (stack_b[sp] > *bound2)
			continue;
		lo = stack_lo[sp];
		hi = stack_hi[sp];
		if (hi - lo <= KD_LEAF)
		{
			for (k = lo; k < hi; k++)
				if (!visit(arg, k, fs_dist2(q, xyz + 3 * k)))
					return;
			continue;
		}
		mid = lo + (hi - lo) / 2;
		axis = ix->a.split[mid];
		if (!visit(arg, mid, fs_dist2(q, xyz + 3 * mid)))
			return;
		diff = q[axis] - xyz[3 * mid + axis];
		if (sp + 2 > KD_STACK)
			elog(ERROR, "facility_set k-d tree too deep");
		/* the far side first on the stack, so that the near side comes first */
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
}

/* the unit vector of a point; returns the cosine of its latitude */
static inline double
unit_vector_cos(double latr, double lonr, double *v)
{
	double		cl = cos(latr);

	v[0] = cl * cos(lonr);
	v[1] = cl * sin(lonr);
	v[2] = sin(latr);
	return cl;
}

static inline void
unit_vector(double latr, double lonr, double *v)
{
	(void) unit_vector_cos(latr, lonr, v);
}

/* the type's I/O functions (fmgr), for values that embed a facility_set */
extern Datum facility_set_in(PG_FUNCTION_ARGS);
extern Datum facility_set_out(PG_FUNCTION_ARGS);
extern Datum facility_set_recv(PG_FUNCTION_ARGS);
extern Datum facility_set_send(PG_FUNCTION_ARGS);

extern void fs_arrays(FacilitySet *fs, FsArrays *a);
extern void fs_check_header(FacilitySet *fs);
extern void fs_index_fill(FsIndex *ix, FacilitySet *fs, MemoryContext cxt);
extern int	fs_within(FsIndex *ix, MemoryContext cxt, double latr, double lonr,
					  double radius, int limit);
extern int	fs_nearest(FsIndex *ix, double latr, double lonr);


/* a facility as the constructors collect it (facility_set.c) */
typedef struct FacRow
{
	int64		id;
	double		lon;
	double		lat;
	double		supply;
	double		value;
	double		v[3];
} FacRow;

/* geodesy.c */
extern double search_chord2(double dist);
extern double inner_chord2(double dist);

/* decay.c */
extern void parse_decay(const char *text, int len, Decay *dc);
extern int	parse_method(const char *text, int len);
extern const char *method_name(int m);
extern void append_decay(StringInfo buf, const Decay *dc);
extern bool decay_equal(const Decay *a, const Decay *b);
extern void check_d0(double d0, const char *what);
extern void check_amount(double v, const char *what);

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

/* facility_set.c */
extern Size fs_size(int n, int nsteps, int kind);
extern int	fs_max_n(void);
extern void fs_decay(const FacilitySet *fs, const FsArrays *a, Decay *dc);
extern uint64 fs_facility_hash(FacilitySet *fs);
extern uint64 fs_full_hash(FacilitySet *fs);
extern void fs_seal(FacilitySet *fs);
extern FacilitySet *fs_build(FacRow *rows, int n, int kind, int method,
							 const Decay *dc, double d0, int errcode);

/* facility_set_io.c */
extern FacilitySet *fs_arg(FunctionCallInfo fcinfo, int argno);

/* fs_index.c */
extern FsIndex *fs_get_index(FunctionCallInfo fcinfo, int argno);

/* fs_reach.c */
extern int	fs_reach(FsIndex *ix, MemoryContext cxt, double latr, double lonr,
					 double radius, int limit, bool need_distance);
extern void fs_reserve(FsIndex *ix, MemoryContext cxt, int need);
extern void fs_search_release(FsIndex *ix);

#endif							/* HS_FACILITY_SET_H */
