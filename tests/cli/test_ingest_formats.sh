#!/usr/bin/env bash
# cost-ops ingest: CSV in any column order, JSON, NDJSON, stdin, batches; bad records are
# reported with file, line and field, and a file with any of them writes nothing.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.5 \
  --cached-input-price 1.25 --output-price 10 --effective-date 2024-01-01 >/dev/null

# Columns in any order, quoted fields, CRLF line ends, zone-less timestamps read as UTC.
printf 'completion_tokens,model,"organization_id",timestamp,provider,prompt_tokens,request_id,metadata\r\n300,gpt-4o,org-1,2025-01-15 10:00:00,OpenAI,2006,r1,"{""team"": ""a,b""}"\r\n' > a.csv
"$COST_OPS" ingest --file a.csv >/dev/null
expect_eq "$(sql "SELECT provider, \"timestamp\", total_cost, metadata->>'team' FROM cost_ops.usage_records WHERE request_id = 'r1'")" \
  "openai|2025-01-15 10:00:00+00|0.008015|a,b" "csv record"

# JSON array, a model object, numbers exactly as written, metadata kept exactly.
cat > b.json <<'JSON'
[{"timestamp": "2025-01-15T11:00:00+02:00", "provider": "openai", "model": {"name": "gpt-4o"},
  "organization_id": "org-1", "request_id": "r2", "prompt_tokens": 2006, "cached_tokens": 1920,
  "completion_tokens": 300, "total_tokens": 2306, "latency_ms": 850,
  "metadata": {"temperature": 0.10000000000000000000001, "tags": ["x"]}}]
JSON
"$COST_OPS" ingest --file b.json >/dev/null
expect_eq "$(sql "SELECT \"timestamp\", total_cost, latency_ms, metadata->>'temperature' FROM cost_ops.usage_records WHERE request_id = 'r2'")" \
  "2025-01-15 09:00:00+00|0.005615|850|0.10000000000000000000001" "json record"

# NDJSON from standard input, in batches of 2 (several COPY statements, one transaction).
for i in 1 2 3 4 5; do
  echo "{\"timestamp\": \"2025-01-16T00:00:0${i}Z\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"organization_id\": \"org-2\", \"request_id\": \"n$i\", \"prompt_tokens\": 1000000, \"completion_tokens\": 0}"
done > c.ndjson
expect_output "5 priced, 0 unpriced" "$COST_OPS" ingest --file - --format ndjson --batch-size 2 < c.ndjson
expect_eq "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records WHERE organization_id = 'org-2'")" "12.5"

# Bad records: each reported with line and field; nothing of the file is written.
cat > bad.csv <<'CSV'
timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,total_tokens,cached_tokens
2025-01-17T00:00:00Z,openai,gpt-4o,org-3,100,10,110,0
2025-02-30T00:00:00Z,openai,gpt-4o,org-3,100,10,110,0
2025-01-17T00:00:00Z,openai,gpt-4o,org-3,abc,10,,0
2025-01-17T00:00:00Z,openai,gpt-4o,org-3,100,10,111,0
2025-01-17T00:00:00Z,openai,gpt-4o,org-3,100,10,,200
2025-01-17T00:00:00Z,openai,,org-3,100,10,,0
CSV
err=$("$COST_OPS" ingest --file bad.csv 2>&1) && fail "bad file accepted"
for expected in \
  "bad.csv:3 (record 2): timestamp: no such date" \
  "bad.csv:4 (record 3): prompt_tokens: expected a whole number, got \"abc\"" \
  "bad.csv:5 (record 4): total_tokens (111) differs from prompt_tokens + completion_tokens (100 + 10)" \
  "bad.csv:6 (record 5): cached_tokens (200) plus cache_write_tokens (0) exceed prompt_tokens (100)" \
  "bad.csv:7 (record 6): model: missing" \
  "5 of 6 records are invalid; nothing was written"; do
  echo "$err" | grep -qF "$expected" || fail "missing '$expected' in: $err"
done
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-3'")" 0
expect_failure "5 of 6 records are invalid" "$COST_OPS" ingest --file bad.csv --validate-only
# --on-error skip lands the good record and still exits non-zero.
"$COST_OPS" ingest --file bad.csv --on-error skip >/dev/null 2>&1 && fail "skip mode exit status"
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-3'")" 1

# Syntax errors name the line; unknown fields are reported.
printf '[{"timestamp": "2025-01-18T00:00:00Z",\n "provider": "openai" "model": "x"}]' > broken.json
expect_failure "broken.json:2: invalid JSON" "$COST_OPS" ingest --file broken.json
printf 'timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,colour\n2025-01-18T00:00:00Z,openai,gpt-4o,org-4,1,1,red\n' > extra.csv
expect_output "ignored unknown field 'colour' (1 record, first at extra.csv:2)" "$COST_OPS" ingest --file extra.csv
expect_failure "cannot open missing.csv" "$COST_OPS" ingest --file missing.csv
printf 'timestamp,provider,model,prompt_tokens,completion_tokens\n2025-01-18T00:00:00Z,openai,gpt-4o,1,1\n' > noorg.csv
"$COST_OPS" ingest --file noorg.csv --default-organization org-5 >/dev/null
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-5'")" 1
# Inputs that are not usage text are refused up front, naming the file.
mkdir adir
expect_failure "cannot read adir: it is a directory" "$COST_OPS" ingest --file adir
# gzip streams through: a .gz file (its format from the name under .gz), compressed standard
# input (format from the content), concatenated members; a truncated or corrupt file is
# refused, naming it, and nothing is written.
printf 'timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens\n2025-01-19T00:00:00Z,openai,gpt-4o,org-gz,gz-1,1000,500\n' | gzip > usage.csv.gz
expect_output "ingested 1 record from usage.csv.gz" "$COST_OPS" ingest --file usage.csv.gz
printf '{"timestamp": "2025-01-19T00:00:01Z", "provider": "openai", "model": "gpt-4o", "organization_id": "org-gz", "request_id": "gz-2", "prompt_tokens": 2000, "completion_tokens": 1000}\n' | gzip > a.gz
printf '{"timestamp": "2025-01-19T00:00:02Z", "provider": "openai", "model": "gpt-4o", "organization_id": "org-gz", "request_id": "gz-3", "prompt_tokens": 4000, "completion_tokens": 2000}\n' | gzip > b.gz
cat a.gz b.gz | "$COST_OPS" ingest --file - >/dev/null || fail "compressed standard input"
# By hand at 2.5 / 10: 1000 * 2.5 + 500 * 10 = 7500; 15000; 30000 -> 0.0525 in all.
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records WHERE organization_id = 'org-gz'")" \
  "3 0.0525" "gzip records and costs"
head -c 40 usage.csv.gz > truncated.csv.gz
expect_failure "truncated.csv.gz: not a valid gzip file: it ends in the middle of the data" \
  "$COST_OPS" ingest --file truncated.csv.gz
printf '\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03garbage-not-deflate' > corrupt.csv.gz
expect_failure "corrupt.csv.gz: not a valid gzip file: " "$COST_OPS" ingest --file corrupt.csv.gz
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE organization_id = 'org-gz'")" 3 "nothing written"
printf 'a,\0b\n1,2\n' > nul.csv
expect_failure "nul.csv:1: the header row contains a NUL byte" "$COST_OPS" ingest --file nul.csv
printf 'a,b\n1,"never closed ' > quote.csv
head -c 2000000 /dev/zero | tr '\0' 'x' >> quote.csv
expect_failure "quote.csv:2: a field runs past 1 MiB" "$COST_OPS" ingest --file quote.csv --validate-only
: > empty.csv
expect_failure "empty.csv:1: expected a CSV header row" "$COST_OPS" ingest --file empty.csv
: > empty.ndjson
expect_output "no records found in empty.ndjson" "$COST_OPS" ingest --file empty.ndjson
# A repeated key is ambiguous: a record error, not "the last one wins".
echo '{"timestamp": "2025-01-19T00:00:00Z", "provider": "openai", "model": "gpt-4o", "organization_id": "o", "prompt_tokens": 100, "prompt_tokens": 7, "completion_tokens": 1}' > dup.ndjson
expect_failure 'dup.ndjson:1 (record 1): invalid JSON: duplicate key "prompt_tokens"' "$COST_OPS" ingest --file dup.ndjson
printf 'timestamp,provider,model,organization_id,prompt_tokens,completion_tokens,metadata\n2025-01-19T00:00:00Z,openai,gpt-4o,o,1,1,{oops}\n' > meta.csv
expect_failure "meta.csv:2 (record 1): metadata: not valid JSON" "$COST_OPS" ingest --file meta.csv

# Ranges: one date is that whole day; a reversed range is an error.
expect_eq "$("$COST_OPS" query --range 2025-01-15 --output json | jq 'length')" 2 "one-day range"
expect_failure "ends before it starts" "$COST_OPS" query --range 2025-01-10..2025-01-01
echo "ok"
