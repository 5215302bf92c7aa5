# health_share: PGXS build.  `make && make install`, then CREATE EXTENSION health_share.
# The install script of the newest version is assembled from the per-family
# fragments in extension/sql/ (in name order), so each family declares its SQL
# objects next to its C file.
#
# Versions (docs/reliability.md, "Upgrades"):
#   health_share--1.0.sql       frozen, committed: the fragments as of release 1.0
#                               (rewrite it with `make freeze-1.0`, see below)
#   health_share--1.0--1.1.sql  committed upgrade script: what 1.1 adds to 1.0
#   health_share--1.1.sql       built: the fragments + the 1.0--1.1 script
# So a fresh 1.1 install runs exactly 1.0 followed by the upgrade script.

EXTENSION = health_share
EXTVERSION = 1.1

MODULE_big = health_share
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))

DATA_built = extension/health_share--$(EXTVERSION).sql
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

EXTRA_CLEAN = extension/health_share--$(EXTVERSION).sql

PGXS := $(shell $(PG_CONFIG) --pgxs)
include $(PGXS)

FRAGMENTS = $(sort $(wildcard extension/sql/*.sql))

extension/health_share--$(EXTVERSION).sql: $(FRAGMENTS) extension/health_share--1.0--1.1.sql
	cat $(FRAGMENTS) > $@
	sed '/^\\echo /d' extension/health_share--1.0--1.1.sql >> $@

# Rewrite the frozen 1.0 script from the fragments.  Only for the 1.0 release
# itself (e.g. after merging the branches that still edit 1.0's fragments);
# once 1.0 has shipped, its script never changes again.
.PHONY: freeze-1.0
freeze-1.0:
	cat $(FRAGMENTS) > extension/health_share--1.0.sql
