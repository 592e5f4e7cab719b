#!/usr/bin/env bash
# Installs what is missing, builds hop, and runs the whole ctest suite.
# Exit status is non-zero on any build or test failure.
#   tests/run.sh                     everything
#   tests/run.sh -L unit             one kind: unit, integration, federation, security, fuzz
#                                    or browser
#   tests/run.sh --sanitize [ARGS]   the same under AddressSanitizer + UndefinedBehaviorSanitizer
#                                    (every report fails the test); ARGS go to ctest
# Build directory: $HOP_BUILD_DIR (default: build/ in the repository; build-sanitize/ with
# --sanitize).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${HOP_BUILD_DIR:-$root/build}"
sanitize=""
args=()
for a in "$@"; do
  if [ "$a" = "--sanitize" ]; then sanitize="address"; else args+=("$a"); fi
done
if [ -n "$sanitize" ]; then
  build="${HOP_BUILD_DIR:-$root/build-sanitize}"
  # Child processes (hopd, hopctl) inherit these, so a report in them fails their test too.
  asan="detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1"
  export ASAN_OPTIONS="${ASAN_OPTIONS:-$asan:check_initialization_order=1}"
  export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
  export LSAN_OPTIONS="${LSAN_OPTIONS:-suppressions=$root/tests/lsan.supp:print_suppressions=0}"
fi

"$root/deploy/install-deps.sh"
# The fuzzers are their own ASan+UBSan (clang) build: not built again under --sanitize.
fuzzers=ON
[ -z "$sanitize" ] || fuzzers=OFF
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHOP_SANITIZE="$sanitize" \
  -DHOP_BUILD_FUZZERS="$fuzzers" >/dev/null
cmake --build "$build" -j"$(nproc)"
cd "$build"
ctest --output-on-failure -j2 --timeout 600 "${args[@]+"${args[@]}"}"
