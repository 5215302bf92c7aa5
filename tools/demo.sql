-- Printed by tools/demo after the demo data is loaded (psql -v schema=huzhou):
-- the county indicators of the latest year against the national targets of
-- the catalog health_share.indicator (✓ met, ✗ missed), read from the
-- model's published layer huzhou_pub (docs/publishing.md): counts rounded
-- to multiples of 5, rates to 0.1 percentage point.
\set QUIET 1
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema' || '_pub') || ', health_share, public', false) \g /dev/null
\pset footer off
CREATE FUNCTION pg_temp.show(code text, v float8) RETURNS text LANGUAGE sql STABLE
	RETURN CASE WHEN v IS NULL THEN '–' ELSE to_char(v * 100, 'FM990.0') || ' %' ||
		coalesce((SELECT CASE WHEN i.target IS NULL THEN NULL
							  WHEN (i.target_op = '>=' AND v >= i.target) OR (i.target_op = '<=' AND v <= i.target) THEN ' ✓'
							  ELSE ' ✗' END
					FROM health_share.indicator AS i WHERE i.code = show.code), '') END;
\echo
\echo 'Targets: 县域内就诊率 >= 90 %, 基层诊疗量占比 >= 65 %, 下转人次增长 >= 10 %, 规范管理率 >= 60 %, 网格覆盖 100 %'
SELECT c.county, c.county_name AS name, c.year, c.visits,
	   pg_temp.show('in_county_visit_rate', c.in_county_rate) AS "县域内就诊率",
	   pg_temp.show('in_county_inpatient_rate', c.in_county_inpatient_rate) AS "县域内住院率",
	   pg_temp.show('grassroots_visit_share', c.grassroots_share) AS "基层诊疗量占比",
	   pg_temp.show('in_county_fund_share', c.fund_in_county_share) AS "县域内基金占比",
	   pg_temp.show('referrals_down_growth', c.referrals_down_growth) AS "下转增长",
	   round(c.down_up_ratio::numeric, 2) AS "下转/上转",
	   pg_temp.show('signing_rate', p.signing_rate) AS "签约率",
	   pg_temp.show('hypertension_standard_rate', p.hypertension_standard_rate) AS "高血压规范管理",
	   pg_temp.show('diabetes_standard_rate', p.diabetes_standard_rate) AS "糖尿病规范管理",
	   pg_temp.show('grid_assignment_completeness', g.completeness) AS "网格覆盖",
	   pg_temp.show('primary_care_15min', g.primary_care_15min) AS "15分钟圈",
	   round(g.fca_doctors_per_1000::numeric, 2) AS "医生可及性(2SFCA)",
	   pg_temp.show('flow_lifo', f.lifo) AS "LIFO",
	   round(f.npf::numeric, 2) AS "NPF"
  FROM county_year AS c
  LEFT JOIN county_year_population AS p ON p.county = c.county AND p.year = c.year
  LEFT JOIN grid_assignment AS g ON g.county = c.county AND g.year = c.year
  LEFT JOIN county_year_flows AS f ON f.county = c.county AND f.year = c.year
 WHERE c.year = (SELECT max(year) FROM county_year) AND c.in_area
 ORDER BY c.county;
