
-------------------------------------------------------------------------------
-- model: the consortium warehouse (install_model), the indicator catalog and
-- the refresh of the materialized county x month states.  See docs/model.md.
-------------------------------------------------------------------------------

-- Small-cell suppression of counts, the companion of rate_public.
CREATE FUNCTION @extschema@.count_public(n bigint,
		min_cell integer DEFAULT coalesce(current_setting('health_share.min_cell', true), '5')::integer)
	RETURNS bigint LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN n OPERATOR(pg_catalog.>) 0 AND n OPERATOR(pg_catalog.<) min_cell THEN NULL ELSE n END;
COMMENT ON FUNCTION @extschema@.count_public(bigint, integer) IS
	'the count, or NULL when it is above 0 and below min_cell (default: setting health_share.min_cell)';

-------------------------------------------------------------------------------
-- The indicator catalog
-------------------------------------------------------------------------------

CREATE TABLE @extschema@.indicator (
	code		text PRIMARY KEY CHECK (code OPERATOR(pg_catalog.~) '^[a-z][a-z0-9_]*$'),
	name_zh		text NOT NULL,
	name_en		text NOT NULL,
	family		text NOT NULL CHECK (family IN ('access', 'primary_care', 'referral', 'flow', 'population_health', 'grid', 'spatial', 'equity')),
	numerator	text NOT NULL,
	denominator	text,
	unit		text NOT NULL CHECK (unit IN ('share', 'ratio', 'count', 'growth', 'per_1000', 'index')),
	direction	text NOT NULL CHECK (direction IN ('higher', 'lower', 'neutral')),
	target		double precision,
	target_op	text CHECK (target_op IN ('>=', '<=')),
	target_source text,
	view_name	text,
	view_column	text,
	builtin		boolean NOT NULL DEFAULT false,
	CONSTRAINT indicator_target_complete CHECK ((target IS NULL) = (target_op IS NULL)),
	CONSTRAINT indicator_view_complete CHECK ((view_name IS NULL) = (view_column IS NULL)),
	CONSTRAINT indicator_share_has_denominator CHECK (unit NOT IN ('share', 'ratio') OR denominator IS NOT NULL)
);
COMMENT ON TABLE @extschema@.indicator IS
	'catalog of the indicators a medical consortium is judged by: definition, unit, direction, national target and the model view column that carries it';
COMMENT ON COLUMN @extschema@.indicator.code IS 'identifier (snake_case)';
COMMENT ON COLUMN @extschema@.indicator.name_zh IS 'Chinese name as used in policy documents';
COMMENT ON COLUMN @extschema@.indicator.name_en IS 'English name';
COMMENT ON COLUMN @extschema@.indicator.family IS 'group: access, primary_care, referral, flow, population_health, grid, spatial, equity';
COMMENT ON COLUMN @extschema@.indicator.numerator IS 'numerator in words (for counts and indices: what is counted or computed)';
COMMENT ON COLUMN @extschema@.indicator.denominator IS 'denominator in words; NULL for counts and indices';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'share (0..1), ratio, count, growth (relative change per year), per_1000 or index';
COMMENT ON COLUMN @extschema@.indicator.direction IS 'higher or lower is better, or neutral';
COMMENT ON COLUMN @extschema@.indicator.target IS 'national target value in the indicator''s unit, NULL when there is none';
COMMENT ON COLUMN @extschema@.indicator.target_op IS 'how the value meets the target: >= or <=';
COMMENT ON COLUMN @extschema@.indicator.target_source IS 'where the target comes from';
COMMENT ON COLUMN @extschema@.indicator.view_name IS 'the model view (in the schema given to install_model) whose column carries the indicator; NULL while no view carries it yet';
COMMENT ON COLUMN @extschema@.indicator.view_column IS 'the column of view_name';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for the rows the extension ships; rows users add (builtin = false) are kept by pg_dump';

INSERT INTO @extschema@.indicator
	(code, name_zh, name_en, family, numerator, denominator, unit, direction, target, target_op, target_source, view_name, view_column, builtin)
VALUES
('in_county_visit_rate', '县域内就诊率', 'in-county visit rate', 'access',
 'visits (outpatient and inpatient) of the county''s residents at facilities in the county',
 'visits of the county''s residents at facilities whose county is known', 'share', 'higher',
 0.90, '>=', '紧密型县域医共体建设: 县域内就诊率达到90%左右', 'county_month', 'in_county_rate', true),
('in_county_outpatient_rate', '县域内门诊就诊率', 'in-county outpatient visit rate', 'access',
 'outpatient visits of the county''s residents at facilities in the county',
 'outpatient visits of the county''s residents', 'share', 'higher',
 NULL, NULL, NULL, 'county_month', 'in_county_outpatient_rate', true),
('in_county_inpatient_rate', '县域内住院率', 'in-county inpatient rate', 'access',
 'inpatient admissions of the county''s residents at facilities in the county',
 'inpatient admissions of the county''s residents', 'share', 'higher',
 NULL, NULL, NULL, 'county_month', 'in_county_inpatient_rate', true),
('grassroots_visit_share', '基层诊疗量占比', 'grassroots visit share', 'primary_care',
 'outpatient visits at village and primary facilities (村卫生室, 乡镇卫生院, 社区卫生服务中心) located in the county',
 'outpatient visits at all facilities located in the county', 'share', 'higher',
 0.65, '>=', '医联体 / 分级诊疗考核: 基层诊疗量占比 ≥ 65%', 'county_month', 'grassroots_share', true),
('in_county_fund_share', '县域内医保基金支出占比', 'in-county insurance fund share', 'access',
 'insurance fund payments (fen) for the county''s residents at facilities in the county',
 'insurance fund payments (fen) for the county''s residents', 'share', 'higher',
 NULL, NULL, NULL, 'county_month', 'fund_in_county_share', true),
('referrals_up', '上转人次', 'upward referrals', 'referral',
 'referrals (kind referral) of the county''s residents to a facility of a higher care level', NULL, 'count', 'neutral',
 NULL, NULL, NULL, 'county_month', 'referrals_up', true),
('referrals_down', '下转人次', 'downward referrals', 'referral',
 'referrals (kind referral) of the county''s residents to a facility of a lower care level', NULL, 'count', 'higher',
 NULL, NULL, NULL, 'county_month', 'referrals_down', true),
('referrals_lateral', '平级转诊人次', 'lateral referrals', 'referral',
 'referrals (kind referral) of the county''s residents between facilities of the same care level', NULL, 'count', 'neutral',
 NULL, NULL, NULL, 'county_month', 'referrals_lateral', true),
('referrals_down_growth', '下转人次增长率', 'growth of downward referrals', 'referral',
 'downward referrals of the year minus those of the year before',
 'downward referrals of the year before', 'growth', 'higher',
 0.10, '>=', '紧密型县域医共体监测: 下转人次年增长 ≥ 10%', 'county_year', 'referrals_down_growth', true),
('down_up_ratio', '下转上转比', 'down/up referral ratio', 'referral',
 'downward referrals', 'upward referrals', 'ratio', 'higher',
 NULL, NULL, NULL, 'county_month', 'down_up_ratio', true),
('remote_consultations', '远程会诊人次', 'remote consultations', 'referral',
 'remote consultations (远程会诊) requested for the county''s residents', NULL, 'count', 'higher',
 NULL, NULL, NULL, 'county_month', 'remote_consultations', true),
('signing_rate', '家庭医生签约率', 'family doctor signing rate', 'population_health',
 'residents with a family doctor contract (key group all)', 'residents (key group all, eligible)', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_population', 'signing_rate', true),
('signing_rate_elderly', '老年人家庭医生签约率', 'family doctor signing rate of the elderly', 'population_health',
 'residents aged 65 or more with a family doctor contract', 'residents aged 65 or more', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_population', 'signing_rate_elderly', true),
('signing_rate_chronic', '慢病患者家庭医生签约率', 'family doctor signing rate of chronic patients', 'population_health',
 'chronic patients with a family doctor contract', 'chronic patients', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_population', 'signing_rate_chronic', true),
('hypertension_management_rate', '高血压患者管理率', 'hypertension management rate', 'population_health',
 'hypertension patients under management (在管)', 'hypertension patients (registered or estimated)', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_population', 'hypertension_management_rate', true),
('hypertension_standard_rate', '高血压患者规范管理率', 'standardised management rate of hypertension', 'population_health',
 'hypertension patients managed according to the national standard (规范管理)', 'hypertension patients under management', 'share', 'higher',
 0.60, '>=', '健康中国行动 (2019—2030): 2022年不低于60%, 2030年不低于70%', 'county_year_population', 'hypertension_standard_rate', true),
('diabetes_management_rate', '糖尿病患者管理率', 'diabetes management rate', 'population_health',
 'diabetes patients under management (在管)', 'diabetes patients (registered or estimated)', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_population', 'diabetes_management_rate', true),
('diabetes_standard_rate', '糖尿病患者规范管理率', 'standardised management rate of diabetes', 'population_health',
 'diabetes patients managed according to the national standard (规范管理)', 'diabetes patients under management', 'share', 'higher',
 0.60, '>=', '健康中国行动 (2019—2030): 2022年不低于60%, 2030年不低于70%', 'county_year_population', 'diabetes_standard_rate', true),
('grid_assignment_completeness', '网格人口覆盖完整率', 'grid assignment completeness', 'grid',
 'residents of units that belong to a grid', 'residents', 'share', 'higher',
 1.0, '>=', '网格化布局: every resident belongs to one grid', 'grid_assignment', 'completeness', true),
('primary_care_15min', '15分钟基层医疗服务圈覆盖率', 'population within 15 minutes of primary care', 'spatial',
 'residents within the 15-minute distance of a village or primary facility', 'residents', 'share', 'higher',
 NULL, NULL, NULL, 'grid_assignment', 'primary_care_15min', true),
('fca_doctors_per_1000', '医生空间可及性 (2SFCA)', '2SFCA access to doctors per 1,000', 'spatial',
 'population-weighted mean 2SFCA accessibility of doctors, per 1,000 residents', NULL, 'per_1000', 'higher',
 NULL, NULL, NULL, 'grid_assignment', 'fca_doctors_per_1000', true),
('flow_li', '本地化指数 (LI)', 'localization index (LOFI)', 'flow',
 'visits of the region''s residents in the region', 'visits of the region''s residents', 'share', 'higher',
 NULL, NULL, NULL, 'county_year_flows', 'li', true),
('flow_lifo', '本地服务占比 (LIFO)', 'share of served visits by own residents (LIFO)', 'flow',
 'visits of the region''s residents in the region', 'visits served by the region''s facilities', 'share', 'neutral',
 NULL, NULL, NULL, 'county_year_flows', 'lifo', true),
('flow_npf', '净患者流比 (NPF)', 'net patient flow ratio', 'flow',
 'visits served by the region''s facilities', 'visits of the region''s residents', 'ratio', 'neutral',
 NULL, NULL, NULL, 'county_year_flows', 'npf', true),
('gini_beds', '床位配置基尼系数', 'Gini of beds per 1,000', 'equity',
 'population-weighted Gini coefficient of beds per 1,000 residents over units', NULL, 'index', 'lower',
 NULL, NULL, NULL, 'equity_year', 'gini_beds', true),
('gini_doctors', '医生配置基尼系数', 'Gini of doctors per 1,000', 'equity',
 'population-weighted Gini coefficient of doctors per 1,000 residents over units', NULL, 'index', 'lower',
 NULL, NULL, NULL, 'equity_year', 'gini_doctors', true),
('theil_beds', '床位配置泰尔指数', 'Theil index of beds', 'equity',
 'population-weighted Theil T index of beds per 1,000 residents over units (total = between + within counties)', NULL, 'index', 'lower',
 NULL, NULL, NULL, 'equity_year', 'theil_beds', true),
('theil_doctors', '医生配置泰尔指数', 'Theil index of doctors', 'equity',
 'population-weighted Theil T index of doctors per 1,000 residents over units (total = between + within counties)', NULL, 'index', 'lower',
 NULL, NULL, NULL, 'equity_year', 'theil_doctors', true);

-- Rows users add are user data: pg_dump keeps them (the builtin ones come
-- back with CREATE EXTENSION).
SELECT pg_catalog.pg_extension_config_dump('@extschema@.indicator', 'WHERE NOT builtin');

-------------------------------------------------------------------------------
-- Statement triggers of the model's fact tables record the months whose
-- county x month states must be recomputed (the model's dirty_month table).
-- TG_ARGV[0]: the date column, or '*' for "every materialized month".
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.model_mark_dirty() RETURNS trigger
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	col text := TG_ARGV[0];
	s text := TG_TABLE_SCHEMA;
BEGIN
	IF col = '*' THEN
		EXECUTE format('INSERT INTO %I.dirty_month (month) SELECT DISTINCT month FROM %I.county_month_state ON CONFLICT DO NOTHING', s, s);
		RETURN NULL;
	END IF;
	IF TG_OP IN ('INSERT', 'UPDATE') THEN
		EXECUTE format('INSERT INTO %I.dirty_month (month) SELECT DISTINCT date_trunc(''month'', %I)::date FROM new_rows ON CONFLICT DO NOTHING', s, col);
	END IF;
	IF TG_OP IN ('UPDATE', 'DELETE') THEN
		EXECUTE format('INSERT INTO %I.dirty_month (month) SELECT DISTINCT date_trunc(''month'', %I)::date FROM old_rows ON CONFLICT DO NOTHING', s, col);
	END IF;
	RETURN NULL;
END
$fn$;
COMMENT ON FUNCTION @extschema@.model_mark_dirty() IS
	'statement trigger of the model''s fact tables: records changed months in the model''s dirty_month table';

-------------------------------------------------------------------------------
-- install_model(schema)
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.install_model(schema text) RETURNS void
	LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	-- Every object the model creates, checked before anything is created.
	relations text[] := ARRAY['consortium', 'grid', 'unit', 'grid_member', 'facility', 'population',
		'visit', 'referral', 'family_doctor_contract', 'chronic_management',
		'county_month_state', 'dirty_month', 'model_config',
		'county_month', 'county_month_mat', 'county_year', 'county_year_mat',
		'county_year_population', 'grid_assignment', 'grid_summary',
		'county_year_flows', 'county_year_flows_mat', 'county_year_flow_links', 'county_year_flow_links_mat',
		'unit_access', 'equity_year'];
	functions text[] := ARRAY['county_month_compute'];
	conflicts text;
	ddl text;
	cols_tpl text;
	month_tpl text;
	year_tpl text;
	rel text;
	col text;
	txt text;
BEGIN
	IF schema IS NULL OR schema = '' THEN
		RAISE EXCEPTION 'install_model: the schema name must not be empty'
			USING ERRCODE = 'invalid_parameter_value';
	END IF;
	IF schema IN ('@extschema@', 'pg_catalog', 'information_schema', 'public') OR schema LIKE 'pg\_%' THEN
		RAISE EXCEPTION 'install_model: cannot install the model into schema "%"', schema
			USING ERRCODE = 'invalid_schema_name',
				  HINT = 'Use a schema of its own, e.g. install_model(''consortium'').';
	END IF;

	SELECT string_agg(name, ', ' ORDER BY name) INTO conflicts FROM (
		SELECT c.relname::text AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
		 WHERE n.nspname = schema AND c.relname = ANY (relations)
		UNION
		SELECT t.typname::text FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
		 WHERE n.nspname = schema AND t.typname = ANY (relations)
		UNION
		SELECT p.proname::text || '()' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
		 WHERE n.nspname = schema AND p.proname = ANY (functions)) AS x;
	IF conflicts IS NOT NULL THEN
		RAISE EXCEPTION 'install_model: schema "%" already has objects the model would create: %', schema, conflicts
			USING ERRCODE = 'duplicate_object',
				  HINT = 'Install the model into a new schema, or drop those objects first.';
	END IF;

	IF NOT EXISTS (SELECT FROM pg_namespace WHERE nspname = schema) THEN
		EXECUTE format('CREATE SCHEMA %I', schema);
	END IF;

	ddl := $ddl$

-- Dimensions -----------------------------------------------------------------

CREATE TABLE @m@.consortium (
	id			integer PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	kind		text NOT NULL CONSTRAINT consortium_kind_known
				CHECK (kind IN ('county_community', 'city_group')),
	area		@extschema@.adcode NOT NULL CONSTRAINT consortium_area_known
				REFERENCES @extschema@.division (code),
	lead_facility_id integer
);
COMMENT ON TABLE @m@.consortium IS 'medical consortia: 县域医共体 (county_community) and 城市医疗集团 (city_group)';
COMMENT ON COLUMN @m@.consortium.id IS 'consortium id';
COMMENT ON COLUMN @m@.consortium.name IS 'name, unique';
COMMENT ON COLUMN @m@.consortium.kind IS 'county_community (县域医共体) or city_group (城市医疗集团)';
COMMENT ON COLUMN @m@.consortium.area IS 'the county (or city) the consortium serves; a known division code';
COMMENT ON COLUMN @m@.consortium.lead_facility_id IS 'the lead hospital (牵头医院); foreign key to facility, checked at commit';

CREATE TABLE @m@.grid (
	id			integer PRIMARY KEY,
	name		text NOT NULL,
	consortium_id integer NOT NULL REFERENCES @m@.consortium (id),
	lead_facility_id integer
);
CREATE INDEX grid_consortium_idx ON @m@.grid (consortium_id);
COMMENT ON TABLE @m@.grid IS 'grids (网格) of the consortia: each is served by one lead hospital and the community hospitals of its member units';
COMMENT ON COLUMN @m@.grid.id IS 'grid id';
COMMENT ON COLUMN @m@.grid.name IS 'name';
COMMENT ON COLUMN @m@.grid.consortium_id IS 'the consortium the grid belongs to';
COMMENT ON COLUMN @m@.grid.lead_facility_id IS 'the grid''s city or county hospital; foreign key to facility, checked at commit';

CREATE TABLE @m@.unit (
	code		@extschema@.adcode PRIMARY KEY,
	name		text NOT NULL,
	county		@extschema@.adcode GENERATED ALWAYS AS (@extschema@.adcode_county(code)) STORED,
	lon			double precision,
	lat			double precision,
	area_km2	double precision CONSTRAINT unit_area_positive CHECK (area_km2 > 0),
	CONSTRAINT unit_below_city CHECK (@extschema@.adcode_level(code) IN ('county', 'township', 'village')
		AND @extschema@.adcode_county(code) IS NOT NULL),
	CONSTRAINT unit_location_in_china CHECK ((lon IS NULL) = (lat IS NULL) AND lon BETWEEN 73 AND 136 AND lat BETWEEN 3 AND 54)
);
CREATE INDEX unit_county_idx ON @m@.unit (county);
COMMENT ON TABLE @m@.unit IS 'residential units (county, township / street, or village / community) that population, contracts, chronic management and grids refer to';
COMMENT ON COLUMN @m@.unit.code IS 'division code at county, township or village level';
COMMENT ON COLUMN @m@.unit.name IS 'name';
COMMENT ON COLUMN @m@.unit.county IS 'the county of the unit (generated from code)';
COMMENT ON COLUMN @m@.unit.lon IS 'longitude of the representative (population-weighted) point, degrees';
COMMENT ON COLUMN @m@.unit.lat IS 'latitude of the representative point, degrees';
COMMENT ON COLUMN @m@.unit.area_km2 IS 'area in km²';

CREATE TABLE @m@.grid_member (
	unit		@extschema@.adcode PRIMARY KEY REFERENCES @m@.unit (code),
	grid_id		integer NOT NULL REFERENCES @m@.grid (id)
);
CREATE INDEX grid_member_grid_idx ON @m@.grid_member (grid_id);
COMMENT ON TABLE @m@.grid_member IS 'the units (townships / communities) of each grid; a unit belongs to at most one grid';
COMMENT ON COLUMN @m@.grid_member.unit IS 'the member unit';
COMMENT ON COLUMN @m@.grid_member.grid_id IS 'its grid';

CREATE TABLE @m@.facility (
	id			integer PRIMARY KEY,
	name		text NOT NULL,
	care_level	@extschema@.care_level NOT NULL,
	county		@extschema@.adcode NOT NULL CONSTRAINT facility_county_known
				REFERENCES @extschema@.division (code),
	township	@extschema@.adcode,
	lon			double precision,
	lat			double precision,
	beds		integer NOT NULL DEFAULT 0 CONSTRAINT facility_beds_not_negative CHECK (beds >= 0),
	doctors		integer NOT NULL DEFAULT 0 CONSTRAINT facility_doctors_not_negative CHECK (doctors >= 0),
	consortium_id integer REFERENCES @m@.consortium (id) DEFERRABLE INITIALLY DEFERRED,
	grid_id		integer REFERENCES @m@.grid (id) DEFERRABLE INITIALLY DEFERRED,
	CONSTRAINT facility_county_is_county CHECK (coalesce(@extschema@.adcode_county(county) OPERATOR(@extschema@.=) county, false)),
	CONSTRAINT facility_township_in_county CHECK (township IS NULL OR
		(@extschema@.adcode_level(township) = 'township' AND @extschema@.adcode_county(township) OPERATOR(@extschema@.=) county)),
	CONSTRAINT facility_location_in_china CHECK ((lon IS NULL) = (lat IS NULL) AND lon BETWEEN 73 AND 136 AND lat BETWEEN 3 AND 54)
);
CREATE INDEX facility_county_idx ON @m@.facility (county);
CREATE INDEX facility_consortium_idx ON @m@.facility (consortium_id);
CREATE INDEX facility_grid_idx ON @m@.facility (grid_id);
COMMENT ON TABLE @m@.facility IS 'health facilities: village clinics, township / community health centres, county, city and provincial hospitals';
COMMENT ON COLUMN @m@.facility.id IS 'facility id';
COMMENT ON COLUMN @m@.facility.name IS 'name';
COMMENT ON COLUMN @m@.facility.care_level IS 'village < primary < secondary < tertiary; village and primary are grassroots (基层)';
COMMENT ON COLUMN @m@.facility.county IS 'the county (or city without counties) the facility lies in; a known division code';
COMMENT ON COLUMN @m@.facility.township IS 'the township / street the facility lies in, inside county; NULL when unknown';
COMMENT ON COLUMN @m@.facility.lon IS 'longitude, degrees (WGS84 or GCJ-02, consistently)';
COMMENT ON COLUMN @m@.facility.lat IS 'latitude, degrees';
COMMENT ON COLUMN @m@.facility.beds IS 'approved beds (编制床位)';
COMMENT ON COLUMN @m@.facility.doctors IS 'licensed (assistant) doctors (执业(助理)医师)';
COMMENT ON COLUMN @m@.facility.consortium_id IS 'the consortium the facility is a member of; NULL for facilities outside any';
COMMENT ON COLUMN @m@.facility.grid_id IS 'the grid the facility serves; NULL when none';

ALTER TABLE @m@.consortium ADD CONSTRAINT consortium_lead_facility_fkey
	FOREIGN KEY (lead_facility_id) REFERENCES @m@.facility (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE @m@.grid ADD CONSTRAINT grid_lead_facility_fkey
	FOREIGN KEY (lead_facility_id) REFERENCES @m@.facility (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE @m@.population (
	unit		@extschema@.adcode NOT NULL REFERENCES @m@.unit (code),
	year		integer NOT NULL CONSTRAINT population_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	residence_def text NOT NULL DEFAULT 'resident' CONSTRAINT population_residence_def_known
				CHECK (residence_def IN ('resident', 'registered', 'insured')),
	population	bigint NOT NULL CONSTRAINT population_not_negative CHECK (population >= 0),
	elderly		bigint CONSTRAINT population_elderly_within_population CHECK (elderly BETWEEN 0 AND population),
	PRIMARY KEY (unit, year, residence_def)
);
COMMENT ON TABLE @m@.population IS 'population by unit and year; units must not overlap (load townships or their county, not both)';
COMMENT ON COLUMN @m@.population.unit IS 'the unit';
COMMENT ON COLUMN @m@.population.year IS 'year (mid-year or year-end, consistently)';
COMMENT ON COLUMN @m@.population.residence_def IS 'residence definition: resident (常住人口), registered (户籍人口) or insured (参保地); the views use the one named in model_config (default resident)';
COMMENT ON COLUMN @m@.population.population IS 'persons';
COMMENT ON COLUMN @m@.population.elderly IS 'persons aged 65 or more; NULL when unknown';

CREATE TABLE @m@.model_config (
	singleton	boolean PRIMARY KEY DEFAULT true CONSTRAINT model_config_one_row CHECK (singleton),
	residence_def text NOT NULL DEFAULT 'resident' CONSTRAINT model_config_residence_def_known
				CHECK (residence_def IN ('resident', 'registered', 'insured')),
	primary_care_radius_m double precision NOT NULL DEFAULT 4000
				CONSTRAINT model_config_radius_positive CHECK (primary_care_radius_m > 0),
	fca_catchment_m double precision NOT NULL DEFAULT 20000
				CONSTRAINT model_config_catchment_positive CHECK (fca_catchment_m > 0),
	fca_decay	text NOT NULL DEFAULT 'binary'
);
INSERT INTO @m@.model_config DEFAULT VALUES;
COMMENT ON TABLE @m@.model_config IS 'the model''s settings: one row';
COMMENT ON COLUMN @m@.model_config.singleton IS 'always true: the table has one row';
COMMENT ON COLUMN @m@.model_config.residence_def IS 'the residence definition the population views use: resident (常住, default), registered (户籍) or insured (参保地)';
COMMENT ON COLUMN @m@.model_config.primary_care_radius_m IS 'the 15-minute circle as a straight-line distance in metres (default 4000): a unit whose representative point is at most this far from a village or primary facility is inside';
COMMENT ON COLUMN @m@.model_config.fca_catchment_m IS 'the 2SFCA catchment d0 in metres (default 20000) of the doctors accessibility';
COMMENT ON COLUMN @m@.model_config.fca_decay IS 'the 2SFCA distance decay (binary, linear, gaussian, gravity:β[,dmin], steps:...; default binary), as in health_share.fca_demand';

-- Facts ------------------------------------------------------------------------

CREATE TABLE @m@.visit (
	id			bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	visit_date	date NOT NULL,
	residence	@extschema@.adcode NOT NULL,
	facility_id	integer NOT NULL REFERENCES @m@.facility (id),
	kind		text NOT NULL CONSTRAINT visit_kind_known CHECK (kind IN ('outpatient', 'inpatient')),
	total_fen	bigint NOT NULL,
	fund_fen	bigint NOT NULL DEFAULT 0,
	CONSTRAINT visit_amounts_not_negative CHECK (total_fen >= 0 AND fund_fen >= 0),
	CONSTRAINT visit_fund_within_total CHECK (fund_fen <= total_fen),
	CONSTRAINT visit_residence_below_city CHECK (@extschema@.adcode_level(residence) IN ('county', 'township', 'village')
		OR @extschema@.adcode_county(residence) IS NOT NULL)
);
CREATE INDEX visit_date_idx ON @m@.visit (visit_date);
CREATE INDEX visit_facility_idx ON @m@.visit (facility_id);
COMMENT ON TABLE @m@.visit IS 'visits: outpatient visits (门急诊人次) and inpatient admissions (住院人次)';
COMMENT ON COLUMN @m@.visit.id IS 'visit id (generated when not given)';
COMMENT ON COLUMN @m@.visit.visit_date IS 'date of the visit, or of admission';
COMMENT ON COLUMN @m@.visit.residence IS 'the patient''s residence (county, township or village code; the same residence definition as population)';
COMMENT ON COLUMN @m@.visit.facility_id IS 'the facility that provided the visit';
COMMENT ON COLUMN @m@.visit.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN @m@.visit.total_fen IS 'total cost, fen (分)';
COMMENT ON COLUMN @m@.visit.fund_fen IS 'paid by the insurance fund (医保基金), fen; between 0 and total_fen';

CREATE TABLE @m@.referral (
	id			bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
	referral_date date NOT NULL,
	from_facility_id integer NOT NULL REFERENCES @m@.facility (id),
	to_facility_id integer NOT NULL REFERENCES @m@.facility (id),
	residence	@extschema@.adcode NOT NULL,
	kind		text NOT NULL DEFAULT 'referral' CONSTRAINT referral_kind_known
				CHECK (kind IN ('referral', 'remote_consultation')),
	CONSTRAINT referral_not_to_itself CHECK (from_facility_id <> to_facility_id),
	CONSTRAINT referral_residence_below_city CHECK (@extschema@.adcode_level(residence) IN ('county', 'township', 'village')
		OR @extschema@.adcode_county(residence) IS NOT NULL)
);
CREATE INDEX referral_date_idx ON @m@.referral (referral_date);
CREATE INDEX referral_from_idx ON @m@.referral (from_facility_id);
CREATE INDEX referral_to_idx ON @m@.referral (to_facility_id);
COMMENT ON TABLE @m@.referral IS 'referrals (双向转诊) and remote consultations (远程会诊) between facilities';
COMMENT ON COLUMN @m@.referral.id IS 'referral id (generated when not given)';
COMMENT ON COLUMN @m@.referral.referral_date IS 'date';
COMMENT ON COLUMN @m@.referral.from_facility_id IS 'the referring (or consultation-requesting) facility';
COMMENT ON COLUMN @m@.referral.to_facility_id IS 'the receiving (or consulted) facility; never from_facility_id';
COMMENT ON COLUMN @m@.referral.residence IS 'the patient''s residence (county, township or village code)';
COMMENT ON COLUMN @m@.referral.kind IS 'referral (the direction up / down / lateral follows from the care levels) or remote_consultation';

CREATE TABLE @m@.family_doctor_contract (
	unit		@extschema@.adcode NOT NULL REFERENCES @m@.unit (code),
	year		integer NOT NULL CONSTRAINT contract_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	key_group	text NOT NULL CONSTRAINT contract_key_group_known CHECK (key_group IN ('all', 'elderly', 'chronic')),
	signed		bigint NOT NULL CONSTRAINT contract_signed_not_negative CHECK (signed >= 0),
	eligible	bigint NOT NULL CONSTRAINT contract_signed_within_eligible CHECK (signed <= eligible),
	PRIMARY KEY (unit, year, key_group)
);
COMMENT ON TABLE @m@.family_doctor_contract IS 'family doctor contracts (家庭医生签约): residents signed per unit, year and key group';
COMMENT ON COLUMN @m@.family_doctor_contract.unit IS 'the unit';
COMMENT ON COLUMN @m@.family_doctor_contract.year IS 'year';
COMMENT ON COLUMN @m@.family_doctor_contract.key_group IS 'all (every resident), elderly (65 or more) or chronic (hypertension or diabetes patients)';
COMMENT ON COLUMN @m@.family_doctor_contract.signed IS 'persons of the group with a valid contract';
COMMENT ON COLUMN @m@.family_doctor_contract.eligible IS 'persons of the group (the denominator of the signing rate)';

CREATE TABLE @m@.chronic_management (
	unit		@extschema@.adcode NOT NULL REFERENCES @m@.unit (code),
	year		integer NOT NULL CONSTRAINT chronic_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	disease		text NOT NULL CONSTRAINT chronic_disease_known CHECK (disease IN ('hypertension', 'diabetes')),
	patients	bigint NOT NULL,
	managed		bigint NOT NULL,
	standardised bigint NOT NULL,
	CONSTRAINT chronic_counts_ordered CHECK (0 <= standardised AND standardised <= managed AND managed <= patients),
	PRIMARY KEY (unit, year, disease)
);
COMMENT ON TABLE @m@.chronic_management IS 'chronic disease management (慢病管理) of hypertension and diabetes patients per unit and year';
COMMENT ON COLUMN @m@.chronic_management.unit IS 'the unit';
COMMENT ON COLUMN @m@.chronic_management.year IS 'year';
COMMENT ON COLUMN @m@.chronic_management.disease IS 'hypertension or diabetes';
COMMENT ON COLUMN @m@.chronic_management.patients IS 'patients (registered, or estimated from prevalence)';
COMMENT ON COLUMN @m@.chronic_management.managed IS 'patients under management (在管患者)';
COMMENT ON COLUMN @m@.chronic_management.standardised IS 'patients managed according to the national standard (规范管理)';

-- Materialized states -------------------------------------------------------------

CREATE TABLE @m@.county_month_state (
	county		@extschema@.adcode NOT NULL,
	month		date NOT NULL CONSTRAINT county_month_state_first_day CHECK (extract(day FROM month) = 1),
	visits		bigint NOT NULL,
	outpatient_visits bigint NOT NULL,
	inpatient_visits bigint NOT NULL,
	served_visits bigint NOT NULL,
	in_county	@extschema@.hs_rate,
	in_county_outpatient @extschema@.hs_rate,
	in_county_inpatient @extschema@.hs_rate,
	fund_in_county @extschema@.hs_rate,
	grassroots	@extschema@.hs_rate,
	referrals_up bigint NOT NULL,
	referrals_down bigint NOT NULL,
	referrals_lateral bigint NOT NULL,
	remote_consultations bigint NOT NULL,
	flows		@extschema@.flowmatrix,
	refreshed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (county, month)
);
CREATE INDEX county_month_state_month_idx ON @m@.county_month_state (month);
COMMENT ON TABLE @m@.county_month_state IS 'mergeable county x month states (exact counts and hs_rate), kept by health_share.refresh_model; not suppressed: restrict access to it';
COMMENT ON COLUMN @m@.county_month_state.county IS 'county: of residence for resident measures, of the facility for served_visits and grassroots';
COMMENT ON COLUMN @m@.county_month_state.month IS 'first day of the month';
COMMENT ON COLUMN @m@.county_month_state.visits IS 'visits of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.outpatient_visits IS 'outpatient visits of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.inpatient_visits IS 'inpatient admissions of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.served_visits IS 'visits at facilities located in the county';
COMMENT ON COLUMN @m@.county_month_state.in_county IS 'in_county_rate over all visits of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.in_county_outpatient IS 'in_county_rate over outpatient visits';
COMMENT ON COLUMN @m@.county_month_state.in_county_inpatient IS 'in_county_rate over inpatient admissions';
COMMENT ON COLUMN @m@.county_month_state.fund_in_county IS 'fund payments (fen) in county over all fund payments of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.grassroots IS 'outpatient visits at grassroots facilities over outpatient visits, at facilities located in the county';
COMMENT ON COLUMN @m@.county_month_state.referrals_up IS 'upward referrals of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.referrals_down IS 'downward referrals of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.referrals_lateral IS 'lateral referrals of the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.remote_consultations IS 'remote consultations for the county''s residents';
COMMENT ON COLUMN @m@.county_month_state.flows IS 'visits of the county''s residents as a flowmatrix: residence county -> facility county (keys: adcode digits); sum(flows) over the counties of a period is the whole matrix';
COMMENT ON COLUMN @m@.county_month_state.refreshed_at IS 'when the row was last recomputed';

CREATE TABLE @m@.dirty_month (
	month		date PRIMARY KEY
);
COMMENT ON TABLE @m@.dirty_month IS 'months whose facts changed since their states were last refreshed (filled by triggers, emptied by refresh_model)';
COMMENT ON COLUMN @m@.dirty_month.month IS 'first day of the month';

CREATE TRIGGER visit_dirty_insert AFTER INSERT ON @m@.visit REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('visit_date');
CREATE TRIGGER visit_dirty_update AFTER UPDATE ON @m@.visit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('visit_date');
CREATE TRIGGER visit_dirty_delete AFTER DELETE ON @m@.visit REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('visit_date');
CREATE TRIGGER visit_dirty_truncate AFTER TRUNCATE ON @m@.visit
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('*');
CREATE TRIGGER referral_dirty_insert AFTER INSERT ON @m@.referral REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('referral_date');
CREATE TRIGGER referral_dirty_update AFTER UPDATE ON @m@.referral REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('referral_date');
CREATE TRIGGER referral_dirty_delete AFTER DELETE ON @m@.referral REFERENCING OLD TABLE AS old_rows
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('referral_date');
CREATE TRIGGER referral_dirty_truncate AFTER TRUNCATE ON @m@.referral
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('*');
CREATE TRIGGER facility_dirty_update AFTER UPDATE OF care_level, county ON @m@.facility
	FOR EACH STATEMENT EXECUTE FUNCTION @extschema@.model_mark_dirty('*');

-- The states of given months (NULL: all months), computed from the facts.
CREATE FUNCTION @m@.county_month_compute(months date[] DEFAULT NULL)
	RETURNS TABLE (county @extschema@.adcode, month date, visits bigint, outpatient_visits bigint,
		inpatient_visits bigint, served_visits bigint, in_county @extschema@.hs_rate,
		in_county_outpatient @extschema@.hs_rate, in_county_inpatient @extschema@.hs_rate,
		fund_in_county @extschema@.hs_rate, grassroots @extschema@.hs_rate, referrals_up bigint,
		referrals_down bigint, referrals_lateral bigint, remote_consultations bigint,
		flows @extschema@.flowmatrix)
	LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS
$body$
DECLARE
	lo date := '-infinity';
	hi date := 'infinity';
BEGIN
	IF months IS NOT NULL THEN
		SELECT min(m), max(m) + 31 INTO lo, hi FROM unnest(months) AS m;
		IF lo IS NULL THEN RETURN; END IF;
	END IF;
	RETURN QUERY
	WITH v AS (
		SELECT v.residence, @extschema@.adcode_county(v.residence) AS rcounty,
			   date_trunc('month', v.visit_date)::date AS month, v.kind, v.fund_fen,
			   f.county AS fcounty, f.care_level
		  FROM @m@.visit AS v JOIN @m@.facility AS f ON f.id = v.facility_id
		 WHERE v.visit_date >= lo AND v.visit_date < hi
		   AND (months IS NULL OR date_trunc('month', v.visit_date)::date = ANY (months))
	), parts AS (
		SELECT v.rcounty AS county, v.month, count(*) AS visits,
			   count(*) FILTER (WHERE v.kind = 'outpatient') AS outpatient_visits,
			   count(*) FILTER (WHERE v.kind = 'inpatient') AS inpatient_visits,
			   0::bigint AS served_visits,
			   @extschema@.in_county_rate(v.residence, v.fcounty) AS in_county,
			   @extschema@.in_county_rate(v.residence, v.fcounty) FILTER (WHERE v.kind = 'outpatient') AS in_county_outpatient,
			   @extschema@.in_county_rate(v.residence, v.fcounty) FILTER (WHERE v.kind = 'inpatient') AS in_county_inpatient,
			   @extschema@.rate(CASE WHEN v.rcounty OPERATOR(@extschema@.=) v.fcounty THEN v.fund_fen ELSE 0 END, v.fund_fen) AS fund_in_county,
			   NULL::@extschema@.hs_rate AS grassroots,
			   0::bigint AS referrals_up, 0::bigint AS referrals_down, 0::bigint AS referrals_lateral,
			   0::bigint AS remote_consultations,
			   @extschema@.flow_agg(CAST(v.rcounty AS bigint), CAST(v.fcounty AS bigint)) AS flows
		  FROM v WHERE v.rcounty IS NOT NULL GROUP BY 1, 2
		UNION ALL
		SELECT v.fcounty, v.month, 0, 0, 0, count(*), NULL, NULL, NULL, NULL,
			   @extschema@.rate(v.care_level <= 'primary') FILTER (WHERE v.kind = 'outpatient'),
			   0, 0, 0, 0, NULL
		  FROM v GROUP BY 1, 2
		UNION ALL
		SELECT @extschema@.adcode_county(r.residence), date_trunc('month', r.referral_date)::date,
			   0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL,
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'up'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'down'),
			   count(*) FILTER (WHERE r.kind = 'referral' AND @extschema@.referral_direction(a.care_level, b.care_level) = 'lateral'),
			   count(*) FILTER (WHERE r.kind = 'remote_consultation'),
			   NULL
		  FROM @m@.referral AS r
		  JOIN @m@.facility AS a ON a.id = r.from_facility_id
		  JOIN @m@.facility AS b ON b.id = r.to_facility_id
		 WHERE r.referral_date >= lo AND r.referral_date < hi
		   AND (months IS NULL OR date_trunc('month', r.referral_date)::date = ANY (months))
		   AND @extschema@.adcode_county(r.residence) IS NOT NULL
		 GROUP BY 1, 2
	)
	SELECT p.county, p.month, sum(p.visits)::bigint, sum(p.outpatient_visits)::bigint,
		   sum(p.inpatient_visits)::bigint, sum(p.served_visits)::bigint,
		   @extschema@.sum(p.in_county), @extschema@.sum(p.in_county_outpatient),
		   @extschema@.sum(p.in_county_inpatient), @extschema@.sum(p.fund_in_county),
		   @extschema@.sum(p.grassroots), sum(p.referrals_up)::bigint, sum(p.referrals_down)::bigint,
		   sum(p.referrals_lateral)::bigint, sum(p.remote_consultations)::bigint,
		   @extschema@.sum(p.flows)
	  FROM parts AS p
	 GROUP BY p.county, p.month;
END
$body$;
COMMENT ON FUNCTION @m@.county_month_compute(date[]) IS
	'county x month states of the given months (NULL: all) computed from visit, referral and facility';

-- Dashboard views ------------------------------------------------------------------

$ddl$;

	-- The county x month and county x year views exist twice: computed from the
	-- facts (county_month, county_year) and read from the materialized states
	-- (county_month_mat, county_year_mat).  Same columns, same suppression:
	-- both templates take their indicator columns from cols_tpl (@indicators@),
	-- over the month's or the year's states in s.
	cols_tpl := $v$	   @extschema@.count_public(s.visits) AS visits,
	   @extschema@.count_public(s.inpatient_visits) AS inpatient_visits,
	   @extschema@.rate_public(s.in_county) AS in_county_rate,
	   CASE WHEN @extschema@.rate_public(s.in_county) IS NOT NULL THEN (@extschema@.rate_ci(s.in_county)).lower END AS in_county_ci_lower,
	   CASE WHEN @extschema@.rate_public(s.in_county) IS NOT NULL THEN (@extschema@.rate_ci(s.in_county)).upper END AS in_county_ci_upper,
	   @extschema@.rate_public(s.in_county_outpatient) AS in_county_outpatient_rate,
	   @extschema@.rate_public(s.in_county_inpatient) AS in_county_inpatient_rate,
	   CASE WHEN @extschema@.count_public(s.visits) IS NOT NULL THEN @extschema@.rate_value(s.fund_in_county) END AS fund_in_county_share,
	   @extschema@.count_public(s.served_visits) AS served_visits,
	   @extschema@.rate_public(s.grassroots) AS grassroots_share,
	   @extschema@.count_public(s.referrals_up) AS referrals_up,
	   @extschema@.count_public(s.referrals_down) AS referrals_down,
	   @extschema@.count_public(s.referrals_lateral) AS referrals_lateral,
	   CASE WHEN @extschema@.count_public(s.referrals_up) > 0 AND @extschema@.count_public(s.referrals_down) IS NOT NULL
			THEN s.referrals_down::double precision / s.referrals_up END AS down_up_ratio,
$v$;
	month_tpl := $v$
CREATE VIEW @m@.@name@ AS
SELECT s.county, @extschema@.adcode_name(s.county) AS county_name, s.month,
@indicators@	   @extschema@.count_public(s.remote_consultations) AS remote_consultations
  FROM @source@ AS s;
COMMENT ON VIEW @m@.@name@ IS 'county x month indicators (@what@); small cells suppressed by health_share.min_cell';
$v$;
	year_tpl := $v$
CREATE VIEW @m@.@name@ AS
WITH y AS (
	SELECT s.county, extract(year FROM s.month)::integer AS year,
		   sum(s.visits)::bigint AS visits, sum(s.inpatient_visits)::bigint AS inpatient_visits,
		   sum(s.served_visits)::bigint AS served_visits,
		   @extschema@.sum(s.in_county) AS in_county, @extschema@.sum(s.in_county_outpatient) AS in_county_outpatient,
		   @extschema@.sum(s.in_county_inpatient) AS in_county_inpatient,
		   @extschema@.sum(s.fund_in_county) AS fund_in_county, @extschema@.sum(s.grassroots) AS grassroots,
		   sum(s.referrals_up)::bigint AS referrals_up, sum(s.referrals_down)::bigint AS referrals_down,
		   sum(s.referrals_lateral)::bigint AS referrals_lateral,
		   sum(s.remote_consultations)::bigint AS remote_consultations
	  FROM @source@ AS s
	 GROUP BY 1, 2
), g AS (
	SELECT y.*, p.referrals_down AS referrals_down_before
	  FROM y LEFT JOIN y AS p ON p.county OPERATOR(@extschema@.=) y.county AND p.year = y.year - 1
)
SELECT s.county, @extschema@.adcode_name(s.county) AS county_name, s.year,
@indicators@	   CASE WHEN @extschema@.count_public(s.referrals_down_before) > 0 AND @extschema@.count_public(s.referrals_down) IS NOT NULL
			THEN s.referrals_down::double precision / s.referrals_down_before - 1 END AS referrals_down_growth,
	   @extschema@.count_public(s.remote_consultations) AS remote_consultations
  FROM g AS s;
COMMENT ON VIEW @m@.@name@ IS 'county x year indicators (@what@), the months'' states merged; small cells suppressed by health_share.min_cell';
$v$;
	month_tpl := replace(month_tpl, '@indicators@', cols_tpl);
	year_tpl := replace(year_tpl, '@indicators@', cols_tpl);
	ddl := ddl
		|| replace(replace(replace(month_tpl, '@name@', 'county_month'), '@source@', '@m@.county_month_compute()'), '@what@', 'computed from the facts')
		|| replace(replace(replace(month_tpl, '@name@', 'county_month_mat'), '@source@', '@m@.county_month_state'), '@what@', 'read from the states kept by refresh_model')
		|| replace(replace(replace(year_tpl, '@name@', 'county_year'), '@source@', '@m@.county_month_compute()'), '@what@', 'computed from the facts')
		|| replace(replace(replace(year_tpl, '@name@', 'county_year_mat'), '@source@', '@m@.county_month_state'), '@what@', 'read from the states kept by refresh_model');

	-- County x year patient flows: the months' flowmatrix states summed to the
	-- year's whole matrix, read per region by flow_regions.
	year_tpl := $v$
CREATE VIEW @m@.@name@ AS
WITH y AS (
	SELECT extract(year FROM s.month)::integer AS year, @extschema@.sum(s.flows) AS flows
	  FROM @source@ AS s
	 GROUP BY 1
)
SELECT @extschema@.flow_key_adcode(r.region) AS county,
	   @extschema@.adcode_name(@extschema@.flow_key_adcode(r.region)) AS county_name, y.year,
	   @extschema@.count_public(r.residents) AS residents,
	   @extschema@.count_public(r.served) AS served,
	   @extschema@.count_public(r.retained) AS retained,
	   CASE WHEN @extschema@.rate_public(@extschema@.hs_rate(r.retained, r.residents)) IS NOT NULL THEN r.li END AS li,
	   CASE WHEN @extschema@.rate_public(@extschema@.hs_rate(r.retained, r.served)) IS NOT NULL THEN r.lifo END AS lifo,
	   CASE WHEN @extschema@.count_public(r.residents) > 0 AND @extschema@.count_public(r.served) IS NOT NULL THEN r.npf END AS npf
  FROM y CROSS JOIN LATERAL @extschema@.flow_regions(y.flows) AS r;
COMMENT ON VIEW @m@.@name@ IS 'county x year patient flows (@what@): per county (of residence or of a facility) residents'' visits, visits served, retained, LI, LIFO and NPF from flow_regions; small cells suppressed by health_share.min_cell';
$v$;
	ddl := ddl
		|| replace(replace(replace(year_tpl, '@name@', 'county_year_flows'), '@source@', '@m@.county_month_compute()'), '@what@', 'computed from the facts')
		|| replace(replace(replace(year_tpl, '@name@', 'county_year_flows_mat'), '@source@', '@m@.county_month_state'), '@what@', 'read from the states kept by refresh_model');

	-- The cells of the year's matrix: the links of a sankey, each suppressed.
	year_tpl := $v$
CREATE VIEW @m@.@name@ AS
WITH y AS (
	SELECT extract(year FROM s.month)::integer AS year, @extschema@.sum(s.flows) AS flows
	  FROM @source@ AS s
	 GROUP BY 1
)
SELECT y.year,
	   @extschema@.flow_key_adcode(e.origin) AS residence_county,
	   @extschema@.adcode_name(@extschema@.flow_key_adcode(e.origin)) AS residence_county_name,
	   @extschema@.flow_key_adcode(e.dest) AS facility_county,
	   @extschema@.adcode_name(@extschema@.flow_key_adcode(e.dest)) AS facility_county_name,
	   e.origin = e.dest AS in_county,
	   @extschema@.count_public(e.n) AS visits
  FROM y CROSS JOIN LATERAL @extschema@.flow_entries(y.flows) AS e;
COMMENT ON VIEW @m@.@name@ IS 'year x county of residence x county of the facility: visits (@what@), the non-zero cells of the year''s flowmatrix (flow_entries); small cells suppressed by health_share.min_cell';
$v$;
	ddl := ddl
		|| replace(replace(replace(year_tpl, '@name@', 'county_year_flow_links'), '@source@', '@m@.county_month_compute()'), '@what@', 'computed from the facts')
		|| replace(replace(replace(year_tpl, '@name@', 'county_year_flow_links_mat'), '@source@', '@m@.county_month_state'), '@what@', 'read from the states kept by refresh_model');

	ddl := ddl || $ddl$
CREATE VIEW @m@.county_year_population AS
WITH parts AS (
	SELECT u.county, p.year, p.population, p.elderly,
		   NULL::@extschema@.hs_rate AS signing, NULL::@extschema@.hs_rate AS signing_elderly,
		   NULL::@extschema@.hs_rate AS signing_chronic,
		   NULL::@extschema@.hs_rate AS htn_managed, NULL::@extschema@.hs_rate AS htn_standard,
		   NULL::@extschema@.hs_rate AS dm_managed, NULL::@extschema@.hs_rate AS dm_standard
	  FROM @m@.population AS p JOIN @m@.unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT c.residence_def FROM @m@.model_config AS c)
	UNION ALL
	SELECT u.county, c.year, NULL, NULL,
		   CASE WHEN c.key_group = 'all' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   CASE WHEN c.key_group = 'elderly' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   CASE WHEN c.key_group = 'chronic' THEN @extschema@.hs_rate(c.signed, c.eligible) END,
		   NULL, NULL, NULL, NULL
	  FROM @m@.family_doctor_contract AS c JOIN @m@.unit AS u ON u.code OPERATOR(@extschema@.=) c.unit
	UNION ALL
	SELECT u.county, m.year, NULL, NULL, NULL, NULL, NULL,
		   CASE WHEN m.disease = 'hypertension' THEN @extschema@.hs_rate(m.managed, m.patients) END,
		   CASE WHEN m.disease = 'hypertension' THEN @extschema@.hs_rate(m.standardised, m.managed) END,
		   CASE WHEN m.disease = 'diabetes' THEN @extschema@.hs_rate(m.managed, m.patients) END,
		   CASE WHEN m.disease = 'diabetes' THEN @extschema@.hs_rate(m.standardised, m.managed) END
	  FROM @m@.chronic_management AS m JOIN @m@.unit AS u ON u.code OPERATOR(@extschema@.=) m.unit
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
	   @extschema@.rate_public(y.signing) AS signing_rate,
	   @extschema@.rate_public(y.signing_elderly) AS signing_rate_elderly,
	   @extschema@.rate_public(y.signing_chronic) AS signing_rate_chronic,
	   @extschema@.rate_public(y.htn_managed) AS hypertension_management_rate,
	   @extschema@.rate_public(y.htn_standard) AS hypertension_standard_rate,
	   @extschema@.rate_public(y.dm_managed) AS diabetes_management_rate,
	   @extschema@.rate_public(y.dm_standard) AS diabetes_standard_rate
  FROM y;
COMMENT ON VIEW @m@.county_year_population IS 'county x year population indicators: family doctor signing and chronic disease management rates; small cells suppressed by health_share.min_cell';

CREATE VIEW @m@.unit_access AS
WITH cfg AS (
	SELECT c.residence_def, c.primary_care_radius_m, c.fca_catchment_m, c.fca_decay FROM @m@.model_config AS c
), pop AS (
	SELECT p.unit, u.name, u.county, p.year, p.population, u.lon, u.lat, m.grid_id
	  FROM @m@.population AS p
	  JOIN @m@.unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	  LEFT JOIN @m@.grid_member AS m ON m.unit OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT cfg.residence_def FROM cfg)
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM @m@.facility AS f WHERE f.care_level <= 'primary'
), doc AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat, f.doctors::double precision) AS fs
	  FROM @m@.facility AS f WHERE f.doctors > 0
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
COMMENT ON VIEW @m@.unit_access IS 'unit x year (population of the model''s residence definition): grid, nearest village or primary facility, inside the 15-minute circle (model_config.primary_care_radius_m), 2SFCA doctors per 1,000 (fca_demand / fca_access with model_config.fca_catchment_m and fca_decay); not suppressed';

CREATE VIEW @m@.grid_assignment AS
WITH cfg AS (
	SELECT c.primary_care_radius_m FROM @m@.model_config AS c
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM @m@.facility AS f WHERE f.care_level <= 'primary'
)
SELECT a.county, @extschema@.adcode_name(a.county) AS county_name, a.year,
	   sum(a.population)::bigint AS population,
	   coalesce(sum(a.population) FILTER (WHERE a.grid_id IS NOT NULL), 0)::bigint AS assigned_population,
	   @extschema@.rate_value(@extschema@.rate(CASE WHEN a.grid_id IS NULL THEN 0 ELSE a.population END, a.population)) AS completeness,
	   count(*) FILTER (WHERE a.grid_id IS NULL) AS unassigned_units,
	   array_agg(a.unit_name ORDER BY a.unit) FILTER (WHERE a.grid_id IS NULL) AS unassigned_unit_names,
	   @extschema@.rate_public(@extschema@.coverage(prim.fs, a.lon, a.lat, a.population, cfg.primary_care_radius_m)) AS primary_care_15min,
	   sum(a.population * a.fca_doctors_per_1000) / nullif(sum(a.population) FILTER (WHERE a.fca_doctors_per_1000 IS NOT NULL), 0)
		 AS fca_doctors_per_1000
  FROM @m@.unit_access AS a CROSS JOIN cfg CROSS JOIN prim
 GROUP BY a.county, a.year;
COMMENT ON VIEW @m@.grid_assignment IS 'county x year: population of units assigned to a grid (completeness must be 1: every resident in one grid), share within the 15-minute circle of primary care (coverage), population-weighted 2SFCA doctors per 1,000';

CREATE VIEW @m@.grid_summary AS
WITH cfg AS (
	SELECT c.primary_care_radius_m FROM @m@.model_config AS c
), prim AS (
	SELECT @extschema@.facility_set(f.id::bigint, f.lon, f.lat) AS fs
	  FROM @m@.facility AS f WHERE f.care_level <= 'primary'
), acc AS (
	SELECT a.grid_id,
		   @extschema@.rate_public(@extschema@.coverage(prim.fs, a.lon, a.lat, a.population, cfg.primary_care_radius_m)) AS primary_care_15min,
		   sum(a.population * a.fca_doctors_per_1000) / nullif(sum(a.population) FILTER (WHERE a.fca_doctors_per_1000 IS NOT NULL), 0)
			 AS fca_doctors_per_1000
	  FROM @m@.unit_access AS a CROSS JOIN cfg CROSS JOIN prim
	 WHERE a.grid_id IS NOT NULL AND a.year = (SELECT max(q.year) FROM @m@.population AS q)
	 GROUP BY a.grid_id
)
SELECT g.id AS grid_id, g.name AS grid_name, g.consortium_id, c.name AS consortium_name, c.kind AS consortium_kind,
	   g.lead_facility_id, lf.name AS lead_facility_name, lf.care_level AS lead_care_level,
	   (SELECT array_agg(f.name ORDER BY f.id) FROM @m@.facility AS f
		 WHERE f.grid_id = g.id AND f.care_level = 'primary') AS community_hospitals,
	   (SELECT count(*) FROM @m@.facility AS f WHERE f.grid_id = g.id) AS facilities,
	   (SELECT coalesce(sum(f.beds), 0) FROM @m@.facility AS f WHERE f.grid_id = g.id)::bigint AS beds,
	   (SELECT coalesce(sum(f.doctors), 0) FROM @m@.facility AS f WHERE f.grid_id = g.id)::bigint AS doctors,
	   (SELECT count(*) FROM @m@.grid_member AS m WHERE m.grid_id = g.id) AS units,
	   (SELECT max(p.year) FROM @m@.population AS p) AS year,
	   (SELECT sum(p.population) FROM @m@.population AS p
		  JOIN @m@.grid_member AS m ON m.unit OPERATOR(@extschema@.=) p.unit
		 WHERE m.grid_id = g.id
		   AND p.residence_def = (SELECT c.residence_def FROM @m@.model_config AS c)
		   AND p.year = (SELECT max(q.year) FROM @m@.population AS q))::bigint AS population,
	   acc.primary_care_15min, acc.fca_doctors_per_1000
  FROM @m@.grid AS g
  JOIN @m@.consortium AS c ON c.id = g.consortium_id
  LEFT JOIN @m@.facility AS lf ON lf.id = g.lead_facility_id
  LEFT JOIN acc ON acc.grid_id = g.id;
COMMENT ON VIEW @m@.grid_summary IS 'per grid: consortium, lead (city or county) hospital, community hospitals, resources and population of the latest year, share of its residents within the 15-minute circle of primary care, 2SFCA doctors per 1,000';

-- Equity of beds and doctors per 1,000 over the units.  A facility counts in
-- the unit that is its township; the others (county and city hospitals, or no
-- such unit) are shared over their county's units by population.  Facilities of
-- counties without units are left out.
CREATE VIEW @m@.equity_year AS
WITH pop AS (
	SELECT p.unit, u.county, p.year, p.population::double precision AS population
	  FROM @m@.population AS p JOIN @m@.unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
	 WHERE p.residence_def = (SELECT c.residence_def FROM @m@.model_config AS c) AND p.population > 0
), placed AS (
	SELECT pop.year, pop.unit, sum(f.beds)::double precision AS beds, sum(f.doctors)::double precision AS doctors
	  FROM pop JOIN @m@.facility AS f ON f.township OPERATOR(@extschema@.=) pop.unit
	 GROUP BY 1, 2
), pooled AS (
	SELECT y.year, f.county, sum(f.beds)::double precision AS beds, sum(f.doctors)::double precision AS doctors
	  FROM (SELECT DISTINCT pop.year FROM pop) AS y CROSS JOIN @m@.facility AS f
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
COMMENT ON VIEW @m@.equity_year IS 'per year: population-weighted Gini, Theil T (between and within counties; T because a unit without beds or doctors makes Theil L infinite) and Lorenz curves (float8[k+1][2]) of beds and doctors per 1,000 over the units; hospitals without a unit of their own shared over their county''s units by population';
$ddl$;

	EXECUTE replace(ddl, '@m@', quote_ident(schema));

	-- Every view column carries a comment, for \d+ and BI tools: the view's
	-- own entry first ('*' entries describe a column wherever it appears).
	FOR rel, col, txt IN
		WITH column_doc (rel, col, txt) AS (
			VALUES
				('*', 'county', 'county (区县) the row is about'),
				('*', 'county_name', 'name of the county (区县名称) from health_share.division'),
				('*', 'year', 'calendar year'),
				('*', 'month', 'first day of the calendar month'),
				('*', 'visits', 'visits by residents of the county (就诊人次), small counts suppressed'),
				('*', 'served_visits', 'visits served by the countys facilities, whoever the patient (服务人次)'),
				('*', 'inpatient_visits', 'inpatient admissions of the countys residents (住院人次)'),
				('*', 'in_county_rate', '县域内就诊率: share of residents visits at facilities in their own county; NULL when suppressed'),
				('*', 'in_county_ci_lower', 'lower bound of the 95 % Wilson interval of the in-county visit rate'),
				('*', 'in_county_ci_upper', 'upper bound of the 95 % Wilson interval of the in-county visit rate'),
				('*', 'in_county_outpatient_rate', '县域内门诊就诊率: in-county share of outpatient visits'),
				('*', 'in_county_inpatient_rate', '县域内住院率: in-county share of inpatient admissions'),
				('*', 'grassroots_share', '基层诊疗量占比: share of visits served by village and primary facilities (by facility county)'),
				('*', 'fund_in_county_share', '县域内医保基金支出占比: share of insurance-fund payments spent at facilities in the county'),
				('*', 'referrals_up', '上转人次: referrals to a higher care level'),
				('*', 'referrals_down', '下转人次: referrals to a lower care level'),
				('*', 'referrals_lateral', 'referrals between facilities of the same care level'),
				('*', 'down_up_ratio', '下转/上转: downward over upward referrals; NULL without upward referrals'),
				('*', 'referrals_down_growth', 'growth of downward referrals over the previous year (target >= 10 %)'),
				('*', 'remote_consultations', '远程会诊: remote consultations'),
				('*', 'population', 'resident population (常住人口) of the rows units'),
				('*', 'elderly', 'residents aged 65 or more'),
				('*', 'signing_rate', '家庭医生签约率: share of residents with a family-doctor contract'),
				('*', 'signing_rate_elderly', 'family-doctor signing rate of the elderly (重点人群)'),
				('*', 'signing_rate_chronic', 'family-doctor signing rate of chronic patients (重点人群)'),
				('*', 'hypertension_management_rate', '高血压患者管理率: hypertension patients under management over registered or estimated patients'),
				('*', 'hypertension_standard_rate', '高血压患者规范管理率: hypertension patients under standardised management over those managed'),
				('*', 'diabetes_management_rate', '糖尿病患者管理率: diabetes patients under management over registered or estimated patients'),
				('*', 'diabetes_standard_rate', '糖尿病患者规范管理率: diabetes patients under standardised management over those managed'),
				('*', 'residents', 'visits by the countys residents anywhere (row total of the flow matrix)'),
				('*', 'served', 'visits served by the countys facilities (column total of the flow matrix)'),
				('*', 'retained', 'visits by the countys residents in the county (diagonal of the flow matrix)'),
				('*', 'li', 'localization index (LOFI) = retained / residents; equals the in-county visit rate'),
				('*', 'lifo', 'LIFO = retained / served: share of the countys facilities visits that are its own residents'),
				('*', 'npf', 'net patient flow ratio = served / residents; above 1 the county treats more patients than it sends out'),
				('*', 'residence_county', 'county of residence of the patients (flow origin)'),
				('*', 'residence_county_name', 'name of the county of residence'),
				('*', 'facility_county', 'county of the treating facility (flow destination)'),
				('*', 'facility_county_name', 'name of the facilitys county'),
				('*', 'in_county', 'true when the flow stays inside the county of residence'),
				('county_year_flow_links', 'visits', 'visits of this origin-destination cell in the year, small counts suppressed'),
				('county_year_flow_links_mat', 'visits', 'visits of this origin-destination cell in the year, small counts suppressed'),
				('*', 'grid_id', 'grid (网格) identifier'),
				('*', 'grid_name', 'grid name'),
				('*', 'consortium_id', 'consortium (医共体 / 城市医疗集团) identifier'),
				('*', 'consortium_name', 'consortium name'),
				('*', 'consortium_kind', 'county medical community (医共体) or city medical group (城市医疗集团)'),
				('*', 'lead_facility_id', 'lead hospital of the grid'),
				('*', 'lead_facility_name', 'name of the lead hospital'),
				('*', 'lead_care_level', 'care level of the lead hospital'),
				('*', 'community_hospitals', 'primary facilities (community hospitals, township health centres) of the grid'),
				('*', 'facilities', 'facilities of the grid'),
				('*', 'units', 'units (townships / communities) counted'),
				('*', 'beds', 'hospital beds'),
				('*', 'doctors', 'doctors (执业(助理)医师)'),
				('*', 'beds_per_1000', 'beds per 1,000 residents'),
				('*', 'doctors_per_1000', 'doctors per 1,000 residents'),
				('*', 'assigned_population', 'population of units assigned to a grid'),
				('*', 'completeness', '网格覆盖率: assigned population / population (must be 100 %)'),
				('*', 'unassigned_units', 'number of units in no grid'),
				('*', 'unassigned_unit_names', 'names of the units in no grid'),
				('*', 'primary_care_15min', '15分钟健康服务圈: share of residents within the configured distance of a village or primary facility'),
				('*', 'fca_doctors_per_1000', '2SFCA spatial access to doctors per 1,000 residents (population-weighted mean)'),
				('*', 'unit', 'unit (township / community) code'),
				('*', 'unit_name', 'unit name'),
				('*', 'lon', 'longitude of the units representative point (WGS84 degrees)'),
				('*', 'lat', 'latitude of the units representative point (WGS84 degrees)'),
				('*', 'nearest_primary_id', 'nearest village or primary facility'),
				('*', 'nearest_primary_m', 'distance to it in metres'),
				('*', 'within_15min', 'true when the nearest primary facility is within the 15-minute distance'),
				('*', 'gini_beds', '基尼系数: population-weighted Gini of beds per 1,000 over units'),
				('*', 'gini_doctors', '基尼系数: population-weighted Gini of doctors per 1,000 over units'),
				('*', 'theil_beds', '泰尔指数: population-weighted Theil T of beds per 1,000 over units'),
				('*', 'theil_beds_between', 'between-county part of theil_beds'),
				('*', 'theil_beds_within', 'within-county part of theil_beds'),
				('*', 'theil_doctors', '泰尔指数: population-weighted Theil T of doctors per 1,000 over units'),
				('*', 'theil_doctors_between', 'between-county part of theil_doctors'),
				('*', 'theil_doctors_within', 'within-county part of theil_doctors'),
				('*', 'lorenz_beds', 'Lorenz curve of beds: float8[k+1][2] of (cumulative population share, cumulative bed share)'),
				('*', 'lorenz_doctors', 'Lorenz curve of doctors: float8[k+1][2] of (cumulative population share, cumulative doctor share)')
		)
		SELECT c.relname, a.attname, coalesce(own.txt, anyv.txt)
		  FROM pg_catalog.pg_class AS c
		  JOIN pg_catalog.pg_attribute AS a ON a.attrelid OPERATOR(pg_catalog.=) c.oid
		   AND a.attnum OPERATOR(pg_catalog.>) 0 AND NOT a.attisdropped
		  LEFT JOIN column_doc AS own ON own.rel OPERATOR(pg_catalog.=) c.relname::text
		   AND own.col OPERATOR(pg_catalog.=) a.attname::text
		  LEFT JOIN column_doc AS anyv ON anyv.rel OPERATOR(pg_catalog.=) '*'
		   AND anyv.col OPERATOR(pg_catalog.=) a.attname::text
		 WHERE c.relnamespace OPERATOR(pg_catalog.=) pg_catalog.to_regnamespace(pg_catalog.quote_ident(schema))
		   AND c.relkind OPERATOR(pg_catalog.=) ANY (ARRAY['v', 'm']::"char"[])
		   AND pg_catalog.col_description(c.oid, a.attnum) IS NULL
		   AND coalesce(own.txt, anyv.txt) IS NOT NULL
	LOOP
		EXECUTE format('COMMENT ON COLUMN %I.%I.%I IS %L', schema, rel, col, txt);
	END LOOP;
END
$fn$;
COMMENT ON FUNCTION @extschema@.install_model(text) IS
	'creates the consortium warehouse model (tables, triggers, views) in the given schema; all or nothing';

-------------------------------------------------------------------------------
-- refresh_model(schema, months, full)
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.refresh_model(schema text, months date[] DEFAULT NULL, all_months boolean DEFAULT false)
	RETURNS integer LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS
$fn$
DECLARE
	m date[];
	cols text := 'county, month, visits, outpatient_visits, inpatient_visits, served_visits, in_county, '
		'in_county_outpatient, in_county_inpatient, fund_in_county, grassroots, referrals_up, '
		'referrals_down, referrals_lateral, remote_consultations, flows';
	n integer;
BEGIN
	IF schema IS NULL THEN
		RAISE EXCEPTION 'refresh_model: the schema name must not be NULL' USING ERRCODE = 'null_value_not_allowed';
	END IF;
	IF to_regclass(format('%I.county_month_state', schema)) IS NULL
	   OR to_regclass(format('%I.dirty_month', schema)) IS NULL THEN
		RAISE EXCEPTION 'refresh_model: schema "%" has no health_share model', schema
			USING ERRCODE = 'undefined_table', HINT = 'Create it with health_share.install_model.';
	END IF;
	IF NOT EXISTS (SELECT FROM pg_attribute WHERE attrelid = format('%I.county_month_state', schema)::regclass
				   AND attname = 'flows' AND NOT attisdropped) THEN
		RAISE EXCEPTION 'refresh_model: the model in schema "%" was created by an older health_share (no county_month_state.flows)', schema
			USING ERRCODE = 'object_not_in_prerequisite_state',
				  HINT = 'Install the model anew with health_share.install_model into a new schema and load the facts there.';
	END IF;
	-- One refresh at a time; readers go on reading the old states.
	EXECUTE format('LOCK TABLE %I.county_month_state IN SHARE ROW EXCLUSIVE MODE', schema);
	IF all_months THEN
		EXECUTE format('DELETE FROM %I.dirty_month', schema);
		EXECUTE format('DELETE FROM %I.county_month_state', schema);
		EXECUTE format('INSERT INTO %I.county_month_state (%s) SELECT %s FROM %I.county_month_compute(NULL)',
					   schema, cols, cols, schema);
		EXECUTE format('SELECT count(DISTINCT month) FROM %I.county_month_state', schema) INTO n;
		RETURN n;
	END IF;
	-- Take the dirty months first: a change committed while we compute marks
	-- its month again, so it is never lost.
	IF months IS NULL THEN
		EXECUTE format('WITH d AS (DELETE FROM %I.dirty_month RETURNING month) SELECT array_agg(DISTINCT month ORDER BY month) FROM d', schema)
			INTO m;
	ELSE
		SELECT array_agg(DISTINCT date_trunc('month', x)::date ORDER BY date_trunc('month', x)::date) INTO m
		  FROM unnest(months) AS x WHERE x IS NOT NULL;
		EXECUTE format('DELETE FROM %I.dirty_month WHERE month = ANY ($1)', schema) USING m;
	END IF;
	IF m IS NULL THEN
		RETURN 0;
	END IF;
	EXECUTE format('DELETE FROM %I.county_month_state WHERE month = ANY ($1)', schema) USING m;
	EXECUTE format('INSERT INTO %I.county_month_state (%s) SELECT %s FROM %I.county_month_compute($1)',
				   schema, cols, cols, schema) USING m;
	RETURN cardinality(m);
END
$fn$;
COMMENT ON FUNCTION @extschema@.refresh_model(text, date[], boolean) IS
	'recomputes the county x month states of the months that changed (or of the given months, or of all with all_months => true); returns the number of months recomputed';
