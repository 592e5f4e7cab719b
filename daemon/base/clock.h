// Clock: the seam through which all daemon code reads the time, so tests can fix it.
// Thread-safe: implementations must allow concurrent calls.
#ifndef HOP_DAEMON_BASE_CLOCK_H_
#define HOP_DAEMON_BASE_CLOCK_H_

#include <atomic>
#include <cstdint>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace hop {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
  int64_t NowUnix() const { return absl::ToUnixSeconds(Now()); }
};

// The wall clock.
class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

// The wall clock shifted by a fixed offset. hopd uses it when the environment variable
// HOP_CLOCK_OFFSET_SECONDS is set, for drills and tests of expiry ("two days from now");
// never set it on a production node.
class OffsetClock final : public Clock {
 public:
  explicit OffsetClock(absl::Duration offset) : offset_(offset) {}
  absl::Time Now() const override { return absl::Now() + offset_; }

 private:
  const absl::Duration offset_;
};

// A clock that only moves when told to. For tests.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t unix_seconds) : now_(unix_seconds) {}
  absl::Time Now() const override { return absl::FromUnixSeconds(now_.load()); }
  void Set(int64_t unix_seconds) { now_.store(unix_seconds); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace hop

#endif  // HOP_DAEMON_BASE_CLOCK_H_
