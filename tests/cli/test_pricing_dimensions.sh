#!/usr/bin/env bash
# Every price dimension through the CLI, with costs checked by hand: pricing add's 1-hour
# cache-write and reasoning prices and --structure (service and context tiers) and its errors;
# ingest of provider usage objects (OpenAI, Anthropic, Gemini, by provider or usage_format)
# with per-record errors naming file, line and field; service_tier and cache_write_1h_tokens
# in CSV and JSON; effective dating; and the --help of each command teaching all this.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

# Each command's --help names its options for these dimensions.
for expected in --cache-write-1h-price --reasoning-price --structure service_tiers; do
  expect_output "$expected" "$COST_OPS" pricing add --help
done
expect_output "alias" "$COST_OPS" pricing --help
for expected in usageMetadata usage_format service_tier cache_write_1h_tokens; do
  expect_output "$expected" "$COST_OPS" ingest --help
done
for expected in price_match unpriced_reason; do
  expect_output "$expected" "$COST_OPS" query --help
  expect_output "$expected" "$COST_OPS" export --help
done

# pricing add: every column, and service tiers in --structure.
out=$("$COST_OPS" pricing add --provider OpenAI --model gpt-4o --input-price 2.50 \
  --cached-input-price 1.25 --output-price 10 --cache-write-1h-price 5 --reasoning-price 12 \
  --effective-date 2024-05-13 \
  --structure '{"service_tiers": {"batch": {"input": "1.25", "output": "5"},
                                  "priority": {"input": 4.25, "cached_input": "2.125", "output": "17"}}}')
expect_eq "$out" "added price row 1: openai/gpt-4o input 2.5, output 10, cached input 1.25, 1-hour cache write 5, reasoning 12 USD per 1M tokens, valid from 2024-05-13T00:00:00+00:00 (open-ended)" \
  "pricing add output"
expect_eq "$(sql "SELECT cache_write_price IS NULL, cache_write_1h_price, reasoning_price, pricing_structure->'service_tiers'->'priority'->>'input' FROM cost_ops.pricing_tables WHERE id = 1")" \
  "t|5|12|4.25" "stored dimensions"
expect_eq "$("$COST_OPS" pricing list --provider openai --output json | jq -c '.[0] | [.cache_write_1h_price, .reasoning_price, .pricing_structure.service_tiers.batch.output]')" \
  '["5","12","5"]' "pricing list json"
"$COST_OPS" pricing add --provider anthropic --model claude-sonnet-4 --input-price 3 \
  --cached-input-price 0.30 --cache-write-price 3.75 --cache-write-1h-price 6 --output-price 15 \
  --effective-date 2025-05-14 >/dev/null
"$COST_OPS" pricing add --provider google --model gemini-2.5-flash --input-price 0.30 \
  --cached-input-price 0.075 --output-price 2.50 --effective-date 2025-06-17 >/dev/null
"$COST_OPS" pricing add --provider openai --model o-reasoner --input-price 30 --output-price 180 \
  --effective-date 2025-01-01 >/dev/null
# Context tiers: base 2, above 200k tokens 4 for the whole request.
"$COST_OPS" pricing add --provider google --model long-context --input-price 2 --output-price 8 \
  --effective-date 2025-01-01 \
  --structure '{"tiers": [{"above_prompt_tokens": 200000, "input": "4", "output": "12"}]}' >/dev/null

# A top-level key the formula does not read is kept, with a warning (a misspelt request_fee
# would otherwise charge nothing without a word).
expect_output 'warning: --structure key "request_fees" is not used by the cost formula' \
  "$COST_OPS" pricing add --provider x --model fee-typo --input-price 1 --output-price 1 \
  --effective-date 2025-01-01 --structure '{"request_fees": "0.005"}'

# Every invalid flag is refused, naming it, and nothing is written.
add=("$COST_OPS" pricing add --provider x --model y --input-price 1 --output-price 1
  --effective-date 2025-01-01)
expect_failure "--cache-write-1h-price 'abc': not a decimal number" "${add[@]}" --cache-write-1h-price abc
expect_failure "--reasoning-price '-1': price is negative" "${add[@]}" --reasoning-price -1
expect_failure "--reasoning-price '0.0000000000000000001': has 19 fractional digits" \
  "${add[@]}" --reasoning-price 0.0000000000000000001
expect_failure "--structure is not valid JSON: " "${add[@]}" --structure '{bad'
expect_failure "--structure: pricing_structure: must be a JSON object" "${add[@]}" --structure '[]'
expect_failure "--structure: pricing_structure.service_tiers: must be an object" \
  "${add[@]}" --structure '{"service_tiers": ["batch"]}'
expect_failure "--structure: pricing_structure.service_tiers.standard: is not a service tier: use batch, priority or flex" \
  "${add[@]}" --structure '{"service_tiers": {"standard": {"input": "1"}}}'
expect_failure '--structure: pricing_structure.service_tiers.batch.output: "-5" price is negative' \
  "${add[@]}" --structure '{"service_tiers": {"batch": {"output": "-5"}}}'
expect_failure "--structure: pricing_structure.tiers[1]: thresholds must be in ascending order" \
  "${add[@]}" --structure '{"tiers": [{"above_prompt_tokens": 200000}, {"above_prompt_tokens": 128000}]}'
expect_failure "--structure: pricing_structure.tiers[0].above_prompt_tokens: must be a non-negative integer" \
  "${add[@]}" --structure '{"tiers": [{"above_prompt_tokens": "200k", "input": "4"}]}'
expect_failure '--structure: pricing_structure.tiers[0].cache_write_1h: "x" not a decimal number' \
  "${add[@]}" --structure '{"tiers": [{"above_prompt_tokens": 1, "cache_write_1h": "x"}]}'
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables WHERE provider = 'x' AND model = 'y'")" 0 "refused prices"

# Provider usage objects, read by the provider's conventions or by usage_format.
cat > usage.ndjson <<'NDJSON'
{"timestamp": "2025-07-01T00:00:00Z", "provider": "openai", "model": "gpt-4o-2024-11-20", "organization_id": "o", "request_id": "openai", "usage": {"prompt_tokens": 2006, "completion_tokens": 300, "total_tokens": 2306, "prompt_tokens_details": {"cached_tokens": 1920}}}
{"timestamp": "2025-07-01T00:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4", "organization_id": "o", "request_id": "anthropic", "usage": {"input_tokens": 3, "cache_creation_input_tokens": 12304, "cache_read_input_tokens": 0, "output_tokens": 550}}
{"timestamp": "2025-07-01T00:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4", "organization_id": "o", "request_id": "anthropic-1h", "usage": {"input_tokens": 10, "cache_creation_input_tokens": 1000, "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 1000}, "output_tokens": 10}}
{"timestamp": "2025-07-01T00:00:00Z", "provider": "google", "model": "gemini-2.5-flash", "organization_id": "o", "request_id": "gemini", "usageMetadata": {"promptTokenCount": 1000, "cachedContentTokenCount": 400, "candidatesTokenCount": 100, "thoughtsTokenCount": 50, "totalTokenCount": 1150}}
{"timestamp": "2025-07-01T00:00:00Z", "provider": "openrouter", "model": "anthropic/claude-sonnet-4", "organization_id": "o", "request_id": "routed", "usage_format": "anthropic", "usage": {"input_tokens": 100, "cache_read_input_tokens": 1000, "output_tokens": 10}}
{"timestamp": "2025-07-01T00:00:00Z", "provider": "openai", "model": "o-reasoner", "organization_id": "o", "request_id": "reasoning", "usage": {"prompt_tokens": 14746, "completion_tokens": 1944, "completion_tokens_details": {"reasoning_tokens": 1360}}}
NDJSON
expect_output "ingested 6 records from usage.ndjson" "$COST_OPS" ingest --file usage.ndjson
# openai: 86*2.50 + 1920*1.25 + 300*10. anthropic: 3*3 + 12304*3.75 + 550*15.
# anthropic-1h: 10*3 + 1000*6 (the 1-hour price) + 10*15. gemini: 600*0.30 + 400*0.075 +
# (100 + 50 thoughts)*2.50. routed: 100*3 + 1000*0.30 + 10*15, priced as anthropic's model.
# reasoning: 14746*30 + 1944*180.
expect_eq "$(sql "SELECT string_agg(concat_ws(' ', request_id, prompt_tokens, cached_tokens, cache_write_tokens, cache_write_1h_tokens, completion_tokens, reasoning_tokens, total_cost, price_match), E'\n' ORDER BY id) FROM cost_ops.usage_records")" \
  "openai 2006 1920 0 0 300 0 0.005615 normalized
anthropic 12307 0 12304 0 550 0 0.054399 exact
anthropic-1h 1010 0 0 1000 10 0 0.00618 exact
gemini 1000 400 0 0 150 50 0.000585 exact
routed 1100 1000 0 0 10 0 0.00075 normalized
reasoning 14746 0 0 0 1944 1360 0.7923 exact" "usage objects normalized and priced"

# A JSON array of records with usage objects.
cat > usage.json <<'JSON'
[
  {"timestamp": "2025-07-02T00:00:00Z", "provider": "vertex_ai", "model": "gemini-2.5-flash",
   "organization_id": "o", "request_id": "vertex", "usage_format": "gemini",
   "usageMetadata": {"promptTokenCount": 2000, "candidatesTokenCount": 200}},
  {"timestamp": "2025-07-02T00:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4",
   "organization_id": "o", "request_id": "array",
   "usage": {"input_tokens": 3, "cache_creation_input_tokens": 12304, "output_tokens": 550}}
]
JSON
expect_output "all 2 records are valid" "$COST_OPS" ingest --file usage.json --validate-only
expect_output "ingested 2 records from usage.json" "$COST_OPS" ingest --file usage.json
expect_eq "$(sql "SELECT string_agg(request_id || ' ' || prompt_tokens || ' ' || completion_tokens || ' ' || coalesce(total_cost::text, unpriced_reason), ', ' ORDER BY id) FROM cost_ops.usage_records WHERE \"timestamp\" = '2025-07-02'")" \
  "vertex 2000 200 0.0011, array 12307 550 0.054399" "json array with usage"
# vertex_ai finds google's gemini-2.5-flash through the built-in provider fallback:
# 2000 * 0.30 + 200 * 2.50 = 600 + 500 = 1100 -> 0.0011.
expect_eq "$(sql "SELECT price_match FROM cost_ops.usage_records WHERE request_id = 'vertex'")" "fallback"

# Inconsistent usage objects: every record reported with file:line, record and field;
# nothing of the file is written.
cat > bad.ndjson <<'NDJSON'
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "bad", "usage": {"prompt_tokens": 100, "completion_tokens": 10, "prompt_tokens_details": {"cached_tokens": 200}}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "bad", "prompt_tokens": 100, "usage": {"prompt_tokens": 100, "completion_tokens": 10}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4", "organization_id": "bad", "usage": {"input_tokens": 3, "cache_creation_input_tokens": 10, "cache_creation": {"ephemeral_5m_input_tokens": 4, "ephemeral_1h_input_tokens": 4}, "output_tokens": 1}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "google", "model": "gemini-2.5-flash", "organization_id": "bad", "usageMetadata": {"promptTokenCount": 10, "candidatesTokenCount": 5, "totalTokenCount": 99}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "mistral", "model": "m", "organization_id": "bad", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "m", "organization_id": "bad", "usage_format": "cohere", "usage": {"prompt_tokens": 1, "completion_tokens": 1}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "m", "organization_id": "bad", "usage": {"input_tokens": 1, "cache_read_input_tokens": 1, "output_tokens": 1}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "m", "organization_id": "bad", "usage": {"prompt_tokens": 4, "completion_tokens": 1}, "usageMetadata": {"promptTokenCount": 4}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "bad", "usage": {"prompt_tokens": 10, "completion_tokens": 1}}
{"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "m", "organization_id": "bad", "usage": {"prompt_tokens": 5, "completion_tokens": 2, "completion_tokens_details": {"reasoning_tokens": 3}}}
NDJSON
err=$("$COST_OPS" ingest --file bad.ndjson 2>&1) && fail "bad usage objects accepted"
for expected in \
  "bad.ndjson:1 (record 1): usage.prompt_tokens_details.cached_tokens (200) exceeds usage.prompt_tokens (100), which includes it" \
  "bad.ndjson:2 (record 2): prompt_tokens: given with a provider usage object: give one or the other" \
  "bad.ndjson:3 (record 3): usage.cache_creation_input_tokens (10) differs from usage.cache_creation.ephemeral_5m_input_tokens + usage.cache_creation.ephemeral_1h_input_tokens (4 + 4 = 8)" \
  "bad.ndjson:4 (record 4): usageMetadata.totalTokenCount (99) differs from usageMetadata.promptTokenCount + usageMetadata.candidatesTokenCount (10 + 5 = 15)" \
  'bad.ndjson:5 (record 5): usage_format: missing: the format of the usage object of provider "mistral" is not known' \
  'bad.ndjson:6 (record 6): usage_format: expected openai, anthropic or gemini, got "cohere"' \
  "bad.ndjson:7 (record 7): usage.cache_read_input_tokens is a member of Anthropic usage, which the openai usage format does not describe" \
  "bad.ndjson:8 (record 8): usageMetadata: given with a provider usage object: give one or the other" \
  "bad.ndjson:10 (record 10): usage.completion_tokens_details.reasoning_tokens (3) exceeds usage.completion_tokens (2)" \
  "9 of 10 records are invalid; nothing was written"; do
  grep -qF -- "$expected" <<<"$err" || fail "missing '$expected' in: $err"
done
grep -qF "bad.ndjson:9 " <<<"$err" && fail "the valid record 9 was reported: $err"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'bad'")" 0
# In a JSON array the line is the element's first line.
printf '[\n {"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "gpt-4o",\n  "organization_id": "bad", "usage": {"prompt_tokens": 1, "completion_tokens": 1}},\n {"timestamp": "2025-07-03T00:00:00Z", "provider": "openai", "model": "gpt-4o",\n  "organization_id": "bad", "usage": {"prompt_tokens": -1, "completion_tokens": 1}}\n]\n' > bad.json
expect_failure "bad.json:4 (record 2): usage.prompt_tokens is negative (-1)" \
  "$COST_OPS" ingest --file bad.json --validate-only
"$COST_OPS" ingest --file bad.ndjson --on-error skip >/dev/null 2>&1 && fail "skip mode exit status"
expect_eq "$(sql "SELECT request_id IS NULL, total_cost FROM cost_ops.usage_records WHERE organization_id = 'bad'")" \
  "t|0.000035" "skip mode loads the valid record"

# service_tier and cache_write_1h_tokens in CSV and JSON.
cat > tiers.csv <<'CSV'
timestamp,provider,model,organization_id,request_id,prompt_tokens,cached_tokens,completion_tokens,cache_write_1h_tokens,service_tier
2025-07-04T00:00:00Z,openai,gpt-4o,tiers,csv-batch,2006,1920,300,,batch
2025-07-04T00:00:00Z,openai,gpt-4o,tiers,csv-priority,2006,1920,300,,priority
2025-07-04T00:00:00Z,openai,gpt-4o,tiers,csv-default,2006,1920,300,,default
2025-07-04T00:00:00Z,openai,gpt-4o,tiers,csv-flex,2006,1920,300,,flex
2025-07-04T00:00:00Z,anthropic,claude-sonnet-4,tiers,csv-1h,1010,0,10,1000,
2025-07-04T00:00:00Z,openai,gpt-4o,tiers,csv-1h-openai,3000,1000,0,1000,standard
CSV
expect_output "ingested 6 records from tiers.csv in" "$COST_OPS" ingest --file tiers.csv
# batch: (86 + 1920)*1.25 (cached keeps its rate) + 300*5. priority: 86*4.25 + 1920*2.125 +
# 300*17. flex has no price: unpriced, with the reason. csv-1h: 10*3 + 1000*6 + 10*15.
# csv-1h-openai, at gpt-4o's own 1-hour price: 1000*2.50 + 1000*1.25 + 1000*5.
expect_eq "$(sql "SELECT string_agg(concat_ws(' ', request_id, service_tier, cache_write_1h_tokens, coalesce(total_cost::text, 'NULL'), coalesce(unpriced_reason, price_match)), E'\n' ORDER BY id) FROM cost_ops.usage_records WHERE organization_id = 'tiers'")" \
  "csv-batch batch 0 0.0040075 exact
csv-priority priority 0 0.0095455 exact
csv-default standard 0 0.005615 exact
csv-flex flex 0 NULL no price for this service tier
csv-1h standard 1000 0.00618 exact
csv-1h-openai standard 1000 0.00875 exact" "csv service tiers and 1-hour writes"
cat > tiers.json <<'JSON'
[{"timestamp": "2025-07-04T00:00:00Z", "provider": "anthropic", "model": "claude-sonnet-4",
  "organization_id": "tiers", "request_id": "json-1h", "prompt_tokens": 1010,
  "completion_tokens": 10, "cache_write_1h_tokens": 1000, "service_tier": "standard"},
 {"timestamp": "2025-07-04T00:00:00Z", "provider": "openai", "model": "gpt-4o",
  "organization_id": "tiers", "request_id": "json-batch", "prompt_tokens": 2006,
  "cached_tokens": 1920, "completion_tokens": 300, "service_tier": "batch"}]
JSON
"$COST_OPS" ingest --file tiers.json >/dev/null
expect_eq "$(sql "SELECT string_agg(request_id || ' ' || total_cost, ', ' ORDER BY id) FROM cost_ops.usage_records WHERE request_id LIKE 'json-%'")" \
  "json-1h 0.00618, json-batch 0.0040075" "json service tiers and 1-hour writes"
printf 'timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,cache_write_1h_tokens,service_tier\n2025-07-04T00:00:00Z,openai,gpt-4o,tiers,10,1,11,\n2025-07-04T00:00:00Z,openai,gpt-4o,tiers,10,1,,premium\n2025-07-04T00:00:00Z,openai,gpt-4o,tiers,10,1,x,\n' > badtiers.csv
err=$("$COST_OPS" ingest --file badtiers.csv 2>&1) && fail "bad tiers accepted"
for expected in \
  "badtiers.csv:2 (record 1): cached_tokens (0) plus cache_write_tokens (0) plus cache_write_1h_tokens (11) exceed prompt_tokens (10)" \
  'badtiers.csv:3 (record 2): service_tier: expected standard, batch, priority or flex, got "premium"' \
  'badtiers.csv:4 (record 3): cache_write_1h_tokens: expected a whole number, got "x"'; do
  grep -qF -- "$expected" <<<"$err" || fail "missing '$expected' in: $err"
done

# Context tiers: 250,000 prompt tokens are all priced above 200k; exactly 200,000 stay in base.
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens\n2025-07-05T00:00:00Z,google,long-context,ctx,above,250000,0\n2025-07-05T00:00:00Z,google,long-context,ctx,at,200000,0\n' > ctx.csv
"$COST_OPS" ingest --file ctx.csv >/dev/null
expect_eq "$(sql "SELECT string_agg(request_id || ' ' || total_cost, ', ' ORDER BY id) FROM cost_ops.usage_records WHERE organization_id = 'ctx'")" \
  "above 1, at 0.4" "context tiers"

# Effective dating: 5 / 0.50 / 30 through 2026-08-20 (the --end-date day), then 4 / 0.40 / 20.
"$COST_OPS" pricing add --provider openai --model gpt-5.6-terra --input-price 5 \
  --cached-input-price 0.50 --output-price 30 --effective-date 2026-01-01 --end-date 2026-08-20 >/dev/null
"$COST_OPS" pricing add --provider openai --model gpt-5.6-terra --input-price 4 \
  --cached-input-price 0.40 --output-price 20 --effective-date 2026-08-21 >/dev/null
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,cached_tokens,completion_tokens\n2026-08-20T23:59Z,openai,gpt-5.6-terra,dated,before,1000000,400000,100000\n2026-08-21T00:00Z,openai,gpt-5.6-terra,dated,after,1000000,400000,100000\n2026-08-20T23:59Z,openai,gpt-5.6-terra-mini,dated,mini,1000000,400000,100000\n' > dated.csv
"$COST_OPS" ingest --file dated.csv >/dev/null
# 600000*5 + 400000*0.50 + 100000*30 = 6.2; 600000*4 + 400000*0.40 + 100000*20 = 4.56;
# gpt-5.6-terra-mini is another model, never a substring match.
expect_eq "$(sql "SELECT string_agg(request_id || ' ' || coalesce(total_cost::text, unpriced_reason), ', ' ORDER BY id) FROM cost_ops.usage_records WHERE organization_id = 'dated'")" \
  "before 6.2, after 4.56, mini no price for this model" "effective dating"

# 500 prompt at 0.50 and 910 completion at 1.50 is 0.001615; 20,000 of them sum exactly.
"$COST_OPS" pricing add --provider openai --model gpt-3.5-turbo --input-price 0.50 \
  --output-price 1.50 --effective-date 2024-01-01 >/dev/null
awk 'BEGIN { for (i = 0; i < 20000; i++) printf "{\"timestamp\": \"2025-07-06T00:00:00Z\", \"provider\": \"openai\", \"model\": \"gpt-3.5-turbo\", \"organization_id\": \"sum\", \"request_id\": \"s%d\", \"prompt_tokens\": 500, \"completion_tokens\": 910}\n", i }' > sum.ndjson
expect_output "20000 priced, 0 unpriced" "$COST_OPS" ingest --file sum.ndjson
expect_eq "$("$COST_OPS" summary --organization sum --group-by "" --output json | jq -r '.total.total_cost')" \
  "32.3" "exact sum of 20,000 records"
echo "ok"
