-- The published layer (docs/publishing.md):
--  1. publish_round against an independent computation of its rule in SQL
--     (sha256() of the same bytes), its bad input, its unbiasedness;
--  2. a model installed by an ordinary role, its published layer, and
--     grant_reader / revoke_reader;
--  3. a reader tries every bypass: session, query and role settings, the
--     warehouse's tables, states, live views and functions, the owner's
--     functions, a leaky function in a qual, EXPLAIN VERBOSE.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE hs_pub_owner;
CREATE ROLE hs_pub_reader LOGIN;
CREATE ROLE hs_pub_other;
RESET client_min_messages;
SET search_path = public, health_share;

-- 1. publish_round ------------------------------------------------------------

-- The rule written out again from docs/publishing.md: the cell key is the
-- first 53 bits of SHA-256(int4 length of the seed, the seed, each cell
-- integer as int8), all big-endian; n = q * base + r rounds up to
-- (q + 1) * base when key / 2^53 < r / base.
CREATE FUNCTION pg_temp.expected_round(n bigint, base integer, seed bytea, cell bigint[]) RETURNS numeric
	LANGUAGE sql AS $$
	SELECT CASE WHEN n % base = 0 THEN n
				WHEN (CAST(('x' || encode(substr(sha256(int4send(octet_length(seed)) || seed
						|| (SELECT coalesce(string_agg(int8send(c), ''::bytea ORDER BY o), ''::bytea)
							  FROM unnest(cell) WITH ORDINALITY AS u(c, o))), 1, 8), 'hex'))::bit(64) >> 11 AS bit(64))::bigint)::numeric * base
					 < (n % base)::numeric * 2 ^ 53::numeric
				THEN n::numeric - n % base + base ELSE n - n % base END $$;

\set seed '\'\\x000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\'::bytea'
-- Every n from 0 to 29 with base 5, in 40 cells each: the function and the
-- rule agree on all 1,200.
SELECT count(*) AS cases,
	   count(*) FILTER (WHERE publish_round(n, 5, :seed, 7, c) = pg_temp.expected_round(n, 5, :seed, ARRAY[7, c])) AS agree
  FROM generate_series(0, 29) AS n, generate_series(1, 40) AS c;
-- Multiples of the base, and base 1, are never changed; the rest become a
-- neighbouring multiple: n = 13 is 10 or 15, never 13.
SELECT publish_round(0, 5, :seed, 1) AS zero, publish_round(35, 5, :seed, 1) AS multiple,
	   publish_round(13, 1, :seed, 1) AS base_one,
	   (SELECT array_agg(DISTINCT publish_round(13, 5, :seed, c)) FROM generate_series(1, 100) AS c) AS thirteen;
-- Unbiased: 3 rounds up (to 5) with probability 3/5.  Over 20,000 cells the
-- share up is 0.6 within 4 standard deviations (sqrt(0.24 / 20000) = 0.0035;
-- the cells and the seed are fixed, so this is a fixed number).
SELECT abs(avg(publish_round(3, 5, :seed, c))::numeric / 5 - 0.6) < 0.014 AS unbiased
  FROM generate_series(1, 20000) AS c;
-- The same cell rounds the same way always; another seed, another way for
-- some cells (20,000 cells of 3: the two roundings differ in about 48 %).
SELECT count(*) FILTER (WHERE publish_round(3, 5, :seed, c) <> publish_round(3, 5, :seed, c)) AS unstable,
	   count(*) FILTER (WHERE publish_round(3, 5, :seed, c) <> publish_round(3, 5, sha256(:seed), c)) BETWEEN 9000 AND 10200 AS seed_matters
  FROM generate_series(1, 20000) AS c;
-- The key covers every integer of the cell and their order.
SELECT count(*) FILTER (WHERE publish_round(3, 5, :seed, c, 1) <> publish_round(3, 5, :seed, 1, c)) > 5000 AS order_matters
  FROM generate_series(2, 20001) AS c;
-- Overflow is an error, not a wrap: 2^63 - 1 in cell 1 rounds up to 2^63.
SELECT pg_temp.expected_round(9223372036854775807, 2, :seed, ARRAY[1]) AS rule_says;
SELECT publish_round(9223372036854775807, 2, :seed, 1);
\echo :LAST_ERROR_SQLSTATE
-- Bad input.
SELECT publish_round(-1, 5, :seed, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(3, 0, :seed, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(3, 1001, :seed, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(3, 5, '\x0102'::bytea, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(3, 5, :seed, 1, NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(3, 5, :seed, VARIADIC ARRAY[[1, 2], [3, 4]]::bigint[]);
\echo :LAST_ERROR_SQLSTATE
SELECT publish_round(NULL, 5, :seed, 1) IS NULL AS strict;
-- publish_ratio: 40/47 = 0.85106... to 0.851; 6809/12591 = 0.54078... to 0.541.
SELECT publish_ratio(40, 47) AS a, publish_ratio(6809, 12591) AS b, publish_ratio(1, 0) AS zero_den,
	   publish_ratio(2, 3, 1) AS one_digit, publish_digits(0.12345) AS bound;

-- 2. A model of an ordinary role ----------------------------------------------

GRANT USAGE ON SCHEMA health_share TO hs_pub_owner;
GRANT SELECT, REFERENCES ON health_share.division TO hs_pub_owner;
-- Without the indicator catalog (docs/getting-started.md grants it to
-- PUBLIC) the published funnel plot could not be read: install refuses.
SET ROLE hs_pub_owner;
SELECT health_share.install_model('pubm');
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT SELECT ON health_share.indicator TO hs_pub_owner;
SELECT format('GRANT CREATE ON DATABASE %I TO hs_pub_owner', current_database()) \gexec
SET ROLE hs_pub_owner;
SELECT health_share.install_model('pubm');
-- January and February 2024.  True cells (month, residence county, facility
-- county, kind, grassroots):
--   Jan 德清 330521 -> 德清, outpatient, grassroots: 4 visits (ids 1-4)
--   Jan 德清 -> 德清, outpatient, hospital: 9 (ids 5-13)
--   Jan 德清 -> 德清, inpatient, hospital: 2 (14, 15)
--   Jan 德清 -> 吴兴 330502, outpatient, hospital: 3 (16-18)
--   Jan 长兴 330522 -> 德清, outpatient, hospital: 1 (19)
--   Feb 德清 -> 德清, outpatient, grassroots: 6 (20-25)
--   Feb 德清 -> 吴兴, inpatient, hospital: 1 (26)
-- So 德清's January has 18 visits, 15 in the county: every count but 18 and
-- 9 is a small cell somewhere.
SELECT pubm.add_partitions(DATE '2024-01-01', DATE '2024-02-01');
INSERT INTO pubm.facility (id, name, care_level, county, township, lon, lat, beds, doctors) VALUES
  (10, '德清县人民医院', 'secondary', '330521', '330521001', 119.97, 30.54, 800, 300),
  (11, '武康街道社区卫生服务中心', 'primary', '330521', '330521001', 119.96, 30.55, 20, 15),
  (30, '湖州市中心医院', 'tertiary', '330502', NULL, 120.09, 30.87, 1800, 700);
INSERT INTO pubm.visit (id, visit_date, residence, facility_id, kind, total_fen, fund_fen)
SELECT i, CASE WHEN i < 20 THEN DATE '2024-01-10' ELSE DATE '2024-02-10' END,
	   CASE WHEN i = 19 THEN '330522001' ELSE '330521001' END::adcode,
	   CASE WHEN i <= 4 OR i BETWEEN 20 AND 25 THEN 11 WHEN i BETWEEN 16 AND 18 OR i = 26 THEN 30 ELSE 10 END,
	   CASE WHEN i IN (14, 15, 26) THEN 'inpatient' ELSE 'outpatient' END, 10000, 6000
  FROM generate_series(1, 26) AS i;
INSERT INTO pubm.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES
  ('2024-01-04', 11, 10, '330521001'), ('2024-01-08', 10, 30, '330521001'), ('2024-02-08', 10, 11, '330521001');
SELECT health_share.refresh_model('pubm');
-- A fixed seed, so that this file's output is fixed (a real model keeps the
-- random one install_model made).
UPDATE pubm.publish_key SET seed = :seed;

-- The published cells are the rule applied to the true cells, counted here
-- straight from the facts.
-- (The layer's codes and care levels are text: the truth's are cast.)
-- The key of a visit cell (key 1): month, the two counties, kind (1
-- outpatient, 2 inpatient), grassroots, the facility of a stay (0 for
-- outpatient visits), then TCM grassroots outpatient, discharged and
-- discharged with a grade 3-4 operation (1 or 0; this fixture has none of
-- them, so every flag is 0).
WITH t AS (
	SELECT date_trunc('month', v.visit_date)::date AS month, adcode_county(v.residence) AS r, f.county AS f,
		   v.kind, f.care_level <= 'primary' AS g, CASE WHEN v.kind = 'inpatient' THEN f.id ELSE 0 END AS fid,
		   v.kind = 'outpatient' AND v.tcm AND f.care_level <= 'primary' AS tcm,
		   v.discharge_date IS NOT NULL AS dis, v.discharge_date IS NOT NULL AND coalesce(v.surgery_grade >= 3, false) AS g34,
		   count(*) AS n
	  FROM pubm.visit AS v JOIN pubm.facility AS f ON f.id = v.facility_id GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
), e AS (
	SELECT t.*, pg_temp.expected_round(t.n, 5, :seed, ARRAY[1, t.month - DATE '1970-01-01', t.r::bigint, t.f::bigint,
			CASE t.kind WHEN 'outpatient' THEN 1 ELSE 2 END, CASE WHEN t.g THEN 1 ELSE 0 END, t.fid,
			CASE WHEN t.tcm THEN 1 ELSE 0 END, CASE WHEN t.dis THEN 1 ELSE 0 END, CASE WHEN t.g34 THEN 1 ELSE 0 END]) AS published
	  FROM t
)
SELECT e.month, e.r, e.f, e.kind, e.g, e.fid, e.n AS true_visits, e.published, c.visits AS view_visits
  FROM e LEFT JOIN pubm_pub.visit_cells AS c
	ON (c.month, c.residence_county, c.facility_county, c.kind, c.grassroots, c.facility_id, c.tcm, c.discharged, c.grade34)
	 = (e.month, e.r::text, e.f::text, e.kind, e.g, e.fid, e.tcm, e.dis, e.g34)
 ORDER BY 1, 2, 3, 4, 5, 6;
-- The referral cells likewise (key 2, month, county, kind 1 = referral,
-- care levels 1 .. 4 from village to tertiary, grids 0 = none, the sending
-- facility, 1 inside its consortium else 0): Jan up primary -> secondary (from 11)
-- and secondary -> tertiary (from 10), Feb down secondary -> primary (from
-- 10), one each, no consortium.
WITH t AS (
	SELECT date_trunc('month', r.referral_date)::date AS month, adcode_county(r.residence) AS county,
		   r.kind, a.care_level AS f, b.care_level AS t, a.id AS from_id,
		   coalesce(a.consortium_id = b.consortium_id, false) AS within, count(*) AS n
	  FROM pubm.referral AS r JOIN pubm.facility AS a ON a.id = r.from_facility_id
	  JOIN pubm.facility AS b ON b.id = r.to_facility_id GROUP BY 1, 2, 3, 4, 5, 6, 7
)
SELECT t.month, t.county, t.f, t.t, t.from_id, t.within, t.n AS true_referrals,
	   pg_temp.expected_round(t.n, 5, :seed, ARRAY[2, t.month - DATE '1970-01-01', t.county::bigint, 1,
			array_position(enum_range(NULL::care_level), t.f), array_position(enum_range(NULL::care_level), t.t), 0, 0,
			t.from_id, CASE WHEN t.within THEN 1 ELSE 0 END]) AS published,
	   c.referrals AS view_referrals
  FROM t LEFT JOIN pubm_pub.referral_cells AS c
	ON (c.month, c.county, c.kind, c.from_level, c.to_level, c.from_facility_id, c.within_consortium)
	 = (t.month, t.county::text, t.kind, t.f::text, t.t::text, t.from_id, t.within)
 ORDER BY 1, 3, 4;
-- Every published count is a sum of those cells: 德清's January visits are
-- the sum of its four January cells as published, and so on.  (The view must
-- equal the sums; recomputed here from visit_cells.)
SELECT m.county, m.month, m.visits, m.inpatient_visits, m.served_visits, m.referrals_up, m.referrals_down,
	   m.visits = (SELECT coalesce(sum(c.visits), 0) FROM pubm_pub.visit_cells AS c WHERE c.residence_county = m.county AND c.month = m.month) AS visits_add_up,
	   m.in_county_rate IS NOT DISTINCT FROM publish_ratio(
		   (SELECT coalesce(sum(c.visits), 0) FROM pubm_pub.visit_cells AS c WHERE c.residence_county = m.county AND c.facility_county = m.county AND c.month = m.month)::bigint,
		   m.visits) AS rate_of_published,
	   m.visits % 5 = 0 AND m.inpatient_visits % 5 = 0 AND m.served_visits % 5 = 0 AS multiples_of_5
  FROM pubm_pub.county_month AS m ORDER BY 1, 2;

-- Grants: the published schema only.
SELECT grant_reader('pubm', 'hs_pub_reader');
SELECT n.nspname, has_schema_privilege('hs_pub_reader', n.oid, 'USAGE') AS usage
  FROM pg_namespace AS n WHERE n.nspname IN ('pubm', 'pubm_pub') ORDER BY 1;
SELECT c.relname, has_table_privilege('hs_pub_reader', c.oid, 'SELECT') AS reader_selects,
	   has_table_privilege('public', c.oid, 'SELECT') AS public_selects
  FROM pg_class AS c WHERE c.relnamespace = 'pubm_pub'::regnamespace ORDER BY 1;
-- Every column of every view of the published layer has a plain SQL type
-- that BI tools read over JDBC and ODBC (docs/bi.md): text, booleans,
-- integers, real, double precision, numeric, dates and timestamps; never
-- the extension's types (adcode, care_level, hs_rate, flowmatrix), other
-- enums or domains, arrays, JSON or records.  The views are the catalog's,
-- so a view added to the layer later is checked too.
CREATE TEMP VIEW plain_types AS
SELECT CAST(t AS regtype) AS t FROM unnest(ARRAY['text', 'character varying', 'boolean', 'smallint', 'integer', 'bigint',
	'real', 'double precision', 'numeric', 'date', 'timestamp without time zone', 'timestamp with time zone']) AS t;
SELECT c.relname AS published_view, a.attname AS column_not_plain, format_type(a.atttypid, a.atttypmod) AS type
  FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'pubm_pub'::regnamespace AND a.atttypid NOT IN (SELECT t FROM plain_types)
 ORDER BY 1, 2;
-- It has views to check (all of them views), and the control: the same
-- query finds the extension's types in the warehouse's views.
SELECT count(DISTINCT c.oid) > 20 AS many_views, bool_and(c.relkind = 'v') AS all_views
  FROM pg_class AS c WHERE c.relnamespace = 'pubm_pub'::regnamespace;
SELECT count(*) > 0 AS warehouse_has_extension_types,
	   count(*) FILTER (WHERE a.atttypid = 'adcode'::regtype) > 0 AS adcode,
	   count(*) FILTER (WHERE a.atttypid = 'care_level'::regtype) > 0 AS care_level
  FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relnamespace = 'pubm'::regnamespace AND c.relkind = 'v' AND a.atttypid NOT IN (SELECT t FROM plain_types);
-- In the warehouse's schema PUBLIC may run no function but the load path's
-- helpers (called by the fact tables' triggers with the loader's rights),
-- and reads no table.
SELECT p.proname FROM pg_proc AS p
 WHERE p.pronamespace = 'pubm'::regnamespace AND has_function_privilege('public', p.oid, 'EXECUTE') ORDER BY 1;
SELECT count(*) AS tables_public_reads FROM pg_class AS c
 WHERE c.relnamespace = 'pubm'::regnamespace AND has_table_privilege('public', c.oid, 'SELECT');
-- Bad calls.
SELECT grant_reader('pubm', 'hs_no_such_role');
\echo :LAST_ERROR_SQLSTATE
SELECT grant_reader('no_such_model', 'hs_pub_reader');
\echo :LAST_ERROR_SQLSTATE
SELECT grant_reader('pubm', NULL);
\echo :LAST_ERROR_SQLSTATE
UPDATE pubm.model_config SET min_cell = 0;
\echo :LAST_ERROR_SQLSTATE
UPDATE pubm.model_config SET min_cell = 100000;
\echo :LAST_ERROR_SQLSTATE
SELECT encode(k.seed, 'hex') AS seed_hex FROM pubm.publish_key AS k \gset
RESET ROLE;
-- What the reader should see, kept to compare.
CREATE TABLE public.pub_seen AS
SELECT 'county_month' AS v, md5(string_agg(t::text, ',' ORDER BY t::text)) AS digest FROM pubm_pub.county_month AS t
UNION ALL SELECT 'county_year', md5(string_agg(t::text, ',' ORDER BY t::text)) FROM pubm_pub.county_year AS t
UNION ALL SELECT 'flow_links', md5(string_agg(t::text, ',' ORDER BY t::text)) FROM pubm_pub.county_year_flow_links AS t;
GRANT SELECT ON public.pub_seen TO hs_pub_reader;
-- And a digest of every view of the layer, found by name in the catalog
-- (so a view added later is covered too).  The argument only orders the
-- call after a set_config in the same query.  Names are quoted with %I.
CREATE FUNCTION public.pub_digests(after text DEFAULT NULL) RETURNS TABLE (v name, digest text)
LANGUAGE plpgsql AS $$
BEGIN
	FOR v IN SELECT c.relname FROM pg_class AS c
			  WHERE c.relnamespace = 'pubm_pub'::regnamespace AND c.relkind = 'v' ORDER BY 1 LOOP
		EXECUTE format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) FROM pubm_pub.%I AS t',
					   ',', '', v) INTO digest;
		RETURN NEXT;
	END LOOP;
END $$;
CREATE TABLE public.pub_seen_all AS SELECT * FROM public.pub_digests();
GRANT SELECT ON public.pub_seen_all TO hs_pub_reader;
-- Control: the digests do see the threshold.  With the owner's min_cell at
-- 1 nothing is rounded, and (at least) the views of visit counts change.
UPDATE pubm.model_config SET min_cell = 1;
SELECT count(*) AS views, count(*) FILTER (WHERE s.digest IS DISTINCT FROM d.digest) > 10 AS many_changed,
	   bool_or(s.v = 'county_month' AND s.digest <> d.digest) AS county_month_changed
  FROM public.pub_seen_all AS s FULL JOIN public.pub_digests() AS d USING (v);
UPDATE pubm.model_config SET min_cell = 5;
SELECT count(*) FILTER (WHERE s.digest IS DISTINCT FROM d.digest) AS changed_back
  FROM public.pub_seen_all AS s FULL JOIN public.pub_digests() AS d USING (v);

-- 3. The reader ---------------------------------------------------------------

SET ROLE hs_pub_reader;
SELECT county, month, visits, in_county_rate, served_visits, referrals_up, referrals_down
  FROM pubm_pub.county_month ORDER BY 1, 2;
-- The threshold is the owner's: no setting of the reader changes a value.
SET health_share.min_cell = 1;
SELECT v, digest = (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM pubm_pub.county_month AS t) AS unchanged
  FROM public.pub_seen WHERE v = 'county_month';
SELECT count(*) AS views, count(*) FILTER (WHERE s.digest IS DISTINCT FROM d.digest) AS changed
  FROM public.pub_seen_all AS s FULL JOIN public.pub_digests() AS d USING (v);
RESET health_share.min_cell;
SELECT count(*) AS views,
	   count(*) FILTER (WHERE s.digest IS DISTINCT FROM d.digest) AS changed
  FROM public.pub_seen_all AS s
  FULL JOIN (SELECT d.* FROM (SELECT set_config('health_share.min_cell', '1', true)) AS c(x),
			 LATERAL public.pub_digests(c.x) AS d) AS d USING (v);
SELECT s.v, s.digest = x.d AS unchanged
  FROM public.pub_seen AS s,
	   (SELECT set_config('health_share.min_cell', '1', true) AS c,
			   md5(string_agg(t::text, ',' ORDER BY t::text)) AS d FROM pubm_pub.county_year AS t) AS x
 WHERE s.v = 'county_year';
-- The warehouse: facts, states, cells, the seed, live and full views, the
-- compute and owner's functions, the configuration.
SELECT count(*) FROM pubm.visit;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.county_month_state;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.visit_cell;
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM pubm.publish_key;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.county_month;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.county_month_mat;
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.county_month_compute(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) FROM pubm.visit_p2024_01;
\echo :LAST_ERROR_SQLSTATE
UPDATE pubm.model_config SET min_cell = 1;
\echo :LAST_ERROR_SQLSTATE
-- So far the reader needed nothing but grant_reader.  With the extension's
-- schema usable too (as docs/getting-started.md grants it to PUBLIC), the
-- owner's functions refuse it with a hint that names the published layer.
RESET ROLE;
GRANT USAGE ON SCHEMA health_share TO hs_pub_reader;
SET ROLE hs_pub_reader;
SELECT refresh_model('pubm');
\echo :LAST_ERROR_SQLSTATE
SELECT grant_reader('pubm', 'hs_pub_other');
\echo :LAST_ERROR_SQLSTATE
SELECT revoke_reader('pubm', 'hs_pub_reader');
\echo :LAST_ERROR_SQLSTATE
-- The published layer's views are not writable.
DELETE FROM pubm_pub.visit_cells;
\echo :LAST_ERROR_SQLSTATE
-- A leaky function in a qual: it records every value it is shown.  The
-- views are security barriers, so it sees only the published rows: counts
-- that are multiples of 5, never a true small cell.
CREATE TEMP TABLE leaked (n bigint);
CREATE FUNCTION pg_temp.leak(n bigint) RETURNS boolean LANGUAGE plpgsql COST 0.0000001 AS
$$BEGIN INSERT INTO leaked VALUES (n); RETURN true; END$$;
SELECT count(*) AS rows FROM pubm_pub.visit_cells WHERE pg_temp.leak(visits);
SELECT count(*) AS rows FROM pubm_pub.county_month WHERE pg_temp.leak(visits) AND pg_temp.leak(inpatient_visits);
SELECT count(*) AS rows FROM pubm_pub.county_year_flow_links WHERE pg_temp.leak(visits);
SELECT count(*) AS seen, count(*) FILTER (WHERE n % 5 <> 0) AS not_published FROM leaked;
-- EXPLAIN VERBOSE shows the plan, never a value: not the seed, and no
-- constant of the warehouse.
CREATE TEMP TABLE plan (line text);
DO $$
DECLARE l text;
BEGIN
	FOR l IN EXECUTE 'EXPLAIN (VERBOSE, COSTS OFF) SELECT * FROM pubm_pub.county_year WHERE county = ''330521''' LOOP
		INSERT INTO plan VALUES (l);
	END LOOP;
	FOR l IN EXECUTE 'EXPLAIN (ANALYZE, VERBOSE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT * FROM pubm_pub.visit_cells' LOOP
		INSERT INTO plan VALUES (l);
	END LOOP;
END $$;
-- (The last line is a control: the test finds a bytea constant where one is.)
INSERT INTO plan VALUES ('control: ''\x' || :'seed_hex' || '''::bytea');
SELECT count(*) > 10 AS has_plan, count(*) FILTER (WHERE line LIKE '%' || :'seed_hex' || '%') AS shows_seed,
	   count(*) FILTER (WHERE line ~ '''\\x') AS shows_bytea
  FROM plan;
RESET ROLE;

-- The reader's own role settings: applied at login, changing nothing.
ALTER ROLE hs_pub_reader SET health_share.min_cell = 1;
SELECT current_user AS superuser \gset
\c - hs_pub_reader
SHOW health_share.min_cell;
SELECT s.v, s.digest = (SELECT md5(string_agg(t::text, ',' ORDER BY t::text)) FROM pubm_pub.county_month AS t) AS unchanged
  FROM public.pub_seen AS s WHERE s.v = 'county_month';
SELECT count(*) AS views, count(*) FILTER (WHERE s.digest IS DISTINCT FROM d.digest) AS changed
  FROM public.pub_seen_all AS s FULL JOIN public.pub_digests() AS d USING (v);
\c - :superuser
SET search_path = public, health_share;
ALTER ROLE hs_pub_reader RESET health_share.min_cell;

-- revoke_reader takes it all back.
SET ROLE hs_pub_owner;
SELECT revoke_reader('pubm', 'hs_pub_reader');
RESET ROLE;
SELECT has_schema_privilege('hs_pub_reader', 'pubm_pub', 'USAGE') AS usage,
	   has_table_privilege('hs_pub_reader', 'pubm_pub.county_month', 'SELECT') AS reads;

REVOKE USAGE ON SCHEMA health_share FROM hs_pub_reader;
DROP TABLE public.pub_seen, public.pub_seen_all;
DROP FUNCTION public.pub_digests(text);
DROP SCHEMA pubm_pub CASCADE;
DROP SCHEMA pubm CASCADE;
DROP OWNED BY hs_pub_owner, hs_pub_reader, hs_pub_other;
DROP ROLE hs_pub_owner;
DROP ROLE hs_pub_reader;
DROP ROLE hs_pub_other;
