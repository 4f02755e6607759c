# profiling: PGXS build.
#
# Every capability is a "room": src/<name>.c (+ .h) and src/<name>_{io,agg,accessors,ops}.c,
# src/<name>.sql, sql/<name>.sql + expected/<name>.out, test/pgtap/<name>.sql,
# test/demo/<name>.sql, bench/<name>.sql, docs/<name>.md + sql/docs_<name>.sql (docs/README.md
# has the checklist).
# C files, regression tests and pgTAP suites are discovered; the SQL pieces are concatenated
# into the install script in the dependency order of this one line:
CAPABILITIES = purchase_history segmentation engagement lifecycle cohorts coupons price_tiers item_history loyalty_trend baskets paths btyd

# A room left out of CAPABILITIES would still compile while its SQL silently went missing from
# the install script: refuse to build instead.
ROOMS_ON_DISK   = $(filter-out profiling,$(basename $(notdir $(wildcard src/*.sql))))
ROOMS_NOT_NAMED = $(filter-out $(CAPABILITIES),$(ROOMS_ON_DISK))
ifneq ($(ROOMS_NOT_NAMED),)
$(error $(patsubst %,src/%.sql,$(ROOMS_NOT_NAMED)) not in CAPABILITIES: add each room to the Makefile's CAPABILITIES line, in install order)
endif

EXTENSION  = profiling
# The one place the version lives is profiling.control.
EXTVERSION = $(shell sed -n "s/^default_version *= *'\(.*\)'/\1/p" $(EXTENSION).control)

MODULE_big  = profiling
OBJS        = $(patsubst %.c,%.o,$(sort $(wildcard src/*.c)))
DATA_built  = $(EXTENSION)--$(EXTVERSION).sql
PG_CPPFLAGS = -I$(srcdir)/src

# "setup" builds the tiny sample warehouse every other regression test reads; the rest run in
# name order.
REGRESS_NAMES = $(basename $(notdir $(wildcard sql/*.sql)))
REGRESS       = setup $(sort $(filter-out setup,$(REGRESS_NAMES)))
REGRESS_OPTS  = --inputdir=.

PG_CONFIG ?= pg_config
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
ifneq ($(wildcard $(PGXS)),)
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL server headers (PGXS) not found: run 'make demo' or 'make test', which install them," >&2
	@echo "or install postgresql-server-dev-15 and set PG_CONFIG." >&2
	@exit 1
endif

# Debian's PGXS tracks no header dependencies: every object depends on every header.
$(OBJS): $(wildcard src/*.h)

$(EXTENSION)--$(EXTVERSION).sql: src/profiling.sql $(foreach c,$(CAPABILITIES),src/$(c).sql) $(EXTENSION).control Makefile
	cat $(filter %.sql,$^) > $@

# The README's two commands, and the benchmark (not part of the tests). test-shards runs the
# sharded test alone (make test runs it too).
.PHONY: demo test test-shards bench fuzz
demo:
	@test/harness/demo.sh
test:
	@test/harness/test.sh
test-shards:
	@test/shards/run.sh
fuzz:
	@test/harness/fuzz.sh
bench:
	@bench/run.sh
