# health_share: PGXS build.  `make && make install`, then CREATE EXTENSION health_share.
# The install script is assembled from the per-family fragments in extension/sql/
# (in name order), so each family declares its SQL objects next to its C file.

EXTENSION = health_share
EXTVERSION = 1.0

MODULE_big = health_share
OBJS = $(patsubst %.c,%.o,$(sort $(wildcard extension/*.c)))

DATA_built = extension/health_share--$(EXTVERSION).sql
DATA = extension/health_share_division.tsv
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

extension/health_share--$(EXTVERSION).sql: $(sort $(wildcard extension/sql/*.sql))
	cat $^ > $@
