#include "daemon/api/restore.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "daemon/audit/audit_log.h"
#include "daemon/base/status_macros.h"
#include "daemon/casework/record_store.h"
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
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<audit::AuditLog> audit,
                       audit::AuditLog::Open(store.get(), clock));
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<casework::RecordStore> records,
                       casework::RecordStore::Open(store.get(), config.municipality(), clock));
  const std::string old_epoch = records->epoch();
  HOP_ASSIGN_OR_RETURN(std::string epoch, records->RenewEpoch(old_epoch));
  hop::v1::AuditEntry entry;
  entry.set_actor("hopd --restore");
  entry.set_actor_role("system");
  entry.set_actor_municipality(config.municipality());
  entry.set_action("store restored from a backup");
  entry.set_object(absl::StrCat("backup ", info.id, " of ", config.backup_dir(), "; epoch ",
                                old_epoch, " -> ", epoch));
  entry.set_outcome("ok");
  HOP_RETURN_IF_ERROR(audit->Record({std::move(entry)}));
  return absl::StrCat("restored backup ", info.id, " (taken ",
                      absl::FormatTime("%Y-%m-%d %H:%M:%S UTC",
                                       absl::FromUnixSeconds(info.timestamp), absl::UTCTimeZone()),
                      ") into ", config.data_dir(), "; new epoch ", epoch,
                      ": every peer will resync this node from the start. Start hopd now.");
}

}  // namespace hop::api
