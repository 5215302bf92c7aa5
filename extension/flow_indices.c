/*-------------------------------------------------------------------------
 *
 * flow_indices.c
 *	  The indicators of a flowmatrix by region: residents, served and
 *	  retained visits with the localization index (LI), LIFO and net
 *	  patient flow (flow_regions), and each origin's plurality destination
 *	  (flow_plurality).  flow_regions_compute is shared with flow_areas.c.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "funcapi.h"
#include "miscadmin.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "flow.h"

PG_FUNCTION_INFO_V1(flow_regions);
PG_FUNCTION_INFO_V1(flow_plurality);

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

void
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

Datum
flow_ratio_datum(int64 num, int64 den, bool *isnull)
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
		values[4] = flow_ratio_datum(r.retained[i], r.residents[i], &nulls[4]);
		values[5] = flow_ratio_datum(r.retained[i], r.served[i], &nulls[5]);
		values[6] = flow_ratio_datum(r.served[i], r.residents[i], &nulls[6]);
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

