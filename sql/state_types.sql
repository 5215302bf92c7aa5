-- Aggregate states of real SQL types (so that Citus pushes the aggregates
-- down): inequality_state (gini, lorenz), theil_decomposition_state
-- (theil_decompose), facility_set (facility_set aggregate).  Partial states
-- taken out of an aggregate, written as text or binary and merged again
-- give the answer of one aggregate over all rows; garbage is rejected.
SET search_path = health_share, public;
SET extra_float_digits = 0;

CREATE TEMP TABLE r AS
SELECT i, ((i * 7727) % 10007) / 97.0 AS y, 1 + (i * 37) % 300 AS w, 'g' || (i % 5) AS g,
       119.5 + ((i * 6007) % 2000) / 2000.0 AS lon, 30.4 + ((i * 3001) % 2000) / 2500.0 AS lat
  FROM generate_series(1, 3000) i;
UPDATE r SET y = 0 WHERE i % 97 = 0;

-- aggregates that return the state itself, and ones that merge states
CREATE AGGREGATE pg_temp.ineq_partial(float8, float8) (
	SFUNC = hs_ineq_accum, STYPE = inequality_state);
CREATE AGGREGATE pg_temp.gini_merge(inequality_state) (
	SFUNC = hs_ineq_combine, STYPE = inequality_state, FINALFUNC = hs_gini_final);
CREATE AGGREGATE pg_temp.lorenz_merge(inequality_state) (
	SFUNC = hs_ineq_combine, STYPE = inequality_state, FINALFUNC = hs_lorenz_final);
CREATE AGGREGATE pg_temp.theil_partial(float8, float8, text, text) (
	SFUNC = hs_theil_decomp_accum, STYPE = theil_decomposition_state);
CREATE AGGREGATE pg_temp.theil_merge(theil_decomposition_state) (
	SFUNC = hs_theil_decomp_combine, STYPE = theil_decomposition_state, FINALFUNC = hs_theil_decomp_final);
CREATE AGGREGATE pg_temp.fs_partial(int8, float8, float8, float8) (
	SFUNC = facility_set_accum, STYPE = facility_set);
CREATE AGGREGATE pg_temp.fs_merge(facility_set) (
	SFUNC = facility_set_combine, STYPE = facility_set, FINALFUNC = facility_set_final);

-- partial states by i % 7, kept as text (the form Citus ships)
CREATE TEMP TABLE parts AS
SELECT i % 7 AS k,
       pg_temp.ineq_partial(y, w)::text AS ineq,
       pg_temp.theil_partial(y, w, g, 'T')::text AS theil,
       pg_temp.fs_partial(i, lon, lat, w)::text AS fs
  FROM r GROUP BY 1;

-- merged text states give exactly the one-aggregate answers
SELECT (SELECT gini(y, w) FROM r) = (SELECT pg_temp.gini_merge(ineq::inequality_state) FROM parts) AS gini_same,
       (SELECT lorenz(y, w) FROM r) = (SELECT pg_temp.lorenz_merge(ineq::inequality_state) FROM parts) AS lorenz_same,
       (SELECT facility_set(i, lon, lat, w) FROM r)::text = (SELECT pg_temp.fs_merge(fs::facility_set) FROM parts)::text AS fs_same;
SELECT abs(a.total - b.total) <= 1e-12 * a.total AS total_close,
       abs(a.between - b.between) <= 1e-12 * a.between AS between_close,
       abs(a.within - b.within) <= 1e-12 * a.within AS within_close
  FROM (SELECT (theil_decompose(y, w, g, 'T')).* FROM r) a,
       (SELECT (pg_temp.theil_merge(theil::theil_decomposition_state)).* FROM parts) b;

-- text round trip is exact
SELECT bool_and(ineq::inequality_state::text = ineq) AS ineq_text,
       bool_and(theil::theil_decomposition_state::text = theil) AS theil_text
  FROM parts;

-- binary round trip (COPY BINARY through a file named after the backend) is exact
CREATE FUNCTION pg_temp.copy_bin(cmd text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format(cmd, '/tmp/hs_state_types_' || pg_backend_pid() || '.bin');
END $$;
CREATE TEMP TABLE bin (ineq inequality_state, theil theil_decomposition_state);
INSERT INTO bin SELECT ineq::inequality_state, theil::theil_decomposition_state FROM parts;
SELECT pg_temp.copy_bin($$COPY bin TO %L (FORMAT binary)$$);
CREATE TEMP TABLE bin2 (LIKE bin);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
SELECT (SELECT string_agg(ineq::text || theil::text, ',' ORDER BY ineq::text) FROM bin) =
       (SELECT string_agg(ineq::text || theil::text, ',' ORDER BY ineq::text) FROM bin2) AS binary_same;

-- small states by hand
SELECT '{}'::inequality_state, ' { 1 : 2 , 0:3,-0:1e-3 } '::inequality_state;
SELECT pg_temp.gini_merge(s::inequality_state) FROM (VALUES ('{1:1,3:1}'), ('{}'), ('{2:2}')) v(s);
SELECT gini(y, w) FROM (VALUES (1.0, 1.0), (3, 1), (2, 2)) v(y, w);
SELECT pg_temp.gini_merge(s) FROM (VALUES ('{}'::inequality_state)) v(s);
SELECT '-{}'::theil_decomposition_state,
       'L{"a\"b\\c":[1,2,0,3,0,1,0,1,0,0],"":[1,1,0,1,0,0,0,0,0,0]}'::theil_decomposition_state;
SELECT (pg_temp.theil_merge(s::theil_decomposition_state)).*
  FROM (VALUES ('T{"a":[1,1,0,1,0,0,0,0,0,0]}'), ('T{"b":[1,1,0,4,0,5.545177444479562,0,1.3862943611198906,0,0]}')) v(s);
SELECT (theil_decompose(y, w, g, 'T')).* FROM (VALUES (1.0, 1.0, 'a'), (4, 1, 'b')) v(y, w, g);

-- garbage text is rejected with the value named, never crashes
SELECT '{1:2'::inequality_state;
SELECT '{1:-2}'::inequality_state;
SELECT '{1:0}'::inequality_state;
SELECT '{-1:2}'::inequality_state;
SELECT '{nan:2}'::inequality_state;
SELECT '{1e308:1e308}'::inequality_state;
SELECT '{1:2,}'::inequality_state;
SELECT '{1:2} x'::inequality_state;
SELECT 'x{}'::theil_decomposition_state;
SELECT 'T{"a":[1,2,3]}'::theil_decomposition_state;
SELECT 'T{"a":[1,-2,0,3,0,1,0,1,0,0]}'::theil_decomposition_state;
SELECT 'T{"a:[1,2,0,3,0,1,0,1,0,0]}'::theil_decomposition_state;
SELECT 'T{"a":[1,2,0,3,0,1,0,1,0,0],}'::theil_decomposition_state;
SELECT 'T{"a":[1,2,0,3,0,1,0,1,0,0]'::theil_decomposition_state;
-- a theil state of one index cannot merge into another
SELECT pg_temp.theil_merge(s::theil_decomposition_state)
  FROM (VALUES ('T{"a":[1,1,0,1,0,0,0,0,0,0]}'), ('L{"b":[1,1,0,1,0,0,0,0,0,0]}')) v(s);
-- a facility_set of fca_demand is not a partial facility_set
SELECT pg_temp.fs_merge(d) FROM (
  SELECT fca_demand(fs, lon, lat, w, 5000) AS d
    FROM r, (SELECT facility_set(i, lon, lat) AS fs FROM r WHERE i < 10) f) s;

-- garbage binary is rejected
\set SHOW_CONTEXT never
SELECT pg_temp.copy_bin($$COPY (SELECT '\x0000000000000001'::bytea, '\x00'::bytea) TO %L (FORMAT binary)$$);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.copy_bin($$COPY (SELECT '\x00000000000000010000000000000000bff0000000000000'::bytea, '\x00'::bytea) TO %L (FORMAT binary)$$);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.copy_bin($$COPY (SELECT '\x000000000000000000'::bytea, '\x00'::bytea) TO %L (FORMAT binary)$$);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.copy_bin($$COPY (SELECT NULL::bytea, '\x485354440000000200000001000000ff'::bytea) TO %L (FORMAT binary)$$);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.copy_bin($$COPY (SELECT NULL::bytea, '\x4853544400000009'::bytea) TO %L (FORMAT binary)$$);
SELECT pg_temp.copy_bin($$COPY bin2 FROM %L (FORMAT binary)$$);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.copy_bin($$COPY (SELECT 1) TO PROGRAM 'rm -f %s'$$);
\set SHOW_CONTEXT errors

-- under a forced parallel plan the flattened states give the same answers
CREATE TEMP TABLE big AS SELECT i, (i * 7727 % 10007) / 97.0 AS y, 1 + i % 300 AS w, 'g' || (i % 5) AS g FROM generate_series(1, 20000) i;
-- (temp tables are not scanned in parallel: use a regular one)
CREATE TABLE public.state_types_big AS SELECT * FROM big;
ANALYZE state_types_big;
CREATE TEMP TABLE serial_ans AS
SELECT gini(y, w) AS g, lorenz(y, w) AS l, (theil_decompose(y, w, g, 'T')).total AS t,
       facility_set(i, 120 + i / 100000.0, 30.0, w)::text AS fs FROM state_types_big;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2; SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT gini(y, w), lorenz(y, w), theil_decompose(y, w, g, 'T'),
       facility_set(i, 120 + i / 100000.0, 30.0, w) FROM state_types_big;
SELECT s.g = p.g AS gini_same, s.l = p.l AS lorenz_same, abs(s.t - p.t) <= 1e-12 * s.t AS theil_close, s.fs = p.fs AS fs_same
  FROM serial_ans s,
       (SELECT gini(y, w) AS g, lorenz(y, w) AS l, (theil_decompose(y, w, g, 'T')).total AS t,
               facility_set(i, 120 + i / 100000.0, 30.0, w)::text AS fs FROM state_types_big) p;
RESET ALL;
DROP TABLE public.state_types_big;
