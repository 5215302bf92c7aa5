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
DATA = extension/health_share_division.tsv extension/health_share_division_vintage.tsv \
	extension/health_share_division_change.tsv extension/health_share--1.0.sql \
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
	extension/model/grains.sql extension/model/published_grains.sql

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

FRAGMENTS = $(sort $(wildcard extension/sql/*.sql))

# The model, in the order install_model runs it.
MODEL_FILES = extension/model/tables.sql extension/model/facts.sql \
	extension/model/states.sql extension/model/county_views.sql \
	extension/model/views.sql extension/model/planning.sql extension/model/grains.sql extension/model/rounded_cells.sql \
	extension/model/resources.sql extension/model/resources_views.sql \
	extension/model/quality.sql extension/model/quality_state.sql
PUBLISHED_FILES = extension/model/published_cells.sql extension/model/published_grains.sql \
	extension/model/published.sql extension/model/published_resources.sql \
	extension/model/published_planning.sql extension/model/published_quality.sql

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

# The unit x period views (published_grain.sql.in) and the county -> unit
# maps they use (units.sql.in), written by extension/model/expand: in the
# warehouse from the exact cells, in the published layer from the rounded
# ones (the published county_month and county_year included).
EXPAND = sh extension/model/expand
PERIOD_month = period=c.month previous='CAST(g.month - make_interval(1) AS date)'
PERIOD_quarter = period='CAST(c.month - make_interval(months => (CAST(extract(month FROM c.month) AS integer) - 1) % 3) AS date)' \
	previous='CAST(g.quarter - make_interval(1) AS date)'
PERIOD_year = period='CAST(extract(year FROM c.month) AS integer)' previous='g.year - 1'
UNIT_county = unit=county key=county within=in_county eq='OPERATOR(@extschema@.=)'
UNIT_city = unit=city key=city within=in_city eq='OPERATOR(@extschema@.=)'
UNIT_consortium = unit=consortium key=consortium_id within=in_consortium eq='OPERATOR(pg_catalog.=)' keytype=integer
# @keytype@, the type of the unit's column: the extension's adcode in the
# warehouse, text in the published layer (whose views carry plain SQL types
# only, docs/bi.md); a consortium's integer id in both (UNIT_consortium sets
# it first, and expand replaces with the first value given).
EXACT = cells=visit_cell refcells=referral_cell digits=NULL what=exact keytype=@extschema@.adcode
ROUNDED = cells=visit_cell_rounded refcells=referral_cell_rounded digits=3 what=published keytype=text
# $(call grain,<unit>,<period>,<EXACT or ROUNDED>)
grain = $(EXPAND) extension/model/published_grain.sql.in $(UNIT_$(1)) grain=$(2) $(PERIOD_$(2)) $($(3))
GRAIN_DEPS = extension/model/published_grain.sql.in extension/model/units.sql.in extension/model/expand \
	extension/model/grid_year.sql.in extension/model/funnel.sql.in

extension/model/grains.sql: $(GRAIN_DEPS)
	{ $(EXPAND) extension/model/units.sql.in $(EXACT); \
	  for g in "county quarter" "city month" "city quarter" "city year" \
	           "consortium month" "consortium quarter" "consortium year"; do \
	    set -- $$g; $(MAKE) -s --no-print-directory grain-one UNIT=$$1 GRAIN=$$2 KIND=EXACT; done; \
	  $(EXPAND) extension/model/grid_year.sql.in $(EXACT); \
	  $(EXPAND) extension/model/funnel.sql.in source=county_year_mat what=exact; } > $@

# The published grains map counties to units with the warehouse's
# county_units, city_units, consortium_units (the names resolve to the
# model's: the published ones, with plain types, are made later, in
# published.sql); they read the rounded cells (rounded_cells.sql).
extension/model/published_grains.sql: $(GRAIN_DEPS)
	{ for u in county city consortium; do for g in month quarter year; do \
	    $(MAKE) -s --no-print-directory grain-one UNIT=$$u GRAIN=$$g KIND=ROUNDED; done; done; \
	  $(EXPAND) extension/model/grid_year.sql.in $(ROUNDED); \
	  $(EXPAND) extension/model/funnel.sql.in source=county_year what=published; } > $@

.PHONY: grain-one
grain-one:
	@$(call grain,$(UNIT),$(GRAIN),$(KIND))

extension/health_share--$(EXTVERSION).sql: $(FRAGMENTS) extension/model/install_model_objects.sql
	cat $(FRAGMENTS) extension/model/install_model_objects.sql > $@

# What 1.2 changes in 1.1: the load path, install_model and refresh_model,
# count_public(numeric), the division vintages and changes, the planning functions.
UPDATE_FRAGMENTS = extension/update/$(PREVVERSION)--$(EXTVERSION).sql \
	extension/sql/12_division_change.sql \
	extension/sql/21_compare.sql extension/sql/45_planning.sql extension/sql/59_model_load.sql extension/sql/61_model_install.sql \
	extension/sql/62_model.sql extension/sql/63_publish.sql extension/sql/64_model_catalog.sql \
	extension/sql/65_model_resources.sql \
	extension/model/install_model_objects.sql

extension/health_share--$(PREVVERSION)--$(EXTVERSION).sql: $(UPDATE_FRAGMENTS)
	cat $(UPDATE_FRAGMENTS) > $@

# When the next version starts: keep this update script as it is.
.PHONY: freeze-update
freeze-update: extension/health_share--$(PREVVERSION)--$(EXTVERSION).sql
	@echo "add $< to DATA, remove it from DATA_built and commit it"
