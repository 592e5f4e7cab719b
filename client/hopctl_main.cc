// hopctl: the command-line client of hopd. See client/hopctl.h and 'hopctl --help'.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "client/hopctl.h"
#include "daemon/security/tls_policy.h"
#include "grpc/support/log.h"

namespace {
// gRPC's own log lines (handshake failures and the like) would repeat what hopctl prints as
// "hopctl: UNAVAILABLE: ..."; they are shown only with HOPCTL_DEBUG=1.
void QuietLog(gpr_log_func_args*) {}
}  // namespace

int main(int argc, char** argv) {
  const char* debug = std::getenv("HOPCTL_DEBUG");
  if (debug == nullptr || *debug == '\0' || std::string(debug) == "0") {
    gpr_set_log_function(&QuietLog);
  }
  // TLS 1.3 only, as hopd; before any gRPC use.
  if (absl::Status tls = hop::security::RequireTls13Only(); !tls.ok()) {
    std::cerr << "hopctl: " << tls.message() << "\n";
    return 1;
  }
  const std::vector<std::string> args(argv + 1, argv + argc);
  return hop::client::RunHopctl(args, hop::client::ProcessConfigEnv(), std::cout, std::cerr);
}
