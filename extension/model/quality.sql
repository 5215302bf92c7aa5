-------------------------------------------------------------------------------
-- model/quality.sql: what real warehouse data need (docs/model.md, "Data
-- quality"): the period and the future-date margin of the facts, optional
-- source keys, units that must not overlap, and the data-quality views, one
-- row per problem with a count and examples.
-------------------------------------------------------------------------------

-- Settings --------------------------------------------------------------------

ALTER TABLE model_config
	ADD COLUMN period_first date,
	ADD COLUMN period_last date,
	ADD COLUMN future_margin_days integer NOT NULL DEFAULT 31
		CONSTRAINT model_config_future_margin_sensible CHECK (future_margin_days BETWEEN 0 AND 3660),
	ADD COLUMN source_keys boolean NOT NULL DEFAULT false,
	ADD CONSTRAINT model_config_period_ordered CHECK (period_first <= period_last);
COMMENT ON COLUMN model_config.period_first IS 'the first day of the period the model is meant to hold; facts dated before it are listed by quality_dates_outside_period (NULL: no bound)';
COMMENT ON COLUMN model_config.period_last IS 'the last day of the period the model is meant to hold; facts dated after it are listed by quality_dates_outside_period (NULL: no bound)';
COMMENT ON COLUMN model_config.future_margin_days IS 'facts dated more than this many days after today are refused (CHECK visit_date_not_future, referral_date_not_future; default 31, 0 .. 3660)';
COMMENT ON COLUMN model_config.source_keys IS 'true: (source, source_id, date) is unique in visit and in referral (constraints visit_source_key, referral_source_key), so a re-exported fact is refused; default false';

-- Facts: dates and source keys ------------------------------------------------

ALTER TABLE visit
	ADD COLUMN source text,
	ADD COLUMN source_id text,
	ADD CONSTRAINT visit_source_key_whole CHECK ((source IS NULL) = (source_id IS NULL)),
	ADD CONSTRAINT visit_date_plausible CHECK (visit_date >= DATE '1949-10-01'),
	ADD CONSTRAINT visit_date_not_future CHECK (visit_date <= CURRENT_DATE + 31);
COMMENT ON COLUMN visit.source IS 'the source system the visit was exported from (HIS, insurance settlement, ...); with source_id its key there; NULL when not given';
COMMENT ON COLUMN visit.source_id IS 'the visit''s key in its source system; given together with source';
ALTER TABLE referral
	ADD COLUMN source text,
	ADD COLUMN source_id text,
	ADD CONSTRAINT referral_source_key_whole CHECK ((source IS NULL) = (source_id IS NULL)),
	ADD CONSTRAINT referral_date_plausible CHECK (referral_date >= DATE '1949-10-01'),
	ADD CONSTRAINT referral_date_not_future CHECK (referral_date <= CURRENT_DATE + 31);
COMMENT ON COLUMN referral.source IS 'the source system the referral was exported from; with source_id its key there; NULL when not given';
COMMENT ON COLUMN referral.source_id IS 'the referral''s key in its source system; given together with source';

-- model_config's future_margin_days and source_keys become the facts'
-- constraints: the CHECK is made again with the new margin (the facts are
-- checked against it), the unique constraints are added or dropped.  The
-- statements are fixed text with the margin as a literal.
CREATE FUNCTION model_config_applied() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	IF OLD.future_margin_days IS DISTINCT FROM NEW.future_margin_days THEN
		EXECUTE pg_catalog.format('ALTER TABLE visit DROP CONSTRAINT visit_date_not_future, ADD CONSTRAINT visit_date_not_future CHECK (visit_date <= CURRENT_DATE + %L::integer)',
								  NEW.future_margin_days);
		EXECUTE pg_catalog.format('ALTER TABLE referral DROP CONSTRAINT referral_date_not_future, ADD CONSTRAINT referral_date_not_future CHECK (referral_date <= CURRENT_DATE + %L::integer)',
								  NEW.future_margin_days);
	END IF;
	IF OLD.source_keys IS DISTINCT FROM NEW.source_keys THEN
		IF NEW.source_keys THEN
			ALTER TABLE visit ADD CONSTRAINT visit_source_key UNIQUE (source, source_id, visit_date);
			ALTER TABLE referral ADD CONSTRAINT referral_source_key UNIQUE (source, source_id, referral_date);
		ELSE
			ALTER TABLE visit DROP CONSTRAINT visit_source_key;
			ALTER TABLE referral DROP CONSTRAINT referral_source_key;
		END IF;
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION model_config_applied() FROM PUBLIC;
COMMENT ON FUNCTION model_config_applied() IS
	'trigger of model_config: a new future_margin_days remakes the CHECK constraints visit_date_not_future and referral_date_not_future; source_keys adds or drops the unique constraints visit_source_key and referral_source_key';
CREATE TRIGGER model_config_applied AFTER UPDATE OF future_margin_days, source_keys ON model_config
	FOR EACH ROW EXECUTE FUNCTION model_config_applied();

-- Units must not overlap ------------------------------------------------------

-- A unit and a unit inside it (a county and its townships, a township and
-- its villages) would count the same residents twice.  Checked for the whole
-- table after each statement that adds or changes units: the first overlap
-- found is reported with both units.
CREATE FUNCTION units_overlapping() RETURNS TABLE (inner_code @extschema@.adcode, inner_name text,
												   outer_code @extschema@.adcode, outer_name text)
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT a.code, a.name, b.code, b.name
	  FROM (SELECT u.code, u.name, @extschema@.adcode_county(u.code) AS up FROM unit AS u
			 WHERE @extschema@.adcode_level(u.code) <> 'county'
			UNION ALL
			SELECT u.code, u.name, @extschema@.adcode_township(u.code) FROM unit AS u
			 WHERE @extschema@.adcode_level(u.code) = 'village') AS a
	  JOIN unit AS b ON b.code OPERATOR(@extschema@.=) a.up
	 ORDER BY 1, 3;
END;
REVOKE EXECUTE ON FUNCTION units_overlapping() FROM PUBLIC;
COMMENT ON FUNCTION units_overlapping() IS 'pairs of units of which one lies inside the other (township in county, village in township or county)';

CREATE FUNCTION units_checked() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	o record;
BEGIN
	SELECT * INTO o FROM units_overlapping() LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION 'units % (%) and % (%) overlap', o.inner_code, o.inner_name, o.outer_code, o.outer_name
			USING ERRCODE = 'exclusion_violation', CONSTRAINT = 'unit_not_overlapping',
				  DETAIL = pg_catalog.format('%s lies inside %s: their population would be counted twice.', o.inner_code, o.outer_code),
				  HINT = 'Load the townships (or villages) or the county, not both.';
	END IF;
	RETURN NULL;
END
$fn$;
REVOKE EXECUTE ON FUNCTION units_checked() FROM PUBLIC;
COMMENT ON FUNCTION units_checked() IS 'statement trigger of unit: refuses units that overlap (23P01), naming both';
CREATE TRIGGER unit_not_overlapping AFTER INSERT OR UPDATE OF code ON unit
	FOR EACH STATEMENT EXECUTE FUNCTION units_checked();

-- Data-quality views ----------------------------------------------------------

-- The recorded residence codes of the facts, one row per fact table and
-- code, with the county they count in.
CREATE VIEW quality_residence_codes AS
SELECT 'visit' AS fact, v.residence AS code, v.residence_county AS counted_in, count(*) AS rows,
	   min(v.visit_date) AS first_date, max(v.visit_date) AS last_date,
	   array_to_string((array_agg(coalesce(CAST(v.id AS text), CAST(v.visit_date AS text)) ORDER BY v.visit_date, v.id))[1:5], ', ') AS examples
  FROM visit_placed AS v GROUP BY v.residence, v.residence_county
UNION ALL
SELECT 'referral', r.residence, r.residence_county, count(*), min(r.referral_date), max(r.referral_date),
	   array_to_string((array_agg(coalesce(CAST(r.id AS text), CAST(r.referral_date AS text)) ORDER BY r.referral_date, r.id))[1:5], ', ')
  FROM referral_placed AS r GROUP BY r.residence, r.residence_county;
COMMENT ON VIEW quality_residence_codes IS 'the distinct residence codes of visit and referral with the county each counts in and how many rows carry it (the data-quality views read it)';
COMMENT ON COLUMN quality_residence_codes.fact IS 'visit or referral';
COMMENT ON COLUMN quality_residence_codes.code IS 'the residence code as recorded';
COMMENT ON COLUMN quality_residence_codes.counted_in IS 'the county its rows count in (visit_placed.residence_county); NULL: none';
COMMENT ON COLUMN quality_residence_codes.rows IS 'rows with the code';
COMMENT ON COLUMN quality_residence_codes.first_date IS 'the earliest date of those rows';
COMMENT ON COLUMN quality_residence_codes.last_date IS 'the latest date of those rows';
COMMENT ON COLUMN quality_residence_codes.examples IS 'up to five of the rows: their ids (their dates where no id was loaded), earliest first';

-- The check of a code runs once per distinct code: the grouped codes are
-- MATERIALIZED first, because the planner would otherwise push the check on
-- the grouping column below the GROUP BY, where it runs once per row (at a
-- million visits 5.3 s instead of 0.9 s).
CREATE VIEW quality_unknown_codes AS
WITH q AS MATERIALIZED (SELECT * FROM quality_residence_codes)
SELECT q.fact, q.code, q.counted_in, q.rows, q.first_date, q.last_date, q.examples
  FROM q
 WHERE NOT @extschema@.adcode_known(q.code);
COMMENT ON VIEW quality_unknown_codes IS 'residence codes that no vintage 2015 .. 2023 has (a village code: whose township none has): one row per fact table and code';
COMMENT ON COLUMN quality_unknown_codes.fact IS 'visit or referral';
COMMENT ON COLUMN quality_unknown_codes.code IS 'the residence code as recorded';
COMMENT ON COLUMN quality_unknown_codes.counted_in IS 'the county the rows count in: their county when that is known (an unknown township of a known county), otherwise NULL: the rows count in no county';
COMMENT ON COLUMN quality_unknown_codes.rows IS 'rows with the code';
COMMENT ON COLUMN quality_unknown_codes.first_date IS 'the earliest date of those rows';
COMMENT ON COLUMN quality_unknown_codes.last_date IS 'the latest date of those rows';
COMMENT ON COLUMN quality_unknown_codes.examples IS 'up to five of the rows: ids (dates where no id was loaded)';

CREATE VIEW quality_abolished_codes AS
WITH r AS MATERIALIZED (SELECT * FROM quality_residence_codes)	-- each code checked once (as above)
SELECT q.fact, q.code, v.name AS recorded_name, v.last_year + 1 AS abolished_in,
	   q.counted_in, @extschema@.adcode_name(q.counted_in) AS counted_in_name,
	   q.rows, q.first_date, q.last_date, q.examples
  FROM (SELECT r.fact, r.code, r.counted_in, r.rows, r.first_date, r.last_date, r.examples
		  FROM r
		UNION ALL
		SELECT 'facility', f.county_recorded, f.county, count(*), NULL::date, NULL::date,
			   array_to_string((array_agg(CAST(f.id AS text) ORDER BY f.id))[1:5], ', ')
		  FROM facility AS f WHERE f.county_recorded IS NOT NULL GROUP BY f.county_recorded, f.county) AS q
  CROSS JOIN LATERAL (SELECT w.name, w.last_year FROM @extschema@.division_vintage AS w
					   WHERE w.code OPERATOR(@extschema@.=) coalesce(@extschema@.adcode_township(q.code), q.code)
					   ORDER BY w.last_year DESC LIMIT 1) AS v
 WHERE v.last_year IS NOT NULL AND NOT @extschema@.adcode_valid(q.code);
COMMENT ON VIEW quality_abolished_codes IS 'residence codes of divisions abolished since 2015 and the county their rows count in (model_config.division_mapping), and the county codes of abolished divisions facilities were loaded with and the county they count in: one row per fact table (or facility) and code';
COMMENT ON COLUMN quality_abolished_codes.fact IS 'visit, referral, or facility (facilities loaded with the code: facility.county_recorded)';
COMMENT ON COLUMN quality_abolished_codes.code IS 'the residence code (the facility''s county code) as recorded';
COMMENT ON COLUMN quality_abolished_codes.recorded_name IS 'the name of the division (its township, for a village code) in its last vintage';
COMMENT ON COLUMN quality_abolished_codes.abolished_in IS 'the first vintage year without it';
COMMENT ON COLUMN quality_abolished_codes.counted_in IS 'the county the rows (facilities: facility.county) count in: the one holding the area today (current) or the recorded one (as recorded); NULL when it cannot be placed';
COMMENT ON COLUMN quality_abolished_codes.counted_in_name IS 'its name';
COMMENT ON COLUMN quality_abolished_codes.rows IS 'rows (facilities) with the code';
COMMENT ON COLUMN quality_abolished_codes.first_date IS 'the earliest date of those rows; NULL for facilities';
COMMENT ON COLUMN quality_abolished_codes.last_date IS 'the latest date of those rows; NULL for facilities';
COMMENT ON COLUMN quality_abolished_codes.examples IS 'up to five of the rows: ids (dates where no id was loaded; facility ids for facilities)';

CREATE VIEW quality_dates_outside_period AS
WITH cfg AS (SELECT c.period_first, c.period_last FROM model_config AS c LIMIT 1), f AS (
	SELECT 'visit' AS fact, v.visit_date AS day, v.id FROM visit AS v, cfg
	 WHERE v.visit_date < cfg.period_first OR v.visit_date > cfg.period_last
	UNION ALL
	SELECT 'referral', r.referral_date, r.id FROM referral AS r, cfg
	 WHERE r.referral_date < cfg.period_first OR r.referral_date > cfg.period_last
)
SELECT f.fact, CAST(date_trunc('month', f.day) AS date) AS month, count(*) AS rows,
	   min(f.day) AS first_date, max(f.day) AS last_date,
	   array_to_string((array_agg(coalesce(CAST(f.id AS text), CAST(f.day AS text)) ORDER BY f.day, f.id))[1:5], ', ') AS examples
  FROM f GROUP BY 1, 2;
COMMENT ON VIEW quality_dates_outside_period IS 'facts dated outside model_config.period_first .. period_last: one row per fact table and month';
COMMENT ON COLUMN quality_dates_outside_period.fact IS 'visit or referral';
COMMENT ON COLUMN quality_dates_outside_period.month IS 'first day of the month of the dates';
COMMENT ON COLUMN quality_dates_outside_period.rows IS 'rows of the month outside the period';
COMMENT ON COLUMN quality_dates_outside_period.first_date IS 'the earliest of their dates';
COMMENT ON COLUMN quality_dates_outside_period.last_date IS 'the latest of their dates';
COMMENT ON COLUMN quality_dates_outside_period.examples IS 'up to five of the rows: ids (dates where no id was loaded)';

CREATE VIEW quality_units_without_population AS
WITH cfg AS (SELECT c.residence_def FROM model_config AS c LIMIT 1),
years AS (SELECT DISTINCT p.year FROM population AS p, cfg WHERE p.residence_def = cfg.residence_def)
SELECT u.code AS unit, u.name AS unit_name, u.county, CAST(count(*) AS integer) AS years_missing,
	   array_to_string((array_agg(y.year ORDER BY y.year))[1:10], ', ') AS examples
  FROM unit AS u CROSS JOIN years AS y CROSS JOIN cfg
 WHERE NOT EXISTS (SELECT FROM population AS p WHERE p.unit OPERATOR(@extschema@.=) u.code AND p.year = y.year
					  AND p.residence_def = cfg.residence_def)
 GROUP BY u.code, u.name, u.county;
COMMENT ON VIEW quality_units_without_population IS 'units without a population row (of model_config.residence_def) for some year that other units have: they drop out of the population, grid and access views for those years; one row per unit';
COMMENT ON COLUMN quality_units_without_population.unit IS 'the unit';
COMMENT ON COLUMN quality_units_without_population.unit_name IS 'its name';
COMMENT ON COLUMN quality_units_without_population.county IS 'its county';
COMMENT ON COLUMN quality_units_without_population.years_missing IS 'the years without its population';
COMMENT ON COLUMN quality_units_without_population.examples IS 'up to ten of those years';

CREATE VIEW quality_facilities_without_coordinates AS
SELECT f.id AS facility_id, f.name AS facility_name, f.county, f.care_level, 1 AS rows,
	   CAST(f.care_level AS text) || ', ' || f.beds || ' beds, ' || f.doctors || ' doctors' AS examples
  FROM facility AS f WHERE f.lon IS NULL;
COMMENT ON VIEW quality_facilities_without_coordinates IS 'facilities without coordinates: the access and 15-minute views cannot use them; one row per facility';
COMMENT ON COLUMN quality_facilities_without_coordinates.facility_id IS 'the facility';
COMMENT ON COLUMN quality_facilities_without_coordinates.facility_name IS 'its name';
COMMENT ON COLUMN quality_facilities_without_coordinates.county IS 'its county';
COMMENT ON COLUMN quality_facilities_without_coordinates.care_level IS 'its care level';
COMMENT ON COLUMN quality_facilities_without_coordinates.rows IS 'always 1 (the facility)';
COMMENT ON COLUMN quality_facilities_without_coordinates.examples IS 'what the facility supplies: care level, beds, doctors';

-- From the states (as of the last refresh_model): inside the loaded period
-- of each fact table (its first to its last month with any), the months in
-- which a county that has such facts in some month has none.
CREATE VIEW quality_months_without_facts AS
WITH s AS (
	SELECT 'visit' AS fact, c.county, c.month FROM county_month_state AS c WHERE c.visits > 0
	UNION ALL
	SELECT DISTINCT 'referral', c.county, c.month FROM referral_cell AS c WHERE c.referrals > 0
), period AS (
	SELECT s.fact, min(s.month) AS first_month, max(s.month) AS last_month FROM s GROUP BY 1
), missing AS (
	SELECT k.fact, k.county, CAST(m AS date) AS month
	  FROM (SELECT DISTINCT s.fact, s.county FROM s) AS k
	  JOIN period AS p ON p.fact = k.fact
	  CROSS JOIN LATERAL generate_series(CAST(p.first_month AS timestamp), CAST(p.last_month AS timestamp), interval '1 month') AS m
	 WHERE NOT EXISTS (SELECT FROM s WHERE s.fact = k.fact AND s.county OPERATOR(@extschema@.=) k.county AND s.month = CAST(m AS date))
)
SELECT x.fact, x.county, @extschema@.adcode_name(x.county) AS county_name,
	   CAST(count(*) AS integer) AS months_missing, min(x.month) AS first_missing, max(x.month) AS last_missing,
	   array_to_string((array_agg(to_char(x.month, 'YYYY-MM') ORDER BY x.month))[1:12], ', ') AS examples
  FROM missing AS x GROUP BY x.fact, x.county;
COMMENT ON VIEW quality_months_without_facts IS 'months without visits (or without referrals) of a county''s residents inside the loaded period of the fact table, from the states (as of the last refresh_model): one row per fact table and county';
COMMENT ON COLUMN quality_months_without_facts.fact IS 'visit or referral';
COMMENT ON COLUMN quality_months_without_facts.county IS 'a county with such facts in other months';
COMMENT ON COLUMN quality_months_without_facts.county_name IS 'its name';
COMMENT ON COLUMN quality_months_without_facts.months_missing IS 'months of the loaded period without them';
COMMENT ON COLUMN quality_months_without_facts.first_missing IS 'the first such month';
COMMENT ON COLUMN quality_months_without_facts.last_missing IS 'the last such month';
COMMENT ON COLUMN quality_months_without_facts.examples IS 'up to twelve of those months, YYYY-MM';

CREATE VIEW quality_duplicate_source_keys AS
SELECT 'visit' AS fact, v.source, v.source_id, count(*) AS rows,
	   array_to_string((array_agg(CAST(v.visit_date AS text) ORDER BY v.visit_date))[1:5], ', ') AS examples
  FROM visit AS v WHERE v.source IS NOT NULL GROUP BY v.source, v.source_id HAVING count(*) > 1
UNION ALL
SELECT 'referral', r.source, r.source_id, count(*),
	   array_to_string((array_agg(CAST(r.referral_date AS text) ORDER BY r.referral_date))[1:5], ', ')
  FROM referral AS r WHERE r.source IS NOT NULL GROUP BY r.source, r.source_id HAVING count(*) > 1;
COMMENT ON VIEW quality_duplicate_source_keys IS 'source keys (source, source_id) that more than one row of visit or referral carries: one row per fact table and key';
COMMENT ON COLUMN quality_duplicate_source_keys.fact IS 'visit or referral';
COMMENT ON COLUMN quality_duplicate_source_keys.source IS 'the source system';
COMMENT ON COLUMN quality_duplicate_source_keys.source_id IS 'the key in it';
COMMENT ON COLUMN quality_duplicate_source_keys.rows IS 'rows with the key';
COMMENT ON COLUMN quality_duplicate_source_keys.examples IS 'up to five of their dates';

-- All problems in one list, for reports.
CREATE VIEW data_quality AS
SELECT 'unknown_code' AS check_name, q.fact || ' residence ' || CAST(q.code AS text)
		 || coalesce(', counted in ' || CAST(q.counted_in AS text), ', counted in no county') AS subject,
	   q.rows, q.examples
  FROM quality_unknown_codes AS q
UNION ALL
SELECT 'abolished_code', q.fact || CASE WHEN q.fact = 'facility' THEN ' county ' ELSE ' residence ' END || CAST(q.code AS text) || ' ' || coalesce(q.recorded_name, '')
		 || ' (abolished ' || q.abolished_in || ')'
		 || coalesce(', counted in ' || CAST(q.counted_in AS text) || ' ' || coalesce(q.counted_in_name, ''), ', counted in no county'),
	   q.rows, q.examples
  FROM quality_abolished_codes AS q
UNION ALL
SELECT 'date_outside_period', q.fact || ' ' || to_char(q.month, 'YYYY-MM'), q.rows, q.examples
  FROM quality_dates_outside_period AS q
UNION ALL
SELECT 'unit_without_population', 'unit ' || CAST(q.unit AS text) || ' ' || q.unit_name, q.years_missing, q.examples
  FROM quality_units_without_population AS q
UNION ALL
SELECT 'facility_without_coordinates', 'facility ' || q.facility_id || ' ' || q.facility_name, q.rows, q.examples
  FROM quality_facilities_without_coordinates AS q
UNION ALL
SELECT 'month_without_' || q.fact, CAST(q.county AS text) || ' ' || coalesce(q.county_name, ''), q.months_missing, q.examples
  FROM quality_months_without_facts AS q
UNION ALL
SELECT 'duplicate_source_key', q.fact || ' ' || q.source || ' ' || q.source_id, q.rows, q.examples
  FROM quality_duplicate_source_keys AS q;
COMMENT ON VIEW data_quality IS 'every problem the quality_* views list, one row each: what the demo report shows';
COMMENT ON COLUMN data_quality.check_name IS 'unknown_code, abolished_code, date_outside_period, unit_without_population, facility_without_coordinates, month_without_visit, month_without_referral or duplicate_source_key';
COMMENT ON COLUMN data_quality.subject IS 'what the problem is about, in words';
COMMENT ON COLUMN data_quality.rows IS 'how many rows (or years, months) it concerns';
COMMENT ON COLUMN data_quality.examples IS 'examples: ids, dates, years or months';
