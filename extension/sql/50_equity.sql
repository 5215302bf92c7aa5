
-------------------------------------------------------------------------------
-- equity: Gini, Lorenz, Theil T/L with decomposition, density, agglomeration
-------------------------------------------------------------------------------

-- Gini and Lorenz keep the (value, weight) rows in an inequality_state (a
-- real SQL type, so Citus computes partial states on its workers; while
-- aggregating it is an expanded object, flattened only when it leaves the
-- node) and sort them in the final function.  The final functions reorder
-- the state in place without changing what it holds, so they are declared
-- READ_ONLY and gini and lorenz over the same arguments share one state.
CREATE TYPE @extschema@.inequality_state;
CREATE FUNCTION @extschema@.inequality_state_in(cstring) RETURNS @extschema@.inequality_state
	AS 'MODULE_PATHNAME', 'inequality_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.inequality_state_out(@extschema@.inequality_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'inequality_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.inequality_state_recv(internal) RETURNS @extschema@.inequality_state
	AS 'MODULE_PATHNAME', 'inequality_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.inequality_state_send(@extschema@.inequality_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'inequality_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.inequality_state (
	INPUT = @extschema@.inequality_state_in,
	OUTPUT = @extschema@.inequality_state_out,
	RECEIVE = @extschema@.inequality_state_recv,
	SEND = @extschema@.inequality_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.inequality_state IS
	'partial state of gini and lorenz: the (value, weight) rows with positive weight, text {value:weight,...}';
COMMENT ON FUNCTION @extschema@.inequality_state_in(cstring) IS 'text input of inequality_state (validated)';
COMMENT ON FUNCTION @extschema@.inequality_state_out(@extschema@.inequality_state) IS 'text output of inequality_state, exact float8 digits';
COMMENT ON FUNCTION @extschema@.inequality_state_recv(internal) IS 'binary input of inequality_state (validated)';
COMMENT ON FUNCTION @extschema@.inequality_state_send(@extschema@.inequality_state) IS 'binary output of inequality_state';

CREATE FUNCTION @extschema@.hs_ineq_accum(@extschema@.inequality_state, double precision, double precision) RETURNS @extschema@.inequality_state
	AS 'MODULE_PATHNAME', 'hs_ineq_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_ineq_accum1(@extschema@.inequality_state, double precision) RETURNS @extschema@.inequality_state
	AS 'MODULE_PATHNAME', 'hs_ineq_accum1' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_ineq_combine(@extschema@.inequality_state, @extschema@.inequality_state) RETURNS @extschema@.inequality_state
	AS 'MODULE_PATHNAME', 'hs_ineq_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_gini_final(@extschema@.inequality_state) RETURNS double precision
	AS 'MODULE_PATHNAME', 'hs_gini_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_lorenz_final(@extschema@.inequality_state) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'hs_lorenz_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_ineq_accum(@extschema@.inequality_state, double precision, double precision) IS 'transition function of gini(value, weight) and lorenz';
COMMENT ON FUNCTION @extschema@.hs_ineq_accum1(@extschema@.inequality_state, double precision) IS 'transition function of gini(value)';
COMMENT ON FUNCTION @extschema@.hs_ineq_combine(@extschema@.inequality_state, @extschema@.inequality_state) IS 'combine function of gini and lorenz';
COMMENT ON FUNCTION @extschema@.hs_gini_final(@extschema@.inequality_state) IS 'final function of gini';
COMMENT ON FUNCTION @extschema@.hs_lorenz_final(@extschema@.inequality_state) IS 'final function of lorenz';

CREATE AGGREGATE @extschema@.gini(value double precision, weight double precision) (
	SFUNC = @extschema@.hs_ineq_accum,
	STYPE = @extschema@.inequality_state,
	FINALFUNC = @extschema@.hs_gini_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.hs_ineq_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.gini(double precision, double precision) IS
	'population-weighted Gini coefficient (基尼系数) of a per-capita value (weight = population); NULL without population or resource';

CREATE AGGREGATE @extschema@.gini(value double precision) (
	SFUNC = @extschema@.hs_ineq_accum1,
	STYPE = @extschema@.inequality_state,
	FINALFUNC = @extschema@.hs_gini_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.hs_ineq_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.gini(double precision) IS
	'Gini coefficient (基尼系数) of the rows'' values, every row weighing 1 (mean absolute difference over twice the mean)';

CREATE AGGREGATE @extschema@.lorenz(value double precision, weight double precision) (
	SFUNC = @extschema@.hs_ineq_accum,
	STYPE = @extschema@.inequality_state,
	FINALFUNC = @extschema@.hs_lorenz_final,
	FINALFUNC_MODIFY = READ_ONLY,
	COMBINEFUNC = @extschema@.hs_ineq_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.lorenz(double precision, double precision) IS
	'Lorenz curve (洛伦兹曲线) as float8[k+1][2]: {0,0} then {cumulative population share, cumulative resource share} per distinct value, ending at {1,1}';

-- Theil T and L: the state is a float8[] of compensated sums (a real type, so
-- partial aggregates are ordinary values), merged by addition.
CREATE FUNCTION @extschema@.hs_theil_accum(double precision[], double precision, double precision) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'hs_theil_accum' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_combine(double precision[], double precision[]) RETURNS double precision[]
	AS 'MODULE_PATHNAME', 'hs_theil_combine' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_t_final(double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'hs_theil_t_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_l_final(double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'hs_theil_l_final' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_theil_accum(double precision[], double precision, double precision) IS
	'transition function of theil_t and theil_l: state {rows, W, Y, sum w y ln y, sum w ln y (each with its compensation), zero-value rows}';
COMMENT ON FUNCTION @extschema@.hs_theil_combine(double precision[], double precision[]) IS 'combine function of theil_t and theil_l';
COMMENT ON FUNCTION @extschema@.hs_theil_t_final(double precision[]) IS 'final function of theil_t';
COMMENT ON FUNCTION @extschema@.hs_theil_l_final(double precision[]) IS 'final function of theil_l';

CREATE AGGREGATE @extschema@.theil_t(value double precision, weight double precision) (
	SFUNC = @extschema@.hs_theil_accum,
	STYPE = double precision[],
	INITCOND = '{0,0,0,0,0,0,0,0,0,0}',
	FINALFUNC = @extschema@.hs_theil_t_final,
	COMBINEFUNC = @extschema@.hs_theil_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.theil_t(double precision, double precision) IS
	'Theil index (泰尔指数): Theil T = GE(1) = sum s_i ln(s_i / p_i), s resource share, p population share; NULL without population or resource';

CREATE AGGREGATE @extschema@.theil_l(value double precision, weight double precision) (
	SFUNC = @extschema@.hs_theil_accum,
	STYPE = double precision[],
	INITCOND = '{0,0,0,0,0,0,0,0,0,0}',
	FINALFUNC = @extschema@.hs_theil_l_final,
	COMBINEFUNC = @extschema@.hs_theil_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.theil_l(double precision, double precision) IS
	'Theil index (泰尔指数): Theil L = GE(0) = mean log deviation = sum p_i ln(p_i / s_i) (the population-weighted Theil); NULL without population or resource, or when a populated row has value 0';

-- theil_decompose: sums per group.
CREATE TYPE @extschema@.theil_decomposition AS (
	total double precision,
	between double precision,
	within double precision
);
COMMENT ON TYPE @extschema@.theil_decomposition IS 'result of theil_decompose: total = between + within';

-- The state is a theil_decomposition_state (a real SQL type, so Citus
-- computes partial states on its workers; while aggregating it is an
-- expanded object holding a hash table of the groups' sums, flattened only
-- when it leaves the node).
CREATE TYPE @extschema@.theil_decomposition_state;
CREATE FUNCTION @extschema@.theil_decomposition_state_in(cstring) RETURNS @extschema@.theil_decomposition_state
	AS 'MODULE_PATHNAME', 'theil_decomposition_state_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.theil_decomposition_state_out(@extschema@.theil_decomposition_state) RETURNS cstring
	AS 'MODULE_PATHNAME', 'theil_decomposition_state_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.theil_decomposition_state_recv(internal) RETURNS @extschema@.theil_decomposition_state
	AS 'MODULE_PATHNAME', 'theil_decomposition_state_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.theil_decomposition_state_send(@extschema@.theil_decomposition_state) RETURNS bytea
	AS 'MODULE_PATHNAME', 'theil_decomposition_state_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE TYPE @extschema@.theil_decomposition_state (
	INPUT = @extschema@.theil_decomposition_state_in,
	OUTPUT = @extschema@.theil_decomposition_state_out,
	RECEIVE = @extschema@.theil_decomposition_state_recv,
	SEND = @extschema@.theil_decomposition_state_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = int4,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.theil_decomposition_state IS
	'partial state of theil_decompose: the index and per group the compensated sums, text T{"group":[10 sums],...}';
COMMENT ON FUNCTION @extschema@.theil_decomposition_state_in(cstring) IS 'text input of theil_decomposition_state (validated)';
COMMENT ON FUNCTION @extschema@.theil_decomposition_state_out(@extschema@.theil_decomposition_state) IS 'text output of theil_decomposition_state, exact float8 digits';
COMMENT ON FUNCTION @extschema@.theil_decomposition_state_recv(internal) IS 'binary input of theil_decomposition_state (validated)';
COMMENT ON FUNCTION @extschema@.theil_decomposition_state_send(@extschema@.theil_decomposition_state) IS 'binary output of theil_decomposition_state';

CREATE FUNCTION @extschema@.hs_theil_decomp_accum(@extschema@.theil_decomposition_state, double precision, double precision, text)
	RETURNS @extschema@.theil_decomposition_state
	AS 'MODULE_PATHNAME', 'hs_theil_decomp_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_decomp_accum(@extschema@.theil_decomposition_state, double precision, double precision, text, text)
	RETURNS @extschema@.theil_decomposition_state
	AS 'MODULE_PATHNAME', 'hs_theil_decomp_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_decomp_combine(@extschema@.theil_decomposition_state, @extschema@.theil_decomposition_state)
	RETURNS @extschema@.theil_decomposition_state
	AS 'MODULE_PATHNAME', 'hs_theil_decomp_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_theil_decomp_final(@extschema@.theil_decomposition_state) RETURNS @extschema@.theil_decomposition
	AS 'MODULE_PATHNAME', 'hs_theil_decomp_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_theil_decomp_accum(@extschema@.theil_decomposition_state, double precision, double precision, text) IS 'transition function of theil_decompose(value, weight, grp)';
COMMENT ON FUNCTION @extschema@.hs_theil_decomp_accum(@extschema@.theil_decomposition_state, double precision, double precision, text, text) IS 'transition function of theil_decompose(value, weight, grp, index)';
COMMENT ON FUNCTION @extschema@.hs_theil_decomp_combine(@extschema@.theil_decomposition_state, @extschema@.theil_decomposition_state) IS 'combine function of theil_decompose';
COMMENT ON FUNCTION @extschema@.hs_theil_decomp_final(@extschema@.theil_decomposition_state) IS 'final function of theil_decompose';

-- Aggregates take no argument defaults: index 'L' is the three-argument form.
CREATE AGGREGATE @extschema@.theil_decompose(value double precision, weight double precision, grp text) (
	SFUNC = @extschema@.hs_theil_decomp_accum,
	STYPE = @extschema@.theil_decomposition_state,
	FINALFUNC = @extschema@.hs_theil_decomp_final,
	COMBINEFUNC = @extschema@.hs_theil_decomp_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.theil_decompose(double precision, double precision, text) IS
	'Theil decomposition (泰尔指数分解): Theil L (mean log deviation) split into between-group and within-group parts: (total, between, within)';

CREATE AGGREGATE @extschema@.theil_decompose(value double precision, weight double precision, grp text, index text) (
	SFUNC = @extschema@.hs_theil_decomp_accum,
	STYPE = @extschema@.theil_decomposition_state,
	FINALFUNC = @extschema@.hs_theil_decomp_final,
	COMBINEFUNC = @extschema@.hs_theil_decomp_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.theil_decompose(double precision, double precision, text, text) IS
	'Theil decomposition (泰尔指数分解): Theil index ''T'' or ''L'' split into between-group and within-group parts: (total, between, within)';

-- Density and agglomeration: plain functions, used per region next to the
-- totals from window aggregates (sum(x) OVER ()).
CREATE FUNCTION @extschema@.hr_density_index(resource double precision, population double precision, area_km2 double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'hr_density_index' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hr_density_index(double precision, double precision, double precision) IS
	'health resource density index (卫生资源密度指数): HRDI = sqrt((resource per 1000 population) * (resource per km2)); NULL when population or area is 0';

CREATE FUNCTION @extschema@.agglomeration_degree(part double precision, part_total double precision,
		area double precision, area_total double precision)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'agglomeration_degree' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.agglomeration_degree(double precision, double precision, double precision, double precision) IS
	'agglomeration degree (卫生资源集聚度 HRAD / 人口集聚度 PAD) = (part / part_total) / (area / area_total): HRAD for a resource, PAD for population; NULL when a denominator is 0';
