// hop.v1.Federation on the federation port: serves each configured peer its own change feed
// (casework/RecordStore::ScanFeed) in batches. Only node certificates of configured peers are
// served (PERMISSION_DENIED otherwise; UNAUTHENTICATED for revoked certificates).
// Thread-safe; borrowed pointers must outlive the service.
#ifndef HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_
#define HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_

#include <set>
#include <string>

#include "daemon/casework/record_store.h"
#include "daemon/security/peer_identity.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {

// Entries per streamed batch: far below gRPC's 4 MiB message limit for summaries.
inline constexpr int kPullBatchEntries = 500;

class FederationService final : public hop::v1::Federation::Service {
 public:
  FederationService(std::set<std::string> peers, const security::PeerAuthenticator* authenticator,
                    const casework::RecordStore* records)
      : peers_(std::move(peers)), authenticator_(authenticator), records_(records) {}

  grpc::Status Pull(grpc::ServerContext* context, const hop::v1::PullRequest* request,
                    grpc::ServerWriter<hop::v1::PullBatch>* writer) override;

 private:
  const std::set<std::string> peers_;
  const security::PeerAuthenticator* const authenticator_;
  const casework::RecordStore* const records_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_FEDERATION_SERVICE_H_
