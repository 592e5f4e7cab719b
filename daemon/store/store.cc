#include "daemon/store/store.h"

#include <cstdarg>
#include <cstdio>
#include <filesystem>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/store/store_internal.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/listener.h"
#include "rocksdb/options.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"

namespace hop::store {

using internal::FromRocks;

namespace {

constexpr const char* kFamilyNames[kFamilyCount] = {
    "cases", "consents", "directory", "replicas", "feeds", "sync_state", "audit", "users", "meta"};

// Errors after which the store cannot write until it recovers (a reopen).
bool CannotWrite(const rocksdb::Status& s) {
  return s.IsIOError() || s.severity() >= rocksdb::Status::Severity::kHardError;
}

std::string CannotWriteMessage(const rocksdb::Status& s, const std::string& path) {
  if (s.IsNoSpace() || s.subcode() == rocksdb::Status::SubCode::kSpaceLimit) {
    return absl::StrCat("the store cannot write: no space left on device in ", path,
                        "; free space there and writes resume without a restart");
  }
  return absl::StrCat("the store cannot write: ", s.ToString(), " (data directory ", path,
                      "); fix the cause and writes resume without a restart");
}

// RocksDB's info log, warnings and errors only, into hopd's log: no LOG file in the data
// directory (see store.h).
class HopLogger : public rocksdb::Logger {
 public:
  HopLogger() : rocksdb::Logger(rocksdb::InfoLogLevel::WARN_LEVEL) {}
  using rocksdb::Logger::Logv;
  void Logv(const char* format, va_list ap) override {
    char line[1024];
    vsnprintf(line, sizeof(line), format, ap);
    std::string text(absl::StripTrailingAsciiWhitespace(line));
    if (absl::StartsWith(text, "[ERROR]") || absl::StartsWith(text, "[FATAL]")) {
      LogError("store", "rocksdb", {{"message", std::move(text)}});
    } else {
      LogWarning("store", "rocksdb", {{"message", std::move(text)}});
    }
  }
};

}  // namespace

absl::Status internal::FromRocks(const rocksdb::Status& s, absl::string_view what) {
  if (s.ok()) return absl::OkStatus();
  std::string msg = absl::StrCat(what, ": ", s.ToString());
  if (s.IsNoSpace()) return absl::UnavailableError(msg);
  if (s.IsIOError() && s.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(
        absl::StrCat(msg, " (is another hopd using this data_dir?)"));
  }
  if (s.IsCorruption()) return absl::DataLossError(msg);
  if (s.IsBusy() || s.IsTryAgain() || s.IsTimedOut()) return absl::UnavailableError(msg);
  return absl::InternalError(msg);
}

const char* FamilyName(Family family) { return kFamilyNames[static_cast<int>(family)]; }

bool HoldsPersonalData(Family family) {
  switch (family) {
    case Family::kCases:
    case Family::kConsents:
    case Family::kDirectory:
    case Family::kReplicas:
    case Family::kFeeds:
    case Family::kUsers:
      return true;
    case Family::kSyncState:
    case Family::kAudit:
    case Family::kMeta:
      return false;
  }
  return true;
}

WriteBatch::WriteBatch(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;

void WriteBatch::Put(Family family, absl::string_view key, absl::string_view value) {
  rep_->ops.push_back({family, false, std::string(key), std::string(value)});
}

void WriteBatch::Delete(Family family, absl::string_view key) {
  rep_->ops.push_back({family, true, std::string(key), ""});
}

void WriteBatch::MarkErasure() { rep_->erases = true; }

int WriteBatch::Count() const { return static_cast<int>(rep_->ops.size()); }

Snapshot::Snapshot(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
Snapshot::~Snapshot() = default;

absl::StatusOr<std::shared_ptr<Store::Instance>> Store::Rep::OpenInstance() const {
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, options.path, families, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening store ", options.path));
  auto instance = std::make_shared<Instance>();
  instance->db.reset(raw);
  raw->DestroyColumnFamilyHandle(handles[0]);  // default family: unused
  instance->handles.assign(handles.begin() + 1, handles.end());
  return instance;
}

rocksdb::Status Store::Rep::WriteError() const {
  rocksdb::Status background = listener->error();
  absl::MutexLock lock(&mu);
  if (!write_error.ok()) return write_error;
  if (!background.ok()) return background;
  if (instance == nullptr) return rocksdb::Status::IOError("the store is closed");
  return rocksdb::Status::OK();
}

absl::Status Store::Rep::Recover() {
  absl::MutexLock one(&recovery_mu);
  rocksdb::Status error = WriteError();
  if (error.ok()) return absl::OkStatus();  // recovered meanwhile
  const std::string why = CannotWriteMessage(error, options.path);
  std::error_code ec;
  const std::filesystem::space_info space = std::filesystem::space(options.path, ec);
  std::shared_ptr<Instance> old;
  {
    absl::MutexLock lock(&mu);
    const absl::Time now = absl::Now();
    if (now - last_recovery < options.recovery_interval || ec ||
        space.available < options.recovery_min_free_bytes) {
      return absl::UnavailableError(why);
    }
    last_recovery = now;
    recovering = true;
    old = std::move(instance);
  }
  // Wait for the calls, iterators and snapshots using the old instance to let go of it.
  for (int i = 0; old != nullptr && old.use_count() > 1 && i < 200; ++i) {
    absl::SleepFor(absl::Milliseconds(10));
  }
  absl::MutexLock lock(&mu);
  if (old != nullptr && old.use_count() > 1) {
    instance = std::move(old);
    recovering = false;
    return absl::UnavailableError(why);
  }
  LogWarning("store", "reopening the store after a write error",
             {{"path", options.path}, {"error", error.ToString()}});
  old.reset();  // closes RocksDB
  absl::StatusOr<std::shared_ptr<Instance>> reopened = OpenInstance();
  recovering = false;
  if (!reopened.ok()) {
    LogError("store", "cannot reopen the store", {{"error", reopened.status().ToString()}});
    return absl::UnavailableError(why);
  }
  instance = *std::move(reopened);
  write_error = rocksdb::Status::OK();
  listener->Clear();
  LogInfo("store", "the store writes again", {{"path", options.path}});
  return absl::OkStatus();
}

Store::Store(std::unique_ptr<Rep> rep, std::string path)
    : rep_(std::move(rep)), path_(std::move(path)) {}
Store::~Store() = default;

absl::StatusOr<std::unique_ptr<Store>> Store::Open(const Options& options) {
  auto rep = std::make_unique<Rep>();
  rep->options = options;
  rep->listener = std::make_shared<internal::ErrorListener>();
  rocksdb::DBOptions& db_options = rep->db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.listeners.push_back(rep->listener);
  db_options.info_log = std::make_shared<HopLogger>();
  // Erasure (store.h): a WAL file is deleted once obsolete, never archived or reused.
  db_options.recycle_log_file_num = 0;
  db_options.WAL_ttl_seconds = 0;
  db_options.WAL_size_limit_MB = 0;
  rep->clock = options.clock != nullptr ? options.clock : &rep->real_clock;
  // A backup's staging image left by a crash holds what backups leave out: remove it.
  std::error_code ec;
  std::filesystem::remove_all(std::filesystem::path(options.path) / internal::kBackupStaging, ec);
  rep->families.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());
  // Bloom filters: the receiver looks up many keys it does not hold yet.
  rocksdb::BlockBasedTableOptions table_options;
  table_options.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions family_options;
  family_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table_options));
  for (const char* name : kFamilyNames) rep->families.emplace_back(name, family_options);
  HOP_ASSIGN_OR_RETURN(std::shared_ptr<Instance> instance, rep->OpenInstance());
  HOP_RETURN_IF_ERROR(rep->LoadErasureState(*instance));
  {
    absl::MutexLock lock(&rep->mu);
    rep->instance = std::move(instance);
  }
  return std::unique_ptr<Store>(new Store(std::move(rep), options.path));
}

absl::StatusOr<std::shared_ptr<Store::Instance>> Store::Acquire() const {
  for (int attempt = 0;; ++attempt) {
    {
      absl::MutexLock lock(&rep_->mu);
      rep_->mu.Await(absl::Condition(&Rep::NotRecovering, rep_.get()));
      if (rep_->instance != nullptr) return rep_->instance;
    }
    absl::Status recovered = rep_->Recover();
    if (!recovered.ok() || attempt > 0) {
      return recovered.ok() ? absl::UnavailableError("the store is closed") : recovered;
    }
  }
}

std::unique_ptr<Snapshot> Store::GetSnapshot() const {
  auto rep = std::make_unique<Snapshot::Rep>();
  if (absl::StatusOr<std::shared_ptr<Instance>> instance = Acquire(); instance.ok()) {
    rep->instance = *std::move(instance);
    rep->snapshot = rep->instance->db->GetSnapshot();
  }
  return std::unique_ptr<Snapshot>(new Snapshot(std::move(rep)));
}

namespace {

absl::StatusOr<std::pair<std::shared_ptr<Store::Instance>, rocksdb::ReadOptions>> ReadAt(
    const Snapshot::Rep* snapshot,
    const std::function<absl::StatusOr<std::shared_ptr<Store::Instance>>()>& acquire) {
  rocksdb::ReadOptions options;
  if (snapshot == nullptr) {
    HOP_ASSIGN_OR_RETURN(std::shared_ptr<Store::Instance> instance, acquire());
    return std::make_pair(std::move(instance), options);
  }
  if (snapshot->instance == nullptr) {
    return absl::UnavailableError("the store was closed when this read began; retry");
  }
  options.snapshot = snapshot->snapshot;
  return std::make_pair(snapshot->instance, options);
}

}  // namespace

absl::StatusOr<std::optional<std::string>> Store::Get(Family family, absl::string_view key,
                                                      const Snapshot* snapshot) const {
  HOP_ASSIGN_OR_RETURN(auto at, ReadAt(snapshot == nullptr ? nullptr : snapshot->rep_.get(),
                                       [this] { return Acquire(); }));
  std::string value;
  rocksdb::Status s = at.first->db->Get(at.second, at.first->cf(family),
                                        rocksdb::Slice(key.data(), key.size()), &value);
  if (s.IsNotFound()) return std::optional<std::string>();
  if (!s.ok()) return FromRocks(s, absl::StrCat("reading ", FamilyName(family)));
  return std::optional<std::string>(std::move(value));
}

absl::StatusOr<std::vector<std::optional<std::string>>> Store::MultiGet(
    Family family, const std::vector<std::string>& keys) const {
  HOP_ASSIGN_OR_RETURN(std::shared_ptr<Instance> instance, Acquire());
  std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(keys.size());
  std::vector<rocksdb::Status> statuses(keys.size());
  instance->db->MultiGet(rocksdb::ReadOptions(), instance->cf(family), keys.size(), slices.data(),
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
  rep->owner = rep_.get();
  return WriteBatch(std::move(rep));
}

absl::Status Store::Write(WriteBatch& batch) {
  if (batch.rep_->owner != rep_.get()) {
    return absl::InternalError("write batch made by another store");
  }
  if (batch.rep_->ops.empty()) return absl::OkStatus();
  bool erases = batch.rep_->erases;
  for (const WriteBatch::Rep::Op& op : batch.rep_->ops)
    erases |= op.del && HoldsPersonalData(op.family);
  // An erasing write marks the store erasure-pending in the same atomic write (store.h); the
  // generation tells a concurrent EraseDeleted that it must not clear the mark.
  bool mark = false;
  const int64_t now = rep_->clock->NowUnix();
  if (erases) {
    absl::MutexLock lock(&rep_->erase_mu);
    ++rep_->erase_generation;
    mark = rep_->pending_since == 0;
  }
  rocksdb::WriteOptions write_options;
  write_options.sync = true;  // durable before acknowledged
  for (int attempt = 0;; ++attempt) {
    HOP_ASSIGN_OR_RETURN(std::shared_ptr<Instance> instance, Acquire());
    rocksdb::WriteBatch rocks_batch;
    for (const WriteBatch::Rep::Op& op : batch.rep_->ops) {
      const rocksdb::Slice key(op.key.data(), op.key.size());
      rocksdb::Status built =
          op.del ? rocks_batch.Delete(instance->cf(op.family), key)
                 : rocks_batch.Put(instance->cf(op.family), key,
                                   rocksdb::Slice(op.value.data(), op.value.size()));
      if (!built.ok()) return FromRocks(built, "building write batch");
    }
    if (mark) {
      rocksdb::Status built = rocks_batch.Put(instance->cf(Family::kMeta),
                                              internal::kErasurePendingKey, absl::StrCat(now));
      if (!built.ok()) return FromRocks(built, "building write batch");
    }
    rocksdb::Status s = instance->db->Write(write_options, &rocks_batch);
    if (s.ok()) {
      if (erases) {
        absl::MutexLock lock(&rep_->erase_mu);
        if (rep_->pending_since == 0) rep_->pending_since = now;
      }
      return absl::OkStatus();
    }
    if (!CannotWrite(s)) return FromRocks(s, "writing batch");
    instance.reset();
    {
      absl::MutexLock lock(&rep_->mu);
      rep_->write_error = s;
    }
    if (attempt > 0 || !rep_->Recover().ok()) {
      return absl::UnavailableError(CannotWriteMessage(s, path_));
    }
  }
}

Store::WriteHealth Store::Health() const {
  if (rep_->WriteError().ok() || rep_->Recover().ok()) return WriteHealth();
  return WriteHealth{false, CannotWriteMessage(rep_->WriteError(), path_)};
}

absl::Status Store::Scan(Family family, absl::string_view prefix, absl::string_view start,
                         const std::function<bool(absl::string_view, absl::string_view)>& fn,
                         const Snapshot* snapshot) const {
  HOP_ASSIGN_OR_RETURN(auto at, ReadAt(snapshot == nullptr ? nullptr : snapshot->rep_.get(),
                                       [this] { return Acquire(); }));
  std::unique_ptr<rocksdb::Iterator> it(at.first->db->NewIterator(at.second, at.first->cf(family)));
  const absl::string_view seek = start > prefix ? start : prefix;
  for (it->Seek(rocksdb::Slice(seek.data(), seek.size())); it->Valid(); it->Next()) {
    const absl::string_view key(it->key().data(), it->key().size());
    if (key.substr(0, prefix.size()) != prefix) break;
    if (!fn(key, absl::string_view(it->value().data(), it->value().size()))) break;
  }
  return FromRocks(it->status(), absl::StrCat("scanning ", FamilyName(family)));
}

uint64_t Store::ApproximateBytes(Family family) const {
  absl::StatusOr<std::shared_ptr<Instance>> instance = Acquire();
  if (!instance.ok()) return 0;
  uint64_t sst = 0, mem = 0;
  rocksdb::DB& db = *(*instance)->db;
  db.GetIntProperty((*instance)->cf(family), rocksdb::DB::Properties::kTotalSstFilesSize, &sst);
  db.GetIntProperty((*instance)->cf(family), rocksdb::DB::Properties::kCurSizeAllMemTables, &mem);
  return sst + mem;
}

}  // namespace hop::store
