-- Planning: site_select (maximal covering), site_select_median (p-median),
-- site_select_costs and grid_design.  Each small instance is also solved by
-- exhaustive enumeration in plain SQL (hs_distance and sums over every
-- subset or assignment): the heuristics must reach that optimum.
SET search_path = health_share, public;
SET extra_float_digits = 0;

-- 9 candidate sites on a 3 x 3 lattice 0.03° apart and 60 demand points
-- spread over it by fixed formulas (no random numbers).
CREATE TABLE pl_cand AS
SELECT i::bigint AS id, 120 + (i % 3) * 0.03 AS lon, 30 + (i / 3) * 0.03 AS lat
  FROM generate_series(1, 9) i;
CREATE TABLE pl_pt AS
SELECT i::bigint AS id, 119.99 + ((i * 37) % 97) / 97.0 * 0.1 AS lon,
       29.99 + ((i * 61) % 89) / 89.0 * 0.1 AS lat, ((i * 53) % 17 + 1) * 10.0 AS pop
  FROM generate_series(1, 60) i;
CREATE TABLE pl_fs AS SELECT facility_set(id, lon, lat) AS fs FROM pl_cand;

-- Maximal covering, k = 3, radius 2,500 m.  The exhaustive optimum: every
-- one of the C(9,3) = 84 triples, its covered population.
CREATE TABLE pl_cover AS
SELECT ARRAY[a.id, b.id, c.id] AS sites,
       (SELECT sum(p.pop) FROM pl_pt p
         WHERE hs_distance(p.lon, p.lat, a.lon, a.lat) <= 2500
            OR hs_distance(p.lon, p.lat, b.lon, b.lat) <= 2500
            OR hs_distance(p.lon, p.lat, c.lon, c.lat) <= 2500) AS covered
  FROM pl_cand a JOIN pl_cand b ON b.id > a.id JOIN pl_cand c ON c.id > b.id;
SELECT count(*) AS triples, max(covered) AS best,
       (SELECT array_agg(sites ORDER BY sites) FROM pl_cover WHERE covered = (SELECT max(covered) FROM pl_cover)) AS best_sites
  FROM pl_cover;
-- site_select reaches it
SELECT s AS chosen, (SELECT covered FROM pl_cover WHERE sites = s) AS covered,
       (SELECT covered FROM pl_cover WHERE sites = s) = (SELECT max(covered) FROM pl_cover) AS optimal
  FROM (SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 2500, 3) AS s FROM pl_pt) x;

-- With an existing facility at candidate 5's place: the optimum of the
-- 2 new sites among the other 8 by enumeration (C(8,2) = 28 pairs).
CREATE TABLE pl_cover_ex AS
SELECT ARRAY[a.id, b.id] AS sites,
       (SELECT sum(p.pop) FROM pl_pt p
         WHERE hs_distance(p.lon, p.lat, 120.03, 30.03) <= 2500
            OR hs_distance(p.lon, p.lat, a.lon, a.lat) <= 2500
            OR hs_distance(p.lon, p.lat, b.lon, b.lat) <= 2500) AS covered
  FROM pl_cand a JOIN pl_cand b ON b.id > a.id WHERE a.id <> 5 AND b.id <> 5;
SELECT max(covered) AS best,
       (SELECT array_agg(sites ORDER BY sites) FROM pl_cover_ex WHERE covered = (SELECT max(covered) FROM pl_cover_ex)) AS best_sites
  FROM pl_cover_ex;
SELECT s AS chosen, (SELECT covered FROM pl_cover_ex WHERE sites = s) = (SELECT max(covered) FROM pl_cover_ex) AS optimal
  FROM (SELECT site_select((SELECT facility_set(id, lon, lat) FROM pl_cand WHERE id <> 5), lon, lat, pop, 2500, 2,
                           (SELECT facility_set(100, 120.03, 30.03))) AS s FROM pl_pt) x;

-- The cost-table variant with the distances as costs gives the same sites;
-- with site 5 existing, the same as the existing facility above.
SELECT site_select_costs('SELECT p.id, p.pop, c.id, hs_distance(p.lon, p.lat, c.lon, c.lat) FROM pl_pt p, pl_cand c', 2500, 3) AS costs_sites;
SELECT site_select_costs('SELECT p.id, p.pop, c.id, hs_distance(p.lon, p.lat, c.lon, c.lat) FROM pl_pt p, pl_cand c', 2500, 2, '{5}') AS costs_sites_ex;
-- Columns of a domain type are read as their base type (a bigint id, a
-- float8 cost): the optimum of the enumeration again.
CREATE DOMAIN pl_id AS bigint;
CREATE DOMAIN pl_cost AS float8 CHECK (VALUE >= 0);
SELECT s AS chosen, (SELECT covered FROM pl_cover WHERE sites = s) = (SELECT max(covered) FROM pl_cover) AS optimal
  FROM site_select_costs('SELECT p.id::pl_id, p.pop, c.id::pl_id, hs_distance(p.lon, p.lat, c.lon, c.lat)::pl_cost
                            FROM pl_pt p, pl_cand c', 2500, 3) s;

-- p-median, k = 3: every triple's population-weighted distance to its
-- nearest site.
CREATE TABLE pl_median AS
SELECT ARRAY[a.id, b.id, c.id] AS sites,
       (SELECT sum(p.pop * least(hs_distance(p.lon, p.lat, a.lon, a.lat), hs_distance(p.lon, p.lat, b.lon, b.lat),
                                 hs_distance(p.lon, p.lat, c.lon, c.lat))) FROM pl_pt p) AS cost
  FROM pl_cand a JOIN pl_cand b ON b.id > a.id JOIN pl_cand c ON c.id > b.id;
SELECT round(min(cost)) AS best_cost,
       (SELECT array_agg(sites) FROM pl_median WHERE cost <= (SELECT min(cost) FROM pl_median) * (1 + 1e-12)) AS best_sites,
       (SELECT round(min(cost)) FROM pl_median WHERE cost > (SELECT min(cost) FROM pl_median) * (1 + 1e-12)) AS second_cost
  FROM pl_median;
SELECT s AS chosen, (SELECT cost FROM pl_median WHERE sites = s) <= (SELECT min(cost) FROM pl_median) * (1 + 1e-12) AS optimal
  FROM (SELECT site_select_median((SELECT fs FROM pl_fs), lon, lat, pop, 3) AS s FROM pl_pt) x;
-- k = 2 with an existing facility at (120.06, 30.06), the lattice's corner
CREATE TABLE pl_median_ex AS
SELECT ARRAY[a.id, b.id] AS sites,
       (SELECT sum(p.pop * least(hs_distance(p.lon, p.lat, 120.06, 30.06), hs_distance(p.lon, p.lat, a.lon, a.lat),
                                 hs_distance(p.lon, p.lat, b.lon, b.lat))) FROM pl_pt p) AS cost
  FROM pl_cand a JOIN pl_cand b ON b.id > a.id;
SELECT (SELECT array_agg(sites) FROM pl_median_ex WHERE cost <= (SELECT min(cost) FROM pl_median_ex) * (1 + 1e-12)) AS best_sites,
       s AS chosen, (SELECT cost FROM pl_median_ex WHERE sites = s) <= (SELECT min(cost) FROM pl_median_ex) * (1 + 1e-12) AS optimal
  FROM (SELECT site_select_median((SELECT fs FROM pl_fs), lon, lat, pop, 2, (SELECT facility_set(1, 120.06, 30.06))) AS s FROM pl_pt) x;

-- Greedy alone would not do.  On the equator (0.01° = 1,111.95 m, radius
-- 1,170 m): points a 0.00 (10), b 0.01 (10), e 0.02 (5), c 0.03 (10),
-- d 0.04 (10); sites 1 at 0.00 (covers a, b: 20), 2 at 0.02 (b, e, c: 25),
-- 3 at 0.04 (c, d: 20).  Greedy takes 2, then 1 or 3: 35; the optimum
-- {1,3} covers a, b, c, d: 40 (enumerated below); the swap step finds it.
CREATE TABLE pl_line (lon float8, pop float8);
INSERT INTO pl_line VALUES (0.0, 10), (0.01, 10), (0.02, 5), (0.03, 10), (0.04, 10);
SELECT ARRAY[a, b] AS pair,
       sum(pop) FILTER (WHERE hs_distance(lon, 0, (a - 1) * 0.02, 0) <= 1170 OR hs_distance(lon, 0, (b - 1) * 0.02, 0) <= 1170) AS covered
  FROM pl_line, generate_series(1, 3) a, generate_series(1, 3) b
 WHERE a < b GROUP BY a, b ORDER BY a, b;
SELECT site_select((SELECT facility_set(id, (id - 1) * 0.02, 0) FROM generate_series(1, 3) id), lon, 0, pop, 1170, 2) AS sites
  FROM pl_line;

-- grid_design: 10 units, 3 hospitals.  Every one of the 3^10 = 59,049
-- assignments, its capacity check and population-weighted distance.
CREATE TABLE pl_unit AS
SELECT i::bigint AS id, 120 + ((i * 7) % 10) * 0.01 AS lon, 30 + ((i * 3) % 10) * 0.01 AS lat,
       (10 + (i * 13) % 29)::float8 AS pop
  FROM generate_series(1, 10) i;
CREATE TABLE pl_hosp AS
SELECT * FROM (VALUES (11::bigint, 120.01, 30.01, 2.0), (12, 120.08, 30.02, 1.0), (13, 120.05, 30.09, 2.0)) h(id, lon, lat, beds);
SELECT sum(pop) AS population FROM pl_unit;
-- capacity 50 persons per bed: 100, 50, 100 for 242 persons
CREATE TABLE pl_assign AS
SELECT a, sum(u.pop * hs_distance(u.lon, u.lat, h.lon, h.lat)) AS cost
  FROM generate_series(0, 59048) a CROSS JOIN pl_unit u
  JOIN pl_hosp h ON h.id = 11 + (a / (3 ^ (u.id - 1))::int) % 3
 GROUP BY a;
CREATE TABLE pl_feasible AS
SELECT a FROM (
  SELECT a, h.id, sum(u.pop) AS load, max(h.beds) * 50 AS cap
    FROM generate_series(0, 59048) a CROSS JOIN pl_unit u
    JOIN pl_hosp h ON h.id = 11 + (a / (3 ^ (u.id - 1))::int) % 3
   GROUP BY a, h.id) s
 GROUP BY a HAVING bool_and(load <= cap);
SELECT count(*) AS feasible, round(min(cost)) AS best_cost
  FROM pl_assign JOIN pl_feasible USING (a);
CREATE TABLE pl_gd AS
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), 50);
-- every unit exactly once, every capacity kept, the optimum reached
SELECT count(*) AS rows, count(DISTINCT unit_id) AS units,
       (SELECT count(*) FROM pl_unit u WHERE NOT EXISTS (SELECT FROM pl_gd g WHERE g.unit_id = u.id)) AS missing
  FROM pl_gd;
SELECT g.hospital_id, sum(u.pop) AS load, max(h.beds) * 50 AS capacity, sum(u.pop) <= max(h.beds) * 50 AS within
  FROM pl_gd g JOIN pl_unit u ON u.id = g.unit_id JOIN pl_hosp h ON h.id = g.hospital_id
 GROUP BY 1 ORDER BY 1;
SELECT round(sum(u.pop * g.distance)) AS cost,
       abs(sum(u.pop * g.distance) - (SELECT min(cost) FROM pl_assign JOIN pl_feasible USING (a))) <= 1e-9 * sum(u.pop * g.distance) AS optimal,
       bool_and(abs(g.distance - hs_distance(u.lon, u.lat, h.lon, h.lat)) <= 1e-9) AS distances_right
  FROM pl_gd g JOIN pl_unit u ON u.id = g.unit_id JOIN pl_hosp h ON h.id = g.hospital_id;
-- without capacities every unit goes to its nearest hospital
SELECT bool_and(g.hospital_id = (nearest_facility((SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), u.lon, u.lat)).id) AS nearest,
       count(*) AS units
  FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp)) g
  JOIN pl_unit u ON u.id = g.unit_id;
-- the uncapacitated optimum is the unconstrained minimum of the enumeration
SELECT round(sum(u.pop * g.distance)) = round((SELECT min(cost) FROM pl_assign)) AS nearest_is_minimum
  FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp)) g
  JOIN pl_unit u ON u.id = g.unit_id;

-- The state: text round trip, partial states merged
CREATE AGGREGATE pg_temp.ss_partial(facility_set, float8, float8, float8, float8, int) (
	SFUNC = site_select_accum, STYPE = site_select_state);
CREATE AGGREGATE pg_temp.ss_merge(site_select_state) (
	SFUNC = site_select_combine, STYPE = site_select_state, FINALFUNC = site_select_final);
SELECT pg_temp.ss_partial(fs, 120.01, 30, 5, 2000, 1) FROM (SELECT facility_set(1, 120, 30) AS fs) f;
SELECT 'cover;k=1;radius=2000;candidates={(1,120,30,1)};existing=;points={(120.01,30,5)}'::site_select_state;
SELECT 'median;k=2;candidates={(1,120,30,1),(2,121,30,1)};existing={(9,120.5,30,1)};points={}'::site_select_state;
CREATE TABLE pl_parts AS
SELECT id % 4 AS part, pg_temp.ss_partial((SELECT fs FROM pl_fs), lon, lat, pop, 2500, 3)::text AS st
  FROM pl_pt GROUP BY 1;
SELECT pg_temp.ss_merge(st::site_select_state) AS merged_sites,
       bool_and(st::site_select_state::text = st) AS text_round_trip
  FROM pl_parts;

-- Bad input
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 2500, 0) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 2500, 10) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 0, 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, -5, 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 'NaN', 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, -1, 2500, 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), 200, lat, pop, 2500, 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 2500 + id, 3) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select(CASE WHEN id < 5 THEN (SELECT fs FROM pl_fs) ELSE (SELECT facility_set(1, 120, 30)) END, lon, lat, pop, 2500, 1) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select((SELECT fs FROM pl_fs), lon, lat, pop, 2500, 1, CASE WHEN id < 5 THEN NULL ELSE (SELECT facility_set(1, 120, 30)) END) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select(fs, 120, 30, 1, 2500, 1) FROM (SELECT fca_demand((SELECT fs FROM pl_fs), lon, lat, pop, 2500) AS fs FROM pl_pt) d;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select('{(1,120,30,1),(1,121,30,1)}'::facility_set, 120, 30, 1, 2500, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_median((SELECT fs FROM pl_fs), lon, lat, pop, 10) FROM pl_pt;
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2, 5.0', 0, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2, 5.0', 10, 2);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2, -5.0', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2, 5.0 UNION ALL SELECT 1, 20, 3, 5.0', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), 40);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), 0);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, CASE WHEN id = 4 THEN NULL ELSE lon END, lat, pop FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, CASE WHEN id = 4 THEN 400 ELSE pop END FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp), 100);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT 1, 120, 30, 5 UNION ALL SELECT 1, 120, 30, 6', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat FROM pl_unit', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit', '{}'::facility_set);
\echo :LAST_ERROR_SQLSTATE
-- The queries run read-only: a statement that writes is refused (0A000;
-- two statements 42P11), and nothing is written.
SELECT site_select_costs('DELETE FROM pl_cand RETURNING 1, 10, id, 5.0', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('WITH d AS (DELETE FROM pl_cand RETURNING id) SELECT 1, 10, id, 5.0 FROM d', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('UPDATE pl_unit SET pop = 0 RETURNING id, lon, lat, pop', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp));
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM grid_design('SELECT id, lon, lat, pop FROM pl_unit FOR UPDATE', (SELECT facility_set(id, lon, lat, beds) FROM pl_hosp));
\echo :LAST_ERROR_SQLSTATE
SELECT site_select_costs('SELECT 1, 10, 2, 5.0; DELETE FROM pl_cand', 10, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM pl_cand) AS candidates, (SELECT count(*) FROM pl_unit WHERE pop = 0) AS units_emptied;
SELECT 'cover;k=0;radius=2000;candidates={(1,120,30,1)};existing=;points={}'::site_select_state;
\echo :LAST_ERROR_SQLSTATE
SELECT 'cover;k=1;radius=2000;candidates={(1,120,30,1)};existing=;points={(120,30,-1)}'::site_select_state;
\echo :LAST_ERROR_SQLSTATE
SELECT 'cover;k=1;candidates={(1,120,30,1)};existing=;points={}'::site_select_state;
\echo :LAST_ERROR_SQLSTATE
SELECT 'cover;k=1;radius=2000;candidates={(1,120,30,1)};existing=;points={(120,30,1)'::site_select_state;
\echo :LAST_ERROR_SQLSTATE

-- Under a forced parallel plan the answers equal the serial ones
SELECT setseed(0.5);
CREATE TABLE pl_big AS SELECT i::bigint AS id, 119.5 + random() AS lon, 29.5 + random() AS lat,
       floor(1000 * random())::float8 AS pop FROM generate_series(1, 20000) i;
CREATE TABLE pl_bigc AS SELECT facility_set(i, 119.5 + random(), 29.5 + random()) AS fs FROM generate_series(1, 150) i;
ANALYZE pl_big;
CREATE TABLE pl_serial AS
SELECT site_select((SELECT fs FROM pl_bigc), lon, lat, pop, 5000, 8) AS cover,
       site_select_median((SELECT fs FROM pl_bigc), lon, lat, pop, 8) AS median FROM pl_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT site_select((SELECT fs FROM pl_bigc), lon, lat, pop, 5000, 8) FROM pl_big;
SELECT p.cover = s.cover AS cover_same, p.median = s.median AS median_same, cardinality(p.cover) AS k
  FROM pl_serial s,
       (SELECT site_select((SELECT fs FROM pl_bigc), lon, lat, pop, 5000, 8) AS cover,
               site_select_median((SELECT fs FROM pl_bigc), lon, lat, pop, 8) AS median FROM pl_big) p;
DROP TABLE pl_cand, pl_pt, pl_fs, pl_cover, pl_cover_ex, pl_median, pl_median_ex, pl_line, pl_unit, pl_hosp,
	pl_assign, pl_feasible, pl_gd, pl_parts, pl_big, pl_bigc, pl_serial;
DROP DOMAIN pl_id, pl_cost;
RESET ALL;
