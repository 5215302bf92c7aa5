/*-------------------------------------------------------------------------
 *
 * publish.c
 *	  Keyed random rounding of published counts (docs/publishing.md).
 *
 * publish_round(n, base, seed, VARIADIC cell int8[]) rounds the count n to
 * a multiple of base: down to q * base or up to (q + 1) * base, where
 * n = q * base + r, up with probability r / base, so the rounding is
 * unbiased.  The draw is not random at each call: it is the first 53 bits
 * of SHA-256(seed, cell), the cell key, so the same cell rounds the same
 * way in every query, table and session (a reader cannot average repeated
 * draws), and a reader without the model's secret seed cannot predict it.
 * The cell is a list of integers (division codes, months as integers,
 * category numbers): integers print the same under every DateStyle and
 * locale, so nothing a reader sets changes the key.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_type.h"
#include "common/cryptohash.h"
#include "common/sha2.h"
#include "port/pg_bswap.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "common.h"

PG_FUNCTION_INFO_V1(publish_round);

/* the largest rounding base (model_config.min_cell allows 1 .. 1000) */
#define PUBLISH_MAX_BASE 1000

/*
 * The cell key: 53 bits of SHA-256 over the seed's length and bytes, then
 * each integer of the cell in network byte order (fixed width, so no two
 * different cells hash the same input).
 */
static uint64
publish_cell_key(bytea *seed, ArrayType *cell)
{
	pg_cryptohash_ctx *ctx;
	uint8		digest[PG_SHA256_DIGEST_LENGTH];
	uint32		seedlen = VARSIZE_ANY_EXHDR(seed);
	uint32		netlen = pg_hton32(seedlen);
	Datum	   *values;
	bool	   *nulls;
	int			n;
	uint64		key = 0;

	deconstruct_array(cell, INT8OID, sizeof(int64), FLOAT8PASSBYVAL, TYPALIGN_DOUBLE,
					  &values, &nulls, &n);

	ctx = pg_cryptohash_create(PG_SHA256);
	if (pg_cryptohash_init(ctx) < 0 ||
		pg_cryptohash_update(ctx, (uint8 *) &netlen, sizeof(netlen)) < 0 ||
		pg_cryptohash_update(ctx, (uint8 *) VARDATA_ANY(seed), seedlen) < 0)
		elog(ERROR, "could not compute the cell key: %s", pg_cryptohash_error(ctx));
	for (int i = 0; i < n; i++)
	{
		uint64		v;

		if (nulls[i])
			ereport(ERROR,
					(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
					 errmsg("publish_round: element %d of the cell is NULL", i + 1),
					 errhint("Key a cell by integers that are never NULL (e.g. 0 for none).")));
		v = pg_hton64((uint64) DatumGetInt64(values[i]));
		if (pg_cryptohash_update(ctx, (uint8 *) &v, sizeof(v)) < 0)
			elog(ERROR, "could not compute the cell key: %s", pg_cryptohash_error(ctx));
	}
	if (pg_cryptohash_final(ctx, digest, sizeof(digest)) < 0)
		elog(ERROR, "could not compute the cell key: %s", pg_cryptohash_error(ctx));
	pg_cryptohash_free(ctx);

	for (int i = 0; i < 8; i++)
		key = (key << 8) | digest[i];
	return key >> 11;			/* 53 bits */
}

/*
 * publish_round(n int8, base int4, seed bytea, VARIADIC cell int8[]) int8
 */
Datum
publish_round(PG_FUNCTION_ARGS)
{
	int64		n = PG_GETARG_INT64(0);
	int32		base = PG_GETARG_INT32(1);
	bytea	   *seed = PG_GETARG_BYTEA_PP(2);
	ArrayType  *cell = PG_GETARG_ARRAYTYPE_P(3);
	int64		r;
	uint64		key;

	if (n < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("publish_round: count " INT64_FORMAT " is negative", n)));
	if (base < 1 || base > PUBLISH_MAX_BASE)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("publish_round: rounding base %d is outside 1 .. %d", base, PUBLISH_MAX_BASE)));
	if (VARSIZE_ANY_EXHDR(seed) < 16)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("publish_round: the seed has %d bytes, fewer than 16",
						(int) VARSIZE_ANY_EXHDR(seed)),
				 errhint("A model's seed is 32 random bytes (publish_key.seed).")));
	if (ARR_NDIM(cell) > 1)
		ereport(ERROR,
				(errcode(ERRCODE_ARRAY_SUBSCRIPT_ERROR),
				 errmsg("publish_round: the cell must be a one-dimensional array")));

	r = n % base;
	if (r == 0)
		PG_RETURN_INT64(n);
	key = publish_cell_key(seed, cell);

	/*
	 * Up when key / 2^53 < r / base, compared exactly: key * base < r * 2^53
	 * (key < 2^53 and base <= 1000 < 2^10: both sides fit in 64 bits).
	 */
	if (key * (uint64) base < (uint64) r << 53)
		PG_RETURN_INT64(hs_add_int64(n - r, base, "published count"));
	PG_RETURN_INT64(n - r);
}
