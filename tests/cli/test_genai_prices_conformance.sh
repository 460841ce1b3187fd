#!/usr/bin/env bash
# The database against the genai-prices oracle over the whole genai-prices catalog: every provider
# and every model of data.json, each price period (start_date lists, time-of-day windows), context
# tier, request fee, cache read and write, reasoning tokens, and the names the match rules price.
# tests/oracle/make_catalog_records.mjs generates the records FROM data.json (its header lists
# them and the semantic differences it marks); they are ingested as NDJSON, exported, checked to
# have come back with the generated counts and instants, and priced by @pydantic/genai-prices with
# the same data.json (tests/oracle/price_records.mjs). Records marked with an expected difference
# (metadata.oracle_expected_difference) are printed as NOTEs, and fail the test once they agree.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
REPO=${REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$REPO/tests/oracle/oracle.sh"
generator=$REPO/tests/oracle/make_catalog_records.mjs
min_records=2000

# Fails unless the export has at least $min_records records and every provider of data.json.
expect_catalog_covered() {
    local out
    out=$(node -e '
        const fs = require("fs")
        const records = JSON.parse(fs.readFileSync(process.argv[1], "utf8"))
        const seen = new Set(records.map((r) => r.provider))
        const missing = JSON.parse(fs.readFileSync(process.argv[2], "utf8")).map((p) => p.id).filter((id) => !seen.has(id))
        console.log(records.length, missing.join(","))' records.json "$oracle_data")
    [ "${out%% *}" -ge "$min_records" ] || fail "only ${out%% *} records exported (at least $min_records wanted)"
    [ -z "${out#* }" ] || fail "providers of data.json without a record: ${out#* }"
}

new_database
# No cost-ops.toml from the caller's directory may redirect cost-ops to another database.
cd "$tmp"

oracle_import_prices
node "$generator" write "$oracle_data" usage.ndjson || fail "generating the records"
"$COST_OPS" ingest --file usage.ndjson >ingest.out 2>&1 || fail "ingest: $(cat ingest.out)"
"$COST_OPS" export --format json --output records.json >/dev/null
node "$generator" check "$oracle_data" records.json || fail "the exported records are not the generated ones"
expect_catalog_covered
oracle_compare records.json

echo "PASS: test_genai_prices_conformance"
