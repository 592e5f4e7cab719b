#include "tests/integration/hopctl_fixture.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "hop/v1/records.pb.h"

namespace hop::integration {

std::string Describe(const std::string& user, const std::vector<std::string>& args,
                     const CommandResult& result) {
  return absl::StrCat("hopctl (as ", user, ") ", absl::StrJoin(args, " "), "\n  exit ",
                      result.exit_code, result.timed_out ? " (timed out)" : "",
                      "\n  stdout: ", result.out, "\n  stderr: ", result.err);
}

void HopctlTest::SetUp() {
  auto node = hop::testing::NodeFixture::Start("0793");
  ASSERT_TRUE(node.ok()) << node.status();
  node_ = *std::move(node);
}

CommandResult HopctlTest::Run(const std::string& user, const std::vector<std::string>& args) {
  return node_->Hopctl(user, args);
}

std::string HopctlTest::Must(const std::string& user, const std::vector<std::string>& args) {
  CommandResult result = Run(user, args);
  EXPECT_EQ(result.exit_code, 0) << Describe(user, args, result);
  return result.out;
}

std::string HopctlTest::MustFail(const std::string& user, const std::vector<std::string>& args,
                                 const std::string& code) {
  CommandResult result = Run(user, args);
  EXPECT_EQ(result.exit_code, 1) << Describe(user, args, result);
  EXPECT_THAT(result.err, ::testing::StartsWith(absl::StrCat("hopctl: ", code, ": ")))
      << Describe(user, args, result);
  EXPECT_EQ(result.out, "") << Describe(user, args, result);
  return result.err;
}

void HopctlTest::AddCast() {
  Must("admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta Juht"});
  Must("admin", {"user", "add", "kati", "--role", "case-manager", "--name", "Kati Kask"});
  Must("admin", {"user", "add", "lks", "--role", "child-protection", "--name", "Liis Lass"});
  hop::v1::Institution school = MustJson<hop::v1::Institution>(
      "juht", {"directory", "institution", "add", "--name", "Tartu Kesklinna Kool", "--kind",
               "school", "--ownership", "municipal", "--municipality", "0793"});
  school_id_ = school.id();
  ASSERT_FALSE(school_id_.empty());
  Must("admin", {"user", "add", "opetaja", "--role", "teacher", "--name", "Olga Õpetaja",
                 "--institution", school_id_});
  Must("admin", {"user", "add", "koord", "--role", "coordinator", "--name", "Kaur Koordinaator",
                 "--institution", school_id_});
}

std::string HopctlTest::OpenCase(const std::string& child, const std::string& name) {
  const std::string out = Must("opetaja", {"case", "open", "--child", child, "--name", name,
                                           "--level", "school", "--institution", school_id_,
                                           "--need", "reading", "--reason", "noticed in class"});
  const std::string id(out.substr(0, out.find('\n')));
  EXPECT_THAT(id, ::testing::MatchesRegex("0793-C[0-9]+")) << out;
  return id;
}

}  // namespace hop::integration
