#include "daemon/api/authorizer.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "daemon/authz/authz_rules.h"
#include "daemon/base/status_macros.h"

namespace hop::api {

domain::Actor Caller::actor() const {
  domain::Actor actor;
  actor.user_id = principal.name;
  if (user.has_value()) {
    actor.role = user->role();
    actor.institution_id = user->institution_id();
  }
  return actor;
}

absl::Status Authorizer::MapIdCard(security::Principal& principal) const {
  if (principal.id_code.empty()) return absl::OkStatus();
  HOP_ASSIGN_OR_RETURN(std::optional<hop::v1::User> user, users_->FindByIdCode(principal.id_code));
  if (!user.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "this ID card is not registered at node ", municipality_,
        "; an admin registers its holder with: hopctl user add USER_ID --role ROLE --name NAME "
        "--id-code ISIKUKOOD"));
  }
  principal.municipality = municipality_;
  principal.name = user->user_id();
  principal.spiffe_id = security::StaffSpiffeId(municipality_, user->user_id());
  return absl::OkStatus();
}

absl::StatusOr<Caller> Authorizer::Authorize(const grpc::ServerContext& context,
                                             absl::string_view full_method) const {
  Caller caller;
  HOP_ASSIGN_OR_RETURN(caller.principal, authenticator_->Authenticate(context));
  HOP_RETURN_IF_ERROR(MapIdCard(caller.principal));
  const security::Principal& p = caller.principal;
  const authz::MethodRule* rule = authz::FindRule(full_method);
  if (p.municipality != municipality_ && p.kind == security::PrincipalKind::kOps &&
      rule != nullptr && rule->county_ops) {
    return caller;  // another municipality's ops team: node state only
  }
  if (p.municipality != municipality_) {
    return absl::PermissionDeniedError(absl::StrCat(p.spiffe_id, " belongs to municipality ",
                                                    p.municipality, "; this is the staff API of ",
                                                    municipality_));
  }
  if (p.kind == security::PrincipalKind::kNode) {
    return absl::PermissionDeniedError(
        "node certificates are for the federation port, not the staff API; use a staff "
        "certificate");
  }
  if (rule == nullptr) {
    return absl::PermissionDeniedError(
        absl::StrCat(full_method, " has no authorization rule and is refused"));
  }
  if (rule->port != authz::Port::kStaff) {
    return absl::PermissionDeniedError(
        absl::StrCat(full_method, " is not a method of the staff API and is refused"));
  }
  if (p.kind == security::PrincipalKind::kOps) {
    if (rule->ops) return caller;
    return absl::PermissionDeniedError(
        absl::StrCat("ops identity ", p.name, " may read node state only, not call ", full_method));
  }
  HOP_ASSIGN_OR_RETURN(caller.user, users_->Find(p.name));
  if (rule->any_staff) return caller;
  if (!caller.user.has_value()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "staff user ", p.name, " is not registered at node ", municipality_,
        "; an admin registers them with: hopctl user add ", p.name, " --role ROLE --name NAME"));
  }
  if (std::find(rule->staff_roles.begin(), rule->staff_roles.end(), caller.user->role()) ==
      rule->staff_roles.end()) {
    return absl::PermissionDeniedError(absl::StrCat("role ", domain::RoleName(caller.user->role()),
                                                    " may not call ", full_method));
  }
  return caller;
}

std::optional<Caller> Authorizer::Identify(const grpc::ServerContext& context) const {
  absl::StatusOr<security::Principal> principal = authenticator_->Authenticate(context);
  if (!principal.ok() || !MapIdCard(*principal).ok()) return std::nullopt;
  Caller caller;
  caller.principal = *std::move(principal);
  if (caller.principal.municipality == municipality_ &&
      caller.principal.kind == security::PrincipalKind::kStaff) {
    absl::StatusOr<std::optional<hop::v1::User>> user = users_->Find(caller.principal.name);
    if (user.ok()) caller.user = *std::move(user);
  }
  return caller;
}

}  // namespace hop::api
