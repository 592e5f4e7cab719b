#include "daemon/federation/nudge_limiter.h"

#include <algorithm>

namespace hop::federation {

bool NudgeLimiter::Nudge(const std::string& origin, absl::Time now) {
  if (due_.count(origin) != 0) return false;
  absl::Time at = now;
  if (auto last = last_pull_.find(origin); last != last_pull_.end()) {
    at = std::max(now, last->second + min_interval_);
  }
  due_[origin] = at;
  return true;
}

std::vector<std::string> NudgeLimiter::TakeDue(absl::Time now) {
  std::vector<std::string> taken;
  for (auto it = due_.begin(); it != due_.end();) {
    if (it->second > now) {
      ++it;
      continue;
    }
    taken.push_back(it->first);
    last_pull_[it->first] = now;
    it = due_.erase(it);
  }
  return taken;
}

absl::Time NudgeLimiter::NextDue() const {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [origin, at] : due_) next = std::min(next, at);
  return next;
}

}  // namespace hop::federation
