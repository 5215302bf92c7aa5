-------------------------------------------------------------------------------
-- model/published_cells.sql: the published layer's rounded cells.
--
-- The published layer (docs/publishing.md) is the schema <model>_pub.
-- install_model runs published_cells.sql, published_grains.sql and
-- published.sql with search_path = <model>_pub, <model>, pg_temp: the views
-- are created in <model>_pub and read the model's tables, with the rights
-- of the model's owner.  A reader (grant_reader) may read these views and
-- nothing else.
--
-- The cells are rounded in the warehouse (rounded_cells.sql: the method,
-- keyed random rounding); the views below show them with plain SQL types,
-- as every view of the layer does: text codes and names, integers, double
-- precision, booleans and dates, never the extension's types (adcode,
-- care_level, hs_rate, flowmatrix), arrays or JSON, so that a BI tool
-- reading them over JDBC or ODBC sees standard columns (docs/bi.md; the
-- publish suite checks every column of every view of the layer).
-------------------------------------------------------------------------------

CREATE VIEW visit_cells WITH (security_barrier) AS
SELECT c.month, CAST(c.residence_county AS text) AS residence_county, CAST(c.facility_county AS text) AS facility_county,
	   c.kind, c.grassroots, c.facility_id, c.tcm, c.discharged, c.grade34, c.visits
  FROM visit_cell_rounded AS c;
COMMENT ON VIEW visit_cells IS 'published: visits per month x county of residence x county of the facility x kind x grassroots facility x facility (stays) x TCM (grassroots outpatient visits) x discharged x discharged with a grade 3-4 operation, each rounded to a multiple of the model''s min_cell (keyed random rounding); every published visit count is a sum of these (by county, unit, flow, and by facility its discharges, grade 3-4 discharges and TCM visits)';
COMMENT ON COLUMN visit_cells.month IS 'first day of the calendar month';
COMMENT ON COLUMN visit_cells.residence_county IS 'county of residence of the patients (flow origin): its 6-digit code as text';
COMMENT ON COLUMN visit_cells.facility_county IS 'county of the treating facility (flow destination): its 6-digit code as text';
COMMENT ON COLUMN visit_cells.kind IS 'outpatient or inpatient';
COMMENT ON COLUMN visit_cells.grassroots IS 'true for visits at village and primary facilities (基层)';
COMMENT ON COLUMN visit_cells.facility_id IS 'inpatient stays: the treating facility (facilities lists it; facility_county and grassroots are functions of it); 0 for outpatient visits';
COMMENT ON COLUMN visit_cells.tcm IS 'true for TCM outpatient visits (中医诊疗) at grassroots facilities; false otherwise';
COMMENT ON COLUMN visit_cells.discharged IS 'true for inpatient stays with a discharge date (出院, by month of admission); false otherwise';
COMMENT ON COLUMN visit_cells.grade34 IS 'true for discharged stays with a grade 3 or 4 operation (三、四级手术); false otherwise';
COMMENT ON COLUMN visit_cells.visits IS 'visits of the cell, rounded to a multiple of min_cell (above 0: cells rounded to 0 have no row)';

CREATE VIEW referral_cells WITH (security_barrier) AS
SELECT c.month, CAST(c.county AS text) AS county, c.kind, CAST(c.from_level AS text) AS from_level,
	   CAST(c.to_level AS text) AS to_level, c.from_grid, c.to_grid, c.from_facility_id, c.within_consortium, c.referrals
  FROM referral_cell_rounded AS c;
COMMENT ON VIEW referral_cells IS 'published: referrals and remote consultations per month x county of residence x kind x care levels from and to x grids from and to x sending facility x inside its consortium or not, each rounded to a multiple of the model''s min_cell (keyed random rounding); every published referral count is a sum of these (by county, unit, grid, facility and consortium)';
COMMENT ON COLUMN referral_cells.month IS 'first day of the calendar month';
COMMENT ON COLUMN referral_cells.county IS 'county of residence of the patients: its 6-digit code as text';
COMMENT ON COLUMN referral_cells.kind IS 'referral or remote_consultation';
COMMENT ON COLUMN referral_cells.from_level IS 'care level of the referring facility: village, primary, secondary or tertiary';
COMMENT ON COLUMN referral_cells.to_level IS 'care level of the facility referred to: village, primary, secondary or tertiary';
COMMENT ON COLUMN referral_cells.from_grid IS 'grid of the referring facility; 0 when it has none';
COMMENT ON COLUMN referral_cells.to_grid IS 'grid of the facility referred to; 0 when it has none';
COMMENT ON COLUMN referral_cells.from_facility_id IS 'the referring (sending) facility (facilities lists it)';
COMMENT ON COLUMN referral_cells.within_consortium IS 'true when both facilities belong to the same consortium; false otherwise (also when the sending facility belongs to none)';
COMMENT ON COLUMN referral_cells.referrals IS 'referrals of the cell, rounded to a multiple of min_cell (above 0: cells rounded to 0 have no row)';
