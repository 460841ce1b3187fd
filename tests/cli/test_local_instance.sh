#!/usr/bin/env bash
# cost-ops local start|status|stop and the on-demand start of the local instance, in a
# throwaway COST_OPS_HOME that is always stopped and removed at exit.
set -euo pipefail

: "${COST_OPS:?set COST_OPS to the cost-ops binary}"
export COST_OPS_HOME="" COST_OPS_LOCAL_PORT=54391
unset DATABASE__URL
work=""

# Stops the server (through cost-ops, else by the pid it wrote) and removes every file.
cleanup() {
    [ -n "$COST_OPS_HOME" ] || return 0
    "$COST_OPS" local stop >/dev/null 2>&1 || true
    if [ -f "$COST_OPS_HOME/pgdata/postmaster.pid" ]; then
        kill -INT "$(head -1 "$COST_OPS_HOME/pgdata/postmaster.pid")" 2>/dev/null || true
        sleep 1
    fi
    rm -rf "$COST_OPS_HOME" "$work"
}
trap cleanup EXIT
COST_OPS_HOME=$(mktemp -d /tmp/cost-ops-local-test.XXXXXX)
work=$(mktemp -d /tmp/cost-ops-local-work.XXXXXX)

# Fails the test with a message.
fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# Fails unless file $1 contains the extended regex $2.
expect() {
    grep -Eq -- "$2" "$1" || fail "expected /$2/ in $1: $(cat "$1")"
}

# No cost-ops.toml from the caller's directory may redirect cost-ops to another database.
cd "$work"

"$COST_OPS" local status >out
expect out "^state: not created$"
expect out "^home:  $COST_OPS_HOME$"

"$COST_OPS" local start >out 2>err
expect err "created and started the local PostgreSQL instance in $COST_OPS_HOME"
expect out "^export DATABASE__URL='postgresql://costops@/costops\?host=%2Ftmp%2F.*&port=54391'$"
url=$(sed -n "s/^export DATABASE__URL='\(.*\)'$/\1/p" out)
[ -S "$COST_OPS_HOME/run/.s.PGSQL.54391" ] || fail "no socket in $COST_OPS_HOME/run"
[ "$(stat -c %a "$COST_OPS_HOME/run")" = 700 ] || fail "run/ is not mode 700"
[ -s "$COST_OPS_HOME/postgres.log" ] || fail "no postgres.log"
if [ "$(id -u)" = 0 ]; then
    [ "$(stat -c %U "$COST_OPS_HOME/pgdata")" = postgres ] || fail "pgdata is not owned by postgres"
fi

"$COST_OPS" local status >out
expect out "^state: running$"
expect out "^pid:   [0-9]+$"
[ "$(sed -n 's/^url:   //p' out)" = "$url" ] || fail "status shows another URL: $(cat out)"
pid=$(sed -n 's/^pid:   //p' out)

if command -v psql >/dev/null; then
    [ "$(psql "$url" -XAtc "SELECT extversion FROM pg_extension WHERE extname = 'llm_cost_ops'")" \
        = 1.6 ] || fail "llm_cost_ops is not installed in database costops"
    [ "$(psql "$url" -XAtc "SHOW listen_addresses")" = "" ] || fail "the server listens on TCP"
fi

# Already running: nothing to do, nothing on stderr, same server.
"$COST_OPS" local start >out 2>err
[ ! -s err ] || fail "a second start printed: $(cat err)"
"$COST_OPS" local status >out
expect out "^pid:   $pid$"

# Any command that needs the database uses the local instance.
"$COST_OPS" migrate status >out 2>err
expect out "^installed: 1.6$"
[ ! -s err ] || fail "migrate status on a running instance printed: $(cat err)"

"$COST_OPS" local stop >out
expect out "^stopped the local PostgreSQL instance in $COST_OPS_HOME$"
"$COST_OPS" local status >out
expect out "^state: stopped$"
expect out "^pid:   -$"
"$COST_OPS" local stop >out
expect out "^not running"

# Stopped: the next command that needs the database starts it again, keeping the data.
"$COST_OPS" migrate status >out 2>err
expect err "^cost-ops: started the local PostgreSQL instance in $COST_OPS_HOME$"
expect out "^installed: 1.6$"

for sub in start stop status; do
    "$COST_OPS" local "$sub" --help >out
    expect out "COST_OPS_HOME|instance"
done

if COST_OPS_LOCAL_PORT=http "$COST_OPS" local status >out 2>err; then
    fail "a bad COST_OPS_LOCAL_PORT was accepted"
fi
expect err "COST_OPS_LOCAL_PORT must be a port number"

# As root the server runs as postgres, which cannot enter $work (mode 700, owned by root).
if [ "$(id -u)" = 0 ]; then
    if COST_OPS_HOME=$work/home "$COST_OPS" local start >out 2>err; then
        fail "started in a directory postgres cannot enter"
    fi
    expect err "the postgres user cannot enter COST_OPS_HOME=$work/home"
fi

echo "PASS: test_local_instance"
