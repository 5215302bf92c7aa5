-------------------------------------------------------------------------------
-- model/tables.sql: the dimensions of the consortium warehouse model.
--
-- The files of extension/model/ are plain SQL.  install_model(schema) runs
-- them (joined by make, in the order of MODEL_FILES in the Makefile) with
-- search_path = <schema>, pg_temp: every unqualified name is created in and
-- resolved against the model's schema (after pg_catalog, which PostgreSQL
-- searches first), extension objects are qualified by @extschema@.
-- Statements run inside a PL/pgSQL function: no bare SELECT (use PERFORM),
-- no dollar quotes tagged model.
-------------------------------------------------------------------------------

-- Dimensions -----------------------------------------------------------------

CREATE TABLE consortium (
	id			integer PRIMARY KEY,
	name		text NOT NULL UNIQUE,
	kind		text NOT NULL CONSTRAINT consortium_kind_known
				CHECK (kind IN ('county_community', 'city_group')),
	area		@extschema@.adcode NOT NULL CONSTRAINT consortium_area_known
				REFERENCES @extschema@.division (code),
	lead_facility_id integer
);
COMMENT ON TABLE consortium IS 'medical consortia: 县域医共体 (county_community) and 城市医疗集团 (city_group)';
COMMENT ON COLUMN consortium.id IS 'consortium id';
COMMENT ON COLUMN consortium.name IS 'name, unique';
COMMENT ON COLUMN consortium.kind IS 'county_community (县域医共体) or city_group (城市医疗集团)';
COMMENT ON COLUMN consortium.area IS 'the county (or city) the consortium serves; a known division code';
COMMENT ON COLUMN consortium.lead_facility_id IS 'the lead hospital (牵头医院); foreign key to facility, checked at commit';

CREATE TABLE grid (
	id			integer PRIMARY KEY,
	name		text NOT NULL,
	consortium_id integer NOT NULL REFERENCES consortium (id),
	lead_facility_id integer
);
CREATE INDEX grid_consortium_idx ON grid (consortium_id);
COMMENT ON TABLE grid IS 'grids (网格) of the consortia: each is served by one lead hospital and the community hospitals of its member units';
COMMENT ON COLUMN grid.id IS 'grid id';
COMMENT ON COLUMN grid.name IS 'name';
COMMENT ON COLUMN grid.consortium_id IS 'the consortium the grid belongs to';
COMMENT ON COLUMN grid.lead_facility_id IS 'the grid''s city or county hospital; foreign key to facility, checked at commit';

CREATE TABLE unit (
	code		@extschema@.adcode PRIMARY KEY,
	name		text NOT NULL,
	county		@extschema@.adcode GENERATED ALWAYS AS (@extschema@.adcode_county(code)) STORED,
	lon			double precision,
	lat			double precision,
	area_km2	double precision CONSTRAINT unit_area_positive CHECK (area_km2 > 0),
	CONSTRAINT unit_below_city CHECK (@extschema@.adcode_level(code) IN ('county', 'township', 'village')
		AND @extschema@.adcode_county(code) IS NOT NULL),
	CONSTRAINT unit_location_in_china CHECK ((lon IS NULL) = (lat IS NULL) AND lon BETWEEN 73 AND 136 AND lat BETWEEN 3 AND 54)
);
CREATE INDEX unit_county_idx ON unit (county);
COMMENT ON TABLE unit IS 'residential units (county, township / street, or village / community) that population, contracts, chronic management and grids refer to';
COMMENT ON COLUMN unit.code IS 'division code at county, township or village level';
COMMENT ON COLUMN unit.name IS 'name';
COMMENT ON COLUMN unit.county IS 'the county of the unit (generated from code)';
COMMENT ON COLUMN unit.lon IS 'longitude of the representative (population-weighted) point, degrees';
COMMENT ON COLUMN unit.lat IS 'latitude of the representative point, degrees';
COMMENT ON COLUMN unit.area_km2 IS 'area in km²';

CREATE TABLE grid_member (
	unit		@extschema@.adcode PRIMARY KEY REFERENCES unit (code),
	grid_id		integer NOT NULL REFERENCES grid (id)
);
CREATE INDEX grid_member_grid_idx ON grid_member (grid_id);
COMMENT ON TABLE grid_member IS 'the units (townships / communities) of each grid; a unit belongs to at most one grid';
COMMENT ON COLUMN grid_member.unit IS 'the member unit';
COMMENT ON COLUMN grid_member.grid_id IS 'its grid';

CREATE TABLE facility (
	id			integer PRIMARY KEY,
	name		text NOT NULL,
	care_level	@extschema@.care_level NOT NULL,
	county		@extschema@.adcode NOT NULL,
	county_recorded @extschema@.adcode,
	township	@extschema@.adcode,
	lon			double precision,
	lat			double precision,
	beds		integer NOT NULL DEFAULT 0 CONSTRAINT facility_beds_not_negative CHECK (beds >= 0),
	doctors		integer NOT NULL DEFAULT 0 CONSTRAINT facility_doctors_not_negative CHECK (doctors >= 0),
	consortium_id integer REFERENCES consortium (id) DEFERRABLE INITIALLY DEFERRED,
	grid_id		integer REFERENCES grid (id) DEFERRABLE INITIALLY DEFERRED,
	CONSTRAINT facility_county_is_county CHECK (coalesce(@extschema@.adcode_county(county) OPERATOR(@extschema@.=) county, false)),
	CONSTRAINT facility_township_in_county CHECK (township IS NULL OR
		(@extschema@.adcode_level(township) = 'township' AND @extschema@.adcode_county(township) OPERATOR(@extschema@.=) county)),
	CONSTRAINT facility_location_in_china CHECK ((lon IS NULL) = (lat IS NULL) AND lon BETWEEN 73 AND 136 AND lat BETWEEN 3 AND 54)
);
CREATE INDEX facility_county_idx ON facility (county);
CREATE INDEX facility_consortium_idx ON facility (consortium_id);
CREATE INDEX facility_grid_idx ON facility (grid_id);
COMMENT ON TABLE facility IS 'health facilities: village clinics, township / community health centres, county, city and provincial hospitals';
COMMENT ON COLUMN facility.id IS 'facility id';
COMMENT ON COLUMN facility.name IS 'name';
COMMENT ON COLUMN facility.care_level IS 'village < primary < secondary < tertiary; village and primary are grassroots (基层)';
COMMENT ON COLUMN facility.county IS 'the county (or city without counties) the facility counts in: a division of today; a loaded code of an abolished division is replaced by the one holding its area now (model_config.division_mapping current) or kept (as recorded)';
COMMENT ON COLUMN facility.county_recorded IS 'the county code as loaded when it is of an abolished division (set by the trigger facility_county_current from the loaded county); NULL when the loaded code is of today';
COMMENT ON COLUMN facility.township IS 'the township / street the facility lies in, inside county; NULL when unknown';
COMMENT ON COLUMN facility.lon IS 'longitude, degrees (WGS84 or GCJ-02, consistently)';
COMMENT ON COLUMN facility.lat IS 'latitude, degrees';
COMMENT ON COLUMN facility.beds IS 'approved beds (编制床位)';
COMMENT ON COLUMN facility.doctors IS 'licensed (assistant) doctors (执业(助理)医师)';
COMMENT ON COLUMN facility.consortium_id IS 'the consortium the facility is a member of; NULL for facilities outside any';
COMMENT ON COLUMN facility.grid_id IS 'the grid the facility serves; NULL when none';

-- A facility's county is a division of today (checked here: the
-- constraint name facility_county_known is kept for the error).  A loaded
-- code of an abolished division is kept in county_recorded and placed as
-- model_config.division_mapping says: under current (the default) county
-- becomes the division holding its area today (adcode_current; refused when
-- no single division does: no county is invented), under as recorded it stays.
-- The loaded code is NEW.county, or, when an UPDATE leaves county as it was,
-- county_recorded (so model_config_remapped re-applies the rule with
-- SET county = county).
CREATE FUNCTION facility_county_current() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
DECLARE
	loaded @extschema@.adcode := NEW.county;
	placed @extschema@.adcode;
BEGIN
	IF TG_OP OPERATOR(pg_catalog.=) 'UPDATE' AND NEW.county_recorded IS NOT NULL
	   AND NEW.county OPERATOR(@extschema@.=) OLD.county THEN
		loaded := NEW.county_recorded;
	END IF;
	NEW.county := loaded;
	NEW.county_recorded := NULL;
	IF loaded IS NULL OR EXISTS (SELECT FROM @extschema@.division AS d WHERE d.code OPERATOR(@extschema@.=) loaded) THEN
		RETURN NEW;
	END IF;
	IF NOT @extschema@.adcode_known(loaded) THEN
		RAISE EXCEPTION 'insert or update on table "facility" violates foreign key constraint "facility_county_known"'
			USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'facility_county_known',
				  DETAIL = pg_catalog.format('Key (county)=(%s) is not present in table "division" nor in any vintage.', loaded);
	END IF;
	NEW.county_recorded := loaded;
	IF (SELECT c.division_mapping FROM model_config AS c) OPERATOR(pg_catalog.=) 'as recorded' THEN
		RETURN NEW;
	END IF;
	placed := @extschema@.adcode_current(loaded);
	IF placed IS NULL THEN
		RAISE EXCEPTION 'facility %: county % (%) is abolished and no single division holds its area now', NEW.id, loaded,
			(SELECT v.name FROM @extschema@.division_vintage AS v WHERE v.code OPERATOR(@extschema@.=) loaded LIMIT 1)
			USING ERRCODE = 'foreign_key_violation', CONSTRAINT = 'facility_county_known',
				  HINT = 'Load the code of the division of today the facility lies in (health_share.division_change lists the successors).';
	END IF;
	NEW.county := placed;
	RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION facility_county_current() FROM PUBLIC;
COMMENT ON FUNCTION facility_county_current() IS 'trigger of facility: a county of no vintage is refused (23503); one of an abolished division is kept in county_recorded and counted in the division holding its area now (division_mapping current; 23503 when none single does) or as loaded (as recorded)';
CREATE TRIGGER facility_county_current BEFORE INSERT OR UPDATE OF county, county_recorded ON facility
	FOR EACH ROW EXECUTE FUNCTION facility_county_current();

ALTER TABLE consortium ADD CONSTRAINT consortium_lead_facility_fkey
	FOREIGN KEY (lead_facility_id) REFERENCES facility (id) DEFERRABLE INITIALLY DEFERRED;
ALTER TABLE grid ADD CONSTRAINT grid_lead_facility_fkey
	FOREIGN KEY (lead_facility_id) REFERENCES facility (id) DEFERRABLE INITIALLY DEFERRED;

CREATE TABLE population (
	unit		@extschema@.adcode NOT NULL REFERENCES unit (code),
	year		integer NOT NULL CONSTRAINT population_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	residence_def text NOT NULL DEFAULT 'resident' CONSTRAINT population_residence_def_known
				CHECK (residence_def IN ('resident', 'registered', 'insured')),
	population	bigint NOT NULL CONSTRAINT population_not_negative CHECK (population >= 0),
	-- (a negative population is population_not_negative's to report)
	elderly		bigint CONSTRAINT population_elderly_within_population
				CHECK (elderly >= 0 AND (population < 0 OR elderly <= population)),
	PRIMARY KEY (unit, year, residence_def)
);
COMMENT ON TABLE population IS 'population by unit and year; units must not overlap (load townships or their county, not both)';
COMMENT ON COLUMN population.unit IS 'the unit';
COMMENT ON COLUMN population.year IS 'year (mid-year or year-end, consistently)';
COMMENT ON COLUMN population.residence_def IS 'residence definition: resident (常住人口), registered (户籍人口) or insured (参保地); the views use the one named in model_config (default resident)';
COMMENT ON COLUMN population.population IS 'persons';
COMMENT ON COLUMN population.elderly IS 'persons aged 65 or more; NULL when unknown';

CREATE TABLE model_config (
	singleton	boolean PRIMARY KEY DEFAULT true CONSTRAINT model_config_one_row CHECK (singleton),
	residence_def text NOT NULL DEFAULT 'resident' CONSTRAINT model_config_residence_def_known
				CHECK (residence_def IN ('resident', 'registered', 'insured')),
	primary_care_radius_m double precision NOT NULL DEFAULT 4000
				CONSTRAINT model_config_radius_positive CHECK (primary_care_radius_m > 0),
	fca_catchment_m double precision NOT NULL DEFAULT 20000
				CONSTRAINT model_config_catchment_positive CHECK (fca_catchment_m > 0),
	fca_decay	text NOT NULL DEFAULT 'binary',
	min_cell	integer NOT NULL DEFAULT 5
				CONSTRAINT model_config_min_cell_sensible CHECK (min_cell BETWEEN 1 AND 1000),
	division_mapping text NOT NULL DEFAULT 'current' CONSTRAINT model_config_division_mapping_known
				CHECK (division_mapping IN ('current', 'as recorded'))
);
INSERT INTO model_config DEFAULT VALUES;
-- A threshold below 1 or absurd is a bad parameter (22023), said before
-- the CHECK constraint would (23514).
CREATE FUNCTION model_config_checked() RETURNS trigger
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	IF NEW.min_cell IS NOT NULL AND (NEW.min_cell < 1 OR NEW.min_cell > 1000) THEN
		RAISE EXCEPTION 'model_config.min_cell must be between 1 and 1000, not %', NEW.min_cell
			USING ERRCODE = 'invalid_parameter_value',
				  HINT = 'It is the publication threshold: 5 (the default) or 10 are usual.';
	END IF;
	RETURN NEW;
END
$fn$;
REVOKE EXECUTE ON FUNCTION model_config_checked() FROM PUBLIC;
COMMENT ON FUNCTION model_config_checked() IS 'trigger of model_config: a min_cell outside 1 .. 1000 is an invalid parameter (22023)';
CREATE TRIGGER model_config_checked BEFORE INSERT OR UPDATE ON model_config
	FOR EACH ROW EXECUTE FUNCTION model_config_checked();
COMMENT ON TABLE model_config IS 'the model''s settings: one row';
COMMENT ON COLUMN model_config.singleton IS 'always true: the table has one row';
COMMENT ON COLUMN model_config.residence_def IS 'the residence definition the population views use: resident (常住, default), registered (户籍) or insured (参保地)';
COMMENT ON COLUMN model_config.primary_care_radius_m IS 'the 15-minute circle as a straight-line distance in metres (default 4000): a unit whose representative point is at most this far from a village or primary facility is inside';
COMMENT ON COLUMN model_config.fca_catchment_m IS 'the 2SFCA catchment d0 in metres (default 20000) of the doctors accessibility';
COMMENT ON COLUMN model_config.fca_decay IS 'the 2SFCA distance decay (binary, linear, gaussian, gravity:β[,dmin], steps:...; default binary), as in health_share.fca_demand';
COMMENT ON COLUMN model_config.division_mapping IS 'how the indicators place recorded residence codes: current (default: in the division that holds the code''s area today, health_share.division_placement; a code that cannot be placed counts in no county) or as recorded (in the recorded county); codes of no vintage count in no county either way (the data-quality views list them)';
COMMENT ON COLUMN model_config.min_cell IS 'the publication threshold (default 5), set by the model''s owner; no session setting of a reader changes it (the setting health_share.min_cell is only the default of rate_public and count_public called directly).  The full views suppress a count, or a rate whose numerator or complement, between 1 and min_cell - 1; the published layer (<model>_pub) rounds every count to a multiple of min_cell (docs/publishing.md)';

-- The secret of the published layer's keyed rounding (docs/publishing.md):
-- 32 random bytes made at install.  Only the model's owner reads it; a
-- reader who knew it could tell how each cell was rounded.
CREATE TABLE publish_key (
	singleton	boolean PRIMARY KEY DEFAULT true CONSTRAINT publish_key_one_row CHECK (singleton),
	seed		bytea NOT NULL DEFAULT decode(replace(CAST(gen_random_uuid() AS text) || CAST(gen_random_uuid() AS text), '-', ''), 'hex')
				CONSTRAINT publish_key_seed_long CHECK (octet_length(seed) >= 16)
);
INSERT INTO publish_key DEFAULT VALUES;
COMMENT ON TABLE publish_key IS 'the secret seed of the published layer''s keyed rounding: one row, the owner''s only; replacing it re-rounds every published cell (a reader who saw both roundings learns more: docs/publishing.md)';
COMMENT ON COLUMN publish_key.singleton IS 'always true: the table has one row';
COMMENT ON COLUMN publish_key.seed IS '32 random bytes (two gen_random_uuid()), the key of publish_round';

CREATE TABLE family_doctor_contract (
	unit		@extschema@.adcode NOT NULL REFERENCES unit (code),
	year		integer NOT NULL CONSTRAINT contract_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	key_group	text NOT NULL CONSTRAINT contract_key_group_known CHECK (key_group IN ('all', 'elderly', 'chronic')),
	signed		bigint NOT NULL CONSTRAINT contract_signed_not_negative CHECK (signed >= 0),
	eligible	bigint NOT NULL CONSTRAINT contract_signed_within_eligible CHECK (signed <= eligible),
	PRIMARY KEY (unit, year, key_group)
);
COMMENT ON TABLE family_doctor_contract IS 'family doctor contracts (家庭医生签约): residents signed per unit, year and key group';
COMMENT ON COLUMN family_doctor_contract.unit IS 'the unit';
COMMENT ON COLUMN family_doctor_contract.year IS 'year';
COMMENT ON COLUMN family_doctor_contract.key_group IS 'all (every resident), elderly (65 or more) or chronic (hypertension or diabetes patients)';
COMMENT ON COLUMN family_doctor_contract.signed IS 'persons of the group with a valid contract';
COMMENT ON COLUMN family_doctor_contract.eligible IS 'persons of the group (the denominator of the signing rate)';

CREATE TABLE chronic_management (
	unit		@extschema@.adcode NOT NULL REFERENCES unit (code),
	year		integer NOT NULL CONSTRAINT chronic_year_plausible CHECK (year BETWEEN 1949 AND 2200),
	disease		text NOT NULL CONSTRAINT chronic_disease_known CHECK (disease IN ('hypertension', 'diabetes')),
	patients	bigint NOT NULL,
	managed		bigint NOT NULL,
	standardised bigint NOT NULL,
	CONSTRAINT chronic_counts_ordered CHECK (0 <= standardised AND standardised <= managed AND managed <= patients),
	PRIMARY KEY (unit, year, disease)
);
COMMENT ON TABLE chronic_management IS 'chronic disease management (慢病管理) of hypertension and diabetes patients per unit and year';
COMMENT ON COLUMN chronic_management.unit IS 'the unit';
COMMENT ON COLUMN chronic_management.year IS 'year';
COMMENT ON COLUMN chronic_management.disease IS 'hypertension or diabetes';
COMMENT ON COLUMN chronic_management.patients IS 'patients (registered, or estimated from prevalence)';
COMMENT ON COLUMN chronic_management.managed IS 'patients under management (在管患者)';
COMMENT ON COLUMN chronic_management.standardised IS 'patients managed according to the national standard (规范管理)';

