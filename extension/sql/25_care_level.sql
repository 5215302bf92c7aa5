
-------------------------------------------------------------------------------
-- care levels and referral directions
-------------------------------------------------------------------------------

CREATE TYPE @extschema@.care_level AS ENUM ('village', 'primary', 'secondary', 'tertiary');
COMMENT ON TYPE @extschema@.care_level IS
	'level of care of a facility, ordered: village (村卫生室) < primary (乡镇卫生院 / 社区卫生服务中心) < secondary (county hospitals) < tertiary (city and provincial hospitals)';

CREATE FUNCTION @extschema@.referral_direction(from_level @extschema@.care_level, to_level @extschema@.care_level)
	RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN to_level OPERATOR(pg_catalog.>) from_level THEN 'up'
				WHEN to_level OPERATOR(pg_catalog.<) from_level THEN 'down'
				ELSE 'lateral' END;
COMMENT ON FUNCTION @extschema@.referral_direction(@extschema@.care_level, @extschema@.care_level) IS
	'up (上转) when the receiving level is higher, down (下转) when lower, lateral otherwise';
