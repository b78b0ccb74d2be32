#!/usr/bin/env bash
# Provisions what Migration Logbook needs, then runs a command with it. Used by the README and .ci/run.
#   bash scripts/provision.sh npm run demo
#   bash scripts/provision.sh --with-browser npm test
# - PostgreSQL server and client binaries (initdb, pg_ctl, pg_dump, pg_restore, psql): installed with
#   apt-get when missing and we are root on Debian; otherwise we say what to install.
# - Chromium, with --with-browser (the site's browser tests).
# - Node >= 22.18 (TypeScript type stripping on by default): when the system Node is older (these machines
#   ship Node 20), Node 24 is installed from the npm registry's `node` package into a cache folder and put
#   first on PATH. scripts/logbook.mjs looks for it in the same folder: keep the two in step.
# - npm ci, when node_modules is missing or older than package-lock.json.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${LOGBOOK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migration-logbook/node}"
with_browser=0
if [ "${1:-}" = "--with-browser" ]; then with_browser=1; shift; fi
[ $# -gt 0 ] || { echo "usage: bash scripts/provision.sh [--with-browser] <command...>" >&2; exit 2; }

# --- system packages ---------------------------------------------------------------------------
need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || need+=(postgresql)
command -v pg_dump >/dev/null 2>&1 || need+=(postgresql-client)
if [ "$with_browser" = 1 ]; then command -v chromium >/dev/null 2>&1 || need+=(chromium); fi
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "provision: installing Debian packages: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
  else
    echo "provision: missing ${need[*]}: install them (e.g. sudo apt-get install ${need[*]}) and retry" >&2
    exit 1
  fi
fi

# --- Node ----------------------------------------------------------------------------------------
# npm finds its global config (registry, CA file) relative to the node running it; keep the system's
# when a provisioned node takes over, or npm ci cannot reach the registry through a custom CA.
if command -v npm >/dev/null 2>&1 && [ -z "${npm_config_globalconfig:-}" ]; then
  npm_config_globalconfig="$(npm config get globalconfig 2>/dev/null || true)"
  [ -n "$npm_config_globalconfig" ] && export npm_config_globalconfig
fi
node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=18)?0:1)'
}
if ! node_ok; then
  export PATH="$cache/node_modules/.bin:$PATH"
  hash -r # bash remembers where it last found `node`; make it look again
  if ! node_ok; then
    echo "provision: system Node $(node --version 2>/dev/null || echo none) is older than 22.18; installing Node 24 into $cache" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
    hash -r
    node_ok || { echo "provision: could not provision Node 24 in $cache" >&2; exit 1; }
  fi
fi

# --- dependencies --------------------------------------------------------------------------------
cd "$root"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "provision: installing dependencies (npm ci) with Node $(node --version)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

exec "$@"
