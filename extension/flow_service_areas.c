/*-------------------------------------------------------------------------
 *
 * flow_service_areas.c
 *	  Service-area delineation of a flowmatrix (flow_service_areas):
 *	  plurality assignment, then areas below a localization index merged
 *	  one at a time into the area that receives most of their outflow.
 *
 *	  The merges run in O(E log E) for E matrix entries: the candidate
 *	  areas wait in a binary heap ordered by localization index (stale
 *	  entries are skipped when popped), and every area keeps its outflows
 *	  to and inflows from other areas in two small hash maps, so that a
 *	  merge touches only the maps of the smaller of the two areas (it is
 *	  absorbed into the larger one, which takes the receiver's id).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/tuplestore.h"

#include "flow.h"

PG_FUNCTION_INFO_V1(flow_service_areas);

/* visits from (or to) one area to (or from) others: area -> visits */
typedef struct AreaMap
{
	int		   *keys;			/* -1: free slot */
	int64	   *vals;			/* 0: no visits (an entry taken out) */
	uint32		cap;			/* a power of 2; 0 before the first entry */
	uint32		used;			/* slots holding a key */
} AreaMap;

typedef struct Area
{
	int64		residents;		/* visits by the area's residents */
	int64		inside;			/* ... to providers in the area */
	int			label;			/* the area's id: the index of its key */
	uint32		version;		/* bumped at each change; heap entries carry it */
	bool		alive;			/* false once absorbed into another area */
	AreaMap		out;			/* outflow to other areas */
	AreaMap		in;				/* inflow from other areas */
} Area;

/* a candidate: an area below min_li as it was when pushed */
typedef struct AreaCandidate
{
	int64		inside;
	int64		residents;
	int			label;
	int			area;
	uint32		version;
} AreaCandidate;

typedef struct CandidateHeap
{
	AreaCandidate *items;
	int			n;
} CandidateHeap;

static inline uint32
area_hash(int key)
{
	uint32		h = (uint32) key * 0x9E3779B1u;

	return h ^ (h >> 15);
}

/* the slot of key in m (holding it, or the free slot where it goes) */
static inline uint32
area_map_slot(const AreaMap *m, int key)
{
	uint32		mask = m->cap - 1;
	uint32		j = area_hash(key) & mask;

	while (m->keys[j] >= 0 && m->keys[j] != key)
		j = (j + 1) & mask;
	return j;
}

static int64
area_map_get(const AreaMap *m, int key)
{
	uint32		j;

	if (m->cap == 0)
		return 0;
	j = area_map_slot(m, key);
	return m->keys[j] == key ? m->vals[j] : 0;
}

/* take key out of m: its visits become 0 */
static void
area_map_zero(AreaMap *m, int key)
{
	uint32		j;

	if (m->cap == 0)
		return;
	j = area_map_slot(m, key);
	if (m->keys[j] == key)
		m->vals[j] = 0;
}

/* double the map (or make its first slots), dropping entries taken out */
static void
area_map_grow(AreaMap *m)
{
	AreaMap		old = *m;
	uint32		i;

	m->cap = old.cap == 0 ? 8 : old.cap * 2;
	m->keys = (int *) palloc(m->cap * sizeof(int));
	m->vals = (int64 *) palloc(m->cap * sizeof(int64));
	memset(m->keys, -1, m->cap * sizeof(int));
	m->used = 0;
	for (i = 0; i < old.cap; i++)
	{
		if (old.keys[i] >= 0 && old.vals[i] != 0)
		{
			uint32		j = area_map_slot(m, old.keys[i]);

			m->keys[j] = old.keys[i];
			m->vals[j] = old.vals[i];
			m->used++;
		}
	}
	if (old.cap > 0)
	{
		pfree(old.keys);
		pfree(old.vals);
	}
}

/* add n visits to key's; no overflow: every sum is bounded by the total */
static void
area_map_add(AreaMap *m, int key, int64 n)
{
	uint32		j;

	if (m->cap == 0 || (m->used + 1) * 2 > m->cap)
		area_map_grow(m);
	j = area_map_slot(m, key);
	if (m->keys[j] != key)
	{
		m->keys[j] = key;
		m->vals[j] = 0;
		m->used++;
	}
	m->vals[j] += n;
}

static void
area_map_free(AreaMap *m)
{
	if (m->cap > 0)
	{
		pfree(m->keys);
		pfree(m->vals);
	}
	memset(m, 0, sizeof(AreaMap));
}

/*
 * a comes before b: a lower localization index inside/residents, compared
 * by cross-multiplication in double precision, ties by the smaller id.
 */
static inline bool
candidate_before(const AreaCandidate *a, const AreaCandidate *b)
{
	double		x = (double) a->inside * (double) b->residents;
	double		y = (double) b->inside * (double) a->residents;

	if (x != y)
		return x < y;
	return a->label < b->label;
}

static void
heap_push(CandidateHeap *h, const AreaCandidate *c)
{
	int			i = h->n++;

	while (i > 0)
	{
		int			parent = (i - 1) / 2;

		if (!candidate_before(c, &h->items[parent]))
			break;
		h->items[i] = h->items[parent];
		i = parent;
	}
	h->items[i] = *c;
}

static AreaCandidate
heap_pop(CandidateHeap *h)
{
	AreaCandidate top = h->items[0];
	AreaCandidate last = h->items[--h->n];
	int			i = 0;

	for (;;)
	{
		int			child = 2 * i + 1;

		if (child >= h->n)
			break;
		if (child + 1 < h->n && candidate_before(&h->items[child + 1], &h->items[child]))
			child++;
		if (!candidate_before(&h->items[child], &last))
			break;
		h->items[i] = h->items[child];
		i = child;
	}
	if (h->n > 0)
		h->items[i] = last;
	return top;
}

/* push area a when it has residents and a localization index below min_li */
static void
push_if_below(CandidateHeap *h, const Area *areas, int a, double min_li)
{
	const Area *ar = &areas[a];
	AreaCandidate c;

	if (ar->residents == 0 || !((double) ar->inside < min_li * (double) ar->residents))
		return;
	c.inside = ar->inside;
	c.residents = ar->residents;
	c.label = ar->label;
	c.area = a;
	c.version = ar->version;
	heap_push(h, &c);
}

/*
 * Add the entries of "from" (a map of area o, absorbed into s) to "into"
 * (the same map of s); in each other area's mirror map (its inflows when
 * "from" holds outflows, and the reverse) o's entry moves to s.
 */
static void
area_absorb_map(Area *areas, int s, int o, const AreaMap *from, AreaMap *into,
				bool outflows)
{
	uint32		i;

	for (i = 0; i < from->cap; i++)
	{
		int			c = from->keys[i];
		int64		n = from->vals[i];
		AreaMap    *mirror;

		if (c < 0 || n == 0 || c == s)
			continue;
		area_map_add(into, c, n);
		mirror = outflows ? &areas[c].in : &areas[c].out;
		area_map_zero(mirror, o);
		area_map_add(mirror, s, n);
	}
}

/* area o is absorbed into area s */
static void
area_absorb(Area *areas, int s, int o)
{
	Area	   *S = &areas[s];
	Area	   *O = &areas[o];

	area_map_zero(&S->out, o);
	area_map_zero(&S->in, o);
	area_absorb_map(areas, s, o, &O->out, &S->out, true);
	area_absorb_map(areas, s, o, &O->in, &S->in, false);
	area_map_free(&O->out);
	area_map_free(&O->in);
	O->alive = false;
}

/* the area receiving most of w's outflow (ties: the smaller id), or -1 */
static int
area_target(const Area *areas, int w)
{
	const AreaMap *m = &areas[w].out;
	int			target = -1;
	int64		best = 0;
	uint32		i;

	for (i = 0; i < m->cap; i++)
	{
		int			c = m->keys[i];
		int64		n = m->vals[i];

		if (c < 0 || n == 0)
			continue;
		if (n > best || (target >= 0 && n == best && areas[c].label < areas[target].label))
		{
			target = c;
			best = n;
		}
	}
	return target;
}

/* the area a region belongs to now (path halving) */
static inline int
area_find(int *parent, int k)
{
	while (parent[k] != k)
	{
		parent[k] = parent[parent[k]];
		k = parent[k];
	}
	return k;
}

/*
 * flow_service_areas(fm, min_li) returns setof (region, area)
 *
 * HSA-style delineation.  1. Plurality: every origin goes to the area named
 * by its plurality destination; a key that is some origin's plurality
 * destination anchors its own area; other keys that are only destinations
 * form areas of their own (without residents).  2. While some area with
 * residents has a localization index (visits of its residents to providers
 * in the area over all visits of its residents) below min_li and more than
 * one area remains: take the area with the lowest index (ties: smallest
 * area id) and merge it into the area that receives most of its residents'
 * outside visits (ties: smallest area id); the merged area keeps the
 * receiver's id.  One row per origin, sorted by region.
 */
Datum
flow_service_areas(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	double		min_li = PG_GETARG_FLOAT8(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FlowRegions r;
	int		   *area;			/* region index -> its area (union-find) */
	Area	   *areas;
	CandidateHeap heap;
	int			nareas = 0;
	int			k;
	uint32		i;

	if (isnan(min_li))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_li must not be NaN")));
	InitMaterializedSRF(fcinfo, 0);
	flow_regions_compute(fm, &r, true);
	if (r.nregions == 0)
		return (Datum) 0;

	area = (int *) palloc(r.nregions * sizeof(int));
	for (k = 0; k < r.nregions; k++)
		area[k] = k;
	/* plurality; entries are sorted, so each origin's run is contiguous */
	i = 0;
	while (i < fm->nentries)
	{
		uint32		best = i;
		int			o = r.oidx[i];

		for (; i < fm->nentries && r.oidx[i] == o; i++)
			if (fm->entries[i].n > fm->entries[best].n)
				best = i;
		area[o] = r.didx[best];
	}
	/* anchors (plurality destinations) keep their own area */
	{
		bool	   *anchor = (bool *) palloc0(r.nregions * sizeof(bool));

		for (k = 0; k < r.nregions; k++)
			if (r.residents[k] > 0)
				anchor[area[k]] = true;
		for (k = 0; k < r.nregions; k++)
			if (anchor[k] || r.residents[k] == 0)
				area[k] = k;
		pfree(anchor);
	}

	/* every area's visits: residents, inside, and flows between areas */
	areas = (Area *) palloc0(r.nregions * sizeof(Area));
	for (k = 0; k < r.nregions; k++)
	{
		areas[k].label = k;
		areas[k].alive = (area[k] == k);
		if (area[k] == k)
			nareas++;
	}
	for (i = 0; i < fm->nentries; i++)
	{
		int			a = area[r.oidx[i]];
		int			b = area[r.didx[i]];
		int64		n = fm->entries[i].n;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		areas[a].residents += n;
		if (a == b)
			areas[a].inside += n;
		else
		{
			area_map_add(&areas[a].out, b, n);
			area_map_add(&areas[b].in, a, n);
		}
	}

	/* the merges, lowest localization index first */
	heap.items = (AreaCandidate *) palloc(2 * (Size) r.nregions * sizeof(AreaCandidate));
	heap.n = 0;
	for (k = 0; k < r.nregions; k++)
		if (areas[k].alive)
			push_if_below(&heap, areas, k, min_li);
	while (nareas > 1)
	{
		int			w = -1;
		int			t,
					s,
					o;
		int64		inside,
					residents;

		CHECK_FOR_INTERRUPTS();
		while (heap.n > 0)
		{
			AreaCandidate c = heap_pop(&heap);

			if (areas[c.area].alive && areas[c.area].version == c.version)
			{
				w = c.area;
				break;
			}
		}
		if (w < 0)
			break;
		t = area_target(areas, w);
		if (t < 0)
			break;				/* no outflow: cannot happen below min_li <= 1 */
		inside = areas[w].inside + areas[t].inside +
			area_map_get(&areas[w].out, t) + area_map_get(&areas[t].out, w);
		residents = areas[w].residents + areas[t].residents;
		/* the area with the larger maps survives and takes t's id */
		if (areas[w].out.used + areas[w].in.used > areas[t].out.used + areas[t].in.used)
			s = w, o = t;
		else
			s = t, o = w;
		areas[s].label = areas[t].label;
		area_absorb(areas, s, o);
		area[o] = s;
		areas[s].inside = inside;
		areas[s].residents = residents;
		areas[s].version++;
		push_if_below(&heap, areas, s, min_li);
		nareas--;
	}

	for (k = 0; k < r.nregions; k++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (r.residents[k] == 0)
			continue;
		values[0] = Int64GetDatum(r.keys[k]);
		values[1] = Int64GetDatum(r.keys[areas[area_find(area, k)].label]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}
