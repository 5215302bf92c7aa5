/*-------------------------------------------------------------------------
 *
 * spi_rows.c
 *	  Reading a caller's query with SPI (spi_rows.h): the cursor loop, the
 *	  typed column reader with its one error rule, and the growing array
 *	  the callers collect rows in.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "lib/stringinfo.h"
#include "miscadmin.h"
#include "utils/builtins.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/numeric.h"

#include "spi_rows.h"

/* rows fetched at a time */
#define HS_FETCH_ROWS 10000

/*
 * column col (1-based) of a row, read as its kind asks; typ is its type,
 * a domain's base type
 */
static void
read_column(HeapTuple tup, TupleDesc desc, int col, Oid typ, const HsColumn *c,
			const char *what, HsValue *v)
{
	Datum		d = SPI_getbinval(tup, desc, col, &v->isnull);

	v->id = 0;
	v->number = 0;
	if (v->isnull)
		return;
	switch (typ)
	{
		case INT2OID:
			v->id = DatumGetInt16(d);
			v->number = v->id;
			return;
		case INT4OID:
			v->id = DatumGetInt32(d);
			v->number = v->id;
			return;
		case INT8OID:
			v->id = DatumGetInt64(d);
			v->number = (double) v->id;
			return;
		case FLOAT8OID:
			if (c->kind == HS_COLUMN_NUMBER)
			{
				v->number = DatumGetFloat8(d);
				return;
			}
			break;
		case FLOAT4OID:
			if (c->kind == HS_COLUMN_NUMBER)
			{
				v->number = DatumGetFloat4(d);
				return;
			}
			break;
		case NUMERICOID:
			if (c->kind == HS_COLUMN_NUMBER)
			{
				v->number = DatumGetFloat8(DirectFunctionCall1(numeric_float8, d));
				return;
			}
			break;
	}
	ereport(ERROR,
			(errcode(ERRCODE_DATATYPE_MISMATCH),
			 errmsg("column %d (%s) of the %s has type %s, not %s",
					col, c->name, what, format_type_be(SPI_gettypeid(desc, col)),
					c->kind == HS_COLUMN_ID ? "an integer" : "a number")));
}

void
hs_read_query(const char *sql, const char *what, const HsColumn *cols, int ncols,
			  HsRowFn fn, void *arg)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext rowcxt;
	HsValue    *row = palloc(ncols * sizeof(HsValue));
	Oid		   *types = palloc(ncols * sizeof(Oid));
	Portal		portal;
	SPIPlanPtr	plan;

	/* what reading a row allocates (numeric conversions) lives per row */
	rowcxt = AllocSetContextCreate(cxt, "hs_read_query row", ALLOCSET_SMALL_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	plan = SPI_prepare(sql, 0, NULL);
	if (plan == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_SYNTAX_ERROR),
				 errmsg("cannot prepare the %s: %s", what, SPI_result_code_string(SPI_result))));
	portal = SPI_cursor_open(NULL, plan, NULL, NULL, true);
	for (;;)
	{
		TupleDesc	desc;
		uint64		t;
		int			c;

		SPI_cursor_fetch(portal, true, HS_FETCH_ROWS);
		if (SPI_processed == 0)
			break;
		desc = SPI_tuptable->tupdesc;
		if (desc->natts != ncols)
		{
			StringInfoData hint;

			initStringInfo(&hint);
			appendStringInfoString(&hint, "Return ");
			for (c = 0; c < ncols; c++)
				appendStringInfo(&hint, c > 0 ? ", %s" : "%s", cols[c].name);
			ereport(ERROR,
					(errcode(ERRCODE_DATATYPE_MISMATCH),
					 errmsg("the %s returns %d columns, not %d", what, desc->natts, ncols),
					 errhint("%s.", hint.data)));
		}
		for (c = 0; c < ncols; c++)
			types[c] = getBaseType(SPI_gettypeid(desc, c + 1));
		for (t = 0; t < SPI_processed; t++)
		{
			MemoryContext old = MemoryContextSwitchTo(rowcxt);

			for (c = 0; c < ncols; c++)
				read_column(SPI_tuptable->vals[t], desc, c + 1, types[c], &cols[c], what, &row[c]);
			MemoryContextSwitchTo(cxt);
			MemoryContextReset(rowcxt);
			fn(arg, row);
			MemoryContextSwitchTo(old);
		}
		SPI_freetuptable(SPI_tuptable);
		CHECK_FOR_INTERRUPTS();
	}
	SPI_cursor_close(portal);
	SPI_finish();
	MemoryContextDelete(rowcxt);
	pfree(row);
	pfree(types);
}

void
hs_vec_init(HsVec *v, Size item)
{
	v->item = item;
	v->n = 0;
	v->cap = 1024;
	v->data = palloc_extended(v->cap * item, MCXT_ALLOC_HUGE);
}

/* a new item at the end */
void *
hs_vec_push(HsVec *v)
{
	if (v->n >= v->cap)
	{
		if (v->cap * 2 * v->item > MaxAllocHugeSize)
			ereport(ERROR,
					(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
					 errmsg("too many rows")));
		v->cap *= 2;
		v->data = repalloc_huge(v->data, v->cap * v->item);
	}
	return v->data + (v->n++) * v->item;
}
