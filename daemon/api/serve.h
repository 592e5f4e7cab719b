// The shape every staff-API handler shares: authorize the call, run the operation under the
// call's audit scope, convert absl::Status to grpc::Status (codes map 1:1), and log refusals
// (ids only, no personal data).
// Audit: a change is audited with the change itself (casework::RecordStore::Mutate); a call
// that changed nothing is audited at its end when it read a child's data (subjects found in
// the request or the response) or was refused. A read whose audit entry cannot be written
// fails closed, its data not returned (no trace, no data): UNAVAILABLE saying why when the
// store cannot write (e.g. a full disk; retry once space is freed), else INTERNAL.
// Thread-safe as long as the operation is.
#ifndef HOP_DAEMON_API_SERVE_H_
#define HOP_DAEMON_API_SERVE_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "daemon/api/authorizer.h"
#include "daemon/audit/call_audit.h"
#include "daemon/ops/metrics.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"
#include "hop/v1/audit.pb.h"

namespace hop::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Logs a refused or failed call: method, caller identity, code and message.
void LogRefusal(absl::string_view full_method, absl::string_view caller,
                const absl::Status& status);

// The audit entry a call starts from: action "<Service>.<Method>", object and purpose from
// the request, the actor from `caller` (or the connection's address when unauthenticated).
hop::v1::AuditEntry CallEntry(const Authorizer& authorizer, absl::string_view service,
                              absl::string_view method, const google::protobuf::Message& request,
                              const Caller* caller, const grpc::ServerContext& context);

// Counts a refused or failed staff-API call in hop_refusals_total by its code.
void CountRefusal(const absl::Status& status);

// Records the end of a call (see above); a non-OK result when the entry cannot be written.
absl::Status RecordCall(const Authorizer& authorizer, audit::CallAudit& call,
                        const google::protobuf::Message& request,
                        const google::protobuf::Message* response, const absl::Status& status);

// Authorizes `context` for "/<service>/<method>", then runs `fn(const Caller&)`, which returns
// absl::StatusOr<T>; on success moves the value into `*out`.
template <typename Request, typename T, typename Fn>
grpc::Status Serve(const Authorizer& authorizer, grpc::ServerContext* context,
                   absl::string_view service, absl::string_view method, const Request& request,
                   T* out, Fn&& fn) {
  const std::string full_method = absl::StrCat("/", service, "/", method);
  ops::ScopedTimer timer("hop_api_request_duration_seconds", {{"method", std::string(method)}});
  absl::StatusOr<Caller> caller = authorizer.Authorize(*context, full_method);
  if (!caller.ok()) {
    CountRefusal(caller.status());
    LogRefusal(full_method, context->peer(), caller.status());
    const std::optional<Caller> who = authorizer.Identify(*context);
    audit::CallAudit refused{CallEntry(authorizer, service, method, request,
                                       who.has_value() ? &*who : nullptr, *context)};
    RecordCall(authorizer, refused, request, nullptr, caller.status()).IgnoreError();
    return ToGrpcStatus(caller.status());
  }
  audit::ScopedCallAudit scope(CallEntry(authorizer, service, method, request, &*caller, *context));
  absl::StatusOr<T> result = std::forward<Fn>(fn)(*caller);
  absl::Status recorded = RecordCall(authorizer, scope.call(), request,
                                     result.ok() ? &*result : nullptr, result.status());
  if (!result.ok()) {
    CountRefusal(result.status());
    LogRefusal(full_method, caller->principal.spiffe_id, result.status());
    return ToGrpcStatus(result.status());
  }
  if (!recorded.ok()) return ToGrpcStatus(recorded);
  *out = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace hop::api

#endif  // HOP_DAEMON_API_SERVE_H_
