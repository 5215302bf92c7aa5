-- The model's planning objects: grid_proposal_units, grid_proposal and
-- next_primary_sites on the fixture of sql/model.sql (its first part).
SET search_path = health_share, public;
SET extra_float_digits = 0;
SELECT install_model('mp');
BEGIN;
INSERT INTO mp.consortium (id, name, kind, area, lead_facility_id) VALUES
  (1, '德清县医共体', 'county_community', '330521', 10),
  (2, '长兴县医共体', 'county_community', '330522', 20);
INSERT INTO mp.facility (id, name, care_level, county, township, lon, lat, beds, doctors, consortium_id, grid_id) VALUES
  (10, '德清县人民医院', 'secondary', '330521', '330521001', 119.97, 30.54, 800, 300, 1, 1),
  (11, '武康街道社区卫生服务中心', 'primary', '330521', '330521001', 119.96, 30.55, 20, 15, 1, 1),
  (12, '新市镇中心卫生院', 'primary', '330521', '330521102', 120.29, 30.62, 60, 30, 1, 1),
  (13, '新市镇白彪村卫生室', 'village', '330521', '330521102', 120.27, 30.63, 0, 2, 1, 1),
  (20, '长兴县人民医院', 'secondary', '330522', '330522001', 119.91, 31.02, 900, 320, 2, 2),
  (21, '雉城街道社区卫生服务中心', 'primary', '330522', '330522001', 119.90, 31.03, 30, 18, 2, 2),
  (30, '湖州市中心医院', 'tertiary', '330502', NULL, 120.09, 30.87, 1800, 700, NULL, NULL);
INSERT INTO mp.grid (id, name, consortium_id, lead_facility_id) VALUES
  (1, '德清网格一', 1, 10), (2, '长兴网格一', 2, 20);
COMMIT;
INSERT INTO mp.unit (code, name, lon, lat, area_km2) VALUES
  ('330521001', '武康街道', 119.96, 30.55, 90),
  ('330521102', '新市镇', 120.29, 30.62, 100),
  ('330522001', '雉城街道', 119.90, 31.03, 40),
  ('330522101', '洪桥镇', 119.85, 31.10, 60);
INSERT INTO mp.grid_member VALUES ('330521001', 1), ('330521102', 1), ('330522001', 2);  -- 洪桥镇 in no grid
INSERT INTO mp.population (unit, year, residence_def, population, elderly) VALUES
  ('330521001', 2024, 'resident', 100000, 20000),
  ('330521102', 2024, 'resident', 80000, 16000),
  ('330522001', 2024, 'resident', 90000, 18000),
  ('330522101', 2024, 'resident', 30000, 6000),
  ('330521001', 2024, 'registered', 95000, 21000);

-- The distances from each unit to the two lead hospitals (10 德清, 20 长兴):
-- 武康 and 新市 are nearest to 10, 雉城 and 洪桥 to 20.
SELECT u.name, round(hs_distance(u.lon, u.lat, 119.97, 30.54)) AS to_10, round(hs_distance(u.lon, u.lat, 119.91, 31.02)) AS to_20
  FROM mp.unit u ORDER BY u.code;
-- Without capacities every unit goes to its nearest lead hospital: only
-- 洪桥镇 (in no grid now) changes, to 20.
SELECT unit, unit_name, population, current_grid_id, current_lead_id, round(current_m) AS current_m,
       proposed_lead_id, proposed_grid_id, round(proposed_m) AS proposed_m, moves
  FROM mp.grid_proposal_units(2024);
-- The view: 10 keeps 180,000 residents (225 per bed: 180000 / 800); 20
-- grows from 90,000 to 120,000 (100 and 133.33 per bed of 900); the mean
-- distances are the population-weighted means of the distances above.
SELECT lead_facility_id, lead_name, beds, year, units_now, units_proposed, population_now, population_proposed,
       units_leaving, population_leaving, units_joining, population_joining,
       round(mean_m_now) AS mean_m_now, round(mean_m_proposed) AS mean_m_proposed,
       round(persons_per_bed_now::numeric, 2) AS per_bed_now, round(persons_per_bed_proposed::numeric, 2) AS per_bed_proposed
  FROM mp.grid_proposal ORDER BY 1;
SELECT round((100000 * hs_distance(119.96, 30.55, 119.97, 30.54) + 80000 * hs_distance(120.29, 30.62, 119.97, 30.54)) / 180000) AS mean_10,
       round((90000 * hs_distance(119.90, 31.03, 119.91, 31.02) + 30000 * hs_distance(119.85, 31.10, 119.91, 31.02)) / 120000) AS mean_20_proposed;
-- 200 persons per bed: 160,000 at 10 and 180,000 at 20.  Of the 16
-- assignments, the feasible ones and their population-weighted distance:
-- the least keeps 武康 at 10, moves 洪桥 to 10 and 新市 to 20.
SELECT string_agg(CASE WHEN (a >> (n - 1)) % 2 = 0 THEN '10' ELSE '20' END, ',' ORDER BY n) AS leads_of_units,
       round(sum(pop * CASE WHEN (a >> (n - 1)) % 2 = 0 THEN hs_distance(lon, lat, 119.97, 30.54) ELSE hs_distance(lon, lat, 119.91, 31.02) END)) AS cost
  FROM generate_series(0, 15) a,
       (VALUES (1, 119.96, 30.55, 100000), (2, 120.29, 30.62, 80000), (3, 119.90, 31.03, 90000), (4, 119.85, 31.10, 30000)) u(n, lon, lat, pop)
 GROUP BY a
HAVING sum(pop) FILTER (WHERE (a >> (n - 1)) % 2 = 0) <= 160000 AND sum(pop) FILTER (WHERE (a >> (n - 1)) % 2 = 1) <= 180000
 ORDER BY cost;
SELECT unit_name, proposed_lead_id, moves FROM mp.grid_proposal_units(2024, 200);
-- 150 per bed: 255,000 places for 300,000 residents
SELECT * FROM mp.grid_proposal_units(2024, 150);
\echo :LAST_ERROR_SQLSTATE

-- The next primary sites (radius 4,000 m): 武康, 新市 and 雉城 have a
-- primary facility at their point; 洪桥 is 9 km from 21 (the nearest), so
-- its own point adds its 30,000 residents; a second site adds nothing and
-- goes to the smallest code.
SELECT round(hs_distance(119.85, 31.10, 119.90, 31.03)) AS hongqiao_to_21;
SELECT * FROM mp.next_primary_sites(1);
SELECT * FROM mp.next_primary_sites(2, 2024);
SELECT * FROM mp.next_primary_sites(5);
\echo :LAST_ERROR_SQLSTATE
-- a year without population: nothing to site
SELECT * FROM mp.next_primary_sites(1, 2023);

-- The published layer: refresh_model keeps the answers for the latest year
-- (2024) in planning_unit, planning_lead and planning_site.  The fixture has
-- 4 candidate points, so the default planning_sites = 5 keeps 4: 洪桥
-- (30,000) first, then nothing more to add, the rest by code (武康, 新市,
-- 雉城); 4 units and 2 lead hospitals as above.
SELECT refresh_model('mp');
SELECT unit, unit_name, county, year, population, lon, lat, current_grid_id, current_lead_id, round(current_m) AS current_m,
       proposed_lead_id, proposed_grid_id, round(proposed_m) AS proposed_m, moves
  FROM mp_pub.grid_proposal_units ORDER BY unit;
SELECT lead_facility_id, lead_name, beds, units_now, units_proposed, population_now, population_proposed,
       units_joining, population_joining, round(mean_m_now) AS mean_m_now, round(mean_m_proposed) AS mean_m_proposed,
       round(persons_per_bed_proposed::numeric, 2) AS per_bed_proposed
  FROM mp_pub.grid_proposal ORDER BY 1;
SELECT * FROM mp_pub.next_primary_sites ORDER BY rank;
-- The published views equal the warehouse's answers, row for row (the
-- published codes are the adcodes as text).
SELECT (SELECT count(*) FROM mp_pub.grid_proposal_units) AS pub_units,
       (SELECT count(*) FROM (SELECT unit::text, unit_name, population, current_grid_id, current_lead_id, current_m,
                                     proposed_lead_id, proposed_grid_id, proposed_m, moves FROM mp.grid_proposal_units(2024)
                              EXCEPT
                              SELECT unit, unit_name, population, current_grid_id, current_lead_id, current_m,
                                     proposed_lead_id, proposed_grid_id, proposed_m, moves FROM mp_pub.grid_proposal_units) AS d) AS units_differing,
       (SELECT count(*) FROM (SELECT * FROM mp.grid_proposal EXCEPT SELECT * FROM mp_pub.grid_proposal) AS d) AS leads_differing,
       (SELECT count(*) FROM (SELECT rank, unit::text, unit_name, lon, lat, added_population, covered_population, coverage
                                FROM mp.next_primary_sites(4)
                              EXCEPT
                              SELECT rank, unit, unit_name, lon, lat, added_population, covered_population, coverage
                                FROM mp_pub.next_primary_sites) AS d) AS sites_differing;
-- planning_sites = 1 keeps one site; a second refresh replaces the rows.
UPDATE mp.model_config SET planning_sites = 1;
SELECT refresh_model('mp');
SELECT rank, unit, added_population, coverage FROM mp_pub.next_primary_sites;
UPDATE mp.model_config SET planning_sites = 101;
\echo :LAST_ERROR_SQLSTATE
-- A reader reads the published views and runs none of the functions.
SET client_min_messages = warning;
DROP ROLE IF EXISTS hs_plan_reader;
RESET client_min_messages;
CREATE ROLE hs_plan_reader;
SELECT grant_reader('mp', 'hs_plan_reader');
SET ROLE hs_plan_reader;
SELECT count(*) AS units, count(*) FILTER (WHERE moves) AS moving, sum(population) FILTER (WHERE moves) AS population_moved
  FROM mp_pub.grid_proposal_units;
SELECT lead_facility_id, population_proposed FROM mp_pub.grid_proposal ORDER BY 1;
SELECT rank, unit_name, added_population FROM mp_pub.next_primary_sites;
SELECT * FROM mp.grid_proposal_units(2024);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM mp.next_primary_sites(1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM mp.planning_site;
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
SELECT has_function_privilege('hs_plan_reader', 'mp.grid_proposal_units(integer, double precision)', 'EXECUTE') AS units_fn,
       has_function_privilege('hs_plan_reader', 'mp.next_primary_sites(integer, integer)', 'EXECUTE') AS sites_fn,
       has_function_privilege('hs_plan_reader', 'mp.refresh_planning()', 'EXECUTE') AS refresh_fn;
SET client_min_messages = warning;
DROP SCHEMA mp, mp_pub CASCADE;
DROP ROLE hs_plan_reader;
RESET client_min_messages;
