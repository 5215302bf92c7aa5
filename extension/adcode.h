/*-------------------------------------------------------------------------
 *
 * adcode.h
 *	  The adcode type: a Chinese administrative division code (GB/T 2260 and
 *	  the statistical division codes of the National Bureau of Statistics).
 *
 *	  An adcode is stored by value in an int64 as the code padded to twelve
 *	  digits (330521 -> 330521000000, 330521100 -> 330521100000).  Integer
 *	  order of the padded value is the hierarchical order of the codes, and
 *	  the level is read off the trailing zero groups:
 *
 *		pp cc dd ttt vvv	province, city, county, township, village
 *
 *	  This header is the public face of the family for other families.
 *
 *-------------------------------------------------------------------------
 */
#ifndef HS_ADCODE_H
#define HS_ADCODE_H

#include "postgres.h"

#include "fmgr.h"

typedef int64 Adcode;

#define DatumGetAdcode(X)		DatumGetInt64(X)
#define AdcodeGetDatum(X)		Int64GetDatum(X)
#define PG_GETARG_ADCODE(n)		DatumGetAdcode(PG_GETARG_DATUM(n))
#define PG_RETURN_ADCODE(x)		return AdcodeGetDatum(x)

typedef enum AdcodeLevel
{
	ADCODE_PROVINCE = 0,
	ADCODE_CITY,
	ADCODE_COUNTY,
	ADCODE_TOWNSHIP,
	ADCODE_VILLAGE
} AdcodeLevel;

#define ADCODE_PAD_PROVINCE		INT64CONST(10000000000)
#define ADCODE_PAD_CITY			INT64CONST(100000000)
#define ADCODE_PAD_COUNTY		INT64CONST(1000000)
#define ADCODE_PAD_TOWNSHIP		INT64CONST(1000)

static inline AdcodeLevel
adcode_level_of(Adcode a)
{
	if (a % ADCODE_PAD_TOWNSHIP != 0)
		return ADCODE_VILLAGE;
	if (a % ADCODE_PAD_COUNTY != 0)
		return ADCODE_TOWNSHIP;
	if (a % ADCODE_PAD_CITY != 0)
		return ADCODE_COUNTY;
	if (a % ADCODE_PAD_PROVINCE != 0)
		return ADCODE_CITY;
	return ADCODE_PROVINCE;
}

/*
 * The county an adcode lies in, as a padded adcode, or -1 when the code is a
 * province or a city and so names no county.  Townships of cities without
 * counties (Dongguan 441900, Zhongshan 442000, Danzhou 460400) belong to the city code,
 * which then stands for the county.
 */
static inline Adcode
adcode_county_of(Adcode a)
{
	Adcode		county = a - a % ADCODE_PAD_COUNTY;

	if (county != a || a % ADCODE_PAD_CITY != 0)
		return county;
	return -1;
}

/* the code's own digits (330521, 330521100) as an int8 */
extern int64 adcode_to_digits(Adcode a);

#endif							/* HS_ADCODE_H */
