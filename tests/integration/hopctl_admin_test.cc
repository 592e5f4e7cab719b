// hopctl user add|remove|list, whoami, status against a real hopd.
#include "hop/v1/admin.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(HopctlTest, AdminAddsUsersOfEveryRole) {
  AddCast();
  const std::string table = Must("admin", {"user", "list"});
  EXPECT_THAT(table, HasSubstr("USER"));
  EXPECT_THAT(table, HasSubstr("ROLE"));
  for (const char* row :
       {"juht", "network-leader", "kati", "case-manager", "lks", "child-protection", "opetaja",
        "teacher", "koord", "coordinator", "Olga Õpetaja"}) {
    EXPECT_THAT(table, HasSubstr(row));
  }

  auto users = MustJson<hop::v1::ListUsersResponse>("admin", {"user", "list"});
  std::map<std::string, hop::v1::User> by_id;
  for (const auto& u : users.users()) by_id[u.user_id()] = u;
  ASSERT_EQ(by_id.count("opetaja"), 1u);
  EXPECT_EQ(by_id["opetaja"].role(), hop::v1::ROLE_TEACHER);
  EXPECT_EQ(by_id["opetaja"].institution_id(), school_id_);
  EXPECT_EQ(by_id["koord"].role(), hop::v1::ROLE_INSTITUTION_COORDINATOR);
  EXPECT_EQ(by_id["kati"].role(), hop::v1::ROLE_CASE_MANAGER);
  EXPECT_EQ(by_id["lks"].role(), hop::v1::ROLE_CHILD_PROTECTION);
  EXPECT_EQ(by_id["juht"].role(), hop::v1::ROLE_NETWORK_LEADER);
}

TEST_F(HopctlTest, AddUserPrintsTheUser) {
  const std::string out =
      Must("admin", {"user", "add", "mari", "--role", "case-manager", "--name", "Mari Mets"});
  EXPECT_THAT(out, HasSubstr("user:"));
  EXPECT_THAT(out, HasSubstr("mari"));
  EXPECT_THAT(out, HasSubstr("role:"));
  EXPECT_THAT(out, HasSubstr("case-manager"));
  EXPECT_THAT(out, HasSubstr("created by:"));
}

TEST_F(HopctlTest, AdminRemovesAUser) {
  Must("admin", {"user", "add", "mari", "--role", "case-manager", "--name", "Mari Mets"});
  EXPECT_EQ(Must("admin", {"user", "remove", "mari"}), "removed user mari\n");
  EXPECT_THAT(Must("admin", {"user", "list"}), Not(HasSubstr("mari")));
  // A removed user keeps a valid certificate but no role.
  MustFail("mari", {"case", "list"}, "PERMISSION_DENIED");
}

TEST_F(HopctlTest, OnlyAdminsManageUsers) {
  AddCast();
  MustFail("kati", {"user", "list"}, "PERMISSION_DENIED");
  MustFail("juht", {"user", "add", "x", "--role", "admin", "--name", "X"}, "PERMISSION_DENIED");
  // Admins manage users only: no case reads.
  MustFail("admin", {"case", "list"}, "PERMISSION_DENIED");
}

TEST_F(HopctlTest, TeacherNeedsAnInstitution) {
  const std::string err = MustFail(
      "admin", {"user", "add", "ott", "--role", "teacher", "--name", "Ott"}, "INVALID_ARGUMENT");
  EXPECT_THAT(err, HasSubstr("institution"));
}

TEST_F(HopctlTest, WhoAmI) {
  AddCast();
  const std::string out = Must("opetaja", {"whoami"});
  EXPECT_THAT(out, HasSubstr("spiffe://hop.tartumaa.ee/municipality/0793/staff/opetaja"));
  EXPECT_THAT(out, HasSubstr("role:"));
  EXPECT_THAT(out, HasSubstr("teacher"));
  auto who = MustJson<hop::v1::WhoAmIResponse>("kati", {"whoami"});
  EXPECT_EQ(who.municipality(), "0793");
  EXPECT_EQ(who.kind(), "staff");
  EXPECT_EQ(who.name(), "kati");
  EXPECT_EQ(who.role(), hop::v1::ROLE_CASE_MANAGER);
}

TEST_F(HopctlTest, NodeStatus) {
  const std::string out = Must("admin", {"status"});
  EXPECT_THAT(out, ContainsRegex("municipality: +0793 \\(Tartu linn\\)"));
  EXPECT_THAT(out, HasSubstr("epoch:"));
  EXPECT_THAT(out, ContainsRegex("node certificate: +20[0-9-]+ [0-9:]+ \\(in 3[0-9]+ d"));
  EXPECT_THAT(out, ContainsRegex("CRL next update: +20[0-9-]+ [0-9:]+ \\(in (29|30) d"));
  auto status = MustJson<hop::v1::NodeStatus>("admin", {"status"});
  EXPECT_EQ(status.municipality(), "0793");
  EXPECT_FALSE(status.version().empty());
  EXPECT_GT(status.node_cert_expires_at(), status.now() + 300 * 86400);
  EXPECT_GT(status.ca_cert_expires_at(), status.node_cert_expires_at());
  EXPECT_GT(status.crl_next_update(), status.now());
  EXPECT_GE(status.now(), status.started_at());
  // Ops certificates may read node state too.
  auto ops = node_->HopctlWith(node_->Ops("monitor"), {"status"});
  EXPECT_EQ(ops.exit_code, 0) << ops.err;
  EXPECT_THAT(ops.out, HasSubstr("0793"));
  AddCast();
  MustFail("opetaja", {"status"}, "PERMISSION_DENIED");
}

}  // namespace
}  // namespace hop::integration
