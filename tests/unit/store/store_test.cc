// The RocksDB store, for real, in a temporary directory.
#include "daemon/store/store.h"

#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace hop::store {
namespace {

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hop-store-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<Store> OpenStore() {
    absl::StatusOr<std::unique_ptr<Store>> s = Store::Open({dir_ + "/db"});
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }
  std::string dir_;
};

TEST_F(StoreTest, WriteIsAtomicAcrossFamiliesAndDurableAcrossReopen) {
  {
    auto store = OpenStore();
    WriteBatch batch = store->NewBatch();
    batch.Put(Family::kCases, "c/1", "case");
    batch.Put(Family::kFeeds, "f/1", "feed");
    batch.Put(Family::kMeta, "seq", "1");
    EXPECT_EQ(batch.Count(), 3);
    ASSERT_TRUE(store->Write(batch).ok());
  }
  auto store = OpenStore();
  EXPECT_EQ(store->Get(Family::kCases, "c/1")->value(), "case");
  EXPECT_EQ(store->Get(Family::kFeeds, "f/1")->value(), "feed");
  EXPECT_FALSE(store->Get(Family::kConsents, "c/1")->has_value()) << "families are separate";
}

TEST_F(StoreTest, DeleteRemoves) {
  auto store = OpenStore();
  WriteBatch put = store->NewBatch();
  put.Put(Family::kUsers, "u/a", "x");
  ASSERT_TRUE(store->Write(put).ok());
  WriteBatch del = store->NewBatch();
  del.Delete(Family::kUsers, "u/a");
  ASSERT_TRUE(store->Write(del).ok());
  EXPECT_FALSE(store->Get(Family::kUsers, "u/a")->has_value());
}

TEST_F(StoreTest, ScanHonoursPrefixStartAndEarlyStop) {
  auto store = OpenStore();
  WriteBatch batch = store->NewBatch();
  for (const char* k : {"a/1", "a/2", "a/3", "b/1", "a"}) batch.Put(Family::kCases, k, k);
  ASSERT_TRUE(store->Write(batch).ok());
  std::vector<std::string> keys;
  auto collect = [&](absl::string_view k, absl::string_view) {
    keys.emplace_back(k);
    return true;
  };
  ASSERT_TRUE(store->Scan(Family::kCases, "a/", "", collect).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a/1", "a/2", "a/3"}));
  keys.clear();
  ASSERT_TRUE(store->Scan(Family::kCases, "a/", "a/2", collect).ok());
  EXPECT_EQ(keys, (std::vector<std::string>{"a/2", "a/3"}));
  keys.clear();
  ASSERT_TRUE(store
                  ->Scan(Family::kCases, "", "",
                         [&](absl::string_view k, absl::string_view) {
                           keys.emplace_back(k);
                           return keys.size() < 2;
                         })
                  .ok());
  EXPECT_EQ(keys.size(), 2u);
}

TEST_F(StoreTest, SecondOpenOfSameDirectoryIsRefused) {
  auto first = OpenStore();
  absl::StatusOr<std::unique_ptr<Store>> second = Store::Open({dir_ + "/db"});
  EXPECT_EQ(second.status().code(), absl::StatusCode::kFailedPrecondition) << second.status();
}

TEST_F(StoreTest, AllNineFamiliesExist) {
  auto store = OpenStore();
  for (int f = 0; f < kFamilyCount; ++f) {
    WriteBatch batch = store->NewBatch();
    batch.Put(static_cast<Family>(f), "k", FamilyName(static_cast<Family>(f)));
    ASSERT_TRUE(store->Write(batch).ok());
  }
  EXPECT_EQ(store->Get(Family::kSyncState, "k")->value(), "sync_state");
  EXPECT_EQ(store->Get(Family::kAudit, "k")->value(), "audit");
}

}  // namespace
}  // namespace hop::store
