-- Forced parallel plans give the serial answers; months roll up into years.
SET search_path = health_share, public;

CREATE TABLE pvisit AS
SELECT i,
       date '2024-01-01' + (i % 731) AS day,
       (330521 + (i % 3))::bigint::adcode AS residence,
       CASE WHEN i % 11 = 0 THEN NULL
            WHEN i % 5 = 0 THEN '330502'::adcode
            ELSE (330521 + (i % 3))::bigint::adcode END AS facility,
       CASE WHEN i % 13 = 0 THEN NULL ELSE i % 4 <> 0 END AS primary_care,
       (i % 1000)::bigint AS fund_in, 1000::bigint AS fund_all
  FROM generate_series(1, 200000) i;
ANALYZE pvisit;

CREATE TEMP TABLE serial AS
SELECT adcode_county(residence) AS county,
       rate(primary_care) AS r_bool, rate(fund_in, fund_all) AS r_num,
       in_county_rate(residence, facility) AS r_county
  FROM pvisit GROUP BY 1;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT adcode_county(residence), rate(primary_care), rate(fund_in, fund_all), in_county_rate(residence, facility)
  FROM pvisit GROUP BY 1;
CREATE TEMP TABLE par AS
SELECT adcode_county(residence) AS county,
       rate(primary_care) AS r_bool, rate(fund_in, fund_all) AS r_num,
       in_county_rate(residence, facility) AS r_county
  FROM pvisit GROUP BY 1;
SELECT count(*) AS groups,
       bool_and(s.r_bool = p.r_bool AND s.r_num = p.r_num AND s.r_county = p.r_county) AS same
  FROM serial s JOIN par p USING (county);
-- A whole-table parallel aggregate too.
EXPLAIN (COSTS OFF) SELECT rate(primary_care) FROM pvisit;
SELECT rate(primary_care) = (SELECT sum(r_bool) FROM serial) AS same_total FROM pvisit;
-- Independent check of the total: primary_care is NULL for i % 13 = 0 and
-- false for i % 4 = 0.  Of 1..200000: 15384 multiples of 13 -> 184616 known;
-- multiples of 4 not of 13: 50000 - 3846 = 46154 false -> 138462 true.
SELECT rate(primary_care) FROM pvisit;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;

-- Month-to-year rollup: rates stored per county and month, summed with
-- sum(hs_rate), equal the direct yearly aggregate.
CREATE TEMP TABLE monthly AS
SELECT adcode_county(residence) AS county, date_trunc('month', day) AS month,
       in_county_rate(residence, facility) AS r
  FROM pvisit GROUP BY 1, 2;
SELECT count(*) AS county_years,
       bool_and(y.r = d.r) AS rollup_equals_direct
  FROM (SELECT county, date_trunc('year', month) AS year, sum(r) AS r FROM monthly GROUP BY 1, 2) y
  JOIN (SELECT adcode_county(residence) AS county, date_trunc('year', day) AS year,
               in_county_rate(residence, facility) AS r
          FROM pvisit GROUP BY 1, 2) d USING (county, year);
DROP TABLE pvisit;
