#include "daemon/ops/metrics_server.h"

#include <httplib.h>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon/ops/metrics.h"

namespace hop::ops {

MetricsServer::MetricsServer() : server_(std::make_unique<httplib::Server>()) {}

MetricsServer::~MetricsServer() {
  server_->stop();
  if (thread_.joinable()) thread_.join();
}

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port)) {
    return absl::InvalidArgumentError(
        absl::StrCat("metrics_listen ", address, ": expected host:port"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::unique_ptr<MetricsServer> s(new MetricsServer());
  s->server_->Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Registry::Default().Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  if (!s->server_->bind_to_port(host, port)) {
    return absl::UnavailableError(
        absl::StrCat("metrics_listen ", address, ": cannot listen (address in use or not local?)"));
  }
  httplib::Server* server = s->server_.get();
  s->thread_ = std::thread([server] { server->listen_after_bind(); });
  return s;
}

}  // namespace hop::ops
