-- The model against hostile callers and awkward schema names:
--  1. a schema name that closes the dollar quotes of a function body, under
--     check_function_bodies = off (as pg_dump scripts set it), must not run
--     its payload;
--  2. a role with CREATE on the model's schema plants overloads of the
--     model's functions (and of pg_catalog ones, better matching than them);
--     refresh_model run by a superuser must call none of them;
--  3. install_model refuses a schema owned by another role;
--  4. every kind of schema name works: the model installs, loads, refreshes
--     and every view reads the same as in a plainly named schema.
-- Errors show their message and SQLSTATE; the CONTEXT lines (PL/pgSQL
-- line numbers of the model's functions) are left out.
\set SHOW_CONTEXT never
SET client_min_messages = warning;
CREATE ROLE hs_mallory;
RESET client_min_messages;
SET search_path = public, health_share;

-- A small fixture: January 2024, 7 visits of 德清县 (330521) residents, 5 of
-- them at facilities in 德清县 (visits 1-4 and 6), so its in-county rate is
-- 5/7 = 0.7142857142857143; 2 visits of 长兴县 (330522) residents (a cell
-- below min_cell 5: suppressed).  Test code may build SQL; the model may not.
CREATE FUNCTION pg_temp.load(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format($q$
	SELECT %1$I.add_partitions(DATE '2024-01-01', DATE '2024-01-01');
	INSERT INTO %1$I.facility (id, name, care_level, county, township, lon, lat, beds, doctors) VALUES
	  (10, '德清县人民医院', 'secondary', '330521', '330521001', 119.97, 30.54, 800, 300),
	  (11, '武康街道社区卫生服务中心', 'primary', '330521', '330521001', 119.96, 30.55, 20, 15),
	  (12, '新市镇中心卫生院', 'primary', '330521', '330521102', 120.29, 30.62, 60, 30),
	  (13, '新市镇白彪村卫生室', 'village', '330521', '330521102', 120.27, 30.63, 0, 2),
	  (21, '雉城街道社区卫生服务中心', 'primary', '330522', '330522001', 119.90, 31.03, 30, 18),
	  (30, '湖州市中心医院', 'tertiary', '330502', NULL, 120.09, 30.87, 1800, 700);
	INSERT INTO %1$I.unit (code, name, lon, lat, area_km2) VALUES
	  ('330521001', '武康街道', 119.96, 30.55, 90), ('330521102', '新市镇', 120.29, 30.62, 100),
	  ('330522001', '雉城街道', 119.90, 31.03, 40), ('330522101', '洪桥镇', 119.85, 31.10, 60);
	INSERT INTO %1$I.population (unit, year, population, elderly) VALUES
	  ('330521001', 2024, 100000, 20000), ('330521102', 2024, 80000, 16000),
	  ('330522001', 2024, 90000, 18000), ('330522101', 2024, 30000, 6000);
	INSERT INTO %1$I.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) VALUES
	  ('2024-01-03', '330521001', 11, 'outpatient', 10000, 6000), ('2024-01-05', '330521001', 10, 'outpatient', 30000, 18000),
	  ('2024-01-09', '330521102', 12, 'outpatient', 8000, 5000), ('2024-01-10', '330521102', 13, 'outpatient', 2000, 1000),
	  ('2024-01-15', '330521102', 30, 'outpatient', 50000, 25000), ('2024-01-20', '330521001', 10, 'inpatient', 500000, 350000),
	  ('2024-01-31', '330521', 30, 'inpatient', 900000, 600000),
	  ('2024-01-02', '330522001', 21, 'outpatient', 6000, 4000), ('2024-01-12', '330522101', 10, 'outpatient', 20000, 10000);
	INSERT INTO %1$I.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES
	  ('2024-01-04', 11, 10, '330521001'), ('2024-01-08', 10, 12, '330521102');
	$q$, s);
END $$;
-- Every view of a model: its name, rows and an md5 of its sorted rows.
CREATE FUNCTION pg_temp.views(s text) RETURNS TABLE (view name, n bigint, digest text) LANGUAGE plpgsql AS $$
DECLARE v name;
BEGIN
	FOR v IN SELECT c.relname FROM pg_class AS c WHERE c.relnamespace = to_regnamespace(quote_ident(s)) AND c.relkind = 'v' ORDER BY 1 LOOP
		view := v;
		EXECUTE format('SELECT count(*), md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) FROM %I.%I AS t', s, v) INTO n, digest;
		RETURN NEXT;
	END LOOP;
END $$;

-- 1. The name closes $body$ and would run ALTER ROLE if pasted into SQL.
SET check_function_bodies = off;
SELECT health_share.install_model('x$body$;ALTER ROLE hs_mallory SUPERUSER;SELECT $body$');
RESET check_function_bodies;
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'hs_mallory';
SELECT count(*) AS views FROM pg_class
 WHERE relnamespace = to_regnamespace(quote_ident('x$body$;ALTER ROLE hs_mallory SUPERUSER;SELECT $body$')) AND relkind = 'v';

-- 2. Overloads planted by a role that may create in the model's schema:
-- every model function name with other argument types, and pg_catalog
-- names with argument types that match the model's calls better than
-- pg_catalog's own (date_trunc(text, date), count(date), cardinality(date[]),
-- an = operator taking date[], <= of care_level).  Each records its call and tries to
-- make mallory a superuser.
SELECT health_share.install_model('hj');
SELECT pg_temp.load('hj');
GRANT USAGE, CREATE ON SCHEMA hj TO hs_mallory;
GRANT USAGE ON SCHEMA health_share TO hs_mallory;
CREATE TABLE public.hijack_log (what text);
GRANT INSERT ON public.hijack_log TO PUBLIC;
SET ROLE hs_mallory;
CREATE FUNCTION hj.trap(what text) RETURNS void LANGUAGE plpgsql AS
$$BEGIN INSERT INTO public.hijack_log VALUES (what); EXECUTE 'ALTER ROLE hs_mallory SUPERUSER'; END$$;
CREATE FUNCTION hj.refresh_states(months text, all_months text DEFAULT NULL) RETURNS integer LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('refresh_states(text, text)'); RETURN 0; END$$;
CREATE FUNCTION hj.refresh_states(months anyelement, all_months boolean) RETURNS integer LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('refresh_states(anyelement, boolean)'); RETURN 0; END$$;
CREATE FUNCTION hj.county_month_compute(months text) RETURNS SETOF hj.county_month_state LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('county_month_compute(text)'); END$$;
CREATE FUNCTION hj.county_month_range(lo text, hi text) RETURNS SETOF hj.county_month_state LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('county_month_range(text, text)'); END$$;
CREATE FUNCTION hj.visit_cell_range(lo text, hi text) RETURNS SETOF hj.visit_cell LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('visit_cell_range(text, text)'); END$$;
CREATE FUNCTION hj.referral_cell_range(lo text, hi text) RETURNS SETOF hj.referral_cell LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('referral_cell_range(text, text)'); END$$;
CREATE FUNCTION hj.add_partitions(a text, b text) RETURNS integer LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('add_partitions(text, text)'); RETURN 0; END$$;
CREATE FUNCTION hj.months_take(months anyarray) RETURNS date[] LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('months_take(anyarray)'); RETURN NULL; END$$;
CREATE FUNCTION hj.facilities_unknown(f anyarray) RETURNS integer[] LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('facilities_unknown(anyarray)'); RETURN NULL; END$$;
CREATE FUNCTION hj.months_mark(m anyarray) RETURNS void LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('months_mark(anyarray)'); END$$;
CREATE FUNCTION hj.date_trunc(text, date) RETURNS date LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('date_trunc(text, date)'); RETURN $2; END$$;
CREATE FUNCTION hj.cardinality(date[]) RETURNS integer LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('cardinality(date[])'); RETURN 0; END$$;
CREATE FUNCTION hj.isfinite(date) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('isfinite(date)'); RETURN true; END$$;
CREATE FUNCTION hj.eq(date, date[]) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('= (date, date[])'); RETURN true; END$$;
CREATE OPERATOR hj.= (FUNCTION = hj.eq, LEFTARG = date, RIGHTARG = date[]);
CREATE FUNCTION hj.le(health_share.care_level, health_share.care_level) RETURNS boolean LANGUAGE plpgsql AS
$$BEGIN PERFORM hj.trap('<= (care_level, care_level)'); RETURN true; END$$;
CREATE OPERATOR hj.<= (FUNCTION = hj.le, LEFTARG = health_share.care_level, RIGHTARG = health_share.care_level);
RESET ROLE;
-- The refresh and the load path run as the superuser.
SELECT health_share.refresh_model('hj') AS months;
INSERT INTO hj.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-02-01', '330521001', 11, 'outpatient', 1);
SELECT health_share.refresh_model('hj', ARRAY['2024-01-15'::date]) AS months;
SELECT health_share.refresh_model('hj') AS months;
SELECT health_share.refresh_model('hj', all_months => true) AS months;
-- (typed arguments: an untyped literal would prefer mallory's text overload)
SELECT hj.add_partitions(DATE '2025-01-01', DATE '2025-02-01') AS partitions;
DELETE FROM hj.visit WHERE visit_date = '2024-02-01';
SELECT count(*) AS live_rows FROM hj.county_month;
-- A facility that visits or referrals name cannot be deleted.
DELETE FROM hj.facility WHERE id = 30;
\echo :LAST_ERROR_SQLSTATE
-- None of the traps ran; mallory is no superuser; the states are right
-- (德清县, January 2024: 7 visits, 5/7 in the county; with min_cell 5 the
-- rate is suppressed, as its complement 2 is a small cell: min_cell 1 here).
UPDATE hj.model_config SET min_cell = 1;
SELECT count(*) AS traps_called FROM public.hijack_log;
SELECT rolsuper AS mallory_is_superuser FROM pg_roles WHERE rolname = 'hs_mallory';
SELECT visits, in_county_rate FROM hj.county_month_mat WHERE county = '330521' AND month = '2024-01-01';
-- Control: the traps do fire on unqualified SQL run with the model's
-- search_path (in a transaction rolled back).
BEGIN;
SET LOCAL search_path = hj, pg_temp;
SELECT date_trunc('month', DATE '2024-01-05') AS trapped, 'primary'::health_share.care_level <= 'village' AS trapped_le;
SELECT what FROM public.hijack_log ORDER BY what;
ROLLBACK;

-- 3. A schema owned by another role: its owner could replace the model's
-- functions later, so install_model refuses it, even for a superuser.
CREATE SCHEMA mallorys AUTHORIZATION hs_mallory;
SELECT health_share.install_model('mallorys');
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS objects_left FROM pg_class WHERE relnamespace = 'mallorys'::regnamespace;

-- 4. Names with a double quote, dollar quotes, a space and non-ASCII
-- letters, and one of 59 bytes, the longest (19 three-byte characters and
-- two letters; its published layer is <name>_pub, 63 bytes): each model
-- reads the same in every view as the one in schema plain.
CREATE TEMP TABLE names (s text);
INSERT INTO names VALUES ('plain'), ('a"b'), ('x$v$y'), ('$body$'), ('Ω 模型'), (repeat('模', 19) || 'ab');
SELECT octet_length(s) AS bytes FROM names WHERE s LIKE '模%';
SELECT health_share.install_model(s), pg_temp.load(s), health_share.refresh_model(s) FROM names;
-- One seed for all (each install draws its own): the rounded cells
-- (rounded_cells.sql) and the published layer depend on it.
CREATE FUNCTION pg_temp.same_seed(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('UPDATE %I.publish_key SET seed = sha256(%L::bytea)', s, 'model_security');
END $$;
SELECT count(*) AS seeds_set FROM names AS n, LATERAL pg_temp.same_seed(n.s);
SELECT n.s, count(*) AS views, sum(v.n) AS view_rows,
       bool_and(v.digest = p.digest AND v.n = p.n) AS same_as_plain
  FROM names AS n CROSS JOIN LATERAL pg_temp.views(n.s) AS v
  JOIN pg_temp.views('plain') AS p ON p.view = v.view
 GROUP BY n.s ORDER BY octet_length(n.s), n.s;
-- Their published layers <name>_pub too: every published view reads the
-- same as plain_pub's.
SELECT n.s, count(*) AS published_views, sum(v.n) AS published_rows,
       bool_and(v.digest = p.digest AND v.n = p.n) AS same_as_plain
  FROM names AS n CROSS JOIN LATERAL pg_temp.views(n.s || '_pub') AS v
  JOIN pg_temp.views('plain_pub') AS p ON p.view = v.view
 GROUP BY n.s ORDER BY octet_length(n.s), n.s;
-- The anchor, worked out by hand (see the fixture): 7 visits, 5/7 (min_cell 1,
-- each model's owner lowering its threshold).
CREATE FUNCTION pg_temp.lower_threshold(s text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
	EXECUTE format('UPDATE %I.model_config SET min_cell = 1', s);
END $$;
CREATE FUNCTION pg_temp.deqing_january(s text) RETURNS TABLE (visits bigint, in_county_rate float8) LANGUAGE plpgsql AS $$
BEGIN
	RETURN QUERY EXECUTE format('SELECT m.visits, m.in_county_rate FROM %I.county_month_mat AS m WHERE m.county = %L AND m.month = %L',
								s, '330521', '2024-01-01');
END $$;
SELECT count(*) AS thresholds_lowered FROM names AS n, LATERAL pg_temp.lower_threshold(n.s);
SELECT n.s, d.visits, d.in_county_rate FROM names AS n CROSS JOIN LATERAL pg_temp.deqing_january(n.s) AS d ORDER BY octet_length(n.s), n.s;

-- Writing into a partition directly is checked too.
INSERT INTO hj.visit_p2024_01 (id, visit_date, residence, facility_id, kind, total_fen) VALUES (999, '2024-01-09', '330521001', 77, 'outpatient', 1);
\echo :LAST_ERROR_SQLSTATE

SET client_min_messages = warning;
DROP SCHEMA hj, mallorys, "x$body$;ALTER ROLE hs_mallory SUPERUSER;SELECT $body$" CASCADE;
SELECT format('DROP SCHEMA %I, %I CASCADE', s, s || '_pub') FROM names \gexec
DROP SCHEMA hj_pub, "x$body$;ALTER ROLE hs_mallory SUPERUSER;SELECT $body$_pub" CASCADE;
DROP TABLE public.hijack_log;
REVOKE USAGE ON SCHEMA health_share FROM hs_mallory;
DROP ROLE hs_mallory;
