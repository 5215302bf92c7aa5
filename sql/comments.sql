-- Self-describing objects: every type, function, aggregate, operator, table,
-- view and column of the extension, and every table, view and column the
-- model creates, carries a COMMENT (shown by \dT+, \df+, \do+, \d+ and by BI
-- tools).  Each query lists what is missing: all of them return zero rows.
SET search_path = health_share, public;

-- Members of the extension (pg_depend deptype 'e').
CREATE TEMP VIEW hs_member AS
SELECT d.classid, d.objid
  FROM pg_depend AS d JOIN pg_extension AS e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
 WHERE e.extname = 'health_share' AND d.deptype = 'e';

-- Functions and aggregates (including support functions).
SELECT p.oid::regprocedure AS function_without_comment
  FROM hs_member AS m JOIN pg_proc AS p ON m.classid = 'pg_proc'::regclass AND p.oid = m.objid
 WHERE obj_description(p.oid, 'pg_proc') IS NULL
 ORDER BY 1::text;

-- Types (base types, enums, composites declared by CREATE TYPE, domains);
-- array types and the row types of tables and views are described by their
-- element type or relation.
SELECT t.oid::regtype AS type_without_comment
  FROM hs_member AS m JOIN pg_type AS t ON m.classid = 'pg_type'::regclass AND t.oid = m.objid
 WHERE obj_description(t.oid, 'pg_type') IS NULL
   AND t.typcategory <> 'A'
 ORDER BY 1::text;

-- Operators.
SELECT o.oid::regoperator AS operator_without_comment
  FROM hs_member AS m JOIN pg_operator AS o ON m.classid = 'pg_operator'::regclass AND o.oid = m.objid
 WHERE obj_description(o.oid, 'pg_operator') IS NULL
 ORDER BY 1::text;

-- Tables, views, materialized views and their columns.
SELECT c.oid::regclass AS relation_without_comment
  FROM hs_member AS m JOIN pg_class AS c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
 WHERE c.relkind IN ('r', 'p', 'v', 'm') AND obj_description(c.oid, 'pg_class') IS NULL
 ORDER BY 1::text;
SELECT c.oid::regclass AS relation, a.attname AS column_without_comment
  FROM hs_member AS m JOIN pg_class AS c ON m.classid = 'pg_class'::regclass AND c.oid = m.objid
  JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE c.relkind IN ('r', 'p', 'v', 'm') AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1::text, 2;

-- The model: install_model into a scratch schema, then every table, view,
-- materialized view, column and function it creates has a comment.
SELECT install_model('hs_comment_check');
SELECT c.relname AS model_relation_without_comment
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
 WHERE n.nspname = 'hs_comment_check' AND c.relkind IN ('r', 'p', 'v', 'm')
   AND obj_description(c.oid, 'pg_class') IS NULL
 ORDER BY 1;
-- Every column of every model table, view and materialized view (a
-- partition's columns are described by its parent).
SELECT c.relname AS model_relation, a.attname AS model_column_without_comment
  FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace
  JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE n.nspname = 'hs_comment_check' AND c.relkind IN ('r', 'p', 'v', 'm') AND NOT c.relispartition
   AND col_description(c.oid, a.attnum) IS NULL
 ORDER BY 1, 2;
SELECT p.oid::regprocedure AS model_function_without_comment
  FROM pg_proc AS p JOIN pg_namespace AS n ON n.oid = p.pronamespace
 WHERE n.nspname = 'hs_comment_check' AND obj_description(p.oid, 'pg_proc') IS NULL
 ORDER BY 1::text;
SELECT t.typname AS model_type_without_comment
  FROM pg_type AS t JOIN pg_namespace AS n ON n.oid = t.typnamespace
 WHERE n.nspname = 'hs_comment_check' AND t.typcategory <> 'A' AND t.typrelid = 0
   AND obj_description(t.oid, 'pg_type') IS NULL
 ORDER BY 1;
SET client_min_messages = warning;
DROP SCHEMA hs_comment_check CASCADE;
RESET client_min_messages;
