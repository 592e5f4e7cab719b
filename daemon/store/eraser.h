// The node's erasure thread (issue 11, "erasure you can grep"): runs Store::EraseDeleted at
// most `within` after the first deletion of personal data that is not erased yet, so purged
// data leaves every file of the data directory within that bound. It looks at the store's
// pending mark (kept in meta: a deletion before a crash or stop is erased after the next
// start) every PollInterval(within) and erases once half of `within` has passed since the
// mark, so that a burst of deletions is erased by one compaction and the compaction itself
// has the other half. A failed erasure (e.g. a full disk) is retried at the next check.
// Thread-safe; `store` and `clock` must outlive it. Stop() (or the destructor) joins.
#ifndef HOP_DAEMON_STORE_ERASER_H_
#define HOP_DAEMON_STORE_ERASER_H_

#include <cstdint>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"

namespace hop::store {

// Default of retention.erase_within_seconds.
inline constexpr uint32_t kDefaultEraseWithinSeconds = 600;

class Eraser {
 public:
  Eraser(Store* store, const Clock* clock, absl::Duration within)
      : store_(store), clock_(clock), within_(within), poll_(PollInterval(within)) {}
  ~Eraser() { Stop(); }
  Eraser(const Eraser&) = delete;
  Eraser& operator=(const Eraser&) = delete;

  // Starts the thread (once).
  void Start();
  // Wakes the thread and joins it; an erasure in progress finishes first.
  void Stop();

  struct Stats {
    uint64_t runs = 0;      // erasures completed since start
    uint64_t failures = 0;  // erasures failed since start
    absl::Duration last_took;
    std::string last_error;  // of the newest failure; "" after a success
  };
  Stats stats() const;

  // Between two looks at the pending mark: a quarter of `within`, from 250 ms to 5 s.
  static absl::Duration PollInterval(absl::Duration within);

 private:
  void Run();
  // Erases if due; returns how long to wait before the next look.
  absl::Duration Tick() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  Store* const store_;
  const Clock* const clock_;
  const absl::Duration within_;
  const absl::Duration poll_;
  mutable absl::Mutex mu_;
  bool stop_ ABSL_GUARDED_BY(mu_) = false;
  Stats stats_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace hop::store

#endif  // HOP_DAEMON_STORE_ERASER_H_
