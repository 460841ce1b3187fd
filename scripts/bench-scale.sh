#!/usr/bin/env bash
# make bench-scale: what summaries cost over SCALE_ROWS (default 100,000,000) usage rows on
# this machine, from the daily rollup (cost_ops.daily_costs) and from the rows themselves, and
# that both give byte-identical output. Not a test and not part of make bench (the load alone
# takes a quarter of an hour here): run it on its own.
#
# Starts a private server, makes monthly partitions for 2024-01 .. 2026-12, and generates the
# rows in SQL, 1,000,000 per statement, as a bulk load does it (README "Scaling out"): the
# rollup's insert trigger off, then cost_ops.rebuild_daily_costs() once. One request every
# 0.92 s from 2024-01-01 to 2026-12-03, six models, 20 organizations, 50 projects, 1,000 users,
# token counts from fixed hashes of the row number. Costs are computed exactly by the same SQL
# (numeric -> cost, no float) with the pricing trigger off: pricing is what make bench measures.
# Each summary then runs from the rollup (twice: the second is printed) and summing the rows
# (once: a hundred million rows do not stay in this machine's memory, so a second pass would
# not be warmer), and both outputs are compared byte for byte.
#
# Environment: SCALE_ROWS, SCALE_PORT (default 54343).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
rows=${SCALE_ROWS:-100000000}
port=${SCALE_PORT:-54343}
chunk=1000000
for v in "$rows" "$port"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench-scale: '$v' is not a positive integer" >&2; exit 2; }
done
cost_ops=$repo/${BUILD_DIR:-build}/cost-ops

# Prints a progress line on stderr (the results go to stdout).
say() { printf 'bench-scale: %s\n' "$*" >&2; }

scripts/install-deps.sh
make -s -j2 >/dev/null
make -s install >/dev/null

work=$(mktemp -d /tmp/cost-ops-scale.XXXXXX)
chmod 755 "$work"
# Stops and removes the private server and its data.
cleanup() {
    "$repo/scripts/pg-server.sh" destroy "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
read -r host port < <(scripts/pg-server.sh start "$work/pg" "$port")
export PGHOST=$host PGPORT=$port PGUSER=postgres PGDATABASE=scale PGTZ=UTC
url="postgresql://postgres@/scale?host=$host&port=$port"

# Runs psql on the scale database: no psqlrc, quiet, stop at the first error.
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

sql -d postgres -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
sql -d postgres -c "CREATE DATABASE scale"
sql -c "SET client_min_messages = warning" -c "CREATE EXTENSION llm_cost_ops CASCADE"
sql -c "SELECT count(*) FROM cost_ops.create_partitions('2026-12-31', '2024-01-01')" >/dev/null
# Six models with their list prices (USD per million tokens).
sql <<'SQL'
CREATE TABLE public.scale_models (n int PRIMARY KEY, provider text, model text, input numeric,
                                  output numeric, pricing_id bigint);
INSERT INTO public.scale_models (n, provider, model, input, output) VALUES
    (0, 'openai', 'gpt-4o', 2.50, 10), (1, 'openai', 'gpt-4o-mini', 0.15, 0.60),
    (2, 'anthropic', 'claude-sonnet-4', 3, 15), (3, 'anthropic', 'claude-haiku-3.5', 0.80, 4),
    (4, 'google', 'gemini-2.5-pro', 1.25, 10), (5, 'google', 'gemini-2.5-flash', 0.30, 2.50);
INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
SELECT provider, model, input, output FROM public.scale_models;
UPDATE public.scale_models AS m SET pricing_id = p.id
  FROM cost_ops.pricing_tables AS p WHERE p.provider = m.provider AND p.model = m.model;
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER price_usage_record;
ALTER TABLE cost_ops.usage_records DISABLE TRIGGER usage_records_inserted;
SQL

say "generating $rows rows ($chunk per statement)"
load_start=$(date +%s.%N)
for ((from = 1; from <= rows; from += chunk)); do
    to=$((from + chunk - 1 < rows ? from + chunk - 1 : rows))
    sql <<SQL
INSERT INTO cost_ops.usage_records ("timestamp", provider, model, organization_id, project_id,
    user_id, prompt_tokens, completion_tokens, total_tokens, input_cost, output_cost,
    total_cost, pricing_id, price_match)
SELECT t, m.provider, m.model, 'org-' || i % 20, 'project-' || i % 50, 'user-' || i % 1000,
       p, c, p + c, (p * m.input / 1000000)::cost_ops.cost,
       (c * m.output / 1000000)::cost_ops.cost,
       ((p * m.input + c * m.output) / 1000000)::cost_ops.cost, m.pricing_id, 'exact'
  FROM generate_series($from::bigint, $to::bigint) AS i,
       LATERAL (SELECT timestamptz '2024-01-01 00:00:00+00' + i * interval '921888 microseconds' AS t,
                       100 + (i * 7919) % 4000 AS p, 10 + (i * 104729) % 800 AS c) AS v,
       public.scale_models AS m
 WHERE m.n = (i * 31) % 6;
SQL
    if (( (to / chunk) % 10 == 0 )); then say "$to rows"; fi
done
load_s=$(echo "$(date +%s.%N) - $load_start" | bc)
say "rebuilding the rollup"
rebuild_start=$(date +%s.%N)
sql -c "ALTER TABLE cost_ops.usage_records ENABLE TRIGGER usage_records_inserted" \
    -c "SELECT cost_ops.rebuild_daily_costs()" >/dev/null
rebuild_s=$(echo "$(date +%s.%N) - $rebuild_start" | bc)
sql -c "VACUUM ANALYZE cost_ops.usage_records" -c "VACUUM ANALYZE cost_ops.daily_costs"
sql -c "CHECKPOINT"
size=$(sql -Atc "SELECT pg_size_pretty(sum(pg_total_relation_size(partition))) FROM cost_ops.partitions()")
rollup_rows=$(sql -Atc "SELECT count(*) FROM cost_ops.daily_costs")

# Seconds one cost-ops summary takes, its output in $work/$1.out.
timed_summary() {
    local name=$1
    shift
    local start
    start=$(date +%s.%N)
    "$cost_ops" --database-url "$url" summary "$@" >"$work/$name.out"
    echo "$(date +%s.%N) - $start" | bc
}

printf '\n%s rows (%s on disk), loaded in %.0f s (%.0f rows/s); rollup rebuilt in %.0f s: %s rows\n' \
    "$rows" "$size" "$load_s" "$(echo "$rows / $load_s" | bc)" "$rebuild_s" "$rollup_rows"
printf '%-52s %12s %12s %s\n' "summary" "rollup (s)" "rows (s)" "same output"
# Each summary from the rollup, then the same over the rows (a range bound with a time reads
# the rows).
for case in "--group-by day,model|" "--group-by organization,project --range this-month|" \
            "--group-by model --range 2025-01-01..2025-12-31|"; do
    args=${case%|}
    raw_args="$args"
    case "$args" in
        *--range\ this-month*) raw_args=${args/--range this-month/--range $(date -u +%Y-%m-01)T00:00:00Z..} ;;
        *--range\ 2025-01-01..2025-12-31*) raw_args=${args/2025-01-01..2025-12-31/2025-01-01T00:00:00Z..2026-01-01T00:00:00Z} ;;
        *) raw_args="$args --range 1970-01-01T00:00:00Z.." ;;
    esac
    for pass in 1 2; do r=$(eval timed_summary rollup $args --output csv); done
    w=$(eval timed_summary rows $raw_args --output csv)
    same=no
    cmp -s "$work/rollup.out" "$work/rows.out" && same=yes
    printf '%-52s %12.3f %12.3f %s\n' "$args" "$r" "$w" "$same"
done
