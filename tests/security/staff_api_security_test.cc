// The staff API refuses everyone the rules do not allow, with the right status, and a refused
// call changes nothing. Real hopd process, real mTLS on loopback, throwaway PKI.
#include <memory>
#include <string>

#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_credentials_options.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.grpc.pb.h"
#include "hop/v1/casework.grpc.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::NodeFixture;

constexpr char kChild[] = "61604150239";

class StaffApiSecurityTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start("0793");
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = node->release();
    // Users, an institution each for two teachers, and one case at the first school.
    Run("admin", {"user", "add", "leader", "--role", "network-leader", "--name", "Leader"});
    Run("admin", {"user", "add", "manager", "--role", "case-manager", "--name", "Manager"});
    school_a_ =
        Id(Run("leader", {"--json", "directory", "institution", "add", "--name", "Kool A", "--kind",
                          "school", "--ownership", "municipal", "--municipality", "0793"}));
    school_b_ =
        Id(Run("leader", {"--json", "directory", "institution", "add", "--name", "Kool B", "--kind",
                          "school", "--ownership", "municipal", "--municipality", "0793"}));
    Run("admin", {"user", "add", "teacher-a", "--role", "teacher", "--name", "A", "--institution",
                  school_a_});
    Run("admin", {"user", "add", "teacher-b", "--role", "teacher", "--name", "B", "--institution",
                  school_b_});
    case_id_ = Id(Run("teacher-a", {"--json", "case", "open", "--child", kChild, "--name", "Laps",
                                    "--level", "school", "--institution", school_a_}));
    ASSERT_FALSE(case_id_.empty());
  }
  static void TearDownTestSuite() { delete node_; }

  static std::string Run(const std::string& user, std::vector<std::string> args) {
    testing::CommandResult r = node_->Hopctl(user, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  // The first "id" in a JSON answer.
  static std::string Id(const std::string& json) {
    const size_t at = json.find("\"id\"");
    if (at == std::string::npos) return "";
    const size_t open = json.find('"', json.find(':', at) + 1);
    return json.substr(open + 1, json.find('"', open + 1) - open - 1);
  }

  // A channel presenting `client` (cert/key), trusting the node's CA, expecting node 0793.
  static std::shared_ptr<grpc::Channel> Channel(const CertPaths& client) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
        security::MakeChannelCredentials({node_->pki().ca_cert(), client.cert, client.key},
                                         security::NodeSpiffeId("0793"));
    EXPECT_TRUE(creds.ok()) << creds.status();
    return grpc::CreateChannel(node_->api_address(), *creds);
  }
  static grpc::StatusCode ListCases(const std::shared_ptr<grpc::Channel>& channel,
                                    std::string* message = nullptr) {
    auto stub = hop::v1::CaseWork::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    hop::v1::ListCasesResponse response;
    grpc::Status s = stub->ListCases(&ctx, hop::v1::ListCasesRequest(), &response);
    if (message != nullptr) *message = s.error_message();
    return s.error_code();
  }
  static grpc::StatusCode OpenCase(const std::shared_ptr<grpc::Channel>& channel) {
    auto stub = hop::v1::CaseWork::NewStub(channel);
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    hop::v1::OpenCaseRequest req;
    req.mutable_child()->set_isikukood(kChild);
    req.mutable_child()->set_name("Laps");
    req.set_level(hop::v1::LEVEL_SCHOOL);
    req.set_institution_id(school_a_);
    hop::v1::Case response;
    return stub->OpenCase(&ctx, req, &response).error_code();
  }
  // How many cases the case manager sees: the witness that a refused call changed nothing.
  static int CaseCount() {
    auto stub = hop::v1::CaseWork::NewStub(Channel(node_->Staff("manager")));
    grpc::ClientContext ctx;
    hop::v1::ListCasesResponse response;
    EXPECT_TRUE(stub->ListCases(&ctx, hop::v1::ListCasesRequest(), &response).ok());
    return response.cases_size();
  }

  static NodeFixture* node_;
  static std::string school_a_, school_b_, case_id_;
};

NodeFixture* StaffApiSecurityTest::node_ = nullptr;
std::string StaffApiSecurityTest::school_a_, StaffApiSecurityTest::school_b_,
    StaffApiSecurityTest::case_id_;

TEST_F(StaffApiSecurityTest, ARegisteredCaseManagerIsServed) {
  EXPECT_EQ(ListCases(Channel(node_->Staff("manager"))), grpc::StatusCode::OK);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, NoClientCertificateFailsTheHandshake) {
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(
      std::make_shared<grpc::experimental::StaticDataCertificateProvider>(
          *security::ReadFileToString(node_->pki().ca_cert())));
  options.watch_root_certs();
  options.set_check_call_host(false);
  options.set_certificate_verifier(std::make_shared<grpc::experimental::NoOpCertificateVerifier>());
  auto channel =
      grpc::CreateChannel(node_->api_address(), grpc::experimental::TlsCredentials(options));
  EXPECT_EQ(ListCases(channel), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(OpenCase(channel), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, CertificateOfAnotherCaIsRefused) {
  testing::TempDir other_dir;
  absl::StatusOr<testing::Pki> other = testing::Pki::Create(other_dir.path() + "/pki");
  ASSERT_TRUE(other.ok()) << other.status();
  absl::StatusOr<CertPaths> forged = other->IssueStaff("0793", "manager");
  ASSERT_TRUE(forged.ok()) << forged.status();
  auto channel = Channel(*forged);
  EXPECT_EQ(ListCases(channel), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(OpenCase(channel), grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, UnknownStaffUserIsRefused) {
  auto channel = Channel(node_->Staff("stranger"));
  std::string message;
  EXPECT_EQ(ListCases(channel, &message), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(message.find("not registered"), std::string::npos) << message;
  EXPECT_EQ(OpenCase(channel), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, NodeCertificateOnTheStaffApiIsRefused) {
  auto channel = Channel(node_->node_cert());
  EXPECT_EQ(ListCases(channel), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(OpenCase(channel), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, StaffOfAnotherMunicipalityIsRefused) {
  absl::StatusOr<CertPaths> elva = node_->pki().IssueStaff("0171", "manager");
  ASSERT_TRUE(elva.ok()) << elva.status();
  std::string message;
  EXPECT_EQ(ListCases(Channel(*elva), &message), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_NE(message.find("0171"), std::string::npos) << message;
}

TEST_F(StaffApiSecurityTest, TeacherCannotReadAnotherInstitutionsCase) {
  testing::CommandResult own = node_->Hopctl("teacher-a", {"case", "get", case_id_});
  EXPECT_EQ(own.exit_code, 0) << own.err;
  testing::CommandResult other = node_->Hopctl("teacher-b", {"case", "get", case_id_});
  EXPECT_EQ(other.exit_code, 1);
  EXPECT_NE(other.err.find("PERMISSION_DENIED"), std::string::npos) << other.err;
  EXPECT_EQ(other.out.find(kChild), std::string::npos) << "no personal data in a refusal";
  testing::CommandResult list = node_->Hopctl("teacher-b", {"--json", "case", "list"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_EQ(list.out.find(case_id_), std::string::npos);
}

TEST_F(StaffApiSecurityTest, NetworkLeaderGetsNoPersonalData) {
  for (std::vector<std::string> args :
       std::vector<std::vector<std::string>>{{"case", "get", case_id_},
                                             {"case", "list"},
                                             {"consent", "list"},
                                             {"case", "open", "--child", kChild, "--name", "X",
                                              "--level", "school", "--institution", school_a_}}) {
    testing::CommandResult r = node_->Hopctl("leader", args);
    EXPECT_EQ(r.exit_code, 1) << args[0] << " " << args[1];
    EXPECT_NE(r.err.find("PERMISSION_DENIED"), std::string::npos) << r.err;
    EXPECT_EQ(r.out.find(kChild), std::string::npos);
  }
  testing::CommandResult counts = node_->Hopctl("leader", {"case", "counts"});
  EXPECT_EQ(counts.exit_code, 0) << counts.err;
  EXPECT_EQ(CaseCount(), 1);
}

TEST_F(StaffApiSecurityTest, OversizedRequestIsRefusedAndChangesNothing) {
  auto stub = hop::v1::CaseWork::NewStub(Channel(node_->Staff("manager")));
  grpc::ClientContext ctx;
  hop::v1::AddNoteRequest req;
  req.set_case_id(case_id_);
  req.set_text(std::string(2 << 20, 'x'));  // 2 MiB; the staff API takes at most 1 MiB
  hop::v1::Case response;
  EXPECT_EQ(stub->AddNote(&ctx, req, &response).error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  testing::CommandResult c = node_->Hopctl("manager", {"--json", "case", "get", case_id_});
  EXPECT_EQ(c.exit_code, 0) << c.err;
  EXPECT_NE(c.out.find(case_id_), std::string::npos);
  EXPECT_EQ(c.out.find(std::string(64, 'x')), std::string::npos) << "no note was added";
}

TEST_F(StaffApiSecurityTest, OpsSeesNodeStateOnly) {
  auto channel = Channel(node_->Ops("monitor"));
  auto admin = hop::v1::Admin::NewStub(channel);
  grpc::ClientContext ctx;
  hop::v1::NodeStatus status;
  ASSERT_TRUE(admin->GetNodeStatus(&ctx, hop::v1::GetNodeStatusRequest(), &status).ok());
  EXPECT_EQ(status.municipality(), "0793");
  EXPECT_EQ(status.cases(), 1u);
  EXPECT_EQ(ListCases(channel), grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(StaffApiSecurityTest, RevokedCertificateIsRefusedWithoutRestartAndChangesNothing) {
  Run("admin", {"user", "add", "mallory", "--role", "case-manager", "--name", "M"});
  const CertPaths mallory = node_->Staff("mallory");
  EXPECT_EQ(ListCases(Channel(mallory)), grpc::StatusCode::OK);
  ASSERT_TRUE(node_->pki().Revoke(mallory.cert).ok());
  // No restart: the node notices the replaced CRL file on the next call.
  std::string message;
  EXPECT_EQ(ListCases(Channel(mallory), &message), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_NE(message.find("revoked"), std::string::npos) << message;
  EXPECT_EQ(OpenCase(Channel(mallory)), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(CaseCount(), 1);
}

}  // namespace
}  // namespace hop
