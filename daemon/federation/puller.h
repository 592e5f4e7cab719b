// Pulls each configured peer's feed for this node and keeps the copies (replicas family):
// each streamed batch is applied together with the new checkpoint in one WriteBatch, so a
// crash at any point neither loses nor repeats an entry. Every entry is checked on receipt
// (its record belongs to the sending municipality, valid isikukood); a bad entry is refused
// and logged, the rest of the batch applied. A new epoch at the origin drops that origin's
// copies in the same WriteBatch as the first batch of the new life.
//
// Key layout: replicas  o/<origin>/<record_key> -> hop.v1.FeedEntry
//             sync_state cp/<origin> -> hop.v1.SyncCheckpoint
// Thread-safe: syncs are serialized.
#ifndef HOP_DAEMON_FEDERATION_PULLER_H_
#define HOP_DAEMON_FEDERATION_PULLER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/clock.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/store/store.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

struct PeerEndpoint {
  std::string municipality;  // EHAK
  std::string address;       // host:port of its federation listener
};

class Puller {
 public:
  // Borrowed pointers must outlive the Puller. `tls` is this node's certificate.
  Puller(store::Store* store, security::TlsPaths tls, std::vector<PeerEndpoint> peers,
         const Clock* clock)
      : store_(store), tls_(std::move(tls)), peers_(std::move(peers)), clock_(clock) {}

  // Pulls from `peer` (or every peer when empty) and returns their states. A peer that
  // cannot be reached gets its error recorded; the others go on. InvalidArgument for a peer
  // that is not configured.
  absl::StatusOr<std::vector<hop::v1::PeerSyncState>> Sync(const std::string& peer);

  // Every configured peer's state, without syncing.
  std::vector<hop::v1::PeerSyncState> States() const;

  // Checks a received entry from `origin`; InvalidArgument saying what is wrong.
  static absl::Status CheckEntry(const std::string& origin, const hop::v1::FeedEntry& entry);

 private:
  absl::Status PullFrom(const PeerEndpoint& peer, hop::v1::SyncCheckpoint& checkpoint);
  // Applies one batch and its checkpoint in one WriteBatch; `checkpoint` is updated only
  // when that write succeeded, so it always equals what is on disk.
  absl::Status ApplyBatch(const std::string& origin, const hop::v1::PullBatch& batch,
                          hop::v1::SyncCheckpoint& checkpoint);
  hop::v1::SyncCheckpoint LoadCheckpoint(const std::string& origin) const;
  absl::Status SaveCheckpoint(const std::string& origin, const hop::v1::SyncCheckpoint& cp);
  hop::v1::PeerSyncState StateOf(const PeerEndpoint& peer) const;

  store::Store* const store_;
  const security::TlsPaths tls_;
  const std::vector<PeerEndpoint> peers_;
  const Clock* const clock_;
  absl::Mutex sync_mu_;  // one sync at a time
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PULLER_H_
