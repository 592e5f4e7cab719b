#!/usr/bin/env bash
# Runs one file of the browser tests (ctest label browser, tests/browser/CMakeLists.txt):
# installs playwright-core and axe-core from the committed package-lock.json with `npm ci`
# when node_modules is missing or older than the lockfile (under a lock: two tests may start
# at once), then `node --test` on the file.
#   run.sh FILE.test.mjs     (HOP_BINARY_DIR and HOP_SOURCE_DIR set, as ctest does)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
file="${1:?usage: run.sh FILE.test.mjs}"
command -v node >/dev/null || { echo "browser tests: node not found (deploy/install-deps.sh)" >&2; exit 1; }
command -v npm >/dev/null || { echo "browser tests: npm not found (deploy/install-deps.sh)" >&2; exit 1; }
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
  echo "browser tests: Node.js $(node --version) is too old: playwright-core needs 20 or newer" >&2
  exit 1
fi
stamp="$here/node_modules/.hop-lock-sha256"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
(
  flock 9
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "# npm ci in $here (playwright-core, axe-core from package-lock.json)"
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error)
    echo "$want" >"$stamp"
  fi
) 9>>"$here/.npm-ci.lock"
cd "$here"
exec node --test --test-concurrency=1 --test-reporter=spec "$file"
