#!/usr/bin/env bash
# Runs hop's libFuzzer targets (tests/fuzz/targets/*_fuzzer.cc) from their seed corpora
# (tests/fuzz/corpus/<target>/), for long runs by hand; ctest's label `fuzz` uses it for a short
# run of each. Prints libFuzzer's figures per target (runs, exec/s, cov, ft, corpus) and a
# summary block at the end.
#
#   tests/fuzz/run_fuzz.sh                          # every target, 600 s each
#   tests/fuzz/run_fuzz.sh --time 3600 pull_batch   # one target for an hour
#   HOP_BUILD_DIR=/tmp/b tests/fuzz/run_fuzz.sh --time 60
#
# Targets: config domain pull_batch query_answer pem.
# Build directory: $HOP_BUILD_DIR (default: build/ in the repository), as tests/run.sh; the
# fuzzers are its clang sub-build (build/tests/fuzz/clang, needs clang++-14 and
# libfuzzer-14-dev from deploy/install-deps.sh). The corpus grows in build/fuzz-corpus/<target>
# across runs; a crash is saved in build/fuzz-artifacts/<target>/ (reproduce it with
# `build/tests/fuzz/clang/tests/fuzz/targets/<target>_fuzzer FILE`).
# pem's certificate seeds are made at run time by certs/hop-pki (no key or certificate is
# committed); the committed seeds are CRLs and malformed PEM.
# Exit status: 0 no target found anything, 1 a target crashed or broke a contract, 2 usage,
# 77 (--skip) the fuzzers are not built (clang missing, or HOP_BUILD_FUZZERS=OFF).
#
# ctest form (tests/fuzz/CMakeLists.txt): --ctest [--skip REASON] --time N --fuzzers DIR
# TARGET: no build, a fresh scratch corpus, removed afterwards.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
build="${HOP_BUILD_DIR:-$root/build}"
all_targets=(config domain pull_batch query_answer pem)
time_s=600 ctest=0 skip="" fuzzers="" targets=()
while [ $# -gt 0 ]; do
  case "$1" in
    --time) time_s="$2"; shift 2 ;;
    --ctest) ctest=1; shift ;;
    --skip) skip="$2"; shift 2 ;;
    --fuzzers) fuzzers="$2"; shift 2 ;;
    -h|--help) sed -n '2,27p' "$0"; exit 0 ;;
    -*) echo "run_fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
for t in "${targets[@]}"; do
  [ -d "$root/tests/fuzz/corpus/$t" ] || { echo "run_fuzz.sh: unknown target $t" >&2; exit 2; }
done
if [ -n "$skip" ]; then
  echo "SKIPPED: the fuzzers are not built: $skip"
  exit 77
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/hop-fuzz.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
if [ -z "$fuzzers" ]; then
  fuzzers="$build/tests/fuzz/clang/tests/fuzz/targets"
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  cmake --build "$build" --target hop_fuzzers
fi

# Seeds made at run time: certificates and a key of a throwaway PKI, and its CRL.
pem_seeds() {
  local pki="$scratch/pki" out="$scratch/pem-seeds"
  mkdir -p "$out"
  "$root/certs/hop-pki" init "$pki" >/dev/null
  "$root/certs/hop-pki" node "$pki" 0793 --dns localhost --ip 127.0.0.1 >/dev/null
  "$root/certs/hop-pki" staff "$pki" 0793 mari.maasikas >/dev/null
  "$root/certs/hop-pki" ops "$pki" 0171 prometheus >/dev/null
  "$root/certs/hop-pki" revoke "$pki" "$pki/staff/0793/mari.maasikas/staff.pem" >/dev/null
  cp "$pki/ca/ca.pem" "$out/ca"
  cp "$pki/nodes/0793/node.pem" "$out/node"
  cp "$pki/nodes/0793/node.key" "$out/node-key"
  cp "$pki/staff/0793/mari.maasikas/staff.pem" "$out/staff"
  cp "$pki/ops/0171/prometheus/ops.pem" "$out/ops"
  cp "$pki/ca/crl.pem" "$out/crl"
  echo "$out"
}

# A smaller ASan quarantine than the default 256 MB: OpenSSL's many small allocations make the
# default slow the pem target several times over.
export ASAN_OPTIONS="${ASAN_OPTIONS:-quarantine_size_mb=32}"
summary=()
status=0
for t in "${targets[@]}"; do
  bin="$fuzzers/${t}_fuzzer"
  [ -x "$bin" ] || { echo "run_fuzz.sh: $bin not built" >&2; exit 1; }
  seeds=("$root/tests/fuzz/corpus/$t")
  [ "$t" = pem ] && seeds+=("$(pem_seeds)")
  if [ "$ctest" = 1 ]; then
    corpus="$scratch/corpus-$t" artifacts="$scratch/artifacts-$t/"
  else
    corpus="$build/fuzz-corpus/$t" artifacts="$build/fuzz-artifacts/$t/"
  fi
  mkdir -p "$corpus" "$artifacts"
  log="$scratch/$t.log"
  echo "== $t: ${time_s}s, corpus $corpus"
  set +e
  # stderr of the target (hop's JSON log lines) is closed; libFuzzer's and the sanitizers'
  # reports still print. Run the binary on one file to see a contract message.
  "$bin" -max_total_time="$time_s" -timeout=25 -rss_limit_mb=4096 -print_final_stats=1 \
    -close_fd_mask=2 -artifact_prefix="$artifacts" "$corpus" "${seeds[@]}" </dev/null 2>&1 |
    tee "$log" | grep -E "INITED|DONE|ERROR|SUMMARY|contract|deadly|Test unit written" | head -200
  rc=${PIPESTATUS[0]}
  set -e
  last="$(grep -E '^#[0-9]+' "$log" | tail -1)"
  runs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")"
  eps="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")"
  cov="$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")"
  ft="$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")"
  corp="$(sed -n 's/.* corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p' <<<"$last")"
  verdict="ok"
  if [ "$rc" != 0 ]; then verdict="FOUND (exit $rc): see $artifacts"; status=1; fi
  summary+=("$(printf '%-13s %6ss  runs %-10s exec/s %-7s cov %-6s ft %-6s corpus %-10s %s' \
    "$t" "$time_s" "${runs:-?}" "${eps:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$verdict")")
done
echo
echo "== fuzz summary"
printf '%s\n' "${summary[@]}"
exit "$status"
