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
