#!/usr/bin/env bash
# Every importer fixture (tests/fixtures/usage/<source>/: an export following the source's
# published schema, the ingest arguments in `command`, and expected.csv worked out by hand in
# expected.md) ingested into a fresh database priced with tests/fixtures/usage/prices.sh: the
# stored records and their exact costs are expected.csv's, and a second ingest adds nothing.
source "$(dirname "$0")/lib.sh"
fixtures=$REPO/tests/fixtures/usage
source "$fixtures/prices.sh"
checked=0
for dir in "$fixtures"/*/; do
  name=$(basename "$dir")
  new_database
  add_fixture_prices >/dev/null
  read -r -a args < "$dir/command"
  (cd "$dir" && "$COST_OPS" ingest --quiet "${args[@]}") || fail "$name: ingest failed"
  actual=$(psql -X -q -d "$db" --csv -c "SELECT request_id, provider, model, prompt_tokens, cached_tokens, cache_write_tokens, completion_tokens, reasoning_tokens, total_cost FROM cost_ops.usage_records ORDER BY request_id COLLATE \"C\"")
  diff <(echo "$actual") "$dir/expected.csv" >&2 || fail "$name: stored records differ from expected.csv (< stored, > expected)"
  again=$(cd "$dir" && "$COST_OPS" ingest "${args[@]}" 2>&1) || fail "$name: second ingest failed: $again"
  grep -q "^ingested 0 records" <<<"$again" || fail "$name: the second ingest stored records: $again"
  if [ "$name" = langsmith ]; then
    # Its chain and tool runs are not usage: counted as such, not silently dropped.
    grep -q "4 source records are not usage" <<<"$again" || fail "langsmith: $again"
  fi
  rows=$(($(wc -l < "$dir/expected.csv") - 1))
  echo "$name: $rows records, costs as expected; ingesting again adds nothing"
  psql -X -q -d postgres -c "DROP DATABASE \"$db\"" >/dev/null
  checked=$((checked + 1))
done
[ "$checked" -ge 9 ] || fail "only $checked fixtures found"
echo "PASS: $checked importer fixtures"
