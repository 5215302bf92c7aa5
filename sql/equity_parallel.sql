-- equity aggregates under forced parallel plans give the serial answers:
-- Gini and Lorenz exactly (the pairs are sorted by (value, weight) before
-- summing, whatever order the partial states arrive in), the Theil indices
-- to 1e-12 relative (compensated sums merged in a different order).
SET search_path = health_share, public;

-- 200 000 regions in 7 cities; values repeat (many ties), a few are 0.
CREATE TABLE peq AS
SELECT i,
       'city' || (i % 7) AS city,
       CASE WHEN i % 1000 = 0 THEN 0 ELSE ((i * 7919) % 10007)::float8 / 100 + (i % 7) END AS y,
       ((i * 7919) % 10007)::float8 / 100 + 1 + (i % 7) AS ypos,
       (1 + (i % 97))::float8 AS w
  FROM generate_series(1, 200000) i;
ANALYZE peq;

CREATE TEMP TABLE serial AS
SELECT gini(y, w) AS g, gini(y) AS g1, lorenz(y, w) AS lz, theil_t(y, w) AS t, theil_l(ypos, w) AS l,
       theil_decompose(y, w, city, 'T') AS dt, theil_decompose(ypos, w, city) AS dl
  FROM peq;
CREATE TEMP TABLE serial_city AS
SELECT city, gini(y, w) AS g, theil_t(y, w) AS t, theil_l(ypos, w) AS l FROM peq GROUP BY city;

-- Independent check of the serial Gini: the DESIGN formula in plain SQL with
-- window functions over the rows in (value, weight) order.
SELECT abs((SELECT g FROM serial) -
           (SELECT 1 - sum(w / tw * (v + v_prev)) FROM
              (SELECT w, sum(w) OVER () AS tw,
                      sum(y * w) OVER o / sum(y * w) OVER () AS v,
                      (sum(y * w) OVER o - y * w) / sum(y * w) OVER () AS v_prev
                 FROM peq WINDOW o AS (ORDER BY y, w ROWS UNBOUNDED PRECEDING)) s)) < 1e-12 AS gini_matches_plain_sql;
-- ... and of the Theil indices from plain sums.
SELECT abs((SELECT t FROM serial) - (sum(y * w * ln(nullif(y, 0))) / sum(y * w) - ln(sum(y * w) / sum(w)))) < 1e-12 AS t_ok
  FROM peq;
SELECT abs((SELECT l FROM serial) - (ln(sum(ypos * w) / sum(w)) - sum(w * ln(ypos)) / sum(w))) < 1e-12 AS l_ok
  FROM peq;
-- Decompositions add up and equal the plain indices.
SELECT abs((dt).total - (dt).between - (dt).within) < 1e-12 AS t_sums,
       abs((dl).total - (dl).between - (dl).within) < 1e-12 AS l_sums,
       abs((dt).total - t) <= 1e-12 * t AS t_total, abs((dl).total - l) <= 1e-12 * l AS l_total,
       (dt).between > 0 AND (dt).within > 0 AND (dl).between > 0 AND (dl).within > 0 AS positive_parts
  FROM serial;

SET parallel_setup_cost = 0;
SET parallel_tuple_cost = 0;
SET min_parallel_table_scan_size = 0;
SET max_parallel_workers_per_gather = 2;
SET parallel_leader_participation = off;
EXPLAIN (COSTS OFF)
SELECT gini(y, w), gini(y), lorenz(y, w), theil_t(y, w), theil_l(ypos, w),
       theil_decompose(y, w, city, 'T'), theil_decompose(ypos, w, city)
  FROM peq;
CREATE TEMP TABLE par AS
SELECT gini(y, w) AS g, gini(y) AS g1, lorenz(y, w) AS lz, theil_t(y, w) AS t, theil_l(ypos, w) AS l,
       theil_decompose(y, w, city, 'T') AS dt, theil_decompose(ypos, w, city) AS dl
  FROM peq;
SELECT p.g = s.g AS gini_same, p.g1 = s.g1 AS gini1_same, p.lz = s.lz AS lorenz_same,
       array_length(p.lz, 1) = (SELECT count(DISTINCT y) + 1 FROM peq) AS one_point_per_value,
       abs(p.t - s.t) <= 1e-12 * s.t AS t_same, abs(p.l - s.l) <= 1e-12 * s.l AS l_same,
       abs((p.dt).total - (s.dt).total) <= 1e-12 * (s.dt).total AND
       abs((p.dt).between - (s.dt).between) <= 1e-12 * (s.dt).between AND
       abs((p.dt).within - (s.dt).within) <= 1e-12 * (s.dt).within AS dt_same,
       abs((p.dl).total - (s.dl).total) <= 1e-12 * (s.dl).total AND
       abs((p.dl).between - (s.dl).between) <= 1e-12 * (s.dl).between AND
       abs((p.dl).within - (s.dl).within) <= 1e-12 * (s.dl).within AS dl_same,
       abs((p.dt).total - (p.dt).between - (p.dt).within) < 1e-12 AS par_t_sums,
       abs((p.dl).total - (p.dl).between - (p.dl).within) < 1e-12 AS par_l_sums
  FROM par p, serial s;
-- Grouped parallel aggregation.
EXPLAIN (COSTS OFF)
SELECT city, gini(y, w), theil_t(y, w), theil_l(ypos, w) FROM peq GROUP BY city;
CREATE TEMP TABLE par_city AS
SELECT city, gini(y, w) AS g, theil_t(y, w) AS t, theil_l(ypos, w) AS l FROM peq GROUP BY city;
SELECT count(*) AS cities, bool_and(p.g = s.g) AS gini_same,
       bool_and(abs(p.t - s.t) <= 1e-12 * s.t AND abs(p.l - s.l) <= 1e-12 * s.l) AS theil_same
  FROM serial_city s JOIN par_city p USING (city);
RESET parallel_leader_participation;
RESET max_parallel_workers_per_gather;
RESET min_parallel_table_scan_size;
RESET parallel_tuple_cost;
RESET parallel_setup_cost;
DROP TABLE peq;
