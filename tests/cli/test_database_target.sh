#!/usr/bin/env bash
# Where the database is: --database-url, else DATABASE__URL, else [database] url of the
# config file (--config or ./cost-ops.toml); sqlite URLs get a clear error; --help teaches.
source "$(dirname "$0")/lib.sh"
new_database
cd "$tmp"
url=$DATABASE__URL
unset DATABASE__URL

printf '[database]\nurl = "%s"\n' "$url" > cost-ops.toml
expect_eq "$("$COST_OPS" migrate status | awk '/^installed:/ {print $2}')" 1.0 "./cost-ops.toml"
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

expect_output "cost-ops 1.0.0" "$COST_OPS" --version
for cmd in init "migrate run" "migrate status" "local start" "pricing add" "pricing list" \
           "pricing import" ingest query summary export; do
  # shellcheck disable=SC2086
  expect_output "Usage:" "$COST_OPS" $cmd --help
done
expect_failure "frobnicate" "$COST_OPS" frobnicate
echo "ok"
