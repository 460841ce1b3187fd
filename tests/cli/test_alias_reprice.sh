#!/usr/bin/env bash
# cost-ops pricing alias add|list|remove and cost-ops reprice: a Bedrock inference-profile ARN
# is stored unpriced, an alias prices it as a model with prices, and reprice --from/--to/
# --provider/--model/--unpriced/--reason prices the stored records in range (0.012 each),
# logging each change in cost_ops.reprice_log and leaving the others untouched; query and
# export show price_match and unpriced_reason.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
arn="arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5f6"

for expected in --target-provider --target-model --note; do
  expect_output "$expected" "$COST_OPS" pricing alias add --help
done
for expected in --from --to --provider --model --unpriced --reason --dry-run reprice_log; do
  expect_output "$expected" "$COST_OPS" reprice --help
done

"$COST_OPS" pricing add --provider anthropic --model claude-3-5-haiku --input-price 0.80 \
  --output-price 4 --effective-date 2024-11-04 >/dev/null
for day in 2025-07-31 2025-08-01 2025-08-15 2025-09-01; do
  echo "{\"timestamp\": \"${day}T12:00:00Z\", \"provider\": \"bedrock\", \"model\": \"$arn\", \"organization_id\": \"o\", \"request_id\": \"r-$day\", \"prompt_tokens\": 10000, \"completion_tokens\": 1000}"
done > arn.ndjson
echo "{\"timestamp\": \"2025-08-01T12:00:00Z\", \"provider\": \"anthropic\", \"model\": \"claude-3-5-haiku-20241022\", \"organization_id\": \"o\", \"request_id\": \"dated\", \"prompt_tokens\": 10000, \"completion_tokens\": 1000}" >> arn.ndjson
expect_output "1 priced, 4 unpriced" "$COST_OPS" ingest --file arn.ndjson
expect_eq "$("$COST_OPS" query --provider bedrock --output json | jq -r '[.[] | .unpriced_reason] | unique | join(",")')" \
  "no price for this model" "the ARN is unpriced"
expect_eq "$("$COST_OPS" query --model claude-3-5-haiku-20241022 --output ndjson | jq -r '.price_match + " " + .total_cost')" \
  "normalized 0.012" "a dated name is priced by normalization"

# alias add: the target must have prices; the name must have none and no alias yet.
expect_failure "anthropic/claude-9 has no prices: add one first (cost-ops pricing add)" \
  "$COST_OPS" pricing alias add --provider bedrock --model "$arn" \
  --target-provider anthropic --target-model claude-9
expect_failure "anthropic/claude-3-5-haiku has prices of its own" \
  "$COST_OPS" pricing alias add --provider anthropic --model claude-3-5-haiku \
  --target-provider anthropic --target-model claude-3-5-haiku
expect_failure "--target-model is required" \
  "$COST_OPS" pricing alias add --provider bedrock --model "$arn" --target-provider anthropic
out=$("$COST_OPS" pricing alias add --provider Bedrock --model "$arn" \
  --target-provider Anthropic --target-model claude-3-5-haiku --note "prod inference profile")
expect_eq "$out" "records of bedrock/$arn are priced as anthropic/claude-3-5-haiku
4 stored records (4 unpriced) keep their costs until repriced: cost-ops reprice --provider bedrock --model $arn" \
  "alias add output"
expect_failure "bedrock/$arn is already an alias of anthropic/claude-3-5-haiku: remove it first" \
  "$COST_OPS" pricing alias add --provider bedrock --model "$arn" \
  --target-provider anthropic --target-model claude-3-5-haiku
expect_eq "$("$COST_OPS" pricing alias list --output json | jq -c '[.[] | [.provider, .model, .target_provider, .target_model, .note]]')" \
  "[[\"bedrock\",\"$arn\",\"anthropic\",\"claude-3-5-haiku\",\"prod inference profile\"]]" \
  "alias list (the duplicate changed nothing)"
expect_output "claude-3-5-haiku" "$COST_OPS" pricing alias list
# Stored records keep their costs until repriced.
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE provider = 'bedrock' AND total_cost IS NULL")" 4

# reprice the range only: 2025-08-01 through the whole day of 2025-08-15.
expect_failure "give --range or --from/--to, not both" \
  "$COST_OPS" reprice --range 2025-08-01.. --from 2025-08-01
expect_failure "ends before it starts" "$COST_OPS" reprice --from 2025-08-16 --to 2025-08-15
# --dry-run reports the same changes and writes nothing, not even the log.
expect_eq "$("$COST_OPS" reprice --from 2025-08-01 --to 2025-08-15 --provider bedrock --dry-run)" \
  "dry run, nothing written: would reprice 2 records: 2 changed cost or price row (2 newly priced, 0 newly unpriced), 0 unpriced; total 0 -> 0.024 USD (priced records)" \
  "reprice --dry-run output"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE provider = 'bedrock' AND total_cost IS NULL") $(sql "SELECT count(*) FROM cost_ops.reprice_log")" \
  "4 0" "nothing written by --dry-run"
expect_eq "$("$COST_OPS" reprice --from 2025-08-01 --to 2025-08-15 --provider Bedrock \
  --model "$arn" --unpriced --reason "profile alias added")" \
  "repriced 2 records: 2 changed cost or price row (2 newly priced, 0 newly unpriced), 0 unpriced; total 0 -> 0.024 USD (priced records)" \
  "reprice output"
# 10000*0.80 + 1000*4 = 0.012, through the alias; 2025-07-31 and 2025-09-01 are untouched.
expect_eq "$("$COST_OPS" query --provider bedrock --output json | jq -r '.[] | [.request_id, .total_cost // "NULL", .price_match // "-", .unpriced_reason // "-"] | join(" ")')" \
  "r-2025-07-31 NULL - no price for this model
r-2025-08-01 0.012 alias -
r-2025-08-15 0.012 alias -
r-2025-09-01 NULL - no price for this model" "repriced records"
expect_eq "$(sql "SELECT string_agg(concat_ws(' ', u.request_id, l.reason, coalesce(l.old_total_cost::text, 'NULL'), l.new_total_cost, coalesce(l.old_pricing_id::text, 'NULL'), l.new_pricing_id, l.repriced_by), E'\n' ORDER BY l.id) FROM cost_ops.reprice_log AS l JOIN cost_ops.usage_records AS u ON u.id = l.usage_id")" \
  "r-2025-08-01 profile alias added NULL 0.012 NULL 1 postgres
r-2025-08-15 profile alias added NULL 0.012 NULL 1 postgres" "reprice_log rows"
# Export carries price_match and unpriced_reason as its last two columns.
"$COST_OPS" export --output arn.csv --provider bedrock >/dev/null
expect_eq "$(head -1 arn.csv | awk -F, '{print $22, $23}')" "price_match unpriced_reason" "export header"
expect_eq "$(awk -F, 'NR > 1 {print $13, $17, $22, $23}' arn.csv | tr '\n' ';')" \
  "r-2025-07-31   no price for this model;r-2025-08-01 0.012 alias ;r-2025-08-15 0.012 alias ;r-2025-09-01   no price for this model;" \
  "export rows"
expect_eq "$("$COST_OPS" query --unpriced --output csv | awk -F, 'NR > 1 {print $13}' | tr '\n' ' ')" \
  "r-2025-07-31 r-2025-09-01 " "query --unpriced"

# Repricing again changes nothing and logs nothing; --unpriced finds the remaining two.
expect_output "repriced 2 records: 0 changed cost or price row (0 newly priced, 0 newly unpriced), 0 unpriced; total 0.024 -> 0.024" \
  "$COST_OPS" reprice --from 2025-08-01 --to 2025-08-15 --provider bedrock
expect_eq "$(sql "SELECT count(*) FROM cost_ops.reprice_log")" 2 "an unchanged cost is not logged"
expect_output "repriced 2 records: 2 changed cost or price row (2 newly priced, 0 newly unpriced), 0 unpriced; total 0 -> 0.024" \
  "$COST_OPS" reprice --unpriced
expect_eq "$(sql "SELECT string_agg(DISTINCT reason, ',') FROM cost_ops.reprice_log WHERE usage_id IN (SELECT id FROM cost_ops.usage_records WHERE request_id IN ('r-2025-07-31', 'r-2025-09-01'))")" \
  "reprice" "default reason"

# alias remove: stored costs stay until repriced; then the records are unpriced again.
expect_output "removed the alias of bedrock/$arn" \
  "$COST_OPS" pricing alias remove --provider BEDROCK --model "$arn"
expect_failure "no alias for bedrock/$arn" "$COST_OPS" pricing alias remove --provider bedrock --model "$arn"
expect_eq "$("$COST_OPS" pricing alias list --output json)" "[]" "no aliases left"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE provider = 'bedrock' AND total_cost IS NOT NULL")" 4
expect_output "repriced 4 records: 4 changed cost or price row (0 newly priced, 4 newly unpriced), 4 unpriced; total 0.048 -> 0" \
  "$COST_OPS" reprice --provider bedrock --reason "alias removed"
expect_eq "$(sql "SELECT count(*) || ' ' || count(new_total_cost) FROM cost_ops.reprice_log WHERE reason = 'alias removed'")" \
  "4 0" "unpricing is logged"
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE request_id = 'dated'")" "0.012" \
  "another provider's record is untouched"
echo "ok"
