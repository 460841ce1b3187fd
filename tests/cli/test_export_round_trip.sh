#!/usr/bin/env bash
# Exports round-trip: every importer fixture plus records without request ids, unpriced ones and
# ones with metadata, latency and service tiers, exported as JSON (and NDJSON, CSV) and ingested
# into an empty database priced the same way, export to identical files, every cost exact. The
# FOCUS export has one row per record and its BilledCost adds up, exactly, to the stored total.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
fixtures=$REPO/tests/fixtures/usage
source "$fixtures/prices.sh"
add_fixture_prices >/dev/null
for dir in "$fixtures"/*/; do
  read -r -a args < "$dir/command"
  (cd "$dir" && "$COST_OPS" ingest --quiet "${args[@]}")
done
cat > more.ndjson <<'JSON'
{"timestamp": "2025-06-01T10:00:00.123456+02:00", "provider": "openai", "model": "gpt-4o", "organization_id": "org-x", "prompt_tokens": 1234, "cached_tokens": 1000, "completion_tokens": 56, "service_tier": "batch", "latency_ms": 812, "metadata": {"team": "search", "cost_center": 42, "ratio": 0.125}}
{"timestamp": "2025-06-01T10:00:01Z", "provider": "openai", "model": "gpt-4o", "organization_id": "org-x", "project_id": "p", "user_id": "u", "prompt_tokens": 10, "completion_tokens": 5}
{"timestamp": "2025-06-01T10:00:02Z", "provider": "openai", "model": "no-such-model", "organization_id": "org-x", "request_id": "unpriced-1", "prompt_tokens": 10, "completion_tokens": 5}
JSON
"$COST_OPS" ingest --quiet --file more.ndjson
records=$(sql "SELECT count(*) FROM cost_ops.usage_records")
total=$(sql "SELECT cost_ops.sum(total_cost) FROM cost_ops.usage_records")
for format in json ndjson csv; do "$COST_OPS" export --output "first.$format" >/dev/null; done
# An export ingested into the database it came from adds nothing, records without a request id
# included (their identity is their stored content, however the source spelled it).
expect_output "ingested 0 records" "$COST_OPS" ingest --file first.json --on-error reject
expect_eq "$(sql "SELECT count(*) FROM cost_ops.usage_records")" "$records" "records after ingesting the export again"
"$COST_OPS" export --format focus --output focus.csv >/dev/null

# Into an empty database with the same prices.
first_db=$db
db="${first_db}_copy"
psql -X -q -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$first_db\"" -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
export DATABASE__URL="postgresql://postgres@/$db?host=$PGHOST&port=$PGPORT"
"$COST_OPS" init >/dev/null
add_fixture_prices >/dev/null
"$COST_OPS" ingest --quiet --file first.json 2>/dev/null
for format in json ndjson csv; do
  "$COST_OPS" export --output "second.$format" >/dev/null
  cmp "first.$format" "second.$format" || fail "the $format export differs after the round trip"
done
expect_eq "$(sql "SELECT count(*) || ' ' || cost_ops.sum(total_cost) FROM cost_ops.usage_records")" "$records $total" "records and total"
[ "$records" -ge 60 ] || fail "only $records records"

# FOCUS: loaded as numeric, the costs add up exactly; one row per record; the hour holds it.
expect_eq "$(head -1 focus.csv | cut -d, -f1-6)" "BilledCost,EffectiveCost,ListCost,ContractedCost,BillingCurrency,ChargePeriodStart" "FOCUS header"
sql "CREATE TABLE focus (billed numeric, effective numeric, currency text, period_start timestamptz, resource text, tags jsonb)" >/dev/null
positions=$(head -1 focus.csv | tr ',' '\n' | grep -nxE 'BilledCost|EffectiveCost|BillingCurrency|ChargePeriodStart|ResourceId|Tags' | cut -d: -f1 | tr '\n' ' ')
expect_eq "$positions" "1 2 5 6 20 26 " "FOCUS column positions (as the table below reads them)"
psql -X -q -d "$db" <<SQL >/dev/null
CREATE TEMP TABLE f (BilledCost numeric, EffectiveCost numeric, ListCost numeric, ContractedCost numeric, BillingCurrency text, ChargePeriodStart timestamptz, ChargePeriodEnd timestamptz, BillingPeriodStart timestamptz, BillingPeriodEnd timestamptz, ChargeCategory text, ChargeFrequency text, ChargeDescription text, ConsumedQuantity bigint, ConsumedUnit text, ProviderName text, PublisherName text, InvoiceIssuerName text, ServiceName text, ServiceCategory text, ResourceId text, ResourceType text, BillingAccountId text, SubAccountId text, SkuId text, SkuPriceId text, Tags jsonb, x1 bigint, x2 bigint, x3 bigint, x4 bigint, x5 bigint, x6 bigint, x7 numeric, x8 numeric, x9 text, x10 text, x11 bigint, x12 bigint);
\copy f FROM focus.csv CSV HEADER
INSERT INTO focus SELECT BilledCost, EffectiveCost, BillingCurrency, ChargePeriodStart, ResourceId, Tags FROM f;
SQL
expect_eq "$(sql "SELECT count(*) || ' ' || sum(billed)::text FROM focus")" "$records $(sql "SELECT cost_ops.sum(total_cost)::numeric FROM cost_ops.usage_records WHERE total_cost IS NOT NULL")" "FOCUS rows and BilledCost total"
expect_eq "$(sql "SELECT count(*) FROM focus WHERE billed IS NULL")" 1 "FOCUS rows without a cost (unpriced)"
expect_eq "$(sql "SELECT tags->>'team' || ' ' || (tags->>'cost_center') || ' ' || (tags->>'service_tier') FROM focus WHERE tags ? 'team'")" "search 42 batch" "FOCUS tags"
expect_eq "$(sql "SELECT period_start FROM focus WHERE tags ? 'team'")" "2025-06-01 08:00:00+00" "FOCUS charge period start"
echo "PASS: $records records round-tripped"
