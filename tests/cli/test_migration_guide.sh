#!/usr/bin/env bash
# The migration guide's examples, run as written, with exact costs checked by hand.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

# Step 2: current and historical pricing, exactly as the guide writes them.
"$COST_OPS" pricing add \
  --provider openai \
  --model gpt-4-turbo \
  --input-price 10.0 \
  --output-price 30.0 \
  --effective-date 2024-04-09 >/dev/null
"$COST_OPS" pricing add \
  --provider anthropic \
  --model claude-3-5-sonnet-20241022 \
  --input-price 3.0 \
  --output-price 15.0 \
  --effective-date 2024-10-22 >/dev/null
"$COST_OPS" pricing add \
  --provider openai \
  --model gpt-4 \
  --input-price 30.0 \
  --output-price 60.0 \
  --effective-date 2023-03-14 \
  --end-date 2024-04-08 >/dev/null
expect_eq "$(sql "SELECT end_date FROM cost_ops.pricing_tables WHERE model = 'gpt-4'")" \
  "2024-04-09 00:00:00+00" "gpt-4 end (an --end-date day is the last day the price applies)"
expect_eq "$("$COST_OPS" pricing list --output csv | wc -l)" 4 "pricing list rows + header"

# Step 3: the expected CSV format.
cat > usage_export.csv <<'CSV'
timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,total_tokens,user_id,project_id
2025-01-15T10:00:00Z,openai,gpt-4-turbo,org-abc,1000,500,1500,user-123,proj-xyz
2025-01-15T10:05:00Z,anthropic,claude-3-5-sonnet,org-abc,1200,600,1800,user-456,proj-xyz
CSV
out=$("$COST_OPS" ingest --file usage_export.csv)
echo "$out" | grep -q "ingested 2 records" || fail "ingest said: $out"
# gpt-4-turbo: 1000 * 10 + 500 * 30 = 25000 per 1M = 0.025. claude-3-5-sonnet has no price of
# its own (only the dated -20241022 name): stored unpriced, cost NULL, never 0.
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE model = 'gpt-4-turbo'")" "0.025"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE model = 'claude-3-5-sonnet' AND total_cost IS NULL")" "1"

# The minimal test set (JSON, model as {"name": ...}) and the guide's jq workflow.
cat > usage_import.json <<'JSON'
[
  {
    "timestamp": "2025-01-15T10:00:00Z",
    "provider": "openai",
    "model": {"name": "gpt-4-turbo"},
    "organization_id": "test-org",
    "prompt_tokens": 100,
    "completion_tokens": 50,
    "total_tokens": 150
  }
]
JSON
jq . usage_import.json >/dev/null
expect_eq "$(jq 'length' usage_import.json)" 1
jq '.[:100]' usage_import.json > test_import.json
expect_output "the 1 record is valid" "$COST_OPS" ingest --file test_import.json --validate-only
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" 2 "validate-only writes nothing"
"$COST_OPS" ingest --file test_import.json >/dev/null
"$COST_OPS" query --range last-7-days --output table >/dev/null
expect_eq "$("$COST_OPS" query --output json | jq 'length')" 3 "query --output json | jq length"
# 100 * 10 + 50 * 30 = 2500 -> 0.0025.
expect_eq "$("$COST_OPS" query --organization test-org --output json | jq -r '.[0].total_cost')" "0.0025"
"$COST_OPS" summary --period last-30-days >/dev/null

# Step 6: export, then the guide's awk comparison of column totals (column 5 of the export
# is total_tokens, so it matches column 7 of the guide's CSV format).
expect_output "exported 3 records" "$COST_OPS" export --output migrated_costs.csv --format csv
original_total=$(awk -F',' '{sum+=$7} END {print sum}' usage_export.csv)
migrated_total=$(awk -F',' 'NR > 1 && $4 != "test-org" {sum+=$5} END {print sum}' migrated_costs.csv)
expect_eq "$migrated_total" "$original_total" "guide's awk totals"
expect_eq "$(awk -F, 'NR > 1 {print $17}' migrated_costs.csv | sort | tr '\n' ' ')" " 0.0025 0.025 " \
  "exported exact costs"

# Effective dating: gpt-4 is priced at 30/60 on 2024-04-08 and unpriced on 2024-04-09.
cat > gpt4.ndjson <<'NDJSON'
{"timestamp": "2024-04-08T23:59:59Z", "provider": "openai", "model": "gpt-4", "organization_id": "org-abc", "request_id": "a", "prompt_tokens": 1000, "completion_tokens": 500}
{"timestamp": "2024-04-09T00:00:00Z", "provider": "openai", "model": "gpt-4", "organization_id": "org-abc", "request_id": "b", "prompt_tokens": 1000, "completion_tokens": 500}
NDJSON
expect_output "1 priced, 1 unpriced" "$COST_OPS" ingest --file gpt4.ndjson
# The same records again: each is stored already, identical, so nothing is added; a record
# with a stored request id and different content is refused (abort mode: nothing written).
expect_output "0 records from gpt4.ndjson" "$COST_OPS" ingest --file gpt4.ndjson
expect_output "2 duplicates already stored, skipped" "$COST_OPS" ingest --file gpt4.ndjson
sed 's/"completion_tokens": 500/"completion_tokens": 501/' gpt4.ndjson > gpt4-changed.ndjson
expect_failure "gpt4-changed.ndjson:1 (record 1): request_id: another record with this identity is stored" \
  "$COST_OPS" ingest --file gpt4-changed.ndjson
expect_eq "$(sql "SELECT coalesce(total_cost::text, 'unpriced') FROM cost_ops.usage_records WHERE request_id IN ('a', 'b') ORDER BY request_id" | tr '\n' ' ')" "0.06 unpriced "

# The hand case of the issue: gpt-4o 2.50 / 1.25 cached / 10, 2006 prompt (1920 cached), 300 out.
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 \
  --cached-input-price 1.25 --output-price 10 --effective-date 2024-05-13 >/dev/null
printf 'timestamp,provider,model,organization_id,prompt_tokens,cached_tokens,completion_tokens\n2025-01-15T10:00:00Z,openai,gpt-4o,org-abc,2006,1920,300\n' > gpt4o.csv
"$COST_OPS" ingest --file gpt4o.csv >/dev/null
expect_eq "$("$COST_OPS" query --model gpt-4o --output csv | awk -F, 'NR == 2 {print $15, $16, $17}')" \
  "0.002615 0.003 0.005615" "gpt-4o input, output, total"

# A later price closes the current one; stored records keep their costs until repriced.
out=$("$COST_OPS" pricing add --provider OpenAI --model gpt-4-turbo --input-price 5 \
  --output-price 15 --effective-date 2025-01-01)
grep -qF "closed price row 1 at 2025-01-01" <<<"$out" || fail "close: $out"
grep -qF "2 stored records from 2025-01-01T00:00:00+00:00 on keep the closed row's price" <<<"$out" \
  || fail "stale warning: $out"
expect_output "repriced 2 records: 2 changed cost or price row (0 newly priced, 0 newly unpriced), 0 unpriced; total 0.0275 -> 0.01375" \
  "$COST_OPS" reprice --provider openai --model gpt-4-turbo
expect_eq "$(sql "SELECT string_agg(total_cost::text, ' ' ORDER BY total_cost) FROM cost_ops.usage_records WHERE model = 'gpt-4-turbo'")" \
  "0.00125 0.0125" "repriced gpt-4-turbo (provider typed as OpenAI, stored as openai)"
# claude-3-5-sonnet gets a price of its own: reprice --unpriced prices its record.
"$COST_OPS" pricing add --provider anthropic --model claude-3-5-sonnet --input-price 3 \
  --output-price 15 --effective-date 2024-06-20 >/dev/null
expect_output "1 newly priced" "$COST_OPS" reprice --unpriced --provider anthropic
expect_failure "--input-price needs a price" "$COST_OPS" pricing add --provider x --model y \
  --input-price "" --output-price 1 --effective-date 2025-01-01
expect_failure "ends the price before --effective-date" "$COST_OPS" pricing add --provider x \
  --model y --input-price 1 --output-price 1 --effective-date 2025-01-02 --end-date 2025-01-01
# Export picks the format from the file name.
"$COST_OPS" export --output all.json >/dev/null
expect_eq "$(jq 'length' all.json)" "$(sql "SELECT count(*) FROM cost_ops.usage_records")" "export .json"

# Summary totals are the exact sums of their records.
expect_eq "$("$COST_OPS" summary --group-by "" --output json | jq -r '.total.total_cost')" \
  "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "summary total"
expect_eq "$("$COST_OPS" summary --output json | jq -r '.total.unpriced')" 1 "unpriced count"
echo "ok"
