// The CRL as the node reads it: signature checked against the CA, revocations noticed when
// the file is replaced, and a bad replacement ignored. Real certificates from certs/hop-pki.
#include "daemon/security/crl.h"

#include <cstdio>

#include "daemon/security/tls_credentials.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::security {
namespace {

class CrlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(dir_.Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    pki_ = std::make_unique<testing::Pki>(*std::move(pki));
    absl::StatusOr<testing::CertPaths> cert = pki_->IssueStaff("0793", "mari");
    ASSERT_TRUE(cert.ok()) << cert.status();
    cert_pem_ = *ReadFileToString(cert->cert);
    cert_path_ = cert->cert;
  }
  testing::TempDir dir_;
  std::unique_ptr<testing::Pki> pki_;
  std::string cert_pem_, cert_path_;
};

TEST_F(CrlTest, RevocationIsNoticedWhenTheFileIsReplaced) {
  absl::StatusOr<std::unique_ptr<CrlSource>> source = CrlSource::Open(pki_->crl(), pki_->ca_cert());
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_FALSE(*(*source)->Current()->IsRevoked(cert_pem_));
  ASSERT_TRUE(pki_->Revoke(cert_path_).ok());
  EXPECT_TRUE(*(*source)->Current()->IsRevoked(cert_pem_));
  EXPECT_EQ((*source)->Current()->revoked_count(), 1u);
}

TEST_F(CrlTest, ABadReplacementKeepsTheLastGoodList) {
  ASSERT_TRUE(pki_->Revoke(cert_path_).ok());
  absl::StatusOr<std::unique_ptr<CrlSource>> source = CrlSource::Open(pki_->crl(), pki_->ca_cert());
  ASSERT_TRUE(source.ok()) << source.status();
  ASSERT_TRUE(testing::WriteFile(pki_->crl(), "not a crl\n").ok());
  EXPECT_TRUE(*(*source)->Current()->IsRevoked(cert_pem_)) << "still refused";
}

TEST_F(CrlTest, ACrlOfAnotherCaIsRefused) {
  absl::StatusOr<testing::Pki> other = testing::Pki::Create(dir_.Path("other"));
  ASSERT_TRUE(other.ok()) << other.status();
  absl::StatusOr<std::unique_ptr<RevocationList>> list =
      RevocationList::Load(other->crl(), pki_->ca_cert());
  EXPECT_EQ(list.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(list.status().message().find("not signed by the CA"), std::string::npos);
}

TEST_F(CrlTest, AnOlderCrlDoesNotReplaceANewerOne) {
  const std::string older = *ReadFileToString(pki_->crl());
  ASSERT_TRUE(pki_->Revoke(cert_path_).ok());
  absl::StatusOr<std::unique_ptr<CrlSource>> source = CrlSource::Open(pki_->crl(), pki_->ca_cert());
  ASSERT_TRUE(source.ok()) << source.status();
  const int64_t newer_number = (*source)->Current()->number();
  ASSERT_TRUE(testing::WriteFile(pki_->crl() + ".old", older).ok());
  ASSERT_EQ(std::rename((pki_->crl() + ".old").c_str(), pki_->crl().c_str()), 0);
  EXPECT_TRUE(*(*source)->Current()->IsRevoked(cert_pem_)) << "the rollback un-revoked it";
  EXPECT_EQ((*source)->Current()->number(), newer_number);
  EXPECT_EQ((*source)->rollbacks_refused(), 1u);
  // A newer CRL is still taken.
  ASSERT_TRUE(pki_->RegenerateCrl().ok());
  EXPECT_GT((*source)->Current()->number(), newer_number);
  EXPECT_TRUE(*(*source)->Current()->IsRevoked(cert_pem_));
}

// The numbers a node keeps across restarts (hopd keeps them in its store).
class MemoryNumbers final : public CrlNumberStore {
 public:
  absl::StatusOr<int64_t> Highest() const override { return highest; }
  absl::Status Save(int64_t number) override {
    highest = number;
    return absl::OkStatus();
  }
  int64_t highest = -1;
};

TEST_F(CrlTest, AnOlderCrlIsRefusedAfterARestart) {
  const std::string older = *ReadFileToString(pki_->crl());
  MemoryNumbers numbers;
  {
    absl::StatusOr<std::unique_ptr<CrlSource>> first =
        CrlSource::Open(pki_->crl(), pki_->ca_cert(), 0, &numbers);
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_EQ(numbers.highest, (*first)->Current()->number());
    ASSERT_TRUE(pki_->Revoke(cert_path_).ok());
    EXPECT_TRUE(*(*first)->Current()->IsRevoked(cert_pem_));
    EXPECT_EQ(numbers.highest, (*first)->Current()->number()) << "the newer number is saved";
  }
  ASSERT_TRUE(testing::WriteFile(pki_->crl(), older).ok());
  absl::StatusOr<std::unique_ptr<CrlSource>> restarted =
      CrlSource::Open(pki_->crl(), pki_->ca_cert(), 0, &numbers);
  EXPECT_EQ(restarted.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(restarted.status().message().find("is lower than"), std::string::npos)
      << restarted.status();
  EXPECT_NE(restarted.status().message().find(pki_->crl()), std::string::npos);
}

TEST_F(CrlTest, AStaleCrlFailsClosedAfterTheGrace) {
  absl::StatusOr<std::unique_ptr<CrlSource>> source =
      CrlSource::Open(pki_->crl(), pki_->ca_cert(), /*grace_hours=*/2);
  ASSERT_TRUE(source.ok()) << source.status();
  const int64_t next = (*source)->Current()->next_update();
  ASSERT_GT(next, 0);
  EXPECT_TRUE((*source)->CheckFresh(next).ok());
  EXPECT_TRUE((*source)->CheckFresh(next + 2 * 3600).ok()) << "within the grace";
  absl::Status stale = (*source)->CheckFresh(next + 2 * 3600 + 1);
  EXPECT_EQ(stale.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(stale.message().find(pki_->crl()), std::string::npos) << stale;
  EXPECT_NE(stale.message().find("expired at"), std::string::npos) << stale;
  EXPECT_NE(stale.message().find("hop-pki crl"), std::string::npos) << stale;
}

TEST_F(CrlTest, TheGraceDefaultsToADay) {
  absl::StatusOr<std::unique_ptr<CrlSource>> source = CrlSource::Open(pki_->crl(), pki_->ca_cert());
  ASSERT_TRUE(source.ok()) << source.status();
  EXPECT_EQ((*source)->grace_seconds(), 24 * 3600);
}

}  // namespace
}  // namespace hop::security
