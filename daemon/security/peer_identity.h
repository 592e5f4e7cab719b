// Who is calling: the authenticated principal of a gRPC call, from its TLS peer certificate.
// The certificate chain was verified by the TLS handshake (mTLS against the federation CA);
// this adds the SPIFFE identity and the revocation check.
// Thread-safe.
#ifndef HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
#define HOP_DAEMON_SECURITY_PEER_IDENTITY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "daemon/security/crl.h"
#include "daemon/security/identity.h"
#include "grpcpp/server_context.h"

namespace hop::security {

class PeerAuthenticator {
 public:
  // `crl` must outlive the authenticator.
  explicit PeerAuthenticator(const CrlSource* crl) : crl_(crl) {}

  // The caller's principal. UNAUTHENTICATED (absl::UnauthenticatedError) when the call has no
  // verified peer certificate, its URI SAN is not a hop identity, or the CRL lists it.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

 private:
  const CrlSource* const crl_;
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
