-- The consortium model on Citus: the demo data loaded into install_model('m')
-- on the coordinator, the standard views' answers taken single-node, then the
-- model distributed (visit and referral by a hash of id, dimensions as
-- reference tables) and the same views read again.  Each check prints
-- "ok - name" or "not ok - name".
--
-- What Citus needs changed first (docs/deployment.md):
--  * foreign keys to health_share.division go: division belongs to the
--    extension (created on every node by CREATE EXTENSION), and Citus cannot
--    turn an extension's table into a reference or Citus-local table;
--  * the model's triggers go (Citus refuses to distribute tables with
--    triggers): the load path's facility check and dirty-month marking with
--    them, so refresh_model then needs explicit months or all_months => true;
--  * visit and referral get sequence defaults for their id (the model takes
--    the source system's ids as given; here new rows get ids from a sequence).
SET client_min_messages = warning;
SET search_path = public, health_share;

SET citus.enable_ddl_propagation = off;   -- session-local helpers
CREATE FUNCTION pg_temp.rows_of(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE r text;
BEGIN
	EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (%s) t', q) INTO r;
	RETURN r;
END $$;
RESET citus.enable_ddl_propagation;

-- single-node answers
CREATE TEMP TABLE expected (name text, q text, answer text);
INSERT INTO expected (name, q) VALUES
	('county_month view', 'SELECT * FROM m.county_month'),
	('county_year view', 'SELECT * FROM m.county_year'),
	('county_year_mat view (refreshed states)', 'SELECT * FROM m.county_year_mat'),
	('county_year_population view', 'SELECT * FROM m.county_year_population'),
	('grid_summary view', 'SELECT * FROM m.grid_summary'),
	('flows between counties', $$SELECT r.* FROM (SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint) AS fm
	                                  FROM m.visit v JOIN m.facility f ON f.id = v.facility_id) s, flow_regions(s.fm) r$$),
	('referrals by year', $$SELECT extract(year FROM r.referral_date), referrals(a.care_level, b.care_level)
	                          FROM m.referral r JOIN m.facility a ON a.id = r.from_facility_id
	                          JOIN m.facility b ON b.id = r.to_facility_id GROUP BY 1$$);
UPDATE expected SET answer = pg_temp.rows_of(q);

ALTER TABLE m.consortium DROP CONSTRAINT consortium_area_known;
-- every trigger of the model's tables and partitions (the load path's
-- collect and statement triggers, TRUNCATE and facility triggers)
SET citus.enable_ddl_propagation = off;
DO $$
DECLARE t record;
BEGIN
	FOR t IN SELECT tg.tgname, tg.tgrelid::regclass AS rel FROM pg_trigger AS tg JOIN pg_class AS c ON c.oid = tg.tgrelid
	          WHERE c.relnamespace = 'm'::regnamespace AND NOT tg.tgisinternal AND tg.tgparentid = 0 LOOP
		EXECUTE format('DROP TRIGGER %I ON %s', t.tgname, t.rel);
	END LOOP;
END $$;
RESET citus.enable_ddl_propagation;
CREATE SEQUENCE m.visit_id_seq AS bigint OWNED BY m.visit.id;
SELECT setval('m.visit_id_seq', (SELECT max(id) FROM m.visit)) \g /dev/null
ALTER TABLE m.visit ALTER COLUMN id SET DEFAULT nextval('m.visit_id_seq');
CREATE SEQUENCE m.referral_id_seq AS bigint OWNED BY m.referral.id;
SELECT setval('m.referral_id_seq', (SELECT max(id) FROM m.referral)) \g /dev/null
ALTER TABLE m.referral ALTER COLUMN id SET DEFAULT nextval('m.referral_id_seq');

SELECT create_reference_table(t) FROM unnest(ARRAY['m.facility', 'm.consortium', 'm.grid', 'm.unit',
	'm.grid_member', 'm.population', 'm.model_config', 'm.family_doctor_contract',
	'm.chronic_management', 'm.county_month_state', 'm.dirty_month']) t \g /dev/null
SELECT create_distributed_table('m.visit', 'id') \g /dev/null
SELECT create_distributed_table('m.referral', 'id') \g /dev/null
SELECT truncate_local_data_after_distributing_table(t) FROM unnest(ARRAY['m.visit', 'm.referral']) t \g /dev/null

SELECT CASE WHEN count(*) = 2 THEN 'ok - visit and referral are hash-distributed by id'
            ELSE 'not ok - visit and referral are hash-distributed by id' END
  FROM pg_dist_partition WHERE logicalrelid IN ('m.visit'::regclass, 'm.referral'::regclass) AND partmethod = 'h';
SELECT CASE WHEN count(*) = 11 THEN 'ok - dimensions are reference tables'
            ELSE 'not ok - dimensions are reference tables: ' || count(*) END
  FROM pg_dist_partition WHERE logicalrelid::text LIKE 'm.%' AND partmethod = 'n' AND repmodel = 't';

-- distributed answers
SELECT CASE WHEN e.answer IS NOT NULL AND pg_temp.rows_of(e.q) IS NOT DISTINCT FROM e.answer
            THEN 'ok - model ' || e.name || ' distributed = single node'
            ELSE 'not ok - model ' || e.name || ' distributed = single node' END
  FROM expected e ORDER BY e.name;

-- refresh_model recomputes the states from the distributed facts
SELECT refresh_model('m', all_months => true) > 0 \g /dev/null
SELECT CASE WHEN pg_temp.rows_of('SELECT * FROM m.county_year_mat') = e.answer
            THEN 'ok - refresh_model over distributed facts' ELSE 'not ok - refresh_model over distributed facts' END
  FROM expected e WHERE e.name = 'county_year_mat view (refreshed states)';

-- new facts load through the sequence defaults
INSERT INTO m.visit (visit_date, residence, facility_id, kind, total_fen)
SELECT visit_date, residence, facility_id, kind, total_fen FROM m.visit ORDER BY id LIMIT 10;
SELECT CASE WHEN count(*) = 10 THEN 'ok - new visits get ids from the sequence' ELSE 'not ok - new visits get ids' END
  FROM m.visit WHERE id > (SELECT max(id) - 10 FROM m.visit);

-- the model's aggregation is computed on the workers
SET citus.enable_ddl_propagation = off;
CREATE FUNCTION pg_temp.plan(q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE line text; p text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || q LOOP p := p || line || E'\n'; END LOOP;
	RETURN p;
END $$;
RESET citus.enable_ddl_propagation;
SELECT CASE WHEN pg_temp.plan($$SELECT adcode_county(v.residence), date_trunc('month', v.visit_date), in_county_rate(v.residence, f.county)
                                 FROM m.visit v JOIN m.facility f ON f.id = v.facility_id GROUP BY 1, 2$$) ~ 'worker_partial_agg\(.*in_county_rate'
            THEN 'ok - model in_county_rate computed on the workers' ELSE 'not ok - model in_county_rate computed on the workers' END;
SELECT CASE WHEN pg_temp.plan($$SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint)
                                 FROM m.visit v JOIN m.facility f ON f.id = v.facility_id$$) ~ 'worker_partial_agg\(.*flow_agg'
            THEN 'ok - model flow_agg computed on the workers' ELSE 'not ok - model flow_agg computed on the workers' END;
