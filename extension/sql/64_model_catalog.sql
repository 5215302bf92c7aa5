
-------------------------------------------------------------------------------
-- model catalog rules: what a row of health_share.indicator may say
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.hs_in_extension_script() RETURNS boolean
	AS 'MODULE_PATHNAME', 'hs_in_extension_script' LANGUAGE C VOLATILE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_in_extension_script() IS
	'true while CREATE EXTENSION or ALTER EXTENSION ... UPDATE runs the extension''s script';

-- The schemas install_model made: those with the model's own tables.
CREATE FUNCTION @extschema@.model_schemas() RETURNS SETOF name
	LANGUAGE sql STABLE PARALLEL SAFE
BEGIN ATOMIC
	SELECT n.nspname FROM pg_catalog.pg_namespace AS n
	 WHERE EXISTS (SELECT FROM pg_catalog.pg_class AS c WHERE c.relnamespace OPERATOR(pg_catalog.=) n.oid
					  AND c.relname OPERATOR(pg_catalog.=) 'model_config' AND c.relkind OPERATOR(pg_catalog.=) 'r')
	   AND EXISTS (SELECT FROM pg_catalog.pg_class AS c WHERE c.relnamespace OPERATOR(pg_catalog.=) n.oid
					  AND c.relname OPERATOR(pg_catalog.=) 'county_month_state' AND c.relkind OPERATOR(pg_catalog.=) 'r')
	 ORDER BY 1;
END;
COMMENT ON FUNCTION @extschema@.model_schemas() IS
	'the schemas of the installed models (those holding the model''s tables model_config and county_month_state)';

-- Rows users add or change: builtin stays the extension's (its rows come back
-- with CREATE EXTENSION, pg_dump keeps only the others), and a view named
-- must exist, with the column, in an installed model.
CREATE FUNCTION @extschema@.indicator_checked() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
BEGIN
	IF @extschema@.hs_in_extension_script() THEN
		RETURN NEW;
	END IF;
	IF NEW.builtin AND (TG_OP = 'INSERT' OR NOT OLD.builtin) THEN
		RAISE EXCEPTION 'indicator %: builtin is reserved for the rows the extension ships', NEW.code
			USING ERRCODE = 'check_violation', CONSTRAINT = 'indicator_builtin_shipped',
				  HINT = 'Add your own indicators with builtin = false (the default): pg_dump keeps those rows, not builtin ones.';
	END IF;
	IF NEW.view_name IS NOT NULL
	   AND (TG_OP = 'INSERT' OR NEW.view_name IS DISTINCT FROM OLD.view_name OR NEW.view_column IS DISTINCT FROM OLD.view_column)
	   AND NOT EXISTS (SELECT FROM @extschema@.model_schemas() AS s(nspname)
					   JOIN pg_class AS c ON c.relnamespace = to_regnamespace(quote_ident(s.nspname))
					   JOIN pg_attribute AS a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
					  WHERE c.relname = NEW.view_name AND c.relkind IN ('v', 'm', 'r', 'p') AND a.attname = NEW.view_column) THEN
		RAISE EXCEPTION 'indicator %: no installed model has a view % with a column %', NEW.code, NEW.view_name, NEW.view_column
			USING ERRCODE = 'undefined_column', CONSTRAINT = 'indicator_view_known',
				  HINT = CASE WHEN NOT EXISTS (SELECT FROM @extschema@.model_schemas())
							  THEN 'Install a model first (install_model), or leave view_name and view_column NULL.'
							  ELSE 'Name a view of the model (docs/model.md, "Views") and one of its columns, or leave both NULL.' END;
	END IF;
	RETURN NEW;
END
$fn$;
COMMENT ON FUNCTION @extschema@.indicator_checked() IS
	'trigger of health_share.indicator: outside the extension''s scripts, refuses builtin rows and view_name / view_column that no installed model has';
CREATE TRIGGER indicator_checked BEFORE INSERT OR UPDATE ON @extschema@.indicator
	FOR EACH ROW EXECUTE FUNCTION @extschema@.indicator_checked();
