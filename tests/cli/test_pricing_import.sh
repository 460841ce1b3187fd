#!/usr/bin/env bash
# cost-ops pricing import of the real genai-prices and LiteLLM files: exact to the digit,
# idempotent, never overwriting another source's price.
source "$(dirname "$0")/lib.sh"
new_database
genai=$SHARED/data/pricing/genai-prices/data.json
litellm=$SHARED/data/pricing/litellm/model_prices_and_context_window.json

# A manual price first: the import must keep it.
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2 --output-price 8 \
  --effective-date 2024-01-01 >/dev/null

out=$("$COST_OPS" pricing import --format genai-prices --dry-run "$genai")
echo "$out" | grep -q "dry run, nothing written" || fail "dry run: $out"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables")" 1 "dry run wrote nothing"

out=$("$COST_OPS" pricing import --format genai-prices "$genai")
echo "$out" | tail -1 | grep -q "1449 price rows: 1448 added, 0 updated, 0 unchanged, 1 not imported" \
  || fail "first import: $(echo "$out" | tail -1)"
echo "$out" | grep -q "not imported openai/gpt-4o: overlaps row 1 (manual" || fail "kept manual row"
expect_eq "$(sql "SELECT input_price FROM cost_ops.pricing_tables WHERE provider = 'openai' AND model = 'gpt-4o'")" 2

# Exact to the digit: a 17-digit literal, tiers, effective dating, time-of-day windows.
expect_eq "$(sql "SELECT count(*) FROM cost_ops.pricing_tables WHERE cache_write_price = 0.08333333333333334")" 6
expect_eq "$(sql "SELECT input_price || ' ' || (pricing_structure->'tiers'->0->>'input') FROM cost_ops.pricing_tables WHERE provider = 'anthropic' AND model = 'claude-sonnet-4-5'")" "3 6"
expect_eq "$(sql "SELECT string_agg(input_price || '@' || effective_date, ' ' ORDER BY effective_date) FROM cost_ops.pricing_tables WHERE provider = 'openai' AND model = 'o3'")" \
  "10@-infinity 2@2025-06-10 00:00:00+00"
expect_eq "$(sql "SELECT pricing_structure->'time_of_day'->0->>'from' FROM cost_ops.pricing_tables WHERE provider = 'deepseek' AND model = 'deepseek-chat'")" "00:30:00"

expect_output ",10," "$COST_OPS" pricing list --provider openai --model o3 --at 2025-06-09 --output csv

# Re-importing the same file changes nothing.
"$COST_OPS" pricing import --format genai-prices "$genai" | tail -1 | \
  grep -q "0 added, 0 updated, 1448 unchanged, 1 not imported" || fail "re-import"

# LiteLLM over genai-prices: models both list keep the first source's price.
out=$("$COST_OPS" pricing import --format litellm "$litellm")
echo "$out" | tail -1 | grep -q "217 price rows: 151 added, 0 updated, 0 unchanged, 66 not imported" \
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
echo "ok"
