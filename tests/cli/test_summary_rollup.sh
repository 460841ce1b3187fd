#!/usr/bin/env bash
# cost-ops summary reads cost_ops.daily_costs when it can (ranges of whole UTC days, keys and
# filters among provider, model, organization, project, day, month): its output must be
# exactly the one over the rows (a range bound with a time makes it read the rows), priced,
# unpriced and cached records alike, through deletes, reprices and retention.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --cached-input-price 1.25 --effective-date 2020-01-01 >/dev/null
sql "SELECT count(*) FROM cost_ops.create_partitions('2025-02-28', '2025-01-01')" >/dev/null
cat > usage.ndjson <<'JSON'
{"timestamp": "2025-01-10T23:59:59Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o1", "project_id": "p1", "request_id": "a", "prompt_tokens": 1000, "completion_tokens": 100, "cached_tokens": 400}
{"timestamp": "2025-01-11T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o1", "request_id": "b", "prompt_tokens": 7, "completion_tokens": 3}
{"timestamp": "2025-01-11T05:00:00Z", "provider": "openai", "model": "gpt-unknown", "organization_id": "o2", "project_id": "p1", "request_id": "c", "prompt_tokens": 50, "completion_tokens": 5}
{"timestamp": "2025-02-01T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o2", "project_id": "p2", "request_id": "d", "prompt_tokens": 123456, "completion_tokens": 654}
{"timestamp": "2025-03-02T12:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o1", "project_id": "p1", "request_id": "e", "prompt_tokens": 1, "completion_tokens": 1}
JSON
"$COST_OPS" ingest --file usage.ndjson --quiet
expect_eq "$(sql "SELECT count(*) || ' ' || count(total_cost) FROM cost_ops.usage_records")" "5 4" "stored"

# Compares, for every key list and output, the summary from the rollup with the one over the
# rows: all time, days (a TO date is inclusive) and a key filter.
compare_all() {
  local keys out
  for keys in "day,model" "month,provider" "organization,project" "model,day,organization" "" \
              "provider,model"; do
    for out in csv table; do
      expect_eq "$("$COST_OPS" summary --group-by "$keys" --output "$out")" \
        "$("$COST_OPS" summary --group-by "$keys" --output "$out" --range 1970-01-01T00:00:00Z..2100-01-01)" \
        "$1: --group-by '$keys' --output $out"
      expect_eq "$("$COST_OPS" summary --group-by "$keys" --output "$out" --range 2025-01-11..2025-02-01 --organization o2)" \
        "$("$COST_OPS" summary --group-by "$keys" --output "$out" --range 2025-01-11T00:00:00Z..2025-02-02T00:00:00Z --organization o2)" \
        "$1: --group-by '$keys' --output $out, days of o2"
    done
  done
}
compare_all "after ingest"
# The unpriced model gets a price: repriced rows change their costs in the rollup too.
"$COST_OPS" pricing add --provider openai --model gpt-unknown --input-price 1 --output-price 2 \
  --effective-date 2020-01-01 >/dev/null
"$COST_OPS" reprice --unpriced >/dev/null
sql "DELETE FROM cost_ops.usage_records WHERE request_id = 'b'" >/dev/null
compare_all "after reprice and delete"
sql "SELECT count(*) FROM cost_ops.detach_partitions('2025-02-01', true)" >/dev/null
compare_all "after retention"
# Compacted (one row per key), it says the same.
expect_eq "$(sql "SELECT cost_ops.compact_daily_costs()")" "2" "rollup rows left (d and e)"
compare_all "after compaction"
# Every row deleted: the rollup's changes sum to nothing, the totals are zero either way.
sql "DELETE FROM cost_ops.usage_records" >/dev/null
compare_all "after deleting every row"
# The rollup is what it read: a row added to it alone shows.
sql "INSERT INTO cost_ops.daily_costs SELECT day, provider, model, organization_id, project_id, 1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, '0', 0, '0', '0' FROM cost_ops.daily_costs LIMIT 1" >/dev/null
expect_eq "$("$COST_OPS" summary --group-by "" --output csv | tail -n 1 | cut -d, -f1)" "1000" \
  "requests read from the rollup"
# Its triggers disabled (a bulk load), the rollup is not read until rebuilt.
sql "ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted" >/dev/null
expect_eq "$("$COST_OPS" summary --group-by "" --output csv | tail -n 1 | cut -d, -f1)" "0" \
  "requests of the rows while the rollup is not kept"
sql "ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted" >/dev/null
sql "SELECT cost_ops.rebuild_daily_costs()" >/dev/null
compare_all "after a rebuild"
# A record dated in the future is in no "this" or "last" range, from the rollup or the rows.
cat > future.ndjson <<'JSON'
{"timestamp": "2099-01-01T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o1", "request_id": "future", "prompt_tokens": 1, "completion_tokens": 1}
JSON
"$COST_OPS" ingest --file future.ndjson --quiet
for range in today this-month last-30-days last-24-hours; do
  expect_eq "$("$COST_OPS" summary --group-by "" --output csv --range $range | tail -n 1 | cut -d, -f1)" "0" \
    "the future record in $range"
done
echo "ok"
