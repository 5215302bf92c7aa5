-- Randomized merge properties (seeded, bounded): for random data split into
-- random groups, merging the groups' states (in a random grouping, and in
-- forced parallel plans) gives exactly the one-pass result; rolling a
-- township flow matrix up to counties equals aggregating by county directly.
-- Each row reports trials and the number of violations.
SET search_path = health_share, public;
SET client_min_messages = warning;
SELECT setseed(0.2718);

-- partial states of the aggregates whose state is a real SQL type (what a
-- Citus worker or a stored monthly state holds), finished by hand
CREATE AGGREGATE pg_temp.fca_partial(facility_set, float8, float8, float8, float8, text, text) (
	SFUNC = health_share.fca_demand_accum, STYPE = facility_set, COMBINEFUNC = health_share.fca_demand_combine);
CREATE AGGREGATE pg_temp.fca_merge(facility_set) (
	SFUNC = health_share.fca_demand_combine, STYPE = facility_set, FINALFUNC = health_share.fca_demand_final);
CREATE AGGREGATE pg_temp.theil_partial(float8, float8) (
	SFUNC = health_share.hs_theil_accum, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0}');
CREATE AGGREGATE pg_temp.theil_merge_t(float8[]) (
	SFUNC = health_share.hs_theil_combine, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0}',
	FINALFUNC = health_share.hs_theil_t_final);
CREATE AGGREGATE pg_temp.theil_merge_l(float8[]) (
	SFUNC = health_share.hs_theil_combine, STYPE = float8[], INITCOND = '{0,0,0,0,0,0,0,0,0,0}',
	FINALFUNC = health_share.hs_theil_l_final);

-- relative difference of two floats (NULLs equal)
CREATE FUNCTION pg_temp.close(a float8, b float8, tol float8 DEFAULT 1e-9) RETURNS boolean LANGUAGE sql IMMUTABLE AS
$$ SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= tol * greatest(1, abs(a), abs(b)) $$;

-- townships of 湖州 (8 counties) as flow keys
CREATE TEMP TABLE town AS
SELECT row_number() OVER (ORDER BY code) AS k, code::bigint AS code
  FROM division WHERE level = 'township' AND code <@ '330500'::adcode;

CREATE TEMP TABLE facts (trial int, g int, h int, o bigint, d bigint, n bigint, num bigint, den bigint,
                         yes boolean, lvl_from care_level, lvl_to care_level,
                         lon float8, lat float8, pop float8, y float8, w float8);
INSERT INTO facts
SELECT t, (random() * 7)::int, (random() * 3)::int,
       tw.a[1 + floor(random() * cardinality(tw.a))::int], tw.a[1 + floor(random() * cardinality(tw.a))::int],
       CASE WHEN random() < 0.05 THEN NULL ELSE 1 + (random() * 50)::bigint END,
       x, x + (random() * 100)::bigint,
       CASE WHEN random() < 0.05 THEN NULL ELSE random() < 0.6 END,
       (enum_range(NULL::care_level))[1 + (random() * 3)::int],
       (enum_range(NULL::care_level))[1 + (random() * 3)::int],
       120 + random() * 0.2, 30.5 + random() * 0.2, (random() * 1000)::int,
       CASE WHEN random() < 0.03 THEN NULL ELSE random() * 10 END, 1 + random() * 100
  FROM (SELECT array_agg(code ORDER BY k) AS a FROM town) tw, generate_series(1, 60) t, generate_series(1, 1 + (random() * 150)::int + 0 * t) i,
       LATERAL (SELECT (random() * 100)::bigint + 0 * i AS x) xx;
ANALYZE facts;

-- one pass vs merging per-group states, grouped once by g and once by (g, h)
WITH one AS (
	SELECT trial, rate(num, den) AS r, rate(yes) AS b, flow_agg(o, d, n) AS f, referrals(lvl_from, lvl_to) AS rc
	  FROM facts GROUP BY trial),
by_g AS (
	SELECT trial, sum(r) AS r, sum(b) AS b, sum(f) AS f, sum(rc) AS rc
	  FROM (SELECT trial, g, rate(num, den) AS r, rate(yes) AS b, flow_agg(o, d, n) AS f, referrals(lvl_from, lvl_to) AS rc
	          FROM facts GROUP BY trial, g) x GROUP BY trial),
by_gh AS (  -- two levels: (g, h) states merged into g states, then into the total
	SELECT trial, sum(r) AS r, sum(b) AS b, sum(f) AS f, sum(rc) AS rc
	  FROM (SELECT trial, g, sum(r) AS r, sum(b) AS b, sum(f) AS f, sum(rc) AS rc
	          FROM (SELECT trial, g, h, rate(num, den) AS r, rate(yes) AS b, flow_agg(o, d, n) AS f, referrals(lvl_from, lvl_to) AS rc
	                  FROM facts GROUP BY trial, g, h) x GROUP BY trial, g) y GROUP BY trial)
SELECT 'hs_rate, flowmatrix, referral_counts: one pass = merged groups' AS property,
       count(*) AS trials,
       count(*) FILTER (WHERE one.r IS DISTINCT FROM by_g.r OR one.r IS DISTINCT FROM by_gh.r
                           OR one.b IS DISTINCT FROM by_g.b OR one.b IS DISTINCT FROM by_gh.b
                           OR one.f IS DISTINCT FROM by_g.f OR one.f IS DISTINCT FROM by_gh.f
                           OR one.rc IS DISTINCT FROM by_g.rc OR one.rc IS DISTINCT FROM by_gh.rc) AS violations
  FROM one JOIN by_g USING (trial) JOIN by_gh USING (trial);

-- the + operators agree with the aggregates, whatever the order of the terms
CREATE FUNCTION pg_temp.fold_ok(t int) RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
	r hs_rate := '0/0';
	f flowmatrix := '{}';
	p record;
BEGIN
	FOR p IN SELECT rate(num, den) AS r, flow_agg(o, d, n) AS f FROM facts WHERE trial = t GROUP BY g ORDER BY random() LOOP
		r := r + coalesce(p.r, '0/0');
		f := f + coalesce(p.f, '{}');
	END LOOP;
	RETURN r = (SELECT coalesce(rate(num, den), '0/0') FROM facts WHERE trial = t)
	   AND f = (SELECT coalesce(flow_agg(o, d, n), '{}') FROM facts WHERE trial = t);
END $$;
SELECT 'hs_rate + and flowmatrix + in random order = one pass' AS property, count(*) AS trials,
       count(*) FILTER (WHERE NOT pg_temp.fold_ok(trial)) AS violations
  FROM (SELECT DISTINCT trial FROM facts) t;

-- rollup to county = direct county aggregation
SELECT 'flow_rollup(township flows, county) = flow_agg by county' AS property, count(*) AS trials,
       count(*) FILTER (WHERE a IS DISTINCT FROM b) AS violations
  FROM (SELECT trial, flow_rollup(flow_agg(o, d, n), 'county') AS a,
               flow_agg(adcode_county(o::adcode)::bigint, adcode_county(d::adcode)::bigint, n) AS b
          FROM facts GROUP BY trial) x;
SELECT 'in_county_rate by township, summed = in_county_rate by county' AS property, count(*) AS trials,
       count(*) FILTER (WHERE a IS DISTINCT FROM b) AS violations
  FROM (SELECT x.trial, x.a, y.b
          FROM (SELECT trial, adcode_county(o::adcode) AS c, sum(r) AS a
                  FROM (SELECT trial, o, in_county_rate(o::adcode, d::adcode) AS r FROM facts GROUP BY trial, o) t
                 GROUP BY trial, adcode_county(o::adcode)) x
          JOIN (SELECT trial, adcode_county(o::adcode) AS c, in_county_rate(o::adcode, d::adcode) AS b
                  FROM facts GROUP BY trial, adcode_county(o::adcode)) y USING (trial, c)) z;

-- fca_demand: partial demand states per group, merged, = one pass (floating
-- point sums in another order: equal to 1e-9)
CREATE TEMP TABLE fs AS
SELECT facility_set(i, 120 + random() * 0.2, 30.5 + random() * 0.2, 1 + (random() * 20)::int) AS fs
  FROM generate_series(1, 25) i;
SELECT 'fca_demand: merged partial states = one pass' AS property, count(*) AS trials,
       count(*) FILTER (WHERE NOT ok) AS violations
  FROM (SELECT one.trial, m.decay,
               (SELECT bool_and(pg_temp.close(a.ratio, b.ratio))
                  FROM facility_entries(one.r) a FULL JOIN facility_entries(mrg.r) b USING (id)) AS ok
          FROM (VALUES ('binary', '2sfca'), ('gaussian', '3sfca'), ('steps:5000=1,10000=0.5', '2sfca')) m(decay, method),
               LATERAL (SELECT trial, fca_demand(fs, lon, lat, pop, 12000, m.decay, m.method) AS r
                          FROM facts, fs GROUP BY trial) one,
               LATERAL (SELECT pg_temp.fca_merge(p) AS r
                          FROM (SELECT pg_temp.fca_partial(fs, lon, lat, pop, 12000, m.decay, m.method) AS p
                                  FROM facts, fs WHERE facts.trial = one.trial GROUP BY g) q) mrg) x;

-- Theil T and L through their float8[] states
SELECT 'theil_t / theil_l: merged group states = one pass' AS property, count(*) AS trials,
       count(*) FILTER (WHERE NOT (pg_temp.close(one.t, mrg.t) AND pg_temp.close(one.l, mrg.l))) AS violations
  FROM (SELECT trial, theil_t(y, w) AS t, theil_l(y, w) AS l FROM facts GROUP BY trial) one
  JOIN (SELECT trial, pg_temp.theil_merge_t(s) AS t, pg_temp.theil_merge_l(s) AS l
          FROM (SELECT trial, g, pg_temp.theil_partial(y, w) AS s FROM facts GROUP BY trial, g) p GROUP BY trial) mrg USING (trial);

-- gini, lorenz, theil_decompose (internal states): serial vs forced parallel
-- plans, where workers' states are serialized and combined
CREATE TEMP TABLE serial AS
SELECT trial, gini(y, w) AS gw, gini(y) AS g1, lorenz(y, w) AS lz, (theil_decompose(y, w, g::text)).*
  FROM facts GROUP BY trial;
CREATE FUNCTION pg_temp.explain_lines(q text) RETURNS SETOF text LANGUAGE plpgsql AS
$$ BEGIN RETURN QUERY EXECUTE 'EXPLAIN (COSTS OFF) ' || q; END $$;
CREATE TABLE pfacts AS SELECT * FROM facts;  -- parallel workers cannot read temp tables
ALTER TABLE pfacts SET (parallel_workers = 2);
ANALYZE pfacts;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
SET enable_hashagg = off;  -- a sorted partial aggregation per worker
SELECT count(*) FILTER (WHERE l ~ 'Partial GroupAggregate') AS partial_aggregates,
       count(*) FILTER (WHERE l ~ 'Workers Planned: 2') AS gathers
  FROM pg_temp.explain_lines('SELECT trial, gini(y, w), (theil_decompose(y, w, g::text)).* FROM pfacts GROUP BY trial') l;
CREATE TEMP TABLE par AS
SELECT trial, gini(y, w) AS gw, gini(y) AS g1, lorenz(y, w) AS lz, (theil_decompose(y, w, g::text)).*
  FROM pfacts GROUP BY trial;
RESET ALL;
SET search_path = health_share, public;
SELECT 'gini / lorenz / theil_decompose: parallel = serial' AS property, count(*) AS trials,
       count(*) FILTER (WHERE NOT (pg_temp.close(s.gw, p.gw) AND pg_temp.close(s.g1, p.g1)
                                   AND pg_temp.close(s.total, p.total) AND pg_temp.close(s.between, p.between)
                                   AND pg_temp.close(s.within, p.within)
                                   AND array_length(s.lz, 1) = array_length(p.lz, 1)
                                   AND (SELECT bool_and(pg_temp.close(a, b)) FROM unnest(s.lz, p.lz) u(a, b)))) AS violations
  FROM serial s JOIN par p USING (trial);
DROP TABLE pfacts;
