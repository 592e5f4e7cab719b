// The store on a full disk, for real: RocksDB on a small tmpfs filled by a filler file.
// Writes are refused with Unavailable naming the directory, reads go on, and once the filler
// is removed the store writes again without being reopened by its owner; every acknowledged
// write survives, and no refused one appears. Needs root (mount); skipped otherwise.
#include <fcntl.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "daemon/store/store.h"
#include "gtest/gtest.h"

namespace hop::store {
namespace {

class StoreDiskFullTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/hop-store-full-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    mount_ = tmpl;
    if (mount("tmpfs", mount_.c_str(), "tmpfs", 0, "size=8m") != 0) {
      GTEST_SKIP() << "cannot mount a tmpfs at " << mount_ << " (needs root)";
    }
    mounted_ = true;
    path_ = mount_ + "/db";
  }
  void TearDown() override {
    store_.reset();
    if (mounted_) umount2(mount_.c_str(), MNT_DETACH);
    rmdir(mount_.c_str());
  }

  void OpenStore() {
    store_.reset();
    Store::Options options;
    options.path = path_;
    options.recovery_interval = absl::ZeroDuration();
    absl::StatusOr<std::unique_ptr<Store>> s = Store::Open(options);
    ASSERT_TRUE(s.ok()) << s.status();
    store_ = *std::move(s);
  }

  // Fills the file system with a filler file, to the last byte it takes.
  void Fill() {
    const std::string filler = mount_ + "/filler";
    int fd = open(filler.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    ASSERT_GE(fd, 0);
    const std::string chunk(4096, 'x');
    while (write(fd, chunk.data(), chunk.size()) > 0) {
    }
    while (write(fd, "x", 1) > 0) {
    }
    close(fd);
  }
  void Free() { ASSERT_EQ(unlink((mount_ + "/filler").c_str()), 0); }

  // Writes key `n` (in cases and audit, one batch); records it as acknowledged or refused.
  absl::Status WriteKey(int n) {
    WriteBatch batch = store_->NewBatch();
    const std::string key = absl::StrCat("k/", n);
    batch.Put(Family::kCases, key, std::string(300, 'c'));
    batch.Put(Family::kAudit, key, std::string(300, 'a'));
    absl::Status s = store_->Write(batch);
    (s.ok() ? acked_ : refused_).insert(n);
    return s;
  }

  // Writes until the first refusal (the file system is full); returns it.
  absl::Status WriteUntilRefused() {
    for (int i = 0; i < 100000; ++i) {
      absl::Status s = WriteKey(next_++);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }

  void ExpectAllAcknowledgedAndNoRefused() {
    for (int n : acked_) {
      for (Family f : {Family::kCases, Family::kAudit}) {
        absl::StatusOr<std::optional<std::string>> v = store_->Get(f, absl::StrCat("k/", n));
        ASSERT_TRUE(v.ok()) << v.status();
        EXPECT_TRUE(v->has_value()) << "acknowledged write " << n << " lost in " << FamilyName(f);
      }
    }
    for (int n : refused_) {
      for (Family f : {Family::kCases, Family::kAudit}) {
        absl::StatusOr<std::optional<std::string>> v = store_->Get(f, absl::StrCat("k/", n));
        ASSERT_TRUE(v.ok()) << v.status();
        EXPECT_FALSE(v->has_value()) << "refused write " << n << " is there";
      }
    }
  }

  // The whole episode: full, refused, freed, writing again, and all there after a reopen.
  void RunEpisode() {
    absl::Status refused = WriteUntilRefused();
    ASSERT_TRUE(absl::IsUnavailable(refused)) << refused;
    const std::string expected =
        absl::StrCat("the store cannot write: no space left on device in ", path_,
                     "; free space there and writes resume without a restart");
    EXPECT_EQ(refused.message(), expected);
    // Still full: refused again with the same message, nothing written; health says so.
    absl::Status again = WriteKey(next_++);
    EXPECT_TRUE(absl::IsUnavailable(again)) << again;
    EXPECT_EQ(again.message(), expected);
    Store::WriteHealth health = store_->Health();
    EXPECT_FALSE(health.writable);
    EXPECT_EQ(health.error, expected);
    // Reads go on.
    absl::StatusOr<std::optional<std::string>> first = store_->Get(Family::kCases, "k/0");
    ASSERT_TRUE(first.ok()) << first.status();
    EXPECT_TRUE(first->has_value());

    Free();
    // Writable again without reopening (polled: the store retries at most once per interval).
    bool writable = false;
    for (int i = 0; i < 200 && !writable; ++i) {
      writable = store_->Health().writable;
      if (!writable) usleep(50 * 1000);
    }
    ASSERT_TRUE(writable) << store_->Health().error;
    EXPECT_EQ(store_->Health().error, "");
    for (int i = 0; i < 20; ++i) {
      absl::Status s = WriteKey(next_++);
      ASSERT_TRUE(s.ok()) << s;
    }
    ExpectAllAcknowledgedAndNoRefused();
    OpenStore();  // a restart
    ExpectAllAcknowledgedAndNoRefused();
    ASSERT_TRUE(WriteKey(next_++).ok());
  }

  std::string mount_, path_;
  bool mounted_ = false;
  std::unique_ptr<Store> store_;
  std::set<int> acked_, refused_;
  int next_ = 0;
};

TEST_F(StoreDiskFullTest, WithUnflushedWritesRecoversWithoutRestartAndLosesNothing) {
  OpenStore();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(WriteKey(next_++).ok());
  Fill();
  RunEpisode();
}

// RocksDB 7.8's DB::Resume() keeps the failed log file when the memtables are empty (and
// Debian's build then aborts): the case the store's reopen exists for.
TEST_F(StoreDiskFullTest, WithEmptyMemtablesRecoversWithoutRestartAndLosesNothing) {
  OpenStore();
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(WriteKey(next_++).ok());
  OpenStore();  // reopening flushes what the log held: the memtables start empty
  Fill();
  RunEpisode();
}

TEST_F(StoreDiskFullTest, RecoveryWaitsForASnapshotAndThenSucceeds) {
  OpenStore();
  for (int i = 0; i < 10; ++i) ASSERT_TRUE(WriteKey(next_++).ok());
  Fill();
  ASSERT_TRUE(absl::IsUnavailable(WriteUntilRefused()));
  Free();
  {
    std::unique_ptr<Snapshot> snapshot = store_->GetSnapshot();
    // The snapshot pins the old instance: the recovery gives up instead of hanging.
    EXPECT_FALSE(store_->Health().writable);
    absl::StatusOr<std::optional<std::string>> v =
        store_->Get(Family::kCases, "k/0", snapshot.get());
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->has_value());
  }
  ASSERT_TRUE(store_->Health().writable) << store_->Health().error;
  ASSERT_TRUE(WriteKey(next_++).ok());
  OpenStore();
  ExpectAllAcknowledgedAndNoRefused();
}

// Writers and readers keep going through the whole episode: no call hangs or crashes, the
// writers are refused while the disk is full and succeed again after, and every write that
// was acknowledged (on any thread) is there after a reopen.
TEST_F(StoreDiskFullTest, ConcurrentCallsThroughTheEpisode) {
  OpenStore();
  absl::Mutex mu;
  std::set<std::string> acked, refused;
  std::atomic<bool> stop{false};
  std::atomic<int> refusals{0}, successes_after_free{0};
  std::atomic<bool> freed{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; !stop; ++i) {
        const std::string key = absl::StrCat("w/", t, "/", i);
        WriteBatch batch = store_->NewBatch();
        batch.Put(Family::kCases, key, std::string(100, 'c'));
        batch.Put(Family::kAudit, key, std::string(100, 'a'));
        const absl::Status s = store_->Write(batch);
        EXPECT_TRUE(s.ok() || absl::IsUnavailable(s)) << s;
        if (!s.ok()) ++refusals;
        if (s.ok() && freed) ++successes_after_free;
        {
          absl::MutexLock lock(&mu);
          (s.ok() ? acked : refused).insert(key);
        }
        usleep(1000);  // the writers alone must not fill the file system
      }
    });
  }
  threads.emplace_back([&] {  // a reader: point reads, scans and snapshots
    while (!stop) {
      std::unique_ptr<Snapshot> snapshot = store_->GetSnapshot();
      absl::Status scanned = store_->Scan(
          Family::kCases, "w/0/", "", [](absl::string_view, absl::string_view) { return true; },
          snapshot.get());
      EXPECT_TRUE(scanned.ok() || absl::IsUnavailable(scanned)) << scanned;
      absl::StatusOr<std::optional<std::string>> v = store_->Get(Family::kCases, "w/0/0");
      EXPECT_TRUE(v.ok() || absl::IsUnavailable(v.status())) << v.status();
    }
  });
  Fill();
  for (int i = 0; i < 2000 && refusals < 10; ++i) usleep(10 * 1000);
  EXPECT_GE(refusals, 10);
  Free();
  freed = true;
  for (int i = 0; i < 3000 && successes_after_free < 50; ++i) usleep(10 * 1000);
  EXPECT_GE(successes_after_free, 50);
  stop = true;
  for (std::thread& t : threads) t.join();
  EXPECT_TRUE(store_->Health().writable) << store_->Health().error;
  OpenStore();
  for (const std::string& key : acked) {
    absl::StatusOr<std::optional<std::string>> v = store_->Get(Family::kAudit, key);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_TRUE(v->has_value()) << "acknowledged write " << key << " lost";
  }
  for (const std::string& key : refused) {
    absl::StatusOr<std::optional<std::string>> v = store_->Get(Family::kCases, key);
    ASSERT_TRUE(v.ok()) << v.status();
    EXPECT_FALSE(v->has_value()) << "refused write " << key << " is there";
  }
}

}  // namespace
}  // namespace hop::store
