-- health_share 1.0 -> 1.1 (ALTER EXTENSION health_share UPDATE TO '1.1').
-- The Makefile also appends this file to the fragments to build the fresh
-- 1.1 install script, so both paths create the same objects.

\echo Use "ALTER EXTENSION health_share UPDATE TO '1.1'" to load this file. \quit

-- rate_percent: a rate as a rounded percentage, the form reports and
-- dashboards print (县域内就诊率 92.3 %); NULL when the denominator is 0.
CREATE FUNCTION @extschema@.rate_percent(r @extschema@.hs_rate, digits integer DEFAULT 1)
	RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN @extschema@.rate_den(r) OPERATOR(pg_catalog.=) 0 THEN NULL
	            ELSE pg_catalog.round(
	                     100::numeric OPERATOR(pg_catalog.*) @extschema@.rate_num(r)::numeric
	                     OPERATOR(pg_catalog./) @extschema@.rate_den(r)::numeric, digits) END;
COMMENT ON FUNCTION @extschema@.rate_percent(@extschema@.hs_rate, integer) IS
	'100 × numerator / denominator rounded to digits decimals (default 1); NULL when the denominator is 0';
