// Who may see and change which case inside one municipality (object-level rules; the
// per-RPC role rules live in daemon/api/authz_rules.cc).
//   teacher                  own institution's stage I cases, not on the child-protection track
//   institution coordinator  own institution's cases, not on the child-protection track
//   case manager             all of the municipality's cases except the child-protection track
//   child-protection         all cases, including the child-protection track
//   network leader, admin    no cases (no personal data)
// Whoever may see a case may change it within the stage rules (daemon/domain/stages.h).
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_DOMAIN_ACCESS_H_
#define HOP_DAEMON_DOMAIN_ACCESS_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::domain {

// A registered staff user acting on this node.
struct Actor {
  std::string user_id;
  hop::v1::Role role = hop::v1::ROLE_UNSPECIFIED;
  std::string institution_id;  // teachers and coordinators only
};

// True iff `actor` may see (and so change) case `c`.
bool CanSeeCase(const Actor& actor, const hop::v1::Case& c);

// OK, or PermissionDenied saying why `actor` may not see case `c`.
absl::Status CheckCaseVisible(const Actor& actor, const hop::v1::Case& c);

// OK if `actor` may open a case at `institution_id`: teachers and coordinators for their own
// institution only; case managers and child-protection specialists for any. PermissionDenied
// otherwise.
absl::Status CheckCanOpenCase(const Actor& actor, absl::string_view institution_id);

// True iff `actor` may see a case summary held from another municipality, shared under
// `basis`: the child-protection basis to child-protection specialists only; a consent to
// case managers and child-protection specialists.
bool CanSeeHeldSummary(const Actor& actor, hop::v1::ShareBasis basis);

// True iff `role` may see, in a child's access report (Audit.Subject), an entry marked
// child_protection (one that reveals child-protection involvement): child-protection
// specialists only (issue 11). Entries not so marked: every role that may read the report.
bool CanSeeReportEntry(hop::v1::Role role, bool child_protection);

// Who is told in the inbox when another municipality asks about or looks up case `c`: its
// responsible person and its case manager; on the child-protection track the responsible
// person only (the child-protection specialist: a case manager may not see that track).
std::vector<std::string> NotifiedOf(const hop::v1::Case& c);

// True for roles that work with children's personal data.
bool RoleSeesPersonalData(hop::v1::Role role);

// True for roles bound to one institution (teacher, institution coordinator).
bool RoleNeedsInstitution(hop::v1::Role role);

// Lower-case role name used in messages and by hopctl: "teacher", "coordinator",
// "case-manager", "child-protection", "network-leader", "admin".
const char* RoleName(hop::v1::Role role);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_ACCESS_H_
