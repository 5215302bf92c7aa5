/*-------------------------------------------------------------------------
 *
 * flowmatrix.c
 *	  The flowmatrix type (flow.h): a sparse matrix of exact int8 counts
 *	  keyed by (origin, dest), its text and binary forms, equality and sum,
 *	  the expanded aggregate state, the aggregates flow_agg and sum, and the
 *	  readers flow_entries, flow_total and flow_size.
 *
 *	  Aggregate state: the same SQL type, so Citus can push partial
 *	  aggregation down to its workers (it refuses for "internal" states).
 *	  During aggregation the state is a read-write expanded object
 *	  (aggstate.h) whose memory context is a child of the aggregate
 *	  context: an open-addressing hash table keyed by (origin, dest).  The
 *	  executor adopts it without copying because the transition function
 *	  returns the same pointer each time; it is flattened (sorted) only when
 *	  the state leaves the node.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "funcapi.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "common.h"
#include "flow.h"

#define EFM_MAGIC	0x466c6f77		/* "Flow" */
#define EFM_MIN_CAPACITY	64

PG_FUNCTION_INFO_V1(flowmatrix_in);
PG_FUNCTION_INFO_V1(flowmatrix_out);
PG_FUNCTION_INFO_V1(flowmatrix_recv);
PG_FUNCTION_INFO_V1(flowmatrix_send);
PG_FUNCTION_INFO_V1(flow_eq);
PG_FUNCTION_INFO_V1(flow_ne);
PG_FUNCTION_INFO_V1(flow_add);
PG_FUNCTION_INFO_V1(flow_accum);
PG_FUNCTION_INFO_V1(flow_combine);
PG_FUNCTION_INFO_V1(flow_entries);
PG_FUNCTION_INFO_V1(flow_total);
PG_FUNCTION_INFO_V1(flow_size);

/* ----------------------------------------------------------------------
 * Sorting
 * ----------------------------------------------------------------------
 */
#define ST_SORT flow_sort_entries
#define ST_ELEMENT_TYPE FlowEntry
#define ST_COMPARE(a, b) flow_key_cmp(a, b)
#define ST_SCOPE
#define ST_DEFINE
#include "lib/sort_template.h"

static inline int
int64_cmp(const int64 *a, const int64 *b)
{
	return *a < *b ? -1 : (*a > *b ? 1 : 0);
}

#define ST_SORT flow_sort_int64
#define ST_ELEMENT_TYPE int64
#define ST_COMPARE(a, b) int64_cmp(a, b)
#define ST_SCOPE
#define ST_DEFINE
#include "lib/sort_template.h"

/* ----------------------------------------------------------------------
 * Flat form helpers
 * ----------------------------------------------------------------------
 */

/* refuse, before allocating, a matrix whose flat form would exceed 1 GB */
static void
flow_check_entries(uint64 n)
{
	if (n > FLOW_MAX_ENTRIES)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("flowmatrix with %llu entries would exceed the maximum size of 1 GB",
						(unsigned long long) n),
				 errdetail("A flowmatrix holds at most %zu (origin, dest) pairs.",
						   (Size) FLOW_MAX_ENTRIES)));
}

static FlowMatrix *
flow_palloc(uint64 nentries)
{
	FlowMatrix *fm;

	flow_check_entries(nentries);
	fm = (FlowMatrix *) palloc(FLOW_SIZE(nentries));
	SET_VARSIZE(fm, FLOW_SIZE(nentries));
	fm->nentries = (uint32) nentries;
	return fm;
}

/*
 * Detoast a flat flowmatrix and check that its length matches its entry
 * count, so that a corrupted stored value is never read past its end.
 */
FlowMatrix *
flow_get_flat(Datum d)
{
	FlowMatrix *fm = (FlowMatrix *) PG_DETOAST_DATUM(d);

	if (VARSIZE(fm) < FLOW_HEADER_SIZE ||
		VARSIZE(fm) != FLOW_SIZE(fm->nentries))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted flowmatrix: %u bytes for %u entries",
						(unsigned) VARSIZE(fm), fm->nentries)));
	return fm;
}

/* ----------------------------------------------------------------------
 * Expanded form
 * ----------------------------------------------------------------------
 */
HS_AGGSTATE_DEFINE(efm, EFM_MAGIC, "flowmatrix", ExpandedFlowMatrix, true)

ExpandedFlowMatrix *
efm_create(MemoryContext parent, int64 expected)
{
	return (ExpandedFlowMatrix *) hs_aggstate_create(&efm_type, parent, expected);
}

static inline uint64
flow_hash(int64 origin, int64 dest)
{
	uint64		h = (uint64) origin * UINT64CONST(0x9E3779B97F4A7C15);

	h ^= (uint64) dest + UINT64CONST(0x632BE59BD9B4E019) + (h << 6) + (h >> 2);
	/* splitmix64 finaliser */
	h ^= h >> 30;
	h *= UINT64CONST(0xBF58476D1CE4E5B9);
	h ^= h >> 27;
	h *= UINT64CONST(0x94D049BB133111EB);
	h ^= h >> 31;
	return h;
}

/* an empty matrix; "hint" is the number of pairs expected */
static void
efm_init(HsAggState *s, int64 hint)
{
	ExpandedFlowMatrix *efm = (ExpandedFlowMatrix *) s;
	uint64		capacity = EFM_MIN_CAPACITY;
	uint64		expected = (uint64) Max(hint, 0);

	/* "expected" is a hint: efm_add enforces the real limit */
	expected = Min(expected, (uint64) FLOW_MAX_ENTRIES);
	while (capacity * 3 < expected * 4)
		capacity *= 2;
	efm->capacity = capacity;
	efm->slots = (FlowEntry *) MemoryContextAllocExtended(HS_AGGSTATE_CXT(efm),
														  capacity * sizeof(FlowEntry),
														  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	efm->nentries = 0;
	efm->total = 0;
}

static void
efm_grow(ExpandedFlowMatrix *efm)
{
	uint64		newcap = efm->capacity * 2;
	uint64		mask = newcap - 1;
	FlowEntry  *old = efm->slots;
	FlowEntry  *slots;
	uint64		i;

	slots = (FlowEntry *) MemoryContextAllocExtended(HS_AGGSTATE_CXT(efm),
													 newcap * sizeof(FlowEntry),
													 MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < efm->capacity; i++)
	{
		uint64		j;

		if (old[i].n == 0)
			continue;
		j = flow_hash(old[i].origin, old[i].dest) & mask;
		while (slots[j].n != 0)
			j = (j + 1) & mask;
		slots[j] = old[i];
	}
	efm->slots = slots;
	efm->capacity = newcap;
	pfree(old);
}

/* add n > 0 visits from origin to dest */
void
efm_add(ExpandedFlowMatrix *efm, int64 origin, int64 dest, int64 n)
{
	uint64		mask = efm->capacity - 1;
	uint64		j = flow_hash(origin, dest) & mask;
	FlowEntry  *slot;

	efm->total = hs_add_int64(efm->total, n, "total of flowmatrix counts");
	for (;;)
	{
		slot = &efm->slots[j];
		if (slot->n == 0)
			break;
		if (slot->origin == origin && slot->dest == dest)
		{
			slot->n += n;		/* cannot overflow: bounded by total */
			return;
		}
		j = (j + 1) & mask;
	}
	/* a new pair */
	flow_check_entries(efm->nentries + 1);
	if ((efm->nentries + 1) * 4 > efm->capacity * 3)
	{
		efm_grow(efm);
		mask = efm->capacity - 1;
		j = flow_hash(origin, dest) & mask;
		while (efm->slots[j].n != 0)
			j = (j + 1) & mask;
		slot = &efm->slots[j];
	}
	slot->origin = origin;
	slot->dest = dest;
	slot->n = n;
	efm->nentries++;
}

/* merge a flowmatrix datum (flat or expanded) into efm */
static void
efm_merge(HsAggState *s, Datum d)
{
	ExpandedFlowMatrix *efm = (ExpandedFlowMatrix *) s;
	ExpandedFlowMatrix *other = efm_from_datum(d);
	uint64		i;

	if (other != NULL)
	{
		for (i = 0; i < other->capacity; i++)
		{
			if (other->slots[i].n != 0)
				efm_add(efm, other->slots[i].origin, other->slots[i].dest,
						other->slots[i].n);
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
	}
	else
	{
		FlowMatrix *fm = flow_get_flat(d);

		for (i = 0; i < fm->nentries; i++)
		{
			efm_add(efm, fm->entries[i].origin, fm->entries[i].dest,
					fm->entries[i].n);
			if ((i & 0xFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		if ((Pointer) fm != DatumGetPointer(d))
			pfree(fm);
	}
}

static Size
efm_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedFlowMatrix *efm = (ExpandedFlowMatrix *) eohptr;

	Assert(efm->hdr.magic == EFM_MAGIC);
	flow_check_entries(efm->nentries);
	return FLOW_SIZE(efm->nentries);
}

/* write the canonical form: occupied slots sorted by (origin, dest) */
static void
efm_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedFlowMatrix *efm = (ExpandedFlowMatrix *) eohptr;
	FlowMatrix *fm = (FlowMatrix *) result;
	uint64		i,
				k = 0;

	Assert(allocated_size == FLOW_SIZE(efm->nentries));
	SET_VARSIZE(fm, FLOW_SIZE(efm->nentries));
	fm->nentries = (uint32) efm->nentries;
	for (i = 0; i < efm->capacity; i++)
		if (efm->slots[i].n != 0)
			fm->entries[k++] = efm->slots[i];
	Assert(k == efm->nentries);
	flow_sort_entries(fm->entries, k);
}

FlowMatrix *
efm_finish(ExpandedFlowMatrix *efm)
{
	FlowMatrix *fm = (FlowMatrix *) hs_aggstate_flat(&efm->hdr);

	DeleteExpandedObject(EOHPGetRWDatum(&efm->hdr.hdr));
	return fm;
}

/* ----------------------------------------------------------------------
 * Text and binary I/O
 * ----------------------------------------------------------------------
 */

/*
 * Text form: {origin->dest:n, ...}, e.g. {330521->330521:412, 330521->330502:30}.
 * Entries may come in any order; each (origin, dest) pair at most once;
 * counts are non-negative integers (zero entries are dropped).  The output
 * lists the entries sorted by origin, then dest.
 */
Datum
flowmatrix_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	FlowEntry  *ents;
	Size		nalloc = 16,
				n = 0,
				i,
				k;
	int64		total = 0;
	FlowMatrix *fm;

	ents = (FlowEntry *) palloc(nalloc * sizeof(FlowEntry));
	hs_skip_space(&p);
	if (*p++ != '{')
		hs_syntax_error("flowmatrix", str, "A flowmatrix starts with \"{\".");
	hs_skip_space(&p);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			FlowEntry	e;

			hs_skip_space(&p);
			if (!hs_parse_int64(&p, &e.origin, true, "flowmatrix", str))
				hs_syntax_error("flowmatrix", str, "Expected an origin (an integer).");
			hs_skip_space(&p);
			if (p[0] != '-' || p[1] != '>')
				hs_syntax_error("flowmatrix", str, "Expected \"->\" after the origin.");
			p += 2;
			hs_skip_space(&p);
			if (!hs_parse_int64(&p, &e.dest, true, "flowmatrix", str))
				hs_syntax_error("flowmatrix", str, "Expected a destination (an integer) after \"->\".");
			hs_skip_space(&p);
			if (*p++ != ':')
				hs_syntax_error("flowmatrix", str, "Expected \":\" after the destination.");
			hs_skip_space(&p);
			if (!hs_parse_int64(&p, &e.n, false, "flowmatrix", str))
				hs_syntax_error("flowmatrix", str, "Expected a count (a non-negative integer) after \":\".");
			hs_skip_space(&p);
			if (e.n > 0)
			{
				if (n == nalloc)
				{
					nalloc *= 2;
					ents = (FlowEntry *) repalloc_huge(ents, nalloc * sizeof(FlowEntry));
				}
				ents[n++] = e;
			}
			total = hs_add_int64(total, e.n, "total of flowmatrix counts");
			if (*p == ',')
			{
				p++;
				continue;
			}
			if (*p++ == '}')
				break;
			hs_syntax_error("flowmatrix", str, "Expected \",\" or \"}\" after a count.");
		}
	}
	hs_skip_space(&p);
	if (*p != '\0')
		hs_syntax_error("flowmatrix", str, "Junk after the closing \"}\".");

	flow_sort_entries(ents, n);
	for (i = 1; i < n; i++)
		if (flow_key_cmp(&ents[i - 1], &ents[i]) == 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid input syntax for type flowmatrix: \"%s\"", hs_excerpt_cstring(str)),
					 errdetail("Entry %lld->%lld appears more than once.",
							   (long long) ents[i].origin, (long long) ents[i].dest)));
	fm = flow_palloc(n);
	for (k = 0; k < n; k++)
		fm->entries[k] = ents[k];
	pfree(ents);
	PG_RETURN_POINTER(fm);
}

Datum
flowmatrix_out(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	StringInfoData buf;
	uint32		i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < fm->nentries; i++)
	{
		if (i > 0)
			appendBinaryStringInfo(&buf, ", ", 2);
		appendStringInfo(&buf, INT64_FORMAT "->" INT64_FORMAT ":" INT64_FORMAT,
						 fm->entries[i].origin, fm->entries[i].dest,
						 fm->entries[i].n);
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

/*
 * Binary form: int32 number of entries, then origin, dest, n as int8 for
 * each entry, in canonical order (strictly increasing (origin, dest),
 * n > 0).  Everything is checked: the length before any allocation, then
 * the order, the counts and the total.
 */
Datum
flowmatrix_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int32		n = pq_getmsgint(buf, 4);
	Size		remaining = buf->len - buf->cursor;
	FlowMatrix *fm;
	int64		total = 0;
	int32		i;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid number of flowmatrix entries %d", n)));
	flow_check_entries((uint64) n);
	if (remaining != (Size) n * sizeof(FlowEntry))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("binary flowmatrix of %d entries needs %zu bytes of entries, got %zu",
						n, (Size) n * sizeof(FlowEntry), remaining)));
	fm = flow_palloc(n);
	for (i = 0; i < n; i++)
	{
		FlowEntry  *e = &fm->entries[i];

		e->origin = pq_getmsgint64(buf);
		e->dest = pq_getmsgint64(buf);
		e->n = pq_getmsgint64(buf);
		if (e->n <= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid count %lld in binary flowmatrix entry %lld->%lld",
							(long long) e->n, (long long) e->origin, (long long) e->dest),
					 errdetail("Counts must be positive.")));
		if (i > 0 && flow_key_cmp(e - 1, e) >= 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("binary flowmatrix entry %lld->%lld is %s",
							(long long) e->origin, (long long) e->dest,
							flow_key_cmp(e - 1, e) == 0 ? "duplicated" : "out of order"),
					 errdetail("Entries must be sorted by origin, then destination, each pair once.")));
		total = hs_add_int64(total, e->n, "total of flowmatrix counts");
	}
	PG_RETURN_POINTER(fm);
}

Datum
flowmatrix_send(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	StringInfoData buf;
	uint32		i;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, fm->nentries);
	for (i = 0; i < fm->nentries; i++)
	{
		pq_sendint64(&buf, fm->entries[i].origin);
		pq_sendint64(&buf, fm->entries[i].dest);
		pq_sendint64(&buf, fm->entries[i].n);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

/* canonical form: equal matrices have equal bytes */
static bool
flow_equal(FunctionCallInfo fcinfo)
{
	FlowMatrix *a = PG_GETARG_FLOWMATRIX_P(0);
	FlowMatrix *b = PG_GETARG_FLOWMATRIX_P(1);

	return VARSIZE(a) == VARSIZE(b) &&
		memcmp(a->entries, b->entries, (Size) a->nentries * sizeof(FlowEntry)) == 0;
}

Datum
flow_eq(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(flow_equal(fcinfo));
}

Datum
flow_ne(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(!flow_equal(fcinfo));
}

/* a + b: cell-wise sum */
Datum
flow_add(PG_FUNCTION_ARGS)
{
	FlowMatrix *a = PG_GETARG_FLOWMATRIX_P(0);
	FlowMatrix *b = PG_GETARG_FLOWMATRIX_P(1);
	ExpandedFlowMatrix *efm;

	efm = efm_create(CurrentMemoryContext, (int64) a->nentries + b->nentries);
	efm_merge(&efm->hdr, PointerGetDatum(a));
	efm_merge(&efm->hdr, PointerGetDatum(b));
	PG_RETURN_POINTER(efm_finish(efm));
}

/* ----------------------------------------------------------------------
 * Aggregates
 * ----------------------------------------------------------------------
 */

/*
 * flow_agg(origin, dest): one visit per row; flow_agg(origin, dest, n): n
 * visits per row, n >= 0.
 */
Datum
flow_accum(PG_FUNCTION_ARGS)
{
	ExpandedFlowMatrix *efm;
	int64		n = 1;

	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2) ||
					   (PG_NARGS() > 3 && PG_ARGISNULL(3)));
	if (PG_NARGS() > 3)
	{
		n = PG_GETARG_INT64(3);
		if (n < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("flow count %lld for %lld->%lld must not be negative",
							(long long) n, (long long) PG_GETARG_INT64(1),
							(long long) PG_GETARG_INT64(2))));
	}
	efm = (ExpandedFlowMatrix *) hs_aggstate_arg(&efm_type, fcinfo);
	if (n > 0)
		efm_add(efm, PG_GETARG_INT64(1), PG_GETARG_INT64(2), n);
	return hs_aggstate_return(&efm->hdr);
}

/* sum(flowmatrix) transition and the combine function of every flow aggregate */
Datum
flow_combine(PG_FUNCTION_ARGS)
{
	return hs_aggstate_combine(&efm_type, fcinfo);
}

/* ----------------------------------------------------------------------
 * Readers
 * ----------------------------------------------------------------------
 */

Datum
flow_entries(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		i;

	InitMaterializedSRF(fcinfo, 0);
	for (i = 0; i < fm->nentries; i++)
	{
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		values[0] = Int64GetDatum(fm->entries[i].origin);
		values[1] = Int64GetDatum(fm->entries[i].dest);
		values[2] = Int64GetDatum(fm->entries[i].n);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

Datum
flow_total(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	int64		total = 0;
	uint32		i;

	for (i = 0; i < fm->nentries; i++)
		total = hs_add_int64(total, fm->entries[i].n, "total of flowmatrix counts");
	PG_RETURN_INT64(total);
}

/* number of (origin, dest) pairs */
Datum
flow_size(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);

	PG_RETURN_INT64((int64) fm->nentries);
}

