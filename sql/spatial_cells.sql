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
