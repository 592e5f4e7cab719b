// The audit record of the call being served on this thread (a staff-API call, a federation
// pull, a background sweep). While a ScopedCallAudit is alive:
//  - every casework::RecordStore::Mutate on this thread appends one entry for its change,
//    in the same WriteBatch as the change (action, actor and purpose from the call; the
//    children concerned from what the mutation wrote), and counts it in changes_recorded;
//  - the code that opened the scope records one entry at the end if nothing was recorded
//    with a change (a read, or a refusal).
// Scopes do not nest; one per thread. Not shared between threads.
#ifndef HOP_DAEMON_AUDIT_CALL_AUDIT_H_
#define HOP_DAEMON_AUDIT_CALL_AUDIT_H_

#include <set>
#include <string>

#include "absl/status/status.h"
#include "google/protobuf/message.h"
#include "hop/v1/audit.pb.h"

namespace hop::audit {

struct CallAudit {
  hop::v1::AuditEntry entry;  // actor, action, object, purpose; subjects added as found
  int changes_recorded = 0;   // entries committed together with a change
};

class ScopedCallAudit {
 public:
  explicit ScopedCallAudit(hop::v1::AuditEntry base);
  ~ScopedCallAudit();
  ScopedCallAudit(const ScopedCallAudit&) = delete;
  ScopedCallAudit& operator=(const ScopedCallAudit&) = delete;

  CallAudit& call() { return call_; }
  // The call in progress on this thread, or null.
  static CallAudit* Current();

 private:
  CallAudit call_;
  CallAudit* previous_;
};

// Adds to `subjects` every child's isikukood found in `message` (fields child_isikukood, and
// isikukood of hop.v1.Child), at any depth.
void CollectSubjects(const google::protobuf::Message& message, std::set<std::string>& subjects);

// True when `message` (a response, a record) reveals that child protection is involved with a
// child, at any depth: a case on the child-protection track (hop.v1.Case.child_protection), a
// summary shared under the child-protection basis, an inbox entry or audit entry of a
// child-protection specialist's act, an audit entry marked child_protection.
bool RevealsChildProtection(const google::protobuf::Message& message);

// What a read answers when its audit entry could not be written (`written`, not OK): no trace,
// no data. Logs the failure; Unavailable saying why when the store cannot write now (retry
// once space is freed), else Internal.
absl::Status ReadNotRecorded(const absl::Status& written);

// The first non-empty top-level string field of `request` among case_id, consent_id,
// user_id, child_isikukood, peer; "" if none. What a call acts on. A child's isikukood here
// is stored as its pseudonym (AuditLog::Commit replaces it).
std::string ObjectOf(const google::protobuf::Message& request);

// The request's top-level "purpose" field, or "".
std::string PurposeOf(const google::protobuf::Message& request);

// An entry of an act by another municipality's node `peer` (actor: its node identity, role
// "peer-node", municipality `peer`), with `action` and `object`; the caller adds the rest.
hop::v1::AuditEntry PeerNodeEntry(const std::string& peer, const std::string& action,
                                  const std::string& object);

}  // namespace hop::audit

#endif  // HOP_DAEMON_AUDIT_CALL_AUDIT_H_
