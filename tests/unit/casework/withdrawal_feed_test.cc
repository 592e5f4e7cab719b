// The owner's side of withdrawal notices: a withdrawal writes one notice into the feed of
// each configured peer the consent named, in the same mutation as the tombstones, and the
// kept digest stays equal to the feed; the expiry sweep tombstones the notice once the
// consent's validity has ended; a handed-back withdrawal (ReapplyWithdrawal) withdraws an
// active consent again through the same feed path, and does nothing otherwise.
#include "daemon/feed/set_digest.h"
#include "daemon/feed/withdrawal_notice.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

class WithdrawalFeedTest : public CaseworkTest {
 protected:
  void SetUp() override {
    CaseworkTest::SetUp();
    // The same books, with the node secret that makes notices.
    feeds_ = std::make_unique<FeedWriter>(records_.get(), Peers(), &secret_);
    cases_ = std::make_unique<CaseBook>(records_.get(), feeds_.get());
    consents_ = std::make_unique<ConsentBook>(records_.get(), feeds_.get());
  }
  std::vector<std::string> Peers() const override { return {"0171", "0283", "0624"}; }

  std::optional<hop::v1::FeedEntry> Entry(const std::string& peer, const std::string& key) {
    absl::StatusOr<std::optional<hop::v1::FeedEntry>> e = records_->FeedEntryOf(peer, key);
    EXPECT_TRUE(e.ok()) << e.status();
    return e.ok() ? *e : std::nullopt;
  }
  void ExpectDigestsMatch() {
    for (const std::string& peer : Peers()) {
      hop::v1::SetDigest recomputed;
      ASSERT_TRUE(records_
                      ->ScanFeed(peer, 0,
                                 [&](const hop::v1::FeedEntry& e) {
                                   if (!e.tombstone())
                                     feed::DigestAdd(recomputed, e.record_key(), e.seq());
                                   return true;
                                 })
                      .ok());
      EXPECT_TRUE(feed::DigestEqual(*records_->FeedDigest(peer), recomputed)) << peer;
    }
  }
  hop::v1::Consent Grant(int64_t until) {
    hop::v1::GrantConsentRequest grant;
    grant.set_child_isikukood(kChild);
    grant.set_granted_by(kMother);
    grant.add_recipients("0171");
    grant.add_recipients("0283");
    grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    grant.set_purpose("school transfer");
    grant.set_valid_until(until);
    absl::StatusOr<hop::v1::Consent> c = consents_->Grant(manager_, grant);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *c : hop::v1::Consent();
  }
  void Withdraw() {
    hop::v1::WithdrawConsentRequest withdraw;
    withdraw.set_child_isikukood(kChild);
    withdraw.set_withdrawn_by(kFather);
    withdraw.set_evidence_ref("DHS-2026-31");
    ASSERT_TRUE(consents_->Withdraw(manager_, withdraw).ok());
  }

  security::NodeSecret secret_ =
      *security::NodeSecret::FromBytes(std::string(security::NodeSecret::kBytes, 's'));
};

TEST_F(WithdrawalFeedTest, AWithdrawalLeavesANoticeForEachNamedPeerOnly) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  const hop::v1::Consent c = Grant(kNow + 86400);
  const std::string key = feed::WithdrawalRecordKey(c.id());
  EXPECT_FALSE(Entry("0171", key).has_value()) << "no notice before a withdrawal";
  const uint64_t head_before = records_->LastSeq();
  Withdraw();
  for (const char* peer : {"0171", "0283"}) {
    std::optional<hop::v1::FeedEntry> e = Entry(peer, key);
    ASSERT_TRUE(e.has_value()) << peer;
    ASSERT_TRUE(e->has_withdrawal_notice()) << peer;
    EXPECT_GT(e->seq(), head_before);
    EXPECT_EQ(e->withdrawal_notice().consent_id(), c.id());
    EXPECT_EQ(e->withdrawal_notice().withdrawn_at(), kNow);
    EXPECT_EQ(e->withdrawal_notice().expires_at(), kNow + 86400);
    EXPECT_TRUE(feed::VerifyHandedBack(secret_, "0793", peer, e->withdrawal_notice()).ok());
  }
  EXPECT_FALSE(Entry("0624", key).has_value()) << "0624 was not named";
  ExpectDigestsMatch();
  EXPECT_EQ(records_->FeedDigest("0171")->count(), 3u) << "two institutions and the notice";
}

TEST_F(WithdrawalFeedTest, TheSweepTombstonesANoticeWhenTheConsentEnds) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  const hop::v1::Consent c = Grant(kNow + 3600);
  Withdraw();
  const std::string key = feed::WithdrawalRecordKey(c.id());
  ASSERT_TRUE(Entry("0171", key)->has_withdrawal_notice());
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 0) << "nothing due yet";
  clock_.Advance(3600);
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 1);
  EXPECT_TRUE(Entry("0171", key)->tombstone());
  EXPECT_TRUE(Entry("0283", key)->tombstone());
  EXPECT_FALSE(Entry("0624", key).has_value());
  ExpectDigestsMatch();
  EXPECT_EQ(records_->FeedDigest("0171")->count(), 2u) << "the institutions only";
}

TEST_F(WithdrawalFeedTest, AHandedBackWithdrawalWithdrawsAnActiveConsentAgain) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  const hop::v1::Consent c = Grant(kNow + 86400);
  ASSERT_TRUE(Entry("0171", "case/0793-C000001")->has_case_summary());
  clock_.Advance(60);
  absl::StatusOr<bool> applied =
      consents_->ReapplyWithdrawal(c.id(), kNow + 30, "withdrawal notice handed back by 0171");
  ASSERT_TRUE(applied.ok()) << applied.status();
  EXPECT_TRUE(*applied);
  const hop::v1::Consent after = *records_->GetConsent(c.id()).value();
  EXPECT_EQ(after.withdrawn_at(), kNow + 30);
  EXPECT_EQ(after.withdrawal_evidence_ref(), "withdrawal notice handed back by 0171");
  for (const char* peer : {"0171", "0283"}) {
    EXPECT_TRUE(Entry(peer, "case/0793-C000001")->tombstone()) << peer;
    EXPECT_TRUE(Entry(peer, feed::WithdrawalRecordKey(c.id()))->has_withdrawal_notice()) << peer;
  }
  ExpectDigestsMatch();

  // Again: already withdrawn, nothing is written.
  const uint64_t seq = records_->LastSeq();
  EXPECT_FALSE(consents_->ReapplyWithdrawal(c.id(), kNow + 30, "again").value());
  EXPECT_FALSE(consents_->ReapplyWithdrawal("0793-K999999", kNow, "unknown").value());
  EXPECT_EQ(records_->LastSeq(), seq);
  // A time in the future is clamped to now.
  const hop::v1::Consent later = Grant(kNow + 86400);
  EXPECT_TRUE(consents_->ReapplyWithdrawal(later.id(), kNow + 999999, "future").value());
  EXPECT_EQ(records_->GetConsent(later.id()).value()->withdrawn_at(), kNow + 60);
}

TEST_F(WithdrawalFeedTest, AnEndedConsentIsNotWithdrawnAgain) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  const hop::v1::Consent c = Grant(kNow + 3600);
  clock_.Advance(3600);
  const uint64_t seq = records_->LastSeq();
  EXPECT_FALSE(consents_->ReapplyWithdrawal(c.id(), kNow + 10, "late").value());
  EXPECT_EQ(records_->LastSeq(), seq);
}

}  // namespace
}  // namespace hop::casework
