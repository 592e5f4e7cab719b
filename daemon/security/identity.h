// Certificate identities of the federation (DESIGN.md "Identity"). Every certificate carries
// one URI SAN of the form
//   spiffe://hop.tartumaa.ee/municipality/<EHAK>/node
//   spiffe://hop.tartumaa.ee/municipality/<EHAK>/staff/<user-id>
//   spiffe://hop.tartumaa.ee/municipality/<EHAK>/ops/<name>
// <user-id> and <name>: 1..64 of [a-z0-9._-], starting with a letter or digit.
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_SECURITY_IDENTITY_H_
#define HOP_DAEMON_SECURITY_IDENTITY_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hop::security {

inline constexpr absl::string_view kTrustDomain = "hop.tartumaa.ee";

enum class PrincipalKind { kNode, kStaff, kOps };

struct Principal {
  PrincipalKind kind = PrincipalKind::kNode;
  std::string municipality;  // EHAK code (a known municipality)
  std::string name;          // user id (staff) or ops name; empty for nodes
  std::string spiffe_id;     // the URI it was parsed from
  // An ID card's sign-in at the console (client_trust.h): the card holder's isikukood; kind
  // kStaff, municipality, name and spiffe_id empty until the user registry maps it to a user.
  std::string id_code;
};

// Parses a URI SAN. InvalidArgument saying what is wrong for anything that is not one of the
// three forms above with a known municipality code.
absl::StatusOr<Principal> ParseSpiffeId(absl::string_view uri);

// Validates a staff user id or ops name (rules above); InvalidArgument naming `field`.
absl::Status ValidatePrincipalName(absl::string_view name, absl::string_view field);

std::string NodeSpiffeId(absl::string_view municipality);
std::string StaffSpiffeId(absl::string_view municipality, absl::string_view user_id);
std::string OpsSpiffeId(absl::string_view municipality, absl::string_view name);
const char* PrincipalKindName(PrincipalKind kind);  // "node", "staff", "ops"

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_IDENTITY_H_
