// Shared fixture of the hopctl integration tests: one fresh hopd (NodeFixture, municipality
// 0793, bootstrap admin "admin") per test, and helpers to run hopctl as a staff user and to
// check its exit code and output.
//
// The cast (AddCast): network leader "juht", case manager "kati", child-protection specialist
// "lks", and a school (created by "juht") with teacher "opetaja" and coordinator "koord".
#ifndef HOP_TESTS_INTEGRATION_HOPCTL_FIXTURE_H_
#define HOP_TESTS_INTEGRATION_HOPCTL_FIXTURE_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::integration {

using hop::testing::CommandResult;

// Valid personal codes (check digits verified).
inline constexpr char kChild[] = "51505050005";
inline constexpr char kChild2[] = "61707070003";
inline constexpr char kChild3[] = "51203030005";
inline constexpr char kGuardian1[] = "37605030299";
inline constexpr char kGuardian2[] = "49403136526";
inline constexpr char kBadChild[] = "51505050006";  // wrong check digit

// "hopctl ARGS" with exit code, stdout and stderr, for failure messages.
std::string Describe(const std::string& user, const std::vector<std::string>& args,
                     const CommandResult& result);

class HopctlTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // Runs hopctl as `user` (a staff certificate of 0793 is issued on first use).
  CommandResult Run(const std::string& user, const std::vector<std::string>& args);
  // Runs and expects exit code 0 (records a failure naming the command otherwise); stdout.
  std::string Must(const std::string& user, const std::vector<std::string>& args);
  // Runs and expects exit code 1 with "hopctl: <code>: " on stderr; returns stderr.
  std::string MustFail(const std::string& user, const std::vector<std::string>& args,
                       const std::string& code);

  // Runs with --json, expects success and parses stdout into T (failure if it does not parse).
  template <typename T>
  T MustJson(const std::string& user, std::vector<std::string> args) {
    args.push_back("--json");
    const std::string out = Must(user, args);
    T message;
    auto status = google::protobuf::util::JsonStringToMessage(out, &message);
    EXPECT_TRUE(status.ok()) << "not " << T::descriptor()->full_name() << " JSON: " << out;
    return message;
  }

  // Adds the cast (see above); sets school_id_.
  void AddCast();
  // The teacher opens a case for `child` at school_id_; returns its id (first output line).
  std::string OpenCase(const std::string& child, const std::string& name);

  std::unique_ptr<hop::testing::NodeFixture> node_;
  std::string school_id_;
};

}  // namespace hop::integration

#endif  // HOP_TESTS_INTEGRATION_HOPCTL_FIXTURE_H_
