#include "daemon/store/eraser.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"

namespace hop::store {

absl::Duration Eraser::PollInterval(absl::Duration within) {
  return std::clamp(within / 4, absl::Milliseconds(250), absl::Seconds(5));
}

void Eraser::Start() {
  if (thread_.joinable()) return;
  thread_ = std::thread([this] { Run(); });
}

void Eraser::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

Eraser::Stats Eraser::stats() const {
  absl::MutexLock lock(&mu_);
  return stats_;
}

absl::Duration Eraser::Tick() {
  const std::optional<int64_t> since = store_->ErasurePendingSince();
  if (!since.has_value()) return poll_;
  const absl::Time due = absl::FromUnixSeconds(*since) + within_ / 2;
  const absl::Time now = clock_->Now();
  if (now < due) return std::min(poll_, due - now);
  mu_.Unlock();
  absl::StatusOr<Store::ErasureInfo> erased = store_->EraseDeleted();
  mu_.Lock();
  if (!erased.ok()) {
    ++stats_.failures;
    // Logged once per episode (a full disk fails every retry until space is freed).
    if (stats_.last_error.empty()) {
      LogWarning("store", "erasure of deleted data failed; retrying until it succeeds",
                 {{"error", std::string(erased.status().message())}});
    }
    stats_.last_error = std::string(erased.status().message());
    return poll_;
  }
  ++stats_.runs;
  stats_.last_took = erased->took;
  stats_.last_error.clear();
  LogInfo("store", "deleted data erased from the data directory",
          {{"pending_seconds", absl::StrCat(clock_->NowUnix() - *since)},
           {"took_ms", absl::StrCat(absl::ToInt64Milliseconds(erased->took))},
           {"personal_bytes", absl::StrCat(erased->bytes_after)}});
  return erased->still_pending ? absl::ZeroDuration() : poll_;
}

void Eraser::Run() {
  absl::MutexLock lock(&mu_);
  while (!stop_) {
    const absl::Duration wait = Tick();
    if (stop_) break;
    mu_.AwaitWithTimeout(absl::Condition(&stop_), wait);
  }
}

}  // namespace hop::store
