#!/usr/bin/env bash
# Encodes the protobuf seeds (tests/fuzz/seeds/<target>/*.txtpb, readable textproto) into the
# binary seed corpus the fuzzers read (tests/fuzz/corpus/<target>/<name>). Run it after
# editing a seed or a .proto, and commit both. Needs protoc (protobuf-compiler).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
encode() {  # target message
  for src in "$root/tests/fuzz/seeds/$1"/*.txtpb; do
    grep -v '^#' "$src" |
      protoc -I"$root/proto" --encode="$2" "$root/proto/hop/v1/federation.proto" \
        >"$root/tests/fuzz/corpus/$1/$(basename "$src" .txtpb)"
  done
}
encode pull_batch hop.v1.PullBatch
encode query_answer hop.v1.ChildQueryAnswer
echo "make_seeds.sh: corpus updated"
