/*-------------------------------------------------------------------------
 *
 * site_select_median.c
 *	  p-median (Hakimi 1964), the objective of site_select_median: the k
 *	  candidates that, with the existing facilities, minimise the
 *	  population-weighted distance to the nearest open site.  Greedy with
 *	  lazy evaluation (the savings are submodular; site_select.c), then
 *	  Whitaker's (1983) fast interchange, from several starts.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "miscadmin.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "planning.h"

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
	site_lazy_greedy(r->m, k - start, in, initial, median_gain, median_take, r, chosen + start);
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
		site_heap_sift_down(order, r->m, j);

	/*
	 * Starts: the greedy solution (from the best single site when nothing
	 * exists yet), then greedy solutions from each next best single site.
	 */
	best = median_run(r, k, unserved ? order[0].j : -1, in, initial, extra, slot, chosen);
	starts = site_n_starts(r->m, (double) r->npts * r->m * (k + 2));
	for (s = 1, i = r->m; s < starts && i > 0; s++)
	{
		HeapItem	top = order[0];
		double		v;

		order[0] = order[--i];
		site_heap_sift_down(order, i, 0);
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

/* the k ranks chosen (planning.h) */
void
site_median_choose(const SitePoint *pts, int n, FsIndex *cix, const int *rank,
				   FsIndex *eix, int k, int *chosen)
{
	MedianRun	r;
	double	   *pxyz = palloc_extended(Max((Size) n, 1) * 3 * sizeof(double), MCXT_ALLOC_HUGE);
	double	   *cxyz = palloc(Max(cix->n, 1) * 3 * sizeof(double));
	double	   *e = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
	double	   *pop = palloc_extended(Max((Size) n, 1) * sizeof(double), MCXT_ALLOC_HUGE);
	int			c,
				i;

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
	median_solve(&r, k, chosen);
}
