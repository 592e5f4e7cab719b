// NudgeLimiter: when to pull an origin that nudged this node (Federation.Nudge). A nudge asks
// for a pull as soon as possible, but at most one nudged pull per origin per `min_interval`:
// a nudge inside the interval after the last nudged pull is kept and served when the interval
// ends (so no tombstone waits for the nightly sync), and any number of nudges while one is
// pending cost nothing more. Origins are the configured peers only (the caller checks), so
// the state is bounded by the number of peers.
//
// DESIGN.md "Sync": the receiver side of nudging. Also the seam through which the federation
// service hands a nudge to the scheduler (NudgeSink).
// Not thread-safe (the scheduler guards it with its own lock).
#ifndef HOP_DAEMON_FEDERATION_NUDGE_LIMITER_H_
#define HOP_DAEMON_FEDERATION_NUDGE_LIMITER_H_

#include <map>
#include <string>
#include <vector>

#include "absl/time/time.h"

namespace hop::federation {

// Where the federation service hands an authenticated peer's nudge. Thread-safe
// implementations; Nudged must return at once (no I/O).
class NudgeSink {
 public:
  virtual ~NudgeSink() = default;
  virtual void Nudged(const std::string& origin) = 0;
};

// The least time between two nudged pulls of one origin.
inline constexpr absl::Duration kMinNudgedPullInterval = absl::Seconds(10);

class NudgeLimiter {
 public:
  explicit NudgeLimiter(absl::Duration min_interval = kMinNudgedPullInterval)
      : min_interval_(min_interval) {}

  // `origin` nudged at `now`: a pull becomes due at now, or when the interval after its last
  // nudged pull ends. Returns false when a pull was already pending (the nudge coalesced).
  bool Nudge(const std::string& origin, absl::Time now);
  // The origins whose pull is due at `now`, each taken off the pending set and recorded as
  // pulled at `now`.
  std::vector<std::string> TakeDue(absl::Time now);
  // When the earliest pending pull is due; InfiniteFuture when none is pending.
  absl::Time NextDue() const;

 private:
  const absl::Duration min_interval_;
  std::map<std::string, absl::Time> due_;        // pending nudged pulls
  std::map<std::string, absl::Time> last_pull_;  // last nudged pull per origin
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_NUDGE_LIMITER_H_
