-------------------------------------------------------------------------------
-- model/rounded_cells.sql: the finest cells rounded for the published layer
-- (docs/publishing.md, "The method"), in the warehouse's schema with the
-- extension's types (adcode, care_level), for the model's owner only.  The
-- published layer (published_cells.sql) shows them with plain SQL types
-- (visit_cells, referral_cells), and its other views are computed from
-- these, so that they can use the extension's operators and functions on
-- the codes and care levels and still publish plain types (docs/bi.md).
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

CREATE VIEW visit_cell_rounded WITH (security_barrier) AS
SELECT c.month, c.residence_county, c.facility_county, c.kind, c.grassroots, c.facility_id, c.tcm, c.discharged,
	   c.grade34, c.visits
  FROM (SELECT v.month, v.residence_county, v.facility_county, v.kind, v.grassroots, v.facility_id, v.tcm,
			   v.discharged, v.grade34,
			   @extschema@.publish_round(v.visits, p.min_cell, k.seed, 1, v.month - DATE '1970-01-01',
					CAST(v.residence_county AS bigint), CAST(v.facility_county AS bigint),
					CASE v.kind WHEN 'outpatient' THEN 1 ELSE 2 END, CASE WHEN v.grassroots THEN 1 ELSE 0 END,
					v.facility_id, CASE WHEN v.tcm THEN 1 ELSE 0 END, CASE WHEN v.discharged THEN 1 ELSE 0 END,
					CASE WHEN v.grade34 THEN 1 ELSE 0 END) AS visits
		  FROM visit_cell AS v
		 CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS p
		 CROSS JOIN (SELECT k.seed FROM publish_key AS k LIMIT 1) AS k) AS c
 WHERE c.visits > 0;
COMMENT ON VIEW visit_cell_rounded IS 'the published layer''s cells with the extension''s types (the owner''s; visit_cells shows them with plain types): visits per month x county of residence x county of the facility x kind x grassroots facility x facility (stays) x TCM (grassroots outpatient visits) x discharged x discharged with a grade 3-4 operation, each rounded to a multiple of the model''s min_cell (keyed random rounding); every published visit count is a sum of these (by county, unit, flow, and by facility its discharges, grade 3-4 discharges and TCM visits)';
COMMENT ON COLUMN visit_cell_rounded.month IS 'first day of the calendar month';
COMMENT ON COLUMN visit_cell_rounded.residence_county IS 'county of residence of the patients (flow origin)';
COMMENT ON COLUMN visit_cell_rounded.facility_county IS 'county of the treating facility (flow destination)';
COMMENT ON COLUMN visit_cell_rounded.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN visit_cell_rounded.grassroots IS 'true for visits at village and primary facilities (基层)';
COMMENT ON COLUMN visit_cell_rounded.facility_id IS 'inpatient stays: the treating facility; 0 for outpatient visits';
COMMENT ON COLUMN visit_cell_rounded.tcm IS 'true for TCM outpatient visits (中医诊疗) at grassroots facilities; false otherwise';
COMMENT ON COLUMN visit_cell_rounded.discharged IS 'true for inpatient stays with a discharge date';
COMMENT ON COLUMN visit_cell_rounded.grade34 IS 'true for discharged stays with a grade 3 or 4 operation';
COMMENT ON COLUMN visit_cell_rounded.visits IS 'visits of the cell, rounded to a multiple of min_cell (above 0: cells rounded to 0 have no row)';

CREATE VIEW referral_cell_rounded WITH (security_barrier) AS
SELECT c.month, c.county, c.kind, c.from_level, c.to_level, c.from_grid, c.to_grid, c.from_facility_id,
	   c.within_consortium, c.referrals
  FROM (SELECT r.month, r.county, r.kind, r.from_level, r.to_level, r.from_grid, r.to_grid, r.from_facility_id,
			   r.within_consortium,
			   @extschema@.publish_round(r.referrals, p.min_cell, k.seed, 2, r.month - DATE '1970-01-01',
					CAST(r.county AS bigint), CASE r.kind WHEN 'referral' THEN 1 ELSE 2 END,
					CASE r.from_level WHEN 'village' THEN 1 WHEN 'primary' THEN 2 WHEN 'secondary' THEN 3 ELSE 4 END,
					CASE r.to_level WHEN 'village' THEN 1 WHEN 'primary' THEN 2 WHEN 'secondary' THEN 3 ELSE 4 END,
					r.from_grid, r.to_grid, r.from_facility_id, CASE WHEN r.within_consortium THEN 1 ELSE 0 END) AS referrals
		  FROM referral_cell AS r
		 CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS p
		 CROSS JOIN (SELECT k.seed FROM publish_key AS k LIMIT 1) AS k) AS c
 WHERE c.referrals > 0;
COMMENT ON VIEW referral_cell_rounded IS 'the published layer''s cells with the extension''s types (the owner''s; referral_cells shows them with plain types): referrals and remote consultations per month x county of residence x kind x care levels from and to x grids from and to x sending facility x inside its consortium or not, each rounded to a multiple of the model''s min_cell (keyed random rounding); every published referral count is a sum of these (by county, unit, grid, facility and consortium)';
COMMENT ON COLUMN referral_cell_rounded.month IS 'first day of the calendar month';
COMMENT ON COLUMN referral_cell_rounded.county IS 'county of residence of the patients';
COMMENT ON COLUMN referral_cell_rounded.kind IS 'referral or remote_consultation';
COMMENT ON COLUMN referral_cell_rounded.from_level IS 'care level of the referring facility';
COMMENT ON COLUMN referral_cell_rounded.to_level IS 'care level of the facility referred to';
COMMENT ON COLUMN referral_cell_rounded.from_grid IS 'grid of the referring facility; 0 when it has none';
COMMENT ON COLUMN referral_cell_rounded.to_grid IS 'grid of the facility referred to; 0 when it has none';
COMMENT ON COLUMN referral_cell_rounded.from_facility_id IS 'the referring (sending) facility';
COMMENT ON COLUMN referral_cell_rounded.within_consortium IS 'true when both facilities belong to the same consortium';
COMMENT ON COLUMN referral_cell_rounded.referrals IS 'referrals of the cell, rounded to a multiple of min_cell (above 0: cells rounded to 0 have no row)';
