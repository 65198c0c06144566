# Shared helpers for the Makefile's scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.brigade"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
VENV="$ROOT/.venv"
APT_PACKAGES=(postgresql-15 postgresql-15-cron postgresql-15-pgtap postgresql-15-plpgsql-check
              libtap-parser-sourcehandler-pgtap-perl postgresql-client-15
              chromium)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# PostgreSQL refuses to run as root: when we are root, run it as the postgres user.
as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# cluster_init DIR PORT [extra postgresql.conf lines...]
cluster_init() {
    local dir="$1" port="$2"; shift 2
    [ -f "$dir/PG_VERSION" ] && return 0
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres: "$dir"
        if ! runuser -u postgres -- test -w "$dir"; then
            echo "postgres cannot reach $dir (a parent directory is not searchable);" >&2
            echo "make the parents of $ROOT world-searchable (chmod o+x) and retry." >&2
            return 1
        fi
    fi
    as_pg "$PGBIN/initdb" -D "$dir" -U postgres -E UTF8 --locale=C.UTF-8 \
        --auth-host=scram-sha-256 --auth-local=trust >"$dir.initdb.log" 2>&1 \
        || { cat "$dir.initdb.log" >&2; return 1; }
    # Only the postgres superuser is trusted, and only on loopback (for DBAs);
    # every other role authenticates with a password. No Unix socket at all.
    as_pg tee "$dir/pg_hba.conf" >/dev/null <<HBA
# TYPE  DATABASE  USER      ADDRESS        METHOD
host    all       postgres  127.0.0.1/32   trust
host    all       postgres  ::1/128        trust
host    all       all       127.0.0.1/32   scram-sha-256
host    all       all       ::1/128        scram-sha-256
HBA
    {
        echo "listen_addresses = '127.0.0.1'"
        echo "port = $port"
        echo "unix_socket_directories = ''"
        echo "shared_preload_libraries = 'pg_cron,pg_stat_statements'"
        echo "cron.database_name = 'brigade'"
        echo "cron.enable_superuser_jobs = off"
        echo "cron.use_background_workers = on"
        echo "max_worker_processes = 24"
        echo "max_connections = 300"
        echo "password_encryption = 'scram-sha-256'"
        printf '%s\n' "$@"
    } | as_pg tee -a "$dir/postgresql.conf" >/dev/null
}

cluster_start() {
    local dir="$1"
    if as_pg "$PGBIN/pg_ctl" -D "$dir" status >/dev/null 2>&1; then return 0; fi
    touch "$dir.log"; [ "$(id -u)" = 0 ] && chown postgres: "$dir.log"
    as_pg "$PGBIN/pg_ctl" -D "$dir" -l "$dir.log" -w -t 60 start >/dev/null \
        || { tail -n 30 "$dir.log" >&2; return 1; }
}

cluster_stop() {
    local dir="$1"
    [ -f "$dir/PG_VERSION" ] || return 0
    as_pg "$PGBIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
}

free_port() {
    "$VENV/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# throwaway_cluster DIR PORT [brigade db bootstrap options...]: a cluster for make test and
# make bench (durability off: nothing in it outlives the run), its secrets, bootstrapped and
# migrated; exports DATABASE_URL. cluster_stop DIR and rm -rf DIR undo it.
throwaway_cluster() {
    local dir="$1" port="$2"; shift 2
    mkdir -p "$dir"
    ensure_env_file "$dir/brigade.env"
    load_env_file "$dir/brigade.env"
    cluster_init "$dir/pg" "$port" "fsync = off" "synchronous_commit = off" "full_page_writes = off"
    cluster_start "$dir/pg"
    export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/brigade"
    migrate_database "$@"
}

# migrate_database [brigade db bootstrap options...]: bootstrap and migrate DATABASE_URL,
# printing the migrator's summary line.
migrate_database() {
    local migrated
    "$VENV/bin/brigade" db bootstrap "$@" >/dev/null
    migrated="$("$VENV/bin/brigade" db migrate)"  # not `| head`: a closed pipe fails the migrator
    echo "${migrated%%$'\n'*}"
}

# wait_ready PORT LOG [PID]: until the API on PORT answers /readyz (20 s at most, less if PID
# dies); otherwise prints the end of LOG and fails.
wait_ready() {
    local port="$1" log="$2" pid="${3:-}"
    for _ in $(seq 1 200); do
        curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
        [ -z "$pid" ] || kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null 2>&1 && return 0
    echo "the API did not become ready; see $log" >&2
    tail -n 30 "$log" >&2
    return 1
}

random_secret() { "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))'; }

# Writes $1 (an env file) with generated secrets once, then leaves them alone; a secret added
# since the file was written (an older .brigade/) is appended, never rotated.
ensure_env_file() {
    local file="$1" generated line
    mkdir -p "$(dirname "$file")"
    umask 077
    generated="$(cat <<ENV
# Generated once by make: secrets for the roles and tokens. Not committed.
BRIGADE_AUTHENTICATOR_PASSWORD=$(random_secret)
BRIGADE_WORKER_PASSWORD=$(random_secret)
BRIGADE_JWT_SECRET=$(random_secret)
BRIGADE_TOTP_KEY=$(random_secret)
BRIGADE_WEBHOOK_KEY=$(random_secret)
ENV
)"
    if [ ! -f "$file" ]; then
        printf '%s\n' "$generated" >"$file"
        return 0
    fi
    while IFS= read -r line; do
        case "$line" in ''|\#*) continue ;; esac
        grep -q "^${line%%=*}=" "$file" || printf '%s\n' "$line" >>"$file"
    done <<<"$generated"
}

# Exports each VAR=value of the file unless the environment already sets VAR.
load_env_file() {
    local key value
    while IFS='=' read -r key value; do
        case "$key" in ''|\#*) continue ;; esac
        [ -n "${!key:-}" ] || export "$key=$value"
    done <"$1"
}

# Prepares the private cluster (unless DATABASE_URL names a server) and the secrets.
# prepare_database STATE_DIR PORT [extra postgresql.conf lines...]
prepare_database() {
    local state="$1" port="$2"; shift 2
    ensure_env_file "$state/brigade.env"
    load_env_file "$state/brigade.env"
    if [ -z "${DATABASE_URL:-}" ]; then
        cluster_init "$state/pg" "$port" "$@"
        cluster_start "$state/pg"
        export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/brigade"
    fi
    migrate_database
}
