
-------------------------------------------------------------------------------
-- spatial: distances, facility_set, coverage, 2SFCA family, equal-area grid
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.hs_distance(lon1 double precision, lat1 double precision,
		lon2 double precision, lat2 double precision) RETURNS double precision
	AS 'MODULE_PATHNAME', 'hs_distance' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_distance(double precision, double precision, double precision, double precision) IS
	'great-circle (haversine) distance in metres on the sphere of radius 6371008.8 m';

CREATE TYPE @extschema@.facility_set;

CREATE FUNCTION @extschema@.facility_set_in(cstring) RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_out(@extschema@.facility_set) RETURNS cstring
	AS 'MODULE_PATHNAME', 'facility_set_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_recv(internal) RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_send(@extschema@.facility_set) RETURNS bytea
	AS 'MODULE_PATHNAME', 'facility_set_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

CREATE TYPE @extschema@.facility_set (
	INPUT = @extschema@.facility_set_in,
	OUTPUT = @extschema@.facility_set_out,
	RECEIVE = @extschema@.facility_set_recv,
	SEND = @extschema@.facility_set_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.facility_set IS
	'facilities (id, lon, lat, supply) stored as a flat k-d tree for fast radius and nearest queries; also the result of fca_demand, then carrying supply-to-demand ratios';

COMMENT ON FUNCTION @extschema@.facility_set_in(cstring) IS 'text input of facility_set: {(id,lon,lat,supply),...}';
COMMENT ON FUNCTION @extschema@.facility_set_out(@extschema@.facility_set) IS 'text output of facility_set';
COMMENT ON FUNCTION @extschema@.facility_set_recv(internal) IS 'binary input of facility_set (validated; the index is rebuilt)';
COMMENT ON FUNCTION @extschema@.facility_set_send(@extschema@.facility_set) IS 'binary output of facility_set';

CREATE FUNCTION @extschema@.facility_count(@extschema@.facility_set) RETURNS integer
	AS 'MODULE_PATHNAME', 'facility_count' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.facility_count(@extschema@.facility_set) IS 'number of facilities in the set';

CREATE FUNCTION @extschema@.facility_entries(fs @extschema@.facility_set,
		OUT id bigint, OUT lon double precision, OUT lat double precision,
		OUT supply double precision, OUT ratio double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'facility_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.facility_entries(@extschema@.facility_set) IS
	'the facilities of a set; ratio is R_j = S_j / demand_j for a result of fca_demand (the demand itself for a partial state), NULL otherwise';

-- facility_set(id, lon, lat, supply): the state is a facility_set itself (a
-- real SQL type, so Citus computes partial sets on its workers).  While
-- aggregating it is an expanded object holding the rows; it is flattened
-- (sorted, k-d tree built) only when it leaves the node; partial sets merge
-- by union.
CREATE FUNCTION @extschema@.facility_set_accum(@extschema@.facility_set, bigint, double precision, double precision, double precision)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_accum(@extschema@.facility_set, bigint, double precision, double precision)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_combine(@extschema@.facility_set, @extschema@.facility_set) RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.facility_set_final(@extschema@.facility_set) RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'facility_set_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.facility_set_accum(@extschema@.facility_set, bigint, double precision, double precision, double precision) IS 'transition function of facility_set(id, lon, lat, supply)';
COMMENT ON FUNCTION @extschema@.facility_set_accum(@extschema@.facility_set, bigint, double precision, double precision) IS 'transition function of facility_set(id, lon, lat)';
COMMENT ON FUNCTION @extschema@.facility_set_combine(@extschema@.facility_set, @extschema@.facility_set) IS 'combine function of facility_set: union of two partial sets';
COMMENT ON FUNCTION @extschema@.facility_set_final(@extschema@.facility_set) IS 'final function of facility_set: the set with its k-d tree, NULL when empty';

CREATE AGGREGATE @extschema@.facility_set(id bigint, lon double precision, lat double precision, supply double precision) (
	SFUNC = @extschema@.facility_set_accum,
	STYPE = @extschema@.facility_set,
	COMBINEFUNC = @extschema@.facility_set_combine,
	FINALFUNC = @extschema@.facility_set_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.facility_set(bigint, double precision, double precision, double precision) IS
	'spatial index over facilities with their supply (doctors, beds, ...); rows with a NULL are skipped';

CREATE AGGREGATE @extschema@.facility_set(id bigint, lon double precision, lat double precision) (
	SFUNC = @extschema@.facility_set_accum,
	STYPE = @extschema@.facility_set,
	COMBINEFUNC = @extschema@.facility_set_combine,
	FINALFUNC = @extschema@.facility_set_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.facility_set(bigint, double precision, double precision) IS
	'spatial index over facilities, each with supply 1; rows with a NULL are skipped';

CREATE FUNCTION @extschema@.nearest_facility(fs @extschema@.facility_set,
		lon double precision, lat double precision,
		OUT id bigint, OUT distance double precision)
	AS 'MODULE_PATHNAME', 'nearest_facility' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.nearest_facility(@extschema@.facility_set, double precision, double precision) IS
	'the nearest facility and its distance in metres (ties go to the smaller id); NULL for an empty set';

CREATE FUNCTION @extschema@.facilities_within(fs @extschema@.facility_set,
		lon double precision, lat double precision, radius double precision) RETURNS integer
	AS 'MODULE_PATHNAME', 'facilities_within' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.facilities_within(@extschema@.facility_set, double precision, double precision, double precision) IS
	'number of facilities at most radius metres away';

CREATE FUNCTION @extschema@.coverage_accum(@extschema@.hs_rate, @extschema@.facility_set,
		double precision, double precision, bigint, double precision) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'coverage_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.coverage_accum(@extschema@.hs_rate, @extschema@.facility_set, double precision, double precision, bigint, double precision) IS
	'transition function of coverage';

CREATE AGGREGATE @extschema@.coverage(fs @extschema@.facility_set, lon double precision,
		lat double precision, pop bigint, radius double precision) (
	SFUNC = @extschema@.coverage_accum,
	STYPE = @extschema@.hs_rate,
	COMBINEFUNC = @extschema@.hs_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.coverage(@extschema@.facility_set, double precision, double precision, bigint, double precision) IS
	'population coverage (服务圈人口覆盖率, e.g. the 15-minute circle 15分钟服务圈): population living within radius metres of a facility over all population, as an exact hs_rate';

-- fca_demand: the state is itself a facility_set carrying the demand per
-- facility, updated in place; partial states merge by adding demands.
CREATE FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set,
		double precision, double precision, double precision, double precision)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'fca_demand_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set,
		double precision, double precision, double precision, double precision, text)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'fca_demand_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set,
		double precision, double precision, double precision, double precision, text, text)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'fca_demand_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fca_demand_combine(@extschema@.facility_set, @extschema@.facility_set)
	RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'fca_demand_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.fca_demand_final(@extschema@.facility_set) RETURNS @extschema@.facility_set
	AS 'MODULE_PATHNAME', 'fca_demand_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set, double precision, double precision, double precision, double precision) IS 'transition function of fca_demand';
COMMENT ON FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set, double precision, double precision, double precision, double precision, text) IS 'transition function of fca_demand';
COMMENT ON FUNCTION @extschema@.fca_demand_accum(@extschema@.facility_set, @extschema@.facility_set, double precision, double precision, double precision, double precision, text, text) IS 'transition function of fca_demand';
COMMENT ON FUNCTION @extschema@.fca_demand_combine(@extschema@.facility_set, @extschema@.facility_set) IS 'combine function of fca_demand: adds the demands of two partial states';
COMMENT ON FUNCTION @extschema@.fca_demand_final(@extschema@.facility_set) IS 'final function of fca_demand: R_j = S_j / demand_j (0 when the demand is 0)';

CREATE AGGREGATE @extschema@.fca_demand(fs @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, d0 double precision) (
	SFUNC = @extschema@.fca_demand_accum,
	STYPE = @extschema@.facility_set,
	COMBINEFUNC = @extschema@.fca_demand_combine,
	FINALFUNC = @extschema@.fca_demand_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.fca_demand(fs @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, d0 double precision, decay text) (
	SFUNC = @extschema@.fca_demand_accum,
	STYPE = @extschema@.facility_set,
	COMBINEFUNC = @extschema@.fca_demand_combine,
	FINALFUNC = @extschema@.fca_demand_final,
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.fca_demand(fs @extschema@.facility_set, lon double precision,
		lat double precision, pop double precision, d0 double precision, decay text, method text) (
	SFUNC = @extschema@.fca_demand_accum,
	STYPE = @extschema@.facility_set,
	COMBINEFUNC = @extschema@.fca_demand_combine,
	FINALFUNC = @extschema@.fca_demand_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.fca_demand(@extschema@.facility_set, double precision, double precision, double precision, double precision) IS
	'2SFCA step 1 with binary decay: the facilities with R_j = S_j / Σ_k W(d_kj)·P_k, for fca_access';
COMMENT ON AGGREGATE @extschema@.fca_demand(@extschema@.facility_set, double precision, double precision, double precision, double precision, text) IS
	'2SFCA step 1 with a decay (binary, linear, gaussian, gravity:β[,dmin], steps:d=w,...): R_j = S_j / Σ_k W(d_kj)·P_k';
COMMENT ON AGGREGATE @extschema@.fca_demand(@extschema@.facility_set, double precision, double precision, double precision, double precision, text, text) IS
	'FCA step 1 with a decay and a method (2sfca, or 3sfca with selection weights G_ij = W_ij / Σ_l W_il)';

CREATE FUNCTION @extschema@.fca_access(fs @extschema@.facility_set, lon double precision, lat double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'fca_access' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.fca_access(@extschema@.facility_set, double precision, double precision) IS
	'spatial accessibility (空间可及性), FCA step 2: A_i = Σ_j W(d_ij)·R_j (times G_ij for 3sfca) with the parameters of fca_demand; 0 when no facility is reached, NULL for an empty set';

CREATE FUNCTION @extschema@.fca_costs(costs_sql text, d0 double precision,
		decay text DEFAULT 'binary', method text DEFAULT '2sfca',
		OUT pop_id bigint, OUT access double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'fca_costs' LANGUAGE C VOLATILE STRICT PARALLEL UNSAFE;
COMMENT ON FUNCTION @extschema@.fca_costs(text, double precision, text, text) IS
	'2SFCA family over an origin-destination cost table: costs_sql returns (pop_id, pop, fac_id, supply, cost); every population id gets a row, 0 when it reaches no facility';

CREATE FUNCTION @extschema@.grid_cell(lon double precision, lat double precision, size_m integer) RETURNS bigint
	AS 'MODULE_PATHNAME', 'grid_cell' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_cell(double precision, double precision, integer) IS
	'id of the size_m × size_m equal-area cell (Albers conic, 25°N/47°N, 105°E, WGS84) holding the point; the id encodes the size';

CREATE FUNCTION @extschema@.grid_cell_center(cell bigint, OUT lon double precision, OUT lat double precision)
	AS 'MODULE_PATHNAME', 'grid_cell_center' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_cell_center(bigint) IS 'longitude and latitude of a grid cell''s centre';

CREATE FUNCTION @extschema@.grid_cell_geojson(cell bigint) RETURNS text
	AS 'MODULE_PATHNAME', 'grid_cell_geojson' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_cell_geojson(bigint) IS 'a grid cell as a GeoJSON Polygon (counter-clockwise, lon/lat)';

CREATE FUNCTION @extschema@.grid_project(lon double precision, lat double precision,
		OUT x double precision, OUT y double precision)
	AS 'MODULE_PATHNAME', 'grid_project' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_project(double precision, double precision) IS
	'Albers equal-area conic coordinates in metres of the grid (+proj=aea +lat_1=25 +lat_2=47 +lon_0=105 +ellps=WGS84)';

CREATE FUNCTION @extschema@.grid_unproject(x double precision, y double precision,
		OUT lon double precision, OUT lat double precision)
	AS 'MODULE_PATHNAME', 'grid_unproject' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.grid_unproject(double precision, double precision) IS
	'inverse of grid_project';
