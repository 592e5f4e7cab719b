// The checks every hop connection makes of the other side's certificate, after TLS has
// verified its chain to the federation CA (both directions, per call or per handshake):
//   - validity period against the node's Clock (not only at the handshake: a certificate that
//     expires keeps working neither on an open connection nor through session resumption);
//   - an end-entity certificate: basicConstraints present with CA:FALSE;
//   - exactly one URI subjectAltName (the identity; two would make it ambiguous);
//   - extendedKeyUsage present and fitting the role: clientAuth for the calling side,
//     serverAuth for the answering side (hop-pki gives nodes both, staff and ops clientAuth);
//   - not listed by the federation CRL.
// Pure functions; thread-safe.
#ifndef HOP_DAEMON_SECURITY_CERT_CHECKS_H_
#define HOP_DAEMON_SECURITY_CERT_CHECKS_H_

#include <openssl/x509.h>

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "daemon/security/crl.h"

namespace hop::security {

// Which side of the connection the certificate's holder is.
enum class CertUse { kClient, kServer };

// The certificate's one URI SAN if it passes every check above except the CRL.
// Unauthenticated naming the identity (when it has one) and what is wrong.
absl::StatusOr<std::string> CheckPeerCertificate(X509* cert, CertUse use, int64_t now_unix);

// Parses `cert_pem` (the peer's certificate as TLS saw it), CheckPeerCertificate, and the CRL.
// Returns the URI SAN; Unauthenticated naming the reason otherwise.
absl::StatusOr<std::string> VerifyPeerCertificate(absl::string_view cert_pem, CertUse use,
                                                  const RevocationList& crl, int64_t now_unix);

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_CERT_CHECKS_H_
