-- in_county_rate: 县域内就诊率 from residence and facility codes at any level.
SET search_path = health_share, public;

CREATE TEMP TABLE visit (id int, residence adcode, facility adcode);
INSERT INTO visit VALUES
  (1, '330521', '330521'),          -- Deqing resident in Deqing: in county
  (2, '330521100', '330521'),       -- township resident, county facility: in
  (3, '330521100001', '330521101'), -- village resident, other township of Deqing: in
  (4, '330521', '330502'),          -- Deqing resident treated in Wuxing: out
  (5, '330521', '330000'),          -- facility only known at province level: skipped
  (6, '330500', '330521'),          -- residence only known at city level: skipped
  (7, NULL, '330521'),              -- unknown residence: skipped
  (8, '330521', NULL),              -- unknown facility: skipped
  (9, '330522', '330522100'),       -- Changxing resident in Changxing: in
  (10, '330522', '310101'),         -- Changxing resident in Shanghai: out
  (11, '441900003', '441900004'),   -- Dongguan (no counties): same city stands for county: in
  (12, '441900003', '442000001');   -- Dongguan resident in Zhongshan: out
-- Known pairs: 1,2,3,4,9,10,11,12 -> 8; in county: 1,2,3,9,11 -> 5.
SELECT in_county_rate(residence, facility) FROM visit;
-- Per county of residence: Deqing 3/4, Changxing 1/2, Dongguan 1/2.
SELECT adcode_county(residence) AS county, adcode_name(adcode_county(residence)) AS name,
       in_county_rate(residence, facility) AS r,
       round(rate_value(in_county_rate(residence, facility))::numeric, 4) AS value
  FROM visit WHERE adcode_county(residence) IS NOT NULL GROUP BY 1 ORDER BY 1;
SELECT in_county_rate(residence, facility) IS NULL AS empty FROM visit WHERE id > 100;
SELECT in_county_rate(residence, facility) IS NULL AS nothing_known FROM visit WHERE id IN (5, 6, 7, 8);

-- The same as the plain-SQL definition on generated data.
CREATE TEMP TABLE gen AS
SELECT i,
       (330521 + (i % 3))::bigint::adcode AS residence,
       CASE WHEN i % 7 = 0 THEN NULL ELSE (330521 + ((i * 31) % 4))::bigint::adcode END AS facility
  FROM generate_series(1, 10000) i;
SELECT in_county_rate(residence, facility) =
       hs_rate(count(*) FILTER (WHERE adcode_county(residence) = adcode_county(facility)),
               count(*) FILTER (WHERE residence IS NOT NULL AND facility IS NOT NULL)) AS same
  FROM gen;
