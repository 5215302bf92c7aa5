-- equity: weighted Gini, Lorenz, Theil T/L and their decomposition,
-- health resource density index, agglomeration degree; bad input.
SET search_path = health_share, public;
-- pg_temp.r(x): x rounded to 12 decimals for display; every value is also checked
-- against its hand computation to 1e-12 below.
CREATE FUNCTION pg_temp.r(x float8) RETURNS numeric LANGUAGE sql AS $$SELECT round(x::numeric, 12)$$;

-------------------------------------------------------------------------------
-- The worked example of docs/equity.md: four counties, y = beds per 1000
-- residents, w = residents in 10 000s.
--
--   county  city  w   y   w*y  population share p  resource share s = w*y/340
--   A       X     20  2   40   0.2                 4/34
--   B       X     30  4   120  0.3                 12/34
--   C       Y     10  6   60   0.1                 6/34
--   D       Y     40  3   120  0.4                 12/34
--   W = 100, Y = 340, mean value mu = 3.4.
--
-- Gini: sorted by y: A(2) D(3) B(4) C(6); cumulative resource share
-- V = 4/34, 16/34, 28/34, 34/34;
-- sum p_i (V_i + V_{i-1}) = (0.2*4 + 0.4*20 + 0.3*44 + 0.1*62)/34 = 28.2/34,
-- G = 1 - 28.2/34 = 5.8/34 = 29/170 = 0.170588235294118.
-- Mean-difference check: sum_ij p_i p_j |y_i - y_j| / (2 mu) gives the same
-- (numpy: 0.17058823529411765).
-- Theil T = sum s_i ln(y_i/mu)
--   = (4 ln(2/3.4) + 12 ln(3/3.4) + 12 ln(4/3.4) + 6 ln(6/3.4))/34
--   = 0.050990019409182 (numpy 0.050990019409181783).
-- Theil L = sum p_i ln(mu/y_i)
--   = 0.2 ln 1.7 + 0.4 ln(3.4/3) + 0.3 ln 0.85 + 0.1 ln(3.4/6)
--   = 0.050636824784110 (numpy 0.050636824784110045).
-- Decomposition by city: X = {A, B}: W 50, Y 160, mean 3.2;
-- Y = {C, D}: W 50, Y 180, mean 3.6.
--   T between = (16/34) ln(3.2/3.4) + (18/34) ln(3.6/3.4) = 0.001731102942827
--   T within  = 0.049258916466355; sum 0.050990019409182 = T.
--   L between = 0.5 ln(3.4/3.2) + 0.5 ln(3.4/3.6) = 0.001733103988243
--   L within  = 0.048903720795867; sum 0.050636824784110 = L.
-- (numpy: T 0.0017311029428270473 + 0.049258916466354732,
--         L 0.0017331039882431051 + 0.048903720795867037.)
-------------------------------------------------------------------------------
CREATE TEMP TABLE county (name text, city text, pop float8, beds_per_1000 float8, area float8);
INSERT INTO county VALUES
  ('A', 'X', 20, 2, 100), ('B', 'X', 30, 4, 300), ('C', 'Y', 10, 6, 200), ('D', 'Y', 40, 3, 400);

SELECT pg_temp.r(gini(beds_per_1000, pop)) AS gini, pg_temp.r(theil_t(beds_per_1000, pop)) AS theil_t,
       pg_temp.r(theil_l(beds_per_1000, pop)) AS theil_l
  FROM county;
SELECT abs(gini(beds_per_1000, pop) - 29.0 / 170) < 1e-12 AS gini_ok,
       abs(theil_t(beds_per_1000, pop) - 0.050990019409181783) < 1e-12 AS t_ok,
       abs(theil_l(beds_per_1000, pop) - 0.050636824784110045) < 1e-12 AS l_ok
  FROM county;
-- Lorenz curve: {0,0}, then after A {0.2, 4/34}, D {0.6, 16/34},
-- B {0.9, 28/34}, C {1, 1}.
SELECT lorenz(beds_per_1000, pop) FROM county;
SELECT l[2][2] = 4.0 / 34 AND l[3][1] = 0.6 AND l[3][2] = 16.0 / 34 AND l[4][2] = 28.0 / 34 AS lorenz_exact
  FROM (SELECT lorenz(beds_per_1000, pop) AS l FROM county) s;
-- Decomposition by city, default index L and explicit T (lower case too).
SELECT pg_temp.r(total) AS total, pg_temp.r(between) AS between, pg_temp.r(within) AS within
  FROM (SELECT (theil_decompose(beds_per_1000, pop, city)).* FROM county) d;
SELECT pg_temp.r(total) AS total, pg_temp.r(between) AS between, pg_temp.r(within) AS within
  FROM (SELECT (theil_decompose(beds_per_1000, pop, city, 't')).* FROM county) d;
SELECT abs(d.between - 0.0017311029428270473) < 1e-12 AS between_ok,
       abs(d.within - 0.049258916466354732) < 1e-12 AS within_ok,
       abs(d.total - (d.between + d.within)) < 1e-12 AS sums,
       abs(d.total - (SELECT theil_t(beds_per_1000, pop) FROM county)) < 1e-15 AS equals_theil_t
  FROM (SELECT (theil_decompose(beds_per_1000, pop, city, 'T')).* FROM county) d;
SELECT abs(d.between - 0.0017331039882431051) < 1e-12 AS between_ok,
       abs(d.within - 0.048903720795867037) < 1e-12 AS within_ok,
       abs(d.total - (d.between + d.within)) < 1e-12 AS sums,
       abs(d.total - (SELECT theil_l(beds_per_1000, pop) FROM county)) < 1e-15 AS equals_theil_l
  FROM (SELECT (theil_decompose(beds_per_1000, pop, city, 'L')).* FROM county) d;
-- One group: between = 0, within = total.  One county per group: within = 0.
SELECT pg_temp.r(total) AS total, pg_temp.r(between) AS between, pg_temp.r(within) AS within
  FROM (SELECT (theil_decompose(beds_per_1000, pop, 'all')).* FROM county) d;
SELECT pg_temp.r(total) AS total, pg_temp.r(between) AS between, pg_temp.r(within) AS within
  FROM (SELECT (theil_decompose(beds_per_1000, pop, name, 'T')).* FROM county) d;

-- The same Gini and Theil in plain SQL (window functions), an independent
-- formulation of the definitions.
SELECT abs((SELECT gini(beds_per_1000, pop) FROM county) -
           (SELECT 1 - sum(p * (v + v_prev)) FROM
              (SELECT pop / sum(pop) OVER () AS p,
                      sum(pop * beds_per_1000) OVER (ORDER BY beds_per_1000) / sum(pop * beds_per_1000) OVER () AS v,
                      coalesce(sum(pop * beds_per_1000) OVER (ORDER BY beds_per_1000 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0)
                        / sum(pop * beds_per_1000) OVER () AS v_prev
                 FROM county) s)) < 1e-15 AS gini_plain_sql,
       abs((SELECT theil_t(beds_per_1000, pop) FROM county) -
           (SELECT sum(s * ln(s / p)) FROM
              (SELECT pop / sum(pop) OVER () AS p, pop * beds_per_1000 / sum(pop * beds_per_1000) OVER () AS s
                 FROM county) x)) < 1e-15 AS theil_t_plain_sql,
       abs((SELECT theil_l(beds_per_1000, pop) FROM county) -
           (SELECT sum(p * ln(p / s)) FROM
              (SELECT pop / sum(pop) OVER () AS p, pop * beds_per_1000 / sum(pop * beds_per_1000) OVER () AS s
                 FROM county) x)) < 1e-15 AS theil_l_plain_sql;

-- Health resource agglomeration degree (HRAD), population agglomeration
-- degree (PAD) and density index (HRDI), per county next to the totals.
-- Beds = pop * 10 000 * y / 1000 = pop * y * 10: A 400, B 1200, C 600, D 1200
-- (total 3400); area total 1000 km2; population total 100 (10 000s).
--   A: HRAD = (400/3400)/(100/1000) = 1.176470588235, PAD = 0.2/0.1 = 2,
--      HRDI = sqrt(2 beds per 1000 * 4 beds per km2) = sqrt(8) = 2.828427124746
--   B: HRAD = (1200/3400)/0.3 = 1.176470588235, PAD = 1, HRDI = sqrt(4*4) = 4
--   C: HRAD = (600/3400)/0.2 = 0.882352941176, PAD = 0.5, HRDI = sqrt(6*3) = 4.242640687119
--   D: HRAD = (1200/3400)/0.4 = 0.882352941176, PAD = 1, HRDI = sqrt(3*3) = 3
SELECT name,
       pg_temp.r(agglomeration_degree(pop * beds_per_1000 * 10, sum(pop * beds_per_1000 * 10) OVER (), area, sum(area) OVER ())) AS hrad,
       pg_temp.r(agglomeration_degree(pop, sum(pop) OVER (), area, sum(area) OVER ())) AS pad,
       pg_temp.r(hr_density_index(pop * beds_per_1000 * 10, pop * 10000, area)) AS hrdi
  FROM county ORDER BY name;
-- 500 beds, 250 000 residents, 1000 km2: 2 per 1000 and 0.5 per km2 -> 1.
-- 1200 beds, 300 000 residents, 1500 km2: 4 * 0.8 = 3.2 -> 1.788854382000.
SELECT hr_density_index(500, 250000, 1000) AS hrdi_1, pg_temp.r(hr_density_index(1200, 300000, 1500)) AS hrdi_2,
       hr_density_index(0, 10, 10) AS no_beds;
-- Zero denominators give NULL.
SELECT hr_density_index(5, 0, 10) IS NULL AS no_pop, hr_density_index(5, 10, 0) IS NULL AS no_area,
       agglomeration_degree(1, 0, 1, 2) IS NULL AS no_part_total,
       agglomeration_degree(1, 2, 0, 2) IS NULL AS no_area_,
       agglomeration_degree(1, 2, 1, 0) IS NULL AS no_area_total,
       agglomeration_degree(0, 2, 1, 2) AS nothing_here;

-------------------------------------------------------------------------------
-- Layouts
-------------------------------------------------------------------------------
-- Ties.  Unweighted values {1,1,2,2,2,5}: mean 13/6; sum over ordered pairs
-- |y_i - y_j| = 2*(2*3*1 + 2*1*4 + 3*1*3) = 46; G = 46/(2*36*13/6) = 46/156
-- = 0.294871794872.  The same population as (1, w 2), (2, w 3), (5, w 1),
-- and the ties split into unequal weights in any order, give the same G.
CREATE TEMP TABLE ties (id int, y float8, w float8);
INSERT INTO ties VALUES (1, 2, 1), (2, 1, 1), (3, 5, 1), (4, 2, 1), (5, 1, 1), (6, 2, 1);
SELECT pg_temp.r(gini(y)) AS unweighted, pg_temp.r(gini(y, w)) AS weight_1,
       abs(gini(y) - 46.0 / 156) < 1e-15 AS ok
  FROM ties;
SELECT pg_temp.r(gini(y, w)) AS collapsed FROM (VALUES (1.0::float8, 2.0::float8), (2, 3), (5, 1)) v(y, w);
SELECT pg_temp.r(gini(y, w)) AS split_a FROM (VALUES (2::float8, 0.5::float8), (5, 1), (1, 1.5), (2, 2.5), (1, 0.5)) v(y, w);
SELECT pg_temp.r(gini(y, w)) AS split_b FROM (VALUES (1::float8, 0.5::float8), (2, 2.5), (1, 1.5), (5, 1), (2, 0.5)) v(y, w);
-- Every order of the six tied rows gives bit-identical results: the rows are
-- sorted by (value, weight) before summing.
SELECT count(DISTINCT g) AS distinct_results, count(*) AS orders
  FROM (SELECT k, gini(y ORDER BY (id * k) % 7) AS g FROM ties, generate_series(1, 6) k GROUP BY k) s;
SELECT count(DISTINCT g::text) AS distinct_results
  FROM (SELECT k, gini(y, w) AS g
          FROM (VALUES (0.1::float8, 0.3::float8), (0.1, 0.7), (0.1, 0.2), (0.3, 1), (0.3, 0.1), (0.7, 0.6)) v(y, w),
               generate_series(1, 12) k
         GROUP BY k) s;
-- Lorenz merges the tied rows into one point each: {0,0}, after the value 1
-- (population 2 of 6, resource 2 of 13) {1/3, 2/13}, after 2 {5/6, 8/13},
-- {1, 1}.
SELECT lorenz(y, w) FROM ties;
SELECT l[2][1] = 2.0 / 6 AND l[2][2] = 2.0 / 13 AND l[3][1] = 5.0 / 6 AND l[3][2] = 8.0 / 13 AS lorenz_ties
  FROM (SELECT lorenz(y, w) AS l FROM ties) s;

-- A single row: perfect equality.
SELECT gini(7) AS gini1, gini(7, 3) AS gini2, theil_t(7, 3) AS t, theil_l(7, 3) AS l, lorenz(7, 3) AS curve;
-- Equal values: zero inequality whatever the weights.
SELECT gini(y, w) AS g, theil_t(y, w) AS t, theil_l(y, w) AS l
  FROM (VALUES (4.5::float8, 1::float8), (4.5, 1000), (4.5, 0.25)) v(y, w);
-- One of four equal populations holds everything: G = 1 - 1/4 = 0.75,
-- T = ln 4 = 1.386294361120 (0 ln 0 = 0 for the three empty ones); L is
-- infinite and therefore NULL.
SELECT gini(y) AS g, pg_temp.r(theil_t(y, 1)) AS t, abs(theil_t(y, 1) - ln(4)) < 1e-15 AS t_is_ln4,
       theil_l(y, 1) IS NULL AS l_null
  FROM (VALUES (0::float8), (0), (0), (10)) v(y);
-- Values 0 and 1, equal weights: G = 1/2, T = ln 2 = 0.693147180560.
SELECT gini(y, 5) AS g, pg_temp.r(theil_t(y, 5)) AS t, lorenz(y, 5) AS curve
  FROM (VALUES (0::float8), (1)) v(y);
-- Huge weights do not overflow: values 1 and 2 with equal weights,
-- V = 1/3, 1; G = 1 - 0.5 (1/3) - 0.5 (4/3) = 1/6 = 0.166666666667;
-- T = (1/3) ln(1/1.5) + (2/3) ln(2/1.5) = 0.056633012265.
SELECT pg_temp.r(gini(y, 1e200)) AS g, abs(gini(y, 1e200) - 1.0 / 6) < 1e-15 AS g_ok,
       pg_temp.r(theil_t(y, 1e200)) AS t, abs(theil_t(y, 1e200) - theil_t(y, 1)) < 1e-15 AS t_ok,
       abs(theil_l(y, 1e200) - theil_l(y, 1)) < 1e-15 AS l_ok
  FROM (VALUES (1::float8), (2)) v(y);
-- Decomposition with a zero value: T decomposes; for L the total and within
-- parts are infinite (NULL) while between stays defined as long as every
-- group has some resource.  Groups: g1 = {(0, 1), (2, 1)}, g2 = {(2, 2)}:
-- W 4, Y 6, mu 1.5; T total = (2 ln(2/1.5) + 4 ln(2/1.5))/6 = ln(4/3)
-- = 0.287682072452; T within = (2/6) T_g1 = (2/6) ln 2 = 0.231049060187
-- (T_g1 = 1 * ln(2/1) = ln 2, the zero row adding 0 ln 0 = 0);
-- T between = (2/6) ln(1/1.5) + (4/6) ln(2/1.5) = -0.135155036036
-- + 0.191788048301 = 0.056633012265 = total - within
-- (numpy: 0.28768207245178085, 0.056633012265132426, 0.23104906018664842).
-- L between = 0.5 ln(1.5/1) + 0.5 ln(1.5/2) = 0.058891517828.
SELECT pg_temp.r(total) AS total, pg_temp.r(between) AS between, pg_temp.r(within) AS within,
       abs(total - ln(4.0 / 3)) < 1e-15 AS total_ok
  FROM (SELECT (theil_decompose(y, w, g, 'T')).* FROM (VALUES (0::float8, 1::float8, 'g1'), (2, 1, 'g1'), (2, 2, 'g2')) v(y, w, g)) d;
SELECT total, pg_temp.r(between) AS between, within
  FROM (SELECT (theil_decompose(y, w, g, 'L')).* FROM (VALUES (0::float8, 1::float8, 'g1'), (2, 1, 'g1'), (2, 2, 'g2')) v(y, w, g)) d;
-- A group without any resource: L between is infinite too.
SELECT total, between, within
  FROM (SELECT (theil_decompose(y, w, g)).* FROM (VALUES (0::float8, 1::float8, 'g1'), (2, 1, 'g2')) v(y, w, g)) d;

-- Unweighted Gini over individual rows equals the mean absolute difference
-- over all ordered pairs divided by twice the mean (n^2 normalisation),
-- computed here by a plain-SQL self-join; and equals the weighted Gini over
-- the distinct values with their counts as weights.
CREATE TEMP TABLE people AS SELECT i, ((i * 7919) % 1000)::float8 / 10 AS y FROM generate_series(1, 600) i;
SELECT abs((SELECT gini(y) FROM people) -
           (SELECT sum(abs(a.y - b.y)) / (2 * count(*) * avg(a.y)) FROM people a, people b)) < 1e-12 AS gini_is_mean_difference,
       abs((SELECT gini(y) FROM people) -
           (SELECT gini(y, n) FROM (SELECT y, count(*)::float8 AS n FROM people GROUP BY y) g)) < 1e-14 AS counts_as_weights;

-- Many groups in one hashed aggregation keep their states apart: 300 groups
-- of 20 rows, each Gini against the plain-SQL formula over the group.
CREATE TEMP TABLE many AS
SELECT i % 300 AS g, ((i * 7919) % 101)::float8 AS y, (1 + i % 13)::float8 AS w FROM generate_series(1, 6000) i;
SET enable_sort = off;
EXPLAIN (COSTS OFF) SELECT g, gini(y, w), theil_t(y, w) FROM many GROUP BY g;
SELECT count(*) AS groups, bool_and(abs(a.gini - b.gini) < 1e-14) AS gini_same,
       bool_and(abs(a.t - b.t) < 1e-14) AS theil_same
  FROM (SELECT g, gini(y, w) AS gini, theil_t(y, w) AS t FROM many GROUP BY g) a
  JOIN (SELECT g, 1 - sum(w / tw * (v + v_prev)) AS gini, sum(s * ln(nullif(s, 0) / p)) AS t
          FROM (SELECT g, w, sum(w) OVER (PARTITION BY g) AS tw,
                       w / sum(w) OVER (PARTITION BY g) AS p,
                       y * w / sum(y * w) OVER (PARTITION BY g) AS s,
                       sum(y * w) OVER o / sum(y * w) OVER (PARTITION BY g) AS v,
                       (sum(y * w) OVER o - y * w) / sum(y * w) OVER (PARTITION BY g) AS v_prev
                  FROM many WINDOW o AS (PARTITION BY g ORDER BY y, w ROWS UNBOUNDED PRECEDING)) x
         GROUP BY g) b USING (g);
RESET enable_sort;

-- NULL inputs are skipped; rows of weight 0 count for nothing; an empty or
-- all-NULL group, no population (all weights 0) or no resource (all values
-- 0) give NULL.
SELECT pg_temp.r(gini(y, w)) AS g, pg_temp.r(theil_t(y, w)) AS t, lorenz(y, w) AS curve
  FROM (VALUES (2::float8, 20::float8), (NULL, 5), (4, NULL), (4, 30), (100, 0), (6, 10), (3, 40)) v(y, w);
SELECT gini(y, w) IS NULL AS g, gini(y) IS NULL AS g1, lorenz(y, w) IS NULL AS lz, theil_t(y, w) IS NULL AS t,
       theil_l(y, w) IS NULL AS l, theil_decompose(y, w, 'x') IS NULL AS d
  FROM (VALUES (1::float8, 1::float8)) v(y, w) WHERE false;
SELECT gini(y, w) IS NULL AS g, gini(y) IS NULL AS g1, lorenz(y, w) IS NULL AS lz, theil_t(y, w) IS NULL AS t,
       theil_l(y, w) IS NULL AS l, theil_decompose(y, w, 'x') IS NULL AS d
  FROM (VALUES (NULL::float8, NULL::float8), (NULL, NULL)) v(y, w);
SELECT gini(y, w) IS NULL AS no_population, theil_t(y, w) IS NULL AS t, lorenz(y, w) IS NULL AS lz,
       theil_decompose(y, w, 'x') IS NULL AS d
  FROM (VALUES (1::float8, 0::float8), (2, 0)) v(y, w);
SELECT gini(y, w) IS NULL AS no_resource, gini(y) IS NULL AS g1, theil_t(y, w) IS NULL AS t,
       theil_l(y, w) IS NULL AS l, lorenz(y, w) IS NULL AS lz, (theil_decompose(y, w, 'x', 'T')).total IS NULL AS d
  FROM (VALUES (0::float8, 3::float8), (0, 5)) v(y, w);
-- Rows with a NULL group are skipped by theil_decompose: (1, 1) and (3, 1)
-- remain, mu = 2, T = 0.25 ln 0.5 + 0.75 ln 1.5 = 0.130812035941.
SELECT pg_temp.r(total) AS total FROM (SELECT (theil_decompose(y, w, g, 'T')).* FROM (VALUES (1::float8, 1::float8, 'a'), (3, 1, 'b'), (100, 1, NULL)) v(y, w, g)) d;

-- gini and lorenz share one state in one query; used as window aggregates
-- the final function may run many times on a growing state.
SELECT pg_temp.r(gini(beds_per_1000, pop)) AS g, lorenz(beds_per_1000, pop) AS curve FROM county;
SELECT name, pg_temp.r(gini(beds_per_1000, pop) OVER w) AS running_gini, pg_temp.r(theil_t(beds_per_1000, pop) OVER w) AS running_t
  FROM county WINDOW w AS (ORDER BY name) ORDER BY name;
-- Running Gini after B: A (2, 20), B (4, 30): V = 40/160, 1;
-- G = 1 - (0.4*0.25 + 0.6*1.25) = 0.15.  After C as well: A(2,20) B(4,30) C(6,10):
-- W 60, Y 220, V = 40/220, 160/220, 1; G = 1 - (20*40 + 30*200 + 10*380)/(60*220) = 0.196969696970.
-- Running T after B: mu 3.2, T = 0.25 ln(2/3.2) + 0.75 ln(4/3.2) = 0.049856756174;
-- after C: mu 11/3, T = (40 ln(6/11) + 120 ln(12/11) + 60 ln(18/11))/220 = 0.071566010008
-- (numpy: 0.049856756174223416, 0.07156601000822996).

-------------------------------------------------------------------------------
-- Bad input
-------------------------------------------------------------------------------
SELECT gini(y, w) FROM (VALUES (1::float8, 1::float8), (-2, 1)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT gini(y, w) FROM (VALUES (1::float8, -0.5::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT gini(y) FROM (VALUES ('NaN'::float8)) v(y);
\echo :LAST_ERROR_SQLSTATE
SELECT gini(y, w) FROM (VALUES (1::float8, 'Infinity'::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT lorenz(y, w) FROM (VALUES ('-Infinity'::float8, 1::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT gini(y, w) FROM (VALUES (1e300::float8, 1e300::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_t(y, w) FROM (VALUES (-1::float8, 1::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_l(y, w) FROM (VALUES (1::float8, 'NaN'::float8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_t(y, w) FROM (VALUES (1e300::float8, 1e8::float8), (1e300, 1e8)) v(y, w);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_decompose(y, w, g) FROM (VALUES (1::float8, -1::float8, 'a')) v(y, w, g);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_decompose(1, 1, 'a', 'X');
\echo :LAST_ERROR_SQLSTATE
SELECT theil_decompose(1, 1, 'a', 'theil');
\echo :LAST_ERROR_SQLSTATE
SELECT theil_decompose(1, 1, 'a', NULL);
\echo :LAST_ERROR_SQLSTATE
SELECT theil_decompose(y, 1, 'a', i) FROM (VALUES (1::float8, 'T'), (2, 'L')) v(y, i);
\echo :LAST_ERROR_SQLSTATE
SELECT hr_density_index(-1, 10, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT hr_density_index(1, 'NaN', 10);
\echo :LAST_ERROR_SQLSTATE
SELECT hr_density_index(1, 10, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT hr_density_index(1e300, 1e-300, 1e-10);
\echo :LAST_ERROR_SQLSTATE
SELECT agglomeration_degree(-1, 10, 1, 10);
\echo :LAST_ERROR_SQLSTATE
SELECT agglomeration_degree(1, 10, 'NaN', 10);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_theil_t_final('{1,2,3}');
\echo :LAST_ERROR_SQLSTATE
SELECT hs_theil_t_final('{1,NULL,0,0,0,0,0,0,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT hs_theil_l_final('{1,-5,0,1,0,0,0,0,0,0}');
\echo :LAST_ERROR_SQLSTATE
SELECT hs_theil_accum('{{1,2},{3,4}}', 1, 1);
\echo :LAST_ERROR_SQLSTATE
-- The transition and final functions called directly work on a copy.
SELECT hs_theil_accum('{0,0,0,0,0,0,0,0,0,0}', 1, 2) AS one_row;
SELECT hs_theil_t_final(hs_theil_accum(hs_theil_accum('{0,0,0,0,0,0,0,0,0,0}', 0, 1), 1, 1)) = ln(2) AS t_ln2;
