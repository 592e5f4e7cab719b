#include "daemon/security/tls_credentials.h"

#include <openssl/bio.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/cert_checks.h"
#include "daemon/security/x509.h"
#include "grpcpp/security/tls_certificate_provider.h"
#include "grpcpp/security/tls_certificate_verifier.h"
#include "grpcpp/security/tls_credentials_options.h"

namespace hop::security {
namespace {

std::shared_ptr<grpc::experimental::CertificateProviderInterface> MakeProvider(
    const TlsPaths& paths) {
  return std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      paths.key, paths.cert, paths.ca_cert, kCertRefreshSeconds);
}

// Accepts a server certificate (already chain-verified by gRPC) only if it carries the
// expected SPIFFE URI SAN.
class SpiffeIdVerifier final : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit SpiffeIdVerifier(std::string expected) : expected_(std::move(expected)) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/, grpc::Status* sync_status) override {
    for (const grpc::string_ref& uri : request->uri_names()) {
      if (std::string(uri.data(), uri.size()) == expected_) {
        *sync_status = grpc::Status::OK;
        return true;
      }
    }
    *sync_status =
        grpc::Status(grpc::StatusCode::UNAUTHENTICATED, "server certificate is not " + expected_);
    return true;
  }

  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {}

 private:
  const std::string expected_;
};

// The full check of a server certificate (ServerCheck), recorded in check.record.
class ServerCertVerifier final : public grpc::experimental::ExternalCertificateVerifier {
 public:
  explicit ServerCertVerifier(ServerCheck check) : check_(std::move(check)) {}

  bool Verify(grpc::experimental::TlsCustomVerificationCheckRequest* request,
              std::function<void(grpc::Status)> /*callback*/, grpc::Status* sync_status) override {
    const grpc::string_ref pem = request->peer_cert();
    absl::StatusOr<std::string> uri =
        VerifyPeerCertificate(absl::string_view(pem.data(), pem.size()), CertUse::kServer,
                              *check_.crl->Current(), check_.clock->NowUnix());
    if (uri.ok() && *uri != check_.expected_id) {
      uri = absl::UnauthenticatedError(
          absl::StrCat("server certificate is ", *uri, ", not ", check_.expected_id));
    }
    if (!uri.ok()) {
      if (check_.record != nullptr) check_.record->Refused(std::string(uri.status().message()));
      *sync_status =
          grpc::Status(grpc::StatusCode::UNAUTHENTICATED, std::string(uri.status().message()));
      return true;
    }
    if (check_.record != nullptr) check_.record->Accepted(std::string(pem.data(), pem.size()));
    *sync_status = grpc::Status::OK;
    return true;
  }

  void Cancel(grpc::experimental::TlsCustomVerificationCheckRequest*) override {}

 private:
  const ServerCheck check_;
};

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> ChannelCredentialsWith(
    const TlsPaths& paths, std::shared_ptr<grpc::experimental::CertificateVerifier> verifier) {
  HOP_RETURN_IF_ERROR(CheckTlsFiles(paths));
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(MakeProvider(paths));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  options.set_check_call_host(false);
  options.set_certificate_verifier(std::move(verifier));
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace

absl::Status CheckTlsFiles(const TlsPaths& paths) {
  HOP_ASSIGN_OR_RETURN(std::string ca_pem, ReadFileToString(paths.ca_cert));
  HOP_RETURN_IF_ERROR(ParseCertificatePem(ca_pem, paths.ca_cert).status());
  HOP_ASSIGN_OR_RETURN(std::string cert_pem, ReadFileToString(paths.cert));
  HOP_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(cert_pem, paths.cert));
  HOP_ASSIGN_OR_RETURN(std::string key_pem, ReadFileToString(paths.key));
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())), &BIO_free);
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (key == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat(paths.key, ": not an unencrypted PEM private key"));
  }
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(paths.key, ": this key does not belong to certificate ", paths.cert));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFileToString(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    const int err = errno;
    std::string msg = absl::StrCat(path, ": cannot read (", std::strerror(err), ")");
    if (err == EACCES) return absl::PermissionDeniedError(msg);
    return absl::NotFoundError(msg);
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

absl::StatusOr<std::string> CertificateSpiffeId(const std::string& cert_path) {
  HOP_ASSIGN_OR_RETURN(std::string pem, ReadFileToString(cert_path));
  HOP_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(pem, cert_path));
  return FirstUriSan(cert.get());
}

absl::StatusOr<int64_t> CertificateNotAfter(const std::string& cert_path) {
  HOP_ASSIGN_OR_RETURN(std::string pem, ReadFileToString(cert_path));
  HOP_ASSIGN_OR_RETURN(X509Ptr cert, ParseCertificatePem(pem, cert_path));
  return NotAfterUnix(cert.get());
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsPaths& paths) {
  HOP_RETURN_IF_ERROR(CheckTlsFiles(paths));
  grpc::experimental::TlsServerCredentialsOptions options(MakeProvider(paths));
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  return grpc::experimental::TlsServerCredentials(options);
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsPaths& paths, const std::string& expected_server_id) {
  return ChannelCredentialsWith(
      paths, grpc::experimental::ExternalCertificateVerifier::Create<SpiffeIdVerifier>(
                 expected_server_id));
}

absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsPaths& paths, ServerCheck check) {
  if (check.crl == nullptr || check.clock == nullptr) {
    return absl::InvalidArgumentError(
        "MakeChannelCredentials: ServerCheck needs a CRL and a clock");
  }
  return ChannelCredentialsWith(
      paths, grpc::experimental::ExternalCertificateVerifier::Create<ServerCertVerifier>(
                 std::move(check)));
}

void HandshakeRecord::Accepted(std::string server_cert_pem) {
  absl::MutexLock lock(&mu_);
  server_cert_pem_ = std::move(server_cert_pem);
  refusal_.clear();
}

void HandshakeRecord::Refused(std::string reason) {
  absl::MutexLock lock(&mu_);
  refusal_ = std::move(reason);
}

std::string HandshakeRecord::server_cert_pem() const {
  absl::MutexLock lock(&mu_);
  return server_cert_pem_;
}

std::string HandshakeRecord::refusal() const {
  absl::MutexLock lock(&mu_);
  return refusal_;
}

}  // namespace hop::security
