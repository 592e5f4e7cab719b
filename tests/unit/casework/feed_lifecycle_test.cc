// The owner's side of a feed's life: the per-peer digest kept incrementally equals the
// digest recomputed from the feed; tombstones are collected only up to the acknowledged
// position; the consent-expiry sweeper turns expiry (and a consent's start) into feed
// entries exactly once.
#include "daemon/feed/set_digest.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

class FeedLifecycleTest : public CaseworkTest {
 protected:
  std::vector<std::string> Peers() const override { return {"0171", "0283"}; }

  std::vector<hop::v1::FeedEntry> Feed(const std::string& peer) {
    std::vector<hop::v1::FeedEntry> entries;
    EXPECT_TRUE(records_
                    ->ScanFeed(peer, 0,
                               [&](const hop::v1::FeedEntry& e) {
                                 entries.push_back(e);
                                 return true;
                               })
                    .ok());
    return entries;
  }
  // The digest of the peer's live entries, recomputed from the feed itself.
  hop::v1::SetDigest Recomputed(const std::string& peer) {
    hop::v1::SetDigest digest;
    for (const hop::v1::FeedEntry& e : Feed(peer)) {
      if (!e.tombstone()) feed::DigestAdd(digest, e.record_key(), e.seq());
    }
    return digest;
  }
  void ExpectDigestsMatch() {
    for (const std::string& peer : Peers()) {
      absl::StatusOr<hop::v1::SetDigest> kept = records_->FeedDigest(peer);
      ASSERT_TRUE(kept.ok()) << kept.status();
      EXPECT_TRUE(feed::DigestEqual(*kept, Recomputed(peer)))
          << peer << ": kept " << feed::DigestShort(*kept) << ", recomputed "
          << feed::DigestShort(Recomputed(peer));
    }
  }
  absl::StatusOr<hop::v1::Consent> Grant(const std::string& peer, int64_t from, int64_t until) {
    hop::v1::GrantConsentRequest grant;
    grant.set_child_isikukood(kChild);
    grant.set_granted_by(kMother);
    grant.add_recipients(peer);
    grant.add_scopes(hop::v1::SCOPE_CASE_SUMMARY);
    grant.set_purpose("school transfer");
    if (from != 0) grant.set_valid_from(from);
    grant.set_valid_until(until);
    return consents_->Grant(manager_, grant);
  }
  absl::Status Withdraw() {
    hop::v1::WithdrawConsentRequest withdraw;
    withdraw.set_child_isikukood(kChild);
    withdraw.set_withdrawn_by(kFather);
    withdraw.set_evidence_ref("DHS-2026-31");
    return consents_->Withdraw(manager_, withdraw).status();
  }
  // The case entry of `peer`'s feed, if any.
  std::optional<hop::v1::FeedEntry> CaseEntry(const std::string& peer) {
    for (const hop::v1::FeedEntry& e : Feed(peer)) {
      if (e.record_key().rfind("case/", 0) == 0) return e;
    }
    return std::nullopt;
  }
  absl::StatusOr<uint64_t> Collect(const std::string& peer, uint64_t through) {
    uint64_t n = 0;
    absl::Status s = records_->Mutate([&](Mutation& m) -> absl::Status {
      absl::StatusOr<uint64_t> c = m.CollectTombstones(peer, through);
      if (!c.ok()) return c.status();
      n = *c;
      return absl::OkStatus();
    });
    if (!s.ok()) return s;
    return n;
  }
};

TEST_F(FeedLifecycleTest, TheKeptDigestEqualsTheFeedThroughEveryChange) {
  ExpectDigestsMatch();  // two institutions
  ASSERT_TRUE(Open(manager_, school_).ok());
  ExpectDigestsMatch();
  ASSERT_TRUE(Grant("0171", 0, kNow + 86400).ok());
  ExpectDigestsMatch();
  ASSERT_TRUE(Withdraw().ok());
  ExpectDigestsMatch();
  EXPECT_TRUE(CaseEntry("0171")->tombstone());
  EXPECT_EQ(records_->FeedDigest("0171")->count(), 2u) << "the two institutions only";
  EXPECT_EQ(records_->FeedHead("0171").value(), CaseEntry("0171")->seq());
}

TEST_F(FeedLifecycleTest, TombstonesAreCollectedOnlyUpToTheAcknowledgedPosition) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  ASSERT_TRUE(Grant("0171", 0, kNow + 86400).ok());
  ASSERT_TRUE(Withdraw().ok());
  const uint64_t tombstone_seq = CaseEntry("0171")->seq();
  EXPECT_EQ(Collect("0171", tombstone_seq - 1).value(), 0u) << "not yet acknowledged";
  ASSERT_TRUE(CaseEntry("0171").has_value());
  EXPECT_EQ(Collect("0171", tombstone_seq).value(), 1u);
  EXPECT_FALSE(CaseEntry("0171").has_value()) << "collected";
  EXPECT_EQ(Feed("0171").size(), 2u) << "the institutions stay";
  EXPECT_EQ(Collect("0171", tombstone_seq).value(), 0u) << "nothing left to collect";
  ExpectDigestsMatch();
  // The record may come back later, as a new entry.
  ASSERT_TRUE(Grant("0171", 0, kNow + 86400).ok());
  ASSERT_TRUE(CaseEntry("0171").has_value());
  EXPECT_FALSE(CaseEntry("0171")->tombstone());
  ExpectDigestsMatch();
}

TEST_F(FeedLifecycleTest, TheSweeperTurnsExpiryIntoATombstoneOnce) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  ASSERT_TRUE(Grant("0171", 0, kNow + 3600).ok());
  ASSERT_FALSE(CaseEntry("0171")->tombstone());
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 0) << "nothing due yet";
  clock_.Advance(3600);
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 1);
  ASSERT_TRUE(CaseEntry("0171")->tombstone()) << "expired: the peer must purge its copy";
  const uint64_t seq = records_->FeedHead("0171").value();
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 0) << "each moment is swept once";
  EXPECT_EQ(records_->FeedHead("0171").value(), seq);
  ExpectDigestsMatch();
}

TEST_F(FeedLifecycleTest, TheSweeperPublishesAConsentWhenItStarts) {
  ASSERT_TRUE(Open(manager_, school_).ok());
  ASSERT_TRUE(Grant("0171", kNow + 600, kNow + 86400).ok());
  EXPECT_FALSE(CaseEntry("0171").has_value()) << "not valid yet: nothing shared";
  clock_.Advance(600);
  EXPECT_EQ(consents_->SweepConsentTimes().value(), 1);
  ASSERT_TRUE(CaseEntry("0171").has_value());
  EXPECT_FALSE(CaseEntry("0171")->tombstone());
  EXPECT_FALSE(CaseEntry("0283").has_value()) << "the consent names 0171 only";
  ExpectDigestsMatch();
}

}  // namespace
}  // namespace hop::casework
