# Shared by the genai-prices oracle tests (tests/cli/test_genai_prices_oracle*.sh), sourced after
# tests/cli/lib.sh with REPO set: the price data both sides use, its import into the test's
# database and the per-record comparison (price_records.mjs). Both write their logs to the
# current directory (the test's $tmp).
#
#   source "$REPO/tests/oracle/oracle.sh"; oracle_import_prices; ...; oracle_compare records.json
set -euo pipefail
: "${REPO:?set REPO before sourcing oracle.sh}"
oracle_data=$SHARED/data/pricing/genai-prices/data.json
command -v node >/dev/null || fail "node is not installed"

# Imports genai-prices' data.json into the test's database.
oracle_import_prices() {
    "$COST_OPS" pricing import --format genai-prices "$oracle_data" >import.out 2>&1 \
        || fail "pricing import: $(cat import.out)"
}

# Has @pydantic/genai-prices, fed the same data.json, price every record of the export $1.
oracle_compare() {
    npm ci --prefix "$REPO/tests/oracle" --prefer-offline --no-audit --no-fund --loglevel=error \
        >npm.out 2>&1 || fail "npm ci: $(cat npm.out)"
    node "$REPO/tests/oracle/price_records.mjs" "$1" "$oracle_data" || fail "genai-prices disagrees"
}
