#!/usr/bin/env bash
# cost-ops pricing import of the real genai-prices and LiteLLM files: exact to the digit,
# idempotent, never overwriting another source's price.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"  # its scratch files (one.json, two.json, used.csv) go there
genai=$SHARED/data/pricing/genai-prices/data.json
litellm=$SHARED/data/pricing/litellm/model_prices_and_context_window.json

# A manual price first: the import must keep it.
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2 --output-price 8 \
  --effective-date 2024-01-01 >/dev/null

out=$("$COST_OPS" pricing import --format genai-prices --dry-run "$genai")
echo "$out" | grep -q "dry run, nothing written" || fail "dry run: $out"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables")" 1 "dry run wrote nothing"

out=$("$COST_OPS" pricing import --format genai-prices "$genai")
echo "$out" | tail -1 | grep -q "1449 price rows: 1449 added, 0 updated, 0 unchanged, 0 removed (no longer listed), 0 not imported" \
  || fail "first import: $(echo "$out" | tail -1)"
# The imported gpt-4o price ends where the manual one begins: both apply, each in its period.
echo "$out" | grep -q "^note openai/gpt-4o: row [0-9]* ends at 2024-01-01 00:00:00+00, where row 1 (manual) begins" \
  || fail "manual row kept: $out"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date || '..' || coalesce(end_date::text, 'open') || ':' || source, ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'openai' AND model = 'gpt-4o'")" \
  "2.5@-infinity..2024-01-01 00:00:00+00:genai-prices 2@2024-01-01 00:00:00+00..open:manual" "gpt-4o around a manual price"

# Exact to the digit: a 17-digit literal, tiers, effective dating, time-of-day windows.
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables WHERE cache_write_price = 0.08333333333333334")" 6
expect_eq "$(sql "SELECT input_price || ' ' || (pricing_structure->'tiers'->0->>'input') FROM cost_ops.pricing_tables WHERE provider = 'anthropic' AND model = 'claude-sonnet-4-5'")" "3 6"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date, ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'openai' AND model = 'o3'")" \
  "10@-infinity 2@2025-06-10 00:00:00+00"
expect_eq "$(sql "SELECT pricing_structure->'time_of_day'->0->>'from' FROM cost_ops.pricing_tables WHERE provider = 'deepseek' AND model = 'deepseek-chat'")" "00:30:00"

expect_output ",10," "$COST_OPS" pricing list --provider openai --model o3 --at 2025-06-09 --output csv

# Re-importing the same file changes nothing.
"$COST_OPS" pricing import --format genai-prices "$genai" | tail -1 | \
  grep -q "0 added, 0 updated, 1449 unchanged, 0 removed (no longer listed), 0 not imported" || fail "re-import"

# LiteLLM over genai-prices: models both list keep the first source's price.
out=$("$COST_OPS" pricing import --format litellm "$litellm")
echo "$out" | tail -1 | grep -q "217 price rows: 151 added, 0 updated, 0 unchanged, 0 removed (no longer listed), 66 not imported" \
  || fail "litellm over genai-prices: $(echo "$out" | tail -1)"
# LiteLLM alone: per-token literals become exact per-1M prices.
sql "DELETE FROM cost_ops.pricing_tables" >/dev/null
out=$("$COST_OPS" pricing import --format litellm "$litellm")
echo "$out" | tail -1 | grep -q "217 price rows: 217 added" || fail "litellm: $(echo "$out" | tail -1)"
expect_eq "$(sql "SELECT input_price || ' ' || output_price || ' ' || cached_input_price || ' ' || cache_write_price FROM cost_ops.pricing_tables WHERE source = 'litellm' AND model = 'claude-3-7-sonnet-20250219'")" \
  "3 15 0.3 3.75"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables WHERE source = 'litellm' AND pricing_structure ? 'tiers'")" \
  "$(jq '[to_entries[] | select(.value | has("input_cost_per_token_above_200k_tokens") or has("input_cost_per_token_above_272k_tokens"))] | length' "$litellm")" \
  "litellm models with tiers"
expect_failure "/dev/null" "$COST_OPS" pricing import --format litellm /dev/null

# A manual price that closed an imported row: re-importing keeps the manual price and the
# imported row's end (the correction ends where the manual row begins), dry run or not.
sql "DELETE FROM cost_ops.pricing_tables" >/dev/null
"$COST_OPS" pricing import --format genai-prices "$genai" >/dev/null
"$COST_OPS" pricing add --provider openai --model o3 --input-price 1.5 --output-price 6 \
  --effective-date 2026-11-01 >/dev/null
for dry in --dry-run ""; do
  out=$("$COST_OPS" pricing import --format genai-prices $dry "$genai") || fail "re-import over a closing manual price: $out"
  echo "$out" | grep -q "^note openai/o3: row [0-9]* ends at 2026-11-01 00:00:00+00, where row [0-9]* (manual) begins" \
    || fail "re-import note: $out"
  # The row already ends there: nothing to update, every time.
  echo "$out" | tail -1 | grep -q ": 0 added, 0 updated, 1449 unchanged, 0 removed" || fail "re-import settles: $out"
done
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date || '..' || coalesce(end_date::text, 'open') || ':' || source, ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'openai' AND model = 'o3'")" \
  "10@-infinity..2025-06-10 00:00:00+00:genai-prices 2@2025-06-10 00:00:00+00..2026-11-01 00:00:00+00:genai-prices 1.5@2026-11-01 00:00:00+00..open:manual" \
  "o3 after re-import"

# The source shortens a model's price list: the rows it no longer lists go, unless usage
# records use them (then they stay, noted, and the corrected row ends where they begin).
provider_file() {  # $1: the prices of tst/a (a genai-prices price or list of prices)
  printf '[{"id": "tst", "name": "Test", "api_pattern": "tst", "models": [{"id": "a", "match": {"equals": "a"}, "prices": %s}]}]\n' "$1"
}
provider_file '[{"prices": {"input_mtok": 1, "output_mtok": 2}}, {"constraint": {"start_date": "2026-01-01"}, "prices": {"input_mtok": 0.5, "output_mtok": 1}}]' >two.json
provider_file '{"input_mtok": 1.5, "output_mtok": 2}' >one.json
sql "DELETE FROM cost_ops.pricing_tables" >/dev/null
"$COST_OPS" pricing import --format genai-prices two.json >/dev/null
out=$("$COST_OPS" pricing import --format genai-prices one.json) || fail "shortened list: $out"
echo "$out" | tail -1 | grep -q "1 price row: 0 added, 1 updated, 0 unchanged, 1 removed (no longer listed)" \
  || fail "shortened list: $out"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date || '..' || coalesce(end_date::text, 'open'), ' ') FROM cost_ops.pricing_tables WHERE provider = 'tst'")" \
  "1.5@-infinity..open" "shortened list"
sql "DELETE FROM cost_ops.pricing_tables" >/dev/null
"$COST_OPS" pricing import --format genai-prices two.json >/dev/null
printf 'timestamp,provider,model,organization_id,prompt_tokens,completion_tokens\n2026-06-01T00:00:00Z,tst,a,o,1000000,0\n' >used.csv
"$COST_OPS" ingest --file used.csv >/dev/null
out=$("$COST_OPS" pricing import --format genai-prices one.json) || fail "shortened list in use: $out"
echo "$out" | grep -q "^note tst/a: row [0-9]* is no longer in the source but prices 1 usage records: kept" \
  || fail "in-use note: $out"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date || '..' || coalesce(end_date::text, 'open'), ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'tst'")" \
  "1.5@-infinity..2026-01-01 00:00:00+00 0.5@2026-01-01 00:00:00+00..open" "shortened list in use"

# A hand correction of an imported row that priced records, repriced, then the source's price
# again on re-import: the import says which records keep the hand price's costs (1,000,000
# prompt tokens: 0.7 by hand, 0.5 from the source once repriced).
sql "UPDATE cost_ops.pricing_tables SET input_price = 0.7 WHERE provider = 'tst' AND effective_date = '2026-01-01'" >/dev/null
"$COST_OPS" reprice --provider tst --model a >/dev/null
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE provider = 'tst'")" "0.7" "hand price, repriced"
out=$("$COST_OPS" pricing import --format genai-prices two.json) || fail "re-import over a hand correction: $out"
echo "$out" | grep -q "^note tst/a: row [0-9]* was corrected from the source (its prices or period); the 1 usage records it priced keep their stored costs: run cost-ops reprice --from 2026-01-01 00:00:00+00 to recompute them$" \
  || fail "corrected-in-use note: $out"
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE provider = 'tst'")" "0.7" "costs kept until repriced"
"$COST_OPS" reprice --from "2026-01-01 00:00:00+00" >/dev/null
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE provider = 'tst'")" "0.5" "source's price, repriced"

# A manual open-ended price is never cut short by a later price of the source: that row is not
# imported, and the record keeps the manual price (1,000,000 prompt tokens at 7).
sql "DELETE FROM cost_ops.usage_records; DELETE FROM cost_ops.pricing_tables" >/dev/null
"$COST_OPS" pricing add --provider tst --model a --input-price 7 --output-price 7 --effective-date 2025-01-01 >/dev/null
"$COST_OPS" ingest --file used.csv >/dev/null
out=$("$COST_OPS" pricing import --format genai-prices two.json) || fail "import over a manual price: $out"
echo "$out" | grep -q "^not imported tst/a: overlaps row [0-9]* (manual" || fail "manual price kept: $out"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date || '..' || coalesce(end_date::text, 'open') || ':' || source, ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'tst'")" \
  "1@-infinity..2025-01-01 00:00:00+00:genai-prices 7@2025-01-01 00:00:00+00..open:manual" "manual price not cut short"
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE provider = 'tst'")" "7" "manual cost kept"
echo "ok"
