-- flowmatrix: text form, aggregates, indicators, rollup, plurality, service
-- areas, Elzinga-Hogarty markets, JSON, referrals, overflow and bad input.
SET search_path = health_share, public;

-- Text form: {origin->dest:n, ...}; input in any order with free white
-- space, output sorted by (origin, dest); zero cells are dropped.
SELECT '{}'::flowmatrix AS empty, ' { 3->1 : 2 ,1->2:5, -7->0:1, 1->1:0 } '::flowmatrix AS sorted;
SELECT '{9223372036854775807->-9223372036854775808:9223372036854775807}'::flowmatrix AS extremes;
-- Round trips: text -> value -> text is canonical and stable.
SELECT f::text::flowmatrix = f AS text_round_trip, f::text
  FROM (SELECT '{2->1:4, 1->2:3, 1->1:9}'::flowmatrix AS f) s;
SELECT flow_total('{}'), flow_size('{}'), flow_total('{1->2:3, 2->1:4}'), flow_size('{1->2:3, 2->1:4}');
SELECT * FROM flow_entries('{2->1:4, 1->2:3, 1->1:9}');
-- = compares cells, + adds them.
SELECT '{1->2:3}'::flowmatrix = '{1->2:3}' AS eq, '{1->2:3}'::flowmatrix = '{1->2:4}' AS ne1,
       '{1->2:3}'::flowmatrix <> '{2->1:3}' AS ne2,
       '{1->2:3, 2->2:1}'::flowmatrix + '{1->2:4, 3->1:1}' AS plus;

-- The worked matrix used below: three counties of 湖州市 (Huzhou),
-- A = 330521 德清县, B = 330502 吴兴区, C = 330522 长兴县.
--              to A   to B   to C   residents
--   from A      60     30     10      100
--   from B       5     80     15      100
--   from C       0     20     30       50
--   served      65    130     55      250
-- li   = retained/residents: A 60/100 = 0.6,  B 80/100 = 0.8,  C 30/50 = 0.6
-- lifo = retained/served:    A 60/65 = 0.923076923076923, B 80/130 = 0.615384615384615,
--                            C 30/55 = 0.545454545454545
-- npf  = served/residents:   A 65/100 = 0.65, B 130/100 = 1.3, C 55/50 = 1.1
CREATE TEMP TABLE visit (origin bigint, dest bigint, month int);
INSERT INTO visit
SELECT o, d, 1 + (i % 3)
  FROM (VALUES (330521, 330521, 60), (330521, 330502, 30), (330521, 330522, 10),
               (330502, 330521, 5), (330502, 330502, 80), (330502, 330522, 15),
               (330522, 330502, 20), (330522, 330522, 30)) v(o, d, n),
       generate_series(1, n) i;
INSERT INTO visit VALUES (NULL, 330521, 1), (330521, NULL, 2), (NULL, NULL, 3);
SELECT flow_agg(origin, dest) AS fm FROM visit;
SELECT flow_agg(origin, dest) = '{330502->330502:80, 330502->330521:5, 330502->330522:15,
  330521->330502:30, 330521->330521:60, 330521->330522:10, 330522->330502:20, 330522->330522:30}' AS as_table
  FROM visit;
SELECT (r).region, (r).residents, (r).served, (r).retained,
       round((r).li::numeric, 12) AS li, round((r).lifo::numeric, 12) AS lifo, round((r).npf::numeric, 12) AS npf
  FROM (SELECT flow_regions(flow_agg(origin, dest)) AS r FROM visit) s ORDER BY 1;
SELECT flow_total(flow_agg(origin, dest)) AS total_250 FROM visit;
-- flow_agg(origin, dest, n) sums counts; n = 0 rows add nothing.
SELECT flow_agg(o, d, n) FROM (VALUES (1::bigint, 2::bigint, 3::bigint), (1, 2, 4), (2, 1, 0), (2, 2, NULL), (3, 3, 1)) v(o, d, n);
-- NULL rows are skipped; an empty or all-NULL group gives NULL.
SELECT flow_agg(origin, dest) IS NULL AS empty_is_null FROM visit WHERE false;
SELECT flow_agg(origin, dest) IS NULL AS all_null FROM visit WHERE origin IS NULL OR dest IS NULL;
SELECT flow_agg(o, d, n) IS NULL AS all_zero_is_empty_not_null, flow_agg(o, d, n)
  FROM (VALUES (1::bigint, 2::bigint, 0::bigint)) v(o, d, n);

-- Zero denominators give NULL: region 1 only sends, region 2 only receives.
-- 1: residents 3, served 0, retained 0 -> li 0, lifo NULL, npf 0
-- 2: residents 0, served 3 -> li NULL, lifo 0, npf NULL
SELECT * FROM flow_regions('{1->2:3}');
SELECT count(*) AS no_regions FROM flow_regions('{}');

-- Regions against an independent plain-SQL formulation (GROUP BY + window
-- functions) on a larger generated matrix.
CREATE TEMP TABLE gen AS
SELECT (i % 37)::bigint AS origin, ((i * 7) % 41)::bigint AS dest FROM generate_series(1, 20000) i;
WITH c AS (SELECT origin, dest, count(*) AS n FROM gen GROUP BY 1, 2),
     keys AS (SELECT origin AS region FROM c UNION SELECT dest FROM c),
     s AS (SELECT k.region,
                  coalesce((SELECT sum(n) FROM c WHERE c.origin = k.region), 0)::bigint AS residents,
                  coalesce((SELECT sum(n) FROM c WHERE c.dest = k.region), 0)::bigint AS served,
                  coalesce((SELECT sum(n) FROM c WHERE c.origin = k.region AND c.dest = k.region), 0)::bigint AS retained
             FROM keys k)
SELECT count(*) AS regions,
       bool_and(r.residents = s.residents AND r.served = s.served AND r.retained = s.retained
                AND r.li IS NOT DISTINCT FROM s.retained::float8 / nullif(s.residents, 0)
                AND r.lifo IS NOT DISTINCT FROM s.retained::float8 / nullif(s.served, 0)
                AND r.npf IS NOT DISTINCT FROM s.served::float8 / nullif(s.residents, 0)) AS same
  FROM s FULL JOIN flow_regions((SELECT flow_agg(origin, dest) FROM gen)) r USING (region);
-- The entries equal GROUP BY origin, dest (the hash table grows from 64
-- slots to hold the 1517 pairs: 37 * 41 = 1517 since 7 is invertible mod 41
-- and 37, 41 are coprime).
SELECT flow_size(f) AS pairs, flow_total(f) AS total,
       (SELECT count(*) FROM (SELECT * FROM flow_entries(f)
                              EXCEPT SELECT origin, dest, count(*) FROM gen GROUP BY 1, 2) x) AS differ
  FROM (SELECT flow_agg(origin, dest) AS f FROM gen) s;
-- Many groups at once (hash aggregation), each its own matrix.
SELECT count(*) AS groups, bool_and(flow_total(f) = c) AS totals_ok
  FROM (SELECT origin % 5 AS g, flow_agg(origin, dest) AS f, count(*) AS c FROM gen GROUP BY 1) s;
-- As a window aggregate: running matrices.
SELECT month, flow_total(flow_agg(origin, dest) OVER (ORDER BY month)) AS running_total
  FROM (SELECT DISTINCT ON (month) * FROM visit WHERE origin IS NOT NULL AND dest IS NOT NULL ORDER BY month, origin, dest) v
 ORDER BY month;

-- Merging: monthly matrices summed in any order and grouping equal the
-- direct aggregate (associative and commutative).
CREATE TEMP TABLE monthly AS
SELECT month, flow_agg(origin, dest) AS fm FROM visit GROUP BY month;
SELECT (SELECT fm FROM monthly WHERE month = 1) + (SELECT fm FROM monthly WHERE month = 2) + (SELECT fm FROM monthly WHERE month = 3)
     = (SELECT fm FROM monthly WHERE month = 3) + ((SELECT fm FROM monthly WHERE month = 1) + (SELECT fm FROM monthly WHERE month = 2)) AS assoc_commut,
       (SELECT sum(fm ORDER BY month) FROM monthly) = (SELECT sum(fm ORDER BY month DESC) FROM monthly) AS order_free,
       (SELECT sum(fm) FROM monthly) = (SELECT flow_agg(origin, dest) FROM visit) AS equals_direct,
       (SELECT sum(fm) FROM (SELECT fm FROM monthly UNION ALL SELECT NULL) s) = (SELECT sum(fm) FROM monthly) AS null_skipped;
SELECT sum(fm) IS NULL AS empty_sum FROM monthly WHERE false;
-- Called outside an aggregate, the functions do not change their argument.
SELECT flow_accum('{1->2:3}', 1, 2) AS plus_one, flow_accum('{1->2:3}', 4, 5, 6) AS new_cell,
       flow_combine('{1->2:3}', '{1->2:1}') AS combined, flow_combine(NULL, '{1->2:1}') AS from_null;

-- Plurality: A keeps 60 of 100 (0.6), B 80 of 100 (0.8), C 30 of 50 (0.6).
SELECT * FROM flow_plurality((SELECT flow_agg(origin, dest) FROM visit));
-- Ties go to the smallest destination: 5 of 11 to dest 2.
SELECT origin, dest, round(share::numeric, 12) AS share FROM flow_plurality('{1->3:5, 1->2:5, 1->4:1}');

-- Service areas.  Matrix S (facility ids):
--   1->1 50, 1->2 10;  2->1 30, 2->2 20;  3->3 40, 3->1 30;  4->3 25, 4->4 20, 4->1 5
-- Plurality: 1->1, 2->1, 3->3, 4->3, so areas 1 = {1, 2} and 3 = {3, 4}
-- (2 and 4 are nobody's plurality destination).
-- LI of area 1: (50 + 10 + 30 + 20) / 110 = 1; of area 3: (40 + 25 + 20) / 120 = 0.708.
SELECT origin, dest, round(share::numeric, 6) AS share
  FROM flow_plurality('{1->1:50, 1->2:10, 2->1:30, 2->2:20, 3->3:40, 3->1:30, 4->3:25, 4->4:20, 4->1:5}');
SELECT * FROM flow_service_areas('{1->1:50, 1->2:10, 2->1:30, 2->2:20, 3->3:40, 3->1:30, 4->3:25, 4->4:20, 4->1:5}');
-- With min_li 0.75 area 3 (0.708) is merged into area 1, which receives all
-- its outflow (3->1 30 + 4->1 5); then one area remains.
SELECT * FROM flow_service_areas('{1->1:50, 1->2:10, 2->1:30, 2->2:20, 3->3:40, 3->1:30, 4->3:25, 4->4:20, 4->1:5}', 0.75);
-- The worked matrix: every county is its own plurality destination with
-- LI 0.6, 0.8, 0.6, so at min_li 0.6 (inclusive) nothing merges.
SELECT * FROM flow_service_areas((SELECT flow_agg(origin, dest) FROM visit), 0.6);
-- At 0.7: A and C are below; A (smaller id on the tie) goes first, into B,
-- which receives 30 of its 40 outside visits.  Area B = {A, B} then has LI
-- (60 + 30 + 5 + 80) / 200 = 0.875; C (0.6) merges into B (its only outflow).
SELECT * FROM flow_service_areas((SELECT flow_agg(origin, dest) FROM visit), 0.7);
-- A merged area merged again, by hand.  Matrix M:
--   1->1 10, 1->2 8;  2->2 50, 2->3 10;  3->3 12, 3->4 11, 3->2 9;  4->4 30, 4->3 5
-- Every region is its own plurality destination; LI 1: 10/18 = 0.556,
-- 2: 50/60 = 0.833, 3: 12/32 = 0.375, 4: 30/35 = 0.857.
-- min_li 0.9: 3 goes first, into 4 (11 of its 20 outside visits): area 4 =
-- {3, 4}, LI (12 + 30 + 11 + 5) / 67 = 0.866.  Then 1 into 2 (its only
-- outflow): area 2 = {1, 2}, LI (10 + 50 + 8) / 78 = 0.872.  Then area 4
-- (0.866 < 0.872) into 2 (3->2 9 is its only outflow): one area, 2.
SELECT * FROM flow_service_areas('{1->1:10, 1->2:8, 2->2:50, 2->3:10, 3->3:12, 3->4:11, 3->2:9, 4->4:30, 4->3:5}', 0.9);
-- min_li 0.86: the same first two merges; then 0.866 and 0.872 are not
-- below 0.86: areas 2 = {1, 2} and 4 = {3, 4}.
SELECT * FROM flow_service_areas('{1->1:10, 1->2:8, 2->2:50, 2->3:10, 3->3:12, 3->4:11, 3->2:9, 4->4:30, 4->3:5}', 0.86);
SELECT count(*) AS no_rows FROM flow_service_areas('{}');

-- Elzinga-Hogarty markets on the worked matrix.
-- {A, B}: residents 200, served 60+30+5+80+20 = 195, retained 175:
--   LOFI 0.875, LIFO 0.897435897 -> weak.  {A, B, C}: everything -> strong.
-- {C}: LOFI 0.6, LIFO 0.5454 -> none.  {}: nothing -> NULL.
SELECT s, m.residents, m.served, m.retained, round(m.lofi::numeric, 9) AS lofi,
       round(m.lifo::numeric, 9) AS lifo, m.market
  FROM (VALUES (ARRAY[330521, 330502]::bigint[]), (ARRAY[330521, 330502, 330522]), (ARRAY[330522]),
               (ARRAY[]::bigint[]), (ARRAY[330522, NULL])) v(s),
       LATERAL flow_market((SELECT flow_agg(origin, dest) FROM visit), s) m;

-- Rollup of adcode keys.  Townships 330521100 and 330521101 lie in 德清县
-- 330521, 330502001 in 吴兴区 330502; 330500 (a city-level hospital) stays.
SELECT flow_rollup('{330521100->330521100:7, 330521100->330521101:3, 330521101->330502001:4, 330502001->330500:2}', 'county');
-- City: everything is in 330500; province: 330000.
SELECT flow_rollup('{330521100->330521100:7, 330521100->330521101:3, 330521101->330502001:4, 330502001->330500:2}', 'city');
SELECT flow_rollup('{330521100->330521100:7, 330521101->110101:4}', 'province');
-- Villages to townships; townships of a city without counties (东莞市 441900)
-- roll up to the city code, which stands for the county.
SELECT flow_rollup('{330521100201->330521100202:2, 441900003->330521:1}', 'township') AS township,
       flow_rollup('{441900003->441900004:2}', 'county') AS dongguan;
-- Rollup of a township-level matrix equals the matrix aggregated directly
-- at county level.
CREATE TEMP TABLE tvisit AS
SELECT (c1 * 1000 + 100 + i % 7) AS origin, (c2 * 1000 + 100 + (i * 3) % 5) AS dest
  FROM (SELECT i, (ARRAY[330521, 330522, 330502])[1 + i % 3] AS c1,
               (ARRAY[330521, 330522, 330502, 330523])[1 + (i / 3) % 4] AS c2
          FROM generate_series(1, 5000) i) s;
SELECT flow_rollup(flow_agg(origin, dest), 'county') = flow_agg(origin / 1000, dest / 1000) AS rollup_equals_direct,
       flow_size(flow_agg(origin, dest)) = count(DISTINCT (origin, dest)) AS township_pairs_ok,
       flow_size(flow_rollup(flow_agg(origin, dest), 'county')) = count(DISTINCT (origin / 1000, dest / 1000)) AS county_pairs_ok
  FROM tvisit;
SELECT flow_rollup(flow_agg(origin, dest), 'county') = flow_agg(adcode_county(origin::bigint::adcode)::bigint, adcode_county(dest::bigint::adcode)::bigint) AS via_adcode_county
  FROM tvisit;

-- JSON for ECharts: a sankey (origins left, destinations right, names from
-- the division table, unknown keys by number) and a graph/chord.
SELECT jsonb_pretty(flow_to_json('{330521->330521:60, 330521->330502:30, 330502->330521:5, 330502->1234:2}'));
SELECT flow_to_json('{330521->330502:30, 330502->330502:8}', bipartite => false);
SELECT flow_to_json('{}');
-- Two divisions of the same name (朝阳区 of Beijing and of Changchun) get
-- their codes appended so that node names stay unique.
SELECT flow_to_json('{110105->220104:1}', false);

-- Referrals between care levels.
SELECT f, t, referral_direction(f, t)
  FROM unnest(enum_range(NULL::care_level)) f, unnest(enum_range(NULL::care_level)) t ORDER BY f, t;
CREATE TEMP TABLE referral (month int, from_level care_level, to_level care_level);
-- Month 1: village->primary, primary->tertiary (2 up); tertiary->secondary (1 down);
-- primary->primary (lateral).  Month 2: secondary->primary, tertiary->primary
-- (2 down), primary->secondary (up).  NULL levels are skipped.
-- Total: up 3, down 3, lateral 1; down/up = 1.
INSERT INTO referral VALUES
  (1, 'village', 'primary'), (1, 'primary', 'tertiary'), (1, 'tertiary', 'secondary'), (1, 'primary', 'primary'),
  (2, 'secondary', 'primary'), (2, 'tertiary', 'primary'), (2, 'primary', 'secondary'), (2, NULL, 'primary');
SELECT month, (r).*, referral_down_up_ratio(r) AS down_up
  FROM (SELECT month, referrals(from_level, to_level) AS r FROM referral GROUP BY month) s ORDER BY month;
SELECT (sum(r)).*, referral_down_up_ratio(sum(r)) AS down_up
  FROM (SELECT referrals(from_level, to_level) AS r FROM referral GROUP BY month) s;
SELECT referrals(from_level, to_level) IS NULL AS empty_is_null FROM referral WHERE false;
SELECT referral_down_up_ratio(ROW(0, 4, 1)) IS NULL AS no_up_is_null;

-- Bad input: every error names the value.
SELECT ''::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '1->2:3'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:3'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:3,}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1-2:3}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->:3}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:-3}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:3.5}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{a->b:1}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:3} x'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:3, 1->2:4}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{99999999999999999999->1:1}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:9223372036854775808}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
-- the total of a matrix must fit in bigint
SELECT '{1->2:9223372036854775807, 3->4:1}'::flowmatrix;
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:9223372036854775807}'::flowmatrix + '{1->2:1}';
\echo :LAST_ERROR_SQLSTATE
SELECT '{1->2:9223372036854775807}'::flowmatrix + '{5->6:1}';
\echo :LAST_ERROR_SQLSTATE
SELECT sum(f) FROM (VALUES ('{1->2:9223372036854775807}'::flowmatrix), ('{1->2:1}')) v(f);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_agg(o, d, n) FROM (VALUES (1::bigint, 2::bigint, 9223372036854775807::bigint), (1, 2, 1)) v(o, d, n);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_agg(o, d, n) FROM (VALUES (1::bigint, 2::bigint, -1::bigint)) v(o, d, n);
\echo :LAST_ERROR_SQLSTATE
SELECT flow_rollup('{330521->330502:1}', 'town');
\echo :LAST_ERROR_SQLSTATE
SELECT flow_rollup('{330521->1:1}', 'county');
\echo :LAST_ERROR_SQLSTATE
SELECT flow_rollup('{9900001->330521:1}', 'county');
\echo :LAST_ERROR_SQLSTATE
SELECT flow_rollup('{990521->330521:1}', 'county');
\echo :LAST_ERROR_SQLSTATE
SELECT * FROM flow_service_areas('{1->1:1}', 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT referral_down_up_ratio(sum(r)) FROM (VALUES (ROW(-1, 0, 0)::referral_counts)) v(r);
\echo :LAST_ERROR_SQLSTATE
SELECT '{9223372036854775806->1:9223372036854775807}'::flowmatrix AS largest;

-- Binary send/recv round trip.
SELECT current_setting('data_directory') || '/health_share_flow' AS f \gset
CREATE TEMP TABLE t_fb AS SELECT f FROM (VALUES ('{}'::flowmatrix), ('{2->1:4, 1->2:3, 1->1:9}'),
  ('{-9223372036854775808->9223372036854775807:9223372036854775807}')) v(f);
COPY t_fb TO :'f' WITH (FORMAT binary);
CREATE TEMP TABLE t_fb2 (f flowmatrix);
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
SELECT f FROM t_fb2;
SELECT (SELECT array_agg(f::text ORDER BY f::text) FROM t_fb) = (SELECT array_agg(f::text ORDER BY f::text) FROM t_fb2) AS binary_round_trip;
-- The wire form: int4 count, then int8 origin, dest, n per entry.
SELECT flowmatrix_send('{1->2:3}') = int4send(1) || int8send(1) || int8send(2) || int8send(3) AS wire_form;
-- Corrupt binary values, each loaded with COPY FROM (FORMAT binary).
CREATE TEMP TABLE t_bytes (what text, b bytea);
INSERT INTO t_bytes VALUES
  ('negative count of entries', int4send(-1)),
  ('count too large for 1 GB', int4send(2147483647)),
  ('header truncated', '\x0000'),
  ('entry truncated', int4send(1) || int8send(1) || int8send(2)),
  ('extra bytes', int4send(0) || '\x00'::bytea),
  ('one entry missing', int4send(2) || int8send(1) || int8send(2) || int8send(3)),
  ('zero count', int4send(1) || int8send(1) || int8send(2) || int8send(0)),
  ('negative count', int4send(1) || int8send(1) || int8send(2) || int8send(-5)),
  ('unsorted', int4send(2) || int8send(2) || int8send(1) || int8send(1) || int8send(1) || int8send(1) || int8send(1)),
  ('unsorted dest', int4send(2) || int8send(1) || int8send(2) || int8send(1) || int8send(1) || int8send(1) || int8send(1)),
  ('duplicate', int4send(2) || int8send(1) || int8send(1) || int8send(1) || int8send(1) || int8send(1) || int8send(1)),
  ('total overflows', int4send(2) || int8send(1) || int8send(1) || int8send(9223372036854775807) || int8send(1) || int8send(2) || int8send(1));
CREATE TEMP TABLE t_one (b bytea);
-- pg_temp.write_binary(what) writes the value "what" of t_bytes into a file
-- and returns its name, loaded by a plain COPY after it.
CREATE FUNCTION pg_temp.write_binary(what text) RETURNS text LANGUAGE plpgsql AS $$
DECLARE f text := current_setting('data_directory') || '/health_share_flow';
BEGIN
  TRUNCATE t_one;
  INSERT INTO t_one SELECT b FROM t_bytes WHERE t_bytes.what = write_binary.what;
  EXECUTE format('COPY t_one TO %L WITH (FORMAT binary)', f);
  RETURN f;
END$$;
SELECT pg_temp.write_binary('negative count of entries') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('count too large for 1 GB') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('header truncated') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('entry truncated') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('extra bytes') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('one entry missing') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('zero count') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('negative count') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('unsorted') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('unsorted dest') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('duplicate') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
SELECT pg_temp.write_binary('total overflows') AS f \gset
COPY t_fb2 FROM :'f' WITH (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE

-- The examples of docs/flows.md, as written there.
SELECT * FROM flow_regions('{330521->330521:60, 330521->330502:30, 330521->330522:10,
  330502->330521:5, 330502->330502:80, 330502->330522:15, 330522->330502:20, 330522->330522:30}');
SELECT * FROM flow_plurality('{1->3:5, 1->2:5, 1->4:1}');
SELECT * FROM flow_market('{330521->330521:60, 330521->330502:30, 330521->330522:10,
  330502->330521:5, 330502->330502:80, 330502->330522:15, 330522->330502:20, 330522->330522:30}',
  ARRAY[330521, 330502]);
SELECT (r).*, referral_down_up_ratio(r)
  FROM (SELECT referrals(f, t) AS r
          FROM (VALUES ('village'::care_level, 'primary'::care_level), ('primary', 'tertiary'),
                       ('tertiary', 'secondary'), ('primary', 'primary')) v(f, t)) s;
