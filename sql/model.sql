-- The consortium warehouse model: install_model, the views on a small fixed
-- fixture with hand-checked numbers, the incremental refresh, bad input.
-- Errors show their message and SQLSTATE; the CONTEXT lines (PL/pgSQL
-- line numbers of the model's functions) are left out.
\set SHOW_CONTEXT never
SET search_path = health_share, public;
SET datestyle = ISO;
SELECT install_model('hz');
-- The model's publication threshold (its owner's setting): nothing
-- suppressed until the suppression tests.
UPDATE hz.model_config SET min_cell = 1;

-- The catalog: every indicator that names a view names a column of the model.
SELECT i.code, i.view_name, i.view_column
  FROM indicator AS i
 WHERE i.view_name IS NOT NULL
   AND NOT EXISTS (SELECT FROM information_schema.columns AS c
					WHERE c.table_schema = 'hz' AND c.table_name = i.view_name AND c.column_name = i.view_column);
-- ... and every indicator names one.
SELECT code FROM indicator WHERE view_name IS NULL OR view_column IS NULL;
SELECT count(*) AS indicators, count(*) FILTER (WHERE target IS NOT NULL) AS with_target,
       count(*) FILTER (WHERE view_name IS NOT NULL) AS in_views
  FROM indicator;
SELECT code, name_zh, target_op, target FROM indicator WHERE target IS NOT NULL ORDER BY code;
-- Every table, column and view of the model has a comment (a partition's
-- columns are its parent's).
SELECT c.relname, a.attname
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'hz' AND c.relkind IN ('r', 'v')
   AND (col_description(c.oid, 0) IS NULL AND obj_description(c.oid, 'pg_class') IS NULL
		OR c.relkind IN ('r', 'p') AND NOT c.relispartition AND a.attnum IS NOT NULL AND col_description(c.oid, a.attnum) IS NULL);

-- The fixture.  Consortia and facilities reference each other: one transaction.
BEGIN;
INSERT INTO hz.consortium (id, name, kind, area, lead_facility_id) VALUES
  (1, '德清县医共体', 'county_community', '330521', 10),
  (2, '长兴县医共体', 'county_community', '330522', 20);
INSERT INTO hz.facility (id, name, care_level, county, township, lon, lat, beds, doctors, consortium_id, grid_id) VALUES
  (10, '德清县人民医院', 'secondary', '330521', '330521001', 119.97, 30.54, 800, 300, 1, 1),
  (11, '武康街道社区卫生服务中心', 'primary', '330521', '330521001', 119.96, 30.55, 20, 15, 1, 1),
  (12, '新市镇中心卫生院', 'primary', '330521', '330521102', 120.29, 30.62, 60, 30, 1, 1),
  (13, '新市镇白彪村卫生室', 'village', '330521', '330521102', 120.27, 30.63, 0, 2, 1, 1),
  (20, '长兴县人民医院', 'secondary', '330522', '330522001', 119.91, 31.02, 900, 320, 2, 2),
  (21, '雉城街道社区卫生服务中心', 'primary', '330522', '330522001', 119.90, 31.03, 30, 18, 2, 2),
  (30, '湖州市中心医院', 'tertiary', '330502', NULL, 120.09, 30.87, 1800, 700, NULL, NULL);
INSERT INTO hz.grid (id, name, consortium_id, lead_facility_id) VALUES
  (1, '德清网格一', 1, 10), (2, '长兴网格一', 2, 20);
COMMIT;
INSERT INTO hz.unit (code, name, lon, lat, area_km2) VALUES
  ('330521001', '武康街道', 119.96, 30.55, 90),
  ('330521102', '新市镇', 120.29, 30.62, 100),
  ('330522001', '雉城街道', 119.90, 31.03, 40),
  ('330522101', '洪桥镇', 119.85, 31.10, 60);
INSERT INTO hz.grid_member VALUES ('330521001', 1), ('330521102', 1), ('330522001', 2);  -- 洪桥镇 in no grid
INSERT INTO hz.population (unit, year, residence_def, population, elderly) VALUES
  ('330521001', 2024, 'resident', 100000, 20000),
  ('330521102', 2024, 'resident', 80000, 16000),
  ('330522001', 2024, 'resident', 90000, 18000),
  ('330522101', 2024, 'resident', 30000, 6000),
  ('330521001', 2024, 'registered', 95000, 21000);
INSERT INTO hz.family_doctor_contract VALUES
  ('330521001', 2024, 'all', 40000, 100000), ('330521001', 2024, 'elderly', 15000, 20000),
  ('330521001', 2024, 'chronic', 9000, 10000),
  ('330521102', 2024, 'all', 30000, 80000), ('330521102', 2024, 'elderly', 12000, 16000);
INSERT INTO hz.chronic_management VALUES
  ('330521001', 2024, 'hypertension', 15000, 12000, 9000),
  ('330521001', 2024, 'diabetes', 5000, 4000, 2000),
  ('330521102', 2024, 'hypertension', 12000, 9000, 6000),
  ('330522101', 2024, 'diabetes', 10, 4, 3);
-- Visits, ids 1-11 (the source system's ids: the model takes them as given).  January 2024: Deqing residents 1-7, Changxing residents 8-9.
INSERT INTO hz.visit (id, visit_date, residence, facility_id, kind, total_fen, fund_fen) VALUES
  (1, '2024-01-03', '330521001', 11, 'outpatient', 10000, 6000),     -- in county, grassroots
  (2, '2024-01-05', '330521001', 10, 'outpatient', 30000, 18000),    -- in county
  (3, '2024-01-09', '330521102', 12, 'outpatient', 8000, 5000),      -- in county, grassroots
  (4, '2024-01-10', '330521102', 13, 'outpatient', 2000, 1000),      -- in county, grassroots (village)
  (5, '2024-01-15', '330521102', 30, 'outpatient', 50000, 25000),    -- out: 吴兴 (city hospital)
  (6, '2024-01-20', '330521001', 10, 'inpatient', 500000, 350000),   -- in county
  (7, '2024-01-31', '330521', 30, 'inpatient', 900000, 600000),      -- out
  (8, '2024-01-02', '330522001', 21, 'outpatient', 6000, 4000),      -- Changxing: in, grassroots
  (9, '2024-01-12', '330522101', 10, 'outpatient', 20000, 10000),    -- Changxing resident in Deqing: out
  (10, '2024-02-01', '330521001', 11, 'outpatient', 10000, 6000),
  (11, '2024-02-29', '330522001', 20, 'inpatient', 400000, 300000);
-- Referrals, ids 1-8 in this order.
INSERT INTO hz.referral (id, referral_date, from_facility_id, to_facility_id, residence, kind) VALUES
  (1, '2023-03-10', 11, 10, '330521001', 'referral'),              -- up
  (2, '2023-05-10', 10, 11, '330521001', 'referral'),              -- down
  (3, '2024-01-04', 10, 11, '330521001', 'referral'),              -- down
  (4, '2024-01-08', 10, 12, '330521102', 'referral'),              -- down
  (5, '2024-01-18', 12, 10, '330521102', 'referral'),              -- up
  (6, '2024-01-22', 11, 12, '330521001', 'referral'),              -- lateral
  (7, '2024-01-25', 10, 30, '330521', 'remote_consultation'),
  (8, '2024-02-10', 21, 20, '330522001', 'referral');              -- up

-- county x month.
-- 德清 330521, 2024-01, by residence: visits 1-7 = 7, inpatient 6, 7 = 2;
--   in county 1,2,3,4,6 = 5/7; outpatient 1-5 in 4/5; inpatient 6 of 6,7: 1/2;
--   fund in county 6000+18000+5000+1000+350000 = 380000 of 380000+25000+600000 = 1005000 -> 0.3781;
--   by facility: served 1,2,3,4,6 and 9 = 6; outpatient 1,2,3,4,9: grassroots 1,3,4 = 3/5;
--   referrals 3,4 down, 5 up, 6 lateral, 7 remote -> down/up 2.
--   Wilson 95 % interval of 5/7: centre (5/7 + z²/14)/(1 + z²/7) = 0.63836,
--   half width z·sqrt(5/7·2/7/7 + z²/196)/(1 + z²/7) = 0.27943 -> 0.3589 .. 0.9178.
-- 德清 2024-02: visit 10: 1/1, fund 6000/6000, served 1, grassroots 1/1.
-- 长兴 330522, 2024-01: visits 8, 9: in 1/2; outpatient 1/2; no inpatient (NULL);
--   fund 4000/14000 = 0.2857; served 8: grassroots 1/1.  2024-02: visit 11 inpatient
--   in 1/1, fund 1; served 1, no outpatient: grassroots NULL; referral 8 up: down/up 0.
-- 吴兴 330502: no residents' visits; served 5, 7; outpatient 5 at tertiary: grassroots 0/1.
-- 2023-03 and 2023-05: Deqing referrals 1 (up) and 2 (down) only.
SELECT county, county_name, month, visits, inpatient_visits,
       round(in_county_rate::numeric, 4) AS in_county, round(in_county_ci_lower::numeric, 4) AS ci_lo,
       round(in_county_ci_upper::numeric, 4) AS ci_hi, round(in_county_outpatient_rate::numeric, 4) AS outp,
       round(in_county_inpatient_rate::numeric, 4) AS inp, round(fund_in_county_share::numeric, 4) AS fund,
       served_visits AS served, round(grassroots_share::numeric, 4) AS grassroots,
       referrals_up AS up, referrals_down AS down, referrals_lateral AS lat, down_up_ratio AS du,
       remote_consultations AS remote
  FROM hz.county_month ORDER BY county, month;

-- county x year: months merged.  德清 2024: visits 8, in county 6/8; outpatient 5/6;
--   inpatient 1/2; fund 386000/1011000 = 0.3818; served 7; grassroots 4/6;
--   down 2 against 1 in 2023: growth 2/1 - 1 = 1.
-- 长兴 2024: visits 3, in 2/3, outpatient 1/2, inpatient 1/1, fund 304000/314000 = 0.9682,
--   served 2, grassroots 1/1, up 1, down 0: ratio 0, no 2023: growth NULL.
SELECT county, year, visits, round(in_county_rate::numeric, 4) AS in_county,
       round(in_county_outpatient_rate::numeric, 4) AS outp, round(in_county_inpatient_rate::numeric, 4) AS inp,
       round(fund_in_county_share::numeric, 4) AS fund, served_visits AS served,
       round(grassroots_share::numeric, 4) AS grassroots, referrals_up AS up, referrals_down AS down,
       down_up_ratio AS du, referrals_down_growth AS growth, remote_consultations AS remote
  FROM hz.county_year ORDER BY county, year;

-- Flows, 2024 (no visits in 2023): residence county -> facility county
--   德清 330521 -> 330521: visits 1, 2, 3, 4, 6, 10 = 6; -> 330502: 5, 7 = 2;
--   长兴 330522 -> 330522: 8, 11 = 2; -> 330521: 9 = 1.
--   吴兴 330502: residents 0, served 2, retained 0: li NULL, lifo 0/2 = 0, npf NULL.
--   德清: residents 8, served 6 + 1 = 7, retained 6: li 0.75, lifo 6/7 = 0.8571, npf 7/8 = 0.875.
--   长兴: residents 3, served 2, retained 2: li 0.6667, lifo 1, npf 0.6667.
SELECT county, county_name, year, residents, served, retained, round(li::numeric, 4) AS li,
       round(lifo::numeric, 4) AS lifo, round(npf::numeric, 4) AS npf
  FROM hz.county_year_flows ORDER BY year, county;
-- The same matrix as links (cells): 4 non-zero cells.
SELECT * FROM hz.county_year_flow_links ORDER BY year, residence_county, facility_county;
-- LI of the flows is the in-county visit rate.
SELECT f.county, f.li = c.in_county_rate AS li_is_in_county_rate
  FROM hz.county_year_flows AS f JOIN hz.county_year AS c USING (county, year) WHERE f.residents > 0 ORDER BY 1;
-- The whole matrix of the year, for a sankey.
SELECT flow_to_json(sum(flows)) FROM hz.county_month_compute() WHERE month >= '2024-01-01';

-- Population indicators.  德清 2024 (residents, not the registered row):
--   population 180000, elderly 36000; signing 70000/180000 = 0.3889, elderly
--   27000/36000 = 0.75, chronic 9000/10000 = 0.9; hypertension managed
--   21000/27000 = 0.7778, standardised 15000/21000 = 0.7143; diabetes 4000/5000 = 0.8,
--   2000/4000 = 0.5.  长兴: 120000 residents; diabetes 4/10 and 3/4.
SELECT county, county_name, year, population, elderly,
       round(signing_rate::numeric, 4) AS signing, round(signing_rate_elderly::numeric, 4) AS elderly_signing,
       round(signing_rate_chronic::numeric, 4) AS chronic_signing,
       round(hypertension_management_rate::numeric, 4) AS htn, round(hypertension_standard_rate::numeric, 4) AS htn_std,
       round(diabetes_management_rate::numeric, 4) AS dm, round(diabetes_standard_rate::numeric, 4) AS dm_std
  FROM hz.county_year_population ORDER BY county, year;
-- The residence definition is the model's setting: registered population of 武康街道 only.
UPDATE hz.model_config SET residence_def = 'registered';
SELECT county, year, population, elderly FROM hz.county_year_population WHERE population IS NOT NULL;
SELECT county, year, population, assigned_population, completeness FROM hz.grid_assignment;
UPDATE hz.model_config SET residence_def = 'resident';

-- Grids.  德清: 180000 of 180000 assigned; 长兴: 90000 of 120000 = 0.75, 洪桥镇 missing.
-- 15-minute circle (default 4000 m): 武康, 新市 and 雉城 have a primary facility at
--   their point (0 m); 洪桥 (119.85, 31.10) is 9.1 km from 21 (dlon 0.05 -> 4.76 km,
--   dlat 0.07 -> 7.78 km): 德清 180000/180000 = 1, 长兴 90000/120000 = 0.75.
-- 2SFCA, binary, d0 20 km.  Reached facilities: 武康 -> 10 (1.4 km), 11 (0 km);
--   新市 -> 12 (0), 13 (2.2 km); 雉城 -> 20 (1.4), 21 (0); 洪桥 -> 20 (10.6), 21 (9.1);
--   nobody reaches 30 (25 km from 雉城).  R_10 = 300/100000, R_11 = 15/100000,
--   R_12 = 30/80000, R_13 = 2/80000, R_20 = 320/120000, R_21 = 18/120000.
--   per 1,000: 武康 3.15, 新市 0.4, 雉城 = 洪桥 = 338/120 = 2.8167;
--   德清 (100000 * 3.15 + 80000 * 0.4) / 180000 = 1.9278; 长兴 2.8167.
--   Σ P·A = 685 doctors = every doctor except the 700 of 30, whom nobody reaches.
SELECT unit, unit_name, county, year, population, grid_id, nearest_primary_id,
       round(nearest_primary_m::numeric, -2) AS nearest_m, within_15min,
       round(fca_doctors_per_1000::numeric, 4) AS fca
  FROM hz.unit_access ORDER BY unit;
SELECT round(sum(population * fca_doctors_per_1000 / 1000)::numeric, 6) AS doctors_reached FROM hz.unit_access;
SELECT county, county_name, year, population, assigned_population, completeness, unassigned_units,
       unassigned_unit_names, primary_care_15min, round(fca_doctors_per_1000::numeric, 4) AS fca
  FROM hz.grid_assignment ORDER BY county, year;
-- Grid 1 (武康, 新市): coverage 1, 2SFCA 1.9278; grid 2 (雉城): 1, 2.8167.
SELECT grid_id, grid_name, consortium_name, lead_facility_name, lead_care_level, community_hospitals,
       facilities, beds, doctors, units, year, population, primary_care_15min,
       round(fca_doctors_per_1000::numeric, 4) AS fca
  FROM hz.grid_summary ORDER BY grid_id;
-- The settings: a 10 km circle reaches 洪桥 too (9.1 km); a 10 km catchment loses
-- 洪桥 -> 20 (10.6 km): R_20 = 320/90000, 雉城 3.5556 + 0.15 = 3.7056, 洪桥 0.15;
-- 长兴's mean stays 338/120 (its residents still reach all its doctors, nobody else does).
UPDATE hz.model_config SET primary_care_radius_m = 10000, fca_catchment_m = 10000;
SELECT county, primary_care_15min, round(fca_doctors_per_1000::numeric, 4) AS fca FROM hz.grid_assignment ORDER BY county;
SELECT unit, within_15min, round(fca_doctors_per_1000::numeric, 4) AS fca FROM hz.unit_access ORDER BY unit;
UPDATE hz.model_config SET primary_care_radius_m = DEFAULT, fca_catchment_m = DEFAULT;

-- Equity, 2024.  Facilities count in their township (10 and 11 in 武康, 12 and 13
-- in 新市, 20 and 21 in 雉城); 30 lies in 吴兴, which has no units: left out.
--   beds per 1,000: 洪桥 0, 新市 60/80 = 0.75, 武康 820/100 = 8.2, 雉城 930/90 = 10.33;
--   doctors: 0, 32/80 = 0.4, 315/100 = 3.15, 338/90 = 3.756.  Totals 1810 beds, 685
--   doctors over 300000: 6.0333 and 2.2833 per 1,000.
--   Gini of beds, population shares 0.1, 0.2667, 0.3333, 0.3 and cumulative bed shares
--   V = 0, 0.033149, 0.486188, 1: 1 − (0.1·0 + 0.2667·0.033149 + 0.3333·0.519337
--   + 0.3·1.486188) = 0.372192; doctors (V = 0, 0.046715, 0.506569, 1) 0.351144.
--   Theil T = Σ s ln(s/w): beds 0.346362 = between (长兴 C, 德清 D) 0.026393
--   + within 0.319969; doctors 0.312122 = 0.017834 + 0.294288.
--   Lorenz of beds: (0,0) (0.1,0) (0.366667,0.033149) (0.7,0.486188) (1,1).
SELECT year, units, population, beds, doctors, round(beds_per_1000::numeric, 4) AS beds_1000,
       round(doctors_per_1000::numeric, 4) AS doctors_1000,
       round(gini_beds::numeric, 6) AS gini_beds, round(gini_doctors::numeric, 6) AS gini_doctors,
       round(theil_beds::numeric, 6) AS theil_beds, round(theil_beds_between::numeric, 6) AS between_b,
       round(theil_beds_within::numeric, 6) AS within_b,
       round(theil_doctors::numeric, 6) AS theil_doctors, round(theil_doctors_between::numeric, 6) AS between_d,
       round(theil_doctors_within::numeric, 6) AS within_d
  FROM hz.equity_year ORDER BY year;
SELECT year, i, round(lorenz_beds[i][1]::numeric, 6) AS population_share, round(lorenz_beds[i][2]::numeric, 6) AS beds_share,
       round(lorenz_doctors[i][2]::numeric, 6) AS doctors_share
  FROM hz.equity_year, generate_series(1, array_length(lorenz_beds, 1)) AS i ORDER BY year, i;
-- County and city hospitals without a township unit are shared over their
-- county's units by population: 20 moves to the pool of 长兴 (900 beds over
-- 雉城 90000 and 洪桥 30000: 675 and 225), so 洪桥 gets 7.5 beds per 1,000, 雉城
-- 705/90 = 7.833.  Sorted: 新市, 洪桥, 雉城, 武康; V = 0.033149, 0.157459, 0.546961, 1:
-- 1 − (0.2667·0.033149 + 0.1·0.190608 + 0.3·0.704420 + 0.3333·1.546961) = 0.245120.
BEGIN;
UPDATE hz.facility SET township = NULL WHERE id = 20;
SELECT year, beds, round(gini_beds::numeric, 6) AS gini_beds FROM hz.equity_year;
ROLLBACK;

-- Suppression with min_cell 5: 德清 2024-01 in county 5/7 (7 - 5 = 2 < 5) and its
-- interval go, and so does the fund share (what the fund paid for the 2 visits
-- outside would follow from it); 7 visits stay; referrals 1 and 2 go, and so
-- does their ratio.
UPDATE hz.model_config SET min_cell = 5;
SELECT county, month, visits, in_county_rate, in_county_ci_lower, fund_in_county_share IS NOT NULL AS fund_shown,
       referrals_up, referrals_down, down_up_ratio
  FROM hz.county_month WHERE county = '330521' AND month = '2024-01-01';
-- Flows: 德清 li 6/8 and lifo 6/7 go (complements 2 and 1), npf 7/8 stays; 长兴's
-- cells are all below 5; 吴兴's 0 residents stay 0.
SELECT county, residents, served, retained, li, lifo, npf FROM hz.county_year_flows ORDER BY county;
-- Links: 德清 -> 德清 6 stays, the others (2, 2, 1) go.
SELECT residence_county, facility_county, visits FROM hz.county_year_flow_links ORDER BY 1, 2;
-- 长兴 diabetes 4/10 and 3/4 are suppressed, 德清's large cells are not.
SELECT county, round(signing_rate::numeric, 4) AS signing, diabetes_management_rate, diabetes_standard_rate
  FROM hz.county_year_population ORDER BY county;
-- A session setting lowers nothing: the views read the model's threshold,
-- not health_share.min_cell (which stays the default of rate_public and
-- count_public called directly).  5/7 is still suppressed.
SET health_share.min_cell = 1;
SELECT in_county_rate, rate_public(hs_rate(5, 7)) AS direct_call
  FROM hz.county_month WHERE county = '330521' AND month = '2024-01-01';
SELECT set_config('health_share.min_cell', '1', true) AS set_in_query, in_county_rate
  FROM hz.county_month WHERE county = '330521' AND month = '2024-01-01';
RESET health_share.min_cell;
UPDATE hz.model_config SET min_cell = 1;

-- Monthly partitions: the facts of months without one wait in the default
-- partitions; add_partitions makes 2023's twelve for both tables (24) and
-- moves referrals 1 (2023-03-10) and 2 (2023-05-10) into theirs; the
-- second call makes 2024-01 to 2024-03 (6) and moves visits 1-9 and
-- referrals 3-7 (January), visits 10-11 (February).
SELECT count(*) AS visits_waiting, (SELECT count(*) FROM hz.referral_default) AS referrals_waiting FROM hz.visit_default;
SELECT hz.add_partitions(DATE '2023-01-01', DATE '2023-12-01') AS partitions;
SELECT (SELECT count(*) FROM hz.referral_default) AS referrals_waiting,
       (SELECT count(*) FROM hz.referral_p2023_03) AS march_2023, (SELECT count(*) FROM hz.referral_p2023_05) AS may_2023;
SELECT hz.add_partitions(DATE '2024-01-01', DATE '2024-03-01') AS partitions;
SELECT (SELECT count(*) FROM hz.visit_default) AS visits_waiting, (SELECT count(*) FROM hz.visit_p2024_01) AS january,
       (SELECT count(*) FROM hz.visit_p2024_02) AS february, (SELECT count(*) FROM hz.referral_p2024_01) AS january_referrals;
-- Materialized states.  The triggers recorded the four months with facts.
SELECT DISTINCT month FROM hz.dirty_month ORDER BY month;
SELECT refresh_model('hz') AS months_refreshed;
-- The model's own counties: 德清 330521 and 长兴 330522 are the consortia's
-- areas; 吴兴 330502 appears only as the county of 湖州市中心医院 (facility 30),
-- where residents went: in_area false.  The city filter <@ keeps all three.
SELECT county, county_name, in_area, county <@ '330500' AS in_huzhou
  FROM hz.county_year_mat WHERE year = 2024 ORDER BY in_area DESC, county;
-- count_public of counts and of sums (sum(bigint) is numeric): 0 and counts
-- from min_cell up are published, those between are not (5: 1-4; 3: 1-2,
-- and 2.5); 德清's 2024 visits from the states, 7 in January + 1 in
-- February = 8, summed over months: published at 5, not at 9.
SELECT count_public(0::bigint, 5) AS zero, count_public(4::bigint, 5) AS four, count_public(5::bigint, 5) AS five,
       count_public(4::numeric, 5) AS four_numeric, count_public(12345678901234567890::numeric, 5) AS big,
       count_public(3::bigint, 3) AS three_at_3, count_public(2.5, 3) AS below_3;
SELECT count_public(sum(visits), 5) AS deqing_2024_visits, count_public(sum(visits), 9) AS at_9 FROM hz.county_month_state
 WHERE county = '330521' AND month >= '2024-01-01';
SELECT count(*) AS dirty_left FROM hz.dirty_month;
SELECT refresh_model('hz') AS nothing_to_do;
-- The materialized views agree with the live ones.
SELECT count(*) AS rows FROM hz.county_month_mat;
(SELECT * FROM hz.county_month_mat EXCEPT SELECT * FROM hz.county_month)
UNION ALL
(SELECT * FROM hz.county_month EXCEPT SELECT * FROM hz.county_month_mat);
(SELECT * FROM hz.county_year_mat EXCEPT SELECT * FROM hz.county_year)
UNION ALL
(SELECT * FROM hz.county_year EXCEPT SELECT * FROM hz.county_year_mat);
(SELECT * FROM hz.county_year_flows_mat EXCEPT SELECT * FROM hz.county_year_flows)
UNION ALL
(SELECT * FROM hz.county_year_flows EXCEPT SELECT * FROM hz.county_year_flows_mat);
(SELECT * FROM hz.county_year_flow_links_mat EXCEPT SELECT * FROM hz.county_year_flow_links)
UNION ALL
(SELECT * FROM hz.county_year_flow_links EXCEPT SELECT * FROM hz.county_year_flow_links_mat);
-- The stored flows of the months sum to the year's matrix.
SELECT flow_entries(sum(flows)) FROM hz.county_month_state WHERE month >= '2024-01-01';

-- Changing one month recomputes that month only.
CREATE TEMP TABLE before AS SELECT * FROM hz.county_month_state;
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen)
VALUES ('2024-02-10', '330521102', 30, 'outpatient', 40000, 20000);   -- 德清 resident out of county
SELECT DISTINCT month FROM hz.dirty_month;
SELECT refresh_model('hz') AS months_refreshed;
-- Only the February rows were rewritten: 德清 now 1/2 in county, 吴兴 served one more.
SELECT county, month, a.refreshed_at = b.refreshed_at AS untouched, b.visits AS visits_before,
       a.visits AS visits_after, b.in_county AS in_county_before, a.in_county AS in_county_after,
       b.served_visits AS served_before, a.served_visits AS served_after,
       b.flows AS flows_before, a.flows AS flows_after
  FROM before AS b FULL JOIN hz.county_month_state AS a USING (county, month)
 ORDER BY county, month;
SELECT county, month, in_county_rate, grassroots_share FROM hz.county_month_mat
 WHERE month = '2024-02-01' ORDER BY county;
-- 德清 2024: 9 residents' visits now, 3 of them in 吴兴: li 6/9; 吴兴 serves 3.
SELECT county, residents, served, retained, round(li::numeric, 4) AS li, round(npf::numeric, 4) AS npf
  FROM hz.county_year_flows_mat ORDER BY county;

-- Updates mark both the old and the new month; deletes the old one.
UPDATE hz.visit SET visit_date = '2024-03-05' WHERE id = 10;
SELECT DISTINCT month FROM hz.dirty_month ORDER BY month;
SELECT refresh_model('hz') AS months_refreshed;
SELECT county, month, visits FROM hz.county_month_mat WHERE month >= '2024-02-01' ORDER BY county, month;
DELETE FROM hz.visit WHERE id = 10;
SELECT DISTINCT month FROM hz.dirty_month ORDER BY month;
SELECT refresh_model('hz') AS months_refreshed;
SELECT count(*) AS march_rows FROM hz.county_month_mat WHERE month = '2024-03-01';
-- A facility's care level changes every month's grassroots share: all months.
UPDATE hz.facility SET care_level = 'primary' WHERE id = 13;
SELECT count(DISTINCT month) AS dirty FROM hz.dirty_month;
-- Explicit months (any day of the month) and the full rebuild.
SELECT refresh_model('hz', ARRAY['2024-01-17'::date]) AS months_refreshed;
SELECT DISTINCT month FROM hz.dirty_month ORDER BY month;
SELECT refresh_model('hz', all_months => true) AS months_refreshed;
SELECT count(DISTINCT month) AS dirty FROM hz.dirty_month;
SELECT count(*) AS differences FROM (
  (SELECT * FROM hz.county_month_mat EXCEPT SELECT * FROM hz.county_month)
  UNION ALL (SELECT * FROM hz.county_month EXCEPT SELECT * FROM hz.county_month_mat)) AS d;
TRUNCATE hz.referral;
SELECT count(DISTINCT month) AS dirty_after_truncate FROM hz.dirty_month;
-- TRUNCATE of one monthly partition marks its own month (visits 10 and 11
-- of February 2024 go): 2024-02-01 only.
BEGIN;
DELETE FROM hz.dirty_month;
TRUNCATE hz.visit_p2024_02;
SELECT array_agg(DISTINCT month ORDER BY month) AS dirty_after_partition_truncate FROM hz.dirty_month;
ROLLBACK;

-- COPY loads the model.
COPY hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) FROM stdin;
2024-04-01	330521001	11	outpatient	9000	5000
2024-04-02	330521102	12	outpatient	7000	4000
\.
SELECT count(*) AS april FROM hz.visit WHERE visit_date >= '2024-04-01';

-- Bad input: each statement fails; its SQLSTATE is echoed after the error.
-- Facts that violate the model:
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '330521', 99, 'outpatient', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '330521', 10, 'outpatient', -1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) VALUES ('2024-01-01', '330521', 10, 'outpatient', -5, -6);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) VALUES ('2024-01-01', '330521', 10, 'outpatient', 100, 101);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) VALUES ('2024-01-01', '330521', 10, 'outpatient', 100, -1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '330521', 10, 'emergency', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '330500', 10, 'outpatient', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '33052x', 10, 'outpatient', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.visit (visit_date, residence, facility_id, kind, total_fen) VALUES ('2024-01-01', '990521', 10, 'outpatient', 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES ('2024-01-01', 10, 10, '330521');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES ('2024-01-01', 10, 98, '330521');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.referral (referral_date, from_facility_id, to_facility_id, residence, kind) VALUES ('2024-01-01', 10, 11, '330521', 'phone');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county) VALUES (40, 'x', 'primary', '330599');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county) VALUES (40, 'x', 'primary', '330500');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county, township) VALUES (40, 'x', 'primary', '330521', '330522101');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county) VALUES (40, 'x', 'hospital', '330521');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county, beds) VALUES (40, 'x', 'primary', '330521', -3);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.facility (id, name, care_level, county, lon, lat) VALUES (40, 'x', 'primary', '330521', 30.5, 119.9);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.unit (code, name) VALUES ('330500', '湖州市');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.grid_member VALUES ('330522101', 1), ('330522101', 2);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.population VALUES ('330522101', 2024, 'census', 1, 0);
\echo :LAST_ERROR_SQLSTATE
UPDATE hz.model_config SET residence_def = 'hukou';
\echo :LAST_ERROR_SQLSTATE
UPDATE hz.model_config SET primary_care_radius_m = 0;
\echo :LAST_ERROR_SQLSTATE
UPDATE hz.model_config SET fca_catchment_m = -1;
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.model_config VALUES (false, 'resident');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.population VALUES ('330522101', 2025, 'resident', 10, 11);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.population VALUES ('330522101', 2025, 'resident', -5, 0);  -- population_not_negative
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.population VALUES ('330522101', 2025, 'resident', 10, -1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.population VALUES ('330523001', 2024, 'resident', 10, 1);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.family_doctor_contract VALUES ('330522101', 2024, 'all', 11, 10);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.chronic_management VALUES ('330522101', 2024, 'hypertension', 10, 5, 6);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO hz.chronic_management VALUES ('330522101', 2024, 'cancer', 10, 5, 4);
\echo :LAST_ERROR_SQLSTATE
DELETE FROM hz.facility WHERE id = 30;
\echo :LAST_ERROR_SQLSTATE
-- install_model and refresh_model:
SELECT install_model('hz');
\echo :LAST_ERROR_SQLSTATE
SELECT install_model(NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT install_model('');
\echo :LAST_ERROR_SQLSTATE
SELECT install_model(repeat('x', 60));
\echo :LAST_ERROR_SQLSTATE
SELECT install_model('health_share');
\echo :LAST_ERROR_SQLSTATE
SELECT install_model('pg_catalog');
\echo :LAST_ERROR_SQLSTATE
SELECT install_model('pg_model');
\echo :LAST_ERROR_SQLSTATE
SELECT refresh_model('nowhere');
\echo :LAST_ERROR_SQLSTATE
SELECT refresh_model(NULL);
\echo :LAST_ERROR_SQLSTATE
-- A failed COPY loads nothing; the earlier loads stay.
SELECT count(*) AS visits_before FROM hz.visit;
COPY hz.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) FROM PROGRAM 'printf "2024-05-01\t330521\t10\toutpatient\t5\t1\n2024-05-02\t330521\t10\toutpatient\t5\t9\n"';
\echo :LAST_ERROR_SQLSTATE
SELECT count(*) AS visits_after FROM hz.visit;
-- Deferred foreign keys (consortia, grids and facilities reference each other) fail at commit.
BEGIN;
INSERT INTO hz.consortium (id, name, kind, area, lead_facility_id) VALUES (3, '安吉县医共体', 'county_community', '330523', 77);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
BEGIN;
INSERT INTO hz.facility (id, name, care_level, county, consortium_id) VALUES (40, 'x', 'primary', '330521', 7);
COMMIT;
\echo :LAST_ERROR_SQLSTATE
SELECT (SELECT count(*) FROM hz.consortium) AS consortia, (SELECT count(*) FROM hz.facility) AS facilities;

-- Conflicts: nothing is created, not even the objects that do not conflict.
CREATE SCHEMA clash;
CREATE TABLE clash.visit (id int);
CREATE FUNCTION clash.county_month_compute() RETURNS int LANGUAGE sql RETURN 1;
SELECT install_model('clash');
\echo :LAST_ERROR_SQLSTATE
-- Any object, even one of a name the model does not use (a sequence here), makes the schema not empty.
CREATE SCHEMA clash2;
CREATE SEQUENCE clash2.visit_date_idx;
SELECT install_model('clash2');
\echo :LAST_ERROR_SQLSTATE
SELECT n.nspname, c.relname FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname IN ('clash', 'clash2') ORDER BY 1, 2;
-- A second model in another schema is independent; a hostile search_path does not matter.
CREATE SCHEMA evil;
CREATE FUNCTION evil.adcode_county(text) RETURNS text LANGUAGE sql RETURN 'x';
SET search_path = evil, public;
SELECT health_share.install_model('Model 2');
SELECT count(*) AS relations FROM pg_class WHERE relnamespace = '"Model 2"'::regnamespace AND relkind IN ('r', 'v');
SELECT health_share.refresh_model('Model 2') AS months;
-- The views of an empty model, and of one with residents but no facility: NULLs, no error.
SELECT (SELECT count(*) FROM "Model 2".county_year_flows_mat) AS flows, (SELECT count(*) FROM "Model 2".unit_access) AS units,
       (SELECT count(*) FROM "Model 2".grid_assignment) AS counties, (SELECT count(*) FROM "Model 2".equity_year) AS years;
INSERT INTO "Model 2".unit (code, name, lon, lat) VALUES ('330523001', '递铺街道', 119.68, 30.63);
INSERT INTO "Model 2".population VALUES ('330523001', 2024, 'resident', 1000, 100);
SELECT unit, population, nearest_primary_m, within_15min, fca_doctors_per_1000 FROM "Model 2".unit_access;
SELECT county, population, completeness, primary_care_15min, fca_doctors_per_1000 FROM "Model 2".grid_assignment;
SELECT year, units, beds, doctors, gini_beds, theil_beds, lorenz_beds FROM "Model 2".equity_year;
RESET search_path;
-- A model of an older version (installed by 1.1: no refresh_states) is
-- refused with a hint.
DROP FUNCTION "Model 2".refresh_states(date[], boolean);
SELECT health_share.refresh_model('Model 2');
\echo :LAST_ERROR_SQLSTATE
SET client_min_messages = warning;
DROP SCHEMA "Model 2", hz, clash, clash2, evil CASCADE;
