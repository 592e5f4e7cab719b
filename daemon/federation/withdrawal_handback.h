// Withdrawals stay final across a restore (README "Withdrawals stay final"). Every withdrawal
// leaves a withdrawal notice in the feed of each peer the consent named
// (daemon/feed/withdrawal_notice.h). When this node comes back from a backup (hopd --restore:
// a new epoch), a consent withdrawn after the backup is active again in its store; the peers
// still hold the notices. So before a pull from an earlier epoch is served, this node asks
// the peer for them (PullBatch.hand_back_withdrawals), checks each token with its own
// NodeSecret (not in backups, so old tokens still check) and withdraws again, through
// ConsentBook, every consent a genuine notice names that is still active here. Only then is
// the pull served (from zero, as for any other epoch): the re-withdrawal has already written
// tombstones and new notices into every recipient's feed.
//
// Refusals: a handback beyond domain::kMaxHandbackNotices / kMaxHandbackBytes is refused as a
// whole (InvalidArgument, nothing changes); a notice whose token does not check (forged,
// altered, made for another peer) is refused alone, logged, audited and counted, and the
// others are applied. The epoch never moves here (only this node's own act moves it).
//
// Thread-safe (re-applications are serialized by RecordStore). Borrowed pointers must outlive
// this object.
#ifndef HOP_DAEMON_FEDERATION_WITHDRAWAL_HANDBACK_H_
#define HOP_DAEMON_FEDERATION_WITHDRAWAL_HANDBACK_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "daemon/audit/audit_log.h"
#include "daemon/casework/consent_book.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/replica_store.h"
#include "daemon/security/node_secret.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

// The owner's side.
class WithdrawalHandback {
 public:
  WithdrawalHandback(casework::RecordStore* records, casework::ConsentBook* consents,
                     const security::NodeSecret* secret, audit::AuditLog* audit)
      : records_(records), consents_(consents), secret_(secret), audit_(audit) {}

  struct Outcome {
    bool ask = false;        // answer the pull with one PullBatch asking for withdrawals
    uint64_t reapplied = 0;  // consents withdrawn again
    uint64_t refused = 0;    // notices refused
  };

  // Runs before a pull by configured peer `peer` is served. Applies request.withdrawals when
  // present; asks (Outcome.ask) when the request's epoch is an earlier one of this node and
  // no withdrawals came with it, or the handback says more follow. InvalidArgument (audited)
  // when the handback exceeds the limits; errors of the store otherwise.
  absl::StatusOr<Outcome> Receive(const std::string& peer, const hop::v1::PullRequest& request);

 private:
  // Withdraws again the consent a verified notice names; true if it was still active.
  absl::StatusOr<bool> Reapply(const std::string& peer, const hop::v1::WithdrawalNotice& n);
  void Audit(const std::string& peer, const std::string& object, const std::string& outcome);

  casework::RecordStore* const records_;
  casework::ConsentBook* const consents_;
  const security::NodeSecret* const secret_;
  audit::AuditLog* const audit_;
};

// The puller's side: the next chunk of the withdrawal notices held from `origin` (within the
// limits above), after record key `*after_key` ("" = from the first); advances `*after_key`.
// `more` is set when notices remain for another pull. Possibly empty.
absl::StatusOr<hop::v1::WithdrawalHandback> NextHandback(const ReplicaStore& replicas,
                                                         const std::string& origin,
                                                         std::string* after_key);

// The puller's side: whether `batches`, received in one pull, are the origin asking for
// withdrawal notices (one lone batch of `origin` with hand_back_withdrawals and no entries)
// rather than batches to apply. FailedPrecondition for a malformed request: with entries,
// with other batches, after batches of the same pull were applied (`applied_before`), or
// anything after a request (`asked_before`).
absl::StatusOr<bool> IsHandbackRequest(const std::string& origin,
                                       absl::Span<const hop::v1::PullBatch> batches,
                                       bool applied_before, bool asked_before);

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_WITHDRAWAL_HANDBACK_H_
