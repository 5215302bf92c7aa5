-- Discharges, grade 3-4 discharges and TCM visits by facility in the
-- published layer (docs/publishing.md, "The method"): no set of visits is
-- rounded in two cell families.
--
-- The attack: the published layer used to round a facility's month of
-- discharges, grade 3-4 discharges and TCM outpatient visits (facility_cells,
-- keys of their own) separately from the visit cells (visit_cells: month x
-- county of residence x county of the facility x kind x grassroots).  Where
-- a facility is the only one of its kind in its county that month, all its
-- patients come from one county and all its admissions were discharged (or
-- all its outpatient visits were TCM), its month is, in truth, the whole of
-- one visit cell: a reader saw two independent roundings of one count, one
-- rounded to 0 (true 0 .. 4) and the other to 5 (true 1 .. 9) leaves 1 .. 4,
-- a small cell disclosed.  Within facility_cells too: discharges against
-- grade 3-4 discharges when every operation was grade 3-4.  Now the visit
-- cells carry the facility and the flags (TCM outpatient, discharged,
-- discharged with a grade 3-4 operation), and every published visit count,
-- by facility too, is a sum of those cells; bed-days (an amount per stay)
-- are shown exact by facility and year where 5 or more discharges stand
-- behind them, like money.
--
-- Part (a) builds such coincidences and shows, with publish_round and the
-- cell keys the layer used before, that the two roundings differ for about
-- half of all seeds and then narrow the cell below min_cell values.  Part
-- (b) checks on the whole fixture (random background visits over two years)
-- that every published visit, discharge and TCM count equals the sum of the
-- published visit_cells it covers.
SET search_path = public, health_share;
SET datestyle = ISO;
SET client_min_messages = warning;
SELECT install_model('pfv');
RESET client_min_messages;
SELECT pfv.add_partitions(DATE '2023-01-01', DATE '2024-12-01') IS NOT NULL AS partitions;
-- 德清 330521: hospital 10, centres 11 and 12; 长兴 330522: hospital 20 and
-- centre 21, each the only one of its kind (secondary, grassroots) in 长兴;
-- the city hospital 30 in 吴兴 330502.
INSERT INTO pfv.facility (id, name, care_level, county, beds) VALUES
  (10, '德清县人民医院', 'secondary', '330521', 800), (11, '武康街道社区卫生服务中心', 'primary', '330521', 20),
  (12, '新市镇中心卫生院', 'primary', '330521', 30), (20, '长兴县人民医院', 'secondary', '330522', 700),
  (21, '雉城街道社区卫生服务中心', 'primary', '330522', 20), (30, '湖州市中心医院', 'tertiary', '330502', 1800);

-- The coincidences, in March 2024: 21 sees three residents of 长兴, all
-- TCM outpatient visits, and nothing else; 20 admits two residents of 长兴,
-- both discharged after a grade 4 operation, and nothing else.  21's TCM
-- visits of the month are the whole of the old visit cell (2024-03, 长兴,
-- 长兴, outpatient, grassroots); 20's discharges and its grade 3-4
-- discharges are the whole of the old cell (2024-03, 长兴, 长兴, inpatient,
-- not grassroots).
INSERT INTO pfv.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen, tcm, discharge_date, surgery_grade)
SELECT DATE '2024-03-10' + i, '330522001', 21, 'outpatient', 5000, 3000, true, NULL, NULL FROM generate_series(1, 3) AS i
UNION ALL
SELECT DATE '2024-03-10' + i, '330522001', 20, 'inpatient', 900000, 600000, false, DATE '2024-03-20' + i, 4
  FROM generate_series(1, 2) AS i;
-- The background: 1,500 random visits at the six facilities over 2023 and
-- 2024 (three in ten admissions, most discharged, some with an operation;
-- a third of the outpatient visits TCM), residents of three counties, none
-- at 20 or 21 in March 2024.
SELECT setseed(0.25);
INSERT INTO pfv.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen, tcm, discharge_date, surgery_grade)
SELECT d, r, f, k, 10000, 6000, k = 'outpatient' AND t < 0.33,
	   CASE WHEN k = 'inpatient' AND t < 0.85 THEN d + floor(t * 12)::int END,
	   CASE WHEN k = 'inpatient' AND g > 0 THEN g END
  FROM (SELECT DATE '2023-01-01' + floor(random() * 731)::int AS d,
			   (ARRAY[10, 11, 12, 20, 21, 30])[1 + floor(random() * 6)::int] AS f,
			   (ARRAY['330521001', '330521102', '330522001'])[1 + floor(random() * 3)::int]::adcode AS r,
			   CASE WHEN random() < 0.3 THEN 'inpatient' ELSE 'outpatient' END AS k,
			   random() AS t, floor(random() * 5)::int AS g
		  FROM generate_series(1, 1500)) AS s
 WHERE NOT (f IN (20, 21) AND d >= DATE '2024-03-01' AND d < DATE '2024-04-01');
SELECT refresh_model('pfv') AS months;
-- A fixed seed, so that the output is fixed (one for which the old
-- roundings differ: part (a) shows how often that happens).
UPDATE pfv.publish_key SET seed = sha256('facility visits'::bytea);

-- The truth, from the facts: the March 2024 counts of 20 and 21 and of the
-- two old cells.
SELECT count(*) FILTER (WHERE v.facility_id = 21 AND v.kind = 'outpatient' AND v.tcm) AS tcm_at_21,
	   count(*) FILTER (WHERE f.county = '330522' AND f.care_level <= 'primary' AND v.kind = 'outpatient'
						  AND adcode_county(v.residence) = '330522') AS old_outpatient_cell,
	   count(*) FILTER (WHERE v.facility_id = 20 AND v.discharge_date IS NOT NULL) AS discharges_at_20,
	   count(*) FILTER (WHERE v.facility_id = 20 AND v.discharge_date IS NOT NULL AND v.surgery_grade >= 3) AS grade34_at_20,
	   count(*) FILTER (WHERE f.county = '330522' AND f.care_level > 'primary' AND v.kind = 'inpatient'
						  AND adcode_county(v.residence) = '330522') AS old_inpatient_cell
  FROM pfv.visit AS v JOIN pfv.facility AS f ON f.id = v.facility_id
 WHERE v.visit_date >= '2024-03-01' AND v.visit_date < '2024-04-01';

-- (a) Before: the old keys.  The visit cell was keyed (1, days since 1970,
-- county of residence, county of the facility, kind 1 = outpatient or 2 =
-- inpatient, grassroots 1 or 0); facility_cells rounded a facility's month
-- with (6, days, facility, 2 = TCM outpatient visits), (6, days, facility,
-- 4 = discharges) and (6, days, facility, 6 = grade 3-4 discharges).  3
-- rounds up to 5 with probability 3/5, 2 with probability 2/5, each key
-- independently: two keys differ with probability 2 x 3/5 x 2/5 = 0.48
-- either way.  With this model's seed they do, and the reader's candidates
-- for the true count (within min_cell - 1 of each published value, not
-- negative) meet in fewer than 5 values.
CREATE TEMP TABLE old_keys AS
SELECT s.seed,
	   publish_round(3, 5, s.seed, 1, DATE '2024-03-01' - DATE '1970-01-01', 330522, 330522, 1, 1) AS outpatient_cell,
	   publish_round(3, 5, s.seed, 6, DATE '2024-03-01' - DATE '1970-01-01', 21, 2) AS tcm_21,
	   publish_round(2, 5, s.seed, 1, DATE '2024-03-01' - DATE '1970-01-01', 330522, 330522, 2, 0) AS inpatient_cell,
	   publish_round(2, 5, s.seed, 6, DATE '2024-03-01' - DATE '1970-01-01', 20, 4) AS discharges_20,
	   publish_round(2, 5, s.seed, 6, DATE '2024-03-01' - DATE '1970-01-01', 20, 6) AS grade34_20
  FROM (SELECT p.seed FROM pfv.publish_key AS p
		UNION ALL SELECT sha256(convert_to('seed ' || i, 'UTF8')) FROM generate_series(1, 1000) AS i) AS s;
CREATE FUNCTION pg_temp.candidates(a bigint, b bigint) RETURNS int8range LANGUAGE sql IMMUTABLE AS
$$ SELECT int8range(greatest(a, b) - 4, least(a, b) + 4, '[]') * int8range(0, NULL) $$;
SELECT outpatient_cell, tcm_21, pg_temp.candidates(outpatient_cell, tcm_21) AS candidates_tcm,
	   inpatient_cell, discharges_20, grade34_20,
	   pg_temp.candidates(inpatient_cell, discharges_20) AS candidates_discharges,
	   pg_temp.candidates(discharges_20, grade34_20) AS candidates_within_facility_cells
  FROM old_keys WHERE seed = sha256('facility visits'::bytea);
-- Over 1,000 other seeds: each pair of old roundings differs for about 480
-- (binomial, standard deviation 16: 400 .. 560 is 5 of them), and exactly
-- those narrow the cell below 5 candidates (a 0 and a 5 leave 1 .. 4; a 0
-- and a 0 leave 0 .. 4; a 5 and a 5 leave 1 .. 9).
SELECT count(*) FILTER (WHERE outpatient_cell <> tcm_21) BETWEEN 400 AND 560 AS tcm_about_half_differ,
	   count(*) FILTER (WHERE inpatient_cell <> discharges_20) BETWEEN 400 AND 560 AS discharges_about_half_differ,
	   count(*) FILTER (WHERE discharges_20 <> grade34_20) BETWEEN 400 AND 560 AS grade34_about_half_differ,
	   count(*) FILTER (WHERE upper(pg_temp.candidates(outpatient_cell, tcm_21))
							  - lower(pg_temp.candidates(outpatient_cell, tcm_21)) < 5)
	   = count(*) FILTER (WHERE outpatient_cell <> tcm_21) AS narrowed_when_differ
  FROM old_keys WHERE seed <> sha256('facility visits'::bytea);

-- (b) After.  Each of the two sets is one visit cell, keyed with the
-- facility of a stay (0 for outpatient visits), TCM, discharged and grade
-- 3-4 (1 or 0) appended, published once: 21's March is (..., 1, 1, 0, 1,
-- 0, 0), the TCM outpatient visits at 长兴's grassroots facilities, 20's
-- (..., 2, 0, 20, 0, 1, 1).  No other published cell covers them.
SELECT k.kind, k.fid AS facility_id, k.tcm, k.discharged, k.grade34, k.by_key, coalesce(c.visits, 0) AS published,
	   (SELECT count(*) FROM pfv_pub.visit_cells AS o WHERE o.month = '2024-03-01' AND o.facility_county = '330522')
		 AS cells_of_the_month
  FROM (VALUES ('outpatient', true, 0, true, false, false,
				publish_round(3, 5, sha256('facility visits'::bytea), 1, DATE '2024-03-01' - DATE '1970-01-01',
							  330522, 330522, 1, 1, 0, 1, 0, 0)),
			   ('inpatient', false, 20, false, true, true,
				publish_round(2, 5, sha256('facility visits'::bytea), 1, DATE '2024-03-01' - DATE '1970-01-01',
							  330522, 330522, 2, 0, 20, 0, 1, 1))) AS k(kind, g, fid, tcm, discharged, grade34, by_key)
  LEFT JOIN pfv_pub.visit_cells AS c
	ON (c.month, c.residence_county, c.facility_county, c.kind, c.grassroots, c.facility_id, c.tcm, c.discharged, c.grade34)
	 = (DATE '2024-03-01', '330522', '330522', k.kind, k.g, k.fid, k.tcm, k.discharged, k.grade34)
 ORDER BY 1;
-- facility_cells is gone: nothing of it was not a sum of visit cells but
-- the bed-days, now shown exact in facility_year.
SELECT to_regclass('pfv_pub.facility_cells') IS NULL AS facility_cells_gone;

-- Every published count is the sum of the published cells it covers
-- (counted here from visit_cells, the reader's own view).
CREATE TEMP TABLE cells AS
SELECT c.*, extract(year FROM c.month)::int AS year FROM pfv_pub.visit_cells AS c;
-- facility x year: discharges, and the grade 3-4 share as a ratio of sums.
WITH s AS (
	SELECT c.facility_id, c.year, sum(c.visits) FILTER (WHERE c.discharged) AS discharges,
		   coalesce(sum(c.visits) FILTER (WHERE c.grade34), 0) AS grade34
	  FROM cells AS c WHERE c.kind = 'inpatient'
	 GROUP BY 1, 2 HAVING sum(c.visits) FILTER (WHERE c.discharged) > 0
)
SELECT count(*) AS facility_years, count(*) FILTER (WHERE s.grade34 > 0) AS with_grade34,
	   count(*) FILTER (WHERE y.facility_id IS NULL OR s.facility_id IS NULL OR y.discharges <> s.discharges
						   OR y.grade34_surgery_share IS DISTINCT FROM publish_ratio(s.grade34::bigint, s.discharges::bigint)) AS differing
  FROM s FULL JOIN (SELECT * FROM pfv_pub.facility_year WHERE discharges > 0) AS y
	ON y.facility_id = s.facility_id AND y.year = s.year;
-- county x year: grassroots outpatient visits at the county's facilities,
-- and of them TCM.
WITH s AS (
	SELECT c.facility_county AS county, c.year, sum(c.visits) AS gr,
		   coalesce(sum(c.visits) FILTER (WHERE c.tcm), 0) AS tcm
	  FROM cells AS c WHERE c.kind = 'outpatient' AND c.grassroots
	 GROUP BY 1, 2
)
SELECT count(*) AS county_years, count(*) FILTER (WHERE s.tcm > 0) AS with_tcm,
	   count(*) FILTER (WHERE y.grassroots_outpatient_visits <> coalesce(s.gr, 0)
						   OR y.grassroots_tcm_share IS DISTINCT FROM publish_ratio(s.tcm::bigint, s.gr::bigint)) AS differing
  FROM pfv_pub.county_year_resources AS y LEFT JOIN s ON s.county = y.county AND s.year = y.year;
-- unit x period: a county's visits and inpatient admissions are those of
-- its residents, its served visits those of its facilities; the flows'
-- margins and links likewise.
WITH p AS (
	SELECT 'county_month' AS v, county AS unit, month::text AS period, visits, inpatient_visits AS inp,
		   served_visits AS served FROM pfv_pub.county_month
	UNION ALL SELECT 'county_year', county, year::text, visits, inpatient_visits, served_visits
	  FROM pfv_pub.county_year
	UNION ALL SELECT 'county_year_flows', county, year::text, residents, NULL, served FROM pfv_pub.county_year_flows
), s AS (
	SELECT v.v, k.unit, k.period, sum(c.visits) FILTER (WHERE c.residence_county = k.unit) AS visits,
		   sum(c.visits) FILTER (WHERE c.residence_county = k.unit AND c.kind = 'inpatient') AS inp,
		   sum(c.visits) FILTER (WHERE c.facility_county = k.unit) AS served
	  FROM (VALUES ('county_month'), ('county_year'), ('county_year_flows')) AS v(v)
	  JOIN cells AS c ON true
	 CROSS JOIN LATERAL (SELECT DISTINCT x.unit FROM (VALUES (c.residence_county), (c.facility_county)) AS x(unit)) AS u
	 CROSS JOIN LATERAL (SELECT u.unit, CASE v.v WHEN 'county_month' THEN c.month::text ELSE c.year::text END AS period) AS k
	 GROUP BY 1, 2, 3
)
SELECT coalesce(p.v, s.v) AS view, count(*) AS rows,
	   count(*) FILTER (WHERE coalesce(p.visits, 0) <> coalesce(s.visits, 0) OR coalesce(p.served, 0) <> coalesce(s.served, 0)
						   OR (p.v <> 'county_year_flows' AND coalesce(p.inp, 0) <> coalesce(s.inp, 0))) AS differing
  FROM p FULL JOIN s ON s.v = p.v AND s.unit = p.unit AND s.period = p.period
 WHERE coalesce(p.visits, 0) + coalesce(p.served, 0) + coalesce(s.visits, 0) + coalesce(s.served, 0) > 0
 GROUP BY 1 ORDER BY 1;
WITH s AS (
	SELECT c.year, c.residence_county, c.facility_county, sum(c.visits) AS visits FROM cells AS c GROUP BY 1, 2, 3
)
SELECT count(*) AS links,
	   count(*) FILTER (WHERE l.visits IS DISTINCT FROM s.visits) AS differing
  FROM s FULL JOIN pfv_pub.county_year_flow_links AS l
	ON (l.year, l.residence_county, l.facility_county) = (s.year, s.residence_county, s.facility_county);
-- Bed-days are exact where 5 or more discharges stand behind them (the
-- facts' sum of max(discharge - admission, 1) over the discharged stays of
-- the year), else NULL with the ratios on them; the length of stay divides
-- them by the published discharges.
WITH t AS (
	SELECT v.facility_id, extract(year FROM v.visit_date)::int AS year, count(*) AS discharges,
		   sum(greatest(v.discharge_date - v.visit_date, 1)) AS bed_days
	  FROM pfv.visit AS v WHERE v.discharge_date IS NOT NULL GROUP BY 1, 2
)
SELECT count(*) AS facility_years, count(*) FILTER (WHERE y.bed_days IS NOT NULL) AS bed_days_shown,
	   count(*) FILTER (WHERE y.bed_days IS DISTINCT FROM CASE WHEN t.discharges >= 5 THEN t.bed_days END
						   OR y.average_length_of_stay IS DISTINCT FROM
							  CASE WHEN t.discharges >= 5 THEN publish_ratio(t.bed_days, y.discharges, 2) END
						   OR (t.discharges < 5 AND y.bed_occupancy IS NOT NULL)) AS differing
  FROM t LEFT JOIN pfv_pub.facility_year AS y ON y.facility_id = t.facility_id AND y.year = t.year;
-- And every published visit count is a multiple of min_cell.
SELECT (SELECT count(*) FROM pfv_pub.visit_cells WHERE visits % 5 <> 0)
	 + (SELECT count(*) FROM pfv_pub.facility_year WHERE discharges % 5 <> 0)
	 + (SELECT count(*) FROM pfv_pub.county_year_resources WHERE grassroots_outpatient_visits % 5 <> 0)
	 + (SELECT count(*) FROM pfv_pub.county_year WHERE (visits % 5) + (served_visits % 5) > 0) AS not_multiple;

SET client_min_messages = warning;
DROP SCHEMA pfv_pub CASCADE;
DROP SCHEMA pfv CASCADE;
