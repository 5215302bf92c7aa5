-- The data of the HTML report (psql -At -v schema=...): one line per entry,
-- "<key>|<JSON>"; report.py reads them into one object, and the charts and
-- tables of report/charts.js read its keys.  Adding a chart is adding one
-- query here (a new key) and one entry in report/charts.js that reads it
-- (docs/development.md, "The demo report").
--
-- Everything comes from the model's published layer <schema>_pub
-- (docs/publishing.md: counts rounded to multiples of min_cell, ratios to
-- 0.001; plain SQL types, so codes are text) and the extension's functions:
-- flows from the rounded visit cells (flow_agg, flow_to_json: its JSON is
-- the sankey's data as it is), coverage from unit_access (coverage), the
-- Lorenz curves from equity_lorenz.
\set QUIET 1
SET client_min_messages = warning;
SELECT set_config('search_path', quote_ident(:'schema' || '_pub') || ', health_share, public', false) \g /dev/null
-- the report's year: the last with published county rows
SELECT max(year) AS year FROM county_year \gset

SELECT 'meta', jsonb_build_object('year', :year,
	'visits', (SELECT sum(c.visits) FROM visit_cells AS c),
	'referrals', (SELECT sum(r.referrals) FROM referral_cells AS r),
	'facilities', (SELECT count(*) FROM facilities), 'units', (SELECT count(DISTINCT a.unit) FROM unit_access AS a),
	'rounding_base', p.rounding_base, 'radius_m', p.primary_care_radius_m, 'catchment_m', p.fca_catchment_m,
	'decay', p.fca_decay,
	-- share of the residents within the 15-minute circle of a village or primary facility
	'coverage', (SELECT rate_value(coverage(f.fs, a.lon, a.lat, a.population, p.primary_care_radius_m))
				   FROM unit_access AS a,
						(SELECT facility_set(f.id, f.lon, f.lat) AS fs FROM facilities AS f
						  WHERE f.care_level IN ('village', 'primary')) AS f
				  WHERE a.year = :year))
  FROM publication AS p;

SELECT 'indicators', jsonb_object_agg(code, jsonb_build_object('name_zh', name_zh, 'name_en', name_en,
	'target', target, 'op', target_op, 'unit', unit, 'source', target_source))
  FROM indicator;

SELECT 'counties', jsonb_agg(jsonb_build_object('code', c.county, 'name', c.county_name, 'year', c.year,
	'visits', c.visits, 'in_county_rate', c.in_county_rate, 'ci_lower', c.in_county_ci_lower,
	'ci_upper', c.in_county_ci_upper, 'in_county_inpatient_rate', c.in_county_inpatient_rate,
	'grassroots_share', c.grassroots_share, 'fund_in_county_share', c.fund_in_county_share,
	'referrals_up', c.referrals_up, 'referrals_down', c.referrals_down, 'down_up_ratio', c.down_up_ratio,
	'referrals_down_growth', c.referrals_down_growth, 'remote_consultations', c.remote_consultations,
	'signing_rate', p.signing_rate, 'hypertension_standard_rate', p.hypertension_standard_rate,
	'diabetes_standard_rate', p.diabetes_standard_rate, 'grid_completeness', g.completeness,
	'rate_change', c.in_county_rate_change, 'change_lower', c.in_county_rate_change_lower,
	'change_upper', c.in_county_rate_change_upper, 'change_p', c.in_county_rate_change_p,
	-- the months the year (and the year before, for the change) is made of
	'months_covered', c.months_covered, 'months_covered_before', b.months_covered)
	ORDER BY c.county)
  FROM county_year AS c
  LEFT JOIN county_year AS b ON b.county = c.county AND b.year = c.year - 1
  LEFT JOIN county_year_population AS p ON p.county = c.county AND p.year = c.year
  LEFT JOIN grid_assignment AS g ON g.county = c.county AND g.year = c.year
 WHERE c.year = :year AND c.in_area;

SELECT 'monthly', jsonb_agg(jsonb_build_object('code', county, 'name', county_name, 'month', month,
	'rate', in_county_rate) ORDER BY county, month)
  FROM county_month WHERE in_area AND visits > 0;

-- the year's whole flowmatrix (the months' cells summed), as ECharts' sankey data
SELECT 'flows', flow_to_json(flow_agg(c.residence_county::bigint, c.facility_county::bigint, c.visits))
  FROM visit_cells AS c WHERE extract(year FROM c.month) = :year;

SELECT 'regions', jsonb_agg(jsonb_build_object('code', f.county, 'name', f.county_name, 'residents', f.residents,
	'served', f.served, 'retained', f.retained, 'li', f.li, 'lifo', f.lifo, 'npf', f.npf) ORDER BY f.county)
  FROM county_year_flows AS f WHERE f.year = :year;

SELECT 'referral_levels', jsonb_agg(jsonb_build_object('from', x.from_level, 'to', x.to_level, 'n', x.n)
	ORDER BY x.from_level, x.to_level)
  FROM (SELECT r.from_level, r.to_level, sum(r.referrals) AS n FROM referral_cells AS r
		 WHERE r.kind = 'referral' AND extract(year FROM r.month) = :year GROUP BY 1, 2) AS x;

SELECT 'units', jsonb_agg(jsonb_build_object('code', a.unit, 'name', a.unit_name, 'lon', a.lon, 'lat', a.lat,
	'grid', a.grid_id, 'population', a.population, 'nearest_primary_km', a.nearest_primary_m / 1000,
	'within', a.within_15min, 'fca', a.fca_doctors_per_1000) ORDER BY a.unit)
  FROM unit_access AS a WHERE a.year = :year;

-- The planning results (docs/planning.md), as refresh_model last computed
-- them for the latest population year: every unit's loaded and proposed lead
-- hospital, the lead hospitals' summary and the next primary sites.
SELECT 'planning_units', jsonb_agg(jsonb_build_object('code', p.unit, 'name', p.unit_name, 'lon', p.lon, 'lat', p.lat,
	'population', p.population, 'lead_now', p.current_lead_id, 'lead_proposed', p.proposed_lead_id,
	'km_now', p.current_m / 1000, 'km_proposed', p.proposed_m / 1000, 'moves', p.moves) ORDER BY p.unit)
  FROM grid_proposal_units AS p;

SELECT 'grid_proposal', jsonb_agg(to_jsonb(g) ORDER BY g.lead_facility_id) FROM grid_proposal AS g;

SELECT 'next_sites', jsonb_agg(to_jsonb(s) ORDER BY s.rank) FROM next_primary_sites AS s;

SELECT 'access', jsonb_agg(jsonb_build_object('code', g.county, 'name', g.county_name,
	'completeness', g.completeness, 'coverage', g.primary_care_15min, 'fca', g.fca_doctors_per_1000) ORDER BY g.county)
  FROM grid_assignment AS g WHERE g.year = :year;

-- the facilities of 湖州 (city 330500)
SELECT 'facilities', jsonb_agg(jsonb_build_object('id', id, 'name', name, 'level', care_level, 'lon', lon, 'lat', lat,
	'grid', grid_id, 'beds', beds, 'doctors', doctors) ORDER BY id)
  FROM facilities WHERE adcode_city(CAST(county AS adcode)) = '330500';

-- the funnel plot of the year: the counties, and the limits drawn for 40
-- denominators from a fifth of the smallest to twice the largest
SELECT 'funnel', jsonb_build_object(
	'target', min(f.target), 'phi', min(f.phi),
	'points', jsonb_agg(jsonb_build_object('code', f.county, 'name', f.county_name, 'visits', f.visits,
						'rate', f.in_county_rate, 'position', f.position) ORDER BY f.county),
	'curve', (SELECT jsonb_agg(jsonb_build_object('n', c.n, 'lower_95', l95.lower, 'upper_95', l95.upper,
									'lower_998', l998.lower, 'upper_998', l998.upper) ORDER BY c.n)
				FROM (SELECT DISTINCT round(exp(ln(greatest(1, min(g.visits) / 5.0))
							 + k * (ln(2.0 * max(g.visits)) - ln(greatest(1, min(g.visits) / 5.0))) / 39))::bigint AS n
						FROM county_year_funnel AS g, generate_series(0, 39) AS k
					   WHERE g.year = :year GROUP BY k) AS c,
					 funnel_limits(min(f.target), c.n, 0.95) AS l95, funnel_limits(min(f.target), c.n, 0.998) AS l998))
  FROM county_year_funnel AS f WHERE f.year = :year;

SELECT 'grids', jsonb_agg(to_jsonb(g) ORDER BY grid_id) FROM grid_summary AS g;

SELECT 'equity', to_jsonb(e) FROM equity_year AS e WHERE e.year = :year;

-- the Lorenz curves: per resource, the points [population share, resource share]
SELECT 'lorenz', jsonb_object_agg(l.resource, l.points)
  FROM (SELECT resource, jsonb_agg(jsonb_build_array(population_share, resource_share) ORDER BY point) AS points
		  FROM equity_lorenz WHERE year = :year GROUP BY resource) AS l;

-- Resources sent down and remote services (docs/model.md, "Resources, remote
-- services, cost and capacity"): the counties of the year; slots, downward
-- referrals and capacity of the facilities and referrals of the consortia in
-- the year and the year before; remote services of the year.
SELECT 'resources', jsonb_agg(to_jsonb(r) ORDER BY r.county)
  FROM county_year_resources AS r WHERE r.year = :year AND r.in_area;

SELECT 'slots', jsonb_agg(jsonb_build_object('id', f.facility_id, 'name', f.facility_name, 'year', f.year,
	'offered', f.slots_offered, 'opened', f.slots_opened, 'used', f.slots_used,
	'opened_share', f.slots_opened_share, 'use_rate', f.slots_use_rate) ORDER BY f.facility_id, f.year)
  FROM facility_year AS f WHERE f.slots_offered IS NOT NULL AND f.year BETWEEN :year - 1 AND :year;

-- the county and city hospitals of 湖州 (city 330500)
SELECT 'hospitals', jsonb_agg(jsonb_build_object('id', f.facility_id, 'name', f.facility_name, 'level', f.care_level,
	'county', f.county, 'year', f.year, 'referrals_down_sent', f.referrals_down_sent,
	'bed_occupancy', f.bed_occupancy, 'average_length_of_stay', f.average_length_of_stay,
	'grade34_surgery_share', f.grade34_surgery_share, 'cost_per_admission', f.cost_per_admission)
	ORDER BY f.facility_id, f.year)
  FROM facility_year AS f
 WHERE f.care_level IN ('secondary', 'tertiary') AND adcode_city(CAST(f.county AS adcode)) = '330500'
   AND f.year BETWEEN :year - 1 AND :year;

SELECT 'consortium_referrals', jsonb_agg(to_jsonb(c) ORDER BY c.consortium_id, c.year)
  FROM consortium_year_referrals AS c WHERE c.year BETWEEN :year - 1 AND :year;

SELECT 'remote', jsonb_agg(to_jsonb(s) ORDER BY s.county, s.service_type)
  FROM remote_service_year AS s WHERE s.year = :year;

-- The data-quality checks (docs/model.md, "Data quality"): one row per
-- check, its problems and the rows they concern (visits and referrals
-- rounded), as of the last refresh; no codes or ids.
SELECT 'quality', jsonb_agg(jsonb_build_object('check', q.check_name, 'about', q.about, 'problems', q.problems,
	'rows', q.rows, 'rounded', q.rows_rounded) ORDER BY q.position)
  FROM data_quality AS q;
