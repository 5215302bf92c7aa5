-- health_share 1.1 -> 1.2 (ALTER EXTENSION health_share UPDATE TO '1.2').
-- make appends the fragments 1.2 re-runs (see UPDATE_FRAGMENTS in the
-- Makefile): the model's load path, install_model, refresh_model and the
-- model itself.

\echo Use "ALTER EXTENSION health_share UPDATE TO '1.2'" to load this file. \quit

COMMENT ON FUNCTION @extschema@.model_mark_dirty() IS
	'statement trigger of the fact tables of models installed by health_share 1.0 and 1.1: records changed months in the model''s dirty_month table';

-- The indicator catalog's families and units of 1.2 (the resource, finance
-- and capacity indicators of extension/sql/65_model_resources.sql); the
-- constraints keep the names CREATE TABLE gave them.
ALTER TABLE @extschema@.indicator
	DROP CONSTRAINT indicator_family_check,
	ADD CONSTRAINT indicator_family_check CHECK (family IN ('access', 'primary_care', 'referral', 'flow', 'population_health', 'grid', 'spatial', 'equity', 'resources', 'finance', 'capacity')),
	DROP CONSTRAINT indicator_unit_check,
	ADD CONSTRAINT indicator_unit_check CHECK (unit IN ('share', 'ratio', 'count', 'growth', 'per_1000', 'index', 'per_10000', 'yuan', 'days', 'minutes'));
COMMENT ON COLUMN @extschema@.indicator.family IS 'group: access, primary_care, referral, flow, population_health, grid, spatial, equity, resources, finance, capacity';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'share (0..1), ratio, count, growth (relative change per year), per_1000, per_10000, index, yuan, days or minutes';
COMMENT ON COLUMN @extschema@.indicator.view_name IS 'the model view (in the schema given to install_model) whose column carries the indicator; NULL while no view carries it yet; a user row''s must be a view of an installed model that has view_column';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for the rows the extension ships (only its install and update scripts may set it); rows users add (builtin = false) are kept by pg_dump';

-- 1.2 names every C function after its SQL function; the old symbols stay
-- exported (extension/compat.c) for the frozen scripts of 1.0 and 1.1.
CREATE OR REPLACE FUNCTION @extschema@.flowmatrix_in(cstring) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flowmatrix_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.flowmatrix_out(@extschema@.flowmatrix) RETURNS cstring
	AS 'MODULE_PATHNAME', 'flowmatrix_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.flowmatrix_recv(internal) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flowmatrix_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.flowmatrix_send(@extschema@.flowmatrix) RETURNS bytea
	AS 'MODULE_PATHNAME', 'flowmatrix_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.flow_accum(@extschema@.flowmatrix, bigint, bigint, bigint) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.flow_key_adcode(bigint) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'flow_key_adcode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.hr_density_index(resource double precision, population double precision, area_km2 double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'hr_density_index' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.agglomeration_degree(part double precision, part_total double precision,
		area double precision, area_total double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'agglomeration_degree' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.rate_value(@extschema@.hs_rate) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rate_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.rate_num(@extschema@.hs_rate) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rate_num' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.rate_den(@extschema@.hs_rate) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rate_den' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.rate_ci(r @extschema@.hs_rate,
		level double precision DEFAULT 0.95, method text DEFAULT 'wilson',
		OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE OR REPLACE FUNCTION @extschema@.rate_public(r @extschema@.hs_rate,
		min_cell integer DEFAULT coalesce(current_setting('health_share.min_cell', true), '5')::integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'rate_public' LANGUAGE C STABLE STRICT PARALLEL SAFE;
