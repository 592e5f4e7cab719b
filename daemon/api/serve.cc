#include "daemon/api/serve.h"

#include <set>

#include "absl/strings/ascii.h"
#include "daemon/base/log.h"
#include "daemon/domain/access.h"
#include "daemon/security/identity.h"

namespace hop::api {

grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), std::string(status.message()));
}

void LogRefusal(absl::string_view full_method, absl::string_view caller,
                const absl::Status& status) {
  LogWarning("api", "call refused",
             {{"method", std::string(full_method)},
              {"caller", std::string(caller)},
              {"code", absl::StatusCodeToString(status.code())}});
}

void CountRefusal(const absl::Status& status) {
  ops::Registry::Default().Count(
      "hop_refusals_total",
      {{"api", "staff"},
       {"reason", absl::AsciiStrToLower(absl::StatusCodeToString(status.code()))}});
}

hop::v1::AuditEntry CallEntry(const Authorizer& authorizer, absl::string_view service,
                              absl::string_view method, const google::protobuf::Message& request,
                              const Caller* caller, const grpc::ServerContext& context) {
  hop::v1::AuditEntry entry;
  const size_t dot = service.rfind('.');
  entry.set_action(absl::StrCat(dot == absl::string_view::npos ? service : service.substr(dot + 1),
                                ".", method));
  entry.set_object(audit::ObjectOf(request));
  entry.set_purpose(audit::PurposeOf(request));
  if (caller == nullptr) {
    entry.set_actor(absl::StrCat("unauthenticated caller at ", context.peer()));
    entry.set_actor_role("unknown");
    return entry;
  }
  entry.set_actor(caller->principal.spiffe_id);
  entry.set_actor_municipality(caller->principal.municipality);
  if (caller->user.has_value()) {
    entry.set_actor_role(domain::RoleName(caller->user->role()));
  } else {
    entry.set_actor_role(security::PrincipalKindName(caller->principal.kind));
  }
  (void)authorizer;
  return entry;
}

absl::Status RecordCall(const Authorizer& authorizer, audit::CallAudit& call,
                        const google::protobuf::Message& request,
                        const google::protobuf::Message* response, const absl::Status& status) {
  audit::AuditLog* log = authorizer.audit();
  if (log == nullptr || (status.ok() && call.changes_recorded > 0)) return absl::OkStatus();
  std::set<std::string> subjects;
  audit::CollectSubjects(request, subjects);
  if (response != nullptr) audit::CollectSubjects(*response, subjects);
  if (status.ok() && subjects.empty()) return absl::OkStatus();  // no child's data read
  hop::v1::AuditEntry entry = call.entry;
  for (const std::string& s : subjects) entry.add_subjects(s);
  if (audit::RevealsChildProtection(request) ||
      (response != nullptr && audit::RevealsChildProtection(*response))) {
    entry.set_child_protection(true);
  }
  if (!status.ok()) {
    const bool refused = absl::IsPermissionDenied(status) || absl::IsUnauthenticated(status) ||
                         absl::IsResourceExhausted(status);
    entry.set_outcome(absl::StrCat(refused ? "refused: " : "failed: ", status.message()));
  } else if (entry.outcome().empty()) {
    entry.set_outcome("ok");
  }
  absl::Status written = log->Record({std::move(entry)});
  if (!written.ok()) return audit::ReadNotRecorded(written);
  return absl::OkStatus();
}

}  // namespace hop::api
