// The store's erasure and backups (issue 11) on a real RocksDB in a temporary directory: a
// deleted (or overwritten, when marked) value is still in the data directory's files until
// EraseDeleted, and in none of them after; the pending mark survives a crash-free reopen and
// is cleared only by an erasure that saw every deletion; a backup leaves out the excluded
// family and prefixes, byte for byte, and keeps the rest restorable.
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::store {
namespace {

// Unique markers, sharing no 4 bytes with any key or other value: snappy stores them
// verbatim in any file that holds them (the federation test also decompresses SST files).
constexpr char kSecretValue[] = "Q7-secret-summary-kZx81vR2-need-area-hearing";
constexpr char kKeptValue[] = "W3-kept-contact-mP09aT66";

// How many files under `dir` (recursively) contain `needle`, with their names.
std::vector<std::string> FilesHolding(const std::string& dir, const std::string& needle) {
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.find(needle) != std::string::npos) found.push_back(entry.path().string());
  }
  return found;
}

class StoreErasureTest : public ::testing::Test {
 protected:
  std::unique_ptr<Store> OpenStore() {
    Store::Options options;
    options.path = db_;
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<Store>> s = Store::Open(options);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? std::move(*s) : nullptr;
  }
  void Put(Store& store, Family f, const std::string& key, const std::string& value) {
    WriteBatch batch = store.NewBatch();
    batch.Put(f, key, value);
    ASSERT_TRUE(store.Write(batch).ok());
  }
  void Delete(Store& store, Family f, const std::string& key) {
    WriteBatch batch = store.NewBatch();
    batch.Delete(f, key);
    ASSERT_TRUE(store.Write(batch).ok());
  }
  // Many small records, so the store has several SST files and levels.
  void Fill(Store& store, int n) {
    for (int i = 0; i < n; ++i) {
      WriteBatch batch = store.NewBatch();
      batch.Put(Family::kReplicas, absl::StrCat("o/0171/case/", i), std::string(200, 'r'));
      batch.Put(Family::kCases, absl::StrCat("c/", i), std::string(200, 'c'));
      ASSERT_TRUE(store.Write(batch).ok());
    }
  }

  testing::TempDir temp_{"hop-erasure-test"};
  const std::string db_ = temp_.path() + "/db";
  const std::string backups_ = temp_.path() + "/backups";
  FakeClock clock_{1'800'000'000};
};

TEST_F(StoreErasureTest, DeletedValueLeavesEveryFileOfTheDataDirectory) {
  auto store = OpenStore();
  Fill(*store, 300);
  Put(*store, Family::kReplicas, "o/0171/case/s1", kSecretValue);
  Put(*store, Family::kDirectory, "contact/1", kKeptValue);
  // Some of it in SST files of several generations, some only in the WAL and memtable.
  ASSERT_TRUE(store->EraseDeleted().ok());
  Fill(*store, 50);
  EXPECT_FALSE(store->ErasurePendingSince().has_value()) << "puts alone erase nothing";

  clock_.Advance(5);
  Delete(*store, Family::kReplicas, "o/0171/case/s1");
  ASSERT_EQ(store->ErasurePendingSince(), clock_.NowUnix()) << "a delete marks the store";
  EXPECT_FALSE(FilesHolding(db_, kSecretValue).empty())
      << "control: before the erasure the deleted value is still on disk";

  clock_.Advance(1);
  absl::StatusOr<Store::ErasureInfo> erased = store->EraseDeleted();
  ASSERT_TRUE(erased.ok()) << erased.status();
  EXPECT_EQ(erased->pending_since, clock_.NowUnix() - 1);
  EXPECT_FALSE(erased->still_pending);
  EXPECT_FALSE(store->ErasurePendingSince().has_value());
  EXPECT_EQ(store->LastErasure(), clock_.NowUnix());
  EXPECT_EQ(FilesHolding(db_, kSecretValue), std::vector<std::string>())
      << "no SST, WAL, MANIFEST or other file may hold a deleted value";
  EXPECT_FALSE(FilesHolding(db_, kKeptValue).empty()) << "what was not deleted stays";
  EXPECT_EQ(store->Get(Family::kDirectory, "contact/1")->value_or(""), kKeptValue);
  EXPECT_EQ(store->Get(Family::kCases, "c/299")->value_or(""), std::string(200, 'c'));

  // And after a clean stop and restart, nothing comes back.
  store.reset();
  store = OpenStore();
  EXPECT_EQ(FilesHolding(db_, kSecretValue), std::vector<std::string>());
  EXPECT_FALSE(store->Get(Family::kReplicas, "o/0171/case/s1")->has_value());
}

TEST_F(StoreErasureTest, AMarkedOverwriteIsErasedToo) {
  auto store = OpenStore();
  Put(*store, Family::kReplicas, "o/0171/case/1", kSecretValue);
  ASSERT_TRUE(store->EraseDeleted().ok());
  WriteBatch husk = store->NewBatch();
  husk.Put(Family::kReplicas, "o/0171/case/1", "husk");
  husk.MarkErasure();
  ASSERT_TRUE(store->Write(husk).ok());
  ASSERT_TRUE(store->ErasurePendingSince().has_value());
  ASSERT_TRUE(store->EraseDeleted().ok());
  EXPECT_EQ(FilesHolding(db_, kSecretValue), std::vector<std::string>());
}

TEST_F(StoreErasureTest, DeletesOutsidePersonalFamiliesDoNotMark) {
  auto store = OpenStore();
  Put(*store, Family::kSyncState, "cp/0171", "x");
  Delete(*store, Family::kSyncState, "cp/0171");
  Delete(*store, Family::kMeta, "anything");
  EXPECT_FALSE(store->ErasurePendingSince().has_value());
  for (Family f : {Family::kCases, Family::kConsents, Family::kDirectory, Family::kReplicas,
                   Family::kFeeds, Family::kUsers}) {
    EXPECT_TRUE(HoldsPersonalData(f)) << FamilyName(f);
  }
}

TEST_F(StoreErasureTest, ThePendingMarkSurvivesARestartAndKeepsItsTime) {
  const int64_t since = clock_.NowUnix();
  {
    auto store = OpenStore();
    Put(*store, Family::kConsents, "k/1", kSecretValue);
    Delete(*store, Family::kConsents, "k/1");
    clock_.Advance(30);
    Delete(*store, Family::kCases, "c/1");  // a later delete keeps the first time
    EXPECT_EQ(store->ErasurePendingSince(), since);
  }
  auto store = OpenStore();
  EXPECT_EQ(store->ErasurePendingSince(), since) << "a restart does not forget the erasure";
  ASSERT_TRUE(store->EraseDeleted().ok());
  EXPECT_FALSE(store->ErasurePendingSince().has_value());
  store.reset();
  store = OpenStore();
  EXPECT_FALSE(store->ErasurePendingSince().has_value());
  EXPECT_EQ(store->LastErasure(), clock_.NowUnix());
  EXPECT_EQ(FilesHolding(db_, kSecretValue), std::vector<std::string>());
}

TEST_F(StoreErasureTest, BackupLeavesOutExcludedFamiliesAndPrefixesAndRestores) {
  auto store = OpenStore();
  Fill(*store, 200);
  Put(*store, Family::kReplicas, "o/0171/case/s1", kSecretValue);
  Put(*store, Family::kSyncState, "cp/0171", "checkpoint-Zq81");
  Put(*store, Family::kSyncState, "w/0171", "witness-Zq82");
  Put(*store, Family::kDirectory, "contact/1", kKeptValue);
  ASSERT_TRUE(store->EraseDeleted().ok());  // part of it in SST files, part in the memtable
  Put(*store, Family::kCases, "c/late", "late-case-Zq83");
  Store::BackupExclusions leave_out;
  leave_out.families = {Family::kReplicas};
  leave_out.prefixes = {{Family::kSyncState, "cp/"}};
  absl::StatusOr<Store::BackupInfo> first = store->Backup(backups_, 7, leave_out);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<Store::BackupInfo> second = store->Backup(backups_, 7, leave_out);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->backups_kept, 2u);
  EXPECT_EQ(FilesHolding(backups_, kSecretValue), std::vector<std::string>());
  EXPECT_EQ(FilesHolding(backups_, "checkpoint-Zq81"), std::vector<std::string>());
  EXPECT_FALSE(std::filesystem::exists(db_ + "/backup-staging")) << "staging removed";
  EXPECT_FALSE(FilesHolding(db_, kSecretValue).empty()) << "the live store keeps its copies";

  const std::string restored = temp_.path() + "/restored";
  ASSERT_TRUE(Store::Restore(backups_, 0, restored).ok());
  Store::Options options;
  options.path = restored;
  absl::StatusOr<std::unique_ptr<Store>> back = Store::Open(options);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_FALSE((*back)->Get(Family::kReplicas, "o/0171/case/s1")->has_value());
  EXPECT_FALSE((*back)->Get(Family::kReplicas, "o/0171/case/1")->has_value());
  EXPECT_FALSE((*back)->Get(Family::kSyncState, "cp/0171")->has_value());
  EXPECT_EQ((*back)->Get(Family::kSyncState, "w/0171")->value_or(""), "witness-Zq82");
  EXPECT_EQ((*back)->Get(Family::kDirectory, "contact/1")->value_or(""), kKeptValue);
  EXPECT_EQ((*back)->Get(Family::kCases, "c/late")->value_or(""), "late-case-Zq83")
      << "a write acknowledged before the backup is in it";
  EXPECT_EQ((*back)->Get(Family::kCases, "c/199")->value_or(""), std::string(200, 'c'));
}

TEST_F(StoreErasureTest, ALeftoverStagingImageIsRemovedAtOpen) {
  std::filesystem::create_directories(db_ + "/backup-staging");
  std::ofstream(db_ + "/backup-staging/000001.sst") << kSecretValue;
  auto store = OpenStore();
  EXPECT_FALSE(std::filesystem::exists(db_ + "/backup-staging"));
}

}  // namespace
}  // namespace hop::store
