// Shared by the multi-node tests: real hopd processes (NodeFixture) of several municipalities,
// all peers of each other over mTLS on loopback with one throwaway PKI, and hopctl helpers
// that run, expect success or refusal, and parse --json output.
#ifndef HOP_TESTS_FEDERATION_FEDERATION_FIXTURE_H_
#define HOP_TESTS_FEDERATION_FEDERATION_FIXTURE_H_

#include <stdlib.h>
#include <time.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "hop/v1/records.pb.h"
#include "tests/support/harness.h"

namespace hop {

using ::hop::testing::CommandResult;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;
using PeerStates = std::map<std::string, hop::v1::PeerSyncState>;

// The invented child and guardian of the multi-node tests (valid by the check-digit rule only).
inline constexpr char kChild[] = "61604150239";  // born 2016-04-15: a minor until 2034
inline constexpr char kGuardian[] = "49403136526";

inline std::string PeerLine(const std::string& code, int port) {
  return "peers { municipality: \"" + code + "\" address: \"127.0.0.1:" + std::to_string(port) +
         "\" }\n";
}

// The local date `days` from now plus `margin_seconds`, as YYYY-MM-DD.
inline std::string LocalDate(int days, int margin_seconds = 0) {
  const time_t t = time(nullptr) + days * 86400 + margin_seconds;
  struct tm local {};
  localtime_r(&t, &local);
  char text[16];
  strftime(text, sizeof(text), "%Y-%m-%d", &local);
  return text;
}

// Calls `done` every 200 ms until it returns true or `limit` has passed; its last answer.
inline bool Eventually(std::chrono::seconds limit, const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (done()) return true;
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
}

// Runs fn(i) for i in [0, n) on n threads at once and waits for all.
inline void Parallel(int n, const std::function<void(int)>& fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back(fn, i);
  for (std::thread& t : threads) t.join();
}

// Sets HOP_CLOCK_OFFSET_SECONDS for the hopd processes started in its scope.
class ScopedClockOffset {
 public:
  explicit ScopedClockOffset(int64_t seconds) {
    setenv("HOP_CLOCK_OFFSET_SECONDS", std::to_string(seconds).c_str(), 1);
  }
  ~ScopedClockOffset() { unsetenv("HOP_CLOCK_OFFSET_SECONDS"); }
  ScopedClockOffset(const ScopedClockOffset&) = delete;
  ScopedClockOffset& operator=(const ScopedClockOffset&) = delete;
};

// Nodes by EHAK code, all peers of each other, and hopctl helpers.
class Federation : public ::testing::Test {
 protected:
  // Starts one node per code (in parallel), each listing the others as peers; `extra` adds
  // config for some codes.
  void StartNodes(const std::vector<std::string>& codes,
                  const std::map<std::string, std::string>& extra = {}) {
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(pki_dir_.Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    const int n = static_cast<int>(codes.size());
    // Every port picked up front: nodes started at once must not race for the same one.
    const std::vector<int> ports = testing::PickFreePorts(3 * n);
    std::vector<absl::StatusOr<std::unique_ptr<NodeFixture>>> started(n);
    Parallel(n, [&](int i) {
      NodeOptions options;
      options.ehak = codes[i];
      options.pki_dir = pki_dir_.Path("pki");
      options.api_port = ports[3 * i];
      options.federation_port = ports[3 * i + 1];
      options.metrics_port = ports[3 * i + 2];
      for (int j = 0; j < n; ++j) {
        if (j != i) options.extra_config += PeerLine(codes[j], ports[3 * j + 1]);
      }
      if (auto it = extra.find(codes[i]); it != extra.end()) options.extra_config += it->second;
      started[i] = NodeFixture::Start(options);
    });
    for (int i = 0; i < n; ++i) {
      ASSERT_TRUE(started[i].ok()) << codes[i] << ": " << started[i].status();
      nodes_[codes[i]] = *std::move(started[i]);
    }
  }

  CommandResult Run(const std::string& node, const std::string& user,
                    std::vector<std::string> args) {
    return nodes_.at(node)->Hopctl(user, std::move(args));
  }
  static std::string Describe(const std::string& node, const std::string& user,
                              const std::vector<std::string>& args, const CommandResult& r) {
    std::string text = "at " + node + " as " + user + ": hopctl";
    for (const std::string& a : args) text += " '" + a + "'";
    return text + "\nexit " + std::to_string(r.exit_code) + "\nstdout: " + r.out +
           "\nstderr: " + r.err;
  }
  // Runs and expects success; stdout.
  std::string Ok(const std::string& node, const std::string& user,
                 const std::vector<std::string>& args) {
    CommandResult r = Run(node, user, args);
    EXPECT_EQ(r.exit_code, 0) << Describe(node, user, args, r);
    return r.out;
  }
  // Runs and expects the node's refusal (exit 1, nothing on stdout); stderr.
  std::string Refused(const std::string& node, const std::string& user,
                      const std::vector<std::string>& args) {
    CommandResult r = Run(node, user, args);
    EXPECT_EQ(r.exit_code, 1) << Describe(node, user, args, r);
    EXPECT_EQ(r.out, "") << Describe(node, user, args, r);
    return r.err;
  }
  // Runs with --json, expects success and parses stdout into T.
  template <typename T>
  T Json(const std::string& node, const std::string& user, std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    const std::string out = Ok(node, user, args);
    T message;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(out, &message).ok())
        << "not " << T::descriptor()->full_name() << " JSON: " << out;
    return message;
  }

  // `user` at `node` adds a municipal school of `node`'s municipality; its id.
  std::string AddSchool(const std::string& node, const std::string& user) {
    const std::string id =
        Json<hop::v1::Institution>(
            node, user,
            {"directory", "institution", "add", "--name", "Tartu Kesklinna Kool", "--kind",
             "school", "--ownership", "municipal", "--municipality", node})
            .id();
    EXPECT_FALSE(id.empty());
    return id;
  }

  // `user` at `node` opens a school case of kChild ("Mari Maasikas") at `institution`; its id.
  std::string OpenSchoolCase(const std::string& node, const std::string& user,
                             const std::string& institution) {
    const std::string id =
        Json<hop::v1::Case>(
            node, user,
            {"case", "open", "--child", kChild, "--name", "Mari Maasikas", "--level", "school",
             "--institution", institution, "--reason", "reading difficulties noticed"})
            .id();
    EXPECT_FALSE(id.empty());
    return id;
  }

  static PeerStates ByPeer(const google::protobuf::RepeatedPtrField<hop::v1::PeerSyncState>& s) {
    PeerStates by_peer;
    for (const hop::v1::PeerSyncState& p : s) by_peer[p.municipality()] = p;
    return by_peer;
  }
  // `hopctl sync` at `node` (a failed peer costs a few seconds: a generous deadline).
  PeerStates Sync(const std::string& node) {
    return ByPeer(
        Json<hop::v1::SyncNowResponse>(node, "admin", {"--timeout", "60", "sync"}).peers());
  }
  // A Federation stub on `to`'s federation port authenticated as `as`'s node (its real
  // certificate and key over mutual TLS): what a peer node, honest or not, can call.
  std::unique_ptr<hop::v1::Federation::Stub> FederationStubAs(const std::string& as,
                                                              const std::string& to) {
    NodeFixture& caller = *nodes_.at(as);
    grpc::SslCredentialsOptions tls;
    tls.pem_root_certs = testing::ReadFile(caller.pki().ca_cert()).value_or("");
    tls.pem_cert_chain = testing::ReadFile(caller.node_cert().cert).value_or("");
    tls.pem_private_key = testing::ReadFile(caller.node_cert().key).value_or("");
    grpc::ChannelArguments args;
    args.SetSslTargetNameOverride("localhost");
    return hop::v1::Federation::NewStub(grpc::CreateCustomChannel(
        nodes_.at(to)->federation_address(), grpc::SslCredentials(tls), args));
  }
  // `hopctl peers` at `node`: its view of each peer, without syncing.
  PeerStates Peers(const std::string& node) {
    return ByPeer(Json<hop::v1::NodeStatus>(node, "admin", {"peers"}).peers());
  }

  testing::TempDir pki_dir_;
  std::map<std::string, std::unique_ptr<NodeFixture>> nodes_;
};

}  // namespace hop

#endif  // HOP_TESTS_FEDERATION_FEDERATION_FIXTURE_H_
