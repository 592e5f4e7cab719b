// Store's erasure of deleted data (store.h, "Erasure"): the mark kept in meta, and
// EraseDeleted (flush every memtable, compact every personal family to its bottommost level).
#include <optional>
#include <string>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/store/store.h"
#include "daemon/store/store_internal.h"

namespace hop::store {
namespace {

// The number stored at meta `key`, or 0 if absent or not a number.
int64_t MetaNumber(const Store::Instance& instance, const char* key) {
  std::string raw;
  int64_t value = 0;
  rocksdb::Status s =
      instance.db->Get(rocksdb::ReadOptions(), instance.cf(Family::kMeta), key, &raw);
  if (s.ok() && !absl::SimpleAtoi(raw, &value)) value = 0;
  return value;
}

}  // namespace

absl::Status Store::Rep::LoadErasureState(const Instance& instance) {
  absl::MutexLock lock(&erase_mu);
  pending_since = MetaNumber(instance, internal::kErasurePendingKey);
  last_erasure = MetaNumber(instance, internal::kErasureLastKey);
  return absl::OkStatus();
}

std::optional<int64_t> Store::ErasurePendingSince() const {
  absl::MutexLock lock(&rep_->erase_mu);
  if (rep_->pending_since == 0) return std::nullopt;
  return rep_->pending_since;
}

int64_t Store::LastErasure() const {
  absl::MutexLock lock(&rep_->erase_mu);
  return rep_->last_erasure;
}

absl::StatusOr<Store::ErasureInfo> Store::EraseDeleted() {
  absl::MutexLock one(&rep_->erasing_mu);
  ErasureInfo info;
  uint64_t generation = 0;
  {
    absl::MutexLock lock(&rep_->erase_mu);
    generation = rep_->erase_generation;
    info.pending_since = rep_->pending_since;
  }
  const absl::Time start = absl::Now();
  HOP_ASSIGN_OR_RETURN(std::shared_ptr<Instance> instance, Acquire());
  rocksdb::DB& db = *instance->db;
  // Every family's memtable into SST files: each WAL file written before is then obsolete
  // and deleted (recycle_log_file_num 0, no WAL archive: see Open).
  rocksdb::FlushOptions flush;
  flush.wait = true;
  flush.allow_write_stall = true;
  HOP_RETURN_IF_ERROR(
      internal::FromRocks(db.Flush(flush, instance->handles), "erasure: flushing memtables"));
  // Rewrite every file of each personal family, bottommost level included: deleted and
  // overwritten values are dropped (no snapshot is held long enough to keep them).
  rocksdb::CompactRangeOptions compact;
  compact.bottommost_level_compaction = rocksdb::BottommostLevelCompaction::kForce;
  compact.exclusive_manual_compaction = false;
  for (int f = 0; f < kFamilyCount; ++f) {
    const auto family = static_cast<Family>(f);
    if (!HoldsPersonalData(family)) continue;
    HOP_RETURN_IF_ERROR(
        internal::FromRocks(db.CompactRange(compact, instance->cf(family), nullptr, nullptr),
                            absl::StrCat("erasure: compacting ", FamilyName(family))));
    uint64_t bytes = 0;
    db.GetIntProperty(instance->cf(family), rocksdb::DB::Properties::kTotalSstFilesSize, &bytes);
    info.bytes_after += bytes;
  }
  instance.reset();
  const int64_t now = rep_->clock->NowUnix();
  absl::MutexLock lock(&rep_->erase_mu);
  info.took = absl::Now() - start;
  if (rep_->erase_generation != generation) {
    info.still_pending = true;  // a deletion was written meanwhile: it may not be erased yet
    return info;
  }
  WriteBatch done = NewBatch();
  done.Delete(Family::kMeta, internal::kErasurePendingKey);
  done.Put(Family::kMeta, internal::kErasureLastKey, absl::StrCat(now));
  HOP_RETURN_IF_ERROR(Write(done));
  rep_->pending_since = 0;
  rep_->last_erasure = now;
  return info;
}

}  // namespace hop::store
