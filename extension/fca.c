/*-------------------------------------------------------------------------
 *
 * fca.c
 *	  The two-step floating catchment area family (2SFCA, E2SFCA with a
 *	  decay, 3SFCA): the aggregate fca_demand (state: a facility_set of kind
 *	  FS_DEMAND, updated in place; final: FS_RATIO with R_j = S_j / demand_j)
 *	  and fca_access.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <math.h>

#include "utils/memutils.h"

#include "aggstate.h"
#include "common.h"
#include "facility_set.h"

PG_FUNCTION_INFO_V1(fca_demand_accum);
PG_FUNCTION_INFO_V1(fca_demand_combine);
PG_FUNCTION_INFO_V1(fca_demand_final);
PG_FUNCTION_INFO_V1(fca_access);

/* ------------------------------------------------------------------------
 * 2SFCA family
 * ------------------------------------------------------------------------
 */

/*
 * Weights of the facilities reached from (latr, lonr), into ix->cand_w;
 * returns their sum (the 3SFCA selection denominator).  With the binary
 * decay every weight is 1 and cand_w is left alone: the callers use 1.
 */
static double
fca_weights(FsIndex *ix, MemoryContext cxt, double latr, double lonr, double d0,
			const Decay *dc)
{
	int			c,
				nc;
	double		sum = 0;

	/* binary: every facility reached weighs 1, its distance is not needed */
	if (dc->kind == DECAY_BINARY)
		return (double) fs_reach(ix, cxt, latr, lonr, d0, 0, false);
	nc = fs_within(ix, cxt, latr, lonr, d0, 0);
	for (c = 0; c < nc; c++)
	{
		ix->cand_w[c] = decay_weight(dc, ix->cand_d[c], d0);
		sum += ix->cand_w[c];
	}
	return sum;
}

/*
 * fca_demand transition: state and result are facility_set values; the
 * state (FS_DEMAND) is updated in place in the aggregate context.
 */
Datum
fca_demand_accum(PG_FUNCTION_ARGS)
{
	FacilitySet *st;
	FsArrays	sa;
	FsIndex    *ix;
	double		lon,
				lat,
				pop,
				d0,
				wsum;
	int			method = FCA_2SFCA;
	int			c;
	Decay	   *dc;

	(void) hs_aggregate_context(fcinfo, "fca_demand_accum");
	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1) || PG_ARGISNULL(2) || PG_ARGISNULL(3) ||
					   PG_ARGISNULL(4) || PG_ARGISNULL(5) ||
					   (PG_NARGS() > 6 && PG_ARGISNULL(6)) ||
					   (PG_NARGS() > 7 && PG_ARGISNULL(7)));
	lon = PG_GETARG_FLOAT8(2);
	lat = PG_GETARG_FLOAT8(3);
	pop = PG_GETARG_FLOAT8(4);
	d0 = PG_GETARG_FLOAT8(5);
	hs_check_coordinate(lon, lat);
	check_amount(pop, "population");
	check_d0(d0, "d0");

	ix = fs_get_index(fcinfo, 1);
	/* decay and method: parsed once, re-checked by bytes */
	{
		text	   *dt = PG_NARGS() > 6 ? PG_GETARG_TEXT_PP(6) : NULL;
		const char *ds = dt ? VARDATA_ANY(dt) : "binary";
		int			dl = dt ? VARSIZE_ANY_EXHDR(dt) : 6;

		if (ix->decay_text == NULL || ix->decay_textlen != dl ||
			memcmp(ix->decay_text, ds, dl) != 0)
		{
			parse_decay(ds, dl, &ix->arg_decay);
			ix->checked_state = NULL;
			if (ix->decay_text)
				pfree(ix->decay_text);
			ix->decay_text = MemoryContextAlloc(fcinfo->flinfo->fn_mcxt, Max(dl, 1));
			memcpy(ix->decay_text, ds, dl);
			ix->decay_textlen = dl;
		}
		dc = &ix->arg_decay;
		if (PG_NARGS() > 7)
		{
			text	   *mt = PG_GETARG_TEXT_PP(7);
			const char *ms = VARDATA_ANY(mt);
			int			ml = VARSIZE_ANY_EXHDR(mt);

			/* the usual spellings without parse_method's copy */
			if (ml == 5 && memcmp(ms, "2sfca", 5) == 0)
				method = FCA_2SFCA;
			else if (ml == 5 && memcmp(ms, "3sfca", 5) == 0)
				method = FCA_3SFCA;
			else
				method = parse_method(ms, ml);
		}
	}

	if (PG_ARGISNULL(0))
	{
		/* a fresh state: the facilities of the argument, zero demand */
		Size		size = fs_size(ix->n, dc->nsteps, FS_DEMAND);
		FsArrays	ia = ix->a;
		int			n = ix->n;

		hs_check_alloc_size(size, "fca_demand state");
		/* the executor copies a new state into the aggregate context */
		st = (FacilitySet *) palloc0(size);
		SET_VARSIZE(st, size);
		st->version = FS_VERSION;
		st->kind = FS_DEMAND;
		st->method = method;
		st->decay = dc->kind;
		st->nfac = n;
		st->nsteps = dc->nsteps;
		st->d0 = d0;
		st->beta = dc->beta;
		st->dmin = dc->dmin;
		fs_arrays(st, &sa);
		memcpy(sa.step_d, dc->step_d, dc->nsteps * sizeof(double));
		memcpy(sa.step_w, dc->step_w, dc->nsteps * sizeof(double));
		memcpy(sa.id, ia.id, n * sizeof(int64));
		memcpy(sa.lon, ia.lon, n * sizeof(double));
		memcpy(sa.lat, ia.lat, n * sizeof(double));
		memcpy(sa.supply, ia.supply, n * sizeof(double));
		memcpy(sa.split, ia.split, n);
		st->hash = ix->fac_hash;
	}
	else if ((Pointer) (st = (FacilitySet *) PG_GETARG_POINTER(0)) == ix->checked_state &&
			 d0 == ix->checked_d0 && method == ix->checked_method)
	{
		/* updated in place since it was checked: only the values changed */
		fs_arrays(st, &sa);
	}
	else
	{
		Decay		sd;

		fs_arrays(st, &sa);
		if (st->hash != ix->fac_hash || st->nfac != ix->n)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fca_demand needs the same facility_set in every row of a group")));
		fs_decay(st, &sa, &sd);
		if (st->d0 != d0 || st->method != method || !decay_equal(&sd, dc))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("fca_demand parameters differ between rows of a group (d0 %g, method %s, then d0 %g, method %s)",
							st->d0, method_name(st->method), d0, method_name(method))));
		ix->checked_state = (Pointer) st;
		ix->checked_d0 = d0;
		ix->checked_method = method;
	}

	if (pop > 0 && ix->n > 0)
	{
		wsum = fca_weights(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, d0, dc);
		if (wsum > 0)
		{
			for (c = 0; c < ix->ncand; c++)
			{
				double		w = dc->kind == DECAY_BINARY ? 1.0 : ix->cand_w[c];

				if (method == FCA_3SFCA)
					w = w * (w / wsum);
				sa.value[ix->cand[c]] += w * pop;
			}
		}
	}
	PG_RETURN_POINTER(st);
}

Datum
fca_demand_combine(PG_FUNCTION_ARGS)
{
	MemoryContext aggcxt;
	FacilitySet *a,
			   *b;
	FsArrays	aa,
				ba;
	Decay		ad,
				bd;
	int			i;

	if (!AggCheckCallContext(fcinfo, &aggcxt))
		aggcxt = NULL;
	HS_AGG_SKIP_ROW_IF(PG_ARGISNULL(1));
	b = fs_arg(fcinfo, 1);
	if (b->kind != FS_DEMAND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_demand_combine needs partial fca_demand states")));
	if (PG_ARGISNULL(0))
		PG_RETURN_POINTER(b);
	if (aggcxt != NULL)
		a = (FacilitySet *) PG_DETOAST_DATUM(PG_GETARG_DATUM(0));
	else
		a = (FacilitySet *) PG_DETOAST_DATUM_COPY(PG_GETARG_DATUM(0));
	fs_check_header(a);
	fs_arrays(a, &aa);
	fs_arrays(b, &ba);
	fs_decay(a, &aa, &ad);
	fs_decay(b, &ba, &bd);
	if (a->kind != FS_DEMAND || a->hash != b->hash || a->nfac != b->nfac ||
		memcmp(aa.id, ba.id, a->nfac * sizeof(int64)) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge fca_demand states over different facility sets")));
	if (a->d0 != b->d0 || a->method != b->method || !decay_equal(&ad, &bd))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("cannot merge fca_demand states with different parameters (d0 %g, method %s and d0 %g, method %s)",
						a->d0, method_name(a->method), b->d0, method_name(b->method))));
	for (i = 0; i < a->nfac; i++)
		aa.value[i] += ba.value[i];
	PG_RETURN_POINTER(a);
}

/* R_j = S_j / demand_j, 0 where nobody with population reaches j */
Datum
fca_demand_final(PG_FUNCTION_ARGS)
{
	FacilitySet *st,
			   *out;
	FsArrays	oa;
	int			i;

	if (PG_ARGISNULL(0))
		PG_RETURN_NULL();
	st = fs_arg(fcinfo, 0);
	if (st->kind != FS_DEMAND)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_demand_final needs an fca_demand state")));
	out = (FacilitySet *) palloc(VARSIZE(st));
	memcpy(out, st, VARSIZE(st));
	out->kind = FS_RATIO;
	fs_arrays(out, &oa);
	for (i = 0; i < out->nfac; i++)
		oa.value[i] = oa.value[i] > 0 ? oa.supply[i] / oa.value[i] : 0.0;
	fs_seal(out);
	PG_RETURN_POINTER(out);
}

Datum
fca_access(PG_FUNCTION_ARGS)
{
	double		lon = PG_GETARG_FLOAT8(1);
	double		lat = PG_GETARG_FLOAT8(2);
	FsIndex    *ix;
	FacilitySet *fs;
	double		wsum,
				acc = 0;
	int			c;

	hs_check_coordinate(lon, lat);
	ix = fs_get_index(fcinfo, 0);
	fs = ix->fs;
	if (fs->kind != FS_RATIO)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("fca_access needs the result of fca_demand"),
				 errdetail("This facility_set carries no supply-to-demand ratios.")));
	if (ix->n == 0)
		PG_RETURN_NULL();
	wsum = fca_weights(ix, fcinfo->flinfo->fn_mcxt, lat * DEG2RAD, lon * DEG2RAD, fs->d0, &ix->decay);
	if (wsum > 0)
	{
		for (c = 0; c < ix->ncand; c++)
		{
			double		w = ix->decay.kind == DECAY_BINARY ? 1.0 : ix->cand_w[c];

			if (fs->method == FCA_3SFCA)
				w = w * (w / wsum);
			acc += w * ix->a.value[ix->cand[c]];
		}
	}
	PG_RETURN_FLOAT8(acc);
}

