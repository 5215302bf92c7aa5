-- adcode: parsing, normalisation, hierarchy, operators, casts, binary I/O.
SET search_path = health_share, public;

-- Levels by length and trailing zero groups:
-- 33 = Zhejiang, 3305 = Huzhou, 330521 = Deqing county,
-- 330521100 = a township of Deqing, 330521100001 = a village of it.
SELECT c::adcode AS code, adcode_level(c::adcode) AS level
  FROM (VALUES ('330000'), ('330500'), ('330521'), ('330521100'), ('330521100001')) v(c);

-- 12-digit (and 9-digit) forms with trailing zero groups normalise to the
-- shortest level.
SELECT '330521000000'::adcode, '330521100000'::adcode, '330500000000'::adcode,
       '330521000'::adcode, ' 330521 '::adcode;
SELECT '330521000000'::adcode = '330521'::adcode AS same_county;

-- Hierarchy.  Parent of a village is its township, of a township its county,
-- of a county its city, of a city its province, of a province nothing.
SELECT adcode_parent('330521100001'), adcode_parent('330521100'),
       adcode_parent('330521'), adcode_parent('330500'), adcode_parent('330000') IS NULL AS province_has_no_parent;
SELECT adcode_province('330521100001'), adcode_city('330521100001'), adcode_county('330521100001');
-- Above the requested level: NULL.
SELECT adcode_city('330000') IS NULL AS a, adcode_county('330500') IS NULL AS b,
       adcode_county('330000') IS NULL AS c, adcode_province('330000') AS d;
-- Dongguan (441900) has no counties: its townships hang directly under the
-- city, which then stands for the county.
SELECT adcode_parent('441900003'), adcode_county('441900003'), adcode_city('441900003'),
       adcode_level(adcode_county('441900003'));
-- Province-administered county-level units (省直辖县级行政区划, city part 90).
SELECT adcode_city('429004'), adcode_province('429004'), adcode_level('429004');

-- Containment includes equality.
SELECT '330000'::adcode @> '330521100001' AS p_v, '330500'::adcode @> '330521' AS c_c,
       '330521'::adcode @> '330521' AS self, '330521'::adcode @> '330522100' AS other,
       '330521100'::adcode @> '330521' AS child_contains_parent,
       '330521100001'::adcode <@ '330521' AS v_in_c, '330521'::adcode <@ '330521100' AS c_in_t,
       '441900'::adcode @> '441900003' AS dongguan;

-- Hierarchical btree order: as if padded to 12 digits.
SELECT c FROM unnest('{330522,330521100001,330521,330521100,330500,330000,110101,330521101}'::adcode[]) c ORDER BY c;
SELECT '330521'::adcode < '330521100' AND '330521100'::adcode < '330521100001'
       AND '330521100001'::adcode < '330522' AS ordered;

-- Casts: int8 is the code's own digits.
SELECT 330521::bigint::adcode, 330521100::bigint::adcode, 330521100001::bigint::adcode,
       330521000000::bigint::adcode AS normalised;
SELECT '330521'::adcode::bigint, '330521100'::adcode::bigint, '330521100001'::adcode::bigint;
SELECT '330521'::adcode::text, '330521100'::text::adcode;

-- Primary key, join, group by, hash and merge joins.
CREATE TEMP TABLE t_code (c adcode PRIMARY KEY, n int);
INSERT INTO t_code VALUES ('330521', 1), ('330522', 2), ('330521100', 3), ('330523000000', 4);
INSERT INTO t_code VALUES ('330521000000', 5);   -- same key as 330521: rejected
\echo :LAST_ERROR_SQLSTATE
SELECT adcode_county(c) AS county, sum(n) FROM t_code GROUP BY 1 ORDER BY 1;
SET enable_mergejoin = off; SET enable_nestloop = off;
SELECT a.c, b.n FROM t_code a JOIN t_code b ON a.c = b.c ORDER BY a.c;   -- hash join
RESET enable_mergejoin; SET enable_hashjoin = off;
SELECT a.c, b.n FROM t_code a JOIN t_code b ON a.c = b.c ORDER BY a.c;   -- merge join
RESET enable_hashjoin; RESET enable_nestloop;
SET enable_seqscan = off;
EXPLAIN (COSTS OFF) SELECT * FROM t_code WHERE c = '330522';
SELECT * FROM t_code WHERE c = '330522';
RESET enable_seqscan;

-- Binary send/recv round trip (the wire form is the own digits as int8).
SELECT adcode_send('330521100') = int8send(330521100) AS send_is_digits;
SELECT current_setting('data_directory') || '/health_share_adcode' AS f \gset
CREATE TEMP TABLE t_bin AS SELECT c FROM t_code;
COPY t_bin TO :'f' WITH (FORMAT binary);
CREATE TEMP TABLE t_bin2 (c adcode);
COPY t_bin2 FROM :'f' WITH (FORMAT binary);
SELECT count(*) AS same FROM t_bin JOIN t_bin2 USING (c);

-- Bad input: each error names the value; its SQLSTATE is echoed after it.
-- The DETAIL of a syntax error says what a code looks like.
SELECT '33052'::adcode;  -- 5 digits
\echo :LAST_ERROR_SQLSTATE
SELECT '990521'::adcode;  -- province 99 does not exist
\echo :LAST_ERROR_SQLSTATE
SELECT '33052a'::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT ''::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '3305211000011'::adcode;  -- 13 digits
\echo :LAST_ERROR_SQLSTATE
SELECT '-330521'::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '160521'::adcode;  -- province 16 does not exist
\echo :LAST_ERROR_SQLSTATE
SELECT '012345'::adcode;  -- province 01 does not exist
\echo :LAST_ERROR_SQLSTATE
SELECT '330021'::adcode;  -- city part 00 with a county part
\echo :LAST_ERROR_SQLSTATE
SELECT '330521000001'::adcode;  -- village without township
\echo :LAST_ERROR_SQLSTATE
SELECT 33052::bigint::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT (-330521)::bigint::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT 3305211000011::bigint::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT 990521::bigint::adcode;
\echo :LAST_ERROR_SQLSTATE
-- A syntax error names a character that cannot stand in a code: full-width digits
-- (as Chinese input methods type them), other non-ASCII, ASCII letters.
SELECT '３３０５２１'::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '33052１'::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '33052x'::adcode;
\echo :LAST_ERROR_SQLSTATE
SELECT '330 521'::adcode;
\echo :LAST_ERROR_SQLSTATE
-- Binary input is validated too: 42 is no division code.
CREATE TEMP TABLE t_i8 (c bigint);
INSERT INTO t_i8 VALUES (42);
COPY t_i8 TO :'f' WITH (FORMAT binary);
COPY t_bin2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- A truncated message: 4 bytes where 8 are needed.
CREATE TEMP TABLE t_i4 (c int4);
INSERT INTO t_i4 VALUES (330521);
COPY t_i4 TO :'f' WITH (FORMAT binary);
COPY t_bin2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE

-- min / max follow the hierarchical order.
SELECT min(c), max(c) FROM t_code;
