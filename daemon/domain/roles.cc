// The role predicates and names of access.h.
#include "daemon/domain/access.h"

namespace hop::domain {

using hop::v1::Role;

bool IsSupportSpecialist(Role role) {
  switch (role) {
    case hop::v1::ROLE_SCHOOL_NURSE:
    case hop::v1::ROLE_SOCIAL_PEDAGOGUE:
    case hop::v1::ROLE_SPECIAL_PEDAGOGUE:
    case hop::v1::ROLE_SPEECH_THERAPIST:
    case hop::v1::ROLE_PSYCHOLOGIST:
      return true;
    default:
      return false;
  }
}

bool RoleSeesPersonalData(Role role) {
  switch (role) {
    case hop::v1::ROLE_TEACHER:
    case hop::v1::ROLE_INSTITUTION_COORDINATOR:
    case hop::v1::ROLE_CASE_MANAGER:
    case hop::v1::ROLE_CHILD_PROTECTION:
      return true;
    default:
      return IsSupportSpecialist(role);
  }
}

bool RoleNeedsInstitution(Role role) {
  return role == hop::v1::ROLE_TEACHER || role == hop::v1::ROLE_INSTITUTION_COORDINATOR ||
         IsSupportSpecialist(role);
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
    case hop::v1::ROLE_SCHOOL_NURSE:
      return "school-nurse";
    case hop::v1::ROLE_SOCIAL_PEDAGOGUE:
      return "social-pedagogue";
    case hop::v1::ROLE_SPECIAL_PEDAGOGUE:
      return "special-pedagogue";
    case hop::v1::ROLE_SPEECH_THERAPIST:
      return "speech-therapist";
    case hop::v1::ROLE_PSYCHOLOGIST:
      return "psychologist";
    default:
      return "unspecified";
  }
}

}  // namespace hop::domain
