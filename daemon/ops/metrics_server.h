// The Prometheus scrape endpoint: plain HTTP GET /metrics on `metrics_listen` (loopback by
// default: metrics carry no personal data, but the port has no TLS, so expose it to the
// monitoring host only). Served by cpp-httplib on its own threads. Anything but GET /metrics
// is 404. Thread-safe.
#ifndef HOP_DAEMON_OPS_METRICS_SERVER_H_
#define HOP_DAEMON_OPS_METRICS_SERVER_H_

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"

namespace httplib {
class Server;
}

namespace hop::ops {

class MetricsServer {
 public:
  // Listens on `address` ("host:port"); Unavailable naming the address if it cannot bind.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const std::string& address);
  ~MetricsServer();  // stops listening and joins the server thread
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

 private:
  MetricsServer();
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
};

}  // namespace hop::ops

#endif  // HOP_DAEMON_OPS_METRICS_SERVER_H_
