-- health_share 1.1 -> 1.2 (ALTER EXTENSION health_share UPDATE TO '1.2').
-- make appends the fragments 1.2 re-runs (see UPDATE_FRAGMENTS in the
-- Makefile): the model's load path, install_model, refresh_model and the
-- model itself.

\echo Use "ALTER EXTENSION health_share UPDATE TO '1.2'" to load this file. \quit

COMMENT ON FUNCTION @extschema@.model_mark_dirty() IS
	'statement trigger of the fact tables of models installed by health_share 1.0 and 1.1: records changed months in the model''s dirty_month table';
