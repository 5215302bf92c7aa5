-- Comparing rates (docs/rates.md, "Comparing rates").  Expected values were
-- computed independently in Python (double precision, math.erfc, and exact
-- binomial sums in fractions.Fraction for the funnel limits); they are
-- compared to 1e-9.
SET search_path = public, health_share;
CREATE FUNCTION pg_temp.near(a float8, b float8) RETURNS boolean LANGUAGE sql RETURN abs(a - b) < 1e-9;

-- Newcombe (1998), Table II, method 10 (hybrid score, no continuity
-- correction): the six examples (a)-(f) with his published bounds to 4
-- decimals (Python: Wilson bounds of each rate, then d -+ sqrt(...)).
SELECT x.a, x.b, round(d.diff::numeric, 4) AS diff, round(d.lower::numeric, 4) AS lower, round(d.upper::numeric, 4) AS upper,
	   (round(d.lower::numeric, 4), round(d.upper::numeric, 4)) = (x.lo, x.hi) AS as_published
  FROM (VALUES ('56/70'::hs_rate, '48/80'::hs_rate, 0.0524, 0.3339),
			   ('9/10', '3/10', 0.1705, 0.8090),
			   ('6/7', '2/7', 0.0582, 0.8062),
			   ('5/56', '0/29', -0.0381, 0.1926),
			   ('0/10', '0/20', -0.1611, 0.2775),
			   ('10/10', '0/20', 0.6791, 1.0000)) AS x(a, b, lo, hi),
	   rate_diff_ci(x.a, x.b) AS d;
-- 99 %: wider; an empty rate gives NULLs; the level is checked.
SELECT (rate_diff_ci('56/70', '48/80', 0.99)).lower < 0.0524 AS wider,
	   (rate_diff_ci('0/0', '48/80')).diff IS NULL AS empty;
SELECT rate_diff_ci('56/70', '48/80', 1.5);
\echo :LAST_ERROR_SQLSTATE

-- Katz log interval of 56/70 over 48/80: ratio 4/3, se = sqrt(1/56 - 1/70
-- + 1/48 - 1/80) = 0.1060, bounds 1.3333 exp(-+1.96 se) = 1.076626422763193,
-- 1.651248511266387.
SELECT pg_temp.near(r.ratio, 4.0 / 3) AS ratio, pg_temp.near(r.lower, 1.076626422763193) AS lower,
	   pg_temp.near(r.upper, 1.651248511266387) AS upper
  FROM rate_ratio_ci('56/70', '48/80') AS r;
-- b = 0: no ratio; a = 0: a ratio of 0 without an interval.
SELECT (rate_ratio_ci('5/56', '0/29')).ratio IS NULL AS no_ratio,
	   r.ratio = 0 AS zero, r.lower IS NULL AND r.upper IS NULL AS no_bounds
  FROM rate_ratio_ci('0/29', '5/56') AS r;

-- Pooled z test of 56/70 against 48/80: p = 104/150, z = 2.6501719512585336,
-- two-sided p = erfc(z / sqrt 2) = 0.008045081368196568.
SELECT pg_temp.near(rate_test('56/70', '48/80'), 0.008045081368196568) AS p_value,
	   rate_test('48/80', '56/70') = rate_test('56/70', '48/80') AS symmetric,
	   rate_test('0/10', '0/20') AS nothing_to_test, rate_test('0/0', '1/2') IS NULL AS empty;

-- Funnel limits, exact binomial with Spiegelhalter's interpolation, checked
-- against exact sums of binomial probabilities (Python fractions):
--   target 0.9, n 100: 95 % 0.8322813883608733 .. 0.9496194044756066,
--                      99.8 % 0.7916432814971143 .. 0.9758211349915652;
--   target 0.9, n 20:  95 % 0.7215323929700755 .. 0.9897184208250376;
--   target 0.9, n 400: 95 % 0.8683703549009903 .. 0.9271888440179101;
--   target 0.5, n 50:  99.8 % 0.27277082766793903 .. 0.707229172332061
--                      (symmetric about 0.5).
SELECT x.target, x.n, x.level, pg_temp.near(f.lower, x.lo) AND pg_temp.near(f.upper, x.hi) AS exact
  FROM (VALUES (0.9, 100, 0.95, 0.8322813883608733, 0.9496194044756066),
			   (0.9, 100, 0.998, 0.7916432814971143, 0.9758211349915652),
			   (0.9, 20, 0.95, 0.7215323929700755, 0.9897184208250376),
			   (0.9, 400, 0.95, 0.8683703549009903, 0.9271888440179101),
			   (0.5, 50, 0.998, 0.27277082766793903, 0.707229172332061)) AS x(target, n, level, lo, hi),
	   funnel_limits(x.target, x.n, x.level) AS f;
-- The limits close in as n grows; at the edges they stay inside [0, 1].
SELECT (SELECT bool_and(f.upper - f.lower < g.upper - g.lower)
		  FROM generate_series(10, 2000, 10) AS n, funnel_limits(0.9, n, 0.95) AS f, funnel_limits(0.9, n - 5, 0.95) AS g) AS narrowing,
	   (funnel_limits(0, 50, 0.95)).lower = 0 AND (funnel_limits(1, 50, 0.95)).upper = 1 AS edges,
	   (funnel_limits(0.9, 10000000, 0.998)).lower BETWEEN 0.899 AND 0.9 AS large_n;
-- Over-dispersion: the normal limits with variance times phi: target 0.9,
-- n 100, phi 2: 0.9 -+ 1.959963984540054 sqrt(2 * 0.09 / 100) =
-- 0.8168457705390193 .. 0.9831542294609807.
SELECT pg_temp.near(f.lower, 0.8168457705390193) AND pg_temp.near(f.upper, 0.9831542294609807) AS overdispersed
  FROM funnel_limits(0.9, 100, 0.95, 2) AS f;
-- funnel_phi of ten units of 100 around 0.9: z = (x - 90) / 3 for x = 80, 85,
-- 88, 90, 91, 92, 95, 97, 99, 70; Winsorized at the 10th percentile
-- -6.667 + 0.9 (-3.333 + 6.667) = -3.6667 and the 90th 2.333 + 0.1 (3 - 2.333)
-- = 2.4; the mean of the squares is 42.3156 / 10 = 4.231556.
SELECT round(funnel_phi(x, 100, 0.9)::numeric, 6) AS phi
  FROM unnest(ARRAY[80, 85, 88, 90, 91, 92, 95, 97, 99, 70]) AS x;
-- Parallel: the same from partial aggregates (combine) as in one pass.
-- (a plain table: parallel workers do not read temporary ones)
CREATE TABLE compare_units AS SELECT i AS id, (900 + (i % 13) * 7 - 40)::bigint AS x, 1000::bigint AS n
  FROM generate_series(1, 20000) AS i;
SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;
ANALYZE compare_units;
EXPLAIN (COSTS OFF) SELECT funnel_phi(x, n, 0.9) FROM compare_units;
SELECT round(funnel_phi(x, n, 0.9)::numeric, 9) AS parallel FROM compare_units;
RESET max_parallel_workers_per_gather;
SELECT round(funnel_phi(x, n, 0.9)::numeric, 9) AS serial FROM compare_units;
DROP TABLE compare_units;
SELECT funnel_phi(x, 100, 0.9) IS NULL AS one_unit FROM (VALUES (80::bigint)) AS v(x);
-- Bad input.
SELECT funnel_limits(1.2, 100, 0.95);
\echo :LAST_ERROR_SQLSTATE
SELECT funnel_limits(0.9, 0, 0.95);
\echo :LAST_ERROR_SQLSTATE
SELECT funnel_limits(0.9, 100, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT funnel_limits(0.9, 100, 0.95, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT funnel_limits(0.9, 100, 0.95, 'infinity');
\echo :LAST_ERROR_SQLSTATE
