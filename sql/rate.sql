-- hs_rate: text form, arithmetic, aggregates, confidence intervals,
-- small-cell suppression, overflow and bad input.
SET search_path = health_share, public;

SELECT '412/450'::hs_rate, ' 3 / 7 '::hs_rate, '0/0'::hs_rate, hs_rate(5, 8);
SELECT rate_num('412/450'), rate_den('412/450'), rate_value('412/450'), rate_value('1/4');
SELECT rate_value('0/0') IS NULL AS zero_den_is_null;
-- + adds numerators and denominators; = compares counts, not proportions.
SELECT '1/2'::hs_rate + '3/4'::hs_rate AS sum, '1/2'::hs_rate = '2/4' AS eq, '1/2'::hs_rate = '1/2' AS same,
       '1/2'::hs_rate <> '2/4' AS ne;

-- Aggregates skip NULLs; an empty or all-NULL group gives NULL.
CREATE TEMP TABLE t_r (g int, ok boolean, num bigint, den bigint);
INSERT INTO t_r VALUES
  (1, true, 3, 10), (1, true, 0, 5), (1, false, NULL, 7), (1, NULL, 5, 5),
  (2, NULL, NULL, NULL), (3, false, 2, NULL);
-- g=1: ok has 2 true of 3 non-null -> 2/3; num/den rows with both known:
-- (3,10) (0,5) (5,5) -> 8/20.  g=2: nothing known -> NULL, NULL.
-- g=3: one false -> 0/1; no complete num/den pair -> NULL.
SELECT g, rate(ok), rate(num, den) FROM t_r GROUP BY g ORDER BY g;
SELECT rate(ok) IS NULL AS empty_is_null, rate(num, den) IS NULL AS empty2 FROM t_r WHERE false;
-- All rows: ok is true,true,false,false -> 2/4; num/den pairs (3,10) (0,5) (5,5) -> 8/20.
SELECT rate(ok), rate(num, den) FROM t_r;

-- sum(hs_rate) merges stored rates.
SELECT sum(r) FROM (VALUES ('1/2'::hs_rate), ('3/4'), (NULL), ('0/0')) v(r);
SELECT sum(r) IS NULL AS empty_sum FROM (VALUES ('1/2'::hs_rate)) v(r) WHERE false;

-- Confidence intervals against reference values from SciPy 1.10
-- (scipy.stats.beta.ppf for Clopper-Pearson; norm.ppf and the Wilson formula
-- for Wilson).  Closed forms check two of them by hand: for 0/10 the exact
-- upper bound is 1 - 0.025^(1/10) = 0.308497..., for 10/10 the lower bound
-- is 0.025^(1/10) = 0.691503....
CREATE TEMP TABLE t_ci (r hs_rate, lvl float8, m text, lo float8, hi float8);
INSERT INTO t_ci VALUES
  ('412/450', 0.95, 'wilson', 0.88621609930468259, 0.9378602223514263),
  ('412/450', 0.95, 'exact', 0.88593529865187004, 0.93955023413331951),
  ('0/10', 0.95, 'wilson', 0, 0.2775327998628892),
  ('0/10', 0.95, 'exact', 0, 0.30849710781876077),
  ('10/10', 0.95, 'wilson', 0.72246720013711074, 0.99999999999999989),
  ('10/10', 0.95, 'exact', 0.69150289218123917, 1),
  ('5/20', 0.9, 'wilson', 0.12737716852035769, 0.43220175016012458),
  ('5/20', 0.9, 'exact', 0.10408083591013607, 0.45558240400174888),
  ('1/1000000', 0.95, 'wilson', 1.7652457674537218e-07, 5.6649118043114428e-06),
  ('1/1000000', 0.95, 'exact', 2.5317807663794201e-08, 5.5716306551669393e-06),
  ('999999/1000000', 0.95, 'wilson', 0.99999433508819568, 0.99999982347542327),
  ('999999/1000000', 0.95, 'exact', 0.99999442836934482, 0.99999997468219237),
  ('123456789/987654321', 0.99, 'wilson', 0.12497289486874665, 0.12502710789150301),
  ('123456789/987654321', 0.99, 'exact', 0.12497289364944872, 0.12502710768456179),
  ('3/7', 0.5, 'wilson', 0.31060347774975144, 0.55525721599154509),
  ('3/7', 0.5, 'exact', 0.25307397577397683, 0.62115155935829258),
  ('1/2', 0.999999, 'wilson', 0.019671026391778534, 0.98032897360822147),
  ('1/2', 0.999999, 'exact', 2.5000003125719673e-07, 0.99999974999996877),
  ('50/100', 0.01, 'wilson', 0.49937332701680992, 0.50062667298319008),
  ('50/100', 0.01, 'exact', 0.49439162717125584, 0.50560837282874416);
-- Each bound within 1e-9 of the reference, relative to its distance from 0 or 1.
SELECT r, lvl, m,
       abs(c.lower - lo) <= 1e-9 * least(lo, 1 - lo) + 1e-15 AS lower_ok,
       abs(c.upper - hi) <= 1e-9 * least(hi, 1 - hi) + 1e-15 AS upper_ok
  FROM t_ci, LATERAL rate_ci(r, lvl, m) c ORDER BY m, rate_den(r), rate_num(r), lvl;
-- Bounds at 0/n and n/n are exactly 0 and 1; defaults are 0.95 and wilson.
-- By hand: Wilson's upper bound at 0/n is z^2/(n+z^2) = 3.8415/28.8415 =
-- 0.133192 for n = 25; the exact lower bound at n/n is 0.025^(1/25) = 0.862815.
SELECT * FROM rate_ci('0/25');
SELECT * FROM rate_ci('25/25', method => 'exact');
SELECT (rate_ci('412/450')).lower = (rate_ci('412/450', 0.95, 'wilson')).lower AS defaults;
-- Method names are case-insensitive; clopper-pearson is a synonym of exact.
SELECT rate_ci('5/20', 0.9, 'Clopper-Pearson') = rate_ci('5/20', 0.9, 'EXACT') AS synonym;
-- An empty rate has no interval.
SELECT * FROM rate_ci('0/0');
-- A huge count stays exact and quick: the interval brackets the point value.
SELECT c.lower < 0.5 AND 0.5 < c.upper AND c.upper - c.lower < 1e-5 AS tight
  FROM rate_ci('500000000000/1000000000000', 0.95, 'exact') c;

-- rate_public: NULL when the denominator, the numerator or the complement
-- is a non-zero count below min_cell (default 5).
SELECT r, rate_public(r) AS default_5, rate_public(r, 3) AS min_3, rate_public(r, 0) AS min_0
  FROM (VALUES ('0/0'::hs_rate), ('0/4'), ('0/5'), ('3/10'), ('5/10'), ('7/10'), ('10/10'), ('4/4'), ('412/450')) v(r);
SET health_share.min_cell = 2;
SELECT rate_public('3/10') AS with_setting_2, rate_public('1/10') IS NULL AS one_suppressed;
RESET health_share.min_cell;
SELECT rate_public('3/10') IS NULL AS default_again;

-- Bad input: every error names the value.
SELECT '5/4'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '-1/4'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '1/-4'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '1/'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '/4'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '1/4x'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '1.5/4'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT ''::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT '1/99999999999999999999'::hs_rate;
\echo :LAST_ERROR_SQLSTATE
SELECT hs_rate(5, 4);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_rate(-1, 4);
\echo :LAST_ERROR_SQLSTATE
SELECT rate(n, d) FROM (VALUES (5::bigint, 4::bigint)) v(n, d);
\echo :LAST_ERROR_SQLSTATE
SELECT rate(n, d) FROM (VALUES (-1::bigint, 4::bigint)) v(n, d);
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 1);
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 1.5);
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT rate_ci('1/2', 0.95, 'wald');
\echo :LAST_ERROR_SQLSTATE
SELECT rate_public('1/2', -1);
\echo :LAST_ERROR_SQLSTATE
-- int8 overflow never wraps
SELECT '9223372036854775807/9223372036854775807'::hs_rate + '1/1';
\echo :LAST_ERROR_SQLSTATE
SELECT sum(r) FROM (VALUES ('9223372036854775807/9223372036854775807'::hs_rate), ('0/1')) v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT rate(n, d) FROM (VALUES (0::bigint, 9223372036854775807::bigint), (0, 1)) v(n, d);
\echo :LAST_ERROR_SQLSTATE
SELECT '9223372036854775807/9223372036854775807'::hs_rate AS largest;

-- Binary send/recv round trip, and a corrupt binary value is refused.
SELECT current_setting('data_directory') || '/health_share_rate' AS f \gset
CREATE TEMP TABLE t_rb AS SELECT r FROM (VALUES ('412/450'::hs_rate), ('0/0'), ('9223372036854775807/9223372036854775807')) v(r);
COPY t_rb TO :'f' WITH (FORMAT binary);
CREATE TEMP TABLE t_rb2 (r hs_rate);
COPY t_rb2 FROM :'f' WITH (FORMAT binary);
SELECT r FROM t_rb2;
-- Corrupt binary values: 5/4 (num > den), 8 bytes (truncated), 24 bytes.
CREATE TEMP TABLE t_bytes (b bytea);
INSERT INTO t_bytes VALUES (int8send(5) || int8send(4));
COPY t_bytes TO :'f' WITH (FORMAT binary);
COPY t_rb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
TRUNCATE t_bytes; INSERT INTO t_bytes VALUES (int8send(5));
COPY t_bytes TO :'f' WITH (FORMAT binary);
COPY t_rb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
TRUNCATE t_bytes; INSERT INTO t_bytes VALUES (int8send(1) || int8send(2) || int8send(3));
COPY t_bytes TO :'f' WITH (FORMAT binary);
COPY t_rb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
