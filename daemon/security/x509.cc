#include "daemon/security/x509.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"

namespace hop::security {

absl::StatusOr<X509Ptr> ParseCertificatePem(absl::string_view pem, absl::string_view what) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (bio == nullptr) return absl::ResourceExhaustedError("out of memory");
  X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (cert == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(what, ": not a PEM certificate (expected -----BEGIN CERTIFICATE-----)"));
  }
  return cert;
}

absl::StatusOr<std::string> FirstUriSan(X509* cert) {
  std::vector<std::string> uris = UriSans(cert);
  if (!uris.empty()) return uris.front();
  return absl::InvalidArgumentError(
      "certificate has no URI subjectAltName; issue it with certs/hop-pki");
}

std::vector<std::string> UriSans(X509* cert) {
  using Names = STACK_OF(GENERAL_NAME);
  std::unique_ptr<Names, void (*)(Names*)> names(
      static_cast<Names*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr)),
      [](Names* n) { GENERAL_NAMES_free(n); });
  std::vector<std::string> uris;
  if (names == nullptr) return uris;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = name->d.uniformResourceIdentifier;
    uris.emplace_back(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                      ASN1_STRING_length(uri));
  }
  return uris;
}

int64_t AsnTimeUnix(const ASN1_TIME* time) {
  struct tm tm {};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return 0;
  return static_cast<int64_t>(timegm(&tm));
}

int64_t NotAfterUnix(X509* cert) { return AsnTimeUnix(X509_get0_notAfter(cert)); }

int64_t NotBeforeUnix(X509* cert) { return AsnTimeUnix(X509_get0_notBefore(cert)); }

std::string FormatUnixUtc(int64_t unix_seconds) {
  return absl::FormatTime("%Y-%m-%d %H:%M:%S UTC", absl::FromUnixSeconds(unix_seconds),
                          absl::UTCTimeZone());
}

}  // namespace hop::security
