-- rate(bool) and in_county_rate against plain SQL; see bench/rate.
\set ON_ERROR_STOP 1
CREATE EXTENSION health_share;
SET search_path = health_share, public;
\ir timing.sql

-- Visits: residence at township level, facility county; the plain-SQL side
-- gets the counties as ready bigint columns, the cheapest form it could have.
CREATE UNLOGGED TABLE visit AS
SELECT i AS id,
       (i % 7 <> 0) AS grassroots,
       ((330500 + 1 + i % 23) * 1000 + 100 + i % 9)::bigint::adcode AS residence,
       (330500 + 1 + (CASE WHEN i % 10 = 0 THEN (i / 10) % 23 ELSE i % 23 END))::bigint::adcode AS facility,
       (330500 + 1 + i % 23)::bigint AS residence_county,
       (330500 + 1 + (CASE WHEN i % 10 = 0 THEN (i / 10) % 23 ELSE i % 23 END))::bigint AS facility_county
  FROM generate_series(1, :rows) i;
VACUUM ANALYZE visit;
SELECT count(*) AS rows, pg_size_pretty(pg_relation_size('visit')) AS table_size FROM visit;

-- Answers agree before anything is timed.
SELECT rate(grassroots) = hs_rate(count(*) FILTER (WHERE grassroots), count(grassroots)) AS rate_same,
       in_county_rate(residence, facility) =
       hs_rate(count(*) FILTER (WHERE residence_county = facility_county),
               count(*) FILTER (WHERE residence_county IS NOT NULL AND facility_county IS NOT NULL)) AS in_county_same
  FROM visit;

SELECT pg_temp.bench_pair('rate(bool), whole table',
  $$SELECT rate(grassroots) FROM visit$$,
  $$SELECT count(*) FILTER (WHERE grassroots), count(grassroots) FROM visit$$);
SELECT pg_temp.bench_pair('rate(bool), GROUP BY county',
  $$SELECT residence_county, rate(grassroots) FROM visit GROUP BY 1$$,
  $$SELECT residence_county, count(*) FILTER (WHERE grassroots), count(grassroots) FROM visit GROUP BY 1$$);
SELECT pg_temp.bench_pair('in_county_rate, whole table',
  $$SELECT in_county_rate(residence, facility) FROM visit$$,
  $$SELECT count(*) FILTER (WHERE residence_county = facility_county), count(*) FROM visit$$);
SELECT pg_temp.bench_pair('in_county_rate, GROUP BY county',
  $$SELECT residence_county, in_county_rate(residence, facility) FROM visit GROUP BY 1$$,
  $$SELECT residence_county, count(*) FILTER (WHERE residence_county = facility_county), count(*) FROM visit GROUP BY 1$$);

\echo
\echo 'health_share against plain SQL (fastest of 3 alternating runs, one backend, no parallel workers):'
SELECT label, ours_ms AS "health_share ms", baseline_ms AS "plain SQL ms", ratio AS "ratio (target <= 1.3)"
  FROM bench_result;
