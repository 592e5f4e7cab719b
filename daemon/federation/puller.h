// Pulls each configured peer's feed for this node and keeps the copies (ReplicaStore).
// Streamed batches are applied together with the new checkpoint in one WriteBatch (batches
// that arrive while a write is under way go into the next write together), so a crash at any
// point neither loses nor repeats an entry. Every entry is checked on receipt
// (its record belongs to the sending municipality, valid isikukood); a bad entry is refused
// and logged, the rest of the batch applied. A new epoch at the origin drops that origin's
// copies in the same WriteBatch as the first batch of the new life.
//
// After each pull the digest of what this node holds from the origin is compared with the
// origin's digest of what it should hold (sent with the last batch, from the same
// snapshot). A mismatch is counted and logged as an error, and the origin's copies are
// resynced in full once; a mismatch that survives that fails the sync.
//
// An origin restored from a backup (a new epoch) first asks for the withdrawal notices held
// from it (PullBatch.hand_back_withdrawals; federation/withdrawal_handback.h): they are
// handed back in chunks, each in a new pull, before the origin serves its new life and the
// old copies are dropped. An origin that asks again after all were sent fails the sync.
//
// A failed pull sets the peer's failures_in_row and next_retry (exponential backoff from
// RetryPolicy), which the scheduler (federation/scheduler.h) follows.
//
// Key layout: sync_state cp/<origin> -> hop.v1.SyncCheckpoint
//                        w/<origin>  -> hop.v1.AuditWitness (the origin's newest audit head
//                                       seen on a pull; written with the batch carrying it)
// Thread-safe: syncs and PurgeExpired are serialized.
#ifndef HOP_DAEMON_FEDERATION_PULLER_H_
#define HOP_DAEMON_FEDERATION_PULLER_H_

#include <functional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/clock.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/peer_channels.h"
#include "daemon/federation/replica_store.h"
#include "daemon/store/store.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

// The sync_state key of the audit head witnessed from `origin`.
inline std::string WitnessKey(const std::string& origin) { return "w/" + origin; }

// Retry of a failed peer: initial, doubling per failure, capped at max.
struct RetryPolicy {
  int64_t initial_seconds = 60;
  int64_t max_seconds = 3600;
  // The delay after `failures_in_row` (>= 1) failures.
  int64_t DelayAfter(uint32_t failures_in_row) const;
};

class Puller {
 public:
  // Borrowed pointers must outlive the Puller. `channels` connects to the peers; `records`
  // gives this node's own feed positions for the status.
  // `audit` (may be null) records each applied write and each purge with the children
  // concerned, in the same WriteBatch. `pulled` (may be empty) is called from the syncing
  // thread after each successful pull, with the origin (look-up receipts go out then).
  Puller(store::Store* store, ReplicaStore* replicas, const casework::RecordStore* records,
         audit::AuditLog* audit, PeerTransport* channels, std::vector<PeerEndpoint> peers,
         RetryPolicy retry, const Clock* clock,
         std::function<void(const std::string& origin)> pulled = {})
      : store_(store),
        replicas_(replicas),
        records_(records),
        audit_(audit),
        channels_(channels),
        peers_(std::move(peers)),
        retry_(retry),
        clock_(clock),
        pulled_(std::move(pulled)) {}

  // Pulls from `peer` (or every peer when empty) and returns their states. A peer that
  // cannot be reached gets its error recorded; the others go on. InvalidArgument for a peer
  // that is not configured.
  absl::StatusOr<std::vector<hop::v1::PeerSyncState>> Sync(const std::string& peer);

  // What a backup leaves out (issue 11): every copy held from another municipality (the
  // replicas family) and every pull checkpoint. A restored node pulls them again from zero.
  static store::Store::BackupExclusions BackupExclusions();

  // Deletes every origin's pull checkpoint (position and epoch) in `batch`: the next pull
  // from each origin starts from zero (a receiver's restore). Returns how many.
  static absl::StatusOr<uint64_t> ForgetCheckpoints(const store::Store& store,
                                                    store::WriteBatch& batch);

  // Turns copies whose consent has expired into husks (receiver-side expiry, whether or not
  // the owner is reachable); returns how many.
  absl::StatusOr<uint64_t> PurgeExpired();

  // Called (from the syncing thread) whenever a failed pull sets a peer's next_retry, so the
  // scheduler can wake for it. Set once, before the first Sync.
  void SetRetryListener(std::function<void()> listener) { retry_listener_ = std::move(listener); }

  // Every configured peer's state, without syncing.
  std::vector<hop::v1::PeerSyncState> States() const;
  const std::vector<PeerEndpoint>& peers() const { return peers_; }

  // Checks a received entry from `origin`; PermissionDenied when it is not the origin's own
  // record, InvalidArgument saying what else is wrong.
  static absl::Status CheckEntry(const std::string& origin, const hop::v1::FeedEntry& entry);

 private:
  // One pull in progress: what is durable so far.
  struct PullState {
    hop::v1::SyncCheckpoint checkpoint;
    hop::v1::ReplicaAccount account;
    bool resync = false;  // pull from zero and drop the origin's copies with the first batch
    std::optional<hop::v1::SetDigest> origin_digest;  // from the last batch
    // The pull began with nothing held from the origin: a record not yet seen in this pull
    // cannot be held, so only records seen before need reading.
    bool started_empty = false;
    std::unordered_set<std::string> seen;  // record keys applied in this pull (started_empty)
    // Withdrawal handback (one sync): the origin's last answer asked for notices; the next
    // pull carries the chunk after handback_after; the last chunk has been sent.
    bool asked_for_withdrawals = false;
    bool handing_back = false;
    bool handed_back_all = false;
    std::string handback_after;
    bool batches_seen = false;  // batches of the current pull were applied
  };
  absl::Status PullFrom(const PeerEndpoint& peer, PullState& state);
  // Applies received batches and the checkpoint after them in one WriteBatch; `state` is
  // updated only when that write succeeded, so it always equals what is on disk.
  // Entries are moved out of `batches`.
  absl::Status ApplyBatches(const std::string& origin, std::vector<hop::v1::PullBatch>& batches,
                            PullState& state);
  // Pulls, handing back withdrawal notices first when the origin asks.
  absl::Status PullHandingBack(const PeerEndpoint& peer, PullState& state);
  // Pulls, checks the digest and resyncs once on a mismatch.
  absl::Status PullChecked(const PeerEndpoint& peer, PullState& state);
  hop::v1::SyncCheckpoint LoadCheckpoint(const std::string& origin) const;
  absl::Status SaveCheckpoint(const std::string& origin, const hop::v1::SyncCheckpoint& cp);
  hop::v1::PeerSyncState StateOf(const PeerEndpoint& peer) const;
  // Writes `batch` with those of `entries` that name children or report refused entries
  // (when auditing) in the same write.
  absl::Status Write(store::WriteBatch& batch, std::vector<hop::v1::AuditEntry> entries);

  store::Store* const store_;
  ReplicaStore* const replicas_;
  const casework::RecordStore* const records_;
  audit::AuditLog* const audit_;
  PeerTransport* const channels_;
  const std::vector<PeerEndpoint> peers_;
  const RetryPolicy retry_;
  const Clock* const clock_;
  const std::function<void(const std::string&)> pulled_;
  std::function<void()> retry_listener_;
  absl::Mutex sync_mu_;  // one sync (or purge) at a time
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PULLER_H_
