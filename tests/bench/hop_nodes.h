// Real hopd nodes for the sync benchmark and the timed `hopctl --json sync --peer CODE`.
// A HopNode is one hopd child process (tests/bench/bench_process.h) with its own directory
// (config hopd.textproto, log hopd.log, store data/), configured like the integration tests'
// NodeFixture (tests/support/node_fixture.cc): API, federation and metrics listeners on
// 127.0.0.1, the throwaway PKI's files, bootstrap admin "admin", and one peer.
// Run the benchmark with tests/bench/run_sync_bench.sh. Not thread-safe.
#ifndef HOP_TESTS_BENCH_HOP_NODES_H_
#define HOP_TESTS_BENCH_HOP_NODES_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "hop/v1/admin.pb.h"
#include "tests/bench/bench_process.h"

namespace hop::bench {

struct NodeSetup {
  std::string ehak;
  std::string dir;  // exists; holds the config, the log and data/
  int api_port = 0;
  int federation_port = 0;
  int metrics_port = 0;
  std::string peer_ehak;
  int peer_federation_port = 0;
  std::string ca_cert, crl, cert, key;
};

class HopNode {
 public:
  // Writes the node's config (dir/hopd.textproto). Internal if it cannot be written.
  static absl::StatusOr<std::unique_ptr<HopNode>> Create(NodeSetup setup, std::string hopd);

  // Starts hopd and waits until its API port listens (Unavailable with the log's tail if not).
  absl::Status Start();
  // Stops hopd (SIGTERM, then SIGKILL); returns its exit code, -1 if not running.
  int Stop();

  std::string data_dir() const { return setup_.dir + "/data"; }
  std::string log_path() const { return setup_.dir + "/hopd.log"; }
  std::string config_path() const { return setup_.dir + "/hopd.textproto"; }
  std::string api_address() const;
  const NodeSetup& setup() const { return setup_; }

 private:
  HopNode(NodeSetup setup, std::string hopd) : setup_(std::move(setup)), hopd_(std::move(hopd)) {}
  NodeSetup setup_;
  std::string hopd_;
  std::unique_ptr<ChildProcess> process_;
};

struct HopctlTarget {
  std::string hopctl;   // the binary
  std::string server;   // host:port of the node's API
  std::string ca_cert;  // federation CA
  std::string crl;      // federation CRL
  std::string cert;     // staff certificate (an admin of that node) and key
  std::string key;
};

struct TimedSync {
  double seconds = 0;           // wall time of the hopctl process
  hop::v1::PeerSyncState peer;  // the node's state of `peer` after the sync
};

// Runs `hopctl --json --timeout 600 sync --peer PEER` and parses its SyncNowResponse.
// Internal if hopctl fails or its output cannot be parsed; FailedPrecondition if the sync
// itself reported an error (checkpoint.last_error).
absl::StatusOr<TimedSync> RunTimedSync(const HopctlTarget& target, const std::string& peer);

}  // namespace hop::bench

#endif  // HOP_TESTS_BENCH_HOP_NODES_H_
