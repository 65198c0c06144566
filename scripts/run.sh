#!/usr/bin/env bash
# make run: the private cluster (or DATABASE_URL), migrations, the demo, the API in the background.
. "$(dirname "$0")/lib.sh"
mkdir -p "$STATE/log" "$STATE/run"
[ -n "${DATABASE_URL:-}" ] && say "using DATABASE_URL (no private cluster)" \
    || say "private PostgreSQL cluster: $STATE/pg on 127.0.0.1:54320"
prepare_database "$STATE" 54320
"$VENV/bin/brigade" demo load >"$STATE/demo.txt"

start_process() {  # start_process NAME COMMAND...
    local name="$1"; shift
    local pidfile="$STATE/run/$name.pid"
    if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
        say "$name already running (pid $(cat "$pidfile"))"; return 0
    fi
    nohup "$@" >>"$STATE/log/$name.log" 2>&1 &
    echo $! >"$pidfile"
}
start_process api "$VENV/bin/brigade" serve
start_process worker "$VENV/bin/brigade" worker

port="${BRIGADE_PORT:-8000}"
wait_ready "$port" "$STATE/log/api.log" "$(cat "$STATE/run/api.pid")"

cat <<MSG

Brigade is running.
  API        http://127.0.0.1:$port        (OpenAPI: http://127.0.0.1:$port/schema)
  worker     brigade worker (queue: brigade queue status; schedules: brigade jobs)
  ready      curl http://127.0.0.1:$port/readyz
  database   ${DATABASE_URL}   (make psql)
  logs       $STATE/log/
  stop       make stop

Demo restaurant (brigade demo load prints a fresh device code each time):
$(sed 's/^/  /' "$STATE/demo.txt")

Sign in as the owner:
  curl -s -X POST http://127.0.0.1:$port/v1/auth/login -H 'content-type: application/json' \\
       -d '{"email": "owner@demo.brigade.test", "password": "demo-owner-pass"}'
MSG
