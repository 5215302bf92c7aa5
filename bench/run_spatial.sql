-- bench/run, spatial part: coverage and 2SFCA against PostGIS (the Python
-- baselines are timed by bench/run_py.py on the CSV files written here).
-- Data as bench/spatial: npop population points and nfac facilities over a
-- Zhejiang-sized area, 40 % clustered around the 11 prefecture seats.
-- psql variables: npop, nfac, d0 (metres), reps, dir (where to write CSVs).
\set ON_ERROR_STOP 1
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS postgis;
SET search_path = public, health_share;
SELECT setseed(0.42);
CREATE TABLE city (k int, lon float8, lat float8);
INSERT INTO city VALUES (0,120.15,30.28),(1,121.55,29.87),(2,120.70,28.00),(3,120.76,30.75),
	(4,120.09,30.89),(5,120.58,30.00),(6,119.65,29.08),(7,118.87,28.94),(8,122.21,29.99),
	(9,121.42,28.66),(10,119.92,28.45);
CREATE FUNCTION pg_temp.pt(n int, clustered float8) RETURNS TABLE (id bigint, lon float8, lat float8)
LANGUAGE sql AS $f$
	SELECT i, CASE WHEN u < clustered THEN least(123, greatest(118, c.lon + 0.15 * g1)) ELSE 118 + 5 * random() END,
			  CASE WHEN u < clustered THEN least(31, greatest(27, c.lat + 0.15 * g2)) ELSE 27 + 4 * random() END
	  FROM (SELECT i, random() AS u, (random() * 11)::int % 11 AS k,
				   sqrt(-2 * ln(1 - random())) AS r, 2 * pi() * random() AS th
			  FROM generate_series(1, n) i) s
	  JOIN city c USING (k),
	  LATERAL (SELECT s.r * cos(s.th) AS g1, s.r * sin(s.th) AS g2) g
$f$;
CREATE TABLE popn AS SELECT id, lon, lat, (50 + floor(random() * 2000))::float8 AS pop FROM pg_temp.pt(:npop, 0.4);
CREATE TABLE fac AS SELECT id, lon, lat, (1 + floor(random() * 50))::float8 AS supply FROM pg_temp.pt(:nfac, 0.4);
ALTER TABLE popn ADD PRIMARY KEY (id);
ALTER TABLE fac ADD PRIMARY KEY (id);
SELECT clock_timestamp() AS t0 \gset
ALTER TABLE popn ADD geog geography;
UPDATE popn SET geog = ST_MakePoint(lon, lat)::geography;
ALTER TABLE fac ADD geog geography;
UPDATE fac SET geog = ST_MakePoint(lon, lat)::geography;
CREATE INDEX popn_geog ON popn USING gist (geog);
CREATE INDEX fac_geog ON fac USING gist (geog);
INSERT INTO bench.info SELECT 30, 'spatial', 'PostGIS setup, not timed in the rows: geography columns + 2 GiST indexes',
	round(extract(epoch FROM clock_timestamp() - :'t0'::timestamptz)::numeric, 2) || ' s';
VACUUM ANALYZE popn;
VACUUM ANALYZE fac;
COPY (SELECT id, lon, lat, pop FROM popn ORDER BY id) TO :'popcsv' CSV;
COPY (SELECT id, lon, lat, supply FROM fac ORDER BY id) TO :'faccsv' CSV;

-- Answers: coverage share and sum(pop * access) (= sum(supply) of the
-- facilities reached), checked against PostGIS here and Python by bench/run.
CREATE TABLE bench.spatial_answer AS
SELECT (SELECT rate_value(coverage((SELECT facility_set(id, lon, lat, supply) FROM fac), lon, lat, pop::bigint, :d0)) FROM popn) AS cov,
	   (SELECT sum(pop * fca_access(r.r, lon, lat)) FROM popn,
			   (SELECT fca_demand((SELECT facility_set(id, lon, lat, supply) FROM fac), lon, lat, pop, :d0) AS r FROM popn) r) AS fca,
	   (SELECT sum(pop) FILTER (WHERE EXISTS (SELECT FROM fac f WHERE ST_DWithin(p.geog, f.geog, :d0, false))) / sum(pop) FROM popn p) AS cov_pg;
SELECT abs(cov - cov_pg) < 1e-12 AS same_cov FROM bench.spatial_answer \gset
\if :same_cov
\else
	\echo 'coverage: health_share and PostGIS disagree' \quit
\endif

INSERT INTO bench.info
SELECT 31, 'state sizes', 'facility_set of ' || count(*) || ' facilities: flat bytes', pg_column_size(facility_set(id, lon, lat, supply))::text FROM fac
UNION ALL SELECT 32, 'state sizes', 'fca_demand result (facility_set with ratios): flat bytes',
	pg_column_size(fca_demand((SELECT facility_set(id, lon, lat, supply) FROM fac), lon, lat, pop, :d0))::text FROM popn;

\set serial 'max_parallel_workers_per_gather=0,work_mem=256MB'
SELECT bench.pair(30, format('coverage, %s points × %s facilities, 10 km', :npop, :nfac), 'PostGIS ST_DWithin EXISTS (GiST)',
	format($$SELECT coverage((SELECT facility_set(id, lon, lat, supply) FROM fac), lon, lat, pop::bigint, %s) FROM popn$$, :d0),
	format($$SELECT sum(pop) FILTER (WHERE EXISTS (SELECT FROM fac f WHERE ST_DWithin(p.geog, f.geog, %s, false))), sum(pop) FROM popn p$$, :d0),
	'≥ 20× faster', 'ge', 20, :reps, :'serial', :'serial');
-- 2SFCA, both steps, every point's accessibility.
SELECT bench.pair(31, format('2SFCA, %s points × %s facilities, 10 km', :npop, :nfac), 'PostGIS two-step ST_DWithin SQL (GiST)',
	format($$WITH fs AS MATERIALIZED (SELECT facility_set(id, lon, lat, supply) AS fs FROM fac),
		r AS MATERIALIZED (SELECT fca_demand((SELECT fs FROM fs), lon, lat, pop, %s) AS r FROM popn)
		SELECT p.id, fca_access((SELECT r FROM r), p.lon, p.lat) AS a FROM popn p$$, :d0),
	format($$WITH r AS MATERIALIZED (SELECT f.id, f.geog, f.supply / sum(p.pop) AS r
			FROM fac f JOIN popn p ON ST_DWithin(p.geog, f.geog, %s, false) GROUP BY f.id)
		SELECT p.id, coalesce(sum(r.r), 0) AS a FROM popn p LEFT JOIN r ON ST_DWithin(p.geog, r.geog, %s, false) GROUP BY p.id$$, :d0, :d0),
	'≥ 20× faster', 'ge', 20, greatest(1, :reps - 1), :'serial', :'serial',
	'PostGIS: facility ratios in a CTE without index (the GiST is on popn)');

-- The Python rows (bench/run, rows 34 and 35) time a function that returns
-- sum(pop × access) over every point, both steps computed, nothing else
-- formed.  health_share's side of those rows is the same scalar, both
-- steps computed for every point (the query of bench.spatial_answer): row
-- 31's form, which also turns 20,000 result rows into text, is kept for
-- the PostGIS pair, where both sides form them.
CREATE TABLE bench.spatial_scalar AS
SELECT bench.time(format($$WITH fs AS MATERIALIZED (SELECT facility_set(id, lon, lat, supply) AS fs FROM fac),
		r AS MATERIALIZED (SELECT fca_demand((SELECT fs FROM fs), lon, lat, pop, %s) AS r FROM popn)
		SELECT sum(p.pop * fca_access((SELECT r FROM r), p.lon, p.lat)) FROM popn p$$, :d0), :reps, :'serial') AS fca_ms;
