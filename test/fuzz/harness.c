/*-------------------------------------------------------------------------
 *
 * harness.c
 *	  libFuzzer target for one health_share type, chosen at compile time:
 *
 *	  HS_KIND_TEXT:   input function on the bytes as a C string; when it
 *	                  accepts them, output then input again must give the
 *	                  same value.
 *	  HS_KIND_BINARY: receive function on the bytes; when it accepts them and
 *	                  consumes them all, send then receive again must give
 *	                  the same value, and its text (output function) must
 *	                  be valid UTF-8 and read back (input function) to the
 *	                  same value: what binary input accepts can be dumped
 *	                  and restored as text.
 *
 *	  Any rejection must be an ereport(ERROR) with a specific SQLSTATE: an
 *	  internal error (elog) or any failure after a value was accepted aborts,
 *	  and so does every sanitizer report.
 *
 *	  Compile with -DHS_IN=, -DHS_OUT=, -DHS_RECV=, -DHS_SEND=, -DHS_TYPLEN=
 *	  (8 = by value, n > 0 fixed length, -1 = varlena); see test/fuzz/build.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "fmgr.h"
#include "lib/stringinfo.h"
#include "mb/pg_wchar.h"
#include "utils/elog.h"

#include "pgstub.h"

extern Datum HS_IN(PG_FUNCTION_ARGS);
extern Datum HS_OUT(PG_FUNCTION_ARGS);
extern Datum HS_RECV(PG_FUNCTION_ARGS);
extern Datum HS_SEND(PG_FUNCTION_ARGS);

int			LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static Datum
call(PGFunction f, Datum arg)
{
	LOCAL_FCINFO(fcinfo, 3);
	FmgrInfo	flinfo;
	Datum		result;

	memset(&flinfo, 0, sizeof(flinfo));
	flinfo.fn_nargs = 3;
	flinfo.fn_mcxt = CurrentMemoryContext;
	InitFunctionCallInfoData(*fcinfo, &flinfo, 3, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = ObjectIdGetDatum(InvalidOid);
	fcinfo->args[1].isnull = false;
	fcinfo->args[2].value = Int32GetDatum(-1);
	fcinfo->args[2].isnull = false;
	result = f(fcinfo);
	if (fcinfo->isnull)
		abort();
	return result;
}

static bool
same_value(Datum a, Datum b)
{
#if HS_TYPLEN == 8
	return a == b;
#elif HS_TYPLEN > 0
	return memcmp(DatumGetPointer(a), DatumGetPointer(b), HS_TYPLEN) == 0;
#else
	struct varlena *x = PG_DETOAST_DATUM(a);
	struct varlena *y = PG_DETOAST_DATUM(b);

	return VARSIZE(x) == VARSIZE(y) && memcmp(x, y, VARSIZE(x)) == 0;
#endif
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sigjmp_buf	jb;
	volatile int accepted = 0;

	if (size > 1024 * 1024)
		return -1;
	if (sigsetjmp(jb, 0) != 0)
	{
		PG_exception_stack = NULL;
		if (accepted || hs_stub_sqlstate == ERRCODE_INTERNAL_ERROR || hs_stub_sqlstate == 0)
			abort();
		hs_stub_reset();
		return 0;
	}
	PG_exception_stack = &jb;

#ifdef HS_KIND_TEXT
	/*
	 * The server hands an input function only text valid in its encoding
	 * (UTF-8 here): other bytes cannot reach it.
	 */
	if (pg_encoding_verifymbstr(PG_UTF8, (const char *) data, (int) size) != (int) size)
	{
		PG_exception_stack = NULL;
		return 0;
	}
	{
		char	   *str = palloc(size + 1);
		Datum		v,
					v2;
		char	   *out;

		memcpy(str, data, size);
		str[size] = '\0';
		v = call(HS_IN, CStringGetDatum(str));
		accepted = 1;
		out = DatumGetCString(call(HS_OUT, v));
		v2 = call(HS_IN, CStringGetDatum(out));
		if (!same_value(v, v2))
			abort();
	}
#else
	{
		StringInfoData buf;
		Datum		v,
					v2;
		bytea	   *sent;
		StringInfoData buf2;

		buf.data = palloc(size + 1);
		memcpy(buf.data, data, size);
		buf.data[size] = '\0';
		buf.len = (int) size;
		buf.maxlen = (int) size + 1;
		buf.cursor = 0;
		v = call(HS_RECV, PointerGetDatum(&buf));
		if (buf.cursor != buf.len)
		{
			/* COPY and the protocol reject a value with bytes left over */
			PG_exception_stack = NULL;
			hs_stub_reset();
			return 0;
		}
		accepted = 1;
		{
			char	   *text = DatumGetCString(call(HS_OUT, v));
			int			tlen = (int) strlen(text);
			Datum		v3;

			if (pg_encoding_verifymbstr(PG_UTF8, text, tlen) != tlen)
				abort();
			v3 = call(HS_IN, CStringGetDatum(text));
			if (!same_value(v, v3))
				abort();
		}
		sent = DatumGetByteaPP(call(HS_SEND, v));
		buf2.len = VARSIZE_ANY_EXHDR(sent);
		buf2.data = palloc(buf2.len + 1);
		memcpy(buf2.data, VARDATA_ANY(sent), buf2.len);
		buf2.data[buf2.len] = '\0';
		buf2.maxlen = buf2.len + 1;
		buf2.cursor = 0;
		v2 = call(HS_RECV, PointerGetDatum(&buf2));
		if (buf2.cursor != buf2.len || !same_value(v, v2))
			abort();
	}
#endif

	PG_exception_stack = NULL;
	hs_stub_reset();
	return 0;
}
