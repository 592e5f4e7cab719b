#include "daemon/casework/user_registry.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/access.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/security/identity.h"

namespace hop::casework {

absl::Status UserRegistry::CheckFields(hop::v1::User& user, absl::string_view prefix) const {
  auto field = [&](absl::string_view name) { return absl::StrCat(prefix, name); };
  HOP_ASSIGN_OR_RETURN(*user.mutable_name(), domain::CleanText(user.name(), field("name")));
  if (!user.phone().empty())
    HOP_RETURN_IF_ERROR(domain::ValidatePhone(user.phone(), field("phone")));
  if (!user.email().empty())
    HOP_RETURN_IF_ERROR(domain::ValidateEmail(user.email(), field("email")));
  if (!user.id_code().empty()) {
    HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(user.id_code(), field("id_code")));
  }
  if (user.role() == hop::v1::ROLE_UNSPECIFIED || !hop::v1::Role_IsValid(user.role())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field("role"),
                     ": required; one of teacher, coordinator, case-manager, child-protection, "
                     "network-leader, admin, school-nurse, social-pedagogue, special-pedagogue, "
                     "speech-therapist, psychologist"));
  }
  if (domain::RoleNeedsInstitution(user.role())) {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::Institution> institution,
                         records_->GetInstitution(user.institution_id()));
    if (!institution.has_value() || institution->retired_at() != 0) {
      return absl::InvalidArgumentError(
          absl::StrCat(field("institution_id"), ": a ", domain::RoleName(user.role()),
                       " needs an active institution of this node's directory; \"",
                       user.institution_id(), "\" is not one (see hopctl directory search)"));
    }
  } else if (!user.institution_id().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field("institution_id"), ": a ", domain::RoleName(user.role()),
                     " is not bound to an institution; leave it out"));
  }
  return absl::OkStatus();
}

absl::Status UserRegistry::CheckIdCodeFree(const hop::v1::User& user,
                                           absl::string_view prefix) const {
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> holder, FindByIdCode(user.id_code()));
  if (!holder.has_value() || holder->user_id() == user.user_id()) return absl::OkStatus();
  return absl::AlreadyExistsError(absl::StrCat(prefix, "id_code: this isikukood already signs in ",
                                               "as user ", holder->user_id(),
                                               "; one ID card is one user"));
}

absl::Status UserRegistry::CheckNotLastAdmin(const std::string& user_id,
                                             absl::string_view what) const {
  int admins = 0;
  HOP_RETURN_IF_ERROR(records_->ScanUsers([&](const hop::v1::User& u) {
    admins += u.role() == hop::v1::ROLE_ADMIN;
    return true;
  }));
  if (admins > 1) return absl::OkStatus();
  return absl::FailedPreconditionError(
      absl::StrCat(user_id, " is the last admin; add another admin before ", what, " this one"));
}

absl::StatusOr<hop::v1::User> UserRegistry::Add(const std::string& by_user, hop::v1::User user) {
  HOP_RETURN_IF_ERROR(security::ValidatePrincipalName(user.user_id(), "user.user_id"));
  HOP_RETURN_IF_ERROR(CheckFields(user, "user."));
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> existing, records_->GetUser(user.user_id()));
    if (existing.has_value()) {
      return absl::AlreadyExistsError(
          absl::StrCat("user.user_id: ", user.user_id(), " is already registered as ",
                       domain::RoleName(existing->role()), "; change it with hopctl user update"));
    }
    HOP_RETURN_IF_ERROR(CheckIdCodeFree(user, "user."));
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
      HOP_RETURN_IF_ERROR(CheckNotLastAdmin(user_id, "removing"));
    }
    m.DeleteUser(user_id);
    return absl::OkStatus();
  });
}

absl::StatusOr<hop::v1::User> UserRegistry::Update(const std::string& by_user,
                                                   const hop::v1::UpdateUserRequest& req,
                                                   int* reprojected) {
  if (req.role() == hop::v1::ROLE_UNSPECIFIED && !req.has_institution_id() && !req.has_name() &&
      !req.has_phone() && !req.has_email() && !req.has_id_code()) {
    return absl::InvalidArgumentError(
        "role, institution_id, name, phone, email, id_code: give at least one to change");
  }
  hop::v1::User user;
  HOP_RETURN_IF_ERROR(records_->Mutate([&](Mutation& m) -> absl::Status {
    HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> existing, records_->GetUser(req.user_id()));
    if (!existing.has_value()) {
      return absl::NotFoundError(
          absl::StrCat("user_id: no user \"", req.user_id(), "\" (see hopctl user list)"));
    }
    user = *existing;
    if (req.role() != hop::v1::ROLE_UNSPECIFIED) {
      user.set_role(req.role());
      if (!req.has_institution_id() && !domain::RoleNeedsInstitution(req.role())) {
        user.clear_institution_id();  // the new role is not bound to one
      }
    }
    if (req.has_institution_id()) user.set_institution_id(req.institution_id());
    if (req.has_name()) user.set_name(req.name());
    if (req.has_phone()) user.set_phone(req.phone());
    if (req.has_email()) user.set_email(req.email());
    if (req.has_id_code()) user.set_id_code(req.id_code());
    HOP_RETURN_IF_ERROR(CheckFields(user, ""));
    if (existing->role() == hop::v1::ROLE_ADMIN && user.role() != hop::v1::ROLE_ADMIN) {
      HOP_RETURN_IF_ERROR(CheckNotLastAdmin(user.user_id(), "demoting"));
    }
    HOP_RETURN_IF_ERROR(CheckIdCodeFree(user, ""));
    user.set_updated_at(m.now());
    user.set_updated_by(by_user);
    m.PutUser(user);
    int n = 0;
    if (feeds_ != nullptr) {
      HOP_ASSIGN_OR_RETURN(n, feeds_->UserChanged(m, user));
    }
    if (reprojected != nullptr) *reprojected = n;
    return absl::OkStatus();
  }));
  return user;
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
