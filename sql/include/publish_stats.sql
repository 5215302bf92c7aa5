-- What the published layer of a model costs (docs/publishing.md): psql
-- variable src (the model's schema).  One row: the finest cells (visit and
-- referral cells), how many are protected (1 to min_cell - 1) and how many
-- the rounding changed, their mean absolute perturbation, and the mean
-- absolute difference between published and exact values of county x
-- month and county x year visits and of the in-county rate (percentage
-- points).  The published layer's codes and care levels are text (plain
-- SQL types): the exact side's are cast.
SELECT c.min_cell AS b FROM :"src".model_config AS c \gset
\set pubschema :src _pub
WITH cells AS (
	SELECT t.visits AS n, coalesce(p.visits, 0) AS published
	  FROM :"src".visit_cell AS t
	  LEFT JOIN :"pubschema".visit_cells AS p
		ON (p.month, p.residence_county, p.facility_county, p.kind, p.grassroots, p.facility_id, p.tcm, p.discharged,
			p.grade34)
		 = (t.month, t.residence_county::text, t.facility_county::text, t.kind, t.grassroots, t.facility_id, t.tcm,
			t.discharged, t.grade34)
	UNION ALL
	SELECT t.referrals, coalesce(p.referrals, 0)
	  FROM :"src".referral_cell AS t
	  LEFT JOIN :"pubschema".referral_cells AS p
		ON (p.month, p.county, p.kind, p.from_level, p.to_level, p.from_grid, p.to_grid, p.from_facility_id,
			p.within_consortium)
		 = (t.month, t.county::text, t.kind, t.from_level::text, t.to_level::text, t.from_grid, t.to_grid,
			t.from_facility_id, t.within_consortium)
), months AS (
	SELECT s.visits AS n, coalesce(p.visits, 0) AS published,
		   rate_value(s.in_county) AS rate, p.in_county_rate AS published_rate
	  FROM :"src".county_month_state AS s
	  LEFT JOIN :"pubschema".county_month AS p ON p.county = s.county::text AND p.month = s.month
	 WHERE s.visits > 0
), years AS (
	SELECT y.visits AS n, coalesce(p.visits, 0) AS published, y.rate, p.in_county_rate AS published_rate
	  FROM (SELECT s.county, extract(year FROM s.month)::int AS year, sum(s.visits) AS visits,
				   rate_value(sum(s.in_county)) AS rate
			  FROM :"src".county_month_state AS s GROUP BY 1, 2) AS y
	  LEFT JOIN :"pubschema".county_year AS p ON p.county = y.county::text AND p.year = y.year
	 WHERE y.visits > 0
)
SELECT (SELECT count(*) FROM cells) AS cells,
	   (SELECT count(*) FILTER (WHERE n < :b) FROM cells) AS protected_cells,
	   (SELECT count(*) FILTER (WHERE n <> published) FROM cells) AS perturbed_cells,
	   (SELECT round(avg(abs(n - published)), 2) FROM cells) AS cell_mean_abs,
	   (SELECT round(avg(abs(n - published)), 2) FROM months) AS county_month_visits_mean_abs,
	   (SELECT round(100 * avg(abs(n - published)::numeric / n), 3) FROM months) AS county_month_visits_mean_rel_pct,
	   (SELECT round(avg(abs(n - published)), 2) FROM years) AS county_year_visits_mean_abs,
	   (SELECT round(100 * avg(abs(n - published)::numeric / n), 3) FROM years) AS county_year_visits_mean_rel_pct,
	   (SELECT round(100 * avg(abs(rate - published_rate))::numeric, 3) FROM years) AS county_year_rate_mean_abs_pp;
