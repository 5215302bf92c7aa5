-------------------------------------------------------------------------------
-- model/planning.sql: proposed grids (grid_design over the model's units and
-- lead hospitals) against the loaded ones, and the best sites for the next
-- primary facilities (site_select).  docs/planning.md, docs/model.md.
-------------------------------------------------------------------------------

CREATE FUNCTION grid_proposal_units(p_year integer, capacity_per_supply double precision DEFAULT NULL)
	RETURNS TABLE (unit @extschema@.adcode, unit_name text, population bigint,
				   current_grid_id integer, current_lead_id integer, current_m double precision,
				   proposed_lead_id integer, proposed_grid_id integer, proposed_m double precision,
				   moves boolean)
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	leads @extschema@.facility_set;
	units_sql text;
BEGIN
	-- the lead hospitals of the grids, their beds as supply
	SELECT @extschema@.facility_set(CAST(f.id AS bigint), f.lon, f.lat, CAST(f.beds AS double precision))
	  INTO leads
	  FROM facility AS f
	 WHERE f.lon IS NOT NULL AND f.id IN (SELECT g.lead_facility_id FROM grid AS g);
	IF leads IS NULL THEN
		RETURN;
	END IF;
	-- the units of the year with coordinates; the text names the model's
	-- schema as a quoted identifier and the year as a literal
	units_sql := pg_catalog.format(
		'SELECT CAST(u.code AS bigint), u.lon, u.lat, p.population'
		' FROM %1$I.population AS p JOIN %1$I.unit AS u ON u.code OPERATOR(@extschema@.=) p.unit'
		' WHERE p.year = %2$L AND u.lon IS NOT NULL'
		' AND p.residence_def = (SELECT c.residence_def FROM %1$I.model_config AS c)',
		pg_catalog.current_schema(), p_year);
	RETURN QUERY
	SELECT CAST(d.unit_id AS @extschema@.adcode), u.name, p.population,
		   m.grid_id, g.lead_facility_id,
		   @extschema@.hs_distance(u.lon, u.lat, cf.lon, cf.lat),
		   CAST(d.hospital_id AS integer),
		   (SELECT pg_catalog.min(pg.id) FROM grid AS pg WHERE pg.lead_facility_id = CAST(d.hospital_id AS integer)),
		   d.distance,
		   g.lead_facility_id IS DISTINCT FROM CAST(d.hospital_id AS integer)
	  FROM @extschema@.grid_design(units_sql, leads, capacity_per_supply) AS d
	  JOIN unit AS u ON u.code OPERATOR(@extschema@.=) CAST(d.unit_id AS @extschema@.adcode)
	  JOIN population AS p ON p.unit OPERATOR(@extschema@.=) u.code AND p.year = p_year
		   AND p.residence_def = (SELECT c.residence_def FROM model_config AS c)
	  LEFT JOIN grid_member AS m ON m.unit OPERATOR(@extschema@.=) u.code
	  LEFT JOIN grid AS g ON g.id = m.grid_id
	  LEFT JOIN facility AS cf ON cf.id = g.lead_facility_id
	 ORDER BY d.unit_id;
END
$fn$;
COMMENT ON FUNCTION grid_proposal_units(integer, double precision) IS
	'unit x lead hospital for a year: the loaded grid and its lead hospital, the lead hospital grid_design proposes (the nearest; with capacity_per_supply, within beds x capacity_per_supply persons per hospital) and the distances to both';
REVOKE EXECUTE ON FUNCTION grid_proposal_units(integer, double precision) FROM PUBLIC;

CREATE VIEW grid_proposal AS
WITH y AS (
	SELECT pg_catalog.max(p.year) AS year FROM population AS p
), u AS (
	SELECT y.year, x.* FROM y CROSS JOIN LATERAL grid_proposal_units(y.year) AS x
), lead AS (
	SELECT u.current_lead_id AS lead_id FROM u WHERE u.current_lead_id IS NOT NULL
	UNION
	SELECT u.proposed_lead_id FROM u
)
SELECT l.lead_id AS lead_facility_id, f.name AS lead_name, f.beds, (SELECT y.year FROM y) AS year,
	   pg_catalog.count(*) FILTER (WHERE u.current_lead_id = l.lead_id) AS units_now,
	   pg_catalog.count(*) FILTER (WHERE u.proposed_lead_id = l.lead_id) AS units_proposed,
	   coalesce(pg_catalog.sum(u.population) FILTER (WHERE u.current_lead_id = l.lead_id), 0)::bigint AS population_now,
	   coalesce(pg_catalog.sum(u.population) FILTER (WHERE u.proposed_lead_id = l.lead_id), 0)::bigint AS population_proposed,
	   pg_catalog.count(*) FILTER (WHERE u.current_lead_id = l.lead_id AND u.moves) AS units_leaving,
	   coalesce(pg_catalog.sum(u.population) FILTER (WHERE u.current_lead_id = l.lead_id AND u.moves), 0)::bigint AS population_leaving,
	   pg_catalog.count(*) FILTER (WHERE u.proposed_lead_id = l.lead_id AND u.moves) AS units_joining,
	   coalesce(pg_catalog.sum(u.population) FILTER (WHERE u.proposed_lead_id = l.lead_id AND u.moves), 0)::bigint AS population_joining,
	   pg_catalog.sum(u.population * u.current_m) FILTER (WHERE u.current_lead_id = l.lead_id)
		 / nullif(pg_catalog.sum(u.population) FILTER (WHERE u.current_lead_id = l.lead_id), 0) AS mean_m_now,
	   pg_catalog.sum(u.population * u.proposed_m) FILTER (WHERE u.proposed_lead_id = l.lead_id)
		 / nullif(pg_catalog.sum(u.population) FILTER (WHERE u.proposed_lead_id = l.lead_id), 0) AS mean_m_proposed,
	   pg_catalog.sum(u.population) FILTER (WHERE u.current_lead_id = l.lead_id) / nullif(f.beds, 0)::double precision AS persons_per_bed_now,
	   pg_catalog.sum(u.population) FILTER (WHERE u.proposed_lead_id = l.lead_id) / nullif(f.beds, 0)::double precision AS persons_per_bed_proposed
  FROM lead AS l
  JOIN facility AS f ON f.id = l.lead_id
  CROSS JOIN u
 GROUP BY l.lead_id, f.name, f.beds;
COMMENT ON VIEW grid_proposal IS
	'lead hospital x latest population year: the loaded grids against the grids grid_design proposes (every unit with coordinates to its nearest lead hospital): units and population now and proposed, the units and population that would leave or join, population-weighted mean distance to the lead hospital before and after, residents per bed before and after; not suppressed';
COMMENT ON COLUMN grid_proposal.lead_facility_id IS 'the lead hospital (牵头医院) of one or more grids';
COMMENT ON COLUMN grid_proposal.lead_name IS 'its name';
COMMENT ON COLUMN grid_proposal.beds IS 'its approved beds';
COMMENT ON COLUMN grid_proposal.year IS 'the population year (the latest loaded)';
COMMENT ON COLUMN grid_proposal.units_now IS 'units whose loaded grid it leads';
COMMENT ON COLUMN grid_proposal.units_proposed IS 'units grid_design assigns to it';
COMMENT ON COLUMN grid_proposal.population_now IS 'resident population of the units it leads now';
COMMENT ON COLUMN grid_proposal.population_proposed IS 'resident population of the units proposed for it';
COMMENT ON COLUMN grid_proposal.units_leaving IS 'units it leads now that the proposal assigns elsewhere';
COMMENT ON COLUMN grid_proposal.population_leaving IS 'their population';
COMMENT ON COLUMN grid_proposal.units_joining IS 'units proposed for it that another grid (or none) holds now';
COMMENT ON COLUMN grid_proposal.population_joining IS 'their population';
COMMENT ON COLUMN grid_proposal.mean_m_now IS 'population-weighted mean distance in metres from its units now to it';
COMMENT ON COLUMN grid_proposal.mean_m_proposed IS 'population-weighted mean distance in metres from its proposed units to it';
COMMENT ON COLUMN grid_proposal.persons_per_bed_now IS 'residents of its units now per approved bed (capacity use); NULL without beds';
COMMENT ON COLUMN grid_proposal.persons_per_bed_proposed IS 'residents of its proposed units per approved bed; NULL without beds';

CREATE FUNCTION next_primary_sites(k integer DEFAULT 5, p_year integer DEFAULT NULL)
	RETURNS TABLE (rank integer, unit @extschema@.adcode, unit_name text, lon double precision,
				   lat double precision, added_population bigint, covered_population bigint,
				   coverage double precision)
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	yr integer;
	radius double precision;
	cand @extschema@.facility_set;
	ex @extschema@.facility_set;
	chosen bigint[];
	ranked bigint[] := '{}';
	total bigint;
	r integer;
	best bigint;
	best_add bigint;
BEGIN
	yr := coalesce(p_year, (SELECT pg_catalog.max(p.year) FROM population AS p));
	SELECT c.primary_care_radius_m INTO radius FROM model_config AS c;
	-- (made once a transaction: a second call, e.g. refresh_model of
	-- several models in one transaction, reuses it without a notice)
	IF pg_catalog.to_regclass('pg_temp.next_sites_pop') IS NULL THEN
		CREATE TEMP TABLE next_sites_pop (code bigint, lon double precision, lat double precision, population bigint)
			ON COMMIT DROP;
	END IF;
	TRUNCATE pg_temp.next_sites_pop;
	INSERT INTO pg_temp.next_sites_pop
	SELECT CAST(u.code AS bigint), u.lon, u.lat, p.population
	  FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.year = yr AND u.lon IS NOT NULL
	   AND p.residence_def = (SELECT c.residence_def FROM model_config AS c);
	SELECT @extschema@.facility_set(s.code, s.lon, s.lat) INTO cand FROM pg_temp.next_sites_pop AS s;
	SELECT @extschema@.facility_set(CAST(f.id AS bigint), f.lon, f.lat) INTO ex
	  FROM facility AS f
	 WHERE f.care_level OPERATOR(pg_catalog.<=) CAST('primary' AS @extschema@.care_level) AND f.lon IS NOT NULL;
	SELECT @extschema@.site_select(cand, s.lon, s.lat, CAST(s.population AS double precision), radius, k, ex), pg_catalog.sum(s.population)
	  INTO chosen, total
	  FROM pg_temp.next_sites_pop AS s;
	IF chosen IS NULL THEN
		RETURN;
	END IF;
	-- the chosen sites in the order of what each adds to the coverage so far
	FOR r IN 1 .. pg_catalog.cardinality(chosen) LOOP
		SELECT c.code, coalesce(pg_catalog.sum(s.population) FILTER (
				 WHERE @extschema@.hs_distance(s.lon, s.lat, c.lon, c.lat) <= radius AND NOT s.covered), 0)
		  INTO best, best_add
		  FROM pg_temp.next_sites_pop AS c
		  CROSS JOIN LATERAL (
			SELECT q.lon, q.lat, q.population,
				   (ex IS NOT NULL AND @extschema@.facilities_within(ex, q.lon, q.lat, radius) > 0)
				   OR EXISTS (SELECT FROM pg_temp.next_sites_pop AS o
							   WHERE o.code = ANY (ranked)
								 AND @extschema@.hs_distance(q.lon, q.lat, o.lon, o.lat) <= radius) AS covered
			  FROM pg_temp.next_sites_pop AS q) AS s
		 WHERE c.code = ANY (chosen) AND NOT c.code = ANY (ranked)
		 GROUP BY c.code
		 ORDER BY 2 DESC, 1
		 LIMIT 1;
		ranked := pg_catalog.array_append(ranked, best);
		rank := r;
		SELECT CAST(s.code AS @extschema@.adcode), u.name, s.lon, s.lat
		  INTO unit, unit_name, lon, lat
		  FROM pg_temp.next_sites_pop AS s JOIN unit AS u ON CAST(u.code AS bigint) = s.code
		 WHERE s.code = best;
		added_population := best_add;
		SELECT coalesce(pg_catalog.sum(q.population), 0) INTO covered_population
		  FROM pg_temp.next_sites_pop AS q
		 WHERE (ex IS NOT NULL AND @extschema@.facilities_within(ex, q.lon, q.lat, radius) > 0)
			OR EXISTS (SELECT FROM pg_temp.next_sites_pop AS o
						WHERE o.code = ANY (ranked)
						  AND @extschema@.hs_distance(q.lon, q.lat, o.lon, o.lat) <= radius);
		coverage := CAST(covered_population AS double precision) / CAST(nullif(total, 0) AS double precision);
		RETURN NEXT;
	END LOOP;
END
$fn$;
COMMENT ON FUNCTION next_primary_sites(integer, integer) IS
	'the k unit points where new village or primary facilities would cover the most residents within model_config.primary_care_radius_m, beside the existing ones (site_select, maximal covering), ranked by the population each adds in turn, with the cumulative coverage';
REVOKE EXECUTE ON FUNCTION next_primary_sites(integer, integer) FROM PUBLIC;

-- The planning results kept for the published layer: a reader may run none
-- of the functions above (nor read the tables they read), so refresh_model
-- stores their answers for the latest population year in three small tables
-- that the published views (published_planning.sql) read.
ALTER TABLE model_config ADD COLUMN planning_sites integer NOT NULL DEFAULT 5
	CONSTRAINT model_config_planning_sites_sensible CHECK (planning_sites BETWEEN 0 AND 100);
COMMENT ON COLUMN model_config.planning_sites IS 'how many next primary sites refresh_model keeps in planning_site (default 5, at most 100; 0 keeps none; fewer when the year has fewer units with coordinates)';

CREATE TABLE planning_unit (
	unit		@extschema@.adcode PRIMARY KEY,
	year		integer NOT NULL,
	unit_name	text,
	population	bigint NOT NULL,
	current_grid_id integer,
	current_lead_id integer,
	current_m	double precision,
	proposed_lead_id integer NOT NULL,
	proposed_grid_id integer,
	proposed_m	double precision NOT NULL,
	moves		boolean NOT NULL
);
COMMENT ON TABLE planning_unit IS 'grid_proposal_units for the latest population year (the nearest lead hospital, no capacities), kept by refresh_model for the published layer; populations as loaded, no patient data';
COMMENT ON COLUMN planning_unit.unit IS 'the unit (township or community)';
COMMENT ON COLUMN planning_unit.year IS 'the population year (the latest loaded when refreshed)';
COMMENT ON COLUMN planning_unit.unit_name IS 'its name';
COMMENT ON COLUMN planning_unit.population IS 'its residents that year (model_config.residence_def)';
COMMENT ON COLUMN planning_unit.current_grid_id IS 'its loaded grid; NULL when in none';
COMMENT ON COLUMN planning_unit.current_lead_id IS 'the lead hospital of its loaded grid';
COMMENT ON COLUMN planning_unit.current_m IS 'distance in metres from its point to that lead hospital';
COMMENT ON COLUMN planning_unit.proposed_lead_id IS 'the lead hospital grid_design proposes (the nearest)';
COMMENT ON COLUMN planning_unit.proposed_grid_id IS 'the grid that hospital leads (the smallest id when it leads several)';
COMMENT ON COLUMN planning_unit.proposed_m IS 'distance in metres from its point to the proposed lead hospital';
COMMENT ON COLUMN planning_unit.moves IS 'true when the proposal changes its lead hospital or it is in no grid now';

CREATE TABLE planning_lead (LIKE grid_proposal INCLUDING COMMENTS, PRIMARY KEY (lead_facility_id));
COMMENT ON TABLE planning_lead IS 'the rows of grid_proposal (lead hospital: loaded against proposed grids, latest population year), kept by refresh_model for the published layer; populations as loaded, no patient data';

CREATE TABLE planning_site (
	rank		integer PRIMARY KEY,
	year		integer NOT NULL,
	unit		@extschema@.adcode NOT NULL,
	unit_name	text,
	lon			double precision NOT NULL,
	lat			double precision NOT NULL,
	added_population bigint NOT NULL,
	covered_population bigint NOT NULL,
	coverage	double precision
);
COMMENT ON TABLE planning_site IS 'next_primary_sites(model_config.planning_sites) for the latest population year, kept by refresh_model for the published layer; populations as loaded, no patient data';
COMMENT ON COLUMN planning_site.rank IS '1 for the site that adds the most residents, 2 for the most after it, ...';
COMMENT ON COLUMN planning_site.year IS 'the population year (the latest loaded when refreshed)';
COMMENT ON COLUMN planning_site.unit IS 'the unit whose representative point is the site';
COMMENT ON COLUMN planning_site.unit_name IS 'its name';
COMMENT ON COLUMN planning_site.lon IS 'longitude of the site (WGS-84)';
COMMENT ON COLUMN planning_site.lat IS 'latitude of the site (WGS-84)';
COMMENT ON COLUMN planning_site.added_population IS 'residents the site brings within model_config.primary_care_radius_m beyond the existing facilities and the sites ranked before it';
COMMENT ON COLUMN planning_site.covered_population IS 'residents within the radius of an existing village or primary facility or of the sites up to this one';
COMMENT ON COLUMN planning_site.coverage IS 'covered_population over all residents of the units with coordinates';

-- Recomputes the three tables; refresh_model calls it after the states.
CREATE FUNCTION refresh_planning() RETURNS void
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	yr integer;
	k integer;
BEGIN
	LOCK TABLE planning_unit, planning_lead, planning_site IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM planning_unit;
	DELETE FROM planning_lead;
	DELETE FROM planning_site;
	yr := (SELECT pg_catalog.max(p.year) FROM population AS p);
	IF yr IS NULL THEN
		RETURN;
	END IF;
	INSERT INTO planning_unit (unit, year, unit_name, population, current_grid_id, current_lead_id, current_m,
							   proposed_lead_id, proposed_grid_id, proposed_m, moves)
	SELECT x.unit, yr, x.unit_name, x.population, x.current_grid_id, x.current_lead_id, x.current_m,
		   x.proposed_lead_id, x.proposed_grid_id, x.proposed_m, x.moves
	  FROM grid_proposal_units(yr) AS x;
	INSERT INTO planning_lead SELECT * FROM grid_proposal;
	-- k sites, fewer when the year has fewer candidate points (the units
	-- with coordinates and a population: next_primary_sites' candidates)
	SELECT LEAST(c.planning_sites, (
			SELECT CAST(pg_catalog.count(*) AS integer)
			  FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
			 WHERE p.year = yr AND u.lon IS NOT NULL AND p.residence_def = c.residence_def))
	  INTO k FROM model_config AS c;
	IF k >= 1 THEN
		INSERT INTO planning_site (rank, year, unit, unit_name, lon, lat, added_population, covered_population, coverage)
		SELECT s.rank, yr, s.unit, s.unit_name, s.lon, s.lat, s.added_population, s.covered_population, s.coverage
		  FROM next_primary_sites(k, yr) AS s;
	END IF;
END
$fn$;
REVOKE EXECUTE ON FUNCTION refresh_planning() FROM PUBLIC;
COMMENT ON FUNCTION refresh_planning() IS
	'recomputes planning_unit, planning_lead and planning_site for the latest population year (grid_proposal_units, grid_proposal, next_primary_sites with model_config.planning_sites); health_share.refresh_model(schema) calls it';
