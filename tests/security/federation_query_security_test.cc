// hop.v1.Federation/Query against a real hopd (0793) over mTLS on loopback, called directly with
// the certificates a peer, an outsider or an intruder would hold: only configured peer nodes
// are answered, the asker must be a case manager or child-protection specialist, malformed and
// oversized questions are refused by name before anything is read, a revoked certificate is
// refused without a restart, and every refusal that reaches the node is audited.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

constexpr char kChild[] = "61604150239";

class FederationQuerySecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    NodeOptions options;
    options.ehak = "0793";
    // 0171 is a configured peer (its own node is not needed: the test speaks for it).
    options.extra_config = "peers { municipality: \"0171\" address: \"127.0.0.1:1\" }\n";
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
  }
  static void TearDownTestSuite() { delete node_; }

  static CertPaths Node(const std::string& ehak) {
    absl::StatusOr<CertPaths> cert = node_->pki().IssueNode(ehak);
    EXPECT_TRUE(cert.ok()) << cert.status();
    return cert.value_or(CertPaths());
  }

  // Calls Query on 0793's federation port presenting `client`.
  static grpc::Status Ask(const CertPaths& client, const hop::v1::ChildQuery& query,
                          hop::v1::ChildQueryAnswer* answer = nullptr) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
        security::MakeChannelCredentials({node_->pki().ca_cert(), client.cert, client.key},
                                         security::NodeSpiffeId("0793"));
    EXPECT_TRUE(creds.ok()) << creds.status();
    auto stub =
        hop::v1::Federation::NewStub(grpc::CreateChannel(node_->federation_address(), *creds));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    hop::v1::ChildQueryAnswer ignored;
    return stub->Query(&ctx, query, answer != nullptr ? answer : &ignored);
  }

  static hop::v1::ChildQuery Valid() {
    hop::v1::ChildQuery q;
    q.set_child_isikukood(kChild);
    q.set_purpose("moved to Elva: earlier support?");
    q.set_asker(security::StaffSpiffeId("0171", "elle"));
    q.set_asker_role(hop::v1::ROLE_CASE_MANAGER);
    return q;
  }

  // The outcomes of the node's audit entries about kChild for Federation.Query.
  static std::vector<std::string> QueryOutcomes() {
    node_->Hopctl("admin", {"user", "add", "cm", "--role", "case-manager", "--name", "CM"});
    testing::CommandResult r =
        node_->Hopctl("cm", {"--json", "audit", "subject", "--child", kChild});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    std::vector<std::string> outcomes;
    for (size_t at = r.out.find("\"outcome\""); at != std::string::npos;
         at = r.out.find("\"outcome\"", at + 1)) {
      const size_t open = r.out.find('"', r.out.find(':', at) + 1);
      outcomes.push_back(r.out.substr(open + 1, r.out.find('"', open + 1) - open - 1));
    }
    return outcomes;
  }

  static NodeFixture* node_;
};
NodeFixture* FederationQuerySecurityTest::node_ = nullptr;

TEST_F(FederationQuerySecurityTest, AConfiguredPeerIsAnsweredAndNoCaseIsAnEmptyAnswer) {
  hop::v1::ChildQueryAnswer answer;
  grpc::Status s = Ask(Node("0171"), Valid(), &answer);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(answer.origin(), "0793");
  EXPECT_EQ(answer.summaries_size(), 0);
}

TEST_F(FederationQuerySecurityTest, OnlyConfiguredPeerNodesAreAnswered) {
  grpc::Status outsider = Ask(Node("0283"), Valid());
  EXPECT_EQ(outsider.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(outsider.error_message().find("not a configured peer"), std::string::npos)
      << outsider.error_message();
  absl::StatusOr<CertPaths> staff = node_->pki().IssueStaff("0171", "elle");
  ASSERT_TRUE(staff.ok()) << staff.status();
  EXPECT_EQ(Ask(*staff, Valid()).error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "a staff certificate may not speak for a node";
}

TEST_F(FederationQuerySecurityTest, MalformedAndOversizedQuestionsAreRefusedByName) {
  const CertPaths peer = Node("0171");
  auto refused = [&](hop::v1::ChildQuery q, grpc::StatusCode code, const std::string& text) {
    grpc::Status s = Ask(peer, q);
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_NE(s.error_message().find(text), std::string::npos) << s.error_message();
  };
  hop::v1::ChildQuery q = Valid();
  q.set_child_isikukood("60001019907");
  refused(q, grpc::StatusCode::INVALID_ARGUMENT, "child_isikukood");
  q = Valid();
  q.set_purpose("");
  refused(q, grpc::StatusCode::INVALID_ARGUMENT, "purpose");
  q.set_purpose(std::string(600, 'x'));
  refused(q, grpc::StatusCode::INVALID_ARGUMENT, "purpose: is 600 bytes long");
  q = Valid();
  q.clear_asker();
  refused(q, grpc::StatusCode::INVALID_ARGUMENT, "asker");
  q = Valid();
  q.set_asker_role(hop::v1::ROLE_TEACHER);
  refused(q, grpc::StatusCode::PERMISSION_DENIED, "only case managers and child-protection");
  q = Valid();
  q.set_purpose(std::string(100 << 10, 'x'));  // beyond the federation port's 64 KiB limit
  EXPECT_EQ(Ask(peer, q).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);

  // Each refusal that reached the node left an audit entry about the child.
  int refusals = 0;
  for (const std::string& outcome : QueryOutcomes()) refusals += outcome.rfind("refused", 0) == 0;
  EXPECT_GE(refusals, 4) << "the child-naming refusals are in the child's access report";
}

TEST_F(FederationQuerySecurityTest, AskersTheAskingNodeMayNotVouchForAreRefusedAndAudited) {
  const CertPaths peer = Node("0171");  // the asking node is Elva
  const std::vector<std::string> forged = {
      security::StaffSpiffeId("0283", "mallory"),  // another municipality's staff
      security::StaffSpiffeId("0793", "admin"),    // the answering node's own user
      "hello",
      security::NodeSpiffeId("0171"),  // a node is no person
      security::OpsSpiffeId("0171", "monitor"),
      "spiffe://hop.tartumaa.ee/municipality/0171/staff/",   // no user id
      "spiffe://evil.example/municipality/0171/staff/elle",  // another trust domain
      security::StaffSpiffeId("0171", "elle") + "\n",
  };
  // Each refusal is in the child's access report, never with the forged identity as the one
  // who asked: the actor is Elva's node, and the claimed name is marked unverified.
  node_->Hopctl("admin", {"user", "add", "cm", "--role", "case-manager", "--name", "CM"});
  auto unverified_entries = [&](bool check) {
    testing::CommandResult r =
        node_->Hopctl("cm", {"--json", "audit", "subject", "--child", kChild});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    hop::v1::SubjectReportResponse report;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(r.out, &report).ok()) << r.out;
    int unverified = 0;
    for (const hop::v1::AuditEntry& e : report.entries()) {
      for (const std::string& asker : forged) {
        // (The asking node itself is the actor of every refusal, under its own identity.)
        if (check && asker != security::NodeSpiffeId("0171")) {
          EXPECT_NE(e.actor(), asker) << e.DebugString();
        }
      }
      if (e.object().find("unverified asker") == std::string::npos) continue;
      ++unverified;
      EXPECT_EQ(e.actor(), security::NodeSpiffeId("0171"));
      EXPECT_EQ(e.actor_role(), "peer-node");
      EXPECT_EQ(e.outcome().rfind("refused: asker", 0), 0u) << e.outcome();
    }
    return unverified;
  };
  const int before = unverified_entries(false);
  for (const std::string& asker : forged) {
    hop::v1::ChildQuery q = Valid();
    q.set_asker(asker);
    grpc::Status s = Ask(peer, q);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << asker;
    EXPECT_NE(s.error_message().find("asker"), std::string::npos) << s.error_message();
    EXPECT_NE(s.error_message().find("0171"), std::string::npos) << s.error_message();
  }
  EXPECT_EQ(unverified_entries(true), before + static_cast<int>(forged.size()));
  // The honest asker of the asking node is still answered.
  EXPECT_TRUE(Ask(peer, Valid()).ok());
}

TEST_F(FederationQuerySecurityTest, ARevokedPeerCertificateIsRefusedWithoutRestart) {
  const CertPaths peer = Node("0171");
  ASSERT_TRUE(Ask(peer, Valid()).ok());
  ASSERT_TRUE(node_->pki().Revoke(peer.cert).ok());
  grpc::Status s = Ask(peer, Valid());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
  EXPECT_NE(s.error_message().find("revoked"), std::string::npos) << s.error_message();
}

}  // namespace
}  // namespace hop
