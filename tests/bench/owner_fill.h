// The owner's data for the sync benchmark, made offline through the casework library (no
// hopd running on the store): a case manager, an institution, N cases of distinct valid
// children, each with a guardian's consent naming the peer (summary + contact + services,
// valid for a year), so the peer's feed holds N case summaries and one institution. Also the
// offline 1% change (a new need area) for the incremental sync.
// Run the benchmark with tests/bench/run_sync_bench.sh. Not thread-safe.
#ifndef HOP_TESTS_BENCH_OWNER_FILL_H_
#define HOP_TESTS_BENCH_OWNER_FILL_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hop::bench {

struct FillOptions {
  std::string data_dir;  // the owner's store as hopd will open it; must not exist yet
  // Empty: fill `data_dir` in place (every change is a durable RocksDB write, ~2 ms on a slow
  // disk). Otherwise a directory on a tmpfs (e.g. /dev/shm/...) where the store is filled and
  // closed, then copied to `data_dir`; the copy is an ordinary RocksDB store.
  std::string scratch_dir;
  std::string owner = "0793";
  std::string peer = "0171";
  int cases = 100000;
};

struct FillResult {
  std::vector<std::string> case_ids;  // in opening order
  double fill_seconds = 0;
  double copy_seconds = 0;
  uint64_t feed_entries = 0;        // entries in the peer's feed
  uint64_t feed_bytes = 0;          // their serialized FeedEntry bytes
  uint64_t feed_summary_bytes = 0;  // of which case-summary entries
  uint64_t feed_summaries = 0;
};

// Fills the owner's store (prints progress every 10% to stdout).
absl::StatusOr<FillResult> FillOwner(const FillOptions& options);

// Adds the need area `need` to each of `case_ids` (CaseBook::AddNeeds as the bench case
// manager) in the closed store at `data_dir`. Returns the seconds it took.
absl::StatusOr<double> ChangeCases(const std::string& data_dir, const std::string& owner,
                                   const std::string& peer,
                                   const std::vector<std::string>& case_ids,
                                   const std::string& need);

// The i-th benchmark child's isikukood (distinct for i in [0, 4,018,000)): born 2010-2020,
// serial i / 4018, valid check digit.
std::string ChildIsikukood(int i);

}  // namespace hop::bench

#endif  // HOP_TESTS_BENCH_OWNER_FILL_H_
