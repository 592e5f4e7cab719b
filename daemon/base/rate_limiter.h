// A token bucket per key (a user, a peer municipality): at most `per_minute` takes in any
// minute on average, with bursts of up to `per_minute`. Used to limit live queries (issue 4).
// Thread-safe. Memory grows with the number of distinct keys (users, peers: small sets).
#ifndef HOP_DAEMON_BASE_RATE_LIMITER_H_
#define HOP_DAEMON_BASE_RATE_LIMITER_H_

#include <cstdint>
#include <map>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/clock.h"

namespace hop {

class RateLimiter {
 public:
  // `per_minute` >= 1. `clock` must outlive the limiter.
  RateLimiter(uint32_t per_minute, const Clock* clock) : per_minute_(per_minute), clock_(clock) {}

  // Takes one token for `key` and returns OK, or returns ResourceExhausted without taking
  // one: "<what>: at most N per minute; try again in S s". `what` names the limit for the
  // reader, e.g. "queries by staff/cm1".
  absl::Status Take(const std::string& key, const std::string& what);

  uint32_t per_minute() const { return per_minute_; }

 private:
  struct Bucket {
    int64_t tokens = 0;  // token-microseconds (see rate_limiter.cc)
    absl::Time updated;
  };
  const uint32_t per_minute_;
  const Clock* const clock_;
  absl::Mutex mu_;
  std::map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hop

#endif  // HOP_DAEMON_BASE_RATE_LIMITER_H_
