// The withdrawal handback (federation/withdrawal_handback.h) against a real hopd (0793) over
// mTLS on loopback, called directly with configured peers' node certificates (0171, 0283), as
// a hostile peer would. The owner is backed up, two consents of a child (K1 naming 0171; K2
// naming 0171 and 0283) are withdrawn, the peers pull their notices, and the owner is restored
// (`hopd --restore`): both consents are active again. Then:
//  - a pull from the old epoch is answered with one empty batch asking for the notices, under
//    the owner's new epoch;
//  - more notices than one pull may carry is refused as a whole (INVALID_ARGUMENT naming the
//    limit) and changes nothing;
//  - 0171's genuine notice handed back by 0283 is refused (the token binds the recipient);
//  - 0171 handing back an altered notice (K1's token on K2), a forged one (K2, random token)
//    and its genuine K1 notice: K1 is withdrawn again, K2 stays active; the bad ones are
//    counted (`hopctl peers`, metrics), logged and audited;
//  - the owner's epoch moves only with the restore.
#include <httplib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/store/store.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/security/peer_pull.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::CommandResult;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

constexpr char kChild[] = "61604150239";
constexpr char kGuardian[] = "49403136526";

using ::hop::testing::PullResult;

class WithdrawalHandbackSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NodeOptions options;
    options.ehak = "0793";
    options.extra_config =
        absl::StrCat("peers { municipality: \"0171\" address: \"127.0.0.1:1\" }\n",
                     "peers { municipality: \"0283\" address: \"127.0.0.1:1\" }\n",
                     "backup_dir: \"", backups_.Path("0793"), "\"\n");
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    for (const char* peer : {"0171", "0283"}) {
      absl::StatusOr<CertPaths> cert = node_->pki().IssueNode(peer);
      ASSERT_TRUE(cert.ok()) << cert.status();
      peers_[peer] = *cert;
    }
  }

  std::string Ok(const std::string& user, std::vector<std::string> args) {
    const CommandResult r = node_->Hopctl(user, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  template <typename T>
  T Json(const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    T message;
    const std::string out = Ok(user, std::move(args));
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(out, &message).ok()) << out;
    return message;
  }
  std::string Grant(const std::string& to) {
    return Json<hop::v1::Consent>(
               "tiina", {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", to,
                         "--scope", "summary", "--purpose", "support", "--until",
                         testing::DateFromToday(365)})
        .id();
  }
  // Whether consent `id` is withdrawn at the owner.
  bool Withdrawn(const std::string& id) {
    const hop::v1::ListConsentsResponse list =
        Json<hop::v1::ListConsentsResponse>("tiina", {"consent", "list", "--child", kChild});
    for (const hop::v1::Consent& c : list.consents()) {
      if (c.id() == id) return c.withdrawn_at() != 0;
    }
    ADD_FAILURE() << "no consent " << id;
    return false;
  }
  std::string Epoch() { return Json<hop::v1::NodeStatus>("admin", {"status"}).epoch(); }
  hop::v1::FeedProgress Out(const std::string& peer) {
    const hop::v1::NodeStatus status = Json<hop::v1::NodeStatus>("admin", {"peers"});
    for (const hop::v1::PeerSyncState& p : status.peers()) {
      if (p.municipality() == peer) return p.out();
    }
    return hop::v1::FeedProgress();
  }

  PullResult Pull(const std::string& as, const std::string& epoch,
                  const hop::v1::WithdrawalHandback* withdrawals = nullptr) {
    hop::v1::PullRequest request;
    request.set_epoch(epoch);
    if (withdrawals != nullptr) *request.mutable_withdrawals() = *withdrawals;
    return testing::PullAsPeer(*node_, "0793", peers_.at(as), request);
  }
  // The withdrawal notices in a pull from zero as `as`, by consent id.
  std::map<std::string, hop::v1::WithdrawalNotice> Notices(const std::string& as) {
    std::map<std::string, hop::v1::WithdrawalNotice> notices;
    PullResult r = Pull(as, "");
    EXPECT_TRUE(r.status.ok()) << r.status.error_message();
    for (const hop::v1::PullBatch& b : r.batches) {
      for (const hop::v1::FeedEntry& e : b.entries()) {
        if (e.has_withdrawal_notice())
          notices[e.withdrawal_notice().consent_id()] = e.withdrawal_notice();
      }
    }
    return notices;
  }
  void Restore() {
    ASSERT_EQ(node_->Stop(), 0);
    std::filesystem::rename(node_->dir() + "/data", node_->dir() + "/data.lost");
    const CommandResult restored = testing::RunCommand(
        {testing::BinaryDir() + "/daemon/hopd", "--config", node_->config_path(), "--restore"});
    ASSERT_EQ(restored.exit_code, 0) << restored.err;
    ASSERT_TRUE(node_->Restart().ok()) << node_->log();
  }

  testing::TempDir backups_{"hop-handback-backups"};
  std::unique_ptr<NodeFixture> node_;
  std::map<std::string, CertPaths> peers_;
};

TEST_F(WithdrawalHandbackSecurityTest, ForgedAlteredMisdirectedOrTooManyNoticesChangeNothing) {
  Ok("admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
  const std::string school =
      Json<hop::v1::Institution>(
          "tiina", {"directory", "institution", "add", "--name", "Kool", "--kind", "school",
                    "--ownership", "municipal", "--municipality", "0793"})
          .id();
  Ok("tiina", {"case", "open", "--child", kChild, "--name", "Laps", "--level", "school",
               "--institution", school});
  const std::string k1 = Grant("0171");
  const std::string k2 = Grant("0171,0283");
  Json<hop::v1::BackupResponse>("admin", {"admin", "backup"});
  Ok("tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", kGuardian, "--evidence", "F-1"});
  const std::string old_epoch = Epoch();
  std::map<std::string, hop::v1::WithdrawalNotice> elva = Notices("0171");
  ASSERT_EQ(elva.size(), 2u);
  ASSERT_EQ(Notices("0283").size(), 1u) << "K2 only names 0283";

  ASSERT_NO_FATAL_FAILURE(Restore());
  const std::string epoch = Epoch();
  ASSERT_NE(epoch, old_epoch);
  ASSERT_FALSE(Withdrawn(k1));
  ASSERT_FALSE(Withdrawn(k2));

  // The old epoch without withdrawals: one empty batch asking for them.
  PullResult ask = Pull("0171", old_epoch);
  ASSERT_TRUE(ask.status.ok()) << ask.status.error_message();
  ASSERT_EQ(ask.batches.size(), 1u);
  EXPECT_TRUE(ask.batches[0].hand_back_withdrawals());
  EXPECT_EQ(ask.batches[0].entries_size(), 0);
  EXPECT_EQ(ask.batches[0].epoch(), epoch);

  // Too many: refused whole, before any is looked at.
  hop::v1::WithdrawalHandback flood;
  for (int i = 0; i < 501; ++i) *flood.add_notices() = elva.at(k1);
  PullResult flooded = Pull("0171", old_epoch, &flood);
  EXPECT_EQ(flooded.status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_TRUE(absl::StrContains(flooded.status.error_message(), "withdrawals.notices: at most 500"))
      << flooded.status.error_message();
  EXPECT_TRUE(flooded.batches.empty());
  EXPECT_FALSE(Withdrawn(k1)) << "a refused handback changed a consent";

  // 0171's notice handed back by 0283: refused, the pull is served, nothing withdrawn.
  hop::v1::WithdrawalHandback misdirected;
  *misdirected.add_notices() = elva.at(k1);
  PullResult other = Pull("0283", old_epoch, &misdirected);
  ASSERT_TRUE(other.status.ok()) << other.status.error_message();
  EXPECT_FALSE(other.batches.empty());
  EXPECT_FALSE(other.batches.back().hand_back_withdrawals());
  EXPECT_FALSE(Withdrawn(k1)) << "0283 withdrew a consent with 0171's notice";
  EXPECT_EQ(Out("0283").withdrawal_notices_refused(), 1u);

  // Altered and forged next to a genuine one: only the genuine one counts.
  hop::v1::WithdrawalHandback mixed;
  hop::v1::WithdrawalNotice altered = elva.at(k1);
  altered.set_consent_id(k2);
  *mixed.add_notices() = altered;
  hop::v1::WithdrawalNotice forged = elva.at(k2);
  forged.set_token(std::string(32, '\x5a'));
  *mixed.add_notices() = forged;
  *mixed.add_notices() = elva.at(k1);
  PullResult served = Pull("0171", old_epoch, &mixed);
  ASSERT_TRUE(served.status.ok()) << served.status.error_message();
  ASSERT_FALSE(served.batches.empty());
  EXPECT_FALSE(served.batches.front().hand_back_withdrawals()) << "served, not asked again";
  EXPECT_EQ(served.batches.back().epoch(), epoch);
  EXPECT_TRUE(Withdrawn(k1)) << "the genuine notice was not applied";
  EXPECT_FALSE(Withdrawn(k2)) << "an altered or forged notice withdrew a consent";
  EXPECT_EQ(Out("0171").withdrawals_reapplied(), 1u);
  EXPECT_EQ(Out("0171").withdrawal_notices_refused(), 2u);
  bool k1_notice_served = false;
  for (const hop::v1::PullBatch& b : served.batches) {
    for (const hop::v1::FeedEntry& e : b.entries()) {
      k1_notice_served |= e.has_withdrawal_notice() && e.withdrawal_notice().consent_id() == k1;
    }
  }
  EXPECT_TRUE(k1_notice_served) << "the re-withdrawal must leave a new notice in the feed";
  EXPECT_EQ(Epoch(), epoch) << "a peer moved the owner's epoch";

  // Logged and counted.
  EXPECT_TRUE(absl::StrContains(node_->log(), "handed-back withdrawal notice refused"));
  EXPECT_TRUE(absl::StrContains(node_->log(), "token does not match"));
  const std::string address = node_->metrics_address();
  httplib::Client scrape(address.substr(0, address.rfind(':')),
                         std::stoi(address.substr(address.rfind(':') + 1)));
  httplib::Result metrics = scrape.Get("/metrics");
  ASSERT_TRUE(metrics && metrics->status == 200);
  EXPECT_TRUE(
      absl::StrContains(metrics->body, "hop_withdrawal_notices_refused_total{peer=\"0171\"} 503"))
      << "501 flooded + 2 bad";
  EXPECT_TRUE(absl::StrContains(metrics->body, "hop_withdrawals_reapplied_total{peer=\"0171\"} 1"));
  const CommandResult peers = node_->Hopctl("admin", {"peers"});
  EXPECT_TRUE(absl::StrContains(peers.out, "withdrawal notices this node did not make"))
      << peers.out;

  // Audited: the flood and each handback with a bad notice.
  ASSERT_EQ(node_->Stop(), 0);
  absl::StatusOr<std::unique_ptr<store::Store>> db = store::Store::Open({node_->dir() + "/data"});
  ASSERT_TRUE(db.ok()) << db.status();
  int refusals = 0;
  ASSERT_TRUE((*db)
                  ->Scan(store::Family::kAudit, "e/", "",
                         [&](absl::string_view, absl::string_view v) {
                           hop::v1::AuditEntry e;
                           e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                           if (e.action() == "Federation.Pull: withdrawal notices handed back" &&
                               absl::StartsWith(e.outcome(), "refused")) {
                             ++refusals;
                           }
                           return true;
                         })
                  .ok());
  EXPECT_EQ(refusals, 3) << "the flood, 0283's misdirected notice, 0171's two bad ones";
}

}  // namespace
}  // namespace hop
