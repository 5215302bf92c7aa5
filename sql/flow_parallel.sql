-- flowmatrix under forced parallel plans: partial aggregates built in the
-- workers travel as flat flowmatrix values and are merged by flow_combine;
-- the results equal the serial ones and an independent GROUP BY.
SET search_path = health_share, public;

CREATE TABLE pflow AS
SELECT i,
       1 + (i % 12) AS month,
       CASE WHEN i % 17 = 0 THEN NULL ELSE (330521 + (i % 3))::bigint END AS origin,
       CASE WHEN i % 5 = 0 THEN 330502::bigint
            WHEN i % 7 = 0 THEN (i % 1000)::bigint
            ELSE (330521 + (i % 3))::bigint END AS dest,
       (i % 4)::bigint AS n
  FROM generate_series(1, 200000) i;
ANALYZE pflow;

CREATE TEMP TABLE serial AS
SELECT month, flow_agg(origin, dest) AS f1, flow_agg(origin, dest, n) AS f3
  FROM pflow GROUP BY month;
CREATE TEMP TABLE serial_all AS
SELECT flow_agg(origin, dest) AS f1, flow_agg(origin, dest, n) AS f3 FROM pflow;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF) SELECT flow_agg(origin, dest), flow_agg(origin, dest, n) FROM pflow;
CREATE TEMP TABLE par_all AS
SELECT flow_agg(origin, dest) AS f1, flow_agg(origin, dest, n) AS f3 FROM pflow;
SELECT s.f1 = p.f1 AS same_f1, s.f3 = p.f3 AS same_f3,
       flow_size(p.f1) = (SELECT count(DISTINCT (origin, dest)) FROM pflow WHERE origin IS NOT NULL) AS pairs_ok
  FROM serial_all s, par_all p;

EXPLAIN (COSTS OFF) SELECT month, flow_agg(origin, dest) FROM pflow GROUP BY month;
CREATE TEMP TABLE par AS
SELECT month, flow_agg(origin, dest) AS f1, flow_agg(origin, dest, n) AS f3
  FROM pflow GROUP BY month;
SELECT count(*) AS months, bool_and(s.f1 = p.f1 AND s.f3 = p.f3) AS same
  FROM serial s JOIN par p USING (month);

-- sum(flowmatrix) in parallel over stored monthly matrices.
CREATE TABLE pmonth AS SELECT * FROM serial;
INSERT INTO pmonth SELECT * FROM serial;   -- every month twice: counts double
ANALYZE pmonth;
EXPLAIN (COSTS OFF) SELECT sum(f1) FROM pmonth;
SELECT sum(f1) = (SELECT f1 + f1 FROM serial_all) AS doubled FROM pmonth;

-- Independent check against GROUP BY: the same cells and counts.
SELECT (SELECT count(*) FROM (SELECT * FROM flow_entries((SELECT f1 FROM par_all))
                              EXCEPT
                              SELECT origin, dest, count(*) FROM pflow
                               WHERE origin IS NOT NULL GROUP BY 1, 2) x) AS f1_differ,
       (SELECT count(*) FROM (SELECT origin, dest, sum(n)::bigint FROM pflow
                               WHERE origin IS NOT NULL GROUP BY 1, 2 HAVING sum(n) > 0
                              EXCEPT
                              SELECT * FROM flow_entries((SELECT f3 FROM par_all))) x) AS f3_differ;
-- By hand: origin is NULL for i % 17 = 0 (11764 of 200000 rows), so the
-- matrix holds 188236 visits; n = i % 4 sums to 300000 over 1..200000, less
-- the rows with i % 17 = 0: i = 17k, k = 1..11764, sum of (17k mod 4) =
-- sum of (k mod 4) = 2941 * (0+1+2+3) = 17646 -> 282354.
SELECT flow_total(f1) AS visits, flow_total(f3) AS weighted FROM par_all;

-- Referral counts in parallel.
CREATE TABLE pref AS
SELECT (enum_range(NULL::care_level))[1 + i % 4] AS f, (enum_range(NULL::care_level))[1 + (i / 4) % 4] AS t
  FROM generate_series(1, 100000) i;
ANALYZE pref;
-- i mod 16 runs through all 16 (from, to) pairs, each 100000 / 16 = 6250
-- times: 6 pairs go up, 6 down, 4 stay -> 37500 up, 37500 down, 25000 same.
EXPLAIN (COSTS OFF) SELECT referrals(f, t) FROM pref;
SELECT (referrals(f, t)).* FROM pref;
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
-- Independently: referral_direction per row, counted serially.
SELECT count(*) FILTER (WHERE referral_direction(f, t) = 'up') AS up,
       count(*) FILTER (WHERE referral_direction(f, t) = 'down') AS down,
       count(*) FILTER (WHERE referral_direction(f, t) = 'lateral') AS same_level
  FROM pref;
DROP TABLE pflow, pmonth, pref;
