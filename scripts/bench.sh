#!/usr/bin/env bash
# make bench: a throw-away cluster and a real `brigade serve`, then every bench/*.py with a
# main(), then everything torn down. Bounded: each benchmark runs under `timeout`.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

# Never a server named by the caller's environment: the benchmark owns its cluster.
unset DATABASE_URL BRIGADE_API_DATABASE_URL BRIGADE_WORKER_DATABASE_URL
BIN="$VENV/bin"
BENCH_TIMEOUT="${BENCH_TIMEOUT:-240}"  # seconds, per benchmark module

# bench/queue.py runs pgqueuer side by side with our worker: the `bench` extra brings it.
"$BIN/python" -c 'import asyncpg, pgqueuer' 2>/dev/null \
    || "$BIN/pip" install -q --disable-pip-version-check -e "$ROOT[bench]"

BENCH_STATE="$STATE/bench-$$"
PORT="$(free_port)"
SERVER_PID=""
RUNNING=""  # the benchmark being run, so that an interrupted run stops it too
cleanup() {
    if [ -n "$RUNNING" ] && kill -0 "$RUNNING" 2>/dev/null; then
        kill -TERM "$RUNNING" 2>/dev/null || true  # timeout passes it on to the benchmark
        wait "$RUNNING" 2>/dev/null || true
    fi
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
    fi
    cluster_stop "$BENCH_STATE/pg"
    rm -rf "$BENCH_STATE"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "throw-away cluster $BENCH_STATE on port $PORT"
echo "note: fsync, synchronous_commit and full_page_writes are off on this cluster;"
echo "      write figures are optimistic (bench/queue.py writes: for both queues alike)."
throwaway_cluster "$BENCH_STATE" "$PORT"

API_PORT="$(free_port)"
say "brigade serve on 127.0.0.1:$API_PORT (uvicorn, one process, log level warning)"
BRIGADE_PORT="$API_PORT" BRIGADE_LOG_LEVEL=warning \
    "$BIN/brigade" serve >"$BENCH_STATE/api.log" 2>&1 &
SERVER_PID=$!
wait_ready "$API_PORT" "$BENCH_STATE/api.log" "$SERVER_PID"

export BENCH_BASE_URL="http://127.0.0.1:$API_PORT" BENCH_SERVER_PID="$SERVER_PID"
ran=0
for f in bench/*.py; do
    grep -qE '^(async )?def main\(' "$f" || continue
    # BENCH_ONLY="menu rls_overhead" runs just those modules.
    if [ -n "${BENCH_ONLY:-}" ] && [[ " $BENCH_ONLY " != *" $(basename "$f" .py) "* ]]; then
        continue
    fi
    module="bench.$(basename "$f" .py)"
    say "$module"
    # In the background + wait: bash runs the INT/TERM trap at once, not after the child.
    timeout --kill-after=10 "$BENCH_TIMEOUT" "$BIN/python" -m "$module" &
    RUNNING=$!
    rc=0; wait "$RUNNING" || rc=$?
    RUNNING=""
    if [ "$rc" = 124 ]; then echo "$module did not finish within $BENCH_TIMEOUT s" >&2; fi
    if [ "$rc" != 0 ]; then exit "$rc"; fi
    ran=$((ran + 1))
done
if [ "$ran" = 0 ]; then echo "no benchmark found in bench/" >&2; exit 1; fi
if grep -qiE 'error|traceback' "$BENCH_STATE/api.log"; then
    echo "the API logged errors during the run:" >&2
    tail -n 30 "$BENCH_STATE/api.log" >&2
    exit 1
fi
