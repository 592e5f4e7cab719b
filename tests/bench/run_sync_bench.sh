#!/usr/bin/env bash
# Builds and runs the issue-3 sync benchmark (tests/bench/sync_bench.cc): hop's initial pull of
# 100,000 consented case summaries between two real hopd processes, a sync after 1% of the
# cases changed, a sync of an unchanged store, and this machine's raw mTLS->RocksDB ceiling,
# each the median of 3 runs; the summary block comes last.
#
#   tests/bench/run_sync_bench.sh                   # defaults: --cases 100000 --raw_records 200000
#   tests/bench/run_sync_bench.sh --cases 10000     # any sync_bench flag (sync_bench --help)
#   HOP_BUILD_DIR=/tmp/b tests/bench/run_sync_bench.sh
#
# Build directory: $HOP_BUILD_DIR (default: build/ in the repository), as tests/run.sh.
# Needs the packages of deploy/install-deps.sh. Takes a few minutes on a 2-core machine.
# Exit status: sync_bench's (0 done, 1 failed).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HOP_BUILD_DIR:-$root/build}"

cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j"$(nproc)" --target sync_bench hopd hopctl
exec "$build/tests/bench/sync_bench" --hopd "$build/daemon/hopd" --hopctl "$build/client/hopctl" \
  "$@"
