// Nudger: tells peers to pull at once after their feed gained a tombstone (issue 11, "Fast
// withdrawal"), so a withdrawal, closing, expiry, ended relation or retention purge reaches a
// running peer within seconds instead of at its next nightly sync.
//
// The record store calls TombstonesCommitted (casework::FeedListener) after such a write has
// committed; that only adds the peers to a pending set (coalesced: a peer is pending once
// however many tombstones it got). One background thread sends each pending peer a
// Federation.Nudge through the PeerTransport, a peer at a time, each call bounded by
// `call_timeout`. A nudge that fails is dropped, not retried: the peer still gets the
// tombstone at its next contact (its nightly pull or its retry). Counted in
// hop_nudges_sent_total{peer,outcome="ok"|"failed"}; failures are logged (peer code and
// error only).
//
// Start() starts the thread; Stop() (also from the destructor) cancels a call in flight,
// drops what is pending and joins. Thread-safe; borrowed pointers must outlive the Nudger.
#ifndef HOP_DAEMON_FEDERATION_NUDGER_H_
#define HOP_DAEMON_FEDERATION_NUDGER_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/casework/feed_listener.h"
#include "daemon/federation/peer_channels.h"
#include "grpcpp/client_context.h"

namespace hop::federation {

class Nudger final : public casework::FeedListener {
 public:
  // `peers` are the configured peers; tombstones for anyone else are ignored.
  Nudger(PeerTransport* channels, std::vector<PeerEndpoint> peers,
         absl::Duration call_timeout = absl::Seconds(5));
  ~Nudger() override { Stop(); }

  void Start();
  void Stop();

  // casework::FeedListener: marks `peers` pending and wakes the thread. Never blocks on I/O.
  void TombstonesCommitted(const std::set<std::string>& peers) override;

 private:
  void Run();
  // Sends one nudge; false when it failed (logged and counted).
  bool Send(const PeerEndpoint& peer);

  PeerTransport* const channels_;
  const std::map<std::string, PeerEndpoint> peers_;  // by municipality
  const absl::Duration call_timeout_;
  absl::Mutex mu_;
  std::set<std::string> pending_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  grpc::ClientContext* in_flight_ ABSL_GUARDED_BY(mu_) = nullptr;  // cancelled by Stop
  std::thread thread_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_NUDGER_H_
