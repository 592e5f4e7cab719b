#!/usr/bin/env bash
# Builds and runs the issue-4 query benchmark (tests/bench/query_bench.cc): the latency of a
# live query fanned out from Tartu linn to the seven other Tartu County nodes, and of a lookup
# from local copies, at a steady rate over eight real hopd processes on loopback (mTLS).
#
#   tests/bench/run_query_bench.sh                        # defaults: --queries 1000 --rate 20
#   tests/bench/run_query_bench.sh --queries 200 --rate 50
#
# Build directory: $HOP_BUILD_DIR (default: build/ in the repository), as tests/run.sh.
# Needs the packages of deploy/install-deps.sh. Takes about two minutes with the defaults.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HOP_BUILD_DIR:-$root/build}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target query_bench hopd hopctl
exec "$build/tests/bench/query_bench" "$@"
