-- The data of the HTML report, as one JSON document (psql -At -v schema=...).
-- Sections marked "plain SQL" compute in SQL what the flow, spatial and
-- equity functions of health_share will compute once they are in this
-- branch: flowmatrix / flow_regions, coverage / fca_*, gini / lorenz.
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
	 WHERE c.year = yr.y AND adcode_city(c.county) = '330500'),
monthly AS (
	SELECT jsonb_agg(jsonb_build_object('code', county::text, 'month', month, 'rate', in_county_rate)
		ORDER BY county, month) AS j
	  FROM county_month_mat WHERE adcode_city(county) = '330500' AND visits > 0),
-- plain SQL (phase 2: flow_agg / flow_entries): residence county -> facility county
flows AS (
	SELECT jsonb_agg(jsonb_build_object('from', adcode_name(o), 'to', adcode_name(d), 'n', n) ORDER BY o, d) AS j
	  FROM (SELECT adcode_county(v.residence) AS o, f.county AS d, count(*) AS n
			  FROM visit AS v JOIN facility AS f ON f.id = v.facility_id, yr
			 WHERE extract(year FROM v.visit_date) = yr.y GROUP BY 1, 2) AS x),
referral_levels AS (
	SELECT jsonb_agg(jsonb_build_object('from', a.care_level, 'to', b.care_level, 'n', n) ORDER BY a.care_level, b.care_level) AS j
	  FROM (SELECT r.from_facility_id, r.to_facility_id, count(*) AS n FROM referral AS r, yr
			 WHERE r.kind = 'referral' AND extract(year FROM r.referral_date) = yr.y GROUP BY 1, 2) AS x
	  JOIN facility AS a ON a.id = x.from_facility_id JOIN facility AS b ON b.id = x.to_facility_id),
units AS (
	SELECT jsonb_agg(jsonb_build_object('code', u.code::text, 'name', u.name, 'lon', u.lon, 'lat', u.lat,
		'grid', m.grid_id, 'population', p.population, 'nearest_primary_km', np.km) ORDER BY u.code) AS j
	  FROM yr, unit AS u JOIN population AS p ON p.unit = u.code
	  LEFT JOIN grid_member AS m ON m.unit = u.code
	  -- plain SQL (phase 2: nearest_facility / coverage on a facility_set)
	  LEFT JOIN LATERAL (SELECT min(2 * 6371.0088 * asin(sqrt(sin(radians(f.lat - u.lat) / 2) ^ 2
					+ cos(radians(u.lat)) * cos(radians(f.lat)) * sin(radians(f.lon - u.lon) / 2) ^ 2))) AS km
				  FROM facility AS f WHERE f.care_level IN ('village', 'primary')) AS np ON true
	 WHERE p.year = yr.y AND p.residence_def = (SELECT residence_def FROM model_config)),
facilities AS (
	SELECT jsonb_agg(jsonb_build_object('id', id, 'name', name, 'level', care_level, 'lon', lon, 'lat', lat,
		'grid', grid_id, 'beds', beds, 'doctors', doctors) ORDER BY id) AS j
	  FROM facility WHERE adcode_city(county) = '330500'),
grids AS (SELECT jsonb_agg(to_jsonb(g) ORDER BY grid_id) AS j FROM grid_summary AS g),
-- plain SQL (phase 2: lorenz / gini): doctors per 1,000 residents by township,
-- doctors of county and city hospitals counted in their county's townships by population
equity AS (
	SELECT jsonb_agg(jsonb_build_object('unit', name, 'population', population, 'doctors', doctors)
		ORDER BY doctors / population) AS j
	  FROM (SELECT u.name, p.population::float8 AS population,
				   (SELECT coalesce(sum(f.doctors), 0) FROM facility AS f WHERE f.township = u.code)
				   + p.population::float8 / sum(p.population) OVER (PARTITION BY u.county)
					 * (SELECT coalesce(sum(f.doctors), 0) FROM facility AS f
						 WHERE f.county = u.county AND f.township IS NULL) AS doctors
			  FROM unit AS u JOIN population AS p ON p.unit = u.code, yr
			 WHERE p.year = yr.y AND p.residence_def = (SELECT residence_def FROM model_config)) AS x)
SELECT jsonb_build_object('year', yr.y, 'indicators', ind.j, 'counties', counties.j, 'monthly', monthly.j,
	'flows', flows.j, 'referral_levels', referral_levels.j, 'units', units.j, 'facilities', facilities.j,
	'grids', grids.j, 'equity', equity.j,
	'totals', (SELECT jsonb_build_object('visits', (SELECT count(*) FROM visit), 'referrals', (SELECT count(*) FROM referral),
		'facilities', (SELECT count(*) FROM facility), 'units', (SELECT count(*) FROM unit))))
  FROM yr, ind, counties, monthly, flows, referral_levels, units, facilities, grids, equity;
