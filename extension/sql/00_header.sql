-- health_share install script, assembled by the Makefile from extension/sql/*.sql.
-- Every object is declared once, here; every reference to the extension's own
-- objects is qualified with @extschema@ so a hostile search_path cannot divert it.

\echo Use "CREATE EXTENSION health_share" to load this file. \quit

-- The extension's schema must be the installing role's.  PostgreSQL creates
-- it when it is missing; a schema of that name made beforehand by another
-- role would let that role replace the objects this script creates (the
-- CVE-2022-2625 class): refuse it.
DO $header$
BEGIN
	IF (SELECT n.nspowner FROM pg_catalog.pg_namespace AS n WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@')
	   OPERATOR(pg_catalog.<>) (SELECT r.oid FROM pg_catalog.pg_roles AS r WHERE r.rolname OPERATOR(pg_catalog.=) CURRENT_USER) THEN
		RAISE EXCEPTION 'schema "@extschema@" belongs to role "%", not to the role installing health_share', (
				SELECT pg_catalog.pg_get_userbyid(n.nspowner) FROM pg_catalog.pg_namespace AS n
				 WHERE n.nspname OPERATOR(pg_catalog.=) '@extschema@')
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'Its owner could replace the extension''s functions: drop the schema, or give it to the installing role, before CREATE EXTENSION.';
	END IF;
END
$header$;
