#include "daemon/casework/user_registry.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/security/identity.h"

namespace hop::casework {

absl::StatusOr<hop::v1::User> UserRegistry::Add(const std::string& by_user, hop::v1::User user) {
  HOP_RETURN_IF_ERROR(security::ValidatePrincipalName(user.user_id(), "user.user_id"));
  HOP_ASSIGN_OR_RETURN(*user.mutable_name(), domain::CleanText(user.name(), "user.name"));
  if (!user.phone().empty()) HOP_RETURN_IF_ERROR(domain::ValidatePhone(user.phone(), "user.phone"));
  if (!user.email().empty()) HOP_RETURN_IF_ERROR(domain::ValidateEmail(user.email(), "user.email"));
  if (!user.id_code().empty()) {
    HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(user.id_code(), "user.id_code"));
  }
  if (user.role() == hop::v1::ROLE_UNSPECIFIED || !hop::v1::Role_IsValid(user.role())) {
    return absl::InvalidArgumentError(
        "user.role: required; one of teacher, coordinator, case-manager, child-protection, "
        "network-leader, admin, school-nurse, social-pedagogue, special-pedagogue, "
        "speech-therapist, psychologist");
  }
  if (domain::RoleNeedsInstitution(user.role())) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> institution,
                         records_->GetInstitution(user.institution_id()));
    if (!institution.has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("user.institution_id: a ", domain::RoleName(user.role()),
                       " needs an institution of this node's directory; \"", user.institution_id(),
                       "\" is not one (see hopctl directory search)"));
    }
  } else if (!user.institution_id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("user.institution_id: a ", domain::RoleName(user.role()),
                     " is not bound to an institution; leave it out"));
  }
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> existing, records_->GetUser(user.user_id()));
    if (existing.has_value()) {
      return absl::AlreadyExistsError(absl::StrCat(
          "user.user_id: ", user.user_id(), " is already registered as ",
          domain::RoleName(existing->role()), "; remove the user first to change the role"));
    }
    if (!user.id_code().empty()) {
      HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> holder, FindByIdCode(user.id_code()));
      if (holder.has_value()) {
        return absl::AlreadyExistsError(
            absl::StrCat("user.id_code: this isikukood already signs in as user ",
                         holder->user_id(), "; one ID card is one user"));
      }
    }
    user.set_created_at(m.now());
    user.set_created_by(by_user);
    m.PutUser(user);
    return absl::OkStatus();
  }));
  return user;
}

absl::Status UserRegistry::Remove(const std::string& user_id) {
  return records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, records_->GetUser(user_id));
    if (!user.has_value()) {
      return absl::NotFoundError(absl::StrCat("user_id: no user \"", user_id, "\""));
    }
    if (user->role() == hop::v1::ROLE_ADMIN) {
      int admins = 0;
      HOP_RETURN_IF_ERROR(records_->ScanUsers([&](const hop::v1::User& u) {
        admins += u.role() == hop::v1::ROLE_ADMIN;
        return true;
      }));
      if (admins <= 1) {
        return absl::FailedPreconditionError(absl::StrCat(
            user_id, " is the last admin; add another admin before removing this one"));
      }
    }
    m.DeleteUser(user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<std::vector<hop::v1::User>> UserRegistry::List() const {
  std::vector<hop::v1::User> users;
  HOP_RETURN_IF_ERROR(records_->ScanUsers([&](const hop::v1::User& u) {
    users.push_back(u);
    return true;
  }));
  return users;
}

absl::StatusOr<std::optional<hop::v1::User>> UserRegistry::Find(const std::string& user_id) const {
  return records_->GetUser(user_id);
}

absl::StatusOr<std::optional<hop::v1::User>> UserRegistry::FindByIdCode(
    absl::string_view id_code) const {
  std::optional<hop::v1::User> found;
  if (id_code.empty()) return found;
  HOP_RETURN_IF_ERROR(records_->ScanUsers([&](const hop::v1::User& u) {
    if (u.id_code() == id_code) found = u;
    return !found.has_value();
  }));
  return found;
}

absl::StatusOr<std::vector<std::string>> UserRegistry::Bootstrap(
    const std::vector<std::string>& user_ids) {
  std::vector<std::string> added;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    bool has_admin = false;
    HOP_RETURN_IF_ERROR(records_->ScanUsers([&](const hop::v1::User& u) {
      has_admin = has_admin || u.role() == hop::v1::ROLE_ADMIN;
      return !has_admin;
    }));
    if (has_admin) return absl::OkStatus();
    for (const std::string& id : user_ids) {
      HOP_RETURN_IF_ERROR(security::ValidatePrincipalName(id, "bootstrap_admins"));
      hop::v1::User user;
      user.set_user_id(id);
      user.set_name(id);
      user.set_role(hop::v1::ROLE_ADMIN);
      user.set_created_at(m.now());
      user.set_created_by("bootstrap");
      m.PutUser(user);
      added.push_back(id);
    }
    return absl::OkStatus();
  }));
  return added;
}

}  // namespace hop::casework
