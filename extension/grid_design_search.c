/*-------------------------------------------------------------------------
 *
 * grid_design_search.c
 *	  The capacitated single-source assignment of grid_design (planning.h):
 *	  every unit to one hospital, each hospital's population within its
 *	  capacity, the population-weighted distance as small as the heuristics
 *	  find.  Regret greedy, Lagrangian and randomised (GRASP) starts, each
 *	  improved by shift, swap and ejection-chain moves, then an iterated
 *	  local search (kicks, repair, threshold acceptance) on small instances.
 *	  Deterministic: the pseudo-random steps are a fixed hash.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "common/hashfn.h"
#include "miscadmin.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "planning.h"

/*
 * The iterated local search's budget: ILS_WORK / units² kicks (a kick's
 * moves cost about units² / hospitals), at most ILS_MAX: 20,000 for 200
 * units, none at province size (40,000 units).  A kick's result is kept
 * when it is at most ILS_ACCEPT (relative) worse than the current one.
 */
#define ILS_MAX 20000
#define ILS_ACCEPT 5e-4
#define ILS_WORK 8e8

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

/*
 * The capacitated assignment of least population-weighted distance, in
 * g->at (g->dist and g->order filled, g->res free): the regret greedy (or,
 * when it fails, first-fit packing) improved by the moves, then more starts
 * and the iterated local search.  False when no start keeps the
 * capacities.
 */
bool
grid_design_search(Design *g, const double *cap)
{
	int			n = g->n,
				h = g->h;
	int		   *members,
			   *mstart,
			   *best_at;
	int			starts = (int) Min(64.0, 2e7 / ((double) n * h)),
				st;
	double		best;

	memcpy(g->res, cap, h * sizeof(double));
	if (!design_greedy(g, 0))
	{
		memcpy(g->res, cap, h * sizeof(double));
		if (!design_pack(g))
			return false;
	}
	members = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);
	mstart = palloc0((h + 1) * sizeof(int));
	design_members(g, members, mstart);
	design_improve(g, members, mstart);

	/*
	 * More starts: Lagrangian ones, then GRASP ones (the regret greedy
	 * with perturbed regrets), each followed by the same moves; the
	 * least total wins.  As many of each as about 2·10^7 / (units ×
	 * hospitals), at most 64.  Then the iterated local search from the
	 * best of them.
	 */
	best_at = palloc_extended((Size) n * sizeof(int), MCXT_ALLOC_HUGE);
	best = design_cost(g);
	memcpy(best_at, g->at, (Size) n * sizeof(int));
	design_lagrange(g, cap, members, mstart, starts, &best, best_at);
	for (st = 1; st < starts; st++)
	{
		double		v;

		memcpy(g->res, cap, h * sizeof(double));
		if (!design_greedy(g, st))
			continue;
		design_members(g, members, mstart);
		design_improve(g, members, mstart);
		v = design_cost(g);
		if (v < best - 1e-12 * best)
		{
			best = v;
			memcpy(best_at, g->at, (Size) n * sizeof(int));
		}
	}
	design_ils(g, cap, members, mstart,
			   (int) Min(ILS_MAX, ILS_WORK / ((double) n * n)), &best, best_at);
	g->at = best_at;
	return true;
}
