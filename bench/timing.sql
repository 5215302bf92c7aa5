-- bench_time(query, repetitions): the fastest wall-clock time, in ms, of
-- running the query to completion (every column of every row is computed and
-- counted, not sent).
CREATE OR REPLACE FUNCTION pg_temp.bench_time(q text, reps int DEFAULT 3)
RETURNS double precision LANGUAGE plpgsql AS $$
DECLARE
	best double precision := 'Infinity';
	t0 timestamptz;
	n bigint;
BEGIN
	FOR i IN 1 .. reps LOOP
		t0 := clock_timestamp();
		EXECUTE 'SELECT count(*) FROM (' || q || ') s WHERE s::text <> ''''' INTO n;
		best := least(best, 1000 * extract(epoch FROM clock_timestamp() - t0));
	END LOOP;
	RETURN best;
END $$;

-- bench_pair(label, ours, baseline): both timed in the same run, alternating.
CREATE TEMP TABLE bench_result (label text, ours_ms numeric, baseline_ms numeric, ratio numeric);
CREATE OR REPLACE FUNCTION pg_temp.bench_pair(label text, ours text, baseline text, reps int DEFAULT 3)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
	a double precision := 'Infinity';
	b double precision := 'Infinity';
BEGIN
	FOR i IN 1 .. reps LOOP
		a := least(a, pg_temp.bench_time(ours, 1));
		b := least(b, pg_temp.bench_time(baseline, 1));
	END LOOP;
	INSERT INTO bench_result VALUES (label, round(a::numeric, 1), round(b::numeric, 1), round((a / b)::numeric, 3));
END $$;
