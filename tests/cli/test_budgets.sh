#!/usr/bin/env bash
# cost-ops budget and alerts: budgets set, listed and checked; two ingests running at once
# whose records together reach a threshold raise it once (in cost_ops.alerts and on NOTIFY
# cost_ops_alerts, which `alerts watch` prints live); `alerts check` fails when over budget.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null
expect_failure "--monthly '0' is not an amount of USD greater than 0" \
  "$COST_OPS" budget set --organization acme --monthly 0
expect_failure "--monthly 'ten' is not an amount of USD" \
  "$COST_OPS" budget set --organization acme --monthly ten
expect_failure "'x' is not a percentage from 1 to 1000" \
  "$COST_OPS" budget set --organization acme --monthly 10 --alert-at 50,x
expect_output "budget 1: acme, 10 USD a month, alerts at 50,80,100%" \
  "$COST_OPS" budget set --organization acme --monthly 10 --alert-at 50,80,100
expect_output "budget 2: acme / bot, 2 USD a month, alerts at 50,80,100%" \
  "$COST_OPS" budget set --organization acme --project bot --monthly 2
expect_eq "$("$COST_OPS" budget list --output csv | tail -n +2 | sed -E 's/^[0-9]+,//; s/,[^,]*$//')" \
  "acme,,10,\"50,80,100\"
acme,bot,2,\"50,80,100\"" "budget list"

# This month, 600,000 prompt tokens a record: 1.5 USD. File a: two records of project bot
# (bot's first record is 1.5 of 2: 75 %, raising 50; its second 3: 150 %, raising 80 and 100);
# file b: two of project web. Each file alone is 3 of acme's 10 (30 %),
# both 6 (60 %): acme's 50 % is raised once, by whichever commits the record that reaches it;
# bot's 50, 80 and 100 once each (four alerts in all).
month=$(date -u +%Y-%m)
printf 'timestamp,provider,model,organization_id,project_id,request_id,prompt_tokens,completion_tokens\n' | tee a.csv >b.csv
for i in 1 2; do
  echo "${month}-01T0${i}:00:00Z,openai,gpt-4o,acme,bot,a$i,600000,0" >>a.csv
  echo "${month}-01T0${i}:30:00Z,openai,gpt-4o,acme,web,b$i,600000,0" >>b.csv
done
"$COST_OPS" alerts watch --for 30 >watch.out 2>watch.err &
watcher=$!
for _ in $(seq 1 50); do grep -q "watching" watch.err 2>/dev/null && break; sleep 0.1; done
"$COST_OPS" ingest --file a.csv --batch-size 1 --quiet &
first=$!
"$COST_OPS" ingest --file b.csv --batch-size 1 --quiet
wait "$first" || fail "ingest of a.csv failed"
expect_eq "$(sql "SELECT string_agg(coalesce(b.project_id, '-') || ' ' || a.threshold || ' ' || a.spend, ', ' ORDER BY b.id, a.threshold) FROM cost_ops.alerts AS a JOIN cost_ops.budgets AS b ON b.id = a.budget_id")" \
  "- 50 6, bot 50 1.5, bot 80 3, bot 100 3" "alerts raised once each"
# The watcher printed each alert once, as JSON with exact decimal strings.
for _ in $(seq 1 50); do [ "$(wc -l <watch.out)" -ge 4 ] && break; sleep 0.1; done
kill -INT "$watcher"; wait "$watcher" || true
expect_eq "$(wc -l <watch.out | tr -d ' ')" "4" "alerts watched: $(cat watch.out)"
grep -q '"organization_id" : "acme", "project_id" : null, "period" : "'"$month"'-01", "threshold" : 50, "spend" : "6", "monthly_amount" : "10"' watch.out \
  || fail "acme's alert as watched: $(cat watch.out)"

expect_eq "$("$COST_OPS" budget status --output csv | tail -n +2 | cut -d, -f2-)" \
  "acme,,$month,10,6,60.00,50,0
acme,bot,$month,2,3,150.00,\"50,80,100\",0" "budget status"
expect_failure "over 100%: acme / bot spent 3 of 2 USD this month" "$COST_OPS" alerts check
expect_output "no budget is over 200% this month" "$COST_OPS" alerts check --threshold 200
expect_eq "$("$COST_OPS" alerts list --output csv | tail -n +2 | wc -l | tr -d ' ')" "4" "alerts list"
# Lowering acme's budget to 5 raises its 80 and 100 at once (6 of 5).
expect_output "2 alerts raised for this month's spend" \
  "$COST_OPS" budget set --organization acme --monthly 5 --alert-at 50,80,100
expect_output "removed budget 2" "$COST_OPS" budget remove --organization acme --project bot
expect_failure "no budget for acme / bot" "$COST_OPS" budget remove --organization acme --project bot
expect_failure "over 100%: acme spent 6 of 5 USD this month" "$COST_OPS" alerts check
echo "ok"
