// hopctl consent grant|list|withdraw against a real hopd.
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

// A year from today: within every consent rule for the fixture's children (born 2012..2017).
const std::string kUntil = hop::testing::DateFromToday(365);

TEST_F(HopctlTest, ConsentGrantListWithdraw) {
  AddCast();
  OpenCase(kChild, "Mati Maasikas");  // a coordinator handles consents of their cases' children
  const std::string granted =
      Must("koord", {"consent", "grant", "--child", kChild, "--guardian", kGuardian1, "--to",
                     "0171,0283", "--scope", "summary,contact", "--purpose",
                     "support in the new school", "--until", kUntil, "--evidence", "DHS-17"});
  for (const std::string& part :
       std::vector<std::string>{"consent:", "granted by:", kGuardian1, "recipients:", "0171, 0283",
                                "scope:", "summary, contact", "support in the new school",
                                "valid until:", kUntil + " 00:00", "state:", "active", "DHS-17"}) {
    EXPECT_THAT(granted, HasSubstr(part)) << granted;
  }

  // Listed as active.
  const std::string active = Must("kati", {"consent", "list", "--child", kChild, "--active"});
  EXPECT_THAT(active, HasSubstr("CONSENT"));
  EXPECT_THAT(active, ContainsRegex(std::string(kChild) + " +" + kGuardian1 + " +0171, 0283"));
  auto active_json = MustJson<hop::v1::ListConsentsResponse>(
      "kati", {"consent", "list", "--child", kChild, "--active"});
  ASSERT_EQ(active_json.consents_size(), 1);
  EXPECT_EQ(active_json.consents(0).granted_by(), kGuardian1);
  EXPECT_EQ(active_json.consents(0).scopes_size(), 2);

  // The other guardian withdraws: any guardian's withdrawal wins.
  const std::string withdrawn =
      Must("koord", {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian2,
                     "--evidence", "DHS-2026-31"});
  EXPECT_THAT(withdrawn, HasSubstr("withdrew 1 consent:"));
  EXPECT_THAT(withdrawn, HasSubstr("withdrawn"));

  EXPECT_EQ(Must("kati", {"consent", "list", "--child", kChild, "--active"}), "no consents\n");
  auto all =
      MustJson<hop::v1::ListConsentsResponse>("kati", {"consent", "list", "--child", kChild});
  ASSERT_EQ(all.consents_size(), 1);
  EXPECT_GT(all.consents(0).withdrawn_at(), 0);
  EXPECT_EQ(all.consents(0).withdrawn_by(), kGuardian2);
  EXPECT_EQ(all.consents(0).withdrawal_evidence_ref(), "DHS-2026-31");
  EXPECT_THAT(Must("kati", {"consent", "list"}), HasSubstr("withdrawn"));
}

TEST_F(HopctlTest, ConsentWithdrawByRecipient) {
  AddCast();
  OpenCase(kChild, "Mati Maasikas");
  Must("koord", {"consent", "grant", "--child", kChild, "--guardian", kGuardian1, "--to", "0171",
                 "--scope", "summary", "--purpose", "p", "--until", kUntil});
  Must("koord", {"consent", "grant", "--child", kChild, "--guardian", kGuardian1, "--to", "0283",
                 "--scope", "services", "--purpose", "p", "--until", kUntil});
  const std::string out = Must("koord", {"consent", "withdraw", "--child", kChild, "--guardian",
                                         kGuardian2, "--evidence", "F-9", "--to", "0283"});
  EXPECT_THAT(out, HasSubstr("withdrew 1 consent:"));
  auto active = MustJson<hop::v1::ListConsentsResponse>(
      "koord", {"consent", "list", "--child", kChild, "--active"});
  ASSERT_EQ(active.consents_size(), 1);
  EXPECT_EQ(active.consents(0).recipients(0), "0171");
  // Nothing in force to withdraw: the server says NOT_FOUND.
  MustFail(
      "kati",
      {"consent", "withdraw", "--child", kChild3, "--guardian", kGuardian2, "--evidence", "F-9"},
      "NOT_FOUND");
}

TEST_F(HopctlTest, WhoMayHandleConsents) {
  AddCast();
  MustFail("opetaja", {"consent", "list"}, "PERMISSION_DENIED");
  // A coordinator only for children with a case at their institution.
  const std::string err =
      MustFail("koord",
               {"consent", "grant", "--child", kChild2, "--guardian", kGuardian1, "--to", "0171",
                "--scope", "summary", "--purpose", "p", "--until", kUntil},
               "PERMISSION_DENIED");
  EXPECT_THAT(err, HasSubstr("koord"));
}

TEST_F(HopctlTest, ConsentUntilBeforeFromIsRefused) {
  AddCast();
  MustFail(
      "kati",
      {"consent", "grant", "--child", kChild, "--guardian", kGuardian1, "--to", "0171", "--scope",
       "summary", "--purpose", "p", "--from", "2099-01-02", "--until", "2099-01-01"},
      "INVALID_ARGUMENT");
}

}  // namespace
}  // namespace hop::integration
