#!/usr/bin/env bash
# An ingest killed at random points (SIGKILL: no chance to clean up) or cut off from the server
# (its backend terminated) leaves whole batches only; running the same command again resumes
# after the last committed batch, and ends with exactly the records and total cost of an
# uninterrupted run: 1,000,000 records, killed three times in reject mode and once in abort mode,
# stopped by Ctrl-C (SIGINT) in reject mode and SIGTERM in abort mode.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
records=${RESUME_TEST_RECORDS:-1000000}

# Deterministic usage, one record per second: 5 organizations, varied token counts, every record
# with a request_id but every 10th (those are identified by their content).
awk -v n="$records" 'BEGIN {
  print "timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens"
  for (i = 0; i < n; i++)
    printf "2025-03-%02dT%02d:%02d:%02dZ,openai,gpt-4o,org-%d,%s,%d,%d\n", 1 + int(i / 86400),
      int(i / 3600) % 24, int(i / 60) % 60, i % 60, i % 5, (i % 10 == 0 ? "" : "req-" i),
      100 + i % 1000, 10 + i % 300
}' > usage.csv
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.5 --output-price 10 \
  --effective-date 2025-01-01 >/dev/null

state() { sql "SELECT count(*) || ' records, ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records"; }

# The reference: one uninterrupted run.
"$COST_OPS" ingest --quiet --file usage.csv --on-error reject
expected=$(state)
[ "$(sql "SELECT count(*) FROM cost_ops.usage_records")" = "$records" ] || fail "reference run: $expected"
sql "TRUNCATE cost_ops.usage_records; DELETE FROM cost_ops.ingest_runs" >/dev/null

# Starts the ingest in mode $1 in the background and sends it signal $2 (default KILL) after a
# random 0.3-2.3 s; its exit status is left in $stopped_status, its stderr in stopped.err.
kill_midway() {
  "$COST_OPS" ingest --quiet --file usage.csv --on-error "$1" --batch-size 5000 2>stopped.err &
  local pid=$!
  sleep "$(awk -v r="$RANDOM" 'BEGIN { printf "%.2f", 0.3 + (r % 200) / 100 }')"
  kill -"${2:-KILL}" "$pid" 2>/dev/null || true
  stopped_status=0
  wait "$pid" 2>/dev/null || stopped_status=$?
}

stored_before=0
for round in 1 2 3; do
  kill_midway reject
  stored=$(sql "SELECT count(*) FROM cost_ops.usage_records")
  # Whole batches only: every committed batch is 5,000 records.
  [ $((stored % 5000)) = 0 ] || [ "$stored" = "$records" ] || fail "round $round: $stored records is not whole batches"
  [ "$stored" -ge "$stored_before" ] || fail "round $round: records went from $stored_before to $stored"
  stored_before=$stored
  echo "round $round: killed with $stored records stored"
done
status=$("$COST_OPS" runs list --output csv | awk -F, 'NR == 2 { print $5 }')
[ "$stored" = "$records" ] || expect_eq "$status" interrupted "status of the killed run"

# Ctrl-C (SIGINT) stops it before its next record: whole batches, exit status 130, a message
# saying where it stopped; the run is left to resume like a killed one.
kill_midway reject INT
stored=$(sql "SELECT count(*) FROM cost_ops.usage_records")
if [ "$stored" != "$records" ]; then
  expect_eq "$stopped_status" 130 "exit status after SIGINT"
  grep -q "interrupted by SIGINT after $stored records (run .*); run the same command again to resume" stopped.err \
    || fail "the message after SIGINT: $(cat stopped.err)"
  [ $((stored % 5000)) = 0 ] || fail "SIGINT: $stored records is not whole batches"
  echo "SIGINT: stopped with $stored records stored: $(cat stopped.err)"
fi

# A lost connection: the server ends the ingest's session once it has committed a batch (of a
# new run when the killed ones completed the file).
"$COST_OPS" ingest --quiet --file usage.csv --on-error reject --batch-size 5000 &
pid=$!
for _ in $(seq 100); do
  [ "$(sql "SELECT count(*) FROM cost_ops.ingest_runs WHERE status = 'running' AND records_committed > 0")" = 1 ] && break
  sleep 0.1
done
sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND application_name <> 'psql' AND pid <> pg_backend_pid()" >/dev/null
wait "$pid" 2>/dev/null || true

out=$("$COST_OPS" ingest --file usage.csv --on-error reject)
echo "$out"
expect_eq "$(state)" "$expected" "records and total after resuming"
grep -q "resumed after record" <<<"$out" || fail "the last run did not resume: $out"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.ingest_runs WHERE status <> 'completed'")" 0 "runs not completed"

# Abort mode is one transaction: killed, it leaves nothing; stopped by SIGTERM, it leaves
# nothing and says so (exit status 143, the run failed); run again, it stores everything once.
sql "TRUNCATE cost_ops.usage_records" >/dev/null
kill_midway abort
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 0 "records after a killed abort-mode run"
kill_midway abort TERM
if [ "$stopped_status" != 0 ]; then
  expect_eq "$stopped_status" 143 "exit status after SIGTERM"
  grep -q "interrupted by SIGTERM: nothing was written" stopped.err || fail "the message after SIGTERM: $(cat stopped.err)"
  expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 0 "records after SIGTERM in abort mode"
  expect_eq "$(sql "SELECT status || ': ' || error FROM cost_ops.ingest_runs ORDER BY id DESC LIMIT 1")" \
    "failed: interrupted by SIGTERM" "the run stopped by SIGTERM"
  sql "TRUNCATE cost_ops.usage_records" >/dev/null
fi
"$COST_OPS" ingest --quiet --file usage.csv
expect_eq "$(state)" "$expected" "records and total after the abort-mode re-run"

# And a third run of the same file adds nothing: every record is a duplicate, skipped.
expect_output "0 records from usage.csv" "$COST_OPS" ingest --file usage.csv --on-error reject
expect_eq "$(state)" "$expected" "records and total after ingesting the file again"
# A run is resumed only if the records it committed are still the file's: a line fixed before
# the point where it stopped is read again. (The interruption is simulated: the run is set back
# to running, as a killed one is.)
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens\n%s\n%s\n%s\n' \
  2025-04-01T00:00:00Z,openai,gpt-4o,org-f,f1,10,1 2025-13-01T00:00:00Z,openai,gpt-4o,org-f,f2,10,1 \
  2025-04-01T00:00:02Z,openai,gpt-4o,org-f,f3,10,1 > fix.csv
"$COST_OPS" ingest --quiet --file fix.csv --on-error reject --batch-size 1 2>/dev/null || true
sql "UPDATE cost_ops.ingest_runs SET status = 'running', finished_at = NULL WHERE id = (SELECT max(id) FROM cost_ops.ingest_runs)" >/dev/null
sed -i 's/2025-13-01/2025-12-01/' fix.csv
expect_output "ingested 1 record from fix.csv" "$COST_OPS" ingest --file fix.csv --on-error reject
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-f'")" 3 "records of the fixed file"
expect_eq "$(sql "SELECT error FROM cost_ops.ingest_runs ORDER BY id DESC OFFSET 1 LIMIT 1")" \
  "interrupted; not resumed: the file changed before where it stopped" "the run that was not resumed"
echo "PASS"
