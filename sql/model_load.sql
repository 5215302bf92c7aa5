-- model_collect / model_collected: the WHEN-clause recorder and the statement
-- trigger that hands the recorded (month, key) pairs of its table, as sorted
-- distinct arrays, to a function of the table's schema.  Own little tables,
-- not the model: a plain table t (two keys) and a table p partitioned by
-- month (two partitions and a default).  Every expected array below is worked
-- out by hand in the comment before it.
-- Errors show their message and SQLSTATE; the CONTEXT lines (PL/pgSQL
-- line numbers of the model's functions) are left out.
\set SHOW_CONTEXT never
SET datestyle = ISO;

CREATE SCHEMA hs_load;
CREATE TABLE hs_load.log (n serial, tbl text, months date[], keys integer[]);
-- the recorders: one per table, so the log says which trigger called
CREATE FUNCTION hs_load.rec_t(months date[], keys integer[]) RETURNS void LANGUAGE plpgsql AS
$$BEGIN INSERT INTO hs_load.log (tbl, months, keys) VALUES ('t', months, keys); END$$;
CREATE FUNCTION hs_load.rec_p(months date[], keys integer[]) RETURNS void LANGUAGE plpgsql AS
$$BEGIN INSERT INTO hs_load.log (tbl, months, keys) VALUES ('p', months, keys); END$$;
-- what was logged since the last call, in call order
CREATE FUNCTION hs_load.take(OUT tbl text, OUT months date[], OUT keys integer[]) RETURNS SETOF record
LANGUAGE sql AS
$$WITH d AS (DELETE FROM hs_load.log RETURNING *) SELECT tbl, months, keys FROM d ORDER BY n$$;

CREATE TABLE hs_load.t (d date, a integer, b integer);
CREATE TRIGGER t_ins AFTER INSERT ON hs_load.t FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.t'::regclass, NEW.d, NEW.a, NEW.b))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER t_upd AFTER UPDATE ON hs_load.t FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.t'::regclass, OLD.d, OLD.a, OLD.b)
        OR health_share.model_collect('hs_load.t'::regclass, NEW.d, NEW.a, NEW.b))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER t_del AFTER DELETE ON hs_load.t FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.t'::regclass, OLD.d, OLD.a, OLD.b))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER t_changed AFTER INSERT OR UPDATE OR DELETE ON hs_load.t
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('rec_t');

CREATE TABLE hs_load.p (d date, k integer) PARTITION BY RANGE (d);
CREATE TABLE hs_load.p_2024_01 PARTITION OF hs_load.p FOR VALUES FROM ('2024-01-01') TO ('2024-02-01');
CREATE TABLE hs_load.p_2024_02 PARTITION OF hs_load.p FOR VALUES FROM ('2024-02-01') TO ('2024-03-01');
CREATE TABLE hs_load.p_default PARTITION OF hs_load.p DEFAULT;
CREATE TRIGGER p_ins AFTER INSERT ON hs_load.p FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.p'::regclass, NEW.d, NEW.k))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER p_upd AFTER UPDATE ON hs_load.p FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.p'::regclass, OLD.d, OLD.k)
        OR health_share.model_collect('hs_load.p'::regclass, NEW.d, NEW.k))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER p_del AFTER DELETE ON hs_load.p FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.p'::regclass, OLD.d, OLD.k))
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER p_changed AFTER INSERT OR UPDATE OR DELETE ON hs_load.p
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('rec_p');
-- the row triggers are cloned onto the partitions, the statement trigger is not
SELECT tgrelid::regclass, tgname FROM pg_trigger
 WHERE tgrelid IN ('hs_load.p'::regclass, 'hs_load.p_2024_01'::regclass) ORDER BY tgrelid::regclass::text, tgname;

-- model_collect always returns false, also for NULL arguments.  What a
-- statement outside any trigger records is forgotten at the end of its
-- transaction: key 99 never shows up below.
SELECT health_share.model_collect('hs_load.t', '2024-03-03', 99) AS rec,
       health_share.model_collect('hs_load.t', '2024-03-03', 99, 98) AS rec2,
       health_share.model_collect('hs_load.t', NULL, 99) AS null_day,
       health_share.model_collect('hs_load.t', '2024-03-03', NULL, NULL) AS null_keys,
       health_share.model_collect(NULL, NULL, NULL) AS all_null;

-- Multi-row INSERT: months 2024-01 (rows 1, 2, 4) and 2023-12 (row 3), keys
-- a = 3, 1, 2, 3 and b = 1, NULL (skipped), 3, 3.
-- t: months {2023-12-01,2024-01-01}, keys {1,2,3}.
INSERT INTO hs_load.t VALUES
  ('2024-01-15', 3, 1), ('2024-01-31', 1, NULL), ('2023-12-01', 2, 3), ('2024-01-02', 3, 3);
SELECT * FROM hs_load.take();

-- COPY into the partitioned table, rows in all three partitions.  Month and
-- key of each row: (2024-01, 7) (2024-02, 5) (2024-01, 7); the 2025-06 row
-- has no key and the NULL-day row no month, so neither records anything (not
-- even the month 2025-06); (2023-11, 5).
-- p: months {2023-11-01,2024-01-01,2024-02-01}, keys {5,7}.
COPY hs_load.p FROM STDIN;
2024-01-05	7
2024-02-29	5
2024-01-20	7
2025-06-30	\N
\N	9
2023-11-11	5
\.
SELECT * FROM hs_load.take();
SELECT tableoid::regclass, count(*) FROM hs_load.p GROUP BY 1 ORDER BY tableoid::regclass::text;

-- COPY into the plain table: (2024-02, 4) (2024-02, 6); second row b NULL,
-- (2024-03, 6).  t: months {2024-02-01,2024-03-01}, keys {4,6}.
COPY hs_load.t FROM STDIN;
2024-02-10	4	6
2024-03-01	6	\N
\.
SELECT * FROM hs_load.take();

-- Statements that touch no row call nothing (the statement triggers fire,
-- find no entries of their table and return).
INSERT INTO hs_load.t SELECT * FROM hs_load.t WHERE false;
UPDATE hs_load.p SET k = 0 WHERE k = -1;
DELETE FROM hs_load.t WHERE a = -1;
COPY hs_load.p FROM STDIN;
\.
SELECT count(*) AS calls FROM hs_load.take();

-- UPDATE records the old and the new row: old (2023-12-01, a 2, b 3),
-- new (2024-05-05, a 8, b 3).  t: months {2023-12-01,2024-05-01}, keys {2,3,8}.
UPDATE hs_load.t SET d = '2024-05-05', a = 8 WHERE a = 2;
SELECT * FROM hs_load.take();
-- An UPDATE that moves a row to another partition runs as DELETE on the old
-- partition and INSERT on the new one: old (2024-01, 7), new (2024-02, 7).
-- p: months {2024-01-01,2024-02-01}, keys {7}.
UPDATE hs_load.p SET d = '2024-02-10' WHERE d = '2024-01-05';
SELECT * FROM hs_load.take();
SELECT tableoid::regclass, d, k FROM hs_load.p WHERE d = '2024-02-10';

-- DELETE: rows (2024-02-29, 5) and (2023-11-11, 5).
-- p: months {2023-11-01,2024-02-01}, keys {5}.
DELETE FROM hs_load.p WHERE k = 5;
SELECT * FROM hs_load.take();

-- Many rows, few pairs: 12 months x 50 keys, 10000 rows.  The arrays have
-- 12 and 50 elements, from 2024-01-01 to 2024-12-01 and from 0 to 49.
INSERT INTO hs_load.t
SELECT date '2024-01-01' + (i % 366), i % 50, NULL FROM generate_series(0, 9999) i;
SELECT tbl, cardinality(months) AS nmonths, months[1] AS first_month, months[12] AS last_month,
       cardinality(keys) AS nkeys, keys[1] AS first_key, keys[50] AS last_key
  FROM hs_load.take();

-- Infinite and extreme dates.  infinity and -infinity are their own months;
-- the first valid date 4714-11-24 BC stands for its month (whose first day
-- is not a valid date); 5874897-12-31, the last valid date, is in the month
-- of 5874897-12-01.  Sorted: -infinity < 4714 BC < 5874897 < infinity.
-- t: months {-infinity,4714-11-24 BC,5874897-12-01,infinity}, keys {70,71,72,73}.
INSERT INTO hs_load.t VALUES
  ('infinity', 70, NULL), ('-infinity', 71, NULL), ('4714-11-24 BC', 72, NULL),
  ('4714-11-30 BC', 72, NULL), ('5874897-12-31', 73, NULL);
SELECT * FROM hs_load.take();

-- Savepoints.  An entry recorded outside a savepoint survives its rollback,
-- even when recorded again inside it; what only the rolled-back savepoint
-- (and savepoints released into it) recorded is gone.
-- Kept: 20 (top level), 42 (released into the top level), 44 (the INSERT);
-- gone: 21, 40, 41 (released into a, then a rolled back), 43.
-- t: months {2024-08-01,2024-12-01,2025-01-01}, keys {20,42,44}.
BEGIN;
SELECT health_share.model_collect('hs_load.t', '2024-08-08', 20);
SAVEPOINT s1;
SELECT health_share.model_collect('hs_load.t', '2024-09-09', 21);
SELECT health_share.model_collect('hs_load.t', '2024-08-08', 20);
ROLLBACK TO s1;
SAVEPOINT a;
SELECT health_share.model_collect('hs_load.t', '2024-11-11', 40);
SAVEPOINT b;
SELECT health_share.model_collect('hs_load.t', '2024-11-12', 41);
RELEASE b;
ROLLBACK TO a;
SAVEPOINT c;
SELECT health_share.model_collect('hs_load.t', '2024-12-12', 42);
RELEASE c;
SAVEPOINT d;
SELECT health_share.model_collect('hs_load.t', '2024-12-13', 43);
ROLLBACK TO d;
INSERT INTO hs_load.t VALUES ('2025-01-01', 44, NULL);
COMMIT;
SELECT * FROM hs_load.take();

-- A PL/pgSQL block that fails after inserting.  Rows written straight into a
-- partition are recorded for p, but p's statement trigger does not fire:
-- (2024-01, 30) stays pending.  The first block's insert (2024-02, 31) is
-- undone with its subtransaction.  The second block's INSERT into p fires
-- p's trigger, which consumes (2024-01, 30) and (2024-02, 32) and logs them;
-- the failure undoes the log row and (2024-02, 32), and makes (2024-01, 30)
-- pending again.  The next INSERT (2024-01, 33) then hands over 30 and 33.
-- Nothing logged by the blocks; then p: months {2024-01-01}, keys {30,33}.
BEGIN;
INSERT INTO hs_load.p_2024_01 VALUES ('2024-01-09', 30);
DO $$BEGIN
  INSERT INTO hs_load.p_2024_02 VALUES ('2024-02-09', 31);
  RAISE EXCEPTION 'boom';
EXCEPTION WHEN raise_exception THEN NULL;
END$$;
DO $$BEGIN
  INSERT INTO hs_load.p VALUES ('2024-02-15', 32);
  RAISE EXCEPTION 'boom';
EXCEPTION WHEN raise_exception THEN NULL;
END$$;
SELECT count(*) AS calls FROM hs_load.take();
INSERT INTO hs_load.p VALUES ('2024-01-25', 33);
SELECT * FROM hs_load.take();
COMMIT;
SELECT count(*) AS rows_31_32 FROM hs_load.p WHERE k IN (31, 32);

-- The same through a released savepoint whose parent rolls back: 50 is
-- recorded at top level, consumed with 51 inside b, b is released into a,
-- a rolls back: 50 is pending again, 51 and the log row are gone.
-- Logged inside b: t {2024-03-01} {50,51} (rolled back);
-- then t: months {2024-03-01,2024-04-01}, keys {50,52}.
BEGIN;
SELECT health_share.model_collect('hs_load.t', '2024-03-01', 50);
SAVEPOINT a;
SAVEPOINT b;
INSERT INTO hs_load.t VALUES ('2024-03-02', 51, NULL);
SELECT tbl, months, keys FROM hs_load.log;
RELEASE b;
ROLLBACK TO a;
INSERT INTO hs_load.t VALUES ('2024-04-04', 52, NULL);
COMMIT;
SELECT * FROM hs_load.take();

-- One table's statement trigger leaves the other table's entries alone:
-- (2024-01, 60) recorded for p through its partition stays pending during
-- the INSERT into t.  t: {2024-01-01} {61}; then p: {2024-01-01,2024-02-01} {60,62}.
BEGIN;
INSERT INTO hs_load.p_2024_01 VALUES ('2024-01-03', 60);
INSERT INTO hs_load.t VALUES ('2024-01-03', 61, NULL);
INSERT INTO hs_load.p VALUES ('2024-02-03', 62);
COMMIT;
SELECT * FROM hs_load.take();

-- Misuse.  Not called as a trigger:
SELECT health_share.model_collected();
\echo :LAST_ERROR_SQLSTATE
CREATE TABLE hs_load.m (d date, k integer);
CREATE TRIGGER m_ins AFTER INSERT ON hs_load.m FOR EACH ROW
  WHEN (health_share.model_collect('hs_load.m'::regclass, NEW.d, NEW.k))
  EXECUTE FUNCTION health_share.model_collected();
-- Without an argument any AFTER trigger, row or statement, does nothing.
CREATE TRIGGER m_row AFTER INSERT ON hs_load.m FOR EACH ROW
  EXECUTE FUNCTION health_share.model_collected();
CREATE TRIGGER m_stmt AFTER INSERT ON hs_load.m FOR EACH STATEMENT
  EXECUTE FUNCTION health_share.model_collected();
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
DROP TRIGGER m_row ON hs_load.m;
DROP TRIGGER m_stmt ON hs_load.m;
-- The target function must exist in the table's schema with exactly the
-- arguments (date[], integer[]): one in public, found through search_path,
-- and one with other argument types do not count.
CREATE FUNCTION public.rec_m(months date[], keys integer[]) RETURNS void LANGUAGE sql AS '';
CREATE FUNCTION hs_load.rec_m(months date[], keys bigint[]) RETURNS void LANGUAGE sql AS '';
CREATE TRIGGER m_changed AFTER INSERT ON hs_load.m
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('rec_m');
SET search_path = public;
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
RESET search_path;
-- ... but with no row recorded nothing is called, so nothing is missing.
INSERT INTO hs_load.m SELECT NULL, 1;
DROP TRIGGER m_changed ON hs_load.m;
-- A procedure is not a function.
CREATE PROCEDURE hs_load.proc_m(months date[], keys integer[]) LANGUAGE sql AS '';
CREATE TRIGGER m_changed AFTER INSERT ON hs_load.m
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('proc_m');
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m_changed ON hs_load.m;
-- BEFORE, a function argument on a row trigger, two arguments.
CREATE TRIGGER m_changed BEFORE INSERT ON hs_load.m
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('rec_t');
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m_changed ON hs_load.m;
CREATE TRIGGER m_changed AFTER INSERT ON hs_load.m
  FOR EACH ROW EXECUTE FUNCTION health_share.model_collected('rec_t');
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m_changed ON hs_load.m;
CREATE TRIGGER m_changed AFTER INSERT ON hs_load.m
  FOR EACH STATEMENT EXECUTE FUNCTION health_share.model_collected('rec_t', 'rec_p');
INSERT INTO hs_load.m VALUES ('2024-01-01', 1);
\echo :LAST_ERROR_SQLSTATE
DROP TRIGGER m_changed ON hs_load.m;

-- EXECUTE on the target function is checked for the user whose statement
-- fired the trigger, and the function runs with that user's rights.
CREATE ROLE hs_load_user;
GRANT USAGE ON SCHEMA hs_load TO hs_load_user;
GRANT INSERT ON hs_load.t TO hs_load_user;
REVOKE EXECUTE ON FUNCTION hs_load.rec_t(date[], integer[]) FROM PUBLIC;
SET ROLE hs_load_user;
INSERT INTO hs_load.t VALUES ('2024-06-06', 80, NULL);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT EXECUTE ON FUNCTION hs_load.rec_t(date[], integer[]) TO hs_load_user;
SET ROLE hs_load_user;
-- allowed to execute rec_t, but not to insert into the log it writes
INSERT INTO hs_load.t VALUES ('2024-06-06', 80, NULL);
\echo :LAST_ERROR_SQLSTATE
RESET ROLE;
GRANT INSERT ON hs_load.log TO hs_load_user;
GRANT USAGE ON SEQUENCE hs_load.log_n_seq TO hs_load_user;
SET ROLE hs_load_user;
-- t: {2024-06-01} {80}
INSERT INTO hs_load.t VALUES ('2024-06-06', 80, NULL);
RESET ROLE;
SELECT * FROM hs_load.take();

SET client_min_messages = warning;
DROP SCHEMA hs_load CASCADE;
DROP FUNCTION public.rec_m(date[], integer[]);
RESET client_min_messages;
DROP ROLE hs_load_user;
