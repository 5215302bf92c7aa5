-- COPY into the model's visit against COPY into a plain table with the same
-- six columns, and refresh_model at that size; see bench/load.
\set ON_ERROR_STOP 1
CREATE EXTENSION health_share;
SET search_path = health_share, public;
SELECT install_model('m');

-- Dimensions: 200 facilities in the five counties of 湖州 (care levels
-- mixed), so that the model's facility check has real work.
INSERT INTO m.facility (id, name, care_level, county)
SELECT i, 'facility ' || i,
       (ARRAY['village', 'primary', 'secondary', 'tertiary'])[1 + i % 4]::care_level,
       (ARRAY['330502', '330503', '330521', '330522', '330523'])[1 + i % 5]::adcode
  FROM generate_series(1, 200) AS i;
-- The year's partitions exist before the load (add_partitions; otherwise
-- the rows land in visit_default and refresh moves them).
SELECT m.add_partitions(DATE '2024-01-01', DATE '2024-12-01') AS partitions;

-- The file: :rows visits over 2024 in date order (as a month's or a year's
-- extract arrives), township residences of the five counties, 1 in 10 outside
-- the residence county, 1 in 7 inpatient.
COPY (SELECT DATE '2024-01-01' + (i * 366::bigint / (:rows + 1))::int AS visit_date,
             ((ARRAY[330502, 330503, 330521, 330522, 330523])[1 + i % 5]::bigint * 1000 + 1 + i % 9) AS residence,
             1 + (CASE WHEN i % 10 = 0 THEN i + 1 ELSE i END) % 5 + 5 * ((i / 5) % 40) AS facility_id,
             CASE WHEN i % 7 = 0 THEN 'inpatient' ELSE 'outpatient' END AS kind,
             1000 + i % 50000 AS total_fen, (1000 + i % 50000) / 2 AS fund_fen
        FROM generate_series(1, :rows) AS i) TO :'file' (FORMAT csv);

CREATE TABLE plain_visit (visit_date date, residence adcode, facility_id integer, kind text, total_fen bigint, fund_fen bigint);

-- copy_ms(sql): wall-clock ms of one statement.
CREATE FUNCTION pg_temp.ms(q text) RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE t0 timestamptz := clock_timestamp();
BEGIN
	EXECUTE q;
	RETURN 1000 * extract(epoch FROM clock_timestamp() - t0);
END $$;
CREATE TEMP TABLE run (what text, ms double precision);
-- Three rounds, alternating; each starts from empty tables (TRUNCATE) and
-- a checkpoint, and commits.
SELECT format($$
TRUNCATE plain_visit; CHECKPOINT;
INSERT INTO run SELECT 'plain', pg_temp.ms(%1$L);
TRUNCATE m.visit; DELETE FROM m.dirty_month; CHECKPOINT;
INSERT INTO run SELECT 'model', pg_temp.ms(%2$L);
$$, format('COPY plain_visit FROM %L (FORMAT csv)', :'file'),
    format('COPY m.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen) FROM %L (FORMAT csv)', :'file'))
  FROM generate_series(1, 3) \gexec

-- The loads are complete and the same.
SELECT (SELECT count(*) FROM plain_visit) AS plain_rows, (SELECT count(*) FROM m.visit) AS model_rows,
       (SELECT count(*) FROM m.visit_default) AS in_default_partition,
       (SELECT count(DISTINCT month) FROM m.dirty_month) AS dirty_months;

-- refresh_model at this size: the 12 dirty months, one month, the year.
INSERT INTO run SELECT 'refresh dirty months', pg_temp.ms($$SELECT refresh_model('m')$$);
INSERT INTO run SELECT 'refresh one month', pg_temp.ms($$SELECT refresh_model('m', ARRAY[DATE '2024-06-01'])$$);
INSERT INTO run SELECT 'refresh all months', pg_temp.ms($$SELECT refresh_model('m', all_months => true)$$);
SELECT (SELECT sum(visits) FROM m.county_month_state) = (SELECT count(*) FROM plain_visit) AS states_count_every_visit;

\pset footer off
SELECT 'COPY of ' || :rows || ' visits' AS operation,
       round(min(ms) FILTER (WHERE what = 'model')) AS model_ms,
       round(min(ms) FILTER (WHERE what = 'plain')) AS plain_ms,
       round((min(ms) FILTER (WHERE what = 'plain') / min(ms) FILTER (WHERE what = 'model'))::numeric, 3) AS load_ratio,
       '>= 0.5' AS target,
       CASE WHEN min(ms) FILTER (WHERE what = 'plain') / min(ms) FILTER (WHERE what = 'model') >= 0.5 THEN 'met' ELSE 'missed' END AS result
  FROM run;
SELECT what AS refresh, round(ms) AS ms FROM run WHERE what LIKE 'refresh%' ORDER BY ms;
