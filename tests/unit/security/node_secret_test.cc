#include "daemon/security/node_secret.h"

#include <sys/stat.h>

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::security {
namespace {

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(NodeSecret, IsCreatedOnceWithOwnerOnlyModeAndThenReadBack) {
  testing::TempDir dir;
  std::string path = dir.Path("node.secret");
  bool created = false;
  absl::StatusOr<NodeSecret> first = NodeSecret::LoadOrCreate(path, &created);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_TRUE(created);
  struct stat st;
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(ReadAll(path).size(), NodeSecret::kBytes);

  absl::StatusOr<NodeSecret> again = NodeSecret::LoadOrCreate(path, &created);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(created);
  EXPECT_EQ(again->ChildPseudonym("61604150239"), first->ChildPseudonym("61604150239"));
}

TEST(NodeSecret, RefusesAFileOthersCanReadAndNamesTheFix) {
  testing::TempDir dir;
  std::string path = dir.Path("node.secret");
  ASSERT_TRUE(NodeSecret::LoadOrCreate(path).ok());
  ASSERT_EQ(::chmod(path.c_str(), 0640), 0);
  absl::StatusOr<NodeSecret> secret = NodeSecret::LoadOrCreate(path);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_NE(secret.status().message().find("chmod 600"), std::string::npos) << secret.status();
}

TEST(NodeSecret, RefusesAFileOfTheWrongLengthAndNeverOverwritesIt) {
  testing::TempDir dir;
  std::string path = dir.Path("node.secret");
  {
    std::ofstream out(path, std::ios::binary);
    out << "short";
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  absl::StatusOr<NodeSecret> secret = NodeSecret::LoadOrCreate(path);
  ASSERT_FALSE(secret.ok());
  EXPECT_EQ(secret.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(ReadAll(path), "short");
}

TEST(NodeSecret, PseudonymsAreKeyedStableAndHideTheIsikukood) {
  absl::StatusOr<NodeSecret> a = NodeSecret::FromBytes(std::string(32, 'a'));
  absl::StatusOr<NodeSecret> b = NodeSecret::FromBytes(std::string(32, 'b'));
  ASSERT_TRUE(a.ok() && b.ok());
  std::string p = a->ChildPseudonym("61604150239");
  EXPECT_EQ(p.size(), 33u);
  EXPECT_EQ(p[0], 'p');
  EXPECT_EQ(p.find("61604150239"), std::string::npos);
  EXPECT_EQ(p, a->ChildPseudonym("61604150239"));
  EXPECT_NE(p, a->ChildPseudonym("50001010006"));
  EXPECT_NE(p, b->ChildPseudonym("61604150239"));
  EXPECT_FALSE(NodeSecret::FromBytes("too short").ok());
}

TEST(NodeSecret, MacsVerifyOnlyForTheirOwnDomainMessageAndSecret) {
  absl::StatusOr<NodeSecret> a = NodeSecret::FromBytes(std::string(32, 'a'));
  absl::StatusOr<NodeSecret> b = NodeSecret::FromBytes(std::string(32, 'b'));
  ASSERT_TRUE(a.ok() && b.ok());
  std::string mac = a->Mac("withdrawal receipt v1", "consent 42");
  EXPECT_EQ(mac.size(), 32u);
  EXPECT_TRUE(a->Verify("withdrawal receipt v1", "consent 42", mac));
  EXPECT_FALSE(a->Verify("withdrawal receipt v1", "consent 43", mac));
  EXPECT_FALSE(a->Verify("another use", "consent 42", mac));
  EXPECT_FALSE(b->Verify("withdrawal receipt v1", "consent 42", mac));
  EXPECT_FALSE(a->Verify("withdrawal receipt v1", "consent 42", mac.substr(0, 31)));
}

TEST(NodeSecret, PathDefaultsToTheTlsKeysName) {
  EXPECT_EQ(NodeSecretPath("", "/etc/hop/tls/node.key"), "/etc/hop/tls/node.secret");
  EXPECT_EQ(NodeSecretPath("", "/etc/hop/tls/node.pem"), "/etc/hop/tls/node.pem.secret");
  EXPECT_EQ(NodeSecretPath("/srv/s", "/etc/hop/tls/node.key"), "/srv/s");
}

}  // namespace
}  // namespace hop::security
