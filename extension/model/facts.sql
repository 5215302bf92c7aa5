-------------------------------------------------------------------------------
-- model/facts.sql: the fact tables, partitioned by month, and their load path.
--
-- What is checked when (docs/model.md, "Loading"):
--  * per row, by CHECK constraints: kind, amounts, residence level;
--  * per statement, by model_collected: the facilities the rows name exist
--    (what a foreign key would check row by row), and the months the rows
--    fall in are recorded in dirty_month.  The row triggers only collect
--    (their WHEN clause is health_share.model_collect, which records the
--    row's month and facility ids and is always false), so COPY keeps its
--    multi-row insert path.
-- A failed check raises an error and the statement loads nothing.
-------------------------------------------------------------------------------

CREATE TABLE visit (
	id			bigint,
	visit_date	date NOT NULL,
	residence	@extschema@.adcode NOT NULL,
	facility_id	integer NOT NULL,
	kind		text NOT NULL CONSTRAINT visit_kind_known CHECK (kind IN ('outpatient', 'inpatient')),
	total_fen	bigint NOT NULL,
	fund_fen	bigint NOT NULL DEFAULT 0,
	CONSTRAINT visit_amounts_not_negative CHECK (total_fen >= 0 AND fund_fen >= 0),
	CONSTRAINT visit_fund_within_total CHECK (fund_fen <= total_fen),
	CONSTRAINT visit_residence_below_city CHECK (@extschema@.adcode_county(residence) IS NOT NULL)
) PARTITION BY RANGE (visit_date);
COMMENT ON TABLE visit IS 'visits: outpatient visits (门急诊人次) and inpatient admissions (住院人次); partitioned by month (visit_pYYYY_MM; rows of months without a partition in visit_default until add_partitions moves them)';
COMMENT ON COLUMN visit.id IS 'the source system''s id of the visit (就诊流水号), as loaded; optional, not generated, not indexed, not checked for uniqueness';
COMMENT ON COLUMN visit.visit_date IS 'date of the visit, or of admission';
COMMENT ON COLUMN visit.residence IS 'the patient''s residence (county, township or village code; the same residence definition as population)';
COMMENT ON COLUMN visit.facility_id IS 'the facility that provided the visit; must exist in facility (checked once per statement)';
COMMENT ON COLUMN visit.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN visit.total_fen IS 'total cost, fen (分)';
COMMENT ON COLUMN visit.fund_fen IS 'paid by the insurance fund (医保基金), fen; between 0 and total_fen';

-- The stay and TCM columns the resource indicators read (docs/model.md,
-- "Resources, remote services, cost and capacity"), counted by the visit
-- cells (states.sql) and the facility cells (resources.sql).
ALTER TABLE visit
	ADD COLUMN tcm boolean NOT NULL DEFAULT false,
	ADD COLUMN discharge_date date,
	ADD COLUMN surgery_grade smallint,
	ADD CONSTRAINT visit_discharge_not_before_admission CHECK (discharge_date >= visit_date),
	ADD CONSTRAINT visit_surgery_grade_1_to_4 CHECK (surgery_grade BETWEEN 1 AND 4),
	ADD CONSTRAINT visit_stay_inpatient_only CHECK (kind = 'inpatient' OR (discharge_date IS NULL AND surgery_grade IS NULL));
COMMENT ON COLUMN visit.tcm IS 'true for a traditional Chinese medicine visit (中医诊疗: TCM diagnosis or treatment); default false';
COMMENT ON COLUMN visit.discharge_date IS 'inpatients: date of discharge (出院日期), not before visit_date (the admission); NULL while in hospital and for outpatient visits';
COMMENT ON COLUMN visit.surgery_grade IS 'inpatients: the highest grade of the operations of the stay (手术分级: 1 一级 .. 4 四级); NULL without an operation';

-- Partitions carry the statement triggers too, for statements that name a
-- partition directly (add_partitions gives them to every new partition).
CREATE TABLE visit_default PARTITION OF visit DEFAULT;
CREATE TRIGGER visit_default_changed AFTER INSERT OR UPDATE OR DELETE ON visit_default
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_collected('facts_changed');
COMMENT ON TABLE visit_default IS 'visits of months that have no partition yet; add_partitions moves them into their month''s partition';

CREATE TABLE referral (
	id			bigint,
	referral_date date NOT NULL,
	from_facility_id integer NOT NULL,
	to_facility_id integer NOT NULL,
	residence	@extschema@.adcode NOT NULL,
	kind		text NOT NULL DEFAULT 'referral' CONSTRAINT referral_kind_known
				CHECK (kind IN ('referral', 'remote_consultation')),
	CONSTRAINT referral_not_to_itself CHECK (from_facility_id <> to_facility_id),
	CONSTRAINT referral_residence_below_city CHECK (@extschema@.adcode_county(residence) IS NOT NULL)
) PARTITION BY RANGE (referral_date);
COMMENT ON TABLE referral IS 'referrals (双向转诊) and remote consultations (远程会诊) between facilities; partitioned by month like visit';
COMMENT ON COLUMN referral.id IS 'the source system''s id of the referral, as loaded; optional, not generated, not indexed, not checked for uniqueness';
COMMENT ON COLUMN referral.referral_date IS 'date';
COMMENT ON COLUMN referral.from_facility_id IS 'the referring (or consultation-requesting) facility; must exist in facility';
COMMENT ON COLUMN referral.to_facility_id IS 'the receiving (or consulted) facility; never from_facility_id; must exist in facility';
COMMENT ON COLUMN referral.residence IS 'the patient''s residence (county, township or village code)';
COMMENT ON COLUMN referral.kind IS 'referral (the direction up / down / lateral follows from the care levels) or remote_consultation';

CREATE TABLE referral_default PARTITION OF referral DEFAULT;
CREATE TRIGGER referral_default_changed AFTER INSERT OR UPDATE OR DELETE ON referral_default
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_collected('facts_changed');
COMMENT ON TABLE referral_default IS 'referrals of months that have no partition yet; add_partitions moves them into their month''s partition';

-- Months whose facts changed since their states were last computed.  Every
-- changing statement adds its own rows (no unique key, so loaders never wait
-- for each other or for a refresh); refresh_states deletes the rows it sees
-- and then computes from a later snapshot, so a change committed after that
-- keeps its mark.
CREATE TABLE dirty_month (
	month		date NOT NULL,
	marked_at	timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE dirty_month IS 'months whose facts changed since their states were last refreshed: one row per changing statement and month (filled by the fact tables'' triggers, emptied by refresh_states)';
COMMENT ON COLUMN dirty_month.month IS 'first day of the month';
COMMENT ON COLUMN dirty_month.marked_at IS 'when the change was made (transaction start)';

-- The statement-level half of the load path: the facilities the statement's
-- rows name must exist, and stay until commit (KEY SHARE, as a foreign key
-- locks them); the months become dirty.
--
-- The PL/pgSQL functions of the model resolve names when they run, so their
-- bodies call only pg_catalog-qualified functions and operators, or model
-- functions with arguments of exactly their types: a role that may create
-- objects in the model's schema cannot plant a better-matching overload.
-- The SQL work is in BEGIN ATOMIC functions, bound when they are created.
CREATE FUNCTION facilities_unknown(facilities integer[]) RETURNS integer[]
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	SELECT count(*) FROM (SELECT FROM facility AS f WHERE f.id = ANY (facilities) ORDER BY f.id FOR KEY SHARE) AS locked;
	SELECT array_agg(k ORDER BY k) FROM unnest(facilities) AS k
	 WHERE NOT EXISTS (SELECT FROM facility AS f WHERE f.id = k);
END;
COMMENT ON FUNCTION facilities_unknown(integer[]) IS
	'the ids that are not in facility (NULL when all are), after locking the others against deletion (FOR KEY SHARE) until commit';

CREATE FUNCTION months_mark(months date[]) RETURNS void
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	INSERT INTO dirty_month (month) SELECT DISTINCT m FROM unnest(months) AS m WHERE m IS NOT NULL;
END;
COMMENT ON FUNCTION months_mark(date[]) IS
	'marks the months dirty (one dirty_month row each)';

CREATE FUNCTION facts_changed(months date[], facilities integer[]) RETURNS void
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	unknown integer[] := facilities_unknown(facilities);
BEGIN
	IF unknown IS NOT NULL THEN
		RAISE EXCEPTION 'unknown facility ids: %', unknown
			USING DETAIL = 'Rows of visit or referral name facilities that are not in facility.',
				  ERRCODE = 'foreign_key_violation', CONSTRAINT = 'facility_known',
				  HINT = 'Load the facilities first; nothing of this statement was loaded.';
	END IF;
	PERFORM months_mark(months);
END
$fn$;
COMMENT ON FUNCTION facts_changed(date[], integer[]) IS
	'called once per statement that changes visit or referral (by health_share.model_collected): checks that the facilities exist and marks the months dirty';

CREATE TRIGGER visit_collect_insert AFTER INSERT ON visit FOR EACH ROW
	WHEN (@extschema@.model_collect('visit'::regclass, NEW.visit_date, NEW.facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER visit_collect_update AFTER UPDATE ON visit FOR EACH ROW
	WHEN (@extschema@.model_collect('visit'::regclass, OLD.visit_date, OLD.facility_id)
		  OR @extschema@.model_collect('visit'::regclass, NEW.visit_date, NEW.facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER visit_collect_delete AFTER DELETE ON visit FOR EACH ROW
	WHEN (@extschema@.model_collect('visit'::regclass, OLD.visit_date, OLD.facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER visit_changed AFTER INSERT OR UPDATE OR DELETE ON visit
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_collected('facts_changed');

CREATE TRIGGER referral_collect_insert AFTER INSERT ON referral FOR EACH ROW
	WHEN (@extschema@.model_collect('referral'::regclass, NEW.referral_date, NEW.from_facility_id, NEW.to_facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER referral_collect_update AFTER UPDATE ON referral FOR EACH ROW
	WHEN (@extschema@.model_collect('referral'::regclass, OLD.referral_date, OLD.from_facility_id, OLD.to_facility_id)
		  OR @extschema@.model_collect('referral'::regclass, NEW.referral_date, NEW.from_facility_id, NEW.to_facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER referral_collect_delete AFTER DELETE ON referral FOR EACH ROW
	WHEN (@extschema@.model_collect('referral'::regclass, OLD.referral_date, OLD.from_facility_id, OLD.to_facility_id))
	EXECUTE FUNCTION @extschema@.model_collected();
CREATE TRIGGER referral_changed AFTER INSERT OR UPDATE OR DELETE ON referral
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_collected('facts_changed');

-- TRUNCATE of a fact table, and a facility changing its care level or
-- county, make every materialized month dirty.
CREATE FUNCTION mark_all_months() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	INSERT INTO dirty_month (month) SELECT DISTINCT s.month FROM county_month_state AS s;
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION mark_all_months() FROM PUBLIC;
COMMENT ON FUNCTION mark_all_months() IS
	'statement trigger: marks every month of county_month_state dirty (TRUNCATE of a fact table, a facility changing care level or county, model_config.division_mapping changing)';
CREATE TRIGGER visit_truncated AFTER TRUNCATE ON visit
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
CREATE TRIGGER referral_truncated AFTER TRUNCATE ON referral
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
CREATE TRIGGER visit_default_truncated AFTER TRUNCATE ON visit_default
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
CREATE TRIGGER referral_default_truncated AFTER TRUNCATE ON referral_default
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
CREATE TRIGGER facility_reclassified AFTER UPDATE OF care_level, county, grid_id, consortium_id ON facility
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
CREATE TRIGGER model_config_remapped AFTER UPDATE OF division_mapping ON model_config
	FOR EACH STATEMENT EXECUTE FUNCTION mark_all_months();
-- A change of division_mapping re-applies it to the facilities loaded with
-- an abolished county code (facility_county_current); their own
-- facility_reclassified marks the months dirty again.
CREATE FUNCTION facility_remap() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	UPDATE facility AS f SET county = f.county WHERE f.county_recorded IS NOT NULL;
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION facility_remap() FROM PUBLIC;
COMMENT ON FUNCTION facility_remap() IS
	'statement trigger of model_config: a change of division_mapping places the facilities loaded with an abolished county code again';
CREATE TRIGGER model_config_remapped_facilities AFTER UPDATE OF division_mapping ON model_config
	FOR EACH STATEMENT EXECUTE FUNCTION facility_remap();

-- TRUNCATE of one monthly partition (named directly, or with its parent,
-- whose own trigger marks every month) marks its month when it is
-- materialized: TG_ARGV[0] is the month's first day, written YYYY-MM-DD by
-- add_partitions.
CREATE FUNCTION mark_partition_month() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	INSERT INTO dirty_month (month)
	SELECT DISTINCT s.month FROM county_month_state AS s
	 WHERE s.month OPERATOR(pg_catalog.=) pg_catalog.to_date(TG_ARGV[0], 'YYYY-MM-DD');
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION mark_partition_month() FROM PUBLIC;
COMMENT ON FUNCTION mark_partition_month() IS
	'statement trigger of a monthly partition: TRUNCATE marks its month (the trigger argument, YYYY-MM-DD) dirty when county_month_state has it';

-- The other side of the facility check: a facility that visits or referrals
-- name cannot be deleted or change its id.
CREATE FUNCTION facilities_named(ids integer[]) RETURNS integer[]
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT array_agg(DISTINCT u.id ORDER BY u.id) FROM (
		SELECT v.facility_id AS id FROM visit AS v WHERE v.facility_id = ANY (ids)
		UNION ALL
		SELECT r.from_facility_id FROM referral AS r WHERE r.from_facility_id = ANY (ids)
		UNION ALL
		SELECT r.to_facility_id FROM referral AS r WHERE r.to_facility_id = ANY (ids)) AS u;
END;
COMMENT ON FUNCTION facilities_named(integer[]) IS
	'the ids of the given facilities that visit or referral rows name (NULL when none)';

CREATE FUNCTION facility_removed() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	gone integer[];
	used integer[];
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'DELETE' THEN
		SELECT pg_catalog.array_agg(o.id) INTO gone FROM old_rows AS o;
	ELSE
		SELECT pg_catalog.array_agg(o.id) INTO gone FROM old_rows AS o
		 WHERE NOT EXISTS (SELECT FROM new_rows AS n WHERE n.id OPERATOR(pg_catalog.=) o.id);
	END IF;
	IF gone IS NULL THEN
		RETURN NULL;
	END IF;
	used := facilities_named(gone);
	IF used IS NOT NULL THEN
		RAISE EXCEPTION 'cannot remove facilities that visits or referrals name: %', used
			USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'facility_known';
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION facility_removed() FROM PUBLIC;
COMMENT ON FUNCTION facility_removed() IS
	'statement trigger of facility: refuses to delete (or renumber) facilities that visit or referral rows name';
CREATE TRIGGER facility_deleted AFTER DELETE ON facility REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION facility_removed();
CREATE TRIGGER facility_renumbered AFTER UPDATE ON facility REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION facility_removed();

-- Monthly partitions, made ahead of the loads (e.g. a year at a time):
-- rows of a month without a partition go to the default partition, and
-- add_partitions moves them.  When it has a partition to make it first locks
-- visit, then referral, in ACCESS EXCLUSIVE mode until commit: readers and
-- loaders wait for it (so call it when no load runs), but none sees a month
-- half moved or fails, and a refresh, which locks visit first too, cannot
-- deadlock with it.  The partition names and bounds are made from
-- dates (visit_p2024_01 holds [2024-01-01, 2024-02-01)): the only SQL the
-- model builds at run time, and no caller text goes into it.
CREATE FUNCTION partitions_missing(first_month date, last_month date)
	RETURNS TABLE (month date, next_month date, fact text, date_column text, part text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT g.month, CAST(g.month + interval '1 month' AS date), f.fact, f.date_column,
		   format('%s_p%s', f.fact, to_char(g.month, 'YYYY_MM'))
	  FROM (SELECT CAST(s AS date) AS month
			  FROM generate_series(CAST(date_trunc('month', first_month) AS timestamp),
								   CAST(last_month AS timestamp), interval '1 month') AS s) AS g,
		   (VALUES ('visit', 'visit_date'), ('referral', 'referral_date')) AS f(fact, date_column)
	 WHERE NOT EXISTS (SELECT FROM pg_class AS c
						WHERE c.relname = format('%s_p%s', f.fact, to_char(g.month, 'YYYY_MM'))
						  AND c.relnamespace = (SELECT t.relnamespace FROM pg_class AS t WHERE t.oid = 'visit'::regclass))
	 ORDER BY 1, 3;
END;
REVOKE EXECUTE ON FUNCTION partitions_missing(date, date) FROM PUBLIC;
COMMENT ON FUNCTION partitions_missing(date, date) IS
	'the monthly partitions of visit and referral from first_month to last_month that do not exist yet: month, the next month, fact table, date column, partition name';

CREATE FUNCTION add_partitions(first_month date, last_month date) RETURNS integer
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	m date;
	next_m date;
	tab text;
	col text;
	part text;
	made integer := 0;
BEGIN
	IF first_month IS NULL OR last_month IS NULL
	   OR NOT pg_catalog.isfinite(first_month) OR NOT pg_catalog.isfinite(last_month) THEN
		RAISE EXCEPTION 'add_partitions: months must be finite dates, not % and %', first_month, last_month
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF last_month OPERATOR(pg_catalog.-) first_month OPERATOR(pg_catalog.>) 120 * 31 THEN
		RAISE EXCEPTION 'add_partitions: % to % is more than 120 months', first_month, last_month
			USING ERRCODE = 'program_limit_exceeded';
	END IF;
	IF NOT EXISTS (SELECT FROM partitions_missing(first_month, last_month)) THEN
		RETURN 0;
	END IF;
	LOCK TABLE visit, referral IN ACCESS EXCLUSIVE MODE;
	-- Listed again under the lock: a concurrent add_partitions may have made
	-- some meanwhile.
	FOR m, next_m, tab, col, part IN SELECT * FROM partitions_missing(first_month, last_month) LOOP
		-- Move the month's rows out of the default partition, then attach.
		EXECUTE pg_catalog.format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, tab);
		EXECUTE pg_catalog.format('WITH moved AS (DELETE FROM %I WHERE %I >= $1 AND %I < $2 RETURNING *) INSERT INTO %I SELECT * FROM moved',
								  tab OPERATOR(pg_catalog.||) '_default', col, col, part)
			USING m, next_m;
		EXECUTE pg_catalog.format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
								  tab, part, m, next_m);
		EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER INSERT OR UPDATE OR DELETE ON %I FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_collected(%L)',
								  part OPERATOR(pg_catalog.||) '_changed', part, 'facts_changed');
		EXECUTE pg_catalog.format('CREATE TRIGGER %I AFTER TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION mark_partition_month(%L)',
								  part OPERATOR(pg_catalog.||) '_truncated', part, pg_catalog.to_char(m, 'YYYY-MM-DD'));
		EXECUTE pg_catalog.format('COMMENT ON TABLE %I IS %L', part,
								  pg_catalog.format('%s rows of %s', tab, pg_catalog.to_char(m, 'YYYY-MM')));
		made := made OPERATOR(pg_catalog.+) 1;
	END LOOP;
	RETURN made;
END
$fn$;
REVOKE EXECUTE ON FUNCTION add_partitions(date, date) FROM PUBLIC;
COMMENT ON FUNCTION add_partitions(date, date) IS
	'creates the monthly partitions of visit and referral from first_month to last_month that are missing, moving their rows out of the default partitions; returns the number created';
