-- Citus test fixture: the same rows in distributed tables and in local
-- (single-node) copies on the coordinator.
CREATE EXTENSION health_share;   -- Citus propagates it to the workers
SET search_path = public, health_share;
SET citus.shard_count = 8;

CREATE TABLE facility (
	id			int PRIMARY KEY,
	county		adcode NOT NULL,
	grassroots	boolean NOT NULL
);
INSERT INTO facility
SELECT c * 10 + k, (330500 + (ARRAY[2, 3, 21, 22, 23])[c])::bigint::adcode, k > 0
  FROM generate_series(1, 5) c, generate_series(0, 2) k;
INSERT INTO facility VALUES (100, '330106', false);
SELECT create_reference_table('facility');

CREATE TABLE visit_local (
	id			bigint PRIMARY KEY,
	day			date NOT NULL,
	residence	adcode,
	facility_id	int NOT NULL,
	fund_fen	bigint NOT NULL
);
INSERT INTO visit_local
SELECT i, date '2024-01-01' + (i % 366)::int,
       CASE WHEN i % 97 = 0 THEN NULL
            ELSE ((330500 + (ARRAY[2, 3, 21, 22, 23])[1 + i % 5]) * 1000 + 100 + i % 4)::bigint::adcode END,
       CASE WHEN (i * 7919) % 100 < 8 THEN 100
            WHEN (i * 7919) % 100 < 15 THEN 11
            ELSE (1 + i % 5) * 10 + (i % 3) END,
       1000 + (i * 104729) % 50000
  FROM generate_series(1::bigint, 100000) i;
CREATE TABLE visit (LIKE visit_local INCLUDING ALL);
SELECT create_distributed_table('visit', 'id');
INSERT INTO visit SELECT * FROM visit_local;
ANALYZE visit_local;

-- Care levels of the facilities for referrals.
CREATE TABLE referral_local (
	id			bigint PRIMARY KEY,
	from_level	care_level,
	to_level	care_level
);
INSERT INTO referral_local
SELECT i, (enum_range(NULL::care_level))[1 + (i * 31) % 4],
       CASE WHEN i % 53 = 0 THEN NULL ELSE (enum_range(NULL::care_level))[1 + (i * 17) % 4] END
  FROM generate_series(1::bigint, 20000) i;
CREATE TABLE referral (LIKE referral_local INCLUDING ALL);
SELECT create_distributed_table('referral', 'id');
INSERT INTO referral SELECT * FROM referral_local;

-- Facilities with supply and population points (湖州-like extent), both
-- distributed, for facility_set, coverage and 2SFCA; the points carry a
-- per-capita value and a group for the inequality measures.
CREATE TABLE site_local (
	id			bigint PRIMARY KEY,
	lon			double precision,
	lat			double precision,
	supply		double precision
);
INSERT INTO site_local
SELECT i, 119.5 + ((i * 7919) % 1000) / 1000.0, 30.4 + ((i * 104729) % 1000) / 1250.0,
       CASE WHEN i % 41 = 0 THEN NULL ELSE 1 + (i * 13) % 20 END
  FROM generate_series(1::bigint, 400) i;
CREATE TABLE site (LIKE site_local INCLUDING ALL);
SELECT create_distributed_table('site', 'id');
INSERT INTO site SELECT * FROM site_local;

CREATE TABLE pop_local (
	id			bigint PRIMARY KEY,
	lon			double precision,
	lat			double precision,
	pop			bigint,
	grp			text,
	y			double precision
);
INSERT INTO pop_local
SELECT i, 119.5 + ((i * 6007) % 2000) / 2000.0, 30.4 + ((i * 3001) % 2000) / 2500.0,
       CASE WHEN i % 89 = 0 THEN NULL ELSE 10 + (i * 37) % 3000 END,
       'g' || (i % 7),
       CASE WHEN i % 101 = 0 THEN NULL WHEN i % 211 = 0 THEN 0 ELSE ((i * 7727) % 10007) / 97.0 END
  FROM generate_series(1::bigint, 6000) i;
CREATE TABLE pop (LIKE pop_local INCLUDING ALL);
SELECT create_distributed_table('pop', 'id');
INSERT INTO pop SELECT * FROM pop_local;
ANALYZE referral_local, site_local, pop_local;

-- Stored monthly states (the rollup use): flowmatrix and referral_counts
-- values in distributed tables, merged with sum().
CREATE TABLE state_month_local (
	id			bigint PRIMARY KEY,
	fm			flowmatrix,
	rc			referral_counts
);
INSERT INTO state_month_local
SELECT m.k, m.fm, r.rc
  FROM (SELECT extract(month FROM v.day)::bigint AS k,
               flow_agg(adcode_county(v.residence)::bigint, f.county::bigint) AS fm
          FROM visit_local v JOIN facility f ON f.id = v.facility_id GROUP BY 1) m
  JOIN (SELECT 1 + id % 12 AS k, referrals(from_level, to_level) AS rc
          FROM referral_local GROUP BY 1) r USING (k);
CREATE TABLE state_month (LIKE state_month_local INCLUDING ALL);
SELECT create_distributed_table('state_month', 'id');
INSERT INTO state_month SELECT * FROM state_month_local;
