#!/usr/bin/env bash
# pg_dump / pg_restore of a database using the extension: prices, match rules, aliases, provider
# fallbacks (the built-in ones are not dumped, and so not doubled), usage records with their
# exact costs, price_match and unpriced_reason, and the reprice log all come back as they were.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
genai=$SHARED/data/pricing/genai-prices/data.json

"$COST_OPS" pricing import --format genai-prices "$genai" >/dev/null
"$COST_OPS" pricing add --provider anthropic --model claude-3-5-haiku-corp --input-price 0.80 \
  --output-price 4 --effective-date 2024-01-01 >/dev/null
cat > usage.ndjson <<'JSON'
{"timestamp": "2025-03-01T00:00:00Z", "provider": "openai", "model": "gpt-4o-2024-08-06", "organization_id": "o", "request_id": "b1", "prompt_tokens": 2006, "cached_tokens": 1920, "completion_tokens": 300}
{"timestamp": "2025-03-01T00:00:01Z", "provider": "bedrock", "model": "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/p1", "organization_id": "o", "request_id": "b2", "prompt_tokens": 10000, "completion_tokens": 1000}
{"timestamp": "2025-03-01T00:00:02Z", "provider": "anthropic", "model": "claude-sonnet-4-5", "organization_id": "o", "request_id": "b3", "service_tier": "batch", "usage": {"input_tokens": 3, "cache_creation_input_tokens": 12304, "output_tokens": 550}}
{"timestamp": "2025-03-01T00:00:03Z", "provider": "openai", "model": "no-such-model", "organization_id": "o", "request_id": "b4", "prompt_tokens": 1, "completion_tokens": 1}
JSON
"$COST_OPS" ingest --file usage.ndjson >/dev/null
"$COST_OPS" pricing alias add --provider bedrock \
  --model arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/p1 \
  --target-provider anthropic --target-model claude-3-5-haiku-corp >/dev/null
"$COST_OPS" reprice --unpriced --reason "profile alias" >/dev/null

# Everything the backup must keep, as text (exact costs print exactly).
state() {
  sql "SELECT (SELECT count(*) || ' prices ' || md5(string_agg(concat_ws('|', provider, model, effective_date, end_date, input_price, output_price, cached_input_price, cache_write_price, cache_write_1h_price, reasoning_price, pricing_structure, source), ',' ORDER BY provider, model, effective_date)) FROM cost_ops.pricing_tables)
       || ' / ' || (SELECT count(*) || ' rules' FROM cost_ops.model_match_rules)
       || ' / ' || (SELECT count(*) || ' fallbacks (' || count(*) FILTER (WHERE source = 'builtin') || ' built-in)' FROM cost_ops.provider_fallbacks)
       || ' / ' || (SELECT string_agg(provider || ' ' || model || ' -> ' || target_model, ',') FROM cost_ops.model_aliases)
       || ' / ' || (SELECT string_agg(concat_ws(' ', request_id, provider, service_tier, total_cost, price_match, unpriced_reason), ', ' ORDER BY request_id) FROM cost_ops.usage_records)
       || ' / ' || (SELECT string_agg(concat_ws(' ', reason, old_total_cost, new_total_cost), ',') FROM cost_ops.reprice_log)"
}
before=$(state)
# By hand: b1 gpt-4o (genai-prices' match rule) 86*2.5 + 1920*1.25 + 300*10 = 5615 -> 0.005615;
# b2 through the alias 10000*0.80 + 1000*4 = 12000 -> 0.012 (logged by the reprice); b3 a batch
# request the price has no batch rates for, and b4 an unknown model: unpriced, with the reason.
echo "$before" | grep -q "b1 openai standard 0.005615 rule, b2 bedrock standard 0.012 alias, b3 anthropic batch no price for this service tier, b4 openai standard no price for this model / profile alias 0.012" \
  || fail "state before the dump: $before"

# Partitions: March's rows move into their monthly partition (an ordinary table, dumped with
# its rows), an April row stays in the extension's default partition; the rows and the rollup
# must come back as they were, and keep working.
sql "SELECT count(*) FROM cost_ops.create_partitions('2025-03-31', '2025-02-01')" >/dev/null
cat > april.ndjson <<'JSON'
{"timestamp": "2025-04-02T00:00:00Z", "provider": "openai", "model": "gpt-4o-2024-08-06", "organization_id": "o", "request_id": "b5", "prompt_tokens": 1000, "completion_tokens": 0}
JSON
"$COST_OPS" ingest --file april.ndjson >/dev/null
partitioned() {
  sql "SELECT (SELECT string_agg(tableoid::regclass || ' ' || request_id, ', ' ORDER BY request_id) FROM cost_ops.usage_records)
       || ' / ' || (SELECT string_agg(concat_ws(' ', day, model, records, priced_records, total_cost), ', ' ORDER BY day, model) FROM cost_ops.daily_costs)"
}
parts_before=$(partitioned)
grep -qF "cost_ops.usage_records_2025_03 b1, cost_ops.usage_records_2025_03 b2, cost_ops.usage_records_2025_03 b3, cost_ops.usage_records_2025_03 b4, cost_ops.usage_records_default b5 / " <<<"$parts_before" \
  || fail "partitions before the dump: $parts_before"
before=$(state)

pg_dump -Fc -d "$db" -f backup.dump || fail "pg_dump"
original=$db restored="${db}_restored"
psql -X -q -d postgres -c "CREATE DATABASE \"$restored\"" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$original\"" >/dev/null 2>&1; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$restored\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
pg_restore -d "$restored" --exit-on-error backup.dump 2>restore.err || fail "pg_restore: $(cat restore.err)"
db=$restored
expect_eq "$(state)" "$before" "the restored database"
expect_eq "$(partitioned)" "$parts_before" "the restored partitions and rollup"
# Restored, the partition still refuses a stored request id of its month, and new rows take
# the next id and reach the rollup.
expect_failure "usage_records_2025_03_request_identity" sql "INSERT INTO cost_ops.usage_records (\"timestamp\", provider, model, organization_id, request_id, prompt_tokens) VALUES ('2025-03-05', 'openai', 'gpt-4o-2024-08-06', 'o', 'b1', 1)"
sql "INSERT INTO cost_ops.usage_records (\"timestamp\", provider, model, organization_id, request_id, prompt_tokens) VALUES ('2025-03-05', 'openai', 'gpt-4o-2024-08-06', 'o', 'b6', 1000)" >/dev/null
expect_eq "$(sql "SELECT tableoid::regclass || ' ' || (id > (SELECT max(id) FROM cost_ops.usage_records WHERE request_id <> 'b6')) FROM cost_ops.usage_records WHERE request_id = 'b6'")" \
  "cost_ops.usage_records_2025_03 true" "a row stored after the restore"
expect_eq "$(sql "SELECT (SELECT sum(records) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.daily_costs) = (SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records)")" \
  "t" "the rollup after the restore"
echo "ok"
