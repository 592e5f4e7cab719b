// The node's RocksDB store. The only code in hop that includes rocksdb/* (store.cc); callers
// see absl::Status and plain strings.
//
// Column families, one concern each (DESIGN.md "Storage"): cases, consents, directory,
// replicas, feeds, sync_state, audit, users, meta.
// Every multi-record change goes through one WriteBatch, written atomically and durably
// (WAL fsync before Write returns OK), so a crash leaves either all of it or none, and an
// acknowledged write survives a crash, a full disk and a restart.
//
// A full disk (or another I/O error while writing) does not need a restart. Writes fail with
// Unavailable naming the data directory while the store cannot write; reads go on. The store
// then recovers by itself, at most once per Options::recovery_interval and only once some
// space is free again: on the next Write or Health() it closes RocksDB and opens it again
// (the write-ahead log is replayed: nothing acknowledged is lost) and the writes succeed.
// Why a reopen and not RocksDB's DB::Resume(): in RocksDB 7.8 Resume() keeps writing to the
// log file that failed when the memtables are empty, which fails again, and Debian's build
// (assertions on) aborts the process there (facebook/rocksdb#11643, #12998, fixed in 9.x by
// #12767). RocksDB's own automatic recovery runs Resume(), so it is turned off for hard
// errors; RocksDB's info log goes to hopd's log (warnings and errors) instead of a LOG file
// in the data directory, whose failed writes abort the process the same way.
//
// Erasure (issue 11): a deleted or overwritten value stays in RocksDB's files (the WAL, older
// SST files) until they are rewritten. A write that deletes a key of a family holding
// personal data (cases, consents, directory, replicas, feeds, users: inbox entries live
// there), or whose batch is marked with WriteBatch::MarkErasure, marks the store "erasure
// pending" (meta key "erasure_pending_since", in the same atomic write, so a crash does not
// forget it). EraseDeleted() then removes every such value from the data directory. RocksDB
// is opened so that nothing else keeps old values: no WAL archive or recycling, and no info
// LOG file (see below).
//
// Thread-safety: Store is safe for concurrent use. WriteBatch is not; use one per thread.
// Read-modify-write sequences need external serialization (see casework/RecordStore).
// A recovery waits (up to a few seconds) for calls in flight, iterators and Snapshots to
// finish, and calls made meanwhile wait for it; hold a Snapshot only as long as needed.
#ifndef HOP_DAEMON_STORE_STORE_H_
#define HOP_DAEMON_STORE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"

namespace hop::store {

enum class Family {
  kCases,
  kConsents,
  kDirectory,
  kReplicas,
  kFeeds,
  kSyncState,
  kAudit,
  kUsers,
  kMeta,
};
inline constexpr int kFamilyCount = 9;

// The RocksDB column family name, e.g. "sync_state".
const char* FamilyName(Family family);

class Store;

// A set of puts and deletes applied atomically by Store::Write. Made by Store::NewBatch and
// valid only with that store (Write refuses another store's batch with Internal).
class WriteBatch {
 public:
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;

  void Put(Family family, absl::string_view key, absl::string_view value);
  void Delete(Family family, absl::string_view key);
  // Marks the batch as overwriting personal data (e.g. a copy replaced by a husk): Write
  // then marks the store erasure-pending as for a delete (see Store).
  void MarkErasure();
  // Number of operations added so far.
  int Count() const;

 private:
  friend class Store;
  struct Rep;
  explicit WriteBatch(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

// Whether `family` holds personal data: deleting from it calls for an erasure.
bool HoldsPersonalData(Family family);

// A consistent point-in-time view for reads (a RocksDB snapshot), released by the destructor.
// Made by Store::GetSnapshot; must not outlive the Store.
class Snapshot {
 public:
  ~Snapshot();
  Snapshot(const Snapshot&) = delete;
  Snapshot& operator=(const Snapshot&) = delete;

  struct Rep;  // opaque: defined in store.cc

 private:
  friend class Store;
  explicit Snapshot(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

class Store {
 public:
  struct Options {
    std::string path;  // directory; created if missing
    // Least time between two attempts to recover from a write error (close and reopen).
    absl::Duration recovery_interval = absl::Seconds(1);
    // Free bytes the data directory's file system needs before a recovery is tried.
    uint64_t recovery_min_free_bytes = 1 << 20;
    // The time of erasure marks (unix seconds); null = the wall clock. Must outlive the store.
    const Clock* clock = nullptr;
  };

  // Whether the store can write, and why not.
  struct WriteHealth {
    bool writable = true;
    std::string error;  // empty when writable; else the same text Write fails with
  };

  // Opens (creating if needed) the store with all column families.
  // Errors: FailedPrecondition if another process holds the store's lock ("already in use");
  // Internal/DataLoss for other RocksDB failures, naming the path.
  static absl::StatusOr<std::unique_ptr<Store>> Open(const Options& options);
  ~Store();

  // An empty batch for this store.
  WriteBatch NewBatch() const;

  // A view of the store as it is now; pass it to Get/Scan to read that view. One taken while
  // the store is closed (a failed recovery) makes those reads fail with Unavailable.
  std::unique_ptr<Snapshot> GetSnapshot() const;

  // Reads (Get, MultiGet, Scan) fail with Unavailable only while the store is closed for a
  // recovery whose reopen failed (it is tried again on the next call after the interval).

  // The value at `key`, or nullopt if absent. Reads `snapshot` when given, else the latest.
  absl::StatusOr<std::optional<std::string>> Get(Family family, absl::string_view key,
                                                 const Snapshot* snapshot = nullptr) const;
  // The values at `keys` (same order), in one batched lookup.
  absl::StatusOr<std::vector<std::optional<std::string>>> MultiGet(
      Family family, const std::vector<std::string>& keys) const;

  // Applies `batch` atomically and durably (fsync'd before OK). An empty batch is a no-op.
  // Errors: Unavailable when the store cannot write, e.g. "the store cannot write: no space
  // left on device in /var/lib/hop; free space there and writes resume without a restart";
  // on a full disk nothing of the batch is written then (after another I/O error, e.g. a
  // failed fsync, it may be). A write that fails this way first tries to recover
  // (see above) and, if that succeeded, is retried once. Internal/DataLoss otherwise.
  absl::Status Write(WriteBatch& batch);

  // Whether the store can write now. When it cannot, first tries to recover (as Write does),
  // so a status or metrics scrape after space was freed shows it writable again even before
  // the next write. Thread-safe; may block for a recovery (a few seconds at most).
  WriteHealth Health() const;

  // Calls `fn(key, value)` for each key that starts with `prefix`, in key order, beginning at
  // the first key >= max(prefix, start). Stops early when `fn` returns false.
  // Borrowed views are valid only during the call. Reads `snapshot` when given.
  absl::Status Scan(Family family, absl::string_view prefix, absl::string_view start,
                    const std::function<bool(absl::string_view key, absl::string_view value)>& fn,
                    const Snapshot* snapshot = nullptr) const;

  // What a backup leaves out: whole families, and keys by prefix.
  struct BackupExclusions {
    std::vector<Family> families;
    std::vector<std::pair<Family, std::string>> prefixes;
  };
  // A consistent backup of the whole store (every family, as of one moment) into the RocksDB
  // BackupEngine directory `backup_dir` (created if missing; files shared between backups),
  // taken while the store serves; then keeps only the newest `keep` backups.
  // Without `leave_out`'s content: the store is checkpointed into <path>/backup-staging
  // (hard links), that image opened, the excluded keys deleted and compacted away, and the
  // image backed up; the staging directory is removed (also at the next Open after a crash).
  // No byte of an excluded value reaches backup_dir.
  struct BackupInfo {
    uint32_t id = 0;
    int64_t timestamp = 0;  // unix seconds
    uint64_t size = 0;      // bytes of this backup's files (shared ones included)
    uint32_t backups_kept = 0;
  };
  absl::StatusOr<BackupInfo> Backup(const std::string& backup_dir, uint32_t keep,
                                    const BackupExclusions& leave_out = {});

  // Restores backup `id` (0 = the newest) of `backup_dir` into `path`, which must not hold a
  // store (FailedPrecondition naming it otherwise); NotFound if there is no such backup.
  static absl::StatusOr<BackupInfo> Restore(const std::string& backup_dir, uint32_t id,
                                            const std::string& path);

  // --- Erasure (see the top of this file) ---
  // When the oldest deletion not yet erased was written (unix seconds); nullopt if none.
  std::optional<int64_t> ErasurePendingSince() const;
  // When EraseDeleted last completed (unix seconds, kept in meta "erasure_last"); 0 = never.
  int64_t LastErasure() const;
  struct ErasureInfo {
    int64_t pending_since = 0;  // what was pending when it began (0 = nothing)
    absl::Duration took;
    uint64_t bytes_after = 0;    // SST bytes of the families compacted, afterwards
    bool still_pending = false;  // a deletion arrived meanwhile: run again
  };
  // Flushes every memtable (so the write-ahead log files that held deleted values become
  // obsolete and are deleted) and compacts every family holding personal data into its
  // bottommost level, dropping deleted and overwritten values; then clears the mark unless
  // another deletion was written meanwhile. One erasure at a time; writes and reads go on.
  // A Snapshot held meanwhile keeps the values it can see: snapshots are short-lived.
  // Errors: Unavailable while the store cannot write; Internal otherwise.
  absl::StatusOr<ErasureInfo> EraseDeleted();

  // Approximate on-disk bytes of one family (SST files + memtables); 0 while closed.
  uint64_t ApproximateBytes(Family family) const;
  const std::string& path() const { return path_; }

  struct Instance;  // opaque: one open RocksDB, defined in store.cc

 private:
  struct Rep;
  explicit Store(std::unique_ptr<Rep> rep, std::string path);
  // The open RocksDB instance (one reference), recovering first if it is closed.
  absl::StatusOr<std::shared_ptr<Instance>> Acquire() const;
  std::unique_ptr<Rep> rep_;
  std::string path_;
};

}  // namespace hop::store

#endif  // HOP_DAEMON_STORE_STORE_H_
