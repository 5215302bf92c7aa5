
-------------------------------------------------------------------------------
-- planning: site selection (maximal covering, p-median) and grid design
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.site_select_state;

CREATE FUNCTION @extschema@.site_state_in(cstring) RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_state_out(@extschema@.site_select_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'site_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_state_recv(internal) RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_state_send(@extschema@.site_select_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'site_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.site_select_state (
	INPUT = @extschema@.site_state_in,
	OUTPUT = @extschema@.site_state_out,
	RECEIVE = @extschema@.site_state_recv,
	SEND = @extschema@.site_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.site_select_state IS
	'state of site_select and site_select_median: the objective, k, the radius, the candidate and existing facility_sets and the demand points (lon, lat, pop)';
COMMENT ON FUNCTION @extschema@.site_state_in(cstring) IS
	'text input of site_select_state: cover;k=K;radius=R;candidates={...};existing={...};points={(lon,lat,pop),...} (median;k=K;... without radius)';
COMMENT ON FUNCTION @extschema@.site_state_out(@extschema@.site_select_state) IS 'text output of site_select_state';
COMMENT ON FUNCTION @extschema@.site_state_recv(internal) IS 'binary input of site_select_state (validated)';
COMMENT ON FUNCTION @extschema@.site_state_send(@extschema@.site_select_state) IS 'binary output of site_select_state';

-- The state is a site_select_state (a real SQL type, so Citus computes
-- partial states on its workers): while aggregating an expanded object
-- collecting the demand points; partial states merge by concatenation.
CREATE FUNCTION @extschema@.site_select_accum(@extschema@.site_select_state, @extschema@.facility_set,
		double precision, double precision, double precision, double precision, integer)
	RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_select_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_select_accum(@extschema@.site_select_state, @extschema@.facility_set,
		double precision, double precision, double precision, double precision, integer, @extschema@.facility_set)
	RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_select_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_median_accum(@extschema@.site_select_state, @extschema@.facility_set,
		double precision, double precision, double precision, integer)
	RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_median_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_median_accum(@extschema@.site_select_state, @extschema@.facility_set,
		double precision, double precision, double precision, integer, @extschema@.facility_set)
	RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_median_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_select_combine(@extschema@.site_select_state, @extschema@.site_select_state)
	RETURNS @extschema@.site_select_state
	AS 'MODULE_PATHNAME', 'site_select_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.site_select_final(@extschema@.site_select_state) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'site_select_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.site_select_accum(@extschema@.site_select_state, @extschema@.facility_set, double precision, double precision, double precision, double precision, integer) IS
	'transition function of site_select';
COMMENT ON FUNCTION @extschema@.site_select_accum(@extschema@.site_select_state, @extschema@.facility_set, double precision, double precision, double precision, double precision, integer, @extschema@.facility_set) IS
	'transition function of site_select with existing facilities';
COMMENT ON FUNCTION @extschema@.site_median_accum(@extschema@.site_select_state, @extschema@.facility_set, double precision, double precision, double precision, integer) IS
	'transition function of site_select_median';
COMMENT ON FUNCTION @extschema@.site_median_accum(@extschema@.site_select_state, @extschema@.facility_set, double precision, double precision, double precision, integer, @extschema@.facility_set) IS
	'transition function of site_select_median with existing facilities';
COMMENT ON FUNCTION @extschema@.site_select_combine(@extschema@.site_select_state, @extschema@.site_select_state) IS
	'combine function of site_select and site_select_median: the demand points of both partial states (same parameters and sets)';
COMMENT ON FUNCTION @extschema@.site_select_final(@extschema@.site_select_state) IS
	'final function of site_select and site_select_median: greedy with lazy evaluation, then Teitz-Bart swaps; the chosen candidate ids in increasing order';

CREATE AGGREGATE @extschema@.site_select(candidates @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, radius double precision, k integer) (
	SFUNC = @extschema@.site_select_accum,
	STYPE = @extschema@.site_select_state,
	COMBINEFUNC = @extschema@.site_select_combine,
	FINALFUNC = @extschema@.site_select_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.site_select(candidates @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, radius double precision, k integer,
		existing @extschema@.facility_set) (
	SFUNC = @extschema@.site_select_accum,
	STYPE = @extschema@.site_select_state,
	COMBINEFUNC = @extschema@.site_select_combine,
	FINALFUNC = @extschema@.site_select_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.site_select(@extschema@.facility_set, double precision, double precision, double precision, double precision, integer) IS
	'maximal covering location (Church & ReVelle 1974): the ids of the k candidates covering the most population within radius metres; ties to smaller ids';
COMMENT ON AGGREGATE @extschema@.site_select(@extschema@.facility_set, double precision, double precision, double precision, double precision, integer, @extschema@.facility_set) IS
	'maximal covering location: the ids of the k candidates that, added to the existing facilities (NULL: none), cover the most population within radius metres';

CREATE AGGREGATE @extschema@.site_select_median(candidates @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, k integer) (
	SFUNC = @extschema@.site_median_accum,
	STYPE = @extschema@.site_select_state,
	COMBINEFUNC = @extschema@.site_select_combine,
	FINALFUNC = @extschema@.site_select_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.site_select_median(candidates @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, k integer, existing @extschema@.facility_set) (
	SFUNC = @extschema@.site_median_accum,
	STYPE = @extschema@.site_select_state,
	COMBINEFUNC = @extschema@.site_select_combine,
	FINALFUNC = @extschema@.site_select_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.site_select_median(@extschema@.facility_set, double precision, double precision, double precision, integer) IS
	'p-median (Hakimi 1964): the ids of the k candidates minimising the population-weighted distance to the nearest chosen site';
COMMENT ON AGGREGATE @extschema@.site_select_median(@extschema@.facility_set, double precision, double precision, double precision, integer, @extschema@.facility_set) IS
	'p-median: the ids of the k candidates that, with the existing facilities (NULL: none), minimise the population-weighted distance to the nearest open site';

CREATE FUNCTION @extschema@.site_select_costs(costs_sql text, radius double precision, k integer,
		existing bigint[] DEFAULT '{}') RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'site_select_costs' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.site_select_costs(text, double precision, integer, bigint[]) IS
	'maximal covering over an origin-destination cost table: costs_sql returns (pop_id, pop, site_id, cost); the k sites outside existing that cover the most population within cost radius';

CREATE FUNCTION @extschema@.grid_design(units_sql text, hospitals @extschema@.facility_set,
		capacity_per_supply double precision DEFAULT NULL,
		OUT unit_id bigint, OUT hospital_id bigint, OUT distance double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'grid_design' LANGUAGE C VOLATILE PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.grid_design(text, @extschema@.facility_set, double precision) IS
	'every unit of units_sql (id, lon, lat, pop) to one lead hospital: the nearest, or with capacity_per_supply the least population-weighted distance keeping each hospital within supply × capacity_per_supply (single-source, heuristic)';
