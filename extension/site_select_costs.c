/*-------------------------------------------------------------------------
 *
 * site_select_costs.c
 *	  site_select_costs: maximal covering (site_select.c) over an
 *	  origin-destination cost table read with SPI (spi_rows.h) instead of
 *	  distances: the k sites outside the existing ones that cover the most
 *	  population within a cost radius.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "planning.h"
#include "spi_rows.h"

PG_FUNCTION_INFO_V1(site_select_costs);

typedef struct CostRow
{
	int64		pop_id;
	double		pop;
	int64		site_id;
	bool		has_site;		/* site_id not NULL */
	bool		reach;			/* a site within the radius */
} CostRow;

typedef struct CostRead
{
	HsVec		rows;
	double		radius;
} CostRead;

static const HsColumn cost_columns[] = {
	{"pop_id", HS_COLUMN_ID},
	{"pop", HS_COLUMN_NUMBER},
	{"site_id", HS_COLUMN_ID},
	{"cost", HS_COLUMN_NUMBER},
};

/* a row of the cost query: pop_id, pop, site_id, cost */
static void
cost_row(void *arg, const HsValue *row)
{
	CostRead   *cr = (CostRead *) arg;
	double		pop = row[1].number;
	double		cost = row[3].number;
	CostRow    *r;

	if (row[0].isnull || row[1].isnull)
		return;
	check_amount(pop, "population");
	if (!row[3].isnull && (isnan(cost) || cost < 0))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost %g is negative or NaN", cost)));
	r = hs_vec_push(&cr->rows);
	r->pop_id = row[0].id;
	r->pop = pop + 0.0;
	r->has_site = !row[2].isnull;
	r->site_id = row[2].isnull ? 0 : row[2].id;
	r->reach = !row[2].isnull && !row[3].isnull && cost <= cr->radius;
}

static int
costrow_cmp(const void *a, const void *b)
{
	const CostRow *x = (const CostRow *) a;
	const CostRow *y = (const CostRow *) b;

	if (x->pop_id != y->pop_id)
		return x->pop_id < y->pop_id ? -1 : 1;
	if (x->site_id != y->site_id)
		return x->site_id < y->site_id ? -1 : 1;
	return 0;
}

Datum
site_select_costs(PG_FUNCTION_ARGS)
{
	char	   *sql = text_to_cstring(PG_GETARG_TEXT_PP(0));
	double		radius = PG_GETARG_FLOAT8(1);
	int			k = PG_GETARG_INT32(2);
	ArrayType  *ex = PG_GETARG_ARRAYTYPE_P(3);
	int64	   *exist;
	int			nexist;
	CostRead	cr;
	CostRow    *rows;
	Size		nr,
				x;
	int64	   *sites;
	int			m = 0;
	CoverProblem p;
	int		   *chosen;
	int64		nnz = 0;

	if (!isfinite(radius) || radius <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("radius %g is not a positive finite number", radius)));
	if (k < 1)
		site_check_params(PLAN_COVER, k, radius, 0);
	if (ARR_NDIM(ex) > 1 || array_contains_nulls(ex))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("existing must be a one-dimensional array of site ids without NULLs")));
	{
		Datum	   *d;
		int			i;

		deconstruct_array(ex, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
						  &d, NULL, &nexist);
		exist = palloc(Max(nexist, 1) * sizeof(int64));
		for (i = 0; i < nexist; i++)
			exist[i] = DatumGetInt64(d[i]);
		qsort(exist, nexist, sizeof(int64), site_id_cmp);
	}

	cr.radius = radius;
	hs_vec_init(&cr.rows, sizeof(CostRow));
	hs_read_query(sql, "cost query", cost_columns, lengthof(cost_columns), cost_row, &cr);
	rows = (CostRow *) cr.rows.data;
	nr = cr.rows.n;
	qsort(rows, nr, sizeof(CostRow), costrow_cmp);

	/* the candidate sites: every site id that is not an existing one */
	sites = palloc_extended(Max(nr, 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	{
		Size		ns = 0;

		for (x = 0; x < nr; x++)
			if (rows[x].has_site &&
				bsearch(&rows[x].site_id, exist, nexist, sizeof(int64), site_id_cmp) == NULL)
				sites[ns++] = rows[x].site_id;
		qsort(sites, ns, sizeof(int64), site_id_cmp);
		for (x = 0; x < ns; x++)
			if (m == 0 || sites[m - 1] != sites[x])
				sites[m++] = sites[x];
	}
	site_check_params(PLAN_COVER, k, radius, m);

	p.m = m;
	p.k = k;
	p.npts = 0;
	p.pop = palloc_extended(Max(nr, 1) * sizeof(double), MCXT_ALLOC_HUGE);
	p.pstart = palloc_extended((nr + 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	p.pcand = palloc_extended(Max(nr, 1) * sizeof(int), MCXT_ALLOC_HUGE);
	p.pstart[0] = 0;
	for (x = 0; x < nr;)
	{
		Size		y;
		bool		covered = false;
		int64		start = nnz;

		for (y = x; y < nr && rows[y].pop_id == rows[x].pop_id; y++)
		{
			if (rows[y].pop != rows[x].pop)
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
						 errmsg("population %lld has two different values, %g and %g",
								(long long) rows[x].pop_id, rows[x].pop, rows[y].pop),
						 errdetail("Every row of the same population must carry the same amount.")));
			if (!rows[y].reach)
				continue;
			if (bsearch(&rows[y].site_id, exist, nexist, sizeof(int64), site_id_cmp) != NULL)
				covered = true;
			else
			{
				int64	   *hit = bsearch(&rows[y].site_id, sites, m, sizeof(int64), site_id_cmp);
				int			j = (int) (hit - sites);

				/* the rows are in site order: a repeated site is adjacent */
				if (nnz == start || p.pcand[nnz - 1] != j)
					p.pcand[nnz++] = j;
			}
		}
		if (covered || rows[x].pop == 0 || nnz == start)
			nnz = start;
		else
		{
			p.pop[p.npts] = rows[x].pop;
			p.pstart[++p.npts] = nnz;
		}
		x = y;
	}
	chosen = palloc(k * sizeof(int));
	site_cover_solve(&p, chosen);
	PG_RETURN_ARRAYTYPE_P(site_ids_array(sites, chosen, k));
}
