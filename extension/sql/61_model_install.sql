
-------------------------------------------------------------------------------
-- install_model(schema) and refresh_model(schema): the two entry points of
-- the warehouse model.  The model itself is plain SQL in extension/model/,
-- which make wraps into @extschema@.install_model_objects() (the last part
-- of the install script).  No name is ever put into SQL text: install_model
-- sets search_path to the model's schema and runs the model's statements;
-- refresh_model calls the model's own refresh_states the same way.
-------------------------------------------------------------------------------

-- Creates the schema, or checks that the caller owns it and that it is
-- empty: a schema install_model may fill (the model's or its published
-- layer's).
CREATE OR REPLACE FUNCTION @extschema@.install_model_schema(schema text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	nsp oid;
	owner oid;
	objects text;
BEGIN
	SELECT n.oid, n.nspowner INTO nsp, owner FROM pg_namespace AS n WHERE n.nspname = schema;
	IF nsp IS NULL THEN
		EXECUTE format('CREATE SCHEMA %I', schema);
	ELSE
		-- Whoever owns the schema can replace what is in it: only its owner
		-- may put a model there (a superuser too: no exception).
		IF owner <> (SELECT r.oid FROM pg_roles AS r WHERE r.rolname = current_user) THEN
			RAISE EXCEPTION 'install_model: schema "%" belongs to role "%", not to "%"', schema,
					pg_get_userbyid(owner), current_user
				USING ERRCODE = 'insufficient_privilege',
					  HINT = 'Install the model as the schema''s owner, or into a new schema.';
		END IF;
		SELECT string_agg(x.name, ', ' ORDER BY x.name) FILTER (WHERE x.n <= 10)
			   || CASE WHEN count(*) > 10 THEN format(' and %s more', count(*) - 10) ELSE '' END
		  INTO objects
		  FROM (SELECT y.name, row_number() OVER (ORDER BY y.name) AS n FROM (
			SELECT c.relname::text AS name FROM pg_class AS c
			 WHERE c.relnamespace = nsp AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
			UNION ALL
			SELECT p.oid::regprocedure::text FROM pg_proc AS p WHERE p.pronamespace = nsp
			UNION ALL
			SELECT t.typname::text FROM pg_type AS t WHERE t.typnamespace = nsp AND t.typtype IN ('b', 'c', 'd', 'e', 'm', 'r')
			   AND t.typrelid = 0 AND t.typelem = 0) AS y) AS x;
		IF objects IS NOT NULL THEN
			RAISE EXCEPTION 'install_model: schema "%" is not empty: %', schema, objects
				USING ERRCODE = 'duplicate_object',
					  HINT = 'Install the model into a new or empty schema.';
		END IF;
	END IF;

END
$fn$;
COMMENT ON FUNCTION @extschema@.install_model_schema(text) IS
	'install_model''s check of a schema it fills: creates it, or requires that the caller owns it and that it is empty';

CREATE OR REPLACE FUNCTION @extschema@.install_model(schema text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
BEGIN
	IF schema IS NULL OR schema = '' THEN
		RAISE EXCEPTION 'install_model: the schema name must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF schema IN ('@extschema@', 'pg_catalog', 'information_schema', 'public') OR schema LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'install_model: cannot install the model into schema "%"', schema
			USING ERRCODE = 'invalid_schema_name',
				  HINT = 'Use a schema of its own, e.g. install_model(''consortium'').';
	END IF;
	IF octet_length(schema) > 59 THEN
		RAISE EXCEPTION 'install_model: schema name "%" is longer than 59 bytes', schema
			USING ERRCODE = 'name_too_long',
				  HINT = 'The published layer is the schema <name>_pub, and a name has at most 63 bytes.';
	END IF;

	-- The published layer's views run with the owner's rights, and the funnel
	-- plot reads the indicator catalog: an owner who cannot read it would
	-- publish a view that fails for every reader.
	IF NOT has_table_privilege('@extschema@.indicator', 'SELECT') THEN
		RAISE EXCEPTION 'install_model: role % cannot read the indicator catalog @extschema@.indicator, which the published views read',
						quote_ident(current_user)
			USING ERRCODE = 'insufficient_privilege',
				  HINT = 'GRANT SELECT ON @extschema@.indicator TO PUBLIC (docs/getting-started.md), or to the model''s owner.';
	END IF;

	PERFORM @extschema@.install_model_schema(schema);
	PERFORM @extschema@.install_model_schema(schema || '_pub');

	-- The model's unqualified names are created in and resolved against the
	-- schema; pg_catalog, not listed, is searched first.
	PERFORM set_config('search_path', quote_ident(schema) || ', pg_temp', true);
	PERFORM @extschema@.install_model_objects();
	-- The published layer: created in <schema>_pub, reading the model's
	-- tables (the model's schema is searched second).
	PERFORM set_config('search_path', quote_ident(schema || '_pub') || ', ' || quote_ident(schema) || ', pg_temp', true);
	PERFORM @extschema@.install_published_objects();
END
$fn$;
COMMENT ON FUNCTION @extschema@.install_model(text) IS
	'creates the consortium warehouse model (tables, triggers, states, views) in the given new or empty schema owned by the caller; all or nothing';

CREATE OR REPLACE FUNCTION @extschema@.refresh_model(schema text, months date[] DEFAULT NULL, all_months boolean DEFAULT false)
	RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	nsp oid;
	n integer;
BEGIN
	IF schema IS NULL THEN
		RAISE EXCEPTION 'refresh_model: the schema name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	SELECT n.oid INTO nsp FROM pg_namespace AS n WHERE n.nspname = schema;
	IF nsp IS NULL OR NOT EXISTS (SELECT FROM pg_class AS c WHERE c.relnamespace = nsp AND c.relname = 'county_month_state') THEN
		RAISE EXCEPTION 'refresh_model: schema "%" has no health_share model', schema
			USING ERRCODE = 'undefined_table', HINT = 'Create it with health_share.install_model.';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_proc AS p WHERE p.pronamespace = nsp AND p.proname = 'refresh_states'
				   AND p.pronargs = 2 AND p.proargtypes[0] = 'date[]'::regtype AND p.proargtypes[1] = 'boolean'::regtype) THEN
		RAISE EXCEPTION 'refresh_model: the model in schema "%" was created by an older health_share (no refresh_states)', schema
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Install the model anew with health_share.install_model into a new schema and load the facts there.';
	END IF;
	IF NOT has_schema_privilege(nsp, 'USAGE') OR NOT EXISTS (
			SELECT FROM pg_proc AS p WHERE p.pronamespace = nsp AND p.proname = 'refresh_states'
			   AND p.pronargs = 2 AND has_function_privilege(p.oid, 'EXECUTE')) THEN
		RAISE EXCEPTION 'refresh_model: permission denied to refresh the model in schema "%"', schema
			USING ERRCODE = 'insufficient_privilege',
				  HINT = format('Refreshing is the work of the model''s owner (role %s); readers read the views of schema %s.',
								quote_ident(pg_get_userbyid((SELECT n.nspowner FROM pg_namespace AS n WHERE n.oid = nsp))),
								quote_ident(schema || '_pub'));
	END IF;
	-- The call is typed exactly (date[], boolean): with pg_catalog searched
	-- first and nothing else but the model's schema, no other function can
	-- be chosen.
	PERFORM set_config('search_path', quote_ident(schema) || ', pg_temp', true);
	n := refresh_states(CAST(months AS date[]), CAST(all_months AS boolean));
	-- The planning results the published layer shows (model/planning.sql),
	-- in a model that has them.
	IF EXISTS (SELECT FROM pg_proc AS p WHERE p.pronamespace = nsp AND p.proname = 'refresh_planning' AND p.pronargs = 0) THEN
		PERFORM refresh_planning();
	END IF;
	-- The data-quality checks counted per check (model/quality_state.sql).
	IF EXISTS (SELECT FROM pg_proc AS p WHERE p.pronamespace = nsp AND p.proname = 'refresh_quality' AND p.pronargs = 0) THEN
		PERFORM refresh_quality();
	END IF;
	RETURN n;
END
$fn$;
COMMENT ON FUNCTION @extschema@.refresh_model(text, date[], boolean) IS
	'recomputes the county x month states of the months that changed (or of the given months, or of all with all_months => true), the planning results of the latest population year and the data-quality counts; returns the number of months recomputed';
