// hop.v1.Federation/Pull against a real hopd (0793) over mTLS on loopback, called directly with
// a configured peer's node certificate (0171), as a hostile or broken peer would:
// - a position the owner never issued (since_seq beyond its newest change, in its epoch) is
//   refused with OUT_OF_RANGE naming the position, logged, counted and audited, and changes
//   nothing: the epoch stays, however often it is tried;
// - a stale epoch with any position is first asked for its withdrawal notices, then served from
//   zero (the caller's copies belong to an older life of the store), and the epoch still stays;
// - batches are cut by bytes: a feed of large directory entries arrives in batches each within
//   what a receiver accepts.
#include <httplib.h>
#include <time.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/domain/limits.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/casework.grpc.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/security/peer_pull.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

using ::hop::testing::PullResult;

class FederationPullSecurityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NodeOptions options;
    options.ehak = "0793";
    // 0171 is a configured peer (its own node is not needed: the test speaks for it).
    options.extra_config = "peers { municipality: \"0171\" address: \"127.0.0.1:1\" }\n";
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    absl::StatusOr<CertPaths> peer = node_->pki().IssueNode("0171");
    ASSERT_TRUE(peer.ok()) << peer.status();
    peer_ = *peer;
  }

  PullResult Pull(const std::string& epoch, uint64_t since,
                  const hop::v1::WithdrawalHandback* withdrawals = nullptr) {
    hop::v1::PullRequest request;
    request.set_epoch(epoch);
    request.set_since_seq(since);
    if (withdrawals != nullptr) *request.mutable_withdrawals() = *withdrawals;
    return testing::PullAsPeer(*node_, "0793", peer_, request);
  }

  // The owner's epoch and newest position as a fresh peer sees them.
  std::pair<std::string, uint64_t> Head() {
    PullResult r = Pull("", 0);
    EXPECT_TRUE(r.status.ok()) << r.status.error_message();
    if (r.batches.empty()) return {"", 0};
    return {r.batches.back().epoch(), r.batches.back().through_seq()};
  }

  std::unique_ptr<NodeFixture> node_;
  CertPaths peer_;
};

TEST_F(FederationPullSecurityTest, APositionTheOwnerNeverIssuedIsRefusedAndChangesNothing) {
  ASSERT_EQ(node_
                ->Hopctl("admin",
                         {"user", "add", "cm", "--role", "case-manager", "--name", "Case Manager"})
                .exit_code,
            0);
  const auto [epoch, head] = Head();
  ASSERT_FALSE(epoch.empty());
  for (uint64_t forged : {head + 1, head + 1000, uint64_t{1} << 62, ~uint64_t{0}}) {
    PullResult r = Pull(epoch, forged);
    EXPECT_EQ(r.status.error_code(), grpc::StatusCode::OUT_OF_RANGE) << forged;
    EXPECT_TRUE(absl::StrContains(r.status.error_message(), absl::StrCat("since_seq ", forged)))
        << r.status.error_message();
    EXPECT_TRUE(absl::StrContains(r.status.error_message(), "never") ||
                absl::StrContains(r.status.error_message(), "beyond"))
        << r.status.error_message();
    EXPECT_TRUE(r.batches.empty()) << "nothing is served for a forged position";
  }
  // The epoch did not move, and the honest position is served as before.
  const auto [epoch_after, head_after] = Head();
  EXPECT_EQ(epoch_after, epoch) << "a peer made the owner take a new epoch";
  EXPECT_EQ(head_after, head) << "a refused pull changed the owner's feed";
  PullResult honest = Pull(epoch, head);
  ASSERT_TRUE(honest.status.ok()) << honest.status.error_message();
  ASSERT_FALSE(honest.batches.empty());
  EXPECT_EQ(honest.batches.back().epoch(), epoch);
  EXPECT_EQ(honest.batches.back().through_seq(), head);

  // Logged, counted (metrics and hopctl peers) and audited.
  EXPECT_TRUE(absl::StrContains(node_->log(), "claimed a feed position this node never issued"));
  const std::string address = node_->metrics_address();
  httplib::Client scrape(address.substr(0, address.rfind(':')),
                         std::stoi(address.substr(address.rfind(':') + 1)));
  httplib::Result metrics = scrape.Get("/metrics");
  ASSERT_TRUE(metrics && metrics->status == 200);
  EXPECT_TRUE(absl::StrContains(metrics->body, "hop_peer_position_refusals_total{peer=\"0171\"} 4"))
      << metrics->body.substr(0, 2000);
  testing::CommandResult peers = node_->Hopctl("admin", {"peers"});
  EXPECT_TRUE(absl::StrContains(peers.out, "claimed a position this node never issued 4 times"))
      << peers.out << peers.err;
}

TEST_F(FederationPullSecurityTest, AStaleEpochIsServedFromZeroWithoutMovingTheEpoch) {
  const auto [epoch, head] = Head();
  // First the caller is asked for the withdrawal notices it holds (README "Withdrawals stay
  // final"): one empty batch under the current epoch.
  PullResult ask = Pull("an-epoch-of-another-life", head + 1000);
  ASSERT_TRUE(ask.status.ok()) << ask.status.error_message();
  ASSERT_EQ(ask.batches.size(), 1u);
  EXPECT_TRUE(ask.batches[0].hand_back_withdrawals());
  EXPECT_EQ(ask.batches[0].entries_size(), 0);
  EXPECT_EQ(ask.batches[0].epoch(), epoch);
  const hop::v1::WithdrawalHandback none;
  PullResult r = Pull("an-epoch-of-another-life", head + 1000, &none);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  ASSERT_FALSE(r.batches.empty());
  EXPECT_FALSE(r.batches.front().hand_back_withdrawals());
  EXPECT_EQ(r.batches.front().through_seq(), 0u) << "served from the start";
  EXPECT_EQ(r.batches.back().epoch(), epoch);
  EXPECT_EQ(Head().first, epoch);
}

TEST_F(FederationPullSecurityTest, BatchesAreCutByBytesBelowWhatAReceiverAccepts) {
  // 300 directory contacts of about 8 KiB each (every peer gets them all): one 500-entry
  // batch would hold 2.4 MiB; each batch must stay within the target. (Case summaries are
  // small since only codes cross; directory entries are the largest records a feed carries.)
  node_->Hopctl("admin", {"user", "add", "cm", "--role", "case-manager", "--name", "CM"});
  CertPaths cm = node_->Staff("cm");
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      security::MakeChannelCredentials({node_->pki().ca_cert(), cm.cert, cm.key},
                                       security::NodeSpiffeId("0793"));
  ASSERT_TRUE(creds.ok()) << creds.status();
  auto staff = hop::v1::CaseWork::NewStub(grpc::CreateChannel(node_->api_address(), *creds));
  auto call = [&](auto method, const auto& request, auto* response) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return (staff.get()->*method)(&ctx, request, response);
  };
  hop::v1::Institution school;
  {
    hop::v1::PutInstitutionRequest req;
    req.mutable_institution()->set_name("Tartu Kool");
    req.mutable_institution()->set_kind(hop::v1::INSTITUTION_SCHOOL);
    req.mutable_institution()->set_ownership(hop::v1::OWNERSHIP_MUNICIPAL);
    grpc::Status s = call(&hop::v1::CaseWork::Stub::PutInstitution, req, &school);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  constexpr int kContacts = 300;
  for (int i = 0; i < kContacts; ++i) {
    hop::v1::PutContactRequest req;
    hop::v1::Contact* c = req.mutable_contact();
    c->set_institution_id(school.id());
    c->set_name(absl::StrCat("Kontakt ", i, " ", std::string(4000, 'n')));
    c->set_role(std::string(4000, 'r'));
    c->set_email(absl::StrCat("k", i, "@kool.example.ee"));
    hop::v1::Contact put;
    grpc::Status s = call(&hop::v1::CaseWork::Stub::PutContact, req, &put);
    ASSERT_TRUE(s.ok()) << i << ": " << s.error_message();
  }
  PullResult r = Pull("", 0);
  ASSERT_TRUE(r.status.ok()) << r.status.error_message();
  int contacts = 0;
  for (const hop::v1::PullBatch& b : r.batches) {
    EXPECT_LE(b.ByteSizeLong(), domain::kPullBatchTargetBytes + domain::kPullBatchOverheadBytes)
        << "a batch of " << b.entries_size() << " entries";
    for (const hop::v1::FeedEntry& e : b.entries()) contacts += e.has_contact();
  }
  EXPECT_EQ(contacts, kContacts);
  EXPECT_GE(r.batches.size(), 3u) << "2.4 MiB of contacts need at least three batches of 1 MiB";
}

}  // namespace
}  // namespace hop
