
-------------------------------------------------------------------------------
-- comparing rates, added in 1.2 (docs/rates.md, "Comparing rates"):
-- difference and ratio with intervals, the two-proportion test, funnel
-- plot limits and the over-dispersion estimate.
-------------------------------------------------------------------------------

CREATE FUNCTION @extschema@.rate_diff_ci(a @extschema@.hs_rate, b @extschema@.hs_rate, level double precision DEFAULT 0.95,
		OUT diff double precision, OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'rate_diff_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_diff_ci(@extschema@.hs_rate, @extschema@.hs_rate, double precision) IS
	'a - b with Newcombe''s hybrid score interval (1998, method 10); NULL columns when a rate is empty';

CREATE FUNCTION @extschema@.rate_ratio_ci(a @extschema@.hs_rate, b @extschema@.hs_rate, level double precision DEFAULT 0.95,
		OUT ratio double precision, OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'rate_ratio_ci' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_ratio_ci(@extschema@.hs_rate, @extschema@.hs_rate, double precision) IS
	'a / b with the Katz log interval; ratio NULL when b is 0, bounds NULL when a numerator is 0';

CREATE FUNCTION @extschema@.rate_test(a @extschema@.hs_rate, b @extschema@.hs_rate) RETURNS double precision
	AS 'MODULE_PATHNAME', 'rate_test' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.rate_test(@extschema@.hs_rate, @extschema@.hs_rate) IS
	'two-sided p-value of the pooled two-proportion z test (no continuity correction); NULL when a rate is empty';

CREATE FUNCTION @extschema@.funnel_limits(target double precision, n bigint, level double precision,
		phi double precision DEFAULT 1, OUT lower double precision, OUT upper double precision)
	AS 'MODULE_PATHNAME', 'funnel_limits' LANGUAGE C IMMUTABLE STRICT PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_limits(double precision, bigint, double precision, double precision) IS
	'funnel plot control limits (proportions) around target for denominator n: exact binomial with interpolation (Spiegelhalter 2005) when phi = 1, normal with variance times phi otherwise';

CREATE FUNCTION @extschema@.funnel_z(num bigint, den bigint, target double precision) RETURNS double precision
	LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN den OPERATOR(pg_catalog.>) 0 AND target OPERATOR(pg_catalog.>) 0 AND target OPERATOR(pg_catalog.<) 1
				THEN (CAST(num AS double precision) OPERATOR(pg_catalog./) CAST(den AS double precision) OPERATOR(pg_catalog.-) target)
					 OPERATOR(pg_catalog./) pg_catalog.sqrt(target OPERATOR(pg_catalog.*) (1 OPERATOR(pg_catalog.-) target)
														   OPERATOR(pg_catalog./) CAST(den AS double precision)) END;
COMMENT ON FUNCTION @extschema@.funnel_z(bigint, bigint, double precision) IS
	'the z-score of num / den against target under the binomial: (p - target) / sqrt(target (1 - target) / den); NULL when den is 0 or target is 0 or 1';

CREATE FUNCTION @extschema@.funnel_phi_accum(s double precision[], num bigint, den bigint, target double precision)
	RETURNS double precision[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN CASE WHEN @extschema@.funnel_z(num, den, target) IS NULL THEN s
				ELSE pg_catalog.array_append(s, @extschema@.funnel_z(num, den, target)) END;
COMMENT ON FUNCTION @extschema@.funnel_phi_accum(double precision[], bigint, bigint, double precision) IS
	'transition function of funnel_phi: appends the unit''s z-score';
CREATE FUNCTION @extschema@.funnel_phi_combine(a double precision[], b double precision[])
	RETURNS double precision[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
	RETURN pg_catalog.array_cat(a, b);
COMMENT ON FUNCTION @extschema@.funnel_phi_combine(double precision[], double precision[]) IS
	'combine function of funnel_phi: the z-scores of both';
CREATE FUNCTION @extschema@.funnel_phi_final(double precision[]) RETURNS double precision
	AS 'MODULE_PATHNAME', 'funnel_phi_final' LANGUAGE C IMMUTABLE PARALLEL SAFE;
COMMENT ON FUNCTION @extschema@.funnel_phi_final(double precision[]) IS
	'final function of funnel_phi: mean squared z-score after Winsorizing at the 10th and 90th percentiles';
CREATE AGGREGATE @extschema@.funnel_phi(num bigint, den bigint, target double precision) (
	SFUNC = @extschema@.funnel_phi_accum,
	STYPE = double precision[],
	INITCOND = '{}',
	COMBINEFUNC = @extschema@.funnel_phi_combine,
	FINALFUNC = @extschema@.funnel_phi_final,
	PARALLEL = SAFE
);
COMMENT ON AGGREGATE @extschema@.funnel_phi(bigint, bigint, double precision) IS
	'Spiegelhalter''s (2005) over-dispersion estimate of the units'' proportions num / den around target: the mean squared Winsorized (10 %) z-score; give funnel_limits max(1, phi) when it is clearly above 1';
