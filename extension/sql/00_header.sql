-- health_share install script, assembled by the Makefile from extension/sql/*.sql.
-- Every object is declared once, here; every reference to the extension's own
-- objects is qualified with @extschema@ so a hostile search_path cannot divert it.

\echo Use "CREATE EXTENSION health_share" to load this file. \quit
