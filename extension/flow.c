/*-------------------------------------------------------------------------
 *
 * flow.c
 *	  The flowmatrix type: a sparse matrix of exact int8 counts keyed by
 *	  (origin, dest), its aggregates (flow_agg, sum), the flow indicators
 *	  (localization index, LIFO, net patient flow), rollup of adcode keys,
 *	  plurality assignment, service-area delineation, the Elzinga-Hogarty
 *	  test, and the referral counts between care levels.
 *
 *	  Flat form (on disk, on the wire between parallel workers, in results):
 *	  a varlena holding the number of entries followed by (origin, dest, n)
 *	  triples sorted by (origin, dest), with unique keys and n > 0.  Because
 *	  the form is canonical, two matrices are equal exactly when their bytes
 *	  are.
 *
 *	  Aggregate state: the same SQL type, so Citus can push partial
 *	  aggregation down to its workers (it refuses for "internal" states).
 *	  During aggregation the state is a read-write expanded object (see
 *	  utils/expandeddatum.h) whose memory context is a child of the aggregate
 *	  context: an open-addressing hash table keyed by (origin, dest).  The
 *	  executor adopts it without copying because the transition function
 *	  returns the same pointer each time; it is flattened (sorted) only when
 *	  the state leaves the node.
 *
 *	  Invariant: the sum of all counts of a matrix fits in int8, so every
 *	  row, column and grand total can be computed without overflow; any
 *	  operation that would break it raises numeric_value_out_of_range.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_type.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"
#include "utils/tuplestore.h"
#include "utils/typcache.h"

#include "adcode.h"
#include "common.h"

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

#define DatumGetFlowMatrixP(X)	((FlowMatrix *) PG_DETOAST_DATUM(X))

/* the expanded form: an open-addressing hash table, n == 0 marks a free slot */
#define EFM_MAGIC	0x466c6f77		/* "Flow" */

typedef struct ExpandedFlowMatrix
{
	ExpandedObjectHeader hdr;
	int			magic;
	FlowEntry  *slots;
	uint64		capacity;		/* a power of 2 */
	uint64		nentries;
	int64		total;
} ExpandedFlowMatrix;

#define EFM_MIN_CAPACITY	64

PG_FUNCTION_INFO_V1(flow_in);
PG_FUNCTION_INFO_V1(flow_out);
PG_FUNCTION_INFO_V1(flow_recv);
PG_FUNCTION_INFO_V1(flow_send);
PG_FUNCTION_INFO_V1(flow_eq);
PG_FUNCTION_INFO_V1(flow_ne);
PG_FUNCTION_INFO_V1(flow_add);
PG_FUNCTION_INFO_V1(flow_accum);
PG_FUNCTION_INFO_V1(flow_accum_n);
PG_FUNCTION_INFO_V1(flow_combine);
PG_FUNCTION_INFO_V1(flow_entries);
PG_FUNCTION_INFO_V1(flow_total);
PG_FUNCTION_INFO_V1(flow_size);
PG_FUNCTION_INFO_V1(flow_regions);
PG_FUNCTION_INFO_V1(flow_rollup);
PG_FUNCTION_INFO_V1(flow_key_to_adcode);
PG_FUNCTION_INFO_V1(flow_plurality);
PG_FUNCTION_INFO_V1(flow_service_areas);
PG_FUNCTION_INFO_V1(flow_market);
PG_FUNCTION_INFO_V1(referral_accum);
PG_FUNCTION_INFO_V1(referral_combine);
PG_FUNCTION_INFO_V1(referral_add_counts);

/* ----------------------------------------------------------------------
 * Sorting
 * ----------------------------------------------------------------------
 */
static inline int
flow_key_cmp(const FlowEntry *a, const FlowEntry *b)
{
	if (a->origin != b->origin)
		return a->origin < b->origin ? -1 : 1;
	if (a->dest != b->dest)
		return a->dest < b->dest ? -1 : 1;
	return 0;
}

#define ST_SORT flow_sort_entries
#define ST_ELEMENT_TYPE FlowEntry
#define ST_COMPARE(a, b) flow_key_cmp(a, b)
#define ST_SCOPE static
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
#define ST_SCOPE static
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
static FlowMatrix *
flow_get_flat(Datum d)
{
	FlowMatrix *fm = DatumGetFlowMatrixP(d);

	if (VARSIZE(fm) < FLOW_HEADER_SIZE ||
		VARSIZE(fm) != FLOW_SIZE(fm->nentries))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted flowmatrix: %u bytes for %u entries",
						(unsigned) VARSIZE(fm), fm->nentries)));
	return fm;
}

#define PG_GETARG_FLOWMATRIX_P(n)	flow_get_flat(PG_GETARG_DATUM(n))

/* ----------------------------------------------------------------------
 * Expanded form
 * ----------------------------------------------------------------------
 */
static Size efm_get_flat_size(ExpandedObjectHeader *eohptr);
static void efm_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							 Size allocated_size);

static const ExpandedObjectMethods efm_methods = {
	efm_get_flat_size,
	efm_flatten_into
};

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

/* a new empty expanded matrix in a child context of "parent" */
static ExpandedFlowMatrix *
efm_create(MemoryContext parent, uint64 expected)
{
	MemoryContext cxt;
	ExpandedFlowMatrix *efm;
	uint64		capacity = EFM_MIN_CAPACITY;

	cxt = AllocSetContextCreate(parent, "flowmatrix", ALLOCSET_SMALL_SIZES);
	efm = (ExpandedFlowMatrix *) MemoryContextAlloc(cxt, sizeof(ExpandedFlowMatrix));
	EOH_init_header(&efm->hdr, &efm_methods, cxt);
	efm->magic = EFM_MAGIC;
	/* "expected" is a hint: efm_add enforces the real limit */
	expected = Min(expected, (uint64) FLOW_MAX_ENTRIES);
	while (capacity * 3 < expected * 4)
		capacity *= 2;
	efm->capacity = capacity;
	efm->slots = (FlowEntry *) MemoryContextAllocExtended(cxt,
														  capacity * sizeof(FlowEntry),
														  MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	efm->nentries = 0;
	efm->total = 0;
	return efm;
}

/* the expanded matrix behind a datum, or NULL when the datum is flat */
static inline ExpandedFlowMatrix *
efm_from_datum(Datum d)
{
	ExpandedFlowMatrix *efm;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	efm = (ExpandedFlowMatrix *) DatumGetEOHP(d);
	if (efm->magic != EFM_MAGIC)
		elog(ERROR, "expanded object is not a flowmatrix");
	return efm;
}

static void
efm_grow(ExpandedFlowMatrix *efm)
{
	uint64		newcap = efm->capacity * 2;
	uint64		mask = newcap - 1;
	FlowEntry  *old = efm->slots;
	FlowEntry  *slots;
	uint64		i;

	slots = (FlowEntry *) MemoryContextAllocExtended(efm->hdr.eoh_context,
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
static inline void
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
efm_merge_datum(ExpandedFlowMatrix *efm, Datum d)
{
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

	Assert(efm->magic == EFM_MAGIC);
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

static FlowMatrix *
efm_to_flat(ExpandedFlowMatrix *efm)
{
	Size		size = efm_get_flat_size(&efm->hdr);
	FlowMatrix *fm = (FlowMatrix *) palloc(size);

	efm_flatten_into(&efm->hdr, fm, size);
	return fm;
}

/*
 * The state to update in a transition or combine function.  Inside an
 * aggregate, a read-write expanded state is updated in place and returned
 * as the same pointer, so the executor keeps it without copying; a NULL or
 * flat state becomes a new expanded object in a child of the aggregate
 * context, which the executor adopts (and frees the flat one).  Outside an
 * aggregate the argument is never modified: the work happens on a copy in
 * the current context, and *direct is set so the caller returns it flat.
 */
static ExpandedFlowMatrix *
flow_state(FunctionCallInfo fcinfo, bool *direct)
{
	MemoryContext aggcontext;
	ExpandedFlowMatrix *efm;

	*direct = !AggCheckCallContext(fcinfo, &aggcontext);
	if (*direct)
		aggcontext = CurrentMemoryContext;
	if (PG_ARGISNULL(0))
		return efm_create(aggcontext, 0);
	if (!*direct && VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		efm = efm_from_datum(PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(efm->hdr.eoh_context) == aggcontext)
			return efm;
	}
	efm = efm_create(aggcontext, 0);
	efm_merge_datum(efm, PG_GETARG_DATUM(0));
	return efm;
}

static Datum
flow_state_result(ExpandedFlowMatrix *efm, bool direct)
{
	if (direct)
	{
		FlowMatrix *fm = efm_to_flat(efm);

		DeleteExpandedObject(EOHPGetRWDatum(&efm->hdr));
		return PointerGetDatum(fm);
	}
	return EOHPGetRWDatum(&efm->hdr);
}

/* ----------------------------------------------------------------------
 * Text and binary I/O
 * ----------------------------------------------------------------------
 */

static void
flow_syntax_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type flowmatrix: \"%s\"", hs_excerpt_cstring(str)),
			 errdetail_internal("%s", detail)));
}

/* parse an optionally signed int8 at *p */
static bool
flow_parse_int64(const char **p, int64 *out, bool allow_sign, const char *str)
{
	const char *s = *p;
	bool		neg = false;
	int64		v = 0;

	if (allow_sign && (*s == '-' || *s == '+'))
		neg = (*s++ == '-');
	if (!isdigit((unsigned char) *s))
		return false;
	/* accumulate negatively so that the int8 minimum parses */
	while (isdigit((unsigned char) *s))
	{
		if (unlikely(pg_mul_s64_overflow(v, 10, &v) ||
					 pg_sub_s64_overflow(v, *s - '0', &v)))
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value in flowmatrix \"%s\" is out of range for type bigint", hs_excerpt_cstring(str))));
		s++;
	}
	if (!neg)
	{
		if (v == PG_INT64_MIN)
			ereport(ERROR,
					(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
					 errmsg("value in flowmatrix \"%s\" is out of range for type bigint", hs_excerpt_cstring(str))));
		v = -v;
	}
	*out = v;
	*p = s;
	return true;
}

static inline void
skip_space(const char **p)
{
	while (isspace((unsigned char) **p))
		(*p)++;
}

/*
 * Text form: {origin->dest:n, ...}, e.g. {330521->330521:412, 330521->330502:30}.
 * Entries may come in any order; each (origin, dest) pair at most once;
 * counts are non-negative integers (zero entries are dropped).  The output
 * lists the entries sorted by origin, then dest.
 */
Datum
flow_in(PG_FUNCTION_ARGS)
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
	skip_space(&p);
	if (*p++ != '{')
		flow_syntax_error(str, "A flowmatrix starts with \"{\".");
	skip_space(&p);
	if (*p == '}')
		p++;
	else
	{
		for (;;)
		{
			FlowEntry	e;

			skip_space(&p);
			if (!flow_parse_int64(&p, &e.origin, true, str))
				flow_syntax_error(str, "Expected an origin (an integer).");
			skip_space(&p);
			if (p[0] != '-' || p[1] != '>')
				flow_syntax_error(str, "Expected \"->\" after the origin.");
			p += 2;
			skip_space(&p);
			if (!flow_parse_int64(&p, &e.dest, true, str))
				flow_syntax_error(str, "Expected a destination (an integer) after \"->\".");
			skip_space(&p);
			if (*p++ != ':')
				flow_syntax_error(str, "Expected \":\" after the destination.");
			skip_space(&p);
			if (!flow_parse_int64(&p, &e.n, false, str))
				flow_syntax_error(str, "Expected a count (a non-negative integer) after \":\".");
			skip_space(&p);
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
			flow_syntax_error(str, "Expected \",\" or \"}\" after a count.");
		}
	}
	skip_space(&p);
	if (*p != '\0')
		flow_syntax_error(str, "Junk after the closing \"}\".");

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
flow_out(PG_FUNCTION_ARGS)
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
flow_recv(PG_FUNCTION_ARGS)
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
flow_send(PG_FUNCTION_ARGS)
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
	FlowMatrix *result;

	efm = efm_create(CurrentMemoryContext, (uint64) a->nentries + b->nentries);
	efm_merge_datum(efm, PointerGetDatum(a));
	efm_merge_datum(efm, PointerGetDatum(b));
	result = efm_to_flat(efm);
	DeleteExpandedObject(EOHPGetRWDatum(&efm->hdr));
	PG_RETURN_POINTER(result);
}

/* ----------------------------------------------------------------------
 * Aggregates
 * ----------------------------------------------------------------------
 */

/* flow_agg(origin, dest): one visit per row */
Datum
flow_accum(PG_FUNCTION_ARGS)
{
	ExpandedFlowMatrix *efm;
	bool		direct;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	efm = flow_state(fcinfo, &direct);
	efm_add(efm, PG_GETARG_INT64(1), PG_GETARG_INT64(2), 1);
	return flow_state_result(efm, direct);
}

/* flow_agg(origin, dest, n): n visits per row, n >= 0 */
Datum
flow_accum_n(PG_FUNCTION_ARGS)
{
	ExpandedFlowMatrix *efm;
	bool		direct;
	int64		n;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	n = PG_GETARG_INT64(3);
	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flow count %lld for %lld->%lld must not be negative",
						(long long) n, (long long) PG_GETARG_INT64(1),
						(long long) PG_GETARG_INT64(2))));
	efm = flow_state(fcinfo, &direct);
	if (n > 0)
		efm_add(efm, PG_GETARG_INT64(1), PG_GETARG_INT64(2), n);
	return flow_state_result(efm, direct);
}

/* sum(flowmatrix) transition and the combine function of every flow aggregate */
Datum
flow_combine(PG_FUNCTION_ARGS)
{
	ExpandedFlowMatrix *efm;
	bool		direct;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	efm = flow_state(fcinfo, &direct);
	efm_merge_datum(efm, PG_GETARG_DATUM(1));
	return flow_state_result(efm, direct);
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

/*
 * The regions of a matrix: every key that appears as an origin or a dest,
 * sorted, with the row sums (residents), column sums (served) and diagonal
 * (retained).  Entry i's origin and dest indexes go to oidx/didx when those
 * are not NULL.
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

static int
region_index(const FlowRegions *r, int64 key)
{
	int			lo = 0,
				hi = r->nregions - 1;

	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;

		if (r->keys[mid] == key)
			return mid;
		if (r->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return -1;
}

/*
 * An open-addressing map from key to region index, used to find the
 * distinct destinations in one pass instead of sorting every entry.
 */
typedef struct KeySlot
{
	int64		key;
	int			index;			/* -1: free */
} KeySlot;

static inline uint64
key_hash(int64 key)
{
	uint64		h = (uint64) key;

	h ^= h >> 33;
	h *= UINT64CONST(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

/* the slot of key (occupied by it, or the free slot where it would go) */
static inline KeySlot *
key_slot(KeySlot *slots, uint64 mask, int64 key)
{
	uint64		j = key_hash(key) & mask;

	while (slots[j].index >= 0 && slots[j].key != key)
		j = (j + 1) & mask;
	return &slots[j];
}

static void
flow_regions_compute(FlowMatrix *fm, FlowRegions *r, bool want_index)
{
	uint32		n = fm->nentries;
	int64	   *dests;
	int64	   *keys;
	uint32		i,
				nd = 0,
				a,
				b;
	int			nk = 0;
	int			cur = -1;
	uint64		cap = 64,
				mask;
	KeySlot    *slots;

	/* distinct destinations (usually far fewer than entries) in a map kept at most half full */
	mask = cap - 1;
	slots = (KeySlot *) palloc(cap * sizeof(KeySlot));
	for (i = 0; i < cap; i++)
		slots[i].index = -1;
	dests = (int64 *) palloc_extended(Max(n, 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	for (i = 0; i < n; i++)
	{
		KeySlot    *s = key_slot(slots, mask, fm->entries[i].dest);

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (s->index >= 0)
			continue;
		s->key = fm->entries[i].dest;
		s->index = 0;
		dests[nd++] = fm->entries[i].dest;
		if ((uint64) nd * 2 > cap)
		{
			uint32		k;

			pfree(slots);
			cap *= 2;
			mask = cap - 1;
			slots = (KeySlot *) palloc_extended(cap * sizeof(KeySlot), MCXT_ALLOC_HUGE);
			for (k = 0; k < cap; k++)
				slots[k].index = -1;
			for (k = 0; k < nd; k++)
			{
				KeySlot    *t = key_slot(slots, mask, dests[k]);

				t->key = dests[k];
				t->index = 0;
			}
		}
	}
	flow_sort_int64(dests, nd);
	/* merge the sorted distinct origins with the sorted distinct dests */
	keys = (int64 *) palloc_extended(Max((Size) n + nd, 1) * sizeof(int64), MCXT_ALLOC_HUGE);
	a = 0;
	b = 0;
	while (a < n || b < nd)
	{
		int64		k;

		if (b >= nd || (a < n && fm->entries[a].origin <= dests[b]))
			k = fm->entries[a].origin;
		else
			k = dests[b];
		if (nk == 0 || keys[nk - 1] != k)
			keys[nk++] = k;
		while (a < n && fm->entries[a].origin == k)
			a++;
		while (b < nd && dests[b] == k)
			b++;
	}
	pfree(dests);
	/* the map now gives each destination its region index */
	for (i = 0; (int) i < nk; i++)
	{
		KeySlot    *s = key_slot(slots, mask, keys[i]);

		if (s->index >= 0)
			s->index = (int) i;
	}
	r->nregions = nk;
	r->keys = keys;
	r->residents = (int64 *) palloc0(Max(nk, 1) * sizeof(int64));
	r->served = (int64 *) palloc0(Max(nk, 1) * sizeof(int64));
	r->retained = (int64 *) palloc0(Max(nk, 1) * sizeof(int64));
	r->oidx = want_index ? (int *) palloc_extended(Max(n, 1) * sizeof(int), MCXT_ALLOC_HUGE) : NULL;
	r->didx = want_index ? (int *) palloc_extended(Max(n, 1) * sizeof(int), MCXT_ALLOC_HUGE) : NULL;
	for (i = 0; i < n; i++)
	{
		const FlowEntry *e = &fm->entries[i];
		int			d;

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		if (cur < 0 || keys[cur] != e->origin)
			cur = region_index(r, e->origin);
		d = key_slot(slots, mask, e->dest)->index;
		/* no overflow: every sum is bounded by the matrix total */
		r->residents[cur] += e->n;
		r->served[d] += e->n;
		if (cur == d)
			r->retained[cur] += e->n;
		if (want_index)
		{
			r->oidx[i] = cur;
			r->didx[i] = d;
		}
	}
	pfree(slots);
}

static Datum
ratio_datum(int64 num, int64 den, bool *isnull)
{
	*isnull = (den == 0);
	return Float8GetDatum(den == 0 ? 0.0 : (double) num / (double) den);
}

/*
 * flow_regions(fm) returns setof (region, residents, served, retained, li,
 * lifo, npf): li = retained/residents, lifo = retained/served,
 * npf = served/residents, NULL when the denominator is 0.
 */
Datum
flow_regions(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FlowRegions r;
	int			i;

	InitMaterializedSRF(fcinfo, 0);
	flow_regions_compute(fm, &r, false);
	for (i = 0; i < r.nregions; i++)
	{
		Datum		values[7];
		bool		nulls[7] = {false, false, false, false, false, false, false};

		values[0] = Int64GetDatum(r.keys[i]);
		values[1] = Int64GetDatum(r.residents[i]);
		values[2] = Int64GetDatum(r.served[i]);
		values[3] = Int64GetDatum(r.retained[i]);
		values[4] = ratio_datum(r.retained[i], r.residents[i], &nulls[4]);
		values[5] = ratio_datum(r.retained[i], r.served[i], &nulls[5]);
		values[6] = ratio_datum(r.served[i], r.residents[i], &nulls[6]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * flow_plurality(fm) returns setof (origin, dest, share): each origin's
 * largest destination (ties: the smallest dest) and its share of the
 * origin's visits.
 */
Datum
flow_plurality(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	uint32		i = 0;

	InitMaterializedSRF(fcinfo, 0);
	while (i < fm->nentries)
	{
		int64		origin = fm->entries[i].origin;
		int64		sum = 0;
		const FlowEntry *best = &fm->entries[i];
		Datum		values[3];
		bool		nulls[3] = {false, false, false};

		CHECK_FOR_INTERRUPTS();
		/* dests ascend within an origin, so ">" keeps the smallest on ties */
		for (; i < fm->nentries && fm->entries[i].origin == origin; i++)
		{
			sum += fm->entries[i].n;
			if (fm->entries[i].n > best->n)
				best = &fm->entries[i];
		}
		values[0] = Int64GetDatum(origin);
		values[1] = Int64GetDatum(best->dest);
		values[2] = Float8GetDatum((double) best->n / (double) sum);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/* ----------------------------------------------------------------------
 * Rollup of adcode keys
 * ----------------------------------------------------------------------
 */

/*
 * Pad a key holding an adcode's own digits (6, 9 or 12 of them) to twelve
 * digits; -1 when the key is no division code.
 */
static Adcode
flow_key_pad(int64 key)
{
	Adcode		a = -1;
	int			province;

	if (key >= INT64CONST(100000) && key <= INT64CONST(999999))
		a = key * ADCODE_PAD_COUNTY;
	else if (key >= INT64CONST(100000000) && key <= INT64CONST(999999999))
		a = key * ADCODE_PAD_TOWNSHIP;
	else if (key >= INT64CONST(100000000000) && key <= INT64CONST(999999999999))
		a = key;
	if (a < 0)
		return -1;
	province = (int) (a / ADCODE_PAD_PROVINCE);
	if (province < 11 || province > 82 ||
		((a / ADCODE_PAD_CITY) % 100 == 0 && a % ADCODE_PAD_CITY != 0) ||
		((a / ADCODE_PAD_TOWNSHIP) % 1000 == 0 && a % ADCODE_PAD_TOWNSHIP != 0))
		return -1;
	return a;
}

/* the padded adcode of a key, or an error naming the key */
static Adcode
flow_key_adcode(int64 key)
{
	Adcode		a = flow_key_pad(key);

	if (a < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("flowmatrix key %lld is not a division code", (long long) key),
				 errdetail("flow_rollup needs keys that are division codes of 6, 9 or 12 digits.")));
	return a;
}

/* flow_key_adcode(key int8) adcode: the key as a division code, or NULL */
Datum
flow_key_to_adcode(PG_FUNCTION_ARGS)
{
	Adcode		a = flow_key_pad(PG_GETARG_INT64(0));

	if (a < 0)
		PG_RETURN_NULL();
	PG_RETURN_ADCODE(a);
}

/* the key's ancestor at "level" as own digits; keys above the level stay */
static int64
flow_key_rollup(int64 key, AdcodeLevel level)
{
	Adcode		a = flow_key_adcode(key);
	Adcode		up;

	if (adcode_level_of(a) <= level)
		return key;
	switch (level)
	{
		case ADCODE_PROVINCE:
			up = a - a % ADCODE_PAD_PROVINCE;
			break;
		case ADCODE_CITY:
			up = a - a % ADCODE_PAD_CITY;
			break;
		case ADCODE_COUNTY:
			up = adcode_county_of(a);
			break;
		default:
			up = a - a % ADCODE_PAD_TOWNSHIP;
			break;
	}
	return adcode_to_digits(up);
}

/*
 * flow_rollup(fm, level): every key replaced by its ancestor at level
 * (township, county, city or province), counts of merged cells summed.
 * Keys already at or above the level are kept.
 */
Datum
flow_rollup(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	char	   *levelname = text_to_cstring(PG_GETARG_TEXT_PP(1));
	AdcodeLevel level;
	ExpandedFlowMatrix *efm;
	FlowMatrix *result;
	uint32		i;
	int64		last_in = 0,
				last_out = 0;
	bool		have_last = false;

	if (strcmp(levelname, "province") == 0)
		level = ADCODE_PROVINCE;
	else if (strcmp(levelname, "city") == 0)
		level = ADCODE_CITY;
	else if (strcmp(levelname, "county") == 0)
		level = ADCODE_COUNTY;
	else if (strcmp(levelname, "township") == 0)
		level = ADCODE_TOWNSHIP;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("unknown rollup level \"%s\"", hs_excerpt_cstring(levelname)),
				 errhint("Use \"township\", \"county\", \"city\" or \"province\".")));

	efm = efm_create(CurrentMemoryContext, 0);
	for (i = 0; i < fm->nentries; i++)
	{
		const FlowEntry *e = &fm->entries[i];

		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
		/* origins come in runs: convert each once */
		if (!have_last || last_in != e->origin)
		{
			last_in = e->origin;
			last_out = flow_key_rollup(e->origin, level);
			have_last = true;
		}
		efm_add(efm, last_out, flow_key_rollup(e->dest, level), e->n);
	}
	result = efm_to_flat(efm);
	DeleteExpandedObject(EOHPGetRWDatum(&efm->hdr));
	PG_RETURN_POINTER(result);
}

/* ----------------------------------------------------------------------
 * Service areas and markets
 * ----------------------------------------------------------------------
 */

/*
 * flow_service_areas(fm, min_li) returns setof (region, area)
 *
 * HSA-style delineation.  1. Plurality: every origin goes to the area named
 * by its plurality destination; a key that is some origin's plurality
 * destination anchors its own area; other keys that are only destinations
 * form areas of their own (without residents).  2. While some area with
 * residents has a localization index (visits of its residents to providers
 * in the area over all visits of its residents) below min_li and more than
 * one area remains: take the area with the lowest index (ties: smallest
 * area id) and merge it into the area that receives most of its residents'
 * outside visits (ties: smallest area id); the merged area keeps the
 * receiver's id.  One row per origin, sorted by region.
 */
Datum
flow_service_areas(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	double		min_li = PG_GETARG_FLOAT8(1);
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	FlowRegions r;
	int		   *area;			/* region index -> index of its area's key */
	int64	   *ares,
			   *ain,
			   *aout;
	int			nareas = 0;
	int			k;
	uint32		i;

	if (isnan(min_li))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("min_li must not be NaN")));
	InitMaterializedSRF(fcinfo, 0);
	flow_regions_compute(fm, &r, true);
	if (r.nregions == 0)
		return (Datum) 0;

	area = (int *) palloc(r.nregions * sizeof(int));
	for (k = 0; k < r.nregions; k++)
		area[k] = k;
	/* plurality; entries are sorted, so each origin's run is contiguous */
	i = 0;
	while (i < fm->nentries)
	{
		uint32		best = i;
		int			o = r.oidx[i];

		for (; i < fm->nentries && r.oidx[i] == o; i++)
			if (fm->entries[i].n > fm->entries[best].n)
				best = i;
		area[o] = r.didx[best];
	}
	/* anchors (plurality destinations) keep their own area */
	{
		bool	   *anchor = (bool *) palloc0(r.nregions * sizeof(bool));

		for (k = 0; k < r.nregions; k++)
			if (r.residents[k] > 0)
				anchor[area[k]] = true;
		for (k = 0; k < r.nregions; k++)
			if (anchor[k] || r.residents[k] == 0)
				area[k] = k;
		pfree(anchor);
	}
	for (k = 0; k < r.nregions; k++)
		if (area[k] == k)
			nareas++;

	ares = (int64 *) palloc(r.nregions * sizeof(int64));
	ain = (int64 *) palloc(r.nregions * sizeof(int64));
	aout = (int64 *) palloc(r.nregions * sizeof(int64));
	while (nareas > 1)
	{
		int			worst = -1;
		int			target = -1;

		CHECK_FOR_INTERRUPTS();
		memset(ares, 0, r.nregions * sizeof(int64));
		memset(ain, 0, r.nregions * sizeof(int64));
		for (i = 0; i < fm->nentries; i++)
		{
			int			a = area[r.oidx[i]];

			ares[a] += fm->entries[i].n;
			if (area[r.didx[i]] == a)
				ain[a] += fm->entries[i].n;
		}
		/* the area with the lowest index below the threshold */
		for (k = 0; k < r.nregions; k++)
		{
			if (area[k] != k || ares[k] == 0)
				continue;
			if (!((double) ain[k] < min_li * (double) ares[k]))
				continue;
			if (worst < 0 ||
				(double) ain[k] * (double) ares[worst] <
				(double) ain[worst] * (double) ares[k])
				worst = k;
		}
		if (worst < 0)
			break;
		/* the area receiving most of its outflow */
		memset(aout, 0, r.nregions * sizeof(int64));
		for (i = 0; i < fm->nentries; i++)
		{
			int			b = area[r.didx[i]];

			if (area[r.oidx[i]] == worst && b != worst)
				aout[b] += fm->entries[i].n;
		}
		for (k = 0; k < r.nregions; k++)
			if (aout[k] > 0 && (target < 0 || aout[k] > aout[target]))
				target = k;
		if (target < 0)
			break;				/* no outflow: cannot happen below min_li <= 1 */
		for (k = 0; k < r.nregions; k++)
			if (area[k] == worst)
				area[k] = target;
		nareas--;
	}

	for (k = 0; k < r.nregions; k++)
	{
		Datum		values[2];
		bool		nulls[2] = {false, false};

		if (r.residents[k] == 0)
			continue;
		values[0] = Int64GetDatum(r.keys[k]);
		values[1] = Int64GetDatum(r.keys[area[k]]);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	return (Datum) 0;
}

/*
 * flow_market(fm, regions int8[]) returns (residents, served, retained,
 * lofi, lifo, market): the Elzinga-Hogarty test of a set of regions taken
 * together as one market.  residents: visits by residents of the set;
 * served: visits at providers in the set; retained: both.  LOFI (little out
 * from inside) = retained/residents, LIFO (little in from outside) =
 * retained/served; market is 'strong' when both are >= 0.90, 'weak' when
 * both are >= 0.75, otherwise 'none' (NULL when an index is undefined).
 */
Datum
flow_market(PG_FUNCTION_ARGS)
{
	FlowMatrix *fm = PG_GETARG_FLOWMATRIX_P(0);
	ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(1);
	Datum	   *elems;
	bool	   *elnulls;
	int			nelems,
				nset = 0,
				k;
	int64	   *set;
	int64		residents = 0,
				served = 0,
				retained = 0;
	uint32		i;
	TupleDesc	tupdesc;
	Datum		values[6];
	bool		nulls[6] = {false, false, false, false, false, false};
	double		lofi,
				lifo;

	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	deconstruct_array(arr, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &elems, &elnulls, &nelems);
	set = (int64 *) palloc(Max(nelems, 1) * sizeof(int64));
	for (k = 0; k < nelems; k++)
		if (!elnulls[k])
			set[nset++] = DatumGetInt64(elems[k]);
	flow_sort_int64(set, nset);

	for (i = 0; i < fm->nentries; i++)
	{
		const FlowEntry *e = &fm->entries[i];
		bool		oin = false,
					din = false;
		int			lo,
					hi;

		/* binary searches in the sorted set */
		for (lo = 0, hi = nset - 1; lo <= hi;)
		{
			int			mid = lo + (hi - lo) / 2;

			if (set[mid] == e->origin)
			{
				oin = true;
				break;
			}
			if (set[mid] < e->origin)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		for (lo = 0, hi = nset - 1; lo <= hi;)
		{
			int			mid = lo + (hi - lo) / 2;

			if (set[mid] == e->dest)
			{
				din = true;
				break;
			}
			if (set[mid] < e->dest)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		if (oin)
			residents += e->n;
		if (din)
			served += e->n;
		if (oin && din)
			retained += e->n;
	}
	values[0] = Int64GetDatum(residents);
	values[1] = Int64GetDatum(served);
	values[2] = Int64GetDatum(retained);
	values[3] = ratio_datum(retained, residents, &nulls[3]);
	values[4] = ratio_datum(retained, served, &nulls[4]);
	if (residents == 0 || served == 0)
		nulls[5] = true;
	else
	{
		lofi = (double) retained / (double) residents;
		lifo = (double) retained / (double) served;
		values[5] = CStringGetTextDatum(lofi >= 0.9 && lifo >= 0.9 ? "strong" :
										lofi >= 0.75 && lifo >= 0.75 ? "weak" : "none");
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ----------------------------------------------------------------------
 * Referrals between care levels
 *
 * State: bigint[3] = {up, down, lateral}, a plain SQL array (mergeable by
 * Citus), updated in place inside the aggregate.
 * ----------------------------------------------------------------------
 */

static ArrayType *
referral_state_new(MemoryContext cxt)
{
	MemoryContext old = MemoryContextSwitchTo(cxt);
	Datum		zeros[3] = {Int64GetDatum(0), Int64GetDatum(0), Int64GetDatum(0)};
	ArrayType  *a = construct_array(zeros, 3, INT8OID, 8, FLOAT8PASSBYVAL, TYPALIGN_DOUBLE);

	MemoryContextSwitchTo(old);
	return a;
}

static int64 *
referral_counts_of(ArrayType *a)
{
	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != 3 || ARR_HASNULL(a) ||
		ARR_ELEMTYPE(a) != INT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("referral state must be a bigint array of 3 non-null counts")));
	/* no null bitmap, checked above */
	return (int64 *) ((char *) a + ARR_OVERHEAD_NONULLS(1));
}

/* the writable state array, as in flow_state */
static ArrayType *
referral_state(FunctionCallInfo fcinfo)
{
	MemoryContext aggcontext;
	ArrayType  *a;

	if (!AggCheckCallContext(fcinfo, &aggcontext))
		aggcontext = NULL;
	/* a new state is made in the per-call context; the executor copies it */
	if (PG_ARGISNULL(0))
		return referral_state_new(CurrentMemoryContext);
	if (aggcontext)
		a = PG_GETARG_ARRAYTYPE_P(0);
	else
		a = PG_GETARG_ARRAYTYPE_P_COPY(0);
	(void) referral_counts_of(a);
	return a;
}

/* compare two care_level values by their enum sort order */
static int
referral_compare(FunctionCallInfo fcinfo, Oid a, Oid b)
{
	TypeCacheEntry *tcache = (TypeCacheEntry *) fcinfo->flinfo->fn_extra;

	if (a == b)
		return 0;
	if (tcache == NULL)
	{
		Oid			typid = get_fn_expr_argtype(fcinfo->flinfo, 1);

		/*
		 * Without an expression (Citus' worker_partial_agg calls the
		 * transition function through its own FmgrInfo) the type is that
		 * of the enum value itself.
		 */
		if (!OidIsValid(typid))
		{
			HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(a));

			if (!HeapTupleIsValid(tup))
				elog(ERROR, "could not determine the care level type");
			typid = ((Form_pg_enum) GETSTRUCT(tup))->enumtypid;
			ReleaseSysCache(tup);
		}
		tcache = lookup_type_cache(typid, 0);
		fcinfo->flinfo->fn_extra = tcache;
	}
	return compare_values_of_enum(tcache, a, b);
}

/* referrals(from, to) transition: counts up, down and lateral referrals */
Datum
referral_accum(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	int			cmp;
	int			slot;

	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	cmp = referral_compare(fcinfo, PG_GETARG_OID(1), PG_GETARG_OID(2));
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	slot = cmp < 0 ? 0 : (cmp > 0 ? 1 : 2);
	c[slot] = hs_add_int64(c[slot], 1, "referral count");
	PG_RETURN_ARRAYTYPE_P(state);
}

/* combine: adds two count arrays */
Datum
referral_combine(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	int64	   *o;
	int			k;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	o = referral_counts_of(PG_GETARG_ARRAYTYPE_P(1));
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	for (k = 0; k < 3; k++)
		c[k] = hs_add_int64(c[k], o[k], "referral count");
	PG_RETURN_ARRAYTYPE_P(state);
}

/* sum(referral_counts) transition: adds the three counts of a row */
Datum
referral_add_counts(PG_FUNCTION_ARGS)
{
	ArrayType  *state;
	int64	   *c;
	HeapTupleHeader row;
	int			k;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	row = PG_GETARG_HEAPTUPLEHEADER(1);
	state = referral_state(fcinfo);
	c = referral_counts_of(state);
	for (k = 0; k < 3; k++)
	{
		bool		isnull;
		Datum		v = GetAttributeByNum(row, k + 1, &isnull);
		int64		n;

		if (isnull)
			continue;
		n = DatumGetInt64(v);
		if (n < 0)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("referral count %lld must not be negative", (long long) n)));
		c[k] = hs_add_int64(c[k], n, "referral count");
	}
	PG_RETURN_ARRAYTYPE_P(state);
}
