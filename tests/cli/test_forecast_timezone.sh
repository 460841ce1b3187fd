#!/usr/bin/env bash
# forecast and anomalies --timezone: their days are the zone's local days. 35 days of one
# gpt-4o record at 23:30Z (2025-01-01..2025-02-04), 10000 prompt tokens at 2.5 USD per 1M =
# 0.025 each, the last one 1000000 tokens = 2.5: in UTC they fall on 01-01..02-04, in
# Europe/Paris (+01:00 in winter) each is 00:30 of the next day, 01-02..02-05.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.5 --output-price 10 \
  --effective-date 2024-01-01 >/dev/null
for i in $(seq 0 34); do
  day=$(date -u -d "2025-01-01 + $i days" +%F)
  tokens=$([ "$i" = 34 ] && echo 1000000 || echo 10000)
  echo "{\"timestamp\": \"${day}T23:30:00Z\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"organization_id\": \"acme\", \"request_id\": \"d$i\", \"prompt_tokens\": $tokens, \"completion_tokens\": 0}"
done > days.ndjson
"$COST_OPS" ingest --quiet --file days.ndjson

# Forecast: the series ends on the latest record's local day; month to date of February is
# UTC 02-01..02-04: 3 * 0.025 + 2.5 = 2.575; Paris 02-01..02-05 (records of 01-31Z..02-04Z):
# 4 * 0.025 + 2.5 = 2.6. 35 days of history either way.
expect_eq "$("$COST_OPS" forecast --output csv | sed -n 2p | cut -d, -f1-5)" \
  "all,2025-02-04,35,2025-02,2.575" "forecast in UTC"
expect_eq "$("$COST_OPS" forecast --timezone Europe/Paris --output csv | sed -n 2p | cut -d, -f1-5)" \
  "all,2025-02-05,35,2025-02,2.6" "forecast in Europe/Paris"

# Anomalies: the spike is on the latest day, against the 4 same weekdays before it (0.025 each:
# a constant history flags any change, z empty): actual 2.5, expected 0.025, excess 2.475.
expect_eq "$("$COST_OPS" anomalies --group-by model --since 2025-02-04 --output csv | sed -n 2p | cut -d, -f1-9)" \
  "2025-02-04,model,gpt-4o,spend,2.5,0.025,2.475,,4" "anomaly in UTC"
expect_eq "$("$COST_OPS" anomalies --group-by model --since 2025-02-04 --timezone Europe/Paris --output csv | sed -n 2p | cut -d, -f1-9)" \
  "2025-02-05,model,gpt-4o,spend,2.5,0.025,2.475,,4" "anomaly in Europe/Paris"
# In Paris 2025-02-04 is the record of 02-03Z, like its history: the spike is the only row.
expect_eq "$("$COST_OPS" anomalies --group-by model --since 2025-02-04 --timezone Europe/Paris --output csv | wc -l)" \
  2 "one departure in Europe/Paris"
expect_failure "unknown time zone 'Mars/Olympus'" "$COST_OPS" forecast --timezone Mars/Olympus
expect_failure "unknown time zone 'Mars/Olympus'" "$COST_OPS" anomalies --timezone Mars/Olympus
echo "PASS: forecast and anomalies in local days"
