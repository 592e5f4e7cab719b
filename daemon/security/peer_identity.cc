#include "daemon/security/peer_identity.h"

#include <string>

#include "daemon/base/status_macros.h"
#include "daemon/security/cert_checks.h"
#include "grpc/grpc_security_constants.h"

namespace hop::security {

absl::StatusOr<Principal> PeerAuthenticator::Authenticate(
    const grpc::ServerContext& context) const {
  const int64_t now = clock_->NowUnix();
  if (require_fresh_crl_) HOP_RETURN_IF_ERROR(crl_->CheckFresh(now));
  std::shared_ptr<const grpc::AuthContext> auth = context.auth_context();
  if (auth == nullptr || !auth->IsPeerAuthenticated()) {
    return absl::UnauthenticatedError("no verified client certificate");
  }
  std::vector<grpc::string_ref> pems = auth->FindPropertyValues(GRPC_X509_PEM_CERT_PROPERTY_NAME);
  if (pems.empty()) return absl::UnauthenticatedError("no client certificate on the connection");
  HOP_ASSIGN_OR_RETURN(
      std::string uri,
      VerifyPeerCertificate(absl::string_view(pems.front().data(), pems.front().size()),
                            CertUse::kClient, *crl_->Current(), now));
  absl::StatusOr<Principal> principal = ParseSpiffeId(uri);
  if (!principal.ok()) return absl::UnauthenticatedError(principal.status().message());
  return principal;
}

}  // namespace hop::security
