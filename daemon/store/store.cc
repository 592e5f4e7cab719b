#include "daemon/store/store.h"

#include <filesystem>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/backup_engine.h"
#include "rocksdb/write_batch.h"

namespace hop::store {
namespace {

constexpr const char* kFamilyNames[kFamilyCount] = {
    "cases", "consents", "directory", "replicas", "feeds", "sync_state", "audit", "users", "meta"};

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(msg, " (is another hopd using this data_dir?)"));
  }
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

}  // namespace

const char* FamilyName(Family family) { return kFamilyNames[static_cast<int>(family)]; }

struct WriteBatch::Rep {
  rocksdb::WriteBatch batch;
  const std::vector<rocksdb::ColumnFamilyHandle*>* handles;  // owned by the Store
  rocksdb::Status status;  // first error while building, reported by Store::Write
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return (*handles)[static_cast<int>(f)]; }
};

WriteBatch::WriteBatch(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::Put(Family family, absl::string_view key, absl::string_view value) {
  rocksdb::Status s = rep_->batch.Put(rep_->cf(family), rocksdb::Slice(key.data(), key.size()),
                                      rocksdb::Slice(value.data(), value.size()));
  if (rep_->status.ok()) rep_->status = s;
}

void WriteBatch::Delete(Family family, absl::string_view key) {
  rocksdb::Status s = rep_->batch.Delete(rep_->cf(family), rocksdb::Slice(key.data(), key.size()));
  if (rep_->status.ok()) rep_->status = s;
}

int WriteBatch::Count() const { return static_cast<int>(rep_->batch.Count()); }

struct Snapshot::Rep {
  rocksdb::DB* db;
  const rocksdb::Snapshot* snapshot;
  ~Rep() { db->ReleaseSnapshot(snapshot); }
};

Snapshot::Snapshot(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Snapshot::~Snapshot() = default;

namespace {
rocksdb::ReadOptions ReadAt(const Snapshot::Rep* snapshot) {
  rocksdb::ReadOptions options;
  if (snapshot != nullptr) options.snapshot = snapshot->snapshot;
  return options;
}
}  // namespace

struct Store::Rep {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // index = Family
  ~Rep() {
    for (auto* h : handles) {
      if (db != nullptr) db->DestroyColumnFamilyHandle(h);
    }
  }
  rocksdb::ColumnFamilyHandle* cf(Family f) const { return handles[static_cast<int>(f)]; }
};

Store::Store(std::unique_ptr<Rep> rep, std::string path)
    : rep_(std::move(rep)), path_(std::move(path)) {}
Store::~Store() = default;

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const Options& options) {
  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  std::vector<rocksdb::ColumnFamilyDescriptor> families;
  families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  // Bloom filters: the receiver looks up many keys it does not hold yet.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  for (const char* name : kFamilyNames) families.emplace_back(name, family_options);
  auto rep = std::make_unique<Rep>();
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, families, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening store ", options.path));
  rep->db.reset(raw);
  raw->DestroyColumnFamilyHandle(handles[0]);  // default family: unused
  rep->handles.assign(handles.begin() + 1, handles.end());
  return std::unique_ptr<Store>(new Store(std::move(rep), options.path));
}

std::unique_ptr<Snapshot> Store::GetSnapshot() const {
  auto rep = std::make_unique<Snapshot::Rep>();
  rep->db = rep_->db.get();
  rep->snapshot = rep_->db->GetSnapshot();
  return std::unique_ptr<Snapshot>(new Snapshot(std::move(rep)));
}

absl::StatusOr<std::optional<std::string>> Store::Get(Family family, absl::string_view key,
                                                      const Snapshot* snapshot) const {
  std::string value;
  rocksdb::Status s =
      rep_->db->Get(ReadAt(snapshot == nullptr ? nullptr : snapshot->rep_.get()), rep_->cf(family),
                    rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, absl::StrCat("reading ", FamilyName(family)));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    Family family, const std::vector<std::string>& keys) const {
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  rep_->db->MultiGet(rocksdb::ReadOptions(), rep_->cf(family), keys.size(), slices.data(),
                     values.data(), statuses.data());
  std::vector<std::optional<std::string>> out(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    if (statuses[i].IsNotFound()) continue;
    if (!statuses[i].ok())
      return FromRocks(statuses[i], absl::StrCat("reading ", FamilyName(family)));
    out[i] = values[i].ToString();
  }
  return out;
}

WriteBatch Store::NewBatch() const {
  auto rep = std::make_unique<WriteBatch::Rep>();
  rep->handles = &rep_->handles;
  return WriteBatch(std::move(rep));
}

absl::Status Store::Write(WriteBatch& batch) {
  if (batch.rep_->handles != &rep_->handles) {
    return absl::InternalError("write batch made by another store");
  }
  if (!batch.rep_->status.ok()) return FromRocks(batch.rep_->status, "building write batch");
  if (batch.rep_->batch.Count() == 0) return absl::OkStatus();
  rocksdb::WriteOptions write_options;
  write_options.sync = true;
  return FromRocks(rep_->db->Write(write_options, &batch.rep_->batch), "writing batch");
}

absl::Status Store::Scan(Family family, absl::string_view prefix, absl::string_view start,
                         const std::function<bool(absl::string_view, absl::string_view)>& fn,
                         const Snapshot* snapshot) const {
  rocksdb::ReadOptions read_options = ReadAt(snapshot == nullptr ? nullptr : snapshot->rep_.get());
  std::unique_ptr<rocksdb::Iterator> it(rep_->db->NewIterator(read_options, rep_->cf(family)));
  const absl::string_view seek = start > prefix ? start : prefix;
  for (it->Seek(rocksdb::Slice(seek.data(), seek.size())); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!fn(key, absl::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), absl::StrCat("scanning ", FamilyName(family)));
}

uint64_t Store::ApproximateBytes(Family family) const {
  uint64_t sst = 0, mem = 0;
  rep_->db->GetIntProperty(rep_->cf(family), rocksdb::DB::Properties::kTotalSstFilesSize, &sst);
  rep_->db->GetIntProperty(rep_->cf(family), rocksdb::DB::Properties::kCurSizeAllMemTables, &mem);
  return sst + mem;
}

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

absl::StatusOr<Store::BackupInfo> Store::Backup(const std::string& backup_dir, uint32_t keep) {
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<rocksdb::BackupEngine> engine, OpenBackupEngine(backup_dir));
  rocksdb::BackupID id = 0;
  // flush_before_backup: the memtables go into SST files first, so the backup holds every
  // write acknowledged before it started (the WAL is not needed to restore it).
  rocksdb::CreateBackupOptions create;
  create.flush_before_backup = true;
  HOP_RETURN_IF_ERROR(
      FromRocks(engine->CreateNewBackup(create, rep_->db.get(), &id), "creating a backup"));
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
