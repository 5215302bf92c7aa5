/*-------------------------------------------------------------------------
 *
 * inequality.c
 *	  The population-weighted Gini coefficient and Lorenz curve: the
 *	  inequality_state type (a list of (value, weight) pairs), its text and
 *	  binary forms, the aggregates gini and lorenz and the sort they need.
 *
 *	  Gini and Lorenz need the rows in order of y: the state keeps the
 *	  (y, w) pairs and the final function sorts them (LSD radix sort on the
 *	  IEEE bits of y, then ties ordered by w, so that the result does not
 *	  depend on the order in which rows or partial states arrived).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "catalog/pg_type.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "equity.h"

PG_FUNCTION_INFO_V1(hs_ineq_accum);
PG_FUNCTION_INFO_V1(hs_ineq_accum1);
PG_FUNCTION_INFO_V1(hs_ineq_combine);
PG_FUNCTION_INFO_V1(inequality_state_in);
PG_FUNCTION_INFO_V1(inequality_state_out);
PG_FUNCTION_INFO_V1(inequality_state_recv);
PG_FUNCTION_INFO_V1(inequality_state_send);
PG_FUNCTION_INFO_V1(hs_gini_final);
PG_FUNCTION_INFO_V1(hs_lorenz_final);

/* ------------------------------------------------------------------------
 * Gini and Lorenz: the inequality_state type, a list of (y, w) pairs
 *
 * Flat form (on disk, between parallel workers, Citus nodes): a varlena
 * holding a magic number (which stands for version 1 of the format) and
 * the pairs, each with y >= 0, w > 0 and y * w
 * finite, in any order.  During aggregation the state is a read-write
 * expanded object in a child context of the aggregate context, an array
 * grown geometrically (aggstate.h); it is flattened only when it leaves the
 * node.
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
	HsAggState	hdr;
	IneqState	st;				/* pairs in the state's context */
} ExpandedIneq;

HS_AGGSTATE_DEFINE(eineq, EINEQ_MAGIC, "inequality_state", ExpandedIneq, false)

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

	Assert(e->hdr.magic == EINEQ_MAGIC);
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

static void
eineq_init(HsAggState *s, int64 hint)
{
	((ExpandedIneq *) s)->st.sorted = true;
}

static void
eineq_merge(HsAggState *s, Datum d)
{
	ineq_merge_datum(&((ExpandedIneq *) s)->st, HS_AGGSTATE_CXT(s), d);
}

/* shared body of the two transition functions */
static Datum
ineq_accum(FunctionCallInfo fcinfo, double y, double w)
{
	ExpandedIneq *e;

	y = check_row(y, w);
	e = (ExpandedIneq *) hs_aggstate_arg(&eineq_type, fcinfo);
	/* a row without population has no share of anything */
	if (w > 0.0)
		ineq_push(&e->st, HS_AGGSTATE_CXT(e), y, w);
	PG_RETURN_DATUM(hs_aggstate_return(&e->hdr));
}

/* gini(value, weight), lorenz(value, weight) */
Datum
hs_ineq_accum(PG_FUNCTION_ARGS)
{
	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2));
	return ineq_accum(fcinfo, PG_GETARG_FLOAT8(1), PG_GETARG_FLOAT8(2));
}

/* gini(value): every row weighs 1 */
Datum
hs_ineq_accum1(PG_FUNCTION_ARGS)
{
	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	return ineq_accum(fcinfo, PG_GETARG_FLOAT8(1), 1.0);
}

Datum
hs_ineq_combine(PG_FUNCTION_ARGS)
{
	return hs_aggstate_combine(&eineq_type, fcinfo);
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

	initStringInfo(&buf);
	appendStringInfoChar(&buf, '{');
	for (i = 0; i < n; i++)
	{
		if (i > 0)
			appendStringInfoChar(&buf, ',');
		hs_append_float8(&buf, f->pairs[i].y);
		appendStringInfoChar(&buf, ':');
		hs_append_float8(&buf, f->pairs[i].w);
		if ((i & 0xFFFF) == 0)
			CHECK_FOR_INTERRUPTS();
	}
	appendStringInfoChar(&buf, '}');
	PG_RETURN_CSTRING(buf.data);
}

Datum
inequality_state_in(PG_FUNCTION_ARGS)
{
	const char *str = PG_GETARG_CSTRING(0);
	const char *p = str;
	IneqState	st;
	IneqFlat   *f;

	memset(&st, 0, sizeof(st));
	hs_skip_space(&p);
	if (*p++ != '{')
		hs_syntax_error("inequality_state", str, "The value must start with {.");
	hs_skip_space(&p);
	if (*p != '}')
	{
		for (;;)
		{
			double		y,
						w;

			if (!hs_parse_float8(&p, &y, false))
				hs_syntax_error("inequality_state", str, "A number was expected.");
			if (*p++ != ':')
				hs_syntax_error("inequality_state", str, "Each pair must be value:weight.");
			if (!hs_parse_float8(&p, &w, false))
				hs_syntax_error("inequality_state", str, "A number was expected.");
			if (!ineq_pair_ok(y, w))
				ereport(ERROR,
						(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
						 errmsg("invalid pair %s:%s in inequality_state",
								float8out_internal(y), float8out_internal(w)),
						 errdetail("Values must be finite and not negative, weights positive and finite.")));
			if (st.n >= INEQ_MAX_FLAT_PAIRS)
				hs_syntax_error("inequality_state", str, "Too many pairs.");
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
		hs_syntax_error("inequality_state", str, "Pairs must be separated by , and the value end with }.");
	hs_skip_space(&p);
	if (*p != '\0')
		hs_syntax_error("inequality_state", str, "Unexpected characters after the closing }.");
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
 * The sorted state of a final function and a first walk over it: the
 * totals W and Y and, when npoints is not NULL, the number of points.
 * NULL when the result is NULL: no state, no rows, no population or no
 * resource.
 */
static IneqState *
ineq_final_walk(FunctionCallInfo fcinfo, double *W, double *Y, int64 *npoints)
{
	IneqState  *st;
	IneqWalk	walk;
	int64		k = 0;

	if (PG_ARGISNULL(0))
		return NULL;
	st = ineq_final_state(fcinfo);
	if (st->n == 0)
		return NULL;
	ineq_sort(st);
	ineq_walk_init(&walk, st);
	while (ineq_next(&walk))
		k++;
	check_sum_finite(walk.cumr, "sum of value times weight");
	check_sum_finite(walk.cumw, "sum of weights");
	*W = ksum_total(walk.cumw);
	*Y = ksum_total(walk.cumr);
	if (npoints)
		*npoints = k;
	if (!(*W > 0.0) || !(*Y > 0.0))
		return NULL;
	return st;
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

	st = ineq_final_walk(fcinfo, &W, &Y, NULL);
	if (st == NULL)
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

	st = ineq_final_walk(fcinfo, &W, &Y, &k);
	if (st == NULL)
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

