-- A hostile, unprivileged role plants objects in public named like the
-- pg_catalog ones the extension's SQL uses; each records its call in
-- public.trap_log.  Run as the role mallory.
CREATE TABLE public.trap_log (what text);
GRANT INSERT, SELECT ON public.trap_log TO PUBLIC;
DO $do$
DECLARE
	t text;
	op text;
	ret text;
	n int := 0;
BEGIN
	FOREACH t IN ARRAY ARRAY['integer', 'bigint', 'text', 'numeric', 'double precision', 'boolean', 'name', 'oid', 'date', 'smallint', 'real']
	LOOP
		FOREACH op IN ARRAY ARRAY['=', '<>', '<', '>', '<=', '>=', '+', '-', '*', '/', '||', '~', '%']
		LOOP
			ret := CASE WHEN op IN ('=', '<>', '<', '>', '<=', '>=', '~') THEN 'boolean'
			            WHEN op = '||' THEN 'text' ELSE t END;
			n := n + 1;
			EXECUTE format($f$CREATE FUNCTION public.trap_op_%s(a %s, b %s) RETURNS %s
				LANGUAGE plpgsql AS $b$BEGIN INSERT INTO public.trap_log VALUES (%L); RETURN NULL; END$b$$f$,
				n, t, t, ret, format('operator %s(%s, %s)', op, t, t));
			EXECUTE format('CREATE OPERATOR public.%s (LEFTARG = %s, RIGHTARG = %s, FUNCTION = public.trap_op_%s)',
				op, t, t, n);
		END LOOP;
	END LOOP;
	-- functions named like pg_catalog ones, for the argument types they are usually called with
	FOREACH t IN ARRAY ARRAY['lower(text)', 'upper(text)', 'length(text)', 'round(numeric, integer)',
		'round(double precision)', 'sqrt(double precision)', 'ln(double precision)', 'exp(double precision)',
		'abs(bigint)', 'abs(double precision)', 'format(text)', 'concat(text, text)', 'jsonb_build_object(text, bigint)',
		'jsonb_build_array(bigint)', 'string_agg(text, text)', 'array_agg(bigint)', 'greatest(bigint, bigint)',
		'now()', 'current_setting(text)', 'set_config(text, text, boolean)', 'quote_ident(text)',
		'pg_extension_config_dump(regclass, text)', 'regexp_replace(text, text, text)', 'split_part(text, text, integer)',
		'substr(text, integer, integer)', 'nullif(bigint, bigint)', 'make_date(integer, integer, integer)',
		'date_trunc(text, date)', 'to_char(date, text)', 'btrim(text)',
		'count(bigint)', 'sum(bigint)', 'max(text)', 'min(text)']
	LOOP
		CONTINUE WHEN t ~ '^(string_agg|array_agg|count|sum|max|min|greatest|nullif)\(';
		EXECUTE format($f$CREATE FUNCTION public.%s RETURNS %s LANGUAGE plpgsql AS
			$b$BEGIN INSERT INTO public.trap_log VALUES (%L); RETURN NULL; END$b$$f$,
			t, 'text', 'function ' || t);
	END LOOP;
	-- aggregates named like pg_catalog ones
	CREATE FUNCTION public.trap_agg(bigint, bigint) RETURNS bigint LANGUAGE plpgsql AS
		$b$BEGIN INSERT INTO public.trap_log VALUES ('aggregate'); RETURN NULL; END$b$;
	CREATE AGGREGATE public.sum(bigint) (SFUNC = public.trap_agg, STYPE = bigint);
	CREATE AGGREGATE public.count(bigint) (SFUNC = public.trap_agg, STYPE = bigint);
	CREATE AGGREGATE public.max(bigint) (SFUNC = public.trap_agg, STYPE = bigint);
END
$do$;
