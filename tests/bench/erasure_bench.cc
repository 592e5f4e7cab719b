// erasure_bench: the cost of one erasure (issue 11, store/eraser.h) on an owner's store of
// realistic size: N consented cases made through the casework library (tests/bench/owner_fill),
// then, 3 times, one consent-sized deletion and Store::EraseDeleted (flush every memtable,
// compact every personal family to its bottommost level). Prints each run and the median.
//   build/tests/bench/erasure_bench --cases 10000
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/store/store.h"
#include "tests/bench/owner_fill.h"

ABSL_FLAG(int, cases, 10000, "consented cases in the owner's store");
ABSL_FLAG(std::string, dir, "/tmp/hop-erasure-bench", "work directory (replaced)");

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  const std::string dir = absl::GetFlag(FLAGS_dir);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  hop::bench::FillOptions fill;
  fill.data_dir = dir + "/data";
  fill.cases = absl::GetFlag(FLAGS_cases);
  absl::StatusOr<hop::bench::FillResult> filled = hop::bench::FillOwner(fill);
  if (!filled.ok()) {
    std::fprintf(stderr, "fill: %s\n", filled.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<std::unique_ptr<hop::store::Store>> store =
      hop::store::Store::Open({fill.data_dir});
  if (!store.ok()) {
    std::fprintf(stderr, "open: %s\n", store.status().ToString().c_str());
    return 1;
  }
  uint64_t bytes = 0;
  for (int f = 0; f < hop::store::kFamilyCount; ++f) {
    bytes += (*store)->ApproximateBytes(static_cast<hop::store::Family>(f));
  }
  std::printf("store: %d cases, %.1f MiB\n", fill.cases, bytes / 1048576.0);
  std::vector<double> seconds;
  for (int run = 0; run < 3; ++run) {
    hop::store::WriteBatch batch = (*store)->NewBatch();
    batch.Delete(hop::store::Family::kConsents, absl::StrCat("bench-deleted-", run));
    if (absl::Status s = (*store)->Write(batch); !s.ok()) return 1;
    absl::StatusOr<hop::store::Store::ErasureInfo> erased = (*store)->EraseDeleted();
    if (!erased.ok()) {
      std::fprintf(stderr, "erase: %s\n", erased.status().ToString().c_str());
      return 1;
    }
    seconds.push_back(absl::ToDoubleSeconds(erased->took));
    std::printf("erasure %d: %.3f s (personal families after: %.1f MiB)\n", run + 1, seconds.back(),
                erased->bytes_after / 1048576.0);
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("median: %.3f s\n", seconds[1]);
  return 0;
}
