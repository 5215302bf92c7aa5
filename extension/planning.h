/*-------------------------------------------------------------------------
 *
 * planning.h
 *	  The private header of the planning family: where new facilities would
 *	  serve the most people, and which lead hospital each unit of a grid
 *	  should belong to.
 *
 *	  site_state.c			the site_select_state: checks of its parameters
 *							and sets, its flat format, its expanded object on
 *							the aggregate-state floor, the transition and
 *							combine functions
 *	  site_state_io.c		its text and binary forms
 *	  site_select.c			lazy greedy, maximal covering (Church & ReVelle
 *							1974) with Teitz & Bart swaps, site_select_final
 *	  site_select_median.c	p-median (Hakimi 1964): greedy, then Whitaker's
 *							(1983) fast interchange
 *	  site_select_costs.c	maximal covering over an origin-destination cost
 *							table read with SPI
 *	  grid_design.c			grid_design: the units read with SPI, the
 *							nearest hospital or the capacitated assignment
 *	  grid_design_search.c	the capacitated assignment's heuristics: regret
 *							greedy, Lagrangian and randomised starts, shift,
 *							swap and chain moves, iterated local search
 *
 *	  All results are deterministic: the demand points are sorted before any
 *	  sum, ties go to the smaller id; the randomised steps use a fixed hash.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_PLANNING_H
#define HS_PLANNING_H

#include "postgres.h"

#include "fmgr.h"
#include "utils/array.h"

#include "facility_set.h"

#define PLAN_COVER	0
#define PLAN_MEDIAN 1

/* a demand point */
typedef struct SitePoint
{
	double		lon;
	double		lat;
	double		pop;
} SitePoint;

/*
 * The flat site_select_state (the floor's rule: magic and version first,
 * checked before anything else is read):
 *		SiteState header (40 bytes)
 *		candidates		a facility_set, padded to MAXALIGN
 *		existing		a facility_set (exist_size 0: none), padded
 *		SitePoint		points[npoints]
 */
#define SS_MAGIC	0x48535353	/* "HSSS" */
#define SS_VERSION	1

typedef struct SiteState
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint32		magic;			/* SS_MAGIC */
	uint32		version;		/* SS_VERSION */
	uint8		objective;		/* PLAN_COVER or PLAN_MEDIAN */
	uint8		reserved[3];
	int32		k;
	int32		npoints;
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

/* site_state.c: checks, ids */
extern void site_check_params(int objective, int k, double radius, int ncand);
extern void site_check_view(const SiteView *v);
extern int	site_id_cmp(const void *a, const void *b);
extern int64 *site_sorted_ids(const int64 *ids, int n, const char *what);

/* site_state.c: the state's flat form, and the view of any state datum */
extern Size site_flat_size(const SiteView *v);
extern void site_flatten(const SiteView *v, SiteState *st, Size size);
extern SiteState *site_flat_new(const SiteView *v);
extern void site_view_flat(SiteState *st, SiteView *v);
extern void site_view_datum(Datum d, SiteView *v);

/* facility_set argument argno, detoasted and checked; NULL if NULL */
static inline FacilitySet *
site_fs_arg(FunctionCallInfo fcinfo, int argno)
{
	return PG_ARGISNULL(argno) ? NULL : fs_arg(fcinfo, argno);
}

/*
 * site_select.c: lazy greedy over m candidates (ranks 0..m-1 in id order; a
 * lower rank wins a tie).  "gain" computes the current gain of rank j,
 * "take" adds it.
 */
typedef struct HeapItem
{
	double		gain;
	int			j;
} HeapItem;

typedef double (*GainFn) (void *arg, int j);
typedef void (*TakeFn) (void *arg, int j);

extern void site_heap_sift_down(HeapItem *h, int n, int i);
extern void site_lazy_greedy(int m, int k, const bool *skip, const double *initial,
							 GainFn gain, TakeFn take, void *arg, int *chosen);
extern int	site_n_starts(int m, double work);

/*
 * site_select.c: maximal covering.  npts demand points with weights pop[],
 * m candidates, the candidates within reach of each point in CSR form
 * (pstart[i] .. pstart[i + 1] of pcand).
 */
typedef struct CoverProblem
{
	int			npts;
	int			m;
	int			k;
	double	   *pop;
	int64	   *pstart;			/* npts + 1 */
	int		   *pcand;
	/* built by site_cover_solve: the points of each candidate */
	int64	   *cstart;			/* m + 1 */
	int		   *cpt;
} CoverProblem;

extern void site_cover_solve(CoverProblem *p, int *chosen);
extern ArrayType *site_ids_array(const int64 *rank_id, const int *chosen, int k);
extern FsIndex *site_index(FacilitySet *fs);
extern int *site_ranks(FsIndex *ix, int64 **rank_id);

/*
 * site_select_median.c: the k ranks (of cix, rank[] mapping tree position
 * to rank) that with the existing facilities eix (NULL: none) minimise the
 * population-weighted distance of the n points.
 */
extern void site_median_choose(const SitePoint *pts, int n, FsIndex *cix,
							   const int *rank, FsIndex *eix, int k, int *chosen);

/*
 * grid_design_search.c: n units, h hospitals (in id order), the distances
 * and each unit's hospitals nearest first; the assignment at[] that the
 * search finds.
 */
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

#define DIST(g, i, b) ((g)->dist[(Size) (i) * (g)->h + (b)])

extern bool grid_design_search(Design *g, const double *cap);

#endif							/* HS_PLANNING_H */
