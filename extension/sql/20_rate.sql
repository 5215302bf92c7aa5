
-------------------------------------------------------------------------------
-- hs_rate: exact proportions of int8 counts
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.hs_rate;

CREATE FUNCTION @extschema@.hs_rate_in(cstring) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_out(@extschema@.hs_rate) RETURNS cstring
	AS 'MODULE_PATHNAME', 'hs_rate_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_recv(internal) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_send(@extschema@.hs_rate) RETURNS bytea
	AS 'MODULE_PATHNAME', 'hs_rate_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_rate_in(cstring) IS 'input function of hs_rate: num/den with 0 <= num <= den';
COMMENT ON FUNCTION @extschema@.hs_rate_out(@extschema@.hs_rate) IS 'output function of hs_rate: num/den';
COMMENT ON FUNCTION @extschema@.hs_rate_recv(internal) IS 'binary input function of hs_rate (validated like text input)';
COMMENT ON FUNCTION @extschema@.hs_rate_send(@extschema@.hs_rate) IS 'binary output function of hs_rate';

CREATE TYPE @extschema@.hs_rate (
	INPUT = @extschema@.hs_rate_in,
	OUTPUT = @extschema@.hs_rate_out,
	RECEIVE = @extschema@.hs_rate_recv,
	SEND = @extschema@.hs_rate_send,
	INTERNALLENGTH = 16,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.hs_rate IS
	'exact proportion numerator/denominator of bigint counts, written 412/450; mergeable by addition';

CREATE FUNCTION @extschema@.hs_rate(num bigint, den bigint) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_make' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_rate(bigint, bigint) IS 'a rate from its numerator and denominator';

CREATE FUNCTION @extschema@.hs_rate_eq(@extschema@.hs_rate, @extschema@.hs_rate) RETURNS boolean
	AS 'MODULE_PATHNAME', 'hs_rate_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_ne(@extschema@.hs_rate, @extschema@.hs_rate) RETURNS boolean
	AS 'MODULE_PATHNAME', 'hs_rate_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_add(@extschema@.hs_rate, @extschema@.hs_rate) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_rate_eq(@extschema@.hs_rate, @extschema@.hs_rate) IS 'same numerator and same denominator';
COMMENT ON FUNCTION @extschema@.hs_rate_ne(@extschema@.hs_rate, @extschema@.hs_rate) IS 'numerator or denominator differ';
COMMENT ON FUNCTION @extschema@.hs_rate_add(@extschema@.hs_rate, @extschema@.hs_rate) IS 'adds numerators and denominators (merges two rates)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.hs_rate, RIGHTARG = @extschema@.hs_rate,
	FUNCTION = @extschema@.hs_rate_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR @extschema@.=(@extschema@.hs_rate, @extschema@.hs_rate) IS 'same numerator and same denominator';
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.hs_rate, RIGHTARG = @extschema@.hs_rate,
	FUNCTION = @extschema@.hs_rate_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<>(@extschema@.hs_rate, @extschema@.hs_rate) IS 'numerator or denominator differ';
CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.hs_rate, RIGHTARG = @extschema@.hs_rate,
	FUNCTION = @extschema@.hs_rate_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+(@extschema@.hs_rate, @extschema@.hs_rate) IS 'merges two rates: adds numerators and denominators';

CREATE FUNCTION @extschema@.rate_value(@extschema@.hs_rate) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rate_value' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_num(@extschema@.hs_rate) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rate_num' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.rate_den(@extschema@.hs_rate) RETURNS bigint
	AS 'MODULE_PATHNAME', 'rate_den' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_value(@extschema@.hs_rate) IS 'numerator / denominator; NULL when the denominator is 0';
COMMENT ON FUNCTION @extschema@.rate_num(@extschema@.hs_rate) IS 'the numerator';
COMMENT ON FUNCTION @extschema@.rate_den(@extschema@.hs_rate) IS 'the denominator';

CREATE FUNCTION @extschema@.rate_ci(r @extschema@.hs_rate,
		level double precision DEFAULT 0.95, method text DEFAULT 'wilson',
		OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'rate_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ci(@extschema@.hs_rate, double precision, text) IS
	'confidence interval of a rate: method wilson (score) or exact (Clopper-Pearson)';

CREATE FUNCTION @extschema@.rate_public(r @extschema@.hs_rate,
		min_cell integer DEFAULT coalesce(current_setting('health_share.min_cell', true), '5')::integer)
	RETURNS double precision
	AS 'MODULE_PATHNAME', 'rate_public' LANGUAGE C STABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_public(@extschema@.hs_rate, integer) IS
	'the rate''s value, or NULL when a non-zero cell (numerator, denominator or their difference) is below min_cell (default: setting health_share.min_cell)';

-- Aggregates.  The state is the hs_rate itself, updated in place; the combine
-- function adds partial rates, so parallel workers and Citus workers return
-- real hs_rate values.
CREATE FUNCTION @extschema@.hs_rate_bool_accum(@extschema@.hs_rate, boolean) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_bool_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_accum(@extschema@.hs_rate, bigint, bigint) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_rate_combine(@extschema@.hs_rate, @extschema@.hs_rate) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_rate_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.hs_in_county_accum(@extschema@.hs_rate, @extschema@.adcode, @extschema@.adcode) RETURNS @extschema@.hs_rate
	AS 'MODULE_PATHNAME', 'hs_in_county_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.hs_rate_bool_accum(@extschema@.hs_rate, boolean) IS 'transition function of rate(boolean)';
COMMENT ON FUNCTION @extschema@.hs_rate_accum(@extschema@.hs_rate, bigint, bigint) IS 'transition function of rate(bigint, bigint)';
COMMENT ON FUNCTION @extschema@.hs_rate_combine(@extschema@.hs_rate, @extschema@.hs_rate) IS 'transition function of sum(hs_rate), combine function of every rate aggregate';
COMMENT ON FUNCTION @extschema@.hs_in_county_accum(@extschema@.hs_rate, @extschema@.adcode, @extschema@.adcode) IS 'transition function of in_county_rate';

CREATE AGGREGATE @extschema@.rate(boolean) (
	SFUNC = @extschema@.hs_rate_bool_accum,
	STYPE = @extschema@.hs_rate,
	COMBINEFUNC = @extschema@.hs_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rate(boolean) IS 'true rows over non-null rows, as an exact hs_rate';

CREATE AGGREGATE @extschema@.rate(num bigint, den bigint) (
	SFUNC = @extschema@.hs_rate_accum,
	STYPE = @extschema@.hs_rate,
	COMBINEFUNC = @extschema@.hs_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.rate(bigint, bigint) IS 'sum(num) over sum(den), rows with 0 <= num <= den (weighted rates, e.g. fund amounts in fen)';

CREATE AGGREGATE @extschema@.sum(@extschema@.hs_rate) (
	SFUNC = @extschema@.hs_rate_combine,
	STYPE = @extschema@.hs_rate,
	COMBINEFUNC = @extschema@.hs_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.hs_rate) IS 'merges rates by adding numerators and denominators (rollups of stored rates)';

CREATE AGGREGATE @extschema@.in_county_rate(residence @extschema@.adcode, facility @extschema@.adcode) (
	SFUNC = @extschema@.hs_in_county_accum,
	STYPE = @extschema@.hs_rate,
	COMBINEFUNC = @extschema@.hs_rate_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.in_county_rate(@extschema@.adcode, @extschema@.adcode) IS
	'县域内就诊率: visits whose facility lies in the resident''s county over visits where both counties are known';

-- rate_percent: a rate as a rounded percentage, the form reports and
-- dashboards print (县域内就诊率 92.3 %); NULL when the denominator is 0.
CREATE FUNCTION @extschema@.rate_percent(r @extschema@.hs_rate, digits integer DEFAULT 1)
	RETURNS numeric LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN @extschema@.rate_den(r) OPERATOR(pg_catalog.=) 0 THEN NULL
	            ELSE pg_catalog.round(
	                     100::numeric OPERATOR(pg_catalog.*) @extschema@.rate_num(r)::numeric
	                     OPERATOR(pg_catalog./) @extschema@.rate_den(r)::numeric, digits) END;
COMMENT ON FUNCTION @extschema@.rate_percent(@extschema@.hs_rate, integer) IS
	'100 × numerator / denominator rounded to digits decimals (default 1); NULL when the denominator is 0';
