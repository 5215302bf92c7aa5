-------------------------------------------------------------------------------
-- model/states.sql: the mergeable county x month states, computed from the
-- facts by county_month_compute and kept by refresh_states.
-------------------------------------------------------------------------------

CREATE TABLE county_month_state (
	county		@extschema@.adcode NOT NULL,
	month		date NOT NULL CONSTRAINT county_month_state_first_day CHECK (extract(day FROM month) = 1),
	visits		bigint NOT NULL,
	outpatient_visits bigint NOT NULL,
	inpatient_visits bigint NOT NULL,
	served_visits bigint NOT NULL,
	in_county	@extschema@.hs_rate,
	in_county_outpatient @extschema@.hs_rate,
	in_county_inpatient @extschema@.hs_rate,
	fund_in_county @extschema@.hs_rate,
	grassroots	@extschema@.hs_rate,
	referrals_up bigint NOT NULL,
	referrals_down bigint NOT NULL,
	referrals_lateral bigint NOT NULL,
	remote_consultations bigint NOT NULL,
	flows		@extschema@.flowmatrix,
	refreshed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (county, month)
);
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


-- The states of the months whose first days lie in [lo, hi), computed from
-- the facts.  A BEGIN ATOMIC body: its names are bound when install_model
-- creates it, so no later search_path or object can redirect it.  Called
-- with constant bounds (refresh_states, the views), the planner scans only
-- those months' partitions.
CREATE FUNCTION county_month_range(lo date, hi date) RETURNS SETOF county_month_state
	LANGUAGE sql STABLE
BEGIN ATOMIC
	WITH v AS (
		SELECT v.residence, @extschema@.adcode_county(v.residence) AS rcounty,
			   date_trunc('month', v.visit_date)::date AS month, v.kind, v.fund_fen,
			   f.county AS fcounty, f.care_level
		  FROM visit AS v JOIN facility AS f ON f.id = v.facility_id
		 WHERE v.visit_date >= lo AND v.visit_date < hi
	), parts AS (
		SELECT v.rcounty AS county, v.month, count(*) AS visits,
			   count(*) FILTER (WHERE v.kind = 'outpatient') AS outpatient_visits,
			   count(*) FILTER (WHERE v.kind = 'inpatient') AS inpatient_visits,
			   0::bigint AS served_visits,
			   @extschema@.in_county_rate(v.residence, v.fcounty) AS in_county,
			   @extschema@.in_county_rate(v.residence, v.fcounty) FILTER (WHERE v.kind = 'outpatient') AS in_county_outpatient,
			   @extschema@.in_county_rate(v.residence, v.fcounty) FILTER (WHERE v.kind = 'inpatient') AS in_county_inpatient,
			   @extschema@.rate(CASE WHEN v.rcounty OPERATOR(@extschema@.=) v.fcounty THEN v.fund_fen ELSE 0 END, v.fund_fen) AS fund_in_county,
			   NULL::@extschema@.hs_rate AS grassroots,
			   0::bigint AS referrals_up, 0::bigint AS referrals_down, 0::bigint AS referrals_lateral,
			   0::bigint AS remote_consultations,
			   @extschema@.flow_agg(CAST(v.rcounty AS bigint), CAST(v.fcounty AS bigint)) AS flows
		  FROM v WHERE v.rcounty IS NOT NULL GROUP BY 1, 2
		UNION ALL
		SELECT v.fcounty, v.month, 0, 0, 0, count(*), NULL, NULL, NULL, NULL,
			   @extschema@.rate(v.care_level <= 'primary') FILTER (WHERE v.kind = 'outpatient'),
			   0, 0, 0, 0, NULL
		  FROM v GROUP BY 1, 2
		UNION ALL
		SELECT @extschema@.adcode_county(r.residence), date_trunc('month', r.referral_date)::date,
			   0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL,
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'up'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'down'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'lateral'),
			   count(*) FILTER (WHERE r.kind = 'remote_consultation'),
			   NULL
		  FROM referral AS r
		  JOIN facility AS a ON a.id = r.from_facility_id
		  JOIN facility AS b ON b.id = r.to_facility_id
		 WHERE r.referral_date >= lo AND r.referral_date < hi
		   AND @extschema@.adcode_county(r.residence) IS NOT NULL
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
END;
COMMENT ON FUNCTION county_month_range(date, date) IS
	'county x month states of the facts dated in [lo, hi) (give first days of months), computed from visit, referral and facility';

-- The states of the given months (first days; NULL: all), computed from the
-- facts: what the views county_month, county_year, ... read.
CREATE FUNCTION county_month_compute(months date[] DEFAULT NULL) RETURNS SETOF county_month_state
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT s.* FROM county_month_range('-infinity', 'infinity') AS s
	 WHERE months IS NULL OR s.month = ANY (months);
END;
COMMENT ON FUNCTION county_month_compute(date[]) IS
	'county x month states of the given months (first days; NULL: all) computed from visit, referral and facility';

-- The months of the rows in the default partitions (to get partitions).
CREATE FUNCTION default_months() RETURNS SETOF date
	LANGUAGE sql STABLE
BEGIN ATOMIC
	SELECT DISTINCT date_trunc('month', v.visit_date)::date FROM visit_default AS v WHERE isfinite(v.visit_date)
	UNION
	SELECT DISTINCT date_trunc('month', r.referral_date)::date FROM referral_default AS r WHERE isfinite(r.referral_date);
END;
COMMENT ON FUNCTION default_months() IS
	'first days of the months of the rows in visit_default and referral_default';

-- The dirty months: takes (deletes) the marks this statement sees.
CREATE FUNCTION months_take(months date[]) RETURNS date[]
	LANGUAGE sql VOLATILE
BEGIN ATOMIC
	WITH wanted AS (
		SELECT DISTINCT date_trunc('month', x)::date AS month FROM unnest(months) AS x WHERE x IS NOT NULL
	), taken AS (
		DELETE FROM dirty_month AS d
		 WHERE months IS NULL OR d.month IN (SELECT w.month FROM wanted AS w)
		RETURNING d.month
	)
	SELECT array_agg(t.month ORDER BY t.month)
	  FROM (SELECT taken.month FROM taken WHERE months IS NULL
			UNION SELECT w.month FROM wanted AS w WHERE months IS NOT NULL) AS t;
END;
COMMENT ON FUNCTION months_take(date[]) IS
	'deletes the dirty marks of the given months (first days of the months containing the dates; NULL: all marks) and returns those months, sorted';

-- Recompute the states: of the dirty months (default), of the given months,
-- or of all.  Lock order, the same in every path (docs/model.md): the fact
-- tables visit, referral, facility (ACCESS SHARE: waits for a TRUNCATE or
-- other DDL that holds them, never blocks loads), then county_month_state
-- (SHARE ROW EXCLUSIVE: one refresh at a time, readers go on).  Qualified
-- calls only, as in facts.sql.
CREATE FUNCTION refresh_states(months date[] DEFAULT NULL, all_months boolean DEFAULT false) RETURNS integer
	LANGUAGE plpgsql SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
DECLARE
	m date[];
	one date;
BEGIN
	LOCK TABLE ONLY visit, ONLY referral, facility IN ACCESS SHARE MODE;
	LOCK TABLE county_month_state IN SHARE ROW EXCLUSIVE MODE;
	-- Rows that landed in the default partitions get their month's partition.
	FOR one IN SELECT d.month FROM default_months() AS d(month) LOOP
		PERFORM add_partitions(one, one);
	END LOOP;
	-- Take the marks first, then compute from a later snapshot: a change
	-- committed meanwhile has marks of its own that this refresh did not see.
	IF all_months THEN
		DELETE FROM dirty_month;
		DELETE FROM county_month_state;
		INSERT INTO county_month_state
		SELECT * FROM county_month_range(CAST('-infinity' AS date), CAST('infinity' AS date));
		RETURN (SELECT pg_catalog.count(DISTINCT s.month) FROM county_month_state AS s);
	END IF;
	m := months_take(months);
	IF m IS NULL THEN
		RETURN 0;
	END IF;
	DELETE FROM county_month_state AS s WHERE s.month OPERATOR(pg_catalog.=) ANY (m);
	-- Month by month, each planned with its own bounds (force_custom_plan):
	-- one partition scanned per month.
	FOREACH one IN ARRAY m LOOP
		INSERT INTO county_month_state
		SELECT * FROM county_month_range(one, CAST(one OPERATOR(pg_catalog.+) interval '1 month' AS date));
	END LOOP;
	RETURN pg_catalog.cardinality(m);
END
$fn$;
COMMENT ON FUNCTION refresh_states(date[], boolean) IS
	'recomputes county_month_state: the dirty months (default), the months containing the given dates, or all (all_months); returns the number of months recomputed; health_share.refresh_model(schema) calls it';
