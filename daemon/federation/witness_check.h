// Asks every configured peer, in parallel with one deadline, for the newest head of this
// node's audit log that it witnessed (hop.v1.Federation/Witness), and checks those heads
// against the local chain: a chain whose entries were altered and re-hashed checks out on its
// own, but not against what the peers saw. Used by `hopctl audit verify`. Thread-safe.
#ifndef HOP_DAEMON_FEDERATION_WITNESS_CHECK_H_
#define HOP_DAEMON_FEDERATION_WITNESS_CHECK_H_

#include <string>
#include <vector>

#include "daemon/audit/audit_log.h"
#include "daemon/casework/record_store.h"
#include "daemon/federation/peer_channels.h"
#include "daemon/federation/puller.h"
#include "hop/v1/audit.pb.h"

namespace hop::federation {

class WitnessCheck {
 public:
  // `channels`, `log` and `records` must outlive the WitnessCheck.
  WitnessCheck(PeerTransport* channels, std::vector<PeerEndpoint> peers, const audit::AuditLog* log,
               const casework::RecordStore* records)
      : channels_(channels), peers_(std::move(peers)), log_(log), records_(records) {}

  // Adds the peers' witnessed heads to `result` (an intact local verification): counts the
  // matching ones, lists the peers that could not be asked, and marks `result` broken at a
  // witnessed entry whose hash differs, or that the log no longer has. Heads witnessed in
  // another epoch (before a restore from backup) are not compared: the peer renews them at
  // its next pull.
  void Check(hop::v1::VerifyAuditResponse& result) const;

 private:
  PeerTransport* const channels_;
  const std::vector<PeerEndpoint> peers_;
  const audit::AuditLog* const log_;
  const casework::RecordStore* const records_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_WITNESS_CHECK_H_
