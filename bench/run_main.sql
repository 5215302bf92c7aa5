-- bench/run, single-node part: rates, flows, inequality, parallel speed-up,
-- state sizes, on the demo model loaded by tools/model/demo_data.sql.
-- psql variables: reps (timed runs per side), schema (the demo schema).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
SET search_path = public, health_share;

-- A flat copy of the demo visits with the facility's attributes joined in,
-- so that both sides read the same table and the plain-SQL side gets its
-- keys as ready bigint columns (the cheapest form it could have):
--   grassroots  visit at a village clinic or township / community centre
--   residence   patient's township (adcode), facility: the facility's county (adcode)
--   rc, fc      the same two counties as bigint
--   o, d, dt    residence township, facility id, facility township (county
--               for hospitals outside townships) as bigint: flow keys
--   y           the visit's cost in yuan (inequality rows)
CREATE UNLOGGED TABLE bv AS
SELECT v.id,
	   f.care_level <= 'primary' AS grassroots,
	   v.residence, f.county AS facility,
	   adcode_county(v.residence)::bigint AS rc, f.county::bigint AS fc,
	   v.residence::bigint AS o, f.id::bigint AS d, coalesce(f.township, f.county)::bigint AS dt,
	   v.total_fen / 100.0::float8 AS y
  FROM :"schema".visit AS v JOIN :"schema".facility AS f ON f.id = v.facility_id;
VACUUM ANALYZE bv;

-- The answers agree before anything is timed.
SELECT rate(grassroots) = hs_rate(count(*) FILTER (WHERE grassroots), count(grassroots))
   AND in_county_rate(residence, facility) = hs_rate(count(*) FILTER (WHERE rc = fc), count(*)) AS same_rates
  FROM bv \gset
\if :same_rates
\else
	\echo 'rate answers disagree' \quit
\endif
CREATE TABLE stored AS SELECT flow_agg(o, dt) AS f FROM bv;
CREATE TABLE pairs AS SELECT o, dt AS d, count(*) AS n FROM bv GROUP BY 1, 2;
VACUUM ANALYZE stored, pairs;
SELECT (SELECT count(*) FROM (SELECT * FROM flow_entries((SELECT f FROM stored)) EXCEPT SELECT o, d, n FROM pairs) x) = 0
   AND (SELECT count(*) FROM pairs) = (SELECT count(*) FROM flow_entries((SELECT f FROM stored))) AS same_cells \gset
\if :same_cells
\else
	\echo 'flow_agg and GROUP BY disagree' \quit
\endif

INSERT INTO bench.info
SELECT 20, 'rows', 'demo visits (' || :'schema' || '.visit)', to_char(count(*), 'FM999,999,999,999') FROM :"schema".visit
UNION ALL SELECT 21, 'rows', 'demo referrals', to_char(count(*), 'FM999,999,999,999') FROM :"schema".referral
UNION ALL SELECT 22, 'rows', 'facilities', count(*)::text FROM :"schema".facility
UNION ALL SELECT 23, 'rows', 'residence townships', count(DISTINCT o)::text FROM bv
UNION ALL SELECT 24, 'rows', 'distinct (township, facility) pairs', count(*)::text FROM (SELECT DISTINCT o, d FROM bv) s
UNION ALL SELECT 25, 'rows', 'distinct (township, township) pairs (flow_regions matrix)', count(*)::text FROM pairs
UNION ALL SELECT 26, 'rows', 'bench table bv (visits joined with facility)', pg_size_pretty(pg_relation_size('bv'));

\set serial 'max_parallel_workers_per_gather=0'
\set par2 'max_parallel_workers_per_gather=2,parallel_setup_cost=0,parallel_tuple_cost=0,min_parallel_table_scan_size=0'

-- Rates ---------------------------------------------------------------------
SELECT bench.pair(10, 'rate(bool), whole table', 'count(*) FILTER, count()',
	$$SELECT rate(grassroots) FROM bv$$,
	$$SELECT count(*) FILTER (WHERE grassroots), count(grassroots) FROM bv$$,
	'≤ 1.3×', 'le', 1.3, :reps, :'serial', :'serial');
SELECT bench.pair(11, 'rate(bool), GROUP BY county', 'count(*) FILTER, count() GROUP BY',
	$$SELECT rc, rate(grassroots) FROM bv GROUP BY 1$$,
	$$SELECT rc, count(*) FILTER (WHERE grassroots), count(grassroots) FROM bv GROUP BY 1$$,
	'≤ 1.3×', 'le', 1.3, :reps, :'serial', :'serial');
SELECT bench.pair(12, 'in_county_rate(adcode, adcode), whole table', 'count(*) FILTER (rc = fc) on bigint county columns',
	$$SELECT in_county_rate(residence, facility) FROM bv$$,
	$$SELECT count(*) FILTER (WHERE rc = fc), count(*) FROM bv$$,
	'≤ 1.3×', 'le', 1.3, :reps, :'serial', :'serial');
SELECT bench.pair(13, 'in_county_rate, GROUP BY county', 'count(*) FILTER (rc = fc) GROUP BY',
	$$SELECT rc, in_county_rate(residence, facility) FROM bv GROUP BY 1$$,
	$$SELECT rc, count(*) FILTER (WHERE rc = fc), count(*) FROM bv GROUP BY 1$$,
	'≤ 1.3×', 'le', 1.3, :reps, :'serial', :'serial');

-- Flows ---------------------------------------------------------------------
SELECT bench.pair(20, 'flow_agg(township, facility)', 'SELECT o, d, count(*) GROUP BY o, d',
	$$SELECT flow_total(flow_agg(o, d)) FROM bv$$,
	$$SELECT sum(n) FROM (SELECT o, d, count(*) AS n FROM bv GROUP BY o, d) s$$,
	'≤ 1.0×', 'le', 1.0, :reps, :'serial', :'serial');
\set regions_sql 'SELECT count(*), sum(residents), sum(served), sum(retained), sum(li), sum(lifo), sum(npf) FROM (SELECT coalesce(r.region, s.region) AS region, coalesce(r.residents, 0) AS residents, coalesce(s.served, 0) AS served, coalesce(r.retained, 0) AS retained, r.retained::float8 / nullif(r.residents, 0) AS li, coalesce(r.retained, 0)::float8 / nullif(s.served, 0) AS lifo, s.served::float8 / nullif(r.residents, 0) AS npf FROM (SELECT o AS region, sum(n) AS residents, coalesce(sum(n) FILTER (WHERE o = d), 0) AS retained FROM pairs GROUP BY o) r FULL JOIN (SELECT d AS region, sum(n) AS served FROM pairs GROUP BY d) s ON r.region = s.region) x'
SELECT bench.pair(21, 'flow_regions(stored flowmatrix)', 'SQL GROUP BY + FULL JOIN over stored (o, d, n) pairs',
	$$SELECT count(*), sum(residents), sum(served), sum(retained), sum(li), sum(lifo), sum(npf) FROM flow_regions((SELECT f FROM stored))$$,
	:'regions_sql', '≥ 3× faster', 'ge', 3, 5 * :reps, :'serial', :'serial');
SELECT bench.pair(22, 'flow_regions(flow_agg(township, township)) from visits', 'SQL GROUP BY o, d, then GROUP BY + FULL JOIN',
	$$SELECT count(*), sum(residents), sum(served), sum(retained), sum(li), sum(lifo), sum(npf) FROM flow_regions((SELECT flow_agg(o, dt) FROM bv))$$,
	'WITH pairs AS (SELECT o, dt AS d, count(*) AS n FROM bv GROUP BY o, dt) ' || :'regions_sql',
	NULL, NULL, NULL, :reps, :'serial', :'serial', 'end to end, reference: the scan and build dominate, see the flow_agg row');

-- Inequality ----------------------------------------------------------------
SELECT bench.pair(40, 'gini(cost) over every visit', 'percentile_cont(0.5) WITHIN GROUP (ORDER BY cost), work_mem 2GB',
	$$SELECT gini(y) FROM bv$$,
	$$SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY y) FROM bv$$,
	'≤ 2×', 'le', 2, :reps, :'serial' || ',work_mem=2GB', :'serial' || ',work_mem=2GB');

-- Parallel speed-up: ours = 2 workers, baseline column = the same query serial.
SELECT bench.pair(50, 'parallel: rate(bool), 2 workers vs 0', 'same query, 0 workers',
	$$SELECT rate(grassroots) FROM bv$$, $$SELECT rate(grassroots) FROM bv$$,
	'speed-up ≥ 1.6×', 'ge', 1.6, :reps, :'par2', :'serial');
SELECT bench.pair(51, 'parallel: in_county_rate, 2 workers vs 0', 'same query, 0 workers',
	$$SELECT in_county_rate(residence, facility) FROM bv$$, $$SELECT in_county_rate(residence, facility) FROM bv$$,
	'speed-up ≥ 1.6×', 'ge', 1.6, :reps, :'par2', :'serial');
SELECT bench.pair(52, 'parallel: flow_agg(township, facility), 2 workers vs 0', 'same query, 0 workers',
	$$SELECT flow_total(flow_agg(o, d)) FROM bv$$, $$SELECT flow_total(flow_agg(o, d)) FROM bv$$,
	'speed-up ≥ 1.6×', 'ge', 1.6, :reps, :'par2', :'serial');
SELECT bench.pair(53, 'parallel (reference): count(*) FILTER, 2 workers vs 0', 'same query, 0 workers',
	$$SELECT count(*) FILTER (WHERE grassroots), count(grassroots) FROM bv$$,
	$$SELECT count(*) FILTER (WHERE grassroots), count(grassroots) FROM bv$$,
	NULL, NULL, NULL, :reps, :'par2', :'serial', 'what the machine allows');

-- State sizes.
INSERT INTO bench.info
SELECT 40, 'state sizes', 'flowmatrix flow_agg(township, facility): flat bytes (pg_column_size)', pg_column_size(flow_agg(o, d))::text FROM bv
UNION ALL SELECT 41, 'state sizes', 'flowmatrix flow_agg(township, township): flat bytes', pg_column_size(flow_agg(o, dt))::text FROM bv
UNION ALL SELECT 42, 'state sizes', 'plain-SQL equivalent: (o, d, n) pairs table', pg_size_pretty(pg_total_relation_size('pairs'))
UNION ALL SELECT 43, 'state sizes', 'gini state: rows × 16 bytes (one (value, weight) pair of float8 per row; array doubles, so up to 2×)',
	to_char(count(y), 'FM999,999,999') || ' × 16 B = ' || pg_size_pretty(16 * count(y)) FROM bv;
