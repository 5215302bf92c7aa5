-------------------------------------------------------------------------------
-- model/published_planning.sql: the planning results in the published layer
-- (docs/planning.md).  A reader may run none of the model's planning
-- functions, so these views read the tables refresh_model keeps
-- (planning_unit, planning_lead, planning_site in planning.sql).  They hold
-- populations as loaded (as unit_access shows them) and the points of units
-- and facilities: no patient data.  Plain SQL types only (docs/bi.md).
-------------------------------------------------------------------------------

CREATE VIEW grid_proposal_units WITH (security_barrier) AS
SELECT CAST(p.unit AS text) AS unit, p.unit_name, CAST(@extschema@.adcode_county(p.unit) AS text) AS county, p.year,
	   p.population, u.lon, u.lat, p.current_grid_id, p.current_lead_id, p.current_m,
	   p.proposed_lead_id, p.proposed_grid_id, p.proposed_m, p.moves
  FROM planning_unit AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit;
COMMENT ON VIEW grid_proposal_units IS 'published: per unit, the loaded grid and lead hospital against the one grid_design proposes (the nearest lead hospital), latest population year, as refresh_model last computed it; populations as loaded, no patient data';
COMMENT ON COLUMN grid_proposal_units.unit IS 'township or community (乡镇 / 街道): its 9-digit code as text';
COMMENT ON COLUMN grid_proposal_units.unit_name IS 'its name';
COMMENT ON COLUMN grid_proposal_units.county IS 'the unit''s county: its 6-digit code as text';
COMMENT ON COLUMN grid_proposal_units.year IS 'the population year (the latest loaded when refreshed)';
COMMENT ON COLUMN grid_proposal_units.population IS 'its residents that year (model_config.residence_def), as loaded';
COMMENT ON COLUMN grid_proposal_units.lon IS 'longitude of the unit''s representative point (WGS-84)';
COMMENT ON COLUMN grid_proposal_units.lat IS 'latitude of the unit''s representative point (WGS-84)';
COMMENT ON COLUMN grid_proposal_units.current_grid_id IS 'its loaded grid; NULL when in none';
COMMENT ON COLUMN grid_proposal_units.current_lead_id IS 'the lead hospital (facility id) of its loaded grid';
COMMENT ON COLUMN grid_proposal_units.current_m IS 'distance in metres from its point to that lead hospital';
COMMENT ON COLUMN grid_proposal_units.proposed_lead_id IS 'the lead hospital grid_design proposes (the nearest)';
COMMENT ON COLUMN grid_proposal_units.proposed_grid_id IS 'the grid that hospital leads (the smallest id when it leads several)';
COMMENT ON COLUMN grid_proposal_units.proposed_m IS 'distance in metres from its point to the proposed lead hospital';
COMMENT ON COLUMN grid_proposal_units.moves IS 'true when the proposal changes its lead hospital or it is in no grid now';

CREATE VIEW grid_proposal WITH (security_barrier) AS
SELECT l.lead_facility_id, l.lead_name, l.beds, l.year, l.units_now, l.units_proposed, l.population_now,
	   l.population_proposed, l.units_leaving, l.population_leaving, l.units_joining, l.population_joining,
	   l.mean_m_now, l.mean_m_proposed, l.persons_per_bed_now, l.persons_per_bed_proposed
  FROM planning_lead AS l;
COMMENT ON VIEW grid_proposal IS 'published: the model''s grid_proposal (per lead hospital: loaded against proposed grids, units and population moved, mean distance before and after, residents per bed), as refresh_model last computed it; populations as loaded, no patient data';
COMMENT ON COLUMN grid_proposal.lead_facility_id IS 'the lead hospital (牵头医院) of one or more grids';
COMMENT ON COLUMN grid_proposal.lead_name IS 'its name';
COMMENT ON COLUMN grid_proposal.beds IS 'its approved beds';
COMMENT ON COLUMN grid_proposal.year IS 'the population year (the latest loaded when refreshed)';
COMMENT ON COLUMN grid_proposal.units_now IS 'units whose loaded grid it leads';
COMMENT ON COLUMN grid_proposal.units_proposed IS 'units the proposal assigns to it';
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

CREATE VIEW next_primary_sites WITH (security_barrier) AS
SELECT s.rank, s.year, CAST(s.unit AS text) AS unit, s.unit_name, s.lon, s.lat,
	   s.added_population, s.covered_population, s.coverage
  FROM planning_site AS s;
COMMENT ON VIEW next_primary_sites IS 'published: the model''s next_primary_sites(model_config.planning_sites) for the latest population year, as refresh_model last computed it: the unit points where new village or primary facilities would cover the most residents, with the residents each adds and the cumulative coverage; populations as loaded, no patient data';
COMMENT ON COLUMN next_primary_sites.rank IS '1 for the site that adds the most residents, 2 for the most after it, ...';
COMMENT ON COLUMN next_primary_sites.year IS 'the population year (the latest loaded when refreshed)';
COMMENT ON COLUMN next_primary_sites.unit IS 'the unit whose representative point is the site: its 9-digit code as text';
COMMENT ON COLUMN next_primary_sites.unit_name IS 'its name';
COMMENT ON COLUMN next_primary_sites.lon IS 'longitude of the site (WGS-84)';
COMMENT ON COLUMN next_primary_sites.lat IS 'latitude of the site (WGS-84)';
COMMENT ON COLUMN next_primary_sites.added_population IS 'residents the site brings within model_config.primary_care_radius_m beyond the existing facilities and the sites ranked before it';
COMMENT ON COLUMN next_primary_sites.covered_population IS 'residents within the radius of an existing village or primary facility or of the sites up to this one';
COMMENT ON COLUMN next_primary_sites.coverage IS 'covered_population over all residents of the units with coordinates';
