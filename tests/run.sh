#!/usr/bin/env bash
# Installs what is missing, builds hop, and runs the whole ctest suite.
# Exit status is non-zero on any build or test failure.
#   tests/run.sh                 everything
#   tests/run.sh -L unit         one kind: unit, integration, federation or security
# Build directory: $HOP_BUILD_DIR (default: build/ in the repository).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${HOP_BUILD_DIR:-$root/build}"

"$root/deploy/install-deps.sh"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j2 --timeout 600 "$@"
