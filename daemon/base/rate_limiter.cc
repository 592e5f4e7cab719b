#include "daemon/base/rate_limiter.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/str_cat.h"

namespace hop {

absl::Status RateLimiter::Take(const std::string& key, const std::string& what) {
  const absl::Time now = clock_->Now();
  const double capacity = per_minute_;
  const double per_second = capacity / 60.0;
  absl::MutexLock lock(&mu_);
  auto [it, fresh] = buckets_.try_emplace(key, Bucket{capacity, now});
  Bucket& b = it->second;
  if (!fresh && now > b.updated) {
    b.tokens = std::min(capacity, b.tokens + absl::ToDoubleSeconds(now - b.updated) * per_second);
    b.updated = now;
  }
  if (b.tokens >= 1.0) {
    b.tokens -= 1.0;
    return absl::OkStatus();
  }
  const int64_t wait = static_cast<int64_t>(std::ceil((1.0 - b.tokens) / per_second));
  return absl::ResourceExhaustedError(
      absl::StrCat(what, ": at most ", per_minute_, " per minute; try again in ", wait, " s"));
}

}  // namespace hop
