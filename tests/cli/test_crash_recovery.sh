#!/usr/bin/env bash
# Crash safety: a server of its own is killed (pg_ctl stop -m immediate: no shutdown, WAL
# replayed at restart) in the middle of a batch-by-batch ingest and in the middle of a reprice,
# for several rounds. After each restart: the rows stored are exactly the batches the run
# committed (no duplicate, none half-written), the rollup equals the rows, a reprice is all or
# nothing (the audit log holds exactly the changes that stayed), and the same command run again
# completes with every record once.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
chmod 755 "$tmp"
server=$tmp/pg
crash_port=$((COST_OPS_TEST_PGPORT + 31))
repo=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
bindir=$(/usr/lib/postgresql/15/bin/pg_config --bindir)
trap '"$repo/scripts/pg-server.sh" destroy "$server" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
read -r PGHOST PGPORT < <("$repo/scripts/pg-server.sh" start "$server" "$crash_port")
export PGHOST PGPORT
db=crash
psql -X -q -d postgres -c "CREATE DATABASE $db"
# The private test servers commit asynchronously (fast, and nothing to lose there): a crash
# would lose the last commits' WAL, so this database commits as a real one does.
psql -X -q -d postgres -c "ALTER DATABASE $db SET synchronous_commit = on"
export DATABASE__URL="postgresql://postgres@/$db?host=$PGHOST&port=$PGPORT"
cd "$tmp"
"$COST_OPS" init >/dev/null
# 2.50 / 10 USD per 1M tokens; each record 1000 prompt and 100 completion tokens: 0.0035.
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null
sql "SELECT count(*) FROM cost_ops.create_partitions('2025-12-31', '2025-01-01')" >/dev/null

# Kills the server without a shutdown, then starts it again (crash recovery).
crash_and_restart() {
    runuser -u postgres -- "$bindir/pg_ctl" -D "$server/data" stop -m immediate >/dev/null
    "$repo/scripts/pg-server.sh" start "$server" "$crash_port" >/dev/null
}

# Waits until the SQL condition $1 holds (up to 60 s).
wait_for() {
    for _ in $(seq 1 600); do
        [ "$(sql "$1" 2>/dev/null || true)" = t ] && return 0
        sleep 0.1
    done
    fail "timed out waiting for: $1"
}

# The checks after a restart: rollup equal to the rows, each identity once.
check_consistent() {
    expect_eq "$(sql "SELECT (SELECT COALESCE(sum(records), 0) FROM cost_ops.daily_costs) = (SELECT count(*) FROM cost_ops.usage_records)
                    AND (SELECT COALESCE(cost_ops.sum(total_cost), '0') FROM cost_ops.daily_costs)::text
                        = (SELECT COALESCE(cost_ops.sum(total_cost), '0') FROM cost_ops.usage_records)::text")" \
      t "$1: rollup equals the rows"
    expect_eq "$(sql "SELECT count(*) = count(DISTINCT request_id) FROM cost_ops.usage_records")" t \
      "$1: each record once"
}

records=60000
awk -v n="$records" 'BEGIN {
    print "timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens"
    for (i = 1; i <= n; i++)
        printf "2025-%02d-%02dT%02d:%02d:00Z,openai,gpt-4o,acme,req-%d,1000,100\n",
               i % 12 + 1, i % 28 + 1, i % 24, i % 60, i
}' >usage.csv

# Ingest, killed after its first committed batches, three rounds, then run to the end.
rounds=3
for round in $(seq 1 $rounds); do
    "$COST_OPS" ingest --file usage.csv --on-error reject --batch-size 2000 --quiet \
      >"ingest$round.out" 2>&1 &
    ingest=$!
    committed_before=$(sql "SELECT count(*) FROM cost_ops.usage_records")
    wait_for "SELECT count(*) > $committed_before FROM cost_ops.usage_records"
    crash_and_restart
    wait "$ingest" && fail "round $round: the ingest survived the crash"
    stored=$(sql "SELECT count(*) FROM cost_ops.usage_records")
    [ "$stored" -lt "$records" ] || fail "round $round: the ingest finished before the crash"
    expect_eq "$(sql "SHOW synchronous_commit")" on "synchronous commits"
    # What the runs say they committed is what is stored (each batch and its ledger row
    # commit together).
    expect_eq "$(sql "SELECT sum(records_committed) FROM cost_ops.ingest_runs")" "$stored" \
      "round $round: committed records"
    expect_eq "$(sql "SELECT count(total_cost) = count(*) AND cost_ops.to_numeric(cost_ops.sum(total_cost)) = 0.0035 * count(*) FROM cost_ops.usage_records")" t \
      "round $round: every stored record priced"
    check_consistent "ingest round $round"
done
"$COST_OPS" ingest --file usage.csv --on-error reject --quiet || fail "the re-run did not complete"
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" \
  "$records 210" "after the re-run: 60000 * 0.0035 = 210"
check_consistent "ingest re-run"
# Each run after a crash resumed the interrupted one: one run, completed, every record once.
expect_eq "$(sql "SELECT string_agg(status || ' ' || records_inserted, ',') FROM cost_ops.ingest_runs")" \
  "completed $records" "the ingest run"

# Reprice (input 2.50 -> 5: 1000 * 5 + 100 * 10 = 6000 -> 0.006 a record, 360 in all),
# killed while its transaction runs: nothing of it stays, and the log is empty.
sql "UPDATE cost_ops.pricing_tables SET input_price = 5" >/dev/null
for round in $(seq 1 $rounds); do
    "$COST_OPS" reprice --reason "round $round" >"reprice$round.out" 2>&1 &
    reprice=$!
    wait_for "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE query LIKE '%reprice%' AND state = 'active' AND pid <> pg_backend_pid() AND now() - query_start > interval '300 milliseconds')"
    crash_and_restart
    wait "$reprice" && fail "round $round: the reprice finished before the crash"
    expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" \
      "$records 210" "reprice round $round: all records at the old cost"
    expect_eq "$(sql "SELECT count(*) FROM cost_ops.reprice_log")" "0" "reprice round $round: nothing logged"
    check_consistent "reprice round $round"
done
"$COST_OPS" reprice --reason "after the crashes" >/dev/null || fail "the reprice re-run did not complete"
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" \
  "$records 360" "after the reprice: 60000 * 0.006 = 360"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.reprice_log WHERE reason = 'after the crashes'")" "$records" \
  "each change logged"
check_consistent "reprice re-run"
echo "ok: $rounds ingest and $rounds reprice crashes recovered"
