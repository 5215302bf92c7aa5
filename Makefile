# health_share: PGXS build.  `make && make install`, then CREATE EXTENSION health_share.
#
# Versions (docs/development.md, "Versions"): the fragments are the current
# version, and each release adds one update script.
#   extension/sql/*.sql          the install script fragments, one per family,
#                                joined in name order
#   extension/model/*            the warehouse model as plain SQL, wrapped into
#                                the function install_model_objects()
#   health_share--$(EXTVERSION).sql   built: fragments + model
#   health_share--1.0.sql        frozen: release 1.0 (older releases install
#                                through it and the update scripts)
#   health_share--a--b.sql       committed update scripts, one per release;
#                                the newest one is built from the fragments it
#                                re-runs (UPDATE_FRAGMENTS) until the next
#                                release freezes it (`make freeze-update`)
EXTENSION = health_share
EXTVERSION = 1.2
PREVVERSION = 1.1

MODULE_big = health_share
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))

DATA_built = extension/health_share--$(EXTVERSION).sql \
	extension/health_share--$(PREVVERSION)--$(EXTVERSION).sql
DATA = extension/health_share_division.tsv extension/health_share--1.0.sql \
	extension/health_share--1.0--1.1.sql
DOCS =

REGRESS = $(sort $(basename $(notdir $(wildcard sql/*.sql))))
REGRESS_OPTS = --load-extension=health_share

PG_CONFIG ?= pg_config
# -Wno-unused-parameter: PostgreSQL's own headers have unused parameters in
# static inline functions, and every fmgr function receives fcinfo.
PG_CFLAGS = -Wall -Wextra -Werror -Wno-unused-parameter

# No LLVM bitcode: the JIT would need clang at build time and gains nothing here.
with_llvm = no

EXTRA_CLEAN = extension/model/county_views.sql extension/model/install_model_objects.sql \
	extension/model/published_county.sql

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

FRAGMENTS = $(sort $(wildcard extension/sql/*.sql))

# The model, in the order install_model runs it.
MODEL_FILES = extension/model/tables.sql extension/model/facts.sql \
	extension/model/states.sql extension/model/county_views.sql \
	extension/model/views.sql
PUBLISHED_FILES = extension/model/published_cells.sql extension/model/published_county.sql \
	extension/model/published.sql

# The county views exist twice: computed from the facts (county_month, ...)
# and read from the states (county_month_mat, ...); see county_views.sql.in.
# $(call county_views,<@mat@>,<@states@>,<@what@>): one copy of the template
# (substituted on the lines that are not comments).
county_views = sed -e '/^@indicators@$$/{r extension/model/county_indicators.sql.in' -e 'd;}' \
	-e '/^--/!s/@mat@/$(1)/g' -e '/^--/!s/@states@/$(2)/g' -e '/^--/!s/@what@/$(3)/g' $<

extension/model/county_views.sql: extension/model/county_views.sql.in extension/model/county_indicators.sql.in
	{ $(call county_views,,county_month_compute(),computed from the facts); \
	  $(call county_views,_mat,county_month_state,read from the states kept by refresh_model); } > $@

# install_model runs the model's statements as the body of this function,
# with search_path set to the model's schema.
# The published layer (published*.sql) the same way, into <schema>_pub.
# $(call model_wrapper,<function>,<files>,<what>)
model_wrapper = { echo; \
	  echo '-- $(3) (extension/model/), run by install_model.'; \
	  echo 'CREATE OR REPLACE FUNCTION @extschema@.$(1)() RETURNS void LANGUAGE plpgsql AS'; \
	  echo '$$model$$'; echo 'BEGIN'; cat $(2); echo 'END'; echo '$$model$$;'; \
	  echo 'COMMENT ON FUNCTION @extschema@.$(1)() IS'; \
	  echo "	'the statements of $(3), run by install_model';"; \
	}

extension/model/install_model_objects.sql: $(MODEL_FILES) $(PUBLISHED_FILES)
	{ $(call model_wrapper,install_model_objects,$(MODEL_FILES),the warehouse model); \
	  $(call model_wrapper,install_published_objects,$(PUBLISHED_FILES),the published layer of the model); } > $@

# The published county views, per month and per year, from one template:
# $(call published_county,<grain>,<the grain's period of c.month>,<g's period a year before>)
# (no quotes or commas in the arguments)
published_county = sed -e '/^--/!s/@grain@/$(1)/g' -e '/^--/!s/@period@/$(2)/g' -e '/^--/!s/@previous@/$(3)/g' $<

extension/model/published_county.sql: extension/model/published_county.sql.in
	{ $(call published_county,month,c.month,CAST(g.month - make_interval(1) AS date)); \
	  $(call published_county,year,CAST(extract(year FROM c.month) AS integer),g.year - 1); } > $@

extension/health_share--$(EXTVERSION).sql: $(FRAGMENTS) extension/model/install_model_objects.sql
	cat $(FRAGMENTS) extension/model/install_model_objects.sql > $@

# What 1.2 changes in 1.1: the load path, install_model and refresh_model,
# count_public(numeric).
UPDATE_FRAGMENTS = extension/update/$(PREVVERSION)--$(EXTVERSION).sql \
	extension/sql/59_model_load.sql extension/sql/61_model_install.sql \
	extension/sql/62_model.sql extension/sql/63_publish.sql \
	extension/model/install_model_objects.sql

extension/health_share--$(PREVVERSION)--$(EXTVERSION).sql: $(UPDATE_FRAGMENTS)
	cat $(UPDATE_FRAGMENTS) > $@

# When the next version starts: keep this update script as it is.
.PHONY: freeze-update
freeze-update: extension/health_share--$(PREVVERSION)--$(EXTVERSION).sql
	@echo "add $< to DATA, remove it from DATA_built and commit it"
