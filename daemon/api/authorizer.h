// Per-call authorization of the staff API: authenticates the TLS peer (certificate identity
// and CRL; or, for the console's calls, the certificate the person signed in with, an ID card
// mapped to its registered user: peer_identity.h), requires a staff or ops identity of this node's
// municipality (or, for methods whose rule says county_ops, an ops identity of any municipality),
// applies the method's rule (authz_rules.h) and, for staff, the role from the user registry. Errors
// (absl codes, mapped 1:1 to gRPC): UNAUTHENTICATED (no/unknown/revoked certificate),
// PERMISSION_DENIED (other municipality, node certificate, unregistered user, role not
// allowed, method without a rule). Thread-safe.
#ifndef HOP_DAEMON_API_AUTHORIZER_H_
#define HOP_DAEMON_API_AUTHORIZER_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/audit/audit_log.h"
#include "daemon/casework/user_registry.h"
#include "daemon/domain/access.h"
#include "daemon/security/peer_identity.h"
#include "grpcpp/server_context.h"

namespace hop::api {

struct Caller {
  security::Principal principal;
  std::optional<hop::v1::User> user;  // registered staff users only
  // The acting user for domain rules (empty role for ops / unregistered staff).
  domain::Actor actor() const;
};

class Authorizer {
 public:
  // Borrowed pointers must outlive the Authorizer.
  // `audit` (may be null: no audit trail) records every call that reads or changes a
  // child's data, and every refusal (see serve.h).
  Authorizer(std::string municipality, const security::PeerAuthenticator* authenticator,
             const casework::UserRegistry* users, audit::AuditLog* audit = nullptr)
      : municipality_(std::move(municipality)),
        authenticator_(authenticator),
        users_(users),
        audit_(audit) {}

  absl::StatusOr<Caller> Authorize(const grpc::ServerContext& context,
                                   absl::string_view full_method) const;
  // Who the caller is, as far as can be told (for the audit entry of a refusal): the
  // certificate identity if it authenticates, with the registered user if there is one;
  // nullopt for an unauthenticated caller.
  std::optional<Caller> Identify(const grpc::ServerContext& context) const;

  audit::AuditLog* audit() const { return audit_; }
  const std::string& municipality() const { return municipality_; }

 private:
  // An ID card's principal (Principal::id_code) becomes the registered user's; PERMISSION_DENIED
  // when no user has that id_code. Other principals unchanged.
  absl::Status MapIdCard(security::Principal& principal) const;

  const std::string municipality_;
  const security::PeerAuthenticator* const authenticator_;
  const casework::UserRegistry* const users_;
  audit::AuditLog* const audit_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_AUTHORIZER_H_
