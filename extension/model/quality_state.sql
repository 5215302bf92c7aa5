-------------------------------------------------------------------------------
-- model/quality_state.sql: the data-quality checks (quality.sql) counted
-- per check as of the last refresh_model, for the published layer
-- (published_quality.sql).  The quality views call functions that read the
-- extension's division tables, which a reader may not read; the published
-- summary reads this table instead, with the rights of the model's owner.
-------------------------------------------------------------------------------

CREATE TABLE quality_state (
	check_name	text PRIMARY KEY,
	problems	bigint NOT NULL CHECK (problems > 0),
	rows		bigint NOT NULL CHECK (rows >= 0)
);
COMMENT ON TABLE quality_state IS 'data_quality counted per check, kept by refresh_model for the published layer (published data_quality): checks without a problem have no row; exact counts, the published view rounds them';
COMMENT ON COLUMN quality_state.check_name IS 'the check (data_quality.check_name)';
COMMENT ON COLUMN quality_state.problems IS 'its problems: rows of data_quality';
COMMENT ON COLUMN quality_state.rows IS 'the rows (or years, months) they concern: the sum of data_quality.rows';

-- Recomputes quality_state; refresh_model calls it after the states (the
-- months without facts read them).
CREATE FUNCTION refresh_quality() RETURNS void
	LANGUAGE plpgsql SET search_path FROM CURRENT AS
$fn$
BEGIN
	LOCK TABLE quality_state IN SHARE ROW EXCLUSIVE MODE;
	DELETE FROM quality_state;
	INSERT INTO quality_state (check_name, problems, rows)
	SELECT q.check_name, pg_catalog.count(*), CAST(pg_catalog.sum(q.rows) AS bigint)
	  FROM data_quality AS q GROUP BY q.check_name;
END
$fn$;
REVOKE EXECUTE ON FUNCTION refresh_quality() FROM PUBLIC;
COMMENT ON FUNCTION refresh_quality() IS
	'recomputes quality_state from data_quality; health_share.refresh_model(schema) calls it';
