// Cross-municipal lookup from local copies (`hopctl lookup`): a child's cases on this node
// that the caller may see, and the case summaries held from other municipalities that the
// caller's role may see (domain::CanSeeHeldSummary), each with its origin, responsible
// contact and freshness. Expired copies are never shown. A purpose is required.
//
// Look-up receipts (issue 11): when held copies are shown, one receipt per copy (who, role,
// municipality, when, purpose, the case id; no isikukood) is queued for its owner in the
// ReceiptOutbox, in the same WriteBatch as the look-up's audit entry (`call`'s entry, with
// the child as subject; counted in call->changes_recorded so it is not written twice), and
// `queued(origin)` is told. When the outbox is full the look-up is refused
// (ResourceExhausted; no receipt, no copy). A look-up showing no held copy writes nothing here
// (its audit entry is written at the end of the call, api/serve.h).
// Errors: InvalidArgument naming the field (isikukood, purpose); ResourceExhausted (outbox
// full); Unavailable/Internal when the audit entry cannot be written (nothing shown).
// Thread-safe; borrowed pointers must outlive the ChildLookup.
#ifndef HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_
#define HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/audit/audit_log.h"
#include "daemon/audit/call_audit.h"
#include "daemon/base/clock.h"
#include "daemon/casework/case_book.h"
#include "daemon/domain/access.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/receipt_outbox.h"
#include "daemon/federation/replica_store.h"
#include "hop/v1/casework.pb.h"

namespace hop::federation {

class ChildLookup {
 public:
  struct Receipts {
    std::string municipality;  // this node's, the askers' municipality
    store::Store* store;
    audit::AuditLog* audit;
    ReceiptOutbox* outbox;
    std::function<void(const std::string& origin)> queued;  // may be empty
  };
  ChildLookup(const casework::CaseBook* cases, const ReplicaStore* replicas, const Puller* puller,
              const Clock* clock, Receipts receipts)
      : cases_(cases),
        replicas_(replicas),
        puller_(puller),
        clock_(clock),
        receipts_(std::move(receipts)) {}

  // `call` is the audit record of the staff-API call (its entry names the caller's identity);
  // may be null outside a call (then the entry is made from `actor`).
  absl::StatusOr<hop::v1::LookupResponse> Lookup(const domain::Actor& actor,
                                                 const hop::v1::LookupRequest& request,
                                                 audit::CallAudit* call) const;

 private:
  // Queues a receipt per held copy and writes the look-up's audit entry with them.
  absl::Status RecordWithReceipts(const domain::Actor& actor, const hop::v1::LookupRequest& request,
                                  const hop::v1::LookupResponse& response,
                                  audit::CallAudit* call) const;

  const casework::CaseBook* const cases_;
  const ReplicaStore* const replicas_;
  const Puller* const puller_;
  const Clock* const clock_;
  const Receipts receipts_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_
