// Fast withdrawal and the promises kept (issue 11), with real hopd processes over mTLS and no
// nightly sync and no `hopctl sync` after the first copy arrived: the owner (Tartu linn 0793)
// nudges the peers whose feed got a tombstone, and they pull at once.
//  - a withdrawal at the owner makes a running peer (Elva 0171) drop its copy within 60 s;
//  - so does a closing;
//  - a peer that is down misses the nudge (logged, dropped) and gets the tombstone when it
//    next pulls;
//  - ending a relation (`case relate --end-actual`) takes the child-protection copy away from
//    the municipality that saw it only through that relation (Kambja 0283); ending a relation
//    the case does not have is refused naming the field;
//  - a closed case is purged by the owner after retention.closed_case_days (the owner is
//    restarted with its clock 30 days and an hour ahead: HOP_CLOCK_OFFSET_SECONDS, the existing
//    drill seam), with one audit entry.
// Every wait polls with a deadline; nothing asserts on timing.
#include <chrono>
#include <iostream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/records.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPurpose[] = "new pupil: earlier support?";
// Withdrawal, closing and ending a relation must reach a running peer within this.
constexpr std::chrono::seconds kFastWithdrawal(60);

class FederationNudgeTest : public Federation {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(
        StartNodes({"0793", "0171", "0283"}, {{"0793", "retention { closed_case_days: 30 }\n"}}));
    Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
    Ok("0793", "admin", {"user", "add", "kaie", "--role", "child-protection", "--name", "Kaie"});
    Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle"});
    Ok("0283", "admin",
       {"user", "add", "kristi", "--role", "child-protection", "--name", "Kristi"});
    school_ = AddSchool("0793", "tiina");
  }

  std::string OpenCase() { return OpenSchoolCase("0793", "tiina", school_); }
  void GrantTo0171() {
    Ok("0793", "tiina",
       {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", "0171", "--scope",
        "summary", "--purpose", "support in Elva", "--until", LocalDate(365)});
  }
  // How many copies of kChild's cases `user` at `node` sees in a lookup.
  int Held(const std::string& node, const std::string& user) {
    return Json<hop::v1::LookupResponse>(node, user,
                                         {"lookup", "--child", kChild, "--purpose", kPurpose})
        .held_size();
  }
  // Waits (polling) until `user` at `node` no longer sees a copy.
  // Prints how long it took (measured, never asserted).
  bool CopyGoneWithin(const std::string& node, const std::string& user,
                      std::chrono::seconds limit) {
    const auto start = std::chrono::steady_clock::now();
    const bool gone = Eventually(limit, [&] { return Held(node, user) == 0; });
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                        std::chrono::steady_clock::now() - start)
                        .count();
    std::cout << "copy at " << node << " gone after " << ms << " ms (polled every 200 ms)\n";
    return gone;
  }

  std::string school_;
};

TEST_F(FederationNudgeTest, WithdrawalAndClosingReachARunningPeerWithoutASync) {
  const std::string case_id = OpenCase();
  GrantTo0171();
  ASSERT_EQ(Sync("0171")["0793"].records_held(), 2u) << "the school and the case summary";
  ASSERT_EQ(Held("0171", "elle"), 1);

  Ok("0793", "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence",
      "DHS-2026-31"});
  EXPECT_TRUE(CopyGoneWithin("0171", "elle", kFastWithdrawal))
      << "the withdrawal did not reach the running peer within 60 s without a sync\n"
      << nodes_.at("0171")->log();
  EXPECT_THAT(nodes_.at("0171")->log(), HasSubstr("pulling a peer that nudged"));

  // A closing goes the same way: a new consent, the copy comes with a sync, the case closes.
  GrantTo0171();
  ASSERT_EQ(Sync("0171")["0793"].records_held(), 2u);
  ASSERT_EQ(Held("0171", "elle"), 1);
  Ok("0793", "tiina", {"case", "close", case_id, "--reason", "support no longer needed"});
  EXPECT_TRUE(CopyGoneWithin("0171", "elle", kFastWithdrawal))
      << "the closing did not reach the running peer within 60 s without a sync";
  const std::string owner_log = nodes_.at("0793")->log();
  EXPECT_THAT(owner_log, Not(HasSubstr("nudge not delivered"))) << owner_log;
}

TEST_F(FederationNudgeTest, AnUnreachablePeerGetsTheWithdrawalAtItsNextPull) {
  OpenCase();
  GrantTo0171();
  ASSERT_EQ(Sync("0171")["0793"].records_held(), 2u);
  ASSERT_EQ(nodes_.at("0171")->Stop(), 0);
  Ok("0793", "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence",
      "DHS-2026-32"});
  EXPECT_TRUE(Eventually(std::chrono::seconds(30), [&] {
    return nodes_.at("0793")->log().find("nudge not delivered") != std::string::npos;
  })) << "a failed nudge is logged and dropped";
  ASSERT_TRUE(nodes_.at("0171")->Restart().ok());
  EXPECT_EQ(Sync("0171")["0793"].records_held(), 1u) << "the next pull brings the tombstone";
  EXPECT_EQ(Held("0171", "elle"), 0);
}

TEST_F(FederationNudgeTest, EndingARelationTakesTheChildProtectionCopyAway) {
  const std::string case_id = OpenCase();
  Ok("0793", "tiina", {"case", "relate", case_id, "--registered", "0793", "--actual", "0283"});
  Ok("0793", "kaie", {"case", "protect", case_id, "--reason", "child in danger"});
  ASSERT_EQ(Sync("0283")["0793"].records_held(), 2u) << "the school and the fact of the case";
  ASSERT_EQ(Held("0283", "kristi"), 1);

  const std::string refused =
      Refused("0793", "kaie", {"case", "relate", case_id, "--end-actual", "0171"});
  EXPECT_THAT(refused, HasSubstr("end_actual_residences[0]"));
  EXPECT_THAT(refused, HasSubstr("has no actual residence 0171"));
  EXPECT_EQ(Held("0283", "kristi"), 1) << "a refused end changes nothing";

  const hop::v1::Case ended =
      Json<hop::v1::Case>("0793", "kaie", {"case", "relate", case_id, "--end-actual", "0283"});
  EXPECT_TRUE(ended.related().actual_residences().empty());
  EXPECT_EQ(ended.related().registered_residence(), "0793") << "the other relations stay";
  EXPECT_TRUE(CopyGoneWithin("0283", "kristi", kFastWithdrawal))
      << "the ended relation did not take the copy away within 60 s\n"
      << nodes_.at("0283")->log();
}

TEST_F(FederationNudgeTest, ClosedCaseIsPurgedAfterRetention) {
  const std::string case_id = OpenCase();
  const std::string other = OpenCase();
  Ok("0793", "tiina", {"case", "close", case_id, "--reason", "support no longer needed"});
  Ok("0793", "tiina", {"case", "get", case_id});
  // 30 days and an hour later the owner's housekeeping (run at start, then every minute) purges it.
  {
    ScopedClockOffset later(30 * 86400 + 3600);
    ASSERT_TRUE(nodes_.at("0793")->Restart().ok());
  }
  EXPECT_TRUE(Eventually(std::chrono::seconds(30), [&] {
    return Run("0793", "tiina", {"case", "get", case_id}).exit_code == 1;
  })) << "the closed case is still there 30 days after closing";
  EXPECT_THAT(Refused("0793", "tiina", {"case", "get", case_id}), HasSubstr("no case"));
  Ok("0793", "tiina", {"case", "get", other});  // an open case stays

  const std::string report = Ok("0793", "tiina", {"--json", "audit", "subject", "--child", kChild});
  EXPECT_THAT(report, HasSubstr("case purged after retention"));
  EXPECT_THAT(nodes_.at("0793")->log(), HasSubstr("closed case purged after retention"));
  EXPECT_THAT(nodes_.at("0793")->log(), Not(HasSubstr(kChild)));
}

}  // namespace
}  // namespace hop
