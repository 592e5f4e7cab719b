// What one peer may see of one case: the pure rule behind the per-peer change feeds
// (DESIGN.md "Per-peer change feeds", issue 3). No I/O; thread-safe.
//
// For peer P at time t, case C (owned by this node):
//   - C closed                               -> nothing (the feed gets a tombstone)
//   - C on the child-protection track        -> the fact + the responsible specialist's contact
//       (basis CHILD_PROTECTION) iff P is one of C's related municipalities (registered
//       residence, actual residences, institution's municipality); never its content
//   - otherwise, iff a consent of the child active at t names P with scope CASE_SUMMARY
//       -> level, stage, need areas (basis CONSENT), plus the responsible contact if an
//          active consent names P with RESPONSIBLE_CONTACT, plus the services (without
//          transport/payment notes) if one names P with SERVICE_HISTORY; expires_at is the
//          earliest valid_until of the consents used
//   - otherwise                              -> nothing
// Free text (notes, assessments, closing reason, the child's name) never appears: need areas,
// service types and outcomes cross only as county codes (domain/code_lists.h) and a service's
// provider only as a directory institution id; a value of a record stored before the code
// lists that is not code-shaped is left out (a service without a code type is left out whole).
#ifndef HOP_DAEMON_FEED_PROJECTION_H_
#define HOP_DAEMON_FEED_PROJECTION_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::feed {

// The summary `peer` may hold of `c` at `now`, or nullopt if it may hold nothing.
// `consents` are the child's consents (any order; others' children are ignored);
// `responsible` is the contact of c's responsible person (or case manager) as the owner
// publishes it.
std::optional<hop::v1::CaseSummary> ProjectCase(const hop::v1::Case& c,
                                                absl::Span<const hop::v1::Consent> consents,
                                                absl::string_view peer, int64_t now,
                                                const hop::v1::ResponsibleContact& responsible);

// True iff `peer` is one of the case's related municipalities.
bool IsRelatedMunicipality(const hop::v1::Case& c, absl::string_view peer);

}  // namespace hop::feed

#endif  // HOP_DAEMON_FEED_PROJECTION_H_
