/*-------------------------------------------------------------------------
 *
 * load.c
 *	  Fast COPY into the model's fact tables: model_collect() records which
 *	  (month, key) pairs a statement touched, model_collected() hands them to
 *	  a PL/pgSQL function of the model at the end of the statement.
 *
 *	  Why not a foreign key or a statement trigger with transition tables?
 *	  A foreign key checks every row on its own, far too slowly for loads of
 *	  millions of rows.  Transition tables on a partitioned table make
 *	  PostgreSQL 15's COPY give up its multi-insert path and copy every row
 *	  into a tuplestore.  Instead a table gets
 *
 *	  - AFTER ... FOR EACH ROW triggers whose WHEN clause calls
 *		model_collect(table, day, key [, key2]).  It records the pairs
 *		(table, first day of the month of day, key) in backend memory and
 *		returns false, so no trigger event is ever queued and COPY keeps
 *		its multi-insert path.  A WHEN clause is the cheapest place
 *		PostgreSQL calls a function once per row.
 *
 *	  - an AFTER ... FOR EACH STATEMENT trigger model_collected('fn').  It
 *		takes the recorded pairs of its table out of the set and calls
 *		fn(months date[], keys integer[]) of the table's schema with the
 *		distinct months and the distinct keys, both sorted, so fn can check
 *		and mark set-wise (facility ids that exist, months that changed).
 *		fn is found by catalog lookup (schema of the table, exact argument
 *		types), never through search_path, and runs with the rights of the
 *		user whose statement fired the trigger.  On a partition, the trigger
 *		takes the pairs recorded for the root of its partition tree (the
 *		table the WHEN clauses name), so a statement that names a partition
 *		directly is checked too.
 *
 *	  The set is a dynahash in TopTransactionContext, so it holds at most
 *	  months x keys entries (keys are facility ids), whatever the number of
 *	  rows.  A transaction callback forgets it at transaction end.
 *
 *	  Subtransactions.  Each entry remembers the smallest SubTransactionId
 *	  that recorded it.  Subtransaction ids grow, and when a subtransaction
 *	  aborts every subtransaction started after it and still known is its
 *	  descendant (a sibling started later would have required it to end
 *	  first), so on abort of subtransaction S every entry whose id is >= S
 *	  goes: exactly the entries recorded only by the aborted work.  A
 *	  committed subtransaction hands its entries to its parent without
 *	  change: the parent's own abort removes them by the same rule.
 *	  The reverse case: a statement trigger in subtransaction S may consume
 *	  entries recorded outside S (e.g. pending entries of an earlier
 *	  statement that named a partition without a statement trigger of its
 *	  own).  If S aborts, the
 *	  call that consumed them is undone too, so those entries are saved in
 *	  an undo list at consumption and become pending again on abort of S
 *	  (or of any ancestor of S that still postdates their recording).
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/objectaccess.h"
#include "catalog/partition.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/trigger.h"
#include "lib/qunique.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/date.h"
#include "utils/datetime.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/syscache.h"

#include "common.h"

PG_FUNCTION_INFO_V1(hs_model_collect);
PG_FUNCTION_INFO_V1(hs_model_collected);

/* One recorded pair of a table; 12 bytes without padding (HASH_BLOBS). */
typedef struct CollectKey
{
	Oid			rel;			/* the table named in model_collect() */
	DateADT		month;			/* first day of the month, or +-infinity */
	int32		key;			/* e.g. a facility id */
} CollectKey;

typedef struct CollectEntry
{
	CollectKey	key;			/* hash key: must be first */
	SubTransactionId subxid;	/* smallest subtransaction that recorded it */
} CollectEntry;

/*
 * An entry a statement trigger in subtransaction "consumed" took out of the
 * set although an older subtransaction "subxid" had recorded it.
 */
typedef struct CollectUndo
{
	CollectKey	key;
	SubTransactionId subxid;
	SubTransactionId consumed;
} CollectUndo;

/* The set of the current transaction, or NULL; in TopTransactionContext. */
static HTAB *collect_set = NULL;

/* The entry of the previous model_collect() call, or NULL. */
static CollectEntry *collect_last = NULL;

/* The month of the previous day model_collect() saw. */
static bool collect_day_valid = false;
static DateADT collect_last_day;
static DateADT collect_last_month;

/* The undo list (TopTransactionContext), its length and allocated size. */
static CollectUndo *collect_undo = NULL;
static int	collect_undo_len = 0;
static int	collect_undo_size = 0;

static bool collect_callbacks_registered = false;

/*
 * Forget the set at the end of the transaction: its memory goes with
 * TopTransactionContext.
 */
static void
collect_xact_callback(XactEvent event, void *arg)
{
	switch (event)
	{
		case XACT_EVENT_COMMIT:
		case XACT_EVENT_PARALLEL_COMMIT:
		case XACT_EVENT_ABORT:
		case XACT_EVENT_PARALLEL_ABORT:
		case XACT_EVENT_PREPARE:
			collect_set = NULL;
			collect_last = NULL;
			collect_undo = NULL;
			collect_undo_len = 0;
			collect_undo_size = 0;
			break;
		default:
			break;
	}
}

/*
 * Record "key" with subtransaction "subxid", keeping the smallest id when
 * the pair is already there.  Returns the entry.
 */
static CollectEntry *
collect_enter(const CollectKey *key, SubTransactionId subxid)
{
	CollectEntry *entry;
	bool		found;

	entry = (CollectEntry *) hash_search(collect_set, key, HASH_ENTER, &found);
	if (!found || subxid < entry->subxid)
		entry->subxid = subxid;
	return entry;
}

/*
 * On abort of subtransaction "subxid": remove what it and its descendants
 * recorded, and make pending again what they consumed of older entries.
 */
static void
collect_subxact_callback(SubXactEvent event, SubTransactionId mySubid,
						 SubTransactionId parentSubid, void *arg)
{
	HASH_SEQ_STATUS status;
	CollectEntry *entry;
	int			i,
				kept;

	if (event != SUBXACT_EVENT_ABORT_SUB || collect_set == NULL)
		return;

	collect_last = NULL;
	hash_seq_init(&status, collect_set);
	while ((entry = (CollectEntry *) hash_seq_search(&status)) != NULL)
	{
		if (entry->subxid >= mySubid)
			hash_search(collect_set, &entry->key, HASH_REMOVE, NULL);
	}

	kept = 0;
	for (i = 0; i < collect_undo_len; i++)
	{
		CollectUndo *undo = &collect_undo[i];

		if (undo->consumed < mySubid)
			collect_undo[kept++] = *undo;
		else if (undo->subxid < mySubid)
			(void) collect_enter(&undo->key, undo->subxid);
	}
	collect_undo_len = kept;
}

static void
collect_register_callbacks(void)
{
	if (collect_callbacks_registered)
		return;
	RegisterXactCallback(collect_xact_callback, NULL);
	RegisterSubXactCallback(collect_subxact_callback, NULL);
	collect_callbacks_registered = true;
}

/*
 * The first day of the month of "day"; +-infinity stay themselves.  The
 * month of the earliest valid dates (November 4714 BC) starts before the
 * first valid date: it is represented by that first valid date.
 */
static DateADT
collect_month_of(DateADT day)
{
	int			year,
				month,
				mday;
	DateADT		first;

	if (DATE_NOT_FINITE(day))
		return day;
	if (!IS_VALID_DATE(day))
		ereport(ERROR,
				(errcode(ERRCODE_DATETIME_VALUE_OUT_OF_RANGE),
				 errmsg("date out of range")));
	/* valid dates lie between Julian days 0 and DATE_END_JULIAN: no overflow */
	j2date(day + POSTGRES_EPOCH_JDATE, &year, &month, &mday);
	first = day - (mday - 1);
	if (!IS_VALID_DATE(first))
		first = DATETIME_MIN_JULIAN - POSTGRES_EPOCH_JDATE;
	return first;
}

/*
 * Record (rel, month, key) for the current subtransaction.
 */
static void
collect_record(Oid rel, DateADT month, int32 key, SubTransactionId subxid)
{
	CollectKey	k;

	/* same pair as the previous call: only the subtransaction may change */
	if (collect_last != NULL &&
		collect_last->key.key == key &&
		collect_last->key.month == month &&
		collect_last->key.rel == rel)
	{
		if (subxid < collect_last->subxid)
			collect_last->subxid = subxid;
		return;
	}

	k.rel = rel;
	k.month = month;
	k.key = key;
	collect_last = collect_enter(&k, subxid);
}

/*
 * model_collect(rel regclass, day date, a integer, b integer DEFAULT NULL)
 * RETURNS boolean: records (rel, month of day, a) and (rel, month of day, b)
 * for the statement trigger model_collected() of rel.  A NULL day records
 * nothing, a NULL key is skipped.  Always false, so that the WHEN clause it
 * sits in never queues a trigger event.
 */
Datum
hs_model_collect(PG_FUNCTION_ARGS)
{
	Oid			rel;
	DateADT		day;
	DateADT		month;
	SubTransactionId subxid;

	if (PG_ARGISNULL(0) || PG_ARGISNULL(1))
		PG_RETURN_BOOL(false);
	rel = PG_GETARG_OID(0);
	day = PG_GETARG_DATEADT(1);

	if (collect_day_valid && day == collect_last_day)
		month = collect_last_month;
	else
	{
		month = collect_month_of(day);
		collect_last_day = day;
		collect_last_month = month;
		collect_day_valid = true;
	}

	if (collect_set == NULL)
	{
		HASHCTL		ctl;

		collect_register_callbacks();
		ctl.keysize = sizeof(CollectKey);
		ctl.entrysize = sizeof(CollectEntry);
		ctl.hcxt = TopTransactionContext;
		collect_set = hash_create("health_share model_collect set", 256, &ctl,
								  HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
		collect_last = NULL;
	}

	subxid = GetCurrentSubTransactionId();
	if (!PG_ARGISNULL(2))
		collect_record(rel, month, PG_GETARG_INT32(2), subxid);
	if (PG_NARGS() > 3 && !PG_ARGISNULL(3))
		collect_record(rel, month, PG_GETARG_INT32(3), subxid);

	PG_RETURN_BOOL(false);
}

static int
collect_cmp_int32(const void *a, const void *b)
{
	int32		x = DatumGetInt32(*(const Datum *) a);
	int32		y = DatumGetInt32(*(const Datum *) b);

	return (x > y) - (x < y);
}

/*
 * Save an entry consumed in subtransaction "consumed" that an older
 * subtransaction recorded.
 */
static void
collect_save_undo(const CollectEntry *entry, SubTransactionId consumed)
{
	CollectUndo *undo;

	if (collect_undo_len >= collect_undo_size)
	{
		int			newsize = collect_undo_size == 0 ? 64 : collect_undo_size * 2;

		hs_check_alloc_size(mul_size(newsize, sizeof(CollectUndo)),
							"the undo list of model_collect");
		if (collect_undo == NULL)
			collect_undo = MemoryContextAlloc(TopTransactionContext,
											  newsize * sizeof(CollectUndo));
		else
			collect_undo = repalloc(collect_undo, newsize * sizeof(CollectUndo));
		collect_undo_size = newsize;
	}
	undo = &collect_undo[collect_undo_len++];
	undo->key = entry->key;
	undo->subxid = entry->subxid;
	undo->consumed = consumed;
}

/*
 * Take the entries of "rel" out of the set: their distinct months and keys,
 * sorted, into *months / *keys (palloc'd Datum arrays).  Returns false when
 * there were none.
 */
static bool
collect_take(Oid rel, Datum **months, int *nmonths, Datum **keys, int *nkeys)
{
	HASH_SEQ_STATUS status;
	CollectEntry *entry;
	SubTransactionId subxid = GetCurrentSubTransactionId();
	long		total;
	Datum	   *m;
	Datum	   *k;
	int			n = 0;

	if (collect_set == NULL || (total = hash_get_num_entries(collect_set)) == 0)
		return false;

	hs_check_alloc_size(mul_size((Size) total, sizeof(Datum)),
						"the array of model_collected");
	m = palloc(total * sizeof(Datum));
	k = palloc(total * sizeof(Datum));

	collect_last = NULL;
	hash_seq_init(&status, collect_set);
	while ((entry = (CollectEntry *) hash_seq_search(&status)) != NULL)
	{
		CHECK_FOR_INTERRUPTS();
		if (entry->key.rel != rel)
			continue;
		m[n] = DateADTGetDatum(entry->key.month);
		k[n] = Int32GetDatum(entry->key.key);
		n++;
		if (entry->subxid < subxid)
			collect_save_undo(entry, subxid);
		hash_search(collect_set, &entry->key, HASH_REMOVE, NULL);
	}

	if (n == 0)
	{
		pfree(m);
		pfree(k);
		return false;
	}

	/* DateADT orders -infinity < dates < infinity as plain int32 */
	qsort(m, n, sizeof(Datum), collect_cmp_int32);
	qsort(k, n, sizeof(Datum), collect_cmp_int32);
	*months = m;
	*nmonths = (int) qunique(m, n, sizeof(Datum), collect_cmp_int32);
	*keys = k;
	*nkeys = (int) qunique(k, n, sizeof(Datum), collect_cmp_int32);
	return true;
}

/*
 * The function "name"(date[], integer[]) of schema "nspid", checked for
 * EXECUTE by the current user.
 */
static Oid
collect_lookup_function(Oid nspid, const char *name)
{
	Oid			argtypes[2] = {DATEARRAYOID, INT4ARRAYOID};
	oidvector  *argvec = buildoidvector(argtypes, 2);
	NameData	fname;
	Oid			funcoid;
	char	   *nspname;
	AclResult	aclresult;

	namestrcpy(&fname, name);
	funcoid = GetSysCacheOid3(PROCNAMEARGSNSP, Anum_pg_proc_oid,
							  NameGetDatum(&fname),
							  PointerGetDatum(argvec),
							  ObjectIdGetDatum(nspid));
	if (!OidIsValid(funcoid))
	{
		nspname = get_namespace_name(nspid);
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_FUNCTION),
				 errmsg("function %s(date[], integer[]) does not exist",
						quote_qualified_identifier(nspname ? nspname : "?",
												   NameStr(fname))),
				 errhint("model_collected() calls the function named by its trigger argument in the schema of the trigger's table.")));
	}
	if (get_func_prokind(funcoid) != PROKIND_FUNCTION)
	{
		nspname = get_namespace_name(nspid);
		ereport(ERROR,
				(errcode(ERRCODE_WRONG_OBJECT_TYPE),
				 errmsg("%s(date[], integer[]) is not a function",
						quote_qualified_identifier(nspname ? nspname : "?",
												   NameStr(fname)))));
	}

#if PG_VERSION_NUM >= 160000
	aclresult = object_aclcheck(ProcedureRelationId, funcoid, GetUserId(), ACL_EXECUTE);
#else
	aclresult = pg_proc_aclcheck(funcoid, GetUserId(), ACL_EXECUTE);
#endif
	if (aclresult != ACLCHECK_OK)
		aclcheck_error(aclresult, OBJECT_FUNCTION, get_func_name(funcoid));
	InvokeFunctionExecuteHook(funcoid);
	return funcoid;
}

/*
 * The relation whose entries a statement trigger of rel takes: the root of
 * its partition tree (model_collect records rows under the table the WHEN
 * clause names, the partitioned parent, also when a statement writes into a
 * partition directly).
 */
static Oid
collect_root(Relation rel)
{
	if (rel->rd_rel->relispartition)
	{
		List	   *ancestors = get_partition_ancestors(RelationGetRelid(rel));

		if (ancestors != NIL)
			return llast_oid(ancestors);
	}
	return RelationGetRelid(rel);
}

/*
 * model_collected() RETURNS trigger.  AFTER ... FOR EACH STATEMENT with one
 * argument, a function name: hands the months and keys recorded for the
 * trigger's table to that function of the table's schema.  Without an
 * argument (an AFTER trigger that only carries a WHEN clause) it does
 * nothing.
 */
Datum
hs_model_collected(PG_FUNCTION_ARGS)
{
	TriggerData *trigdata = (TriggerData *) fcinfo->context;
	Relation	rel;
	Datum	   *months;
	Datum	   *keys;
	int			nmonths;
	int			nkeys;
	Oid			funcoid;
	FmgrInfo	flinfo;
	LOCAL_FCINFO(callinfo, 2);

	if (!CALLED_AS_TRIGGER(fcinfo))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("model_collected() must be called as a trigger")));
	if (!TRIGGER_FIRED_AFTER(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("model_collected() must be fired AFTER the event"),
				 errdetail("Trigger \"%s\" on table \"%s\" is not an AFTER trigger.",
						   trigdata->tg_trigger->tgname,
						   RelationGetRelationName(trigdata->tg_relation))));

	collect_register_callbacks();

	if (trigdata->tg_trigger->tgnargs == 0)
		return PointerGetDatum(NULL);
	if (trigdata->tg_trigger->tgnargs > 1)
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("model_collected() takes at most one trigger argument"),
				 errdetail("Trigger \"%s\" on table \"%s\" has %d arguments.",
						   trigdata->tg_trigger->tgname,
						   RelationGetRelationName(trigdata->tg_relation),
						   trigdata->tg_trigger->tgnargs)));
	if (!TRIGGER_FIRED_FOR_STATEMENT(trigdata->tg_event))
		ereport(ERROR,
				(errcode(ERRCODE_E_R_I_E_TRIGGER_PROTOCOL_VIOLATED),
				 errmsg("model_collected() with a function argument must be fired FOR EACH STATEMENT"),
				 errdetail("Trigger \"%s\" on table \"%s\" is a row trigger.",
						   trigdata->tg_trigger->tgname,
						   RelationGetRelationName(trigdata->tg_relation))));

	rel = trigdata->tg_relation;
	if (!collect_take(collect_root(rel), &months, &nmonths, &keys, &nkeys))
		return PointerGetDatum(NULL);

	funcoid = collect_lookup_function(RelationGetNamespace(rel),
									  trigdata->tg_trigger->tgargs[0]);

	fmgr_info(funcoid, &flinfo);
	InitFunctionCallInfoData(*callinfo, &flinfo, 2, InvalidOid, NULL, NULL);
	callinfo->args[0].value =
		PointerGetDatum(construct_array(months, nmonths, DATEOID,
										sizeof(DateADT), true, TYPALIGN_INT));
	callinfo->args[0].isnull = false;
	callinfo->args[1].value =
		PointerGetDatum(construct_array(keys, nkeys, INT4OID,
										sizeof(int32), true, TYPALIGN_INT));
	callinfo->args[1].isnull = false;
	pfree(months);
	pfree(keys);

	/* the model's functions return void: the result is not looked at */
	(void) FunctionCallInvoke(callinfo);

	return PointerGetDatum(NULL);
}
