// `hopd --config FILE --restore [--backup_id N]`: puts a backup taken by `hopctl admin backup`
// back as the node's store, offline (hopd not running). The data_dir must not hold a store
// (move the broken one aside). The restored store then takes a new epoch, in one audited
// write, so every peer drops what it held from this node and pulls it again from the start,
// and this node's changes made after the backup, which are lost, cannot linger at the peers
// (DESIGN.md "epoch"). The same write drops every copy held from other municipalities and
// every pull position: the restored node shows no copy until it has pulled that origin again
// from zero (issue 11).
#ifndef HOP_DAEMON_API_RESTORE_H_
#define HOP_DAEMON_API_RESTORE_H_

#include <string>

#include "absl/status/statusor.h"
#include "daemon/base/clock.h"
#include "hop/v1/config.pb.h"

namespace hop::api {

// Restores backup `backup_id` (0 = the newest) from config.backup_dir into config.data_dir;
// returns a line for the operator (backup id and time, the new epoch). Errors name the
// directory and what to do.
absl::StatusOr<std::string> RestoreFromBackup(const hop::v1::NodeConfig& config, uint32_t backup_id,
                                              const Clock* clock);

}  // namespace hop::api

#endif  // HOP_DAEMON_API_RESTORE_H_
