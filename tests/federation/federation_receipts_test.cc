// Look-up receipts across real hopd processes over mTLS (issue 11, "every look-up reaches the
// owner"). Tartu linn 0793 owns the case; Elva 0171 holds a copy. This suite proves that:
//  - a look-up of the copy at 0171 lands in the owner's inbox (kind "lookup": who, role,
//    municipality, when, purpose) and in the owner's access report, which also shows the
//    copies served to 0171, and names 0171 in its summary of other municipalities;
//  - a look-up while the owner is down is kept at 0171 (hopctl peers / status show it
//    waiting) and reaches the owner after it is back, once;
//  - a hostile peer (0171's real node certificate, hand-made receipts) cannot make anything
//    land: a case it never held, another municipality's staff, a malformed id, too many in
//    one call are refused and audited; a receipt sent again lands once.
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "daemon/store/store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/federation/receipts_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;

constexpr char kLanded[] = "Federation.Receipts: look-up of a held copy";
constexpr char kRefused[] = "Federation.Receipts: look-up receipt";
constexpr char kOtherChild[] = "60001019906";

class FederationReceiptsTest : public ReceiptsFederation {
 protected:
  // A consented case of kChild whose copy 0171 holds; its id.
  std::string SharedCase() {
    const std::string id = OpenCase();
    ConsentTo0171();
    EXPECT_EQ(Sync("0171")["0793"].records_held(), 2u) << "the school and the case";
    return id;
  }
  uint64_t PendingAt0171() { return Peers("0171")["0793"].checkpoint().receipts_pending(); }
};

TEST_F(FederationReceiptsTest, LookupAtPeerLandsInOwnersInboxAndAccessReport) {
  const std::string case_id = SharedCase();
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 1);

  std::vector<hop::v1::InboxEntry> inbox;
  ASSERT_TRUE(Eventually(std::chrono::seconds(30), [&] {
    inbox = Inbox("0793", "tiina", "lookup");
    return !inbox.empty();
  })) << "the receipt never reached the owner's inbox";
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].case_id(), case_id);
  EXPECT_EQ(inbox[0].child_isikukood(), kChild);
  EXPECT_EQ(inbox[0].asker(), "spiffe://hop.tartumaa.ee/municipality/0171/staff/elle");
  EXPECT_EQ(inbox[0].asker_role(), "case-manager");
  EXPECT_EQ(inbox[0].asker_municipality(), "0171");
  EXPECT_EQ(inbox[0].purpose(), kLookupPurpose);
  EXPECT_GT(inbox[0].time(), 0);

  EXPECT_THAT(Ok("0793", "tiina", {"inbox"}),
              HasSubstr("case-manager elle of Elva vald (0171) looked up, in their copy of your "
                        "case, child " +
                        std::string(kChild)));

  const std::vector<hop::v1::AuditEntry> report = Report("0793", "tiina");
  const std::vector<hop::v1::AuditEntry> landed = WithAction(report, kLanded);
  ASSERT_EQ(landed.size(), 1u);
  EXPECT_EQ(landed[0].actor(), inbox[0].asker());
  EXPECT_EQ(landed[0].actor_role(), "case-manager");
  EXPECT_EQ(landed[0].actor_municipality(), "0171");
  EXPECT_EQ(landed[0].purpose(), kLookupPurpose);
  EXPECT_GT(landed[0].occurred_at(), 0) << "when elle looked, by 0171's clock";
  EXPECT_LE(landed[0].occurred_at(), inbox[0].time());
  EXPECT_FALSE(landed[0].child_protection());
  EXPECT_THAT(landed[0].object(), HasSubstr(case_id));
  const std::vector<hop::v1::AuditEntry> served =
      WithAction(report, "Federation.Pull: feed served");
  ASSERT_FALSE(served.empty()) << "the owner must audit what each peer's pull served";
  EXPECT_EQ(served[0].actor_municipality(), "0171");

  const std::string text = Ok("0793", "tiina", {"audit", "subject", "--child", kChild});
  EXPECT_THAT(text, HasSubstr("Other municipalities that received, looked up or asked"));
  EXPECT_THAT(text, HasSubstr("Elva vald (0171): looked the child up 1 time"));
  EXPECT_THAT(text, HasSubstr("received copies"));
  EXPECT_THAT(text, HasSubstr("case-manager elle of Elva vald (0171)"));

  EXPECT_TRUE(Eventually(std::chrono::seconds(10), [&] { return PendingAt0171() == 0; }));
  // Each look-up is its own receipt.
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 1);
  EXPECT_TRUE(Eventually(std::chrono::seconds(30),
                         [&] { return Inbox("0793", "tiina", "lookup").size() == 2; }));
}

TEST_F(FederationReceiptsTest, OwnerDownAtLookupGetsTheReceiptOnceWhenBack) {
  SharedCase();
  nodes_.at("0793")->Stop();
  ASSERT_EQ(Lookup("0171", "elle").held_size(), 1) << "the copy is shown while its owner is down";
  EXPECT_EQ(PendingAt0171(), 1u);
  EXPECT_THAT(Ok("0171", "admin", {"status"}), HasSubstr("1 waiting for their owners"));
  // The sender keeps trying; the failure shows under hopctl peers.
  EXPECT_TRUE(Eventually(std::chrono::seconds(20), [&] {
    return !Peers("0171")["0793"].checkpoint().receipts_error().empty();
  }));

  ASSERT_TRUE(nodes_.at("0793")->Restart().ok());
  ASSERT_TRUE(Eventually(std::chrono::seconds(60), [&] {
    return !Inbox("0793", "tiina", "lookup").empty();
  })) << "the receipt kept at 0171 never reached the owner after it came back";
  EXPECT_TRUE(Eventually(std::chrono::seconds(10), [&] { return PendingAt0171() == 0; }));
  Sync("0171");  // a pull also sends receipts: none are left to send twice
  EXPECT_EQ(Inbox("0793", "tiina", "lookup").size(), 1u);
  EXPECT_EQ(WithAction(Report("0793", "tiina"), kLanded).size(), 1u);
}

TEST_F(FederationReceiptsTest, HostilePeerReceiptsAreRefusedAuditedAndLandNowhere) {
  const std::string case_id = SharedCase();
  const std::string unshared = OpenCase(kOtherChild);  // 0171 never held a copy of it
  std::unique_ptr<hop::v1::Federation::Stub> rogue = RogueStubAs0171();

  // A well-formed receipt sent twice in one call and once more later lands once.
  const hop::v1::LookupReceipt good = Receipt(std::string(32, 'a'), case_id);
  hop::v1::LookupReceiptAck ack;
  ASSERT_TRUE(SendReceipts(*rogue, {good, good}, &ack).ok());
  EXPECT_EQ(ack.refused_size(), 0);
  EXPECT_EQ(std::set<std::string>(ack.accepted().begin(), ack.accepted().end()),
            std::set<std::string>{good.id()});
  ack.Clear();
  ASSERT_TRUE(SendReceipts(*rogue, {good}, &ack).ok());
  ASSERT_EQ(ack.accepted_size(), 1) << "a retried receipt is acknowledged again";

  // Each of these is refused with a reason, and the rest of its call goes on.
  hop::v1::LookupReceipt never_held = Receipt(std::string(32, 'b'), unshared);
  hop::v1::LookupReceipt no_case = Receipt(std::string(32, 'c'), "0793-C999999");
  hop::v1::LookupReceipt foreign_staff = Receipt(std::string(32, 'd'), case_id);
  foreign_staff.set_asker("spiffe://hop.tartumaa.ee/municipality/0283/staff/kalle");
  hop::v1::LookupReceipt bad_id = Receipt("../../etc/passwd", case_id);
  hop::v1::LookupReceipt own_staff = Receipt(std::string(32, 'e'), case_id);
  own_staff.set_asker("spiffe://hop.tartumaa.ee/municipality/0793/staff/tiina");
  ack.Clear();
  ASSERT_TRUE(
      SendReceipts(*rogue, {never_held, no_case, foreign_staff, bad_id, own_staff}, &ack).ok());
  EXPECT_EQ(ack.accepted_size(), 0);
  ASSERT_EQ(ack.refused_size(), 5);
  EXPECT_THAT(ack.refused(0).reason(), HasSubstr("holds no copy"));
  EXPECT_THAT(ack.refused(1).reason(), HasSubstr("holds no copy"));
  EXPECT_THAT(ack.refused(2).reason(), HasSubstr("is not a staff identity of 0171"));
  EXPECT_THAT(ack.refused(3).reason(), HasSubstr("id: expected 32 lower-case hex digits"));
  EXPECT_THAT(ack.refused(4).reason(), HasSubstr("is not a staff identity of 0171"));

  // Too many in one call: the whole call is refused.
  std::vector<hop::v1::LookupReceipt> flood;
  for (int i = 0; i < 51; ++i) {
    char id[33];
    snprintf(id, sizeof(id), "%032x", i + 1000);
    flood.push_back(Receipt(id, case_id));
  }
  ack.Clear();
  const grpc::Status too_many = SendReceipts(*rogue, flood, &ack);
  EXPECT_EQ(too_many.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(too_many.error_message(), HasSubstr("receipts: at most 50"));

  // Only the one good receipt landed, once.
  EXPECT_EQ(Inbox("0793", "tiina", "lookup").size(), 1u);
  const std::vector<hop::v1::AuditEntry> report = Report("0793", "tiina");
  EXPECT_EQ(WithAction(report, kLanded).size(), 1u);
  // The refusals naming kChild's case are in its access report, with the sending node (never
  // the claimed person) as the actor.
  const std::vector<hop::v1::AuditEntry> refused = WithAction(report, kRefused);
  ASSERT_EQ(refused.size(), 3u) << "foreign staff, bad id, own staff";
  for (const hop::v1::AuditEntry& e : refused) {
    EXPECT_EQ(e.actor(), "spiffe://hop.tartumaa.ee/municipality/0171/node");
    EXPECT_EQ(e.actor_role(), "peer-node");
    EXPECT_THAT(e.outcome(), HasSubstr("refused: "));
  }
  const std::vector<hop::v1::AuditEntry> other = Report("0793", "tiina", kOtherChild);
  ASSERT_EQ(WithAction(other, kRefused).size(), 1u) << "the never-held case's child sees it";
  EXPECT_THAT(WithAction(other, kRefused)[0].outcome(), HasSubstr("holds no copy"));
  EXPECT_THAT(nodes_.at("0793")->log(), HasSubstr("look-up receipts taken"));

  // The refused flood (it names no child) is in the owner's audit log too.
  NodeFixture& tartu = *nodes_.at("0793");
  tartu.Stop();
  absl::StatusOr<std::unique_ptr<store::Store>> db = store::Store::Open({tartu.dir() + "/data"});
  ASSERT_TRUE(db.ok()) << db.status();
  int flood_refusals = 0;
  ASSERT_TRUE((*db)
                  ->Scan(store::Family::kAudit, "e/", "",
                         [&](absl::string_view, absl::string_view v) {
                           hop::v1::AuditEntry e;
                           e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                           if (e.action() == kRefused &&
                               absl::StrContains(e.outcome(), "receipts: at most 50")) {
                             ++flood_refusals;
                           }
                           return true;
                         })
                  .ok());
  EXPECT_EQ(flood_refusals, 1);
}

}  // namespace
}  // namespace hop
