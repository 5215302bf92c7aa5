-- The model places recorded residence codes in the division that holds
-- their area today (model_config.division_mapping = 'current', the default)
-- or leaves them as recorded ('as recorded'); a code of no vintage, or one
-- that cannot be placed, counts in no county (docs/model.md, "Division codes
-- that changed").
-- Errors show their message and SQLSTATE; the CONTEXT lines (PL/pgSQL
-- line numbers of the model's functions) are left out.
\set SHOW_CONTEXT never
SET search_path = public, health_share;
SET client_min_messages = warning;
SELECT install_model('dc');
RESET client_min_messages;
SELECT dc.add_partitions(DATE '2024-01-01', DATE '2024-12-01');
-- Publication threshold 1: the full views show every count.
UPDATE dc.model_config SET min_cell = 1;
SELECT division_mapping FROM dc.model_config;
-- Facilities of today: 玉环市 331083, 拱墅区 330105, 上城区 330102, 钱塘区 330114.
INSERT INTO dc.facility (id, name, care_level, county) VALUES
  (1, '玉环市人民医院', 'secondary', '331083'), (2, '拱墅区医院', 'secondary', '330105'),
  (3, '上城区医院', 'secondary', '330102'), (4, '白杨街道社区卫生服务中心', 'primary', '330114');
-- A facility loaded with an abolished county code keeps it in
-- county_recorded and counts in the division holding its area today:
-- 玉环县 331021 -> 玉环市 331083 (adcode_current, the 2017 rename).  邯郸县
-- 130421 was split 3/2/2 with no majority successor: it cannot be placed
-- and is refused.  A code of no vintage (339999) is refused as well.
INSERT INTO dc.facility (id, name, care_level, county) VALUES (5, '玉环县医院', 'secondary', '331021');
INSERT INTO dc.facility (id, name, care_level, county) VALUES (6, '邯郸县医院', 'secondary', '130421');
INSERT INTO dc.facility (id, name, care_level, county) VALUES (6, '无名医院', 'secondary', '339999');
SELECT id, county, county_recorded FROM dc.facility ORDER BY id;
-- Visits of March 2024, one per row of this list:
--   residence 331021 (玉环县, abolished 2017)   at 1: 4
--   residence 331083 (玉环市)                   at 1: 2, at 2: 1, at 5: 2
--   residence 330103 (下城区, abolished 2021)   at 2: 3
--   residence 330104 (江干区, abolished 2021)   at 3: 2
--   residence 330104009 (白杨街道 of 江干区)     at 4: 1
--   residence 339999 (no vintage has it)        at 1: 5
--   residence 130421 (邯郸县, split 3/2/2)      at 2: 1
CREATE FUNCTION pg_temp.visits(residence text, facility integer, n integer) RETURNS void LANGUAGE sql AS $$
	INSERT INTO dc.visit (visit_date, residence, facility_id, kind, total_fen, fund_fen)
	SELECT DATE '2024-03-10', residence::adcode, facility, 'outpatient', 100, 50 FROM generate_series(1, n) $$;
SELECT pg_temp.visits('331021', 1, 4), pg_temp.visits('331083', 1, 2), pg_temp.visits('331083', 2, 1), pg_temp.visits('331083', 5, 2),
	   pg_temp.visits('330103', 2, 3), pg_temp.visits('330104', 3, 2), pg_temp.visits('330104009', 4, 1),
	   pg_temp.visits('339999', 1, 5), pg_temp.visits('130421', 2, 1) \g /dev/null
-- One lateral referral (secondary -> secondary) of a 玉环县 resident.
INSERT INTO dc.referral (referral_date, from_facility_id, to_facility_id, residence) VALUES ('2024-03-11', 1, 2, '331021');
SELECT refresh_model('dc');

-- 'current': 331021 counts in 玉环市 331083 (4 + 2 + 1 + 2 = 9 visits, 8 at
-- its own hospitals 1 and 5 (facility 5 loaded as 331021 counts in 331083):
-- 8/9), 330103 in 拱墅区 330105 (3 of 3 in the county), 330104
-- in 上城区 330102 (the split's majority: 2 of 2), 白杨街道 in 钱塘区 330114 by
-- its own change (1 of 1).  Served visits are by the facility's county: 331083
-- 4 + 2 + 5 at 1 and 2 at 5 = 13, 330105 1 + 3 + 1 = 5, 330102 2, 330114 1.
-- The referral counts for 331083.  339999 and 130421 are no county.
SELECT county, visits, round(in_county_rate::numeric, 6) AS in_county_rate, served_visits, referrals_lateral FROM dc.county_month ORDER BY county;
SELECT county, visits, round(in_county_rate::numeric, 6) AS in_county_rate, served_visits, referrals_lateral FROM dc.county_month_mat ORDER BY county;
SELECT residence_county, facility_county, visits FROM dc.visit_cell ORDER BY 1, 2;
SELECT county, referrals FROM dc.referral_cell ORDER BY 1;
SELECT residence, residence_county, count(*) FROM dc.visit_placed GROUP BY 1, 2 ORDER BY 1;

-- No phantom county in any view of the model or of its published layer:
-- every column named county or *_county holds codes of today only.
CREATE TEMP TABLE phantoms (view text, col text, code text);
DO $$
DECLARE r record;
BEGIN
	FOR r IN SELECT c.relnamespace::regnamespace::text AS s, c.relname, a.attname
			   FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
			  WHERE c.relnamespace IN ('dc'::regnamespace, 'dc_pub'::regnamespace) AND c.relkind = 'v'
				AND (a.attname = 'county' OR a.attname LIKE '%\_county') AND a.attname <> 'in_county'
	LOOP
		EXECUTE format('INSERT INTO phantoms SELECT %L, %L, CAST(x.%I AS text) FROM %I.%I AS x
						 WHERE x.%I IS NOT NULL AND NOT EXISTS (SELECT FROM health_share.division AS d
																 WHERE CAST(d.code AS text) = CAST(x.%I AS text))',
					   r.s || '.' || r.relname, r.attname, r.attname, r.s, r.relname, r.attname, r.attname);
	END LOOP;
END $$;
SELECT count(DISTINCT view) > 20 AS many_views_checked FROM (
	SELECT c.relname AS view FROM pg_class AS c JOIN pg_attribute AS a ON a.attrelid = c.oid
	 WHERE c.relnamespace IN ('dc'::regnamespace, 'dc_pub'::regnamespace) AND c.relkind = 'v'
	   AND (a.attname = 'county' OR a.attname LIKE '%\_county') AND a.attname <> 'in_county') AS v;
SELECT * FROM phantoms ORDER BY 1, 2, 3;

-- The data-quality view lists facility 5 with where it counts (331083 玉环市).
SELECT fact, code, recorded_name, abolished_in, counted_in, counted_in_name, rows, examples
  FROM dc.quality_abolished_codes WHERE fact = 'facility';
SELECT check_name, subject, rows, examples FROM dc.data_quality WHERE subject LIKE 'facility county%';

-- 'as recorded': the old codes stay (331021: 4 visits, none in its own
-- county, since hospital 1 is in 331083: 0/4; 331083 2/5 (its 2 visits at
-- facility 5, now in 331021, are not in its county); 330103 0/3;
-- 330104 3 visits (the county code's 2 and 白杨街道's 1), 0/3; 130421 0/1);
-- 339999 is still no county.  Served visits: 331021 the 2 at facility 5,
-- 331083 4 + 2 + 5 = 11.  Changing the setting marks every month dirty and
-- stores facility 5 with its recorded county again.
UPDATE dc.model_config SET division_mapping = 'as recorded';
SELECT count(DISTINCT month) AS dirty_months FROM dc.dirty_month;
SELECT id, county, county_recorded FROM dc.facility ORDER BY id;
SELECT refresh_model('dc');
SELECT county, visits, round(in_county_rate::numeric, 6) AS in_county_rate, served_visits, referrals_lateral FROM dc.county_month ORDER BY county;
SELECT county, visits, round(in_county_rate::numeric, 6) AS in_county_rate, served_visits, referrals_lateral FROM dc.county_month_mat ORDER BY county;
SELECT fact, code, counted_in, counted_in_name, rows, examples FROM dc.quality_abolished_codes WHERE fact = 'facility';
-- Under 'as recorded' 邯郸县 130421 is accepted as loaded; going back to
-- 'current' would have to invent a county for it and is refused until it goes.
INSERT INTO dc.facility (id, name, care_level, county) VALUES (6, '邯郸县医院', 'secondary', '130421');
SELECT id, county, county_recorded FROM dc.facility WHERE id = 6;
UPDATE dc.model_config SET division_mapping = 'current';
DELETE FROM dc.facility WHERE id = 6;
-- Back to 'current': facility 5 counts in 331083 again, and the numbers are
-- those of 'current' above (331083: 9 visits, 8/9, 13 served).
UPDATE dc.model_config SET division_mapping = 'current';
SELECT id, county, county_recorded FROM dc.facility ORDER BY id;
SELECT refresh_model('dc') > 0 AS refreshed;
SELECT county, visits, round(in_county_rate::numeric, 6) AS in_county_rate, served_visits, referrals_lateral FROM dc.county_month_mat ORDER BY county;
-- Loading a code of today over it clears the recorded code; loading the old
-- one again maps it again.
UPDATE dc.facility SET county = '331082' WHERE id = 5;
SELECT id, county, county_recorded FROM dc.facility WHERE id = 5;
UPDATE dc.facility SET county = '331021' WHERE id = 5;
SELECT id, county, county_recorded FROM dc.facility WHERE id = 5;
UPDATE dc.model_config SET division_mapping = 'as recorded';
UPDATE dc.model_config SET division_mapping = 'recorded';
UPDATE dc.model_config SET division_mapping = 'current';

SET client_min_messages = warning;
DROP SCHEMA dc, dc_pub CASCADE;
