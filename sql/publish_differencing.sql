-- The differencing attack (test/publish/differencing.sql) on a randomized
-- model with many small cells: 8 counties, 24 months, 1,000 visits and 400
-- referrals spread over them, so most county x month and flow cells hold
-- 1 to 4.  On the published layer no relation recovers or narrows any
-- protected cell; on the full views (primary suppression only) the same
-- relations recover many: the control that shows the attack works.
\set SHOW_CONTEXT never
SET search_path = public, health_share;
SELECT install_model('dif');
SELECT dif.add_partitions(DATE '2023-01-01', DATE '2024-12-01');
-- Two facilities per county: a county hospital and a township centre.
INSERT INTO dif.facility (id, name, care_level, county)
SELECT 10 * i + k, c || CASE k WHEN 1 THEN ' hospital' ELSE ' centre' END,
	   CASE k WHEN 1 THEN 'secondary' ELSE 'primary' END::care_level, c::adcode
  FROM unnest(ARRAY['330502', '330503', '330521', '330522', '330523', '330402', '330411', '330421']) WITH ORDINALITY AS u(c, i),
	   generate_series(1, 2) AS k;
SELECT setseed(0.25);
-- Visits: a resident of county i goes to a facility of county i two times
-- in three, else to any facility; one visit in eight is an admission.
INSERT INTO dif.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen)
SELECT DATE '2023-01-01' + floor(random() * 731)::int,
	   (ARRAY['330502', '330503', '330521', '330522', '330523', '330402', '330411', '330421'])[r]::adcode,
	   CASE WHEN random() < 0.67 THEN 10 * r + 1 + (random() < 0.5)::int
			ELSE 10 * (1 + floor(random() * 8)::int) + 1 + (random() < 0.5)::int END,
	   CASE WHEN random() < 0.125 THEN 'inpatient' ELSE 'outpatient' END, 10000, 5000
  FROM (SELECT 1 + floor(random() * 8)::int AS r FROM generate_series(1, 1000)) AS s;
INSERT INTO dif.referral (referral_date, from_facility_id, to_facility_id, residence)
SELECT DATE '2023-01-01' + floor(random() * 731)::int, 10 * r + a, 10 * r + 3 - a,
	   (ARRAY['330502', '330503', '330521', '330522', '330523', '330402', '330411', '330421'])[r]::adcode
  FROM (SELECT 1 + floor(random() * 8)::int AS r, 1 + (random() < 0.5)::int AS a FROM generate_series(1, 400)) AS s;
SELECT refresh_model('dif');
UPDATE dif.publish_key SET seed = sha256('publish_differencing'::bytea);

-- How small the cells are: the share of true county x month visit counts
-- from 1 to 4.
SELECT count(*) FILTER (WHERE visits BETWEEN 1 AND 4)::numeric / count(*) > 0.3 AS many_small_months,
	   (SELECT count(*) FILTER (WHERE visits BETWEEN 1 AND 4)::numeric / count(*) > 0.5 FROM dif.visit_cell) AS most_cells_small
  FROM dif.county_month_state;

-- The published layer.
\getenv abs_srcdir PG_ABS_SRCDIR
\set differencing :abs_srcdir '/sql/include/differencing.sql'
\set src dif
\set pub dif_pub
\set cm county_month
\set cy county_year
\set fl county_year_flow_links
\set fr county_year_flows
\set ECHO none
\i :differencing
\set ECHO all
-- The full views.
\set pub dif
\set cm county_month_mat
\set cy county_year_mat
\set fl county_year_flow_links_mat
\set fr county_year_flows_mat
\set ECHO none
\i :differencing
\set ECHO all

-- Published: every relation meets protected cells, none recovers or
-- narrows one.
SELECT relation, protected > 0 AS meets_protected, recovered, narrowed
  FROM d_verdict WHERE attacked = 'dif_pub.county_month' ORDER BY relation;
-- Full views: relations that suppression alone leaves open recover cells
-- (which ones depends on the data: here month <-> year and visits minus
-- inpatient; on fuller data also links <-> margins and in-county parts).
SELECT relation, recovered
  FROM d_verdict WHERE attacked = 'dif.county_month_mat' AND recovered > 0 ORDER BY relation;
SELECT sum(recovered) FILTER (WHERE relation LIKE '%as published') AS published_as_is,
	   sum(recovered) > 0 AS attack_works
  FROM d_verdict WHERE attacked = 'dif.county_month_mat';

-- The fund's share is shown only where min_cell or more visits lie on each
-- side (exact counts, from the facts).
WITH t AS (
	SELECT adcode_county(v.residence) AS county, date_trunc('month', v.visit_date)::date AS month,
		   count(*) FILTER (WHERE adcode_county(v.residence) = f.county) AS inside,
		   count(*) FILTER (WHERE adcode_county(v.residence) <> f.county) AS outside
	  FROM dif.visit AS v JOIN dif.facility AS f ON f.id = v.facility_id GROUP BY 1, 2
)
SELECT count(*) FILTER (WHERE m.fund_in_county_share IS NOT NULL) > 0 AS some_shown,
	   count(*) FILTER (WHERE m.fund_in_county_share IS NOT NULL AND (t.inside < 5 OR t.outside < 5)) AS shown_for_few
  FROM dif_pub.county_month AS m JOIN t ON t.county = CAST(m.county AS adcode) AND t.month = m.month;

SET client_min_messages = warning;
DROP SCHEMA dif_pub CASCADE;
DROP SCHEMA dif CASCADE;
