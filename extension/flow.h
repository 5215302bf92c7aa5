/*-------------------------------------------------------------------------
 *
 * flow.h
 *	  Private header of the flows family: the flowmatrix value (flat and
 *	  expanded) that flowmatrix.c owns and flow_indices.c and flow_areas.c
 *	  read.
 *
 *	  Flat form (on disk, on the wire between parallel workers, in results):
 *	  a varlena holding the number of entries followed by (origin, dest, n)
 *	  triples sorted by (origin, dest), with unique keys and n > 0.  Because
 *	  the form is canonical, two matrices are equal exactly when their bytes
 *	  are.  (The format predates the rule of aggstate.h that a flat format
 *	  starts with magic and version; stored matrices keep it.)
 *
 *	  Invariant: the sum of all counts of a matrix fits in int8, so every
 *	  row, column and grand total can be computed without overflow; any
 *	  operation that would break it raises numeric_value_out_of_range.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_FLOW_H
#define HS_FLOW_H

#include "postgres.h"

#include "fmgr.h"

#include "aggstate.h"

/* one cell of the matrix */
typedef struct FlowEntry
{
	int64		origin;
	int64		dest;
	int64		n;
} FlowEntry;

/* the flat (canonical) form */
typedef struct FlowMatrix
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint32		nentries;
	FlowEntry	entries[FLEXIBLE_ARRAY_MEMBER];
} FlowMatrix;

#define FLOW_HEADER_SIZE	offsetof(FlowMatrix, entries)
#define FLOW_SIZE(n)		(FLOW_HEADER_SIZE + (Size) (n) * sizeof(FlowEntry))
/* the flat form must fit in a varlena of at most 1 GB */
#define FLOW_MAX_ENTRIES	((MaxAllocSize - FLOW_HEADER_SIZE) / sizeof(FlowEntry))

/* the expanded form: an open-addressing hash table, n == 0 marks a free slot */
typedef struct ExpandedFlowMatrix
{
	HsAggState	hdr;
	FlowEntry  *slots;
	uint64		capacity;		/* a power of 2 */
	uint64		nentries;
	int64		total;
} ExpandedFlowMatrix;

static inline int
flow_key_cmp(const FlowEntry *a, const FlowEntry *b)
{
	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	if (a->dest != b->dest)
		return a->dest < b->dest ? -1 : 1;
	return 0;
}

extern void flow_sort_entries(FlowEntry *begin, size_t n);
extern void flow_sort_int64(int64 *begin, size_t n);

extern FlowMatrix *flow_get_flat(Datum d);
#define PG_GETARG_FLOWMATRIX_P(n)	flow_get_flat(PG_GETARG_DATUM(n))

/* an empty expanded matrix in a child of parent, sized for "expected" pairs */
extern ExpandedFlowMatrix *efm_create(MemoryContext parent, int64 expected);
extern void efm_add(ExpandedFlowMatrix *efm, int64 origin, int64 dest, int64 n);
/* the flat form of an expanded matrix, which is deleted */
extern FlowMatrix *efm_finish(ExpandedFlowMatrix *efm);

/*
 * The regions of a matrix (flow_indices.c): every key that appears as an
 * origin or a dest, sorted, with the row sums (residents), column sums
 * (served) and diagonal (retained).  Entry i's origin and dest indexes go
 * to oidx/didx when want_index.
 */
typedef struct FlowRegions
{
	int			nregions;
	int64	   *keys;
	int64	   *residents;
	int64	   *served;
	int64	   *retained;
	int		   *oidx;
	int		   *didx;
} FlowRegions;

extern void flow_regions_compute(FlowMatrix *fm, FlowRegions *r, bool want_index);
/* num / den as a float8 datum, NULL (*isnull) when den is 0 */
extern Datum flow_ratio_datum(int64 num, int64 den, bool *isnull);

#endif							/* HS_FLOW_H */
