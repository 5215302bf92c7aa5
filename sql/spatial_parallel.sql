-- spatial aggregates under forced parallel plans give the serial answers.
SET search_path = health_share, public;
SELECT setseed(0.25);
CREATE TABLE sp_pop AS SELECT i::bigint AS id, 119 + 2 * random() AS lon, 29 + 2 * random() AS lat,
       floor(500 * random())::bigint AS pop FROM generate_series(1, 60000) i;
CREATE TABLE sp_fac AS SELECT i::bigint AS id, 119 + 2 * random() AS lon, 29 + 2 * random() AS lat,
       (1 + floor(30 * random()))::float8 AS supply FROM generate_series(1, 400) i;
ANALYZE sp_pop; ANALYZE sp_fac;
CREATE TABLE s_fs AS SELECT facility_set(id, lon, lat, supply) AS fs FROM sp_fac;
CREATE TABLE s_serial AS
SELECT (SELECT coverage(fs, lon, lat, pop, 5000) FROM sp_pop, s_fs) AS cov,
       (SELECT fca_demand(fs, lon, lat, pop, 10000, 'gaussian', '3sfca') FROM sp_pop, s_fs) AS r;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT facility_set(id, lon, lat, supply) FROM sp_fac;
EXPLAIN (COSTS OFF) SELECT fca_demand((SELECT fs FROM s_fs), lon, lat, pop, 10000) FROM sp_pop;
EXPLAIN (COSTS OFF) SELECT coverage((SELECT fs FROM s_fs), lon, lat, pop, 5000) FROM sp_pop;
-- facility_set: canonical order, so the parallel value is identical.
SELECT facility_set(id, lon, lat, supply)::text = (SELECT fs::text FROM s_fs) AS fs_same FROM sp_fac;
-- coverage: exact counts.
SELECT coverage((SELECT fs FROM s_fs), lon, lat, pop, 5000) = (SELECT cov FROM s_serial) AS coverage_same FROM sp_pop;
-- fca_demand: partial demands merge by addition; the ratios agree to
-- rounding (the additions happen in another order).
CREATE TABLE s_par AS
SELECT fca_demand((SELECT fs FROM s_fs), lon, lat, pop, 10000, 'gaussian', '3sfca') AS r FROM sp_pop;
SELECT count(*) AS facilities, bool_and(abs(a.ratio - b.ratio) <= 1e-12 * abs(b.ratio)) AS ratios_same
  FROM facility_entries((SELECT r FROM s_par)) a JOIN facility_entries((SELECT r FROM s_serial)) b USING (id);
-- fca_access in a parallel scan equals the serial one.
CREATE TABLE s_acc_par AS SELECT id, fca_access((SELECT r FROM s_serial), lon, lat) AS a FROM sp_pop;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
SELECT count(*) AS points, bool_and(p.a = fca_access((SELECT r FROM s_serial), s.lon, s.lat)) AS access_same
  FROM s_acc_par p JOIN sp_pop s USING (id);
-- Σ P·A = Σ S over the facilities with demand (binary decay).
SELECT round(sum(pop * fca_access((SELECT fca_demand((SELECT fs FROM s_fs), lon, lat, pop, 10000) FROM sp_pop), lon, lat))::numeric, 6) =
       round((SELECT sum(supply) FROM facility_entries((SELECT fca_demand((SELECT fs FROM s_fs), lon, lat, pop, 10000) FROM sp_pop)) WHERE ratio > 0)::numeric, 6)
       AS invariant
  FROM sp_pop;
DROP TABLE sp_pop, sp_fac, s_fs, s_serial, s_par, s_acc_par;
