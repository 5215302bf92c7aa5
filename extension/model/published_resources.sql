-------------------------------------------------------------------------------
-- model/published_resources.sql: the published layer of the resource views
-- (resources_views.sql), by the rules of published_cells.sql: every count of
-- patients is a sum of cells rounded once by publish_round (the visit cells
-- of rounded_cells.sql for discharges, grade 3-4 discharges and TCM visits by
-- facility and county, its referral cells for referrals by sending facility
-- and consortium, county x month x type x minutes, unit x year x disease x
-- measure), every ratio a ratio of such sums to 0.001; no set of visits or
-- referrals is rounded in two cells.  Amounts are never rounded: money is
-- never shown, only cost per visit and the fund's share, and bed-days (an
-- amount per stay, not a count of visits) are shown exact by facility and
-- year; both only where min_cell or more visits or discharges stand behind
-- them (the minimum-frequency rule of fund_in_county_share); so are the
-- turnaround quantiles, exact where min_cell or more services were reported
-- (quantiles of a histogram whose cells of 1 or 2 services are rounded to 0
-- or 5 would be mostly noise).  Doctors, beds and slots offered or opened
-- are resources, shown as loaded.  Only plain SQL types: text codes,
-- integers, double precision, dates.
-------------------------------------------------------------------------------

CREATE VIEW remote_service_cells WITH (security_barrier) AS
SELECT c.month, c.county, c.service_type, c.minutes, c.services
  FROM (SELECT m.month, CAST(m.county AS text) AS county, m.service_type, m.minutes,
			   @extschema@.publish_round(m.services, p.min_cell, k.seed, 7, m.month - DATE '1970-01-01',
					CAST(m.county AS bigint),
					CASE m.service_type WHEN 'imaging' THEN 1 WHEN 'ecg' THEN 2 WHEN 'pathology' THEN 3
										WHEN 'laboratory' THEN 4 ELSE 5 END,
					coalesce(m.minutes, -1)) AS services
		  FROM remote_service_minutes AS m
		 CROSS JOIN (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS p
		 CROSS JOIN (SELECT k.seed FROM publish_key AS k LIMIT 1) AS k) AS c
 WHERE c.services > 0;
COMMENT ON VIEW remote_service_cells IS 'published: the turnaround histogram, remote services per month x county of the requesting facility x type x whole minutes, each rounded to a multiple of the model''s min_cell; a period''s histogram is the sum of its months''';
COMMENT ON COLUMN remote_service_cells.month IS 'first day of the month of the request';
COMMENT ON COLUMN remote_service_cells.county IS 'county of the requesting facility (division code as text)';
COMMENT ON COLUMN remote_service_cells.service_type IS 'imaging, ecg, pathology, laboratory or consultation';
COMMENT ON COLUMN remote_service_cells.minutes IS 'turnaround in whole minutes; NULL for services not reported yet';
COMMENT ON COLUMN remote_service_cells.services IS 'services of the cell, rounded (above 0: cells rounded to 0 have no row)';

CREATE VIEW remote_service_year WITH (security_barrier) AS
WITH k AS (
	SELECT c.min_cell, c.residence_def, s.seed FROM (SELECT c.min_cell, c.residence_def FROM model_config AS c LIMIT 1) AS c
	 CROSS JOIN (SELECT s.seed FROM publish_key AS s LIMIT 1) AS s
), y AS (
	SELECT c.county, CAST(extract(year FROM c.month) AS integer) AS year, c.service_type,
		   CAST(sum(c.services) AS bigint) AS services,
		   CAST(coalesce(sum(c.services) FILTER (WHERE c.minutes IS NOT NULL), 0) AS bigint) AS reported
	  FROM remote_service_cells AS c
	 GROUP BY 1, 2, 3
), r AS (
	-- recognised results, rounded per month x county x type
	SELECT CAST(m.county AS text) AS county, CAST(extract(year FROM m.month) AS integer) AS year, m.service_type,
		   CAST(sum(@extschema@.publish_round(m.recognised, k.min_cell, k.seed, 8, m.month - DATE '1970-01-01',
				CAST(m.county AS bigint),
				CASE m.service_type WHEN 'imaging' THEN 1 WHEN 'ecg' THEN 2 WHEN 'pathology' THEN 3
									WHEN 'laboratory' THEN 4 ELSE 5 END)) AS bigint) AS recognised
	  FROM (SELECT m.month, m.county, m.service_type, CAST(sum(m.recognised) AS bigint) AS recognised
			  FROM remote_service_minutes AS m GROUP BY 1, 2, 3) AS m
	 CROSS JOIN k
	 GROUP BY 1, 2, 3
), q AS (
	-- the exact quantiles of the warehouse's view, which shows them where
	-- min_cell or more services were reported (the minimum-frequency rule)
	SELECT CAST(w.county AS text) AS county, w.year, w.service_type, w.turnaround_median_minutes, w.turnaround_p90_minutes
	  FROM remote_service_year AS w
)
SELECT y.county, d.name AS county_name, y.year, y.service_type, y.services,
	   @extschema@.publish_digits(10000.0 * y.services / nullif(pop.population, 0), 2) AS services_per_10000,
	   y.reported, q.turnaround_median_minutes, q.turnaround_p90_minutes,
	   coalesce(r.recognised, 0) AS recognised,
	   @extschema@.publish_ratio(coalesce(r.recognised, 0), y.services) AS recognised_share
  FROM y CROSS JOIN k
  LEFT JOIN r ON r.county = y.county AND r.year = y.year AND r.service_type = y.service_type
  LEFT JOIN q ON q.county = y.county AND q.year = y.year AND q.service_type = y.service_type
  LEFT JOIN @extschema@.division AS d ON CAST(d.code AS text) = y.county
  LEFT JOIN LATERAL (SELECT CAST(sum(p.population) AS double precision) AS population
					   FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
					  WHERE CAST(u.county AS text) = y.county AND p.year = y.year
						AND p.residence_def = k.residence_def) AS pop ON true;
COMMENT ON VIEW remote_service_year IS 'published county x year x type: remote services (sums of the rounded histogram cells) per 10,000 residents, the exact median and 90th percentile of the turnaround where min_cell or more services were reported, and the share recognised elsewhere';
COMMENT ON COLUMN remote_service_year.county IS 'county of the requesting facilities (division code as text)';
COMMENT ON COLUMN remote_service_year.county_name IS 'name of the county';
COMMENT ON COLUMN remote_service_year.year IS 'calendar year of the requests';
COMMENT ON COLUMN remote_service_year.service_type IS 'imaging, ecg, pathology, laboratory or consultation';
COMMENT ON COLUMN remote_service_year.services IS 'services requested, rounded';
COMMENT ON COLUMN remote_service_year.services_per_10000 IS 'services per 10,000 residents of the county, to 0.01';
COMMENT ON COLUMN remote_service_year.reported IS 'of them, reported, rounded';
COMMENT ON COLUMN remote_service_year.turnaround_median_minutes IS 'median turnaround in whole minutes (exact: percentile_disc(0.5) of the merged monthly histograms); NULL below min_cell reported services';
COMMENT ON COLUMN remote_service_year.turnaround_p90_minutes IS '90th percentile of the turnaround in whole minutes (exact); NULL below min_cell reported services';
COMMENT ON COLUMN remote_service_year.recognised IS 'results recognised elsewhere (互认), rounded per month';
COMMENT ON COLUMN remote_service_year.recognised_share IS '互认率: recognised / services, to 0.001';

CREATE VIEW facility_year WITH (security_barrier) AS
WITH k AS (
	SELECT c.min_cell, s.seed FROM (SELECT c.min_cell FROM model_config AS c LIMIT 1) AS c
	 CROSS JOIN (SELECT s.seed FROM publish_key AS s LIMIT 1) AS s
), cells AS (
	-- discharges by facility: sums of the rounded visit cells, which carry
	-- the facility and whether a stay was discharged (with a grade 3-4
	-- operation), so that no stay is rounded in two cells (docs/publishing.md)
	SELECT c.facility_id, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.visits) AS bigint) AS discharges,
		   CAST(coalesce(sum(c.visits) FILTER (WHERE c.grade34), 0) AS bigint) AS grade34_discharges
	  FROM visit_cell_rounded AS c
	 WHERE c.kind = 'inpatient' AND c.discharged
	 GROUP BY 1, 2
), referred AS (
	-- referrals by sending facility: sums of the rounded referral cells,
	-- which carry the sending facility, so that no referral is rounded in
	-- two cells (docs/publishing.md)
	SELECT r.from_facility_id AS facility_id, CAST(extract(year FROM r.month) AS integer) AS year,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE r.to_level < r.from_level), 0) AS bigint) AS referrals_down,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE r.within_consortium), 0) AS bigint) AS referrals_within,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE NOT r.within_consortium AND f.consortium_id IS NOT NULL), 0) AS bigint)
			 AS referrals_outside
	  FROM referral_cell_rounded AS r JOIN facility AS f ON f.id = r.from_facility_id
	 WHERE r.kind = 'referral'
	 GROUP BY 1, 2
), money AS (
	-- exact, for the cost ratios and the bed-days only (minimum-frequency
	-- rule): amounts, shown where min_cell or more visits, admissions or
	-- discharges stand behind them
	SELECT c.facility_id, CAST(extract(year FROM c.month) AS integer) AS year,
		   sum(c.outpatient_visits) AS outpatient_visits, sum(c.outpatient_fen) AS outpatient_fen,
		   sum(c.admissions) AS admissions, sum(c.inpatient_fen) AS inpatient_fen,
		   sum(c.discharges) AS discharges, CAST(sum(c.bed_days) AS bigint) AS bed_days
	  FROM facility_cell AS c
	 GROUP BY 1, 2
), beds AS (
	SELECT b.facility_id, CAST(extract(year FROM b.month) AS integer) AS year,
		   CAST(sum(CAST(b.beds AS bigint) * b.days) AS bigint) AS open_bed_days
	  FROM facility_month_beds AS b
	 GROUP BY 1, 2
), slots AS (
	SELECT s.facility_id, CAST(extract(year FROM s.month) AS integer) AS year,
		   CAST(sum(s.offered) AS bigint) AS offered, CAST(sum(s.opened) AS bigint) AS opened,
		   CAST(sum(@extschema@.publish_round(s.used, k.min_cell, k.seed, 9, s.month - DATE '1970-01-01', s.facility_id)) AS bigint) AS used
	  FROM appointment_slots AS s CROSS JOIN k
	 GROUP BY 1, 2
), sent AS (
	SELECT y.facility_id, y.year, y.doctors_dispatched AS doctors, y.dispatched_doctor_days AS doctor_days
	  FROM facility_year AS y
	 WHERE y.doctors_dispatched > 0
), keys AS (
	SELECT cells.facility_id, cells.year FROM cells WHERE cells.discharges > 0
	UNION SELECT referred.facility_id, referred.year FROM referred
	 WHERE referred.referrals_down > 0 OR referred.referrals_within > 0 OR referred.referrals_outside > 0
	UNION SELECT slots.facility_id, slots.year FROM slots
	UNION SELECT sent.facility_id, sent.year FROM sent
	UNION SELECT money.facility_id, money.year FROM money CROSS JOIN k
	 WHERE money.outpatient_visits >= k.min_cell OR money.admissions >= k.min_cell OR money.discharges >= k.min_cell
)
SELECT k2.facility_id, f.name AS facility_name, CAST(f.care_level AS text) AS care_level,
	   CAST(f.county AS text) AS county, f.consortium_id, k2.year,
	   coalesce(c.discharges, 0) AS discharges,
	   CASE WHEN m.discharges >= k.min_cell THEN m.bed_days END AS bed_days,
	   b.open_bed_days,
	   CASE WHEN m.discharges >= k.min_cell THEN @extschema@.publish_ratio(m.bed_days, b.open_bed_days) END AS bed_occupancy,
	   CASE WHEN m.discharges >= k.min_cell THEN @extschema@.publish_ratio(m.bed_days, c.discharges, 2) END AS average_length_of_stay,
	   @extschema@.publish_ratio(c.grade34_discharges, c.discharges) AS grade34_surgery_share,
	   CASE WHEN m.outpatient_visits >= k.min_cell
			THEN @extschema@.publish_digits(CAST(m.outpatient_fen / m.outpatient_visits / 100 AS double precision), 1) END AS cost_per_outpatient_visit,
	   CASE WHEN m.admissions >= k.min_cell
			THEN @extschema@.publish_digits(CAST(m.inpatient_fen / m.admissions / 100 AS double precision), 1) END AS cost_per_admission,
	   s.offered AS slots_offered, s.opened AS slots_opened, s.used AS slots_used,
	   @extschema@.publish_ratio(s.opened, s.offered) AS slots_opened_share,
	   @extschema@.publish_ratio(s.used, s.opened) AS slots_use_rate,
	   coalesce(r.referrals_down, 0) AS referrals_down_sent,
	   coalesce(r.referrals_within, 0) AS referrals_within_consortium,
	   coalesce(r.referrals_outside, 0) AS referrals_outside_consortium,
	   coalesce(t.doctors, 0) AS doctors_dispatched,
	   coalesce(t.doctor_days, 0) AS dispatched_doctor_days
  FROM keys AS k2 CROSS JOIN k
  JOIN facility AS f ON f.id = k2.facility_id
  LEFT JOIN cells AS c ON c.facility_id = k2.facility_id AND c.year = k2.year
  LEFT JOIN referred AS r ON r.facility_id = k2.facility_id AND r.year = k2.year
  LEFT JOIN money AS m ON m.facility_id = k2.facility_id AND m.year = k2.year
  LEFT JOIN beds AS b ON b.facility_id = k2.facility_id AND b.year = k2.year
  LEFT JOIN slots AS s ON s.facility_id = k2.facility_id AND s.year = k2.year
  LEFT JOIN sent AS t ON t.facility_id = k2.facility_id AND t.year = k2.year;
COMMENT ON VIEW facility_year IS 'published facility x year: discharges and grade 3-4 discharges as sums of the facility''s rounded visit cells, referrals as sums of the rounded referral cells of the sending facility, the grade 3-4 surgery share as a ratio of them; bed-days (exact), bed occupancy and length of stay, cost per visit and admission where min_cell or more stand behind them; slots and dispatched doctors';
COMMENT ON COLUMN facility_year.facility_id IS 'the facility';
COMMENT ON COLUMN facility_year.facility_name IS 'its name';
COMMENT ON COLUMN facility_year.care_level IS 'its care level: village, primary, secondary or tertiary';
COMMENT ON COLUMN facility_year.county IS 'the county it lies in (division code as text)';
COMMENT ON COLUMN facility_year.consortium_id IS 'its consortium; NULL for none';
COMMENT ON COLUMN facility_year.year IS 'calendar year';
COMMENT ON COLUMN facility_year.discharges IS 'admissions of the year with a discharge date: the sum of the facility''s published visit_cells discharged';
COMMENT ON COLUMN facility_year.bed_days IS 'bed-days of those stays (an amount, exact); NULL below min_cell discharges';
COMMENT ON COLUMN facility_year.open_bed_days IS 'open bed-days over the months of the year the facts cover (a resource, as loaded)';
COMMENT ON COLUMN facility_year.bed_occupancy IS '病床使用率: bed_days / open_bed_days, to 0.001; NULL below min_cell discharges';
COMMENT ON COLUMN facility_year.average_length_of_stay IS '平均住院日: bed_days / the published discharges, days to 0.01; NULL below min_cell discharges';
COMMENT ON COLUMN facility_year.grade34_surgery_share IS '出院患者三、四级手术占比: the sum of the facility''s published visit_cells grade34 / discharges, to 0.001';
COMMENT ON COLUMN facility_year.cost_per_outpatient_visit IS '次均门诊费用, yuan to 0.1; NULL below min_cell visits';
COMMENT ON COLUMN facility_year.cost_per_admission IS '次均住院费用, yuan to 0.1; NULL below min_cell admissions';
COMMENT ON COLUMN facility_year.slots_offered IS 'appointment slots offered (a resource, as loaded)';
COMMENT ON COLUMN facility_year.slots_opened IS 'slots opened to grassroots facilities (as loaded)';
COMMENT ON COLUMN facility_year.slots_used IS 'opened slots used, rounded per month';
COMMENT ON COLUMN facility_year.slots_opened_share IS 'slots_opened / slots_offered, to 0.001';
COMMENT ON COLUMN facility_year.slots_use_rate IS 'slots_used / slots_opened, to 0.001';
COMMENT ON COLUMN facility_year.referrals_down_sent IS '下转患者人次: the sum of the facility''s published referral_cells to a lower care level';
COMMENT ON COLUMN facility_year.referrals_within_consortium IS 'referrals sent inside the consortium: the sum of its published referral_cells within_consortium';
COMMENT ON COLUMN facility_year.referrals_outside_consortium IS 'referrals sent by a member facility out of its consortium: the sum of its other published referral_cells';
COMMENT ON COLUMN facility_year.doctors_dispatched IS 'doctors dispatched to other facilities (staff, as loaded)';
COMMENT ON COLUMN facility_year.dispatched_doctor_days IS 'their doctor-days at the receiving facilities';

CREATE VIEW consortium_year_referrals WITH (security_barrier) AS
WITH y AS (
	-- sums of the rounded referral cells of the member facilities
	SELECT f.consortium_id, CAST(extract(year FROM r.month) AS integer) AS year,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE r.within_consortium), 0) AS bigint) AS within,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE NOT r.within_consortium), 0) AS bigint) AS outside,
		   CAST(coalesce(sum(r.referrals) FILTER (WHERE r.to_level < r.from_level), 0) AS bigint) AS down
	  FROM referral_cell_rounded AS r JOIN facility AS f ON f.id = r.from_facility_id
	 WHERE r.kind = 'referral' AND f.consortium_id IS NOT NULL
	 GROUP BY 1, 2
)
SELECT y.consortium_id, co.name AS consortium_name, y.year,
	   y.within + y.outside AS referrals_sent, y.within AS referrals_within_consortium,
	   y.outside AS referrals_outside_consortium,
	   @extschema@.publish_ratio(y.within, y.within + y.outside) AS within_consortium_share,
	   y.down AS referrals_down_sent
  FROM y JOIN consortium AS co ON co.id = y.consortium_id
 WHERE y.within + y.outside + y.down > 0;
COMMENT ON VIEW consortium_year_referrals IS 'published consortium x year: referrals sent by the member facilities inside the consortium and out of it, sums of the rounded referral cells (referral_cells) of the member facilities';
COMMENT ON COLUMN consortium_year_referrals.consortium_id IS 'the consortium';
COMMENT ON COLUMN consortium_year_referrals.consortium_name IS 'its name';
COMMENT ON COLUMN consortium_year_referrals.year IS 'calendar year';
COMMENT ON COLUMN consortium_year_referrals.referrals_sent IS 'referrals sent by member facilities, rounded';
COMMENT ON COLUMN consortium_year_referrals.referrals_within_consortium IS 'of them, to another member facility, rounded';
COMMENT ON COLUMN consortium_year_referrals.referrals_outside_consortium IS 'of them, out of the consortium, rounded';
COMMENT ON COLUMN consortium_year_referrals.within_consortium_share IS 'referrals_within_consortium / referrals_sent, to 0.001';
COMMENT ON COLUMN consortium_year_referrals.referrals_down_sent IS '下转患者人次 of the member facilities, rounded';

CREATE VIEW county_year_resources WITH (security_barrier) AS
WITH k AS (
	SELECT c.min_cell, c.residence_def, s.seed FROM (SELECT c.min_cell, c.residence_def FROM model_config AS c LIMIT 1) AS c
	 CROSS JOIN (SELECT s.seed FROM publish_key AS s LIMIT 1) AS s
), visits AS (
	-- the grassroots outpatient visits the published county views count
	-- (grassroots_share), from the same rounded cells
	SELECT c.facility_county AS county, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.visits) AS bigint) AS gr_outpatient
	  FROM visit_cell_rounded AS c
	 WHERE c.kind = 'outpatient' AND c.grassroots
	 GROUP BY 1, 2
), tcm AS (
	-- of them, the TCM visits: the same rounded cells, those marked tcm
	SELECT c.facility_county AS county, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.visits) AS bigint) AS gr_tcm
	  FROM visit_cell_rounded AS c
	 WHERE c.kind = 'outpatient' AND c.grassroots AND c.tcm
	 GROUP BY 1, 2
), money AS (
	-- exact, for the fund's share and the costs only (minimum-frequency rule)
	SELECT f.county, CAST(extract(year FROM c.month) AS integer) AS year,
		   sum(c.outpatient_visits + c.admissions) FILTER (WHERE f.care_level <= 'primary') AS gr_visits,
		   sum(c.outpatient_visits + c.admissions) FILTER (WHERE f.care_level > 'primary') AS other_visits,
		   sum(c.fund_fen) FILTER (WHERE f.care_level <= 'primary') AS gr_fund_fen, sum(c.fund_fen) AS fund_fen,
		   sum(c.outpatient_visits) AS outpatient_visits, sum(c.outpatient_fen) AS outpatient_fen,
		   sum(c.admissions) AS admissions, sum(c.inpatient_fen) AS inpatient_fen
	  FROM facility_cell AS c JOIN facility AS f ON f.id = c.facility_id
	 GROUP BY 1, 2
), chronic AS (
	-- managed rounded as county_year_population rounds it (the same key),
	-- controlled with a key of its own
	SELECT u.county, m.year,
		   CAST(sum(@extschema@.publish_round(m.controlled, k.min_cell, k.seed, 5, CAST(m.unit AS bigint), m.year, 1, 4))
				FILTER (WHERE m.disease = 'hypertension') AS bigint) AS htn_controlled,
		   CAST(sum(@extschema@.publish_round(m.managed, k.min_cell, k.seed, 5, CAST(m.unit AS bigint), m.year, 1, 2))
				FILTER (WHERE m.disease = 'hypertension' AND m.controlled IS NOT NULL) AS bigint) AS htn_managed,
		   CAST(sum(@extschema@.publish_round(m.controlled, k.min_cell, k.seed, 5, CAST(m.unit AS bigint), m.year, 2, 4))
				FILTER (WHERE m.disease = 'diabetes') AS bigint) AS dm_controlled,
		   CAST(sum(@extschema@.publish_round(m.managed, k.min_cell, k.seed, 5, CAST(m.unit AS bigint), m.year, 2, 2))
				FILTER (WHERE m.disease = 'diabetes' AND m.controlled IS NOT NULL) AS bigint) AS dm_managed
	  FROM chronic_management AS m JOIN unit AS u ON u.code OPERATOR(@extschema@.=) m.unit CROSS JOIN k
	 GROUP BY 1, 2
), w AS (
	-- the warehouse's rows: dispatch and population (resources, as loaded)
	SELECT r.county, r.year, r.population, r.grassroots_facilities, r.facilities_with_dispatch,
		   r.dispatch_coverage, r.dispatched_doctor_days, r.doctor_days_per_facility
	  FROM county_year_resources AS r
)
SELECT CAST(w.county AS text) AS county, d.name AS county_name,
	   EXISTS (SELECT FROM consortium AS c WHERE c.area OPERATOR(@extschema@.@>) w.county) AS in_area,
	   w.year, w.population, w.grassroots_facilities, w.facilities_with_dispatch,
	   @extschema@.publish_digits(w.dispatch_coverage) AS dispatch_coverage,
	   @extschema@.publish_digits(w.dispatched_doctor_days, 1) AS dispatched_doctor_days,
	   @extschema@.publish_digits(w.doctor_days_per_facility, 1) AS doctor_days_per_facility,
	   coalesce(c.gr_outpatient, 0) AS grassroots_outpatient_visits,
	   CASE WHEN b.gr_outpatient > 0
			THEN @extschema@.publish_digits(CAST(c.gr_outpatient AS double precision) / b.gr_outpatient - 1) END AS grassroots_outpatient_growth,
	   @extschema@.publish_ratio(coalesce(t.gr_tcm, 0), c.gr_outpatient) AS grassroots_tcm_share,
	   CASE WHEN m.gr_visits >= k.min_cell AND m.other_visits >= k.min_cell AND m.fund_fen > 0
			THEN @extschema@.publish_digits(CAST(m.gr_fund_fen / m.fund_fen AS double precision)) END AS grassroots_fund_share,
	   CASE WHEN m.outpatient_visits >= k.min_cell
			THEN @extschema@.publish_digits(CAST(m.outpatient_fen / m.outpatient_visits / 100 AS double precision), 1) END AS cost_per_outpatient_visit,
	   CASE WHEN m.admissions >= k.min_cell
			THEN @extschema@.publish_digits(CAST(m.inpatient_fen / m.admissions / 100 AS double precision), 1) END AS cost_per_admission,
	   @extschema@.publish_ratio(h.htn_controlled, h.htn_managed) AS hypertension_control_rate,
	   @extschema@.publish_ratio(h.dm_controlled, h.dm_managed) AS diabetes_control_rate
  FROM w CROSS JOIN k
  LEFT JOIN visits AS c ON c.county OPERATOR(@extschema@.=) w.county AND c.year = w.year
  LEFT JOIN visits AS b ON b.county OPERATOR(@extschema@.=) w.county AND b.year = w.year - 1
  LEFT JOIN tcm AS t ON t.county OPERATOR(@extschema@.=) w.county AND t.year = w.year
  LEFT JOIN money AS m ON m.county OPERATOR(@extschema@.=) w.county AND m.year = w.year
  LEFT JOIN chronic AS h ON h.county OPERATOR(@extschema@.=) w.county AND h.year = w.year
  LEFT JOIN @extschema@.division AS d ON d.code OPERATOR(@extschema@.=) w.county;
COMMENT ON VIEW county_year_resources IS 'published county x year: dispatched doctors (resources, as loaded), grassroots outpatient visits, their growth and the TCM share from the rounded visit cells (those of grassroots_share, the TCM share a ratio of a part of them to them), the fund''s share at grassroots facilities and the costs where min_cell or more visits stand behind them, control rates from per-unit rounded counts';
COMMENT ON COLUMN county_year_resources.county IS 'county (division code as text)';
COMMENT ON COLUMN county_year_resources.county_name IS 'name of the county';
COMMENT ON COLUMN county_year_resources.in_area IS 'true when the county lies in the area of one of the model''s consortia';
COMMENT ON COLUMN county_year_resources.year IS 'calendar year';
COMMENT ON COLUMN county_year_resources.population IS 'resident population of the county''s units (a published statistic)';
COMMENT ON COLUMN county_year_resources.grassroots_facilities IS 'primary facilities (township and community health centres) of the county';
COMMENT ON COLUMN county_year_resources.facilities_with_dispatch IS 'of them, those with a doctor dispatched from a secondary or tertiary facility in the year';
COMMENT ON COLUMN county_year_resources.dispatch_coverage IS '派驻覆盖率: facilities_with_dispatch / grassroots_facilities, to 0.001';
COMMENT ON COLUMN county_year_resources.dispatched_doctor_days IS 'doctor-days of dispatched doctors at the county''s primary facilities, to 0.1';
COMMENT ON COLUMN county_year_resources.doctor_days_per_facility IS 'dispatched_doctor_days / grassroots_facilities, to 0.1';
COMMENT ON COLUMN county_year_resources.grassroots_outpatient_visits IS 'outpatient visits at the county''s village and primary facilities: the sum of the rounded visit_cells';
COMMENT ON COLUMN county_year_resources.grassroots_outpatient_growth IS '基层门诊量增长率: of the rounded visits, to 0.001';
COMMENT ON COLUMN county_year_resources.grassroots_tcm_share IS '基层中医诊疗量占比: the published visit_cells tcm over all of grassroots_outpatient_visits'' cells, to 0.001';
COMMENT ON COLUMN county_year_resources.grassroots_fund_share IS '基层医疗卫生机构医保基金支出占比, to 0.001; shown where min_cell or more visits lie at grassroots facilities and at the others';
COMMENT ON COLUMN county_year_resources.cost_per_outpatient_visit IS '次均门诊费用 at the county''s facilities, yuan to 0.1; NULL below min_cell visits';
COMMENT ON COLUMN county_year_resources.cost_per_admission IS '次均住院费用 at the county''s facilities, yuan to 0.1; NULL below min_cell admissions';
COMMENT ON COLUMN county_year_resources.hypertension_control_rate IS '管理人群血压控制率: of per-unit rounded counts, to 0.001';
COMMENT ON COLUMN county_year_resources.diabetes_control_rate IS '管理人群血糖控制率: of per-unit rounded counts, to 0.001';
