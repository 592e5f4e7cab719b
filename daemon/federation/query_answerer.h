// The owner's side of a live query (hop.v1.Federation/Query, issue 4): answers a configured
// peer's question about one child from this node's own cases, by exactly the rules of that
// peer's change feed (the summary the feed holds for the peer now, after the consent-expiry
// sweep), filtered by the asker's role (the child-protection basis to child-protection
// specialists only). No case, no consent and a basis the role may not read all give the same
// empty answer.
//
// Every answer writes, in one WriteBatch, an audit entry (who asked, from where, why, what was
// shared) and, when this node has cases of the child, an inbox entry for each case's
// responsible person and case manager. Refusals are audited too. When this node has no case
// of the child, the entry records only who asked, from where and when, naming the child by
// its pseudonym (as every audit entry does), without the asker's purpose: a question leaves
// nothing where there is nothing.
// Errors: ResourceExhausted (the peer's query limit), InvalidArgument naming the field,
// PermissionDenied (a role that may not ask). Thread-safe; borrowed pointers must outlive it.
#ifndef HOP_DAEMON_FEDERATION_QUERY_ANSWERER_H_
#define HOP_DAEMON_FEDERATION_QUERY_ANSWERER_H_

#include <functional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/rate_limiter.h"
#include "daemon/casework/inbox.h"
#include "daemon/casework/record_store.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

// OK when `asker` is a staff identity of the asking node's municipality `peer`: the asking
// node vouches for its own staff only (README: trust model). InvalidArgument for an empty or
// oversized identity, PermissionDenied for any other.
absl::Status CheckAsker(const std::string& peer, const std::string& asker);
// OK for the roles that may ask other municipalities (case manager, child-protection
// specialist); PermissionDenied naming the role otherwise.
absl::Status CheckAskerRole(hop::v1::Role role);

// Default of limits.queries_per_peer_per_minute.
inline constexpr uint32_t kDefaultQueriesPerPeerPerMinute = 120;

class QueryAnswerer {
 public:
  // `sweep` runs before each answer (the owner's consent-expiry sweep).
  QueryAnswerer(casework::RecordStore* records, casework::Inbox* inbox, audit::AuditLog* audit,
                std::function<absl::Status()> sweep, uint32_t per_peer_per_minute)
      : records_(records),
        inbox_(inbox),
        audit_(audit),
        sweep_(std::move(sweep)),
        limiter_(per_peer_per_minute, &records->clock()) {}

  // Answers `query` from `peer` (an authenticated, configured peer municipality).
  absl::StatusOr<hop::v1::ChildQueryAnswer> Answer(const std::string& peer,
                                                   const hop::v1::ChildQuery& query);

 private:
  // OK unless this node was restored (a new epoch) and `peer` has pulled before but not yet
  // in this epoch: its first pull hands back the withdrawal notices it holds
  // (withdrawal_handback.h), so until then a consent withdrawn after the backup may still look
  // active here. FailedPrecondition naming the fix otherwise.
  absl::Status CheckPeerInThisEpoch(const std::string& peer) const;
  absl::StatusOr<hop::v1::ChildQueryAnswer> Decide(const std::string& peer,
                                                   const hop::v1::ChildQuery& query,
                                                   std::vector<hop::v1::Case>& cases);
  hop::v1::AuditEntry EntryFor(const std::string& peer, const hop::v1::ChildQuery& query) const;

  casework::RecordStore* const records_;
  casework::Inbox* const inbox_;
  audit::AuditLog* const audit_;
  const std::function<absl::Status()> sweep_;
  RateLimiter limiter_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_QUERY_ANSWERER_H_
