#!/usr/bin/env bash
# Three cost-ops ingest runs at once, of files that overlap (rows 1-8000, 4001-12000 and
# 2001-10000 of the same usage, the same days, models and organizations), in both modes: none
# waits forever or deadlocks, each record is stored once, and the daily
# rollup match the rows.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"

"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null
sql "SELECT count(*) FROM cost_ops.create_partitions('2025-02-28', '2025-01-01')" >/dev/null
# Row i: one of 4 days (i % 4, so every batch touches all of them), one of 3 organizations.
rows() {
  awk -v from="$1" -v to="$2" 'BEGIN {
    print "timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens"
    for (i = from; i <= to; i++)
      printf "2025-01-%02dT%02d:00:00Z,openai,gpt-4o,org-%d,req-%d,%d,%d\n", 10 + i % 4, i % 24, i % 3, i, i, i % 7
  }'
}
rows 1 8000 >a.csv
rows 4001 12000 >b.csv
rows 2001 10000 >c.csv
# By hand: prompt tokens 1 + 2 + ... + 12000 = 72006000 at 2.50 per million; completion tokens
# sum (i % 7) over 1..12000 = 1714 * 21 + (1 + 2) = 35997 at 10 per million:
# 180.015 + 0.35997 = 180.37497.
for mode in abort reject; do
  sql "TRUNCATE cost_ops.usage_records" >/dev/null
  pids=()
  for f in a b c; do
    "$COST_OPS" ingest --file $f.csv --batch-size 500 --on-error $mode --quiet >$f.out 2>&1 &
    pids+=($!)
  done
  for i in 0 1 2; do
    wait "${pids[$i]}" || fail "$mode: ingest of file $i failed: $(cat a.out b.out c.out)"
  done
  expect_eq "$(sql "SELECT count(*) || ' ' || count(DISTINCT request_id) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" \
    "12000 12000 180.37497" "$mode: rows stored once"
  expect_eq "$(sql "SELECT sum(records) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.daily_costs")" \
    "12000 180.37497" "$mode: rollup"
done
echo "ok"
