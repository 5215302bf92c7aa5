-- Every function of the extension with its labels: kind, volatility, STRICT,
-- PARALLEL, language, settings (search_path of PL/pgSQL functions), and for
-- aggregates whether they can run in parallel (combine function; serial and
-- deserial functions for internal states).  Each label was reviewed; a new
-- function makes this test fail until its labels are reviewed and the expected
-- output updated.  See docs/reliability.md.
\pset null ''
\pset format unaligned
CREATE TEMP VIEW hs_functions AS
SELECT p.oid, p.prokind, replace(p.oid::regprocedure::text, 'health_share.', '') AS function,
       p.provolatile, p.proisstrict, p.proparallel, l.lanname, p.prosecdef, p.proconfig,
       p.prosqlbody IS NOT NULL AS sql_body
  FROM pg_proc p
  JOIN pg_language l ON l.oid = p.prolang
  JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
  JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'health_share';

-- nothing runs with its owner's rights
SELECT count(*) AS security_definer FROM hs_functions WHERE prosecdef;

-- functions
SELECT function,
       CASE provolatile WHEN 'i' THEN 'immutable' WHEN 's' THEN 'stable' ELSE 'volatile' END AS volatility,
       CASE WHEN proisstrict THEN 'strict' ELSE '' END AS strict,
       CASE proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END AS parallel,
       lanname || CASE WHEN sql_body THEN ' (parsed at creation)' ELSE '' END AS language,
       array_to_string(proconfig, ', ') AS settings
  FROM hs_functions
 WHERE prokind = 'f'
 ORDER BY function COLLATE "C";

-- aggregates
SELECT f.function,
       CASE f.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END AS parallel,
       format_type(a.aggtranstype, NULL) AS state,
       a.aggcombinefn <> 0 AS combine,
       a.aggserialfn <> 0 AS serial,
       a.aggdeserialfn <> 0 AS deserial,
       a.aggfinalmodify AS final_modify
  FROM hs_functions f JOIN pg_aggregate a ON a.aggfnoid = f.oid
 ORDER BY f.function COLLATE "C";

-- PL/pgSQL and string-bodied SQL functions parse their bodies at call time,
-- under the caller's search_path: each must pin its own.  The exceptions
-- are install_model_objects and install_published_objects, the model's
-- statements, which install_model runs with search_path set to the model's
-- schemas (their names must resolve there).
SELECT function FROM hs_functions
 WHERE lanname NOT IN ('c', 'internal') AND NOT sql_body
   AND NOT coalesce(array_to_string(proconfig, ',') LIKE 'search_path=%', false)
   AND function NOT IN ('install_model_objects()', 'install_published_objects()');

-- internal-state aggregates must have serial/deserial to run in parallel
SELECT f.function FROM hs_functions f JOIN pg_aggregate a ON a.aggfnoid = f.oid
 WHERE a.aggtranstype = 'internal'::regtype AND (a.aggserialfn = 0 OR a.aggdeserialfn = 0 OR a.aggcombinefn = 0);
