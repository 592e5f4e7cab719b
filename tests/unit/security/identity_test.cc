// SPIFFE identities of the federation.
#include "daemon/security/identity.h"

#include "gtest/gtest.h"

namespace hop::security {
namespace {

TEST(IdentityTest, ParsesTheThreeKinds) {
  absl::StatusOr<Principal> node = ParseSpiffeId("spiffe://hop.tartumaa.ee/municipality/0793/node");
  ASSERT_TRUE(node.ok()) << node.status();
  EXPECT_EQ(node->kind, PrincipalKind::kNode);
  EXPECT_EQ(node->municipality, "0793");
  absl::StatusOr<Principal> staff = ParseSpiffeId(StaffSpiffeId("0171", "mari.tamm"));
  ASSERT_TRUE(staff.ok()) << staff.status();
  EXPECT_EQ(staff->kind, PrincipalKind::kStaff);
  EXPECT_EQ(staff->name, "mari.tamm");
  absl::StatusOr<Principal> ops = ParseSpiffeId(OpsSpiffeId("0796", "monitor"));
  ASSERT_TRUE(ops.ok());
  EXPECT_EQ(ops->kind, PrincipalKind::kOps);
}

TEST(IdentityTest, RefusesAnythingElse) {
  for (const char* uri : {
           "https://hop.tartumaa.ee/municipality/0793/node",
           "spiffe://evil.example/municipality/0793/node",
           "spiffe://hop.tartumaa.ee/municipality/0999/node",
           "spiffe://hop.tartumaa.ee/municipality/0793/node/extra",
           "spiffe://hop.tartumaa.ee/municipality/0793/staff",
           "spiffe://hop.tartumaa.ee/municipality/0793/staff/Mari",
           "spiffe://hop.tartumaa.ee/municipality/0793/root/x",
           "spiffe://hop.tartumaa.ee/county/0793/node",
       }) {
    EXPECT_EQ(ParseSpiffeId(uri).status().code(), absl::StatusCode::kInvalidArgument) << uri;
  }
}

TEST(IdentityTest, NameRules) {
  EXPECT_TRUE(ValidatePrincipalName("it-admin", "f").ok());
  EXPECT_TRUE(ValidatePrincipalName("m.tamm_2", "f").ok());
  EXPECT_FALSE(ValidatePrincipalName("", "f").ok());
  EXPECT_FALSE(ValidatePrincipalName("-x", "f").ok());
  EXPECT_FALSE(ValidatePrincipalName("a b", "f").ok());
  EXPECT_FALSE(ValidatePrincipalName(std::string(65, 'a'), "f").ok());
  EXPECT_NE(ValidatePrincipalName("A", "user.user_id").message().find("user.user_id"),
            std::string::npos);
}

}  // namespace
}  // namespace hop::security
