# Shared by the CLI integration tests: a fresh database with the extension on the private
# server that scripts/test.sh started, removed again when the test exits.
#
#   source "$(dirname "$0")/lib.sh"; new_database   -> sets DATABASE__URL, $db, $tmp
set -euo pipefail
: "${COST_OPS:?set by ctest: path of the cost-ops binary}"
: "${COST_OPS_TEST_PGHOST:?run through make test (scripts/test.sh starts the server)}"
: "${COST_OPS_TEST_PGPORT:?run through make test}"
export PGHOST=$COST_OPS_TEST_PGHOST PGPORT=$COST_OPS_TEST_PGPORT PGUSER=postgres
SHARED=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}/../shared

# Creates the test's database and scratch directory; both go away at exit.
new_database() {
    db="cli_$(basename "$0" .sh)_$$"
    tmp=$(mktemp -d)
    psql -X -q -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
    export DATABASE__URL="postgresql://postgres@/$db?host=$PGHOST&port=$PGPORT"
    trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
    "$COST_OPS" init >/dev/null
}

# Fails the test with a message.
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Asserts that two strings are equal.
expect_eq() {
    [ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# Runs psql and prints the bare result.
sql() {
    psql -X -q -At -d "$db" -c "$1"
}

# Runs a command that must fail and whose output (stdout and stderr) must contain $1.
expect_failure() {
    local expected=$1 out
    shift
    if out=$("$@" 2>&1); then fail "succeeded but should fail: $*"; fi
    grep -qF -- "$expected" <<<"$out" || fail "'$*' said: $out (expected: $expected)"
}

# Runs a command that must succeed and whose output (stdout and stderr) must contain $1.
# (Not `cmd | grep -q`: under pipefail the command's SIGPIPE would fail the pipeline.)
expect_output() {
    local expected=$1 out
    shift
    out=$("$@" 2>&1) || fail "'$*' failed: $out"
    grep -qF -- "$expected" <<<"$out" || fail "'$*' said: $out (expected: $expected)"
}
