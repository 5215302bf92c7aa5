-- The data of the HTML report, as one JSON document (psql -At -v schema=...).
-- Everything comes from the model's views and the extension's functions:
-- flows from the stored flowmatrix states (sum, flow_to_json), coverage and
-- 2SFCA from unit_access / grid_assignment (coverage, fca_demand / fca_access),
-- the Lorenz curves and indices from equity_year (lorenz, gini, theil_decompose).
\set QUIET 1
SET client_min_messages = warning;
SELECT set_config('search_path', :'schema' || ', health_share, public', false) \g /dev/null
WITH yr AS (SELECT max(year) AS y FROM county_year_mat),
ind AS (SELECT jsonb_object_agg(code, jsonb_build_object('name_zh', name_zh, 'name_en', name_en,
			'target', target, 'op', target_op, 'unit', unit, 'source', target_source)) AS j FROM indicator),
counties AS (
	SELECT jsonb_agg(jsonb_build_object('code', c.county::text, 'name', c.county_name, 'year', c.year,
		'visits', c.visits, 'in_county_rate', c.in_county_rate, 'ci_lower', c.in_county_ci_lower,
		'ci_upper', c.in_county_ci_upper, 'in_county_inpatient_rate', c.in_county_inpatient_rate,
		'grassroots_share', c.grassroots_share, 'fund_in_county_share', c.fund_in_county_share,
		'referrals_up', c.referrals_up, 'referrals_down', c.referrals_down, 'down_up_ratio', c.down_up_ratio,
		'referrals_down_growth', c.referrals_down_growth, 'remote_consultations', c.remote_consultations,
		'signing_rate', p.signing_rate, 'hypertension_standard_rate', p.hypertension_standard_rate,
		'diabetes_standard_rate', p.diabetes_standard_rate, 'grid_completeness', g.completeness)
		ORDER BY c.county) AS j
	  FROM yr, county_year_mat AS c
	  LEFT JOIN county_year_population AS p ON p.county = c.county AND p.year = c.year
	  LEFT JOIN grid_assignment AS g ON g.county = c.county AND g.year = c.year
	 WHERE c.year = yr.y AND c.in_area),
monthly AS (
	SELECT jsonb_agg(jsonb_build_object('code', county::text, 'month', month, 'rate', in_county_rate)
		ORDER BY county, month) AS j
	  FROM county_month_mat WHERE in_area AND visits > 0),
-- the year's whole flowmatrix: the months' states summed
flows AS (
	SELECT flow_to_json(sum(s.flows)) AS j
	  FROM county_month_state AS s, yr WHERE extract(year FROM s.month) = yr.y),
regions AS (
	SELECT jsonb_agg(jsonb_build_object('code', f.county::text, 'name', f.county_name, 'residents', f.residents,
		'served', f.served, 'retained', f.retained, 'li', f.li, 'lifo', f.lifo, 'npf', f.npf) ORDER BY f.county) AS j
	  FROM county_year_flows_mat AS f, yr WHERE f.year = yr.y),
referral_levels AS (
	SELECT jsonb_agg(jsonb_build_object('from', a.care_level, 'to', b.care_level, 'n', n) ORDER BY a.care_level, b.care_level) AS j
	  FROM (SELECT r.from_facility_id, r.to_facility_id, count(*) AS n FROM referral AS r, yr
			 WHERE r.kind = 'referral' AND extract(year FROM r.referral_date) = yr.y GROUP BY 1, 2) AS x
	  JOIN facility AS a ON a.id = x.from_facility_id JOIN facility AS b ON b.id = x.to_facility_id),
units AS (
	SELECT jsonb_agg(jsonb_build_object('code', a.unit::text, 'name', a.unit_name, 'lon', a.lon, 'lat', a.lat,
		'grid', a.grid_id, 'population', a.population, 'nearest_primary_km', a.nearest_primary_m / 1000,
		'within', a.within_15min, 'fca', a.fca_doctors_per_1000) ORDER BY a.unit) AS j
	  FROM unit_access AS a, yr WHERE a.year = yr.y),
access AS (
	SELECT jsonb_build_object('radius_m', c.primary_care_radius_m, 'catchment_m', c.fca_catchment_m, 'decay', c.fca_decay,
		'coverage', (SELECT rate_value(coverage(p.fs, a.lon, a.lat, a.population, c.primary_care_radius_m))
					   FROM unit_access AS a, yr,
							(SELECT facility_set(f.id, f.lon, f.lat) AS fs FROM facility AS f WHERE f.care_level <= 'primary') AS p
					  WHERE a.year = yr.y),
		'counties', (SELECT jsonb_agg(jsonb_build_object('code', g.county::text, 'name', g.county_name,
						'completeness', g.completeness, 'coverage', g.primary_care_15min, 'fca', g.fca_doctors_per_1000)
						ORDER BY g.county) FROM grid_assignment AS g, yr WHERE g.year = yr.y)) AS j
	  FROM model_config AS c),
facilities AS (
	SELECT jsonb_agg(jsonb_build_object('id', id, 'name', name, 'level', care_level, 'lon', lon, 'lat', lat,
		'grid', grid_id, 'beds', beds, 'doctors', doctors) ORDER BY id) AS j
	  FROM facility WHERE adcode_city(county) = '330500'),
grids AS (SELECT jsonb_agg(to_jsonb(g) ORDER BY grid_id) AS j FROM grid_summary AS g),
equity AS (SELECT to_jsonb(e) AS j FROM equity_year AS e, yr WHERE e.year = yr.y)
SELECT jsonb_build_object('year', yr.y, 'indicators', ind.j, 'counties', counties.j, 'monthly', monthly.j,
	'flows', flows.j, 'regions', regions.j, 'referral_levels', referral_levels.j, 'units', units.j,
	'access', access.j, 'facilities', facilities.j, 'grids', grids.j, 'equity', equity.j,
	'totals', (SELECT jsonb_build_object('visits', (SELECT count(*) FROM visit), 'referrals', (SELECT count(*) FROM referral),
		'facilities', (SELECT count(*) FROM facility), 'units', (SELECT count(*) FROM unit))))
  FROM yr, ind, counties, monthly, flows, regions, referral_levels, units, access, facilities, grids
  LEFT JOIN equity ON true;
