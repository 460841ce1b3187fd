#!/usr/bin/env bash
# make demo: the main job on a fresh machine. Installs what is missing, builds and installs,
# then, on the embedded default database (a local instance under a temporary COST_OPS_HOME):
# imports the genai-prices price database, ingests the 28,185 real requests of the Azure LLM
# traces (provider, model and tenant assigned by row number: demo/azure_to_usage.awk), and
# prints exact summaries with the count of unpriced rows. Cleans up after itself unless
# KEEP_DEMO=1 (then it prints how to reach the instance).
set -euo pipefail
cd "$(dirname "$0")/.."
shared=$(cd .. && pwd)/shared
traces=$shared/data/usage/azure-llm-trace-2023
prices=$shared/data/pricing/genai-prices/data.json
[ -f "$prices" ] || { echo "demo: $prices not found (../shared must be beside the checkout)" >&2; exit 1; }

scripts/install-deps.sh
make -s -j2 >/dev/null
make -s install >/dev/null

export COST_OPS_HOME=${COST_OPS_HOME:-$(mktemp -d /tmp/cost-ops-demo.XXXXXX)}
export COST_OPS_LOCAL_PORT=${COST_OPS_LOCAL_PORT:-54321}
unset DATABASE__URL
work=$(mktemp -d)
cleanup() {
    rm -rf "$work"
    if [ "${KEEP_DEMO:-0}" != 1 ]; then
        cost-ops local stop >/dev/null 2>&1 || true
        rm -rf "$COST_OPS_HOME"
    fi
}
trap cleanup EXIT
cd "$work"  # no cost-ops.toml here: the embedded default database is used

step() { printf '\n== %s\n' "$*"; }

step "cost-ops init (creates and starts the local instance in $COST_OPS_HOME)"
cost-ops init

step "cost-ops pricing import --format genai-prices data.json"
cost-ops pricing import --format genai-prices "$prices" | tail -1

step "converting the Azure traces (19,366 conversation + 8,819 code requests) to usage CSV"
awk -F, -v service=conv -v header=1 -f "$OLDPWD/demo/azure_to_usage.awk" \
    "$traces/AzureLLMInferenceTrace_conv.csv" >usage.csv
awk -F, -v service=code -f "$OLDPWD/demo/azure_to_usage.awk" \
    "$traces/AzureLLMInferenceTrace_code.csv" >>usage.csv
head -3 usage.csv

step "cost-ops ingest --file usage.csv"
cost-ops ingest --file usage.csv

step "cost-ops summary --group-by provider,model"
cost-ops summary --group-by provider,model

step "cost-ops summary --group-by organization,project"
cost-ops summary --group-by organization,project

step "the same totals straight from SQL: sum(cost) over the priced rows"
psql -X -At "$(cost-ops local status | awk '/^url:/ {print $2}')" -c \
    "SELECT count(*) || ' records, ' || count(total_cost) || ' priced, ' ||
            count(*) - count(total_cost) || ' unpriced, total ' || cost_ops.sum(total_cost) || ' USD'
       FROM cost_ops.usage_records"

if [ "${KEEP_DEMO:-0}" = 1 ]; then
    step "kept: COST_OPS_HOME=$COST_OPS_HOME COST_OPS_LOCAL_PORT=$COST_OPS_LOCAL_PORT cost-ops query --range 2023-11-16..2023-11-16"
fi
