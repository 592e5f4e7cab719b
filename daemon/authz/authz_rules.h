// The authorization rule of every RPC hopd serves, on both ports, by full method name
// ("/hop.v1.CaseWork/OpenCase", "/hop.v1.Federation/Pull"). Authorization fails closed: a
// method without a rule is refused for everyone (api/authorizer.h on the staff port,
// federation/federation_service.h on the federation port), and tests/unit/api walks every
// service of every proto file under proto/ to make sure every method has exactly one rule.
// Object-level rules (which case) are in daemon/domain/access.h.
// Immutable static data; thread-safe.
#ifndef HOP_DAEMON_AUTHZ_AUTHZ_RULES_H_
#define HOP_DAEMON_AUTHZ_AUTHZ_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hop/v1/records.pb.h"

namespace hop::authz {

// The listener a method is served on.
enum class Port {
  kStaff,       // api_listen: staff, ops and admin certificates of this municipality
  kFederation,  // federation_listen: node certificates of the configured peers
  kBoth,        // the gRPC health service, served on both
};

struct MethodRule {
  // Registered staff users of this municipality with one of these roles.
  std::vector<hop::v1::Role> staff_roles;
  // Ops certificates (.../ops/<name>) of this municipality: node state, never personal data.
  bool ops = false;
  // Any staff certificate of this municipality, registered or not (WhoAmI only).
  bool any_staff = false;
  // Ops certificates of any municipality of the federation, for the county-wide status view
  // (GetNodeStatus only: node state, never personal data).
  bool county_ops = false;
  // Node certificates of the configured peer municipalities (the federation port).
  bool peer_nodes = false;
  // Any certificate of the federation CA that passed the mutual-TLS handshake: the gRPC
  // health service only (serving or not; no data).
  bool any_certificate = false;
  Port port = Port::kStaff;
};

// The rule for `full_method`, or nullptr (refuse).
const MethodRule* FindRule(absl::string_view full_method);

// Every method that has a rule.
std::vector<std::string> RuledMethods();

}  // namespace hop::authz

#endif  // HOP_DAEMON_AUTHZ_AUTHZ_RULES_H_
