/*-------------------------------------------------------------------------
 *
 * fca_costs.c
 *	  fca_costs: the 2SFCA family over an origin-destination cost table read
 *	  with SPI (travel times from a routing engine; spi_rows.h reads it).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/numeric.h"
#include "utils/tuplestore.h"

#include "common.h"
#include "facility_set.h"
#include "spi_rows.h"

PG_FUNCTION_INFO_V1(fca_costs);

/* ------------------------------------------------------------------------
 * fca_costs: the same over an origin-destination cost table
 * ------------------------------------------------------------------------
 */

typedef struct IdEntry
{
	int64		key;
	int			index;
} IdEntry;

/* the ids of one side (populations or facilities), each with its amount */
typedef struct IdTable
{
	HTAB	   *h;
	int			n;
	int			cap;
	double	   *vals;			/* the amount of each index */
	const char *what;			/* "population", "facility" */
} IdTable;

typedef struct CostPair
{
	int			pop;
	int			fac;
	double		w;
} CostPair;

/* what the rows of the cost query build */
typedef struct CostRead
{
	IdTable		pops;
	IdTable		facs;
	HsVec		pairs;			/* CostPair, w > 0 */
	Decay		dc;
	double		d0;
} CostRead;

static const HsColumn cost_columns[] = {
	{"pop_id", HS_COLUMN_ID},
	{"pop", HS_COLUMN_NUMBER},
	{"fac_id", HS_COLUMN_ID},
	{"supply", HS_COLUMN_NUMBER},
	{"cost", HS_COLUMN_NUMBER},
};

static void
id_table_init(IdTable *t, const char *name, const char *what)
{
	HASHCTL		hctl;

	memset(&hctl, 0, sizeof(hctl));
	hctl.keysize = sizeof(int64);
	hctl.entrysize = sizeof(IdEntry);
	hctl.hcxt = CurrentMemoryContext;
	t->h = hash_create(name, 1024, &hctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	t->n = 0;
	t->cap = 1024;
	t->vals = palloc(t->cap * sizeof(double));
	t->what = what;
}

/* the index of id key, which carries amount v in every row */
static int
id_index(IdTable *t, int64 key, double v)
{
	bool		found;
	IdEntry    *e = hash_search(t->h, &key, HASH_ENTER, &found);

	if (!found)
	{
		if (t->n >= t->cap)
		{
			t->cap *= 2;
			t->vals = repalloc_huge(t->vals, (Size) t->cap * sizeof(double));
		}
		e->index = t->n++;
		t->vals[e->index] = v;
	}
	else if (t->vals[e->index] != v)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %lld has two different values, %g and %g", t->what,
						(long long) key, t->vals[e->index], v),
				 errdetail("Every row of the same %s must carry the same amount.", t->what)));
	return e->index;
}

/* a row of the cost query: pop_id, pop, fac_id, supply, cost */
static void
fca_cost_row(void *arg, const HsValue *row)
{
	CostRead   *rd = (CostRead *) arg;
	int			pi,
				fi;
	double		w;

	if (row[0].isnull || row[1].isnull)
		return;
	check_amount(row[1].number, "population");
	pi = id_index(&rd->pops, row[0].id, row[1].number);
	if (row[2].isnull || row[3].isnull || row[4].isnull)
		return;
	check_amount(row[3].number, "supply");
	if (isnan(row[4].number) || row[4].number < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cost %g is negative or NaN", row[4].number)));
	fi = id_index(&rd->facs, row[2].id, row[3].number);
	w = decay_weight(&rd->dc, row[4].number, rd->d0);
	if (w > 0)
	{
		CostPair   *p = hs_vec_push(&rd->pairs);

		p->pop = pi;
		p->fac = fi;
		p->w = w;
	}
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
	int			method;
	CostRead	rd;
	int			npop,
				nfac;
	double	   *popv,
			   *supv;
	int64	   *popids;
	CostPair   *pairs;
	Size		npairs;
	double	   *wsum,
			   *demand,
			   *acc;
	Size		k;
	int			i;
	PopOut	   *out;

	check_d0(d0, "d0");
	parse_decay(VARDATA_ANY(dt), VARSIZE_ANY_EXHDR(dt), &rd.dc);
	method = parse_method(VARDATA_ANY(mt), VARSIZE_ANY_EXHDR(mt));
	InitMaterializedSRF(fcinfo, 0);

	rd.d0 = d0;
	id_table_init(&rd.pops, "fca_costs populations", "population");
	id_table_init(&rd.facs, "fca_costs facilities", "facility");
	hs_vec_init(&rd.pairs, sizeof(CostPair));
	hs_read_query(sql, "cost query", cost_columns, lengthof(cost_columns), fca_cost_row, &rd);
	npop = rd.pops.n;
	nfac = rd.facs.n;
	popv = rd.pops.vals;
	supv = rd.facs.vals;
	pairs = (CostPair *) rd.pairs.data;
	npairs = rd.pairs.n;

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

		hash_seq_init(&seq, rd.pops.h);
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
