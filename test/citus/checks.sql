-- Each check prints "ok - name" or "not ok - name".
SET search_path = public, health_share;
-- The helpers below are session-local: keep Citus from trying to propagate them.
SET citus.enable_ddl_propagation = off;

-- same(name, query): the query with %1$s replaced by '' (the distributed
-- tables: visit, referral, site, pop) and by '_local' (their single-node
-- copies) gives the same rows (compared as sorted text: exact).
CREATE FUNCTION pg_temp.same(name text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a text; b text;
BEGIN
	EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (%s) t', format(q, '')) INTO a;
	EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (%s) t', format(q, '_local')) INTO b;
	IF a IS NOT DISTINCT FROM b AND a IS NOT NULL THEN
		RETURN 'ok - ' || name;
	END IF;
	RETURN 'not ok - ' || name || E'\n# distributed: ' || coalesce(left(a, 300), 'NULL') || E'\n# single node: ' || coalesce(left(b, 300), 'NULL');
END $$;

-- pushed(name, query, pattern): EXPLAIN VERBOSE of the query on the
-- distributed tables shows the pattern (the aggregate on the workers).
CREATE FUNCTION pg_temp.pushed(name text, q text, pattern text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text; plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || format(q, '') LOOP
		plan := plan || line || E'\n';
	END LOOP;
	IF plan ~ pattern THEN
		RETURN 'ok - ' || name;
	END IF;
	RETURN 'not ok - ' || name || E'\n# ' || replace(plan, E'\n', E'\n# ');
END $$;

-- close(name, query): the query returns (k text, v float8) rows; the
-- distributed and single-node answers have the same keys, the same NULLs
-- and values within a relative 1e-12 (summation order differs between
-- shards and one table).
CREATE FUNCTION pg_temp.close(name text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	ka text[]; va float8[]; kb text[]; vb float8[]; i int;
BEGIN
	EXECUTE format('SELECT array_agg(k ORDER BY k), array_agg(v ORDER BY k) FROM (%s) t', format(q, '')) INTO ka, va;
	EXECUTE format('SELECT array_agg(k ORDER BY k), array_agg(v ORDER BY k) FROM (%s) t', format(q, '_local')) INTO kb, vb;
	IF ka IS NULL OR ka IS DISTINCT FROM kb THEN
		RETURN 'not ok - ' || name || E'\n# keys differ: ' || left(coalesce(ka::text, 'NULL'), 200) || E'\n# ' || left(coalesce(kb::text, 'NULL'), 200);
	END IF;
	FOR i IN 1 .. array_length(ka, 1) LOOP
		IF (va[i] IS NULL) <> (vb[i] IS NULL) OR
		   (va[i] IS NOT NULL AND abs(va[i] - vb[i]) > 1e-12 * greatest(abs(va[i]), abs(vb[i]))) THEN
			RETURN 'not ok - ' || name || E'\n# ' || ka[i] || ': distributed ' || coalesce(va[i]::text, 'NULL') || ', single node ' || coalesce(vb[i]::text, 'NULL');
		END IF;
	END LOOP;
	RETURN 'ok - ' || name;
END $$;

SELECT pg_temp.same('rate(bool) whole table',
  $$SELECT rate(f.grassroots) FROM visit%1$s v JOIN facility f ON f.id = v.facility_id$$);
SELECT pg_temp.same('in_county_rate by county',
  $$SELECT adcode_county(v.residence), in_county_rate(v.residence, f.county)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('in_county_rate by county and month',
  $$SELECT adcode_county(v.residence), date_trunc('month', v.day), in_county_rate(v.residence, f.county)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1, 2$$);
SELECT pg_temp.same('fund share rate(num, den) by county',
  $$SELECT adcode_county(v.residence),
           rate(CASE WHEN adcode_county(v.residence) = f.county THEN v.fund_fen ELSE 0 END, v.fund_fen)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('grassroots share by county with CI and suppression',
  $$SELECT adcode_county(v.residence), rate(f.grassroots), (rate_ci(rate(f.grassroots), 0.95, 'exact')).*,
           rate_public(rate(f.grassroots))
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('monthly rates rolled up to the year',
  $$SELECT c, sum(r) FROM (SELECT adcode_county(v.residence) AS c, date_trunc('month', v.day) AS m,
                                  in_county_rate(v.residence, f.county) AS r
                             FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1, 2) s GROUP BY 1$$);

-- Partial aggregation on the workers: Citus wraps an aggregate with a
-- combine function and a non-internal state in worker_partial_agg.
SELECT pg_temp.pushed('rate(bool) computed on the workers',
  $$SELECT rate(f.grassroots) FROM visit%1$s v JOIN facility f ON f.id = v.facility_id$$,
  'worker_partial_agg\(.*rate\(boolean\)');
SELECT pg_temp.pushed('in_county_rate computed on the workers',
  $$SELECT adcode_county(v.residence), in_county_rate(v.residence, f.county)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$,
  'worker_partial_agg\(.*in_county_rate');
SELECT pg_temp.pushed('grouping by the distribution column runs wholly on the workers',
  $$SELECT v.id, rate(f.grassroots) FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$,
  'health_share\.rate\(');

-- ---------------------------------------------------------------------
-- flows: exact (integer counts)
-- ---------------------------------------------------------------------
SELECT pg_temp.same('flow_agg(origin, dest) county to county',
  $$SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id$$);
SELECT pg_temp.same('flow_agg(origin, dest, n) by month',
  $$SELECT date_trunc('month', v.day), flow_agg(adcode_county(v.residence)::bigint, f.county::bigint, v.fund_fen)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('sum(flowmatrix) of monthly matrices',
  $$SELECT sum(m) FROM (SELECT date_trunc('month', v.day), flow_agg(adcode_county(v.residence)::bigint, f.county::bigint) AS m
                          FROM visit%1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1) s$$);
SELECT pg_temp.same('flow_regions over a distributed flow_agg',
  $$SELECT r.* FROM (SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint) AS m
                       FROM visit%1$s v JOIN facility f ON f.id = v.facility_id) s, flow_regions(s.m) r$$);
SELECT pg_temp.same('sum(flowmatrix) and sum(referral_counts) of stored monthly states',
  $$SELECT sum(fm), sum(rc) FROM state_month%1$s$$);
SELECT pg_temp.same('referrals by from level',
  $$SELECT from_level, referrals(from_level, to_level) FROM referral%1$s GROUP BY 1$$);
SELECT pg_temp.same('referrals whole table',
  $$SELECT referrals(from_level, to_level) FROM referral%1$s$$);
SELECT pg_temp.same('sum(referral_counts) of partial counts',
  $$SELECT sum(c) FROM (SELECT referrals(from_level, to_level) AS c FROM referral%1$s GROUP BY id %% 10) s$$);

-- ---------------------------------------------------------------------
-- spatial: facility_set is exact (canonical form), coverage exact
-- (integer counts), 2SFCA within 1e-12 (sums in shard order)
-- ---------------------------------------------------------------------
SELECT pg_temp.same('facility_set(id, lon, lat, supply)',
  $$SELECT facility_set(id, lon, lat, supply) FROM site%1$s$$);
SELECT pg_temp.same('facility_set(id, lon, lat) grouped',
  $$SELECT id %% 3, facility_set(id, lon, lat) FROM site%1$s GROUP BY 1$$);
SELECT pg_temp.same('coverage within 3 km',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s)
    SELECT grp, coverage(fs.fs, p.lon, p.lat, p.pop, 3000) FROM pop%1$s p, fs GROUP BY 1$$);
SELECT pg_temp.close('fca_demand ratios (2SFCA, 5 km)',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s),
         r AS (SELECT fca_demand(fs.fs, p.lon, p.lat, p.pop, 5000) AS r FROM pop%1$s p, fs)
    SELECT e.id::text AS k, e.ratio AS v FROM r, facility_entries(r.r) e$$);
SELECT pg_temp.close('fca_demand E2SFCA gaussian ratios',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s),
         r AS (SELECT fca_demand(fs.fs, p.lon, p.lat, p.pop, 8000, 'gaussian', '3sfca') AS r FROM pop%1$s p, fs)
    SELECT e.id::text AS k, e.ratio AS v FROM r, facility_entries(r.r) e$$);
SELECT pg_temp.close('fca_access per population point (2SFCA)',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s),
         r AS (SELECT fca_demand(fs.fs, p.lon, p.lat, p.pop, 5000) AS r FROM pop%1$s p, fs)
    SELECT lpad(p.id::text, 6, '0') AS k, fca_access(r.r, p.lon, p.lat) AS v FROM pop%1$s p, r$$);

-- ---------------------------------------------------------------------
-- equity: gini and lorenz exact (canonical sort of all rows), Theil
-- within 1e-12 (compensated sums merged in shard order)
-- ---------------------------------------------------------------------
SELECT pg_temp.same('gini(value, weight) whole table',
  $$SELECT gini(y, pop) FROM pop%1$s$$);
SELECT pg_temp.same('gini(value, weight) by group',
  $$SELECT grp, gini(y, pop) FROM pop%1$s GROUP BY grp$$);
SELECT pg_temp.same('gini(value)',
  $$SELECT gini(y) FROM pop%1$s$$);
SELECT pg_temp.same('lorenz(value, weight)',
  $$SELECT grp, lorenz(y, pop) FROM pop%1$s GROUP BY grp$$);
SELECT pg_temp.close('theil_t by group',
  $$SELECT grp AS k, theil_t(y, pop) AS v FROM pop%1$s GROUP BY grp$$);
SELECT pg_temp.close('theil_l (positive values) by group',
  $$SELECT grp AS k, theil_l(y, pop) AS v FROM pop%1$s WHERE y > 0 GROUP BY grp$$);
SELECT pg_temp.close('theil_t and theil_l whole table',
  $$SELECT 't' AS k, theil_t(y, pop) AS v FROM pop%1$s UNION ALL
    SELECT 'l', theil_l(y, pop) FROM pop%1$s WHERE y > 0$$);
SELECT pg_temp.same('theil_l is NULL with a zero value',
  $$SELECT theil_l(y, pop) IS NULL FROM pop%1$s$$);
SELECT pg_temp.close('theil_decompose T',
  $$SELECT unnest(ARRAY['total', 'between', 'within']) AS k,
           unnest(ARRAY[(d).total, (d).between, (d).within]) AS v
      FROM (SELECT theil_decompose(y, pop, grp, 'T') AS d FROM pop%1$s) s$$);
SELECT pg_temp.close('theil_decompose L (positive values)',
  $$SELECT unnest(ARRAY['total', 'between', 'within']) AS k,
           unnest(ARRAY[(d).total, (d).between, (d).within]) AS v
      FROM (SELECT theil_decompose(y, pop, grp) AS d FROM pop%1$s WHERE y > 0) s$$);

-- ---------------------------------------------------------------------
-- every aggregate computed on the workers
-- ---------------------------------------------------------------------
SELECT pg_temp.pushed('flow_agg(origin, dest) on the workers',
  $$SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id$$,
  'worker_partial_agg\(.*flow_agg\(bigint, ?bigint\)');
SELECT pg_temp.pushed('flow_agg(origin, dest, n) on the workers',
  $$SELECT flow_agg(adcode_county(v.residence)::bigint, f.county::bigint, v.fund_fen)
      FROM visit%1$s v JOIN facility f ON f.id = v.facility_id$$,
  'worker_partial_agg\(.*flow_agg\(bigint, ?bigint, ?bigint\)');
SELECT pg_temp.pushed('sum(flowmatrix) on the workers',
  $$SELECT sum(fm) FROM state_month%1$s$$,
  'worker_partial_agg\(.*sum\(health_share\.flowmatrix\)');
SELECT pg_temp.pushed('referrals on the workers',
  $$SELECT referrals(from_level, to_level) FROM referral%1$s$$,
  'worker_partial_agg\(.*referrals\(');
SELECT pg_temp.pushed('sum(referral_counts) on the workers',
  $$SELECT sum(rc) FROM state_month%1$s$$,
  'worker_partial_agg\(.*sum\(health_share\.referral_counts\)');
SELECT pg_temp.pushed('facility_set on the workers',
  $$SELECT facility_set(id, lon, lat, supply) FROM site%1$s$$,
  'worker_partial_agg\(.*facility_set\(bigint, ?double precision, ?double precision, ?double precision\)');
SELECT pg_temp.pushed('facility_set(id, lon, lat) on the workers',
  $$SELECT facility_set(id, lon, lat) FROM site%1$s$$,
  'worker_partial_agg\(.*facility_set\(bigint, ?double precision, ?double precision\)');
SELECT pg_temp.pushed('coverage on the workers',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s)
    SELECT coverage(fs.fs, p.lon, p.lat, p.pop, 3000) FROM pop%1$s p, fs$$,
  'worker_partial_agg\(.*coverage\(');
SELECT pg_temp.pushed('fca_demand on the workers',
  $$WITH fs AS (SELECT facility_set(id, lon, lat, supply) AS fs FROM site%1$s)
    SELECT fca_demand(fs.fs, p.lon, p.lat, p.pop, 5000) FROM pop%1$s p, fs$$,
  'worker_partial_agg\(.*fca_demand\(');
SELECT pg_temp.pushed('gini(value, weight) on the workers',
  $$SELECT gini(y, pop) FROM pop%1$s$$,
  'worker_partial_agg\(.*gini\(double precision, ?double precision\)');
SELECT pg_temp.pushed('gini(value) on the workers',
  $$SELECT gini(y) FROM pop%1$s$$,
  'worker_partial_agg\(.*gini\(double precision\)');
SELECT pg_temp.pushed('lorenz on the workers',
  $$SELECT lorenz(y, pop) FROM pop%1$s$$,
  'worker_partial_agg\(.*lorenz\(');
SELECT pg_temp.pushed('theil_t on the workers',
  $$SELECT theil_t(y, pop) FROM pop%1$s$$,
  'worker_partial_agg\(.*theil_t\(');
SELECT pg_temp.pushed('theil_l on the workers',
  $$SELECT theil_l(y, pop) FROM pop%1$s$$,
  'worker_partial_agg\(.*theil_l\(');
SELECT pg_temp.pushed('theil_decompose on the workers',
  $$SELECT theil_decompose(y, pop, grp, 'T') FROM pop%1$s$$,
  'worker_partial_agg\(.*theil_decompose\(');
