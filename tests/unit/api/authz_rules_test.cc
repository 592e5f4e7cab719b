// Authorization fails closed on both ports: every method of every service of every proto
// file under proto/ has an explicit rule, and no rule names a method that does not exist.
#include "daemon/authz/authz_rules.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <vector>

#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"

namespace hop::authz {
namespace {

// Every .proto file under the source tree's proto/ (relative paths, as protoc names them).
std::vector<std::string> ProtoFiles() {
  const char* source = std::getenv("HOP_SOURCE_DIR");
  if (source == nullptr) ADD_FAILURE() << "HOP_SOURCE_DIR is not set (run through ctest)";
  std::vector<std::string> files;
  if (source == nullptr) return files;
  const std::filesystem::path root = std::filesystem::path(source) / "proto";
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() == ".proto") {
      files.push_back(std::filesystem::relative(entry.path(), root).string());
    }
  }
  return files;
}

// "/package.Service/Method" of every method of every service of every proto file.
std::set<std::string> EveryMethod() {
  std::set<std::string> methods;
  for (const std::string& name : ProtoFiles()) {
    const google::protobuf::FileDescriptor* file =
        google::protobuf::DescriptorPool::generated_pool()->FindFileByName(name);
    if (file == nullptr) {
      ADD_FAILURE() << name << " is not compiled into hop_proto (proto/CMakeLists.txt)";
      continue;
    }
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.insert("/" + service->full_name() + "/" + service->method(m)->name());
      }
    }
  }
  return methods;
}

TEST(AuthzRulesTest, EveryMethodOfEveryServiceOfEveryProtoFileHasARule) {
  const std::set<std::string> methods = EveryMethod();
  for (const std::string& m : methods) {
    EXPECT_NE(FindRule(m), nullptr) << m << " has no authorization rule";
  }
  EXPECT_TRUE(methods.count("/hop.v1.Federation/Pull"));
  EXPECT_TRUE(methods.count("/grpc.health.v1.Health/Check"));
  EXPECT_GT(methods.size(), 35u);
  for (const std::string& m : RuledMethods()) EXPECT_TRUE(methods.count(m)) << m << " is ruled";
}

TEST(AuthzRulesTest, TheFederationPortServesConfiguredPeerNodesOnly) {
  for (const std::string& m : RuledMethods()) {
    const MethodRule* rule = FindRule(m);
    const bool federation = m.rfind("/hop.v1.Federation/", 0) == 0;
    EXPECT_EQ(rule->peer_nodes, federation) << m;
    EXPECT_EQ(rule->port == Port::kFederation, federation) << m;
    if (federation) {
      EXPECT_TRUE(rule->staff_roles.empty()) << m;
      EXPECT_FALSE(rule->ops || rule->any_staff || rule->county_ops || rule->any_certificate) << m;
    }
    // Only the health service is open to any certificate of the CA.
    EXPECT_EQ(rule->any_certificate, m.rfind("/grpc.health.v1.Health/", 0) == 0) << m;
  }
}

TEST(AuthzRulesTest, UnknownMethodsHaveNoRule) {
  EXPECT_EQ(FindRule("/hop.v1.CaseWork/DropEverything"), nullptr);
  EXPECT_EQ(FindRule("/hop.v1.Federation/Pull/"), nullptr);
  EXPECT_EQ(FindRule(""), nullptr);
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

// Issue 13: support specialists work on cases (their assigned ones: domain/access.h) and read
// the directory and their inbox; they open no case, handle no consent, write nothing in the
// directory, look nobody up in other municipalities and count nothing.
TEST(AuthzRulesTest, SupportSpecialistsWorkOnCasesOnly) {
  const std::set<std::string> allowed = {"GetCase",         "ListCases",
                                         "Escalate",        "MoveToChildProtection",
                                         "AddNeeds",        "AddActionItem",
                                         "AddService",      "AddAssessment",
                                         "AddNote",         "SetRelatedMunicipalities",
                                         "EndService",      "CompleteActionItem",
                                         "SearchDirectory", "ListInbox",
                                         "AckInbox"};
  for (hop::v1::Role specialist :
       {hop::v1::ROLE_SCHOOL_NURSE, hop::v1::ROLE_SOCIAL_PEDAGOGUE, hop::v1::ROLE_SPECIAL_PEDAGOGUE,
        hop::v1::ROLE_SPEECH_THERAPIST, hop::v1::ROLE_PSYCHOLOGIST}) {
    for (const std::string& m : RuledMethods()) {
      const std::vector<hop::v1::Role>& roles = FindRule(m)->staff_roles;
      const bool has = std::find(roles.begin(), roles.end(), specialist) != roles.end();
      const std::string cw = "/hop.v1.CaseWork/";
      const bool expected = m.rfind(cw, 0) == 0 && allowed.count(m.substr(cw.size())) > 0;
      EXPECT_EQ(has, expected) << m << " " << specialist;
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
}  // namespace hop::authz
