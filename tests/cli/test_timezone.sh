#!/usr/bin/env bash
# --timezone: ranges and summary's day/month/hour buckets in a zone's local time, across day
# boundaries and DST changes; output timestamps stay UTC; unknown zones are refused.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
"$COST_OPS" pricing add --provider openai --model gpt-4o --input-price 2.5 --output-price 10 \
  --effective-date 2024-01-01 >/dev/null

# Prints an NDJSON usage record for organization $1, request $2, at UTC time $3.
record() {
  echo "{\"timestamp\": \"$3\", \"provider\": \"openai\", \"model\": \"gpt-4o\", \"organization_id\": \"$1\", \"request_id\": \"$2\", \"prompt_tokens\": 100, \"completion_tokens\": 10}"
}

# Around 2025-03-30, when Europe/Paris goes from +01:00 to +02:00 (a 23-hour day); New York is
# already on -04:00 and Kolkata is +05:30 all year.
{
  record mar a 2025-03-29T22:59:59Z  # Paris 03-29 23:59:59 (CET)
  record mar b 2025-03-29T23:00:00Z  # Paris 03-30 00:00
  record mar c 2025-03-30T21:59:59Z  # Paris 03-30 23:59:59 (CEST)
  record mar d 2025-03-30T22:00:00Z  # Paris 03-31 00:00
  record mar e 2025-03-30T23:30:00Z  # Paris 03-31 01:30
  record mar f 2025-03-31T03:59:59Z  # New York 03-30 23:59:59
  record mar g 2025-03-31T04:00:00Z  # New York 03-31 00:00
  record mar h 2025-03-31T18:29:59Z  # Kolkata 03-31 23:59:59
  record mar i 2025-03-31T18:30:00Z  # Kolkata 04-01 00:00
  # 2025-10-26, when Paris goes back from +02:00 to +01:00: 25 hours, 02:00-03:00 twice.
  record oct j 2025-10-25T22:00:00Z  # Paris 10-26 00:00 (CEST)
  record oct k 2025-10-26T00:30:00Z  # Paris 02:30 CEST
  record oct l 2025-10-26T01:30:00Z  # Paris 02:30 CET
  record oct m 2025-10-26T22:59:59Z  # Paris 10-26 23:59:59 (CET)
  record oct n 2025-10-26T23:00:00Z  # Paris 10-27 00:00
} > usage.ndjson
expect_output "14 priced, 0 unpriced" "$COST_OPS" ingest --file usage.ndjson

# "bucket count" lines of a summary grouped by $1 over organization $2 in zone $3.
buckets() {
  "$COST_OPS" summary --group-by "$1" --organization "$2" --timezone "$3" --output csv |
    awk -F, 'NR > 1 {printf "%s %s;", $1, $2}'
}
expect_eq "$(buckets day mar UTC)" "2025-03-29 2;2025-03-30 3;2025-03-31 4;" "UTC days"
expect_eq "$("$COST_OPS" summary --group-by day --organization mar --output csv |
  awk -F, 'NR > 1 {printf "%s %s;", $1, $2}')" "$(buckets day mar UTC)" "UTC is the default"
expect_eq "$(buckets day mar Europe/Paris)" "2025-03-29 1;2025-03-30 2;2025-03-31 6;" "Paris days"
expect_eq "$(buckets day mar America/New_York)" "2025-03-29 2;2025-03-30 4;2025-03-31 3;" \
  "New York days"
expect_eq "$(buckets day mar Asia/Kolkata)" "2025-03-30 2;2025-03-31 6;2025-04-01 1;" "Kolkata days"
expect_eq "$(buckets month mar Asia/Kolkata)" "2025-03 8;2025-04 1;" "Kolkata months"
expect_eq "$(buckets month mar America/New_York)" "2025-03 9;" "New York months"
expect_eq "$(buckets day oct Europe/Paris)" "2025-10-26 4;2025-10-27 1;" "Paris 25-hour day"
# Hours are labelled with their offset: the repeated 02:00 hour is two buckets, in time order.
expect_eq "$(buckets hour oct Europe/Paris)" \
  "2025-10-26T00:00+02:00 1;2025-10-26T02:00+02:00 1;2025-10-26T02:00+01:00 1;2025-10-26T23:00+01:00 1;2025-10-27T00:00+01:00 1;" \
  "Paris hours when clocks go back"
expect_eq "$(buckets hour oct UTC)" \
  "2025-10-25T22:00+00:00 1;2025-10-26T00:00+00:00 1;2025-10-26T01:00+00:00 1;2025-10-26T22:00+00:00 1;2025-10-26T23:00+00:00 1;" \
  "UTC hours"
expect_eq "$("$COST_OPS" summary --group-by hour --period 2025-03-31 --timezone Asia/Kolkata \
  --output csv | awk -F, 'NR > 1 {printf "%s %s;", $1, $2}')" \
  "2025-03-31T03:00+05:30 2;2025-03-31T05:00+05:30 1;2025-03-31T09:00+05:30 2;2025-03-31T23:00+05:30 1;" \
  "Kolkata hours"
expect_eq "$(buckets hour mar America/New_York | cut -d';' -f1)" "2025-03-29T18:00-04:00 1" \
  "New York hour"

# request_ids of `query` with the given options, oldest first.
ids() {
  "$COST_OPS" query --output json "$@" | jq -r '[.[].request_id] | join(",")'
}
# A bare date is that local day: 23 hours in Paris on 2025-03-30, 25 on 2025-10-26.
expect_eq "$(ids --range 2025-03-30 --timezone Europe/Paris)" "b,c" "Paris 2025-03-30"
expect_eq "$(ids --range 2025-10-26 --timezone Europe/Paris)" "j,k,l,m" "Paris 2025-10-26"
expect_eq "$(ids --range 2025-03-30)" "c,d,e" "UTC 2025-03-30"
expect_eq "$(ids --range 2025-03-30 --timezone America/New_York)" "c,d,e,f" "New York 2025-03-30"
expect_eq "$(ids --range 2025-03-31 --timezone Asia/Kolkata)" "c,d,e,f,g,h" "Kolkata 2025-03-31"
# FROM..TO: zone-less bounds are local, TO dates include their local day, offsets are kept.
expect_eq "$(ids --range 2025-03-31..2025-04-01 --timezone Asia/Kolkata)" "c,d,e,f,g,h,i" \
  "Kolkata two days"
expect_eq "$(ids --range 2025-03-31T00:00:00..2025-03-31T01:30:00 --timezone Europe/Paris)" "d" \
  "Paris timestamps"
expect_eq "$(ids --range '2025-03-31T00:00:00Z..2025-03-31T04:00:00' --timezone America/New_York)" \
  "f,g" "explicit Z lower bound, New York upper bound"
expect_eq "$(ids --range '2025-03-30+02:00' --timezone Asia/Kolkata)" "a,b,c" \
  "a date with its own offset"
expect_eq "$(ids --range '..2025-03-29' --timezone Europe/Paris)" "a" "open FROM, Paris TO date"
# Output timestamps stay UTC.
expect_eq "$("$COST_OPS" query --range 2025-03-30 --timezone Europe/Paris --output json |
  jq -r '[.[].timestamp] | join(",")')" "2025-03-29T23:00:00Z,2025-03-30T21:59:59Z" "UTC output"
expect_eq "$("$COST_OPS" query --range 2025-03-30 --timezone Europe/Paris --output csv |
  awk -F, 'NR == 2 {print $1}')" "2025-03-29T23:00:00Z" "UTC csv output"

# export and reprice take the same options.
expect_eq "$("$COST_OPS" export --output - --format csv --range 2025-03-31 \
  --timezone Asia/Kolkata | wc -l)" 7 "export rows + header"
expect_output "repriced 2 records: 0 changed cost" \
  "$COST_OPS" reprice --range 2025-03-30 --timezone Europe/Paris
expect_output "repriced 4 records: 0 changed cost" \
  "$COST_OPS" reprice --range 2025-10-26 --timezone Europe/Paris --organization oct

# today, yesterday, this-month and last-month start at the zone's local midnights; records one
# second either side of today's and this month's start in Kolkata.
zone=Asia/Kolkata
today=$(date -u -d "TZ=\"$zone\" $(TZ=$zone date +%F) 00:00" +%s)
month=$(date -u -d "TZ=\"$zone\" $(TZ=$zone date +%Y-%m-01) 00:00" +%s)
utc() { date -u -d "@$1" +%FT%TZ; }
{
  record now-day before "$(utc $((today - 1)))"
  record now-day after "$(utc "$today")"
  record now-month before "$(utc $((month - 1)))"
  record now-month after "$(utc "$month")"
} > now.ndjson
"$COST_OPS" ingest --file now.ndjson >/dev/null
expect_eq "$(ids --range today --timezone $zone --organization now-day)" "after" "today"
expect_eq "$(ids --range yesterday --timezone $zone --organization now-day)" "before" "yesterday"
expect_eq "$(ids --range this-month --timezone $zone --organization now-month)" "after" \
  "this-month"
expect_eq "$(ids --range last-month --timezone $zone --organization now-month)" "before" \
  "last-month"
expect_eq "$("$COST_OPS" summary --group-by day --organization now-day --timezone $zone \
  --output csv | awk -F, 'NR > 1 {print $1}' | tail -1)" "$(TZ=$zone date +%F)" "today's bucket"
# last-N-* stay relative to now, whatever the zone.
expect_eq "$(ids --range last-30-days --timezone $zone --organization now-day)" \
  "$(ids --range last-30-days --organization now-day)" "last-30-days"

# Unknown zones (and POSIX strings, whose signs are reversed) are refused on one line.
for cmd in "query" "summary" "export --output -" "reprice"; do
  # shellcheck disable=SC2086
  expect_failure "unknown time zone 'Mars/Base': see pg_timezone_names" \
    "$COST_OPS" $cmd --timezone Mars/Base
done
err=$("$COST_OPS" query --range 2025-03-30 --timezone UTC+3 2>&1) && fail "UTC+3 accepted"
expect_eq "$err" "cost-ops: error: unknown time zone 'UTC+3': see pg_timezone_names" "one-line error"
expect_failure "ends before it starts" \
  "$COST_OPS" query --range 2025-03-31..2025-03-30T12:00 --timezone Europe/Paris
# Bounds with offsets are compared as instants: a second backwards is reversed, and so is
# 10:00+02:00 against 09:00Z (08:00Z..09:00Z reads forwards).
expect_failure "ends before it starts" \
  "$COST_OPS" query --range 2025-10-26T01:30:01Z..2025-10-26T01:30:00Z
expect_failure "ends before it starts" \
  "$COST_OPS" query --range 2025-10-26T12:00:00+02:00..2025-10-26T09:00:00Z
"$COST_OPS" query --range 2025-10-26T10:00:00+02:00..2025-10-26T09:00:00Z >/dev/null \
  || fail "an offset range that reads forwards"
expect_output "--timezone" "$COST_OPS" summary --help
expect_output "stay UTC (RFC 3339)" "$COST_OPS" query --help
echo "ok"
