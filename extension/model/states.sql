-------------------------------------------------------------------------------
-- model/states.sql: the mergeable county x month states, computed from the
-- facts by county_month_compute and kept by refresh_states.
-------------------------------------------------------------------------------

-- The state columns, defined once: the row type that county_month_range and
-- county_month_compute return, and the columns of county_month_state.
CREATE TYPE county_month_row AS (
	county		@extschema@.adcode,
	month		date,
	visits		bigint,
	outpatient_visits bigint,
	inpatient_visits bigint,
	served_visits bigint,
	in_county	@extschema@.hs_rate,
	in_county_outpatient @extschema@.hs_rate,
	in_county_inpatient @extschema@.hs_rate,
	fund_in_county @extschema@.hs_rate,
	grassroots	@extschema@.hs_rate,
	referrals_up bigint,
	referrals_down bigint,
	referrals_lateral bigint,
	remote_consultations bigint,
	flows		@extschema@.flowmatrix,
	refreshed_at timestamptz
);
COMMENT ON TYPE county_month_row IS 'one county x month state: the columns of county_month_state, the rows county_month_compute returns';

-- (LIKE, not a typed table: Citus distributes neither a typed table nor a
-- table whose row type a function returns.)
CREATE TABLE county_month_state (
	LIKE county_month_row,
	PRIMARY KEY (county, month),
	CONSTRAINT county_month_state_first_day CHECK (extract(day FROM month) = 1),
	CONSTRAINT county_month_state_counts_known CHECK (visits IS NOT NULL AND outpatient_visits IS NOT NULL
		AND inpatient_visits IS NOT NULL AND served_visits IS NOT NULL AND referrals_up IS NOT NULL
		AND referrals_down IS NOT NULL AND referrals_lateral IS NOT NULL AND remote_consultations IS NOT NULL)
);
ALTER TABLE county_month_state ALTER COLUMN refreshed_at SET DEFAULT now(), ALTER COLUMN refreshed_at SET NOT NULL;
CREATE INDEX county_month_state_month_idx ON county_month_state (month);
COMMENT ON TABLE county_month_state IS 'mergeable county x month states (exact counts and hs_rate), kept by health_share.refresh_model; not suppressed: restrict access to it';
COMMENT ON COLUMN county_month_state.county IS 'county: of residence for resident measures, of the facility for served_visits and grassroots';
COMMENT ON COLUMN county_month_state.month IS 'first day of the month';
COMMENT ON COLUMN county_month_state.visits IS 'visits of the county''s residents';
COMMENT ON COLUMN county_month_state.outpatient_visits IS 'outpatient visits of the county''s residents';
COMMENT ON COLUMN county_month_state.inpatient_visits IS 'inpatient admissions of the county''s residents';
COMMENT ON COLUMN county_month_state.served_visits IS 'visits at facilities located in the county';
COMMENT ON COLUMN county_month_state.in_county IS 'in_county_rate over all visits of the county''s residents';
COMMENT ON COLUMN county_month_state.in_county_outpatient IS 'in_county_rate over outpatient visits';
COMMENT ON COLUMN county_month_state.in_county_inpatient IS 'in_county_rate over inpatient admissions';
COMMENT ON COLUMN county_month_state.fund_in_county IS 'fund payments (fen) in county over all fund payments of the county''s residents';
COMMENT ON COLUMN county_month_state.grassroots IS 'outpatient visits at grassroots facilities over outpatient visits, at facilities located in the county';
COMMENT ON COLUMN county_month_state.referrals_up IS 'upward referrals of the county''s residents';
COMMENT ON COLUMN county_month_state.referrals_down IS 'downward referrals of the county''s residents';
COMMENT ON COLUMN county_month_state.referrals_lateral IS 'lateral referrals of the county''s residents';
COMMENT ON COLUMN county_month_state.remote_consultations IS 'remote consultations for the county''s residents';
COMMENT ON COLUMN county_month_state.flows IS 'visits of the county''s residents as a flowmatrix: residence county -> facility county (keys: adcode digits); sum(flows) over the counties of a period is the whole matrix';
COMMENT ON COLUMN county_month_state.refreshed_at IS 'when the row was last recomputed';


-- The facts with the county their residence counts in (model_config.
-- division_mapping; docs/model.md, "Division codes that changed"): joined
-- with health_share.division_placement by township (an abolished township
-- is placed by its own change) and by county.  A code of no vintage, or one
-- that cannot be placed, gets NULL: it counts in no county's residents.
CREATE VIEW visit_placed AS
SELECT v.id, v.visit_date, v.residence, v.facility_id, v.kind, v.total_fen, v.fund_fen,
	   v.tcm, v.discharge_date, v.surgery_grade,
	   CASE WHEN pt.code IS NULL AND pc.code IS NULL THEN NULL
			WHEN (SELECT c.division_mapping FROM model_config AS c) OPERATOR(pg_catalog.=) 'as recorded'
				THEN @extschema@.adcode_county(v.residence)
			WHEN pt.code IS NOT NULL THEN pt.county ELSE pc.county END AS residence_county
  FROM visit AS v
  LEFT JOIN @extschema@.division_placement AS pt ON pt.code OPERATOR(@extschema@.=) @extschema@.adcode_township(v.residence)
  LEFT JOIN @extschema@.division_placement AS pc ON pc.code OPERATOR(@extschema@.=) @extschema@.adcode_county(v.residence);
COMMENT ON VIEW visit_placed IS 'visit with the county each visit''s residence counts in (model_config.division_mapping); not protected: restrict access to it';
COMMENT ON COLUMN visit_placed.id IS 'as visit.id';
COMMENT ON COLUMN visit_placed.visit_date IS 'as visit.visit_date';
COMMENT ON COLUMN visit_placed.residence IS 'the residence code as recorded';
COMMENT ON COLUMN visit_placed.facility_id IS 'as visit.facility_id';
COMMENT ON COLUMN visit_placed.kind IS 'as visit.kind';
COMMENT ON COLUMN visit_placed.total_fen IS 'as visit.total_fen';
COMMENT ON COLUMN visit_placed.fund_fen IS 'as visit.fund_fen';
COMMENT ON COLUMN visit_placed.tcm IS 'as visit.tcm';
COMMENT ON COLUMN visit_placed.discharge_date IS 'as visit.discharge_date';
COMMENT ON COLUMN visit_placed.surgery_grade IS 'as visit.surgery_grade';
COMMENT ON COLUMN visit_placed.residence_county IS 'the county the residence counts in: the current county holding its area (division_mapping current) or the recorded county (as recorded); NULL for a code of no vintage or one that cannot be placed';

CREATE VIEW referral_placed AS
SELECT r.id, r.referral_date, r.from_facility_id, r.to_facility_id, r.residence, r.kind,
	   CASE WHEN pt.code IS NULL AND pc.code IS NULL THEN NULL
			WHEN (SELECT c.division_mapping FROM model_config AS c) OPERATOR(pg_catalog.=) 'as recorded'
				THEN @extschema@.adcode_county(r.residence)
			WHEN pt.code IS NOT NULL THEN pt.county ELSE pc.county END AS residence_county
  FROM referral AS r
  LEFT JOIN @extschema@.division_placement AS pt ON pt.code OPERATOR(@extschema@.=) @extschema@.adcode_township(r.residence)
  LEFT JOIN @extschema@.division_placement AS pc ON pc.code OPERATOR(@extschema@.=) @extschema@.adcode_county(r.residence);
COMMENT ON VIEW referral_placed IS 'referral with the county each referral''s residence counts in (model_config.division_mapping); not protected: restrict access to it';
COMMENT ON COLUMN referral_placed.id IS 'as referral.id';
COMMENT ON COLUMN referral_placed.referral_date IS 'as referral.referral_date';
COMMENT ON COLUMN referral_placed.from_facility_id IS 'as referral.from_facility_id';
COMMENT ON COLUMN referral_placed.to_facility_id IS 'as referral.to_facility_id';
COMMENT ON COLUMN referral_placed.residence IS 'the residence code as recorded';
COMMENT ON COLUMN referral_placed.kind IS 'as referral.kind';
COMMENT ON COLUMN referral_placed.residence_county IS 'the county the residence counts in, as in visit_placed';

-- The finest cells of the visits: every visit count the published layer
-- shows (a county's visits, its in-county visits, outpatient and inpatient,
-- visits served, grassroots visits, a flow between two counties, and by
-- facility its discharges, grade 3-4 discharges and TCM outpatient visits)
-- is a sum of these cells, so rounding them once rounds everything
-- consistently: no set of visits is rounded in two cells
-- (docs/publishing.md).  facility_county and grassroots are functions of
-- the facility.  The facility and the flags are set only where a published
-- count needs them, so that they split no more cells than that (each split
-- adds rounding noise to every total): the facility, discharged and
-- grade34 for inpatient stays (grade34 only for discharged ones), tcm for
-- outpatient visits at grassroots facilities; an outpatient cell has
-- facility 0 (no published count is of one facility's outpatient visits).
CREATE TABLE visit_cell (
	month		date NOT NULL,
	residence_county @extschema@.adcode NOT NULL,
	facility_county @extschema@.adcode NOT NULL,
	kind		text NOT NULL,
	grassroots	boolean NOT NULL,
	facility_id	integer NOT NULL,
	tcm			boolean NOT NULL,
	discharged	boolean NOT NULL,
	grade34		boolean NOT NULL,
	visits		bigint NOT NULL CONSTRAINT visit_cell_visits_positive CHECK (visits > 0),
	fund_fen	bigint NOT NULL,
	PRIMARY KEY (month, residence_county, facility_county, kind, grassroots, facility_id, tcm, discharged, grade34)
);
COMMENT ON TABLE visit_cell IS 'visits per month x county of residence x county of the facility x kind x grassroots facility x facility (stays) x TCM (grassroots outpatient visits) x discharged x discharged with a grade 3-4 operation, exact, kept by refresh_model: the cells the published layer rounds; not protected: restrict access to it';
COMMENT ON COLUMN visit_cell.month IS 'first day of the month';
COMMENT ON COLUMN visit_cell.residence_county IS 'county of the patient''s residence';
COMMENT ON COLUMN visit_cell.facility_county IS 'county of the facility';
COMMENT ON COLUMN visit_cell.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN visit_cell.grassroots IS 'true for village and primary facilities (基层)';
COMMENT ON COLUMN visit_cell.facility_id IS 'inpatient stays: the treating facility (facility_county and grassroots are functions of it); 0 for outpatient visits';
COMMENT ON COLUMN visit_cell.tcm IS 'true for TCM outpatient visits at grassroots facilities (visit.tcm); false otherwise';
COMMENT ON COLUMN visit_cell.discharged IS 'true for inpatient stays with a discharge date (出院, by month of admission); false for outpatient visits';
COMMENT ON COLUMN visit_cell.grade34 IS 'true for discharged stays with a grade 3 or 4 operation (三、四级手术); false otherwise';
COMMENT ON COLUMN visit_cell.visits IS 'visits of the cell (above 0: cells without visits have no row)';
COMMENT ON COLUMN visit_cell.fund_fen IS 'insurance-fund payments of the cell''s visits, fen (never published: the fund''s shares are)';

-- The visit cells of the months whose first days lie in [lo, hi), computed
-- from the facts (the rules of county_month_range below).
CREATE FUNCTION visit_cell_range(lo date, hi date)
	RETURNS TABLE (month date, residence_county @extschema@.adcode, facility_county @extschema@.adcode,
				   kind text, grassroots boolean, facility_id integer, tcm boolean, discharged boolean,
				   grade34 boolean, visits bigint, fund_fen bigint)
	LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
BEGIN
	RETURN QUERY
	SELECT CAST(pg_catalog.date_trunc('month', v.visit_date) AS date), v.residence_county,
		   f.county, v.kind, f.care_level OPERATOR(pg_catalog.<=) 'primary',
		   CASE WHEN v.kind = 'inpatient' THEN f.id ELSE 0 END,
		   v.kind = 'outpatient' AND v.tcm AND f.care_level OPERATOR(pg_catalog.<=) 'primary',
		   v.discharge_date IS NOT NULL,
		   v.discharge_date IS NOT NULL AND coalesce(v.surgery_grade >= 3, false),
		   pg_catalog.count(*), CAST(pg_catalog.sum(v.fund_fen) AS bigint)
	  FROM visit_placed AS v JOIN facility AS f ON f.id = v.facility_id
	 WHERE v.visit_date >= lo AND v.visit_date < hi AND v.residence_county IS NOT NULL
	 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
END
$fn$;
REVOKE EXECUTE ON FUNCTION visit_cell_range(date, date) FROM PUBLIC;
COMMENT ON FUNCTION visit_cell_range(date, date) IS
	'visit cells (visit_cell) of the facts dated in [lo, hi) (give first days of months), computed from visit (with its TCM flag, discharge date and surgery grade) and facility';

-- The finest cells of the referrals, likewise: referrals and remote
-- consultations by the care levels and grids they go from and to, by the
-- sending facility and by whether they stay inside its consortium.  Every
-- published referral count is a sum of these (the county views, grid_year,
-- and by facility and consortium facility_year and consortium_year_referrals):
-- no set of referrals is rounded twice (docs/publishing.md).  from_level and
-- from_grid are functions of the sending facility: it only splits the cells.
CREATE TABLE referral_cell (
	month		date NOT NULL,
	county		@extschema@.adcode NOT NULL,
	kind		text NOT NULL,
	from_level	@extschema@.care_level NOT NULL,
	to_level	@extschema@.care_level NOT NULL,
	from_grid	integer NOT NULL,
	to_grid		integer NOT NULL,
	from_facility_id integer NOT NULL,
	within_consortium boolean NOT NULL,
	referrals	bigint NOT NULL CONSTRAINT referral_cell_referrals_positive CHECK (referrals > 0),
	PRIMARY KEY (month, county, kind, from_level, to_level, from_grid, to_grid, from_facility_id, within_consortium)
);
COMMENT ON TABLE referral_cell IS 'referrals and remote consultations per month x county of residence x kind x care level from x care level to x grid from x grid to x sending facility x inside its consortium or not, exact, kept by refresh_model: the cells the published layer rounds; not protected: restrict access to it';
COMMENT ON COLUMN referral_cell.month IS 'first day of the month';
COMMENT ON COLUMN referral_cell.county IS 'county of the patient''s residence';
COMMENT ON COLUMN referral_cell.kind IS 'referral or remote_consultation';
COMMENT ON COLUMN referral_cell.from_level IS 'care level of the referring facility';
COMMENT ON COLUMN referral_cell.to_level IS 'care level of the facility referred to';
COMMENT ON COLUMN referral_cell.from_grid IS 'grid of the referring facility; 0 when it has none';
COMMENT ON COLUMN referral_cell.to_grid IS 'grid of the facility referred to; 0 when it has none';
COMMENT ON COLUMN referral_cell.from_facility_id IS 'the referring (sending) facility';
COMMENT ON COLUMN referral_cell.within_consortium IS 'true when both facilities belong to the same consortium; false otherwise (also when the sending facility belongs to none)';
COMMENT ON COLUMN referral_cell.referrals IS 'referrals of the cell (above 0)';

CREATE FUNCTION referral_cell_range(lo date, hi date)
	RETURNS TABLE (month date, county @extschema@.adcode, kind text, from_level @extschema@.care_level,
				   to_level @extschema@.care_level, from_grid integer, to_grid integer, from_facility_id integer,
				   within_consortium boolean, referrals bigint)
	LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
BEGIN
	RETURN QUERY
	SELECT CAST(pg_catalog.date_trunc('month', r.referral_date) AS date), r.residence_county,
		   r.kind, a.care_level, b.care_level, coalesce(a.grid_id, 0), coalesce(b.grid_id, 0),
		   a.id, coalesce(a.consortium_id = b.consortium_id, false), pg_catalog.count(*)
	  FROM referral_placed AS r
	  JOIN facility AS a ON a.id = r.from_facility_id
	  JOIN facility AS b ON b.id = r.to_facility_id
	 WHERE r.referral_date >= lo AND r.referral_date < hi AND r.residence_county IS NOT NULL
	 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
END
$fn$;
REVOKE EXECUTE ON FUNCTION referral_cell_range(date, date) FROM PUBLIC;
COMMENT ON FUNCTION referral_cell_range(date, date) IS
	'referral cells (referral_cell) of the facts dated in [lo, hi) (give first days of months), computed from referral and facility';

-- The states of the months whose first days lie in [lo, hi), computed from
-- the facts.  PL/pgSQL, not a SQL function: Citus plans a SQL function's
-- body only when it is not inlined.  Its names resolve when it runs, with
-- pg_catalog searched before the model's schema; the calls whose pg_catalog
-- function is no exact match (date_trunc of a date, <= of an enum) are
-- qualified, so that a better-matching overload in the model's schema is
-- never chosen (the rule of facts.sql).  Planned for each call's bounds
-- (force_custom_plan): only those months' partitions are scanned.
CREATE FUNCTION county_month_range(lo date, hi date) RETURNS SETOF county_month_row
	LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
BEGIN
	RETURN QUERY
	WITH v AS (
		SELECT v.residence_county AS rcounty,
			   CAST(pg_catalog.date_trunc('month', v.visit_date) AS date) AS month, v.kind, v.fund_fen,
			   f.county AS fcounty, f.care_level
		  FROM visit_placed AS v JOIN facility AS f ON f.id = v.facility_id
		 WHERE v.visit_date >= lo AND v.visit_date < hi
	), parts AS (
		SELECT v.rcounty AS county, v.month, count(*) AS visits,
			   count(*) FILTER (WHERE v.kind = 'outpatient') AS outpatient_visits,
			   count(*) FILTER (WHERE v.kind = 'inpatient') AS inpatient_visits,
			   0::bigint AS served_visits,
			   @extschema@.in_county_rate(v.rcounty, v.fcounty) AS in_county,
			   @extschema@.in_county_rate(v.rcounty, v.fcounty) FILTER (WHERE v.kind = 'outpatient') AS in_county_outpatient,
			   @extschema@.in_county_rate(v.rcounty, v.fcounty) FILTER (WHERE v.kind = 'inpatient') AS in_county_inpatient,
			   @extschema@.rate(CASE WHEN v.rcounty OPERATOR(@extschema@.=) v.fcounty THEN v.fund_fen ELSE 0 END, v.fund_fen) AS fund_in_county,
			   NULL::@extschema@.hs_rate AS grassroots,
			   0::bigint AS referrals_up, 0::bigint AS referrals_down, 0::bigint AS referrals_lateral,
			   0::bigint AS remote_consultations,
			   @extschema@.flow_agg(CAST(v.rcounty AS bigint), CAST(v.fcounty AS bigint)) AS flows
		  FROM v WHERE v.rcounty IS NOT NULL GROUP BY 1, 2
		UNION ALL
		SELECT v.fcounty, v.month, 0, 0, 0, count(*), NULL, NULL, NULL, NULL,
			   @extschema@.rate(v.care_level OPERATOR(pg_catalog.<=) 'primary') FILTER (WHERE v.kind = 'outpatient'),
			   0, 0, 0, 0, NULL
		  FROM v GROUP BY 1, 2
		UNION ALL
		SELECT r.residence_county, CAST(pg_catalog.date_trunc('month', r.referral_date) AS date),
			   0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL,
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'up'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'down'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'lateral'),
			   count(*) FILTER (WHERE r.kind = 'remote_consultation'),
			   NULL
		  FROM referral_placed AS r
		  JOIN facility AS a ON a.id = r.from_facility_id
		  JOIN facility AS b ON b.id = r.to_facility_id
		 WHERE r.referral_date >= lo AND r.referral_date < hi AND r.residence_county IS NOT NULL
		 GROUP BY 1, 2
	)
	SELECT p.county, p.month, sum(p.visits)::bigint, sum(p.outpatient_visits)::bigint,
		   sum(p.inpatient_visits)::bigint, sum(p.served_visits)::bigint,
		   @extschema@.sum(p.in_county), @extschema@.sum(p.in_county_outpatient),
		   @extschema@.sum(p.in_county_inpatient), @extschema@.sum(p.fund_in_county),
		   @extschema@.sum(p.grassroots), sum(p.referrals_up)::bigint, sum(p.referrals_down)::bigint,
		   sum(p.referrals_lateral)::bigint, sum(p.remote_consultations)::bigint,
		   @extschema@.sum(p.flows), now()
	  FROM parts AS p
	 GROUP BY p.county, p.month;
END
$fn$;
REVOKE EXECUTE ON FUNCTION county_month_range(date, date) FROM PUBLIC;
COMMENT ON FUNCTION county_month_range(date, date) IS
	'county x month states of the facts dated in [lo, hi) (give first days of months), computed from visit, referral and facility';

-- The states of the given months (first days; NULL: all), computed from the
-- facts: what the views county_month, county_year, ... read.
CREATE FUNCTION county_month_compute(months date[] DEFAULT NULL) RETURNS SETOF county_month_row
	LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS
$fn$
BEGIN
	RETURN QUERY
	SELECT s.* FROM county_month_range(CAST('-infinity' AS date), CAST('infinity' AS date)) AS s
	 WHERE months IS NULL OR s.month OPERATOR(pg_catalog.=) ANY (months);
END
$fn$;
REVOKE EXECUTE ON FUNCTION county_month_compute(date[]) FROM PUBLIC;
COMMENT ON FUNCTION county_month_compute(date[]) IS
	'county x month states of the given months (first days; NULL: all) computed from visit, referral and facility';

-- Recompute the states: of the dirty months (default), of the given months,
-- or of all.  Lock order, the same in every path (docs/model.md): the fact
-- tables visit, referral, facility (ACCESS SHARE: waits for a TRUNCATE or
-- other DDL that holds them, never blocks loads), then county_month_state
-- (SHARE ROW EXCLUSIVE: one refresh at a time, readers go on).  It takes
-- no other lock that a loader holds, and a loader never waits for it.
-- Qualified calls only, as in facts.sql.
CREATE FUNCTION refresh_states(months date[] DEFAULT NULL, all_months boolean DEFAULT false) RETURNS integer
	LANGUAGE plpgsql SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
DECLARE
	m date[];
	run_first date;
	run_last date;
BEGIN
	LOCK TABLE ONLY visit, ONLY referral, facility IN ACCESS SHARE MODE;
	LOCK TABLE county_month_state, visit_cell, referral_cell, facility_cell IN SHARE ROW EXCLUSIVE MODE;
	-- Rows of months without a partition wait in the default partitions;
	-- moving them is add_partitions' work (it locks the default partitions),
	-- not a refresh's: say so.
	IF EXISTS (SELECT 1 FROM visit_default AS v) OR EXISTS (SELECT 1 FROM referral_default AS r) THEN
		RAISE NOTICE 'visit_default or referral_default holds rows of months without a partition'
			USING HINT = 'Create the months'' partitions with add_partitions(first_month, last_month) when no load runs.';
	END IF;
	-- Take the marks first, then compute from a later snapshot: a change
	-- committed meanwhile has marks of its own that this refresh did not see.
	IF all_months THEN
		DELETE FROM dirty_month;
		DELETE FROM county_month_state;
		DELETE FROM visit_cell;
		DELETE FROM referral_cell;
		DELETE FROM facility_cell;
		INSERT INTO county_month_state
		SELECT * FROM county_month_range(CAST('-infinity' AS date), CAST('infinity' AS date));
		INSERT INTO visit_cell
		SELECT * FROM visit_cell_range(CAST('-infinity' AS date), CAST('infinity' AS date));
		INSERT INTO referral_cell
		SELECT * FROM referral_cell_range(CAST('-infinity' AS date), CAST('infinity' AS date));
		INSERT INTO facility_cell
		SELECT * FROM facility_cell_range(CAST('-infinity' AS date), CAST('infinity' AS date));
		RETURN (SELECT pg_catalog.count(DISTINCT s.month) FROM county_month_state AS s);
	END IF;
	IF months IS NULL THEN
		WITH taken AS (DELETE FROM dirty_month AS d RETURNING d.month)
		SELECT pg_catalog.array_agg(DISTINCT t.month ORDER BY t.month) INTO m FROM taken AS t;
	ELSE
		SELECT pg_catalog.array_agg(DISTINCT CAST(pg_catalog.date_trunc('month', x) AS date)
									ORDER BY CAST(pg_catalog.date_trunc('month', x) AS date)) INTO m
		  FROM pg_catalog.unnest(months) AS x WHERE x IS NOT NULL;
		DELETE FROM dirty_month AS d WHERE d.month OPERATOR(pg_catalog.=) ANY (m);
	END IF;
	IF m IS NULL THEN
		RETURN 0;
	END IF;
	DELETE FROM county_month_state AS s WHERE s.month OPERATOR(pg_catalog.=) ANY (m);
	DELETE FROM visit_cell AS c WHERE c.month OPERATOR(pg_catalog.=) ANY (m);
	DELETE FROM referral_cell AS c WHERE c.month OPERATOR(pg_catalog.=) ANY (m);
	DELETE FROM facility_cell AS c WHERE c.month OPERATOR(pg_catalog.=) ANY (m);
	-- One pass per run of consecutive months, each planned with its own
	-- bounds (force_custom_plan): only those months' partitions are read.
	FOR run_first, run_last IN
		SELECT pg_catalog.min(r.month), pg_catalog.max(r.month)
		  FROM (SELECT x.month, x.n OPERATOR(pg_catalog.-)
					   (CAST(pg_catalog.date_part('year', x.month) AS integer) OPERATOR(pg_catalog.*) 12
						OPERATOR(pg_catalog.+) CAST(pg_catalog.date_part('month', x.month) AS integer)) AS run
				  FROM pg_catalog.unnest(m) WITH ORDINALITY AS x(month, n)) AS r
		 GROUP BY r.run
		 ORDER BY 1
	LOOP
		INSERT INTO county_month_state
		SELECT * FROM county_month_range(run_first, CAST(run_last OPERATOR(pg_catalog.+) interval '1 month' AS date));
		INSERT INTO visit_cell
		SELECT * FROM visit_cell_range(run_first, CAST(run_last OPERATOR(pg_catalog.+) interval '1 month' AS date));
		INSERT INTO referral_cell
		SELECT * FROM referral_cell_range(run_first, CAST(run_last OPERATOR(pg_catalog.+) interval '1 month' AS date));
		INSERT INTO facility_cell
		SELECT * FROM facility_cell_range(run_first, CAST(run_last OPERATOR(pg_catalog.+) interval '1 month' AS date));
	END LOOP;
	RETURN pg_catalog.cardinality(m);
END
$fn$;
REVOKE EXECUTE ON FUNCTION refresh_states(date[], boolean) FROM PUBLIC;
COMMENT ON FUNCTION refresh_states(date[], boolean) IS
	'recomputes county_month_state: the dirty months (default), the months containing the given dates, or all (all_months); returns the number of months recomputed; health_share.refresh_model(schema) calls it';
