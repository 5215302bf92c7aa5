
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
	family		text NOT NULL CHECK (family IN ('access', 'primary_care', 'referral', 'flow', 'population_health', 'grid', 'spatial', 'equity', 'resources', 'finance', 'capacity')),
	numerator	text NOT NULL,
	denominator	text,
	unit		text NOT NULL CHECK (unit IN ('share', 'ratio', 'count', 'growth', 'per_1000', 'index', 'per_10000', 'yuan', 'days', 'minutes')),
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
COMMENT ON COLUMN @extschema@.indicator.family IS 'group: access, primary_care, referral, flow, population_health, grid, spatial, equity, resources, finance, capacity';
COMMENT ON COLUMN @extschema@.indicator.numerator IS 'numerator in words (for counts and indices: what is counted or computed)';
COMMENT ON COLUMN @extschema@.indicator.denominator IS 'denominator in words; NULL for counts and indices';
COMMENT ON COLUMN @extschema@.indicator.unit IS 'share (0..1), ratio, count, growth (relative change per year), per_1000, per_10000, index, yuan, days or minutes';
COMMENT ON COLUMN @extschema@.indicator.direction IS 'higher or lower is better, or neutral';
COMMENT ON COLUMN @extschema@.indicator.target IS 'national target value in the indicator''s unit, NULL when there is none';
COMMENT ON COLUMN @extschema@.indicator.target_op IS 'how the value meets the target: >= or <=';
COMMENT ON COLUMN @extschema@.indicator.target_source IS 'where the target comes from';
COMMENT ON COLUMN @extschema@.indicator.view_name IS 'the model view (in the schema given to install_model) whose column carries the indicator; NULL while no view carries it yet; a user row''s must be a view of an installed model that has view_column';
COMMENT ON COLUMN @extschema@.indicator.view_column IS 'the column of view_name';
COMMENT ON COLUMN @extschema@.indicator.builtin IS 'true for the rows the extension ships (only its install and update scripts may set it); rows users add (builtin = false) are kept by pg_dump';

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
-- The trigger function of the models installed by health_share 1.0 and 1.1
-- (their fact tables still call it; models installed since 1.2 have triggers
-- of their own, extension/model/facts.sql).
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
	'statement trigger of the fact tables of models installed by health_share 1.0 and 1.1: records changed months in the model''s dirty_month table';

