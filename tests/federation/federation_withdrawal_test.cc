// Withdrawals stay final across an owner's restore (issue 11, README "Withdrawals stay
// final"), with real hopd processes over mTLS on loopback: Tartu linn (0793) owns a case whose
// consent names Elva (0171) and Kambja (0283). Both sync, the owner is backed up
// (`hopctl admin backup`), the consent is withdrawn and both peers purge; the owner is then
// restored from the backup (`hopd --restore`), where the consent is active again.
//  - The first peer to sync hands back its withdrawal notice: the owner withdraws the consent
//    again (audited with that peer as actor) before serving it, and the peer holds no copy.
//  - The second peer then holds no copy either, though the owner re-applied nothing from its
//    notice: the first peer's handback already wrote the tombstone into its feed.
//  - Every later sync agrees with the owner's digest at both peers.
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

constexpr char kOwner[] = "0793";
constexpr char kElva[] = "0171";
constexpr char kKambja[] = "0283";
constexpr char kPurpose[] = "support in the new school";

class FederationWithdrawalTest : public Federation {
 protected:
  void SetUp() override {
    ASSERT_NO_FATAL_FAILURE(StartNodes(
        {kOwner, kElva, kKambja}, {{kOwner, "backup_dir: \"" + backups_.Path("0793") + "\"\n"}}));
    Ok(kOwner, "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
    Ok(kElva, "admin", {"user", "add", "mari", "--role", "case-manager", "--name", "Mari"});
    Ok(kKambja, "admin", {"user", "add", "kati", "--role", "case-manager", "--name", "Kati"});
    const std::string school =
        Json<hop::v1::Institution>(kOwner, "tiina",
                                   {"directory", "institution", "add", "--name", "Kool", "--kind",
                                    "school", "--ownership", "municipal", "--municipality", kOwner})
            .id();
    Ok(kOwner, "tiina",
       {"case", "open", "--child", kChild, "--name", "Laps", "--level", "school", "--institution",
        school});
    consent_ = Json<hop::v1::Consent>(kOwner, "tiina",
                                      {"consent", "grant", "--child", kChild, "--guardian",
                                       kGuardian, "--to", "0171,0283", "--scope", "summary,contact",
                                       "--purpose", kPurpose, "--until", LocalDate(365)})
                   .id();
    ASSERT_FALSE(consent_.empty());
  }

  // Case summaries of the child a case manager at `node` finds among its held copies.
  int Held(const std::string& node) {
    const std::string user = node == kElva ? "mari" : "kati";
    return Json<hop::v1::LookupResponse>(node, user,
                                         {"lookup", "--child", kChild, "--purpose", kPurpose})
        .held_size();
  }
  hop::v1::Consent OwnersConsent() {
    const hop::v1::ListConsentsResponse list = Json<hop::v1::ListConsentsResponse>(
        kOwner, "tiina", {"consent", "list", "--child", kChild});
    for (const hop::v1::Consent& c : list.consents()) {
      if (c.id() == consent_) return c;
    }
    ADD_FAILURE() << "consent " << consent_ << " is not listed at the owner";
    return hop::v1::Consent();
  }
  // `hopd --restore` of the owner's newest backup, the node stopped, then started again.
  void RestoreOwner() {
    NodeFixture& owner = *nodes_.at(kOwner);
    ASSERT_EQ(owner.Stop(), 0);
    std::filesystem::rename(owner.dir() + "/data", owner.dir() + "/data.lost");
    const CommandResult restored = testing::RunCommand(
        {testing::BinaryDir() + "/daemon/hopd", "--config", owner.config_path(), "--restore"});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    const absl::Status started = owner.Restart();
    ASSERT_TRUE(started.ok()) << started;
  }
  void ExpectInStep(const PeerStates& states, const std::string& origin) {
    const hop::v1::SyncCheckpoint& cp = states.at(origin).checkpoint();
    EXPECT_TRUE(cp.last_error().empty()) << cp.last_error();
    EXPECT_EQ(cp.digest_mismatches(), 0u);
  }

  testing::TempDir backups_{"hop-withdrawal-backups"};
  std::string consent_;
};

TEST_F(FederationWithdrawalTest, ARestoredOwnerWithdrawsAgainAndNoPeerHoldsTheChildAgain) {
  ExpectInStep(Sync(kElva), kOwner);
  ExpectInStep(Sync(kKambja), kOwner);
  ASSERT_EQ(Held(kElva), 1);
  ASSERT_EQ(Held(kKambja), 1);
  const std::string epoch_before = Json<hop::v1::NodeStatus>(kOwner, "admin", {"status"}).epoch();
  Json<hop::v1::BackupResponse>(kOwner, "admin", {"admin", "backup"});

  Ok(kOwner, "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence", "F-7"});
  ExpectInStep(Sync(kElva), kOwner);
  ExpectInStep(Sync(kKambja), kOwner);
  ASSERT_EQ(Held(kElva), 0);
  ASSERT_EQ(Held(kKambja), 0);

  ASSERT_NO_FATAL_FAILURE(RestoreOwner());
  EXPECT_NE(Json<hop::v1::NodeStatus>(kOwner, "admin", {"status"}).epoch(), epoch_before);
  ASSERT_EQ(OwnersConsent().withdrawn_at(), 0) << "the backup predates the withdrawal";

  // Until Elva has synced (and so handed back its notice), the restored owner, whose consent
  // looks active again, does not answer Elva's live questions at all.
  const auto ask_owner = [&] {
    return Json<hop::v1::QueryPeersResponse>(
        kElva, "mari", {"query", "--child", kChild, "--purpose", "new pupil", "--peers", kOwner});
  };
  hop::v1::QueryPeersResponse before_sync = ask_owner();
  ASSERT_EQ(before_sync.answers_size(), 1);
  EXPECT_EQ(before_sync.answers(0).outcome(), hop::v1::PEER_OUTCOME_REFUSED);
  EXPECT_EQ(before_sync.answers(0).summaries_size(), 0);
  EXPECT_TRUE(absl::StrContains(before_sync.answers(0).detail(), "restored from a backup"))
      << before_sync.answers(0).detail();

  // Elva syncs first: it hands back its notice, the owner withdraws again, then serves.
  const PeerStates elva = Sync(kElva);
  ExpectInStep(elva, kOwner);
  EXPECT_EQ(elva.at(kOwner).checkpoint().withdrawals_handed_back(), 1u);
  EXPECT_EQ(elva.at(kOwner).checkpoint().full_resyncs(), 1u) << "the owner's new life";
  EXPECT_EQ(Held(kElva), 0) << "the restored consent reached Elva again";
  const hop::v1::Consent again = OwnersConsent();
  EXPECT_NE(again.withdrawn_at(), 0) << "the consent is active again after the restore";
  EXPECT_EQ(again.withdrawal_evidence_ref(), "withdrawal notice handed back by 0171");
  hop::v1::QueryPeersResponse after_sync = ask_owner();
  ASSERT_EQ(after_sync.answers_size(), 1);
  EXPECT_EQ(after_sync.answers(0).outcome(), hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS)
      << after_sync.answers(0).detail();
  const PeerStates owner_view = Peers(kOwner);
  EXPECT_EQ(owner_view.at(kElva).out().withdrawals_reapplied(), 1u);
  EXPECT_EQ(owner_view.at(kElva).out().withdrawal_notices_refused(), 0u);

  // The re-withdrawal is in the child's access report at the owner, with Elva as the actor.
  const hop::v1::SubjectReportResponse report = Json<hop::v1::SubjectReportResponse>(
      kOwner, "tiina", {"audit", "subject", "--child", kChild});
  bool audited = false;
  for (const hop::v1::AuditEntry& e : report.entries()) {
    if (absl::StrContains(e.action(), "withdrawal re-applied")) {
      audited = true;
      EXPECT_EQ(e.actor_municipality(), kElva);
      EXPECT_EQ(e.purpose(), "withdrawal notice handed back by 0171");
      EXPECT_EQ(e.object(), consent_);
    }
  }
  EXPECT_TRUE(audited) << "no audit entry of the re-applied withdrawal";

  // Kambja syncs second: Elva's handback has already put the tombstone into its feed.
  const PeerStates kambja = Sync(kKambja);
  ExpectInStep(kambja, kOwner);
  EXPECT_EQ(Held(kKambja), 0) << "the restored consent reached Kambja again";
  EXPECT_EQ(kambja.at(kOwner).checkpoint().withdrawals_handed_back(), 1u);
  EXPECT_EQ(Peers(kOwner).at(kKambja).out().withdrawals_reapplied(), 0u)
      << "Elva's handback did it; Kambja's notice found the consent withdrawn already";

  // Later syncs stay in step (the notices count in both digests) and nothing comes back.
  for (const char* peer : {kElva, kKambja}) {
    const PeerStates states = Sync(peer);
    ExpectInStep(states, kOwner);
    EXPECT_EQ(states.at(kOwner).checkpoint().full_resyncs(), 1u) << peer;
    EXPECT_EQ(states.at(kOwner).checkpoint().withdrawals_handed_back(), 1u) << peer;
    EXPECT_EQ(Held(peer), 0) << peer;
  }
  EXPECT_NE(OwnersConsent().withdrawn_at(), 0);
  // The handback's log lines name peers and consent ids, never the child.
  for (const char* node : {kOwner, kElva, kKambja}) {
    EXPECT_FALSE(absl::StrContains(nodes_.at(node)->log(), kChild)) << node;
  }
  EXPECT_TRUE(absl::StrContains(nodes_.at(kOwner)->log(), "consent withdrawn again"));
}

}  // namespace
}  // namespace hop
