// The federation CA's certificate revocation list (CRL), loaded from a PEM file and checked
// against the CA's signature, so a forged or foreign CRL is refused.
// Immutable after Load: IsRevoked may be called from any thread.
#ifndef HOP_DAEMON_SECURITY_CRL_H_
#define HOP_DAEMON_SECURITY_CRL_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "daemon/security/x509.h"

namespace hop::security {

class RevocationList {
 public:
  // Loads `crl_path` and verifies it was signed by the CA in `ca_cert_path`.
  // Errors: NotFound/PermissionDenied for unreadable files; InvalidArgument naming the file
  // for malformed PEM, a CRL not signed by that CA.
  static absl::StatusOr<std::unique_ptr<RevocationList>> Load(const std::string& crl_path,
                                                              const std::string& ca_cert_path);

  // True iff the certificate in `cert_pem` is listed. InvalidArgument if it is not a PEM
  // certificate.
  absl::StatusOr<bool> IsRevoked(absl::string_view cert_pem) const;

  // Unix time after which the CRL should be renewed (its nextUpdate), 0 if it has none.
  int64_t next_update() const { return next_update_; }
  size_t revoked_count() const;

 private:
  RevocationList(X509CrlPtr crl, int64_t next_update)
      : crl_(std::move(crl)), next_update_(next_update) {}
  X509CrlPtr crl_;
  int64_t next_update_;
};

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_CRL_H_
