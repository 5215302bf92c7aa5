-------------------------------------------------------------------------------
-- model/views.sql: population, grid, spatial access and equity views.
-------------------------------------------------------------------------------

CREATE VIEW county_year_population AS
WITH parts AS (
	SELECT u.county, p.year, p.population, p.elderly,
		   NULL::@extschema@.hs_rate AS signing, NULL::@extschema@.hs_rate AS signing_elderly,
		   NULL::@extschema@.hs_rate AS signing_chronic,
		   NULL::@extschema@.hs_rate AS htn_managed, NULL::@extschema@.hs_rate AS htn_standard,
		   NULL::@extschema@.hs_rate AS dm_managed, NULL::@extschema@.hs_rate AS dm_standard
	  FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT c.residence_def FROM model_config AS c)
	UNION ALL
	SELECT u.county, c.year, NULL, NULL,
		   CASE WHEN c.key_group = 'all' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   CASE WHEN c.key_group = 'elderly' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   CASE WHEN c.key_group = 'chronic' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   NULL, NULL, NULL, NULL
	  FROM family_doctor_contract AS c JOIN unit AS u ON u.code OPERATOR(@extschema@.=) c.unit
	UNION ALL
	SELECT u.county, m.year, NULL, NULL, NULL, NULL, NULL,
		   CASE WHEN m.disease = 'hypertension' THEN @extschema@.hs_rate(m.managed, m.patients) END,
		   CASE WHEN m.disease = 'hypertension' THEN @extschema@.hs_rate(m.standardised, m.managed) END,
		   CASE WHEN m.disease = 'diabetes' THEN @extschema@.hs_rate(m.managed, m.patients) END,
		   CASE WHEN m.disease = 'diabetes' THEN @extschema@.hs_rate(m.standardised, m.managed) END
	  FROM chronic_management AS m JOIN unit AS u ON u.code OPERATOR(@extschema@.=) m.unit
), y AS (
	SELECT p.county, p.year, sum(p.population)::bigint AS population, sum(p.elderly)::bigint AS elderly,
		   @extschema@.sum(p.signing) AS signing, @extschema@.sum(p.signing_elderly) AS signing_elderly,
		   @extschema@.sum(p.signing_chronic) AS signing_chronic,
		   @extschema@.sum(p.htn_managed) AS htn_managed, @extschema@.sum(p.htn_standard) AS htn_standard,
		   @extschema@.sum(p.dm_managed) AS dm_managed, @extschema@.sum(p.dm_standard) AS dm_standard
	  FROM parts AS p GROUP BY 1, 2
)
SELECT y.county, @extschema@.adcode_name(y.county) AS county_name, y.year,
	   y.population, y.elderly,
	   @extschema@.rate_public(y.signing, pub.min_cell) AS signing_rate,
	   @extschema@.rate_public(y.signing_elderly, pub.min_cell) AS signing_rate_elderly,
	   @extschema@.rate_public(y.signing_chronic, pub.min_cell) AS signing_rate_chronic,
	   @extschema@.rate_public(y.htn_managed, pub.min_cell) AS hypertension_management_rate,
	   @extschema@.rate_public(y.htn_standard, pub.min_cell) AS hypertension_standard_rate,
	   @extschema@.rate_public(y.dm_managed, pub.min_cell) AS diabetes_management_rate,
	   @extschema@.rate_public(y.dm_standard, pub.min_cell) AS diabetes_standard_rate
  FROM y CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS pub;
COMMENT ON VIEW county_year_population IS 'county x year population indicators: family doctor signing and chronic disease management rates; small cells suppressed below model_config.min_cell';
COMMENT ON COLUMN county_year_population.county IS 'county (区县) the row is about';
COMMENT ON COLUMN county_year_population.county_name IS 'name of the county (区县名称) from health_share.division';
COMMENT ON COLUMN county_year_population.year IS 'calendar year';
COMMENT ON COLUMN county_year_population.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN county_year_population.elderly IS 'residents aged 65 or more';
COMMENT ON COLUMN county_year_population.signing_rate IS '家庭医生签约率: share of residents with a family-doctor contract';
COMMENT ON COLUMN county_year_population.signing_rate_elderly IS 'family-doctor signing rate of the elderly (重点人群)';
COMMENT ON COLUMN county_year_population.signing_rate_chronic IS 'family-doctor signing rate of chronic patients (重点人群)';
COMMENT ON COLUMN county_year_population.hypertension_management_rate IS '高血压患者管理率: hypertension patients under management over registered or estimated patients';
COMMENT ON COLUMN county_year_population.hypertension_standard_rate IS '高血压患者规范管理率: hypertension patients under standardised management over those managed';
COMMENT ON COLUMN county_year_population.diabetes_management_rate IS '糖尿病患者管理率: diabetes patients under management over registered or estimated patients';
COMMENT ON COLUMN county_year_population.diabetes_standard_rate IS '糖尿病患者规范管理率: diabetes patients under standardised management over those managed';

CREATE VIEW unit_access AS
WITH cfg AS (
	SELECT c.residence_def, c.primary_care_radius_m, c.fca_catchment_m, c.fca_decay FROM model_config AS c LIMIT 1
), pop AS (
	SELECT p.unit, u.name, u.county, p.year, p.population, u.lon, u.lat, m.grid_id
	  FROM population AS p
	  JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	  LEFT JOIN grid_member AS m ON m.unit OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT cfg.residence_def FROM cfg)
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM facility AS f WHERE f.care_level <= 'primary'
), doc AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat, f.doctors::double precision) AS fs
	  FROM facility AS f WHERE f.doctors > 0
), dem AS (
	SELECT pop.year, @extschema@.fca_demand(doc.fs, pop.lon, pop.lat, pop.population::double precision,
			cfg.fca_catchment_m, cfg.fca_decay) AS fs
	  FROM pop, doc, cfg
	 WHERE doc.fs IS NOT NULL
	 GROUP BY pop.year
)
SELECT pop.unit, pop.name AS unit_name, pop.county, pop.year, pop.population, pop.grid_id, pop.lon, pop.lat,
	   n.id AS nearest_primary_id, n.distance AS nearest_primary_m,
	   n.distance <= cfg.primary_care_radius_m AS within_15min,
	   1000 * @extschema@.fca_access(dem.fs, pop.lon, pop.lat) AS fca_doctors_per_1000
  FROM pop
 CROSS JOIN cfg
 CROSS JOIN prim
  LEFT JOIN dem ON dem.year = pop.year
  LEFT JOIN LATERAL @extschema@.nearest_facility(prim.fs, pop.lon, pop.lat) AS n ON true;
COMMENT ON VIEW unit_access IS 'unit x year (population of the model''s residence definition): grid, nearest village or primary facility, inside the 15-minute circle (model_config.primary_care_radius_m), 2SFCA doctors per 1,000 (fca_demand / fca_access with model_config.fca_catchment_m and fca_decay); not suppressed';
COMMENT ON COLUMN unit_access.unit IS 'unit (township / community) code';
COMMENT ON COLUMN unit_access.unit_name IS 'unit name';
COMMENT ON COLUMN unit_access.county IS 'county (区县) the row is about';
COMMENT ON COLUMN unit_access.year IS 'calendar year';
COMMENT ON COLUMN unit_access.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN unit_access.grid_id IS 'grid (网格) identifier';
COMMENT ON COLUMN unit_access.lon IS 'longitude of the unit''s representative point (WGS84 degrees)';
COMMENT ON COLUMN unit_access.lat IS 'latitude of the unit''s representative point (WGS84 degrees)';
COMMENT ON COLUMN unit_access.nearest_primary_id IS 'nearest village or primary facility';
COMMENT ON COLUMN unit_access.nearest_primary_m IS 'distance to it in metres';
COMMENT ON COLUMN unit_access.within_15min IS 'true when the nearest primary facility is within the 15-minute distance';
COMMENT ON COLUMN unit_access.fca_doctors_per_1000 IS '2SFCA spatial access to doctors per 1,000 residents (population-weighted mean)';

CREATE VIEW grid_assignment AS
WITH cfg AS (
	SELECT c.primary_care_radius_m, c.min_cell FROM model_config AS c LIMIT 1
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM facility AS f WHERE f.care_level <= 'primary'
)
SELECT a.county, d.name AS county_name, a.year,
	   sum(a.population)::bigint AS population,
	   coalesce(sum(a.population) FILTER (WHERE a.grid_id IS NOT NULL), 0)::bigint AS assigned_population,
	   @extschema@.rate_value(@extschema@.rate(CASE WHEN a.grid_id IS NULL THEN 0 ELSE a.population END, a.population)) AS completeness,
	   count(*) FILTER (WHERE a.grid_id IS NULL) AS unassigned_units,
	   array_agg(a.unit_name ORDER BY a.unit) FILTER (WHERE a.grid_id IS NULL) AS unassigned_unit_names,
	   @extschema@.rate_public(@extschema@.coverage(prim.fs, a.lon, a.lat, a.population, cfg.primary_care_radius_m), cfg.min_cell) AS primary_care_15min,
	   sum(a.population * a.fca_doctors_per_1000) / nullif(sum(a.population) FILTER (WHERE a.fca_doctors_per_1000 IS NOT NULL), 0)
		 AS fca_doctors_per_1000
  FROM unit_access AS a CROSS JOIN cfg CROSS JOIN prim
  LEFT JOIN @extschema@.division AS d ON d.code OPERATOR(@extschema@.=) a.county
 GROUP BY a.county, d.name, a.year, cfg.min_cell;
COMMENT ON VIEW grid_assignment IS 'county x year: population of units assigned to a grid (completeness must be 1: every resident in one grid), share within the 15-minute circle of primary care (coverage), population-weighted 2SFCA doctors per 1,000';
COMMENT ON COLUMN grid_assignment.county IS 'county (区县) the row is about';
COMMENT ON COLUMN grid_assignment.county_name IS 'name of the county (区县名称) from health_share.division';
COMMENT ON COLUMN grid_assignment.year IS 'calendar year';
COMMENT ON COLUMN grid_assignment.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN grid_assignment.assigned_population IS 'population of units assigned to a grid';
COMMENT ON COLUMN grid_assignment.completeness IS '网格覆盖率: assigned population / population (must be 100 %)';
COMMENT ON COLUMN grid_assignment.unassigned_units IS 'number of units in no grid';
COMMENT ON COLUMN grid_assignment.unassigned_unit_names IS 'names of the units in no grid';
COMMENT ON COLUMN grid_assignment.primary_care_15min IS '15分钟健康服务圈: share of residents within the configured distance of a village or primary facility';
COMMENT ON COLUMN grid_assignment.fca_doctors_per_1000 IS '2SFCA spatial access to doctors per 1,000 residents (population-weighted mean)';

CREATE VIEW grid_summary AS
WITH cfg AS (
	SELECT c.primary_care_radius_m, c.min_cell FROM model_config AS c LIMIT 1
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM facility AS f WHERE f.care_level <= 'primary'
), acc AS (
	SELECT a.grid_id,
		   @extschema@.rate_public(@extschema@.coverage(prim.fs, a.lon, a.lat, a.population, cfg.primary_care_radius_m), cfg.min_cell) AS primary_care_15min,
		   sum(a.population * a.fca_doctors_per_1000) / nullif(sum(a.population) FILTER (WHERE a.fca_doctors_per_1000 IS NOT NULL), 0)
			 AS fca_doctors_per_1000
	  FROM unit_access AS a CROSS JOIN cfg CROSS JOIN prim
	 WHERE a.grid_id IS NOT NULL AND a.year = (SELECT max(q.year) FROM population AS q)
	 GROUP BY a.grid_id, cfg.min_cell
)
SELECT g.id AS grid_id, g.name AS grid_name, g.consortium_id, c.name AS consortium_name, c.kind AS consortium_kind,
	   g.lead_facility_id, lf.name AS lead_facility_name, lf.care_level AS lead_care_level,
	   (SELECT array_agg(f.name ORDER BY f.id) FROM facility AS f
		 WHERE f.grid_id = g.id AND f.care_level = 'primary') AS community_hospitals,
	   (SELECT count(*) FROM facility AS f WHERE f.grid_id = g.id) AS facilities,
	   (SELECT coalesce(sum(f.beds), 0) FROM facility AS f WHERE f.grid_id = g.id)::bigint AS beds,
	   (SELECT coalesce(sum(f.doctors), 0) FROM facility AS f WHERE f.grid_id = g.id)::bigint AS doctors,
	   (SELECT count(*) FROM grid_member AS m WHERE m.grid_id = g.id) AS units,
	   (SELECT max(p.year) FROM population AS p) AS year,
	   (SELECT sum(p.population) FROM population AS p
		  JOIN grid_member AS m ON m.unit OPERATOR(@extschema@.=) p.unit
		 WHERE m.grid_id = g.id
		   AND p.residence_def = (SELECT c.residence_def FROM model_config AS c)
		   AND p.year = (SELECT max(q.year) FROM population AS q))::bigint AS population,
	   acc.primary_care_15min, acc.fca_doctors_per_1000
  FROM grid AS g
  JOIN consortium AS c ON c.id = g.consortium_id
  LEFT JOIN facility AS lf ON lf.id = g.lead_facility_id
  LEFT JOIN acc ON acc.grid_id = g.id;
COMMENT ON VIEW grid_summary IS 'per grid: consortium, lead (city or county) hospital, community hospitals, resources and population of the latest year, share of its residents within the 15-minute circle of primary care, 2SFCA doctors per 1,000';
COMMENT ON COLUMN grid_summary.grid_id IS 'grid (网格) identifier';
COMMENT ON COLUMN grid_summary.grid_name IS 'grid name';
COMMENT ON COLUMN grid_summary.consortium_id IS 'consortium (医共体 / 城市医疗集团) identifier';
COMMENT ON COLUMN grid_summary.consortium_name IS 'consortium name';
COMMENT ON COLUMN grid_summary.consortium_kind IS 'county medical community (医共体) or city medical group (城市医疗集团)';
COMMENT ON COLUMN grid_summary.lead_facility_id IS 'lead hospital of the grid';
COMMENT ON COLUMN grid_summary.lead_facility_name IS 'name of the lead hospital';
COMMENT ON COLUMN grid_summary.lead_care_level IS 'care level of the lead hospital';
COMMENT ON COLUMN grid_summary.community_hospitals IS 'primary facilities (community hospitals, township health centres) of the grid';
COMMENT ON COLUMN grid_summary.facilities IS 'facilities of the grid';
COMMENT ON COLUMN grid_summary.beds IS 'hospital beds';
COMMENT ON COLUMN grid_summary.doctors IS 'doctors (执业(助理)医师)';
COMMENT ON COLUMN grid_summary.units IS 'units (townships / communities) counted';
COMMENT ON COLUMN grid_summary.year IS 'calendar year';
COMMENT ON COLUMN grid_summary.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN grid_summary.primary_care_15min IS '15分钟健康服务圈: share of residents within the configured distance of a village or primary facility';
COMMENT ON COLUMN grid_summary.fca_doctors_per_1000 IS '2SFCA spatial access to doctors per 1,000 residents (population-weighted mean)';

-- Equity of beds and doctors per 1,000 over the units.  A facility counts in
-- the unit that is its township; the others (county and city hospitals, or no
-- such unit) are shared over their county's units by population.  Facilities of
-- counties without units are left out.
CREATE VIEW equity_year AS
WITH pop AS (
	SELECT p.unit, u.county, p.year, p.population::double precision AS population
	  FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT c.residence_def FROM model_config AS c) AND p.population > 0
), placed AS (
	SELECT pop.year, pop.unit, sum(f.beds)::double precision AS beds, sum(f.doctors)::double precision AS doctors
	  FROM pop JOIN facility AS f ON f.township OPERATOR(@extschema@.=) pop.unit
	 GROUP BY 1, 2
), pooled AS (
	SELECT y.year, f.county, sum(f.beds)::double precision AS beds, sum(f.doctors)::double precision AS doctors
	  FROM (SELECT DISTINCT pop.year FROM pop) AS y CROSS JOIN facility AS f
	 WHERE NOT EXISTS (SELECT FROM pop WHERE pop.year = y.year AND pop.unit OPERATOR(@extschema@.=) f.township)
	 GROUP BY 1, 2
), units AS (
	SELECT pop.year, pop.unit, pop.county, pop.population,
		   coalesce(pl.beds, 0) + coalesce(po.beds, 0) * pop.population
			 / sum(pop.population) OVER (PARTITION BY pop.year, pop.county) AS beds,
		   coalesce(pl.doctors, 0) + coalesce(po.doctors, 0) * pop.population
			 / sum(pop.population) OVER (PARTITION BY pop.year, pop.county) AS doctors
	  FROM pop
	  LEFT JOIN placed AS pl ON pl.year = pop.year AND pl.unit OPERATOR(@extschema@.=) pop.unit
	  LEFT JOIN pooled AS po ON po.year = pop.year AND po.county OPERATOR(@extschema@.=) pop.county
), e AS (
	SELECT u.year, count(*) AS units, sum(u.population)::bigint AS population,
		   sum(u.beds) AS beds, sum(u.doctors) AS doctors,
		   @extschema@.gini(1000 * u.beds / u.population, u.population) AS gini_beds,
		   @extschema@.gini(1000 * u.doctors / u.population, u.population) AS gini_doctors,
		   @extschema@.theil_decompose(1000 * u.beds / u.population, u.population, CAST(u.county AS text), 'T') AS tb,
		   @extschema@.theil_decompose(1000 * u.doctors / u.population, u.population, CAST(u.county AS text), 'T') AS td,
		   @extschema@.lorenz(1000 * u.beds / u.population, u.population) AS lorenz_beds,
		   @extschema@.lorenz(1000 * u.doctors / u.population, u.population) AS lorenz_doctors
	  FROM units AS u
	 GROUP BY u.year
)
SELECT e.year, e.units, e.population, round(e.beds)::bigint AS beds, round(e.doctors)::bigint AS doctors,
	   1000 * e.beds / e.population AS beds_per_1000, 1000 * e.doctors / e.population AS doctors_per_1000,
	   e.gini_beds, e.gini_doctors,
	   (e.tb).total AS theil_beds, (e.tb)."between" AS theil_beds_between, (e.tb).within AS theil_beds_within,
	   (e.td).total AS theil_doctors, (e.td)."between" AS theil_doctors_between, (e.td).within AS theil_doctors_within,
	   e.lorenz_beds, e.lorenz_doctors
  FROM e;
COMMENT ON VIEW equity_year IS 'per year: population-weighted Gini, Theil T (between and within counties; T because a unit without beds or doctors makes Theil L infinite) and Lorenz curves (float8[k+1][2]) of beds and doctors per 1,000 over the units; hospitals without a unit of their own shared over their county''s units by population';
COMMENT ON COLUMN equity_year.year IS 'calendar year';
COMMENT ON COLUMN equity_year.units IS 'units (townships / communities) counted';
COMMENT ON COLUMN equity_year.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN equity_year.beds IS 'hospital beds';
COMMENT ON COLUMN equity_year.doctors IS 'doctors (执业(助理)医师)';
COMMENT ON COLUMN equity_year.beds_per_1000 IS 'beds per 1,000 residents';
COMMENT ON COLUMN equity_year.doctors_per_1000 IS 'doctors per 1,000 residents';
COMMENT ON COLUMN equity_year.gini_beds IS '基尼系数: population-weighted Gini of beds per 1,000 over units';
COMMENT ON COLUMN equity_year.gini_doctors IS '基尼系数: population-weighted Gini of doctors per 1,000 over units';
COMMENT ON COLUMN equity_year.theil_beds IS '泰尔指数: population-weighted Theil T of beds per 1,000 over units';
COMMENT ON COLUMN equity_year.theil_beds_between IS 'between-county part of theil_beds';
COMMENT ON COLUMN equity_year.theil_beds_within IS 'within-county part of theil_beds';
COMMENT ON COLUMN equity_year.theil_doctors IS '泰尔指数: population-weighted Theil T of doctors per 1,000 over units';
COMMENT ON COLUMN equity_year.theil_doctors_between IS 'between-county part of theil_doctors';
COMMENT ON COLUMN equity_year.theil_doctors_within IS 'within-county part of theil_doctors';
COMMENT ON COLUMN equity_year.lorenz_beds IS 'Lorenz curve of beds: float8[k+1][2] of (cumulative population share, cumulative bed share)';
COMMENT ON COLUMN equity_year.lorenz_doctors IS 'Lorenz curve of doctors: float8[k+1][2] of (cumulative population share, cumulative doctor share)';
