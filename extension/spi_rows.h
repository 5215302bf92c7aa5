/*-------------------------------------------------------------------------
 *
 * spi_rows.h
 *	  Reading the rows of a caller's query with SPI (fca_costs,
 *	  site_select_costs, grid_design): the query, the typed columns it must
 *	  return, and one error rule for a column of the wrong type; and a
 *	  growing array to collect what the rows give.
 *
 *	  The query text is the caller's own: it is prepared and run read-only
 *	  with SPI under the caller's privileges, never combined with other
 *	  text.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_SPI_ROWS_H
#define HS_SPI_ROWS_H

#include "postgres.h"

/* what a column holds: an id (smallint, integer, bigint) or a number */
typedef enum HsColumnKind
{
	HS_COLUMN_ID,
	HS_COLUMN_NUMBER			/* also real, double precision, numeric */
} HsColumnKind;

typedef struct HsColumn
{
	const char *name;			/* for messages and the hint */
	HsColumnKind kind;
} HsColumn;

/* one column of a row, as read */
typedef struct HsValue
{
	bool		isnull;
	int64		id;				/* HS_COLUMN_ID */
	double		number;			/* HS_COLUMN_NUMBER */
} HsValue;

/* called for each row, in the caller's memory context */
typedef void (*HsRowFn) (void *arg, const HsValue *row);

/*
 * Run sql ("what" names it in messages: "cost query") and call fn with the
 * ncols columns of each row.  A query returning another number of columns
 * raises datatype_mismatch with the hint "Return <the names>."; a value of
 * a type that the column's kind does not take raises datatype_mismatch
 * naming the column; NULLs are passed as such, whatever their type.
 */
extern void hs_read_query(const char *sql, const char *what,
						  const HsColumn *cols, int ncols,
						  HsRowFn fn, void *arg);

/* a growing array of fixed-size items, in the memory context of hs_vec_init */
typedef struct HsVec
{
	char	   *data;
	Size		n;
	Size		cap;
	Size		item;
} HsVec;

extern void hs_vec_init(HsVec *v, Size item);
extern void *hs_vec_push(HsVec *v);

#endif							/* HS_SPI_ROWS_H */
