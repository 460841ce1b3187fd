#!/usr/bin/env bash
# The extension's roles through cost-ops: a cost_ops_writer login ingests (rows priced, a bad
# record kept as a reject) but cannot change prices; a cost_ops_reader login summarizes and
# lists rejects without their raw input but cannot ingest; a cost_ops_admin login sets prices,
# reprices and reads rejects whole. Each refusal is one line naming the roles.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
suffix=$$
reader=regress_cli_reader_$suffix writer=regress_cli_writer_$suffix admin=regress_cli_admin_$suffix
psql -X -q -d postgres -c "CREATE ROLE $reader LOGIN IN ROLE cost_ops_reader" \
  -c "CREATE ROLE $writer LOGIN IN ROLE cost_ops_writer" -c "CREATE ROLE $admin LOGIN IN ROLE cost_ops_admin"
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" -c "DROP ROLE IF EXISTS $reader" -c "DROP ROLE IF EXISTS $writer" -c "DROP ROLE IF EXISTS $admin" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
as() {
    local role=$1
    shift
    DATABASE__URL="postgresql://$role@/$db?host=$PGHOST&port=$PGPORT" "$COST_OPS" "$@"
}

# The admin sets the price: 2.50 and 10 USD per million tokens.
as "$admin" pricing add --provider openai --model gpt-4o --input-price 2.50 --output-price 10 \
  --effective-date 2020-01-01 >/dev/null

# The writer ingests two records and one it cannot read (kept as a reject):
#   1000 * 2.5 + 100 * 10 = 3500 per 1M -> 0.0035; 2000 * 2.5 + 200 * 10 = 7000 -> 0.007.
cat >usage.csv <<'CSV'
timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens
2025-01-01T00:00:00Z,openai,gpt-4o,acme,r1,1000,100
2025-01-01T00:01:00Z,openai,gpt-4o,acme,r2,2000,200
2025-01-01T00:02:00Z,openai,gpt-4o,acme,r3,lots,200
CSV
# (It exits 1: a record was rejected; the others are stored.)
as "$writer" ingest --file usage.csv --on-error reject --quiet 2>ingest.err && fail "a rejected record went unreported"
grep -qF "prompt_tokens: expected a whole number" ingest.err || fail "the writer's ingest: $(cat ingest.err)"
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" \
  "2 0.0105" "the writer's rows, priced"
expect_eq "$(sql "SELECT run_by FROM cost_ops.ingest_runs")" "$writer" "the run's role"
expect_failure "cost_ops_admin also sets prices" \
  as "$writer" pricing add --provider openai --model gpt-4o --input-price 0 --output-price 0 \
  --effective-date 2024-01-01
out=$(as "$writer" pricing add --provider openai --model cheap --input-price 0 --output-price 0 2>&1) && fail "a writer added a price"
expect_eq "$(wc -l <<<"$out" | tr -d ' ')" "1" "one line: $out"

# A trap another role could plant in public (on everyone's search path): cost-ops' own SQL
# never resolves to it (each connection sets search_path = pg_catalog, pg_temp).
sql "CREATE FUNCTION public.to_char(date, text) RETURNS text LANGUAGE plpgsql AS \$\$BEGIN RAISE EXCEPTION 'hijacked'; END\$\$" >/dev/null
expect_output "0.0105" as "$reader" summary --group-by day --range 2025-01-01
sql "DROP FUNCTION public.to_char(date, text)" >/dev/null

# The reader summarizes and lists the reject without its raw input; it cannot ingest.
expect_output "0.0105" as "$reader" summary --range 2025-01-01
out=$(as "$reader" rejects list --output csv 2>reader.err)
grep -q "invalid,prompt_tokens" <<<"$out" || fail "the reader's rejects list: $out"
grep -qF "lots" <<<"$out" && fail "the reader saw the refused value in the reason: $out"
grep -qF '"request_id":"r3"' <<<"$out" && fail "the reader saw the raw input: $out"
grep -qF "reasons and raw input not shown" reader.err || fail "no note of the hidden raw input: $(cat reader.err)"
expect_failure "may not read rejects' raw input" as "$reader" rejects list --raw
expect_failure "permission denied" as "$reader" ingest --file usage.csv --quiet
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" "2" "nothing stored by the reader"

# The admin reads the reject whole and reprices after a correction (input 2.5 -> 5):
#   1000 * 5 + 100 * 10 = 6000 -> 0.006; 2000 * 5 + 200 * 10 = 12000 -> 0.012.
expect_output '"prompt_tokens":"lots","provider":"openai","request_id":"r3"' as "$admin" rejects list --raw
sql "UPDATE cost_ops.pricing_tables SET input_price = 5" >/dev/null
as "$admin" reprice --range 2025-01-01 --reason "price corrected" >/dev/null \
  || fail "the admin's reprice failed"
expect_eq "$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "0.018" "repriced"
# Tenant isolation: the writer mapped to acme ingests acme's records (through the staging
# table: PostgreSQL refuses COPY under row security); globex's record is refused by name and,
# with --on-error reject, kept as a reject; the writer then sees acme's spend only.
sql "SELECT count(*) FROM cost_ops.enable_tenant_isolation()" >/dev/null
sql "INSERT INTO cost_ops.tenant_members VALUES ('$writer', 'acme')" >/dev/null
cat >tenants.csv <<'CSV'
timestamp,provider,model,organization_id,request_id,prompt_tokens,completion_tokens
2025-01-02T00:00:00Z,openai,gpt-4o,acme,t1,1000,100
2025-01-02T00:01:00Z,openai,gpt-4o,globex,t2,1000,100
CSV
expect_failure 'tenants.csv:3 (record 2): the database refused the record: organization_id "globex" is not an organization of this role' \
  as "$writer" ingest --file tenants.csv
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records WHERE request_id LIKE 't%'")" "0" "nothing written in abort mode"
as "$writer" ingest --file tenants.csv --on-error reject --quiet 2>/dev/null && fail "the foreign record went unreported"
expect_eq "$(sql "SELECT string_agg(organization_id || ' ' || request_id, ',') FROM cost_ops.usage_records WHERE request_id LIKE 't%'")" \
  "acme t1" "acme's record stored, globex's not"
# 0.006 + 0.012 (repriced above) + 1000 * 5 + 100 * 10 = 6000 -> 0.006: 0.024 for acme.
expect_output "0.024" as "$writer" summary
expect_eq "$(as "$writer" summary --output csv | grep -c globex || true)" "0" "no globex in the writer's summary"
sql "SELECT count(*) FROM cost_ops.disable_tenant_isolation()" >/dev/null

# The writer fixes its reject (the raw text corrected: 3000 prompt tokens) and retries it:
# 3000 * 5 + 200 * 10 = 17000 per 1M -> 0.017.
expect_output '"prompt_tokens":"lots"' as "$writer" rejects list --raw --run 1
sql "UPDATE cost_ops.ingest_rejects SET raw = replace(raw, '\"lots\"', '\"3000\"') WHERE run_id = 1" >/dev/null
expect_output "stored" as "$writer" rejects retry --run 1
expect_eq "$(sql "SELECT total_cost FROM cost_ops.usage_records WHERE request_id = 'r3'")" "0.017" "r3 retried"
echo "ok"
