-- Real warehouse data (docs/model.md, "Data quality"): the data-quality
-- views, overlapping units, fact dates, source keys, months_covered, and the
-- rules of the indicator catalog.
-- Errors show their message and SQLSTATE; the CONTEXT lines (PL/pgSQL
-- line numbers of the model's functions) are left out.
\set SHOW_CONTEXT never
SET search_path = public, health_share;
SET client_min_messages = warning;
SELECT install_model('dq');
RESET client_min_messages;
SELECT dq.add_partitions(DATE '2024-01-01', DATE '2024-12-01');
UPDATE dq.model_config SET min_cell = 1;

-- Facilities: 1 in 玉环市 with coordinates, 2 in 拱墅区 and 3 in 玉环市 without.
INSERT INTO dq.facility (id, name, care_level, county, lon, lat) VALUES
  (1, '玉环市人民医院', 'secondary', '331083', 121.23, 28.13),
  (2, '拱墅区医院', 'secondary', '330105', NULL, NULL),
  (3, '玉城街道社区卫生服务中心', 'primary', '331083', NULL, NULL);

-- Units: townships of 玉环市.  The county next to its own townships, or a
-- village next to its township, is refused, naming both units; nothing of
-- the statement is loaded.
INSERT INTO dq.unit (code, name) VALUES ('331083001', '玉城街道'), ('331083002', '坎门街道');
INSERT INTO dq.unit (code, name) VALUES ('331083', '玉环市');
INSERT INTO dq.unit (code, name) VALUES ('331083003', '大麦屿街道'), ('331083003001', '某村');
UPDATE dq.unit SET code = '331083' WHERE code = '331083002';
SELECT code FROM dq.unit ORDER BY code;
-- Population: 玉城街道 in 2023 and 2024, 坎门街道 in 2024 only: 坎门街道 lacks 2023.
INSERT INTO dq.population (unit, year, population) VALUES
  ('331083001', 2023, 100), ('331083001', 2024, 110), ('331083002', 2024, 50);

-- Dates: before 1949-10-01, or more than model_config.future_margin_days
-- (default 31) after today, are refused (23514).
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen) VALUES (90, '1900-01-01', '331083', 1, 'outpatient', 10);
-- (terse: the refused row's DETAIL would show today's date)
\set VERBOSITY terse
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen) VALUES (91, CURRENT_DATE + 32, '331083', 1, 'outpatient', 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO dq.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES (CURRENT_DATE + 32, 1, 2, '331083');
\echo :LAST_ERROR_SQLSTATE
\set VERBOSITY default
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen) VALUES (92, CURRENT_DATE + 31, '331083', 1, 'outpatient', 10);
-- A wider margin admits it; narrowing the margin again is refused while
-- such a row is there, and works once it is gone.
UPDATE dq.model_config SET future_margin_days = 400;
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen) VALUES (93, CURRENT_DATE + 365, '331083', 1, 'outpatient', 10);
UPDATE dq.model_config SET future_margin_days = 31;
DELETE FROM dq.visit WHERE id IN (92, 93);
UPDATE dq.model_config SET future_margin_days = 31;
UPDATE dq.model_config SET future_margin_days = 5000;

-- Visits of 2024 (ids in brackets), all outpatient:
--   January:  331021 (玉环县, abolished 2017) at 1 [1, 2]; 339999 (no vintage) at 1 [3];
--             331083 at 1 [4]
--   February: 331083 at 3 [5]
--   April:    331083 at 1 [6, 7]; 330103 (下城区, abolished 2021) at 2 [8]
-- 玉环市 331083 has visits of its residents in January (4 counted: 1, 2, 4),
-- February and April, none in March; 拱墅区 330105 (330103's visit) only in April.
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen) VALUES
  (1, '2024-01-05', '331021', 1, 'outpatient', 10), (2, '2024-01-06', '331021', 1, 'outpatient', 10),
  (3, '2024-01-07', '339999', 1, 'outpatient', 10), (4, '2024-01-08', '331083', 1, 'outpatient', 10),
  (5, '2024-02-08', '331083', 3, 'outpatient', 10),
  (6, '2024-04-08', '331083', 1, 'outpatient', 10), (7, '2024-04-09', '331083', 1, 'outpatient', 10),
  (8, '2024-04-10', '330103', 2, 'outpatient', 10);
-- Referrals of 玉环市 residents in January and April (none in February, March).
INSERT INTO dq.referral (id, referral_date, from_facility_id, to_facility_id, residence) VALUES
  (1, '2024-01-09', 3, 1, '331083'), (2, '2024-04-09', 3, 1, '331083');

-- Source keys: declared unique (model_config.source_keys), a re-exported
-- visit is refused (23505); without the declaration it is loaded and listed.
UPDATE dq.model_config SET source_keys = true;
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen, source, source_id) VALUES
  (10, '2024-04-11', '331083', 1, 'outpatient', 10, 'his', 'MZ001');
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen, source, source_id) VALUES
  (11, '2024-04-11', '331083', 1, 'outpatient', 10, 'his', 'MZ001');
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen, source) VALUES
  (12, '2024-04-11', '331083', 1, 'outpatient', 10, 'his');
UPDATE dq.model_config SET source_keys = false;
INSERT INTO dq.visit (id, visit_date, residence, facility_id, kind, total_fen, source, source_id) VALUES
  (11, '2024-04-11', '331083', 1, 'outpatient', 10, 'his', 'MZ001');
-- Declaring the keys now is refused: the duplicate is there.
UPDATE dq.model_config SET source_keys = true;
-- The period the model is meant to hold: February 2024 onwards.
UPDATE dq.model_config SET period_first = '2024-02-01';
SELECT refresh_model('dq');

-- Each view.  Unknown codes: 339999 (visit 3), counted in no county.
SELECT * FROM dq.quality_unknown_codes ORDER BY fact, code;
-- Abolished codes: 331021 (visits 1, 2) counted in 331083, 330103 (visit 8) in 330105.
SELECT * FROM dq.quality_abolished_codes ORDER BY fact, code;
-- Dates before 2024-02-01: January's visits 1 .. 4 and referral 1.
SELECT * FROM dq.quality_dates_outside_period ORDER BY fact, month;
-- 坎门街道 has no 2023 population.
SELECT * FROM dq.quality_units_without_population ORDER BY unit;
-- Facilities 2 and 3 have no coordinates.
SELECT * FROM dq.quality_facilities_without_coordinates ORDER BY facility_id;
-- Loaded period of visits: January .. April 2024.  玉环市 lacks March;
-- 拱墅区 lacks January .. March.  Referrals: January .. April, 玉环市 lacks
-- February and March.
SELECT * FROM dq.quality_months_without_facts ORDER BY fact, county;
-- The source key his / MZ001 twice (visits 10 and 11, both 2024-04-11).
SELECT * FROM dq.quality_duplicate_source_keys ORDER BY fact, source, source_id;
-- All of them in one list: 1 + 2 + 2 + 1 + 2 + 3 + 1 = 12 problems.
SELECT * FROM dq.data_quality ORDER BY check_name, subject;

-- months_covered: 玉环市's 2024 has visits of its residents in January,
-- February and April (3 months, 2024-01 .. 2024-04); 拱墅区's in April only.
-- County x quarter: Q1 has 2 months (January, February), Q2 1 (April).
SELECT county, year, visits, months_covered, first_month, last_month FROM dq.county_year ORDER BY county;
SELECT county, year, visits, months_covered, first_month, last_month FROM dq.county_year_mat ORDER BY county;
SELECT county, quarter, visits, months_covered, first_month, last_month FROM dq.county_quarter ORDER BY county, quarter;
SELECT city, year, visits, months_covered, first_month, last_month FROM dq.city_year ORDER BY city;
-- The published layer counts the same months (its visits are multiples of
-- min_cell = 1 here, so every month with visits keeps them).
SELECT county, year, months_covered, first_month, last_month FROM dq_pub.county_year ORDER BY county;


-- The published summary (dq_pub.data_quality): one row per check, the
-- problems as in the warehouse list above, the rows of visits and referrals
-- rounded to a multiple of min_cell.  With min_cell = 5, worked out from the
-- list above:
--   check                         problems  rows  published rows
--   unknown_code                         1     1  0 or 5
--   abolished_code                       2     3  0 or 5
--   date_outside_period                  2     5  5 (a multiple stays)
--   duplicate_source_key                 1     2  0 or 5
--   unit_without_population              1     1  1 (years, exact)
--   facility_without_coordinates         2     2  2 (facilities, exact)
--   month_without_visit                  2     4  4 (months, exact)
--   month_without_referral               1     2  2 (months, exact)
UPDATE dq.model_config SET min_cell = 5;
SELECT p.position, p.check_name, p.about, p.problems,
	   CASE WHEN p.rows_rounded THEN NULL ELSE p.rows END AS exact_rows, p.rows_rounded,
	   p.rows IN (e.low, e.high) AS rows_as_worked_out, p.rows % 5 = 0 OR NOT p.rows_rounded AS multiple_of_5,
	   p.problems = (SELECT count(*) FROM dq.data_quality AS q WHERE q.check_name = p.check_name) AS problems_as_warehouse
  FROM dq_pub.data_quality AS p
  JOIN (VALUES ('unknown_code', 1, 0, 5), ('abolished_code', 2, 0, 5), ('date_outside_period', 2, 5, 5),
			   ('duplicate_source_key', 1, 0, 5), ('unit_without_population', 1, 1, 1),
			   ('facility_without_coordinates', 2, 2, 2), ('month_without_visit', 2, 4, 4),
			   ('month_without_referral', 1, 2, 2)) AS e(check_name, problems, low, high)
	ON e.check_name = p.check_name AND e.problems = p.problems
 ORDER BY p.position;
-- Every warehouse check has its row; the view's columns are plain SQL types.
SELECT count(DISTINCT q.check_name) AS warehouse_checks,
	   count(*) FILTER (WHERE q.check_name NOT IN (SELECT p.check_name FROM dq_pub.data_quality AS p)) AS unpublished
  FROM dq.data_quality AS q;
SELECT a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute AS a
 WHERE a.attrelid = 'dq_pub.data_quality'::regclass AND a.attnum > 0 ORDER BY a.attnum;
-- A reader reads the summary, not the warehouse's list (its codes and ids).
CREATE ROLE hs_dq_reader;
SELECT grant_reader('dq', 'hs_dq_reader');
SET ROLE hs_dq_reader;
SELECT sum(problems) AS problems FROM dq_pub.data_quality;
SELECT count(*) FROM dq.data_quality;
RESET ROLE;
SELECT revoke_reader('dq', 'hs_dq_reader');
DROP ROLE hs_dq_reader;
UPDATE dq.model_config SET min_cell = 1;

-- The indicator catalog.  builtin is the extension's.
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction, builtin)
VALUES ('my_rate', '自定义', 'mine', 'access', 'n', 'count', 'neutral', true);
-- A view and column an installed model has are accepted; others are not.
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction, view_name, view_column)
VALUES ('avg_outpatient_cost', '次均门诊费用', 'average cost of an outpatient visit', 'finance',
		'outpatient costs over outpatient visits', 'yuan', 'lower', 'county_year', 'no_such_column');
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction, view_name, view_column)
VALUES ('avg_outpatient_cost', '次均门诊费用', 'average cost of an outpatient visit', 'finance',
		'outpatient costs over outpatient visits', 'yuan', 'lower', 'no_such_view', 'visits');
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction, view_name, view_column)
VALUES ('avg_outpatient_cost', '次均门诊费用', 'average cost of an outpatient visit', 'finance',
		'outpatient costs over outpatient visits', 'yuan', 'lower', 'county_year', 'visits');
-- Units yuan, days, per_10000, per_1000; families finance and capacity.
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction) VALUES
  ('avg_stay', '平均住院日', 'average length of stay', 'capacity', 'inpatient days over discharges', 'days', 'lower'),
  ('beds_per_10000', '每万人口床位数', 'beds per 10,000', 'capacity', 'beds', 'per_10000', 'higher'),
  ('doctors_per_1000', '每千人口医师数', 'doctors per 1,000', 'capacity', 'doctors', 'per_1000', 'higher');
INSERT INTO indicator (code, name_zh, name_en, family, numerator, unit, direction)
VALUES ('bad_unit', '坏', 'bad', 'finance', 'n', 'dollars', 'lower');
UPDATE indicator SET builtin = true WHERE code = 'avg_stay';
SELECT code, family, unit, view_name, view_column, builtin FROM indicator WHERE NOT builtin ORDER BY code;
-- A builtin row may be tuned (not made a user row's claim).
UPDATE indicator SET target = 0.9 WHERE code = 'in_county_visit_rate';
DELETE FROM indicator WHERE NOT builtin;

SET client_min_messages = warning;
DROP SCHEMA dq, dq_pub CASCADE;
