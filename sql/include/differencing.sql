-- The differencing attack on a model's published layer (docs/publishing.md).
--
-- psql variables: src (the model's schema: the true values are counted
-- from its facts), pub (the schema of the tables attacked), and the names
-- of the attacked views: cm (county x month), cy (county x year), fl (flow
-- links), fr (flow margins).  Attacking the published layer:
--   \set src huzhou \set pub huzhou_pub \set cm county_month \set cy county_year
--   \set fl county_year_flow_links \set fr county_year_flows
-- Attacking the full views (suppression only, the control: it must find
-- what suppression alone leaves open):
--   \set pub huzhou \set cm county_month_mat ... (the _mat views)
--
-- For every protected cell, a true count from 1 to min_cell - 1 (counted
-- here from the facts, not from the model's states), the attack computes
-- what each published linear relation implies for it:
--   visits, inpatient, outpatient (= visits - inpatient), in-county
--   (= rate x visits), out-of-county visits and referrals by direction of a
--   county x month: as published in the month, and as the year's value
--   minus the other months' (month <-> year);
--   in-county inpatient (= in-county - in-county outpatient, from the
--   rates and their denominators: parts <-> total);
--   a flow link of a year: as published, as its row margin (residents)
--   minus the row's other links, as its column margin (served) minus the
--   column's other links (links <-> margins);
--   a county's year visits as the flow margin residents (tables <-> tables);
--   in-county visits from the centre of the Wilson interval and visits
--   (a rate <-> its interval and denominator);
--   where the finest cells are published (visit_cells): a cell as published
--   and as its county x month total minus the other cells;
--   where a city is published (city_month): a county's month as its city's
--   minus the city's other counties (counties <-> their totals).
-- The published layer's codes are text (plain SQL types), the full views'
-- adcodes: both are compared as adcodes.
-- A missing row in the attacked table counts as 0 (published: all its
-- counts are 0).  It adds to the temporary table d_verdict, per relation, the protected cells, how many
-- the relation recovers exactly, and how many it narrows below the
-- threshold: to fewer than min_cell candidate values, when every count the
-- relation uses is taken to be within min_cell - 1 of its true value (the
-- most a reader can assume of a rounded count; 0 for an exact one).

SELECT c.min_cell AS b FROM :"src".model_config AS c \gset
-- Does the attacked layer round (then each count is off by up to b - 1)?
SELECT (:'pub' <> :'src')::int AS rounded \gset

CREATE TEMP TABLE d_truth AS
SELECT adcode_county(v.residence) AS county, date_trunc('month', v.visit_date)::date AS month,
	   count(*) AS visits, count(*) FILTER (WHERE v.kind = 'inpatient') AS inpatient,
	   count(*) FILTER (WHERE v.kind = 'outpatient') AS outpatient,
	   count(*) FILTER (WHERE adcode_county(v.residence) = f.county) AS in_county,
	   count(*) FILTER (WHERE adcode_county(v.residence) <> f.county) AS out_county,
	   count(*) FILTER (WHERE adcode_county(v.residence) = f.county AND v.kind = 'outpatient') AS in_county_outpatient,
	   count(*) FILTER (WHERE adcode_county(v.residence) = f.county AND v.kind = 'inpatient') AS in_county_inpatient
  FROM :"src".visit AS v JOIN :"src".facility AS f ON f.id = v.facility_id
 GROUP BY 1, 2;
CREATE TEMP TABLE d_ref_truth AS
SELECT adcode_county(r.residence) AS county, date_trunc('month', r.referral_date)::date AS month,
	   count(*) FILTER (WHERE referral_direction(a.care_level, b.care_level) = 'up' AND r.kind = 'referral') AS up,
	   count(*) FILTER (WHERE referral_direction(a.care_level, b.care_level) = 'down' AND r.kind = 'referral') AS down
  FROM :"src".referral AS r
  JOIN :"src".facility AS a ON a.id = r.from_facility_id JOIN :"src".facility AS b ON b.id = r.to_facility_id
 GROUP BY 1, 2;

-- The attacked month and year tables, one row per county x month of the
-- truth (absent: 0), with what the reader derives: counts and rate x
-- denominator (rounded to a whole visit).
CREATE TEMP TABLE d_month AS
SELECT t.county, t.month, extract(year FROM t.month)::int AS year,
	   coalesce(m.visits, CASE WHEN m.county IS NULL THEN 0 END) AS visits,
	   coalesce(m.inpatient_visits, CASE WHEN m.county IS NULL THEN 0 END) AS inpatient,
	   CASE WHEN m.county IS NULL THEN 0 ELSE round(m.in_county_rate * m.visits) END AS in_county,
	   CASE WHEN m.county IS NULL THEN 0 ELSE round(m.in_county_outpatient_rate * (m.visits - m.inpatient_visits)) END AS in_county_outpatient,
	   CASE WHEN m.county IS NULL THEN 0 ELSE round(m.in_county_inpatient_rate * m.inpatient_visits) END AS in_county_inpatient,
	   -- the Wilson interval's centre is (p + z²/2n) / (1 + z²/n): p from it
	   CASE WHEN m.county IS NULL THEN 0 WHEN m.visits > 0 THEN
			round(((m.in_county_ci_lower + m.in_county_ci_upper) / 2 * (1 + 3.8414588206941236 / m.visits)
				   - 3.8414588206941236 / (2 * m.visits)) * m.visits) END AS in_county_ci,
	   coalesce(m.referrals_up, CASE WHEN m.county IS NULL THEN 0 END) AS up,
	   coalesce(m.referrals_down, CASE WHEN m.county IS NULL THEN 0 END) AS down
  FROM (SELECT county, month FROM d_truth UNION SELECT county, month FROM d_ref_truth) AS t
  LEFT JOIN :"pub".:"cm" AS m ON CAST(m.county AS adcode) = t.county AND m.month = t.month;
CREATE TEMP TABLE d_year AS
SELECT t.county, t.year,
	   coalesce(y.visits, CASE WHEN y.county IS NULL THEN 0 END) AS visits,
	   coalesce(y.inpatient_visits, CASE WHEN y.county IS NULL THEN 0 END) AS inpatient,
	   CASE WHEN y.county IS NULL THEN 0 ELSE round(y.in_county_rate * y.visits) END AS in_county,
	   coalesce(y.referrals_up, CASE WHEN y.county IS NULL THEN 0 END) AS up,
	   coalesce(y.referrals_down, CASE WHEN y.county IS NULL THEN 0 END) AS down,
	   coalesce(f.residents, CASE WHEN f.county IS NULL THEN 0 END) AS residents
  FROM (SELECT DISTINCT county, year FROM d_month) AS t
  LEFT JOIN :"pub".:"cy" AS y ON CAST(y.county AS adcode) = t.county AND y.year = t.year
  LEFT JOIN :"pub".:"fr" AS f ON CAST(f.county AS adcode) = t.county AND f.year = t.year;

-- Every (relation, protected cell, implied value, counts used).
CREATE TEMP TABLE d_implied (relation text, truth bigint, implied numeric, counts int, from_rate boolean);
INSERT INTO d_implied
SELECT r.relation, r.truth, r.implied, r.counts, r.from_rate
  FROM d_truth AS t
  JOIN d_month AS m USING (county, month)
  JOIN d_year AS y USING (county, year)
  CROSS JOIN LATERAL (
	SELECT sum(o.visits) AS visits, sum(o.inpatient) AS inpatient, sum(o.in_county) AS in_county,
		   count(*)::int AS n
	  FROM d_month AS o WHERE o.county = t.county AND o.year = m.year AND o.month <> t.month) AS o
  CROSS JOIN LATERAL (VALUES
	('visits: month as published', t.visits, m.visits, 1, false),
	('visits: year minus the other months', t.visits, y.visits - coalesce(o.visits, 0), 1 + o.n, false),
	('visits: flow residents minus the other months', t.visits, y.residents - coalesce(o.visits, 0), 1 + o.n, false),
	('inpatient: month as published', t.inpatient, m.inpatient, 1, false),
	('inpatient: year minus the other months', t.inpatient, y.inpatient - coalesce(o.inpatient, 0), 1 + o.n, false),
	('outpatient: visits minus inpatient', t.outpatient, m.visits - m.inpatient, 2, false),
	('outpatient: year minus the other months', t.outpatient,
		(y.visits - y.inpatient) - coalesce(o.visits - o.inpatient, 0), 2 + 2 * o.n, false),
	('in-county: rate x visits', t.in_county, m.in_county, 1, true),
	('in-county: the Wilson interval''s centre x visits', t.in_county, m.in_county_ci, 1, true),
	('in-county: year minus the other months', t.in_county, y.in_county - coalesce(o.in_county, 0), 1 + o.n, true),
	('out-of-county: visits minus rate x visits', t.out_county, m.visits - m.in_county, 2, true),
	('in-county inpatient: in-county minus in-county outpatient', t.in_county_inpatient, m.in_county - m.in_county_outpatient, 3, true),
	('in-county inpatient: inpatient rate x inpatient', t.in_county_inpatient, m.in_county_inpatient, 1, true)
  ) AS r(relation, truth, implied, counts, from_rate);
INSERT INTO d_implied
SELECT r.relation, r.truth, r.implied, r.counts, false
  FROM d_ref_truth AS t
  JOIN d_month AS m USING (county, month)
  JOIN d_year AS y USING (county, year)
  CROSS JOIN LATERAL (
	SELECT sum(o.up) AS up, sum(o.down) AS down, count(*)::int AS n
	  FROM d_month AS o WHERE o.county = t.county AND o.year = m.year AND o.month <> t.month) AS o
  CROSS JOIN LATERAL (VALUES
	('referrals up: month as published', t.up, m.up, 1),
	('referrals up: year minus the other months', t.up, y.up - coalesce(o.up, 0), 1 + o.n),
	('referrals down: month as published', t.down, m.down, 1),
	('referrals down: year minus the other months', t.down, y.down - coalesce(o.down, 0), 1 + o.n)
  ) AS r(relation, truth, implied, counts);

-- Flow links and their margins.
CREATE TEMP TABLE d_link_truth AS
SELECT extract(year FROM v.visit_date)::int AS year, adcode_county(v.residence) AS r, f.county AS f, count(*) AS n
  FROM :"src".visit AS v JOIN :"src".facility AS f ON f.id = v.facility_id
 GROUP BY 1, 2, 3;
CREATE TEMP TABLE d_link AS
SELECT t.year, t.r, t.f, t.n AS truth,
	   coalesce(l.visits, CASE WHEN l.year IS NULL THEN 0 END) AS visits
  FROM d_link_truth AS t
  LEFT JOIN :"pub".:"fl" AS l ON l.year = t.year AND CAST(l.residence_county AS adcode) = t.r AND CAST(l.facility_county AS adcode) = t.f;
INSERT INTO d_implied
SELECT r.relation, l.truth, r.implied, r.counts, false
  FROM d_link AS l
  LEFT JOIN :"pub".:"fr" AS ro ON ro.year = l.year AND CAST(ro.county AS adcode) = l.r
  LEFT JOIN :"pub".:"fr" AS co ON co.year = l.year AND CAST(co.county AS adcode) = l.f
  CROSS JOIN LATERAL (SELECT sum(o.visits) AS s, count(*)::int AS n FROM d_link AS o
					   WHERE o.year = l.year AND o.r = l.r AND o.f <> l.f) AS orow
  CROSS JOIN LATERAL (SELECT sum(o.visits) AS s, count(*)::int AS n FROM d_link AS o
					   WHERE o.year = l.year AND o.f = l.f AND o.r <> l.r) AS ocol
  CROSS JOIN LATERAL (VALUES
	('flow link: as published', l.visits, 1),
	('flow link: residents minus the row''s other links', coalesce(ro.residents, 0) - coalesce(orow.s, 0), 1 + orow.n),
	('flow link: served minus the column''s other links', coalesce(co.served, 0) - coalesce(ocol.s, 0), 1 + ocol.n)
  ) AS r(relation, implied, counts);

-- The finest cells, where the attacked schema publishes them: a cell as
-- published, and as its county x month visits minus the county x month's
-- other cells.
SELECT to_regclass(format('%I.visit_cells', :'pub')) IS NOT NULL AS d_cells \gset
\if :d_cells
CREATE TEMP TABLE d_cell AS
SELECT t.month, t.r, t.f, t.kind, t.g, t.n, coalesce(p.visits, 0) AS published
  FROM (SELECT date_trunc('month', v.visit_date)::date AS month, adcode_county(v.residence) AS r, f.county AS f,
			   v.kind, f.care_level <= 'primary' AS g, count(*) AS n
		  FROM :"src".visit AS v JOIN :"src".facility AS f ON f.id = v.facility_id GROUP BY 1, 2, 3, 4, 5) AS t
  LEFT JOIN :"pub".visit_cells AS p
	ON p.month = t.month AND CAST(p.residence_county AS adcode) = t.r AND CAST(p.facility_county AS adcode) = t.f AND p.kind = t.kind AND p.grassroots = t.g;
INSERT INTO d_implied
SELECT r.relation, c.n, r.implied, r.counts, false
  FROM d_cell AS c
  JOIN d_month AS m ON m.county = c.r AND m.month = c.month
  CROSS JOIN LATERAL (SELECT sum(o.published) AS s, count(*)::int AS n FROM d_cell AS o
					   WHERE o.r = c.r AND o.month = c.month AND (o.f, o.kind, o.g) <> (c.f, c.kind, c.g)) AS o
  CROSS JOIN LATERAL (VALUES
	('visit cell: as published', c.published, 1),
	('visit cell: county x month visits minus the other cells', m.visits - coalesce(o.s, 0), 1 + o.n)
  ) AS r(relation, implied, counts);
DROP TABLE d_cell;
\endif

-- A city's total, where the attacked schema publishes one: a county's
-- month as the city's month minus the city's other counties (counties <->
-- their city; the same holds for a consortium's area).
SELECT to_regclass(format('%I.city_month', :'pub')) IS NOT NULL AS d_cities \gset
\if :d_cities
INSERT INTO d_implied
SELECT 'visits: city minus its other counties', t.visits,
	   coalesce(c.visits, 0) - coalesce((SELECT sum(o.visits) FROM d_month AS o
										  WHERE adcode_city(o.county) = adcode_city(t.county) AND o.month = t.month
											AND o.county <> t.county), 0),
	   1 + (SELECT count(*)::int FROM d_month AS o WHERE adcode_city(o.county) = adcode_city(t.county)
			   AND o.month = t.month AND o.county <> t.county), false
  FROM d_truth AS t
  LEFT JOIN :"pub".city_month AS c ON CAST(c.city AS adcode) = adcode_city(t.county) AND c.month = t.month;
\endif

-- The verdict per relation, added to d_verdict.  A rate pins a count down to within half a unit
-- of its last digit times the denominator: that, too, is room for the
-- true value, added to the room of the rounded counts.
SELECT to_regclass('pg_temp.d_verdict') IS NULL AS d_first \gset
\if :d_first
CREATE TEMP TABLE d_verdict (attacked text, relation text, protected bigint, recovered bigint, narrowed bigint);
\endif
INSERT INTO d_verdict
SELECT :'pub' || '.' || :'cm', i.relation,
	   count(*) FILTER (WHERE i.truth BETWEEN 1 AND :b - 1) AS protected,
	   count(*) FILTER (WHERE i.truth BETWEEN 1 AND :b - 1 AND i.implied = i.truth) AS recovered,
	   count(*) FILTER (WHERE i.truth BETWEEN 1 AND :b - 1 AND i.implied IS NOT NULL
						AND 2 * (:b - 1) * :rounded * i.counts + 1 < :b) AS narrowed
  FROM d_implied AS i
 GROUP BY i.relation
 ORDER BY i.relation;

DROP TABLE d_truth, d_ref_truth, d_month, d_year, d_implied, d_link_truth, d_link;
