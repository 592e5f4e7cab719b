// The checks of a peer's certificate (security/cert_checks.h): validity against a fixed
// clock, end-entity only, exactly one URI SAN, the usage fitting the side, and the CRL.
// Real certificates: hop-pki's, and ones hop-pki would never issue (Pki::IssueCustom).
#include "daemon/security/cert_checks.h"

#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/security/x509.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::security {
namespace {

constexpr char kStaffUri[] = "URI:spiffe://hop.tartumaa.ee/municipality/0793/staff/mari";

class CertChecksTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir("hop-cert-checks");
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(dir_->Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = new testing::Pki(*std::move(pki));
  }
  static void TearDownTestSuite() {
    delete pki_;
    delete dir_;
  }

  static X509Ptr Load(const absl::StatusOr<testing::CertPaths>& paths) {
    EXPECT_TRUE(paths.ok()) << paths.status();
    absl::StatusOr<std::string> pem = ReadFileToString(paths.ok() ? paths->cert : "");
    EXPECT_TRUE(pem.ok()) << pem.status();
    absl::StatusOr<X509Ptr> cert = ParseCertificatePem(pem.value_or(""), "test");
    EXPECT_TRUE(cert.ok()) << cert.status();
    return cert.ok() ? *std::move(cert) : nullptr;
  }
  static X509Ptr Custom(const std::string& name, const std::string& extensions) {
    return Load(pki_->IssueCustom(name, extensions));
  }
  static std::string Refusal(X509* cert, CertUse use, int64_t now) {
    absl::StatusOr<std::string> uri = CheckPeerCertificate(cert, use, now);
    EXPECT_EQ(uri.status().code(), absl::StatusCode::kUnauthenticated) << uri.status();
    return std::string(uri.status().message());
  }
  static int64_t Now(X509* cert) { return NotBeforeUnix(cert) + 60; }

  static testing::TempDir* dir_;
  static testing::Pki* pki_;
};

testing::TempDir* CertChecksTest::dir_ = nullptr;
testing::Pki* CertChecksTest::pki_ = nullptr;

TEST_F(CertChecksTest, ANodeCertificateServesBothSides) {
  X509Ptr node = Load(pki_->IssueNode("0793"));
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(*CheckPeerCertificate(node.get(), CertUse::kClient, Now(node.get())),
            NodeSpiffeId("0793"));
  EXPECT_EQ(*CheckPeerCertificate(node.get(), CertUse::kServer, Now(node.get())),
            NodeSpiffeId("0793"));
}

TEST_F(CertChecksTest, AStaffCertificateIsAClientOnly) {
  X509Ptr staff = Load(pki_->IssueStaff("0793", "mari"));
  ASSERT_NE(staff, nullptr);
  EXPECT_TRUE(CheckPeerCertificate(staff.get(), CertUse::kClient, Now(staff.get())).ok());
  EXPECT_NE(Refusal(staff.get(), CertUse::kServer, Now(staff.get())).find("serverAuth"),
            std::string::npos);
}

TEST_F(CertChecksTest, ValidityIsCheckedAgainstTheClockGiven) {
  X509Ptr staff = Load(pki_->IssueStaff("0793", "mari"));
  ASSERT_NE(staff, nullptr);
  const int64_t not_after = NotAfterUnix(staff.get());
  EXPECT_TRUE(CheckPeerCertificate(staff.get(), CertUse::kClient, not_after).ok());
  const std::string expired = Refusal(staff.get(), CertUse::kClient, not_after + 1);
  EXPECT_NE(expired.find("staff/mari expired at " + FormatUnixUtc(not_after)), std::string::npos)
      << expired;
  const std::string early = Refusal(staff.get(), CertUse::kClient, NotBeforeUnix(staff.get()) - 1);
  EXPECT_NE(early.find("not valid before"), std::string::npos) << early;
}

TEST_F(CertChecksTest, ACaCertificateIsNoIdentity) {
  X509Ptr ca = Custom("ca-true", absl::StrCat("basicConstraints = critical, CA:true\n"
                                              "extendedKeyUsage = clientAuth, serverAuth\n"
                                              "subjectAltName = ",
                                              kStaffUri));
  ASSERT_NE(ca, nullptr);
  EXPECT_NE(Refusal(ca.get(), CertUse::kClient, Now(ca.get())).find("not an end-entity"),
            std::string::npos);
  X509Ptr no_bc = Custom("no-bc", absl::StrCat("extendedKeyUsage = clientAuth\n"
                                               "subjectAltName = ",
                                               kStaffUri));
  ASSERT_NE(no_bc, nullptr);
  EXPECT_NE(Refusal(no_bc.get(), CertUse::kClient, Now(no_bc.get())).find("CA:FALSE"),
            std::string::npos);
}

TEST_F(CertChecksTest, ExactlyOneUriSan) {
  X509Ptr two = Custom("two-uris", absl::StrCat("basicConstraints = critical, CA:false\n"
                                                "extendedKeyUsage = clientAuth\n"
                                                "subjectAltName = ",
                                                kStaffUri,
                                                ", URI:spiffe://hop.tartumaa.ee/municipality/"
                                                "0171/staff/mari"));
  ASSERT_NE(two, nullptr);
  EXPECT_NE(Refusal(two.get(), CertUse::kClient, Now(two.get())).find("2 URI subjectAltNames"),
            std::string::npos);
  X509Ptr none = Custom("no-uri",
                        "basicConstraints = critical, CA:false\n"
                        "extendedKeyUsage = clientAuth\n"
                        "subjectAltName = DNS:example.org");
  ASSERT_NE(none, nullptr);
  EXPECT_NE(Refusal(none.get(), CertUse::kClient, Now(none.get())).find("0 URI"),
            std::string::npos);
}

TEST_F(CertChecksTest, TheUsageMustBeStated) {
  X509Ptr server_only = Custom("server-only", absl::StrCat("basicConstraints = critical, CA:false\n"
                                                           "extendedKeyUsage = serverAuth\n"
                                                           "subjectAltName = ",
                                                           kStaffUri));
  ASSERT_NE(server_only, nullptr);
  EXPECT_NE(Refusal(server_only.get(), CertUse::kClient, Now(server_only.get())).find("clientAuth"),
            std::string::npos);
  X509Ptr no_eku = Custom("no-eku", absl::StrCat("basicConstraints = critical, CA:false\n"
                                                 "subjectAltName = ",
                                                 kStaffUri));
  ASSERT_NE(no_eku, nullptr);
  EXPECT_NE(Refusal(no_eku.get(), CertUse::kClient, Now(no_eku.get())).find("clientAuth"),
            std::string::npos);
}

TEST_F(CertChecksTest, VerifyAddsTheCrl) {
  absl::StatusOr<testing::CertPaths> paths = pki_->IssueStaff("0793", "revoked-one");
  ASSERT_TRUE(paths.ok()) << paths.status();
  const std::string pem = *ReadFileToString(paths->cert);
  X509Ptr cert = Load(paths);
  absl::StatusOr<std::unique_ptr<CrlSource>> crl = CrlSource::Open(pki_->crl(), pki_->ca_cert());
  ASSERT_TRUE(crl.ok()) << crl.status();
  EXPECT_TRUE(
      VerifyPeerCertificate(pem, CertUse::kClient, *(*crl)->Current(), Now(cert.get())).ok());
  ASSERT_TRUE(pki_->Revoke(paths->cert).ok());
  absl::StatusOr<std::string> refused =
      VerifyPeerCertificate(pem, CertUse::kClient, *(*crl)->Current(), Now(cert.get()));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kUnauthenticated);
  EXPECT_NE(refused.status().message().find("revoked"), std::string::npos) << refused.status();
  EXPECT_EQ(VerifyPeerCertificate("junk", CertUse::kClient, *(*crl)->Current(), 0).status().code(),
            absl::StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace hop::security
