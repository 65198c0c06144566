#!/usr/bin/env bash
# Runs .venv/bin/brigade with the private cluster's settings (unless DATABASE_URL is set).
. "$(dirname "$0")/lib.sh"
[ -f "$STATE/brigade.env" ] && load_env_file "$STATE/brigade.env"
export DATABASE_URL="${DATABASE_URL:-postgresql://postgres@127.0.0.1:54320/brigade}"
exec "$VENV/bin/brigade" "$@"
