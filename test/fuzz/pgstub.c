/*-------------------------------------------------------------------------
 *
 * pgstub.c
 *	  Just enough of the PostgreSQL backend to run health_share's input,
 *	  output, receive and send functions outside the server, under
 *	  libFuzzer with AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 *	  Memory: every palloc comes from malloc and is remembered; the harness
 *	  frees everything after each input (hs_stub_reset), so leaks inside one
 *	  call are not reported and use-after-reset is caught by ASan.
 *	  Errors: ereport(ERROR) longjmps to PG_exception_stack, like the
 *	  backend; the SQLSTATE of the last error is kept for the harness.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <signal.h>
#include <stdarg.h>

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "libpq/pqformat.h"
#include "nodes/execnodes.h"
#include "common/shortest_dec.h"
#include "utils/builtins.h"
#include "utils/float.h"
#include "utils/memutils.h"

#include "pgstub.h"

/* ---- memory ---- */

static void **allocs = NULL;
static size_t nallocs = 0,
			maxallocs = 0;

static MemoryContextData dummy_context;
MemoryContext CurrentMemoryContext = &dummy_context;
MemoryContext TopMemoryContext = &dummy_context;
MemoryContext ErrorContext = &dummy_context;

static void *
remember(void *p)
{
	if (p == NULL)
		abort();
	if (nallocs == maxallocs)
	{
		maxallocs = maxallocs ? maxallocs * 2 : 1024;
		allocs = realloc(allocs, maxallocs * sizeof(void *));
		if (allocs == NULL)
			abort();
	}
	allocs[nallocs++] = p;
	return p;
}

static void
check_size(Size size)
{
	/* the backend refuses these; a fuzz input must never ask for them */
	if (size > MaxAllocHugeSize)
		abort();
}

void *
palloc(Size size)
{
	check_size(size);
	return remember(malloc(size ? size : 1));
}

void *
palloc0(Size size)
{
	check_size(size);
	return remember(calloc(1, size ? size : 1));
}

void *
palloc_extended(Size size, int flags)
{
	return (flags & MCXT_ALLOC_ZERO) ? palloc0(size) : palloc(size);
}

void *
MemoryContextAlloc(MemoryContext context, Size size)
{
	return palloc(size);
}

void *
MemoryContextAllocZero(MemoryContext context, Size size)
{
	return palloc0(size);
}

void *
MemoryContextAllocZeroAligned(MemoryContext context, Size size)
{
	return palloc0(size);
}

void *
MemoryContextAllocExtended(MemoryContext context, Size size, int flags)
{
	return palloc_extended(size, flags);
}

void *
MemoryContextAllocHuge(MemoryContext context, Size size)
{
	return palloc(size);
}

static size_t
find_alloc(void *p)
{
	size_t		i;

	for (i = nallocs; i > 0; i--)
		if (allocs[i - 1] == p)
			return i - 1;
	abort();					/* pfree/repalloc of memory not from palloc */
}

void
pfree(void *pointer)
{
	size_t		i = find_alloc(pointer);

	free(pointer);
	allocs[i] = allocs[--nallocs];
}

void *
repalloc(void *pointer, Size size)
{
	size_t		i = find_alloc(pointer);
	void	   *p;

	check_size(size);
	p = realloc(pointer, size ? size : 1);
	if (p == NULL)
		abort();
	allocs[i] = p;
	return p;
}

void *
repalloc_huge(void *pointer, Size size)
{
	return repalloc(pointer, size);
}

/* shmem.c's overflow-checked multiplication (load.c sizes its arrays with it) */
Size
mul_size(Size s1, Size s2)
{
	Size		result;

	if (s1 == 0 || s2 == 0)
		return 0;
	result = s1 * s2;
	if (result / s2 != s1)
		abort();				/* the backend raises an error here */
	return result;
}

char *
pstrdup(const char *in)
{
	size_t		len = strlen(in) + 1;

	return memcpy(palloc(len), in, len);
}

char *
pnstrdup(const char *in, Size size)
{
	size_t		len = strnlen(in, size);
	char	   *out = palloc(len + 1);

	memcpy(out, in, len);
	out[len] = '\0';
	return out;
}

MemoryContext
AllocSetContextCreateInternal(MemoryContext parent, const char *name,
							  Size minContextSize, Size initBlockSize,
							  Size maxBlockSize)
{
	return palloc0(sizeof(MemoryContextData));
}

void
MemoryContextDelete(MemoryContext context)
{
}

void
MemoryContextReset(MemoryContext context)
{
}

void
MemoryContextSetParent(MemoryContext context, MemoryContext new_parent)
{
}

void
hs_stub_reset(void)
{
	while (nallocs > 0)
		free(allocs[--nallocs]);
}

/* ---- errors ---- */

sigjmp_buf *PG_exception_stack = NULL;
int			hs_stub_sqlstate = 0;

bool
errstart(int elevel, const char *domain)
{
	if (elevel >= ERROR)
		hs_stub_sqlstate = ERRCODE_INTERNAL_ERROR;	/* until errcode() */
	return elevel >= ERROR;
}

bool
errstart_cold(int elevel, const char *domain)
{
	return errstart(elevel, domain);
}

void
errfinish(const char *filename, int lineno, const char *funcname)
{
	if (PG_exception_stack == NULL)
		abort();
	siglongjmp(*PG_exception_stack, 1);
}

int
errcode(int sqlerrcode)
{
	hs_stub_sqlstate = sqlerrcode;
	return 0;
}

int
errcode_for_file_access(void)
{
	hs_stub_sqlstate = ERRCODE_IO_ERROR;
	return 0;
}

/*
 * The messages are formatted and checked: a message that is not valid
 * UTF-8 (the fuzz build's server encoding) would reach a client that
 * cannot read it, so it aborts like a crash.
 */
static void
check_message(const char *fmt, va_list args)
{
	char		msg[8192];
	int			n = vsnprintf(msg, sizeof(msg), fmt, args);

	if (n < 0)
		abort();
	n = (int) strlen(msg);
	if (pg_encoding_verifymbstr(PG_UTF8, msg, n) != n)
		abort();
}

#define CHECKED_MESSAGE(name) \
int \
name(const char *fmt,...) \
{ \
	va_list		args; \
\
	va_start(args, fmt); \
	check_message(fmt, args); \
	va_end(args); \
	return 0; \
}

CHECKED_MESSAGE(errmsg)
CHECKED_MESSAGE(errmsg_internal)
CHECKED_MESSAGE(errdetail)
CHECKED_MESSAGE(errdetail_internal)
CHECKED_MESSAGE(errhint)

/* ---- encoding: the fuzz build's server encoding is UTF-8 ---- */

int
GetDatabaseEncoding(void)
{
	return PG_UTF8;
}

int
pg_mbcliplen(const char *mbstr, int len, int limit)
{
	int			clen = 0;

	while (clen < len && *mbstr)
	{
		int			l = pg_encoding_mblen(PG_UTF8, mbstr);

		if (clen + l > limit)
			break;
		clen += l;
		mbstr += l;
	}
	return clen;
}

void
elog_start(const char *filename, int lineno, const char *funcname)
{
}

/* ---- StringInfo and the wire format ---- */

void
initStringInfo(StringInfo str)
{
	str->maxlen = 1024;
	str->data = palloc(str->maxlen);
	resetStringInfo(str);
}

void
resetStringInfo(StringInfo str)
{
	str->data[0] = '\0';
	str->len = 0;
	str->cursor = 0;
}

void
enlargeStringInfo(StringInfo str, int needed)
{
	int			newlen;

	if (needed < 0 || ((Size) needed) >= (MaxAllocSize - (Size) str->len))
		abort();
	needed += str->len + 1;
	if (needed <= str->maxlen)
		return;
	newlen = 2 * str->maxlen;
	while (needed > newlen)
		newlen = 2 * newlen;
	str->data = repalloc(str->data, newlen);
	str->maxlen = newlen;
}

void
appendBinaryStringInfo(StringInfo str, const char *data, int datalen)
{
	enlargeStringInfo(str, datalen);
	memcpy(str->data + str->len, data, datalen);
	str->len += datalen;
	str->data[str->len] = '\0';
}

void
appendStringInfoString(StringInfo str, const char *s)
{
	appendBinaryStringInfo(str, s, strlen(s));
}

void
appendStringInfoChar(StringInfo str, char ch)
{
	appendBinaryStringInfo(str, &ch, 1);
}

void
appendStringInfo(StringInfo str, const char *fmt,...)
{
	va_list		args;
	char		buf[512];
	int			n;

	va_start(args, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (n < 0 || n >= (int) sizeof(buf))
		abort();				/* the project never formats that much at once */
	appendBinaryStringInfo(str, buf, n);
}

void
pq_begintypsend(StringInfo buf)
{
	initStringInfo(buf);
	appendBinaryStringInfo(buf, "\0\0\0\0", 4);
}

bytea *
pq_endtypsend(StringInfo buf)
{
	bytea	   *result = (bytea *) buf->data;

	SET_VARSIZE(result, buf->len);
	return result;
}

static void
insufficient(void)
{
	ereport(ERROR,
			(errcode(ERRCODE_PROTOCOL_VIOLATION),
			 errmsg("insufficient data left in message")));
}

int64
pq_getmsgint64(StringInfo msg)
{
	uint64		n64;

	if (msg->cursor < 0 || 8 > msg->len - msg->cursor)
		insufficient();
	memcpy(&n64, &msg->data[msg->cursor], 8);
	msg->cursor += 8;
	return (int64) pg_ntoh64(n64);
}

unsigned int
pq_getmsgint(StringInfo msg, int b)
{
	uint32		n32 = 0;
	uint16		n16;
	uint8		n8;

	if (msg->cursor < 0 || b > msg->len - msg->cursor)
		insufficient();
	switch (b)
	{
		case 1:
			memcpy(&n8, &msg->data[msg->cursor], 1);
			n32 = n8;
			break;
		case 2:
			memcpy(&n16, &msg->data[msg->cursor], 2);
			n32 = pg_ntoh16(n16);
			break;
		case 4:
			memcpy(&n32, &msg->data[msg->cursor], 4);
			n32 = pg_ntoh32(n32);
			break;
		default:
			abort();
	}
	msg->cursor += b;
	return n32;
}

int
pq_getmsgbyte(StringInfo msg)
{
	if (msg->cursor >= msg->len)
		insufficient();
	return (unsigned char) msg->data[msg->cursor++];
}

float8
pq_getmsgfloat8(StringInfo msg)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.i = pq_getmsgint64(msg);
	return swap.f;
}

const char *
pq_getmsgbytes(StringInfo msg, int datalen)
{
	const char *result;

	if (datalen < 0 || datalen > (msg->len - msg->cursor))
		insufficient();
	result = &msg->data[msg->cursor];
	msg->cursor += datalen;
	return result;
}

void
pq_copymsgbytes(StringInfo msg, char *buf, int datalen)
{
	memcpy(buf, pq_getmsgbytes(msg, datalen), datalen);
}

/* ---- text and varlena ---- */

text *
cstring_to_text(const char *s)
{
	return cstring_to_text_with_len(s, strlen(s));
}

text *
cstring_to_text_with_len(const char *s, int len)
{
	text	   *result = (text *) palloc(len + VARHDRSZ);

	SET_VARSIZE(result, len + VARHDRSZ);
	memcpy(VARDATA(result), s, len);
	return result;
}

char *
text_to_cstring(const text *t)
{
	int			len = VARSIZE_ANY_EXHDR(t);
	char	   *result = palloc(len + 1);

	memcpy(result, VARDATA_ANY(t), len);
	result[len] = '\0';
	return result;
}

struct varlena *
pg_detoast_datum(struct varlena *datum)
{
	if (VARATT_IS_EXTERNAL(datum) || VARATT_IS_COMPRESSED(datum))
		abort();				/* never produced outside the server */
	if (VARATT_IS_SHORT(datum))
	{
		Size		len = VARSIZE_SHORT(datum) - VARHDRSZ_SHORT;
		struct varlena *result = palloc(len + VARHDRSZ);

		SET_VARSIZE(result, len + VARHDRSZ);
		memcpy(VARDATA(result), VARDATA_SHORT(datum), len);
		return result;
	}
	return datum;
}

struct varlena *
pg_detoast_datum_packed(struct varlena *datum)
{
	if (VARATT_IS_EXTERNAL(datum) || VARATT_IS_COMPRESSED(datum))
		abort();
	return datum;
}

struct varlena *
pg_detoast_datum_copy(struct varlena *datum)
{
	struct varlena *d = pg_detoast_datum(datum);
	struct varlena *result = palloc(VARSIZE(d));

	memcpy(result, d, VARSIZE(d));
	return result;
}

/* ---- pqformat senders that are not inline ---- */

void
pq_sendbytes(StringInfo buf, const char *data, int datalen)
{
	appendBinaryStringInfo(buf, data, datalen);
}

void
pq_sendtext(StringInfo buf, const char *str, int slen)
{
	/* the server converts to the client encoding; here that is UTF-8 too */
	appendBinaryStringInfo(buf, str, slen);
}

void
pq_sendfloat8(StringInfo buf, float8 f)
{
	union
	{
		float8		f;
		int64		i;
	}			swap;

	swap.f = f;
	pq_sendint64(buf, swap.i);
}

/* float8out with extra_float_digits = 1 (the default): shortest exact */
char *
float8out_internal(double num)
{
	char	   *ascii = (char *) palloc(32);

	if (isnan(num))
		strcpy(ascii, "NaN");
	else if (isinf(num))
		strcpy(ascii, num > 0 ? "Infinity" : "-Infinity");
	else
		(void) double_to_shortest_decimal_buf(num, ascii);
	return ascii;
}

/* ---- fmgr odds and ends ---- */

char		my_exec_path[MAXPGPATH];

void		hs_stub_unreachable(const char *name);

void
hs_stub_unreachable(const char *name)
{
	fprintf(stderr, "backend function %s is not available to fuzz targets\n", name);
	abort();
}

/* the input of site_select_state calls facility_set's I/O functions */
Datum
DirectFunctionCall1Coll(PGFunction func, Oid collation, Datum arg1)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		result;

	InitFunctionCallInfoData(*fcinfo, NULL, 1, collation, NULL, NULL);
	fcinfo->args[0].value = arg1;
	fcinfo->args[0].isnull = false;
	result = (*func) (fcinfo);
	if (fcinfo->isnull)
		elog(ERROR, "function returned NULL");
	return result;
}

int
AggCheckCallContext(FunctionCallInfo fcinfo, MemoryContext *aggcontext)
{
	if (aggcontext)
		*aggcontext = NULL;
	return 0;
}

void
check_stack_depth(void)
{
}

volatile sig_atomic_t InterruptPending = false;

void
ProcessInterrupts(void)
{
}
