// The shape every staff-API handler shares: authorize the call, run the operation, convert
// absl::Status to grpc::Status (codes map 1:1), and log refusals (ids only, no personal data).
// Thread-safe as long as the operation is.
#ifndef HOP_DAEMON_API_SERVE_H_
#define HOP_DAEMON_API_SERVE_H_

#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "daemon/api/authorizer.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace hop::api {

grpc::Status ToGrpcStatus(const absl::Status& status);

// Logs a refused or failed call: method, caller identity, code and message.
void LogRefusal(absl::string_view full_method, absl::string_view caller,
                const absl::Status& status);

// Authorizes `context` for "/<service>/<method>", then runs `fn(const Caller&)`, which returns
// absl::StatusOr<T>; on success moves the value into `*out`.
template <typename T, typename Fn>
grpc::Status Serve(const Authorizer& authorizer, grpc::ServerContext* context,
                   absl::string_view service, absl::string_view method, T* out, Fn&& fn) {
  const std::string full_method = absl::StrCat("/", service, "/", method);
  absl::StatusOr<Caller> caller = authorizer.Authorize(*context, full_method);
  if (!caller.ok()) {
    LogRefusal(full_method, context->peer(), caller.status());
    return ToGrpcStatus(caller.status());
  }
  absl::StatusOr<T> result = std::forward<Fn>(fn)(*caller);
  if (!result.ok()) {
    LogRefusal(full_method, caller->principal.spiffe_id, result.status());
    return ToGrpcStatus(result.status());
  }
  *out = *std::move(result);
  return grpc::Status::OK;
}

}  // namespace hop::api

#endif  // HOP_DAEMON_API_SERVE_H_
