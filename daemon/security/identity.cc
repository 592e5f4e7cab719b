#include "daemon/security/identity.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "daemon/domain/municipalities.h"

namespace hop::security {
namespace {

constexpr absl::string_view kScheme = "spiffe://";

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

absl::Status ValidatePrincipalName(absl::string_view name, absl::string_view field) {
  if (name.empty() || name.size() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": must be 1 to 64 characters of a-z 0-9 . _ -"));
  }
  const char first = name.front();
  if (!((first >= 'a' && first <= 'z') || (first >= '0' && first <= '9'))) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", name, "\" must start with a letter a-z or a digit"));
  }
  for (char c : name) {
    if (!IsNameChar(c)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": \"", name, "\" has a character outside a-z 0-9 . _ - (lower case only)"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Principal> ParseSpiffeId(absl::string_view uri) {
  auto bad = [&](absl::string_view why) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate identity \"", uri, "\": ", why, "; expected spiffe://",
                     kTrustDomain, "/municipality/<EHAK>/{node|staff/<user-id>|ops/<name>}"));
  };
  if (!absl::ConsumePrefix(&uri, kScheme)) return bad("not a spiffe:// URI");
  std::vector<absl::string_view> parts = absl::StrSplit(uri, '/');
  if (parts.size() < 4 || parts[0] != kTrustDomain || parts[1] != "municipality") {
    return bad("wrong trust domain or path");
  }
  Principal p;
  p.spiffe_id = absl::StrCat(kScheme, uri);
  p.municipality = std::string(parts[2]);
  if (domain::FindMunicipality(p.municipality) == nullptr) {
    return bad(absl::StrCat("unknown municipality code \"", parts[2], "\""));
  }
  if (parts[3] == "node" && parts.size() == 4) {
    p.kind = PrincipalKind::kNode;
    return p;
  }
  if ((parts[3] == "staff" || parts[3] == "ops") && parts.size() == 5) {
    if (!ValidatePrincipalName(parts[4], "name").ok()) return bad("invalid user or ops name");
    p.kind = parts[3] == "staff" ? PrincipalKind::kStaff : PrincipalKind::kOps;
    p.name = std::string(parts[4]);
    return p;
  }
  return bad("unknown principal kind");
}

std::string NodeSpiffeId(absl::string_view municipality) {
  return absl::StrCat(kScheme, kTrustDomain, "/municipality/", municipality, "/node");
}

std::string StaffSpiffeId(absl::string_view municipality, absl::string_view user_id) {
  return absl::StrCat(kScheme, kTrustDomain, "/municipality/", municipality, "/staff/", user_id);
}

std::string OpsSpiffeId(absl::string_view municipality, absl::string_view name) {
  return absl::StrCat(kScheme, kTrustDomain, "/municipality/", municipality, "/ops/", name);
}

const char* PrincipalKindName(PrincipalKind kind) {
  switch (kind) {
    case PrincipalKind::kNode:
      return "node";
    case PrincipalKind::kStaff:
      return "staff";
    case PrincipalKind::kOps:
      return "ops";
  }
  return "unknown";
}

}  // namespace hop::security
