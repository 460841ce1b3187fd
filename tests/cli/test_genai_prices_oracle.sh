#!/usr/bin/env bash
# The database against an independent oracle: imports genai-prices' data.json, ingests the demo
# Azure traces (demo/azure_to_usage.awk), exports every record and has @pydantic/genai-prices,
# fed the same data.json, price each one (tests/oracle/price_records.mjs): every cost must agree
# up to float rounding, and the unpriced records must be the same on both sides.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$REPO/tests/oracle/oracle.sh"
traces=$SHARED/data/usage/azure-llm-trace-2023

new_database
# No cost-ops.toml from the caller's directory may redirect cost-ops to another database.
cd "$tmp"

oracle_import_prices
awk -F, -v service=conv -v header=1 -f "$REPO/demo/azure_to_usage.awk" \
    "$traces/AzureLLMInferenceTrace_conv.csv" >usage.csv
awk -F, -v service=code -f "$REPO/demo/azure_to_usage.awk" \
    "$traces/AzureLLMInferenceTrace_code.csv" >>usage.csv
"$COST_OPS" ingest --file usage.csv >ingest.out 2>&1 || fail "ingest: $(cat ingest.out)"
"$COST_OPS" export --format json --output records.json >/dev/null
expect_eq "$(node -e 'console.log(JSON.parse(require("fs").readFileSync("records.json")).length)')" \
    "$(($(wc -l <usage.csv) - 1))" "exported records"

oracle_compare records.json

echo "PASS: test_genai_prices_oracle"
