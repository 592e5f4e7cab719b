#include "daemon/security/crl.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <sys/stat.h>

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/tls_credentials.h"

namespace hop::security {

absl::StatusOr<std::unique_ptr<RevocationList>> RevocationList::Load(
    const std::string& crl_path, const std::string& ca_cert_path) {
  HOP_ASSIGN_OR_RETURN(std::string ca_pem, ReadFileToString(ca_cert_path));
  HOP_ASSIGN_OR_RETURN(X509Ptr ca, ParseCertificatePem(ca_pem, ca_cert_path));
  HOP_ASSIGN_OR_RETURN(std::string crl_pem, ReadFileToString(crl_path));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(crl_pem.data(), static_cast<int>(crl_pem.size())), &BIO_free);
  X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (crl == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(crl_path,
                     ": not a PEM CRL (expected -----BEGIN X509 CRL-----); "
                     "make one with certs/hop-pki crl"));
  }
  EVP_PKEY* ca_key = X509_get0_pubkey(ca.get());
  if (ca_key == nullptr || X509_CRL_verify(crl.get(), ca_key) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(crl_path, ": not signed by the CA in ", ca_cert_path));
  }
  int64_t next_update = 0;
  if (const ASN1_TIME* next = X509_CRL_get0_nextUpdate(crl.get())) {
    struct tm tm {};
    if (ASN1_TIME_to_tm(next, &tm) == 1) next_update = static_cast<int64_t>(timegm(&tm));
  }
  return std::unique_ptr<RevocationList>(new RevocationList(std::move(crl), next_update));
}

absl::StatusOr<bool> RevocationList::IsRevoked(absl::string_view cert_pem) const {
  HOP_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem, "peer certificate"));
  X509_REVOKED* entry = nullptr;
  return X509_CRL_get0_by_cert(crl_.get(), &entry, cert.get()) == 1;
}

size_t RevocationList::revoked_count() const {
  const STACK_OF(X509_REVOKED)* revoked = X509_CRL_get_REVOKED(crl_.get());
  return revoked == nullptr ? 0 : static_cast<size_t>(sk_X509_REVOKED_num(revoked));
}

CrlSource::FileStamp CrlSource::Stamp(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return FileStamp{};
  return FileStamp{static_cast<uint64_t>(st.st_ino), static_cast<uint64_t>(st.st_size),
                   static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec};
}

absl::StatusOr<std::unique_ptr<CrlSource>> CrlSource::Open(std::string crl_path,
                                                           std::string ca_cert_path) {
  std::unique_ptr<CrlSource> source(new CrlSource(std::move(crl_path), std::move(ca_cert_path)));
  {
    absl::MutexLock lock(&source->mu_);
    source->stamp_ = Stamp(source->crl_path_);
    HOP_ASSIGN_OR_RETURN(source->list_,
                         RevocationList::Load(source->crl_path_, source->ca_cert_path_));
  }
  return source;
}

std::shared_ptr<const RevocationList> CrlSource::Current() const {
  const FileStamp now = Stamp(crl_path_);
  absl::MutexLock lock(&mu_);
  if (now == stamp_) return list_;
  stamp_ = now;  // try each replacement once
  absl::StatusOr<std::unique_ptr<RevocationList>> fresh =
      RevocationList::Load(crl_path_, ca_cert_path_);
  if (!fresh.ok()) {
    LogError("security", "new CRL not loaded; keeping the previous one",
             {{"crl", crl_path_}, {"error", std::string(fresh.status().message())}});
    return list_;
  }
  list_ = std::move(*fresh);
  LogInfo("security", "CRL reloaded",
          {{"crl", crl_path_}, {"revoked", std::to_string(list_->revoked_count())}});
  return list_;
}

}  // namespace hop::security
