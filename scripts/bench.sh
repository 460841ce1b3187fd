#!/usr/bin/env bash
# make bench: benchmark RATIOS of LLM Cost Ops against its alternatives. Not a test: it prints
# a table and exits 0 whatever the ratios are (non-zero only when something breaks).
#
# Installs what is missing, builds and installs, starts a private PostgreSQL 15 server on its
# own temporary directory and port, generates the data there, and measures, round by round,
# each pair side by side (A B A B ...: this 2-core machine is shared and noisy, so a drift
# hits both sides of a pair alike):
#
#   1. COPY into cost_ops.usage_records, priced by the C trigger, vs the same COPY with the
#      trigger disabled
#   2. a priced COPY into a plain table vs the same COPY into the same table priced by a
#      PL/pgSQL trigger doing the same lookup and formula on numeric (bench/plpgsql_pricing.sql),
#      on BENCH_PLPGSQL_ROWS rows
#   3. cost-ops ingest --file F.csv vs psql \copy of F.csv, trigger on (and cost-ops' peak RSS)
#   4. sum and avg over cost_ops.cost vs numeric vs bigint, serial and parallel
#   5. cost-ops summary --group-by day,model over the big load vs the same SQL on a numeric
#      copy of the table
#   6. once: the backend's memory during one priced COPY of BENCH_BIG_ROWS rows (before/after)
#   7. a priced COPY of BENCH_PLPGSQL_ROWS rows with 10 price rows (those of the rows' models)
#      vs 10,000 (the same and 9,990 others), each in a database of its own (bench_small,
#      bench_large)
#   8. the priced COPY into cost_ops.usage_records (monthly partitions, the daily rollup kept)
#      vs the same COPY into a plain table shaped as 1.3 had it (what scale costs)
#
# and prints, per ratio, the median over the rounds, the min-max spread, the target and
# PASS/MISS, then the absolute medians.
#
# Environment: BENCH_ROWS (usage rows, default 1000000), BENCH_AGG_ROWS (aggregate rows,
# default 8000000), BENCH_BIG_ROWS (the one big COPY, then summarized; default 10000000),
# BENCH_PLPGSQL_ROWS (pairs 2 and 7: the first rows of the usage file; default a quarter of
# BENCH_ROWS, which keeps the whole run under 15 minutes: the PL/pgSQL side is the slowest of
# all), BENCH_ROUNDS (default 3), BENCH_PORT (default 54341). A quick run:
#   BENCH_ROWS=100000 BENCH_AGG_ROWS=1000000 BENCH_BIG_ROWS=1000000 BENCH_ROUNDS=3 make bench
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
shared=$(cd .. && pwd)/shared
traces=$shared/data/usage/azure-llm-trace-2023
prices=$shared/data/pricing/genai-prices/data.json
cost_ops=$repo/${BUILD_DIR:-build}/cost-ops

rows=${BENCH_ROWS:-1000000}
agg_rows=${BENCH_AGG_ROWS:-8000000}
big_rows=${BENCH_BIG_ROWS:-10000000}
part_rows=${BENCH_PLPGSQL_ROWS:-$((rows / 4 > 0 ? rows / 4 : 1))}
rounds=${BENCH_ROUNDS:-3}
port=${BENCH_PORT:-54341}
for v in "$rows" "$agg_rows" "$big_rows" "$part_rows" "$rounds" "$port"; do
    [[ $v =~ ^[1-9][0-9]*$ ]] || { echo "bench: '$v' is not a positive integer" >&2; exit 2; }
done
for f in "$prices" "$traces/AzureLLMInferenceTrace_conv.csv" "$traces/AzureLLMInferenceTrace_code.csv"; do
    [ -f "$f" ] || { echo "bench: $f not found (../shared must be beside the checkout)" >&2; exit 1; }
done

# Prints a progress line on stderr (the table goes to stdout).
say() { printf 'bench: %s\n' "$*" >&2; }

say "installing what is missing, building, installing"
scripts/install-deps.sh
if [ ! -x /usr/bin/time ]; then  # GNU time, for the peak RSS of cost-ops ingest
    sudo=""
    [ "$(id -u)" = 0 ] || sudo="sudo"
    $sudo apt-get install -y -qq --no-install-recommends time >/dev/null
fi
make -s -j2 >/dev/null
make -s install >/dev/null

work=$(mktemp -d /tmp/cost-ops-bench.XXXXXX)
chmod 755 "$work"  # the server runs as postgres: it must reach its data directory and our files
data=$work/data
mkdir -p "$data"
chmod 755 "$data"
# Stops and removes the private server, then the generated files.
cleanup() {
    "$repo/scripts/pg-server.sh" destroy "$work/pg" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

read -r host port < <(scripts/pg-server.sh start "$work/pg" "$port")
export PGHOST=$host PGPORT=$port PGUSER=postgres PGDATABASE=bench
export PGTZ=UTC  # the usage CSV has no zone: UTC, as cost-ops reads it
url="postgresql://postgres@/bench?host=$host&port=$port"
say "private server on socket $host port $port, files in $work"

# Runs psql on the bench database: no psqlrc, quiet, stop at the first error.
sql() { psql -X -q -v ON_ERROR_STOP=1 "$@"; }

# Runs the cost-ops CLI on the bench database, from the temp dir (no ./cost-ops.toml there).
cli() { (cd "$work" && "$cost_ops" --database-url "$url" "$@"); }

# Autovacuum would wake up on the freshly loaded tables in the middle of a measurement.
sql -d postgres -c "ALTER SYSTEM SET autovacuum = off" -c "SELECT pg_reload_conf()" >/dev/null
sql -d postgres -c "CREATE DATABASE bench"
cli init >/dev/null
cli pricing import --format genai-prices "$prices" | tail -1 >&2
sql -c "ANALYZE cost_ops.pricing_tables"  # what autovacuum would have done after the import
# Monthly partitions for every row generated below (Nov 2023 on), as a user makes them ahead.
sql -c "SELECT count(*) FROM cost_ops.create_partitions('2025-01-31', '2023-11-01')" >/dev/null
# Pair 8's plain table: usage_records as 1.3 had it (one table, the same columns, checks,
# identity and BRIN indexes and pricing trigger; no partitions, no rollup).
sql <<'SQL'
CREATE SCHEMA bench;
CREATE TABLE bench.usage_records_flat (LIKE cost_ops.usage_records INCLUDING DEFAULTS
    INCLUDING CONSTRAINTS INCLUDING IDENTITY INCLUDING STORAGE);
ALTER TABLE bench.usage_records_flat ADD PRIMARY KEY (id),
    ADD UNIQUE (request_id, organization_id, provider);
CREATE UNIQUE INDEX ON bench.usage_records_flat (record_key) WHERE record_key IS NOT NULL;
CREATE INDEX ON bench.usage_records_flat USING brin ("timestamp");
CREATE TRIGGER price_usage_record BEFORE INSERT ON bench.usage_records_flat
    FOR EACH ROW EXECUTE FUNCTION cost_ops.price_usage_record();
SQL
sql -f bench/plpgsql_pricing.sql 2>&1 | { grep -v 'does not exist, skipping' || true; } >&2

# ------------------------------------------------------------------------------------------
# Data: the Azure traces (28,185 requests) as usage CSV, repeated to $rows rows. Repetition k
# shifts every timestamp by k days (the traces span one hour of one day, so repetitions never
# overlap) and suffixes the request_id with -k, so (provider, organization_id, request_id)
# stays unique. Same input, same file, on every run.
# ------------------------------------------------------------------------------------------
say "generating $rows usage rows"
awk -F, -v service=conv -v header=1 -f demo/azure_to_usage.awk \
    "$traces/AzureLLMInferenceTrace_conv.csv" >"$data/base.csv"
awk -F, -v service=code -f demo/azure_to_usage.awk \
    "$traces/AzureLLMInferenceTrace_code.csv" >>"$data/base.csv"
# mktime/strftime in UTC: "YYYY-MM-DD hh:mm:ss.fffffff" + k days.
TZ=UTC awk -F, -v n="$rows" '
    NR == 1 { print; next }
    {
        base[++m] = $0
        s = $1
        epoch[m] = mktime(substr(s, 1, 4) " " substr(s, 6, 2) " " substr(s, 9, 2) " " \
                          substr(s, 12, 2) " " substr(s, 15, 2) " " substr(s, 18, 2))
        if (epoch[m] < 0) { print "bench: bad timestamp " s > "/dev/stderr"; exit 1 }
        frac[m] = substr(s, 20)
    }
    END {
        out = 0
        for (k = 0; out < n; k++) {
            for (i = 1; i <= m && out < n; i++) {
                split(base[i], f, ",")
                line = strftime("%Y-%m-%d %H:%M:%S", epoch[i] + k * 86400) frac[i]
                for (j = 2; j <= 10; j++) line = line "," (j == 7 ? f[j] "-" k : f[j])
                print line
                out++
            }
        }
    }' "$data/base.csv" >"$data/usage.csv"
head -n 1001 "$data/usage.csv" >"$data/warmup.csv"
chmod 644 "$data"/*.csv
[ "$(($(wc -l <"$data/usage.csv") - 1))" = "$rows" ] || { echo "bench: usage.csv is short" >&2; exit 1; }
[ "$part_rows" -le "$rows" ] || { echo "bench: BENCH_PLPGSQL_ROWS is over BENCH_ROWS" >&2; exit 2; }
head -n "$((part_rows + 1))" "$data/usage.csv" >"$data/part.csv"
chmod 644 "$data/part.csv"

cols='"timestamp", provider, model, organization_id, project_id, user_id, request_id,'
cols+=' prompt_tokens, completion_tokens, total_tokens'
copy_opts="WITH (FORMAT csv, HEADER)"

# The aggregate table: the same amounts as cost, numeric and bigint nano-USD, side by side in
# one table so that every aggregate scans the same pages. Amounts from 1e-9 to 0.05 USD with 9
# fractional digits, like real per-request costs; frozen and analyzed once, never rewritten.
say "building bench.agg ($agg_rows rows)"
sql <<SQL
CREATE TABLE bench.agg (
    total_cost cost_ops.cost NOT NULL,
    total_cost_numeric numeric NOT NULL,
    total_cost_nanos bigint NOT NULL
);
INSERT INTO bench.agg (total_cost, total_cost_numeric, total_cost_nanos)
SELECT cost_ops.cost(v.nanos * 0.000000001), v.nanos * 0.000000001, v.nanos
  FROM (SELECT i * 2654435761 % 50000000 + 1 AS nanos
          FROM generate_series(1::bigint, $agg_rows) AS i) AS v;
VACUUM (FREEZE, ANALYZE) bench.agg;
SQL
check=$(sql -At -c "SELECT cost_ops.to_numeric(cost_ops.sum(total_cost)) = sum(total_cost_numeric)
                       AND sum(total_cost_numeric) = sum(total_cost_nanos) * 0.000000001
                      FROM bench.agg")
[ "$check" = t ] || { echo "bench: the three columns of bench.agg do not sum alike" >&2; exit 1; }

# ------------------------------------------------------------------------------------------
# Pair 7's price lists. The price rows of the models the traces' rows are priced as (every
# row of those models, all their periods), with every alias, match rule and fallback of the
# import, so both databases resolve names alike; then models of no row, one price row each,
# up to 10 rows in bench_small and 10,000 in bench_large.
# ------------------------------------------------------------------------------------------
book_small=10
book_large=10000
say "building bench_small and bench_large ($book_small and $book_large price rows)"
# The insertable columns of a cost_ops table (not the identity), as a column list.
insert_columns() {
    sql -At -c "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY ordinal_position)
                  FROM information_schema.columns
                 WHERE table_schema = 'cost_ops' AND table_name = '$1' AND is_identity = 'NO'"
}
# Replaces the rows of cost_ops.$1 in database $2 (the extension's own, as created) by those
# of bench matching the condition $3.
copy_rows() {
    local columns
    columns=$(insert_columns "$1")
    sql -d "$2" -c "DELETE FROM cost_ops.$1"
    sql -c "COPY (SELECT $columns FROM cost_ops.$1 WHERE $3 ORDER BY 1, 2) TO STDOUT" \
        | sql -d "$2" -c "COPY cost_ops.$1 ($columns) FROM STDIN"
}
# Adds to database $1 models of no usage row until it has $2 price rows.
pad_prices() {
    sql -d "$1" -c "
        INSERT INTO cost_ops.pricing_tables (provider, model, input_price, output_price)
        SELECT (ARRAY['openai', 'anthropic', 'google'])[i % 3 + 1], 'bench-model-' || i, 1, 2
          FROM generate_series(1, $2 - (SELECT count(*) FROM cost_ops.pricing_tables)) AS i"
}
sql -c "COPY cost_ops.usage_records ($cols) FROM '$data/base.csv' $copy_opts" >/dev/null
sql -c "CREATE TABLE bench.book_models AS
            SELECT DISTINCT p.provider, p.model FROM cost_ops.pricing_tables AS p
              JOIN cost_ops.usage_records AS u ON u.pricing_id = p.id" >/dev/null
sql -c "TRUNCATE cost_ops.usage_records RESTART IDENTITY"
used="(provider, model) IN (SELECT provider, model FROM bench.book_models)"
for db in bench_small bench_large; do
    sql -d postgres -c "CREATE DATABASE $db"
    sql -d "$db" -c "SET client_min_messages = warning" -c "CREATE EXTENSION llm_cost_ops CASCADE"
    copy_rows pricing_tables "$db" "$used"
    for t in model_aliases model_match_rules provider_fallbacks; do copy_rows "$t" "$db" true; done
done
pad_prices bench_small "$book_small"
pad_prices bench_large "$book_large"
for db in bench_small bench_large; do sql -d "$db" -c "ANALYZE cost_ops.pricing_tables"; done
book_rows_small=$(sql -d bench_small -At -c "SELECT count(*) FROM cost_ops.pricing_tables")
book_rows_large=$(sql -d bench_large -At -c "SELECT count(*) FROM cost_ops.pricing_tables")

# ------------------------------------------------------------------------------------------
# How time is measured. Pairs 1, 2 and 4 use psql's \timing around one statement: a
# server-side COPY FROM '/file' (postgres reads the file itself) or a one-row aggregate. The
# client sends one command and waits, so the time is the server's work plus one Unix-socket
# round trip (~0.1 ms against seconds). That is less noisy than \copy, whose client would
# read and send the whole file on the same two cores as the server, and equivalent to
# clock_timestamp() differences. Before every COPY the table is truncated and a CHECKPOINT
# writes out the previous run's dirty buffers, so each run starts from the same state. Each
# psql session first loads a small file through both triggers (the C trigger's price cache
# and the PL/pgSQL function are per backend), then truncates.
#
# Pair 3 is about client programs, so it is their wall time (date +%s%N around the process),
# the same TRUNCATE + CHECKPOINT before each.
# ------------------------------------------------------------------------------------------
results=$work/results.txt  # lines: round label milliseconds
: >"$results"

# Emits psql lines that time one statement under a label (parsed by timed_session).
timed() {
    printf '\\echo MARK %s\n\\timing on\n%s\n\\timing off\n' "$1" "$2"
}

# Runs a psql script read from stdin (with psql options $2...: the database) and appends
# "round label ms" for every timed statement.
timed_session() {
    local round=$1
    shift
    sql "$@" -f - | awk -v round="$round" '
        /^MARK / { label = $2; next }
        /^Time: / { if (label == "") next; print round, label, $2; label = ""; next }
        { print > "/dev/stderr" }' >>"$results"
}

# Emits the SQL that empties the usage tables and checkpoints (before every measured COPY).
reset_tables() {
    printf 'TRUNCATE cost_ops.usage_records, bench.usage_records_plpgsql, bench.usage_records_flat RESTART IDENTITY;\nCHECKPOINT;\n'
}

# Pairs 1, 2 and 8 in one session: unpriced, priced, plain table (all rows); plain table and
# PL/pgSQL (the first BENCH_PLPGSQL_ROWS).
copy_round() {
    {
        reset_tables
        printf "COPY cost_ops.usage_records (%s) FROM '%s' %s;\n" "$cols" "$data/warmup.csv" "$copy_opts"
        printf "COPY bench.usage_records_plpgsql (%s) FROM '%s' %s;\n" "$cols" "$data/warmup.csv" "$copy_opts"
        printf "COPY bench.usage_records_flat (%s) FROM '%s' %s;\n" "$cols" "$data/warmup.csv" "$copy_opts"
        reset_tables
        echo "ALTER TABLE cost_ops.usage_records DISABLE TRIGGER price_usage_record;"
        timed copy_unpriced "COPY cost_ops.usage_records ($cols) FROM '$data/usage.csv' $copy_opts;"
        echo "ALTER TABLE cost_ops.usage_records ENABLE TRIGGER price_usage_record;"
        reset_tables
        timed copy_priced "COPY cost_ops.usage_records ($cols) FROM '$data/usage.csv' $copy_opts;"
        echo "CHECKPOINT;"
        timed copy_flat "COPY bench.usage_records_flat ($cols) FROM '$data/usage.csv' $copy_opts;"
        # Pair 2: the C trigger and the PL/pgSQL one on the same plain table, the same rows.
        echo "TRUNCATE bench.usage_records_flat RESTART IDENTITY;"
        echo "CHECKPOINT;"
        timed copy_flat_part "COPY bench.usage_records_flat ($cols) FROM '$data/part.csv' $copy_opts;"
        # Not truncated: the priced rows stay for the check against the PL/pgSQL baseline.
        echo "CHECKPOINT;"
        timed copy_plpgsql "COPY bench.usage_records_plpgsql ($cols) FROM '$data/part.csv' $copy_opts;"
    } | timed_session "$1"
}

# Pair 7: the priced COPY of the first BENCH_PLPGSQL_ROWS rows into bench_small, then into
# bench_large, each session warmed first.
book_round() {
    local db
    for db in bench_small bench_large; do
        {
            echo "TRUNCATE cost_ops.usage_records RESTART IDENTITY;"
            printf "COPY cost_ops.usage_records (%s) FROM '%s' %s;\n" "$cols" "$data/warmup.csv" "$copy_opts"
            echo "TRUNCATE cost_ops.usage_records RESTART IDENTITY;"
            echo "CHECKPOINT;"
            timed "copy_$db" "COPY cost_ops.usage_records ($cols) FROM '$data/part.csv' $copy_opts;"
        } | timed_session "$1" -d "$db"
    done
}

# Prints the wall time of a command in milliseconds; its output goes to stderr.
wall_ms() {
    local t0 t1
    t0=$(date +%s%N)
    "$@" >&2
    t1=$(date +%s%N)
    printf '%d.%03d\n' $(((t1 - t0) / 1000000)) $((((t1 - t0) / 1000) % 1000))
}

# Prints count, priced count and exact total of cost_ops.usage_records (psql options $1...:
# the database).
usage_totals() {
    sql "$@" -At -c "SELECT count(*) || ' rows, ' || count(total_cost) || ' priced, '
                       || coalesce(cost_ops.sum(total_cost)::text, 'no') || ' USD'
                  FROM cost_ops.usage_records"
}

# Pair 3: cost-ops ingest vs psql \copy of the same file, trigger on, TRUNCATE before each.
ingest_round() {
    local round=$1 ms rss
    sql -c "TRUNCATE cost_ops.usage_records RESTART IDENTITY" -c "CHECKPOINT"
    ms=$(wall_ms /usr/bin/time -f %M -o "$work/rss" "$cost_ops" --database-url "$url" \
        ingest --quiet --file "$data/usage.csv")
    rss=$(tail -n 1 "$work/rss")
    echo "$round ingest_cost_ops $ms" >>"$results"
    echo "$round ingest_rss_kb $rss" >>"$results"
    [ "$round" = 1 ] && echo "cost-ops ingest: $(usage_totals)" >"$work/ingest_check_a"
    sql -c "TRUNCATE cost_ops.usage_records RESTART IDENTITY" -c "CHECKPOINT"
    ms=$(wall_ms psql -X -q -v ON_ERROR_STOP=1 \
        -c "\\copy cost_ops.usage_records ($cols) FROM '$data/usage.csv' $copy_opts")
    echo "$round ingest_psql $ms" >>"$results"
    [ "$round" = 1 ] && echo "psql \\copy:      $(usage_totals)" >"$work/ingest_check_b"
    return 0
}

aggs=(sum avg)
# The aggregate query of one type: cost (the extension's aggregates), numeric or bigint.
agg_query() {
    case $2 in
    cost) echo "SELECT cost_ops.$1(total_cost) FROM bench.agg" ;;
    numeric) echo "SELECT $1(total_cost_numeric) FROM bench.agg" ;;
    bigint) echo "SELECT $1(total_cost_nanos) FROM bench.agg" ;;
    esac
}

# Emits the settings of an aggregate run with $1 parallel workers per Gather (0 = serial).
agg_settings() {
    # JIT off: it would compile the numeric and bigint expressions (their functions have
    # bitcode to inline) but not the extension's, and add a compile time of its own; the pair
    # is meant to compare the aggregate functions.
    printf 'SET jit = off;\nSET max_parallel_workers_per_gather = %s;\n' "$1"
}

# Pair 4 in one session: per mode and aggregate, cost, numeric, bigint one after the other.
agg_round() {
    {
        # The ingest just left shared_buffers full of dirty pages that the first scan would
        # have to write out: a CHECKPOINT, then one untimed scan of the table.
        echo 'CHECKPOINT;'
        echo '\o /dev/null'
        echo 'SELECT count(*) FROM bench.agg;'
        for mode in serial parallel; do
            if [ $mode = serial ]; then agg_settings 0; else agg_settings 2; fi
            for agg in "${aggs[@]}"; do
                for type in cost numeric bigint; do
                    timed "${agg}_${type}_${mode}" "$(agg_query "$agg" "$type");"
                done
            done
        done
    } | timed_session "$1"
}

# Checks every parallel query gets a parallel plan (and serial ones do not); prints one plan.
check_plans() {
    local mode agg type plan
    for mode in serial parallel; do
        for agg in "${aggs[@]}"; do
            for type in cost numeric bigint; do
                plan=$({ if [ $mode = serial ]; then agg_settings 0; else agg_settings 2; fi
                         echo "EXPLAIN (COSTS OFF) $(agg_query "$agg" "$type");"; } | sql -At -f -)
                if [ $mode = parallel ] && ! grep -q 'Partial Aggregate' <<<"$plan"; then
                    echo "bench: no parallel plan for $(agg_query "$agg" "$type"):" >&2
                    echo "$plan" >&2
                    exit 1
                fi
                if [ $mode = serial ] && grep -q Gather <<<"$plan"; then
                    echo "bench: a parallel plan with max_parallel_workers_per_gather = 0" >&2
                    exit 1
                fi
            done
        done
    done
    { agg_settings 2
      echo "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) $(agg_query sum cost);"; } | sql -At -f - \
        >"$work/parallel_plan"
    grep -q 'Workers Launched: [1-9]' "$work/parallel_plan" \
        || { echo "bench: the parallel plan launched no worker:" >&2; cat "$work/parallel_plan" >&2; exit 1; }
}

# Pair 6, once: one COPY of $big_rows rows, generated as it streams (usage.csv again and
# again, each pass with its own request-id suffix), in a session whose backend reports its
# memory before and after: peak resident (VmHWM, which counts the shared buffers it touched)
# and private (RssAnon). The rows stay for pair 5.
big_load() {
    local passes=$(((big_rows + rows - 1) / rows))
    cat >"$work/big_rows.sh" <<GEN
#!/bin/sh
head -n 1 '$data/usage.csv'
for k in \$(seq 1 $passes); do
    awk -F, -v OFS=, -v k="\$k" 'NR > 1 { \$7 = \$7 "-big" k; print }' '$data/usage.csv'
done | head -n $big_rows
GEN
    chmod 755 "$work/big_rows.sh"
    memory_sql="SELECT m[1] || ' ' || m[2] FROM regexp_matches(pg_read_file('/proc/self/status'),
                '(VmHWM|RssAnon):\s+(\d+) kB', 'g') AS m"
    {
        reset_tables
        printf "COPY cost_ops.usage_records (%s) FROM '%s' %s;\n" "$cols" "$data/warmup.csv" "$copy_opts"
        reset_tables
        echo '\o '"$work/memory_before"
        echo "$memory_sql;"
        echo '\o'
        timed copy_big "COPY cost_ops.usage_records ($cols) FROM PROGRAM '$work/big_rows.sh' $copy_opts;"
        echo '\o '"$work/memory_after"
        echo "$memory_sql;"
        echo '\o'
    } | sql -At -f - | awk '/^Time: / { print "1 copy_big", $2 }' >>"$results"
    for when in before after; do
        awk -v when="$when" '{ print "1 backend_" $1 "_" when "_kb", $2 }' "$work/memory_$when" >>"$results"
    done
    [ "$(sql -At -c "SELECT count(*) FROM cost_ops.usage_records")" = "$big_rows" ] \
        || { echo "bench: the big COPY did not load $big_rows rows" >&2; exit 1; }
    echo "big COPY: $(usage_totals)" >"$work/big_check"
}

# Pair 5's tables: the big load analyzed, and its numeric twin (the same rows and columns, the
# costs as numeric), as a user without the cost type would keep it.
summary_tables() {
    sql <<SQL
VACUUM ANALYZE cost_ops.usage_records;
CREATE TABLE bench.usage_numeric AS
SELECT "timestamp", provider, model, organization_id, prompt_tokens, completion_tokens,
       cached_tokens, total_tokens, cost_ops.to_numeric(input_cost) AS input_cost,
       cost_ops.to_numeric(output_cost) AS output_cost, cost_ops.to_numeric(total_cost) AS total_cost
  FROM cost_ops.usage_records;
VACUUM ANALYZE bench.usage_numeric;
SQL
}

# What cost-ops summary --group-by day,model runs, on the numeric twin.
summary_numeric_sql() {
    local day="date_trunc('day', u.\"timestamp\" AT TIME ZONE 'UTC')"
    echo "SELECT $day, u.model, count(*), count(u.total_cost), count(*) - count(u.total_cost),
       coalesce(sum(u.prompt_tokens), 0), coalesce(sum(u.completion_tokens), 0),
       coalesce(sum(u.cached_tokens), 0), coalesce(sum(u.total_tokens), 0),
       sum(u.input_cost), sum(u.output_cost), sum(u.total_cost), GROUPING($day, u.model)
  FROM bench.usage_numeric AS u
 GROUP BY GROUPING SETS (($day, u.model), ())
 ORDER BY GROUPING($day, u.model), $day, sum(u.total_cost) DESC NULLS LAST, $day, u.model"
}

# Pair 5: cost-ops summary vs psql running the same query on the numeric twin (wall times).
summary_round() {
    local ms
    ms=$(wall_ms cli summary --group-by day,model --output csv)
    echo "$1 summary_cost_ops $ms" >>"$results"
    # The same summary made to sum the rows (a range bound with a time: not the rollup's days).
    ms=$(wall_ms cli summary --group-by day,model --output csv --range 1970-01-01T00:00:00Z..)
    echo "$1 summary_cost_ops_rows $ms" >>"$results"
    ms=$(wall_ms sql --csv -o /dev/null -c "$(summary_numeric_sql)")
    echo "$1 summary_numeric $ms" >>"$results"
}

check_plans
say "$rounds rounds, each: COPY unpriced/priced/PL/pgSQL, COPY with $book_rows_small/$book_rows_large price rows, ingest cost-ops/psql, aggregates"
start=$(date +%s)
for ((r = 1; r <= rounds; r++)); do
    say "round $r/$rounds: COPY ($(($(date +%s) - start)) s so far)"
    copy_round "$r"
    if [ "$r" = "$rounds" ]; then
        # After the last round: the C trigger's and the baseline's rows, compared record by record.
        agree=$(sql -At -c "
            SELECT count(*) FILTER (WHERE cost_ops.to_numeric(u.total_cost) IS NOT DISTINCT FROM p.total_cost
                                      AND u.pricing_id IS NOT DISTINCT FROM p.pricing_id)
                   || ' of ' || count(*)
              FROM bench.usage_records_flat AS u
              JOIN bench.usage_records_plpgsql AS p USING (provider, organization_id, request_id)")
    fi
    say "round $r/$rounds: COPY with $book_rows_small and $book_rows_large price rows"
    book_round "$r"
    say "round $r/$rounds: ingest"
    ingest_round "$r"
    say "round $r/$rounds: aggregates"
    agg_round "$r"
done
say "one COPY of $big_rows rows (backend memory)"
big_load
summary_tables
say "$rounds rounds: summary --group-by day,model over $big_rows rows"
for ((r = 1; r <= rounds; r++)); do
    summary_round "$r" 2>/dev/null
done
elapsed=$(($(date +%s) - start))

# ------------------------------------------------------------------------------------------
# Report. A ratio is computed per round from that round's two sides; the table gives the
# median over the rounds and the min-max spread. Throughput ratios are time ratios inverted.
# ------------------------------------------------------------------------------------------
# Prints the report from the results file: ratio table, absolute medians, checks.
report() {
    awk -v rows="$rows" -v part_rows="$part_rows" -v agg_rows="$agg_rows" -v big_rows="$big_rows" -v rounds="$rounds" \
        -v small="$book_rows_small" -v large="$book_rows_large" '
        function median(a, n,    i, j, t, b) {
            for (i = 1; i <= n; i++) b[i] = a[i]
            for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
            return n % 2 ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
        }
        function minmax(a, n,    i) {
            lo = hi = a[1]
            for (i = 2; i <= n; i++) { if (a[i] < lo) lo = a[i]; if (a[i] > hi) hi = a[i] }
        }
        # One ratio row: num / den per round (times), compared with the target.
        function ratio(name, num, den, op, target,    r, n, v, m, ok) {
            n = 0
            for (r = 1; r <= rounds; r++) {
                if (!((r, num) in t) || !((r, den) in t)) continue
                v[++n] = t[r, num] / t[r, den]
            }
            if (n == 0) { printf "%-50s %8s\n", name, "n/a"; return }
            m = median(v, n); minmax(v, n)
            ok = (op == ">=") ? m >= target : m <= target
            printf "%-50s %8.2f  %5.2f-%-5.2f  %2s %-5.2f  %s\n", name, m, lo, hi, op, target, ok ? "PASS" : "MISS"
        }
        function med(label,    r, n, v) {
            n = 0
            for (r = 1; r <= rounds; r++) if ((r, label) in t) v[++n] = t[r, label]
            return n ? median(v, n) : -1
        }
        function absolute(name, label, count,    m) {
            m = med(label)
            if (count) printf "  %-44s %10.1f ms  %10.0f rows/s\n", name, m, count / (m / 1000)
            else printf "  %-44s %10.1f ms\n", name, m
        }
        { t[$1, $2] = $3 }
        END {
            printf "%-50s %8s  %-11s  %-8s  %s\n", "pair (ratio per round; median over rounds)", "median", "min-max", "target", "result"
            ratio("1 COPY priced / trigger disabled (throughput)", "copy_unpriced", "copy_priced", ">=", 0.8)
            ratio("2 COPY C trigger / PL/pgSQL trigger (throughput)", "copy_plpgsql", "copy_flat_part", ">=", 4)
            ratio("3 cost-ops ingest / psql \\copy (throughput)", "ingest_psql", "ingest_cost_ops", ">=", 0.8)
            split("serial parallel", modes, " "); split("sum avg", aggs, " ")
            for (i = 1; i <= 2; i++) for (j = 1; j <= 2; j++) {
                a = aggs[j]; mo = modes[i]
                ratio(sprintf("4 %s %s: numeric time / cost time", a, mo), a "_numeric_" mo, a "_cost_" mo, ">=", 1.3)
                ratio(sprintf("4 %s %s: cost time / bigint time", a, mo), a "_cost_" mo, a "_bigint_" mo, "<=", 1.15)
            }
            ratio("5 summary day,model: SQL on numeric / cost-ops", "summary_numeric", "summary_cost_ops", ">=", 1)
            ratio("5 the same, cost-ops summing the rows (no rollup)", "summary_numeric", "summary_cost_ops_rows", ">=", 1)
            ratio(sprintf("7 COPY priced, %d / %d price rows (throughput)", large, small),
                  "copy_bench_small", "copy_bench_large", ">=", 0.9)
            ratio("8 COPY priced, partitions + rollup / plain table", "copy_flat", "copy_priced", ">=", 0.8)
            printf "\nabsolute medians (%d usage rows, %d aggregate rows, %d big, %d rounds):\n", rows, agg_rows, big_rows, rounds
            absolute("COPY, trigger disabled", "copy_unpriced", rows)
            absolute("COPY, priced by the C trigger", "copy_priced", rows)
            absolute("COPY, priced, plain table (no partitions/rollup)", "copy_flat", rows)
            printf "  (%d rows:)\n", part_rows
            absolute("COPY, priced, plain table", "copy_flat_part", part_rows)
            absolute("COPY, priced by the PL/pgSQL trigger", "copy_plpgsql", part_rows)
            absolute(sprintf("COPY, priced, %d price rows", small), "copy_bench_small", part_rows)
            absolute(sprintf("COPY, priced, %d price rows", large), "copy_bench_large", part_rows)
            absolute("cost-ops ingest (wall time)", "ingest_cost_ops", rows)
            absolute("psql \\copy (wall time)", "ingest_psql", rows)
            for (i = 1; i <= 2; i++) for (j = 1; j <= 2; j++) for (k = 1; k <= 3; k++) {
                split("cost numeric bigint", types, " ")
                l = aggs[j] "_" types[k] "_" modes[i]
                absolute(sprintf("%s(%s), %s", aggs[j], types[k], modes[i]), l, 0)
            }
            n = 0
            for (r = 1; r <= rounds; r++) if ((r, "ingest_rss_kb") in t) { v[++n] = t[r, "ingest_rss_kb"] }
            if (n) { m = median(v, n); minmax(v, n); printf "  %-44s %10.1f MB  (min-max %.1f-%.1f MB)\n", "cost-ops ingest peak RSS", m / 1024, lo / 1024, hi / 1024 }
            absolute("summary --group-by day,model (cost-ops)", "summary_cost_ops", 0)
            absolute("the same summing the rows (cost-ops)", "summary_cost_ops_rows", 0)
            absolute("the same SQL on numeric (psql)", "summary_numeric", 0)
            absolute("one priced COPY of the big load", "copy_big", big_rows)
            printf "  %-44s %6.1f -> %6.1f MB peak (VmHWM), %6.1f -> %6.1f MB private (RssAnon)\n", \
                "backend memory, before -> after the big COPY", t[1, "backend_VmHWM_before_kb"] / 1024, \
                t[1, "backend_VmHWM_after_kb"] / 1024, t[1, "backend_RssAnon_before_kb"] / 1024, \
                t[1, "backend_RssAnon_after_kb"] / 1024
        }' "$results"
}

echo
echo "==================== bench: ratios ===================="
report
echo
echo "checks:"
echo "  $(cat "$work/ingest_check_a")"
echo "  $(cat "$work/ingest_check_b")"
echo "  $(cat "$work/big_check")"
echo "  COPY priced with $book_rows_small price rows: $(usage_totals -d bench_small)"
echo "  COPY priced with $book_rows_large price rows: $(usage_totals -d bench_large)"
echo "  PL/pgSQL baseline agrees with the C trigger (total_cost, pricing_id) on $agree records"
echo "  (it ignores pricing_structure: context tiers, time-of-day prices, request fees)"
echo "  parallel plan of $(agg_query sum cost), max_parallel_workers_per_gather = 2:"
sed 's/^/    /' "$work/parallel_plan"
echo "  measured in $elapsed s (setup not included)"
