#include "daemon/security/crl.h"

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
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
  const int64_t next_update = AsnTimeUnix(X509_CRL_get0_nextUpdate(crl.get()));
  int64_t number = -1;
  if (auto* n = static_cast<ASN1_INTEGER*>(
          X509_CRL_get_ext_d2i(crl.get(), NID_crl_number, nullptr, nullptr))) {
    number = ASN1_INTEGER_get(n);
    ASN1_INTEGER_free(n);
  }
  return std::unique_ptr<RevocationList>(new RevocationList(std::move(crl), next_update, number));
}

absl::StatusOr<bool> RevocationList::IsRevoked(absl::string_view cert_pem) const {
  HOP_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem, "peer certificate"));
  return IsRevoked(cert.get());
}

bool RevocationList::IsRevoked(X509* cert) const {
  X509_REVOKED* entry = nullptr;
  return X509_CRL_get0_by_cert(crl_.get(), &entry, cert) == 1;
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
                                                           std::string ca_cert_path,
                                                           uint32_t grace_hours,
                                                           CrlNumberStore* numbers) {
  const int64_t grace = int64_t{grace_hours == 0 ? kDefaultCrlGraceHours : grace_hours} * 3600;
  std::unique_ptr<CrlSource> source(
      new CrlSource(std::move(crl_path), std::move(ca_cert_path), grace, numbers));
  {
    absl::MutexLock lock(&source->mu_);
    source->stamp_ = Stamp(source->crl_path_);
    HOP_ASSIGN_OR_RETURN(source->list_,
                         RevocationList::Load(source->crl_path_, source->ca_cert_path_));
  }
  if (numbers == nullptr) return source;
  HOP_ASSIGN_OR_RETURN(const int64_t highest, numbers->Highest());
  const int64_t number = source->Current()->number();
  if (number < highest) {
    return absl::FailedPreconditionError(absl::StrCat(
        source->crl_path_, ": CRL number ", number, " is lower than ", highest,
        ", which this node already had in force: an older CRL would un-revoke certificates; "
        "copy the CA's newest crl.pem (certs/hop-pki crl) there"));
  }
  if (number > highest) source->SaveNumber(number);
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
  if ((*fresh)->number() < list_->number()) {
    ++rollbacks_refused_;
    LogError("security",
             "new CRL refused: its CRL number is lower than the one in force (a rollback "
             "would un-revoke certificates); keeping the newer one. Install the CA's newest "
             "crl.pem",
             {{"crl", crl_path_},
              {"refused_number", std::to_string((*fresh)->number())},
              {"number_in_force", std::to_string(list_->number())}});
    return list_;
  }
  if ((*fresh)->number() > list_->number()) SaveNumber((*fresh)->number());
  list_ = std::move(*fresh);
  LogInfo("security", "CRL reloaded",
          {{"crl", crl_path_},
           {"number", std::to_string(list_->number())},
           {"revoked", std::to_string(list_->revoked_count())}});
  return list_;
}

void CrlSource::SaveNumber(int64_t number) const {
  if (numbers_ == nullptr) return;
  if (absl::Status saved = numbers_->Save(number); !saved.ok()) {
    LogError("security", "cannot save the CRL number in force",
             {{"number", std::to_string(number)}, {"error", std::string(saved.message())}});
  }
}

uint64_t CrlSource::rollbacks_refused() const {
  absl::MutexLock lock(&mu_);
  return rollbacks_refused_;
}

absl::Status CrlSource::CheckFresh(int64_t now_unix) const {
  const int64_t next_update = Current()->next_update();
  if (next_update == 0 || now_unix <= next_update + grace_seconds_) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the federation CRL ", crl_path_, " expired at ", FormatUnixUtc(next_update),
      " (nextUpdate) and its grace of ", grace_seconds_ / 3600, " h ended at ",
      FormatUnixUtc(next_update + grace_seconds_),
      "; this node refuses federation calls until a fresh CRL is installed: at the CA run "
      "`hop-pki crl DIR` and copy DIR/ca/crl.pem to ",
      crl_path_, " (taken up on the next call, no restart)"));
}

}  // namespace hop::security
