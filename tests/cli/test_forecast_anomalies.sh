#!/usr/bin/env bash
# Forecast and anomalies on nine weeks of the demo data (issue 6's acceptance): the converted
# Azure traces (one hour of 2023-11-16) replayed by demo/replay_weeks.awk over the 63 days
# 2023-09-15..2023-11-16 with a weekly pattern and a trend, and project code-assist's spend x20
# on 2023-11-14. `anomalies` must name that day and that project first, with its exact figures;
# the forecast's backtest must beat the naive "same as last week" forecast; the [features] flags
# must turn each command (and export's newer formats) off with one clear line.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
traces=$SHARED/data/usage/azure-llm-trace-2023
"$COST_OPS" pricing import --format genai-prices "$SHARED/data/pricing/genai-prices/data.json" >/dev/null
awk -F, -v service=conv -v header=1 -f "$REPO/demo/azure_to_usage.awk" "$traces/AzureLLMInferenceTrace_conv.csv" >usage.csv
awk -F, -v service=code -f "$REPO/demo/azure_to_usage.awk" "$traces/AzureLLMInferenceTrace_code.csv" >>usage.csv
dates=$(for d in $(seq 0 62); do date -u -d "2023-09-15 + $d days" +%F; done | tr '\n' ' ')
awk -F, -v dates="$dates" -v first_weekday=4 -v spike_day=60 -v spike_project=code-assist \
  -f "$REPO/demo/replay_weeks.awk" usage.csv >weeks.csv
expect_eq "$(wc -l <weeks.csv)" 41226 "replayed rows (header included)"
"$COST_OPS" ingest --quiet --file weeks.csv

# The spike: exactly 20 times the project's spend of that day without the copies.
day_cost() {
  sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records WHERE project_id = 'code-assist' AND \"timestamp\" >= '$1' AND \"timestamp\" < '$1'::date + 1 ${2:-}"
}
spiked=$(day_cost 2023-11-14)
expect_eq "$(sql "SELECT ($(day_cost 2023-11-14 "AND request_id NOT LIKE '%-x%'")::numeric * 20) = '$spiked'::numeric")" t "the spike is x20"

# Anomalies: that day and that project first; actual is the day's exact spend; expected is the
# median of the same weekday's spend over the weeks before (at most 12: --history 90d / 7).
"$COST_OPS" anomalies --output csv >anomalies.csv
first=$(sed -n 2p anomalies.csv)
expect_eq "$(cut -d, -f1-5 <<<"$first")" "2023-11-14,project,code-assist,spend,$spiked" "first anomaly"
# 2023-11-14 is day 60: its history is days 53, 46, ..., 4 (8 Tuesdays); the median of 8 is half
# the sum of the 4th and 5th smallest, so expected * 2 is that sum, exactly (numeric).
expect_eq "$(sql "WITH d AS (SELECT date_trunc('day', \"timestamp\" AT TIME ZONE 'UTC')::date AS day, cost_ops.sum(total_cost)::numeric AS c FROM cost_ops.usage_records WHERE project_id = 'code-assist' GROUP BY 1),
  h AS (SELECT c FROM d WHERE day < '2023-11-14' AND extract(dow FROM day) = 2 ORDER BY c OFFSET 3 LIMIT 2)
  SELECT (SELECT count(*) FROM d WHERE day < '2023-11-14' AND extract(dow FROM day) = 2) || ' ' || (sum(c) = '$(cut -d, -f6 <<<"$first")'::numeric * 2) FROM h")" "8 true" "expected = median of the 8 Tuesdays before"
expect_eq "$(cut -d, -f9 <<<"$first")" 8 "history points"
grep -q 'model gpt-4.1 +' <<<"$first" || fail "drivers name no model: $first"
expect_output "2023-11-14" "$COST_OPS" anomalies --group-by project --since 2023-11-14 --threshold 3.5
expect_output "no departures" "$COST_OPS" anomalies --group-by project --since 2023-11-15
expect_failure "--threshold 'x': give a positive number" "$COST_OPS" anomalies --threshold x
expect_failure "--since 'yesterday'" "$COST_OPS" anomalies --since yesterday
expect_failure "unknown --group-by key 'team'" "$COST_OPS" anomalies --group-by team
expect_output '"robust_z":' "$COST_OPS" anomalies --output json --limit 1

# Forecast: the backtest beats "same as last week" (compared in SQL numeric, not floats).
"$COST_OPS" forecast --horizon 30d >forecast.txt
grep -q "better than naive" forecast.txt || fail "backtest not better than naive: $(cat forecast.txt)"
"$COST_OPS" forecast --horizon 30d --output csv >forecast.csv
row=$(sed -n 2p forecast.csv)
IFS=, read -r scope as_of history month mtd me me_low me_high hdays hf hlow hhigh mae naive wape nwape <<<"$row"
expect_eq "$scope $as_of $history $month $hdays" "all 2023-11-16 63 2023-11 30" "forecast scope"
expect_eq "$(sql "SELECT '$mae'::numeric < '$naive'::numeric")" t "backtest MAE $mae below naive $naive"
expect_eq "$mtd" "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records WHERE \"timestamp\" >= '2023-11-01'")" "month to date"
expect_eq "$(sql "SELECT '$me_low'::numeric <= '$me'::numeric AND '$me'::numeric <= '$me_high'::numeric AND '$mtd'::numeric <= '$me_low'::numeric AND '$hlow'::numeric <= '$hf'::numeric AND '$hf'::numeric <= '$hhigh'::numeric")" t "intervals hold their forecasts"
# The SQL functions give the same figures (the CLI prints forecasts rounded to 6 places).
expect_eq "$(sql "SELECT trim_scale(round(cost_ops.to_numeric(cost_ops.sum(forecast)), 6)) || ' ' || trim_scale(round(cost_ops.to_numeric(cost_ops.sum(high)), 6)) FROM cost_ops.forecast(30)")" "$hf $hhigh" "SQL forecast over 30 days"
expect_eq "$(sql "SELECT trim_scale(round(cost_ops.to_numeric(method_mae), 6)) || ' ' || trim_scale(round(cost_ops.to_numeric(naive_mae), 6)) || ' ' || trim_scale(round(method_wape_percent, 2)) FROM cost_ops.backtest()")" "$mae $naive $wape" "SQL backtest"
expect_eq "$(sql "SELECT day || ',' || entity || ',' || actual || ',' || expected || ',' || trim_scale(round(robust_z, 2)) FROM cost_ops.anomalies('2023-11-10', 'project') LIMIT 1")" "$(cut -d, -f1,3,5,6,8 <<<"$first")" "SQL anomalies, first row"
# ... with the same drivers, and SQL's token-mix departures are the CLI's output_share rows
# (day, entity, history points; the CLI rounds shares to 6 places).
expect_eq "$(sql "SELECT drivers FROM cost_ops.anomalies('2023-11-10', 'project') LIMIT 1")" \
  "$(cut -d, -f10 <<<"$first")" "SQL anomalies, drivers of the first row"
expect_eq "$(sql "SELECT day || ',' || entity || ',' || history_points FROM cost_ops.token_mix_anomalies('2023-11-10', 'project') ORDER BY 1, 2")" \
  "$("$COST_OPS" anomalies --group-by project --since 2023-11-10 --limit 1000 --output csv | awk -F, '$4 == "output_share" {print $1 "," $3 "," $9}' | sort)" \
  "SQL token mix departures"
expect_output '"horizon_forecast":"' "$COST_OPS" forecast --horizon 7d --group-by project --output json
expect_failure "--horizon 'soon'" "$COST_OPS" forecast --horizon soon
expect_failure "not enough history" "$COST_OPS" forecast --history 10d

# [features]: each flag turns its command off with one line naming the file and the key.
printf '[features]\nforecasting = false\nanomaly_detection = false\nnew_export_formats = false\n' >off.toml
expect_failure "cost-ops forecast is disabled in the config file off.toml: [features] forecasting = false" "$COST_OPS" --config off.toml forecast
expect_failure "cost-ops anomalies is disabled in the config file off.toml: [features] anomaly_detection = false" "$COST_OPS" --config off.toml anomalies
expect_failure "export --format ndjson is disabled in the config file off.toml: [features] new_export_formats = false" "$COST_OPS" --config off.toml export --output x.ndjson
expect_failure "export --format focus is disabled" "$COST_OPS" --config off.toml export --format focus --output x.csv
[ ! -e x.ndjson ] && [ ! -e x.ndjson.partial ] || fail "a disabled export left a file"
expect_output "exported 41225 records" "$COST_OPS" --config off.toml export --output x.csv
printf '[features]\nforecasting = "off"\n' >bad.toml
expect_failure "config file bad.toml, line 2: [features] forecasting must be true or false" "$COST_OPS" --config bad.toml forecast
echo "ok: anomalies first $(cut -d, -f1-3 <<<"$first"); backtest MAE $mae vs naive $naive"
