#include "daemon/api/restore.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/api/node.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/replica_store.h"
#include "daemon/store/store.h"

namespace hop::api {

absl::StatusOr<std::string> RestoreFromBackup(const hop::v1::NodeConfig& config, uint32_t backup_id,
                                              const Clock* clock) {
  if (config.backup_dir().empty()) {
    return absl::FailedPreconditionError(
        "backup_dir is not set in the config: there is nothing to restore from");
  }
  HOP_ASSIGN_OR_RETURN(store::Store::BackupInfo info,
                       store::Store::Restore(config.backup_dir(), backup_id, config.data_dir()));
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<store::Store> store,
                       store::Store::Open({config.data_dir()}));
  HOP_ASSIGN_OR_RETURN(security::NodeSecret secret, LoadSecret(config));
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<audit::AuditLog> audit,
                       audit::AuditLog::Open(store.get(), clock, &secret));
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<casework::RecordStore> records,
                       casework::RecordStore::Open(store.get(), config.municipality(), clock));
  const std::string old_epoch = records->epoch();
  // A receiver's side: no copy held in the backup can be vouched for (its origin may have
  // withdrawn it since), so every copy and pull checkpoint goes in the same write; each
  // origin is pulled again from zero at the next sync.
  store::WriteBatch batch = store->NewBatch();
  HOP_ASSIGN_OR_RETURN(uint64_t copies,
                       federation::ReplicaStore(store.get(), &secret).DropAll(batch));
  HOP_ASSIGN_OR_RETURN(uint64_t checkpoints, federation::Puller::ForgetCheckpoints(*store, batch));
  HOP_ASSIGN_OR_RETURN(
      std::string epoch,
      records->RenewEpoch(old_epoch, batch, [&](store::WriteBatch& b, const std::string& renewed) {
        hop::v1::AuditEntry entry;
        entry.set_actor("hopd --restore");
        entry.set_actor_role("system");
        entry.set_actor_municipality(config.municipality());
        entry.set_action("store restored from a backup");
        entry.set_object(absl::StrCat("backup ", info.id, " of ", config.backup_dir(), "; epoch ",
                                      old_epoch, " -> ", renewed));
        entry.set_outcome(absl::StrCat("ok; ", copies, " copies from other municipalities and ",
                                       checkpoints, " pull positions dropped"));
        return audit->Commit(b, {std::move(entry)});
      }));
  return absl::StrCat("restored backup ", info.id, " (taken ",
                      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                       absl::FromUnixSeconds(info.timestamp), absl::UTCTimeZone()),
                      ") into ", config.data_dir(), "; new epoch ", epoch,
                      ": every peer will resync this node from the start. Start hopd now.");
}

}  // namespace hop::api
