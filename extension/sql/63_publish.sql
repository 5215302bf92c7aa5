
-------------------------------------------------------------------------------
-- publication, added in 1.2 (docs/publishing.md): keyed random rounding of
-- published counts, the rounding of published ratios, and grant_reader.
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.publish_round(n bigint, base integer, seed bytea, VARIADIC cell bigint[])
	RETURNS bigint
	AS 'MODULE_PATHNAME', 'publish_round' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.publish_round(bigint, integer, bytea, bigint[]) IS
	'n rounded to a multiple of base, up with probability (n mod base) / base (unbiased); the draw is the cell key SHA-256(seed, cell), the same for the same cell in every query (keyed random rounding, docs/publishing.md)';

CREATE FUNCTION @extschema@.publish_ratio(num bigint, den bigint, digits integer DEFAULT 3)
	RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN den OPERATOR(pg_catalog.=) 0 THEN NULL
				WHEN digits IS NULL THEN CAST(num AS double precision) OPERATOR(pg_catalog./) CAST(den AS double precision)
				ELSE CAST(pg_catalog.round(CAST(num AS numeric) OPERATOR(pg_catalog./) CAST(den AS numeric), digits) AS double precision) END;
COMMENT ON FUNCTION @extschema@.publish_ratio(bigint, bigint, integer) IS
	'num / den rounded to digits decimals (default 3: 0.1 percentage point of a share; NULL: not rounded); NULL when den is 0 or NULL';

-- (A name of its own: publish_ratio(40, 47) must not be read as 40 to 47 digits.)
CREATE FUNCTION @extschema@.publish_digits(x double precision, digits integer DEFAULT 3)
	RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN digits IS NULL THEN x ELSE CAST(pg_catalog.round(CAST(x AS numeric), digits) AS double precision) END;
COMMENT ON FUNCTION @extschema@.publish_digits(double precision, integer) IS
	'x rounded to digits decimals (default 3; NULL: not rounded), e.g. a confidence bound of a published rate';

-- The model's published layer is the schema <model>_pub (install_model).
-- Both functions check everything against the catalog and then grant with
-- the names the catalog holds (the schema's and the role's), quoted: GRANT
-- takes no parameters, and no text of the caller's is put into it.
CREATE FUNCTION @extschema@.publication_schema(model text, reader name, caller text) RETURNS record
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	pub name;
	pubowner oid;
	role name;
	result record;
BEGIN
	IF model IS NULL OR reader IS NULL THEN
		RAISE EXCEPTION '%: the model and the reader must not be NULL', caller
			USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_namespace AS n JOIN pg_class AS c ON c.relnamespace = n.oid
				    WHERE n.nspname = model AND c.relname = 'county_month_state') THEN
		RAISE EXCEPTION '%: schema "%" has no health_share model', caller, model
			USING ERRCODE = 'invalid_schema_name', HINT = 'Create it with health_share.install_model.';
	END IF;
	SELECT n.nspname, n.nspowner INTO pub, pubowner FROM pg_namespace AS n WHERE n.nspname = model || '_pub';
	IF pub IS NULL THEN
		RAISE EXCEPTION '%: the model in schema "%" has no published layer (schema "%_pub")', caller, model, model
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Models installed before health_share 1.2 have none: install the model anew with health_share.install_model.';
	END IF;
	IF NOT pg_has_role(current_user, pubowner, 'USAGE') THEN
		RAISE EXCEPTION '%: only the owner of model "%" (role "%") may change who reads its published layer', caller,
				model, pg_get_userbyid(pubowner)
			USING ERRCODE = 'insufficient_privilege',
				  HINT = format('Readers read the views of schema %s; the model''s owner grants them with health_share.grant_reader.', pub);
	END IF;
	SELECT r.rolname INTO role FROM pg_roles AS r WHERE r.rolname = reader;
	IF role IS NULL THEN
		RAISE EXCEPTION '%: role "%" does not exist', caller, reader
			USING ERRCODE = 'undefined_object', HINT = 'Create the reader''s role first (CREATE ROLE ... LOGIN).';
	END IF;
	SELECT pub AS pub, role AS role, pubowner AS owner INTO result;
	RETURN result;
END
$fn$;
COMMENT ON FUNCTION @extschema@.publication_schema(text, name, text) IS
	'checks for grant_reader and revoke_reader: the model, its published layer, the caller''s right to grant it and the role; returns (pub, role, owner)';

CREATE FUNCTION @extschema@.grant_reader(model text, reader name) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.publication_schema(model, reader, 'grant_reader') AS (pub name, role name, owner oid);
	IF pg_has_role(p.role, p.owner, 'USAGE') OR (SELECT r.rolsuper FROM pg_roles AS r WHERE r.rolname = p.role) THEN
		RAISE WARNING 'grant_reader: role "%" can read the warehouse of model "%" itself (it is a superuser or a member of the model''s owner)', p.role, model
			USING HINT = 'A reader of the published layer should be a role of its own.';
	END IF;
	EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', p.pub, p.role);
	EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA %I TO %I', p.pub, p.role);
END
$fn$;
COMMENT ON FUNCTION @extschema@.grant_reader(text, name) IS
	'lets the role read the model''s published layer (the views of schema <model>_pub) and nothing else of the model; the model''s owner calls it';

CREATE FUNCTION @extschema@.revoke_reader(model text, reader name) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	p record;
BEGIN
	SELECT * INTO p FROM @extschema@.publication_schema(model, reader, 'revoke_reader') AS (pub name, role name, owner oid);
	EXECUTE format('REVOKE SELECT ON ALL TABLES IN SCHEMA %I FROM %I', p.pub, p.role);
	EXECUTE format('REVOKE USAGE ON SCHEMA %I FROM %I', p.pub, p.role);
END
$fn$;
COMMENT ON FUNCTION @extschema@.revoke_reader(text, name) IS
	'takes back what grant_reader gave the role on the model''s published layer';
