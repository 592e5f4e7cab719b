// The TLS protocol policy of every hop process: TLS 1.3 only, on every listening port and every
// outgoing connection (DESIGN.md "Identity"; issue 10).
//
// gRPC 1.51 has no setter for the TLS version and itself lowers each SSL_CTX it makes to a
// minimum of TLS 1.2. The policy therefore goes through OpenSSL's own configuration: an
// in-memory `ssl_conf` whose `system_default` section OpenSSL applies to every SSL_CTX when it
// is created (MinProtocol/MaxProtocol TLSv1.3, and the per-version switches that gRPC's later
// call to SSL_CTX_set_min_proto_version does not clear: TLS 1.0 to 1.2 are disabled outright).
// Loaded after OpenSSL's default configuration (Debian's /etc/ssl/openssl.cnf), so it replaces
// that file's system_default.
//
// Call RequireTls13Only() once from main(), before any gRPC credentials or channels are made
// (hopd and hopctl do). Not thread-safe against concurrent OpenSSL initialisation; idempotent.
#ifndef HOP_DAEMON_SECURITY_TLS_POLICY_H_
#define HOP_DAEMON_SECURITY_TLS_POLICY_H_

#include "absl/status/status.h"

namespace hop::security {

// Loads the policy and checks that a fresh SSL_CTX gets it (even after gRPC's own
// SSL_CTX_set_min_proto_version(TLS 1.2)). Internal naming what did not take effect otherwise:
// the process must then not serve or connect.
absl::Status RequireTls13Only();

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_TLS_POLICY_H_
