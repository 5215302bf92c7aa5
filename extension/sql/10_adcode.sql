
-------------------------------------------------------------------------------
-- adcode: administrative division codes (GB/T 2260, statistical division codes)
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.adcode;

CREATE FUNCTION @extschema@.adcode_in(cstring) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_out(@extschema@.adcode) RETURNS cstring
	AS 'MODULE_PATHNAME', 'adcode_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_recv(internal) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_send(@extschema@.adcode) RETURNS bytea
	AS 'MODULE_PATHNAME', 'adcode_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_in(cstring) IS 'input function of adcode: 6, 9 or 12 digits (12-digit forms with trailing zeros normalise)';
COMMENT ON FUNCTION @extschema@.adcode_out(@extschema@.adcode) IS 'output function of adcode: the code''s own 6, 9 or 12 digits';
COMMENT ON FUNCTION @extschema@.adcode_recv(internal) IS 'binary input function of adcode (validated like text input)';
COMMENT ON FUNCTION @extschema@.adcode_send(@extschema@.adcode) IS 'binary output function of adcode';

-- Stored by value as the code padded to 12 digits, so int8 order is the
-- hierarchical order and PostgreSQL's int8 comparison routines apply.
CREATE TYPE @extschema@.adcode (
	INPUT = @extschema@.adcode_in,
	OUTPUT = @extschema@.adcode_out,
	RECEIVE = @extschema@.adcode_recv,
	SEND = @extschema@.adcode_send,
	INTERNALLENGTH = 8,
	PASSEDBYVALUE,
	ALIGNMENT = double,
	STORAGE = plain
);
COMMENT ON TYPE @extschema@.adcode IS
	'Chinese administrative division code (行政区划代码): 6-digit province/city/county, 9-digit township, 12-digit village';

CREATE FUNCTION @extschema@.adcode(bigint) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_from_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_to_int8(@extschema@.adcode) RETURNS bigint
	AS 'MODULE_PATHNAME', 'adcode_to_int8' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode(bigint) IS 'division code from its own digits (330521, 330521100)';
COMMENT ON FUNCTION @extschema@.adcode_to_int8(@extschema@.adcode) IS 'the division code''s own digits as bigint';

CREATE CAST (bigint AS @extschema@.adcode) WITH FUNCTION @extschema@.adcode(bigint) AS ASSIGNMENT;
CREATE CAST (@extschema@.adcode AS bigint) WITH FUNCTION @extschema@.adcode_to_int8(@extschema@.adcode) AS ASSIGNMENT;
CREATE CAST (text AS @extschema@.adcode) WITH INOUT AS ASSIGNMENT;
CREATE CAST (@extschema@.adcode AS text) WITH INOUT AS ASSIGNMENT;

CREATE FUNCTION @extschema@.adcode_level(@extschema@.adcode) RETURNS text
	AS 'MODULE_PATHNAME', 'adcode_level' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_parent(@extschema@.adcode) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_parent' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_province(@extschema@.adcode) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_province' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_city(@extschema@.adcode) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_city' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_county(@extschema@.adcode) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_county' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_level(@extschema@.adcode) IS 'province, city, county, township or village';
COMMENT ON FUNCTION @extschema@.adcode_parent(@extschema@.adcode) IS 'the division one level up; NULL for a province';
COMMENT ON FUNCTION @extschema@.adcode_province(@extschema@.adcode) IS 'the province (省) a division lies in';
COMMENT ON FUNCTION @extschema@.adcode_city(@extschema@.adcode) IS 'the city (市) a division lies in; NULL for a province';
COMMENT ON FUNCTION @extschema@.adcode_county(@extschema@.adcode) IS 'the county (县/区) a division lies in; NULL above county level';

CREATE FUNCTION @extschema@.adcode_contains(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'MODULE_PATHNAME', 'adcode_contains' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_contained(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'MODULE_PATHNAME', 'adcode_contained' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_contains(@extschema@.adcode, @extschema@.adcode) IS 'does the first division contain (or equal) the second';
COMMENT ON FUNCTION @extschema@.adcode_contained(@extschema@.adcode, @extschema@.adcode) IS 'does the first division lie in (or equal) the second';

CREATE OPERATOR @extschema@.@> (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_contains,
	COMMUTATOR = OPERATOR(@extschema@.<@),
	RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR @extschema@.@>(@extschema@.adcode, @extschema@.adcode) IS 'contains (or equals): the right division is inside the left one';
CREATE OPERATOR @extschema@.<@ (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_contained,
	COMMUTATOR = OPERATOR(@extschema@.@>),
	RESTRICT = contsel, JOIN = contjoinsel
);
COMMENT ON OPERATOR @extschema@.<@(@extschema@.adcode, @extschema@.adcode) IS 'lies in (or equals): the left division is inside the right one';

-- Comparison, hashing and sort support: PostgreSQL's own int8 routines on the
-- padded value.
CREATE FUNCTION @extschema@.adcode_eq(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8eq' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_ne(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8ne' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_lt(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8lt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_le(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8le' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_gt(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8gt' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_ge(@extschema@.adcode, @extschema@.adcode) RETURNS boolean
	AS 'int8ge' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_cmp(@extschema@.adcode, @extschema@.adcode) RETURNS integer
	AS 'btint8cmp' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_sortsupport(internal) RETURNS void
	AS 'btint8sortsupport' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_hash(@extschema@.adcode) RETURNS integer
	AS 'hashint8' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_hash_extended(@extschema@.adcode, bigint) RETURNS bigint
	AS 'hashint8extended' LANGUAGE internal IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_eq(@extschema@.adcode, @extschema@.adcode) IS 'same division code';
COMMENT ON FUNCTION @extschema@.adcode_ne(@extschema@.adcode, @extschema@.adcode) IS 'different division codes';
COMMENT ON FUNCTION @extschema@.adcode_lt(@extschema@.adcode, @extschema@.adcode) IS 'before, in hierarchical order';
COMMENT ON FUNCTION @extschema@.adcode_le(@extschema@.adcode, @extschema@.adcode) IS 'before or equal, in hierarchical order';
COMMENT ON FUNCTION @extschema@.adcode_gt(@extschema@.adcode, @extschema@.adcode) IS 'after, in hierarchical order';
COMMENT ON FUNCTION @extschema@.adcode_ge(@extschema@.adcode, @extschema@.adcode) IS 'after or equal, in hierarchical order';
COMMENT ON FUNCTION @extschema@.adcode_cmp(@extschema@.adcode, @extschema@.adcode) IS 'btree comparison in hierarchical order (-1, 0, 1)';
COMMENT ON FUNCTION @extschema@.adcode_sortsupport(internal) IS 'btree sort support of adcode (int8 comparator)';
COMMENT ON FUNCTION @extschema@.adcode_hash(@extschema@.adcode) IS 'hash of a division code (hash opclass)';
COMMENT ON FUNCTION @extschema@.adcode_hash_extended(@extschema@.adcode, bigint) IS 'seeded 64-bit hash of a division code (hash opclass)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel, HASHES, MERGES
);
COMMENT ON OPERATOR @extschema@.=(@extschema@.adcode, @extschema@.adcode) IS 'same division code';
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<>(@extschema@.adcode, @extschema@.adcode) IS 'different division codes';
CREATE OPERATOR @extschema@.< (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_lt,
	COMMUTATOR = OPERATOR(@extschema@.>), NEGATOR = OPERATOR(@extschema@.>=),
	RESTRICT = scalarltsel, JOIN = scalarltjoinsel
);
COMMENT ON OPERATOR @extschema@.<(@extschema@.adcode, @extschema@.adcode) IS 'before, in hierarchical order (330521 < 330521100 < 330522)';
CREATE OPERATOR @extschema@.<= (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_le,
	COMMUTATOR = OPERATOR(@extschema@.>=), NEGATOR = OPERATOR(@extschema@.>),
	RESTRICT = scalarlesel, JOIN = scalarlejoinsel
);
COMMENT ON OPERATOR @extschema@.<=(@extschema@.adcode, @extschema@.adcode) IS 'before or equal, in hierarchical order';
CREATE OPERATOR @extschema@.> (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_gt,
	COMMUTATOR = OPERATOR(@extschema@.<), NEGATOR = OPERATOR(@extschema@.<=),
	RESTRICT = scalargtsel, JOIN = scalargtjoinsel
);
COMMENT ON OPERATOR @extschema@.>(@extschema@.adcode, @extschema@.adcode) IS 'after, in hierarchical order';
CREATE OPERATOR @extschema@.>= (
	LEFTARG = @extschema@.adcode, RIGHTARG = @extschema@.adcode,
	FUNCTION = @extschema@.adcode_ge,
	COMMUTATOR = OPERATOR(@extschema@.<=), NEGATOR = OPERATOR(@extschema@.<),
	RESTRICT = scalargesel, JOIN = scalargejoinsel
);
COMMENT ON OPERATOR @extschema@.>=(@extschema@.adcode, @extschema@.adcode) IS 'after or equal, in hierarchical order';

CREATE OPERATOR CLASS @extschema@.adcode_ops
	DEFAULT FOR TYPE @extschema@.adcode USING btree AS
		OPERATOR 1 @extschema@.< ,
		OPERATOR 2 @extschema@.<= ,
		OPERATOR 3 @extschema@.= ,
		OPERATOR 4 @extschema@.>= ,
		OPERATOR 5 @extschema@.> ,
		FUNCTION 1 @extschema@.adcode_cmp(@extschema@.adcode, @extschema@.adcode),
		FUNCTION 2 @extschema@.adcode_sortsupport(internal);

CREATE OPERATOR CLASS @extschema@.adcode_hash_ops
	DEFAULT FOR TYPE @extschema@.adcode USING hash AS
		OPERATOR 1 @extschema@.= ,
		FUNCTION 1 @extschema@.adcode_hash(@extschema@.adcode),
		FUNCTION 2 @extschema@.adcode_hash_extended(@extschema@.adcode, bigint);

-- min and max in hierarchical order (PostgreSQL's int8 routines again).
CREATE FUNCTION @extschema@.adcode_smaller(@extschema@.adcode, @extschema@.adcode) RETURNS @extschema@.adcode
	AS 'int8smaller' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.adcode_larger(@extschema@.adcode, @extschema@.adcode) RETURNS @extschema@.adcode
	AS 'int8larger' LANGUAGE internal IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_smaller(@extschema@.adcode, @extschema@.adcode) IS 'the smaller of two division codes in hierarchical order (transition function of min)';
COMMENT ON FUNCTION @extschema@.adcode_larger(@extschema@.adcode, @extschema@.adcode) IS 'the larger of two division codes in hierarchical order (transition function of max)';
CREATE AGGREGATE @extschema@.min(@extschema@.adcode) (
	SFUNC = @extschema@.adcode_smaller, STYPE = @extschema@.adcode,
	COMBINEFUNC = @extschema@.adcode_smaller, SORTOP = OPERATOR(@extschema@.<),
	PARALLEL = SAFE
);
CREATE AGGREGATE @extschema@.max(@extschema@.adcode) (
	SFUNC = @extschema@.adcode_larger, STYPE = @extschema@.adcode,
	COMBINEFUNC = @extschema@.adcode_larger, SORTOP = OPERATOR(@extschema@.>),
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.min(@extschema@.adcode) IS 'the first division code in hierarchical order';
COMMENT ON AGGREGATE @extschema@.max(@extschema@.adcode) IS 'the last division code in hierarchical order';
