// Small helpers shared by the fuzz targets (test code only).
#ifndef HOP_TESTS_FUZZ_TARGETS_FUZZ_UTIL_H_
#define HOP_TESTS_FUZZ_TARGETS_FUZZ_UTIL_H_

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace hop::fuzz {

// Stops the run (libFuzzer saves the input as a crash) when a contract does not hold.
inline void Require(bool ok, absl::string_view what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz contract broken: %.*s\n", static_cast<int>(what.size()), what.data());
  std::abort();
}

// A refusal must be InvalidArgument whose message starts with the field it names.
inline void RequireFieldError(const absl::Status& s, absl::string_view field) {
  if (s.ok()) return;
  Require(absl::IsInvalidArgument(s), "refusal is not InvalidArgument");
  Require(absl::StartsWith(s.message(), field), "refusal does not start with its field");
}

// A directory for files the target writes: $TMPDIR, else /dev/shm (no disk syncs), else /tmp.
inline std::string ScratchRoot() {
  if (const char* t = std::getenv("TMPDIR"); t != nullptr && *t != '\0') return t;
  return std::string(std::getenv("HOP_FUZZ_NO_SHM") == nullptr ? "/dev/shm" : "/tmp");
}

}  // namespace hop::fuzz

#endif  // HOP_TESTS_FUZZ_TARGETS_FUZZ_UTIL_H_
