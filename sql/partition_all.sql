-- Every health_share aggregate under partition-wise and parallel plans over
-- a model partitioned by month gives the serial, unpartitioned answer:
-- exactly for the exact families (counts, canonical sets and sorted Gini
-- and Lorenz states), within a relative 1e-12 where only the summation
-- order differs (Theil, 2SFCA).
SET search_path = health_share, public;

CREATE TABLE pa_fact (
	id			bigint,
	day			date NOT NULL,
	origin		bigint,
	dest		bigint,
	n			bigint,
	from_level	care_level,
	to_level	care_level,
	lon			double precision,
	lat			double precision,
	pop			bigint,
	y			double precision,
	w			double precision,
	grp			text
) PARTITION BY RANGE (day);
CREATE TABLE pa_fact_2024_01 PARTITION OF pa_fact FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE pa_fact_2024_02 PARTITION OF pa_fact FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE pa_fact_2024_03 PARTITION OF pa_fact FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE pa_fact_2024_04 PARTITION OF pa_fact FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
INSERT INTO pa_fact
SELECT i, date '2024-01-01' + (i % 121)::int,
       330521 + i % 5, CASE WHEN i % 31 = 0 THEN NULL ELSE 330521 + (i * 7) % 5 END, i % 4,
       (enum_range(NULL::care_level))[1 + (i * 31) % 4],
       CASE WHEN i % 53 = 0 THEN NULL ELSE (enum_range(NULL::care_level))[1 + (i * 17) % 4] END,
       119.5 + ((i * 6007) % 2000) / 2000.0, 30.4 + ((i * 3001) % 2000) / 2500.0,
       CASE WHEN i % 89 = 0 THEN NULL ELSE 10 + (i * 37) % 3000 END,
       CASE WHEN i % 101 = 0 THEN NULL ELSE 0.5 + ((i * 7727) % 10007) / 97.0 END,
       1 + (i * 13) % 500, 'g' || (i % 7)
  FROM generate_series(1, 60000) i;
CREATE TABLE pa_flat AS SELECT * FROM pa_fact;
ANALYZE pa_fact; ANALYZE pa_flat;
-- facilities: a few hundred of the rows' points
CREATE TABLE pa_fs AS SELECT facility_set(id, lon, lat, w) AS fs FROM pa_flat WHERE id % 150 = 0;

-- the query, over a table name, grouped by month or not
CREATE FUNCTION pg_temp.q(tab text, by_month bool) RETURNS text LANGUAGE sql AS $$
SELECT format($f$
SELECT %s AS m,
       flow_agg(origin, dest)::text AS flow2, flow_agg(origin, dest, n)::text AS flow3,
       referrals(from_level, to_level)::text AS refs,
       facility_set(id, lon, lat, w)::text AS fset,
       gini(y, w) AS gini2, gini(y) AS gini1, lorenz(y, w)::text AS lorenz,
       theil_t(y, w) AS tt, theil_l(y, w) AS tl,
       theil_decompose(y, w, grp, 'T') AS td,
       coverage((SELECT fs FROM pa_fs), lon, lat, pop, 3000)::text AS cov,
       fca_demand((SELECT fs FROM pa_fs), lon, lat, pop, 5000) AS dem
  FROM %s %s$f$,
  CASE WHEN by_month THEN 'date_trunc(''month'', day)' ELSE 'NULL::timestamp' END,
  tab, CASE WHEN by_month THEN 'GROUP BY 1' ELSE '' END)
$$;

-- fca_demand ratios and access of a result, as one float8[]
CREATE FUNCTION pg_temp.ratios(d facility_set) RETURNS float8[] LANGUAGE sql AS $$
SELECT array_agg(ratio ORDER BY id) FROM facility_entries(d)
$$;
CREATE FUNCTION pg_temp.close(a float8, b float8) RETURNS bool LANGUAGE sql AS $$
SELECT (a IS NULL AND b IS NULL) OR abs(a - b) <= 1e-12 * greatest(abs(a), abs(b))
$$;
CREATE FUNCTION pg_temp.close(a float8[], b float8[]) RETURNS bool LANGUAGE sql AS $$
SELECT cardinality(a) = cardinality(b) AND bool_and(pg_temp.close(x, y)) FROM unnest(a, b) u(x, y)
$$;

-- serial reference answers on the unpartitioned table
SET max_parallel_workers_per_gather = 0;
DO $$ BEGIN
	EXECUTE 'CREATE TEMP TABLE ref_month AS ' || pg_temp.q('pa_flat', true);
	EXECUTE 'CREATE TEMP TABLE ref_all AS ' || pg_temp.q('pa_flat', false);
END $$;

-- the comparison of a result table with a reference table
CREATE FUNCTION pg_temp.compare(res text, ref text) RETURNS TABLE (groups bigint, flows bool, referrals bool,
	facility_set bool, gini bool, lorenz bool, theil bool, theil_decompose bool, coverage bool, fca_demand bool)
LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format($f$
	SELECT count(*),
	       bool_and(a.flow2 = b.flow2 AND a.flow3 = b.flow3), bool_and(a.refs = b.refs),
	       bool_and(a.fset = b.fset),
	       bool_and(a.gini2 = b.gini2 AND a.gini1 = b.gini1), bool_and(a.lorenz = b.lorenz),
	       bool_and(pg_temp.close(a.tt, b.tt) AND pg_temp.close(a.tl, b.tl)),
	       bool_and(pg_temp.close((a.td).total, (b.td).total) AND pg_temp.close((a.td).between, (b.td).between)
	                AND pg_temp.close((a.td).within, (b.td).within)),
	       bool_and(a.cov = b.cov),
	       bool_and(pg_temp.close(pg_temp.ratios(a.dem), pg_temp.ratios(b.dem)))
	  FROM %I a FULL JOIN %I b ON coalesce(a.m, '-infinity') = coalesce(b.m, '-infinity')$f$, res, ref);
END $$;

-- Partition-wise aggregation by month, parallel workers
SET enable_partitionwise_aggregate = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
DO $$
DECLARE line text;
BEGIN
	-- the plan shape: one aggregate per partition
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || pg_temp.q('pa_fact', true) LOOP
		IF line ~ 'Aggregate|Append|Gather' THEN RAISE NOTICE '%', line; END IF;
	END LOOP;
	EXECUTE 'CREATE TEMP TABLE res_month AS ' || pg_temp.q('pa_fact', true);
END $$;
SELECT * FROM pg_temp.compare('res_month', 'ref_month');

-- Whole table: partial aggregates per partition (and per worker), combined
DO $$
DECLARE line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || pg_temp.q('pa_fact', false) LOOP
		IF line ~ 'Aggregate|Append|Gather' THEN RAISE NOTICE '%', line; END IF;
	END LOOP;
	EXECUTE 'CREATE TEMP TABLE res_all AS ' || pg_temp.q('pa_fact', false);
END $$;
SELECT * FROM pg_temp.compare('res_all', 'ref_all');

-- Parallel plan without partitions: partial aggregates in the workers
DO $$
DECLARE line text;
BEGIN
	FOR line IN EXECUTE 'EXPLAIN (COSTS OFF) ' || pg_temp.q('pa_flat', false) LOOP
		IF line ~ 'Aggregate|Append|Gather' THEN RAISE NOTICE '%', line; END IF;
	END LOOP;
	EXECUTE 'CREATE TEMP TABLE res_par AS ' || pg_temp.q('pa_flat', false);
END $$;
SELECT * FROM pg_temp.compare('res_par', 'ref_all');

-- Monthly states stored and merged later: the rollup of the monthly
-- flowmatrix and referral_counts gives the whole-table answer exactly
SELECT (SELECT sum(flow2::flowmatrix)::text FROM res_month) = (SELECT flow2 FROM ref_all) AS flow_rollup,
       (SELECT sum(refs::referral_counts)::text FROM res_month) = (SELECT refs FROM ref_all) AS referral_rollup;

DROP TABLE pa_fact, pa_flat, pa_fs;
RESET ALL;
