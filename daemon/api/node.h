// One running hopd: opens the store, loads the TLS material and CRL, registers bootstrap
// admins, and serves the staff API (CaseWork, Admin) over mutual TLS on api_listen.
// Start() returns once the server is listening. Shutdown() stops accepting calls, waits up to
// `grace` for calls in flight, and closes the store. Thread-safe.
#ifndef HOP_DAEMON_API_NODE_H_
#define HOP_DAEMON_API_NODE_H_

#include <memory>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "hop/v1/config.pb.h"

namespace hop::api {

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

 private:
  struct Parts;
  explicit Node(std::unique_ptr<Parts> parts);
  std::unique_ptr<Parts> parts_;
};

}  // namespace hop::api

#endif  // HOP_DAEMON_API_NODE_H_
