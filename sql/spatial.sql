-- spatial: hs_distance, facility_set, nearest/within/coverage, the 2SFCA
-- family (distance and cost-table versions), bad input.
SET search_path = health_share, public;
SET extra_float_digits = 0;

-- On the equator the haversine distance is R·Δlon exactly: R = 6371008.8 m,
-- 0.01° = 6371008.8 × 0.01 × π/180 = 1111.95080 m; a quarter of the
-- circumference is 10007557.2 m; antipodes are πR = 20015114.4 m apart.
SELECT round(hs_distance(0, 0, 0.01, 0)::numeric, 5) AS d_001,
       round(hs_distance(0, 0, 90, 0)::numeric, 1) AS quarter,
       round(hs_distance(0, 0, 180, 0)::numeric, 1) AS half,
       round(hs_distance(10, 90, -170, 90)::numeric, 6) AS pole_pole,
       hs_distance(120.15, 30.28, 121.55, 29.87) = hs_distance(121.55, 29.87, 120.15, 30.28) AS symmetric;
-- Hangzhou to Ningbo: haversine by hand, Δφ = -0.41°, Δλ = 1.40°:
-- h = sin²(-0.205°) + cos 30.28° cos 29.87° sin²(0.70°) = 1.28015e-5 + 1.11770e-4
-- d = 2R asin(√h) = 142,218.70 m; PROJ's geod on the same sphere
-- (geod +a=6371008.8 +b=6371008.8 -I) gives 142218.704 m.
SELECT round(hs_distance(120.15, 30.28, 121.55, 29.87)) AS hz_nb;

-- Layout 1 (on the equator; distances R·Δlon):
--   facilities  A id 1 at lon 0 supply 10, B id 2 at lon 0.03 supply 5,
--               C id 3 at lon 1 supply 7 (nobody with population reaches it)
--   population  p1 lon 0.005 pop 100 (A 556.0 m, B 2779.9 m)
--               p2 lon 0.015 pop 200 (A 1667.9 m, B 1667.9 m)
--               p3 lon 0.04  pop 300 (B 1111.95 m)
--               p4 lon 0.1   pop 50  (nothing within 2 km)
--               p5 lon 1.001 pop 0   (C 111.2 m, but no population)
CREATE TEMP TABLE fac1 (id bigint, lon float8, lat float8, supply float8);
INSERT INTO fac1 VALUES (1, 0, 0, 10), (2, 0.03, 0, 5), (3, 1, 0, 7);
CREATE TEMP TABLE pop1 (id bigint, lon float8, lat float8, pop float8);
INSERT INTO pop1 VALUES (1, 0.005, 0, 100), (2, 0.015, 0, 200), (3, 0.04, 0, 300),
  (4, 0.1, 0, 50), (5, 1.001, 0, 0);
CREATE TEMP TABLE fs1 AS SELECT facility_set(id, lon, lat, supply) AS fs FROM fac1;
SELECT facility_count(fs) FROM fs1;
SELECT * FROM facility_entries((SELECT fs FROM fs1)) ORDER BY id;

-- nearest: p1 → A 556.0 m; p2 ties between A and B (1667.9 m) → smaller id 1;
-- p4 → B 0.07° = 7783.7 m; p5 → C 111.2 m.
SELECT p.id, n.id AS nearest, round(n.distance::numeric, 1) AS metres
  FROM pop1 p, LATERAL nearest_facility((SELECT fs FROM fs1), p.lon, p.lat) n ORDER BY p.id;
-- within 2 km: p1 1, p2 2, p3 1, p4 0, p5 1.  Thresholds are inclusive:
-- at exactly the distance to A and B, p2 counts both; a millimetre less, none.
SELECT p.id, facilities_within((SELECT fs FROM fs1), p.lon, p.lat, 2000) FROM pop1 p ORDER BY p.id;
SELECT facilities_within(fs, 0.015, 0, hs_distance(0.015, 0, 0, 0)) AS at_d,
       facilities_within(fs, 0.015, 0, hs_distance(0.015, 0, 0, 0) - 0.001) AS below_d,
       facilities_within(fs, 0, 0, 1e8) AS everything
  FROM fs1;

-- coverage within 2 km: covered p1 100 + p2 200 + p3 300 + p5 0 = 600 of 650;
-- within 1 km: p1 100 only (p3 is 1111.95 m from B).
SELECT coverage(fs, p.lon, p.lat, p.pop::bigint, 2000) AS r2km,
       coverage(fs, p.lon, p.lat, p.pop::bigint, 1000) AS r1km
  FROM pop1 p, fs1;
SELECT coverage(fs, p.lon, p.lat, p.pop::bigint, 2000) IS NULL AS empty_is_null FROM pop1 p, fs1 WHERE false;

-- 2SFCA, binary, d0 = 2 km:
--   demand A = 100 + 200 = 300 → R_A = 10/300;  demand B = 200 + 300 = 500 → R_B = 5/500
--   demand C = 0 → R_C = 0 (documented; PySAL access would give ∞)
--   A1 = 1/30 = 0.033333, A2 = 1/30 + 1/100 = 0.043333, A3 = 0.01, A4 = 0, A5 = 0
--   Σ P·A = 100/30 + 200·0.043333 + 300·0.01 = 15 = S_A + S_B (C is not reached).
CREATE TEMP TABLE r1 AS SELECT fca_demand(fs, p.lon, p.lat, p.pop, 2000) AS r FROM pop1 p, fs1;
SELECT r FROM r1;
SELECT id, round(ratio::numeric, 6) AS ratio FROM facility_entries((SELECT r FROM r1)) ORDER BY id;
SELECT p.id, round(fca_access(r, p.lon, p.lat)::numeric, 6) AS access FROM pop1 p, r1 ORDER BY p.id;
SELECT round(sum(p.pop * fca_access(r, p.lon, p.lat))::numeric, 9) AS sum_pa FROM pop1 p, r1;

-- Linear decay W = 1 - d/d0 (values from the distances above):
--   W(p1,A) = 0.722012, W(p2,·) = 0.166037, W(p3,B) = 0.444025
--   demand A = 72.2012 + 33.2074 = 105.40861 → R_A = 0.094869
--   demand B = 33.2074 + 133.2074 = 166.41476 → R_B = 0.030045
--   A1 = 0.722012·R_A = 0.068497, A2 = 0.166037·(R_A + R_B) = 0.020740,
--   A3 = 0.444025·R_B = 0.013341.
SELECT p.id, round(fca_access(r, p.lon, p.lat)::numeric, 6) AS access
  FROM pop1 p, (SELECT fca_demand(fs, p.lon, p.lat, p.pop, 2000, 'linear') AS r FROM pop1 p, fs1) x
 ORDER BY p.id;

-- 3SFCA, binary: p2 splits its demand, G = 1/2 towards A and B.
--   demand A = 100 + 200·½ = 200 → R_A = 0.05; demand B = 200·½ + 300 = 400 → R_B = 0.0125
--   A1 = 0.05, A2 = ½·0.05 + ½·0.0125 = 0.03125, A3 = 0.0125; Σ P·A = 5 + 6.25 + 3.75 = 15.
SELECT p.id, round(fca_access(r, p.lon, p.lat)::numeric, 6) AS access
  FROM pop1 p, (SELECT fca_demand(fs, p.lon, p.lat, p.pop, 2000, 'binary', '3sfca') AS r FROM pop1 p, fs1) x
 ORDER BY p.id;

-- One facility (supply 100) and two population points, p1 (pop 10) at
-- d1 = 555.975 m and p2 (pop 20) at d2 = 1667.926 m = 3·d1, d0 = 2 km:
-- A1 = 100·W1/(10·W1 + 20·W2), A2 = 100·W2/(10·W1 + 20·W2).
--   binary            W1 = W2 = 1                 → 3.333333, 3.333333
--   linear            0.722012, 0.166037          → 6.849652, 1.575174
--   gaussian          0.903673, 0.253506          → 6.405920, 1.797040
--   gravity:1         1/d1, 1/(3·d1)              → 100/(10 + 20/3) = 6, 2
--   gravity:2,1000    1000⁻², 1667.926⁻²          → 5.817630, 2.091185
--   steps:1000=1,2000=0.5   1, 0.5                → 100/20 = 5, 2.5
--   GRAVITY:1 ,1 (case and blanks are ignored)   → 6, 2
CREATE TEMP TABLE pop2 (id bigint, lon float8, lat float8, pop float8);
INSERT INTO pop2 VALUES (1, 0.005, 0, 10), (2, 0.015, 0, 20);
SELECT decay,
       round(fca_access(r, 0.005, 0)::numeric, 6) AS a1, round(fca_access(r, 0.015, 0)::numeric, 6) AS a2
  FROM (VALUES (1, 'binary'), (2, 'linear'), (3, 'gaussian'), (4, 'gravity:1'),
               (5, 'gravity:2,1000'), (6, 'steps:1000=1,2000=0.5'), (7, ' GRAVITY:1 ,1 ')) d(k, decay),
       LATERAL (SELECT fca_demand('{(1,0,0,100)}'::facility_set, p.lon, p.lat, p.pop, 2000, d.decay) AS r
                  FROM pop2 p) x
 ORDER BY k;
-- The result carries the canonical parameters.
SELECT fca_demand('{(1,0,0,100)}'::facility_set, p.lon, p.lat, p.pop, 2000, ' Steps:1000=1, 2000=0.5', '3SFCA')
  FROM pop2 p;

-- NULLs are skipped; an empty group gives NULL; a set without facilities
-- gives NULL access and NULL nearest facility.
SELECT facility_set(id, lon, lat, supply) IS NULL AS empty_set FROM fac1 WHERE false;
SELECT facility_set(id, lon, lat, supply) AS skip_nulls
  FROM (VALUES (1::bigint, 0::float8, 0::float8, 1::float8), (NULL, 1, 1, 1), (2, NULL, 1, 1), (3, 1, 1, NULL)) v(id, lon, lat, supply);
SELECT facility_set(id, lon, lat) AS supply_one FROM fac1;
SELECT fca_access(fca_demand('{}'::facility_set, 0, 0, 10, 1000), 0, 0) IS NULL AS empty_access,
       nearest_facility('{}', 0, 0) IS NULL AS empty_nearest,
       facilities_within('{}', 0, 0, 1000) AS none_within;
SELECT fca_demand(fs, p.lon, p.lat, p.pop, 2000) IS NULL AS null_rows_skipped
  FROM fs1, (VALUES (NULL::float8, 0::float8, 1::float8), (0, NULL, 1), (0, 0, NULL)) p(lon, lat, pop);

-- Text form round trip (ratio sets carry their parameters).
SELECT r::text::facility_set::text = r::text AS text_round_trip FROM r1;
SELECT '  { ( 5 , 120.5 , 30.25 , 2 ) , (4,-0.5,1e-3,0) } '::facility_set;
SELECT '{}'::facility_set, facility_count('{}');

-- Binary round trip through COPY, and corrupted binary input rejected.
-- The value starts at byte 25 of the file: int32 n, int8 kind, then per
-- facility int64 id and float8 lon, lat, supply.
CREATE TEMP TABLE bin_in (fs facility_set);
CREATE TEMP TABLE bin_out (fs facility_set);
INSERT INTO bin_out SELECT fs FROM fs1;
INSERT INTO bin_out SELECT r FROM r1;
DO $$BEGIN
  EXECUTE format('COPY bin_out TO %L (FORMAT binary)', current_setting('data_directory') || '/hs_fs.bin');
  EXECUTE format('COPY bin_in FROM %L (FORMAT binary)', current_setting('data_directory') || '/hs_fs.bin');
END$$;
SELECT (SELECT array_agg(fs::text) FROM bin_in) = (SELECT array_agg(fs::text) FROM bin_out) AS binary_round_trip;
-- pg_temp.write_bin(b) writes the file b and returns its name, loaded by a
-- plain COPY after it.
CREATE FUNCTION pg_temp.write_bin(b bytea) RETURNS text LANGUAGE plpgsql AS $$
DECLARE lo oid; f text := current_setting('data_directory') || '/hs_bad.bin';
BEGIN
  lo := lo_from_bytea(0, b); PERFORM lo_export(lo, f); PERFORM lo_unlink(lo);
  RETURN f;
END$$;
CREATE TEMP TABLE good AS
SELECT pg_read_binary_file(current_setting('data_directory') || '/hs_fs.bin') AS b;
-- a file holding just the plain set: header, 1 field, length, value, trailer
CREATE TEMP TABLE good1 AS
SELECT substr(b, 1, 19) || '\x0001'::bytea || int4send(4 + 1 + 3 * 32) ||
       substr(b, 26, 4 + 1 + 3 * 32) || '\xffff'::bytea AS b FROM good;
SELECT pg_temp.write_bin(b) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
-- Each corrupted copy of it is refused.
-- huge count
SELECT pg_temp.write_bin(overlay(b placing int4send(1000000000) from 26)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- negative count
SELECT pg_temp.write_bin(overlay(b placing int4send(-1) from 26)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- count too small
SELECT pg_temp.write_bin(overlay(b placing int4send(2) from 26)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- unknown kind
SELECT pg_temp.write_bin(overlay(b placing '\x07'::bytea from 30)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- longitude 500
SELECT pg_temp.write_bin(overlay(b placing float8send(500) from 39)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- NaN latitude
SELECT pg_temp.write_bin(overlay(b placing float8send('NaN') from 47)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- negative supply
SELECT pg_temp.write_bin(overlay(b placing float8send(-1) from 55)) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- value cut short
SELECT pg_temp.write_bin(substr(b, 1, 19) || '\x0001'::bytea || int4send(91) || substr(b, 26, 91) || '\xffff'::bytea) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- trailing bytes
SELECT pg_temp.write_bin(substr(b, 1, 19) || '\x0001'::bytea || int4send(109) || substr(b, 26, 101) || '\x0000000000000000'::bytea || '\xffff'::bytea) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE
-- bad ratio header
SELECT pg_temp.write_bin(substr(b, 1, 19) || '\x0001'::bytea || int4send(4 + 1 + 5) || '\x00000000024e4f4e4f4e'::bytea || '\xffff'::bytea) AS bad FROM good1 \gset
COPY bin_in FROM :'bad' (FORMAT binary);
\echo :LAST_ERROR_SQLSTATE

-- fca_costs over an origin-destination table in minutes (d0 = 15 min):
--   pop 1 (100) reaches fac 10 (S 4) in 5 min and fac 20 (S 2) in 12 min;
--   pop 2 (300) reaches fac 20 in 14 min, fac 10 in 40 min (beyond d0);
--   pop 3 (50) has only a 16-minute trip; pop 4 (20) has no trip at all.
--   demand 10 = 100 → R = 0.04; demand 20 = 100 + 300 = 400 → R = 0.005
--   A1 = 0.045, A2 = 0.005, A3 = 0, A4 = 0; Σ P·A = 4.5 + 1.5 = 6 = 4 + 2.
CREATE TEMP TABLE od (pop_id int, pop int, fac_id bigint, supply numeric, minutes float4);
INSERT INTO od VALUES (1, 100, 10, 4, 5), (1, 100, 20, 2, 12), (2, 300, 20, 2, 14),
  (2, 300, 10, 4, 40), (3, 50, 20, 2, 16), (4, 20, NULL, NULL, NULL);
SELECT pop_id, round(access::numeric, 6) FROM fca_costs('SELECT * FROM od', 15);
-- linear in minutes: W(1,10) = 2/3, W(1,20) = 0.2, W(2,20) = 1/15;
-- demand 10 = 66.667 → R = 0.06; demand 20 = 20 + 20 = 40 → R = 0.05;
-- A1 = 2/3·0.06 + 0.2·0.05 = 0.05, A2 = 0.05/15 = 0.003333.
SELECT pop_id, round(access::numeric, 6) FROM fca_costs('SELECT * FROM od', 15, 'linear');

-- The cost-table version equals the distance version when the costs are the
-- distances (layout 1, every decay and both methods).
CREATE TEMP TABLE od1 AS
SELECT p.id AS pop_id, p.pop, f.id AS fac_id, f.supply, hs_distance(p.lon, p.lat, f.lon, f.lat) AS cost
  FROM pop1 p CROSS JOIN fac1 f;
SELECT d.decay, m.method,
       bool_and(abs(c.access - fca_access(x.r, p.lon, p.lat)) <= 1e-12 * abs(c.access)) AS same, count(*)
  FROM (VALUES ('binary'), ('linear'), ('gaussian'), ('gravity:1.5,100'), ('steps:700=1,1500=0.6,2000=0.2')) d(decay),
       (VALUES ('2sfca'), ('3sfca')) m(method),
       LATERAL (SELECT fca_demand(fs, p.lon, p.lat, p.pop, 2000, d.decay, m.method) AS r FROM pop1 p, fs1) x,
       LATERAL fca_costs('SELECT * FROM od1', 2000, d.decay, m.method) c
       JOIN pop1 p ON p.id = c.pop_id
 GROUP BY 1, 2 ORDER BY 1, 2;

-- Bad input: clear errors naming the value.
SELECT hs_distance(180.5, 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_distance(0, -91, 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_distance(0, 0, 'NaN', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT hs_distance(0, 0, 0, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set(1, 181, 0, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set(1, 0, 0, -1);
\echo :LAST_ERROR_SQLSTATE
SELECT facility_set(1, 0, 0, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT facilities_within('{(1,0,0,1)}', 0, 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT facilities_within('{(1,0,0,1)}', 0, 0, -5);
\echo :LAST_ERROR_SQLSTATE
SELECT facilities_within('{(1,0,0,1)}', 0, 0, 'NaN');
\echo :LAST_ERROR_SQLSTATE
SELECT nearest_facility('{(1,0,0,1)}', 0, '-Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT coverage('{(1,0,0,1)}', 0, 0, -3, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT coverage('{(1,0,0,1)}', 0, 0, 3, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, -1, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 'NaN', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, -1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 'Infinity');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'exponential');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'gravity:');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'gravity:-1');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'gravity:1,0');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'gravity:nan');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'steps:');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'steps:1000=1,500=0.5');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'steps:1000=-1');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'steps:1000');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand('{(1,0,0,1)}', 0, 0, 1, 1000, 'binary', '4sfca');
\echo :LAST_ERROR_SQLSTATE
SELECT fca_demand(fs, 0, 0, 1, d0) FROM fs1, (VALUES (1000::float8), (2000)) v(d0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_access('{(1,0,0,1)}', 0, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT 1, 2, 3', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT 1, -2, 3, 4, 5', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT 1, 2, 3, 4, -5', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT 1, 2, 3, 4, 5 UNION ALL SELECT 1, 3, 4, 4, 5', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT 1, 2, 3, 4, 5', 0);
\echo :LAST_ERROR_SQLSTATE
SELECT fca_costs('SELECT ''a'', 2, 3, 4, 5', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,200,0,1)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,0,0,-1)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,0,0)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,0,0,1)'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '{(1,0,0,nan)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '{(99999999999999999999,0,0,1)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT 'hello'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '2sfca;d0=0;decay=binary;ratio{}'::facility_set;
\echo :LAST_ERROR_SQLSTATE
SELECT '2sfca;d0=1;decay=linear;ratio{(1,0,0,1)}'::facility_set;
\echo :LAST_ERROR_SQLSTATE

-- Random layout: 1,500 population points and 80 facilities in a 0.3° box,
-- d0 = 15 km.  Checked against a brute force over all 120,000 pairs in plain
-- SQL with hs_distance, for every decay and both methods.
SELECT setseed(0.5);
CREATE TEMP TABLE rp AS SELECT i::bigint AS id, 120 + 0.3 * random() AS lon, 30 + 0.3 * random() AS lat,
       floor(1000 * random())::float8 AS pop FROM generate_series(1, 1500) i;
CREATE TEMP TABLE rf AS SELECT i::bigint AS id, 120 + 0.3 * random() AS lon, 30 + 0.3 * random() AS lat,
       (1 + floor(20 * random()))::float8 AS supply FROM generate_series(1, 80) i;
CREATE TEMP TABLE rfs AS SELECT facility_set(id, lon, lat, supply) AS fs FROM rf;
CREATE FUNCTION pg_temp.w(d float8, d0 float8, decay text) RETURNS float8 LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN d > d0 THEN 0
    WHEN decay = 'binary' THEN 1
    WHEN decay = 'linear' THEN 1 - d / d0
    WHEN decay = 'gaussian' THEN (exp(-0.5 * (d / d0) ^ 2) - exp(-0.5)) / (1 - exp(-0.5))
    WHEN decay = 'gravity:1.5,500' THEN greatest(d, 500) ^ -1.5
    WHEN decay = 'steps:5000=1,10000=0.6,15000=0.25' THEN
      CASE WHEN d <= 5000 THEN 1 WHEN d <= 10000 THEN 0.6 ELSE 0.25 END END $$;
CREATE TEMP TABLE pairs AS
SELECT p.id AS pop_id, p.pop, f.id AS fac_id, f.supply, hs_distance(p.lon, p.lat, f.lon, f.lat) AS d
  FROM rp p CROSS JOIN rf f;
-- Every facility is reached by someone with population (so Σ P·A = Σ S
-- below), and every point with population reaches a facility.
SELECT count(DISTINCT fac_id) AS facilities_reached, count(DISTINCT pop_id) AS points_reaching
  FROM pairs WHERE d <= 15000 AND pop > 0;
CREATE TEMP TABLE cases AS
SELECT decay, method FROM (VALUES ('binary'), ('linear'), ('gaussian'), ('gravity:1.5,500'),
  ('steps:5000=1,10000=0.6,15000=0.25')) d(decay), (VALUES ('2sfca'), ('3sfca')) m(method);
-- brute force: W, G = W / Σ_l W_il, demand_j, R_j, A_i
CREATE TEMP TABLE brute AS
WITH w AS (SELECT c.decay, c.method, x.*, pg_temp.w(x.d, 15000, c.decay) AS w FROM cases c, pairs x),
     g AS (SELECT *, CASE WHEN method = '3sfca'
                          THEN w * w / nullif(sum(w) OVER (PARTITION BY decay, method, pop_id), 0)
                          ELSE w END AS gw FROM w),
     r AS (SELECT decay, method, fac_id, CASE WHEN sum(gw * pop) > 0 THEN min(supply) / sum(gw * pop) ELSE 0 END AS r
             FROM g GROUP BY 1, 2, 3)
SELECT g.decay, g.method, g.pop_id, sum(coalesce(g.gw, 0) * r.r) AS a
  FROM g JOIN r USING (decay, method, fac_id) GROUP BY 1, 2, 3;
ANALYZE brute;
CREATE TEMP TABLE ours AS
SELECT c.decay, c.method, p.id AS pop_id, fca_access(x.r, p.lon, p.lat) AS a
  FROM cases c,
       LATERAL (SELECT fca_demand(fs, p.lon, p.lat, p.pop, 15000, c.decay, c.method) AS r FROM rp p, rfs) x,
       rp p;
SELECT decay, method, count(*) AS points,
       max(abs(o.a - b.a) / greatest(abs(b.a), 1e-300)) < 1e-12 AS same_as_brute_force,
       abs(sum(p.pop * o.a) - (SELECT sum(supply) FROM rf)) < 1e-9 * (SELECT sum(supply) FROM rf) AS sum_pa_is_sum_s
  FROM ours o JOIN brute b USING (decay, method, pop_id) JOIN rp p ON p.id = o.pop_id
 GROUP BY 1, 2 ORDER BY 1, 2;
-- Σ S = the total supply, recomputed: Σ P·A equals it with binary decay.
SELECT sum(supply) AS sum_s,
       round((SELECT sum(p.pop * a) FROM ours o JOIN rp p ON p.id = o.pop_id
               WHERE decay = 'binary' AND method = '2sfca')::numeric, 6) AS sum_pa
  FROM rf;
-- The cost-table version over the same pairs gives the same accessibilities.
CREATE TEMP TABLE costs AS
SELECT c.decay, c.method, k.*
  FROM cases c, LATERAL fca_costs('SELECT pop_id, pop, fac_id, supply, d FROM pairs', 15000, c.decay, c.method) k;
ANALYZE costs, ours;
SELECT decay, method, max(abs(k.access - o.a) / greatest(abs(o.a), 1e-300)) < 1e-12 AS cost_table_same, count(*)
  FROM costs k JOIN ours o USING (decay, method, pop_id)
 GROUP BY 1, 2 ORDER BY 1, 2;
-- nearest_facility, facilities_within and coverage equal the brute force.
SELECT bool_and(n.id = b.fac_id AND n.distance = b.d) AS nearest_same
  FROM rp p, LATERAL nearest_facility((SELECT fs FROM rfs), p.lon, p.lat) n,
       LATERAL (SELECT fac_id, d FROM pairs x WHERE x.pop_id = p.id ORDER BY d, fac_id LIMIT 1) b;
SELECT bool_and(facilities_within((SELECT fs FROM rfs), p.lon, p.lat, 3000) =
                (SELECT count(*) FROM pairs x WHERE x.pop_id = p.id AND x.d <= 3000)) AS within_same
  FROM rp p;
SELECT coverage(fs, p.lon, p.lat, p.pop::bigint, 2500) =
       hs_rate((SELECT sum(pop)::bigint FROM rp WHERE id IN (SELECT pop_id FROM pairs WHERE d <= 2500)),
               (SELECT sum(pop)::bigint FROM rp)) AS coverage_same
  FROM rp p, rfs;
-- The facility_set does not depend on row order.
SELECT (SELECT facility_set(id, lon, lat, supply) FROM (SELECT * FROM rf ORDER BY lat DESC) s)::text =
       (SELECT fs FROM rfs)::text AS order_independent;
