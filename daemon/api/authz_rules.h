// The authorization rule of every RPC of the staff API, by full method name
// ("/hop.v1.CaseWork/OpenCase"). Authorization fails closed: a method without a rule is
// refused for everyone, and tests/unit/api walks the service descriptors to make sure every
// method has one. Object-level rules (which case) are in daemon/domain/access.h.
// Immutable static data; thread-safe.
#ifndef HOP_DAEMON_API_AUTHZ_RULES_H_
#define HOP_DAEMON_API_AUTHZ_RULES_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "hop/v1/records.pb.h"

namespace hop::api {

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
};

// The rule for `full_method`, or nullptr (refuse).
const MethodRule* FindRule(absl::string_view full_method);

// Every method that has a rule.
std::vector<std::string> RuledMethods();

}  // namespace hop::api

#endif  // HOP_DAEMON_API_AUTHZ_RULES_H_
