/*-------------------------------------------------------------------------
 *
 * fs_reach.c
 *	  Radius searches of a facility_set (fs_reach, fs_within): the
 *	  facilities within a radius of a point, read from programs kept per
 *	  cell of space instead of a walk of the k-d tree per point.
 *
 *	  A radius search returns the facilities in the order of a walk of the
 *	  k-d tree from the root: a node's own facility, then its subtree on the
 *	  point's side of the split (q[axis] - split <= 0: the left one), then
 *	  the other; a leaf (at most KD_LEAF facilities) in index order.
 *	  Whatever a walk prunes, its result is the facilities that pass the
 *	  chord test (and, near the radius, the haversine) in that order: a
 *	  subtree beyond the chord holds none that passes.  The order matters:
 *	  2SFCA sums over the facilities found.
 *
 *	  The unit vectors are cut into cubic cells of side h (FS_CELL_SCALE
 *	  search chords, at least FS_CELL_MIN).  For one cell the walk is written
 *	  down once, as a program: the facilities within the chord of the cell
 *	  (a superset of the result of every point in it) in walk order, with a
 *	  branch where a split plane crosses the cell and both of its sides hold
 *	  some.  A search runs its cell's program, a scan of a short array with
 *	  the same test per facility, and finds the same facilities in the same
 *	  order as the walk.  A cell's program is made from its parent's (side
 *	  2h, up to FS_CELL_LEVELS levels; the top level from the tree) when the
 *	  cell is first searched, and kept.  A program is a sequence of int32:
 *	  k >= 0 is facility k; -1 - mid, nl, nr a branch at node mid, followed
 *	  by the nl entries of its left side and the nr entries of its right
 *	  side.
 *
 *	  The cells of a radius and a tree are shared by every index over the
 *	  same facilities in one memory context (fca_demand and fca_access of
 *	  one query) and live as long as it.  The first FS_GRID_WARM searches at
 *	  a radius, searches while the radius changes, searches beyond
 *	  FS_GRID_BUDGET entries of a grid (its programs, and 4 per slot of its
 *	  cell table), and searches once the grids of the backend hold
 *	  FS_GRIDS_BYTES of cells, walk the tree (fs_walk); a grid is made
 *	  while all the grids, with their copies of the trees, hold less than
 *	  FS_GRIDS_BYTES (the first always).  A query whose radius changes now
 *	  and then, or whose points are spread far apart, takes bounded memory.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/memutils.h"

#include "facility_set.h"

#define FS_CELL_SCALE	1.0		/* cell side in search chords */
#define FS_CELL_MIN		4e-6	/* smallest cell side (25 m on the sphere) */
#define FS_CELL_BITS	19		/* bits of a cell coordinate in a key */
#define FS_CELL_BIAS	(INT64CONST(1) << (FS_CELL_BITS - 1))
#define FS_CELL_LEVELS	4		/* levels made from their parents */
#define FS_CELL_MARGIN	1e-12	/* a box widened against rounding */
#define FS_GRID_BUDGET	((Size) 1 << 22)	/* program entries of a grid */
#define FS_GRIDS_BYTES	((Size) 64 << 20)	/* memory of all the grids */
#define FS_TREE_BYTES(n)	((Size) (n) * (3 * sizeof(double) + 1))
#define FS_GRID_WARM	8		/* searches at one radius before cells */

typedef struct FsCell
{
	uint64		key;			/* level and coordinates; 0: a free slot */
	uint32		start;			/* its program in prog */
	uint32		len;
} FsCell;

/* the cells of one radius over one tree */
typedef struct FsGrid
{
	struct FsGrid *next;		/* in fs_grids */
	MemoryContext owner;		/* lives as long as this context */
	MemoryContext cxt;			/* its own memory */
	int			n;
	const double *xyz;			/* the tree the programs are for */
	const uint8 *split;
	double		radius;
	double		chord;			/* the search chord, for pruning */
	double		near2;			/* its square, for membership */
	double		h;				/* side of the cells of level 0 */
	double		inv_h;
	FsCell	   *cells;			/* open addressing, linear probing */
	uint32		mask;
	uint32		ncells;
	bool		full;			/* FS_GRID_BUDGET reached */
	Size		bytes;			/* its memory, as counted in fs_grids_bytes */
	Size		tree;			/* of which its copy of the tree */
	int32	   *prog;			/* the programs of the cells */
	Size		nprog;
	Size		capprog;
} FsGrid;

/* an index's searches */
typedef struct FsSearch
{
	bool		valid;
	double		radius;			/* of the searches in a row */
	int64		nsearch;
	FsGrid	   *grid;			/* its cells, shared; NULL before */
	FsCell		last;			/* the cell searched last */
	FsGrid	   *known[4];		/* grids found for this index before (their
								 * facilities compared once) */
} FsSearch;

/*
 * The grids of every live context, the memory they hold together, and of
 * it their copies of the trees.
 */
static FsGrid *fs_grids = NULL;
static Size fs_grids_bytes = 0;
static Size fs_trees_bytes = 0;

/* ------------------------------------------------------------------------
 * writing programs
 * ------------------------------------------------------------------------
 */

typedef struct ProgBuild
{
	FsGrid	   *g;
	double		lo[3],
				hi[3];			/* the box the program is for */
	Size		n;				/* end of the program being written */
} ProgBuild;

/* room for a branch (3 entries) at the end of the program */
static inline void
pb_room(ProgBuild *b)
{
	FsGrid	   *g = b->g;

	if (b->n + 3 > g->capprog)
	{
		/* the capacity changes only once the room is there */
		Size		cap = Max(g->capprog * 2, 1024);

		g->prog = g->prog ? repalloc_huge(g->prog, cap * sizeof(int32)) :
			MemoryContextAllocHuge(g->cxt, cap * sizeof(int32));
		g->capprog = cap;
	}
}

static inline void
pb_facility(ProgBuild *b, int k)
{
	pb_room(b);
	b->g->prog[b->n++] = k;
}

/* facility k within the chord of the box? (generous: a superset is fine) */
static inline bool
pb_near(const ProgBuild *b, int k)
{
	const double *p = b->g->xyz + 3 * k;
	double		d2 = 0;
	int			a;

	/*
	 * The gap on each axis, without branches: at most one of below and
	 * above is positive, and (|x| + x) / 2 is exactly max(x, 0).
	 */
	for (a = 0; a < 3; a++)
	{
		double		below = b->lo[a] - p[a],
					above = p[a] - b->hi[a],
					t = 0.5 * ((fabs(below) + below) + (fabs(above) + above));

		d2 += t * t;
	}
	return d2 <= b->g->near2;
}

static void pb_tree(ProgBuild *b, int lo, int hi);
static void pb_prog(ProgBuild *b, Size start, Size end);

/* one side of a node: a subtree, or a side of a branch of a program */
static void
pb_side(ProgBuild *b, bool tree, Size start, Size end)
{
	if (tree)
		pb_tree(b, (int) start, (int) end);
	else
		pb_prog(b, start, end);
}

/*
 * The sides of node mid, [l0, l1) on the left and [r0, r1) on the right
 * (subtrees, or blocks of a program), in the order of a walk from any point
 * of the box: the left subtree lies at or below the split on its axis, the
 * right one at or above.
 */
static void
pb_split(ProgBuild *b, int mid, bool tree, Size l0, Size l1, Size r0, Size r1)
{
	FsGrid	   *g = b->g;
	int			axis = g->split[mid];
	double		s = g->xyz[3 * mid + axis];
	bool		left = !(b->lo[axis] - s > g->chord);
	bool		right = !(s - b->hi[axis] > g->chord);

	if (left && right && b->lo[axis] <= s && s < b->hi[axis])
	{
		/* the split crosses the box: a branch, unless a side is empty */
		Size		hdr = b->n,
					mid_n;

		pb_room(b);
		b->n += 3;
		pb_side(b, tree, l0, l1);
		mid_n = b->n;
		pb_side(b, tree, r0, r1);
		if (mid_n == hdr + 3 || b->n == mid_n)
		{
			memmove(g->prog + hdr, g->prog + hdr + 3, (b->n - hdr - 3) * sizeof(int32));
			b->n -= 3;
		}
		else
		{
			g->prog[hdr] = -1 - mid;
			g->prog[hdr + 1] = (int32) (mid_n - hdr - 3);
			g->prog[hdr + 2] = (int32) (b->n - mid_n);
		}
	}
	else if (s < b->lo[axis])
	{
		/* every point of the box is above the split: right side first */
		if (right)
			pb_side(b, tree, r0, r1);
		if (left)
			pb_side(b, tree, l0, l1);
	}
	else
	{
		if (left)
			pb_side(b, tree, l0, l1);
		if (right)
			pb_side(b, tree, r0, r1);
	}
}

/* the program of the subtree [lo, hi) for the box */
static void
pb_tree(ProgBuild *b, int lo, int hi)
{
	int			mid,
				k;

	if (hi - lo <= KD_LEAF)
	{
		for (k = lo; k < hi; k++)
			if (pb_near(b, k))
				pb_facility(b, k);
		return;
	}
	if (hi - lo > 65536)
		CHECK_FOR_INTERRUPTS();	/* the top of a large tree */
	mid = lo + (hi - lo) / 2;
	if (pb_near(b, mid))
		pb_facility(b, mid);
	pb_split(b, mid, true, lo, mid, mid + 1, hi);
}

/*
 * The program [start, end) of prog, made for a box that holds this one,
 * narrowed to this box: the same walk order, fewer facilities.
 */
static void
pb_prog(ProgBuild *b, Size start, Size end)
{
	Size		pos = start;

	while (pos < end)
	{
		int32		e = b->g->prog[pos];

		if ((pos & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (e >= 0)
		{
			if (pb_near(b, e))
				pb_facility(b, e);
			pos++;
		}
		else
		{
			Size		l0 = pos + 3,
						r0 = l0 + b->g->prog[pos + 1],
						r1 = r0 + b->g->prog[pos + 2];

			pb_split(b, -1 - e, false, l0, r0, r0, r1);
			pos = r1;
		}
	}
}

/* ------------------------------------------------------------------------
 * grids and cells
 * ------------------------------------------------------------------------
 */

static void
fs_grid_radius(FsGrid *g, const FsIndex *ix)
{
	g->radius = ix->chord_radius;
	g->chord = sqrt(ix->chord2) * (1.0 + 1e-9);
	g->near2 = ix->chord2 * (1.0 + 1e-9);
}

/* count the grid's memory now in fs_grids_bytes */
static void
fs_grid_account(FsGrid *g)
{
	Size		now = MemoryContextMemAllocated(g->cxt, false);

	fs_grids_bytes = fs_grids_bytes - g->bytes + now;
	g->bytes = now;
}

static void
fs_grid_forget(void *arg)
{
	FsGrid	   *g = (FsGrid *) arg;
	FsGrid	  **p;

	fs_grids_bytes -= g->bytes;
	fs_trees_bytes -= g->tree;
	for (p = &fs_grids; *p != NULL; p = &(*p)->next)
		if (*p == g)
		{
			*p = g->next;
			break;
		}
}

/*
 * The grid of cxt for ix's tree at its current radius, made if asked and
 * the grids of the backend hold less than FS_GRIDS_BYTES with its copy of
 * the tree, or none lives (else NULL: the searches walk).
 */
static FsGrid *
fs_grid_get(FsIndex *ix, MemoryContext cxt, bool make)
{
	FsGrid	   *g;
	MemoryContext gcxt;
	MemoryContextCallback *cb;
	double	   *xyz;
	uint8	   *split;

	for (g = fs_grids; g != NULL; g = g->next)
		if (g->owner == cxt && g->radius == ix->chord_radius && g->n == ix->n &&
			memcmp(g->xyz, ix->xyz, 3 * sizeof(double) * ix->n) == 0 &&
			memcmp(g->split, ix->a.split, ix->n) == 0)
			return g;
	if (!make ||
		(fs_trees_bytes > 0 && fs_grids_bytes + FS_TREE_BYTES(ix->n) > FS_GRIDS_BYTES))
		return NULL;

	gcxt = AllocSetContextCreate(cxt, "facility_set cells", ALLOCSET_DEFAULT_SIZES);
	g = MemoryContextAllocZero(gcxt, sizeof(FsGrid));
	g->owner = cxt;
	g->cxt = gcxt;
	g->n = ix->n;
	xyz = MemoryContextAllocHuge(gcxt, 3 * sizeof(double) * ix->n);
	memcpy(xyz, ix->xyz, 3 * sizeof(double) * ix->n);
	split = MemoryContextAllocHuge(gcxt, ix->n);
	memcpy(split, ix->a.split, ix->n);
	g->xyz = xyz;
	g->split = split;
	fs_grid_radius(g, ix);
	g->h = Max(FS_CELL_SCALE * sqrt(ix->chord2), FS_CELL_MIN);
	g->inv_h = 1.0 / g->h;
	g->mask = 255;
	g->cells = MemoryContextAllocZero(gcxt, (g->mask + 1) * sizeof(FsCell));
	/* forgotten when cxt goes */
	cb = MemoryContextAlloc(gcxt, sizeof(MemoryContextCallback));
	cb->func = fs_grid_forget;
	cb->arg = g;
	MemoryContextRegisterResetCallback(gcxt, cb);
	g->next = fs_grids;
	fs_grids = g;
	g->tree = FS_TREE_BYTES(ix->n);
	fs_trees_bytes += g->tree;
	fs_grid_account(g);
	return g;
}

static inline uint32
fs_cell_slot(uint64 key, uint32 mask)
{
	return (uint32) ((key * UINT64CONST(0x9E3779B97F4A7C15)) >> 32) & mask;
}

static inline uint64
fs_cell_key(const int64 *c, int level)
{
	return ((uint64) level + 1) |
		(uint64) (c[0] + FS_CELL_BIAS) << 5 |
		(uint64) (c[1] + FS_CELL_BIAS) << (5 + FS_CELL_BITS) |
		(uint64) (c[2] + FS_CELL_BIAS) << (5 + 2 * FS_CELL_BITS);
}

static void
fs_cell_insert(FsGrid *g, const FsCell *cell)
{
	uint32		i;

	if ((g->ncells + 1) * 2 > g->mask + 1)
	{
		FsCell	   *old = g->cells;
		uint32		oldsize = g->mask + 1;

		/* the mask changes only once the new table is there */
		g->cells = MemoryContextAllocZero(g->cxt, (Size) oldsize * 2 * sizeof(FsCell));
		g->mask = g->mask * 2 + 1;
		g->ncells = 0;
		for (i = 0; i < oldsize; i++)
			if (old[i].key != 0)
				fs_cell_insert(g, &old[i]);
		pfree(old);
	}
	for (i = fs_cell_slot(cell->key, g->mask); g->cells[i].key != 0; i = (i + 1) & g->mask)
		;
	g->cells[i] = *cell;
	g->ncells++;
}

/*
 * The cell of coordinates c at "level" (side h * 2^level), its program
 * made if new: narrowed from its parent's, or at the top from the tree.
 */
static FsCell
fs_cell(FsGrid *g, const int64 *c, int level)
{
	uint64		key = fs_cell_key(c, level);
	double		side = ldexp(g->h, level);
	uint32		i;
	int			a;
	ProgBuild	b;
	FsCell		cell;

	for (i = fs_cell_slot(key, g->mask); g->cells[i].key != 0; i = (i + 1) & g->mask)
		if (g->cells[i].key == key)
			return g->cells[i];

	b.g = g;
	for (a = 0; a < 3; a++)
	{
		/* widened by far more than any rounding of q or of the bounds */
		b.lo[a] = (double) c[a] * side - FS_CELL_MARGIN;
		b.hi[a] = (double) (c[a] + 1) * side + FS_CELL_MARGIN;
	}
	if (level < FS_CELL_LEVELS && side < 2.0)
	{
		int64		pc[3];
		FsCell		parent;

		for (a = 0; a < 3; a++)
			pc[a] = c[a] >= 0 ? c[a] / 2 : -((1 - c[a]) / 2);	/* floor */
		parent = fs_cell(g, pc, level + 1);
		b.n = g->nprog;
		pb_prog(&b, parent.start, parent.start + parent.len);
	}
	else
	{
		b.n = g->nprog;
		pb_tree(&b, 0, g->n);
	}

	/*
	 * No cell is made once FS_GRID_BUDGET is passed, so the programs stay
	 * far below 2^32 entries (each holds at most 4 entries per facility).
	 * The cell table counts too (a slot is 4 entries): cells of points
	 * spread far apart hold short programs, but many of them.
	 */
	if (b.n > PG_UINT32_MAX)
		elog(ERROR, "facility_set cell programs too large");
	cell.key = key;
	cell.start = (uint32) g->nprog;
	cell.len = (uint32) (b.n - g->nprog);
	g->nprog = b.n;
	fs_cell_insert(g, &cell);
	if (g->nprog + 4 * ((Size) g->mask + 1) > FS_GRID_BUDGET)
		g->full = true;
	fs_grid_account(g);
	return cell;
}

/* remember a grid of the index's facilities (the oldest goes) */
static void
fs_search_knows(FsSearch *s, FsGrid *g)
{
	memmove(s->known + 1, s->known, sizeof(s->known) - sizeof(s->known[0]));
	s->known[0] = g;
}

/*
 * The program of a search around unit vector q at ix->chord_radius: its
 * cell's, or NULL when the point walks the tree.
 */
static const int32 *
fs_program(FsIndex *ix, MemoryContext cxt, const double *q, Size *len)
{
	FsSearch   *s = ix->search;
	FsGrid	   *g;
	int64		c[3];
	int			a;
	uint64		key;

	if (s == NULL)
		s = ix->search = MemoryContextAllocZero(cxt, sizeof(FsSearch));
	if (!s->valid || s->radius != ix->chord_radius)
	{
		s->valid = true;
		s->radius = ix->chord_radius;
		s->nsearch = 0;
		s->last.key = 0;
		s->grid = NULL;
		for (a = 0; a < (int) lengthof(s->known) && s->known[a] != NULL; a++)
			if (s->known[a]->radius == s->radius)
				s->grid = s->known[a];
		if (s->grid == NULL && (s->grid = fs_grid_get(ix, cxt, false)) != NULL)
			fs_search_knows(s, s->grid);
	}
	/* the grid is asked for once per radius: it may be refused */
	if (s->grid == NULL && ++s->nsearch == FS_GRID_WARM + 1 &&
		(s->grid = fs_grid_get(ix, cxt, true)) != NULL)
		fs_search_knows(s, s->grid);
	g = s->grid;

	if (g != NULL)
	{
		for (a = 0; a < 3; a++)
		{
			double		t = q[a] * g->inv_h;

			c[a] = (int64) t;
			if ((double) c[a] > t)
				c[a]--;			/* floor */
		}
		key = fs_cell_key(c, 0);
		if (key != s->last.key)
		{
			uint32		i;

			for (i = fs_cell_slot(key, g->mask); g->cells[i].key != 0; i = (i + 1) & g->mask)
				if (g->cells[i].key == key)
					break;
			if (g->cells[i].key != 0)
				s->last = g->cells[i];
			else if (!g->full && fs_grids_bytes - fs_trees_bytes <= FS_GRIDS_BYTES)
				s->last = fs_cell(g, c, 0);
			else
				g = NULL;
		}
		if (g != NULL)
		{
			*len = s->last.len;
			return g->prog + s->last.start;
		}
	}

	/* no cell: the point walks the tree */
	return NULL;
}

/* room for "need" candidates in ix */
void
fs_reserve(FsIndex *ix, MemoryContext cxt, int need)
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

/* forget an index's searches (its facility_set changes) */
void
fs_search_release(FsIndex *ix)
{
	if (ix->search == NULL)
		return;
	pfree(ix->search);
	ix->search = NULL;
}

/* ------------------------------------------------------------------------
 * searches
 * ------------------------------------------------------------------------
 */

/*
 * Collect into ix->cand the facilities within "radius" metres (inclusive)
 * of (latr, lonr), with their distances.  limit > 0 stops after that many.
 */
int
fs_within(FsIndex *ix, MemoryContext cxt, double latr, double lonr, double radius, int limit)
{
	return fs_reach(ix, cxt, latr, lonr, radius, limit, true);
}

/* a radius search under way */
typedef struct Reach
{
	FsIndex    *ix;
	MemoryContext cxt;
	double		latr,
				lonr,
				coslat;
	double		radius;
	double		c2;				/* search_chord2(radius) */
	double		inner2;			/* inner_chord2(radius), or -1 */
	int			limit;
	int			ncand;
} Reach;

/*
 * Take facility k at squared chord d2 if it is within the radius: when its
 * chord is certainly inside (inner2), with distance 0; near the radius, by
 * the haversine.  False once "limit" facilities are taken.
 */
static inline bool
reach_visit(void *arg, int k, double d2)
{
	Reach	   *r = (Reach *) arg;
	FsIndex    *ix = r->ix;
	double		d = 0;

	if (d2 <= r->c2 &&
		(d2 <= r->inner2 ||
		 (d = haversine(r->latr, r->lonr, r->coslat, ix->latr[k], ix->lonr[k], ix->coslat[k])) <= r->radius))
	{
		if (r->ncand >= ix->capcand)
			fs_reserve(ix, r->cxt, r->ncand + 1);
		ix->cand[r->ncand] = k;
		ix->cand_d[r->ncand] = d;
		r->ncand++;
		return !(r->limit > 0 && r->ncand >= r->limit);
	}
	return true;
}

/*
 * fs_within, and without need_distance the haversine is computed only for
 * pairs near the radius: a facility whose chord is certainly inside
 * (inner_chord2) is taken with distance 0, which callers that only count
 * or weigh by the binary decay never read.  The set found is the same.
 */
int
fs_reach(FsIndex *ix, MemoryContext cxt, double latr, double lonr, double radius,
		 int limit, bool need_distance)
{
	double		q[3];
	Size		stack_lo[KD_STACK],
				stack_hi[KD_STACK];
	int			sp = 0;
	const int32 *prog;
	const double *xyz = ix->xyz;
	const uint8 *split = ix->a.split;
	Size		pos = 0,
				end;
	int		   *cand;
	double	   *cand_d;
	int			ncand = 0;
	double		c2,
				inner2;
	Reach		r;

	if (ix->chord_radius != radius || ix->chord2 == 0)
	{
		ix->chord_radius = radius;
		ix->chord2 = search_chord2(radius);
		ix->inner2 = inner_chord2(radius);
	}
	r.ix = ix;
	r.cxt = cxt;
	r.latr = latr;
	r.lonr = lonr;
	r.coslat = unit_vector_cos(latr, lonr, q);
	r.radius = radius;
	r.c2 = c2 = ix->chord2;
	r.inner2 = inner2 = need_distance ? -1.0 : ix->inner2;
	r.limit = limit;
	r.ncand = 0;
	ix->ncand = 0;
	if (ix->n == 0)
		return 0;
	prog = fs_program(ix, cxt, q, &end);
	if (prog == NULL)
	{
		fs_walk(ix, q, &r.c2, reach_visit, &r);
		ix->ncand = r.ncand;
		return r.ncand;
	}
	/* room for every facility of the program: each is written, then tested */
	fs_reserve(ix, cxt, (int) end + 1);
	cand = ix->cand;
	cand_d = ix->cand_d;

	for (;;)
	{
		Size		l0,
					r0,
					r1;

		/*
		 * The facilities up to a branch, the end, or one near the radius.
		 * One that is certainly inside is taken without a branch (the test
		 * is unpredictable): written, then counted.
		 */
		for (; pos < end && prog[pos] >= 0; pos++)
		{
			int			k = prog[pos];
			double		d2 = fs_dist2(q, xyz + 3 * k);
			int			inside = d2 <= inner2;

			if ((d2 <= c2) != inside)
				break;			/* inner2 < d2 <= c2: by its distance */
			cand[ncand] = k;
			cand_d[ncand] = 0;
			ncand += inside;
			if (limit > 0 && ncand >= limit)
				break;
		}
		if (limit > 0 && ncand >= limit)
			break;				/* enough */
		if (pos < end)
		{
			int			e = prog[pos++];
			int			mid;
			bool		more;

			if (e >= 0)
			{
				/* near the radius: the haversine decides */
				r.ncand = ncand;
				more = reach_visit(&r, e, fs_dist2(q, xyz + 3 * e));
				ncand = r.ncand;
				if (!more)
					break;
				continue;
			}
			/* a branch: the point's side of the split first */
			mid = -1 - e;
			l0 = pos + 2;
			r0 = l0 + prog[pos];
			r1 = r0 + prog[pos + 1];
			if (sp + 2 > KD_STACK)
				elog(ERROR, "facility_set k-d tree too deep");
			if (r1 < end)
			{
				stack_lo[sp] = r1;
				stack_hi[sp++] = end;
			}
			if (q[split[mid]] - xyz[3 * mid + split[mid]] <= 0)
			{
				stack_lo[sp] = r0;
				stack_hi[sp++] = r1;
				pos = l0;
				end = r0;
			}
			else
			{
				stack_lo[sp] = l0;
				stack_hi[sp++] = r0;
				pos = r0;
				end = r1;
			}
			continue;
		}
		if (sp == 0)
			break;
		sp--;
		pos = stack_lo[sp];
		end = stack_hi[sp];
	}
	ix->ncand = ncand;
	return ncand;
}
