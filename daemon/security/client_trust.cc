#include "daemon/security/client_trust.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/isikukood.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/security/x509.h"

namespace hop::security {
namespace {

// Every certificate of a PEM file; InvalidArgument naming `field` when it has none.
absl::StatusOr<std::vector<X509*>> LoadCertificates(const std::string& path,
                                                    const std::string& field) {
  absl::StatusOr<std::string> pem = ReadFileToString(path);
  if (!pem.ok())
    return absl::InvalidArgumentError(absl::StrCat(field, ": ", pem.status().message()));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem->data(), pem->size()),
                                                &BIO_free);
  std::vector<X509*> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.push_back(cert);
  }
  if (certs.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": ", path, " holds no PEM certificate (expected a CA certificate)"));
  }
  for (X509* cert : certs) {
    if ((X509_get_extension_flags(cert) & EXFLAG_CA) == 0) {
      for (X509* c : certs) X509_free(c);
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": ", path, " holds a certificate that is not a CA (CA:TRUE)"));
    }
  }
  return certs;
}

// Verifies `leaf` against `cas` (as trust anchors, partial chains allowed) at `now_unix`.
// The OpenSSL reason on failure.
absl::Status VerifyAgainst(const std::vector<X509*>& cas, X509* leaf, STACK_OF(X509) * untrusted,
                           int64_t now_unix) {
  if (cas.empty()) return absl::UnauthenticatedError("no CA configured");
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  for (X509* ca : cas) X509_STORE_add_cert(store.get(), ca);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(),
                                                                      &X509_STORE_CTX_free);
  if (!X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted)) {
    return absl::InternalError("cannot set up certificate verification");
  }
  X509_STORE_CTX_set_flags(ctx.get(), X509_V_FLAG_PARTIAL_CHAIN);
  X509_STORE_CTX_set_time(ctx.get(), 0, static_cast<time_t>(now_unix));
  X509_STORE_CTX_set_purpose(ctx.get(), X509_PURPOSE_SSL_CLIENT);
  if (X509_verify_cert(ctx.get()) == 1) return absl::OkStatus();
  return absl::UnauthenticatedError(
      X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
}

std::string SubjectSerialNumber(X509* cert) {
  X509_NAME* subject = X509_get_subject_name(cert);
  const int at = X509_NAME_get_index_by_NID(subject, NID_serialNumber, -1);
  if (at < 0) return "";
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, at));
  unsigned char* utf8 = nullptr;
  const int len = ASN1_STRING_to_UTF8(&utf8, data);
  if (len < 0) return "";
  std::string out(reinterpret_cast<char*>(utf8), len);
  OPENSSL_free(utf8);
  return out;
}

}  // namespace

const char* ClientCertKindName(ClientCertKind kind) {
  return kind == ClientCertKind::kHop ? "hop" : "id-card";
}

absl::StatusOr<std::unique_ptr<ClientTrust>> ClientTrust::Load(
    const std::string& federation_ca_file, const std::vector<std::string>& id_card_ca_files) {
  std::unique_ptr<ClientTrust> trust(new ClientTrust());
  HOP_ASSIGN_OR_RETURN(trust->federation_cas_, LoadCertificates(federation_ca_file, "tls.ca_cert"));
  for (size_t i = 0; i < id_card_ca_files.size(); ++i) {
    HOP_ASSIGN_OR_RETURN(
        std::vector<X509*> cas,
        LoadCertificates(id_card_ca_files[i], absl::StrCat("console.id_card_ca_files[", i, "]")));
    trust->id_card_cas_.insert(trust->id_card_cas_.end(), cas.begin(), cas.end());
  }
  return trust;
}

ClientTrust::~ClientTrust() {
  for (X509* c : federation_cas_) X509_free(c);
  for (X509* c : id_card_cas_) X509_free(c);
}

absl::StatusOr<ClientCertKind> ClientTrust::Classify(X509* leaf, STACK_OF(X509) * untrusted,
                                                     int64_t now_unix) const {
  const absl::Status hop = VerifyAgainst(federation_cas_, leaf, untrusted, now_unix);
  if (hop.ok()) return ClientCertKind::kHop;
  if (!id_card_cas_.empty()) {
    const absl::Status id_card = VerifyAgainst(id_card_cas_, leaf, untrusted, now_unix);
    if (id_card.ok()) return ClientCertKind::kIdCard;
    return absl::UnauthenticatedError(
        absl::StrCat("client certificate verified by neither the federation CA (", hop.message(),
                     ") nor an ID-card CA (", id_card.message(), ")"));
  }
  return absl::UnauthenticatedError(
      absl::StrCat("client certificate not verified by the federation CA: ", hop.message()));
}

X509_STORE* ClientTrust::NewHandshakeStore() const {
  X509_STORE* store = X509_STORE_new();
  for (X509* ca : federation_cas_) X509_STORE_add_cert(store, ca);
  for (X509* ca : id_card_cas_) X509_STORE_add_cert(store, ca);
  X509_STORE_set_flags(store, X509_V_FLAG_PARTIAL_CHAIN);
  return store;
}

absl::StatusOr<std::string> IdCardIsikukood(X509* cert, int64_t now_unix) {
  const int64_t not_after = NotAfterUnix(cert);
  if (not_after == 0 || now_unix > not_after) {
    return absl::UnauthenticatedError(
        absl::StrCat("ID card certificate expired at ", FormatUnixUtc(not_after)));
  }
  if (now_unix < NotBeforeUnix(cert)) {
    return absl::UnauthenticatedError("ID card certificate is not valid yet; check the clocks");
  }
  const uint32_t flags = X509_get_extension_flags(cert);
  if ((flags & EXFLAG_CA) != 0) {
    return absl::UnauthenticatedError("ID card certificate is a CA certificate");
  }
  if ((flags & EXFLAG_XKUSAGE) != 0 && (X509_get_extended_key_usage(cert) & XKU_SSL_CLIENT) == 0) {
    return absl::UnauthenticatedError(
        "ID card certificate is not for authentication (no clientAuth usage); use the card's "
        "authentication certificate (PIN1)");
  }
  const std::string serial = SubjectSerialNumber(cert);
  if (!absl::StartsWith(serial, "PNOEE-")) {
    return absl::UnauthenticatedError(
        "ID card certificate has no subject serialNumber PNOEE-<isikukood>");
  }
  const std::string code = serial.substr(6);
  absl::Status valid = domain::ValidateIsikukood(code, "ID card serialNumber");
  if (!valid.ok()) return absl::UnauthenticatedError(valid.message());
  return code;
}

std::string CertificateDer(X509* cert) {
  unsigned char* der = nullptr;
  const int len = i2d_X509(cert, &der);
  if (len <= 0) return "";
  std::string out(reinterpret_cast<char*>(der), len);
  OPENSSL_free(der);
  return out;
}

}  // namespace hop::security
