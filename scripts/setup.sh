#!/usr/bin/env bash
# Installs what is missing: the Debian packages (as root) and the project's virtualenv.
. "$(dirname "$0")/lib.sh"

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
    say "installing ${missing[*]}"
    if [ "$(id -u)" != 0 ]; then
        echo "run as root, or install: apt-get install ${missing[*]}" >&2; exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq "${missing[@]}" >/dev/null
    # Debian's package starts a default cluster on 5432; ours is private, so stop it.
    pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
fi

stamp="$VENV/.installed"
if [ ! -x "$VENV/bin/python" ] || [ "$ROOT/pyproject.toml" -nt "$stamp" ]; then
    say "preparing $VENV"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -e "$ROOT[dev]"
    touch "$stamp"
fi
