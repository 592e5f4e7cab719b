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
#include "daemon/api/restore.h"
#include "daemon/base/clock.h"
#include "daemon/base/log.h"
#include "daemon/config/node_config.h"
#include "daemon/security/tls_policy.h"

ABSL_FLAG(std::string, config, "", "path of the node configuration (hop.v1.NodeConfig textproto)");
ABSL_FLAG(bool, check_config, false, "validate the configuration and exit (0 = valid)");
ABSL_FLAG(bool, restore, false,
          "restore a backup from the config's backup_dir into its data_dir (which must not "
          "hold a store: move it aside), give the store a new epoch, and exit; hopd must not "
          "be running");
ABSL_FLAG(uint32_t, backup_id, 0, "with --restore: which backup (default: the newest)");

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "hopd --config FILE [--check_config | --restore [--backup_id N]]\n\n"
      "Runs one municipality's node of the hop federation: its support cases, consents and\n"
      "contact directory in RocksDB, served to its staff over mutual TLS (hopctl).\n"
      "The configuration file is a hop.v1.NodeConfig textproto; examples for the eight\n"
      "Tartu County municipalities are in deploy/config/. Logs are JSON lines on stderr.\n"
      "Stops cleanly on SIGTERM or SIGINT; on SIGHUP re-reads its certificates and CRL.\n"
      "Backups: `hopctl admin backup` while it runs; `hopd --config FILE --restore` with it\n"
      "stopped puts the newest back (README: Backups).");
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

  // TLS 1.3 only, on both listeners and every outgoing connection; before any gRPC use.
  if (absl::Status tls = hop::security::RequireTls13Only(); !tls.ok()) {
    std::fprintf(stderr, "hopd: %s\n", std::string(tls.message()).c_str());
    return 1;
  }

  // A peer that closes its connection while hopd writes (a browser leaving a console page)
  // must cost that connection only: write errors, never SIGPIPE.
  signal(SIGPIPE, SIG_IGN);
  // Block the stop and reload signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

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
  if (absl::GetFlag(FLAGS_restore)) {
    absl::StatusOr<std::string> restored =
        hop::api::RestoreFromBackup(*config, absl::GetFlag(FLAGS_backup_id), &clock);
    if (!restored.ok()) {
      std::fprintf(stderr, "hopd: restore failed: %s\n",
                   std::string(restored.status().message()).c_str());
      return 1;
    }
    std::printf("%s\n", restored->c_str());
    return 0;
  }
  absl::StatusOr<std::unique_ptr<hop::api::Node>> node = hop::api::Node::Start(*config, &clock);
  if (!node.ok()) {
    hop::LogError("main", "cannot start", {{"error", std::string(node.status().message())}});
    return 1;
  }
  int signal_number = 0;
  while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
    (*node)->Reload().IgnoreError();  // logged; the node goes on with what it has
  }
  hop::LogInfo("main", "stopping", {{"signal", std::to_string(signal_number)}});
  (*node)->Shutdown();
  return 0;
}
