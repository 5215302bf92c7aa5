-------------------------------------------------------------------------------
-- model/published.sql: the rest of the published layer (see
-- published_cells.sql): flows, population indicators, and the grid, access
-- and equity views, which hold no patient data.  Every column is of a plain
-- SQL type (published_cells.sql, docs/bi.md): the views compute with the
-- extension's types from the rounded cells (rounded_cells.sql) and the
-- model's views, and cast codes and care levels to text at the end.
-------------------------------------------------------------------------------

CREATE VIEW county_year_flows WITH (security_barrier) AS
WITH parts AS (
	SELECT c.residence_county AS county, CAST(extract(year FROM c.month) AS integer) AS year,
		   c.visits AS residents, 0 AS served,
		   CASE WHEN c.residence_county OPERATOR(@extschema@.=) c.facility_county THEN c.visits ELSE 0 END AS retained
	  FROM visit_cell_rounded AS c
	UNION ALL
	SELECT c.facility_county, CAST(extract(year FROM c.month) AS integer), 0, c.visits, 0
	  FROM visit_cell_rounded AS c
), g AS (
	SELECT p.county, p.year, sum(p.residents)::bigint AS residents, sum(p.served)::bigint AS served,
		   sum(p.retained)::bigint AS retained
	  FROM parts AS p
	 GROUP BY p.county, p.year
)
SELECT CAST(g.county AS text) AS county, d.name AS county_name,
	   EXISTS (SELECT FROM consortium AS c WHERE c.area OPERATOR(@extschema@.@>) g.county) AS in_area,
	   g.year, g.residents, g.served, g.retained,
	   @extschema@.publish_ratio(g.retained, g.residents) AS li,
	   @extschema@.publish_ratio(g.retained, g.served) AS lifo,
	   @extschema@.publish_ratio(g.served, g.residents) AS npf
  FROM g LEFT JOIN @extschema@.division AS d ON d.code OPERATOR(@extschema@.=) g.county;
COMMENT ON VIEW county_year_flows IS 'published county x year patient flows: the margins of the published flow links (sums of rounded cells), LI, LIFO and NPF as ratios of them to 0.001';
COMMENT ON COLUMN county_year_flows.county IS 'county (区县) the row is about';
COMMENT ON COLUMN county_year_flows.county_name IS 'name of the county (区县名称) from health_share.division';
COMMENT ON COLUMN county_year_flows.in_area IS 'true when the county lies in the area of one of the model''s consortia';
COMMENT ON COLUMN county_year_flows.year IS 'calendar year';
COMMENT ON COLUMN county_year_flows.residents IS 'visits by the county''s residents anywhere (row total of the published links), rounded';
COMMENT ON COLUMN county_year_flows.served IS 'visits served by the county''s facilities (column total of the published links), rounded';
COMMENT ON COLUMN county_year_flows.retained IS 'visits by the county''s residents in the county (the published diagonal link), rounded';
COMMENT ON COLUMN county_year_flows.li IS 'localization index (LOFI) = retained / residents, to 0.001';
COMMENT ON COLUMN county_year_flows.lifo IS 'LIFO = retained / served, to 0.001';
COMMENT ON COLUMN county_year_flows.npf IS 'net patient flow ratio = served / residents, to 0.001';

CREATE VIEW county_year_flow_links WITH (security_barrier) AS
SELECT l.year, CAST(l.residence_county AS text) AS residence_county, r.name AS residence_county_name,
	   CAST(l.facility_county AS text) AS facility_county, f.name AS facility_county_name,
	   l.residence_county OPERATOR(@extschema@.=) l.facility_county AS in_county, l.visits
  FROM (SELECT CAST(extract(year FROM c.month) AS integer) AS year, c.residence_county, c.facility_county,
			   sum(c.visits)::bigint AS visits
		  FROM visit_cell_rounded AS c
		 GROUP BY 1, 2, 3) AS l
  LEFT JOIN @extschema@.division AS r ON r.code OPERATOR(@extschema@.=) l.residence_county
  LEFT JOIN @extschema@.division AS f ON f.code OPERATOR(@extschema@.=) l.facility_county;
COMMENT ON VIEW county_year_flow_links IS 'published year x county of residence x county of the facility: visits, the sum of the rounded cells (the links of a sankey)';
COMMENT ON COLUMN county_year_flow_links.year IS 'calendar year';
COMMENT ON COLUMN county_year_flow_links.residence_county IS 'county of residence of the patients (flow origin)';
COMMENT ON COLUMN county_year_flow_links.residence_county_name IS 'name of the county of residence';
COMMENT ON COLUMN county_year_flow_links.facility_county IS 'county of the treating facility (flow destination)';
COMMENT ON COLUMN county_year_flow_links.facility_county_name IS 'name of the facility''s county';
COMMENT ON COLUMN county_year_flow_links.in_county IS 'true when the flow stays inside the county of residence';
COMMENT ON COLUMN county_year_flow_links.visits IS 'visits of this origin-destination link in the year, rounded';

-- Persons counted per unit (contracts, chronic patients) are rounded per
-- unit like the visit cells; the population is a published statistic and
-- shown as it is.
CREATE VIEW county_year_population WITH (security_barrier) AS
WITH k AS (
	SELECT c.min_cell, s.seed FROM (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS c
	 CROSS JOIN (SELECT s.seed FROM publish_key AS s LIMIT 1) AS s
), cells AS (
	SELECT u.county, p.year, 'population' AS measure, p.population AS n, p.elderly
	  FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT c.residence_def FROM model_config AS c)
	UNION ALL
	SELECT u.county, c.year, m.measure || '_' || c.key_group,
		   @extschema@.publish_round(CASE m.measure WHEN 'signed' THEN c.signed ELSE c.eligible END, k.min_cell, k.seed,
				4, CAST(c.unit AS bigint), c.year, CASE c.key_group WHEN 'all' THEN 1 WHEN 'elderly' THEN 2 ELSE 3 END,
				CASE m.measure WHEN 'signed' THEN 1 ELSE 2 END),
		   NULL
	  FROM family_doctor_contract AS c JOIN unit AS u ON u.code OPERATOR(@extschema@.=) c.unit
	 CROSS JOIN k CROSS JOIN (VALUES ('signed'), ('eligible')) AS m(measure)
	UNION ALL
	SELECT u.county, c.year, c.disease || '_' || m.measure,
		   @extschema@.publish_round(CASE m.measure WHEN 'patients' THEN c.patients WHEN 'managed' THEN c.managed
											 ELSE c.standardised END, k.min_cell, k.seed,
				5, CAST(c.unit AS bigint), c.year, CASE c.disease WHEN 'hypertension' THEN 1 ELSE 2 END,
				CASE m.measure WHEN 'patients' THEN 1 WHEN 'managed' THEN 2 ELSE 3 END),
		   NULL
	  FROM chronic_management AS c JOIN unit AS u ON u.code OPERATOR(@extschema@.=) c.unit
	 CROSS JOIN k CROSS JOIN (VALUES ('patients'), ('managed'), ('standardised')) AS m(measure)
), y AS (
	SELECT c.county, c.year,
		   sum(c.n) FILTER (WHERE c.measure = 'population')::bigint AS population,
		   sum(c.elderly)::bigint AS elderly,
		   sum(c.n) FILTER (WHERE c.measure = 'signed_all')::bigint AS signed_all,
		   sum(c.n) FILTER (WHERE c.measure = 'eligible_all')::bigint AS eligible_all,
		   sum(c.n) FILTER (WHERE c.measure = 'signed_elderly')::bigint AS signed_elderly,
		   sum(c.n) FILTER (WHERE c.measure = 'eligible_elderly')::bigint AS eligible_elderly,
		   sum(c.n) FILTER (WHERE c.measure = 'signed_chronic')::bigint AS signed_chronic,
		   sum(c.n) FILTER (WHERE c.measure = 'eligible_chronic')::bigint AS eligible_chronic,
		   sum(c.n) FILTER (WHERE c.measure = 'hypertension_patients')::bigint AS htn_patients,
		   sum(c.n) FILTER (WHERE c.measure = 'hypertension_managed')::bigint AS htn_managed,
		   sum(c.n) FILTER (WHERE c.measure = 'hypertension_standardised')::bigint AS htn_standardised,
		   sum(c.n) FILTER (WHERE c.measure = 'diabetes_patients')::bigint AS dm_patients,
		   sum(c.n) FILTER (WHERE c.measure = 'diabetes_managed')::bigint AS dm_managed,
		   sum(c.n) FILTER (WHERE c.measure = 'diabetes_standardised')::bigint AS dm_standardised
	  FROM cells AS c
	 GROUP BY c.county, c.year
)
SELECT CAST(y.county AS text) AS county, d.name AS county_name, y.year,
	   y.population, y.elderly,
	   @extschema@.publish_ratio(y.signed_all, y.eligible_all) AS signing_rate,
	   @extschema@.publish_ratio(y.signed_elderly, y.eligible_elderly) AS signing_rate_elderly,
	   @extschema@.publish_ratio(y.signed_chronic, y.eligible_chronic) AS signing_rate_chronic,
	   @extschema@.publish_ratio(y.htn_managed, y.htn_patients) AS hypertension_management_rate,
	   @extschema@.publish_ratio(y.htn_standardised, y.htn_managed) AS hypertension_standard_rate,
	   @extschema@.publish_ratio(y.dm_managed, y.dm_patients) AS diabetes_management_rate,
	   @extschema@.publish_ratio(y.dm_standardised, y.dm_managed) AS diabetes_standard_rate
  FROM y LEFT JOIN @extschema@.division AS d ON d.code OPERATOR(@extschema@.=) y.county;
COMMENT ON VIEW county_year_population IS 'published county x year population indicators: population as loaded (a published statistic), family doctor signing and chronic disease management rates as ratios of per-unit counts rounded to multiples of the model''s min_cell, to 0.001';
COMMENT ON COLUMN county_year_population.county IS 'county (区县) the row is about';
COMMENT ON COLUMN county_year_population.county_name IS 'name of the county (区县名称) from health_share.division';
COMMENT ON COLUMN county_year_population.year IS 'calendar year';
COMMENT ON COLUMN county_year_population.population IS 'resident population (常住人口) of the row''s units';
COMMENT ON COLUMN county_year_population.elderly IS 'residents aged 65 or more';
COMMENT ON COLUMN county_year_population.signing_rate IS '家庭医生签约率: share of residents with a family-doctor contract, to 0.001';
COMMENT ON COLUMN county_year_population.signing_rate_elderly IS 'family-doctor signing rate of the elderly (重点人群), to 0.001';
COMMENT ON COLUMN county_year_population.signing_rate_chronic IS 'family-doctor signing rate of chronic patients (重点人群), to 0.001';
COMMENT ON COLUMN county_year_population.hypertension_management_rate IS '高血压患者管理率: hypertension patients under management over patients, to 0.001';
COMMENT ON COLUMN county_year_population.hypertension_standard_rate IS '高血压患者规范管理率: hypertension patients under standardised management over those managed, to 0.001';
COMMENT ON COLUMN county_year_population.diabetes_management_rate IS '糖尿病患者管理率: diabetes patients under management over patients, to 0.001';
COMMENT ON COLUMN county_year_population.diabetes_standard_rate IS '糖尿病患者规范管理率: diabetes patients under standardised management over those managed, to 0.001';

-- Population, facilities and their distances: no patient data.  Each view
-- below shows the model's view of the same name (the name is resolved
-- before the published view exists, so it finds the model's), with the
-- rights of the model's owner, its codes and care levels as text and its
-- lists as text (names joined by 、); the Lorenz curves of equity_year are
-- rows of equity_lorenz (made first, while equity_year is still the model's).
CREATE VIEW unit_access WITH (security_barrier) AS
SELECT CAST(a.unit AS text) AS unit, a.unit_name, CAST(a.county AS text) AS county, a.year, a.population, a.grid_id,
	   a.lon, a.lat, a.nearest_primary_id, a.nearest_primary_m, a.within_15min, a.fca_doctors_per_1000
  FROM unit_access AS a;
COMMENT ON VIEW unit_access IS 'published: the model''s unit_access (population, nearest primary facility, 15-minute circle, 2SFCA); no patient data';
COMMENT ON COLUMN unit_access.unit IS 'township or community (乡镇 / 街道): its 9-digit code as text';
COMMENT ON COLUMN unit_access.county IS 'the unit''s county: its 6-digit code as text';
CREATE VIEW grid_assignment WITH (security_barrier) AS
SELECT CAST(g.county AS text) AS county, g.county_name, g.year, g.population, g.assigned_population, g.completeness,
	   g.unassigned_units, pg_catalog.array_to_string(g.unassigned_unit_names, '、') AS unassigned_unit_names,
	   g.primary_care_15min, g.fca_doctors_per_1000
  FROM grid_assignment AS g;
COMMENT ON VIEW grid_assignment IS 'published: the model''s grid_assignment (grid completeness, 15-minute coverage, 2SFCA per county x year); no patient data';
COMMENT ON COLUMN grid_assignment.county IS 'county (区县): its 6-digit code as text';
COMMENT ON COLUMN grid_assignment.unassigned_unit_names IS 'names of the units in no grid, joined by 、';
CREATE VIEW grid_summary WITH (security_barrier) AS
SELECT g.grid_id, g.grid_name, g.consortium_id, g.consortium_name, g.consortium_kind, g.lead_facility_id,
	   g.lead_facility_name, CAST(g.lead_care_level AS text) AS lead_care_level,
	   pg_catalog.array_to_string(g.community_hospitals, '、') AS community_hospitals,
	   pg_catalog.cardinality(g.community_hospitals) AS community_hospital_count,
	   g.facilities, g.beds, g.doctors, g.units, g.year, g.population, g.primary_care_15min, g.fca_doctors_per_1000
  FROM grid_summary AS g;
COMMENT ON VIEW grid_summary IS 'published: the model''s grid_summary (per grid: lead hospital, resources, population, coverage); no patient data';
COMMENT ON COLUMN grid_summary.lead_care_level IS 'care level of the lead hospital: village, primary, secondary or tertiary';
COMMENT ON COLUMN grid_summary.community_hospitals IS 'names of the grid''s community hospitals, joined by 、';
COMMENT ON COLUMN grid_summary.community_hospital_count IS 'number of the grid''s community hospitals';
CREATE VIEW equity_lorenz WITH (security_barrier) AS
SELECT e.year, r.resource, k AS point, r.curve[k][1] AS population_share, r.curve[k][2] AS resource_share
  FROM equity_year AS e
 CROSS JOIN LATERAL (VALUES ('beds', e.lorenz_beds), ('doctors', e.lorenz_doctors)) AS r(resource, curve)
 CROSS JOIN LATERAL pg_catalog.generate_subscripts(r.curve, 1) AS k;
COMMENT ON VIEW equity_lorenz IS 'published: the Lorenz curves of the model''s equity_year (lorenz_beds, lorenz_doctors), one row a point; no patient data';
COMMENT ON COLUMN equity_lorenz.year IS 'calendar year';
COMMENT ON COLUMN equity_lorenz.resource IS 'beds or doctors';
COMMENT ON COLUMN equity_lorenz.point IS 'the point''s place on the curve, from 1 at (0, 0) to the last at (1, 1)';
COMMENT ON COLUMN equity_lorenz.population_share IS 'cumulative share of the residents (townships sorted by the resource per 1,000)';
COMMENT ON COLUMN equity_lorenz.resource_share IS 'cumulative share of the resource';
CREATE VIEW equity_year WITH (security_barrier) AS
SELECT e.year, e.units, e.population, e.beds, e.doctors, e.beds_per_1000, e.doctors_per_1000, e.gini_beds, e.gini_doctors,
	   e.theil_beds, e.theil_beds_between, e.theil_beds_within, e.theil_doctors, e.theil_doctors_between,
	   e.theil_doctors_within
  FROM equity_year AS e;
COMMENT ON VIEW equity_year IS 'published: the model''s equity_year (Gini and Theil of beds and doctors per 1,000; the Lorenz curves are in equity_lorenz); no patient data';

-- The counties of the published cells and the units they belong to (the
-- published unit x period views map counties with the warehouse's views of
-- these names, which give the same units for these counties).
CREATE VIEW county_units WITH (security_barrier) AS
SELECT CAST(u.county AS text) AS county, CAST(u.unit AS text) AS unit, u.unit_name, u.in_area
  FROM county_units AS u
 WHERE EXISTS (SELECT FROM visit_cell_rounded AS c
				WHERE c.residence_county OPERATOR(@extschema@.=) u.county OR c.facility_county OPERATOR(@extschema@.=) u.county)
	OR EXISTS (SELECT FROM referral_cell_rounded AS c WHERE c.county OPERATOR(@extschema@.=) u.county);
COMMENT ON VIEW county_units IS 'published: the counties of the published cells, each its own unit';
COMMENT ON COLUMN county_units.county IS 'county (区县): its 6-digit code as text';
COMMENT ON COLUMN county_units.unit IS 'the unit: the county';
COMMENT ON COLUMN county_units.unit_name IS 'name of the county';
COMMENT ON COLUMN county_units.in_area IS 'true when the county lies in the area of one of the model''s consortia';
CREATE VIEW city_units WITH (security_barrier) AS
SELECT CAST(u.county AS text) AS county, CAST(u.unit AS text) AS unit, u.unit_name, u.in_area
  FROM city_units AS u
 WHERE CAST(u.county AS text) IN (SELECT p.county FROM county_units AS p);
COMMENT ON VIEW city_units IS 'published: the counties of the published cells and their cities';
COMMENT ON COLUMN city_units.county IS 'county (区县): its 6-digit code as text';
COMMENT ON COLUMN city_units.unit IS 'the unit: the county''s city (地市), its 6-digit code as text';
COMMENT ON COLUMN city_units.unit_name IS 'name of the city';
COMMENT ON COLUMN city_units.in_area IS 'true when the city is, contains or lies in the area of one of the model''s consortia';
CREATE VIEW consortium_units WITH (security_barrier) AS
SELECT CAST(u.county AS text) AS county, u.unit, u.unit_name, u.in_area
  FROM consortium_units AS u
 WHERE CAST(u.county AS text) IN (SELECT p.county FROM county_units AS p);
COMMENT ON VIEW consortium_units IS 'published: the counties of the published cells in the area of each consortium';
COMMENT ON COLUMN consortium_units.county IS 'county (区县): its 6-digit code as text';
COMMENT ON COLUMN consortium_units.unit IS 'the unit: the consortium (consortium.id)';
COMMENT ON COLUMN consortium_units.unit_name IS 'name of the consortium';
COMMENT ON COLUMN consortium_units.in_area IS 'always true';

-- The facilities (their places and resources are public) and the rules the
-- published layer follows, for dashboards that draw maps or explain a value.
CREATE VIEW facilities WITH (security_barrier) AS
SELECT f.id, f.name, CAST(f.care_level AS text) AS care_level, CAST(f.county AS text) AS county,
	   CAST(f.township AS text) AS township, f.lon, f.lat, f.beds, f.doctors, f.consortium_id, f.grid_id
  FROM facility AS f;
COMMENT ON VIEW facilities IS 'published: the model''s facilities (names, care levels, places, beds, doctors, consortium and grid); no patient data';
COMMENT ON COLUMN facilities.care_level IS 'village, primary, secondary or tertiary';
COMMENT ON COLUMN facilities.county IS 'the facility''s county: its 6-digit code as text';
COMMENT ON COLUMN facilities.township IS 'the facility''s township: its 9-digit code as text';
CREATE VIEW publication WITH (security_barrier) AS
SELECT c.min_cell AS rounding_base, 3 AS ratio_digits, c.residence_def, c.primary_care_radius_m,
	   c.fca_catchment_m, c.fca_decay,
	   (SELECT max(s.refreshed_at) FROM county_month_state AS s) AS refreshed_at
  FROM model_config AS c;
COMMENT ON VIEW publication IS 'published: the rules of the published layer (every count a multiple of rounding_base, every ratio to ratio_digits decimals, docs/publishing.md) and the model''s settings, with the time of the last refresh';
COMMENT ON COLUMN publication.rounding_base IS 'every published count is a multiple of it (the model''s min_cell): a count from 1 to rounding_base - 1 is never published as it is';
COMMENT ON COLUMN publication.ratio_digits IS 'decimals of every published ratio (3: 0.1 percentage point)';
COMMENT ON COLUMN publication.residence_def IS 'the residence definition the population views use';
COMMENT ON COLUMN publication.primary_care_radius_m IS 'the 15-minute circle as a straight-line distance in metres';
COMMENT ON COLUMN publication.fca_catchment_m IS 'the 2SFCA catchment in metres';
COMMENT ON COLUMN publication.fca_decay IS 'the 2SFCA distance decay';
COMMENT ON COLUMN publication.refreshed_at IS 'when the states the layer reads were last recomputed (refresh_model)';
