#!/usr/bin/env bash
# Where the database is: --database-url, else DATABASE__URL, else [database] url of the
# config file (--config or ./cost-ops.toml); sqlite URLs get a clear error; --help teaches.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
url=$DATABASE__URL
unset DATABASE__URL

printf '[database]\nurl = "%s"\n' "$url" > cost-ops.toml
expect_eq "$("$COST_OPS" migrate status | awk '/^installed:/ {print $2}')" 1.6 "./cost-ops.toml"
mkdir other && printf '[database]\nurl = "%s"\n' "$url" > other/alt.toml && rm cost-ops.toml
expect_output "config file other/alt.toml" "$COST_OPS" --config other/alt.toml migrate status
expect_failure "config file nope.toml does not exist" "$COST_OPS" --config nope.toml migrate status
printf 'database_url = "x"\n' > old.toml
expect_failure "0.x format" "$COST_OPS" --config old.toml migrate status
printf '[database\n' > broken.toml
expect_failure "broken.toml, line 1" "$COST_OPS" --config broken.toml migrate status

DATABASE__URL=$url expect_output "(DATABASE__URL)" "$COST_OPS" --config other/alt.toml migrate status
DATABASE__URL=postgresql://nobody@/none?host=/nonexistent \
  expect_output "(--database-url)" "$COST_OPS" --database-url "$url" migrate status

DATABASE_URL=$url expect_output "warning: DATABASE_URL is ignored" "$COST_OPS" --config other/alt.toml migrate status
expect_failure "sqlite databases are not supported" "$COST_OPS" init --database-url sqlite:cost-ops.db
err=$("$COST_OPS" --database-url "postgresql://u:secret@/x?host=/nonexistent" init 2>&1) && fail "bad url"
echo "$err" | grep -q "u:\*\*\*@" || fail "password not redacted: $err"
[ "$(echo "$err" | wc -l)" -le 2 ] || fail "error should be one line: $err"

# A database still at 1.0: commands say how to update it; migrate status shows the path and
# migrate run takes it, keeping the data.
old_db="${db}_v10"
psql -X -q -d postgres -c "CREATE DATABASE \"$old_db\"" >/dev/null
trap 'psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1; psql -X -q -d postgres -c "DROP DATABASE IF EXISTS \"$old_db\"" >/dev/null 2>&1; rm -rf "$tmp"' EXIT
psql -X -q -d "$old_db" -c "SET client_min_messages = warning; CREATE EXTENSION llm_cost_ops VERSION '1.0' CASCADE" >/dev/null
psql -X -q -d "$old_db" -c "INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price) VALUES ('openai', 'gpt-4o', 2.5, 10)" >/dev/null
old_url="postgresql://postgres@/$old_db?host=$PGHOST&port=$PGPORT"
expect_failure "is version 1.0, this cost-ops needs 1.6: run 'cost-ops migrate run'" \
  "$COST_OPS" --database-url "$old_url" pricing list
expect_output "pending:   1.0--1.1--1.2--1.3--1.4--1.5--1.6" "$COST_OPS" --database-url "$old_url" migrate status
expect_output "updated llm_cost_ops from 1.0 to 1.6" "$COST_OPS" --database-url "$old_url" migrate run
expect_output "llm_cost_ops is up to date (version 1.6)" "$COST_OPS" --database-url "$old_url" migrate run
expect_output ",gpt-4o,-infinity," "$COST_OPS" --database-url "$old_url" pricing list --output csv

expect_output "cost-ops 1.6.0 (llm_cost_ops extension 1.6)" "$COST_OPS" --version
for cmd in init "migrate run" "migrate status" "local start" "pricing add" "pricing list" \
           "pricing import" ingest query summary export; do
  # shellcheck disable=SC2086
  expect_output "Usage:" "$COST_OPS" $cmd --help
done
expect_failure "frobnicate" "$COST_OPS" frobnicate
echo "ok"
