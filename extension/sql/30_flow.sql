
-------------------------------------------------------------------------------
-- flowmatrix: sparse origin-destination matrices of exact counts
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.flowmatrix;

CREATE FUNCTION @extschema@.flowmatrix_in(cstring) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flowmatrix_in' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.flowmatrix_out(@extschema@.flowmatrix) RETURNS cstring
	AS 'MODULE_PATHNAME', 'flowmatrix_out' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.flowmatrix_recv(internal) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flowmatrix_recv' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
CREATE FUNCTION @extschema@.flowmatrix_send(@extschema@.flowmatrix) RETURNS bytea
	AS 'MODULE_PATHNAME', 'flowmatrix_send' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;

-- A varlena: entry count, then (origin, dest, n) int8 triples sorted by
-- (origin, dest).  As an aggregate state it is an expanded object (a hash
-- table) and is flattened only when it leaves the aggregate node.
CREATE TYPE @extschema@.flowmatrix (
	INPUT = @extschema@.flowmatrix_in,
	OUTPUT = @extschema@.flowmatrix_out,
	RECEIVE = @extschema@.flowmatrix_recv,
	SEND = @extschema@.flowmatrix_send,
	INTERNALLENGTH = VARIABLE,
	ALIGNMENT = double,
	STORAGE = extended
);
COMMENT ON TYPE @extschema@.flowmatrix IS
	'sparse origin-destination matrix of exact bigint counts, written {origin->dest:n, ...}; mergeable by addition';
COMMENT ON FUNCTION @extschema@.flowmatrix_in(cstring) IS 'text input of flowmatrix: {origin->dest:n, ...}';
COMMENT ON FUNCTION @extschema@.flowmatrix_out(@extschema@.flowmatrix) IS 'text output of flowmatrix, entries sorted by origin then dest';
COMMENT ON FUNCTION @extschema@.flowmatrix_recv(internal) IS 'binary input of flowmatrix (validated)';
COMMENT ON FUNCTION @extschema@.flowmatrix_send(@extschema@.flowmatrix) IS 'binary output of flowmatrix';

CREATE FUNCTION @extschema@.flow_eq(@extschema@.flowmatrix, @extschema@.flowmatrix) RETURNS boolean
	AS 'MODULE_PATHNAME', 'flow_eq' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.flow_ne(@extschema@.flowmatrix, @extschema@.flowmatrix) RETURNS boolean
	AS 'MODULE_PATHNAME', 'flow_ne' LANGUAGE C IMMUTABLE STRICT LEAKPROOF PARALLEL SAFE;
CREATE FUNCTION @extschema@.flow_add(@extschema@.flowmatrix, @extschema@.flowmatrix) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_add' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_eq(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'same entries with the same counts';
COMMENT ON FUNCTION @extschema@.flow_ne(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'entries or counts differ';
COMMENT ON FUNCTION @extschema@.flow_add(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'cell-wise sum (merges two matrices)';

CREATE OPERATOR @extschema@.= (
	LEFTARG = @extschema@.flowmatrix, RIGHTARG = @extschema@.flowmatrix,
	FUNCTION = @extschema@.flow_eq,
	COMMUTATOR = OPERATOR(@extschema@.=), NEGATOR = OPERATOR(@extschema@.<>),
	RESTRICT = eqsel, JOIN = eqjoinsel
);
COMMENT ON OPERATOR @extschema@.=(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'same entries';
CREATE OPERATOR @extschema@.<> (
	LEFTARG = @extschema@.flowmatrix, RIGHTARG = @extschema@.flowmatrix,
	FUNCTION = @extschema@.flow_ne,
	COMMUTATOR = OPERATOR(@extschema@.<>), NEGATOR = OPERATOR(@extschema@.=),
	RESTRICT = neqsel, JOIN = neqjoinsel
);
COMMENT ON OPERATOR @extschema@.<>(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'entries differ';
CREATE OPERATOR @extschema@.+ (
	LEFTARG = @extschema@.flowmatrix, RIGHTARG = @extschema@.flowmatrix,
	FUNCTION = @extschema@.flow_add,
	COMMUTATOR = OPERATOR(@extschema@.+)
);
COMMENT ON OPERATOR @extschema@.+(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'merges two flow matrices: adds the counts cell by cell';

-- Aggregates.  The state is the flowmatrix itself (a real SQL type, so Citus
-- pushes partial aggregation down to its workers); the transition functions
-- are not strict so that they can start a state and skip NULL rows.
CREATE FUNCTION @extschema@.flow_accum(@extschema@.flowmatrix, bigint, bigint) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.flow_accum(@extschema@.flowmatrix, bigint, bigint, bigint) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.flow_combine(@extschema@.flowmatrix, @extschema@.flowmatrix) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_accum(@extschema@.flowmatrix, bigint, bigint) IS 'transition function of flow_agg(origin, dest)';
COMMENT ON FUNCTION @extschema@.flow_accum(@extschema@.flowmatrix, bigint, bigint, bigint) IS 'transition function of flow_agg(origin, dest, n)';
COMMENT ON FUNCTION @extschema@.flow_combine(@extschema@.flowmatrix, @extschema@.flowmatrix) IS 'transition function of sum(flowmatrix), combine function of every flow aggregate';

CREATE AGGREGATE @extschema@.flow_agg(origin bigint, dest bigint) (
	SFUNC = @extschema@.flow_accum,
	STYPE = @extschema@.flowmatrix,
	COMBINEFUNC = @extschema@.flow_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.flow_agg(bigint, bigint) IS 'origin-destination matrix counting one visit per row';

CREATE AGGREGATE @extschema@.flow_agg(origin bigint, dest bigint, n bigint) (
	SFUNC = @extschema@.flow_accum,
	STYPE = @extschema@.flowmatrix,
	COMBINEFUNC = @extschema@.flow_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.flow_agg(bigint, bigint, bigint) IS 'origin-destination matrix summing n (>= 0) visits per row';

CREATE AGGREGATE @extschema@.sum(@extschema@.flowmatrix) (
	SFUNC = @extschema@.flow_combine,
	STYPE = @extschema@.flowmatrix,
	COMBINEFUNC = @extschema@.flow_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.flowmatrix) IS 'merges matrices cell by cell (months into years, shards into totals)';

-- Readers and indicators.
CREATE FUNCTION @extschema@.flow_entries(fm @extschema@.flowmatrix,
		OUT origin bigint, OUT dest bigint, OUT n bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'flow_entries' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 1000;
COMMENT ON FUNCTION @extschema@.flow_entries(@extschema@.flowmatrix) IS 'the non-zero cells (origin, dest, n), sorted by origin then dest';

CREATE FUNCTION @extschema@.flow_total(@extschema@.flowmatrix) RETURNS bigint
	AS 'MODULE_PATHNAME', 'flow_total' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_total(@extschema@.flowmatrix) IS 'the sum of all counts';

CREATE FUNCTION @extschema@.flow_size(@extschema@.flowmatrix) RETURNS bigint
	AS 'MODULE_PATHNAME', 'flow_size' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_size(@extschema@.flowmatrix) IS 'the number of non-zero (origin, dest) cells';

CREATE FUNCTION @extschema@.flow_regions(fm @extschema@.flowmatrix,
		OUT region bigint, OUT residents bigint, OUT served bigint, OUT retained bigint,
		OUT li double precision, OUT lifo double precision, OUT npf double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'flow_regions' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.flow_regions(@extschema@.flowmatrix) IS
	'localization indices per region (本地化指数; li of a county is its 县域内就诊率, in-county visit rate): residents (row sum), served (column sum), retained (diagonal), li = retained/residents, lifo = retained/served, npf = served/residents; NULL for a zero denominator';

CREATE FUNCTION @extschema@.flow_rollup(fm @extschema@.flowmatrix, level text) RETURNS @extschema@.flowmatrix
	AS 'MODULE_PATHNAME', 'flow_rollup' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_rollup(@extschema@.flowmatrix, text) IS
	'maps adcode keys (own digits) to their township, county, city or province ancestor and sums; keys at or above the level stay';

CREATE FUNCTION @extschema@.flow_key_adcode(bigint) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'flow_key_adcode' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_key_adcode(bigint) IS 'a flowmatrix key as a division code, or NULL when it is none';

CREATE FUNCTION @extschema@.flow_plurality(fm @extschema@.flowmatrix,
		OUT origin bigint, OUT dest bigint, OUT share double precision)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'flow_plurality' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.flow_plurality(@extschema@.flowmatrix) IS
	'each origin''s largest destination (ties: smallest dest) and its share of the origin''s visits (Dartmouth plurality rule)';

CREATE FUNCTION @extschema@.flow_service_areas(fm @extschema@.flowmatrix, min_li double precision DEFAULT 0.5,
		OUT region bigint, OUT area bigint)
	RETURNS SETOF record
	AS 'MODULE_PATHNAME', 'flow_service_areas' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE ROWS 100;
COMMENT ON FUNCTION @extschema@.flow_service_areas(@extschema@.flowmatrix, double precision) IS
	'HSA-style service areas: plurality assignment, then areas with localization index below min_li merged into the area receiving most of their outflow';

CREATE FUNCTION @extschema@.flow_market(fm @extschema@.flowmatrix, regions bigint[],
		OUT residents bigint, OUT served bigint, OUT retained bigint,
		OUT lofi double precision, OUT lifo double precision, OUT market text)
	AS 'MODULE_PATHNAME', 'flow_market' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.flow_market(@extschema@.flowmatrix, bigint[]) IS
	'Elzinga-Hogarty test of a set of regions as one market: LOFI, LIFO and strong (both >= 0.90) / weak (both >= 0.75) / none';

CREATE FUNCTION @extschema@.flow_to_json(fm @extschema@.flowmatrix, bipartite boolean DEFAULT true)
	RETURNS jsonb LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	WITH e AS (
		SELECT f.origin, f.dest, f.n FROM @extschema@.flow_entries(fm) AS f
	), k AS (
		SELECT e.origin AS key FROM e UNION SELECT e.dest FROM e
	), named AS (
		SELECT k.key, coalesce(d.name, k.key::text) AS label
		  FROM k LEFT JOIN @extschema@.division AS d
		    ON d.code OPERATOR(@extschema@.=) @extschema@.flow_key_adcode(k.key)
	), lbl AS (
		SELECT named.key,
		       CASE WHEN count(*) OVER (PARTITION BY named.label) > 1
		            THEN named.label || ' ' || named.key::text ELSE named.label END AS label
		  FROM named
	), nodes AS (
		SELECT 0 AS side, l.key, l.label AS name
		  FROM lbl AS l
		 WHERE NOT bipartite OR l.key IN (SELECT e.origin FROM e)
		UNION ALL
		SELECT 1, l.key, '→' || l.label
		  FROM lbl AS l
		 WHERE bipartite AND l.key IN (SELECT e.dest FROM e)
	)
	SELECT jsonb_build_object(
		'nodes', coalesce((SELECT jsonb_agg(jsonb_build_object(
				'name', nodes.name, 'code', nodes.key,
				'side', CASE WHEN NOT bipartite THEN 'both' WHEN nodes.side = 0 THEN 'origin' ELSE 'dest' END)
				ORDER BY nodes.side, nodes.key) FROM nodes), '[]'::jsonb),
		'links', coalesce((SELECT jsonb_agg(jsonb_build_object(
				'source', o.label,
				'target', CASE WHEN bipartite THEN '→' ELSE '' END || t.label,
				'value', e.n) ORDER BY e.origin, e.dest)
			  FROM e JOIN lbl AS o ON o.key = e.origin JOIN lbl AS t ON t.key = e.dest), '[]'::jsonb));
END;
COMMENT ON FUNCTION @extschema@.flow_to_json(@extschema@.flowmatrix, boolean) IS
	'nodes and links for an ECharts sankey (bipartite: origins on the left, destinations prefixed with → on the right) or graph/chord (bipartite => false); names from health_share.division';

-------------------------------------------------------------------------------
-- referrals between care levels (双向转诊)
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.care_level AS ENUM ('village', 'primary', 'secondary', 'tertiary');
COMMENT ON TYPE @extschema@.care_level IS
	'care level of a facility: village (村卫生室) < primary (乡镇卫生院/社区卫生服务中心) < secondary (二级医院) < tertiary (三级医院)';

CREATE FUNCTION @extschema@.referral_direction("from" @extschema@.care_level, "to" @extschema@.care_level)
	RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN "to" OPERATOR(pg_catalog.>) "from" THEN 'up'
	            WHEN "to" OPERATOR(pg_catalog.<) "from" THEN 'down'
	            ELSE 'lateral' END;
COMMENT ON FUNCTION @extschema@.referral_direction(@extschema@.care_level, @extschema@.care_level) IS
	'up (上转: to a higher care level), down (下转: to a lower care level) or lateral (same level)';

CREATE TYPE @extschema@.referral_counts AS (up bigint, down bigint, same_level bigint);
COMMENT ON TYPE @extschema@.referral_counts IS 'numbers of upward (上转), downward (下转) and same-level (lateral) referrals';

CREATE FUNCTION @extschema@.referral_accum(bigint[], @extschema@.care_level, @extschema@.care_level) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'referral_accum' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.referral_combine(bigint[], bigint[]) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'referral_combine' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.referral_add_counts(bigint[], @extschema@.referral_counts) RETURNS bigint[]
	AS 'MODULE_PATHNAME', 'referral_add_counts' LANGUAGE C IMMUTABLE PARALLEL SAFE;
CREATE FUNCTION @extschema@.referral_final(bigint[]) RETURNS @extschema@.referral_counts
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN ROW($1[1], $1[2], $1[3])::@extschema@.referral_counts;
COMMENT ON FUNCTION @extschema@.referral_accum(bigint[], @extschema@.care_level, @extschema@.care_level) IS 'transition function of referrals(from, to)';
COMMENT ON FUNCTION @extschema@.referral_combine(bigint[], bigint[]) IS 'combine function of the referral aggregates';
COMMENT ON FUNCTION @extschema@.referral_add_counts(bigint[], @extschema@.referral_counts) IS 'transition function of sum(referral_counts)';
COMMENT ON FUNCTION @extschema@.referral_final(bigint[]) IS 'final function of the referral aggregates';

-- The state is a plain bigint[3] {up, down, lateral}: a real SQL type.
CREATE AGGREGATE @extschema@.referrals("from" @extschema@.care_level, "to" @extschema@.care_level) (
	SFUNC = @extschema@.referral_accum,
	STYPE = bigint[],
	FINALFUNC = @extschema@.referral_final,
	COMBINEFUNC = @extschema@.referral_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.referrals(@extschema@.care_level, @extschema@.care_level) IS
	'counts referrals from (from_level, to_level) rows as up (上转), down (下转) and lateral';

CREATE AGGREGATE @extschema@.sum(@extschema@.referral_counts) (
	SFUNC = @extschema@.referral_add_counts,
	STYPE = bigint[],
	FINALFUNC = @extschema@.referral_final,
	COMBINEFUNC = @extschema@.referral_combine,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.sum(@extschema@.referral_counts) IS 'merges stored referral counts (months into years)';

CREATE FUNCTION @extschema@.referral_down_up_ratio(@extschema@.referral_counts) RETURNS double precision
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN ($1).up OPERATOR(pg_catalog.>) 0
	            THEN ($1).down::double precision OPERATOR(pg_catalog./) ($1).up::double precision END;
COMMENT ON FUNCTION @extschema@.referral_down_up_ratio(@extschema@.referral_counts) IS
	'downward over upward referrals (下转/上转); NULL when there is no upward referral';
