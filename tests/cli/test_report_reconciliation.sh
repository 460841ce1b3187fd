#!/usr/bin/env bash
# report generate: a reconciliation of an import against its own export and source file PASSes
# with no difference; against a copy with one record removed and one cost changed it FAILs and
# lists exactly those two groups; an invoice CSV; the monthly report. The PDF opens (pdfinfo)
# and its text (pdftotext) holds summary's totals; the JSON holds every figure, exact.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.5 --output-price 10 \
  --cached-input-price 1.25 --effective-date 2024-01-01 >/dev/null
"$COST_OPS" pricing add --provider anthropic --model claude-3-5-haiku-20241022 --input-price 0.8 \
  --output-price 4 --cached-input-price 0.08 --effective-date 2024-01-01 >/dev/null
# Costs (USD per 1M tokens; uncached input, cached, output):
#   r0 2024-12-15 gpt-4o  4000 prompt, 1000 completion: 4000*2.5 + 1000*10        = 0.02
#   r1 01-30 gpt-4o       1000, 500:                    1000*2.5 + 500*10         = 0.0075
#   r2 01-30 gpt-4o       2000 (1000 cached), 100:      1000*2.5 + 1000*1.25 + 100*10 = 0.00475
#   r3 01-30 haiku        10000, 1000:                  10000*0.8 + 1000*4        = 0.012
#   r4 01-31 haiku        5000 (4000 cached), 200:      1000*0.8 + 4000*0.08 + 200*4  = 0.00192
#   r5 01-31T23:59:59 gpt-4o 100, 10:                   100*2.5 + 10*10           = 0.00035
#   r6 01-31 ft-unknown   unpriced
#   r7 02-01T00:00:00 gpt-4o 1000, 1000 (outside 01-30..01-31): 0.0125
# 01-30..01-31: 6 records, 5 priced, 0.0075 + 0.00475 + 0.012 + 0.00192 + 0.00035 = 0.02652.
cat > usage.csv <<'CSV'
timestamp,provider,model,organization_id,user_id,request_id,prompt_tokens,cached_tokens,completion_tokens
2024-12-15T08:00:00Z,openai,gpt-4o,acme,u1,r0,4000,0,1000
2025-01-30T10:00:00Z,openai,gpt-4o,acme,u1,r1,1000,0,500
2025-01-30T11:00:00Z,openai,gpt-4o,acme,u2,r2,2000,1000,100
2025-01-30T12:00:00Z,anthropic,claude-3-5-haiku-20241022,globex,u1,r3,10000,0,1000
2025-01-31T09:00:00Z,anthropic,claude-3-5-haiku-20241022,globex,u3,r4,5000,4000,200
2025-01-31T23:59:59Z,openai,gpt-4o,acme,u1,r5,100,0,10
2025-01-31T15:00:00Z,openai,ft-unknown,acme,u2,r6,100,0,10
2025-02-01T00:00:00Z,openai,gpt-4o,acme,u1,r7,1000,0,1000
CSV
"$COST_OPS" ingest --quiet --file usage.csv
"$COST_OPS" export --output export.csv >/dev/null
range=(--start-date 2025-01-30 --end-date 2025-01-31)

# Against its own export (which carries total_cost) and its source file (no costs): PASS.
expect_output "reconciliation PASS: 0 groups" "$COST_OPS" report generate --type reconciliation \
  "${range[@]}" --against export.csv --output pass.json
expect_eq "$(jq -r '.status' pass.json)" PASS "status"
result='.sections[0].facts'
expect_eq "$(jq -r "$result | [.groups_compared, .groups_differing, .database_records, .reference_records, .database_unpriced_records, .database_total_cost, .reference_total_cost, .cost_difference] | join(\" \")" pass.json)" \
  "5 0 6 6 1 0.02652 0.02652 0" "export reconciliation figures"
expect_eq "$(jq -r '.sections[2].tables[0].rows[0] | "\(.model) \(.unpriced_reason) \(.records)"' pass.json)" \
  "ft-unknown no price for this model 1" "unpriced records called out"
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against usage.csv \
  --output source.json >/dev/null
expect_eq "$(jq -r "[.status, ($result | .reference_records), ($result | has(\"reference_total_cost\"))] | join(\" \")" source.json)" \
  "PASS 6 false" "source file without costs: counts and tokens compared, costs not"

# One record removed (r1) and one cost changed (r4: 0.00192 -> 0.002): FAIL, exit 1, exactly
# the two groups: 01-30 openai gpt-4o (records 2 vs 1, cost 0.01225 vs 0.00475, difference
# 0.0075) and 01-31 anthropic haiku (cost 0.00192 vs 0.002, difference -0.00008).
grep -v ',r1,' export.csv | sed 's/0\.00192\b/0.002/' > changed.csv
[ "$(($(wc -l < export.csv) - $(wc -l < changed.csv)))" = 1 ] || fail "changed.csv lost more than r1"
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against changed.csv \
  --output fail.json > fail.out 2>&1
status=$?
set -e
expect_eq "$status" 1 "exit status of a FAIL"
grep -qF "reconciliation FAIL: 2 groups" fail.out || fail "stdout: $(cat fail.out)"
# Both differing records are counted on stdout: r1 (not in the reference) and r4 (its cost).
grep -qF "  2 records differ (matched by provider, organization_id, request_id): 1 on one side only or with other tokens, 1 in cost only" \
  fail.out || fail "stdout's record count: $(cat fail.out)"
grep -qF "  2025-01-30 openai gpt-4o: records prompt_tokens completion_tokens total_tokens costed_records cost (records 2 vs 1, cost 0.01225 vs 0.00475)" \
  fail.out || fail "stdout's group line: $(cat fail.out)"
expect_eq "$(jq -r '.status' fail.json)" FAIL "status"
expect_eq "$(jq -c '[.sections[1].tables[0].rows[] | [.day, .provider, .model, .differs_in, .db_records, .ref_records, .db_cost, .ref_cost, .cost_difference]]' fail.json)" \
  '[["2025-01-30","openai","gpt-4o","records prompt_tokens completion_tokens total_tokens costed_records cost",2,1,"0.01225","0.00475","0.0075"],["2025-01-31","anthropic","claude-3-5-haiku-20241022","cost",1,1,"0.00192","0.002","-0.00008"]]' \
  "the two differences"
# ... and the two records behind them, by identity.
expect_eq "$(jq -c '[.sections[1].facts.records_differing, [.sections[1].tables[1].rows[] | [.request_id, .difference, .db_cost, .ref_cost]]]' fail.json)" \
  '["2",[["r1","not in the reference","0.0075",null],["r4","cost","0.00192","0.002"]]]' \
  "the two differing records"
expect_eq "$(jq -r '.sections[1].facts.records_differing' pass.json)" 0 "no differing record"
# Sums that agree do not hide records that do not: r1 renamed r1x is one record on each side
# only (the group's counts, tokens and cost are the same): FAIL.
sed 's/,r1,/,r1x,/' export.csv > renamed.csv
expect_failure "2 records differ (matched by provider, organization_id, request_id): 2 on one side only or with other tokens, 0 in cost only" "$COST_OPS" report generate \
  --type reconciliation "${range[@]}" --against renamed.csv --output renamed.json
expect_eq "$(jq -r '"\(.status) \(.sections[0].facts.groups_differing) \(.sections[1].facts.records_unmatched_or_other_tokens)"' renamed.json)" \
  "FAIL 0 2" "renamed record"
# A tolerance of 0.0001 lets the 0.00008 cost difference pass; the missing record still fails.
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against changed.csv \
  --tolerance 0.0001 --output tolerant.json >/dev/null 2>&1
status=$?
set -e
expect_eq "$status:$(jq -r '.sections[0].facts.groups_differing' tolerant.json)" "1:1" "tolerance"

# A group the reference lacks is "not in the reference file", never "vs 0": r5 (the only
# 01-31 gpt-4o record, 0.00035) and r6 (the only ft-unknown record, unpriced) removed. An
# all-unpriced group's cost is "unpriced", JSON null; missing_from names the side.
grep -v -e ',r5,' -e ',r6,' export.csv > missing.csv
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against missing.csv \
  --output missing.json > missing.out 2>&1
status=$?
set -e
expect_eq "$status" 1 "exit status with missing groups"
grep -qF "reconciliation FAIL: 2 groups (day x provider x model) differ" missing.out || fail "stdout: $(cat missing.out)"
grep -qF "  2025-01-31 openai ft-unknown: not in the reference file (database: 1 record, cost unpriced (1 record))" \
  missing.out || fail "stdout, unpriced group: $(cat missing.out)"
grep -qF "  2025-01-31 openai gpt-4o: not in the reference file (database: 1 record, cost 0.00035)" \
  missing.out || fail "stdout, missing group: $(cat missing.out)"
! grep -qE "(vs|cost) 0([ ,)]|$)" missing.out || fail "a missing side shown as 0: $(cat missing.out)"
expect_eq "$(jq -c '[.sections[1].tables[0].rows[] | [.model, .missing_from, .db_unpriced, .db_records, .ref_records, .db_cost, .ref_cost, .cost_difference]]' missing.json)" \
  '[["ft-unknown","reference",1,1,null,null,null,null],["gpt-4o","reference",0,1,null,"0.00035",null,null]]' \
  "missing groups in JSON"
expect_eq "$(jq -c '[.sections[] | select(.heading == "Groups") | .tables[0].rows[] | select(.day == "2025-01-31") | [.model, .missing_from, .ref_records, .db_cost]]' missing.json)" \
  '[["claude-3-5-haiku-20241022",null,1,"0.00192"],["ft-unknown","reference",null,null],["gpt-4o","reference",null,"0.00035"]]' \
  "groups table with missing sides"
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against missing.csv \
  --output missing.pdf >/dev/null 2>&1 || true
pdftotext -layout missing.pdf missing.txt
grep -qF "missing_from" missing.txt || fail "missing.pdf lacks missing_from"

# A reference record that cannot be read (r3's timestamp) is rejected, not the whole file: the
# rest is compared, the record is named on stderr and in the report (file, line, field, reason),
# counted, and the result FAILs (r3's group, 01-30 haiku 0.012, is then not in the reference).
r3_line=$(grep -n ',r3,' export.csv | cut -d: -f1)
sed "${r3_line}s/2025-01-30T12:00:00Z/not-a-time/" export.csv > bad_ref.csv
grep -q 'not-a-time' bad_ref.csv || fail "bad_ref.csv: r3's timestamp not replaced"
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against bad_ref.csv \
  --output bad_ref.json > bad_ref.out 2> bad_ref.err
status=$?
set -e
expect_eq "$status" 1 "exit status with a rejected reference record"
grep -qF "cost-ops: reference bad_ref.csv:$r3_line (record $((r3_line - 1))): timestamp" bad_ref.err \
  || fail "stderr: $(cat bad_ref.err)"
grep -qF "  1 reference record rejected, not compared" bad_ref.out || fail "stdout: $(cat bad_ref.out)"
grep -qF "  2025-01-30 anthropic claude-3-5-haiku-20241022: not in the reference file (database: 1 record, cost 0.012)" \
  bad_ref.out || fail "stdout: $(cat bad_ref.out)"
expect_eq "$(jq -r '[.status, .sections[0].facts.reference_records, .sections[0].facts.reference_rejected_records] | join(" ")' bad_ref.json)" \
  "FAIL 5 1" "rejected reference record counted"
expect_eq "$(jq -c --arg f bad_ref.csv '.sections[] | select(.heading == "Reference rejects") | .tables[0].rows[] | [.file, .line, .record, .field]' bad_ref.json)" \
  "[\"bad_ref.csv\",$r3_line,$((r3_line - 1)),\"timestamp\"]" "the rejected reference record"
expect_eq "$(jq -r '.sections[] | select(.heading == "Reference rejects") | .facts.reference_rejected_records' pass.json)" \
  0 "no rejected record"
# Not one valid record: nothing to compare, exit 2, no report.
head -1 export.csv > none.csv
sed -n "${r3_line}p" bad_ref.csv >> none.csv
expect_failure "none.csv: no valid record to compare (1 record rejected; the first, line 2: timestamp" \
  "$COST_OPS" report generate --type reconciliation "${range[@]}" --against none.csv --output none.json
[ ! -e none.json ] || fail "a reference without a valid record left a report"
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against missing_file.csv \
  --output nofile.json >/dev/null 2>&1
status=$?
set -e
expect_eq "$status" 2 "exit status of a missing reference file"

# An invoice per day x provider x model: equal costs PASS; one changed cost FAILs.
cat > invoice.csv <<'CSV'
date,provider,model,cost
2025-01-30,openai,gpt-4o,0.01225
2025-01-30,anthropic,claude-3-5-haiku-20241022,0.012
2025-01-31,anthropic,claude-3-5-haiku-20241022,0.00192
2025-01-31,openai,gpt-4o,0.00035
CSV
expect_output "reconciliation PASS" "$COST_OPS" report generate --type reconciliation \
  "${range[@]}" --invoice invoice.csv --output invoice.html
grep -qF '<svg' invoice.html || fail "invoice.html has no inline SVG chart"
sed 's/0\.00035$/0.0004/' invoice.csv > invoice2.csv
expect_failure "2025-01-31 openai gpt-4o: cost" "$COST_OPS" report generate \
  --type reconciliation "${range[@]}" --invoice invoice2.csv --output invoice2.json
expect_eq "$(jq -r '.sections[1].tables[0].rows[0].cost_difference' invoice2.json)" "-0.00005" "invoice difference"
# Without a provider column an invoice is --provider's; a tokens column is compared with
# total_tokens (r1 1500 + r2 2100 = 3600; r5 110; r6 110, unpriced: no cost on either side).
cat > invoice3.csv <<'CSV'
date,model,cost,tokens
2025-01-30,gpt-4o,0.01225,3600
2025-01-31,gpt-4o,0.00035,110
2025-01-31,ft-unknown,0,110
CSV
expect_output "reconciliation PASS: 0 groups" "$COST_OPS" report generate --type reconciliation \
  "${range[@]}" --invoice invoice3.csv --provider openai --output invoice3.json
sed 's/,110$/,111/' invoice3.csv > invoice4.csv
expect_failure "2025-01-31 openai ft-unknown: total_tokens (total_tokens 110 vs 111, cost unpriced (1 record) vs 0)" \
  "$COST_OPS" report generate --type reconciliation "${range[@]}" --invoice invoice4.csv \
  --provider openai --output invoice4.json
# An invoice that lacks the database's 01-31 groups and has a model the database has not: "not
# in the invoice" and "not in the database" (JSON: null for the missing side, no record counts
# for an invoice). 01-31 ft-unknown (unpriced, no cost to compare) does not differ.
cat > invoice5.csv <<'CSV'
date,provider,model,cost
2025-01-30,openai,gpt-4o,0.01225
2025-01-30,anthropic,claude-3-5-haiku-20241022,0.012
2025-01-30,openai,o3,0.5
CSV
set +e
"$COST_OPS" report generate --type reconciliation "${range[@]}" --invoice invoice5.csv \
  --output invoice5.json > invoice5.out 2>&1
status=$?
set -e
expect_eq "$status" 1 "exit status, invoice lacking groups"
expect_eq "$(grep '^  ' invoice5.out)" "  2025-01-30 openai o3: not in the database (invoice: cost 0.5)
  2025-01-31 anthropic claude-3-5-haiku-20241022: not in the invoice (database: 1 record, cost 0.00192)
  2025-01-31 openai gpt-4o: not in the invoice (database: 1 record, cost 0.00035)" "invoice5 stdout"
expect_eq "$(jq -c '[.sections[1].tables[0].rows[] | [.model, .missing_from, .db_records, .ref_records, .db_cost, .ref_cost, .cost_difference]]' invoice5.json)" \
  '[["o3","database",null,null,null,"0.5",null],["claude-3-5-haiku-20241022","reference",1,null,"0.00192",null,null],["gpt-4o","reference",1,null,"0.00035",null,null]]' \
  "invoice5 differences in JSON"
# Bad input: one line naming file, line and field, exit 2, no report left behind.
printf 'date,provider,model,cost\n2025-01-30,openai,gpt-4o,1.2.3\n' > bad.csv
expect_failure "bad.csv:2: cost: '1.2.3' is not an exact decimal amount" "$COST_OPS" report \
  generate --type reconciliation "${range[@]}" --invoice bad.csv --output bad.json
[ ! -e bad.json ] && [ ! -e bad.json.partial ] || fail "a failed report left a file behind"
expect_failure "the extension picks the format" "$COST_OPS" report generate \
  --type reconciliation "${range[@]}" --against export.csv --output r.txt

# The PDF opens and its text holds summary's totals over the same range.
"$COST_OPS" report generate --type reconciliation "${range[@]}" --against export.csv \
  --output reconciliation.pdf >/dev/null
pdfinfo reconciliation.pdf | grep -q '^Pages:' || fail "pdfinfo cannot read reconciliation.pdf"
summary_total=$("$COST_OPS" summary --period 2025-01-30..2025-01-31 --group-by "" --output json | jq -r '.total.total_cost')
expect_eq "$summary_total" 0.02652 "summary total"
pdftotext -layout reconciliation.pdf reconciliation.txt
grep -qF "database_total_cost: $summary_total" reconciliation.txt || fail "reconciliation.pdf lacks the total $summary_total"
grep -qF "Result: PASS" reconciliation.txt || fail "reconciliation.pdf lacks the verdict"

# Monthly report for January: summary's totals, month over month against December (0.02:
# (0.02652 - 0.02) / 0.02 = 32.60 %), cache savings 1000*(2.5-1.25) + 4000*(0.8-0.08) per 1M =
# 0.00125 + 0.00288 = 0.00413; the February record is outside.
"$COST_OPS" report generate --type monthly --month 2025-01 --output january.json >/dev/null
expect_eq "$(jq -r '.sections[0].facts | "\(.requests) \(.priced) \(.unpriced) \(.total_cost)"' january.json)" \
  "6 5 1 0.02652" "monthly totals"
expect_eq "$(jq -r '.sections[1].facts | "\(.previous_total_cost) \(.change) \(.change_percent)"' january.json)" \
  "0.02 0.00652 32.60 %" "month over month"
expect_eq "$(jq -r '.sections[] | select(.heading == "Cache savings") | .facts.cache_savings' january.json)" \
  "0.00413" "cache savings"
expect_eq "$(jq -r '.sections[] | select(.heading == "Breakdown") | .tables[] | select(.title | startswith("Top")) | .rows[0] | "\(.user_id) \(.total_cost)"' january.json)" \
  "u1 0.01985" "top user (r3 0.012 + r1 0.0075 + r5 0.00035)"
"$COST_OPS" report generate --type monthly --month 2025-01 --output january.pdf >/dev/null
pdfinfo january.pdf | grep -q '^Pages:' || fail "pdfinfo cannot read january.pdf"
month_total=$("$COST_OPS" summary --period 2025-01-01..2025-01-31 --group-by "" --output json | jq -r '.total.total_cost')
pdftotext -layout january.pdf january.txt
grep -qF "total_cost: $month_total" january.txt || fail "january.pdf lacks the total $month_total"
grep -qF "cache_savings: 0.00413" january.txt || fail "january.pdf lacks the cache savings"
"$COST_OPS" report generate --type summary --period 2025-01-30..2025-02-01 --output period.html >/dev/null
grep -qF "0.03902" period.html || fail "period.html lacks the total 0.02652 + 0.0125"

# The demo import (make demo: genai-prices, the Azure traces as usage.csv; README) in a second
# database: against its own source file and its export it PASSes with no difference; with one
# record removed and one cost changed it FAILs and lists exactly those two groups.
first_db=$db
db="${first_db}_demo"
psql -X -q -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$first_db\"" -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
export DATABASE__URL="postgresql://postgres@/$db?host=$PGHOST&port=$PGPORT"
"$COST_OPS" init >/dev/null
"$COST_OPS" pricing import --format genai-prices "$SHARED/data/pricing/genai-prices/data.json" >/dev/null
traces=$SHARED/data/usage/azure-llm-trace-2023
awk -F, -v service=conv -v header=1 -f "$REPO/demo/azure_to_usage.awk" \
  "$traces/AzureLLMInferenceTrace_conv.csv" > demo.csv
awk -F, -v service=code -f "$REPO/demo/azure_to_usage.awk" \
  "$traces/AzureLLMInferenceTrace_code.csv" >> demo.csv
"$COST_OPS" ingest --quiet --file demo.csv
"$COST_OPS" export --output demo_export.csv >/dev/null
demo=(--start-date 2023-11-16 --end-date 2023-11-16)
expect_output "reconciliation PASS: 0 groups" "$COST_OPS" report generate --type reconciliation \
  "${demo[@]}" --against demo.csv --output demo_source.pdf
expect_output "reconciliation PASS: 0 groups" "$COST_OPS" report generate --type reconciliation \
  "${demo[@]}" --against demo_export.csv --output demo_export.json
expect_eq "$(jq -r "$result | [.groups_compared, .database_records, .reference_records, .database_unpriced_records, .database_total_cost, .reference_total_cost] | join(\" \")" demo_export.json)" \
  "9 28185 28185 199 113.0232403 113.0232403" "demo reconciliation figures"
pdftotext demo_source.pdf - | grep -qF "database_total_cost: 113.0232403" || fail "demo_source.pdf lacks the demo total"
# Remove conv-1 (openai gpt-4o) and add 0.000001 to the cost of code-2 (google gemini-2.5-pro:
# code row 2, r%3 = 2): the database is 0.000001 under on that group.
code2=$(grep -m1 ',code-2,' demo_export.csv)
cost2=$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE request_id = 'code-2'")
changed2=$(sql "SELECT (total_cost OPERATOR(cost_ops.+) '0.000001'::cost_ops.cost)::text FROM cost_ops.usage_records WHERE request_id = 'code-2'")
grep -v -e ',conv-1,' -e ',code-2,' demo_export.csv > demo_changed.csv
sed "s/,$cost2,/,$changed2,/" <<<"$code2" >> demo_changed.csv
expect_failure "reconciliation FAIL" "$COST_OPS" report generate --type reconciliation \
  "${demo[@]}" --against demo_changed.csv --output demo_changed.json
expect_eq "$(jq -c '[.sections[1].tables[0].rows[] | [.model, .differs_in, .db_records - .ref_records, .cost_difference]]' demo_changed.json)" \
  "[[\"gemini-2.5-pro\",\"cost\",0,\"-0.000001\"],[\"gpt-4o\",\"records prompt_tokens completion_tokens total_tokens costed_records cost\",1,\"$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE request_id = 'conv-1'")\"]]" \
  "the demo's two differences"
expect_eq "$(jq -c '[.sections[1].tables[1].rows[] | [.request_id, .difference]]' demo_changed.json)" \
  '[["code-2","cost"],["conv-1","not in the reference"]]' "the demo's two records"
echo "PASS: reconciliation, invoice and monthly reports; the demo import reconciled"
