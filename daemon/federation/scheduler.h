// The node's background sync work, on one thread (DESIGN.md "Sync"):
//  - the nightly sync of every peer at sync.nightly_at, local time, plus this node's jitter
//    (a fixed offset in [0, jitter_minutes] derived from its municipality code, so the
//    eight nodes do not all pull at once and a restart does not move the slot);
//  - on start, a catch-up sync if the last nightly slot passed while the node was down;
//  - retries of peers whose last pull failed, when the Puller's backoff says so;
//  - housekeeping every minute: the owner's consent-expiry sweep and the receiver's purge
//    of expired copies (so both happen even when no peer is reachable);
//  - pulls of peers that nudged this node (Federation.Nudge: they wrote a tombstone for us),
//    at once, but at most one nudged pull per origin per 10 s (NudgeLimiter); counted in
//    hop_nudges_received_total and hop_nudged_pulls_total.
// Stop() wakes the thread and joins it. Thread-safe; borrowed pointers must outlive it.
#ifndef HOP_DAEMON_FEDERATION_SCHEDULER_H_
#define HOP_DAEMON_FEDERATION_SCHEDULER_H_

#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/federation/nudge_limiter.h"
#include "daemon/federation/puller.h"

namespace hop::federation {

// A local time of day, "HH:MM".
struct TimeOfDay {
  int hour = 0;
  int minute = 0;
};
// Parses "HH:MM" (00:00 to 23:59); InvalidArgument naming `field` otherwise.
absl::StatusOr<TimeOfDay> ParseTimeOfDay(absl::string_view text, absl::string_view field);

// This node's fixed jitter: a function of the municipality code only, in [0, jitter_minutes].
absl::Duration NightlyJitter(const std::string& municipality, uint32_t jitter_minutes);

// The first nightly slot (at `at` local time in `zone`, plus `jitter`) strictly after `after`.
absl::Time NextNightly(absl::Time after, TimeOfDay at, absl::Duration jitter, absl::TimeZone zone);

class Scheduler final : public NudgeSink {
 public:
  struct Options {
    std::optional<TimeOfDay> nightly_at;  // none: no nightly sync
    absl::Duration jitter;                // NightlyJitter(...)
    absl::TimeZone zone;                  // local time zone
    absl::Duration housekeeping_every = absl::Minutes(1);
    absl::Duration min_nudged_pull_interval = kMinNudgedPullInterval;
  };
  // `owner_sweep` is the owner's consent-expiry sweep (casework::ConsentBook).
  Scheduler(Options options, Puller* puller, std::function<absl::Status()> owner_sweep,
            const Clock* clock)
      : options_(std::move(options)),
        puller_(puller),
        owner_sweep_(std::move(owner_sweep)),
        clock_(clock),
        nudges_(options_.min_nudged_pull_interval) {}
  ~Scheduler() override { Stop(); }

  void Start();
  void Stop();

  // When the next nightly sync runs (InfiniteFuture without one). For the status.
  absl::Time next_nightly() const;

  // NudgeSink: `origin` (an authenticated configured peer) asks to be pulled soon.
  void Nudged(const std::string& origin) override;

 private:
  void Run();
  void Housekeeping();
  // Pulls from the peers whose retry is due; returns the earliest retry still pending.
  absl::Time RetryDuePeers(absl::Time now);
  // Pulls the origins whose nudged pull is due; returns when the next one is due.
  absl::Time PullNudged(absl::Time now);

  const Options options_;
  Puller* const puller_;
  const std::function<absl::Status()> owner_sweep_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  bool woken_ ABSL_GUARDED_BY(mu_) = false;  // a retry was scheduled elsewhere (hopctl sync)
  absl::Time next_nightly_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  NudgeLimiter nudges_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_SCHEDULER_H_
