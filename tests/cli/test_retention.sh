#!/usr/bin/env bash
# cost-ops retention: the monthly partitions whose month ended long enough ago are listed
# (--dry-run, nothing changed), then detached or dropped in one transaction; their records
# leave the summaries and the rollup, and their request ids can be ingested again.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null
# Months relative to today, so that the ages stay the same whenever the test runs.
month() { date -u -d "$(date -u +%Y-%m-15) $1 months" +%Y-%m; }
old=$(month -30) mid=$(month -29) recent=$(month -1)
sql "SELECT count(*) FROM cost_ops.create_partitions(now() + interval '1 month', '$(month -31)-01')" >/dev/null
cat > usage.ndjson <<JSON
{"timestamp": "${old}-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r-old", "prompt_tokens": 1000, "completion_tokens": 100}
{"timestamp": "${mid}-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r-mid", "prompt_tokens": 2000, "completion_tokens": 200}
{"timestamp": "${recent}-10T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "request_id": "r-new", "prompt_tokens": 1000, "completion_tokens": 0}
JSON
"$COST_OPS" ingest --file usage.ndjson --quiet
# By hand: r-old 1000 * 2.50 + 100 * 10 = 3500 -> 0.0035; r-mid 0.007; r-new 0.0025.
expect_eq "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "0.013" "total before"

# 28 months: the month 31 months ago (empty), 30 (r-old) and 29 (r-mid) ended long enough ago.
expect_failure "--detach or --drop" "$COST_OPS" retention --older-than 28mo
expect_failure "is not an age" "$COST_OPS" retention --older-than 28weeks --drop
out=$("$COST_OPS" retention --older-than 28mo --drop --dry-run)
expect_eq "$(grep -c '^would drop cost_ops.usage_records_' <<<"$out")" "3" "partitions listed: $out"
grep -qF "would drop cost_ops.usage_records_${old/-/_} " <<<"$out" || fail "r-old's month: $out"
grep -qF ": 1 record, 0.0035 USD" <<<"$out" || fail "r-old's month counts: $out"
grep -qF "dry run, nothing changed: 3 partitions older than 28mo, 2 records" <<<"$out" || fail "$out"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" "3" "rows after the dry run"

expect_output "3 partitions older than 28mo, 2 records" "$COST_OPS" retention --older-than 28mo --detach
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "1 0.0025" "rows after detaching"
expect_eq "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.daily_costs")" "0.0025" "rollup after detaching"
"$COST_OPS" summary --group-by "" --output csv | grep -q ",0.0025$" || fail "summary after detaching"
# Detached, r-old's month is a table of its own, with its row.
expect_eq "$(sql "SELECT request_id || ' ' || total_cost FROM cost_ops.usage_records_${old/-/_}_detached")" "r-old 0.0035" "detached table"
# Nothing is older any more.
expect_output "0 partitions older than 28mo, 0 records" "$COST_OPS" retention --older-than 28mo --drop
# The records are no longer usage: ingesting them again stores them again (in the default
# partition, as their months have no partition now), once.
"$COST_OPS" ingest --file usage.ndjson --quiet
"$COST_OPS" ingest --file usage.ndjson --quiet
expect_eq "$(sql "SELECT string_agg(u.tableoid::regclass || ' ' || request_id, ', ' ORDER BY request_id) FROM cost_ops.usage_records AS u WHERE request_id <> 'r-new'")" \
  "cost_ops.usage_records_default r-mid, cost_ops.usage_records_default r-old" "re-ingested"

# --drop: the recent month once it is old enough for the age given (1 day: last month ended).
sql "SELECT cost_ops.create_partitions(now(), '$(month -31)-01')" >/dev/null
expect_output "dropped cost_ops.usage_records_${recent/-/_} " "$COST_OPS" retention --older-than 1d --drop
expect_eq "$(sql "SELECT to_regclass('cost_ops.usage_records_${recent/-/_}') IS NULL")" "t" "dropped table"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE request_id = 'r-new'")" "0" "records of a dropped month"
echo "ok"
