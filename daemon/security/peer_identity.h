// Who is calling: the authenticated principal of a gRPC call, from its TLS peer certificate.
// The certificate chain was verified by the TLS handshake (mTLS against the federation CA);
// this adds the SPIFFE identity and the revocation check.
// Thread-safe: Authenticate may run on any number of threads while Reload swaps the CRL.
#ifndef HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
#define HOP_DAEMON_SECURITY_PEER_IDENTITY_H_

#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/security/crl.h"
#include "daemon/security/identity.h"
#include "grpcpp/server_context.h"

namespace hop::security {

class PeerAuthenticator {
 public:
  explicit PeerAuthenticator(std::shared_ptr<const RevocationList> crl) : crl_(std::move(crl)) {}

  // The caller's principal. UNAUTHENTICATED (absl::UnauthenticatedError) when the call has no
  // verified peer certificate, its URI SAN is not a hop identity, or the CRL lists it.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

  // Replaces the CRL used for later calls.
  void Reload(std::shared_ptr<const RevocationList> crl);

 private:
  mutable absl::Mutex mu_;
  std::shared_ptr<const RevocationList> crl_ ABSL_GUARDED_BY(mu_);
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
