-- health_share 1.1 -> 1.2 (ALTER EXTENSION health_share UPDATE TO '1.2').
-- make appends the fragments 1.2 re-runs (see UPDATE_FRAGMENTS in the
-- Makefile): the model's load path, install_model, refresh_model and the
-- model itself.

\echo Use "ALTER EXTENSION health_share UPDATE TO '1.2'" to load this file. \quit

COMMENT ON FUNCTION @extschema@.model_mark_dirty() IS
	'statement trigger of the fact tables of models installed by health_share 1.0 and 1.1: records changed months in the model''s dirty_month table';

-- The catalog's lists of families and units grew (extension/sql/60_model.sql).
ALTER TABLE @extschema@.indicator
	DROP CONSTRAINT indicator_family_check,
	ADD CONSTRAINT indicator_family_check CHECK (family IN ('access', 'primary_care', 'referral', 'flow', 'population_health', 'grid', 'spatial', 'equity',
														   'finance', 'capacity')),
	DROP CONSTRAINT indicator_unit_check,
	ADD CONSTRAINT indicator_unit_check CHECK (unit IN ('share', 'ratio', 'count', 'growth', 'per_1000', 'per_10000', 'index', 'yuan', 'days'));
COMMENT ON COLUMN @extschema@.indicator.family IS 'group: access, primary_care, referral, flow, population_health, grid, spatial, equity, finance, capacity';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'share (0..1), ratio, count, growth (relative change per year), per_1000, per_10000, index, yuan (元, money) or days';
COMMENT ON COLUMN @extschema@.indicator.view_name IS 'the model view (in the schema given to install_model) whose column carries the indicator; NULL while no view carries it yet; a user row''s must be a view of an installed model that has view_column';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for the rows the extension ships (only its install and update scripts may set it); rows users add (builtin = false) are kept by pg_dump';
