#!/usr/bin/env bash
# make sanitize-check (also run by make test): the pg_regress and isolation suites against the
# extension built with -fsanitize=address,undefined, hosted by a PostgreSQL 15 built with ASan
# and assertions (--enable-cassert: freed memory is clobbered, API misuse asserts) from
# Debian's own source package. Debian's postgres cannot host the ASan runtime: preloaded into
# it, the runtime hangs in bindtextdomain() (a futex on _nl_state_lock) at the start of main(),
# even for `postgres -V`.
#
# The instrumented PostgreSQL is built once per version into $COST_OPS_SANITIZE_CACHE (default
# /var/cache/cost-ops/pg15-asan-VERSION, readable by the postgres user; about 6 minutes on 2
# cores) and reused; each run copies it and installs the extension, built from a copy of the
# sources (the checkout's own objects stay as they are), into that copy only. Fails on any
# diff, on any sanitizer report (each is a file under the run's reports/), and when a suite does
# not run; then it keeps its directory (sources, regression.diffs, server.log, reports) and
# says where. cache_memory bounds the backend's RssAnon, which ASan's shadow memory and
# quarantine inflate: its bounds are multiplied by COST_OPS_MEMORY_BOUND_SCALE=8 here.
# COST_OPS_SANITIZE_PORT: the server's port (default 54362).
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
port=${COST_OPS_SANITIZE_PORT:-54362}

# Prints a progress line.
say() { printf 'sanitize-check: %s\n' "$*"; }

# Every PostgreSQL program here is instrumented (pg_config, initdb, psql, pg_regress ...); the
# short-lived ones leak by design, so LeakSanitizer stays off throughout.
export ASAN_OPTIONS=detect_leaks=0

scripts/install-deps.sh bzip2 || exit 1

# Debian's source package of PostgreSQL 15, through a private source list (the machine's apt
# configuration is left as it is): the newest version the archive serves.
apt_dir=/var/cache/cost-ops/apt-sources
apt_opts=(-o "Dir::Etc::SourceList=$apt_dir/sources.list" -o "Dir::Etc::SourceParts=$apt_dir/none"
          -o "Dir::State::Lists=$apt_dir/lists" -o "Dir::Cache=$apt_dir/cache" -q)
# Downloads the sources of postgresql-15 into the current directory; prints the version.
fetch_postgres_source() {
    mkdir -p "$apt_dir/lists/partial" "$apt_dir/cache/archives/partial" "$apt_dir/none"
    local keyring=/usr/share/keyrings/debian-archive-keyring.gpg
    printf 'deb-src [signed-by=%s] http://deb.debian.org/debian bookworm main\n' "$keyring" \
        >"$apt_dir/sources.list"
    apt-get "${apt_opts[@]}" update >/dev/null 2>&1 || return 1
    local version
    version=$(apt-cache "${apt_opts[@]}" showsrc postgresql-15 | awk '/^Version:/ { print $2 }' \
              | sort -V | tail -1)
    [ -n "$version" ] || return 1
    apt-get "${apt_opts[@]}" source --download-only "postgresql-15=$version" >/dev/null 2>&1 \
        || return 1
    echo "$version"
}

version_file=/var/cache/cost-ops/pg15-asan.version
cache=${COST_OPS_SANITIZE_CACHE:-}
if [ -z "$cache" ] && [ -f "$version_file" ]; then
    cache=/var/cache/cost-ops/pg15-asan-$(cat "$version_file")
fi
# Written last, once the whole tree is installed: a build cut short is made again.
complete=.cost-ops-build-complete
if [ -z "$cache" ] || [ ! -f "$cache/$complete" ]; then
    src_dir=$(mktemp -d /tmp/cost-ops-pgsrc.XXXXXX)
    say "fetching Debian's postgresql-15 source package"
    version=$(cd "$src_dir" && fetch_postgres_source) \
        || { echo "sanitize-check: cannot download postgresql-15's source package" >&2; exit 1; }
    cache=${COST_OPS_SANITIZE_CACHE:-/var/cache/cost-ops/pg15-asan-$version}
    say "building PostgreSQL $version with ASan and assertions into $cache (once)"
    tar -xjf "$src_dir"/postgresql-15_*.orig.tar.bz2 -C "$src_dir" || exit 1
    pg_src=$(echo "$src_dir"/postgresql-15.*/)
    (
        cd "$pg_src" &&
            ./configure --prefix="$cache" --enable-cassert --enable-debug --without-readline \
                --without-icu CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address" \
                LDFLAGS="-fsanitize=address" &&
            make -s -j "${JOBS:-2}" && make -s install &&
            make -s -C contrib/btree_gist install && make -s -C src/test/isolation install
    ) >"$src_dir/build.log" 2>&1 \
        || { tail -30 "$src_dir/build.log"; echo "sanitize-check: PostgreSQL build failed" >&2; exit 1; }
    chmod -R a+rX "$cache"
    touch "$cache/$complete"
    [ -n "${COST_OPS_SANITIZE_CACHE:-}" ] || echo "$version" >"$version_file"
    rm -rf "$src_dir"
fi
work=$(mktemp -d /tmp/cost-ops-sanitize.XXXXXX)
chmod 755 "$work"  # the server runs as postgres and writes its sanitizer logs here
# Stops the server; removes the run's directory unless the run failed (kept_for_reading=1).
kept_for_reading=0
cleanup() {
    PG_BINDIR=$work/pg-tree/bin scripts/pg-server.sh stop "$work/pg" >/dev/null 2>&1
    if [ "$kept_for_reading" = 1 ]; then
        say "kept for reading: $work (src/build/regress/regression.diffs, pg/server.log, reports/)"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT
# A copy of the instrumented tree for this run (PostgreSQL's programs find their files relative
# to themselves), so that runs side by side never install into each other's.
cp -a "$cache" "$work/pg-tree" || exit 1
tree=$work/pg-tree
pg_config=$tree/bin/pg_config
say "PostgreSQL $("$pg_config" --version | awk '{ print $2 }') with ASan and assertions, from $cache"

# The extension's sources, copied so that the instrumented objects never mix with the tree's.
src=$work/src
mkdir -p "$src"
git ls-files -z extension sql expected specs Makefile | tar --null -T - -cf - | tar -xf - -C "$src"
say "building the extension with -fsanitize=address,undefined"
sanitize="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
make -C "$src" -s -j "${JOBS:-2}" -o cli -o install-cli PG_CONFIG="$pg_config" \
    SANITIZE="$sanitize" install >"$work/build.log" 2>&1 \
    || { tail -30 "$work/build.log"; echo "sanitize-check: extension build failed" >&2; exit 1; }

# Every report goes to its own file under $work/reports (read below), and stops the process:
# a backend that hits one dies, and its test fails.
mkdir -m 777 "$work/reports"
export ASAN_OPTIONS="detect_leaks=0:detect_stack_use_after_return=0:log_path=$work/reports/asan"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:log_path=$work/reports/ubsan"
# The extension is the server's only C++: libstdc++ comes in with it, after the ASan runtime
# has started and looked for the __cxa_throw it intercepts (a null one fails its first throw).
# Preloaded behind the runtime, it is there from the start.
libasan=$(ldd "$tree/bin/postgres" | awk '/libasan/ { print $3 }')
libstdcxx=$(g++ -print-file-name=libstdc++.so.6)
[ -f "$libasan" ] && [ -f "$libstdcxx" ] \
    || { echo "sanitize-check: cannot find the ASan runtime or libstdc++" >&2; exit 1; }
read -r host port < <(PG_BINDIR=$tree/bin PG_SERVER_PRELOAD="$libasan:$libstdcxx" \
    scripts/pg-server.sh start "$work/pg" "$port") || exit 1
say "server on socket $host port $port"

mkdir -p "$src/build/regress" "$src/build/isolation"
COST_OPS_MEMORY_BOUND_SCALE=8 make -C "$src" -s installcheck PG_CONFIG="$pg_config" \
    PGHOST="$host" PGPORT="$port" PGUSER=postgres 2>&1 | tee "$work/regress.log"
status=${PIPESTATUS[0]}
[ "$status" = 0 ] || cat "$src"/build/regress/regression.diffs "$src"/build/isolation/regression.diffs 2>/dev/null

reports=$(find "$work/reports" -type f | wc -l)
for f in $(find "$work/reports" -type f | head -5); do head -40 "$f"; done
if [ "$status" = 0 ] && ! grep -q "isolation install-check" "$work/regress.log"; then
    echo "sanitize-check: the isolation specs did not run"
    status=1
fi
echo "sanitize-check: $reports sanitizer reports (ASan + UBSan) over the pg_regress and isolation suites"
[ "$status" = 0 ] && [ "$reports" = 0 ] || { kept_for_reading=1; exit 1; }
