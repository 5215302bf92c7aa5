
-------------------------------------------------------------------------------
-- model, added in 1.2: count_public of sums.  sum(bigint) is numeric, so
-- count_public(sum(visits)) needs this overload (the bigint one stays for
-- stored counts).
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.count_public(n numeric,
		min_cell integer DEFAULT coalesce(current_setting('health_share.min_cell', true), '5')::integer)
	RETURNS numeric LANGUAGE sql STABLE STRICT PARALLEL SAFE
	RETURN CASE WHEN n OPERATOR(pg_catalog.>) 0 AND n OPERATOR(pg_catalog.<) min_cell THEN NULL ELSE n END;
COMMENT ON FUNCTION @extschema@.count_public(numeric, integer) IS
	'the sum, or NULL when it is above 0 and below min_cell (default: setting health_share.min_cell); for count_public(sum(...)), as sum(bigint) is numeric';

-- The indicators of the units and periods added in 1.2 (docs/model.md,
-- "Units and periods").
INSERT INTO @extschema@.indicator
	(code, name_zh, name_en, family, numerator, denominator, unit, direction, target, target_op, target_source, view_name, view_column, builtin)
VALUES
('in_city_visit_rate', '市域内就诊率', 'in-city visit rate', 'access',
 'visits (outpatient and inpatient) of the city''s residents at facilities in the city',
 'visits of the city''s residents', 'share', 'higher',
 NULL, NULL, NULL, 'city_year', 'in_city_rate', true),
('in_consortium_visit_rate', '医联体区域内就诊率', 'in-consortium visit rate', 'access',
 'visits of the residents of the consortium''s area at facilities in the area',
 'visits of the residents of the consortium''s area', 'share', 'higher',
 NULL, NULL, NULL, 'consortium_year', 'in_consortium_rate', true),
('referrals_within_grid', '网格内转诊人次', 'referrals within the grid', 'referral',
 'referrals from a facility of the grid to another facility of the grid', NULL, 'count', 'higher',
 NULL, NULL, NULL, 'grid_year', 'referrals_within_grid', true);
