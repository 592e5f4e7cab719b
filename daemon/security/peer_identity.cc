#include "daemon/security/peer_identity.h"

#include <openssl/crypto.h>

#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/cert_checks.h"
#include "daemon/security/client_trust.h"
#include "daemon/security/x509.h"
#include "grpc/grpc_security_constants.h"

namespace hop::security {

absl::StatusOr<Principal> PeerAuthenticator::Authenticate(
    const grpc::ServerContext& context) const {
  const int64_t now = clock_->NowUnix();
  if (require_fresh_crl_) HOP_RETURN_IF_ERROR(crl_->CheckFresh(now));
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    if (!console_token_.empty()) return AuthenticateConsoleCall(context, now);
    return absl::UnauthenticatedError("no verified client certificate");
  }
  std::vector<grpc::string_ref> pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::UnauthenticatedError("no client certificate on the connection");
  absl::StatusOr<X509Ptr> cert = ParseCertificatePem(
      absl::string_view(pems.front().data(), pems.front().size()), "client certificate");
  if (!cert.ok()) return absl::UnauthenticatedError(cert.status().message());
  return FromCertificate(cert->get(), now);
}

absl::StatusOr<Principal> PeerAuthenticator::FromCertificate(X509* cert, int64_t now) const {
  HOP_ASSIGN_OR_RETURN(std::string uri, CheckPeerCertificate(cert, CertUse::kClient, now));
  if (crl_->Current()->IsRevoked(cert)) {
    return absl::UnauthenticatedError(
        absl::StrCat("client certificate of ", uri, " is revoked by the federation CRL"));
  }
  absl::StatusOr<Principal> principal = ParseSpiffeId(uri);
  if (!principal.ok()) return absl::UnauthenticatedError(principal.status().message());
  return principal;
}

absl::StatusOr<Principal> PeerAuthenticator::AuthenticateConsoleCall(
    const grpc::ServerContext& context, int64_t now) const {
  const auto& metadata = context.client_metadata();
  auto value = [&](const char* key) -> std::string {
    auto it = metadata.find(key);
    return it == metadata.end() ? std::string() : std::string(it->second.data(), it->second.size());
  };
  const std::string token = value(kConsoleTokenKey);
  if (token.size() != console_token_.size() ||
      CRYPTO_memcmp(token.data(), console_token_.data(), token.size()) != 0) {
    return absl::UnauthenticatedError("no verified client certificate");
  }
  const std::string der = value(kConsoleCertKey);
  if (der.empty()) {
    return absl::UnauthenticatedError(
        "no client certificate: sign in with your staff certificate (.p12) or your ID card");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (cert == nullptr) return absl::UnauthenticatedError("unreadable client certificate");
  const std::string kind = value(kConsoleKindKey);
  if (kind == ClientCertKindName(ClientCertKind::kHop)) return FromCertificate(cert.get(), now);
  if (kind != ClientCertKindName(ClientCertKind::kIdCard)) {
    return absl::UnauthenticatedError("console call without a certificate kind");
  }
  Principal principal;
  principal.kind = PrincipalKind::kStaff;
  HOP_ASSIGN_OR_RETURN(principal.id_code, IdCardIsikukood(cert.get(), now));
  return principal;
}

}  // namespace hop::security
