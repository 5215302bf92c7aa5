-- A small example: one year of visits by residents of Huzhou's five counties
-- (吴兴区 330502, 南浔区 330503, 德清县 330521, 长兴县 330522, 安吉县 330523).
-- The numbers are generated, deterministic and only illustrative.
CREATE EXTENSION IF NOT EXISTS health_share;
SET search_path = health_share, public;

CREATE TABLE facility (
	id			int PRIMARY KEY,
	county		adcode NOT NULL,
	grassroots	boolean NOT NULL	-- 乡镇卫生院 / 社区卫生服务中心 / 村卫生室
);
-- Per county: one county hospital and two township health centres; two
-- hospitals outside the county (Huzhou city 330502 hosts the city hospital,
-- Hangzhou 330106 a provincial one).
INSERT INTO facility
SELECT c * 10 + k, (ARRAY[330502, 330503, 330521, 330522, 330523])[c]::bigint::adcode, k > 0
  FROM generate_series(1, 5) c, generate_series(0, 2) k;
INSERT INTO facility VALUES (100, '330106', false);

CREATE TABLE visit (
	id			bigint PRIMARY KEY,
	residence	adcode NOT NULL,
	facility_id	int NOT NULL REFERENCES facility,
	cost_fen	bigint NOT NULL,
	fund_fen	bigint NOT NULL
);
-- Residents of county c visit their own county's facilities most of the time;
-- a county-specific share goes to the city or province.
INSERT INTO visit
SELECT i, (ARRAY[330502, 330503, 330521, 330522, 330523])[c]::bigint::adcode,
       CASE WHEN (i * 7919) % 100 < (ARRAY[4, 9, 8, 12, 15])[c] THEN 100
            WHEN (i * 7919) % 100 < (ARRAY[8, 16, 14, 20, 22])[c] THEN 11
            ELSE c * 10 + (i % 3) END,
       cost_fen, cost_fen * 6 / 10
  FROM (SELECT i, 1 + i % 5 AS c, 5000 + (i * 104729) % 200000 AS cost_fen
          FROM generate_series(1::bigint, 60000) i) g;

\echo
\echo 'Indicators per county of residence (县域内就诊率, 基层诊疗量占比, 县域内医保基金支出占比):'
SELECT v.residence AS county,
       adcode_name(v.residence) AS name,
       count(*) AS visits,
       in_county_rate(v.residence, f.county) AS in_county,
       round(rate_value(in_county_rate(v.residence, f.county))::numeric * 100, 1) AS "in_county_%",
       round((rate_ci(in_county_rate(v.residence, f.county))).lower::numeric * 100, 1) AS "ci_low_%",
       round((rate_ci(in_county_rate(v.residence, f.county))).upper::numeric * 100, 1) AS "ci_high_%",
       round(rate_value(rate(f.grassroots))::numeric * 100, 1) AS "grassroots_%",
       round(rate_value(rate(CASE WHEN adcode_county(f.county) = v.residence THEN v.fund_fen ELSE 0 END,
                              v.fund_fen))::numeric * 100, 1) AS "fund_in_county_%"
  FROM visit v JOIN facility f ON f.id = v.facility_id
 GROUP BY v.residence
 ORDER BY v.residence;
