-- What test/docs/check.py compares the documentation with.  Output: lines
-- "<kind>|<name>" for kind user (functions and aggregates a user calls),
-- member (every function of the extension), builtin (pg_catalog functions and
-- type names), model (functions install_model creates), and "indicator|<json>".
\pset tuples_only on
\pset format unaligned
CREATE TEMP VIEW hs_fn AS
SELECT p.oid, p.proname
  FROM pg_depend AS d JOIN pg_extension AS e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
  JOIN pg_proc AS p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
 WHERE e.extname = 'health_share' AND d.deptype = 'e';
-- Support functions: type I/O, aggregate, operator and opclass support; they
-- are described by COMMENT but need no reference entry.
CREATE TEMP VIEW hs_support AS
SELECT unnest(ARRAY[typinput, typoutput, typreceive, typsend, typmodin, typmodout, typanalyze])::oid AS oid FROM pg_type
UNION SELECT unnest(ARRAY[aggtransfn, aggfinalfn, aggcombinefn, aggserialfn, aggdeserialfn,
                          aggmtransfn, aggminvtransfn, aggmfinalfn])::oid FROM pg_aggregate
UNION SELECT oprcode::oid FROM pg_operator
UNION SELECT amproc::oid FROM pg_amproc;
SELECT DISTINCT 'user|' || f.proname FROM hs_fn AS f
 WHERE f.oid NOT IN (SELECT oid FROM hs_support)
   AND (SELECT prorettype FROM pg_proc WHERE oid = f.oid) <> 'trigger'::regtype
 ORDER BY 1;
SELECT DISTINCT 'member|' || proname FROM hs_fn ORDER BY 1;
-- Types and relations of the extension (documented as `name(column type, ...)`).
SELECT 'member|' || coalesce(t.typname, c.relname)
  FROM pg_depend AS d JOIN pg_extension AS e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid
  LEFT JOIN pg_type AS t ON d.classid = 'pg_type'::regclass AND t.oid = d.objid
  LEFT JOIN pg_class AS c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid
 WHERE e.extname = 'health_share' AND d.deptype = 'e' AND coalesce(t.typname, c.relname) IS NOT NULL;
SELECT DISTINCT 'builtin|' || p.proname FROM pg_proc AS p
 WHERE p.pronamespace IN ('pg_catalog'::regnamespace, 'information_schema'::regnamespace)
UNION SELECT DISTINCT 'builtin|' || t.typname FROM pg_type AS t WHERE t.typnamespace = 'pg_catalog'::regnamespace;
SELECT set_config('client_min_messages', 'warning', false) \g /dev/null
SELECT health_share.install_model('hs_docs_check') \g /dev/null
SELECT DISTINCT 'model|' || p.proname FROM pg_proc AS p WHERE p.pronamespace = 'hs_docs_check'::regnamespace;
SELECT DISTINCT 'model|' || c.relname FROM pg_class AS c WHERE c.relnamespace = 'hs_docs_check'::regnamespace;
DROP SCHEMA hs_docs_check CASCADE;
SELECT 'indicator|' || row_to_json(i)::text FROM health_share.indicator AS i ORDER BY i.family, i.code;
