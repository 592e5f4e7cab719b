// Thin OpenSSL helpers shared by the security module: owning handles and PEM parsing.
// Internal to daemon/security/. Thread-safe (no shared state).
#ifndef HOP_DAEMON_SECURITY_X509_H_
#define HOP_DAEMON_SECURITY_X509_H_

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace hop::security {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};
struct X509CrlFree {
  void operator()(X509_CRL* x) const { X509_CRL_free(x); }
};
struct EvpPkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using X509Ptr = std::unique_ptr<X509, X509Free>;
using X509CrlPtr = std::unique_ptr<X509_CRL, X509CrlFree>;
using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, EvpPkeyFree>;

// Parses the first certificate of a PEM text. InvalidArgument naming `what` on failure.
absl::StatusOr<X509Ptr> ParseCertificatePem(absl::string_view pem, absl::string_view what);

// The first URI subjectAltName of `cert`; InvalidArgument if it has none.
absl::StatusOr<std::string> FirstUriSan(X509* cert);

// Every URI subjectAltName of `cert`, in order (empty if none).
std::vector<std::string> UriSans(X509* cert);

// Unix time of the certificate's notAfter / notBefore (0 if unreadable).
int64_t NotAfterUnix(X509* cert);
int64_t NotBeforeUnix(X509* cert);

// Unix time of an ASN1_TIME (0 if null or unreadable).
int64_t AsnTimeUnix(const ASN1_TIME* time);

// "2026-12-02 07:30:00 UTC".
std::string FormatUnixUtc(int64_t unix_seconds);

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_X509_H_
