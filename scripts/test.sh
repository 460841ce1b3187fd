#!/usr/bin/env bash
# make test: every test from a clean clone. Installs what is missing, builds and installs,
# runs the libFuzzer smoke runs (scripts/fuzz-smoke.sh) and the sanitized regress run
# (scripts/sanitize-check.sh), starts a private PostgreSQL server (as
# the postgres user when root), runs pg_regress, the Catch2 unit tests and the CLI integration
# tests, stops the server, and ends with the test runners' own summary lines.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

scripts/install-deps.sh || exit 1
make -s -j2 >/dev/null || { echo "test: build failed" >&2; make -j1; exit 1; }
make -s install >/dev/null || { echo "test: install failed" >&2; exit 1; }

work=$(mktemp -d /tmp/cost-ops-test.XXXXXX)
chmod 755 "$work"  # the server runs as postgres and must reach its data directory
port=${COST_OPS_TEST_PORT:-54330}
cleanup() {
    scripts/pg-server.sh destroy "$work/pg" >/dev/null 2>&1
    rm -rf "$work"
}
trap cleanup EXIT

# Fuzzing first: its summary line goes before the test runners' own at the end.
scripts/fuzz-smoke.sh 2>&1 | tee "$work/fuzz.log"
fuzz_status=${PIPESTATUS[0]}
# The regress and isolation suites again, with the extension built with ASan + UBSan on a
# PostgreSQL built with ASan and assertions (its own server and port).
scripts/sanitize-check.sh 2>&1 | tee "$work/sanitize.log"
sanitize_status=${PIPESTATUS[0]}

read -r host port < <(scripts/pg-server.sh start "$work/pg" "$port") || exit 1
export PGHOST=$host PGPORT=$port PGUSER=postgres
export COST_OPS_TEST_PGHOST=$host COST_OPS_TEST_PGPORT=$port
echo "test: private server on socket $host port $port"

mkdir -p build/regress build/isolation
rm -f build/regress/regression.diffs build/isolation/regression.diffs
# pg_regress, then pg_isolation_regress (specs/), each with its own summary line.
make -s installcheck PGHOST="$host" PGPORT="$port" PGUSER=postgres 2>&1 | tee "$work/regress.log"
regress_status=${PIPESTATUS[0]}
if [ "$regress_status" != 0 ]; then
    cat build/regress/regression.diffs build/isolation/regression.diffs 2>/dev/null
fi

(cd build && ctest --output-on-failure --timeout 1800) 2>&1 | tee "$work/ctest.log"
ctest_status=${PIPESTATUS[0]}

echo
echo "==================== test summary ===================="
grep -E "^fuzz: [0-9]+ targets" "$work/fuzz.log" || echo "fuzz: no summary line (did it run?)"
# The sanitized run's own pg_regress / isolation summaries, then its report count.
grep -E "tests (passed|failed)|of [0-9]+ tests (failed|passed)|All [0-9]+ tests passed" \
    "$work/sanitize.log" | sed 's/^/sanitize-check: /' \
    || echo "sanitize-check: no pg_regress summary line (did it run?)"
grep -E "^sanitize-check: [0-9]+ sanitizer reports" "$work/sanitize.log" \
    || echo "sanitize-check: no report count (did it run?)"
grep -E "tests (passed|failed)|of [0-9]+ tests (failed|passed)|All [0-9]+ tests passed" "$work/regress.log" \
    || echo "pg_regress: no summary line (did it run?)"
grep -q "isolation install-check" "$work/regress.log" \
    || echo "pg_isolation_regress: not run (pg_regress failed first)"
grep -E "tests passed, [0-9]+ tests failed out of [0-9]+|Total Test time" "$work/ctest.log" \
    || echo "ctest: no summary line (did it run?)"
[ "$fuzz_status" = 0 ] && [ "$sanitize_status" = 0 ] && [ "$regress_status" = 0 ] &&
    [ "$ctest_status" = 0 ]
