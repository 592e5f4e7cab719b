// Withdrawal notices (daemon/feed/withdrawal_notice.h): a notice made by the origin checks
// only at the origin, only for the recipient it was made for, and only unaltered; the
// receiver's shape check refuses another origin's consent or a malformed notice; a handback is
// bounded by count and bytes; a notice names no child.
#include "daemon/feed/withdrawal_notice.h"

#include <string>

#include "daemon/domain/limits.h"
#include "gtest/gtest.h"

namespace hop::feed {
namespace {

constexpr char kOrigin[] = "0793";
constexpr char kPeer[] = "0171";
constexpr char kChild[] = "61604150239";

security::NodeSecret Secret(char fill) {
  return *security::NodeSecret::FromBytes(std::string(security::NodeSecret::kBytes, fill));
}

hop::v1::Consent Withdrawn() {
  hop::v1::Consent c;
  c.set_id("0793-K000042");
  c.set_origin(kOrigin);
  c.set_child_isikukood(kChild);
  c.set_granted_by("49403136526");
  c.add_recipients(kPeer);
  c.add_recipients("0283");
  c.set_purpose("school transfer");
  c.set_valid_from(1700000000);
  c.set_valid_until(1800000000);
  c.set_withdrawn_at(1750000000);
  return c;
}

TEST(WithdrawalNoticeTest, AGenuineNoticeChecksAtItsOriginForItsRecipient) {
  const security::NodeSecret secret = Secret('a');
  const hop::v1::WithdrawalNotice n = MakeWithdrawalNotice(secret, kOrigin, kPeer, Withdrawn());
  EXPECT_EQ(n.consent_id(), "0793-K000042");
  EXPECT_EQ(n.withdrawn_at(), 1750000000);
  EXPECT_EQ(n.expires_at(), 1800000000);
  EXPECT_EQ(n.token().size(), 32u);
  EXPECT_TRUE(VerifyHandedBack(secret, kOrigin, kPeer, n).ok());
  EXPECT_TRUE(CheckNoticeShape(kOrigin, "withdrawal/0793-K000042", n).ok());
  // A restored origin has the same secret (it is not in backups): still checks.
  EXPECT_TRUE(VerifyHandedBack(Secret('a'), kOrigin, kPeer, n).ok());
}

TEST(WithdrawalNoticeTest, ANoticeCarriesNoPersonalData) {
  const hop::v1::WithdrawalNotice n =
      MakeWithdrawalNotice(Secret('a'), kOrigin, kPeer, Withdrawn());
  const std::string wire = n.SerializeAsString();
  EXPECT_EQ(wire.find(kChild), std::string::npos);
  EXPECT_EQ(wire.find("49403136526"), std::string::npos);
  EXPECT_EQ(wire.find("school transfer"), std::string::npos);
}

TEST(WithdrawalNoticeTest, AForgedAlteredOrMisdirectedNoticeIsRefused) {
  const security::NodeSecret secret = Secret('a');
  const hop::v1::WithdrawalNotice genuine =
      MakeWithdrawalNotice(secret, kOrigin, kPeer, Withdrawn());
  auto refused = [&](const hop::v1::WithdrawalNotice& n, const std::string& recipient) {
    absl::Status s = VerifyHandedBack(secret, kOrigin, recipient, n);
    return absl::IsPermissionDenied(s) || absl::IsInvalidArgument(s);
  };
  hop::v1::WithdrawalNotice n = genuine;
  n.set_consent_id("0793-K000043");
  EXPECT_TRUE(refused(n, kPeer)) << "another consent";
  n = genuine;
  n.set_withdrawn_at(genuine.withdrawn_at() + 1);
  EXPECT_TRUE(refused(n, kPeer)) << "another time";
  n = genuine;
  n.set_expires_at(genuine.expires_at() + 86400);
  EXPECT_TRUE(refused(n, kPeer)) << "a longer life";
  n = genuine;
  n.mutable_token()->back() ^= 1;
  EXPECT_TRUE(refused(n, kPeer)) << "a flipped bit";
  EXPECT_TRUE(refused(genuine, "0283")) << "made for 0171, handed back by 0283";
  EXPECT_FALSE(VerifyHandedBack(Secret('b'), kOrigin, kPeer, genuine).ok())
      << "another node's secret";
  // A peer making its own token with its own secret.
  EXPECT_FALSE(VerifyHandedBack(secret, kOrigin, kPeer,
                                MakeWithdrawalNotice(Secret('b'), kOrigin, kPeer, Withdrawn()))
                   .ok());
  absl::Status s = VerifyHandedBack(secret, kOrigin, kPeer, [&] {
    hop::v1::WithdrawalNotice forged = genuine;
    forged.set_token(std::string(32, 'x'));
    return forged;
  }());
  EXPECT_TRUE(absl::IsPermissionDenied(s)) << s;
  EXPECT_NE(s.message().find("token does not match"), absl::string_view::npos) << s;
}

TEST(WithdrawalNoticeTest, TheReceiverRefusesMalformedNoticesNamingTheField) {
  const hop::v1::WithdrawalNotice genuine =
      MakeWithdrawalNotice(Secret('a'), kOrigin, kPeer, Withdrawn());
  auto shape = [&](absl::string_view origin, absl::string_view key,
                   const hop::v1::WithdrawalNotice& n) {
    return std::string(CheckNoticeShape(origin, key, n).message());
  };
  EXPECT_NE(shape("0171", "withdrawal/0793-K000042", genuine).find("not a consent of 0171"),
            std::string::npos);
  EXPECT_NE(shape(kOrigin, "case/0793-K000042", genuine).find("record_key"), std::string::npos);
  hop::v1::WithdrawalNotice n = genuine;
  n.set_consent_id("0793-K61604150239x");
  EXPECT_NE(shape(kOrigin, "withdrawal/0793-K61604150239x", n).find("consent_id"),
            std::string::npos);
  n.set_consent_id("0793-K" + std::string(100, '1'));
  EXPECT_NE(shape(kOrigin, WithdrawalRecordKey(n.consent_id()), n).find("at most 64 bytes"),
            std::string::npos);
  n = genuine;
  n.clear_withdrawn_at();
  EXPECT_NE(shape(kOrigin, "withdrawal/0793-K000042", n).find("withdrawn_at"), std::string::npos);
  n = genuine;
  n.clear_expires_at();
  EXPECT_NE(shape(kOrigin, "withdrawal/0793-K000042", n).find("expires_at"), std::string::npos);
  n = genuine;
  n.set_token("short");
  EXPECT_NE(shape(kOrigin, "withdrawal/0793-K000042", n).find("token"), std::string::npos);
}

TEST(WithdrawalNoticeTest, ANoticeIsNeededByTheNamedRecipientsUntilTheConsentEnds) {
  hop::v1::Consent c = Withdrawn();
  EXPECT_TRUE(NoticeNeeded(c, kPeer, 1760000000));
  EXPECT_TRUE(NoticeNeeded(c, "0283", 1760000000));
  EXPECT_FALSE(NoticeNeeded(c, "0624", 1760000000)) << "not a recipient";
  EXPECT_FALSE(NoticeNeeded(c, kPeer, 1800000000)) << "the consent has ended";
  c.clear_withdrawn_at();
  EXPECT_FALSE(NoticeNeeded(c, kPeer, 1760000000)) << "not withdrawn";
}

TEST(WithdrawalNoticeTest, AHandbackIsBoundedByCountAndBytes) {
  const hop::v1::WithdrawalNotice n =
      MakeWithdrawalNotice(Secret('a'), kOrigin, kPeer, Withdrawn());
  hop::v1::WithdrawalHandback h;
  for (size_t i = 0; i < domain::kMaxHandbackNotices; ++i) *h.add_notices() = n;
  EXPECT_TRUE(CheckHandbackLimits(h).ok());
  EXPECT_LT(h.ByteSizeLong(), size_t{64} << 10) << "fits what the federation port accepts";
  *h.add_notices() = n;
  absl::Status s = CheckHandbackLimits(h);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_NE(s.message().find("withdrawals.notices: at most 500"), absl::string_view::npos) << s;

  hop::v1::WithdrawalHandback big;
  hop::v1::WithdrawalNotice fat = n;
  fat.set_token(std::string(20 << 10, 't'));
  for (int i = 0; i < 3; ++i) *big.add_notices() = fat;
  s = CheckHandbackLimits(big);
  EXPECT_TRUE(absl::IsInvalidArgument(s));
  EXPECT_NE(s.message().find("bytes"), absl::string_view::npos) << s;
}

}  // namespace
}  // namespace hop::feed
