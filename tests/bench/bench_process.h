// Child processes of the sync benchmark (tests/bench/sync_bench.cc) and cleanup on every exit
// path: each child runs in its own process group with PR_SET_PDEATHSIG, so it dies with the
// benchmark even on SIGKILL; SIGINT/SIGTERM/SIGHUP are handled by a dedicated thread that kills
// every live child, removes the registered scratch directories and exits 128+signal.
// Run the benchmark with tests/bench/run_sync_bench.sh.
//
// Thread-safety: the registry functions are thread-safe; a ChildProcess is used from one thread.
#ifndef HOP_TESTS_BENCH_BENCH_PROCESS_H_
#define HOP_TESTS_BENCH_BENCH_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace hop::bench {

// Blocks SIGINT, SIGTERM and SIGHUP in the calling thread (and every thread it starts later)
// and starts the thread that handles them. Call first thing in main, before any thread exists.
void InstallSignalCleanup();

// Directories removed (recursively) when a signal stops the benchmark; unregister them when
// the normal path has removed them or wants to keep them.
void RegisterScratchDir(const std::string& path);
void UnregisterScratchDir(const std::string& path);

// One child process: argv[0] (a path) with argv, stdin /dev/null, stdout and stderr appended
// to `log_path`. Stopped (SIGTERM, then SIGKILL) by the destructor.
class ChildProcess {
 public:
  // Internal naming argv[0] if fork/exec/the log file fail.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(const std::vector<std::string>& argv,
                                                             const std::string& log_path);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // Waits until 127.0.0.1:port accepts a TCP connection. Unavailable (with the log's tail)
  // if the child exits first or `timeout` passes.
  absl::Status WaitListening(int port, absl::Duration timeout);
  // SIGTERM, wait up to `grace`, then SIGKILL to its process group. Returns the exit code
  // (128+N for signal N), or -1 if it was already reaped.
  int Stop(absl::Duration grace = absl::Seconds(30));
  // True while the child has not exited (reaps it if it has).
  bool Running();
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, std::string log_path) : pid_(pid), log_path_(std::move(log_path)) {}
  pid_t pid_;
  std::string log_path_;
  int exit_code_ = -1;
};

// The last `max_bytes` of a file, for error messages ("" if unreadable).
std::string LogTail(const std::string& path, size_t max_bytes = 3000);

}  // namespace hop::bench

#endif  // HOP_TESTS_BENCH_BENCH_PROCESS_H_
