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

pg_dump -Fc -d "$db" -f backup.dump || fail "pg_dump"
restored="${db}_restored"
psql -X -q -d postgres -c "CREATE DATABASE \"$restored\"" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$restored\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
pg_restore -d "$restored" --exit-on-error backup.dump 2>restore.err || fail "pg_restore: $(cat restore.err)"
db=$restored
expect_eq "$(state)" "$before" "the restored database"
echo "ok"
