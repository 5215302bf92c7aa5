-------------------------------------------------------------------------------
-- model/published_cells.sql: the published layer's rounded cells.
--
-- The published layer (docs/publishing.md) is the schema <model>_pub.
-- install_model runs published_cells.sql, published_county.sql and
-- published.sql with search_path = <model>_pub, <model>, pg_temp: the views
-- are created in <model>_pub and read the model's tables, with the rights
-- of the model's owner.  A reader (grant_reader) may read these views and
-- nothing else.
--
-- The method: keyed random rounding of the finest cells.  Every count a
-- published view shows is a sum of the cells below, each rounded once to a
-- multiple of model_config.min_cell by publish_round (unbiased; the draw
-- is the cell key, SHA-256 of the model's secret publish_key.seed and the
-- cell's coordinates as integers).  So:
--  * no count from 1 to min_cell - 1 is published as it is: a cell is
--    published as 0 or a multiple of min_cell, and so is every sum;
--  * every published total is the sum of its published parts (month and
--    year, outpatient + inpatient and all, flow links and their margins,
--    counties and their sums): differencing gives back published values,
--    never a true one;
--  * every published rate is a ratio of published counts, rounded to 0.1
--    percentage point (publish_ratio), and tells nothing more than they do.
-- Rows whose published counts are all 0 are left out: that a row exists
-- says no more than its published values.
-------------------------------------------------------------------------------

CREATE VIEW visit_cells WITH (security_barrier) AS
SELECT c.month, c.residence_county, c.facility_county, c.kind, c.grassroots, c.visits
  FROM (SELECT v.month, v.residence_county, v.facility_county, v.kind, v.grassroots,
			   @extschema@.publish_round(v.visits, p.min_cell, k.seed, 1, v.month - DATE '1970-01-01',
					CAST(v.residence_county AS bigint), CAST(v.facility_county AS bigint),
					CASE v.kind WHEN 'outpatient' THEN 1 ELSE 2 END, CASE WHEN v.grassroots THEN 1 ELSE 0 END) AS visits
		  FROM visit_cell AS v
		 CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS p
		 CROSS JOIN (SELECT k.seed FROM publish_key AS k LIMIT 1) AS k) AS c
 WHERE c.visits > 0;
COMMENT ON VIEW visit_cells IS 'published: visits per month x county of residence x county of the facility x kind x grassroots facility, each rounded to a multiple of the model''s min_cell (keyed random rounding); every published visit count is a sum of these';
COMMENT ON COLUMN visit_cells.month IS 'first day of the calendar month';
COMMENT ON COLUMN visit_cells.residence_county IS 'county of residence of the patients (flow origin)';
COMMENT ON COLUMN visit_cells.facility_county IS 'county of the treating facility (flow destination)';
COMMENT ON COLUMN visit_cells.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN visit_cells.grassroots IS 'true for visits at village and primary facilities (基层)';
COMMENT ON COLUMN visit_cells.visits IS 'visits of the cell, rounded to a multiple of min_cell (above 0: cells rounded to 0 have no row)';

CREATE VIEW referral_cells WITH (security_barrier) AS
SELECT c.county, c.month, c.referrals_up, c.referrals_down, c.referrals_lateral, c.remote_consultations
  FROM (SELECT s.county, s.month,
			   @extschema@.publish_round(s.referrals_up, p.min_cell, k.seed, 2, s.month - DATE '1970-01-01', CAST(s.county AS bigint), 1) AS referrals_up,
			   @extschema@.publish_round(s.referrals_down, p.min_cell, k.seed, 2, s.month - DATE '1970-01-01', CAST(s.county AS bigint), 2) AS referrals_down,
			   @extschema@.publish_round(s.referrals_lateral, p.min_cell, k.seed, 2, s.month - DATE '1970-01-01', CAST(s.county AS bigint), 3) AS referrals_lateral,
			   @extschema@.publish_round(s.remote_consultations, p.min_cell, k.seed, 3, s.month - DATE '1970-01-01', CAST(s.county AS bigint)) AS remote_consultations
		  FROM county_month_state AS s
		 CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS p
		 CROSS JOIN (SELECT k.seed FROM publish_key AS k LIMIT 1) AS k) AS c
 WHERE c.referrals_up > 0 OR c.referrals_down > 0 OR c.referrals_lateral > 0 OR c.remote_consultations > 0;
COMMENT ON VIEW referral_cells IS 'published: referrals by direction and remote consultations per county of residence x month, each rounded to a multiple of the model''s min_cell (keyed random rounding)';
COMMENT ON COLUMN referral_cells.county IS 'county of residence of the patients';
COMMENT ON COLUMN referral_cells.month IS 'first day of the calendar month';
COMMENT ON COLUMN referral_cells.referrals_up IS '上转人次: referrals to a higher care level, rounded';
COMMENT ON COLUMN referral_cells.referrals_down IS '下转人次: referrals to a lower care level, rounded';
COMMENT ON COLUMN referral_cells.referrals_lateral IS 'referrals between facilities of the same care level, rounded';
COMMENT ON COLUMN referral_cells.remote_consultations IS '远程会诊: remote consultations, rounded';
