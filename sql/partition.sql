-- Partition-wise and parallel aggregation over a model partitioned by month:
-- every health_share aggregate gives the serial, unpartitioned answer.
SET search_path = health_share, public;

CREATE TABLE part_visit (
	id			bigint,
	day			date NOT NULL,
	residence	adcode,
	facility	adcode,
	grassroots	boolean,
	fund_in		bigint,
	fund_all	bigint
) PARTITION BY RANGE (day);
CREATE TABLE part_visit_2024_01 PARTITION OF part_visit FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE part_visit_2024_02 PARTITION OF part_visit FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE part_visit_2024_03 PARTITION OF part_visit FOR VALUES FROM ('2024-03-01') TO ('2024-04-01');
CREATE TABLE part_visit_2024_04 PARTITION OF part_visit FOR VALUES FROM ('2024-04-01') TO ('2024-05-01');
INSERT INTO part_visit
SELECT i, date '2024-01-01' + (i % 121)::int,
       CASE WHEN i % 53 = 0 THEN NULL ELSE ((330521 + i % 3) * 1000 + 100 + i % 5)::bigint::adcode END,
       CASE WHEN i % 6 = 0 THEN '330502'::adcode ELSE (330521 + i % 3)::bigint::adcode END,
       CASE WHEN i % 17 = 0 THEN NULL ELSE i % 3 <> 0 END,
       (i % 100)::bigint, 100::bigint
  FROM generate_series(1, 120000) i;
-- The same rows unpartitioned, for the reference answers.
CREATE TABLE flat_visit AS SELECT * FROM part_visit;
ANALYZE part_visit; ANALYZE flat_visit;

CREATE TEMP TABLE reference AS
SELECT date_trunc('month', day) AS month, rate(grassroots) AS r_bool, rate(fund_in, fund_all) AS r_num,
       in_county_rate(residence, facility) AS r_county
  FROM flat_visit GROUP BY 1;

-- Partition-wise aggregation: grouping by month (the partition key's month)
-- aggregates each partition separately, in parallel workers.
SET enable_partitionwise_aggregate = on;
SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
EXPLAIN (COSTS OFF)
SELECT date_trunc('month', day), rate(grassroots), rate(fund_in, fund_all), in_county_rate(residence, facility)
  FROM part_visit GROUP BY 1;
SELECT count(*) AS months,
       bool_and(r.r_bool = p.r_bool AND r.r_num = p.r_num AND r.r_county = p.r_county) AS same
  FROM reference r
  JOIN (SELECT date_trunc('month', day) AS month, rate(grassroots) AS r_bool, rate(fund_in, fund_all) AS r_num,
               in_county_rate(residence, facility) AS r_county
          FROM part_visit GROUP BY 1) p USING (month);

-- Grouping by something else: partial aggregates per partition, combined.
EXPLAIN (COSTS OFF)
SELECT adcode_county(residence), in_county_rate(residence, facility) FROM part_visit GROUP BY 1;
SELECT bool_and(a.r = b.r) AS same, count(*) AS counties
  FROM (SELECT adcode_county(residence) AS c, in_county_rate(residence, facility) AS r FROM part_visit GROUP BY 1) a
  JOIN (SELECT adcode_county(residence) AS c, in_county_rate(residence, facility) AS r FROM flat_visit GROUP BY 1) b
    USING (c);
-- Whole-table totals, cross-checked by hand: grassroots is NULL when
-- i % 17 = 0 (7058 of 120000 rows) and false when i % 3 = 0 (40000, of which
-- 2352 are multiples of 51): 112942 known, 40000 - 2352 = 37648 false,
-- 75294 true.
SELECT rate(grassroots) FROM part_visit;
SELECT rate(grassroots) = (SELECT sum(r_bool) FROM reference) AS same_as_months FROM part_visit;

RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
RESET enable_partitionwise_aggregate;
DROP TABLE part_visit, flat_visit;
