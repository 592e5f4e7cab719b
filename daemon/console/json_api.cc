#include "daemon/console/json_api.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/dynamic_message.h"
#include "google/protobuf/message.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"

namespace hop::console {
namespace {

using google::protobuf::Message;
using google::protobuf::MethodDescriptor;

std::unique_ptr<Message> NewMessage(const google::protobuf::Descriptor* type) {
  const Message* prototype =
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(type);
  return std::unique_ptr<Message>(prototype == nullptr ? nullptr : prototype->New());
}

// Makes sure the staff services' descriptors are in the generated pool before a lookup.
void LinkStaffProtos() {
  (void)hop::v1::OpenCaseRequest::descriptor();
  (void)hop::v1::AddUserRequest::descriptor();
  (void)hop::v1::VerifyAuditRequest::descriptor();
}

}  // namespace

absl::StatusOr<const MethodDescriptor*> FindStaffMethod(absl::string_view path) {
  LinkStaffProtos();
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '/');
  if (parts.size() == 2) {
    for (absl::string_view service : kStaffServices) {
      if (parts[0] != service) continue;
      const google::protobuf::ServiceDescriptor* s =
          google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(
              std::string(service));
      const MethodDescriptor* m =
          s == nullptr ? nullptr : s->FindMethodByName(std::string(parts[1]));
      if (m != nullptr && !m->client_streaming() && !m->server_streaming()) return m;
    }
  }
  return absl::NotFoundError(
      absl::StrCat("/api/", path,
                   " is no method of the staff API; use /api/<service>/<Method> with a service of "
                   "hop.v1.CaseWork, hop.v1.Admin, hop.v1.Audit (proto/hop/v1/)"));
}

absl::StatusOr<std::string> RequestFromJson(const MethodDescriptor& method,
                                            absl::string_view json) {
  std::unique_ptr<Message> request = NewMessage(method.input_type());
  if (request == nullptr) return absl::InternalError("no request type");
  if (json.find_first_not_of(" \t\r\n") != absl::string_view::npos) {
    google::protobuf::util::JsonParseOptions options;
    options.ignore_unknown_fields = false;
    const google::protobuf::util::Status parsed = google::protobuf::util::JsonStringToMessage(
        google::protobuf::StringPiece(json.data(), json.size()), request.get(), options);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("request body: not a ", method.input_type()->full_name(),
                       " in proto3 JSON (lowerCamelCase names, 64-bit numbers as strings): ",
                       std::string(parsed.message())));
    }
  }
  std::string bytes;
  if (!request->SerializeToString(&bytes)) return absl::InternalError("cannot serialize request");
  return bytes;
}

std::string MessageJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(message, &json, options).ok()) return "{}";
  return json;
}

absl::StatusOr<std::string> ResponseToJson(const MethodDescriptor& method,
                                           absl::string_view bytes) {
  std::unique_ptr<Message> response = NewMessage(method.output_type());
  if (response == nullptr || !response->ParseFromArray(bytes.data(), bytes.size())) {
    return absl::InternalError("unreadable response");
  }
  return MessageJson(*response);
}

int HttpStatus(absl::StatusCode code) {
  switch (code) {
    case absl::StatusCode::kOk:
      return 200;
    case absl::StatusCode::kInvalidArgument:
    case absl::StatusCode::kFailedPrecondition:
    case absl::StatusCode::kOutOfRange:
      return 400;
    case absl::StatusCode::kUnauthenticated:
      return 401;
    case absl::StatusCode::kPermissionDenied:
      return 403;
    case absl::StatusCode::kNotFound:
      return 404;
    case absl::StatusCode::kAlreadyExists:
    case absl::StatusCode::kAborted:
      return 409;
    case absl::StatusCode::kResourceExhausted:
      return 429;
    case absl::StatusCode::kCancelled:
      return 499;
    case absl::StatusCode::kUnimplemented:
      return 501;
    case absl::StatusCode::kUnavailable:
      return 503;
    case absl::StatusCode::kDeadlineExceeded:
      return 504;
    default:
      return 500;
  }
}

std::string ErrorJson(const absl::Status& status) {
  // Fields in a fixed order (a Struct's map has none): each value is
  // printed by protobuf's own JSON writer, so escaping is never ours.
  auto json_string = [](absl::string_view text) {
    google::protobuf::Value value;
    value.set_string_value(std::string(text));
    std::string out;
    if (!google::protobuf::util::MessageToJsonString(value, &out).ok()) return std::string("\"\"");
    return out;
  };
  return absl::StrCat("{\"code\":", json_string(absl::StatusCodeToString(status.code())),
                      ",\"message\":", json_string(status.message()), "}");
}

}  // namespace hop::console
