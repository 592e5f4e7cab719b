#include "daemon/domain/access.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace hop::domain {

using hop::v1::Case;
using hop::v1::Role;

namespace {

// Full access by role alone (the first table of access.h).
bool RoleGivesFullAccess(const Actor& actor, const Case& c) {
  const bool own_institution =
      !actor.institution_id.empty() && c.institution_id() == actor.institution_id;
  switch (actor.role) {
    case hop::v1::ROLE_TEACHER:
      return !c.child_protection() && c.stage() == hop::v1::STAGE_I && own_institution;
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
      return !c.child_protection() && own_institution;
    case hop::v1::ROLE_CASE_MANAGER:
      return !c.child_protection();
    case hop::v1::ROLE_CHILD_PROTECTION:
      return true;
    default:
      return false;
  }
}

// Full access by assignment: responsible person or assignee, off the child-protection track
// unless a child-protection specialist.
bool AssignmentGivesFullAccess(const Actor& actor, const Case& c) {
  if (!RoleSeesPersonalData(actor.role) || actor.user_id.empty()) return false;
  if (c.child_protection() && actor.role != hop::v1::ROLE_CHILD_PROTECTION) return false;
  return IsAssigned(c, actor.user_id);
}

// True iff `user_id` opened the case or wrote in it (a note, an assessment, a history entry)
// or is responsible for one of its action items.
bool WroteIn(const Case& c, const std::string& user_id) {
  if (c.opened_by() == user_id) return true;
  for (const auto& n : c.notes()) {
    if (n.by_user() == user_id) return true;
  }
  for (const auto& a : c.assessments()) {
    if (a.by_user() == user_id) return true;
  }
  for (const auto& i : c.action_plan()) {
    if (i.responsible_user() == user_id) return true;
  }
  for (const auto& h : c.history()) {
    if (h.by_user() == user_id) return true;
  }
  return false;
}

// The former institution of `c` whose staff `actor` is, read within its period at `now`; null
// if none (or the actor is neither its coordinator nor wrote in the case).
const hop::v1::FormerInstitution* ReadableFormerInstitution(const Actor& actor, const Case& c,
                                                            int64_t now) {
  if (actor.institution_id.empty() || !RoleNeedsInstitution(actor.role)) return nullptr;
  for (const auto& former : c.former_institutions()) {
    if (former.institution_id() != actor.institution_id || now >= former.read_until()) continue;
    if (actor.role == hop::v1::ROLE_INSTITUTION_COORDINATOR || WroteIn(c, actor.user_id)) {
      return &former;
    }
  }
  return nullptr;
}

bool ReadLimited(const Actor& actor, const Case& c, int64_t now) {
  if (c.child_protection() || !RoleSeesPersonalData(actor.role) || actor.user_id.empty()) {
    return false;
  }
  // The opener reads while the case is at their institution (institution-bound roles); once it
  // has left, the former institution's period decides.
  const bool opener =
      c.opened_by() == actor.user_id &&
      (!RoleNeedsInstitution(actor.role) || actor.institution_id == c.institution_id());
  return opener || ReadableFormerInstitution(actor, c, now) != nullptr;
}

std::string Date(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%d", absl::FromUnixSeconds(unix_seconds), absl::UTCTimeZone());
}

std::string WhyReadOnly(const Actor& actor, const Case& c, int64_t now) {
  if (const auto* former = ReadableFormerInstitution(actor, c, now)) {
    return absl::StrCat("the case left your institution ", former->institution_id(),
                        "; you may read what it wrote until ", Date(former->read_until()));
  }
  return "you opened it; it has moved on, and you keep its stage and needs";
}

std::string WhyNotVisible(const Actor& actor, const Case& c) {
  if (!RoleSeesPersonalData(actor.role)) return "this role has no access to personal data";
  if (c.child_protection()) {
    return "the case is on the child-protection track (child-protection specialists only)";
  }
  if (IsSupportSpecialist(actor.role)) {
    return "support specialists work on the cases they are assigned to only";
  }
  if (actor.role == hop::v1::ROLE_TEACHER && c.institution_id() == actor.institution_id) {
    return "teachers see stage I cases only; the case has moved on";
  }
  return "the case belongs to another institution";
}

}  // namespace

bool IsAssigned(const Case& c, absl::string_view user_id) {
  if (user_id.empty()) return false;
  if (c.responsible_user() == user_id) return true;
  return std::any_of(c.assignees().begin(), c.assignees().end(),
                     [&](const hop::v1::Assignee& a) { return a.user_id() == user_id; });
}

bool CanWorkOnCase(const Actor& actor, const Case& c) {
  return RoleGivesFullAccess(actor, c) || AssignmentGivesFullAccess(actor, c);
}

CaseAccess AccessTo(const Actor& actor, const Case& c, int64_t now) {
  if (CanWorkOnCase(actor, c)) return CaseAccess::kFull;
  if (ReadLimited(actor, c, now)) return CaseAccess::kReadLimited;
  return CaseAccess::kNone;
}

absl::Status CheckCaseAccess(const Actor& actor, const Case& c, int64_t now, CaseAccess needed) {
  const CaseAccess has = AccessTo(actor, c, now);
  if (has == CaseAccess::kFull ||
      (has == CaseAccess::kReadLimited && needed != CaseAccess::kFull)) {
    return absl::OkStatus();
  }
  const std::string who = absl::StrCat(actor.user_id, " (", RoleName(actor.role), ")");
  if (has == CaseAccess::kReadLimited) {
    return absl::PermissionDeniedError(absl::StrCat(who, " has read access only to case ", c.id(),
                                                    ": ", WhyReadOnly(actor, c, now),
                                                    "; nothing changed"));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("case ", c.id(), " is not visible to ", who, ": ", WhyNotVisible(actor, c)));
}

std::vector<std::string> EntryAuthors(const Case& c) {
  std::set<std::string> users;
  for (const auto& n : c.notes()) users.insert(n.by_user());
  for (const auto& a : c.assessments()) users.insert(a.by_user());
  for (const auto& i : c.action_plan()) users.insert(i.responsible_user());
  users.erase("");
  return {users.begin(), users.end()};
}

Case RedactForReader(const Case& c, const Actor& actor, int64_t now,
                     const UserInstitutions& institution_of) {
  Case out;
  out.set_id(c.id());
  out.set_origin(c.origin());
  *out.mutable_child() = c.child();
  out.set_level(c.level());
  out.set_stage(c.stage());
  out.set_institution_id(c.institution_id());
  *out.mutable_need_areas() = c.need_areas();
  out.set_status(c.status());
  out.set_closing_reason(c.closing_reason());
  out.set_created_at(c.created_at());
  out.set_updated_at(c.updated_at());
  out.set_seq(c.seq());
  const hop::v1::FormerInstitution* former = ReadableFormerInstitution(actor, c, now);
  if (former == nullptr || c.child_protection()) return out;
  auto ours = [&](const std::string& user) {
    auto it = institution_of.find(user);
    return it != institution_of.end() && it->second == former->institution_id();
  };
  for (const auto& n : c.notes()) {
    if (ours(n.by_user())) *out.add_notes() = n;
  }
  for (const auto& a : c.assessments()) {
    if (ours(a.by_user())) *out.add_assessments() = a;
  }
  for (const auto& i : c.action_plan()) {
    if (ours(i.responsible_user())) *out.add_action_plan() = i;
  }
  return out;
}

absl::Status CheckCanOpenCase(const Actor& actor, absl::string_view institution_id) {
  switch (actor.role) {
    case hop::v1::ROLE_CASE_MANAGER:
    case hop::v1::ROLE_CHILD_PROTECTION:
      return absl::OkStatus();
    case hop::v1::ROLE_TEACHER:
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
      if (!actor.institution_id.empty() && institution_id == actor.institution_id) {
        return absl::OkStatus();
      }
      return absl::PermissionDeniedError(
          absl::StrCat(RoleName(actor.role), " ", actor.user_id,
                       " may open cases only for their own institution ", actor.institution_id,
                       ", not ", institution_id));
    default:
      return absl::PermissionDeniedError(
          absl::StrCat("role ", RoleName(actor.role), " may not open cases",
                       IsSupportSpecialist(actor.role)
                           ? " (support specialists are assigned to cases: hopctl case assign CASE "
                             "--add-assignee USER:TASK)"
                           : ""));
  }
}

bool CanSeeHeldSummary(const Actor& actor, hop::v1::ShareBasis basis) {
  switch (basis) {
    case hop::v1::SHARE_BASIS_CHILD_PROTECTION:
      return actor.role == hop::v1::ROLE_CHILD_PROTECTION;
    case hop::v1::SHARE_BASIS_CONSENT:
      return actor.role == hop::v1::ROLE_CASE_MANAGER ||
             actor.role == hop::v1::ROLE_CHILD_PROTECTION;
    default:
      return false;
  }
}

bool CanSeeReportEntry(Role role, bool child_protection) {
  return !child_protection || role == hop::v1::ROLE_CHILD_PROTECTION;
}

std::vector<std::string> NotifiedOf(const Case& c) {
  if (c.child_protection()) return {c.responsible_user()};
  return {c.responsible_user(), c.case_manager()};
}

}  // namespace hop::domain
