// Store's backups and restores (store.h): RocksDB's BackupEngine, fed with a checkpoint of
// the store from which what a backup leaves out has been deleted and compacted away.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/store/store.h"
#include "daemon/store/store_internal.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"

namespace hop::store {

using internal::FromRocks;

namespace {

absl::StatusOr<std::unique_ptr<rocksdb::BackupEngine>> OpenBackupEngine(const std::string& dir) {
  rocksdb::BackupEngine* engine = nullptr;
  rocksdb::BackupEngineOptions options(dir);
  options.sync = true;  // every backup file fsync'd: a backup survives a crash right after
  HOP_RETURN_IF_ERROR(
      FromRocks(rocksdb::BackupEngine::Open(rocksdb::Env::Default(), options, &engine),
                absl::StrCat("backup directory ", dir)));
  return std::unique_ptr<rocksdb::BackupEngine>(engine);
}

Store::BackupInfo InfoOf(const rocksdb::BackupInfo& b) {
  Store::BackupInfo info;
  info.id = b.backup_id;
  info.timestamp = b.timestamp;
  info.size = b.size;
  return info;
}

}  // namespace

namespace {

// Deletes every key of `family` starting with `prefix` in `db`; then flushes and compacts
// the family to its bottommost level, so none of their values is left in its files.
absl::Status DeleteAndCompact(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf,
                              const std::string& prefix) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), cf));
  rocksdb::WriteBatch batch;
  for (it->Seek(prefix); it->Valid() && it->key().starts_with(prefix); it->Next()) {
    HOP_RETURN_IF_ERROR(FromRocks(batch.Delete(cf, it->key()), "backup: leaving out"));
  }
  HOP_RETURN_IF_ERROR(FromRocks(it->status(), "backup: reading the staging image"));
  it.reset();
  HOP_RETURN_IF_ERROR(FromRocks(db.Write(rocksdb::WriteOptions(), &batch), "backup: leaving out"));
  HOP_RETURN_IF_ERROR(FromRocks(db.Flush(rocksdb::FlushOptions(), cf), "backup: flushing"));
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  return FromRocks(db.CompactRange(compact, cf, nullptr, nullptr), "backup: compacting");
}

}  // namespace

absl::StatusOr<Store::BackupInfo> Store::Backup(const std::string& backup_dir, uint32_t keep,
                                                const BackupExclusions& leave_out) {
  absl::MutexLock one(&rep_->backup_mu);
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenBackupEngine(backup_dir));
  const std::string staging = (std::filesystem::path(path_) / internal::kBackupStaging).string();
  std::error_code ec;
  std::filesystem::remove_all(staging, ec);
  {
    // A checkpoint (hard links of the SST files; memtables flushed first) as of one moment.
    HOP_ASSIGN_OR_RETURN(std::shared_ptr<Instance> instance, Acquire());
    rocksdb::Checkpoint* raw = nullptr;
    HOP_RETURN_IF_ERROR(
        FromRocks(rocksdb::Checkpoint::Create(instance->db.get(), &raw), "backup: checkpoint"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    HOP_RETURN_IF_ERROR(FromRocks(checkpoint->CreateCheckpoint(staging, /*log_size_for_flush=*/0),
                                  absl::StrCat("backup: checkpoint into ", staging)));
  }
  rocksdb::BackupID id = 0;
  absl::Status made = [&]() -> absl::Status {
    rocksdb::DBOptions options = rep_->db_options;
    options.listeners.clear();  // errors of the image are not the store's
    options.create_if_missing = false;
    std::vector<rocksdb::ColumnFamilyHandle*> handles;
    rocksdb::DB* raw = nullptr;
    HOP_RETURN_IF_ERROR(
        FromRocks(rocksdb::DB::Open(options, staging, rep_->families, &handles, &raw),
                  "backup: opening the staging image"));
    Instance image;
    image.db.reset(raw);
    image.handles = handles;  // the default family's handle too; index = Family + 1
    auto cf = [&](Family f) { return handles[static_cast<int>(f) + 1]; };
    for (Family f : leave_out.families) HOP_RETURN_IF_ERROR(DeleteAndCompact(*raw, cf(f), ""));
    for (const auto& [f, prefix] : leave_out.prefixes) {
      HOP_RETURN_IF_ERROR(DeleteAndCompact(*raw, cf(f), prefix));
    }
    // flush_before_backup: the image's memtables go into SST files first, so the backup
    // needs no WAL (whose deletions name only keys).
    rocksdb::CreateBackupOptions create;
    create.flush_before_backup = true;
    return FromRocks(engine->CreateNewBackup(create, raw, &id), "creating a backup");
  }();
  std::filesystem::remove_all(staging, ec);
  HOP_RETURN_IF_ERROR(made);
  if (keep > 0)
    HOP_RETURN_IF_ERROR(FromRocks(engine->PurgeOldBackups(keep), "purging old backups"));
  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  BackupInfo info;
  for (const rocksdb::BackupInfo& b : all) {
    if (b.backup_id == id) info = InfoOf(b);
  }
  info.backups_kept = static_cast<uint32_t>(all.size());
  return info;
}

absl::StatusOr<Store::BackupInfo> Store::Restore(const std::string& backup_dir, uint32_t id,
                                                 const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path + "/CURRENT", ec)) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " already holds a store; move it aside first (it is not overwritten)"));
  }
  if (!std::filesystem::exists(backup_dir, ec)) {
    return absl::NotFoundError(absl::StrCat("backup directory ", backup_dir, " does not exist"));
  }
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenBackupEngine(backup_dir));
  std::vector<rocksdb::BackupInfo> all;
  engine->GetBackupInfo(&all);
  const rocksdb::BackupInfo* chosen = nullptr;
  for (const rocksdb::BackupInfo& b : all) {
    if ((id == 0 && (chosen == nullptr || b.backup_id > chosen->backup_id)) || b.backup_id == id) {
      chosen = &b;
    }
  }
  if (chosen == nullptr) {
    return absl::NotFoundError(id == 0 ? absl::StrCat("no backup in ", backup_dir)
                                       : absl::StrCat("no backup ", id, " in ", backup_dir));
  }
  HOP_RETURN_IF_ERROR(
      FromRocks(engine->VerifyBackup(chosen->backup_id, /*verify_with_checksum=*/true),
                absl::StrCat("verifying backup ", chosen->backup_id)));
  HOP_RETURN_IF_ERROR(
      FromRocks(engine->RestoreDBFromBackup(chosen->backup_id, path, path),
                absl::StrCat("restoring backup ", chosen->backup_id, " into ", path)));
  return InfoOf(*chosen);
}

}  // namespace hop::store
