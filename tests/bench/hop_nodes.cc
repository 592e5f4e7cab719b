// Real hopd nodes and the timed hopctl sync of the sync benchmark (see hop_nodes.h).
// Run the benchmark with tests/bench/run_sync_bench.sh.
#include "tests/bench/hop_nodes.h"

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/json_util.h"
#include "tests/support/harness.h"

namespace hop::bench {
namespace {

constexpr int kHopctlTimeoutSeconds = 600;

std::string Quote(const std::string& s) { return absl::StrCat("\"", absl::CEscape(s), "\""); }
std::string Loopback(int port) { return absl::StrCat("127.0.0.1:", port); }

std::string ConfigText(const NodeSetup& s, const std::string& data_dir) {
  return absl::StrCat("# Written by tests/bench/sync_bench.\n", "municipality: ", Quote(s.ehak),
                      "\n", "data_dir: ", Quote(data_dir), "\n",
                      "api_listen: ", Quote(Loopback(s.api_port)), "\n",
                      "federation_listen: ", Quote(Loopback(s.federation_port)), "\n",
                      "metrics_listen: ", Quote(Loopback(s.metrics_port)), "\n",
                      "tls { ca_cert: ", Quote(s.ca_cert), " cert: ", Quote(s.cert),
                      " key: ", Quote(s.key), " crl: ", Quote(s.crl), " }\n",
                      "bootstrap_admins: \"admin\"\n", "peers { municipality: ", Quote(s.peer_ehak),
                      " address: ", Quote(Loopback(s.peer_federation_port)), " }\n");
}

}  // namespace

absl::StatusOr<std::unique_ptr<HopNode>> HopNode::Create(NodeSetup setup, std::string hopd) {
  std::unique_ptr<HopNode> node(new HopNode(std::move(setup), std::move(hopd)));
  absl::Status written =
      testing::WriteFile(node->config_path(), ConfigText(node->setup_, node->data_dir()));
  if (!written.ok()) return written;
  return node;
}

absl::Status HopNode::Start() {
  if (process_ != nullptr && process_->Running()) {
    return absl::FailedPreconditionError(absl::StrCat("hopd ", setup_.ehak, " already running"));
  }
  absl::StatusOr<std::unique_ptr<ChildProcess>> process =
      ChildProcess::Start({hopd_, "--config", config_path()}, log_path());
  if (!process.ok()) return process.status();
  process_ = *std::move(process);
  absl::Status listening = process_->WaitListening(setup_.api_port, absl::Seconds(60));
  if (!listening.ok()) {
    process_->Stop();
    return absl::UnavailableError(
        absl::StrCat("hopd ", setup_.ehak, " did not start: ", listening.message()));
  }
  return absl::OkStatus();
}

int HopNode::Stop() {
  if (process_ == nullptr) return -1;
  const int code = process_->Stop();
  process_.reset();
  return code;
}

std::string HopNode::api_address() const { return Loopback(setup_.api_port); }

absl::StatusOr<TimedSync> RunTimedSync(const HopctlTarget& target, const std::string& peer) {
  const std::vector<std::string> argv = {target.hopctl,
                                         "--server",
                                         target.server,
                                         "--ca",
                                         target.ca_cert,
                                         "--crl",
                                         target.crl,
                                         "--cert",
                                         target.cert,
                                         "--key",
                                         target.key,
                                         "--timeout",
                                         absl::StrCat(kHopctlTimeoutSeconds),
                                         "--json",
                                         "sync",
                                         "--peer",
                                         peer};
  const absl::Time start = absl::Now();
  testing::CommandResult r = testing::RunCommand(argv, {}, kHopctlTimeoutSeconds + 60);
  TimedSync result;
  result.seconds = absl::ToDoubleSeconds(absl::Now() - start);
  if (r.exit_code != 0) {
    return absl::InternalError(absl::StrCat("hopctl sync --peer ", peer, " exited ", r.exit_code,
                                            r.timed_out ? " (timed out)" : "", ": ", r.err));
  }
  hop::v1::SyncNowResponse response;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  const auto parsed = google::protobuf::util::JsonStringToMessage(r.out, &response, options);
  if (!parsed.ok()) {
    return absl::InternalError(
        absl::StrCat("hopctl sync printed no SyncNowResponse (", parsed.ToString(), "): ", r.out));
  }
  for (const hop::v1::PeerSyncState& state : response.peers()) {
    if (state.municipality() != peer) continue;
    if (!state.checkpoint().last_error().empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat("sync from ", peer, " failed: ", state.checkpoint().last_error()));
    }
    result.peer = state;
    return result;
  }
  return absl::InternalError(
      absl::StrCat("hopctl sync output has no state of ", peer, ": ", r.out));
}

}  // namespace hop::bench
