#!/usr/bin/env bash
# Idempotent ingest across monthly partitions: a record's identity is unique in its month (its
# partition). Ingesting files again adds nothing whichever partitions hold their records, a
# changed record of a stored identity is a conflict (kept as a reject naming the stored record),
# and the same request id with a timestamp in another month is another record.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null
sql "SELECT count(*) FROM cost_ops.create_partitions('2025-03-31', '2025-01-01')" >/dev/null
cat > january.ndjson <<'JSON'
{"timestamp": "2025-01-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r1", "prompt_tokens": 1000, "completion_tokens": 100}
{"timestamp": "2025-01-11T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "prompt_tokens": 10, "completion_tokens": 0}
JSON
"$COST_OPS" ingest --file january.ndjson --quiet
# The same request id a month later (another month: another record), and a new one in March.
cat > february.ndjson <<'JSON'
{"timestamp": "2025-02-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r1", "prompt_tokens": 1000, "completion_tokens": 100}
{"timestamp": "2025-03-01T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r2", "prompt_tokens": 2000, "completion_tokens": 0}
JSON
"$COST_OPS" ingest --file february.ndjson --quiet
# January's r1 changed: a conflict with the stored one.
cat > changed.ndjson <<'JSON'
{"timestamp": "2025-01-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r1", "prompt_tokens": 999, "completion_tokens": 100}
JSON
# Abort mode: the conflict stops the ingest, nothing of the file is stored.
expect_failure "changed.ndjson:1 (record 1): request_id: another record with this identity is stored (usage record" \
  "$COST_OPS" ingest --file changed.ndjson
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" "4" "rows after the abort"
# Reject mode: the conflict is kept, naming January's row.
set +e
"$COST_OPS" ingest --file changed.ndjson --on-error reject --quiet
status=$?
set -e
expect_eq "$status" "3" "exit status with a reject"
r1=$(sql "SELECT id FROM cost_ops.usage_records WHERE request_id = 'r1' AND \"timestamp\" < '2025-02-01'")
expect_eq "$(sql "SELECT kind || ' ' || conflicts_with || ' ' || reason FROM cost_ops.ingest_rejects")" \
  "conflict $r1 request_id: another record with this identity is stored (usage record $r1) with different prompt_tokens, total_tokens" "the conflict"
# By hand: r1 1000 * 2.50 + 100 * 10 = 3500 -> 0.0035 in January and again in February; the
# keyed row 10 * 2.50 -> 0.000025; r2 2000 * 2.50 -> 0.005. Sum 0.012025.
expect_eq "$(sql "SELECT string_agg(u.tableoid::regclass || ' ' || coalesce(request_id, '-') || ' ' || total_cost, ', ' ORDER BY u.id) FROM cost_ops.usage_records AS u")" \
  "cost_ops.usage_records_2025_01 r1 0.0035, cost_ops.usage_records_2025_01 - 0.000025, cost_ops.usage_records_2025_02 r1 0.0035, cost_ops.usage_records_2025_03 r2 0.005" "stored rows"
# Both files again: everything is recognized in its own month, nothing added.
for f in january february; do
  out=$("$COST_OPS" ingest --file $f.ndjson 2>&1)
  grep -qF "ingested 0 records" <<<"$out" && grep -qF "2 duplicates already stored, skipped" <<<"$out" \
    || fail "$f again: $out"
done
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "4 0.012025" "rows after ingesting again"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.ingest_rejects")" "1" "the conflict is kept once"
expect_eq "$(sql "SELECT sum(records) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.daily_costs")" "4 0.012025" "rollup"
# Months with no partition of their own (the default partition holds them) keep identities
# per month too, also within one batch: r9 in May and in June are two records, its repeat in
# June is a duplicate.
cat > later.ndjson <<'JSON'
{"timestamp": "2030-05-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r9", "prompt_tokens": 4000, "completion_tokens": 0}
{"timestamp": "2030-06-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r9", "prompt_tokens": 4000, "completion_tokens": 0}
{"timestamp": "2030-06-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r9", "prompt_tokens": 4000, "completion_tokens": 0}
JSON
out=$("$COST_OPS" ingest --file later.ndjson 2>&1)
grep -qF "ingested 2 records" <<<"$out" || fail "later: $out"
"$COST_OPS" ingest --file later.ndjson --quiet
# By hand: 4000 * 2.50 -> 0.01 each.
expect_eq "$(sql "SELECT string_agg(u.tableoid::regclass || ' ' || \"timestamp\"::date || ' ' || total_cost, ', ' ORDER BY u.id) FROM cost_ops.usage_records AS u WHERE request_id = 'r9'")" \
  "cost_ops.usage_records_default 2030-05-10 0.01, cost_ops.usage_records_default 2030-06-10 0.01" "per month in the default partition"
echo "ok"
