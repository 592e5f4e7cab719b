// Who is calling: the authenticated principal of a gRPC call, from its TLS peer certificate.
// The certificate chain was verified by the TLS handshake (mTLS against the federation CA);
// this adds, on every call (so an open connection or a resumed TLS session cannot outlive the
// certificate), the checks of cert_checks.h for a client: validity against the node's clock,
// end-entity, exactly one URI SAN, clientAuth usage, not revoked; then the SPIFFE identity.
// Thread-safe.
#ifndef HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
#define HOP_DAEMON_SECURITY_PEER_IDENTITY_H_

#include <memory>

#include "absl/status/statusor.h"
#include "daemon/base/clock.h"
#include "daemon/security/crl.h"
#include "daemon/security/identity.h"
#include "grpcpp/server_context.h"

namespace hop::security {

class PeerAuthenticator {
 public:
  // `crl` and `clock` must outlive the authenticator. `require_fresh_crl`: refuse every call
  // while the CRL is stale (CrlSource::CheckFresh); set for the federation port.
  PeerAuthenticator(const CrlSource* crl, const Clock* clock, bool require_fresh_crl = false)
      : crl_(crl), clock_(clock), require_fresh_crl_(require_fresh_crl) {}

  // The caller's principal. UNAUTHENTICATED (absl::UnauthenticatedError) naming the reason
  // when the call has no verified peer certificate, the certificate fails a check above, or
  // its URI SAN is not a hop identity. FAILED_PRECONDITION (CheckFresh's message) when
  // `require_fresh_crl` and the CRL is stale.
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

 private:
  const CrlSource* const crl_;
  const Clock* const clock_;
  const bool require_fresh_crl_;
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
