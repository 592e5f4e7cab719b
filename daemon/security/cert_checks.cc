#include "daemon/security/cert_checks.h"

#include <openssl/x509v3.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/security/x509.h"

namespace hop::security {
namespace {

const char* UseName(CertUse use) { return use == CertUse::kClient ? "client" : "server"; }

}  // namespace

absl::StatusOr<std::string> CheckPeerCertificate(X509* cert, CertUse use, int64_t now_unix) {
  const std::vector<std::string> uris = UriSans(cert);
  const std::string who = uris.empty()
                              ? absl::StrCat(UseName(use), " certificate")
                              : absl::StrCat(UseName(use), " certificate of ", uris.front());
  const int64_t not_before = NotBeforeUnix(cert);
  const int64_t not_after = NotAfterUnix(cert);
  if (not_after == 0 || now_unix > not_after) {
    return absl::UnauthenticatedError(absl::StrCat(who, " expired at ", FormatUnixUtc(not_after),
                                                   " (notAfter); renew it with certs/hop-pki"));
  }
  if (now_unix < not_before) {
    return absl::UnauthenticatedError(absl::StrCat(
        who, " is not valid before ", FormatUnixUtc(not_before), " (notBefore); check the clocks"));
  }
  const uint32_t flags = X509_get_extension_flags(cert);
  if ((flags & EXFLAG_BCONS) == 0 || (flags & EXFLAG_CA) != 0) {
    return absl::UnauthenticatedError(
        absl::StrCat(who,
                     " is not an end-entity certificate (basicConstraints CA:FALSE is required; "
                     "a CA certificate cannot be a node, staff or ops identity)"));
  }
  if (uris.size() != 1) {
    return absl::UnauthenticatedError(
        absl::StrCat(who, " has ", uris.size(),
                     " URI subjectAltNames; exactly one (its hop identity) is required"));
  }
  const uint32_t needed = use == CertUse::kClient ? XKU_SSL_CLIENT : XKU_SSL_SERVER;
  if ((flags & EXFLAG_XKUSAGE) == 0 || (X509_get_extended_key_usage(cert) & needed) == 0) {
    return absl::UnauthenticatedError(absl::StrCat(
        who, " lacks the extendedKeyUsage ", use == CertUse::kClient ? "clientAuth" : "serverAuth",
        " required of a TLS ", UseName(use), "; issue it with certs/hop-pki"));
  }
  return uris.front();
}

absl::StatusOr<std::string> VerifyPeerCertificate(absl::string_view cert_pem, CertUse use,
                                                  const RevocationList& crl, int64_t now_unix) {
  absl::StatusOr<X509Ptr> cert =
      ParseCertificatePem(cert_pem, absl::StrCat(UseName(use), " certificate"));
  if (!cert.ok()) return absl::UnauthenticatedError(cert.status().message());
  absl::StatusOr<std::string> uri = CheckPeerCertificate(cert->get(), use, now_unix);
  if (!uri.ok()) return uri;
  if (crl.IsRevoked(cert->get())) {
    return absl::UnauthenticatedError(
        absl::StrCat(UseName(use), " certificate of ", *uri, " is revoked by the federation CRL"));
  }
  return uri;
}

}  // namespace hop::security
