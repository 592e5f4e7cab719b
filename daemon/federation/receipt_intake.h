// The owner's side of look-up receipts (hop.v1.Federation/Receipts, issue 11): a peer reports
// that its staff looked at copies of this node's cases. Each receipt is checked:
//  - its fields: id (32 hex digits), case id, purpose (domain::ValidatePurpose), a look-up
//    time that is not in the future (5 minutes of clock skew allowed) nor over a year old,
//    a known basis, at most domain::kMaxReceiptBytes;
//  - the asker: a staff identity of the sending node's own municipality with a role that may
//    look up (CheckAsker, CheckAskerRole: as for a live query), and asker_municipality the
//    sending node;
//  - the case: it exists here (this node owns it), and the sender may hold its summary now
//    or did when it looked: the sender's feed here holds the case, as a summary (its basis
//    readable by the asker's role: child-protection basis to child-protection specialists
//    only) or as a tombstone the sender has not yet acknowledged (a copy withdrawn, closed or
//    expired here that the sender still held when it looked; it sends its receipts right
//    after the pull that brought the tombstone, before the next pull lets it be collected).
// An accepted receipt lands exactly as a live query does: an inbox entry (kind "lookup") for the
// case's responsible person and case manager, and an audit entry naming the child (actor = the
// asker, occurred_at = the look-up time, child_protection when the copy was held under the
// child-protection basis or the case is on the child-protection track). A refused one is audited
// with the sending node as the actor (never the claimed person) and lands nowhere else. Idempotent
// by (peer, receipt id): a receipt seen before is acknowledged again without landing twice
// (sync_state "rcpt-in/<peer>/<id>" -> unix seconds when first accepted, kept for good: ids only).
//
// Limits: at most domain::kMaxReceiptsPerCall per call (InvalidArgument, audited, nothing
// acknowledged); at most domain::kMaxReceiptsPerPeerPerMinute per peer (receipts beyond it are
// left unacknowledged for the sender to retry; ResourceExhausted when none could be taken).
// Thread-safe; borrowed pointers must outlive it.
#ifndef HOP_DAEMON_FEDERATION_RECEIPT_INTAKE_H_
#define HOP_DAEMON_FEDERATION_RECEIPT_INTAKE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/rate_limiter.h"
#include "daemon/casework/inbox.h"
#include "daemon/casework/record_store.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

class ReceiptIntake {
 public:
  ReceiptIntake(casework::RecordStore* records, casework::Inbox* inbox, audit::AuditLog* audit,
                uint32_t per_peer_per_minute)
      : records_(records),
        inbox_(inbox),
        audit_(audit),
        limiter_(per_peer_per_minute, &records->clock()) {}

  // Takes `batch` from `peer` (an authenticated, configured peer municipality).
  // InvalidArgument (too many receipts), ResourceExhausted (the peer's limit), Internal (the
  // audit trail cannot be written: nothing acknowledged).
  absl::StatusOr<hop::v1::LookupReceiptAck> Take(const std::string& peer,
                                                 const hop::v1::LookupReceiptBatch& batch);

 private:
  // OK, or why the receipt is refused. `c` is the case it names, if this node has it.
  absl::Status Check(const std::string& peer, const hop::v1::LookupReceipt& r,
                     const std::optional<hop::v1::Case>& c) const;
  // Whether `peer` sent receipt `id` before.
  absl::StatusOr<bool> Seen(const std::string& peer, const std::string& id) const;
  void Land(store::WriteBatch& batch, const std::string& peer, const hop::v1::LookupReceipt& r,
            const hop::v1::Case& c, std::vector<hop::v1::AuditEntry>& entries);

  casework::RecordStore* const records_;
  casework::Inbox* const inbox_;
  audit::AuditLog* const audit_;
  RateLimiter limiter_;
  absl::Mutex mu_;  // one batch at a time: a retried receipt never lands twice
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_RECEIPT_INTAKE_H_
