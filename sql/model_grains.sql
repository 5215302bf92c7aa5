-- Units and periods (docs/model.md, "Units and periods"): county x quarter,
-- city and consortium x month / quarter / year, grid x year, the
-- year-on-year change with its interval, and the funnel view; in the
-- warehouse (exact) against counts worked out by hand, and in the
-- published layer (rounded) as sums of its own cells.
SET search_path = public, health_share;
SET client_min_messages = warning;
SELECT install_model('gr');
RESET client_min_messages;
SELECT gr.add_partitions(DATE '2023-01-01', DATE '2024-12-01');
-- 德清县 330521 and 长兴县 330522 are in 湖州市 330500, 余杭区 330110 in 杭州市
-- 330100.  Consortium 1 serves 德清县, consortium 2 (a city group) 湖州市.
INSERT INTO gr.facility (id, name, care_level, county, grid_id) VALUES
  (10, '德清县人民医院', 'secondary', '330521', NULL), (11, '武康街道社区卫生服务中心', 'primary', '330521', NULL),
  (20, '长兴县人民医院', 'secondary', '330522', NULL), (30, '浙大一院余杭院区', 'tertiary', '330110', NULL);
INSERT INTO gr.consortium (id, name, kind, area, lead_facility_id) VALUES
  (1, '德清县医共体', 'county_community', '330521', 10), (2, '湖州市城市医疗集团', 'city_group', '330500', 20);
INSERT INTO gr.grid (id, name, consortium_id, lead_facility_id) VALUES (1, '武康网格', 1, 10);
UPDATE gr.facility SET grid_id = 1 WHERE id IN (10, 11);
INSERT INTO gr.unit (code, name, lon, lat) VALUES ('330521001', '武康街道', 119.96, 30.55);
INSERT INTO gr.grid_member VALUES ('330521001', 1);
INSERT INTO gr.population (unit, year, population) VALUES ('330521001', 2024, 1000);
-- Visits, each paying 100 fen from the fund:
--   2023-01 德清: 5 at 10, 5 at 30                      (10 visits, 5 in the county)
--   2024-01 德清: 6 at 10, 2 at 11, 2 at 20, 1 at 30     (11)
--   2024-02 德清: 4 at 10, 1 at 30 (inpatient)           (5)
--   2024-04 德清: 3 at 10                                (3)
--   2024-01 长兴: 5 at 20, 3 at 10, 2 at 30              (10)
--   2024-03 长兴: 4 at 20                                (4)
CREATE FUNCTION pg_temp.visits(d date, residence text, facility integer, n integer, kind text DEFAULT 'outpatient')
	RETURNS void LANGUAGE sql AS $$
	INSERT INTO gr.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen)
	SELECT d, residence::adcode, facility, kind, 200, 100 FROM generate_series(1, n) $$;
SELECT pg_temp.visits('2023-01-10', '330521', 10, 5), pg_temp.visits('2023-01-10', '330521', 30, 5),
	   pg_temp.visits('2024-01-10', '330521', 10, 6), pg_temp.visits('2024-01-11', '330521', 11, 2),
	   pg_temp.visits('2024-01-12', '330521', 20, 2), pg_temp.visits('2024-01-13', '330521', 30, 1),
	   pg_temp.visits('2024-02-10', '330521', 10, 4), pg_temp.visits('2024-02-11', '330521', 30, 1, 'inpatient'),
	   pg_temp.visits('2024-04-10', '330521', 10, 3),
	   pg_temp.visits('2024-01-10', '330522', 20, 5), pg_temp.visits('2024-01-11', '330522', 10, 3),
	   pg_temp.visits('2024-01-12', '330522', 30, 2), pg_temp.visits('2024-03-10', '330522', 20, 4) \g /dev/null
-- Referrals of 德清 residents in 2024: 11 -> 10 (up, inside grid 1),
-- 10 -> 30 (up, out of grid 1), 20 -> 10 (lateral, into grid 1).
INSERT INTO gr.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES
  ('2024-01-05', 11, 10, '330521'), ('2024-01-06', 10, 30, '330521'), ('2024-02-07', 20, 10, '330521');
SELECT refresh_model('gr');

-- County x quarter (exact).  德清 2024 Q1: 16 visits (11 + 5), 12 in the
-- county (6 + 2 + 4): 0.75; Q2: 3 of 3.  长兴 2024 Q1: 14 visits, 9 in the
-- county: 9/14 = 0.642857...  The change of 德清 Q1 over 2023 Q1 (5/10):
-- 0.25, Newcombe 95 % -0.10972204724359136 .. 0.5522255984347104, pooled z
-- test p = 0.19237347523464587 (computed in Python).
SELECT county, quarter, visits, in_county_rate, inpatient_visits, served_visits,
	   round(in_county_rate_change::numeric, 12) AS change,
	   round(in_county_rate_change_lower::numeric, 12) AS change_lower,
	   round(in_county_rate_change_upper::numeric, 12) AS change_upper,
	   round(in_county_rate_change_p::numeric, 12) AS change_p
  FROM gr.county_quarter WHERE county IN ('330521', '330522') ORDER BY 1, 2;
-- A quarter is the sum of its months: every count of county_quarter equals
-- the sum over its months of the exact cells.
SELECT bool_and(q.visits = (SELECT sum(c.visits) FROM gr.visit_cell AS c
							 WHERE c.residence_county = q.county
							   AND c.month >= q.quarter AND c.month < q.quarter + interval '3 months')) AS quarters_add_up
  FROM gr.county_quarter AS q WHERE q.visits > 0;

-- City x quarter and year (exact).  湖州 2024 Q1: 30 visits of its residents
-- (16 + 14), 26 at facilities in 湖州 (all but 德清's 1 + 1 and 长兴's 2 at
-- 余杭): 26/30 = 0.8666...; Wilson 95 % 0.703186733179637 ..
-- 0.9469034451594526; served by 湖州's facilities: 26; grassroots share
-- 2/26 (the two visits at 武康, outpatient at 湖州's facilities 26).  The
-- year: 33 visits, 29 inside: 29/33 = 0.878787...  The fund's share is NULL:
-- only 4 visits lie outside (fewer than min_cell 5).  杭州 (余杭): no
-- residents' visits, 4 served.
SELECT city, city_name, quarter, visits, in_city_rate, round(in_city_ci_lower::numeric, 12) AS ci_lower,
	   round(in_city_ci_upper::numeric, 12) AS ci_upper, served_visits, grassroots_share, fund_in_city_share, in_area
  FROM gr.city_quarter ORDER BY 1, 3;
SELECT city, year, visits, in_city_rate, fund_in_city_share FROM gr.city_year ORDER BY 1, 2;
-- Consortium x quarter: consortium 1 = 德清's residents (12/16), consortium
-- 2 = 湖州's (26/30), as defined (the consortium's area).
SELECT consortium_id, consortium_name, quarter, visits, in_consortium_rate, served_visits
  FROM gr.consortium_quarter ORDER BY 1, 3;
-- With min_cell 1 the fund's share is shown: 湖州 2024, 29 of 33 visits
-- inside, each 100 fen: 29/33.
UPDATE gr.model_config SET min_cell = 1;
SELECT city, year, fund_in_city_share FROM gr.city_year WHERE city = '330500' ORDER BY year;
UPDATE gr.model_config SET min_cell = 5;

-- Grid x year: grid 1 (facilities 10 and 11): 1 referral inside (11 -> 10,
-- up), 1 out (10 -> 30), 1 in (20 -> 10); the share inside 1/2.
SELECT grid_id, year, population, referrals_within_grid, referrals_up_within_grid, referrals_out_of_grid,
	   referrals_into_grid, referrals_within_share
  FROM gr.grid_year;

-- The published layer: its quarters are the sums of its published months,
-- its cities the sums of their counties, consortium 2 equals 湖州 - exactly,
-- whatever the rounding.
SELECT bool_and(q.visits = (SELECT coalesce(sum(m.visits), 0) FROM gr_pub.county_month AS m
							 WHERE m.county = q.county AND m.month >= q.quarter AND m.month < q.quarter + interval '3 months')
			AND q.served_visits = (SELECT coalesce(sum(m.served_visits), 0) FROM gr_pub.county_month AS m
									WHERE m.county = q.county AND m.month >= q.quarter AND m.month < q.quarter + interval '3 months'))
		 AS quarters_add_up
  FROM gr_pub.county_quarter AS q;
SELECT bool_and(c.visits = (SELECT coalesce(sum(q.visits), 0) FROM gr_pub.county_quarter AS q
							 WHERE CAST(adcode_city(CAST(q.county AS adcode)) AS text) = c.city AND q.quarter = c.quarter)) AS cities_add_up
  FROM gr_pub.city_quarter AS c;
SELECT (k.visits, k.in_consortium_rate, k.served_visits) = (c.visits, c.in_city_rate, c.served_visits) AS consortium_is_its_city
  FROM gr_pub.consortium_year AS k JOIN gr_pub.city_year AS c ON c.city = '330500' AND c.year = k.year
 WHERE k.consortium_id = 2;
SELECT count(*) FILTER (WHERE visits % 5 <> 0 OR served_visits % 5 <> 0) AS unrounded FROM gr_pub.city_month;

-- The funnel: the warehouse's view against funnel_limits for each row
-- (target 0.9 from the catalog).  It reads county_year_mat, where 德清's
-- 2024 rate is suppressed (4 visits outside the county): its rows are
-- 德清 2023 (5/10) and 长兴 2024 (9/14 = 0.643).  Exact binomial limits
-- around 0.9 (Python, fractions): n 10: 95 % lower 0.6213, 99.8 % lower
-- 0.4573; n 14: 0.6751 and 0.5452: both rates lie below 95 %, not below
-- 99.8 %.
SELECT f.county, f.year, f.visits, round(f.in_county_rate::numeric, 6) AS rate, f.target,
	   (f.lower_95, f.upper_95) = (SELECT l.lower, l.upper FROM funnel_limits(0.9, f.visits, 0.95) AS l) AS limits_95,
	   (f.lower_998, f.upper_998) = (SELECT l.lower, l.upper FROM funnel_limits(0.9, f.visits, 0.998) AS l) AS limits_998,
	   f.position
  FROM gr.county_year_funnel AS f ORDER BY 1, 2;

SET client_min_messages = warning;
DROP SCHEMA gr_pub CASCADE;
DROP SCHEMA gr CASCADE;
