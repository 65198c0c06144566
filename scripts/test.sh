#!/usr/bin/env bash
# make test: every gate, in order, on a throw-away cluster; stops at the first red one.
. "$(dirname "$0")/lib.sh"
cd "$ROOT"

# The suite never touches a server named by the caller's environment.
unset DATABASE_URL BRIGADE_API_DATABASE_URL BRIGADE_WORKER_DATABASE_URL
BIN="$VENV/bin"

say "gate 1/5: ruff"
"$BIN/ruff" check api tests bench
"$BIN/ruff" format --check api tests bench >/dev/null || { "$BIN/ruff" format --diff api tests bench; exit 1; }

say "gate 2/5: sqlfluff"
"$BIN/sqlfluff" lint sql tests/sql --disable-progress-bar --nocolor

TEST_STATE="$STATE/test-$$"
PORT="$(free_port)"
cleanup() {
    cluster_stop "$TEST_STATE/pg"
    rm -rf "$TEST_STATE"
}
trap cleanup EXIT
say "throw-away cluster $TEST_STATE on port $PORT"
throwaway_cluster "$TEST_STATE" "$PORT" --extension pgtap --extension plpgsql_check

# Every repeatable file a second time, through plain psql as the owner: proves the files
# are idempotent and that the DBA path (psql -f) works without the migrator.
for f in $(find sql/functions sql/policies sql/jobs -name '*.sql' | sort); do
    PGOPTIONS="-c role=brigade_owner -c check_function_bodies=off -c client_min_messages=warning" \
        psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -f "$f" >/dev/null
done
echo "re-applied every repeatable file with psql: idempotent"

say "gate 3/5: plpgsql_check"
psql "$DATABASE_URL" -X -q -v ON_ERROR_STOP=1 -f scripts/plpgsql_check.sql

say "gate 4/5: pg_prove"
pg_prove --dbname brigade --host 127.0.0.1 --port "$PORT" --username postgres \
    --recurse --ext .sql tests/sql

say "gate 5/5: pytest"
export BRIGADE_TEST_DATABASE_URL="$DATABASE_URL"
set +e
"$BIN/pytest" -q -p no:cacheprovider "$@"
rc=$?
set -e
if [ "$rc" = 5 ]; then echo "pytest collected no tests: that is a failure" >&2; exit 1; fi
exit "$rc"
