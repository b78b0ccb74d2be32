#!/usr/bin/env bash
# Runs a command with Node >= 22.12 and the project's dependencies installed.
# When the system Node is older (these machines ship Node 20), Node 24 is installed from the npm
# registry's `node` package into a cache folder and put first on PATH. Used by .ci/run and the README.
#   bash scripts/with-node.sh npm test
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${LOGBOOK_NODE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/migration-logbook/node}"

node_ok() {
  command -v node >/dev/null 2>&1 &&
    node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>22||(a===22&&b>=12)?0:1)'
}

if ! node_ok; then
  export PATH="$cache/node_modules/.bin:$PATH"
  if ! node_ok; then
    echo "with-node: system Node $(node --version 2>/dev/null || echo none) is older than 22.12; installing Node 24 into $cache" >&2
    mkdir -p "$cache"
    npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
    node_ok || { echo "with-node: could not provision Node 24 in $cache" >&2; exit 1; }
  fi
fi

cd "$root"
# Install dependencies when node_modules is missing or older than the lockfile.
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "with-node: installing dependencies (npm ci) with Node $(node --version)" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi

exec "$@"
