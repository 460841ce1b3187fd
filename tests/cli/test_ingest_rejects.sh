#!/usr/bin/env bash
# 10,000 records with 37 bad ones of distinct kinds (tests/fixtures/ingest/bad_records.ndjson:
# bad and impossible timestamps, negative counts, parts larger than wholes, a total mismatch,
# missing fields, wrong types, broken JSON, bad UTF-8, a NUL byte, a different record under a
# stored request id, ...) spread through 9,963 good ones: --on-error reject stores the 9,963, keeps
# the 37 with the reasons in rejects.expected, and two more ingests of the file change nothing.
# Then: abort mode writes nothing and names the bad records; rejects retry/dismiss; the log file;
# and two identical copies of resp_1 (1000 prompt, 200 completion at 3/15) count once: 0.006.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
fixtures=$REPO/tests/fixtures/ingest
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 3 --output-price 15 \
  --effective-date 2025-01-01 >/dev/null

# Good record n: n prompt tokens, 10 completion tokens, at second n of 2025-04-01; bad line k
# (1..37) after good record 265 k.
awk -v bad="$fixtures/bad_records.ndjson" 'BEGIN {
  k = 0
  for (n = 1; n <= 9963; n++) {
    printf "{\"timestamp\": \"2025-04-01T%02d:%02d:%02dZ\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"organization_id\": \"org-good\", \"request_id\": \"good-%d\", \"prompt_tokens\": %d, \"completion_tokens\": 10}\n", int(n / 3600), int(n / 60) % 60, n % 60, n, n
    if (n % 265 == 0 && k < 37 && (getline line < bad) > 0) { print line; k++ }
  }
}' > usage.ndjson
[ "$(wc -l < usage.ndjson)" = 10000 ] || fail "the fixture has $(wc -l < usage.ndjson) lines"
# By hand: sum over n of (3 n + 15 * 10) / 1e6 = (3 * 9963 * 9964 / 2 + 150 * 9963) / 1e6.
expected_total=$(awk 'BEGIN { printf "%.6f", (3 * 9963 * 9964 / 2 + 150 * 9963) / 1e6 }')
state() { sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost)::numeric(20,6) || ' / ' || (SELECT count(*) FROM cost_ops.ingest_rejects) FROM cost_ops.usage_records"; }

set +e
out=$("$COST_OPS" ingest --file usage.ndjson --on-error reject --log-file import.log 2>&1)
rc=$?
set -e
expect_eq "$rc" 3 "exit status with rejects"
grep -q "^ingested 9963 records from usage.ndjson" <<<"$out" || fail "summary: $out"
grep -q "37 rejected (37 newly kept" <<<"$out" || fail "summary: $out"
expect_eq "$(state)" "9963 $expected_total / 37" "records, total and rejects"

# Each reject: line, kind, field and reason (rejects.expected, reviewed by hand).
sql "SELECT line || ' ' || kind || ' ' || coalesce(field, '-') || ': ' || reason FROM cost_ops.ingest_rejects ORDER BY line" > rejects.actual
diff rejects.actual "$fixtures/rejects.expected" >&2 || fail "rejects differ from rejects.expected (< actual)"
expect_eq "$(sql "SELECT count(DISTINCT reason) FROM cost_ops.ingest_rejects")" 37 "distinct reasons"
# The conflicting record keeps both versions visible: the stored one and the rejected one.
expect_eq "$(sql "SELECT (existing->>'prompt_tokens') || ' vs ' || (raw::jsonb->>'prompt_tokens') FROM cost_ops.ingest_rejects WHERE kind = 'conflict'")" "5 vs 999" "conflict versions"
# The bad UTF-8 is kept, escaped.
expect_eq "$(sql "SELECT count(*) FROM cost_ops.ingest_rejects WHERE raw LIKE '%gpt-4o\\\\xff%'")" 1 "escaped bad byte"
grep -q "rejected usage.ndjson:" import.log || fail "the log has no rejects"
grep -q "completed, 9963 inserted, 0 skipped, 37 rejected" import.log || fail "the log has no outcome: $(cat import.log)"

# Twice more: nothing changes; every good record is a skipped duplicate, every reject known.
for again in 1 2; do
  out=$("$COST_OPS" ingest --file usage.ndjson --on-error reject 2>&1) && fail "ingest $again succeeded with rejects"
  grep -q "^ingested 0 records .*9963 duplicates already stored, skipped; 37 rejected (all kept already by earlier runs" <<<"$out" || fail "ingest $again: $out"
  expect_eq "$(state)" "9963 $expected_total / 37" "after ingest $again"
done
expect_eq "$(sql "SELECT string_agg(status || ' ' || records_inserted || '/' || records_skipped || '/' || records_rejected, ', ' ORDER BY id) FROM cost_ops.ingest_runs")" \
  "completed 9963/0/37, completed 0/9963/37, completed 0/9963/37" "the runs"

# Abort mode (the default): nothing written, the bad records named by line.
sql "TRUNCATE cost_ops.usage_records" >/dev/null
expect_failure "usage.ndjson:266 (record 266): timestamp:" "$COST_OPS" ingest --file usage.ndjson
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 0 "records after abort"
expect_eq "$(sql "SELECT status || ': ' || error FROM cost_ops.ingest_runs ORDER BY id DESC LIMIT 1")" \
  "failed: 36 invalid records; nothing was written (--on-error abort)" "the aborted run"

# Retry (the usage table is empty now): a missing organization is fixed by a default, and the
# conflicting record no longer conflicts; the rest still fail and stay, the unreadable ones
# named.
out=$("$COST_OPS" rejects retry --default-organization org-late 2>&1) && fail "retry succeeded with rejects left"
grep -q "retried 37 rejects: 2 stored, 35 still rejected" <<<"$out" || fail "retry: $out"
grep -q "not retried: reject .*: its raw text is not valid JSON" <<<"$out" || fail "retry: $out"
expect_eq "$(sql "SELECT string_agg(request_id || ' ' || organization_id || ' ' || total_cost, ', ' ORDER BY request_id) FROM cost_ops.usage_records")" \
  "bad-11 org-late 0.006, good-5 org-good 0.003012" "the retried records"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.ingest_rejects WHERE resolution = 'stored'")" 2 "stored rejects"
expect_output "dismissed 35 rejects" "$COST_OPS" rejects dismiss --run 1
expect_failure "no unresolved rejects match" "$COST_OPS" rejects dismiss --id 99999
expect_output "no rejects to retry" "$COST_OPS" rejects retry
expect_eq "$("$COST_OPS" rejects list --all --output csv | tail -n +2 | wc -l)" 37 "rejects listed with --all"

# Abort mode: a conflict in the last batch, or with a stored record, writes nothing either.
sql "TRUNCATE cost_ops.usage_records" >/dev/null
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens\n%s\n%s\n%s\n' \
  2025-04-03T00:00:00Z,openai,gpt-4o,org-k,k1,10,1 2025-04-03T00:00:00Z,openai,gpt-4o,org-k,k1,10,2 \
  2025-04-03T00:00:01Z,openai,gpt-4o,org-k,k2,10,1 > k.csv
expect_failure "k.csv:3 (record 2): request_id: another record with this identity" "$COST_OPS" ingest --file k.csv
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 0 "records after an abort-mode conflict"

# Reject mode: a record the database refuses (year 0: no such year) in a batch that also holds a
# stored duplicate is rejected alone; the others land.
head -2 k.csv > k1.csv
"$COST_OPS" ingest --quiet --file k1.csv
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens\n%s\n%s\n%s\n' \
  2025-04-03T00:00:00Z,openai,gpt-4o,org-k,k1,10,1 0000-01-01T00:00:00Z,openai,gpt-4o,org-k,y0,10,1 \
  2025-04-03T00:00:02Z,openai,gpt-4o,org-k,k3,10,1 > y0.csv
out=$("$COST_OPS" ingest --file y0.csv --on-error reject 2>&1) && fail "y0.csv: no reject"
grep -q "ingested 1 record .*1 duplicate already stored, skipped; 1 rejected" <<<"$out" || fail "y0.csv: $out"
expect_eq "$(sql "SELECT string_agg(request_id, ',' ORDER BY request_id) FROM cost_ops.usage_records")" "k1,k3" "records after the refused one"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.ingest_rejects WHERE reason LIKE 'the database refused the record:%'")" 1 "the refused record kept"

# gzip in reject mode is one transaction: a truncated file stores nothing.
sql "TRUNCATE cost_ops.usage_records" >/dev/null
gzip -c usage.ndjson > usage.ndjson.gz
head -c $(($(wc -c < usage.ndjson.gz) / 2)) usage.ndjson.gz > truncated.ndjson.gz
expect_failure "truncated.ndjson.gz" "$COST_OPS" ingest --file truncated.ndjson.gz --on-error reject --batch-size 100
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 0 "records after a truncated gzip"

# Two identical copies of resp_1 count once.
sql "TRUNCATE cost_ops.usage_records" >/dev/null
line='{"timestamp": "2025-04-02T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "org-a", "request_id": "resp_1", "prompt_tokens": 1000, "completion_tokens": 200}'
printf '%s\n%s\n' "$line" "$line" > twice.ndjson
expect_output "1 duplicate already stored, skipped" "$COST_OPS" ingest --file twice.ndjson
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "1 0.006" "resp_1 twice"
echo "PASS"
