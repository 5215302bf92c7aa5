-- Helpers of bench/run, installed in schema bench of every database it times
-- in (the main cluster and the Citus coordinator).
CREATE SCHEMA IF NOT EXISTS bench;

-- bench.time(query, reps, gucs): the fastest wall-clock time, in ms, of
-- running the query to completion (every column of every row computed and
-- turned into text, nothing sent).  gucs 'name=value,name=value' are set for
-- the session before the runs and reset after.
CREATE OR REPLACE FUNCTION bench.time(q text, reps int DEFAULT 3, gucs text DEFAULT '')
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	best double precision := 'Infinity';
	t0 timestamptz;
	n bigint;
	g text;
BEGIN
	FOREACH g IN ARRAY string_to_array(gucs, ',') LOOP
		PERFORM set_config(split_part(g, '=', 1), split_part(g, '=', 2), false);
	END LOOP;
	FOR i IN 1 .. reps LOOP
		t0 := clock_timestamp();
		EXECUTE 'SELECT count(*) FROM (' || q || ') s WHERE s::text <> ''''' INTO n;
		best := least(best, 1000 * extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	FOREACH g IN ARRAY string_to_array(gucs, ',') LOOP
		EXECUTE format('RESET %I', split_part(g, '=', 1));
	END LOOP;
	RETURN best;
END $$;

-- One row of the final table.  rule: 'le' met when ours/base <= thr; 'ge'
-- met when base/ours >= thr (a speed-up); NULL: no target.
CREATE TABLE IF NOT EXISTS bench.result (
	pos			int,
	op			text,
	baseline	text,
	ours_ms		double precision,
	base_ms		double precision,
	target		text,
	rule		text,
	thr			double precision,
	note		text
);

-- bench.pair: both sides timed in the same session, alternating, best of reps.
CREATE OR REPLACE FUNCTION bench.pair(pos int, op text, baseline text, ours text, base text,
	target text DEFAULT NULL, rule text DEFAULT NULL, thr double precision DEFAULT NULL,
	reps int DEFAULT 3, ours_gucs text DEFAULT '', base_gucs text DEFAULT '', note text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	a double precision := 'Infinity';
	b double precision := 'Infinity';
BEGIN
	PERFORM bench.time(ours, 1, ours_gucs);		-- warm-up
	FOR i IN 1 .. reps LOOP
		a := least(a, bench.time(ours, 1, ours_gucs));
		b := least(b, bench.time(base, 1, base_gucs));
	END LOOP;
	INSERT INTO bench.result VALUES (pos, op, baseline, a, b, target, rule, thr, note);
END $$;

-- Extra information lines (machine, row counts, state sizes, peak memory).
CREATE TABLE IF NOT EXISTS bench.info (pos int, section text, what text, value text);
