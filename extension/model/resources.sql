-------------------------------------------------------------------------------
-- model/resources.sql: what the consortium sends down and shares, its money
-- and its capacity (docs/model.md, "Resources, remote services, cost and
-- capacity").
--
--  * columns on the facts and dimensions: chronic_management.controlled
--    (visit.tcm, visit.discharge_date and visit.surgery_grade are defined
--    with visit in facts.sql: the visit cells of states.sql count them);
--  * tables loaded as they are (small, not partitioned, checked by foreign
--    keys and named CHECK constraints): doctor_dispatch (派驻),
--    appointment_slots (号源), remote_service (远程影像 / 心电 / 病理 /
--    检验 / 会诊), facility_beds (open beds where they change);
--  * facility_cell: the exact facility x month counts of the visits and
--    referrals, kept by refresh_states with the other cells.
-------------------------------------------------------------------------------

ALTER TABLE chronic_management
	ADD COLUMN controlled bigint,
	ADD CONSTRAINT chronic_controlled_within_managed CHECK (controlled >= 0 AND controlled <= managed);
COMMENT ON COLUMN chronic_management.controlled IS 'managed patients controlled at their last follow-up of the year (hypertension: blood pressure, diabetes: blood glucose; 血压 / 血糖控制); between 0 and managed; NULL when not reported';

CREATE TABLE doctor_dispatch (
	id			bigint,
	doctor		text NOT NULL,
	from_facility_id integer NOT NULL REFERENCES facility (id),
	to_facility_id integer NOT NULL REFERENCES facility (id),
	start_date	date NOT NULL,
	end_date	date NOT NULL,
	days		integer,
	CONSTRAINT dispatch_ends_not_before_start CHECK (end_date >= start_date),
	CONSTRAINT dispatch_not_to_itself CHECK (from_facility_id <> to_facility_id),
	CONSTRAINT dispatch_days_within_period CHECK (days >= 1 AND (end_date < start_date OR days <= end_date - start_date + 1))
);
CREATE INDEX doctor_dispatch_to_idx ON doctor_dispatch (to_facility_id);
COMMENT ON TABLE doctor_dispatch IS 'doctors dispatched (派驻 / 下沉) from one facility to another for a period, e.g. a county hospital''s specialist at a township health centre on a weekly rota';
COMMENT ON COLUMN doctor_dispatch.id IS 'the source system''s id, as loaded; optional';
COMMENT ON COLUMN doctor_dispatch.doctor IS 'the doctor (an identifier of the source system, e.g. the licence number)';
COMMENT ON COLUMN doctor_dispatch.from_facility_id IS 'the sending facility';
COMMENT ON COLUMN doctor_dispatch.to_facility_id IS 'the receiving facility; never the sending one';
COMMENT ON COLUMN doctor_dispatch.start_date IS 'first day of the dispatch';
COMMENT ON COLUMN doctor_dispatch.end_date IS 'last day of the dispatch (inclusive), not before start_date';
COMMENT ON COLUMN doctor_dispatch.days IS 'days the doctor works at the receiving facility in the period (a weekly rota: fewer than the calendar days); NULL: every day from start_date to end_date';

CREATE TABLE appointment_slots (
	facility_id	integer NOT NULL REFERENCES facility (id),
	month		date NOT NULL CONSTRAINT slots_month_first_day CHECK (extract(day FROM month) = 1),
	offered		bigint NOT NULL,
	opened		bigint NOT NULL DEFAULT 0,
	used		bigint NOT NULL DEFAULT 0,
	CONSTRAINT slots_not_negative CHECK (offered >= 0 AND opened >= 0 AND used >= 0),
	CONSTRAINT slots_opened_within_offered CHECK (opened <= offered),
	CONSTRAINT slots_used_within_opened CHECK (used <= opened),
	PRIMARY KEY (facility_id, month)
);
COMMENT ON TABLE appointment_slots IS 'appointment slots (号源) of a facility per month: offered, opened to grassroots referrers (预留给基层), used by them';
COMMENT ON COLUMN appointment_slots.facility_id IS 'the facility whose slots these are (usually a county or city hospital)';
COMMENT ON COLUMN appointment_slots.month IS 'first day of the month';
COMMENT ON COLUMN appointment_slots.offered IS 'slots offered (号源总量)';
COMMENT ON COLUMN appointment_slots.opened IS 'of them, opened to grassroots facilities to book for their patients; at most offered';
COMMENT ON COLUMN appointment_slots.used IS 'opened slots booked by grassroots facilities and used; at most opened';

-- Times are local (the warehouse's civil time, China Standard Time), so the
-- month of a service and its turnaround never depend on a session's TimeZone.
CREATE TABLE remote_service (
	id			bigint,
	request_facility_id integer NOT NULL REFERENCES facility (id),
	performing_facility_id integer NOT NULL REFERENCES facility (id),
	service_type text NOT NULL CONSTRAINT remote_service_type_known
				CHECK (service_type IN ('imaging', 'ecg', 'pathology', 'laboratory', 'consultation')),
	requested_at timestamp NOT NULL,
	reported_at	timestamp,
	recognised	boolean NOT NULL DEFAULT false,
	CONSTRAINT remote_service_not_to_itself CHECK (request_facility_id <> performing_facility_id),
	CONSTRAINT remote_service_reported_after_request CHECK (reported_at >= requested_at)
);
CREATE INDEX remote_service_requested_idx ON remote_service (requested_at);
COMMENT ON TABLE remote_service IS 'remote services (远程医疗): a facility sends an image, ECG, slide or sample, or asks a consultation, and another reports';
COMMENT ON COLUMN remote_service.id IS 'the source system''s id, as loaded; optional';
COMMENT ON COLUMN remote_service.request_facility_id IS 'the requesting facility (usually grassroots)';
COMMENT ON COLUMN remote_service.performing_facility_id IS 'the facility that reads and reports (usually the lead hospital''s imaging, ECG, pathology or laboratory centre); never the requesting one';
COMMENT ON COLUMN remote_service.service_type IS 'imaging (影像), ecg (心电), pathology (病理), laboratory (检验) or consultation (会诊)';
COMMENT ON COLUMN remote_service.requested_at IS 'when the request was sent, local time';
COMMENT ON COLUMN remote_service.reported_at IS 'when the report came back, local time, not before requested_at; NULL while not reported';
COMMENT ON COLUMN remote_service.recognised IS 'true when the result was recognised elsewhere instead of repeated (检查检验结果互认)';

CREATE TABLE facility_beds (
	facility_id	integer NOT NULL REFERENCES facility (id),
	month		date NOT NULL CONSTRAINT facility_beds_month_first_day CHECK (extract(day FROM month) = 1),
	beds		integer NOT NULL CONSTRAINT facility_beds_count_not_negative CHECK (beds >= 0),
	PRIMARY KEY (facility_id, month)
);
COMMENT ON TABLE facility_beds IS 'open beds (实际开放床位) of a facility from a month on, where they change; months before a facility''s first row use facility.beds';
COMMENT ON COLUMN facility_beds.facility_id IS 'the facility';
COMMENT ON COLUMN facility_beds.month IS 'first day of the first month with these beds';
COMMENT ON COLUMN facility_beds.beds IS 'open beds from that month until the facility''s next row';

-- The facility x month counts every resource view reads: exact, never
-- suppressed (restrict access to it), kept by refresh_states.  Stays count
-- in the month of admission (visit_date), their bed-days included.
CREATE TABLE facility_cell (
	month		date NOT NULL,
	facility_id	integer NOT NULL,
	outpatient_visits bigint NOT NULL,
	tcm_outpatient_visits bigint NOT NULL,
	outpatient_fen bigint NOT NULL,
	admissions	bigint NOT NULL,
	inpatient_fen bigint NOT NULL,
	fund_fen	bigint NOT NULL,
	discharges	bigint NOT NULL,
	bed_days	bigint NOT NULL,
	grade34_discharges bigint NOT NULL,
	referrals_down bigint NOT NULL,
	referrals_within_consortium bigint NOT NULL,
	referrals_outside_consortium bigint NOT NULL,
	PRIMARY KEY (month, facility_id)
);
COMMENT ON TABLE facility_cell IS 'visits, stays and referrals per month x facility, exact, kept by refresh_model: the cells the resource views sum (the published layer rounds each); not protected: restrict access to it';
COMMENT ON COLUMN facility_cell.month IS 'first day of the month';
COMMENT ON COLUMN facility_cell.facility_id IS 'the facility';
COMMENT ON COLUMN facility_cell.outpatient_visits IS 'outpatient visits at the facility';
COMMENT ON COLUMN facility_cell.tcm_outpatient_visits IS 'of them, TCM visits (visit.tcm)';
COMMENT ON COLUMN facility_cell.outpatient_fen IS 'total cost of the outpatient visits, fen';
COMMENT ON COLUMN facility_cell.admissions IS 'inpatient admissions at the facility';
COMMENT ON COLUMN facility_cell.inpatient_fen IS 'total cost of the admissions, fen';
COMMENT ON COLUMN facility_cell.fund_fen IS 'insurance-fund payments of all the facility''s visits, fen';
COMMENT ON COLUMN facility_cell.discharges IS 'admissions of the month that have a discharge date (出院人数, by month of admission)';
COMMENT ON COLUMN facility_cell.bed_days IS 'bed-days of those stays: discharge_date - visit_date, at least 1 (a same-day stay is one bed-day)';
COMMENT ON COLUMN facility_cell.grade34_discharges IS 'discharges whose stay had a grade 3 or 4 operation (三、四级手术)';
COMMENT ON COLUMN facility_cell.referrals_down IS 'downward referrals sent by the facility (kind referral, to a lower care level: 下转患者人次)';
COMMENT ON COLUMN facility_cell.referrals_within_consortium IS 'referrals (kind referral) sent by the facility to another facility of its consortium';
COMMENT ON COLUMN facility_cell.referrals_outside_consortium IS 'referrals (kind referral) sent by a member facility to a facility outside its consortium';

-- The facility cells of the months whose first days lie in [lo, hi),
-- computed from the facts (the rules of county_month_range, states.sql).
CREATE FUNCTION facility_cell_range(lo date, hi date) RETURNS SETOF facility_cell
	LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET plan_cache_mode = force_custom_plan AS
$fn$
BEGIN
	RETURN QUERY
	WITH parts AS (
		SELECT CAST(pg_catalog.date_trunc('month', v.visit_date) AS date) AS month, v.facility_id,
			   pg_catalog.count(*) FILTER (WHERE v.kind = 'outpatient') AS outpatient_visits,
			   pg_catalog.count(*) FILTER (WHERE v.kind = 'outpatient' AND v.tcm) AS tcm_outpatient_visits,
			   coalesce(pg_catalog.sum(v.total_fen) FILTER (WHERE v.kind = 'outpatient'), 0) AS outpatient_fen,
			   pg_catalog.count(*) FILTER (WHERE v.kind = 'inpatient') AS admissions,
			   coalesce(pg_catalog.sum(v.total_fen) FILTER (WHERE v.kind = 'inpatient'), 0) AS inpatient_fen,
			   pg_catalog.sum(v.fund_fen) AS fund_fen,
			   pg_catalog.count(v.discharge_date) AS discharges,
			   coalesce(pg_catalog.sum(pg_catalog.int4larger(v.discharge_date OPERATOR(pg_catalog.-) v.visit_date, 1)), 0) AS bed_days,
			   pg_catalog.count(v.discharge_date) FILTER (WHERE v.surgery_grade >= 3) AS grade34_discharges,
			   0 AS referrals_down, 0 AS referrals_within_consortium, 0 AS referrals_outside_consortium
		  FROM visit AS v
		 WHERE v.visit_date >= lo AND v.visit_date < hi
		 GROUP BY 1, 2
		UNION ALL
		SELECT CAST(pg_catalog.date_trunc('month', r.referral_date) AS date), r.from_facility_id,
			   0, 0, 0, 0, 0, 0, 0, 0, 0,
			   pg_catalog.count(*) FILTER (WHERE b.care_level OPERATOR(pg_catalog.<) a.care_level),
			   pg_catalog.count(*) FILTER (WHERE a.consortium_id = b.consortium_id),
			   pg_catalog.count(*) FILTER (WHERE a.consortium_id IS NOT NULL AND b.consortium_id IS DISTINCT FROM a.consortium_id)
		  FROM referral AS r
		  JOIN facility AS a ON a.id = r.from_facility_id
		  JOIN facility AS b ON b.id = r.to_facility_id
		 WHERE r.referral_date >= lo AND r.referral_date < hi AND r.kind = 'referral'
		 GROUP BY 1, 2
	)
	SELECT p.month, p.facility_id, CAST(sum(p.outpatient_visits) AS bigint), CAST(sum(p.tcm_outpatient_visits) AS bigint),
		   CAST(sum(p.outpatient_fen) AS bigint), CAST(sum(p.admissions) AS bigint), CAST(sum(p.inpatient_fen) AS bigint),
		   CAST(sum(p.fund_fen) AS bigint), CAST(sum(p.discharges) AS bigint), CAST(sum(p.bed_days) AS bigint),
		   CAST(sum(p.grade34_discharges) AS bigint), CAST(sum(p.referrals_down) AS bigint),
		   CAST(sum(p.referrals_within_consortium) AS bigint), CAST(sum(p.referrals_outside_consortium) AS bigint)
	  FROM parts AS p
	 GROUP BY p.month, p.facility_id;
END
$fn$;
REVOKE EXECUTE ON FUNCTION facility_cell_range(date, date) FROM PUBLIC;
COMMENT ON FUNCTION facility_cell_range(date, date) IS
	'facility cells (facility_cell) of the facts dated in [lo, hi) (give first days of months), computed from visit, referral and facility';

-- The open beds of every facility in every month of the facts (facility_cell):
-- the latest facility_beds row from that month back, else facility.beds.
CREATE VIEW facility_month_beds AS
SELECT f.id AS facility_id, m.month,
	   coalesce((SELECT b.beds FROM facility_beds AS b
				  WHERE b.facility_id = f.id AND b.month <= m.month
				  ORDER BY b.month DESC LIMIT 1), f.beds) AS beds,
	   CAST(extract(day FROM m.month + interval '1 month' - interval '1 day') AS integer) AS days
  FROM facility AS f
 CROSS JOIN (SELECT DISTINCT c.month FROM facility_cell AS c) AS m;
COMMENT ON VIEW facility_month_beds IS 'open beds of every facility in every month the facts cover (the months of facility_cell): the latest facility_beds row up to the month, else facility.beds';
COMMENT ON COLUMN facility_month_beds.facility_id IS 'the facility';
COMMENT ON COLUMN facility_month_beds.month IS 'first day of the month';
COMMENT ON COLUMN facility_month_beds.beds IS 'open beds in the month';
COMMENT ON COLUMN facility_month_beds.days IS 'days of the month (beds x days = the open bed-days, 实际开放总床日数)';

-- The turnaround of remote services as an exact histogram of whole minutes:
-- one row per month x county of the requesting facility x type x minutes.
-- A period's histogram is the sum of its months' rows (by minutes), so
-- months merge into quarters and years exactly, and so do counties; the
-- median and the 90th percentile of any period are read off the merged
-- histogram (remote_service_year).
CREATE VIEW remote_service_minutes AS
SELECT CAST(date_trunc('month', s.requested_at) AS date) AS month, f.county, s.service_type,
	   CAST(floor(extract(epoch FROM s.reported_at - s.requested_at) / 60) AS integer) AS minutes,
	   count(*) AS services, count(*) FILTER (WHERE s.recognised) AS recognised
  FROM remote_service AS s JOIN facility AS f ON f.id = s.request_facility_id
 GROUP BY 1, 2, 3, 4;
COMMENT ON VIEW remote_service_minutes IS 'remote services per month x county of the requesting facility x type x turnaround in whole minutes: the mergeable histogram state of the turnaround (sum the rows of several months by minutes to merge them); not suppressed';
COMMENT ON COLUMN remote_service_minutes.month IS 'first day of the month of the request';
COMMENT ON COLUMN remote_service_minutes.county IS 'county of the requesting facility';
COMMENT ON COLUMN remote_service_minutes.service_type IS 'imaging, ecg, pathology, laboratory or consultation';
COMMENT ON COLUMN remote_service_minutes.minutes IS 'turnaround: whole minutes from request to report (rounded down); NULL for services not reported yet';
COMMENT ON COLUMN remote_service_minutes.services IS 'services of the cell';
COMMENT ON COLUMN remote_service_minutes.recognised IS 'of them, results recognised elsewhere (互认)';
