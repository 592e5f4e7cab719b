// Authorization fails closed: every method of every staff-API service has an explicit rule,
// and no rule names a method that does not exist.
#include "daemon/api/authz_rules.h"

#include <set>
#include <vector>

#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"

namespace hop::api {
namespace {

std::vector<const google::protobuf::ServiceDescriptor*> StaffServices() {
  return {hop::v1::OpenCaseRequest::descriptor()->file()->FindServiceByName("CaseWork"),
          hop::v1::AddUserRequest::descriptor()->file()->FindServiceByName("Admin"),
          hop::v1::VerifyAuditRequest::descriptor()->file()->FindServiceByName("Audit")};
}

TEST(AuthzRulesTest, EveryMethodOfEveryServiceHasARule) {
  int methods = 0;
  for (const auto* service : StaffServices()) {
    ASSERT_NE(service, nullptr);
    for (int i = 0; i < service->method_count(); ++i) {
      const std::string full = "/" + service->full_name() + "/" + service->method(i)->name();
      EXPECT_NE(FindRule(full), nullptr) << full << " has no authorization rule";
      ++methods;
    }
  }
  EXPECT_GT(methods, 20);
}

TEST(AuthzRulesTest, NoRuleForAMethodThatDoesNotExist) {
  std::set<std::string> existing;
  for (const auto* service : StaffServices()) {
    for (int i = 0; i < service->method_count(); ++i) {
      existing.insert("/" + service->full_name() + "/" + service->method(i)->name());
    }
  }
  for (const std::string& m : RuledMethods()) EXPECT_TRUE(existing.count(m)) << m;
  EXPECT_EQ(FindRule("/hop.v1.CaseWork/DropEverything"), nullptr);
}

TEST(AuthzRulesTest, NoPersonalDataForNetworkLeaderOpsOrAdmin) {
  for (const char* m : {"GetCase", "ListCases", "OpenCase", "ListConsents", "GrantConsent"}) {
    const MethodRule* rule = FindRule(std::string("/hop.v1.CaseWork/") + m);
    ASSERT_NE(rule, nullptr);
    EXPECT_FALSE(rule->ops) << m;
    EXPECT_FALSE(rule->any_staff) << m;
    for (hop::v1::Role r : rule->staff_roles) {
      EXPECT_NE(r, hop::v1::ROLE_NETWORK_LEADER) << m;
      EXPECT_NE(r, hop::v1::ROLE_ADMIN) << m;
    }
  }
}

TEST(AuthzRulesTest, OtherMunicipalitiesOpsSeeNodeStatusOnly) {
  std::vector<std::string> county;
  for (const std::string& m : RuledMethods()) {
    if (FindRule(m)->county_ops) county.push_back(m);
  }
  EXPECT_EQ(county, std::vector<std::string>{"/hop.v1.Admin/GetNodeStatus"});
}

}  // namespace
}  // namespace hop::api
