// Which client certificates sign a person in at the console (console/console_server.h), and
// as whom. Two kinds, told apart by the CA that verifies the chain, federation CA first:
//   - kHop: a hop staff (or ops) certificate of the federation CA, exactly as on the staff
//     gRPC port (peer_identity.h checks it further per call: validity, CRL, URI SAN);
//   - kIdCard: an Estonian ID card authentication certificate, verified by one of the CAs of
//     console.id_card_ca_files (an issuing CA listed without its root is enough). Its
//     identity is the subject serialNumber "PNOEE-<isikukood>"; the user registry maps the
//     isikukood to a user (User.id_code). Its URI SANs, if any, are never read: an ID-card CA
//     cannot mint a hop identity.
// Revocation of ID-card certificates (OCSP at the issuer) is not checked; validity is.
// Immutable after Load; thread-safe.
#ifndef HOP_DAEMON_SECURITY_CLIENT_TRUST_H_
#define HOP_DAEMON_SECURITY_CLIENT_TRUST_H_

#include <openssl/x509.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace hop::security {

enum class ClientCertKind { kHop, kIdCard };
const char* ClientCertKindName(ClientCertKind kind);  // "hop", "id-card"

class ClientTrust {
 public:
  // Loads the federation CA and every certificate of every ID-card CA file (PEM, one or more
  // certificates each). Errors name the file: "console.id_card_ca_files[1]: ...".
  static absl::StatusOr<std::unique_ptr<ClientTrust>> Load(
      const std::string& federation_ca_file, const std::vector<std::string>& id_card_ca_files);
  ~ClientTrust();

  // Verifies `leaf` (with `untrusted`, the chain the client sent; may be null) at `now_unix`:
  // the federation CA first, then the ID-card CAs. Unauthenticated naming why neither does.
  absl::StatusOr<ClientCertKind> Classify(X509* leaf, STACK_OF(X509) * untrusted,
                                          int64_t now_unix) const;

  // Every CA above, for the TLS handshake's own verification (a new reference each call).
  X509_STORE* NewHandshakeStore() const;
  bool has_id_card_cas() const { return !id_card_cas_.empty(); }

 private:
  ClientTrust() = default;
  std::vector<X509*> federation_cas_;
  std::vector<X509*> id_card_cas_;
};

// The isikukood of an ID-card authentication certificate: valid at `now_unix`, end entity,
// clientAuth when it states extendedKeyUsage, subject serialNumber "PNOEE-<isikukood>" with a
// valid isikukood. Unauthenticated naming what is wrong.
absl::StatusOr<std::string> IdCardIsikukood(X509* cert, int64_t now_unix);

// The certificate as DER bytes ("" when it cannot be encoded).
std::string CertificateDer(X509* cert);

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_CLIENT_TRUST_H_
