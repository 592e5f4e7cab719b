// The staff console and JSON API (issue 12): HTTPS on console_listen, TLS 1.3 only, a person
// signing in with a client certificate (a hop staff certificate or an Estonian ID card:
// security/client_trust.h). Serves
//   GET  /                      the built console (console.static_dir, read once at start)
//   GET  /api/reference         municipality names and the county code lists (no personal data)
//   POST /api/<Service>/<Method> the staff API in JSON (json_api.h), guarded by http_guard.h
// An API request becomes one call of the real staff API over the staff server's in-process
// channel, carrying the person's certificate (peer_identity.h): the same Authorizer, rule
// table, handlers, audit, metrics and errors as a hopctl call; the console has no
// authorization code of its own. Every response carries http_guard.h's headers.
// Bounds: request bodies up to kMaxBodyBytes, kThreads requests at a time, each API call
// within kCallDeadline (a live question to every peer takes at most 30 s).
// Start() returns once it listens; Stop() (and the destructor) stop it. Thread-safe.
#ifndef HOP_DAEMON_CONSOLE_CONSOLE_SERVER_H_
#define HOP_DAEMON_CONSOLE_CONSOLE_SERVER_H_

#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/security/client_trust.h"
#include "grpcpp/channel.h"
#include "grpcpp/generic/generic_stub.h"

namespace httplib {
class SSLServer;
struct Request;
struct Response;
}  // namespace httplib

namespace hop::console {

inline constexpr size_t kMaxBodyBytes = 1 << 20;
inline constexpr size_t kMaxStaticBytes = 32 << 20;
inline constexpr int kThreads = 8;
inline constexpr absl::Duration kCallDeadline = absl::Seconds(60);

class ConsoleServer {
 public:
  struct Options {
    std::string listen;        // host:port
    std::string static_dir;    // the built console
    std::string municipality;  // this node's EHAK code
    std::string cert_file;     // the node's certificate (PEM), the HTTPS server identity
    std::string key_file;      // its key
    std::string ca_file;       // the federation CA (trust for hop staff certificates)
    std::vector<std::string> id_card_ca_files;  // console.id_card_ca_files
    std::string token;  // the staff server's console token (peer_identity.h)
  };

  // `staff_channel`: the staff server's in-process channel. `clock` must outlive the server.
  // Errors name the config field: console_listen, console.static_dir, console.id_card_ca_files.
  static absl::StatusOr<std::unique_ptr<ConsoleServer>> Start(
      Options options, std::shared_ptr<grpc::Channel> staff_channel, const Clock* clock);
  ~ConsoleServer();
  void Stop();

 private:
  ConsoleServer() = default;
  void Route();
  void ServeApi(const httplib::Request& req, httplib::Response& res);
  void ServeStatic(const httplib::Request& req, httplib::Response& res);
  void ServeReference(httplib::Response& res);

  Options options_;
  std::unique_ptr<grpc::GenericStub> stub_;  // on the staff server's in-process channel
  const Clock* clock_ = nullptr;
  std::unique_ptr<security::ClientTrust> trust_;
  std::map<std::string, std::string> files_;  // path ("/", "/app.js") -> contents
  std::string reference_json_;
  std::unique_ptr<httplib::SSLServer> server_;
  std::thread thread_;
};

// A random console token (32 bytes) for PeerAuthenticator and ConsoleServer::Options.
std::string NewConsoleToken();

}  // namespace hop::console

#endif  // HOP_DAEMON_CONSOLE_CONSOLE_SERVER_H_
