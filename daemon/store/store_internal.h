// Internals of Store shared by its source files (store.cc: open, reads, writes, recovery;
// store_backup.cc: backups and restores; store_erasure.cc: erasure of deleted data). Only
// daemon/store/ includes this header (it includes rocksdb/*).
#ifndef HOP_DAEMON_STORE_STORE_INTERNAL_H_
#define HOP_DAEMON_STORE_STORE_INTERNAL_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "rocksdb/db.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"

namespace hop::store {
namespace internal {

// rocksdb::Status as absl::Status, `what` naming the operation (see store.h for the codes).
absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what);

// Keeps the newest hard background error until the store recovers, and turns RocksDB's
// automatic recovery (DB::Resume, unsafe in 7.8: see store.h) off for hard errors. Called on
// RocksDB's threads, with its mutex held: it only takes its own.
class ErrorListener : public rocksdb::EventListener {
 public:
  void OnBackgroundError(rocksdb::BackgroundErrorReason, rocksdb::Status* error) override {
    if (error->severity() < rocksdb::Status::Severity::kHardError) return;
    absl::MutexLock lock(&mu_);
    error_ = *error;
  }
  void OnErrorRecoveryBegin(rocksdb::BackgroundErrorReason, rocksdb::Status error,
                            bool* auto_recovery) override {
    if (error.severity() >= rocksdb::Status::Severity::kHardError) *auto_recovery = false;
    error.PermitUncheckedError();
  }
  rocksdb::Status error() const {
    absl::MutexLock lock(&mu_);
    return error_;
  }
  void Clear() {
    absl::MutexLock lock(&mu_);
    error_ = rocksdb::Status::OK();
  }

 private:
  mutable absl::Mutex mu_;
  rocksdb::Status error_ ABSL_GUARDED_BY(mu_);
};

// Meta keys of the erasure state.
inline constexpr char kErasurePendingKey[] = "erasure_pending_since";
inline constexpr char kErasureLastKey[] = "erasure_last";
// The staging directory of a backup, inside the data directory.
inline constexpr char kBackupStaging[] = "backup-staging";

}  // namespace internal

// One open RocksDB; shared by the calls using it, closed when the last reference goes.
struct Store::Instance {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // index = Family
  ~Instance() {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  }
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles[static_cast<int>(f)]; }
};

struct WriteBatch::Rep {
  struct Op {
    Family family;
    bool del;
    std::string key;
    std::string value;
  };
  const void* owner;  // the Store::Rep that made it
  std::vector<Op> ops;
  bool erases = false;  // MarkErasure was called
};

struct Snapshot::Rep {
  std::shared_ptr<Store::Instance> instance;  // null: taken while the store was closed
  const rocksdb::Snapshot* snapshot = nullptr;
  ~Rep() {
    if (instance != nullptr) instance->db->ReleaseSnapshot(snapshot);
  }
};

struct Store::Rep {
  Options options;
  rocksdb::DBOptions db_options;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  std::shared_ptr<internal::ErrorListener> listener;

  absl::Mutex recovery_mu;  // one recovery at a time; taken before mu
  mutable absl::Mutex mu;
  std::shared_ptr<Instance> instance ABSL_GUARDED_BY(mu);  // null while closed
  bool recovering ABSL_GUARDED_BY(mu) = false;
  rocksdb::Status write_error ABSL_GUARDED_BY(mu);  // the last failed write since recovery
  absl::Time last_recovery ABSL_GUARDED_BY(mu) = absl::InfinitePast();

  // Erasure (store.h). erase_mu may be held while taking mu (Acquire), never the reverse.
  RealClock real_clock;
  const Clock* clock = nullptr;  // options.clock or real_clock
  absl::Mutex backup_mu;         // one Backup at a time (one staging directory)
  absl::Mutex erasing_mu;        // one EraseDeleted at a time
  mutable absl::Mutex erase_mu;
  int64_t pending_since ABSL_GUARDED_BY(erase_mu) = 0;      // 0 = nothing pending
  uint64_t erase_generation ABSL_GUARDED_BY(erase_mu) = 0;  // erasing writes so far
  int64_t last_erasure ABSL_GUARDED_BY(erase_mu) = 0;

  static bool NotRecovering(Rep* r) ABSL_NO_THREAD_SAFETY_ANALYSIS { return !r->recovering; }
  absl::StatusOr<std::shared_ptr<Instance>> OpenInstance() const;
  // Why the store cannot write now, or OK.
  rocksdb::Status WriteError() const;
  // Closes and reopens RocksDB if it cannot write (see store.h). OK when it can write after.
  absl::Status Recover();
  // Reads the erasure state kept in meta (at open).
  absl::Status LoadErasureState(const Instance& instance);
};

}  // namespace hop::store

#endif  // HOP_DAEMON_STORE_STORE_INTERNAL_H_
