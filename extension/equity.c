/*-------------------------------------------------------------------------
 *
 * equity.c
 *	  Equity of resource allocation: population-weighted Gini coefficient and
 *	  Lorenz curve, Theil indices T and L with their between/within-group
 *	  decomposition, agglomeration degree and the health resource density
 *	  index.
 *
 *	  Every measure is of a per-capita value y_i (beds per 1000 residents)
 *	  of region i weighted by its population w_i.  With W = sum w and
 *	  Y = sum w*y, the population share of i is w~_i = w_i / W and its
 *	  resource share s_i = w_i y_i / Y.
 *
 *	  The Theil aggregates need only sums (W, Y, sum w y ln y, sum w ln y),
 *	  so their state is a real SQL value, a float8[] of Neumaier-compensated
 *	  sums that partial aggregates merge by addition without losing digits.
 *	  Gini and Lorenz need the rows in order of y: their internal state keeps
 *	  the (y, w) pairs and the final function sorts them (LSD radix sort on
 *	  the IEEE bits of y, then ties ordered by w, so that the result does not
 *	  depend on the order in which rows or partial states arrived).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "common/shortest_dec.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "mb/pg_wchar.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/expandeddatum.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "common.h"

PG_FUNCTION_INFO_V1(hs_ineq_accum);
PG_FUNCTION_INFO_V1(hs_ineq_accum1);
PG_FUNCTION_INFO_V1(hs_ineq_combine);
PG_FUNCTION_INFO_V1(inequality_state_in);
PG_FUNCTION_INFO_V1(inequality_state_out);
PG_FUNCTION_INFO_V1(inequality_state_recv);
PG_FUNCTION_INFO_V1(inequality_state_send);
PG_FUNCTION_INFO_V1(hs_gini_final);
PG_FUNCTION_INFO_V1(hs_lorenz_final);
PG_FUNCTION_INFO_V1(hs_theil_accum);
PG_FUNCTION_INFO_V1(hs_theil_combine);
PG_FUNCTION_INFO_V1(hs_theil_t_final);
PG_FUNCTION_INFO_V1(hs_theil_l_final);
PG_FUNCTION_INFO_V1(hs_theil_decomp_accum);
PG_FUNCTION_INFO_V1(hs_theil_decomp_combine);
PG_FUNCTION_INFO_V1(theil_decomposition_state_in);
PG_FUNCTION_INFO_V1(theil_decomposition_state_out);
PG_FUNCTION_INFO_V1(theil_decomposition_state_recv);
PG_FUNCTION_INFO_V1(theil_decomposition_state_send);
PG_FUNCTION_INFO_V1(hs_theil_decomp_final);
PG_FUNCTION_INFO_V1(hs_density_index);
PG_FUNCTION_INFO_V1(hs_agglomeration_degree);

/* ------------------------------------------------------------------------
 * Input checks and compensated sums
 * ------------------------------------------------------------------------
 */

/*
 * A value or weight must be finite and not negative.  "what" is "value" or
 * "weight"; the message quotes the number as PostgreSQL prints it.
 */
static inline void
check_nonneg(double x, const char *what)
{
	if (unlikely(!(x >= 0.0) || isinf(x)))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s is not allowed in an inequality measure",
						what, float8out_internal(x)),
				 errdetail("Values and weights must be finite and not negative.")));
}

/* check one (value, weight) row; returns y normalised (-0 becomes +0) */
static inline double
check_row(double y, double w)
{
	check_nonneg(y, "value");
	check_nonneg(w, "weight");
	if (unlikely(isinf(y * w)))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("value %s times weight %s is out of range for type double precision",
						float8out_internal(y), float8out_internal(w))));
	return y == 0.0 ? 0.0 : y;
}

/*
 * Neumaier's compensated summation: sum[0] is the running sum, sum[1] the
 * accumulated rounding error; the total is sum[0] + sum[1].
 */
static inline void
ksum_add(double *sum, double x)
{
	double		t = sum[0] + x;

	if (fabs(sum[0]) >= fabs(x))
		sum[1] += (sum[0] - t) + x;
	else
		sum[1] += (x - t) + sum[0];
	sum[0] = t;
}

/* merge compensated sum "other" into "sum" */
static inline void
ksum_merge(double *sum, const double *other)
{
	ksum_add(sum, other[0]);
	sum[1] += other[1];
}

static inline double
ksum_total(const double *sum)
{
	return sum[0] + sum[1];
}

static void
check_sum_finite(const double *sum, const char *what)
{
	if (unlikely(!isfinite(sum[0]) || !isfinite(sum[1])))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("%s is out of range for type double precision", what)));
}

/*
 * The data of a float8 array without NULLs (ARR_DATA_PTR, written without
 * the signedness mix-up of its conditional that -Wextra rejects).
 */
static inline double *
array_data_nonulls(ArrayType *a)
{
	Assert(!ARR_HASNULL(a));
	return (double *) ((char *) a + ARR_OVERHEAD_NONULLS(ARR_NDIM(a)));
}

/* ------------------------------------------------------------------------
 * Gini and Lorenz: the inequality_state type, a list of (y, w) pairs
 *
 * Flat form (on disk, between parallel workers, Citus nodes): a varlena
 * holding a magic number and the pairs, each with y >= 0, w > 0 and y * w
 * finite, in any order.  During aggregation the state is a read-write
 * expanded object in a child context of the aggregate context, an array
 * grown geometrically; it is flattened only when it leaves the node.
 * ------------------------------------------------------------------------
 */

typedef struct IneqPair
{
	double		y;
	double		w;
} IneqPair;

typedef struct IneqState
{
	int64		n;				/* pairs in use */
	int64		cap;			/* pairs allocated */
	bool		sorted;			/* pairs[0..n) are in (y, w) order */
	IneqPair   *pairs;
} IneqState;

typedef struct IneqFlat
{
	int32		vl_len_;		/* varlena header (do not touch directly!) */
	uint32		magic;
	IneqPair	pairs[FLEXIBLE_ARRAY_MEMBER];
} IneqFlat;

#define INEQ_INITIAL_CAP	64
#define INEQ_MAX_PAIRS		((int64) (MaxAllocHugeSize / sizeof(IneqPair) / 2))
#define INEQ_MAX_FLAT_PAIRS ((int64) ((MaxAllocSize - offsetof(IneqFlat, pairs)) / sizeof(IneqPair)))
#define INEQ_MAGIC			0x48534731	/* "HSG1" */
#define INEQ_FLAT_SIZE(n)	(offsetof(IneqFlat, pairs) + (Size) (n) * sizeof(IneqPair))
#define INEQ_FLAT_N(f)		((int64) ((VARSIZE(f) - offsetof(IneqFlat, pairs)) / sizeof(IneqPair)))

#define EINEQ_MAGIC			0x48534749	/* "HSGI" */

typedef struct ExpandedIneq
{
	ExpandedObjectHeader hdr;
	uint32		magic;
	IneqState	st;				/* pairs in hdr.eoh_context */
} ExpandedIneq;

static Size eineq_get_flat_size(ExpandedObjectHeader *eohptr);
static void eineq_flatten_into(ExpandedObjectHeader *eohptr, void *result,
							   Size allocated_size);

static const ExpandedObjectMethods eineq_methods = {
	eineq_get_flat_size,
	eineq_flatten_into
};

static ExpandedIneq *
eineq_create(MemoryContext parent)
{
	MemoryContext cxt;
	ExpandedIneq *e;

	cxt = AllocSetContextCreate(parent, "inequality_state", ALLOCSET_DEFAULT_SIZES);
	e = (ExpandedIneq *) MemoryContextAllocZero(cxt, sizeof(ExpandedIneq));
	EOH_init_header(&e->hdr, &eineq_methods, cxt);
	e->magic = EINEQ_MAGIC;
	e->st.sorted = true;
	return e;
}

static inline ExpandedIneq *
eineq_from_datum(Datum d)
{
	ExpandedIneq *e;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	e = (ExpandedIneq *) DatumGetEOHP(d);
	if (e->magic != EINEQ_MAGIC)
		elog(ERROR, "expanded object is not an inequality_state");
	return e;
}

/* make room for "more" further pairs, doubling the array */
static void
ineq_reserve(IneqState *st, MemoryContext cxt, int64 more)
{
	int64		need = st->n + more;
	int64		cap;

	if (need <= st->cap)
		return;
	if (need > INEQ_MAX_PAIRS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("too many rows for an inequality aggregate: %lld",
						(long long) need),
				 errdetail("At most %lld rows with positive weight fit in memory.",
						   (long long) INEQ_MAX_PAIRS)));
	cap = Max(st->cap, INEQ_INITIAL_CAP);
	while (cap < need)
		cap = Min(cap * 2, INEQ_MAX_PAIRS);
	if (st->pairs == NULL)
		st->pairs = MemoryContextAllocHuge(cxt, cap * sizeof(IneqPair));
	else
		st->pairs = repalloc_huge(st->pairs, cap * sizeof(IneqPair));
	st->cap = cap;
}

static inline void
ineq_push(IneqState *st, MemoryContext cxt, double y, double w)
{
	if (unlikely(st->n == st->cap))
		ineq_reserve(st, cxt, 1);
	st->pairs[st->n].y = y;
	st->pairs[st->n].w = w;
	st->n++;
	st->sorted = false;
}

/* a pair read from outside: the same rules as check_row, w > 0 */
static inline bool
ineq_pair_ok(double y, double w)
{
	return y >= 0.0 && w > 0.0 && !isinf(w) && isfinite(y * w);
}

/*
 * The flat state behind a datum, validated (a value on disk may have been
 * written by anyone).  The result may be a detoasted copy.
 */
static IneqFlat *
ineq_flat_arg(Datum d)
{
	IneqFlat   *f = (IneqFlat *) PG_DETOAST_DATUM(d);
	int64		n,
				i;

	if (VARSIZE(f) < offsetof(IneqFlat, pairs) || f->magic != INEQ_MAGIC ||
		(VARSIZE(f) - offsetof(IneqFlat, pairs)) % sizeof(IneqPair) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted inequality_state value of %u bytes", VARSIZE(f))));
	n = INEQ_FLAT_N(f);
	for (i = 0; i < n; i++)
	{
		if (!ineq_pair_ok(f->pairs[i].y, f->pairs[i].w))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("corrupted inequality_state value: pair %lld is (%s, %s)",
							(long long) i, float8out_internal(f->pairs[i].y),
							float8out_internal(f->pairs[i].w))));
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return f;
}

/* append the pairs of a state datum (expanded or flat) to st */
static void
ineq_merge_datum(IneqState *st, MemoryContext cxt, Datum d)
{
	ExpandedIneq *other = eineq_from_datum(d);
	const IneqPair *pairs;
	int64		n;
	IneqFlat   *f = NULL;
	int64		i;

	if (other != NULL)
	{
		pairs = other->st.pairs;
		n = other->st.n;
	}
	else
	{
		f = ineq_flat_arg(d);
		pairs = f->pairs;
		n = INEQ_FLAT_N(f);
	}
	if (n > 0)
	{
		ineq_reserve(st, cxt, n);
		memcpy(st->pairs + st->n, pairs, n * sizeof(IneqPair));
		/* -0 would sort after every value */
		for (i = st->n; i < st->n + n; i++)
			if (st->pairs[i].y == 0.0)
				st->pairs[i].y = 0.0;
		st->n += n;
		st->sorted = false;
	}
	if (f != NULL && (Pointer) f != DatumGetPointer(d))
		pfree(f);
}

static Size
eineq_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedIneq *e = (ExpandedIneq *) eohptr;

	Assert(e->magic == EINEQ_MAGIC);
	if (e->st.n > INEQ_MAX_FLAT_PAIRS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("inequality_state of %lld rows is too large to pass between processes",
						(long long) e->st.n),
				 errdetail("A flat inequality_state holds at most %lld rows.",
						   (long long) INEQ_MAX_FLAT_PAIRS)));
	return INEQ_FLAT_SIZE(e->st.n);
}

static void
eineq_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedIneq *e = (ExpandedIneq *) eohptr;
	IneqFlat   *f = (IneqFlat *) result;

	Assert(allocated_size == INEQ_FLAT_SIZE(e->st.n));
	memset(f, 0, offsetof(IneqFlat, pairs));
	SET_VARSIZE(f, INEQ_FLAT_SIZE(e->st.n));
	f->magic = INEQ_MAGIC;
	if (e->st.n > 0)
		memcpy(f->pairs, e->st.pairs, e->st.n * sizeof(IneqPair));
}

/*
 * The state to update in a transition or combine function: a read-write
 * expanded state of this aggregate is updated in place and returned as the
 * same pointer (no copy); a NULL or flat state becomes a new expanded object
 * in a child of the aggregate context, which the executor adopts.
 */
static ExpandedIneq *
eineq_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;
	ExpandedIneq *e;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s can only run inside its aggregate", fname)));
	if (!PG_ARGISNULL(0) &&
		VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		e = eineq_from_datum(PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(e->hdr.eoh_context) == aggcxt)
			return e;
	}
	e = eineq_create(aggcxt);
	if (!PG_ARGISNULL(0))
		ineq_merge_datum(&e->st, e->hdr.eoh_context, PG_GETARG_DATUM(0));
	return e;
}

/* shared body of the two transition functions */
static Datum
ineq_accum(FunctionCallInfo fcinfo, double y, double w)
{
	ExpandedIneq *e;

	y = check_row(y, w);
	e = eineq_state(fcinfo, "inequality transition function");
	/* a row without population has no share of anything */
	if (w > 0.0)
		ineq_push(&e->st, e->hdr.eoh_context, y, w);
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/* gini(value, weight), lorenz(value, weight) */
Datum
hs_ineq_accum(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return ineq_accum(fcinfo, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
}

/* gini(value): every row weighs 1 */
Datum
hs_ineq_accum1(PG_FUNCTION_ARGS)
{
	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	return ineq_accum(fcinfo, PG_GETARG_FLOAT8(1), 1.0);
}

Datum
hs_ineq_combine(PG_FUNCTION_ARGS)
{
	ExpandedIneq *e;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = eineq_state(fcinfo, "hs_ineq_combine");
	ineq_merge_datum(&e->st, e->hdr.eoh_context, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * The state for a final function.  An expanded state is sorted in place
 * (reordering does not change what it holds, so gini and lorenz may share
 * it); a flat one is copied first.
 */
static IneqState *
ineq_final_state(FunctionCallInfo fcinfo)
{
	ExpandedIneq *e = eineq_from_datum(PG_GETARG_DATUM(0));
	IneqState  *st;

	if (e != NULL)
		return &e->st;
	st = palloc0(sizeof(IneqState));
	st->sorted = true;
	ineq_merge_datum(st, CurrentMemoryContext, PG_GETARG_DATUM(0));
	return st;
}

/* text form: {y:w,y:w,...} with shortest exact float8 digits */
Datum
inequality_state_out(PG_FUNCTION_ARGS)
{
	IneqFlat   *f = ineq_flat_arg(PG_GETARG_DATUM(0));
	int64		n = INEQ_FLAT_N(f);
	int64		i;
	StringInfoData buf;
	char		num[32];

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		double_to_shortest_decimal_buf(f->pairs[i].y, num);
		appendStringInfoString(&buf, num);
		appendStringInfoChar(&buf, ':');
		double_to_shortest_decimal_buf(f->pairs[i].w, num);
		appendStringInfoString(&buf, num);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static void
ineq_text_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type inequality_state: \"%s\"",
					hs_excerpt_cstring(str)),
			 errdetail_internal("%s", detail)));
}

/* one number of the text form; advances *p */
static double
ineq_parse_number(const char *str, const char **p)
{
	char	   *end;
	double		v;

	while (isspace((unsigned char) **p))
		(*p)++;
	if (!(isdigit((unsigned char) **p) || **p == '.' || **p == '-' || **p == '+'))
		ineq_text_error(str, "A number was expected.");
	v = strtod(*p, &end);
	if (end == *p)
		ineq_text_error(str, "A number was expected.");
	*p = end;
	while (isspace((unsigned char) **p))
		(*p)++;
	return v;
}

Datum
inequality_state_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	IneqState	st;
	IneqFlat   *f;

	memset(&st, 0, sizeof(st));
	while (isspace((unsigned char) *p))
		p++;
	if (*p++ != '{')
		ineq_text_error(str, "The value must start with {.");
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '}')
	{
		for (;;)
		{
			double		y = ineq_parse_number(str, &p);
			double		w;

			if (*p++ != ':')
				ineq_text_error(str, "Each pair must be value:weight.");
			w = ineq_parse_number(str, &p);
			if (!ineq_pair_ok(y, w))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid pair %s:%s in inequality_state",
								float8out_internal(y), float8out_internal(w)),
						 errdetail("Values must be finite and not negative, weights positive and finite.")));
			if (st.n >= INEQ_MAX_FLAT_PAIRS)
				ineq_text_error(str, "Too many pairs.");
			ineq_push(&st, CurrentMemoryContext, y == 0.0 ? 0.0 : y, w);
			if (*p == ',')
			{
				p++;
				continue;
			}
			break;
		}
	}
	if (*p++ != '}')
		ineq_text_error(str, "Pairs must be separated by , and the value end with }.");
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		ineq_text_error(str, "Unexpected characters after the closing }.");
	f = palloc(INEQ_FLAT_SIZE(st.n));
	SET_VARSIZE(f, INEQ_FLAT_SIZE(st.n));
	f->magic = INEQ_MAGIC;
	if (st.n > 0)
		memcpy(f->pairs, st.pairs, st.n * sizeof(IneqPair));
	PG_RETURN_POINTER(f);
}

/* binary form: int64 count, then (y, w) as float8 pairs */
Datum
inequality_state_send(PG_FUNCTION_ARGS)
{
	IneqFlat   *f = ineq_flat_arg(PG_GETARG_DATUM(0));
	int64		n = INEQ_FLAT_N(f);
	int64		i;
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, n);
	for (i = 0; i < n; i++)
	{
		pq_sendfloat8(&buf, f->pairs[i].y);
		pq_sendfloat8(&buf, f->pairs[i].w);
	}
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
inequality_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		n,
				i;
	IneqFlat   *f;

	if (buf->len - buf->cursor < 8)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary inequality_state: %d bytes", buf->len - buf->cursor)));
	n = pq_getmsgint64(buf);
	if (n < 0 || n > INEQ_MAX_FLAT_PAIRS || (buf->len - buf->cursor) != n * 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary inequality_state: %lld pairs in %d bytes",
						(long long) n, buf->len - buf->cursor)));
	f = palloc(INEQ_FLAT_SIZE(n));
	SET_VARSIZE(f, INEQ_FLAT_SIZE(n));
	f->magic = INEQ_MAGIC;
	for (i = 0; i < n; i++)
	{
		double		y = pq_getmsgfloat8(buf);
		double		w = pq_getmsgfloat8(buf);

		if (!ineq_pair_ok(y, w))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
					 errmsg("invalid pair (%s, %s) in binary inequality_state",
							float8out_internal(y), float8out_internal(w))));
		f->pairs[i].y = y == 0.0 ? 0.0 : y;
		f->pairs[i].w = w;
	}
	PG_RETURN_POINTER(f);
}

/* order by y, then by w (used for small arrays and for runs of tied y) */
static int
pair_cmp(const void *a, const void *b)
{
	const IneqPair *pa = (const IneqPair *) a;
	const IneqPair *pb = (const IneqPair *) b;

	if (pa->y != pb->y)
		return pa->y < pb->y ? -1 : 1;
	if (pa->w != pb->w)
		return pa->w < pb->w ? -1 : 1;
	return 0;
}

static int
pair_cmp_w(const void *a, const void *b)
{
	double		wa = ((const IneqPair *) a)->w;
	double		wb = ((const IneqPair *) b)->w;

	return wa < wb ? -1 : (wa > wb ? 1 : 0);
}

#define RADIX_BITS		11
#define RADIX_SIZE		(1 << RADIX_BITS)
#define RADIX_MASK		(RADIX_SIZE - 1)
#define RADIX_PASSES	6		/* 6 * 11 >= 64 */

/*
 * The IEEE 754 bits of a non-negative double, read as an unsigned integer,
 * order like the double itself.
 */
static inline uint64
pair_key(const IneqPair *p)
{
	uint64		k;

	memcpy(&k, &p->y, sizeof(uint64));
	return k;
}

/*
 * Sort pairs by (y, w): stable LSD radix sort on the bits of y, 11 bits a
 * pass, skipping passes whose digit is the same in every pair; then each run
 * of tied y sorted by w.  The scratch array is allocated in the current
 * memory context and freed before returning.
 */
static void
pair_sort(IneqPair *a, int64 n)
{
	int64	   *counts;
	IneqPair   *tmp;
	IneqPair   *src;
	IneqPair   *dst;
	int64		i;
	int			pass;

	if (n < 2)
		return;
	if (n < 1024)
	{
		qsort(a, n, sizeof(IneqPair), pair_cmp);
		return;
	}

	counts = palloc0(sizeof(int64) * RADIX_PASSES * RADIX_SIZE);
	for (i = 0; i < n; i++)
	{
		uint64		k = pair_key(&a[i]);

		for (pass = 0; pass < RADIX_PASSES; pass++)
			counts[pass * RADIX_SIZE + ((k >> (pass * RADIX_BITS)) & RADIX_MASK)]++;
		if ((i & 0xFFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}

	tmp = palloc_extended(n * sizeof(IneqPair), MCXT_ALLOC_HUGE);
	src = a;
	dst = tmp;
	for (pass = 0; pass < RADIX_PASSES; pass++)
	{
		int64	   *c = counts + pass * RADIX_SIZE;
		int			shift = pass * RADIX_BITS;
		int64		offset = 0;
		int			d;

		/* every pair has the same digit: nothing to do */
		if (c[(pair_key(&src[0]) >> shift) & RADIX_MASK] == n)
			continue;
		for (d = 0; d < RADIX_SIZE; d++)
		{
			int64		cnt = c[d];

			c[d] = offset;
			offset += cnt;
		}
		for (i = 0; i < n; i++)
		{
			dst[c[(pair_key(&src[i]) >> shift) & RADIX_MASK]++] = src[i];
			if ((i & 0xFFFFF) == 0)
				CHECK_FOR_INTERRUPTS();
		}
		{
			IneqPair   *swap = src;

			src = dst;
			dst = swap;
		}
	}
	if (src != a)
		memcpy(a, src, n * sizeof(IneqPair));
	pfree(tmp);
	pfree(counts);

	/* ties in y: order by w so that the result is independent of input order */
	for (i = 0; i < n;)
	{
		int64		j = i + 1;

		while (j < n && a[j].y == a[i].y)
			j++;
		if (j - i > 1)
		{
			qsort(a + i, j - i, sizeof(IneqPair), pair_cmp_w);
			CHECK_FOR_INTERRUPTS();
		}
		if (((i ^ j) & ~(int64) 0xFFFF) != 0)
			CHECK_FOR_INTERRUPTS();		/* crossed a multiple of 65536 */
		i = j;
	}
}

static void
ineq_sort(IneqState *st)
{
	if (!st->sorted)
	{
		pair_sort(st->pairs, st->n);
		st->sorted = true;
	}
}

/*
 * Walk the sorted pairs by distinct value.  Each step k merges the rows tied
 * at value y_k into one point: its weight W_k (summed in w order) and its
 * resource C_k - C_{k-1} = y_k W_k.  Returns false when the group has no
 * point.  Callers use ineq_next() in a loop.
 */
typedef struct IneqWalk
{
	const IneqState *st;
	int64		pos;
	double		y;				/* value of the current point */
	double		w;				/* its weight */
	double		cumw[2];		/* compensated cumulative weight */
	double		cumr[2];		/* compensated cumulative resource */
} IneqWalk;

static void
ineq_walk_init(IneqWalk *walk, const IneqState *st)
{
	memset(walk, 0, sizeof(IneqWalk));
	walk->st = st;
}

static bool
ineq_next(IneqWalk *walk)
{
	const IneqPair *p = walk->st->pairs;
	int64		n = walk->st->n;
	double		wsum[2] = {0.0, 0.0};
	int64		i = walk->pos;

	if (i >= n)
		return false;
	walk->y = p[i].y;
	while (i < n && p[i].y == walk->y)
		ksum_add(wsum, p[i++].w);
	if (((walk->pos ^ i) & ~(int64) 0xFFFF) != 0)
		CHECK_FOR_INTERRUPTS();	/* crossed a multiple of 65536 */
	walk->pos = i;
	walk->w = ksum_total(wsum);
	ksum_add(walk->cumw, walk->w);
	ksum_add(walk->cumr, walk->y * walk->w);
	return true;
}

/*
 * gini: G = 1 - sum_k w~_k (V_k + V_{k-1}), V the cumulative resource share
 * over the points in order of value.  Tied rows merged into one point give
 * the same sum as any order of them, since within a tie V grows linearly with
 * the cumulative weight.  NULL when there is no population or no resource.
 *
 * The first walk gives the totals W and Y, the second sums the shares, so
 * that no intermediate (such as W * Y) can overflow.
 */
Datum
hs_gini_final(PG_FUNCTION_ARGS)
{
	IneqState  *st;
	IneqWalk	walk;
	double		acc[2] = {0.0, 0.0};
	double		prev = 0.0;
	double		W,
				Y,
				g;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = ineq_final_state(fcinfo);
	if (st->n == 0)
		PG_RETURN_NULL();
	ineq_sort(st);

	ineq_walk_init(&walk, st);
	while (ineq_next(&walk))
		;
	check_sum_finite(walk.cumr, "sum of value times weight");
	check_sum_finite(walk.cumw, "sum of weights");
	W = ksum_total(walk.cumw);
	Y = ksum_total(walk.cumr);
	if (!(W > 0.0) || !(Y > 0.0))
		PG_RETURN_NULL();

	/* sum_k (W_k / W) (V_k + V_{k-1}), V_k = C_k / Y */
	ineq_walk_init(&walk, st);
	while (ineq_next(&walk))
	{
		double		v = ksum_total(walk.cumr) / Y;

		ksum_add(acc, walk.w / W * (v + prev));
		prev = v;
	}
	g = 1.0 - ksum_total(acc);
	/* rounding must not push a value outside [0, 1) */
	g = Max(g, 0.0);
	PG_RETURN_FLOAT8(g);
}

/*
 * lorenz: the curve's points as a float8[k+1][2] array, row 0 = {0, 0}, then
 * one row {cumulative population share, cumulative resource share} per
 * distinct value in increasing order (ties merged: the curve is straight
 * across them); the last row is exactly {1, 1}.  NULL when there is no
 * population or no resource.
 */
Datum
hs_lorenz_final(PG_FUNCTION_ARGS)
{
	IneqState  *st;
	IneqWalk	walk;
	int64		k = 0;
	int64		i;
	double		W,
				Y;
	double	   *out;
	ArrayType  *result;
	Size		nbytes;
	int64		nelems;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = ineq_final_state(fcinfo);
	if (st->n == 0)
		PG_RETURN_NULL();
	ineq_sort(st);

	/* first walk: the totals and the number of points */
	ineq_walk_init(&walk, st);
	while (ineq_next(&walk))
		k++;
	check_sum_finite(walk.cumr, "sum of value times weight");
	check_sum_finite(walk.cumw, "sum of weights");
	W = ksum_total(walk.cumw);
	Y = ksum_total(walk.cumr);
	if (!(W > 0.0) || !(Y > 0.0))
		PG_RETURN_NULL();

	nelems = (k + 1) * 2;
	nbytes = ARR_OVERHEAD_NONULLS(2) + (Size) nelems * sizeof(double);
	hs_check_alloc_size(nbytes, "Lorenz curve array");
	result = (ArrayType *) palloc0(nbytes);
	SET_VARSIZE(result, nbytes);
	result->ndim = 2;
	result->dataoffset = 0;
	result->elemtype = FLOAT8OID;
	ARR_DIMS(result)[0] = (int) (k + 1);
	ARR_DIMS(result)[1] = 2;
	ARR_LBOUND(result)[0] = 1;
	ARR_LBOUND(result)[1] = 1;
	out = array_data_nonulls(result);
	out[0] = 0.0;
	out[1] = 0.0;

	/* second walk: the shares, recomputed exactly as in the first walk */
	ineq_walk_init(&walk, st);
	for (i = 1; ineq_next(&walk); i++)
	{
		out[2 * i] = Min(ksum_total(walk.cumw) / W, 1.0);
		out[2 * i + 1] = Min(ksum_total(walk.cumr) / Y, 1.0);
	}
	out[2 * k] = 1.0;
	out[2 * k + 1] = 1.0;
	PG_RETURN_ARRAYTYPE_P(result);
}

/* ------------------------------------------------------------------------
 * Theil T and L: float8[] state of compensated sums
 * ------------------------------------------------------------------------
 */

/*
 * State layout, each sum as (running sum, compensation):
 *	 [0]	rows with positive weight
 *	 [1,2]	W = sum w
 *	 [3,4]	Y = sum w y
 *	 [5,6]	A = sum w y ln y		(rows with y > 0: 0 ln 0 = 0)
 *	 [7,8]	B = sum w ln y			(rows with y > 0)
 *	 [9]	rows with positive weight and y = 0 (L is infinite then)
 */
#define THEIL_NSTATE	10
#define TS_N	0
#define TS_W	1
#define TS_Y	3
#define TS_A	5
#define TS_B	7
#define TS_Z	9

/* the sums of one group, the same layout in a plain C array */
typedef struct TheilSums
{
	double		s[THEIL_NSTATE];
} TheilSums;

static inline void
theil_sums_add(double *s, double y, double w)
{
	s[TS_N] += 1.0;
	ksum_add(s + TS_W, w);
	ksum_add(s + TS_Y, w * y);
	if (y > 0.0)
	{
		double		ly = log(y);

		ksum_add(s + TS_A, w * y * ly);
		ksum_add(s + TS_B, w * ly);
	}
	else
		s[TS_Z] += 1.0;
}

static inline void
theil_sums_merge(double *s, const double *o)
{
	s[TS_N] += o[TS_N];
	ksum_merge(s + TS_W, o + TS_W);
	ksum_merge(s + TS_Y, o + TS_Y);
	ksum_merge(s + TS_A, o + TS_A);
	ksum_merge(s + TS_B, o + TS_B);
	s[TS_Z] += o[TS_Z];
}

/* sums must be finite, counts and W, Y non-negative */
static bool
theil_sums_valid(const double *s)
{
	int			i;

	for (i = 0; i < THEIL_NSTATE; i++)
		if (!isfinite(s[i]))
			return false;
	return s[TS_N] >= 0.0 && s[TS_Z] >= 0.0 && s[TS_Z] <= s[TS_N] &&
		ksum_total(s + TS_W) >= 0.0 && ksum_total(s + TS_Y) >= 0.0;
}

/*
 * The state array of argument "argno": a one-dimensional float8[] of
 * THEIL_NSTATE elements without NULLs, else an error.
 */
static ArrayType *
theil_state_arg(FunctionCallInfo fcinfo, int argno, bool copy)
{
	ArrayType  *a = copy ? PG_GETARG_ARRAYTYPE_P_COPY(argno) : PG_GETARG_ARRAYTYPE_P(argno);

	if (ARR_NDIM(a) != 1 || ARR_DIMS(a)[0] != THEIL_NSTATE ||
		ARR_HASNULL(a) || ARR_ELEMTYPE(a) != FLOAT8OID)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid Theil state: expected a float8[] of %d elements without NULLs",
						THEIL_NSTATE)));
	return a;
}

#define THEIL_SUMS(a)	array_data_nonulls(a)

/* theil_t / theil_l transition: strict, the state starts as all zeros */
Datum
hs_theil_accum(PG_FUNCTION_ARGS)
{
	bool		inagg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *state = theil_state_arg(fcinfo, 0, !inagg);
	double	   *s = THEIL_SUMS(state);
	double		y = PG_GETARG_FLOAT8(1);
	double		w = PG_GETARG_FLOAT8(2);

	y = check_row(y, w);
	if (w > 0.0)
	{
		theil_sums_add(s, y, w);
		check_sum_finite(s + TS_Y, "sum of value times weight");
		check_sum_finite(s + TS_W, "sum of weights");
		check_sum_finite(s + TS_A, "sum of weight times value times log value");
		check_sum_finite(s + TS_B, "sum of weight times log value");
	}
	PG_RETURN_ARRAYTYPE_P(state);
}

Datum
hs_theil_combine(PG_FUNCTION_ARGS)
{
	bool		inagg = AggCheckCallContext(fcinfo, NULL);
	ArrayType  *state = theil_state_arg(fcinfo, 0, !inagg);
	double	   *s = THEIL_SUMS(state);
	double	   *o = THEIL_SUMS(theil_state_arg(fcinfo, 1, false));

	theil_sums_merge(s, o);
	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("merged Theil state is out of range")));
	PG_RETURN_ARRAYTYPE_P(state);
}

/* T of a group from its sums: A/Y - ln(Y/W); requires W, Y > 0 */
static inline double
theil_t_of(const double *s)
{
	double		W = ksum_total(s + TS_W);
	double		Y = ksum_total(s + TS_Y);

	return ksum_total(s + TS_A) / Y - log(Y / W);
}

/* L of a group: ln(Y/W) - B/W; requires W, Y > 0 and no zero values */
static inline double
theil_l_of(const double *s)
{
	double		W = ksum_total(s + TS_W);
	double		Y = ksum_total(s + TS_Y);

	return log(Y / W) - ksum_total(s + TS_B) / W;
}

static double *
theil_final_state(FunctionCallInfo fcinfo)
{
	double	   *s = THEIL_SUMS(theil_state_arg(fcinfo, 0, false));

	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid Theil state: sums must be finite and counts not negative")));
	return s;
}

/* theil_t: NULL without population or without resource */
Datum
hs_theil_t_final(PG_FUNCTION_ARGS)
{
	double	   *s = theil_final_state(fcinfo);

	if (s[TS_N] == 0.0 || !(ksum_total(s + TS_W) > 0.0) || !(ksum_total(s + TS_Y) > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(Max(theil_t_of(s), 0.0));
}

/* theil_l: NULL also when a row with positive weight has value 0 (L = +inf) */
Datum
hs_theil_l_final(PG_FUNCTION_ARGS)
{
	double	   *s = theil_final_state(fcinfo);

	if (s[TS_N] == 0.0 || s[TS_Z] > 0.0 ||
		!(ksum_total(s + TS_W) > 0.0) || !(ksum_total(s + TS_Y) > 0.0))
		PG_RETURN_NULL();
	PG_RETURN_FLOAT8(Max(theil_l_of(s), 0.0));
}

/* ------------------------------------------------------------------------
 * theil_decompose: internal state, sums per group in a small hash table
 * ------------------------------------------------------------------------
 */

#define THEIL_INDEX_UNSET	0
#define THEIL_INDEX_T		1
#define THEIL_INDEX_L		2

typedef struct TheilGroup
{
	char	   *key;
	int32		keylen;
	uint32		hash;
	TheilSums	sums;
} TheilGroup;

typedef struct TheilDecompState
{
	int32		index;			/* THEIL_INDEX_* */
	int32		ngroups;
	int32		cap;			/* groups allocated */
	int32		nslots;			/* hash slots, a power of 2 */
	int32	   *slots;			/* group number + 1, 0 = empty */
	int32		last;			/* group of the previous row, -1 = none */
	TheilGroup *groups;
	MemoryContext cxt;
} TheilDecompState;

#define THEIL_DECOMP_MAGIC	0x48535444	/* "HSTD" */
#define THEIL_MAX_GROUPS	(1 << 24)

static void
theil_decomp_init(TheilDecompState *st, MemoryContext cxt)
{
	memset(st, 0, sizeof(TheilDecompState));
	st->cxt = cxt;
	st->last = -1;
	st->cap = 8;
	st->groups = MemoryContextAllocZero(cxt, st->cap * sizeof(TheilGroup));
	st->nslots = 16;
	st->slots = MemoryContextAllocZero(cxt, st->nslots * sizeof(int32));
}

static void
theil_decomp_rehash(TheilDecompState *st)
{
	int32		i;

	st->nslots *= 2;
	pfree(st->slots);
	st->slots = MemoryContextAllocExtended(st->cxt, (Size) st->nslots * sizeof(int32),
										   MCXT_ALLOC_HUGE | MCXT_ALLOC_ZERO);
	for (i = 0; i < st->ngroups; i++)
	{
		uint32		h = st->groups[i].hash & (st->nslots - 1);

		while (st->slots[h] != 0)
			h = (h + 1) & (st->nslots - 1);
		st->slots[h] = i + 1;
	}
}

/* the sums of group "key", created empty on first sight */
static double *
theil_decomp_group(TheilDecompState *st, const char *key, int32 keylen)
{
	uint32		hash;
	uint32		h;
	TheilGroup *g;

	if (st->last >= 0)
	{
		g = &st->groups[st->last];
		if (g->keylen == keylen && memcmp(g->key, key, keylen) == 0)
			return g->sums.s;
	}
	hash = hash_bytes((const unsigned char *) key, keylen);
	for (h = hash & (st->nslots - 1); st->slots[h] != 0; h = (h + 1) & (st->nslots - 1))
	{
		int32		gi = st->slots[h] - 1;

		g = &st->groups[gi];
		if (g->hash == hash && g->keylen == keylen && memcmp(g->key, key, keylen) == 0)
		{
			st->last = gi;
			return g->sums.s;
		}
	}
	if (st->ngroups >= THEIL_MAX_GROUPS)
		ereport(ERROR,
				(errcode(ERRCODE_PROGRAM_LIMIT_EXCEEDED),
				 errmsg("theil_decompose supports at most %d groups", THEIL_MAX_GROUPS)));
	if (st->ngroups == st->cap)
	{
		st->groups = repalloc_huge(st->groups, (Size) st->cap * 2 * sizeof(TheilGroup));
		memset(st->groups + st->cap, 0, st->cap * sizeof(TheilGroup));
		st->cap *= 2;
	}
	g = &st->groups[st->ngroups];
	g->key = MemoryContextAlloc(st->cxt, Max(keylen, 1));
	memcpy(g->key, key, keylen);
	g->keylen = keylen;
	g->hash = hash;
	memset(&g->sums, 0, sizeof(TheilSums));
	st->slots[h] = st->ngroups + 1;
	st->last = st->ngroups;
	st->ngroups++;
	if (st->ngroups * 2 > st->nslots)
		theil_decomp_rehash(st);
	return g->sums.s;
}

static const char *
theil_index_name(int32 index)
{
	return index == THEIL_INDEX_T ? "T" : "L";
}

/* "T" or "L", either case; anything else is an error naming it */
static int32
theil_parse_index(text *t)
{
	const char *p = VARDATA_ANY(t);
	int			len = VARSIZE_ANY_EXHDR(t);

	if (len == 1 && (p[0] == 'T' || p[0] == 't'))
		return THEIL_INDEX_T;
	if (len == 1 && (p[0] == 'L' || p[0] == 'l'))
		return THEIL_INDEX_L;
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("unknown Theil index \"%s\"", hs_excerpt_cstring(text_to_cstring(t))),
			 errhint("Use \"T\" (GE(1), weighted by resource share) or \"L\" (GE(0), mean log deviation, weighted by population share).")));
	return THEIL_INDEX_UNSET;	/* keep compiler quiet */
}

static void
theil_set_index(TheilDecompState *st, int32 index)
{
	if (st->index == THEIL_INDEX_UNSET)
		st->index = index;
	else if (index != THEIL_INDEX_UNSET && st->index != index)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("Theil index changes from \"%s\" to \"%s\" within one theil_decompose",
						theil_index_name(st->index), theil_index_name(index)),
				 errdetail("The index must be the same for every row of a group.")));
}

/*
 * The theil_decomposition_state type.  Flat form (and binary send/recv,
 * which are the same bytes): in network byte order, magic, index, number of
 * groups, then per group the key length, the key and the THEIL_NSTATE sums.
 * During aggregation the state is a read-write expanded object holding the
 * hash table in a child context of the aggregate context.
 */
#define ETHEIL_MAGIC		0x48535445	/* "HSTE" */
#define THEIL_FLAT_HDR		12
#define THEIL_FLAT_GROUP(keylen)	(4 + (Size) (keylen) + THEIL_NSTATE * 8)

typedef struct ExpandedTheil
{
	ExpandedObjectHeader hdr;
	uint32		magic;
	TheilDecompState st;		/* in hdr.eoh_context */
} ExpandedTheil;

static Size etheil_get_flat_size(ExpandedObjectHeader *eohptr);
static void etheil_flatten_into(ExpandedObjectHeader *eohptr, void *result,
								Size allocated_size);

static const ExpandedObjectMethods etheil_methods = {
	etheil_get_flat_size,
	etheil_flatten_into
};

static ExpandedTheil *
etheil_create(MemoryContext parent)
{
	MemoryContext cxt;
	ExpandedTheil *e;

	cxt = AllocSetContextCreate(parent, "theil_decomposition_state", ALLOCSET_SMALL_SIZES);
	e = (ExpandedTheil *) MemoryContextAlloc(cxt, sizeof(ExpandedTheil));
	EOH_init_header(&e->hdr, &etheil_methods, cxt);
	e->magic = ETHEIL_MAGIC;
	theil_decomp_init(&e->st, cxt);
	return e;
}

static inline ExpandedTheil *
etheil_from_datum(Datum d)
{
	ExpandedTheil *e;

	if (!VARATT_IS_EXTERNAL_EXPANDED(DatumGetPointer(d)))
		return NULL;
	e = (ExpandedTheil *) DatumGetEOHP(d);
	if (e->magic != ETHEIL_MAGIC)
		elog(ERROR, "expanded object is not a theil_decomposition_state");
	return e;
}

/* merge the groups of one state into st, checking the merged sums */
static void
theil_decomp_merge_group(TheilDecompState *st, const char *key, int32 keylen,
						 const double *sums)
{
	double	   *s = theil_decomp_group(st, key, keylen);

	theil_sums_merge(s, sums);
	if (!theil_sums_valid(s))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("merged Theil state is out of range")));
}

/*
 * Parse the flat bytes (len of them) and merge them into st.  Returns false
 * (having possibly merged a prefix) when the bytes are not a valid state.
 */
static bool
theil_flat_merge(TheilDecompState *st, const char *data, int len)
{
	StringInfoData buf;
	int32		index,
				ngroups,
				i;
	int			j;

	buf.data = (char *) data;
	buf.len = len;
	buf.maxlen = len;
	buf.cursor = 0;
	if (len < THEIL_FLAT_HDR || pq_getmsgint(&buf, 4) != THEIL_DECOMP_MAGIC)
		return false;
	index = pq_getmsgint(&buf, 4);
	ngroups = pq_getmsgint(&buf, 4);
	if (index < THEIL_INDEX_UNSET || index > THEIL_INDEX_L ||
		ngroups < 0 || ngroups > THEIL_MAX_GROUPS)
		return false;
	theil_set_index(st, index);
	for (i = 0; i < ngroups; i++)
	{
		int32		keylen;
		const char *key;
		TheilSums	sums;

		if (buf.len - buf.cursor < 4)
			return false;
		keylen = pq_getmsgint(&buf, 4);
		if (keylen < 0 || keylen > buf.len - buf.cursor ||
			buf.len - buf.cursor - keylen < THEIL_NSTATE * 8)
			return false;
		key = pq_getmsgbytes(&buf, keylen);
		/* a group key prints as text: no NUL, valid in the server encoding */
		if (memchr(key, '\0', keylen) != NULL ||
			pg_encoding_verifymbstr(GetDatabaseEncoding(), key, keylen) != keylen)
			return false;
		for (j = 0; j < THEIL_NSTATE; j++)
			sums.s[j] = pq_getmsgfloat8(&buf);
		if (!theil_sums_valid(sums.s))
			return false;
		theil_decomp_merge_group(st, key, keylen, sums.s);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	return buf.cursor == buf.len;
}

/* merge a state datum (expanded or flat) into st */
static void
theil_merge_datum(TheilDecompState *st, Datum d)
{
	ExpandedTheil *other = etheil_from_datum(d);
	int32		i;
	bytea	   *b;

	if (other != NULL)
	{
		theil_set_index(st, other->st.index);
		for (i = 0; i < other->st.ngroups; i++)
		{
			TheilGroup *g = &other->st.groups[i];

			theil_decomp_merge_group(st, g->key, g->keylen, g->sums.s);
		}
		return;
	}
	b = DatumGetByteaPP(d);
	if (!theil_flat_merge(st, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted theil_decomposition_state value of %zu bytes",
						(Size) VARSIZE_ANY_EXHDR(b))));
}

static Size
etheil_get_flat_size(ExpandedObjectHeader *eohptr)
{
	ExpandedTheil *e = (ExpandedTheil *) eohptr;
	Size		size = VARHDRSZ + THEIL_FLAT_HDR;
	int32		i;

	Assert(e->magic == ETHEIL_MAGIC);
	for (i = 0; i < e->st.ngroups; i++)
		size += THEIL_FLAT_GROUP(e->st.groups[i].keylen);
	hs_check_alloc_size(size, "theil_decomposition_state");
	return size;
}

static void
etheil_flatten_into(ExpandedObjectHeader *eohptr, void *result, Size allocated_size)
{
	ExpandedTheil *e = (ExpandedTheil *) eohptr;
	StringInfoData buf;
	int32		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, THEIL_DECOMP_MAGIC);
	pq_sendint32(&buf, e->st.index);
	pq_sendint32(&buf, e->st.ngroups);
	for (i = 0; i < e->st.ngroups; i++)
	{
		TheilGroup *g = &e->st.groups[i];

		pq_sendint32(&buf, g->keylen);
		pq_sendbytes(&buf, g->key, g->keylen);
		for (j = 0; j < THEIL_NSTATE; j++)
			pq_sendfloat8(&buf, g->sums.s[j]);
	}
	Assert((Size) buf.len == allocated_size);
	memcpy(result, buf.data, Min((Size) buf.len, allocated_size));
	SET_VARSIZE(result, allocated_size);
	pfree(buf.data);
}

/* the state to update: see eineq_state */
static ExpandedTheil *
etheil_state(FunctionCallInfo fcinfo, const char *fname)
{
	MemoryContext aggcxt;
	ExpandedTheil *e;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("%s can only run inside its aggregate", fname)));
	if (!PG_ARGISNULL(0) &&
		VARATT_IS_EXTERNAL_EXPANDED_RW(DatumGetPointer(PG_GETARG_DATUM(0))))
	{
		e = etheil_from_datum(PG_GETARG_DATUM(0));
		if (MemoryContextGetParent(e->hdr.eoh_context) == aggcxt)
			return e;
	}
	e = etheil_create(aggcxt);
	if (!PG_ARGISNULL(0))
		theil_merge_datum(&e->st, PG_GETARG_DATUM(0));
	return e;
}

/*
 * theil_decompose(value, weight, grp [, index]).  Rows with a NULL value,
 * weight or group are skipped; the index must be given and be the same on
 * every row.
 */
Datum
hs_theil_decomp_accum(PG_FUNCTION_ARGS)
{
	ExpandedTheil *e;
	TheilDecompState *st;
	int32		index = THEIL_INDEX_L;
	double		y,
				w;
	text	   *grp;
	double	   *s;

	if (PG_NARGS() > 4)
	{
		if (PG_ARGISNULL(4))
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("Theil index must not be NULL"),
					 errhint("Use \"T\" or \"L\".")));
		index = theil_parse_index(PG_GETARG_TEXT_PP(4));
	}
	e = etheil_state(fcinfo, "hs_theil_decomp_accum");
	st = &e->st;
	theil_set_index(st, index);
	if (PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3))
		PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));

	y = check_row(PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
	w = PG_GETARG_FLOAT8(2);
	if (w > 0.0)
	{
		grp = PG_GETARG_TEXT_PP(3);
		s = theil_decomp_group(st, VARDATA_ANY(grp), VARSIZE_ANY_EXHDR(grp));
		theil_sums_add(s, y, w);
		check_sum_finite(s + TS_Y, "sum of value times weight");
		check_sum_finite(s + TS_W, "sum of weights");
		check_sum_finite(s + TS_A, "sum of weight times value times log value");
		check_sum_finite(s + TS_B, "sum of weight times log value");
	}
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

Datum
hs_theil_decomp_combine(PG_FUNCTION_ARGS)
{
	ExpandedTheil *e;

	if (PG_ARGISNULL(1))
	{
		if (PG_ARGISNULL(0))
			PG_RETURN_NULL();
		PG_RETURN_DATUM(PG_GETARG_DATUM(0));
	}
	e = etheil_state(fcinfo, "hs_theil_decomp_combine");
	theil_merge_datum(&e->st, PG_GETARG_DATUM(1));
	PG_RETURN_DATUM(EOHPGetRWDatum(&e->hdr));
}

/*
 * Text form: the index (T, L, or - when no row set it) followed by
 * {"key":[s0,...,s9],...}; keys are quoted with \ before " and \, and the
 * sums are written with exact float8 digits.
 */
Datum
theil_decomposition_state_out(PG_FUNCTION_ARGS)
{
	TheilDecompState st;
	StringInfoData buf;
	bytea	   *b = PG_GETARG_BYTEA_PP(0);
	char		num[32];
	int32		i,
				k;
	int			j;

	theil_decomp_init(&st, CurrentMemoryContext);
	if (!theil_flat_merge(&st, VARDATA_ANY(b), VARSIZE_ANY_EXHDR(b)))
		ereport(ERROR,
				(errcode(ERRCODE_DATA_CORRUPTED),
				 errmsg("corrupted theil_decomposition_state value of %zu bytes",
						(Size) VARSIZE_ANY_EXHDR(b))));
	initStringInfo(&buf);
	appendStringInfoString(&buf, st.index == THEIL_INDEX_UNSET ? "-" : theil_index_name(st.index));
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < st.ngroups; i++)
	{
		TheilGroup *g = &st.groups[i];

		if (i > 0)
			appendStringInfoChar(&buf, ',');
		appendStringInfoChar(&buf, '"');
		for (k = 0; k < g->keylen; k++)
		{
			if (g->key[k] == '"' || g->key[k] == '\\')
				appendStringInfoChar(&buf, '\\');
			appendStringInfoChar(&buf, g->key[k]);
		}
		appendStringInfoString(&buf, "\":[");
		for (j = 0; j < THEIL_NSTATE; j++)
		{
			if (j > 0)
				appendStringInfoChar(&buf, ',');
			double_to_shortest_decimal_buf(g->sums.s[j], num);
			appendStringInfoString(&buf, num);
		}
		appendStringInfoChar(&buf, ']');
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

static void
theil_text_error(const char *str, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
			 errmsg("invalid input syntax for type theil_decomposition_state: \"%s\"",
					hs_excerpt_cstring(str)),
			 errdetail_internal("%s", detail)));
}

/* the flat form of a state built in st */
static bytea *
theil_flat_of(TheilDecompState *st)
{
	StringInfoData buf;
	int32		i;
	int			j;

	pq_begintypsend(&buf);
	pq_sendint32(&buf, THEIL_DECOMP_MAGIC);
	pq_sendint32(&buf, st->index);
	pq_sendint32(&buf, st->ngroups);
	for (i = 0; i < st->ngroups; i++)
	{
		TheilGroup *g = &st->groups[i];

		pq_sendint32(&buf, g->keylen);
		pq_sendbytes(&buf, g->key, g->keylen);
		for (j = 0; j < THEIL_NSTATE; j++)
			pq_sendfloat8(&buf, g->sums.s[j]);
	}
	return pq_endtypsend(&buf);
}

Datum
theil_decomposition_state_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	TheilDecompState st;
	StringInfoData key;

	theil_decomp_init(&st, CurrentMemoryContext);
	initStringInfo(&key);
	while (isspace((unsigned char) *p))
		p++;
	if (*p == 'T' || *p == 't')
		st.index = THEIL_INDEX_T;
	else if (*p == 'L' || *p == 'l')
		st.index = THEIL_INDEX_L;
	else if (*p != '-')
		theil_text_error(str, "The value must start with the index T, L or -.");
	p++;
	if (*p++ != '{')
		theil_text_error(str, "The index must be followed by {.");
	while (isspace((unsigned char) *p))
		p++;
	while (*p != '}')
	{
		TheilSums	sums;
		int			j;

		if (*p++ != '"')
			theil_text_error(str, "A quoted group key was expected.");
		resetStringInfo(&key);
		while (*p != '"')
		{
			if (*p == '\\')
				p++;
			if (*p == '\0')
				theil_text_error(str, "Unterminated group key.");
			appendStringInfoChar(&key, *p++);
		}
		p++;
		if (*p++ != ':' || *p++ != '[')
			theil_text_error(str, "A group key must be followed by :[.");
		for (j = 0; j < THEIL_NSTATE; j++)
		{
			char	   *end;

			while (isspace((unsigned char) *p))
				p++;
			if (!(isdigit((unsigned char) *p) || *p == '.' || *p == '-' || *p == '+'))
				theil_text_error(str, "A number was expected.");
			sums.s[j] = strtod(p, &end);
			if (end == p)
				theil_text_error(str, "A number was expected.");
			p = end;
			while (isspace((unsigned char) *p))
				p++;
			if (*p++ != (j == THEIL_NSTATE - 1 ? ']' : ','))
				theil_text_error(str, "A group has exactly 10 sums separated by , inside [].");
		}
		if (!theil_sums_valid(sums.s))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
					 errmsg("invalid sums for group \"%s\" in theil_decomposition_state", hs_excerpt(key.data, key.len)),
					 errdetail("Sums must be finite, counts and totals not negative.")));
		theil_decomp_merge_group(&st, key.data, key.len, sums.s);
		while (isspace((unsigned char) *p))
			p++;
		if (*p == ',')
		{
			p++;
			while (isspace((unsigned char) *p))
				p++;
			if (*p == '}')
				theil_text_error(str, "A group was expected after ,.");
		}
		else if (*p != '}')
			theil_text_error(str, "Groups must be separated by , and the value end with }.");
		CHECK_FOR_INTERRUPTS();
	}
	p++;
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
		theil_text_error(str, "Unexpected characters after the closing }.");
	PG_RETURN_BYTEA_P(theil_flat_of(&st));
}

/* binary form: the flat bytes, validated on input */
Datum
theil_decomposition_state_send(PG_FUNCTION_ARGS)
{
	bytea	   *b = PG_GETARG_BYTEA_P_COPY(0);

	PG_RETURN_BYTEA_P(b);
}

Datum
theil_decomposition_state_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	TheilDecompState st;
	int			len = buf->len - buf->cursor;

	theil_decomp_init(&st, CurrentMemoryContext);
	if (!theil_flat_merge(&st, buf->data + buf->cursor, len))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_BINARY_REPRESENTATION),
				 errmsg("invalid binary theil_decomposition_state of %d bytes", len)));
	buf->cursor = buf->len;
	/* rebuilt, so duplicate keys are merged and the form is our own */
	PG_RETURN_BYTEA_P(theil_flat_of(&st));
}

/*
 * total, between and within for index T or L.  A part that is undefined
 * (T: no resource at all; L: a zero value in a group, or a group without
 * resource for the between part) is NULL.
 *
 * T = sum_g s_g T_g + sum_g s_g ln(mu_g / mu)		  s_g = Y_g / Y
 * L = sum_g p_g L_g + sum_g p_g ln(mu / mu_g)		  p_g = W_g / W
 * with mu = Y / W the mean value and mu_g = Y_g / W_g the group's mean.
 */
Datum
hs_theil_decomp_final(PG_FUNCTION_ARGS)
{
	ExpandedTheil *e;
	TheilDecompState *st;
	TupleDesc	tupdesc;
	Datum		values[3];
	bool		nulls[3] = {false, false, false};
	TheilSums	all;
	double		between[2] = {0.0, 0.0};
	double		within[2] = {0.0, 0.0};
	double		W,
				Y,
				mu,
				total;
	bool		between_ok = true;
	int32		i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	e = etheil_from_datum(PG_GETARG_DATUM(0));
	if (e != NULL)
		st = &e->st;
	else
	{
		st = palloc(sizeof(TheilDecompState));
		theil_decomp_init(st, CurrentMemoryContext);
		theil_merge_datum(st, PG_GETARG_DATUM(0));
	}
	memset(&all, 0, sizeof(all));
	for (i = 0; i < st->ngroups; i++)
		theil_sums_merge(all.s, st->groups[i].sums.s);
	if (all.s[TS_N] == 0.0)
		PG_RETURN_NULL();
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	tupdesc = BlessTupleDesc(tupdesc);

	W = ksum_total(all.s + TS_W);
	Y = ksum_total(all.s + TS_Y);
	if (!(W > 0.0) || !(Y > 0.0))
		nulls[0] = nulls[1] = nulls[2] = true;
	else if (st->index == THEIL_INDEX_T)
	{
		mu = Y / W;
		total = theil_t_of(all.s);
		for (i = 0; i < st->ngroups; i++)
		{
			const double *s = st->groups[i].sums.s;
			double		Wg = ksum_total(s + TS_W);
			double		Yg = ksum_total(s + TS_Y);
			double		share;

			if (!(Yg > 0.0))
				continue;		/* s_g = 0: contributes 0 ln 0 = 0 */
			share = Yg / Y;
			ksum_add(within, share * theil_t_of(s));
			ksum_add(between, share * log((Yg / Wg) / mu));
		}
		values[0] = Float8GetDatum(Max(total, 0.0));
		values[1] = Float8GetDatum(Max(ksum_total(between), 0.0));
		values[2] = Float8GetDatum(Max(ksum_total(within), 0.0));
	}
	else
	{
		mu = Y / W;
		for (i = 0; i < st->ngroups; i++)
		{
			const double *s = st->groups[i].sums.s;
			double		Wg = ksum_total(s + TS_W);
			double		Yg = ksum_total(s + TS_Y);
			double		share = Wg / W;

			if (!(Yg > 0.0))
			{
				between_ok = false;
				continue;
			}
			ksum_add(between, share * log(mu / (Yg / Wg)));
			if (s[TS_Z] == 0.0)
				ksum_add(within, share * theil_l_of(s));
		}
		if (all.s[TS_Z] > 0.0)
			nulls[0] = nulls[2] = true;
		else
		{
			total = theil_l_of(all.s);
			values[0] = Float8GetDatum(Max(total, 0.0));
			values[2] = Float8GetDatum(Max(ksum_total(within), 0.0));
		}
		if (between_ok)
			values[1] = Float8GetDatum(Max(ksum_total(between), 0.0));
		else
			nulls[1] = true;
	}
	PG_RETURN_DATUM(HeapTupleGetDatum(heap_form_tuple(tupdesc, values, nulls)));
}

/* ------------------------------------------------------------------------
 * Density and agglomeration
 * ------------------------------------------------------------------------
 */

static inline void
check_measure(double x, const char *what)
{
	if (!(x >= 0.0) || isinf(x))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %s must be a finite number not below zero",
						what, float8out_internal(x))));
}

/*
 * hr_density_index(resource, population, area_km2) =
 * sqrt((resource per 1000 population) * (resource per km2));
 * NULL when population or area is 0.
 */
Datum
hs_density_index(PG_FUNCTION_ARGS)
{
	double		resource = PG_GETARG_FLOAT8(0);
	double		population = PG_GETARG_FLOAT8(1);
	double		area = PG_GETARG_FLOAT8(2);
	double		result;

	check_measure(resource, "resource");
	check_measure(population, "population");
	check_measure(area, "area");
	if (population == 0.0 || area == 0.0)
		PG_RETURN_NULL();
	result = sqrt((resource / population * 1000.0) * (resource / area));
	if (isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("health resource density index is out of range for type double precision")));
	PG_RETURN_FLOAT8(result);
}

/*
 * agglomeration_degree(part, part_total, area, area_total) =
 * (part / part_total) / (area / area_total): the region's share of the
 * resource (HRAD) or of the population (PAD) over its share of the land.
 * NULL when part_total, area or area_total is 0.
 */
Datum
hs_agglomeration_degree(PG_FUNCTION_ARGS)
{
	double		part = PG_GETARG_FLOAT8(0);
	double		part_total = PG_GETARG_FLOAT8(1);
	double		area = PG_GETARG_FLOAT8(2);
	double		area_total = PG_GETARG_FLOAT8(3);
	double		result;

	check_measure(part, "part");
	check_measure(part_total, "part total");
	check_measure(area, "area");
	check_measure(area_total, "area total");
	if (part_total == 0.0 || area == 0.0 || area_total == 0.0)
		PG_RETURN_NULL();
	result = (part / part_total) / (area / area_total);
	if (isinf(result))
		ereport(ERROR,
				(errcode(ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE),
				 errmsg("agglomeration degree is out of range for type double precision")));
	PG_RETURN_FLOAT8(result);
}
