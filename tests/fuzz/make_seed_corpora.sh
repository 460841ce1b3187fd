#!/usr/bin/env bash
# Writes the seed corpora of tests/fuzz/corpus/ from small slices of real data (../shared/data)
# and of the hand-checked import fixtures (tests/fixtures/usage); README.md says which is which.
# Each seed of a dispatching target starts with the byte that picks its reader or importer.
set -euo pipefail
cd "$(dirname "$0")"
data=../../../shared/data
fixtures=../fixtures/usage
rm -rf corpus && mkdir -p corpus/{fuzz_cost_text,fuzz_record_readers,fuzz_usage_importers,fuzz_usage_shapes}

# A seed file: $1 target, $2 name, the selector byte $3 (octal escape, or empty), then stdin.
seed() {
    { [ -n "$3" ] && printf "$3"; cat; } > "corpus/$1/$2"
}

# Cost text: price literals as the two price files write them (LiteLLM per-token doubles,
# genai-prices per-million decimals), and the type's limits.
grep -oE '"(input_cost_per_token|output_cost_per_token|cache_read_input_token_cost)": *[0-9.e+-]+' \
    $data/pricing/litellm/model_prices_and_context_window.json | sed 's/.*: *//' | sort -u |
    head -12 | while read -r v; do printf '%s' "$v" | seed fuzz_cost_text "litellm-$v" ""; done
grep -oE '"input_mtok": *[0-9.e+-]+' $data/pricing/genai-prices/data.json | sed 's/.*: *//' |
    sort -u | head -12 | while read -r v; do printf '%s' "$v" | seed fuzz_cost_text "genai-$v" ""; done
printf '170141183460469.231731687303715884105727' | seed fuzz_cost_text limit-max ""
printf -- '-170141183460469.231731687303715884105728' | seed fuzz_cost_text limit-min ""
printf '0.000000000000000000000001' | seed fuzz_cost_text limit-unit ""

# Readers: 0 CSV, 1 JSON, 2 NDJSON, 3 detected, 4 gzip, 5 genai-prices, 6 LiteLLM prices.
azure=$(head -6 $data/usage/azure-llm-trace-2023/AzureLLMInferenceTrace_conv.csv)
printf '%s\n' "$azure" | seed fuzz_record_readers azure-csv '\000'
printf '%s\n' "$azure" | seed fuzz_record_readers azure-detected '\003'
printf '%s\n' "$azure" | gzip -9n | seed fuzz_record_readers azure-gzip '\004'
jq -c '.[0:2]' $fixtures/helicone/export.json | seed fuzz_record_readers helicone-json '\001'
head -2 $fixtures/openai-usage/usage.ndjson | seed fuzz_record_readers openai-usage-ndjson '\002'
jq -c '[.[0] | .models = .models[0:2]]' $data/pricing/genai-prices/data.json |
    seed fuzz_record_readers genai-prices '\005'
jq -c 'to_entries[0:3] | from_entries' $data/pricing/litellm/model_prices_and_context_window.json |
    seed fuzz_record_readers litellm-prices '\006'

# Importers: 0 cost-ops' own fields (the Azure rows as make demo converts them), then
# usage_importers() in order; bit 0x80 adds a default organization.
awk -F, -v service=conv -v header=1 -f ../../demo/azure_to_usage.awk \
    <(printf '%s\n' "$azure") | seed fuzz_usage_importers azure-usage-csv '\000'
jq -c '.[0:2]' $fixtures/helicone/export.json | seed fuzz_usage_importers helicone '\201'
head -2 $fixtures/langsmith/runs.ndjson | seed fuzz_usage_importers langsmith '\202'
jq -c '.data = .data[0:2]' $fixtures/langfuse/observations.json | seed fuzz_usage_importers langfuse '\203'
jq -c '.[0:2]' $fixtures/litellm-json/spend_logs.json | seed fuzz_usage_importers litellm-json '\204'
head -3 $fixtures/litellm-csv/spend_logs.csv | seed fuzz_usage_importers litellm-csv '\204'
head -2 $fixtures/openai-usage/usage.ndjson | seed fuzz_usage_importers openai-usage '\205'
jq -c '.data = .data[0:1]' $fixtures/anthropic-usage/usage_report.json |
    seed fuzz_usage_importers anthropic-usage '\206'
jq -c '.resourceSpans[0].scopeSpans[0].spans |= .[0:2]' $fixtures/otel/spans.json |
    seed fuzz_usage_importers otel '\207'
head -3 $fixtures/provider-response/responses.ndjson | seed fuzz_usage_importers provider-response '\210'

# Usage shapes: the usage objects of the provider responses (0 OpenAI, 1 Anthropic, 2 Gemini).
n=0
jq -c '.response // . | [(.usage // empty), (.usageMetadata // empty)] | .[]' \
    $fixtures/provider-response/responses.ndjson | while read -r usage; do
    n=$((n + 1))
    for format in 0 1 2; do
        printf '%s' "$usage" | seed fuzz_usage_shapes "response-$n-format-$format" "\\00$format"
    done
done
