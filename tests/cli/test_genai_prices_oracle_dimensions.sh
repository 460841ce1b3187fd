#!/usr/bin/env bash
# The database against the genai-prices oracle on the price dimensions that the demo traces never
# reach: cache reads and writes, context tiers at and around their thresholds, effective-dated
# price lists, time-of-day prices, per-request fees and reasoning tokens.
# tests/oracle/make_dimension_records.mjs writes a fixed set of synthetic records (its header
# lists the models and boundaries); they are ingested as NDJSON, exported, checked to have come
# back with the generated counts and instants, and priced by @pydantic/genai-prices with the same
# data.json (tests/oracle/price_records.mjs, the comparison rule of test_genai_prices_oracle.sh).
# Records that carry a known bug's reason (metadata.oracle_expected_difference) are printed as
# NOTEs, and fail the test once they agree.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$REPO/tests/oracle/oracle.sh"
generator=$REPO/tests/oracle/make_dimension_records.mjs

new_database
# No cost-ops.toml from the caller's directory may redirect cost-ops to another database.
cd "$tmp"

oracle_import_prices
node "$generator" write usage.ndjson || fail "generating the records"
"$COST_OPS" ingest --file usage.ndjson >ingest.out 2>&1 || fail "ingest: $(cat ingest.out)"
"$COST_OPS" export --format json --output records.json >/dev/null
node "$generator" check records.json || fail "the exported records are not the generated ones"
oracle_compare records.json

echo "PASS: test_genai_prices_oracle_dimensions"
