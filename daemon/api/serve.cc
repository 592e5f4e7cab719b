#include "daemon/api/serve.h"

#include "daemon/base/log.h"

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

}  // namespace hop::api
