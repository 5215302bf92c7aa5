/*-------------------------------------------------------------------------
 *
 * decay.c
 *	  The distance-decay grammar of the 2SFCA family (binary, linear,
 *	  gaussian, gravity:β[,dmin], steps:d=w,...) and the method names (2sfca,
 *	  3sfca): parsing, printing, comparison; and the checks of d0 and of
 *	  amounts (population, supply).  The weight of a distance is inline in
 *	  facility_set.h.
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include <ctype.h>
#include <math.h>

#include "common/shortest_dec.h"
#include "lib/stringinfo.h"

#include "common.h"
#include "facility_set.h"

/* ------------------------------------------------------------------------
 * decays and methods
 * ------------------------------------------------------------------------
 */

static void
decay_syntax(const char *text, const char *detail)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid decay \"%s\"", hs_excerpt_cstring(text)),
			 errdetail("%s", detail),
			 errhint("Use binary, linear, gaussian, gravity:β[,dmin] or steps:d1=w1,d2=w2,... with distances increasing.")));
}

/*
 * Parse a decay specification (case-insensitive keywords):
 *	binary | linear | gaussian | gravity:β[,dmin] | steps:d1=w1,d2=w2,...
 */
void
parse_decay(const char *text, int len, Decay *dc)
{
	char	   *orig;
	char	   *s;
	char	   *p;
	int			i;

	if (len > HS_DECAY_MAXLEN)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("decay specification is too long (%d bytes, at most %d)", len, HS_DECAY_MAXLEN)));
	orig = pnstrdup(text, len);
	s = pnstrdup(text, len);
	/* pnstrdup stops at a NUL byte (possible in binary input) */
	len = strlen(s);
	for (i = 0; i < len; i++)
		s[i] = pg_ascii_tolower((unsigned char) s[i]);
	/* trim */
	p = s;
	while (isspace((unsigned char) *p))
		p++;
	for (i = strlen(p); i > 0 && isspace((unsigned char) p[i - 1]); i--)
		p[i - 1] = '\0';

	memset(dc, 0, sizeof(Decay));
	if (strcmp(p, "binary") == 0)
		dc->kind = DECAY_BINARY;
	else if (strcmp(p, "linear") == 0)
		dc->kind = DECAY_LINEAR;
	else if (strcmp(p, "gaussian") == 0)
		dc->kind = DECAY_GAUSSIAN;
	else if (strncmp(p, "gravity:", 8) == 0)
	{
		const char *q = p + 8;

		dc->kind = DECAY_GRAVITY;
		dc->dmin = 1.0;
		if (!hs_parse_float8(&q, &dc->beta, true) || dc->beta <= 0)
			decay_syntax(orig, "The gravity exponent β must be a positive finite number.");
		if (*q == ',')
		{
			q++;
			if (!hs_parse_float8(&q, &dc->dmin, true) || dc->dmin <= 0)
				decay_syntax(orig, "The gravity minimum distance must be a positive finite number.");
		}
		if (*q != '\0')
			decay_syntax(orig, "Unexpected characters after the gravity parameters.");
	}
	else if (strncmp(p, "steps:", 6) == 0)
	{
		const char *q = p + 6;

		dc->kind = DECAY_STEPS;
		for (;;)
		{
			double		d,
						w;

			if (dc->nsteps >= HS_MAX_STEPS)
				decay_syntax(orig, psprintf("At most %d steps are allowed.", HS_MAX_STEPS));
			if (!hs_parse_float8(&q, &d, true) || *q != '=')
				decay_syntax(orig, "Each step is distance=weight.");
			q++;
			if (!hs_parse_float8(&q, &w, true))
				decay_syntax(orig, "Each step is distance=weight.");
			if (d <= 0 || (dc->nsteps > 0 && d <= dc->step_d[dc->nsteps - 1]))
				decay_syntax(orig, "Step distances must be positive and strictly increasing.");
			if (w < 0)
				decay_syntax(orig, "Step weights must not be negative.");
			dc->step_d[dc->nsteps] = d;
			dc->step_w[dc->nsteps] = w;
			dc->nsteps++;
			if (*q == '\0')
				break;
			if (*q != ',')
				decay_syntax(orig, "Steps are separated by commas.");
			q++;
		}
	}
	else
		decay_syntax(orig, "Unknown decay function.");
	pfree(s);
	pfree(orig);
}

int
parse_method(const char *text, int len)
{
	char	   *s = pnstrdup(text, len);
	int			m;
	int			i;

	len = strlen(s);			/* pnstrdup stops at a NUL byte */
	for (i = 0; i < len; i++)
		s[i] = pg_ascii_tolower((unsigned char) s[i]);
	if (strcmp(s, "2sfca") == 0)
		m = FCA_2SFCA;
	else if (strcmp(s, "3sfca") == 0)
		m = FCA_3SFCA;
	else
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid method \"%s\"", hs_excerpt_cstring(s)),
				 errhint("Use 2sfca or 3sfca.")));
	pfree(s);
	return m;
}

const char *
method_name(int m)
{
	return m == FCA_3SFCA ? "3sfca" : "2sfca";
}

/* append the shortest exact decimal form of v */
/* the canonical text form of a decay */
void
append_decay(StringInfo buf, const Decay *dc)
{
	int			i;

	switch (dc->kind)
	{
		case DECAY_BINARY:
			appendStringInfoString(buf, "binary");
			break;
		case DECAY_LINEAR:
			appendStringInfoString(buf, "linear");
			break;
		case DECAY_GAUSSIAN:
			appendStringInfoString(buf, "gaussian");
			break;
		case DECAY_GRAVITY:
			appendStringInfoString(buf, "gravity:");
			hs_append_float8(buf, dc->beta);
			appendStringInfoChar(buf, ',');
			hs_append_float8(buf, dc->dmin);
			break;
		case DECAY_STEPS:
			appendStringInfoString(buf, "steps:");
			for (i = 0; i < dc->nsteps; i++)
			{
				if (i > 0)
					appendStringInfoChar(buf, ',');
				hs_append_float8(buf, dc->step_d[i]);
				appendStringInfoChar(buf, '=');
				hs_append_float8(buf, dc->step_w[i]);
			}
			break;
	}
}

bool
decay_equal(const Decay *a, const Decay *b)
{
	int			i;

	if (a->kind != b->kind || a->nsteps != b->nsteps)
		return false;
	if (a->kind == DECAY_GRAVITY && (a->beta != b->beta || a->dmin != b->dmin))
		return false;
	for (i = 0; i < a->nsteps; i++)
		if (a->step_d[i] != b->step_d[i] || a->step_w[i] != b->step_w[i])
			return false;
	return true;
}

/* 1 - e^{-1/2}, the normalisation of the Gaussian decay */

void
check_d0(double d0, const char *what)
{
	if (!isfinite(d0) || d0 <= 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not a positive finite number", what, d0)));
}

void
check_amount(double v, const char *what)
{
	if (!isfinite(v) || v < 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("%s %g is not a non-negative finite number", what, v)));
}

