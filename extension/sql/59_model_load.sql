
-------------------------------------------------------------------------------
-- model load: fast COPY into the fact tables.  A WHEN clause of an AFTER row
-- trigger records (month, key) pairs in backend memory and is always false
-- (no trigger event is queued, COPY keeps its multi-insert path); an AFTER
-- statement trigger hands the pairs of its table, as sorted arrays, to a
-- function of the table's schema.  See extension/load.c.
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.model_collect(rel regclass, day date, a integer, b integer DEFAULT NULL)
	RETURNS boolean
	AS 'MODULE_PATHNAME', 'hs_model_collect' LANGUAGE C VOLATILE CALLED ON NULL INPUT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.model_collect(regclass, date, integer, integer) IS
	'for the WHEN clause of an AFTER row trigger: records (rel, first day of day''s month, a) and (rel, month, b) until the statement trigger model_collected of rel takes them; NULL day or key records nothing; always false';

CREATE FUNCTION @extschema@.model_collected() RETURNS trigger
	AS 'MODULE_PATHNAME', 'hs_model_collected' LANGUAGE C;
COMMENT ON FUNCTION @extschema@.model_collected() IS
	'AFTER ... FOR EACH STATEMENT trigger model_collected(''fn''): takes the pairs model_collect recorded for the table and calls fn(months date[], keys integer[]) of the table''s schema with the distinct months and keys, sorted; without an argument it does nothing';
