/*-------------------------------------------------------------------------
 *
 * site_select.c
 *	  Maximal covering location (Church & ReVelle 1974), the objective of
 *	  site_select and site_select_costs: the k candidates that, added to the
 *	  existing facilities, cover the most population within a radius.  Also
 *	  the lazy greedy that p-median shares (planning.h) and
 *	  site_select_final, the final function of both site_select aggregates.
 *
 *	  Heuristics: greedy with lazy evaluation (the covered population is
 *	  submodular), then Teitz & Bart (1968) vertex substitution (best swap
 *	  of one chosen site for one candidate, repeated while it improves),
 *	  from several starts.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/memutils.h"

#include "planning.h"

PG_FUNCTION_INFO_V1(site_select_final);

/* ------------------------------------------------------------------------
 * greedy with lazy evaluation
 * ------------------------------------------------------------------------
 */

/* a max-heap of HeapItem (gain, rank): larger gain first, then smaller rank */
static inline bool
heap_before(const HeapItem *a, const HeapItem *b)
{
	return a->gain > b->gain || (a->gain == b->gain && a->j < b->j);
}

void
site_heap_sift_down(HeapItem *h, int n, int i)
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
void
site_lazy_greedy(int m, int k, const bool *skip, const double *initial,
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
		site_heap_sift_down(h, n, j);
	for (t = 0; t < k && n > 0;)
	{
		HeapItem	top = h[0];

		CHECK_FOR_INTERRUPTS();
		top.gain = gain(arg, top.j);
		h[0] = h[--n];
		site_heap_sift_down(h, n, 0);
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

/* ------------------------------------------------------------------------
 * maximal covering: greedy with lazy evaluation, then swaps
 *
 * The problem (CoverProblem, planning.h): npts demand points with weights
 * pop[], m candidates (ranks 0..m-1 in id order; a lower rank wins a tie),
 * the candidates within reach of each point in pcand[pstart[i] ..
 * pstart[i+1]).
 * ------------------------------------------------------------------------
 */


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
int
site_n_starts(int m, double work)
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
	site_lazy_greedy(p->m, p->k - t, in, initial, cover_gain, cover_take, r, chosen + t);
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
void
site_cover_solve(CoverProblem *p, int *chosen)
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
	starts = site_n_starts(p->m, (double) p->k * (p->cstart[p->m] + p->m) * 4);
	if (starts > 1)
	{
		/* forced first sites, best initial gain first (the heap's order) */
		for (j = p->m / 2 - 1; j >= 0; j--)
			site_heap_sift_down(order, p->m, j);
		for (s = 0, i = p->m; s < starts && i > 0; s++)
		{
			HeapItem	top = order[0];
			double		v;

			order[0] = order[--i];
			site_heap_sift_down(order, i, 0);
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
ArrayType *
site_ids_array(const int64 *rank_id, const int *chosen, int k)
{
	Datum	   *d = palloc(k * sizeof(Datum));
	int64	   *ids = palloc(k * sizeof(int64));
	int			t;

	for (t = 0; t < k; t++)
		ids[t] = rank_id[chosen[t]];
	qsort(ids, k, sizeof(int64), site_id_cmp);
	for (t = 0; t < k; t++)
		d[t] = Int64GetDatum(ids[t]);
	return construct_array(d, k, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);
}

/* tree position -> rank in id order (ids are unique) */
int *
site_ranks(FsIndex *ix, int64 **rank_id)
{
	int			n = ix->n;
	int		   *rank = palloc(Max(n, 1) * sizeof(int));
	int64	   *ids = site_sorted_ids(ix->a.id, n, "candidate");
	int			c;

	for (c = 0; c < n; c++)
	{
		int64	   *hit = bsearch(&ix->a.id[c], ids, n, sizeof(int64), site_id_cmp);

		rank[c] = (int) (hit - ids);
	}
	*rank_id = ids;
	return rank;
}

FsIndex *
site_index(FacilitySet *fs)
{
	FsIndex    *ix = palloc0(sizeof(FsIndex));

	fs_index_fill(ix, fs, CurrentMemoryContext);
	return ix;
}

/*
 * The k ranks chosen for maximal covering of the n points within radius:
 * each point's candidates in reach, unless an existing facility covers it.
 */
static void
cover_choose(const SitePoint *pts, int n, FsIndex *cix, const int *rank,
			 FsIndex *eix, int k, double radius, int *chosen)
{
	CoverProblem p;
	int			np = 0;
	int64		nnz = 0,
				cap = Max(n, 64);
	int			i;

	p.m = cix->n;
	p.k = k;
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
		if (eix != NULL && fs_within(eix, CurrentMemoryContext, latr, lonr, radius, 1) > 0)
			continue;
		nc = fs_within(cix, CurrentMemoryContext, latr, lonr, radius, 0);
		if (nc == 0)
			continue;
		if (nnz + nc > cap)
		{
			while (nnz + nc > cap)
				cap *= 2;
			if ((Size) cap * sizeof(int) > MaxAllocHugeSize)
				ereport(ERROR,
						(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
						 errmsg("too many point-candidate pairs within radius %g", radius)));
			p.pcand = repalloc_huge(p.pcand, cap * sizeof(int));
		}
		for (c = 0; c < nc; c++)
			p.pcand[nnz++] = rank[cix->cand[c]];
		p.pop[np] = pts[i].pop;
		p.pstart[++np] = nnz;
	}
	p.npts = np;
	site_cover_solve(&p, chosen);
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

	cix = site_index(v.cand);
	rank = site_ranks(cix, &rank_id);
	if (v.exist != NULL && v.exist->nfac > 0)
		eix = site_index(v.exist);
	chosen = palloc(v.k * sizeof(int));

	if (v.objective == PLAN_COVER)
		cover_choose(pts, n, cix, rank, eix, v.k, v.radius, chosen);
	else
		site_median_choose(pts, n, cix, rank, eix, v.k, chosen);
	PG_RETURN_ARRAYTYPE_P(site_ids_array(rank_id, chosen, v.k));
}
