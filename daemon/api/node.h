// One running hopd: opens the store, loads the TLS material and CRL, registers bootstrap
// admins, and serves the staff API (CaseWork, Admin, Audit) over mutual TLS on api_listen,
// the peers on federation_listen, Prometheus metrics on metrics_listen, and the gRPC health
// service on both TLS ports. Start() returns once everything listens. Shutdown() turns health
// NOT_SERVING, drains for drain_seconds, stops accepting calls, waits up to `grace` for calls
// in flight, and closes the store. Thread-safe.
#ifndef HOP_DAEMON_API_NODE_H_
#define HOP_DAEMON_API_NODE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/security/node_secret.h"
#include "hop/v1/config.pb.h"

namespace hop::api {

// The node's secret (security/node_secret.h) named by the config, created at first start
// (logged). Errors start with "secret_file: " and name the path and the fix.
absl::StatusOr<security::NodeSecret> LoadSecret(const hop::v1::NodeConfig& config);

class Node {
 public:
  // `config` must already be validated (config::LoadNodeConfig). `clock` must outlive the
  // Node. Errors name the failing file, address or store path.
  static absl::StatusOr<std::unique_ptr<Node>> Start(const hop::v1::NodeConfig& config,
                                                     const Clock* clock);
  ~Node();

  // Blocks until the server has shut down.
  void Wait();
  void Shutdown(absl::Duration grace = absl::Seconds(10));

  // On SIGHUP: checks the certificate, key and CA files and re-reads the CRL; outgoing
  // connections made from now on use them (cached peer channels are dropped), and the
  // listeners pick them up for new connections within security::kCertRefreshSeconds.
  // A broken set of files is reported and the last good one stays in use.
  absl::Status Reload();

 private:
  struct Parts;
  explicit Node(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_NODE_H_
