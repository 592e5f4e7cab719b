// The receiver's side of withdrawal notices over a real RocksDB store: a received notice is
// checked like any entry (origin, shape), kept in the origin's digest but not counted as a
// held copy, removed by the origin's tombstone, and handed back in bounded chunks that cover
// every notice once and only the notices of the asking origin; a request for notices from
// the origin is recognised only in its one well-formed shape.
#include "daemon/federation/withdrawal_handback.h"

#include <set>

#include "absl/strings/str_format.h"
#include "daemon/domain/limits.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/replica_store.h"
#include "daemon/feed/set_digest.h"
#include "daemon/feed/withdrawal_notice.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::federation {
namespace {

constexpr int64_t kNow = 1795000000;

hop::v1::FeedEntry Notice(const std::string& origin, int n, uint64_t seq) {
  const security::NodeSecret secret =
      *security::NodeSecret::FromBytes(std::string(security::NodeSecret::kBytes, 'o'));
  hop::v1::Consent c;
  c.set_id(absl::StrFormat("%s-K%06d", origin, n));
  c.add_recipients("0171");
  c.set_valid_until(kNow + 86400);
  c.set_withdrawn_at(kNow - 60);
  hop::v1::FeedEntry e;
  e.set_seq(seq);
  e.set_record_key(feed::WithdrawalRecordKey(c.id()));
  *e.mutable_withdrawal_notice() = feed::MakeWithdrawalNotice(secret, origin, "0171", c);
  return e;
}

class WithdrawalHandbackTest : public ::testing::Test {
 protected:
  const security::NodeSecret receiver_secret_ =
      *security::NodeSecret::FromBytes(std::string(security::NodeSecret::kBytes, 'r'));
  void SetUp() override {
    store_ = *store::Store::Open({dir_.Path("db")});
    replicas_ = std::make_unique<ReplicaStore>(store_.get(), &receiver_secret_);
  }
  void Apply(const std::string& origin, std::vector<hop::v1::FeedEntry> entries) {
    store::WriteBatch batch = store_->NewBatch();
    ReplicaStore::OriginApply apply(replicas_.get(), origin, &batch, replicas_->Account(origin));
    std::vector<std::string> keys;
    for (const hop::v1::FeedEntry& e : entries) keys.push_back(e.record_key());
    ASSERT_TRUE(apply.Prefetch(keys).ok());
    for (hop::v1::FeedEntry& e : entries) {
      if (e.tombstone()) {
        apply.Remove(e.record_key());
      } else {
        ASSERT_TRUE(Puller::CheckEntry(origin, e).ok()) << Puller::CheckEntry(origin, e);
        apply.Upsert(std::move(e), kNow);
      }
    }
    apply.Finish();
    ASSERT_TRUE(store_->Write(batch).ok());
  }

  testing::TempDir dir_{"hop-handback-test"};  // removed after the store below is closed
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ReplicaStore> replicas_;
};

TEST_F(WithdrawalHandbackTest, ANoticeIsCheckedOnReceiptLikeAnyEntry) {
  EXPECT_TRUE(Puller::CheckEntry("0793", Notice("0793", 1, 5)).ok());
  absl::Status other = Puller::CheckEntry("0171", Notice("0793", 1, 5));
  EXPECT_TRUE(absl::IsPermissionDenied(other)) << other;
  hop::v1::FeedEntry misfiled = Notice("0793", 1, 5);
  misfiled.set_record_key("withdrawal/0793-K000002");
  EXPECT_TRUE(absl::IsInvalidArgument(Puller::CheckEntry("0793", misfiled)));
  hop::v1::FeedEntry as_case = Notice("0793", 1, 5);
  as_case.set_record_key("case/0793-K000001");
  EXPECT_FALSE(Puller::CheckEntry("0793", as_case).ok());
  hop::v1::FeedEntry tombstone;
  tombstone.set_seq(6);
  tombstone.set_record_key("withdrawal/0793-K000001");
  tombstone.set_tombstone(true);
  EXPECT_TRUE(Puller::CheckEntry("0793", tombstone).ok());
}

TEST_F(WithdrawalHandbackTest, NoticesCountInTheDigestButAreNotHeldCopies) {
  Apply("0793", {Notice("0793", 1, 5), Notice("0793", 2, 6)});
  hop::v1::ReplicaAccount account = replicas_->Account("0793");
  EXPECT_EQ(account.held(), 0u);
  hop::v1::SetDigest expected;
  feed::DigestAdd(expected, "withdrawal/0793-K000001", 5);
  feed::DigestAdd(expected, "withdrawal/0793-K000002", 6);
  EXPECT_TRUE(feed::DigestEqual(account.digest(), expected));

  hop::v1::FeedEntry gone;
  gone.set_seq(7);
  gone.set_record_key("withdrawal/0793-K000001");
  gone.set_tombstone(true);
  Apply("0793", {gone});
  account = replicas_->Account("0793");
  feed::DigestRemove(expected, "withdrawal/0793-K000001", 5);
  EXPECT_TRUE(feed::DigestEqual(account.digest(), expected));
  EXPECT_EQ(account.held(), 0u);
  std::string after;
  hop::v1::WithdrawalHandback h = NextHandback(*replicas_, "0793", &after).value();
  ASSERT_EQ(h.notices_size(), 1);
  EXPECT_EQ(h.notices(0).consent_id(), "0793-K000002");
  EXPECT_FALSE(h.more());
}

TEST_F(WithdrawalHandbackTest, EveryNoticeIsHandedBackOnceInBoundedChunks) {
  constexpr int kNotices = 1200;
  std::vector<hop::v1::FeedEntry> entries;
  for (int i = 1; i <= kNotices; ++i) entries.push_back(Notice("0793", i, i));
  Apply("0793", std::move(entries));
  Apply("0283", {Notice("0283", 1, 1)});

  std::string after;
  std::set<std::string> seen;
  std::vector<int> sizes;
  for (int round = 0; round < 10; ++round) {
    absl::StatusOr<hop::v1::WithdrawalHandback> h = NextHandback(*replicas_, "0793", &after);
    ASSERT_TRUE(h.ok()) << h.status();
    EXPECT_TRUE(feed::CheckHandbackLimits(*h).ok());
    sizes.push_back(h->notices_size());
    for (const hop::v1::WithdrawalNotice& n : h->notices()) {
      EXPECT_TRUE(seen.insert(n.consent_id()).second) << "handed back twice: " << n.consent_id();
      EXPECT_EQ(n.consent_id().rfind("0793-", 0), 0u) << "another origin's notice";
    }
    if (!h->more()) break;
  }
  EXPECT_EQ(seen.size(), static_cast<size_t>(kNotices));
  EXPECT_EQ(sizes, (std::vector<int>{500, 500, 200}));
}

TEST_F(WithdrawalHandbackTest, NothingHeldIsAnEmptyFinalChunk) {
  std::string after;
  hop::v1::WithdrawalHandback h = NextHandback(*replicas_, "0793", &after).value();
  EXPECT_EQ(h.notices_size(), 0);
  EXPECT_FALSE(h.more());
}

TEST(HandbackRequestTest, OnlyALoneEmptyBatchOfTheOriginAsks) {
  hop::v1::PullBatch ask;
  ask.set_origin("0793");
  ask.set_epoch("new");
  ask.set_hand_back_withdrawals(true);
  hop::v1::PullBatch normal;
  normal.set_origin("0793");
  *normal.add_entries() = Notice("0793", 1, 1);
  EXPECT_TRUE(IsHandbackRequest("0793", {ask}, false, false).value());
  EXPECT_FALSE(IsHandbackRequest("0793", {normal}, false, false).value());
  EXPECT_FALSE(IsHandbackRequest("0793", {normal, normal}, true, false).value());
  // Malformed: refused, nothing applied.
  hop::v1::PullBatch with_entries = normal;
  with_entries.set_hand_back_withdrawals(true);
  EXPECT_TRUE(
      absl::IsFailedPrecondition(IsHandbackRequest("0793", {with_entries}, false, false).status()));
  EXPECT_TRUE(
      absl::IsFailedPrecondition(IsHandbackRequest("0793", {ask, normal}, false, false).status()));
  EXPECT_TRUE(absl::IsFailedPrecondition(IsHandbackRequest("0793", {ask}, true, false).status()))
      << "an ask after entries of the same pull";
  EXPECT_TRUE(absl::IsFailedPrecondition(IsHandbackRequest("0793", {normal}, false, true).status()))
      << "entries after an ask";
  EXPECT_TRUE(absl::IsFailedPrecondition(IsHandbackRequest("0171", {ask}, false, false).status()))
      << "another origin";
}

}  // namespace
}  // namespace hop::federation
