-- The data of the HTML report, as one JSON document (psql -At -v schema=...).
-- Everything comes from the model's published layer <schema>_pub
-- (docs/publishing.md: counts rounded to multiples of min_cell, ratios to
-- 0.001) and the extension's functions: flows from the rounded visit cells
-- (flow_agg, flow_to_json), coverage and 2SFCA from unit_access /
-- grid_assignment (coverage, fca_demand / fca_access), the Lorenz curves
-- and indices from equity_year (lorenz, gini, theil_decompose).
\set QUIET 1
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema' || '_pub') || ', health_share, public', false) \g /dev/null
WITH yr AS (SELECT max(year) AS y FROM county_year),
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
		'diabetes_standard_rate', p.diabetes_standard_rate, 'grid_completeness', g.completeness,
		'rate_change', c.in_county_rate_change, 'change_lower', c.in_county_rate_change_lower,
		'change_upper', c.in_county_rate_change_upper, 'change_p', c.in_county_rate_change_p)
		ORDER BY c.county) AS j
	  FROM yr, county_year AS c
	  LEFT JOIN county_year_population AS p ON p.county = c.county AND p.year = c.year
	  LEFT JOIN grid_assignment AS g ON g.county = c.county AND g.year = c.year
	 WHERE c.year = yr.y AND c.in_area),
monthly AS (
	SELECT jsonb_agg(jsonb_build_object('code', county::text, 'month', month, 'rate', in_county_rate)
		ORDER BY county, month) AS j
	  FROM county_month WHERE in_area AND visits > 0),
-- the year's whole flowmatrix: the months' states summed
flows AS (
	SELECT flow_to_json(flow_agg(c.residence_county::bigint, c.facility_county::bigint, c.visits)) AS j
	  FROM visit_cells AS c, yr WHERE extract(year FROM c.month) = yr.y),
regions AS (
	SELECT jsonb_agg(jsonb_build_object('code', f.county::text, 'name', f.county_name, 'residents', f.residents,
		'served', f.served, 'retained', f.retained, 'li', f.li, 'lifo', f.lifo, 'npf', f.npf) ORDER BY f.county) AS j
	  FROM county_year_flows AS f, yr WHERE f.year = yr.y),
referral_levels AS (
	SELECT jsonb_agg(jsonb_build_object('from', x.from_level, 'to', x.to_level, 'n', x.n) ORDER BY x.from_level, x.to_level) AS j
	  FROM (SELECT r.from_level, r.to_level, sum(r.referrals) AS n FROM referral_cells AS r, yr
			 WHERE r.kind = 'referral' AND extract(year FROM r.month) = yr.y GROUP BY 1, 2) AS x),
units AS (
	SELECT jsonb_agg(jsonb_build_object('code', a.unit::text, 'name', a.unit_name, 'lon', a.lon, 'lat', a.lat,
		'grid', a.grid_id, 'population', a.population, 'nearest_primary_km', a.nearest_primary_m / 1000,
		'within', a.within_15min, 'fca', a.fca_doctors_per_1000) ORDER BY a.unit) AS j
	  FROM unit_access AS a, yr WHERE a.year = yr.y),
access AS (
	SELECT jsonb_build_object('radius_m', c.primary_care_radius_m, 'catchment_m', c.fca_catchment_m, 'decay', c.fca_decay,
		'rounding_base', c.rounding_base,
		'coverage', (SELECT rate_value(coverage(p.fs, a.lon, a.lat, a.population, c.primary_care_radius_m))
					   FROM unit_access AS a, yr,
							(SELECT facility_set(f.id, f.lon, f.lat) AS fs FROM facilities AS f WHERE f.care_level <= 'primary') AS p
					  WHERE a.year = yr.y),
		'counties', (SELECT jsonb_agg(jsonb_build_object('code', g.county::text, 'name', g.county_name,
						'completeness', g.completeness, 'coverage', g.primary_care_15min, 'fca', g.fca_doctors_per_1000)
						ORDER BY g.county) FROM grid_assignment AS g, yr WHERE g.year = yr.y)) AS j
	  FROM publication AS c),
sites AS (
	SELECT jsonb_agg(jsonb_build_object('id', id, 'name', name, 'level', care_level, 'lon', lon, 'lat', lat,
		'grid', grid_id, 'beds', beds, 'doctors', doctors) ORDER BY id) AS j
	  FROM facilities WHERE adcode_city(county) = '330500'),
-- the funnel plot of the year: the counties, and the limits drawn for 40
-- denominators from a fifth of the smallest to twice the largest
funnel AS (
	SELECT jsonb_build_object(
		'target', min(f.target), 'phi', min(f.phi),
		'points', jsonb_agg(jsonb_build_object('code', f.county::text, 'name', f.county_name, 'visits', f.visits,
							'rate', f.in_county_rate, 'position', f.position) ORDER BY f.county),
		'curve', (SELECT jsonb_agg(jsonb_build_object('n', c.n, 'lower_95', l95.lower, 'upper_95', l95.upper,
										'lower_998', l998.lower, 'upper_998', l998.upper) ORDER BY c.n)
					FROM (SELECT DISTINCT round(exp(ln(greatest(1, min(g.visits) / 5.0))
								 + k * (ln(2.0 * max(g.visits)) - ln(greatest(1, min(g.visits) / 5.0))) / 39))::bigint AS n
							FROM county_year_funnel AS g, yr, generate_series(0, 39) AS k
						   WHERE g.year = yr.y GROUP BY k) AS c,
						 funnel_limits(min(f.target), c.n, 0.95) AS l95, funnel_limits(min(f.target), c.n, 0.998) AS l998)) AS j
	  FROM county_year_funnel AS f, yr WHERE f.year = yr.y),
grids AS (SELECT jsonb_agg(to_jsonb(g) ORDER BY grid_id) AS j FROM grid_summary AS g),
equity AS (SELECT to_jsonb(e) AS j FROM equity_year AS e, yr WHERE e.year = yr.y)
SELECT jsonb_build_object('year', yr.y, 'indicators', ind.j, 'counties', counties.j, 'monthly', monthly.j,
	'flows', flows.j, 'regions', regions.j, 'referral_levels', referral_levels.j, 'units', units.j,
	'access', access.j, 'facilities', sites.j, 'grids', grids.j, 'equity', equity.j, 'funnel', funnel.j,
	'totals', (SELECT jsonb_build_object('visits', (SELECT sum(c.visits) FROM visit_cells AS c),
		'referrals', (SELECT sum(r.referrals) FROM referral_cells AS r),
		'facilities', (SELECT count(*) FROM facilities), 'units', (SELECT count(DISTINCT a.unit) FROM unit_access AS a))))
  FROM yr, ind, counties, monthly, flows, regions, referral_levels, units, access, sites, grids, funnel
  LEFT JOIN equity ON true;
