-- Radius searches of a facility_set against brute force over hs_distance:
-- facilities_within, coverage and binary 2SFCA take the facilities found by
-- the k-d tree (which skips the haversine of pairs certainly inside the
-- radius), the brute force every pair by hs_distance <= radius.  Both must
-- find exactly the same pairs, also for points placed exactly at the radius.
SET search_path = health_share, public;
SELECT setseed(0.5);
CREATE TABLE rf AS SELECT i::bigint AS id, 120 + 0.6 * random() AS lon, 30 + 0.5 * random() AS lat,
       (1 + floor(20 * random()))::float8 AS supply FROM generate_series(1, 300) i;
CREATE TABLE rp AS SELECT i::bigint AS id, 119.95 + 0.7 * random() AS lon, 29.95 + 0.6 * random() AS lat,
       floor(1000 * random())::bigint AS pop FROM generate_series(1, 3000) i;
-- a radius that is exactly some pair's distance, and points exactly at it:
-- the point 3 km due north of every tenth facility is at distance :r of it
SELECT hs_distance(120.2, 30.2, 120.2, 30.2 + 3000 / 111194.9266) AS r \gset
INSERT INTO rp SELECT 10000 + id, lon, lat + 3000 / 111194.9266, 100 FROM rf WHERE id % 10 = 0;
INSERT INTO rp SELECT 20000 + id, lon, lat, 100 FROM rf WHERE id % 10 = 0;
CREATE TABLE rs AS SELECT facility_set(id, lon, lat, supply) AS fs FROM rf;
-- brute force: every pair within :r by hs_distance
CREATE TABLE pairs AS
SELECT p.id AS pid, f.id AS fid FROM rp p, rf f WHERE hs_distance(p.lon, p.lat, f.lon, f.lat) <= :r;
SELECT count(*) > 3000 AS many_pairs,
       count(*) FILTER (WHERE pid >= 10000 AND pid < 20000) > 0 AS boundary_points_reach
  FROM pairs;
-- some of the points due north are at exactly :r from their facility (the
-- others differ from it in the last bits): the checks below meet the
-- inclusive boundary itself
SELECT count(*) FILTER (WHERE hs_distance(f.lon, f.lat, p.lon, p.lat) = :r) > 0 AS exactly_at_radius
  FROM rf f JOIN rp p ON p.id = 10000 + f.id;
-- facilities_within counts the same facilities
SELECT count(*) AS within_mismatches
  FROM rp p, rs
 WHERE facilities_within(rs.fs, p.lon, p.lat, :r)
       <> (SELECT count(*) FROM pairs WHERE pid = p.id);
-- coverage: the population with a facility within :r
SELECT coverage((SELECT fs FROM rs), p.lon, p.lat, p.pop, :r)::text
       = (SELECT sum(pop) FILTER (WHERE EXISTS (SELECT FROM pairs WHERE pid = q.id)) || '/' || sum(pop) FROM rp q)
       AS coverage_same
  FROM rp p;
-- binary 2SFCA against the two steps written in SQL over the pairs
CREATE TABLE ratio AS
SELECT f.id AS fid, f.supply / sum(p.pop) AS r
  FROM pairs JOIN rf f ON f.id = pairs.fid JOIN rp p ON p.id = pairs.pid
 GROUP BY f.id, f.supply HAVING sum(p.pop) > 0;
CREATE TABLE ours AS
SELECT p.id, fca_access((SELECT fca_demand(rs.fs, q.lon, q.lat, q.pop, :r) FROM rp q, rs), p.lon, p.lat) AS a
  FROM rp p;
SELECT max(abs(o.a - coalesce(s.a, 0)) / greatest(abs(s.a), 1e-300)) < 1e-12 AS fca_binary_same,
       count(*) FILTER (WHERE o.a > 0) > 1000 AS many_reached
  FROM ours o
  LEFT JOIN (SELECT pairs.pid, sum(ratio.r) AS a FROM pairs JOIN ratio USING (fid) GROUP BY pairs.pid) s
    ON s.pid = o.id;
-- a step decay of weight 1 up to :r is the binary decay computed with the
-- distances: the same accessibilities to the last bit
SELECT count(*) AS steps_mismatches
  FROM ours o JOIN (
    SELECT p.id, fca_access((SELECT fca_demand(rs.fs, q.lon, q.lat, q.pop, :r, 'steps:' || :r || '=1') FROM rp q, rs),
                            p.lon, p.lat) AS a
      FROM rp p) s USING (id)
 WHERE o.a <> s.a;
DROP TABLE rf, rp, rs, pairs, ratio, ours;
