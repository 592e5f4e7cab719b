#include "daemon/domain/access.h"

#include "absl/strings/str_cat.h"

namespace hop::domain {

using hop::v1::Role;

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

std::vector<std::string> NotifiedOf(const hop::v1::Case& c) {
  if (c.child_protection()) return {c.responsible_user()};
  return {c.responsible_user(), c.case_manager()};
}

bool CanSeeReportEntry(hop::v1::Role role, bool child_protection) {
  return !child_protection || role == hop::v1::ROLE_CHILD_PROTECTION;
}

bool RoleSeesPersonalData(Role role) {
  switch (role) {
    case hop::v1::ROLE_TEACHER:
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
    case hop::v1::ROLE_CASE_MANAGER:
    case hop::v1::ROLE_CHILD_PROTECTION:
      return true;
    default:
      return false;
  }
}

bool RoleNeedsInstitution(Role role) {
  return role == hop::v1::ROLE_TEACHER || role == hop::v1::ROLE_INSTITUTION_COORDINATOR;
}

const char* RoleName(Role role) {
  switch (role) {
    case hop::v1::ROLE_TEACHER:
      return "teacher";
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
      return "coordinator";
    case hop::v1::ROLE_CASE_MANAGER:
      return "case-manager";
    case hop::v1::ROLE_CHILD_PROTECTION:
      return "child-protection";
    case hop::v1::ROLE_NETWORK_LEADER:
      return "network-leader";
    case hop::v1::ROLE_ADMIN:
      return "admin";
    default:
      return "unspecified";
  }
}

bool CanSeeCase(const Actor& actor, const hop::v1::Case& c) {
  switch (actor.role) {
    case hop::v1::ROLE_TEACHER:
      return !c.child_protection() && c.stage() == hop::v1::STAGE_I &&
             !actor.institution_id.empty() && c.institution_id() == actor.institution_id;
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
      return !c.child_protection() && !actor.institution_id.empty() &&
             c.institution_id() == actor.institution_id;
    case hop::v1::ROLE_CASE_MANAGER:
      return !c.child_protection();
    case hop::v1::ROLE_CHILD_PROTECTION:
      return true;
    default:
      return false;
  }
}

absl::Status CheckCaseVisible(const Actor& actor, const hop::v1::Case& c) {
  if (CanSeeCase(actor, c)) return absl::OkStatus();
  std::string why;
  if (!RoleSeesPersonalData(actor.role)) {
    why = "this role has no access to personal data";
  } else if (c.child_protection()) {
    why = "the case is on the child-protection track (child-protection specialists only)";
  } else if (actor.role == hop::v1::ROLE_TEACHER && c.institution_id() == actor.institution_id) {
    why = "teachers see stage I cases only; the case has moved on";
  } else {
    why = "the case belongs to another institution";
  }
  return absl::PermissionDeniedError(absl::StrCat("case ", c.id(), " is not visible to ",
                                                  actor.user_id, " (", RoleName(actor.role),
                                                  "): ", why));
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
          absl::StrCat("role ", RoleName(actor.role), " may not open cases"));
  }
}

}  // namespace hop::domain
