// Who is calling: the authenticated principal of a gRPC call, from its TLS peer certificate.
// The certificate chain was verified by the TLS handshake (mTLS against the federation CA);
// this adds, on every call (so an open connection or a resumed TLS session cannot outlive the
// certificate), the checks of cert_checks.h for a client: validity against the node's clock,
// end-entity, exactly one URI SAN, clientAuth usage, not revoked; then the SPIFFE identity.
//
// Console calls (issue 12): the console (console/console_server.h) verifies a person's client
// certificate at its own HTTPS port and makes the staff call over the staff server's
// in-process channel, which has no TLS. Such a call carries the certificate (DER), its kind
// (client_trust.h) and the console's token (random, in memory, per process) as metadata, and
// is authenticated with the same per-call checks: a hop certificate exactly as above, an ID
// card by IdCardIsikukood (the principal then carries id_code; the registry maps it). The
// metadata counts only on a call without a TLS peer, which on the staff server is the
// in-process channel alone (the port takes nothing but mutual TLS).
// Thread-safe.
#ifndef HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
#define HOP_DAEMON_SECURITY_PEER_IDENTITY_H_

#include <openssl/x509.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/base/clock.h"
#include "daemon/security/crl.h"
#include "daemon/security/identity.h"
#include "grpcpp/server_context.h"

namespace hop::security {

// Metadata of a console call (see above).
inline constexpr char kConsoleTokenKey[] = "hop-console-token-bin";
inline constexpr char kConsoleCertKey[] = "hop-console-cert-bin";
inline constexpr char kConsoleKindKey[] = "hop-console-kind";  // ClientCertKindName

class PeerAuthenticator {
 public:
  // `crl` and `clock` must outlive the authenticator. `require_fresh_crl`: refuse every call
  // while the CRL is stale (CrlSource::CheckFresh); set for the federation port.
  // `console_token`: non-empty on the staff server when the console runs (console calls are
  // accepted with it); empty = none accepted.
  PeerAuthenticator(const CrlSource* crl, const Clock* clock, bool require_fresh_crl = false,
                    std::string console_token = "")
      : crl_(crl),
        clock_(clock),
        require_fresh_crl_(require_fresh_crl),
        console_token_(std::move(console_token)) {}

  // The caller's principal. UNAUTHENTICATED (absl::UnauthenticatedError) naming the reason
  // when the call has no verified peer certificate, the certificate fails a check above, or
  // its URI SAN is not a hop identity. FAILED_PRECONDITION (CheckFresh's message) when
  // `require_fresh_crl` and the CRL is stale.
  // A console call: the principal of the certificate it carries (see above).
  absl::StatusOr<Principal> Authenticate(const grpc::ServerContext& context) const;

 private:
  absl::StatusOr<Principal> AuthenticateConsoleCall(const grpc::ServerContext& context,
                                                    int64_t now) const;
  absl::StatusOr<Principal> FromCertificate(X509* cert, int64_t now) const;

  const CrlSource* const crl_;
  const Clock* const clock_;
  const bool require_fresh_crl_;
  const std::string console_token_;
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_PEER_IDENTITY_H_
