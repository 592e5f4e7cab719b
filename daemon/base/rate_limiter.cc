#include "daemon/base/rate_limiter.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace hop {

// Exact arithmetic: a bucket holds "token-microseconds" (one take costs 60 s worth of
// refill at one take per minute), so a token is back after exactly 60/per_minute seconds.
absl::Status RateLimiter::Take(const std::string& key, const std::string& what) {
  constexpr int64_t kCost = 60 * 1000 * 1000;  // microseconds per minute
  const int64_t capacity = kCost * per_minute_;
  const absl::Time now = clock_->Now();
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity, now});
  Bucket& b = it->second;
  if (!fresh && now > b.updated) {
    // Capped before multiplying: a long idle time refills a full bucket and no more.
    const int64_t elapsed_us = std::min<int64_t>(absl::ToInt64Microseconds(now - b.updated), kCost);
    b.tokens = std::min(capacity, b.tokens + elapsed_us * per_minute_);
    b.updated = now;
  }
  if (b.tokens >= kCost) {
    b.tokens -= kCost;
    return absl::OkStatus();
  }
  const int64_t missing_us = kCost - b.tokens;
  const int64_t wait_s = (missing_us / per_minute_ + 999999) / 1000000;
  return absl::ResourceExhaustedError(
      absl::StrCat(what, ": at most ", per_minute_, " per minute; try again in ", wait_s, " s"));
}

}  // namespace hop
