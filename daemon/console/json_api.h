// The console's JSON API, made from the staff API's protos by protobuf's own JSON mapping
// (no hand-written serializers): `POST /api/<package.Service>/<Method>` with the request
// message as proto3 JSON, answered with the response message as proto3 JSON (default values
// printed too), or an error {"code": "INVALID_ARGUMENT", "message": "<the server's text>"}
// with the HTTP status of the gRPC code. Only the staff API's services (kStaffServices) are
// reachable; the Federation service and anything else is NOT_FOUND.
// Pure functions over the generated descriptor pool; thread-safe.
#ifndef HOP_DAEMON_CONSOLE_JSON_API_H_
#define HOP_DAEMON_CONSOLE_JSON_API_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace hop::console {

// The services the JSON API serves: the staff port's.
inline constexpr absl::string_view kStaffServices[] = {"hop.v1.CaseWork", "hop.v1.Admin",
                                                       "hop.v1.Audit"};

// The method of `path` ("hop.v1.CaseWork/GetCase", without "/api/"); NOT_FOUND naming the
// path when it is no method of a staff service.
absl::StatusOr<const google::protobuf::MethodDescriptor*> FindStaffMethod(absl::string_view path);

// `json` (the request body; empty = {}) as the method's request message, serialized for the
// gRPC call. INVALID_ARGUMENT naming the field the JSON parser stopped at.
absl::StatusOr<std::string> RequestFromJson(const google::protobuf::MethodDescriptor& method,
                                            absl::string_view json);

// The serialized response message of `method` as JSON. INTERNAL if it does not parse.
absl::StatusOr<std::string> ResponseToJson(const google::protobuf::MethodDescriptor& method,
                                           absl::string_view bytes);

// Any message as JSON (same options as responses).
std::string MessageJson(const google::protobuf::Message& message);

// The HTTP status for a status code (see the README table) and the error body.
int HttpStatus(absl::StatusCode code);
std::string ErrorJson(const absl::Status& status);

}  // namespace hop::console

#endif  // HOP_DAEMON_CONSOLE_JSON_API_H_
