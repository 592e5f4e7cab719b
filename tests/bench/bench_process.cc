// Child processes of the sync benchmark and their cleanup on every exit path (see
// bench_process.h). Run the benchmark with tests/bench/run_sync_bench.sh.
#include "tests/bench/bench_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "tests/support/harness.h"

namespace hop::bench {
namespace {

struct Registry {
  absl::Mutex mu;
  std::set<pid_t> children ABSL_GUARDED_BY(mu);
  std::set<std::string> dirs ABSL_GUARDED_BY(mu);
};

Registry& registry() {
  static Registry* const r = new Registry;  // never destroyed: used until _exit
  return *r;
}

sigset_t StopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

void HandleStopSignals() {
  sigset_t set = StopSignals();
  int signal_number = 0;
  if (sigwait(&set, &signal_number) != 0) return;
  Registry& r = registry();
  r.mu.Lock();  // never released: the process ends here
  for (pid_t pid : r.children) {
    kill(-pid, SIGKILL);
    kill(pid, SIGKILL);
  }
  for (pid_t pid : r.children) waitpid(pid, nullptr, 0);
  for (const std::string& dir : r.dirs) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  std::fprintf(stderr,
               "\nsync_bench: stopped by signal %d; child processes killed, scratch removed\n",
               signal_number);
  std::fflush(stderr);
  _exit(128 + signal_number);
}

}  // namespace

void InstallSignalCleanup() {
  sigset_t set = StopSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(HandleStopSignals).detach();
}

void RegisterScratchDir(const std::string& path) {
  absl::MutexLock lock(&registry().mu);
  registry().dirs.insert(path);
}

void UnregisterScratchDir(const std::string& path) {
  absl::MutexLock lock(&registry().mu);
  registry().dirs.erase(path);
}

std::string LogTail(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return "";
  std::ostringstream out;
  out << in.rdbuf();
  const std::string all = out.str();
  if (all.size() <= max_bytes) return all;
  return absl::StrCat("...", all.substr(all.size() - max_bytes));
}

absl::StatusOr<std::unique_ptr<ChildProcess>> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& log_path) {
  if (argv.empty()) return absl::InvalidArgumentError("ChildProcess::Start: empty argv");
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::InternalError(absl::StrCat(log_path, ": ", std::strerror(errno)));
  }
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::vector<std::string> args_copy = argv;
  std::vector<char*> args;
  for (std::string& s : args_copy) args.push_back(s.data());
  args.push_back(nullptr);
  const pid_t parent = getpid();
  sigset_t empty;
  sigemptyset(&empty);

  absl::MutexLock lock(&registry().mu);  // the signal thread sees either no child or its pid
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(log_fd);
    close(devnull);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(err)));
  }
  if (pid == 0) {
    setpgid(0, 0);
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);  // the benchmark died before prctl
    sigprocmask(SIG_SETMASK, &empty, nullptr);
    dup2(devnull, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(args[0], args.data());
    const char msg[] = "ChildProcess: cannot execute ";
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)!write(STDERR_FILENO, args[0], std::strlen(args[0]));
    (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
  }
  setpgid(pid, pid);
  close(log_fd);
  close(devnull);
  registry().children.insert(pid);
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, log_path));
}

ChildProcess::~ChildProcess() { Stop(); }

bool ChildProcess::Running() {
  if (pid_ < 0) return false;
  int status = 0;
  const pid_t r = waitpid(pid_, &status, WNOHANG);
  if (r == 0) return true;
  exit_code_ = r == pid_ ? testing::ExitCodeOf(status) : -1;
  absl::MutexLock lock(&registry().mu);
  registry().children.erase(pid_);
  pid_ = -1;
  return false;
}

absl::Status ChildProcess::WaitListening(int port, absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (absl::Now() < deadline) {
    if (testing::CanConnectLoopback(port)) return absl::OkStatus();
    if (!Running()) {
      return absl::UnavailableError(absl::StrCat("process exited with ", exit_code_,
                                                 " before listening on 127.0.0.1:", port, "; log ",
                                                 log_path_, " ends with:\n", LogTail(log_path_)));
    }
    absl::SleepFor(absl::Milliseconds(20));
  }
  return absl::UnavailableError(absl::StrCat("no listener on 127.0.0.1:", port, " within ",
                                             absl::FormatDuration(timeout), "; log ", log_path_,
                                             " ends with:\n", LogTail(log_path_)));
}

int ChildProcess::Stop(absl::Duration grace) {
  if (!Running()) return exit_code_;
  kill(pid_, SIGTERM);
  const absl::Time deadline = absl::Now() + grace;
  while (absl::Now() < deadline) {
    if (!Running()) return exit_code_;
    absl::SleepFor(absl::Milliseconds(10));
  }
  kill(-pid_, SIGKILL);
  kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  exit_code_ = r == pid_ ? testing::ExitCodeOf(status) : -1;
  absl::MutexLock lock(&registry().mu);
  registry().children.erase(pid_);
  pid_ = -1;
  return exit_code_;
}

}  // namespace hop::bench
