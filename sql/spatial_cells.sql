-- Radius searches read per-cell programs of the k-d tree walk (fs_reach.c):
-- the first searches at a radius, and searches whose radius changes from
-- row to row, run a program made for the point alone; the others their
-- cell's, made from its parent cell's.  Every way must find exactly the
-- pairs of the brute force, hs_distance(...) <= radius: here around the
-- antimeridian (longitudes wrap) and the north pole (unit-vector cells of
-- negative coordinates, split planes through many cells), with radii that
-- change on every row and one that takes the whole sphere.
SET search_path = health_share, public;
SELECT setseed(0.25);
-- half of the facilities and points within 3 degrees of (180, 0), half
-- within 3 degrees of the pole
CREATE FUNCTION pg_temp.pts(n int) RETURNS TABLE (id bigint, lon float8, lat float8)
LANGUAGE sql AS $$
  SELECT i, CASE WHEN i % 2 = 0 THEN CASE WHEN x > 180 THEN x - 360 ELSE x END ELSE 360 * u - 180 END,
            CASE WHEN i % 2 = 0 THEN 6 * v - 3 ELSE 87 + 3 * v END
    FROM (SELECT i, 177 + 6 * random() AS x, random() AS u, random() AS v
            FROM generate_series(1, n) i) s
$$;
CREATE TABLE cf AS SELECT id, lon, lat, (1 + floor(20 * random()))::float8 AS supply FROM pg_temp.pts(400);
CREATE TABLE cp AS SELECT id, lon, lat, (1 + floor(1000 * random()))::float8 AS pop FROM pg_temp.pts(2000);
CREATE TABLE cs AS SELECT facility_set(id, lon, lat, supply) AS fs FROM cf;
-- points on both sides of the antimeridian and facilities on both sides
SELECT count(*) FILTER (WHERE lon > 179) > 100 AS east, count(*) FILTER (WHERE lon < -179) > 100 AS west
  FROM cp;
-- brute force: every pair within 150 km, and within a radius that changes
-- with the point (20 to 340 km)
CREATE TABLE pairs AS
SELECT p.id AS pid, f.id AS fid, hs_distance(p.lon, p.lat, f.lon, f.lat) AS d
  FROM cp p, cf f WHERE hs_distance(p.lon, p.lat, f.lon, f.lat) <= 340000;
CREATE TABLE brute AS
SELECT p.id, count(x.pid) FILTER (WHERE x.d <= 150000) AS n150,
       count(x.pid) FILTER (WHERE x.d <= 20000 + (p.id % 9) * 40000) AS nvar
  FROM cp p LEFT JOIN pairs x ON x.pid = p.id GROUP BY p.id;
SELECT sum(n150) > 20000 AS many_pairs, count(*) FILTER (WHERE n150 > 0) > 1900 AS most_points_reach
  FROM brute;
-- one radius: after the first searches every point reads its cell's program
SELECT count(*) AS within_mismatches
  FROM cp p JOIN brute b USING (id), cs
 WHERE facilities_within(cs.fs, p.lon, p.lat, 150000) <> b.n150;
-- a radius changing on every row: programs for the point alone
SELECT count(*) AS changing_radius_mismatches
  FROM cp p JOIN brute b USING (id), cs
 WHERE facilities_within(cs.fs, p.lon, p.lat, 20000 + (p.id % 9) * 40000) <> b.nvar;
-- 21,000 km is more than half the circumference (20,015 km): every facility
SELECT count(*) FILTER (WHERE facilities_within(cs.fs, p.lon, p.lat, 21000000) <> 400) AS whole_sphere_mismatches
  FROM cp p, cs;
-- coverage: the population with a facility within 150 km
SELECT coverage((SELECT fs FROM cs), p.lon, p.lat, p.pop::bigint, 150000)::text
       = (SELECT (sum(pop) FILTER (WHERE b.n150 > 0))::bigint || '/' || sum(pop)::bigint
            FROM cp q JOIN brute b USING (id))
       AS coverage_same
  FROM cp p;
-- binary 2SFCA against the two steps written in SQL over the pairs
CREATE TABLE ratio AS
SELECT f.id AS fid, f.supply / sum(p.pop) AS r
  FROM pairs JOIN cf f ON f.id = pairs.fid JOIN cp p ON p.id = pairs.pid
 WHERE pairs.d <= 150000
 GROUP BY f.id, f.supply;
CREATE TABLE ours AS
SELECT p.id, fca_access((SELECT fca_demand(cs.fs, q.lon, q.lat, q.pop, 150000) FROM cp q, cs), p.lon, p.lat) AS a
  FROM cp p;
SELECT max(abs(o.a - coalesce(s.a, 0)) / greatest(abs(s.a), 1e-300)) < 1e-12 AS fca_binary_same,
       count(*) FILTER (WHERE o.a > 0) > 1900 AS many_reached
  FROM ours o
  LEFT JOIN (SELECT pairs.pid, sum(ratio.r) AS a FROM pairs JOIN ratio USING (fid)
              WHERE pairs.d <= 150000 GROUP BY pairs.pid) s
    ON s.pid = o.id;
DROP TABLE cf, cp, cs, pairs, brute, ratio, ours;

-- The memory of the cells is bounded.  Grids of cells live as long as the
-- memory context of the function's calls: in a PL/pgSQL loop (a simple
-- expression) the whole transaction, so every grid made in the loop is still
-- there at its end and pg_backend_memory_contexts shows them all.  A grid
-- copies the tree (25 bytes a facility: 250 kB for 10,000 facilities); no
-- grid is made once the grids of a backend hold 64 MB together (fs_reach.c,
-- FS_GRIDS_BYTES), and the searches of its radius walk the tree.  600
-- radii, each searched 10 times in a row (a grid is made at the 9th
-- search), would make 600 grids of 250 kB and more each: 150 MB.  The
-- cells of these grids hold a few bytes each: 64 MB and 1 MB to spare.
SELECT setseed(0.75);
CREATE TABLE mf AS SELECT i::bigint AS id, 115.9 + 1.2 * random() AS lon, 29.9 + 1.1 * random() AS lat
  FROM generate_series(1, 10000) i;
CREATE INDEX ON mf USING gist (point(lon, lat));
ANALYZE mf;
CREATE TABLE ms AS SELECT facility_set(id, lon, lat, 1) AS fs FROM mf;
-- search i: around (116 + (i % 97) / 100, 30 + (i % 89) / 100), radius
-- 1000 + i / 10 metres (integer division: 10 searches a radius)
CREATE FUNCTION pg_temp.radii(fs facility_set, n int, OUT nfound bigint, OUT cell_bytes bigint, OUT grids bigint)
LANGUAGE plpgsql AS $$
BEGIN
  nfound := 0;
  FOR i IN 1..n LOOP
    nfound := nfound + facilities_within(fs, 116 + (i % 97) / 100.0, 30 + (i % 89) / 100.0, 1000 + i / 10);
  END LOOP;
  SELECT sum(total_bytes), count(*) INTO cell_bytes, grids
    FROM pg_backend_memory_contexts WHERE name = 'facility_set cells';
END $$;
CREATE TABLE mr AS SELECT * FROM pg_temp.radii((SELECT fs FROM ms), 6000);
-- brute force: every facility within the radius by hs_distance (the box
-- only narrows the candidates: 1,600 m are under 0.015 degrees of latitude
-- and 0.02 of longitude at 31 degrees north)
SELECT nfound = (SELECT sum(b) FROM (
         SELECT (SELECT count(*) FROM mf
                  WHERE point(mf.lon, mf.lat) <@ box(point(p.lon - 0.02, p.lat - 0.015), point(p.lon + 0.02, p.lat + 0.015))
                    AND hs_distance(p.lon, p.lat, mf.lon, mf.lat) <= p.r) AS b
           FROM generate_series(1, 6000) i,
                LATERAL (SELECT 116 + (i % 97) / 100.0 AS lon, 30 + (i % 89) / 100.0 AS lat, 1000 + i / 10 AS r) p) s)
       AS radii_same,
       nfound > 10000 AS radii_found_many,
       grids > 100 AS many_grids,
       cell_bytes <= 65 * 1024 * 1024 AS radii_bounded
  FROM mr;
-- Points spread over the whole sphere at a small radius: every search a new
-- cell (and its 4 parents), each holding an empty program.  The cells count
-- against the budget of a grid (4 million entries, 16 MB, a slot of the
-- cell table 4 entries; the table doubles past it at most once: 32 MB);
-- 300,000 points make 1.5 million cells, a table of 4 million slots (64 MB)
-- without that.
CREATE FUNCTION pg_temp.spread(fs facility_set, n int, OUT nfound bigint, OUT cell_bytes bigint)
LANGUAGE plpgsql AS $$
DECLARE
  u float8;
  v float8;
BEGIN
  nfound := 0;
  FOR i IN 1..n LOOP
    u := i * 0.6180339887::float8;
    v := i * 0.7548776662::float8;
    nfound := nfound + facilities_within(fs, -180 + 360 * (u - floor(u)), -90 + 180 * (v - floor(v)), 100);
  END LOOP;
  SELECT sum(total_bytes) INTO cell_bytes FROM pg_backend_memory_contexts WHERE name = 'facility_set cells';
END $$;
CREATE TABLE mspread AS SELECT * FROM pg_temp.spread((SELECT fs FROM ms), 300000);
-- brute force over the points in the facilities' box (the others are more
-- than 100 m from every facility)
SELECT nfound = (SELECT count(*) FROM (
         SELECT -180 + 360 * (u - floor(u)) AS lon, -90 + 180 * (v - floor(v)) AS lat
           FROM generate_series(1, 300000) i,
                LATERAL (SELECT i * 0.6180339887::float8 AS u, i * 0.7548776662::float8 AS v) uv) p, mf
          WHERE p.lon BETWEEN 115.8 AND 117.2 AND p.lat BETWEEN 29.8 AND 31.1
            AND hs_distance(p.lon, p.lat, mf.lon, mf.lat) <= 100) AS spread_same,
       nfound > 0 AS spread_found,
       cell_bytes <= 33 * 1024 * 1024 AS spread_bounded
  FROM mspread;
DROP TABLE mf, ms, mr, mspread;
