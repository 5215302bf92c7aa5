-------------------------------------------------------------------------------
-- model/published_quality.sql: the published summary of the data-quality
-- checks (quality.sql, docs/model.md "Data quality"; docs/publishing.md).
--
-- The warehouse's data_quality lists each problem with its codes, ids and
-- dates; a reader sees one row per check: how many problems it found and
-- how many rows they concern, nothing that names them.  The rows of the
-- checks about facts (visits and referrals are patients) are rounded like
-- every published count: keyed random rounding to a multiple of min_cell,
-- the key being the check (first cell integer 10: no other published count
-- uses it).  The checks whose subjects are not patients (units, facilities,
-- county months) show their rows as they are.  The counts are those of the
-- last refresh_model (quality_state.sql: the quality views call functions
-- that read the extension's division tables, which a reader may not read).
-------------------------------------------------------------------------------

CREATE VIEW data_quality WITH (security_barrier) AS
WITH k AS (
	SELECT c.min_cell, s.seed FROM (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS c
	 CROSS JOIN (SELECT s.seed FROM publish_key AS s LIMIT 1) AS s
)
SELECT c.check_name, c.about, coalesce(q.problems, 0) AS problems,
	   CASE WHEN c.patients THEN @extschema@.publish_round(coalesce(q.rows, 0), k.min_cell, k.seed, 10, c.position)
			ELSE coalesce(q.rows, 0) END AS rows,
	   c.patients AS rows_rounded, c.position
  FROM (VALUES (1, 'unknown_code', 'visits and referrals', true),
			   (2, 'abolished_code', 'visits and referrals', true),
			   (3, 'date_outside_period', 'visits and referrals', true),
			   (4, 'duplicate_source_key', 'visits and referrals', true),
			   (5, 'unit_without_population', 'years', false),
			   (6, 'facility_without_coordinates', 'facilities', false),
			   (7, 'month_without_visit', 'months', false),
			   (8, 'month_without_referral', 'months', false)) AS c(position, check_name, about, patients)
 CROSS JOIN k
  LEFT JOIN quality_state AS q ON q.check_name = c.check_name;
COMMENT ON VIEW data_quality IS 'published: one row per data-quality check of the warehouse (docs/model.md, "Data quality"): how many problems it found and how many rows they concern; as of the last refresh_model; no codes, ids or examples; rows of visits and referrals rounded to a multiple of the model''s min_cell';
COMMENT ON COLUMN data_quality.check_name IS 'the check, as in the warehouse''s data_quality: unknown_code, abolished_code, date_outside_period, duplicate_source_key, unit_without_population, facility_without_coordinates, month_without_visit or month_without_referral';
COMMENT ON COLUMN data_quality.about IS 'what rows counts: visits and referrals, years (of units without population), facilities or months (of counties without facts)';
COMMENT ON COLUMN data_quality.problems IS 'problems the check found (distinct codes, months, source keys, units, facilities or counties), exact; 0: none';
COMMENT ON COLUMN data_quality.rows IS 'rows the problems concern: visits and referrals rounded to a multiple of the model''s min_cell (keyed random rounding, so 1 to min_cell - 1 rows are never shown as they are); years, facilities and months exact';
COMMENT ON COLUMN data_quality.rows_rounded IS 'true when rows counts visits and referrals and is rounded';
COMMENT ON COLUMN data_quality.position IS 'the order of the checks (1 to 8)';
