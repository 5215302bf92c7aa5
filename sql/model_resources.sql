-- The resource, remote-service, cost and capacity indicators of the model
-- (extension/model/resources*.sql, published_resources.sql): every new
-- indicator on a small fixture against values worked out by hand (in the
-- comments), the month-to-year merge of the turnaround histogram, the bad
-- input each table refuses, and the published versions.
SET search_path = health_share, public;
SET datestyle = ISO;
SET extra_float_digits = 0;
SELECT install_model('rs');
UPDATE rs.model_config SET min_cell = 1;   -- nothing suppressed, nothing rounded, until the end

-- The catalog rows of these indicators name columns that exist (sql/model.sql
-- checks every row; this lists the new ones and their targets).
SELECT i.code, i.family, i.unit, i.target_op, i.target, i.view_name || '.' || i.view_column AS view_column,
       EXISTS (SELECT FROM information_schema.columns AS c
                WHERE c.table_schema = 'rs' AND c.table_name = i.view_name AND c.column_name = i.view_column) AS warehouse,
       EXISTS (SELECT FROM information_schema.columns AS c
                WHERE c.table_schema = 'rs_pub' AND c.table_name = i.view_name AND c.column_name = i.view_column) AS published
  FROM indicator AS i
 WHERE i.family IN ('resources', 'finance', 'capacity')
    OR i.code IN ('hypertension_control_rate', 'diabetes_control_rate', 'grassroots_outpatient_growth',
                  'grassroots_tcm_share', 'referrals_down_sent', 'referrals_within_consortium_share')
 ORDER BY i.family, i.code;

-- The fixture: 德清 (330521, consortium 1) and 长兴 (330522, consortium 2),
-- and the city hospital 30 in 吴兴 (330502) in no consortium.
BEGIN;
INSERT INTO rs.consortium (id, name, kind, area, lead_facility_id) VALUES
  (1, '德清县医共体', 'county_community', '330521', 10),
  (2, '长兴县医共体', 'county_community', '330522', 20);
INSERT INTO rs.facility (id, name, care_level, county, township, beds, doctors, consortium_id) VALUES
  (10, '德清县人民医院', 'secondary', '330521', NULL, 500, 300, 1),
  (11, '武康街道社区卫生服务中心', 'primary', '330521', '330521001', 20, 15, 1),
  (12, '新市镇中心卫生院', 'primary', '330521', '330521102', 60, 30, 1),
  (13, '新市镇白彪村卫生室', 'village', '330521', '330521102', 0, 2, 1),
  (20, '长兴县人民医院', 'secondary', '330522', NULL, 600, 320, 2),
  (21, '雉城街道社区卫生服务中心', 'primary', '330522', '330522001', 30, 18, 2),
  (30, '湖州市中心医院', 'tertiary', '330502', NULL, 1800, 700, NULL);
COMMIT;
INSERT INTO rs.unit (code, name) VALUES
  ('330521001', '武康街道'), ('330521102', '新市镇'), ('330522001', '雉城街道');
INSERT INTO rs.population (unit, year, population) VALUES
  ('330521001', 2024, 100000), ('330521102', 2024, 80000), ('330522001', 2024, 90000);
SELECT rs.add_partitions(DATE '2023-01-01', DATE '2025-12-01') AS partitions;

-- Doctors dispatched.  德清's primary facilities are 11 and 12.
--  A: 10 -> 11, 2024-03-01 .. 05-31 on a rota of 13 days: 13 doctor-days in 2024.
--  B: 30 -> 12, 2024-12-01 .. 2025-01-30, every day: 61 days, 31 in 2024, 30 in 2025.
--  C: 11 -> 13, 2024-01-01 .. 01-10: to a village clinic, from a primary facility: not counted for 德清.
--  D: 20 -> 21, 2023-06-01 .. 06-30, 10 days: 长兴 2023.
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date, days) VALUES
  ('A', 10, 11, '2024-03-01', '2024-05-31', 13),
  ('B', 30, 12, '2024-12-01', '2025-01-30', NULL),
  ('C', 11, 13, '2024-01-01', '2024-01-10', NULL),
  ('D', 20, 21, '2023-06-01', '2023-06-30', 10);

-- Appointment slots of 10: 2024 offered 2000, opened 450 + 550 = 1000, used 300 + 500 = 800.
INSERT INTO rs.appointment_slots (facility_id, month, offered, opened, used) VALUES
  (10, '2024-01-01', 1000, 450, 300), (10, '2024-02-01', 1000, 550, 500);

-- Open beds of 10: 500 (facility.beds) until May, 520 from June 2024.
INSERT INTO rs.facility_beds (facility_id, month, beds) VALUES (10, '2024-06-01', 520);

-- Visits.  2023-05: 4 grassroots outpatient visits in 德清 (11 twice, 12, 13),
-- 50 yuan each, fund 30.  2024-03: 5 grassroots outpatient visits (11 three
-- times, 12, 13), 100 yuan, fund 60, two of them TCM; 2 outpatient visits
-- at 10, 300 yuan, fund 200; 1 at 21 (长兴).  Stays at 10: s1 03-01 ..
-- 03-08 (7 bed-days, grade 4, 8000 yuan, fund 6000), s2 03-10 .. 03-10 (1
-- bed-day, grade 2, 2000, fund 1000), s3 12-30 .. 2025-01-04 (5 bed-days,
-- no operation, 5000, fund 3000), s4 06-01 not discharged (1000, fund 500);
-- at 12: 05-01 .. 05-11 (10 bed-days, 3000, fund 2000).
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen, tcm, discharge_date, surgery_grade) VALUES
  ('2023-05-02', '330521001', 11, 'outpatient', 5000, 3000, true, NULL, NULL),
  ('2023-05-03', '330521001', 11, 'outpatient', 5000, 3000, false, NULL, NULL),
  ('2023-05-04', '330521102', 12, 'outpatient', 5000, 3000, false, NULL, NULL),
  ('2023-05-05', '330521102', 13, 'outpatient', 5000, 3000, false, NULL, NULL),
  ('2024-03-02', '330521001', 11, 'outpatient', 10000, 6000, true, NULL, NULL),
  ('2024-03-03', '330521001', 11, 'outpatient', 10000, 6000, false, NULL, NULL),
  ('2024-03-04', '330521001', 11, 'outpatient', 10000, 6000, false, NULL, NULL),
  ('2024-03-05', '330521102', 12, 'outpatient', 10000, 6000, true, NULL, NULL),
  ('2024-03-06', '330521102', 13, 'outpatient', 10000, 6000, false, NULL, NULL),
  ('2024-03-07', '330521001', 10, 'outpatient', 30000, 20000, false, NULL, NULL),
  ('2024-03-08', '330521102', 10, 'outpatient', 30000, 20000, false, NULL, NULL),
  ('2024-03-09', '330522001', 21, 'outpatient', 8000, 5000, false, NULL, NULL),
  ('2024-03-01', '330521001', 10, 'inpatient', 800000, 600000, false, '2024-03-08', 4),
  ('2024-03-10', '330521001', 10, 'inpatient', 200000, 100000, false, '2024-03-10', 2),
  ('2024-12-30', '330521102', 10, 'inpatient', 500000, 300000, false, '2025-01-04', NULL),
  ('2024-06-01', '330521102', 10, 'inpatient', 100000, 50000, false, NULL, NULL),
  ('2024-05-01', '330521102', 12, 'inpatient', 300000, 200000, false, '2024-05-11', NULL);

-- Referrals, 2024-03: r1 10 -> 11 and r2 10 -> 12 (down, inside consortium
-- 1), r3 10 -> 30 (up, out of it), r4 11 -> 10 (up, inside), r5 30 -> 10
-- (down; 30 is in no consortium: neither inside nor out), r6 12 -> 20 (up,
-- to consortium 2: out), and a remote consultation 11 -> 10 (not a referral).
INSERT INTO rs.referral (referral_date, from_facility_id, to_facility_id, residence, kind) VALUES
  ('2024-03-11', 10, 11, '330521001', 'referral'), ('2024-03-12', 10, 12, '330521102', 'referral'),
  ('2024-03-13', 10, 30, '330521001', 'referral'), ('2024-03-14', 11, 10, '330521001', 'referral'),
  ('2024-03-15', 30, 10, '330521001', 'referral'), ('2024-03-16', 12, 20, '330521102', 'referral'),
  ('2024-03-17', 11, 10, '330521001', 'remote_consultation');

-- Remote services.  德清 imaging (requested by 11 and 12): January 10, 20,
-- 30, 40 minutes; February 15, 25, 200 and one not reported yet; March 20
-- and 20.  长兴 ECG: 5 and 7 minutes (10:00:00 -> 10:07:59 is 7 whole
-- minutes).  Three 德清 results recognised elsewhere.
INSERT INTO rs.remote_service (request_facility_id, performing_facility_id, service_type, requested_at, reported_at, recognised) VALUES
  (11, 10, 'imaging', '2024-01-05 08:00', '2024-01-05 08:10', true),
  (11, 10, 'imaging', '2024-01-06 08:00', '2024-01-06 08:20', false),
  (12, 10, 'imaging', '2024-01-07 08:00', '2024-01-07 08:30:59', true),
  (12, 10, 'imaging', '2024-01-31 23:50', '2024-02-01 00:30', false),
  (11, 10, 'imaging', '2024-02-02 09:00', '2024-02-02 09:15', false),
  (11, 10, 'imaging', '2024-02-03 09:00', '2024-02-03 09:25', true),
  (12, 10, 'imaging', '2024-02-04 09:00', '2024-02-04 12:20', false),
  (12, 10, 'imaging', '2024-02-05 09:00', NULL, false),
  (11, 10, 'imaging', '2024-03-01 09:00', '2024-03-01 09:20', false),
  (11, 10, 'imaging', '2024-03-02 09:00', '2024-03-02 09:20', false),
  (21, 20, 'ecg', '2024-01-10 10:00', '2024-01-10 10:05', false),
  (21, 20, 'ecg', '2024-01-11 10:00', '2024-01-11 10:07:59', false);

-- Chronic disease control, 2024.  武康: hypertension managed 6000,
-- controlled 3600; diabetes managed 2500, controlled 1500.  新市:
-- hypertension managed 4000, controlled not reported (left out of the rate);
-- diabetes managed 2000, controlled 1300.
INSERT INTO rs.chronic_management (unit, year, disease, patients, managed, standardised, controlled) VALUES
  ('330521001', 2024, 'hypertension', 10000, 6000, 4000, 3600),
  ('330521001', 2024, 'diabetes', 4000, 2500, 1500, 1500),
  ('330521102', 2024, 'hypertension', 8000, 4000, 2000, NULL),
  ('330521102', 2024, 'diabetes', 3000, 2000, 1000, 1300);

SELECT refresh_model('rs') AS months;

-- Facility cells (what refresh_model keeps), 2024-03 at 10: outpatient 2
-- (60000 fen), admissions s1, s2 (1,000,000 fen), fund 40000 + 700000,
-- discharges 2, bed-days 7 + 1 = 8, grade 3-4 1 (s1), down referrals 2
-- (r1, r2), inside 2, outside 1 (r3).
SELECT * FROM rs.facility_cell WHERE facility_id IN (10, 11, 12, 30) AND month = '2024-03-01' ORDER BY facility_id;

-- 德清 2024: primary facilities 11 and 12, both with a dispatched doctor
-- (A, B): coverage 1, doctor-days 13 + 31 = 44, 22 per facility.
-- Grassroots outpatient visits 5 (2023: 4): growth 5/4 - 1 = 0.25; TCM 2/5 = 0.4.
-- Fund at grassroots: 5 x 6000 + 200000 (the stay at 12) = 230000; at the
-- others: 2 x 20000 + 600000 + 100000 + 300000 + 50000 = 1090000; share
-- 230000 / 1320000 = 0.174242.  Outpatient cost (5 x 10000 + 2 x 30000) /
-- 7 / 100 = 157.142857 yuan; per admission (800000 + 200000 + 500000 +
-- 100000 + 300000) / 5 / 100 = 3800 yuan.  Hypertension control 3600 /
-- 6000 = 0.6 (新市 not reporting); diabetes (1500 + 1300) / (2500 + 2000) =
-- 0.622222.
-- 2025: B's 30 days at 12: coverage 1/2, 30 doctor-days, 15 per facility.
-- 长兴 2023: D at 21: coverage 1, 10 days; 2024: no dispatch, 1 outpatient
-- visit (80 yuan), no grassroots visit (21 has the one: growth NULL without 2023).
SELECT county, year, population, grassroots_facilities, facilities_with_dispatch, dispatch_coverage,
       dispatched_doctor_days, doctor_days_per_facility, grassroots_outpatient_visits,
       grassroots_outpatient_growth, grassroots_tcm_share, round(grassroots_fund_share::numeric, 6) AS fund_share,
       round(cost_per_outpatient_visit::numeric, 6) AS cost_outpatient, cost_per_admission,
       hypertension_control_rate, round(diabetes_control_rate::numeric, 6) AS diabetes_control
  FROM rs.county_year_resources ORDER BY county, year;

-- Facilities, 2024.  10: admissions s1..s4 = 4, discharges 3 (s1, s2, s3),
-- bed-days 7 + 1 + 5 = 13, ALOS 13/3 = 4.333333; grade 3-4 1/3.  Open
-- bed-days over the months the facts cover in 2024 (March, May, June,
-- December): 500 x 31 + 500 x 31 + 520 x 30 + 520 x 31 = 62720; occupancy
-- 13 / 62720 = 0.000207270.  Outpatient cost 600 / 2 = 300 yuan; per
-- admission 16000 / 4 = 4000 yuan.  Slots: opened 1000 / 2000 = 0.5, used
-- 800 / 1000 = 0.8.  Down referrals sent 2, inside 2, out 1; dispatched
-- doctor A, 13 days.  12: stay of 10 bed-days, ALOS 10, open bed-days 60 x
-- 123 = 7380.  30: down referral r5, doctor B 31 days (2025: 30).
SELECT facility_id, year, outpatient_visits, admissions, discharges, bed_days, open_bed_days,
       round(bed_occupancy::numeric, 9) AS occupancy, round(average_length_of_stay::numeric, 6) AS alos,
       round(grade34_surgery_share::numeric, 6) AS grade34, cost_per_outpatient_visit, cost_per_admission,
       slots_offered, slots_opened, slots_used, slots_opened_share, slots_use_rate,
       referrals_down_sent, referrals_within_consortium, referrals_outside_consortium,
       doctors_dispatched, dispatched_doctor_days
  FROM rs.facility_year ORDER BY facility_id, year;

-- Consortium 1, 2024: inside 2 (10) + 1 (11) = 3, out 1 (10) + 1 (12) = 2;
-- share 3/5; down referrals sent by members 2.  Consortium 2 sent none.
SELECT * FROM rs.consortium_year_referrals ORDER BY consortium_id, year;

-- Remote services, 2024.  德清 imaging: 10 services, 9 reported, per
-- 10,000 residents 10 / 180000 x 10000 = 0.555556.  Sorted turnarounds
-- 10 15 20 20 20 25 30 40 200 (the 23:50 request reported at 00:30 is 40
-- minutes, in January, the month of the request; 08:30:59 is 30 whole
-- minutes): median = the 5th (cum x 2 >= 9) = 20, P90 = the 9th (cum x 10
-- >= 81) = 200.  Recognised 3/10.  长兴 ECG: 5 and 7: median 5 (the 1st),
-- P90 7; per 10,000: 2 / 90000 x 10000 = 0.222222.
SELECT county, year, service_type, services, round(services_per_10000::numeric, 6) AS per_10000, reported,
       turnaround_median_minutes, turnaround_p90_minutes, recognised, recognised_share
  FROM rs.remote_service_year ORDER BY county, service_type;

-- The histogram state: the months' rows.  January's median is 20 (10 20
-- 30 40: the 2nd), February's 25 (15 25 200: the 2nd): the year's median
-- is not a mean or median of the months', but the quantile of the summed
-- histogram.
SELECT month, county, service_type, minutes, services, recognised
  FROM rs.remote_service_minutes ORDER BY county, service_type, month, minutes;
-- Months merged into the year equal the direct yearly computation with
-- percentile_disc over the services themselves (no rows: no difference).
WITH merged AS (
  SELECT county, year, service_type, turnaround_median_minutes AS median, turnaround_p90_minutes AS p90, services, reported
    FROM rs.remote_service_year
), direct AS (
  SELECT f.county, CAST(extract(year FROM s.requested_at) AS integer) AS year, s.service_type,
         percentile_disc(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM s.reported_at - s.requested_at) / 60)) AS median,
         percentile_disc(0.9) WITHIN GROUP (ORDER BY floor(extract(epoch FROM s.reported_at - s.requested_at) / 60)) AS p90,
         count(*) AS services, count(s.reported_at) AS reported
    FROM rs.remote_service AS s JOIN rs.facility AS f ON f.id = s.request_facility_id
   GROUP BY 1, 2, 3
)
SELECT 'merged only' AS side, * FROM (SELECT * FROM merged EXCEPT SELECT county, year, service_type, median::integer, p90::integer, services, reported FROM direct) AS a
UNION ALL
SELECT 'direct only', * FROM (SELECT county, year, service_type, median::integer, p90::integer, services, reported FROM direct EXCEPT SELECT * FROM merged) AS b;
-- The same on many random services over two years: every county x year x
-- type's median and P90 from the months' histograms equal percentile_disc
-- over the year's services (the count of rows compared, then the differences: none).
INSERT INTO rs.remote_service (id, request_facility_id, performing_facility_id, service_type, requested_at, reported_at)
SELECT -i, CASE WHEN i % 3 = 0 THEN 21 ELSE 11 + i % 2 END, 10,
       (ARRAY['imaging', 'ecg', 'pathology', 'laboratory', 'consultation'])[1 + i % 5],
       TIMESTAMP '2024-01-01' + (i * 7919 % 730) * interval '1 day' + (i % 1440) * interval '1 minute',
       CASE WHEN i % 17 <> 0 THEN TIMESTAMP '2024-01-01' + (i * 7919 % 730) * interval '1 day' + (i % 1440) * interval '1 minute'
                                  + ((i * 104729) % 5000) * interval '1 second' * (1 + i % 7) END
  FROM generate_series(1, 3000) AS i;
WITH merged AS (
  SELECT county, year, service_type, turnaround_median_minutes AS median, turnaround_p90_minutes AS p90
    FROM rs.remote_service_year
), direct AS (
  SELECT f.county, CAST(extract(year FROM s.requested_at) AS integer) AS year, s.service_type,
         CAST(percentile_disc(0.5) WITHIN GROUP (ORDER BY floor(extract(epoch FROM s.reported_at - s.requested_at) / 60)) AS integer) AS median,
         CAST(percentile_disc(0.9) WITHIN GROUP (ORDER BY floor(extract(epoch FROM s.reported_at - s.requested_at) / 60)) AS integer) AS p90
    FROM rs.remote_service AS s JOIN rs.facility AS f ON f.id = s.request_facility_id
   GROUP BY 1, 2, 3
)
SELECT (SELECT count(*) FROM merged) AS groups,
       (SELECT count(*) FROM (SELECT * FROM merged EXCEPT SELECT * FROM direct) AS a) AS merged_only,
       (SELECT count(*) FROM (SELECT * FROM direct EXCEPT SELECT * FROM merged) AS b) AS direct_only;
DELETE FROM rs.remote_service WHERE id < 0;

-- An incremental refresh keeps the facility cells equal to the facts: one
-- more TCM visit at 11 in 2024-03 marks the month; after refresh_model the
-- cells equal facility_cell_range over all months (no rows: no difference).
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen, tcm)
VALUES ('2024-03-20', '330521001', 11, 'outpatient', 10000, 6000, true);
SELECT refresh_model('rs') AS months;
SELECT * FROM rs.facility_cell EXCEPT SELECT * FROM rs.facility_cell_range('-infinity', 'infinity')
UNION ALL
SELECT * FROM rs.facility_cell_range('-infinity', 'infinity') EXCEPT SELECT * FROM rs.facility_cell;
-- 德清 2024 now has 6 grassroots outpatient visits, 3 of them TCM: 0.5.
SELECT grassroots_outpatient_visits, grassroots_tcm_share FROM rs.county_year_resources WHERE county = '330521' AND year = 2024;
-- A facility joining a consortium marks every month: after the refresh 30's
-- referrals to 10 (r5) count inside consortium 1, 10's to 30 (r3) too.
UPDATE rs.facility SET consortium_id = 1 WHERE id = 30;
SELECT refresh_model('rs') > 0 AS refreshed;
SELECT consortium_id, year, referrals_sent, referrals_within_consortium, referrals_outside_consortium, within_consortium_share
  FROM rs.consortium_year_referrals WHERE consortium_id = 1;
UPDATE rs.facility SET consortium_id = NULL WHERE id = 30;
SELECT refresh_model('rs') > 0 AS refreshed;

-- Bad input: each rule refused with the constraint that states it.
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date) VALUES ('E', 10, 11, '2024-05-01', '2024-04-30');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date, days) VALUES ('E', 10, 11, '2024-05-01', '2024-04-30', 3);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date, days) VALUES ('E', 10, 11, '2024-05-01', '2024-05-10', 11);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date) VALUES ('E', 10, 10, '2024-05-01', '2024-05-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.doctor_dispatch (doctor, from_facility_id, to_facility_id, start_date, end_date) VALUES ('E', 10, 99, '2024-05-01', '2024-05-10');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.appointment_slots (facility_id, month, offered, opened, used) VALUES (20, '2024-01-01', 100, 50, 51);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.appointment_slots (facility_id, month, offered, opened, used) VALUES (20, '2024-01-01', 100, 101, 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.appointment_slots (facility_id, month, offered, opened, used) VALUES (20, '2024-01-15', 100, 50, 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.appointment_slots (facility_id, month, offered, opened, used) VALUES (20, '2024-01-01', -1, 0, 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.remote_service (request_facility_id, performing_facility_id, service_type, requested_at, reported_at) VALUES (11, 10, 'imaging', '2024-01-05 08:00', '2024-01-05 07:59');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.remote_service (request_facility_id, performing_facility_id, service_type, requested_at) VALUES (11, 10, 'ultrasound', '2024-01-05 08:00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.remote_service (request_facility_id, performing_facility_id, service_type, requested_at) VALUES (11, 11, 'ecg', '2024-01-05 08:00');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, discharge_date) VALUES ('2024-03-10', '330521', 10, 'inpatient', 1, '2024-03-09');
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, surgery_grade) VALUES ('2024-03-10', '330521', 10, 'inpatient', 1, 5);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, surgery_grade) VALUES ('2024-03-10', '330521', 10, 'inpatient', 1, 0);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.visit (visit_date, residence, facility_id, kind, total_fen, discharge_date) VALUES ('2024-03-10', '330521', 10, 'outpatient', 1, '2024-03-10');
\echo :LAST_ERROR_SQLSTATE
UPDATE rs.chronic_management SET controlled = 6001 WHERE unit = '330521001' AND disease = 'hypertension';
\echo :LAST_ERROR_SQLSTATE
UPDATE rs.chronic_management SET controlled = -1 WHERE unit = '330521001' AND disease = 'hypertension';
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.facility_beds (facility_id, month, beds) VALUES (10, '2024-07-02', 530);
\echo :LAST_ERROR_SQLSTATE
INSERT INTO rs.facility_beds (facility_id, month, beds) VALUES (10, '2024-07-01', -1);
\echo :LAST_ERROR_SQLSTATE

-- The published layer.  With min_cell 1 every cell is published as it is,
-- so the published views give the values above, ratios to 0.001 (costs and
-- doctor-days to 0.1, lengths of stay to 0.01, rates per 10,000 to 0.01),
-- with the TCM visit added at 11: 德清 2024 has 6 grassroots outpatient
-- visits (growth 6/4 - 1 = 0.5, TCM 3/6 = 0.5), fund share (230000 + 6000)
-- / (1320000 + 6000) = 0.17798 -> 0.178, outpatient cost (110000 + 10000)
-- / 8 / 100 = 150 yuan; 11 has 4 visits.  Occupancy of 10: 0.000207 ->
-- 0; of 12: 0.001355 -> 0.001; ALOS of 10: 4.33; per 10,000: 0.56 and 0.22.
-- Bed-days, occupancy and ALOS are shown only where min_cell (here 1) or
-- more discharges stand behind them: NULL for the facility-years without
-- a discharge.
-- Rows whose published counts are all 0 are left out (consortium 1's 2023).
SELECT county, year, population, grassroots_facilities, facilities_with_dispatch, dispatch_coverage,
       dispatched_doctor_days, doctor_days_per_facility, grassroots_outpatient_visits, grassroots_outpatient_growth,
       grassroots_tcm_share, grassroots_fund_share, cost_per_outpatient_visit, cost_per_admission,
       hypertension_control_rate, diabetes_control_rate
  FROM rs_pub.county_year_resources ORDER BY county, year;
SELECT facility_id, care_level, county, year, discharges, bed_days, open_bed_days,
       bed_occupancy, average_length_of_stay, grade34_surgery_share, cost_per_outpatient_visit, cost_per_admission,
       slots_offered, slots_opened, slots_used, slots_opened_share, slots_use_rate, referrals_down_sent,
       referrals_within_consortium, referrals_outside_consortium, doctors_dispatched, dispatched_doctor_days
  FROM rs_pub.facility_year ORDER BY facility_id, year;
SELECT * FROM rs_pub.consortium_year_referrals ORDER BY consortium_id, year;
SELECT * FROM rs_pub.remote_service_year ORDER BY county, service_type;
-- The published views carry plain SQL types only (none listed).
SELECT c.table_name, c.column_name, c.data_type
  FROM information_schema.columns AS c
 WHERE c.table_schema = 'rs_pub'
   AND c.table_name IN ('visit_cells', 'remote_service_cells', 'remote_service_year', 'facility_year',
                        'consortium_year_referrals', 'county_year_resources')
   AND c.data_type NOT IN ('text', 'integer', 'bigint', 'double precision', 'date', 'boolean');

-- With min_cell 5: every published count of patients is a multiple of 5,
-- every total the sum of its published cells; costs and the fund's share
-- only where 5 or more visits stand behind them.  10's 4 admissions: no
-- cost per admission; 德清's 5 admissions: shown (3800, exact); its
-- grassroots (6 + 1 = 7 visits) and other (2 + 4 = 6) sides: fund share
-- shown; 长兴's 1 visit: no outpatient cost.
-- (A fixed seed, so that which small cells round to 0 is the same at every
-- run; the checks below hold for any seed.)
UPDATE rs.model_config SET min_cell = 5;
UPDATE rs.publish_key SET seed = sha256(convert_to('model_resources', 'UTF8'));
SELECT 'visit_cells' AS what, count(*) AS not_multiple FROM rs_pub.visit_cells WHERE visits % 5 > 0
UNION ALL
SELECT 'facility_year', count(*) FROM rs_pub.facility_year
 WHERE (discharges % 5) + (coalesce(slots_used, 0) % 5)
       + (referrals_down_sent % 5) + (referrals_within_consortium % 5) + (referrals_outside_consortium % 5) > 0
UNION ALL
SELECT 'county_year_resources', count(*) FROM rs_pub.county_year_resources WHERE grassroots_outpatient_visits % 5 > 0
UNION ALL
SELECT 'consortium_year_referrals', count(*) FROM rs_pub.consortium_year_referrals
 WHERE (referrals_sent % 5) + (referrals_within_consortium % 5) + (referrals_outside_consortium % 5) + (referrals_down_sent % 5) > 0
UNION ALL
SELECT 'remote_service_year', count(*) FROM rs_pub.remote_service_year WHERE (services % 5) + (reported % 5) + (recognised % 5) > 0;
-- Totals are sums of the published cells: a facility-year's discharges
-- and grade 3-4 share of the facility's visit cells (which carry the
-- facility and whether a stay was discharged, with a grade 3-4 operation);
-- a county's grassroots outpatient visits and TCM share of the visit cells
-- (the same rounded cells grassroots_share uses).
-- (sql/publish_facility_visits.sql checks these on random data.)
SELECT count(*) AS facility_years_differing FROM rs_pub.facility_year AS y
 WHERE y.discharges <> coalesce((SELECT sum(c.visits) FROM rs_pub.visit_cells AS c
                                   WHERE c.facility_id = y.facility_id AND extract(year FROM c.month) = y.year
                                     AND c.kind = 'inpatient' AND c.discharged), 0)
    OR y.grade34_surgery_share IS DISTINCT FROM
       publish_ratio(coalesce((SELECT sum(c.visits) FROM rs_pub.visit_cells AS c
                                WHERE c.facility_id = y.facility_id AND extract(year FROM c.month) = y.year
                                  AND c.grade34), 0)::bigint, y.discharges);
-- Bed-days are an amount (days per stay), shown exact like money, only
-- where 5 or more discharges stand behind them: 10's 3 discharges of 2024
-- (13 bed-days) are not shown at min_cell 5, nor the ratios on them.
SELECT facility_id, year, discharges, bed_days, bed_occupancy, average_length_of_stay
  FROM rs_pub.facility_year WHERE bed_days IS NOT NULL OR bed_occupancy IS NOT NULL OR average_length_of_stay IS NOT NULL;
-- Referrals by facility are sums of the published referral cells of the
-- sending facility (sql/publish_facility_referrals.sql checks every
-- published referral count this way on random data).
SELECT count(*) AS referral_years_differing FROM rs_pub.facility_year AS y
 WHERE y.referrals_down_sent <> coalesce((SELECT sum(c.referrals) FROM rs_pub.referral_cells AS c
                                            WHERE c.from_facility_id = y.facility_id AND extract(year FROM c.month) = y.year
                                              AND c.kind = 'referral' AND c.to_level::care_level < c.from_level::care_level), 0)
    OR y.referrals_within_consortium <> coalesce((SELECT sum(c.referrals) FROM rs_pub.referral_cells AS c
                                                    WHERE c.from_facility_id = y.facility_id AND extract(year FROM c.month) = y.year
                                                      AND c.kind = 'referral' AND c.within_consortium), 0);
SELECT count(*) AS county_years_differing FROM rs_pub.county_year_resources AS y
 WHERE y.grassroots_outpatient_visits <> coalesce((SELECT sum(c.visits) FROM rs_pub.visit_cells AS c
                                                     WHERE CAST(c.facility_county AS text) = y.county AND c.kind = 'outpatient' AND c.grassroots
                                                       AND extract(year FROM c.month) = y.year), 0)
    OR y.grassroots_tcm_share IS DISTINCT FROM
       publish_ratio(coalesce((SELECT sum(c.visits) FROM rs_pub.visit_cells AS c
                                WHERE CAST(c.facility_county AS text) = y.county AND c.kind = 'outpatient' AND c.grassroots
                                  AND c.tcm AND extract(year FROM c.month) = y.year), 0)::bigint,
                     nullif(y.grassroots_outpatient_visits, 0));
SELECT facility_id, year, cost_per_outpatient_visit, cost_per_admission FROM rs_pub.facility_year
 WHERE facility_id = 10 ORDER BY 1, 2;
SELECT county, year, grassroots_fund_share, cost_per_outpatient_visit, cost_per_admission
  FROM rs_pub.county_year_resources WHERE year = 2024 ORDER BY county;
-- The turnaround quantiles are the exact ones where 5 or more services
-- were reported (德清 imaging, 9: 20 and 200), NULL below (长兴 ECG, 2),
-- whatever the rounding of the histogram cells.
SELECT county, year, service_type, turnaround_median_minutes, turnaround_p90_minutes
  FROM rs_pub.remote_service_year ORDER BY county, service_type;
-- ... and the warehouse suppresses them the same way.
SELECT facility_id, year, outpatient_visits, admissions, cost_per_admission, grade34_surgery_share, average_length_of_stay
  FROM rs.facility_year WHERE facility_id = 10 AND year = 2024;

SET client_min_messages = warning;
DROP SCHEMA rs_pub, rs CASCADE;
