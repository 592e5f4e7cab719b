#include "daemon/federation/scheduler.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "daemon/base/log.h"
#include "daemon/ops/metrics.h"

namespace hop::federation {

absl::StatusOr<TimeOfDay> ParseTimeOfDay(absl::string_view text, absl::string_view field) {
  TimeOfDay t;
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &t.hour) ||
      !absl::SimpleAtoi(text.substr(3, 2), &t.minute) || t.hour < 0 || t.hour > 23 ||
      t.minute < 0 || t.minute > 59) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not a local time; expected HH:MM, e.g. 02:30"));
  }
  return t;
}

absl::Duration NightlyJitter(const std::string& municipality, uint32_t jitter_minutes) {
  if (jitter_minutes == 0) return absl::ZeroDuration();
  uint64_t h = 1469598103934665603ull;  // FNV-1a: stable across builds and runs
  for (unsigned char c : municipality) h = (h ^ c) * 1099511628211ull;
  return absl::Seconds(static_cast<int64_t>(h % (uint64_t{jitter_minutes} * 60 + 1)));
}

absl::Time NextNightly(absl::Time after, TimeOfDay at, absl::Duration jitter, absl::TimeZone zone) {
  const absl::CivilDay today = absl::ToCivilDay(after - jitter, zone);
  auto slot_of = [&](absl::CivilDay day) {
    return absl::FromCivil(
               absl::CivilSecond(day.year(), day.month(), day.day(), at.hour, at.minute, 0), zone) +
           jitter;
  };
  for (int day = 0; day < 3; ++day) {
    const absl::Time t = slot_of(today + day);
    if (t > after) return t;
  }
  return slot_of(today + 1);  // not reached: a day later is always after `after`
}

void Scheduler::Start() {
  if (options_.nightly_at.has_value()) {
    const absl::Time now = clock_->Now();
    absl::MutexLock lock(&mu_);
    next_nightly_ = NextNightly(now, *options_.nightly_at, options_.jitter, options_.zone);
    // Catch up if the last slot passed while this node was down.
    const absl::Time last_slot =
        NextNightly(now - absl::Hours(25), *options_.nightly_at, options_.jitter, options_.zone);
    for (const hop::v1::PeerSyncState& peer : puller_->States()) {
      if (last_slot <= now && absl::FromUnixSeconds(peer.checkpoint().last_attempt()) < last_slot) {
        next_nightly_ = now;
        break;
      }
    }
  }
  puller_->SetRetryListener([this] {
    absl::MutexLock lock(&mu_);
    woken_ = true;
  });
  thread_ = std::thread([this] { Run(); });
}

void Scheduler::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

absl::Time Scheduler::next_nightly() const {
  absl::MutexLock lock(&mu_);
  return next_nightly_;
}

void Scheduler::Nudged(const std::string& origin) {
  ops::Registry::Default().Count("hop_nudges_received_total", {{"peer", origin}});
  absl::MutexLock lock(&mu_);
  if (nudges_.Nudge(origin, clock_->Now())) woken_ = true;
}

absl::Time Scheduler::PullNudged(absl::Time now) {
  std::vector<std::string> due;
  {
    absl::MutexLock lock(&mu_);
    due = nudges_.TakeDue(now);
  }
  for (const std::string& origin : due) {
    LogInfo("scheduler", "pulling a peer that nudged", {{"peer", origin}});
    ops::Registry::Default().Count("hop_nudged_pulls_total", {{"peer", origin}});
    puller_->Sync(origin).IgnoreError();  // the outcome is in its checkpoint
  }
  absl::MutexLock lock(&mu_);
  return nudges_.NextDue();
}

void Scheduler::Housekeeping() {
  if (absl::Status swept = owner_sweep_(); !swept.ok()) {
    LogWarning("scheduler", "consent expiry sweep failed",
               {{"error", std::string(swept.message())}});
  }
  if (absl::StatusOr<uint64_t> purged = puller_->PurgeExpired(); !purged.ok()) {
    LogWarning("scheduler", "purge of expired copies failed",
               {{"error", std::string(purged.status().message())}});
  }
}

absl::Time Scheduler::RetryDuePeers(absl::Time now) {
  absl::Time earliest = absl::InfiniteFuture();
  for (const hop::v1::PeerSyncState& peer : puller_->States()) {
    const int64_t retry = peer.checkpoint().next_retry();
    if (retry == 0) continue;
    if (absl::FromUnixSeconds(retry) > now) {
      earliest = std::min(earliest, absl::FromUnixSeconds(retry));
      continue;
    }
    LogInfo("scheduler", "retrying peer",
            {{"peer", peer.municipality()},
             {"failures_in_row", absl::StrCat(peer.checkpoint().failures_in_row())}});
    puller_->Sync(peer.municipality()).IgnoreError();  // the outcome is in its checkpoint
  }
  return earliest;
}

void Scheduler::Run() {
  absl::Time next_housekeeping = clock_->Now();
  for (;;) {
    absl::Time now = clock_->Now();
    if (now >= next_housekeeping) {
      Housekeeping();
      next_housekeeping = now + options_.housekeeping_every;
    }
    bool nightly_due = false;
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return;
      nightly_due = now >= next_nightly_;
    }
    if (nightly_due) {
      LogInfo("scheduler", "nightly sync");
      puller_->Sync("").IgnoreError();  // each peer's outcome is in its checkpoint
      absl::MutexLock lock(&mu_);
      next_nightly_ =
          NextNightly(clock_->Now(), *options_.nightly_at, options_.jitter, options_.zone);
    }
    now = clock_->Now();
    absl::Time wake = std::min(RetryDuePeers(now), next_housekeeping);
    wake = std::min(wake, PullNudged(clock_->Now()));
    absl::MutexLock lock(&mu_);
    wake = std::min(wake, next_nightly_);
    const absl::Duration wait =
        std::clamp(wake - clock_->Now(), absl::Milliseconds(50), absl::Minutes(1));
    auto stop_or_woken = [this]()
                             ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return stopping_ || woken_; };
    mu_.AwaitWithTimeout(absl::Condition(&stop_or_woken), wait);
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace hop::federation
