#!/usr/bin/env bash
# make stop: stops what make run started (processes, then the private cluster).
. "$(dirname "$0")/lib.sh"
for pidfile in "$STATE"/run/*.pid; do
    [ -f "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid"
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        say "stopped $(basename "$pidfile" .pid)"
    fi
    rm -f "$pidfile"
done
if [ -f "$STATE/pg/PG_VERSION" ]; then
    cluster_stop "$STATE/pg"
    say "stopped the private cluster"
fi
