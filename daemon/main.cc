// hopd: one municipality's node of the hop federation. See README.md and `hopd --help`.
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/numbers.h"
#include "daemon/api/node.h"
#include "daemon/base/clock.h"
#include "daemon/base/log.h"
#include "daemon/config/node_config.h"

ABSL_FLAG(std::string, config, "", "path of the node configuration (hop.v1.NodeConfig textproto)");
ABSL_FLAG(bool, check_config, false, "validate the configuration and exit (0 = valid)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "hopd --config FILE [--check_config]\n\n"
      "Runs one municipality's node of the hop federation: its support cases, consents and\n"
      "contact directory in RocksDB, served to its staff over mutual TLS (hopctl).\n"
      "The configuration file is a hop.v1.NodeConfig textproto; examples for the eight\n"
      "Tartu County municipalities are in deploy/config/. Logs are JSON lines on stderr.\n"
      "Stops cleanly on SIGTERM or SIGINT.");
  absl::ParseCommandLine(argc, argv);
  const std::string path = absl::GetFlag(FLAGS_config);
  if (path.empty()) {
    std::fprintf(stderr, "hopd: --config FILE is required (see hopd --help)\n");
    return 2;
  }
  absl::StatusOr<hop::v1::NodeConfig> config = hop::config::LoadNodeConfig(path);
  if (!config.ok()) {
    std::fprintf(stderr, "hopd: %s\n", std::string(config.status().message()).c_str());
    return 1;
  }
  if (absl::GetFlag(FLAGS_check_config)) {
    std::printf("%s: valid configuration for municipality %s\n", path.c_str(),
                config->municipality().c_str());
    return 0;
  }

  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  int64_t offset_seconds = 0;
  if (const char* offset = std::getenv("HOP_CLOCK_OFFSET_SECONDS"); offset != nullptr) {
    if (!absl::SimpleAtoi(offset, &offset_seconds)) {
      std::fprintf(stderr, "hopd: HOP_CLOCK_OFFSET_SECONDS=\"%s\" is not a number of seconds\n",
                   offset);
      return 2;
    }
    hop::LogWarning("main", "clock shifted for a drill or test: never do this in production",
                    {{"offset_seconds", std::to_string(offset_seconds)}});
  }
  hop::OffsetClock clock(absl::Seconds(offset_seconds));
  absl::StatusOr<std::unique_ptr<hop::api::Node>> node = hop::api::Node::Start(*config, &clock);
  if (!node.ok()) {
    hop::LogError("main", "cannot start", {{"error", std::string(node.status().message())}});
    return 1;
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  hop::LogInfo("main", "stopping", {{"signal", std::to_string(signal_number)}});
  (*node)->Shutdown();
  return 0;
}
