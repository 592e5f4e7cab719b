// One write's worth of pulled batches from one origin (federation/puller.h): every entry is
// checked on receipt (Puller::CheckEntry); a tombstone purges the copy, a payload is kept, a
// refused entry of the origin's own still counts in the digest as a husk; the checkpoint
// moves to each batch's through_seq; a new epoch at the origin (or a resync) drops the
// origin's copies with the first batch. Everything goes into the caller's WriteBatch, and
// Finish() returns the audit entries that say, per basis, which children's copies the write
// received, deleted or refused. Nothing is durable until the caller writes the batch.
// Outcomes of Apply: OK; PermissionDenied (a batch names another origin); FailedPrecondition
// (the epoch changed in the middle of a pull); a store error (reading held copies).
// Not thread-safe: one per write.
#ifndef HOP_DAEMON_FEDERATION_PULLED_WRITE_H_
#define HOP_DAEMON_FEDERATION_PULLED_WRITE_H_

#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "daemon/federation/replica_store.h"
#include "daemon/store/store.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

// The sync_state key of the pull checkpoint of `origin`.
std::string CheckpointKey(const std::string& origin);

// The id part of a feed record key "<kind>/<id>" of a shared record kind (case, institution,
// contact, withdrawal); InvalidArgument for any other key.
absl::StatusOr<std::string> SharedRecordId(absl::string_view key);

class PulledWrite {
 public:
  // What is durable before this write.
  struct Position {
    hop::v1::SyncCheckpoint checkpoint;
    hop::v1::ReplicaAccount account;
    bool resync = false;         // drop the origin's copies with the first batch
    bool started_empty = false;  // the pull began with nothing held from the origin
    // Record keys applied earlier in this pull (used while started_empty); may be null.
    const std::unordered_set<std::string>* seen = nullptr;
  };

  // `replicas` and `batch` must outlive the PulledWrite.
  PulledWrite(ReplicaStore* replicas, store::WriteBatch* batch, std::string origin, int64_t now,
              Position from);

  // Applies `batch`; its entries are moved out.
  absl::Status Apply(hop::v1::PullBatch& batch);

  // True once a batch was applied (there is something to write).
  bool started() const { return apply_.has_value(); }

  // Puts the account and the checkpoint into the WriteBatch and returns the audit entries to
  // write with it (possibly none). Call once, after the last Apply, only if started().
  std::vector<hop::v1::AuditEntry> Finish();

  // After Finish, what the pull's state becomes once the WriteBatch is durable.
  const hop::v1::SyncCheckpoint& checkpoint() const { return cp_; }
  const hop::v1::ReplicaAccount& account() const { return account_; }
  bool started_empty() const { return started_empty_; }
  bool dropped() const { return dropped_; }  // the origin's copies were dropped
  std::vector<std::string>& applied_keys() { return applied_keys_; }
  std::optional<hop::v1::SetDigest>& origin_digest() { return origin_digest_; }

 private:
  // What this write did to case summaries of one basis (audit).
  struct ReceivedCopies {
    std::set<std::string> subjects;  // children concerned
    uint64_t received = 0, removed = 0, refused = 0;
    std::string Outcome() const;  // "ok; 2 case summaries received, 1 copy deleted"
  };
  ReceivedCopies& Group(bool child_protection) { return child_protection ? protection_ : consent_; }
  // The first batch: drops the origin's copies on a new epoch or a resync.
  absl::Status Begin(bool new_epoch);
  absl::Status Prefetch(const hop::v1::PullBatch& batch);
  void Refuse(const hop::v1::FeedEntry& e, const absl::Status& why);
  void Take(hop::v1::FeedEntry& e);
  hop::v1::AuditEntry AuditOf(bool child_protection) const;

  ReplicaStore* const replicas_;
  store::WriteBatch* const wb_;
  const std::string origin_;
  const int64_t now_;
  hop::v1::SyncCheckpoint cp_;
  hop::v1::ReplicaAccount account_;
  bool resync_;
  bool started_empty_;
  const std::unordered_set<std::string>* seen_;
  bool dropped_ = false;
  std::optional<ReplicaStore::OriginApply> apply_;
  std::vector<std::string> applied_keys_;
  std::optional<hop::v1::SetDigest> origin_digest_;
  ReceivedCopies consent_, protection_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PULLED_WRITE_H_
