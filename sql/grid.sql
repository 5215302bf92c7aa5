-- grid: Albers equal-area conic (WGS84, 25°N/47°N, 105°E) and grid cells.
SET search_path = health_share, public;

-- Projected coordinates against PROJ 9.1.1 (Debian proj-bin), independent
-- of this code:
--   cs2cs -f %.6f +proj=longlat +ellps=WGS84 +to \
--         +proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +ellps=WGS84
CREATE TEMP TABLE proj_ref (lon float8, lat float8, x float8, y float8);
INSERT INTO proj_ref VALUES
  (0, 0, -11008593.618435, 6432444.600673),
  (105, 25, 0.000000, 2613973.659673),
  (105, 47, 0.000000, 5085476.273057),
  (120, 30, 1424561.025651, 3279461.703397),
  (120.15, 30.28, 1433919.989564, 3312682.334699),   -- Hangzhou
  (87.6, 43.8, -1378963.764818, 4849019.863651),     -- Urumqi
  (126.6, 45.75, 1659942.371851, 5127491.632892),    -- Harbin
  (110.3, 20.0, 564082.675871, 2079895.158335),      -- Haikou
  (-75, 40, -8093097.814205, 14636152.747406);
-- Within a millimetre of PROJ everywhere, and the inverse returns the
-- point to 1e-9 degrees.
SELECT r.lon, r.lat, abs(p.x - r.x) < 1e-3 AND abs(p.y - r.y) < 1e-3 AS same_as_proj,
       abs(u.lon - r.lon) < 1e-9 AND abs(u.lat - r.lat) < 1e-9 AS round_trip
  FROM proj_ref r, LATERAL grid_project(r.lon, r.lat) p, LATERAL grid_unproject(p.x, p.y) u
 ORDER BY r.lon, r.lat;
-- On the central meridian at the origin latitude both coordinates are 0.
SELECT * FROM grid_project(105, 0);

-- grid_cell(120, 30, 1000): x = 1424561.03, y = 3279461.70 → column 1424,
-- row 3279; id = 1000·2^44 + (3279 + 2^21)·2^22 + (1424 + 2^21).
SELECT grid_cell(120, 30, 1000) AS id,
       grid_cell(120, 30, 1000) = 1000::int8 * 2 ^ 44 + (3279 + 2097152)::int8 * 4194304 + (1424 + 2097152) AS encoded;
-- Its centre is projected (1424500, 3279500): PROJ's inverse gives
-- 119.999427621, 30.000419323.
SELECT round(lon::numeric, 9) AS lon, round(lat::numeric, 9) AS lat FROM grid_cell_center(grid_cell(120, 30, 1000));
-- A cell south-west of the origin (negative column and row):
-- (-250, -999750) → PROJ 104.998179821, -10.808948208.
SELECT grid_cell(104.9981, -10.8089, 500) >> 44 AS size,
       round(c.lon::numeric, 9) AS lon, round(c.lat::numeric, 9) AS lat
  FROM grid_cell_center(grid_cell(104.9981, -10.8089, 500)) c;
-- The centre lies in its own cell, for many sizes and places in China
-- (sizes from 4 m up cover all of China; 1 m cells only reach ±2097 km
-- from the origin, see the last error below).
SELECT setseed(0.3);
SELECT bool_and(grid_cell(c.lon, c.lat, s) = grid_cell(lon0, lat0, s)) AS centre_in_cell, count(*)
  FROM (SELECT 73 + 62 * random() AS lon0, 18 + 35 * random() AS lat0 FROM generate_series(1, 200)) p,
       unnest(ARRAY[4, 30, 250, 1000, 5000, 100000, 524287]) s,
       LATERAL grid_cell_center(grid_cell(lon0, lat0, s)) c;
-- Nearby points share a cell; the size is part of the id.
SELECT grid_cell(120.15, 30.28, 1000) = grid_cell(120.1501, 30.2801, 1000) AS same_cell,
       grid_cell(120.15, 30.28, 1000) <> grid_cell(120.15, 30.28, 2000) AS size_in_id;
-- GeoJSON: the 1 km cell, counter-clockwise, closed; corners are the cell's
-- projected corners (1424000..1425000, 3279000..3280000).
SELECT grid_cell_geojson(grid_cell(120, 30, 1000));
-- Cells above 10 km get a vertex every 10 km: a 25 km cell has 3 per side,
-- 4·3 + 1 = 13 positions.
SELECT json_array_length((grid_cell_geojson(grid_cell(120, 30, 25000))::json -> 'coordinates') -> 0) AS vertices;

-- Bad input.
SELECT grid_cell(200, 30, 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell(120, 'NaN', 1000);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell(120, 30, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell(120, 30, -5);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell(120, 30, 524288);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell(-75, -89, 1);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell_center(0);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell_center(-1);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_cell_geojson(12345);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_unproject(1e9, 0);
\echo :LAST_ERROR_SQLSTATE
SELECT grid_unproject('NaN', 0);
\echo :LAST_ERROR_SQLSTATE
