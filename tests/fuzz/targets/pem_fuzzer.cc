// Fuzzes the PEM loaders of daemon/security through their public, file-based APIs: each input
// is taken as a certificate (ParseCertificatePem, FirstUriSan, NotAfterUnix, ParseSpiffeId,
// CertificateSpiffeId, CertificateNotAfter, RevocationList::IsRevoked), as a CRL file
// (RevocationList::Load, as written and again re-signed by the test CA so that the code after
// the signature check is reached too), and as the certificate, CA or key file (by turns) of
// CheckTlsFiles. The test CA, a node certificate and a CRL revoking it are made in memory at
// start-up (no key is ever committed).
// Contracts: no crash, undefined behaviour or leak; refusals are InvalidArgument (or NotFound
// for a file that cannot be read); the good CRL still says the node certificate is revoked.
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>

#include "daemon/security/crl.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/security/x509.h"
#include "tests/fuzz/targets/fuzz_util.h"

namespace {

namespace sec = hop::security;
using hop::fuzz::Require;

struct Pki {
  std::string dir;
  sec::EvpPkeyPtr ca_key;
  sec::X509Ptr ca;
  std::string ca_path, node_pem, node_path, node_key_path;
  std::unique_ptr<sec::RevocationList> crl;  // revokes the node certificate
};

void WriteFile(const std::string& path, absl::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  Require(out.good(), "writing a scratch file");
}

template <typename Fn>
std::string ToPem(Fn write) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), &BIO_free);
  Require(write(bio.get()) == 1, "PEM_write");
  char* p = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &p);
  return std::string(p, static_cast<size_t>(n));
}

sec::X509Ptr MakeCert(X509* issuer, EVP_PKEY* issuer_key, EVP_PKEY* key, long serial,
                      const char* cn, const char* san, bool ca) {
  sec::X509Ptr cert(X509_new());
  X509_set_version(cert.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert.get()), serial);
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 86400L * 30);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn),
                             -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer) : name);
  X509_set_pubkey(cert.get(), key);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer ? issuer : cert.get(), cert.get(), nullptr, nullptr, 0);
  for (const auto& [nid, value] :
       {std::pair{NID_basic_constraints, ca ? "critical,CA:TRUE" : "critical,CA:FALSE"},
        std::pair{NID_subject_alt_name, san}}) {
    if (value == nullptr) continue;
    X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    Require(ext != nullptr, "extension");
    X509_add_ext(cert.get(), ext, -1);
    X509_EXTENSION_free(ext);
  }
  Require(X509_sign(cert.get(), issuer_key, EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string SignedCrlPem(X509_CRL* crl, const Pki& pki) {
  X509_CRL_set_version(crl, 1);
  X509_CRL_set_issuer_name(crl, X509_get_subject_name(pki.ca.get()));
  if (X509_CRL_sign(crl, pki.ca_key.get(), EVP_sha256()) <= 0) return "";
  return ToPem([&](BIO* b) { return PEM_write_bio_X509_CRL(b, crl); });
}

Pki& ThePki() {
  static Pki* pki = [] {
    auto* p = new Pki;
    p->dir = hop::fuzz::ScratchRoot() + "/hop-pem-fuzz-XXXXXX";
    Require(mkdtemp(p->dir.data()) != nullptr, "mkdtemp");
    p->ca_key.reset(EVP_EC_gen("P-256"));
    p->ca = MakeCert(nullptr, p->ca_key.get(), p->ca_key.get(), 1, "hop fuzz CA", nullptr, true);
    sec::EvpPkeyPtr node_key(EVP_EC_gen("P-256"));
    const std::string san = "URI:" + sec::NodeSpiffeId("0793");
    sec::X509Ptr node =
        MakeCert(p->ca.get(), p->ca_key.get(), node_key.get(), 2, "node", san.c_str(), false);
    p->ca_path = p->dir + "/ca.pem";
    WriteFile(p->ca_path, ToPem([&](BIO* b) { return PEM_write_bio_X509(b, p->ca.get()); }));
    p->node_pem = ToPem([&](BIO* b) { return PEM_write_bio_X509(b, node.get()); });
    p->node_path = p->dir + "/node.pem";
    WriteFile(p->node_path, p->node_pem);
    p->node_key_path = p->dir + "/node.key";
    WriteFile(p->node_key_path, ToPem([&](BIO* b) {
                return PEM_write_bio_PrivateKey(b, node_key.get(), nullptr, nullptr, 0, nullptr,
                                                nullptr);
              }));
    sec::X509CrlPtr crl(X509_CRL_new());
    X509_REVOKED* revoked = X509_REVOKED_new();
    X509_REVOKED_set_serialNumber(revoked, X509_get_serialNumber(node.get()));
    std::unique_ptr<ASN1_TIME, decltype(&ASN1_TIME_free)> now(ASN1_TIME_set(nullptr, time(nullptr)),
                                                              &ASN1_TIME_free);
    X509_REVOKED_set_revocationDate(revoked, now.get());
    X509_CRL_add0_revoked(crl.get(), revoked);
    X509_CRL_set1_lastUpdate(crl.get(), now.get());
    X509_CRL_set1_nextUpdate(crl.get(), now.get());
    const std::string crl_path = p->dir + "/crl.pem";
    WriteFile(crl_path, SignedCrlPem(crl.get(), *p));
    auto list = sec::RevocationList::Load(crl_path, p->ca_path);
    Require(list.ok(), "loading the test CRL");
    p->crl = *std::move(list);
    return p;
  }();
  return *pki;
}

// A certificate refusal names the problem as InvalidArgument.
void RequireRefusal(const absl::Status& s) {
  Require(s.ok() || absl::IsInvalidArgument(s), "refusal is not InvalidArgument");
}

void AsCertificate(absl::string_view pem, const std::string& path, const Pki& pki) {
  absl::StatusOr<sec::X509Ptr> cert = sec::ParseCertificatePem(pem, "fuzz.pem");
  RequireRefusal(cert.status());
  if (cert.ok()) {
    absl::StatusOr<std::string> uri = sec::FirstUriSan(cert->get());
    RequireRefusal(uri.status());
    if (uri.ok()) RequireRefusal(sec::ParseSpiffeId(*uri).status());
    (void)sec::NotAfterUnix(cert->get());
  }
  RequireRefusal(sec::CertificateSpiffeId(path).status());
  absl::StatusOr<int64_t> not_after = sec::CertificateNotAfter(path);
  Require(not_after.ok() == cert.ok(), "CertificateNotAfter disagrees with the parser");
  absl::StatusOr<bool> revoked = pki.crl->IsRevoked(pem);
  Require(revoked.ok() == cert.ok(), "IsRevoked disagrees with the parser");
}

void AsCrl(absl::string_view pem, const std::string& path, const Pki& pki) {
  auto use = [&](const absl::StatusOr<std::unique_ptr<sec::RevocationList>>& list) {
    RequireRefusal(list.status());
    if (!list.ok()) return;
    (void)(*list)->revoked_count();
    (void)(*list)->next_update();
    RequireRefusal((*list)->IsRevoked(pki.node_pem).status());
    RequireRefusal((*list)->IsRevoked(pem).status());
  };
  use(sec::RevocationList::Load(path, pki.ca_path));
  // The same list signed by the test CA.
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  sec::X509CrlPtr crl(PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
  if (crl == nullptr) return;
  const std::string signed_pem = SignedCrlPem(crl.get(), pki);
  if (signed_pem.empty()) return;
  const std::string signed_path = pki.dir + "/signed-crl.pem";
  WriteFile(signed_path, signed_pem);
  use(sec::RevocationList::Load(signed_path, pki.ca_path));
}

// The input as the certificate, the CA or the key file, by turns (OpenSSL 3's key decoder is
// slow to set up: one CheckTlsFiles per input keeps the run fast).
void AsTlsFiles(const std::string& path, size_t turn, const Pki& pki) {
  const sec::TlsPaths choices[] = {{pki.ca_path, path, pki.node_key_path},
                                   {path, pki.node_path, pki.node_key_path},
                                   {pki.ca_path, pki.node_path, path}};
  RequireRefusal(sec::CheckTlsFiles(choices[turn % 3]));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Pki& pki = ThePki();
  const absl::string_view pem(reinterpret_cast<const char*>(data), size);
  const std::string path = pki.dir + "/input.pem";
  WriteFile(path, pem);
  AsCertificate(pem, path, pki);
  AsCrl(pem, path, pki);
  AsTlsFiles(path, size, pki);
  absl::StatusOr<bool> node_revoked = pki.crl->IsRevoked(pki.node_pem);
  Require(node_revoked.ok() && *node_revoked, "the good CRL no longer revokes the node");
  return 0;
}
