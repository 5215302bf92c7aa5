/*-------------------------------------------------------------------------
 *
 * fca_costs.c
 *	  fca_costs: the 2SFCA family over an origin-destination cost table read
 *	  with SPI (travel times from a routing engine), and the SPI readers of
 *	  numbers and ids that planning.c shares.
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
