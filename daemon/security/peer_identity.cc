#include "daemon/security/peer_identity.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/x509.h"
#include "grpc/grpc_security_constants.h"

namespace hop::security {

absl::StatusOr<Principal> PeerAuthenticator::Authenticate(
    const grpc::ServerContext& context) const {
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError("no verified client certificate");
  }
  std::vector<grpc::string_ref> pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::UnauthenticatedError("no client certificate on the connection");
  const std::string pem(pems.front().data(), pems.front().size());
  absl::StatusOr<bool> revoked = crl_->Current()->IsRevoked(pem);
  if (!revoked.ok()) return absl::UnauthenticatedError(revoked.status().message());
  absl::StatusOr<X509Ptr> cert = ParseCertificatePem(pem, "client certificate");
  if (!cert.ok()) return absl::UnauthenticatedError(cert.status().message());
  absl::StatusOr<std::string> uri = FirstUriSan(cert->get());
  if (!uri.ok()) return absl::UnauthenticatedError(uri.status().message());
  if (*revoked) {
    return absl::UnauthenticatedError(
        absl::StrCat("certificate of ", *uri, " is revoked by the federation CRL"));
  }
  absl::StatusOr<Principal> principal = ParseSpiffeId(*uri);
  if (!principal.ok()) return absl::UnauthenticatedError(principal.status().message());
  return principal;
}

}  // namespace hop::security
