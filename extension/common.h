/*-------------------------------------------------------------------------
 *
 * common.h
 *	  The only code shared by the health_share families: overflow-checked
 *	  int8 arithmetic, varlena size checks, coordinate validation, the
 *	  number parsers and the syntax error of the text input functions, and
 *	  the module's settings.  The aggregate-state floor is aggstate.h.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_COMMON_H
#define HS_COMMON_H

#include "postgres.h"

#include <ctype.h>

#include "common/int.h"
#include "lib/stringinfo.h"
#include "fmgr.h"

/* health_share.min_cell: smallest publishable non-zero cell */
extern int	hs_min_cell;

extern void hs_overflow_error(const char *what) pg_attribute_noreturn();
extern void hs_check_alloc_size(Size size, const char *what);
extern void hs_check_coordinate(double lon, double lat);

/*
 * What an error message may quote of a caller's string: at most
 * HS_EXCERPT_BYTES bytes, cut at a character boundary, "..." appended when
 * cut; bytes that are not valid in the server encoding are never quoted.
 */
#define HS_EXCERPT_BYTES 100
extern char *hs_excerpt(const char *s, int len);
extern char *hs_excerpt_cstring(const char *s);

/*
 * Text input: hs_syntax_error raises invalid_text_representation, "invalid
 * input syntax for type <type>: "<str>"" with the detail given.  The
 * parsers read one number at *p and advance *p past it; they return false
 * when there is none.  hs_parse_int64 reads decimal digits (a sign only when
 * allow_sign) and raises numeric_value_out_of_range, naming the type and
 * str, when the value does not fit; hs_parse_float8 skips white space
 * around the number, accepts what strtod reads when it starts with a digit,
 * '.', '-' or '+', and when "finite" refuses infinities and numbers that
 * underflow to zero.
 */
extern void hs_syntax_error(const char *type, const char *str,
							const char *detail) pg_attribute_noreturn();

/* binary input: invalid_binary_representation, "invalid binary <type>: <detail>" */
extern void hs_binary_error(const char *type, const char *detail) pg_attribute_noreturn();
extern bool hs_parse_int64(const char **p, int64 *out, bool allow_sign,
						   const char *type, const char *str);
extern bool hs_parse_float8(const char **p, double *out, bool finite);

/* append v with the shortest digits that read back exactly (as float8out) */
extern void hs_append_float8(StringInfo buf, double v);

static inline void
hs_skip_space(const char **p)
{
	while (isspace((unsigned char) **p))
		(*p)++;
}

/*
 * a + b, raising numeric_value_out_of_range instead of wrapping.  "what"
 * names the quantity in the error message.
 */
static inline int64
hs_add_int64(int64 a, int64 b, const char *what)
{
	int64		result;

	if (unlikely(pg_add_s64_overflow(a, b, &result)))
		hs_overflow_error(what);
	return result;
}

static inline int64
hs_mul_int64(int64 a, int64 b, const char *what)
{
	int64		result;

	if (unlikely(pg_mul_s64_overflow(a, b, &result)))
		hs_overflow_error(what);
	return result;
}

#endif							/* HS_COMMON_H */
