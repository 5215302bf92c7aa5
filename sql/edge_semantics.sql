-- Edge semantics (docs/reliability.md): NULLs, empty groups, zero
-- denominators, NaN/Infinity, int8 overflow, states over 1 GB, cancellation.
-- Each case is a plain statement: a result as psql shows it (a NULL as
-- "(null)"), or the error followed by its SQLSTATE.
SET search_path = health_share, public;
\pset null '(null)'

-- NULL inputs are skipped; an empty group (or a group of NULLs) gives NULL
CREATE TEMP TABLE e (k int, b boolean, n bigint, d bigint, o bigint, x float8, w float8, g text,
                     lvl care_level, a adcode);
INSERT INTO e VALUES (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
SELECT rate(b) FROM e WHERE false;
SELECT rate(b) FROM e;
SELECT rate(n, d) FROM e;
SELECT sum(r) FROM (SELECT rate(n, d) AS r FROM e GROUP BY k) s;
SELECT in_county_rate(a, a) FROM e;
SELECT flow_agg(o, o) FROM e;
SELECT flow_agg(o, o, n) FROM e;
SELECT sum(f) FROM (SELECT NULL::flowmatrix AS f) s;
SELECT referrals(lvl, lvl) FROM e;
SELECT facility_set(o, x, x, w) FROM e;
SELECT fca_demand('{(1,0,0,1)}'::facility_set, x, x, w, 1000) FROM e;
SELECT coverage('{(1,0,0,1)}'::facility_set, x, x, n, 1000) FROM e;
SELECT gini(x, w) FROM e;
SELECT gini(x) FROM e;
SELECT theil_t(x, w) FROM e;
SELECT theil_l(x, w) FROM e;
SELECT lorenz(x, w) FROM e;
SELECT theil_decompose(x, w, g) FROM e;
SELECT max(a) FROM e;

-- zero denominators give NULL, never NaN and never an error
SELECT rate_value('0/0');
SELECT rate_percent('0/0');
SELECT rate_ci('0/0');
SELECT rate_public('0/0', 5);
SELECT array_agg(r) FROM flow_regions('{1->2:3}') r;
SELECT hr_density_index(10, 0, 5);
SELECT hr_density_index(10, 1000, 0);
SELECT agglomeration_degree(1, 0, 1, 10);
SELECT gini(x, w) FROM (VALUES (1.0::float8, 0.0::float8), (2, 0)) v(x, w);
SELECT gini(x, w) FROM (VALUES (0.0::float8, 1.0::float8), (0, 2)) v(x, w);
SELECT theil_t(x, w) FROM (VALUES (0.0::float8, 1.0::float8)) v(x, w);
SELECT fca_access(fca_demand('{(1,0,0,10)}'::facility_set, 0, 0, 0, 1000), 0, 0);

-- NaN and Infinity are refused where they have no meaning
SELECT hs_distance('NaN', 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_distance('Infinity', 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell('NaN', 30, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set(1, 'NaN', 0, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set(1, 0, 0, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,0,0,inf)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT nearest_facility('{(1,0,0,1)}', 'NaN', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}'::facility_set, 0, 0, 'NaN', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}'::facility_set, 0, 0, 1, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT gini(x, w) FROM (VALUES ('NaN'::float8, 1.0::float8)) v(x, w);
\echo :LAST_ERROR_SQLSTATE
SELECT gini(x, w) FROM (VALUES ('Infinity'::float8, 1.0::float8)) v(x, w);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_l(x, w) FROM (VALUES (1.0::float8, 'NaN'::float8)) v(x, w);
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT hr_density_index('NaN', 1, 1);
\echo :LAST_ERROR_SQLSTATE

-- int8 overflow raises 22003, never wraps
SELECT '9223372036854775807/9223372036854775807'::hs_rate + '1/1';
\echo :LAST_ERROR_SQLSTATE
SELECT rate(n, n) FROM (VALUES (9223372036854775807), (1)) v(n);
\echo :LAST_ERROR_SQLSTATE
SELECT sum(r) FROM (VALUES ('9223372036854775807/9223372036854775807'::hs_rate), ('1/1')) v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_agg(1, 2, n) FROM (VALUES (9223372036854775807), (1)) v(n);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_agg(o, 2, n) FROM (VALUES (1, 9223372036854775807), (3, 1)) v(o, n);
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:9223372036854775807}'::flowmatrix + '{1->2:1}';
\echo :LAST_ERROR_SQLSTATE
SELECT flow_rollup('{330521100->330521:9223372036854775807, 330521101->330521:1}', 'county');
\echo :LAST_ERROR_SQLSTATE
SELECT array_agg(r) FROM flow_regions('{1->2:9223372036854775807, 3->2:1}') r;
\echo :LAST_ERROR_SQLSTATE
SELECT sum(c) FROM (VALUES ('(9223372036854775807,0,0)'::referral_counts), ('(1,0,0)')) v(c);
\echo :LAST_ERROR_SQLSTATE
SELECT coverage('{(1,0,0,1)}'::facility_set, 0, 0, n, 1000) FROM (VALUES (9223372036854775807), (1)) v(n);
\echo :LAST_ERROR_SQLSTATE
SELECT adcode(9223372036854775807);
\echo :LAST_ERROR_SQLSTATE

-- a state over 1 GB is refused before anything is allocated: binary values
-- whose header announces too many entries
CREATE TEMP TABLE raw (b bytea);
CREATE TEMP TABLE big_f (f flowmatrix);
CREATE TEMP TABLE big_s (s facility_set);
SELECT current_setting('data_directory') || '/health_share_edge' AS f \gset
INSERT INTO raw VALUES (int4send(100000000) || int8send(1) || int8send(2) || int8send(3));
COPY raw TO :'f' (FORMAT binary);
COPY big_f FROM :'f' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
TRUNCATE raw; INSERT INTO raw VALUES (int4send(2147483647));
COPY raw TO :'f' (FORMAT binary);
COPY big_f FROM :'f' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
TRUNCATE raw; INSERT INTO raw VALUES (int4send(2147483647) || '\x00'::bytea);
COPY raw TO :'f' (FORMAT binary);
COPY big_s FROM :'f' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
TRUNCATE raw; INSERT INTO raw VALUES (int4send(-1) || '\x00'::bytea);
COPY raw TO :'f' (FORMAT binary);
COPY big_s FROM :'f' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE

-- statement_timeout is honoured inside long computations (57014); each of
-- these would run for minutes.  The long inputs stream from a set-returning
-- function in a select list (in FROM, generate_series would build all its
-- rows before the first is read, and the timeout would fall there).
CREATE TEMP TABLE pts AS
SELECT i, 120 + (i % 1000) / 5000.0 AS lon, 30 + (i / 1000) / 5000.0 AS lat FROM generate_series(0, 49999) i;
CREATE TEMP TABLE fs AS SELECT facility_set(i, lon, lat, 1) AS fs FROM pts WHERE i % 7 = 0;
SET statement_timeout = '100ms';
SELECT fca_demand(fs, lon, lat, 1, 50000) IS NULL FROM pts, fs, generate_series(1, 100);
\echo :LAST_ERROR_SQLSTATE
SELECT coverage(fs, lon, lat, 1, 50000) IS NULL FROM pts, fs, generate_series(1, 100);
\echo :LAST_ERROR_SQLSTATE
SELECT count(nearest_facility(fs, lon, lat)) FROM pts, fs, generate_series(1, 100);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_agg(i % 5000, i / 3) IS NULL FROM (SELECT generate_series(1, 100000000) AS i) s;
\echo :LAST_ERROR_SQLSTATE
SELECT gini(i, 1) FROM (SELECT generate_series(1, 500000000) AS i) s;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pts p, fs, LATERAL fca_costs('SELECT i, 1.0, j, 1.0, 1.0 FROM (SELECT generate_series(1, 100000000) AS i) a, generate_series(1, 3) j', 10) c;
\echo :LAST_ERROR_SQLSTATE
RESET statement_timeout;

-- Regression tests for the crashes the fuzzer found (docs/reliability.md):
-- 1. a NUL byte inside the decay of a binary facility_set overflowed the heap
TRUNCATE raw;
INSERT INTO raw VALUES (int4send(0) || '\x02'::bytea || convert_to('2sfca', 'UTF8') || float8send(2000)
                        || int4send(8) || '\x676175007373696e'::bytea);
COPY raw TO :'f' (FORMAT binary);
COPY big_s FROM :'f' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- 2. -0 and 0 made the facility order, and so the text round trip, depend on
--    the input order
SELECT facility_set_send(s) = facility_set_send(s::text::facility_set) AS round_trip, s
  FROM (VALUES ('{(4,-0.7,1e-33,-0),(4,-0.7,1e-33,0)}'::facility_set),
               ('{(4,-0.7,1e-33,0),(4,-0.7,1e-33,-0)}'),
               ('{(1,-0,-0,1)}')) v(s);

-- Transition functions called on their own, outside their aggregate: a
-- clear error with a SQLSTATE (55000), not an internal one.
SELECT coverage_accum(NULL, NULL, 120.0, 30.0, 10, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand_accum(NULL, NULL, 120.0, 30.0, 10, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_ineq_accum(NULL, 1, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_theil_decomp_accum(NULL, 1, 1, 'a');
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set_accum(NULL, 1, 120.0, 30.0, 1);
\echo :LAST_ERROR_SQLSTATE
