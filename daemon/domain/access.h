// Who may see and change which case inside one municipality (object-level rules; the
// per-RPC role rules live in daemon/authz/authz_rules.cc). A user has one of three kinds of
// access to a case (AccessTo):
//
// FULL (read it whole and change it within the stage rules, daemon/domain/stages.h), by role:
//   teacher                  own institution's stage I cases, not on the child-protection track
//   institution coordinator  own institution's cases, not on the child-protection track
//   case manager             all of the municipality's cases except the child-protection track
//   child-protection         all cases, including the child-protection track
//   support specialists      no case by role alone (school nurse, social pedagogue, special
//                            pedagogue, speech therapist, psychologist: bound to an institution)
//   network leader, admin    no cases (no personal data)
// and by assignment (issue 13, the Rakvere pattern): any of the first four roles or a support
// specialist who is the case's responsible_user or one of its assignees works on that case,
// whatever the role's institution-wide rights; except on the child-protection track, which
// is shared with child-protection specialists only (an assignee who is not one loses the
// case while it is on the track, and has it back when it leaves the track).
//
// READ-LIMITED (a reduced case, RedactForReader; any change is refused), never on the
// child-protection track:
//   the opener             the user who opened the case (Case.opened_by) keeps its stage,
//                          status and need areas after it moved on (the teacher at stage II),
//                          while it is at their institution (institution-bound roles; after
//                          it left, the former institution's rule below applies)
//   a former institution   staff of an institution the case left (Case.former_institutions),
//                          until its read_until (the node's clock): its coordinators, and its
//                          other staff who wrote in the case, keep the stage, status, need
//                          areas and what staff of that institution wrote (their notes and
//                          assessments, the action items they are responsible for)
//
// NONE otherwise.
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_DOMAIN_ACCESS_H_
#define HOP_DAEMON_DOMAIN_ACCESS_H_

#include <cstdint>
#include <map>
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
  std::string institution_id;  // institution-bound roles only (RoleNeedsInstitution)
};

// What a user may do with one case (see the table above).
enum class CaseAccess {
  kNone,
  kReadLimited,  // read RedactForReader(...) only
  kFull,
};

// The user's access to case `c` at `now` (unix seconds; the node's clock).
CaseAccess AccessTo(const Actor& actor, const hop::v1::Case& c, int64_t now);

// True iff `actor` has FULL access to `c` (may read it whole and change it). Full access never
// depends on the time.
bool CanWorkOnCase(const Actor& actor, const hop::v1::Case& c);

// OK if `actor` has at least `needed` access to `c` at `now`. PermissionDenied otherwise,
// saying why: "case X is not visible to U (role): <why>", or, when the actor has read access
// but `needed` is kFull, "... U has read access only (<why>); nothing changed".
absl::Status CheckCaseAccess(const Actor& actor, const hop::v1::Case& c, int64_t now,
                             CaseAccess needed);

// The institution (User.institution_id, may be empty) of users named in a case, for
// RedactForReader: user id -> institution id. Users missing from the map belong to none.
using UserInstitutions = std::map<std::string, std::string>;

// The case as a read-limited reader sees it: id, origin, child, level, stage, status (and
// closing reason), institution, need areas, created/updated times; for a reader of a former
// institution within its period also the notes and assessments whose by_user, and the action
// items whose responsible_user, belongs to that institution (`institution_of`). Everything
// else (responsible person, case manager, assignees, services, other entries, history,
// related municipalities, former institutions) is left out. Meant for actors whose
// AccessTo(actor, c, now) is kReadLimited.
hop::v1::Case RedactForReader(const hop::v1::Case& c, const Actor& actor, int64_t now,
                              const UserInstitutions& institution_of);

// The user ids a former institution's reader may need to know the institution of: authors of
// notes and assessments and responsible persons of action items (for UserInstitutions).
std::vector<std::string> EntryAuthors(const hop::v1::Case& c);

// The roles that may be a case's responsible person or assignee, or responsible for an action
// item: the case workers and the support specialists.
inline constexpr hop::v1::Role kAssignableRoles[] = {
    hop::v1::ROLE_TEACHER,           hop::v1::ROLE_INSTITUTION_COORDINATOR,
    hop::v1::ROLE_CASE_MANAGER,      hop::v1::ROLE_CHILD_PROTECTION,
    hop::v1::ROLE_SCHOOL_NURSE,      hop::v1::ROLE_SOCIAL_PEDAGOGUE,
    hop::v1::ROLE_SPECIAL_PEDAGOGUE, hop::v1::ROLE_SPEECH_THERAPIST,
    hop::v1::ROLE_PSYCHOLOGIST};

// True iff `user_id` is the case's responsible person or one of its assignees.
bool IsAssigned(const hop::v1::Case& c, absl::string_view user_id);

// OK if `actor` may open a case at `institution_id`: teachers and coordinators for their own
// institution only; case managers and child-protection specialists for any. PermissionDenied
// otherwise (support specialists are assigned to cases; they do not open them).
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
// Assignees are not told (the responsible person coordinates them).
std::vector<std::string> NotifiedOf(const hop::v1::Case& c);

// True for roles that work with children's personal data (the case workers and the support
// specialists).
bool RoleSeesPersonalData(hop::v1::Role role);

// True for the support specialists (school nurse, social pedagogue, special pedagogue, speech
// therapist, psychologist): institution-bound, full access by assignment only.
bool IsSupportSpecialist(hop::v1::Role role);

// True for roles bound to one institution (teacher, institution coordinator, the support
// specialists).
bool RoleNeedsInstitution(hop::v1::Role role);

// Lower-case role name used in messages and by hopctl: "teacher", "coordinator",
// "case-manager", "child-protection", "network-leader", "admin", "school-nurse",
// "social-pedagogue", "special-pedagogue", "speech-therapist", "psychologist".
const char* RoleName(hop::v1::Role role);

}  // namespace hop::domain

#endif  // HOP_DAEMON_DOMAIN_ACCESS_H_
