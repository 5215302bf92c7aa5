-- Each check prints "ok - name" or "not ok - name".
SET search_path = public, health_share;
-- The helpers below are session-local: keep Citus from trying to propagate them.
SET citus.enable_ddl_propagation = off;

-- same(name, query): the query with %1$s replaced by the distributed and by
-- the local table gives the same rows (compared as sorted text).
CREATE FUNCTION pg_temp.same(name text, q text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	a text; b text;
BEGIN
	EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (%s) t', format(q, 'visit')) INTO a;
	EXECUTE format('SELECT string_agg(t::text, E''\n'' ORDER BY t::text) FROM (%s) t', format(q, 'visit_local')) INTO b;
	IF a IS NOT DISTINCT FROM b AND a IS NOT NULL THEN
		RETURN 'ok - ' || name;
	END IF;
	RETURN 'not ok - ' || name || E'\n# distributed: ' || coalesce(left(a, 300), 'NULL') || E'\n# single node: ' || coalesce(left(b, 300), 'NULL');
END $$;

-- pushed(name, query, pattern): EXPLAIN VERBOSE of the query on the
-- distributed table shows the pattern (the aggregate on the workers).
CREATE FUNCTION pg_temp.pushed(name text, q text, pattern text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
	line text; plan text := '';
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) ' || format(q, 'visit') LOOP
		plan := plan || line || E'\n';
	END LOOP;
	IF plan ~ pattern THEN
		RETURN 'ok - ' || name;
	END IF;
	RETURN 'not ok - ' || name || E'\n# ' || replace(plan, E'\n', E'\n# ');
END $$;

SELECT pg_temp.same('rate(bool) whole table',
  $$SELECT rate(f.grassroots) FROM %1$s v JOIN facility f ON f.id = v.facility_id$$);
SELECT pg_temp.same('in_county_rate by county',
  $$SELECT adcode_county(v.residence), in_county_rate(v.residence, f.county)
      FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('in_county_rate by county and month',
  $$SELECT adcode_county(v.residence), date_trunc('month', v.day), in_county_rate(v.residence, f.county)
      FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1, 2$$);
SELECT pg_temp.same('fund share rate(num, den) by county',
  $$SELECT adcode_county(v.residence),
           rate(CASE WHEN adcode_county(v.residence) = f.county THEN v.fund_fen ELSE 0 END, v.fund_fen)
      FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('grassroots share by county with CI and suppression',
  $$SELECT adcode_county(v.residence), rate(f.grassroots), (rate_ci(rate(f.grassroots), 0.95, 'exact')).*,
           rate_public(rate(f.grassroots))
      FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$);
SELECT pg_temp.same('monthly rates rolled up to the year',
  $$SELECT c, sum(r) FROM (SELECT adcode_county(v.residence) AS c, date_trunc('month', v.day) AS m,
                                  in_county_rate(v.residence, f.county) AS r
                             FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1, 2) s GROUP BY 1$$);

-- Partial aggregation on the workers: Citus wraps an aggregate with a
-- combine function and a non-internal state in worker_partial_agg.
SELECT pg_temp.pushed('rate(bool) computed on the workers',
  $$SELECT rate(f.grassroots) FROM %1$s v JOIN facility f ON f.id = v.facility_id$$,
  'worker_partial_agg\(.*rate\(boolean\)');
SELECT pg_temp.pushed('in_county_rate computed on the workers',
  $$SELECT adcode_county(v.residence), in_county_rate(v.residence, f.county)
      FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$,
  'worker_partial_agg\(.*in_county_rate');
SELECT pg_temp.pushed('grouping by the distribution column runs wholly on the workers',
  $$SELECT v.id, rate(f.grassroots) FROM %1$s v JOIN facility f ON f.id = v.facility_id GROUP BY 1$$,
  'health_share\.rate\(');
