#!/usr/bin/env bash
# A private PostgreSQL 15 server for tests, the demo and benchmarks: its own data directory and
# Unix socket under DIR, never the system cluster. PostgreSQL refuses to run as root, so as root
# the server runs as the postgres system user.
#
#   scripts/pg-server.sh start DIR [PORT]   initdb if needed, start, print "host port"
#   scripts/pg-server.sh stop DIR           stop (fast), keep the files
#   scripts/pg-server.sh destroy DIR        stop and remove DIR
set -euo pipefail

action=${1:?usage: pg-server.sh start|stop|destroy DIR [PORT]}
dir=${2:?usage: pg-server.sh start|stop|destroy DIR [PORT]}
port=${3:-54329}
# PG_BINDIR runs the server of another PostgreSQL 15 tree (make sanitize-check: one built with
# ASan). PG_SERVER_PRELOAD is LD_PRELOAD for the server, colon-separated (make sanitize-check:
# the ASan runtime, then libstdc++, whose __cxa_throw the runtime must find when it starts).
bindir=${PG_BINDIR:-$(/usr/lib/postgresql/15/bin/pg_config --bindir 2>/dev/null || echo /usr/lib/postgresql/15/bin)}

# Runs a server binary as the server's owner.
as_owner() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
start)
    mkdir -p "$dir/run"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$dir" && chmod 755 "$dir"
    chmod 700 "$dir/run"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 \
            || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_owner env ${PG_SERVER_PRELOAD:+LD_PRELOAD="$PG_SERVER_PRELOAD"} \
            "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start \
            -o "-c listen_addresses='' -c unix_socket_directories='$dir/run' -c port=$port \
                -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
                -c max_wal_size=4GB -c log_min_messages=warning" >/dev/null \
            || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    echo "$dir/run $port"
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
        as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
destroy)
    "$0" stop "$dir"
    rm -rf "$dir"
    ;;
*)
    echo "pg-server.sh: unknown action '$action' (start, stop, destroy)" >&2
    exit 2
    ;;
esac
