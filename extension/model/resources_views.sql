-------------------------------------------------------------------------------
-- model/resources_views.sql: the views of what the consortium sends down and
-- shares, its money and capacity (docs/model.md, "Resources, remote
-- services, cost and capacity").  Counts of patients are sums of the exact
-- cells (facility_cell, remote_service_minutes, chronic_management) and go
-- through count_public / rate_public with the model's min_cell, like the
-- county views; amounts of money are shown as ratios only, where min_cell or
-- more visits stand behind them; doctors, beds and slots offered are
-- resources, not patients, and are shown as loaded.
-------------------------------------------------------------------------------

CREATE VIEW county_year_resources AS
WITH cfg AS (
	SELECT c.min_cell, c.residence_def FROM model_config AS c LIMIT 1
), cells AS (
	SELECT f.county, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.outpatient_visits) FILTER (WHERE f.care_level <= 'primary') AS bigint) AS gr_outpatient,
		   CAST(sum(c.tcm_outpatient_visits) FILTER (WHERE f.care_level <= 'primary') AS bigint) AS gr_tcm,
		   CAST(sum(c.outpatient_visits + c.admissions) FILTER (WHERE f.care_level <= 'primary') AS bigint) AS gr_visits,
		   CAST(sum(c.outpatient_visits + c.admissions) FILTER (WHERE f.care_level > 'primary') AS bigint) AS other_visits,
		   sum(c.fund_fen) FILTER (WHERE f.care_level <= 'primary') AS gr_fund_fen,
		   sum(c.fund_fen) AS fund_fen,
		   CAST(sum(c.outpatient_visits) AS bigint) AS outpatient_visits, sum(c.outpatient_fen) AS outpatient_fen,
		   CAST(sum(c.admissions) AS bigint) AS admissions, sum(c.inpatient_fen) AS inpatient_fen
	  FROM facility_cell AS c JOIN facility AS f ON f.id = c.facility_id
	 GROUP BY 1, 2
), disp AS (
	-- A dispatch's days are spread over the years it spans in proportion to
	-- its calendar days in each.
	SELECT t.county, y.year, count(DISTINCT t.id) AS facilities,
		   sum(CAST(coalesce(d.days, d.end_date - d.start_date + 1) AS double precision)
			   * (least(d.end_date, make_date(y.year, 12, 31)) - greatest(d.start_date, make_date(y.year, 1, 1)) + 1)
			   / (d.end_date - d.start_date + 1)) AS doctor_days
	  FROM doctor_dispatch AS d
	  JOIN facility AS s ON s.id = d.from_facility_id
	  JOIN facility AS t ON t.id = d.to_facility_id
	 CROSS JOIN LATERAL generate_series(CAST(extract(year FROM d.start_date) AS integer),
										CAST(extract(year FROM d.end_date) AS integer)) AS y(year)
	 WHERE t.care_level = 'primary' AND s.care_level > 'primary'
	 GROUP BY 1, 2
), chronic AS (
	SELECT u.county, m.year,
		   CAST(sum(m.controlled) FILTER (WHERE m.disease = 'hypertension') AS bigint) AS htn_controlled,
		   CAST(sum(m.managed) FILTER (WHERE m.disease = 'hypertension' AND m.controlled IS NOT NULL) AS bigint) AS htn_managed,
		   CAST(sum(m.controlled) FILTER (WHERE m.disease = 'diabetes') AS bigint) AS dm_controlled,
		   CAST(sum(m.managed) FILTER (WHERE m.disease = 'diabetes' AND m.controlled IS NOT NULL) AS bigint) AS dm_managed
	  FROM chronic_management AS m JOIN unit AS u ON u.code OPERATOR(@extschema@.=) m.unit
	 GROUP BY 1, 2
), keys AS (
	SELECT cells.county, cells.year FROM cells
	UNION SELECT disp.county, disp.year FROM disp
	UNION SELECT chronic.county, chronic.year FROM chronic
)
SELECT k.county, @extschema@.adcode_name(k.county) AS county_name,
	   EXISTS (SELECT FROM consortium AS c WHERE c.area OPERATOR(@extschema@.@>) k.county) AS in_area,
	   k.year,
	   (SELECT CAST(sum(p.population) AS bigint) FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
		 WHERE u.county OPERATOR(@extschema@.=) k.county AND p.year = k.year AND p.residence_def = cfg.residence_def) AS population,
	   g.facilities AS grassroots_facilities,
	   coalesce(d.facilities, 0) AS facilities_with_dispatch,
	   CAST(coalesce(d.facilities, 0) AS double precision) / nullif(g.facilities, 0) AS dispatch_coverage,
	   coalesce(d.doctor_days, 0) AS dispatched_doctor_days,
	   coalesce(d.doctor_days, 0) / nullif(g.facilities, 0) AS doctor_days_per_facility,
	   @extschema@.count_public(c.gr_outpatient, cfg.min_cell) AS grassroots_outpatient_visits,
	   CASE WHEN c.gr_outpatient >= cfg.min_cell AND b.gr_outpatient >= cfg.min_cell
			THEN CAST(c.gr_outpatient AS double precision) / b.gr_outpatient - 1 END AS grassroots_outpatient_growth,
	   @extschema@.rate_public(@extschema@.hs_rate(c.gr_tcm, c.gr_outpatient), cfg.min_cell) AS grassroots_tcm_share,
	   CASE WHEN c.gr_visits >= cfg.min_cell AND c.other_visits >= cfg.min_cell AND c.fund_fen > 0
			THEN CAST(c.gr_fund_fen / c.fund_fen AS double precision) END AS grassroots_fund_share,
	   CASE WHEN c.outpatient_visits >= cfg.min_cell
			THEN CAST(c.outpatient_fen / c.outpatient_visits / 100 AS double precision) END AS cost_per_outpatient_visit,
	   CASE WHEN c.admissions >= cfg.min_cell
			THEN CAST(c.inpatient_fen / c.admissions / 100 AS double precision) END AS cost_per_admission,
	   @extschema@.rate_public(@extschema@.hs_rate(h.htn_controlled, h.htn_managed), cfg.min_cell) AS hypertension_control_rate,
	   @extschema@.rate_public(@extschema@.hs_rate(h.dm_controlled, h.dm_managed), cfg.min_cell) AS diabetes_control_rate
  FROM keys AS k CROSS JOIN cfg
  LEFT JOIN cells AS c ON c.county OPERATOR(@extschema@.=) k.county AND c.year = k.year
  LEFT JOIN cells AS b ON b.county OPERATOR(@extschema@.=) k.county AND b.year = k.year - 1
  LEFT JOIN disp AS d ON d.county OPERATOR(@extschema@.=) k.county AND d.year = k.year
  LEFT JOIN chronic AS h ON h.county OPERATOR(@extschema@.=) k.county AND h.year = k.year
  LEFT JOIN LATERAL (SELECT count(*) AS facilities FROM facility AS f
					  WHERE f.county OPERATOR(@extschema@.=) k.county AND f.care_level = 'primary') AS g ON true;
COMMENT ON VIEW county_year_resources IS 'county x year: doctors dispatched to the county''s grassroots facilities, their visits, TCM share and growth, the fund''s share at grassroots facilities, cost per visit and per admission at the county''s facilities, control of hypertension and diabetes; small cells suppressed below model_config.min_cell';
COMMENT ON COLUMN county_year_resources.county IS 'county (区县): of the facilities, of the units for the control rates';
COMMENT ON COLUMN county_year_resources.county_name IS 'name of the county (区县名称) from health_share.division';
COMMENT ON COLUMN county_year_resources.in_area IS 'true when the county lies in the area of one of the model''s consortia';
COMMENT ON COLUMN county_year_resources.year IS 'calendar year';
COMMENT ON COLUMN county_year_resources.population IS 'resident population of the county''s units (model_config.residence_def)';
COMMENT ON COLUMN county_year_resources.grassroots_facilities IS 'township health centres and community health centres (care level primary) of the county';
COMMENT ON COLUMN county_year_resources.facilities_with_dispatch IS 'of them, those with a doctor dispatched from a secondary or tertiary facility for at least one day of the year';
COMMENT ON COLUMN county_year_resources.dispatch_coverage IS '派驻覆盖率: facilities_with_dispatch / grassroots_facilities';
COMMENT ON COLUMN county_year_resources.dispatched_doctor_days IS 'doctor-days worked at the county''s primary facilities by doctors dispatched from secondary or tertiary facilities (a dispatch spanning years is spread by its calendar days)';
COMMENT ON COLUMN county_year_resources.doctor_days_per_facility IS 'dispatched_doctor_days / grassroots_facilities';
COMMENT ON COLUMN county_year_resources.grassroots_outpatient_visits IS '基层门诊人次: outpatient visits at the county''s village and primary facilities';
COMMENT ON COLUMN county_year_resources.grassroots_outpatient_growth IS '基层门诊量增长率: grassroots outpatient visits of the year / those of the year before - 1';
COMMENT ON COLUMN county_year_resources.grassroots_tcm_share IS '基层中医诊疗量占比: TCM outpatient visits / outpatient visits, at the county''s village and primary facilities';
COMMENT ON COLUMN county_year_resources.grassroots_fund_share IS '基层医疗卫生机构医保基金支出占比: fund payments at the county''s village and primary facilities / fund payments at all the county''s facilities; shown where min_cell or more visits lie on each side';
COMMENT ON COLUMN county_year_resources.cost_per_outpatient_visit IS '次均门诊费用: total cost of outpatient visits at the county''s facilities / those visits, yuan';
COMMENT ON COLUMN county_year_resources.cost_per_admission IS '次均住院费用: total cost of admissions at the county''s facilities / admissions, yuan';
COMMENT ON COLUMN county_year_resources.hypertension_control_rate IS '管理人群血压控制率: hypertension patients controlled at the last follow-up / those managed (units reporting controlled)';
COMMENT ON COLUMN county_year_resources.diabetes_control_rate IS '管理人群血糖控制率: diabetes patients controlled at the last follow-up / those managed (units reporting controlled)';

CREATE VIEW facility_year AS
WITH cfg AS (
	SELECT c.min_cell FROM model_config AS c LIMIT 1
), cells AS (
	SELECT c.facility_id, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.outpatient_visits) AS bigint) AS outpatient_visits, sum(c.outpatient_fen) AS outpatient_fen,
		   CAST(sum(c.admissions) AS bigint) AS admissions, sum(c.inpatient_fen) AS inpatient_fen,
		   CAST(sum(c.discharges) AS bigint) AS discharges, CAST(sum(c.bed_days) AS bigint) AS bed_days,
		   CAST(sum(c.grade34_discharges) AS bigint) AS grade34_discharges,
		   CAST(sum(c.referrals_down) AS bigint) AS referrals_down,
		   CAST(sum(c.referrals_within_consortium) AS bigint) AS referrals_within,
		   CAST(sum(c.referrals_outside_consortium) AS bigint) AS referrals_outside
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
		   CAST(sum(s.used) AS bigint) AS used
	  FROM appointment_slots AS s
	 GROUP BY 1, 2
), sent AS (
	SELECT d.from_facility_id AS facility_id, y.year, count(DISTINCT d.doctor) AS doctors,
		   sum(CAST(coalesce(d.days, d.end_date - d.start_date + 1) AS double precision)
			   * (least(d.end_date, make_date(y.year, 12, 31)) - greatest(d.start_date, make_date(y.year, 1, 1)) + 1)
			   / (d.end_date - d.start_date + 1)) AS doctor_days
	  FROM doctor_dispatch AS d
	 CROSS JOIN LATERAL generate_series(CAST(extract(year FROM d.start_date) AS integer),
										CAST(extract(year FROM d.end_date) AS integer)) AS y(year)
	 GROUP BY 1, 2
), keys AS (
	SELECT cells.facility_id, cells.year FROM cells
	UNION SELECT slots.facility_id, slots.year FROM slots
	UNION SELECT sent.facility_id, sent.year FROM sent
)
SELECT k.facility_id, f.name AS facility_name, f.care_level, f.county, f.consortium_id, k.year,
	   @extschema@.count_public(c.outpatient_visits, cfg.min_cell) AS outpatient_visits,
	   @extschema@.count_public(c.admissions, cfg.min_cell) AS admissions,
	   @extschema@.count_public(c.discharges, cfg.min_cell) AS discharges,
	   CASE WHEN c.discharges >= cfg.min_cell THEN c.bed_days END AS bed_days,
	   b.open_bed_days,
	   CASE WHEN c.discharges >= cfg.min_cell THEN CAST(c.bed_days AS double precision) / nullif(b.open_bed_days, 0) END AS bed_occupancy,
	   CASE WHEN c.discharges >= cfg.min_cell THEN CAST(c.bed_days AS double precision) / c.discharges END AS average_length_of_stay,
	   @extschema@.rate_public(@extschema@.hs_rate(c.grade34_discharges, c.discharges), cfg.min_cell) AS grade34_surgery_share,
	   CASE WHEN c.outpatient_visits >= cfg.min_cell
			THEN CAST(c.outpatient_fen / c.outpatient_visits / 100 AS double precision) END AS cost_per_outpatient_visit,
	   CASE WHEN c.admissions >= cfg.min_cell
			THEN CAST(c.inpatient_fen / c.admissions / 100 AS double precision) END AS cost_per_admission,
	   s.offered AS slots_offered, s.opened AS slots_opened,
	   @extschema@.count_public(s.used, cfg.min_cell) AS slots_used,
	   CAST(s.opened AS double precision) / nullif(s.offered, 0) AS slots_opened_share,
	   @extschema@.rate_public(@extschema@.hs_rate(s.used, s.opened), cfg.min_cell) AS slots_use_rate,
	   @extschema@.count_public(c.referrals_down, cfg.min_cell) AS referrals_down_sent,
	   @extschema@.count_public(c.referrals_within, cfg.min_cell) AS referrals_within_consortium,
	   @extschema@.count_public(c.referrals_outside, cfg.min_cell) AS referrals_outside_consortium,
	   coalesce(t.doctors, 0) AS doctors_dispatched,
	   coalesce(t.doctor_days, 0) AS dispatched_doctor_days
  FROM keys AS k CROSS JOIN cfg
  JOIN facility AS f ON f.id = k.facility_id
  LEFT JOIN cells AS c ON c.facility_id = k.facility_id AND c.year = k.year
  LEFT JOIN beds AS b ON b.facility_id = k.facility_id AND b.year = k.year
  LEFT JOIN slots AS s ON s.facility_id = k.facility_id AND s.year = k.year
  LEFT JOIN sent AS t ON t.facility_id = k.facility_id AND t.year = k.year;
COMMENT ON VIEW facility_year IS 'facility x year: visits, stays, bed occupancy, length of stay, grade 3-4 surgery, cost, appointment slots opened to grassroots, referrals sent and doctors dispatched; small cells suppressed below model_config.min_cell';
COMMENT ON COLUMN facility_year.facility_id IS 'the facility';
COMMENT ON COLUMN facility_year.facility_name IS 'its name';
COMMENT ON COLUMN facility_year.care_level IS 'its care level';
COMMENT ON COLUMN facility_year.county IS 'the county it lies in';
COMMENT ON COLUMN facility_year.consortium_id IS 'the consortium it belongs to; NULL for none';
COMMENT ON COLUMN facility_year.year IS 'calendar year';
COMMENT ON COLUMN facility_year.outpatient_visits IS 'outpatient visits (门急诊人次)';
COMMENT ON COLUMN facility_year.admissions IS 'inpatient admissions (入院人次)';
COMMENT ON COLUMN facility_year.discharges IS 'admissions of the year with a discharge date (出院人数, by year of admission)';
COMMENT ON COLUMN facility_year.bed_days IS 'bed-days of those stays (出院者占用总床日数); NULL below min_cell discharges';
COMMENT ON COLUMN facility_year.open_bed_days IS 'open bed-days (实际开放总床日数): open beds x days over the months of the year the facts cover';
COMMENT ON COLUMN facility_year.bed_occupancy IS '病床使用率: bed_days / open_bed_days';
COMMENT ON COLUMN facility_year.average_length_of_stay IS '平均住院日: bed_days / discharges, days';
COMMENT ON COLUMN facility_year.grade34_surgery_share IS '出院患者三、四级手术占比: discharges with a grade 3 or 4 operation / discharges';
COMMENT ON COLUMN facility_year.cost_per_outpatient_visit IS '次均门诊费用: total cost of the outpatient visits / visits, yuan';
COMMENT ON COLUMN facility_year.cost_per_admission IS '次均住院费用: total cost of the admissions / admissions, yuan';
COMMENT ON COLUMN facility_year.slots_offered IS 'appointment slots offered (号源)';
COMMENT ON COLUMN facility_year.slots_opened IS 'slots opened to grassroots facilities';
COMMENT ON COLUMN facility_year.slots_used IS 'opened slots used by grassroots facilities';
COMMENT ON COLUMN facility_year.slots_opened_share IS '号源下沉比例: slots_opened / slots_offered';
COMMENT ON COLUMN facility_year.slots_use_rate IS 'slots_used / slots_opened';
COMMENT ON COLUMN facility_year.referrals_down_sent IS '下转患者人次: referrals sent by the facility to a lower care level';
COMMENT ON COLUMN facility_year.referrals_within_consortium IS 'referrals sent to a facility of the same consortium';
COMMENT ON COLUMN facility_year.referrals_outside_consortium IS 'referrals sent by a member facility to a facility outside its consortium';
COMMENT ON COLUMN facility_year.doctors_dispatched IS 'doctors the facility dispatched to other facilities for at least one day of the year';
COMMENT ON COLUMN facility_year.dispatched_doctor_days IS 'their doctor-days at the receiving facilities';

CREATE VIEW consortium_year_referrals AS
WITH cfg AS (
	SELECT c.min_cell FROM model_config AS c LIMIT 1
), y AS (
	SELECT f.consortium_id, CAST(extract(year FROM c.month) AS integer) AS year,
		   CAST(sum(c.referrals_within_consortium) AS bigint) AS within,
		   CAST(sum(c.referrals_outside_consortium) AS bigint) AS outside,
		   CAST(sum(c.referrals_down) AS bigint) AS down
	  FROM facility_cell AS c JOIN facility AS f ON f.id = c.facility_id
	 WHERE f.consortium_id IS NOT NULL
	 GROUP BY 1, 2
)
SELECT y.consortium_id, co.name AS consortium_name, y.year,
	   @extschema@.count_public(y.within + y.outside, cfg.min_cell) AS referrals_sent,
	   @extschema@.count_public(y.within, cfg.min_cell) AS referrals_within_consortium,
	   @extschema@.count_public(y.outside, cfg.min_cell) AS referrals_outside_consortium,
	   @extschema@.rate_public(@extschema@.hs_rate(y.within, y.within + y.outside), cfg.min_cell) AS within_consortium_share,
	   @extschema@.count_public(y.down, cfg.min_cell) AS referrals_down_sent
  FROM y CROSS JOIN cfg JOIN consortium AS co ON co.id = y.consortium_id;
COMMENT ON VIEW consortium_year_referrals IS 'consortium x year: referrals sent by the member facilities, inside the consortium and out of it; small cells suppressed below model_config.min_cell';
COMMENT ON COLUMN consortium_year_referrals.consortium_id IS 'the consortium';
COMMENT ON COLUMN consortium_year_referrals.consortium_name IS 'its name';
COMMENT ON COLUMN consortium_year_referrals.year IS 'calendar year';
COMMENT ON COLUMN consortium_year_referrals.referrals_sent IS 'referrals (kind referral) sent by member facilities';
COMMENT ON COLUMN consortium_year_referrals.referrals_within_consortium IS 'of them, to another member facility (医共体内转诊)';
COMMENT ON COLUMN consortium_year_referrals.referrals_outside_consortium IS 'of them, to a facility outside the consortium';
COMMENT ON COLUMN consortium_year_referrals.within_consortium_share IS 'referrals_within_consortium / referrals_sent';
COMMENT ON COLUMN consortium_year_referrals.referrals_down_sent IS '下转患者人次 of the member facilities';

-- The quantiles are those of percentile_disc: the smallest whole minute m
-- whose cumulative count reaches the fraction (cum(m) / n >= 0.5 or 0.9),
-- read off the year's histogram, the sum of its months'.
CREATE VIEW remote_service_year AS
WITH cfg AS (
	SELECT c.min_cell, c.residence_def FROM model_config AS c LIMIT 1
), h AS (
	SELECT m.county, CAST(extract(year FROM m.month) AS integer) AS year, m.service_type, m.minutes,
		   CAST(sum(m.services) AS bigint) AS services, CAST(sum(m.recognised) AS bigint) AS recognised
	  FROM remote_service_minutes AS m
	 GROUP BY 1, 2, 3, 4
), c AS (
	SELECT h.*, sum(h.services) FILTER (WHERE h.minutes IS NOT NULL)
					OVER (PARTITION BY h.county, h.year, h.service_type ORDER BY h.minutes) AS cum,
		   sum(h.services) FILTER (WHERE h.minutes IS NOT NULL)
					OVER (PARTITION BY h.county, h.year, h.service_type) AS reported
	  FROM h
), y AS (
	SELECT c.county, c.year, c.service_type, CAST(sum(c.services) AS bigint) AS services,
		   CAST(sum(c.recognised) AS bigint) AS recognised, CAST(max(c.reported) AS bigint) AS reported,
		   min(c.minutes) FILTER (WHERE c.cum * 2 >= c.reported) AS median,
		   min(c.minutes) FILTER (WHERE c.cum * 10 >= c.reported * 9) AS p90
	  FROM c
	 GROUP BY 1, 2, 3
)
SELECT y.county, @extschema@.adcode_name(y.county) AS county_name, y.year, y.service_type,
	   @extschema@.count_public(y.services, cfg.min_cell) AS services,
	   CASE WHEN @extschema@.count_public(y.services, cfg.min_cell) IS NOT NULL
			THEN CAST(10000.0 * y.services / nullif(pop.population, 0) AS double precision) END AS services_per_10000,
	   @extschema@.count_public(coalesce(y.reported, 0), cfg.min_cell) AS reported,
	   CASE WHEN y.reported >= cfg.min_cell THEN y.median END AS turnaround_median_minutes,
	   CASE WHEN y.reported >= cfg.min_cell THEN y.p90 END AS turnaround_p90_minutes,
	   @extschema@.count_public(y.recognised, cfg.min_cell) AS recognised,
	   @extschema@.rate_public(@extschema@.hs_rate(y.recognised, y.services), cfg.min_cell) AS recognised_share
  FROM y CROSS JOIN cfg
  LEFT JOIN LATERAL (SELECT sum(p.population) AS population FROM population AS p JOIN unit AS u ON u.code OPERATOR(@extschema@.=) p.unit
					  WHERE u.county OPERATOR(@extschema@.=) y.county AND p.year = y.year
						AND p.residence_def = cfg.residence_def) AS pop ON true;
COMMENT ON VIEW remote_service_year IS 'county of the requesting facility x year x type: remote services per 10,000 residents, their turnaround (median and 90th percentile from the merged monthly histograms, exact) and the share recognised elsewhere; small cells suppressed below model_config.min_cell';
COMMENT ON COLUMN remote_service_year.county IS 'county of the requesting facilities';
COMMENT ON COLUMN remote_service_year.county_name IS 'name of the county';
COMMENT ON COLUMN remote_service_year.year IS 'calendar year of the requests';
COMMENT ON COLUMN remote_service_year.service_type IS 'imaging (远程影像), ecg (远程心电), pathology (远程病理), laboratory (远程检验) or consultation (远程会诊)';
COMMENT ON COLUMN remote_service_year.services IS 'services requested';
COMMENT ON COLUMN remote_service_year.services_per_10000 IS 'services per 10,000 residents of the county (model_config.residence_def)';
COMMENT ON COLUMN remote_service_year.reported IS 'of them, reported (the turnaround is known)';
COMMENT ON COLUMN remote_service_year.turnaround_median_minutes IS 'median turnaround, whole minutes from request to report (percentile_disc(0.5) of the reported services); NULL below min_cell reported';
COMMENT ON COLUMN remote_service_year.turnaround_p90_minutes IS '90th percentile of the turnaround, whole minutes (percentile_disc(0.9))';
COMMENT ON COLUMN remote_service_year.recognised IS 'results recognised elsewhere instead of repeated (检查检验结果互认)';
COMMENT ON COLUMN remote_service_year.recognised_share IS '互认率: recognised / services';
