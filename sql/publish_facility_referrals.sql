-- Referrals by sending facility in the published layer (docs/publishing.md,
-- "The method"): no set of referrals is rounded in two cell families.
--
-- The attack: the published layer used to round the referrals each facility
-- sent in a month (facility_cells: down, inside and out of its consortium)
-- separately from the referral cells (referral_cells: month x county of
-- residence x kind x care levels x grids).  Where one facility's month of
-- downward referrals is, in truth, the whole of one referral cell, a reader
-- saw two independent roundings of one count: one rounded to 0 (true 0 .. 4)
-- and the other to 5 (true 1 .. 9) leaves 1 .. 4, a small cell disclosed.
-- Now the referral cells carry the sending facility (and whether the
-- referral stays inside its consortium), and every published referral
-- count, by facility and consortium too, is a sum of those cells.
--
-- Part (a) builds such a coincidence and shows, with publish_round and the
-- cell keys the layer used before, that the two roundings differ for about
-- half of all seeds and then narrow the cell below min_cell values.  Part
-- (b) checks on the whole fixture (random background referrals over two
-- years) that every published referral count equals the sum of the
-- published referral_cells it covers: facility_year, consortium_year_referrals,
-- the county, city and consortium views and grid_year.
SET search_path = public, health_share;
SET datestyle = ISO;
SET client_min_messages = warning;
SELECT install_model('pfr');
RESET client_min_messages;
SELECT pfr.add_partitions(DATE '2023-01-01', DATE '2024-12-01') IS NOT NULL AS partitions;
-- 德清 330521: consortium 1 (hospital 10 and centre 11 in grid 1, centre 12
-- in grid 2); 长兴 330522: consortium 2 (10's peer 20, centre 21); the city
-- hospital 30 in 吴兴 330502, in no consortium and no grid.  10 is the only
-- secondary facility of 德清.
BEGIN;
INSERT INTO pfr.consortium (id, name, kind, area, lead_facility_id) VALUES
  (1, '德清县医共体', 'county_community', '330521', 10), (2, '长兴县医共体', 'county_community', '330522', 20);
INSERT INTO pfr.facility (id, name, care_level, county, consortium_id) VALUES
  (10, '德清县人民医院', 'secondary', '330521', 1), (11, '武康街道社区卫生服务中心', 'primary', '330521', 1),
  (12, '新市镇中心卫生院', 'primary', '330521', 1), (20, '长兴县人民医院', 'secondary', '330522', 2),
  (21, '雉城街道社区卫生服务中心', 'primary', '330522', 2), (30, '湖州市中心医院', 'tertiary', '330502', NULL);
INSERT INTO pfr.grid (id, name, consortium_id, lead_facility_id) VALUES (1, '武康网格', 1, 10), (2, '新市网格', 1, 12);
UPDATE pfr.facility SET grid_id = 1 WHERE id IN (10, 11);
UPDATE pfr.facility SET grid_id = 2 WHERE id = 12;
COMMIT;
INSERT INTO pfr.unit (code, name, lon, lat) VALUES
  ('330521001', '武康街道', 119.96, 30.55), ('330521102', '新市镇', 120.26, 30.63);
INSERT INTO pfr.grid_member VALUES ('330521001', 1), ('330521102', 2);
INSERT INTO pfr.population (unit, year, population)
SELECT u, y, 50000 FROM unnest(ARRAY['330521001', '330521102']) AS u, generate_series(2023, 2024) AS y;

-- The coincidence: in March 2024, 10 sends three residents of 武康 down to
-- 11, and nothing else.  Those three referrals are the whole of 10's
-- downward referrals of the month (and of its referrals inside consortium
-- 1), and the whole of the old referral cell (2024-03, 德清, referral,
-- secondary -> primary, grid 1 -> grid 1): 10 is 德清's only secondary
-- facility, and the only primary facility of grid 1 is 11.
INSERT INTO pfr.referral (referral_date, from_facility_id, to_facility_id, residence, kind)
SELECT DATE '2024-03-10' + i, 10, 11, '330521001', 'referral' FROM generate_series(1, 3) AS i;
-- The background: 400 random referrals (one in ten a remote consultation)
-- between the six facilities over 2023 and 2024, residents of the three
-- units, none sent by 10 in March 2024.
SELECT setseed(0.5);
INSERT INTO pfr.referral (referral_date, from_facility_id, to_facility_id, residence, kind)
SELECT d, a, b, r, k
  FROM (SELECT DATE '2023-01-01' + floor(random() * 731)::int AS d,
			   (ARRAY[10, 11, 12, 20, 21, 30])[1 + floor(random() * 6)::int] AS a,
			   (ARRAY[10, 11, 12, 20, 21, 30])[1 + floor(random() * 6)::int] AS b,
			   (ARRAY['330521001', '330521102', '330522001'])[1 + floor(random() * 3)::int]::adcode AS r,
			   CASE WHEN random() < 0.1 THEN 'remote_consultation' ELSE 'referral' END AS k
		  FROM generate_series(1, 400)) AS s
 WHERE a <> b AND NOT (a = 10 AND d >= DATE '2024-03-01' AND d < DATE '2024-04-01');
SELECT refresh_model('pfr') AS months;
-- A fixed seed, so that the output is fixed (one for which the two old
-- roundings differ: part (a) shows how often that happens).
UPDATE pfr.publish_key SET seed = sha256('facility referrals'::bytea);

-- The truth, from the facts: 10's downward referrals of March 2024, its
-- referrals inside its consortium then, and the referrals of the old cell.
SELECT count(*) FILTER (WHERE r.from_facility_id = 10 AND b.care_level < a.care_level) AS down_sent_by_10,
	   count(*) FILTER (WHERE r.from_facility_id = 10 AND a.consortium_id = b.consortium_id) AS within_sent_by_10,
	   count(*) FILTER (WHERE adcode_county(r.residence) = '330521' AND a.care_level = 'secondary'
						  AND b.care_level = 'primary' AND a.grid_id = 1 AND b.grid_id = 1) AS old_cell
  FROM pfr.referral AS r JOIN pfr.facility AS a ON a.id = r.from_facility_id JOIN pfr.facility AS b ON b.id = r.to_facility_id
 WHERE r.kind = 'referral' AND r.referral_date >= '2024-03-01' AND r.referral_date < '2024-04-01';

-- (a) Before: the old keys.  The referral cell was keyed (2, days since
-- 1970, county, kind 1, from level 3 = secondary, to level 2 = primary,
-- from grid, to grid); facility_cells rounded 10's month with (6, days,
-- facility 10, 7 = referrals_down) and (6, days, 10, 8 = within).  Each
-- rounds 3 up to 5 with probability 3/5, independently: they differ with
-- probability 2 x 3/5 x 2/5 = 0.48.  With this model's seed they do, and
-- the reader's candidates for the true count (within min_cell - 1 of each
-- published value, not negative) meet in fewer than 5 values: 1 .. 4.
CREATE TEMP TABLE old_keys AS
SELECT s.seed,
	   publish_round(3, 5, s.seed, 2, DATE '2024-03-01' - DATE '1970-01-01', 330521, 1, 3, 2, 1, 1) AS referral_cell,
	   publish_round(3, 5, s.seed, 6, DATE '2024-03-01' - DATE '1970-01-01', 10, 7) AS facility_down,
	   publish_round(3, 5, s.seed, 6, DATE '2024-03-01' - DATE '1970-01-01', 10, 8) AS facility_within
  FROM (SELECT p.seed FROM pfr.publish_key AS p
		UNION ALL SELECT sha256(convert_to('seed ' || i, 'UTF8')) FROM generate_series(1, 1000) AS i) AS s;
CREATE FUNCTION pg_temp.candidates(a bigint, b bigint) RETURNS int8range LANGUAGE sql IMMUTABLE AS
$$ SELECT int8range(greatest(a, b) - 4, least(a, b) + 4, '[]') * int8range(0, NULL) $$;
SELECT referral_cell, facility_down, facility_within,
	   pg_temp.candidates(referral_cell, facility_down) AS candidates_down,
	   pg_temp.candidates(referral_cell, facility_within) AS candidates_within
  FROM old_keys WHERE seed = sha256('facility referrals'::bytea);
-- Over 1,000 other seeds: the old roundings of the down count differ for
-- about 480 (binomial, standard deviation 16: 400 .. 560 is 5 of them),
-- and exactly those narrow the cell below 5 candidates (a 0 and a 5 leave
-- 1 .. 4; a 0 and a 0 leave 0 .. 4; a 5 and a 5 leave 1 .. 9).
SELECT count(*) FILTER (WHERE referral_cell <> facility_down) BETWEEN 400 AND 560 AS about_half_differ,
	   count(*) FILTER (WHERE upper(pg_temp.candidates(referral_cell, facility_down))
							  - lower(pg_temp.candidates(referral_cell, facility_down)) < 5)
	   = count(*) FILTER (WHERE referral_cell <> facility_down) AS narrowed_when_differ
  FROM old_keys WHERE seed <> sha256('facility referrals'::bytea);

-- (b) After.  The referral cell of the three referrals is keyed with the
-- sending facility and 1 = inside its consortium appended; it is published
-- once, and the other published counts covering exactly these referrals
-- (10's downward and inside referrals of 2024 less its other months, 德清's
-- March downward referrals, grid 1's March ...) are sums of cells.
SELECT c.month, c.county, c.from_level, c.to_level, c.from_grid, c.to_grid, c.from_facility_id, c.within_consortium,
	   c.referrals,
	   c.referrals = publish_round(3, 5, sha256('facility referrals'::bytea), 2,
								   DATE '2024-03-01' - DATE '1970-01-01', 330521, 1, 3, 2, 1, 1, 10, 1) AS its_key
  FROM pfr_pub.referral_cells AS c
 WHERE c.month = '2024-03-01' AND c.from_facility_id = 10;
-- facility_cells publishes no referral count any more (nor anything else:
-- sql/publish_facility_visits.sql).
SELECT to_regclass('pfr_pub.facility_cells') IS NULL AS facility_cells_gone;

-- Every published referral count is the sum of the published cells it
-- covers (counted here from referral_cells and facilities, the reader's
-- own views).  Care levels in order: village 1 .. tertiary 4.
CREATE TEMP TABLE cells AS
SELECT c.*, extract(year FROM c.month)::int AS year, f.consortium_id AS from_consortium,
	   array_position(ARRAY['village', 'primary', 'secondary', 'tertiary'], c.from_level) AS fl,
	   array_position(ARRAY['village', 'primary', 'secondary', 'tertiary'], c.to_level) AS tl,
	   u.unit AS city
  FROM pfr_pub.referral_cells AS c
  JOIN pfr_pub.facilities AS f ON f.id = c.from_facility_id
  LEFT JOIN pfr_pub.city_units AS u ON u.county = c.county;
-- facility x year: every facility and year with a published cell or row.
WITH k AS (SELECT from_facility_id AS id, year FROM cells UNION SELECT facility_id, year FROM pfr_pub.facility_year),
s AS (
	SELECT k.id, k.year,
		   coalesce(sum(c.referrals) FILTER (WHERE c.tl < c.fl), 0) AS down,
		   coalesce(sum(c.referrals) FILTER (WHERE c.within_consortium), 0) AS within,
		   coalesce(sum(c.referrals) FILTER (WHERE NOT c.within_consortium AND c.from_consortium IS NOT NULL), 0) AS outside
	  FROM k LEFT JOIN cells AS c ON c.from_facility_id = k.id AND c.year = k.year AND c.kind = 'referral'
	 GROUP BY 1, 2
)
SELECT count(*) AS facility_years, count(*) FILTER (WHERE s.down > 0) AS with_down,
	   count(*) FILTER (WHERE coalesce(y.referrals_down_sent, 0) <> s.down
						   OR coalesce(y.referrals_within_consortium, 0) <> s.within
						   OR coalesce(y.referrals_outside_consortium, 0) <> s.outside) AS differing
  FROM s LEFT JOIN pfr_pub.facility_year AS y ON y.facility_id = s.id AND y.year = s.year;
-- consortium x year.
WITH s AS (
	SELECT c.from_consortium AS id, c.year, sum(c.referrals) AS sent,
		   sum(c.referrals) FILTER (WHERE c.within_consortium) AS within,
		   coalesce(sum(c.referrals) FILTER (WHERE c.tl < c.fl), 0) AS down
	  FROM cells AS c WHERE c.kind = 'referral' AND c.from_consortium IS NOT NULL
	 GROUP BY 1, 2 HAVING sum(c.referrals) > 0
)
SELECT count(*) AS consortium_years,
	   count(*) FILTER (WHERE y.consortium_id IS NULL OR s.id IS NULL OR y.referrals_sent <> s.sent
						   OR y.referrals_within_consortium <> coalesce(s.within, 0)
						   OR y.referrals_outside_consortium <> s.sent - coalesce(s.within, 0)
						   OR y.referrals_down_sent <> s.down) AS differing,
	   (SELECT count(*) FROM pfr_pub.consortium_year_referrals) AS published_rows
  FROM s FULL JOIN pfr_pub.consortium_year_referrals AS y ON y.consortium_id = s.id AND y.year = s.year;
-- unit x period: a county's referrals are those of its residents (the
-- cells' county), a city's of its counties', a consortium's of the
-- counties of its area; up, down, lateral by the care levels.
CREATE FUNCTION pg_temp.sums(unit_of text, period_of text) RETURNS TABLE (unit text, period text, up numeric,
	down numeric, lat numeric, remote numeric) LANGUAGE sql AS
$$ SELECT CASE unit_of WHEN 'county' THEN c.county WHEN 'city' THEN c.city END,
		  CASE period_of WHEN 'month' THEN c.month::text ELSE c.year::text END,
		  coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'referral' AND c.tl > c.fl), 0),
		  coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'referral' AND c.tl < c.fl), 0),
		  coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'referral' AND c.tl = c.fl), 0),
		  coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'remote_consultation'), 0)
	 FROM cells AS c GROUP BY 1, 2 $$;
WITH p AS (
	SELECT 'county_month' AS v, county AS unit, month::text AS period, referrals_up AS up, referrals_down AS down,
		   referrals_lateral AS lat, remote_consultations AS remote FROM pfr_pub.county_month
	UNION ALL SELECT 'county_year', county, year::text, referrals_up, referrals_down, referrals_lateral, remote_consultations
	  FROM pfr_pub.county_year
	UNION ALL SELECT 'city_year', city, year::text, referrals_up, referrals_down, referrals_lateral, remote_consultations
	  FROM pfr_pub.city_year
), s AS (
	SELECT 'county_month' AS v, * FROM pg_temp.sums('county', 'month')
	UNION ALL SELECT 'county_year', * FROM pg_temp.sums('county', 'year')
	UNION ALL SELECT 'city_year', * FROM pg_temp.sums('city', 'year')
)
SELECT coalesce(p.v, s.v) AS view, count(*) AS rows, count(*) FILTER (WHERE s.down > 0) AS with_down,
	   count(*) FILTER (WHERE coalesce(p.up, 0) <> coalesce(s.up, 0) OR coalesce(p.down, 0) <> coalesce(s.down, 0)
						   OR coalesce(p.lat, 0) <> coalesce(s.lat, 0) OR coalesce(p.remote, 0) <> coalesce(s.remote, 0)) AS differing
  FROM p FULL JOIN s ON s.v = p.v AND s.unit = p.unit AND s.period = p.period
 GROUP BY 1 ORDER BY 1;
-- consortium x year: the counties of the consortium's area (consortium_units).
WITH s AS (
	SELECT u.unit AS consortium_id, c.year,
		   coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'referral' AND c.tl > c.fl), 0) AS up,
		   coalesce(sum(c.referrals) FILTER (WHERE c.kind = 'referral' AND c.tl < c.fl), 0) AS down
	  FROM cells AS c JOIN pfr_pub.consortium_units AS u ON u.county = c.county
	 GROUP BY 1, 2
)
SELECT count(*) AS consortium_years,
	   count(*) FILTER (WHERE coalesce(y.referrals_up, 0) <> coalesce(s.up, 0)
						   OR coalesce(y.referrals_down, 0) <> coalesce(s.down, 0)) AS differing
  FROM s FULL JOIN pfr_pub.consortium_year AS y ON y.consortium_id = s.consortium_id AND y.year = s.year;
-- grid x year: within (both facilities in the grid), up and down within,
-- out of and into the grid, by the cells' grids.
WITH s AS (
	SELECT g.id, y.year,
		   coalesce(sum(c.referrals) FILTER (WHERE c.from_grid = g.id AND c.to_grid = g.id), 0) AS within,
		   coalesce(sum(c.referrals) FILTER (WHERE c.from_grid = g.id AND c.to_grid = g.id AND c.tl > c.fl), 0) AS up_within,
		   coalesce(sum(c.referrals) FILTER (WHERE c.from_grid = g.id AND c.to_grid = g.id AND c.tl < c.fl), 0) AS down_within,
		   coalesce(sum(c.referrals) FILTER (WHERE c.from_grid = g.id AND c.to_grid <> g.id), 0) AS out_of,
		   coalesce(sum(c.referrals) FILTER (WHERE c.to_grid = g.id AND c.from_grid <> g.id), 0) AS into
	  FROM (VALUES (1), (2)) AS g(id) CROSS JOIN (VALUES (2023), (2024)) AS y(year)
	  LEFT JOIN cells AS c ON c.kind = 'referral' AND c.year = y.year
	 GROUP BY 1, 2
)
SELECT count(*) AS grid_years, count(*) FILTER (WHERE s.within > 0 AND s.out_of > 0 AND s.into > 0) AS all_kinds,
	   count(*) FILTER (WHERE y.referrals_within_grid <> s.within OR y.referrals_up_within_grid <> s.up_within
						   OR y.referrals_down_within_grid <> s.down_within OR y.referrals_out_of_grid <> s.out_of
						   OR y.referrals_into_grid <> s.into OR y.grid_id IS NULL) AS differing
  FROM s LEFT JOIN pfr_pub.grid_year AS y ON y.grid_id = s.id AND y.year = s.year;
-- And every published referral count is a multiple of min_cell.
SELECT (SELECT count(*) FROM pfr_pub.referral_cells WHERE referrals % 5 <> 0)
	 + (SELECT count(*) FROM pfr_pub.facility_year
		 WHERE (referrals_down_sent % 5) + (referrals_within_consortium % 5) + (referrals_outside_consortium % 5) > 0)
	 + (SELECT count(*) FROM pfr_pub.consortium_year_referrals
		 WHERE (referrals_sent % 5) + (referrals_within_consortium % 5) + (referrals_down_sent % 5) > 0) AS not_multiple;

SET client_min_messages = warning;
DROP SCHEMA pfr_pub CASCADE;
DROP SCHEMA pfr CASCADE;
