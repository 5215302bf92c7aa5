
-------------------------------------------------------------------------------
-- model, added in 1.2: count_public of sums.  sum(bigint) is numeric, so
-- count_public(sum(visits)) needs this overload (the bigint one stays for
-- stored counts).
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.count_public(n numeric,
		min_cell integer DEFAULT coalesce(current_setting('health_share.min_cell', true), '5')::integer)
	RETURNS numeric LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN n OPERATOR(pg_catalog.>) 0 AND n OPERATOR(pg_catalog.<) min_cell THEN NULL ELSE n END;
COMMENT ON FUNCTION @extschema@.count_public(numeric, integer) IS
	'the sum, or NULL when it is above 0 and below min_cell (default: setting health_share.min_cell); for count_public(sum(...)), as sum(bigint) is numeric';
