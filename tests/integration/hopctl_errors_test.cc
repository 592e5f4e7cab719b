// How hopctl reports refusals, failures and usage errors from a real hopd: exit codes 1 and 2,
// "hopctl: CODE: message", and that a refused change changes nothing.
#include "absl/strings/str_cat.h"
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::HasSubstr;

class ErrorsTest : public HopctlTest {
 protected:
  void SetUp() override {
    HopctlTest::SetUp();
    if (HasFatalFailure()) return;
    AddCast();
  }
};

TEST_F(ErrorsTest, InvalidIsikukoodIsRefusedAndNothingChanges) {
  OpenCase(kChild, "Mati Maasikas");
  const std::string before = Must("opetaja", {"case", "list"});
  const std::string err = MustFail("opetaja",
                                   {"case", "open", "--child", kBadChild, "--name", "Vale Kood",
                                    "--level", "school", "--institution", school_id_},
                                   "INVALID_ARGUMENT");
  EXPECT_THAT(err, HasSubstr("isikukood"));
  EXPECT_EQ(Must("opetaja", {"case", "list"}), before);
}

TEST_F(ErrorsTest, IllegalStageChangeIsRefusedAndNothingChanges) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  MustFail("opetaja", {"case", "escalate", id, "--to", "III", "--reason", "skip"},
           "FAILED_PRECONDITION");
  auto c = MustJson<hop::v1::Case>("opetaja", {"case", "get", id});
  EXPECT_EQ(c.stage(), hop::v1::STAGE_I);
  EXPECT_EQ(c.history_size(), 1);
}

TEST_F(ErrorsTest, UnknownMunicipalityInRelate) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  const std::string err =
      MustFail("opetaja", {"case", "relate", id, "--registered", "9999"}, "INVALID_ARGUMENT");
  EXPECT_THAT(err, HasSubstr("9999"));
  auto c = MustJson<hop::v1::Case>("opetaja", {"case", "get", id});
  EXPECT_EQ(c.related().registered_residence(), "");
}

TEST_F(ErrorsTest, ClosedCaseRefusesChanges) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  Must("koord", {"case", "close", id, "--reason", "moved away"});
  MustFail("koord", {"case", "note", id, "late note"}, "FAILED_PRECONDITION");
  MustFail("koord", {"case", "escalate", id, "--to", "II", "--reason", "r"}, "FAILED_PRECONDITION");
}

TEST_F(ErrorsTest, MissingCaseIsNotFound) {
  MustFail("kati", {"case", "get", "0793-C999999"}, "NOT_FOUND");
}

TEST_F(ErrorsTest, UsageErrorsExitTwoWithoutCallingTheServer) {
  CommandResult bad_stage =
      Run("opetaja", {"case", "escalate", "0793-C1", "--to", "IV", "--reason", "r"});
  EXPECT_EQ(bad_stage.exit_code, 2) << bad_stage.err;
  EXPECT_THAT(bad_stage.err, HasSubstr("--to: expected I, II or III"));
  EXPECT_EQ(bad_stage.out, "");

  CommandResult missing = Run("opetaja", {"case", "open", "--child", kChild});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--name: required by 'case open'"));

  CommandResult unknown = Run("opetaja", {"case", "archive", "0793-C1"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_THAT(unknown.err, HasSubstr("unknown command 'case archive'"));

  CommandResult date =
      Run("kati", {"case", "assess", "0793-C1", "--date", "1.3.2025", "--conclusion", "c"});
  EXPECT_EQ(date.exit_code, 2);
  EXPECT_THAT(date.err, HasSubstr("--date: expected a date YYYY-MM-DD"));
}

TEST_F(ErrorsTest, UnreachableServerIsUnavailableWithAHint) {
  const int port = hop::testing::PickFreePort();
  // The later --server wins over the one the harness puts first.
  CommandResult result =
      Run("kati", {"--server", absl::StrCat("127.0.0.1:", port), "--timeout", "3", "whoami"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("hopctl: UNAVAILABLE: "));
  EXPECT_THAT(result.err, HasSubstr("hint:"));
  EXPECT_THAT(result.err, HasSubstr(absl::StrCat("127.0.0.1:", port)));
}

TEST_F(ErrorsTest, ServerOfAnotherMunicipalityIsNotTrusted) {
  // A staff certificate of Elva (0171) expects Elva's node; this node is Tartu's.
  auto elva = node_->pki().IssueStaff("0171", "eve");
  ASSERT_TRUE(elva.ok()) << elva.status();
  CommandResult result = node_->HopctlWith(*elva, {"--timeout", "5", "whoami"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_THAT(result.err, HasSubstr("hopctl: UNAVAILABLE: "));
  EXPECT_THAT(result.err, HasSubstr("spiffe://hop.tartumaa.ee/municipality/0171/node"));
}

}  // namespace
}  // namespace hop::integration
