/*-------------------------------------------------------------------------
 *
 * adcode.c
 *	  The adcode type: parsing, validation, hierarchy functions, binary I/O
 *	  and the reader of the division dictionary shipped with the extension.
 *
 *	  Comparison, hashing and sort support reuse PostgreSQL's int8 routines
 *	  (see the install script): the padded value orders hierarchically.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>

#include "common/string.h"
#include "funcapi.h"
#include "libpq/pqformat.h"
#include "miscadmin.h"
#include "storage/fd.h"
#include "utils/builtins.h"
#include "utils/tuplestore.h"

#include "adcode.h"
#include "common.h"

PG_FUNCTION_INFO_V1(adcode_in);
PG_FUNCTION_INFO_V1(adcode_out);
PG_FUNCTION_INFO_V1(adcode_recv);
PG_FUNCTION_INFO_V1(adcode_send);
PG_FUNCTION_INFO_V1(adcode_from_int8);
PG_FUNCTION_INFO_V1(adcode_to_int8);
PG_FUNCTION_INFO_V1(adcode_level);
PG_FUNCTION_INFO_V1(adcode_parent);
PG_FUNCTION_INFO_V1(adcode_province);
PG_FUNCTION_INFO_V1(adcode_city);
PG_FUNCTION_INFO_V1(adcode_county);
PG_FUNCTION_INFO_V1(adcode_township);
PG_FUNCTION_INFO_V1(adcode_contains);
PG_FUNCTION_INFO_V1(adcode_contained);
PG_FUNCTION_INFO_V1(adcode_division_file);

static const char *const level_names[] = {
	"province", "city", "county", "township", "village"
};

/* padding modulus below each level: the digits a code of that level owns */
static const int64 level_modulus[] = {
	ADCODE_PAD_PROVINCE, ADCODE_PAD_CITY, ADCODE_PAD_COUNTY,
	ADCODE_PAD_TOWNSHIP, 1
};

/*
 * Province prefixes of GB/T 2260: 11-15, 21-23, 31-37, 41-46, 50-54, 61-65,
 * 71 (Taiwan), 81 and 82 (Hong Kong, Macao).
 */
static bool
province_exists(int p)
{
	return (p >= 11 && p <= 15) || (p >= 21 && p <= 23) ||
		(p >= 31 && p <= 37) || (p >= 41 && p <= 46) ||
		(p >= 50 && p <= 54) || (p >= 61 && p <= 65) ||
		p == 71 || p == 81 || p == 82;
}

/*
 * Check the structure of a padded code.  Returns NULL when valid, otherwise
 * a palloc'd detail message for the caller's error report.
 */
static char *
adcode_structure_error(Adcode a)
{
	int			province = (int) (a / ADCODE_PAD_PROVINCE);
	int			city = (int) ((a / ADCODE_PAD_CITY) % 100);
	int			township = (int) ((a / ADCODE_PAD_TOWNSHIP) % 1000);
	int64		below_city = a % ADCODE_PAD_CITY;
	int			village = (int) (a % ADCODE_PAD_TOWNSHIP);

	if (!province_exists(province))
		return psprintf("Province prefix %02d does not exist.", province);
	if (city == 0 && below_city != 0)
		return psprintf("City part 00 must be followed by zeros only.");
	if (township == 0 && village != 0)
		return psprintf("A village code needs a non-zero township part.");
	return NULL;
}

/*
 * Pad a code's own digits (6, 9 or 12 of them) to twelve.  Returns -1 when
 * the number has another length.
 */
static Adcode
adcode_pad_digits(int64 digits)
{
	if (digits >= INT64CONST(100000) && digits <= INT64CONST(999999))
		return digits * ADCODE_PAD_COUNTY;
	if (digits >= INT64CONST(100000000) && digits <= INT64CONST(999999999))
		return digits * ADCODE_PAD_TOWNSHIP;
	if (digits >= INT64CONST(100000000000) && digits <= INT64CONST(999999999999))
		return digits;
	return -1;
}

int64
adcode_to_digits(Adcode a)
{
	switch (adcode_level_of(a))
	{
		case ADCODE_VILLAGE:
			return a;
		case ADCODE_TOWNSHIP:
			return a / ADCODE_PAD_TOWNSHIP;
		default:
			return a / ADCODE_PAD_COUNTY;
	}
}

/*
 * Validate a padded code that arrived by a binary path (int8 cast, recv) and
 * report a bad one with the given SQLSTATE.
 */
static Adcode
adcode_checked(int64 digits, int errcode_range, int errcode_structure)
{
	Adcode		a = adcode_pad_digits(digits);
	char	   *detail;

	if (a < 0)
		ereport(ERROR,
				(errcode(errcode_range),
				 errmsg("value %lld is not a division code",
						(long long) digits),
				 errdetail("A division code has 6, 9 or 12 digits.")));
	detail = adcode_structure_error(a);
	if (detail)
		ereport(ERROR,
				(errcode(errcode_structure),
				 errmsg("invalid division code %lld", (long long) digits),
				 errdetail_internal("%s", detail)));
	return a;
}

/*
 * The detail for a character that cannot stand in a code.  The text is not
 * decoded (any server encoding): a full-width digit in UTF-8 (U+FF10 to
 * U+FF19, bytes EF BC 90 to 99), as Chinese input methods type them, is
 * named as such, other bytes above 0x7F as non-ASCII, an ASCII character
 * by itself.
 */
static char *
adcode_character_error(const char *p)
{
	const unsigned char *u = (const unsigned char *) p;

	if (u[0] == 0xEF && u[1] == 0xBC && u[2] >= 0x90 && u[2] <= 0x99)
		return psprintf("It contains full-width digits (such as \"%.3s\"): "
						"a division code is written with the ASCII digits 0-9.", p);
	if (isdigit(u[0]))
		return psprintf("It has white space between its digits: a division code has 6, 9 or 12 digits in one run.");
	if (u[0] >= 0x80)
		return psprintf("It contains a character that is not an ASCII digit: "
						"a division code has 6, 9 or 12 of the digits 0-9.");
	if (isprint(u[0]))
		return psprintf("Character \"%c\" is not a digit: a division code has 6, 9 or 12 digits.", p[0]);
	return psprintf("It contains a control character (0x%02X): a division code has 6, 9 or 12 digits.", u[0]);
}

/*
 * Parse text: optional surrounding white space around 6, 9 or 12 digits.
 * Returns true and sets *result on success; otherwise sets *detail.
 */
static bool
adcode_parse(const char *str, Adcode *result, char **detail)
{
	const char *p = str;
	int64		digits = 0;
	int			ndigits = 0;

	while (isspace((unsigned char) *p))
		p++;
	while (isdigit((unsigned char) *p))
	{
		if (ndigits < 12)
			digits = digits * 10 + (*p - '0');
		ndigits++;
		p++;
	}
	while (isspace((unsigned char) *p))
		p++;
	if (*p != '\0')
	{
		*detail = adcode_character_error(p);
		return false;
	}
	if (ndigits != 6 && ndigits != 9 && ndigits != 12)
	{
		*detail = psprintf("A division code has 6, 9 or 12 digits, not %d.", ndigits);
		return false;
	}
	*result = adcode_pad_digits(digits);
	/* a 12-digit code of 10 or 11 significant digits starts with 0 */
	if (*result < 0 || *result / ADCODE_PAD_PROVINCE < 10)
	{
		*detail = psprintf("Province prefix %02d does not exist.",
						   (int) (digits / (ndigits == 6 ? 10000 :
											ndigits == 9 ? 10000000 :
											INT64CONST(10000000000))));
		return false;
	}
	*detail = adcode_structure_error(*result);
	return *detail == NULL;
}

Datum
adcode_in(PG_FUNCTION_ARGS)
{
	char	   *str = PG_GETARG_CSTRING(0);
	Adcode		result;
	char	   *detail;

	if (!adcode_parse(str, &result, &detail))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_TEXT_REPRESENTATION),
				 errmsg("invalid input syntax for type adcode: \"%s\"", hs_excerpt_cstring(str)),
				 errdetail_internal("%s", detail)));
	PG_RETURN_ADCODE(result);
}

Datum
adcode_out(PG_FUNCTION_ARGS)
{
	Adcode		a = PG_GETARG_ADCODE(0);
	int			width = adcode_level_of(a) == ADCODE_VILLAGE ? 12 :
		adcode_level_of(a) == ADCODE_TOWNSHIP ? 9 : 6;

	PG_RETURN_CSTRING(psprintf("%0*lld", width, (long long) adcode_to_digits(a)));
}

/* binary form: the code's own digits as an int8, validated on receipt */
Datum
adcode_recv(PG_FUNCTION_ARGS)
{
	StringInfo	buf = (StringInfo) PG_GETARG_POINTER(0);
	int64		digits = pq_getmsgint64(buf);

	PG_RETURN_ADCODE(adcode_checked(digits,
									ERRCODE_INVALID_BINARY_REPRESENTATION,
									ERRCODE_INVALID_BINARY_REPRESENTATION));
}

Datum
adcode_send(PG_FUNCTION_ARGS)
{
	Adcode		a = PG_GETARG_ADCODE(0);
	StringInfoData buf;

	pq_begintypsend(&buf);
	pq_sendint64(&buf, adcode_to_digits(a));
	PG_RETURN_BYTEA_P(pq_endtypsend(&buf));
}

Datum
adcode_from_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_ADCODE(adcode_checked(PG_GETARG_INT64(0),
									ERRCODE_NUMERIC_VALUE_OUT_OF_RANGE,
									ERRCODE_INVALID_PARAMETER_VALUE));
}

Datum
adcode_to_int8(PG_FUNCTION_ARGS)
{
	PG_RETURN_INT64(adcode_to_digits(PG_GETARG_ADCODE(0)));
}

Datum
adcode_level(PG_FUNCTION_ARGS)
{
	PG_RETURN_TEXT_P(cstring_to_text(level_names[adcode_level_of(PG_GETARG_ADCODE(0))]));
}

/*
 * The code truncated to the given level, or NULL when the code is above it.
 */
static Datum
adcode_truncate(FunctionCallInfo fcinfo, AdcodeLevel level)
{
	Adcode		a = PG_GETARG_ADCODE(0);

	if (adcode_level_of(a) < level)
		PG_RETURN_NULL();
	PG_RETURN_ADCODE(a - a % level_modulus[level]);
}

/*
 * Parent: village -> township -> county -> city -> province -> NULL.  The
 * parent of a township of a city without counties is the city.
 */
Datum
adcode_parent(PG_FUNCTION_ARGS)
{
	Adcode		a = PG_GETARG_ADCODE(0);
	AdcodeLevel level = adcode_level_of(a);

	if (level == ADCODE_PROVINCE)
		PG_RETURN_NULL();
	if (level == ADCODE_TOWNSHIP)
		PG_RETURN_ADCODE(a - a % ADCODE_PAD_COUNTY);
	PG_RETURN_ADCODE(a - a % level_modulus[level - 1]);
}

Datum
adcode_province(PG_FUNCTION_ARGS)
{
	return adcode_truncate(fcinfo, ADCODE_PROVINCE);
}

Datum
adcode_city(PG_FUNCTION_ARGS)
{
	return adcode_truncate(fcinfo, ADCODE_CITY);
}

/* the township of a township or village code (division changes, 12_division_change.sql) */
Datum
adcode_township(PG_FUNCTION_ARGS)
{
	return adcode_truncate(fcinfo, ADCODE_TOWNSHIP);
}

Datum
adcode_county(PG_FUNCTION_ARGS)
{
	Adcode		county = adcode_county_of(PG_GETARG_ADCODE(0));

	if (county < 0)
		PG_RETURN_NULL();
	PG_RETURN_ADCODE(county);
}

/* a @> b: b is a or lies inside a */
static inline bool
adcode_contains_internal(Adcode a, Adcode b)
{
	int64		m = level_modulus[adcode_level_of(a)];

	return b - b % m == a;
}

Datum
adcode_contains(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(adcode_contains_internal(PG_GETARG_ADCODE(0),
											PG_GETARG_ADCODE(1)));
}

Datum
adcode_contained(PG_FUNCTION_ARGS)
{
	PG_RETURN_BOOL(adcode_contains_internal(PG_GETARG_ADCODE(1),
											PG_GETARG_ADCODE(0)));
}

/*
 * adcode_division_file(path text) returns setof (code adcode, name text)
 *
 * Reads the division dictionary: one "code<TAB>name" line per division.  A
 * relative path is taken relative to the installation's share/extension
 * directory, which is where the extension's data file lives.
 */
Datum
adcode_division_file(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *name = text_to_cstring(PG_GETARG_TEXT_PP(0));
	char		sharepath[MAXPGPATH];
	char	   *path;
	FILE	   *file;
	StringInfoData line;
	int			lineno = 0;

	InitMaterializedSRF(fcinfo, 0);

	if (strchr(name, '/') != NULL || strstr(name, "..") != NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("division file name \"%s\" must not contain a path", hs_excerpt_cstring(name))));
	get_share_path(my_exec_path, sharepath);
	path = psprintf("%s/extension/%s", sharepath, name);

	file = AllocateFile(path, "r");
	if (file == NULL)
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not open division file \"%s\": %m", hs_excerpt_cstring(name)),
				 errhint("Division files are read from the extension directory of the server's share directory.")));

	initStringInfo(&line);
	while (pg_get_line_buf(file, &line))
	{
		char	   *tab;
		char	   *detail;
		Adcode		code;
		Datum		values[2];
		bool		nulls[2] = {false, false};

		CHECK_FOR_INTERRUPTS();
		lineno++;
		pg_strip_crlf(line.data);
		if (line.data[0] == '\0' || line.data[0] == '#')
			continue;
		tab = strchr(line.data, '\t');
		if (tab == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("division file \"%s\" line %d has no tab", hs_excerpt_cstring(name), lineno)));
		*tab = '\0';
		if (!adcode_parse(line.data, &code, &detail))
			ereport(ERROR,
					(errcode(ERRCODE_DATA_CORRUPTED),
					 errmsg("division file \"%s\" line %d has an invalid code \"%s\"",
							hs_excerpt_cstring(name), lineno, hs_excerpt_cstring(line.data)),
					 errdetail_internal("%s", detail)));
		values[0] = AdcodeGetDatum(code);
		values[1] = CStringGetTextDatum(tab + 1);
		tuplestore_putvalues(rsinfo->setResult, rsinfo->setDesc, values, nulls);
	}
	if (ferror(file))
		ereport(ERROR,
				(errcode_for_file_access(),
				 errmsg("could not read division file \"%s\": %m", hs_excerpt_cstring(name))));
	FreeFile(file);
	return (Datum) 0;
}
