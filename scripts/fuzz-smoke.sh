#!/usr/bin/env bash
# make fuzz-smoke: builds the libFuzzer targets of tests/fuzz (clang++, ASan + UBSan, pure code
# only) in build-fuzz/ and runs each for FUZZ_SECONDS (default 60) from its seed corpus. Fails on
# any crash, sanitizer report or broken invariant, keeping the input in build-fuzz/crashes/.
# Ends with "fuzz: N targets, E executions, C crashes".
set -uo pipefail
cd "$(dirname "$0")/.."
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-build-fuzz}

# Debian's clang; libFuzzer and the sanitizer runtimes are in libclang-rt-dev.
scripts/install-deps.sh clang libclang-rt-dev || exit 1
cmake -S . -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCOST_OPS_FUZZ=ON \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null || exit 1
if ! cmake --build "$build" -j "${JOBS:-2}" >/dev/null; then
    echo "fuzz-smoke: build failed" >&2
    cmake --build "$build" -j 1
    exit 1
fi

work=$(mktemp -d /tmp/cost-ops-fuzz.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$build/crashes"
targets=0 executions=0 crashes=0
for source in tests/fuzz/fuzz_*.cpp; do
    name=$(basename "$source" .cpp)
    # New inputs go to a scratch directory: the seed corpus in the tree stays as committed.
    mkdir -p "$work/$name"
    "$build/tests/fuzz/$name" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$build/crashes/$name-" "$work/$name" "tests/fuzz/corpus/$name" \
        >"$work/$name.log" 2>&1
    status=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$name.log")
    coverage=$(grep -E '^#[0-9]+.*DONE' "$work/$name.log" | grep -oE 'cov: [0-9]+ ft: [0-9]+')
    targets=$((targets + 1))
    executions=$((executions + ${runs:-0}))
    if [ "$status" != 0 ]; then
        crashes=$((crashes + 1))
        echo "fuzz: $name FAILED (exit $status); input kept in $build/crashes/:" >&2
        grep -E 'ERROR|invariant|runtime error|what\(\)|^    #[0-9] ' "$work/$name.log" | head -20 >&2
    fi
    echo "fuzz: $name ${runs:-0} executions in ${seconds} s, ${coverage:-no coverage line}"
done
echo "fuzz: $targets targets, $executions executions, $crashes crashes"
[ "$crashes" = 0 ]
