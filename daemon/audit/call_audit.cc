#include "daemon/audit/call_audit.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/security/identity.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/records.pb.h"

namespace hop::audit {
namespace {

thread_local CallAudit* current_call = nullptr;

// domain::RoleName(ROLE_CHILD_PROTECTION), as audit and inbox entries spell it.
constexpr char kChildProtectionRole[] = "child-protection";

using google::protobuf::FieldDescriptor;

std::string TopLevelString(const google::protobuf::Message& m, const char* name) {
  const FieldDescriptor* f = m.GetDescriptor()->FindFieldByName(name);
  if (f == nullptr || f->is_repeated() || f->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
    return "";
  }
  return m.GetReflection()->GetString(m, f);
}

}  // namespace

ScopedCallAudit::ScopedCallAudit(hop::v1::AuditEntry base) : previous_(current_call) {
  call_.entry = std::move(base);
  current_call = &call_;
}

ScopedCallAudit::~ScopedCallAudit() { current_call = previous_; }

CallAudit* ScopedCallAudit::Current() { return current_call; }

void CollectSubjects(const google::protobuf::Message& message, std::set<std::string>& subjects) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  const bool is_child = d->full_name() == "hop.v1.Child";
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !f->is_repeated() &&
        (f->name() == "child_isikukood" || (is_child && f->name() == "isikukood"))) {
      std::string value = r->GetString(message, f);
      if (!value.empty()) subjects.insert(std::move(value));
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int j = 0; j < r->FieldSize(message, f); ++j) {
          CollectSubjects(r->GetRepeatedMessage(message, f, j), subjects);
        }
      } else if (r->HasField(message, f)) {
        CollectSubjects(r->GetMessage(message, f), subjects);
      }
    }
  }
}

bool RevealsChildProtection(const google::protobuf::Message& message) {
  const google::protobuf::Descriptor* d = message.GetDescriptor();
  const google::protobuf::Reflection* r = message.GetReflection();
  for (int i = 0; i < d->field_count(); ++i) {
    const FieldDescriptor* f = d->field(i);
    if (f->is_repeated() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      for (int j = 0; j < r->FieldSize(message, f); ++j) {
        if (RevealsChildProtection(r->GetRepeatedMessage(message, f, j))) return true;
      }
      continue;
    }
    if (f->is_repeated()) continue;
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_BOOL:
        if (f->name() == "child_protection" && r->GetBool(message, f)) return true;
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        if (f->enum_type()->full_name() == "hop.v1.ShareBasis" &&
            r->GetEnumValue(message, f) == hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
          return true;
        }
        if (f->enum_type()->full_name() == "hop.v1.Role" && f->name() == "asker_role" &&
            r->GetEnumValue(message, f) == hop::v1::ROLE_CHILD_PROTECTION) {
          return true;
        }
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        if ((f->name() == "asker_role" || f->name() == "actor_role") &&
            r->GetString(message, f) == kChildProtectionRole) {
          return true;
        }
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (r->HasField(message, f) && RevealsChildProtection(r->GetMessage(message, f))) {
          return true;
        }
        break;
      default:
        break;
    }
  }
  return false;
}

absl::Status ReadNotRecorded(const absl::Status& written) {
  LogError("audit", "cannot write an audit entry", {{"error", std::string(written.message())}});
  if (absl::IsUnavailable(written)) {
    return absl::UnavailableError(absl::StrCat(
        "this read must be recorded in the audit trail, which cannot be written now, so its "
        "data is not returned: ",
        written.message()));
  }
  return absl::InternalError("the audit trail cannot be written; the node refuses to answer");
}

std::string ObjectOf(const google::protobuf::Message& request) {
  for (const char* name : {"case_id", "consent_id", "user_id", "child_isikukood", "peer"}) {
    std::string value = TopLevelString(request, name);
    if (!value.empty()) return value;
  }
  return "";
}

std::string PurposeOf(const google::protobuf::Message& request) {
  return TopLevelString(request, "purpose");
}

hop::v1::AuditEntry PeerNodeEntry(const std::string& peer, const std::string& action,
                                  const std::string& object) {
  hop::v1::AuditEntry entry;
  entry.set_actor(security::NodeSpiffeId(peer));
  entry.set_actor_role("peer-node");
  entry.set_actor_municipality(peer);
  entry.set_action(action);
  entry.set_object(object);
  return entry;
}

}  // namespace hop::audit
