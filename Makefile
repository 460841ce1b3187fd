# LLM Cost Ops: the PostgreSQL extension (PGXS) and the top-level targets.
#
#   make            build the extension and the cost-ops CLI
#   make install    install the extension into PostgreSQL 15 and cost-ops into /usr/local/bin
#   make demo       everything on a fresh machine: packages, build, install, real data, summary
#   make test       every test: Catch2, pg_regress, CLI integration (what .ci/run runs)
#   make fuzz-smoke the libFuzzer targets (clang, ASan + UBSan), 60 s each (also in make test)
#   make sanitize-check  pg_regress + isolation with the extension built with ASan + UBSan, on a
#                   PostgreSQL built with ASan and assertions (also in make test)
#   make bench      benchmark ratios (not a test)
#   make bench-scale  summaries over 100M generated rows, rollup vs rows (not a test)
#   make deps       install the Debian packages the build needs

PG_CONFIG ?= $(firstword $(wildcard /usr/lib/postgresql/15/bin/pg_config) pg_config)
PGXS := $(shell $(PG_CONFIG) --pgxs 2>/dev/null)
BUILD_DIR ?= build
JOBS ?= 2

.DEFAULT_GOAL := all

ifneq ($(PGXS),)
MODULE_big = llm_cost_ops
OBJS = $(patsubst %.cpp,%.o,$(sort $(wildcard extension/core/*.cpp extension/pg/*.cpp)))
MODULEDIR = extension
DATA = extension/llm_cost_ops.control $(sort $(wildcard extension/sql/llm_cost_ops--*.sql))
REGRESS = cost_type pricing_tables pricing_trigger copy_priced privileges roles tenancy \
          search_path_attacks price_dimensions usage_shapes usage_buckets model_resolution \
          repricing partitions budgets forecast upgrade cache_memory
REGRESS_OPTS = --outputdir=$(BUILD_DIR)/regress
# Concurrent sessions (specs/, run by pg_isolation_regress after REGRESS).
ISOLATION = pricing_cache budget_alerts concurrent_writes
ISOLATION_OPTS = --outputdir=$(BUILD_DIR)/isolation
# SANITIZE: compiler and linker flags of an instrumented build (make sanitize-check).
PG_CXXFLAGS = -std=c++17 -Wno-register -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
              $(SANITIZE)
SHLIB_LINK = -lstdc++ $(SANITIZE)
EXTRA_CLEAN = $(BUILD_DIR)
# The JIT bitcode of C++ files brings nothing here and needs a matching clang.
override with_llvm = no
# Rebuild objects when a header they include changes (.deps/).
override autodepend = yes
include $(PGXS)
else
all install installcheck:
	@echo "PostgreSQL 15 server development files are missing: run 'make deps' first" \
	      "(make demo and make test install them on their own)." >&2
	@exit 1
endif

.PHONY: cli install-cli deps demo test fuzz-smoke sanitize-check bench bench-scale format

all: cli

cli:
	cmake -S . -B $(BUILD_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build $(BUILD_DIR) -j $(JOBS)

install: install-cli

install-cli: cli
	install -D -m 755 $(BUILD_DIR)/cost-ops /usr/local/bin/cost-ops

deps:
	scripts/install-deps.sh

demo:
	scripts/demo.sh

test:
	scripts/test.sh

fuzz-smoke:
	scripts/fuzz-smoke.sh

sanitize-check:
	scripts/sanitize-check.sh

bench:
	scripts/bench.sh

bench-scale:
	scripts/bench-scale.sh

format:
	clang-format -i $$(git ls-files '*.cpp' '*.hpp')
