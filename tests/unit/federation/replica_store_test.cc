// The receiver's copies over a real RocksDB store: each applied entry keeps the origin's
// digest in step (husks included), the child and expiry indexes follow every upsert and
// tombstone, an expired copy is never shown and is purged to a husk, and dropping an origin
// leaves nothing of it.
#include "daemon/federation/replica_store.h"

#include <stdlib.h>

#include <filesystem>

#include "daemon/feed/set_digest.h"
#include "gtest/gtest.h"

namespace hop::federation {
namespace {

constexpr char kOrigin[] = "0793";
constexpr char kChild[] = "60001019906";
constexpr int64_t kNow = 1795000000;

hop::v1::FeedEntry Summary(const std::string& case_id, uint64_t seq, int64_t expires_at,
                           const std::string& child = kChild) {
  hop::v1::FeedEntry e;
  e.set_seq(seq);
  e.set_record_key("case/" + case_id);
  hop::v1::CaseSummary* s = e.mutable_case_summary();
  s->set_case_id(case_id);
  s->set_origin(kOrigin);
  s->set_child_isikukood(child);
  s->set_basis(hop::v1::SHARE_BASIS_CONSENT);
  s->set_expires_at(expires_at);
  return e;
}

hop::v1::FeedEntry Institution(const std::string& id, uint64_t seq) {
  hop::v1::FeedEntry e;
  e.set_seq(seq);
  e.set_record_key("institution/" + id);
  e.mutable_institution()->set_id(id);
  e.mutable_institution()->set_municipality(kOrigin);
  e.mutable_institution()->set_name("Kool");
  return e;
}

class ReplicaStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hop-replica-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    store_ = *store::Store::Open({dir_ + "/db"});
    replicas_ = std::make_unique<ReplicaStore>(store_.get(), &secret_);
  }
  void TearDown() override {
    replicas_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  // Applies entries (tombstones for entries with tombstone set) in one batch.
  void Apply(const std::vector<hop::v1::FeedEntry>& entries, int64_t now = kNow) {
    store::WriteBatch batch = store_->NewBatch();
    ReplicaStore::OriginApply apply(replicas_.get(), kOrigin, &batch, replicas_->Account(kOrigin));
    std::vector<std::string> keys;
    for (const hop::v1::FeedEntry& e : entries) keys.push_back(e.record_key());
    ASSERT_TRUE(apply.Prefetch(keys).ok());
    for (hop::v1::FeedEntry e : entries) {
      if (e.tombstone()) {
        apply.Remove(e.record_key());
      } else {
        apply.Upsert(std::move(e), now);
      }
    }
    apply.Finish();
    ASSERT_TRUE(store_->Write(batch).ok());
  }
  std::vector<std::string> Shown(int64_t now = kNow) {
    std::vector<std::string> ids;
    EXPECT_TRUE(replicas_
                    ->ChildSummaries(kChild, now,
                                     [&](const hop::v1::Replica& r) {
                                       ids.push_back(r.entry().case_summary().case_id());
                                     })
                    .ok());
    return ids;
  }
  // Keys of the replicas family with `prefix`.
  int CountKeys(const std::string& prefix) {
    int n = 0;
    EXPECT_TRUE(store_
                    ->Scan(store::Family::kReplicas, prefix, "",
                           [&](absl::string_view, absl::string_view) {
                             ++n;
                             return true;
                           })
                    .ok());
    return n;
  }

  std::string dir_;
  security::NodeSecret secret_ = *security::NodeSecret::FromBytes(std::string(32, 'k'));
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ReplicaStore> replicas_;
};

TEST_F(ReplicaStoreTest, TheDigestFollowsUpsertsReplacementsAndTombstones) {
  Apply({Institution("0793-I000001", 1), Summary("0793-C000001", 2, kNow + 3600)});
  Apply({Summary("0793-C000001", 5, kNow + 7200)});  // newer version replaces
  hop::v1::SetDigest expected;
  feed::DigestAdd(expected, "institution/0793-I000001", 1);
  feed::DigestAdd(expected, "case/0793-C000001", 5);
  EXPECT_TRUE(feed::DigestEqual(replicas_->Account(kOrigin).digest(), expected));
  EXPECT_EQ(replicas_->Account(kOrigin).held(), 2u);

  hop::v1::FeedEntry tombstone;
  tombstone.set_seq(6);
  tombstone.set_record_key("case/0793-C000001");
  tombstone.set_tombstone(true);
  Apply({tombstone});
  feed::DigestRemove(expected, "case/0793-C000001", 5);
  EXPECT_TRUE(feed::DigestEqual(replicas_->Account(kOrigin).digest(), expected));
  EXPECT_EQ(replicas_->Account(kOrigin).held(), 1u);
  EXPECT_TRUE(Shown().empty());
  EXPECT_EQ(CountKeys("y/"), 0) << "child index purged";
  EXPECT_EQ(CountKeys("e/"), 0) << "expiry index purged";
}

TEST_F(ReplicaStoreTest, AnExpiredCopyIsNeverShownAndIsPurgedToAHusk) {
  Apply({Summary("0793-C000001", 1, kNow + 3600), Summary("0793-C000002", 2, kNow + 86400)});
  EXPECT_EQ(Shown(), (std::vector<std::string>{"0793-C000001", "0793-C000002"}));
  EXPECT_EQ(Shown(kNow + 3600), std::vector<std::string>{"0793-C000002"}) << "hidden at expiry";
  const hop::v1::SetDigest before = replicas_->Account(kOrigin).digest();

  EXPECT_EQ(replicas_->PurgeExpired(kNow + 3599).value(), 0u);
  EXPECT_EQ(replicas_->PurgeExpired(kNow + 3600).value(), 1u);
  EXPECT_EQ(replicas_->PurgeExpired(kNow + 3600).value(), 0u) << "purged once";
  EXPECT_EQ(replicas_->Account(kOrigin).held(), 1u);
  EXPECT_TRUE(feed::DigestEqual(replicas_->Account(kOrigin).digest(), before))
      << "a husk still counts until the owner's tombstone arrives";
  // Nothing of the expired summary's content is kept.
  std::optional<std::string> raw =
      *store_->Get(store::Family::kReplicas, "o/0793/case/0793-C000001");
  ASSERT_TRUE(raw.has_value());
  hop::v1::Replica husk;
  ASSERT_TRUE(husk.ParseFromString(*raw));
  EXPECT_FALSE(husk.entry().has_case_summary());
  EXPECT_EQ(raw->find(kChild), std::string::npos);
  EXPECT_EQ(CountKeys("y/"), 1);

  // The owner's tombstone removes the husk and its digest member.
  hop::v1::FeedEntry tombstone;
  tombstone.set_seq(9);
  tombstone.set_record_key("case/0793-C000001");
  tombstone.set_tombstone(true);
  Apply({tombstone}, kNow + 3600);
  hop::v1::SetDigest expected;
  feed::DigestAdd(expected, "case/0793-C000002", 2);
  EXPECT_TRUE(feed::DigestEqual(replicas_->Account(kOrigin).digest(), expected));
}

TEST_F(ReplicaStoreTest, AnEntryAlreadyExpiredOnArrivalIsKeptAsAHuskOnly) {
  Apply({Summary("0793-C000001", 1, kNow - 1)});
  EXPECT_TRUE(Shown().empty());
  EXPECT_EQ(replicas_->Account(kOrigin).held(), 0u);
  EXPECT_EQ(replicas_->Account(kOrigin).digest().count(), 1u);
  EXPECT_EQ(CountKeys("y/"), 0);
}

TEST_F(ReplicaStoreTest, DroppingAnOriginLeavesNothingOfIt) {
  Apply({Institution("0793-I000001", 1), Summary("0793-C000001", 2, kNow + 3600)});
  store::WriteBatch batch = store_->NewBatch();
  ASSERT_TRUE(replicas_->DropOrigin(kOrigin, batch).ok());
  ASSERT_TRUE(store_->Write(batch).ok());
  EXPECT_EQ(CountKeys(""), 0);
  EXPECT_EQ(replicas_->Account(kOrigin).digest().count(), 0u);
}

TEST_F(ReplicaStoreTest, HeldDirectoryEntriesAreSearchable) {
  Apply({Institution("0793-I000001", 1), Summary("0793-C000001", 2, kNow + 3600)});
  std::vector<std::string> names;
  ASSERT_TRUE(
      replicas_->ScanInstitutions([&](const hop::v1::Institution& i) { names.push_back(i.id()); })
          .ok());
  EXPECT_EQ(names, std::vector<std::string>{"0793-I000001"});
}

}  // namespace
}  // namespace hop::federation
