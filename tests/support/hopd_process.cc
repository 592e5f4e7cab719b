// HopdProcess: one hopd child process (see harness.h).
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/harness.h"

namespace hop::testing {
namespace {

constexpr int kStartTimeoutMs = 30000;
constexpr int kStopTimeoutMs = 10000;
constexpr int kPollMs = 20;

}  // namespace

bool CanConnectLoopback(int port) {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

int ExitCodeOf(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

HopdProcess::~HopdProcess() { Stop(); }

absl::Status HopdProcess::Start(const std::string& hopd_binary, const std::string& config_path,
                                const std::string& log_path, int api_port) {
  if (running()) {
    return absl::FailedPreconditionError(absl::StrCat("hopd already running as pid ", pid_));
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (log_fd < 0) {
    return absl::InternalError(absl::StrCat(log_path, ": ", std::strerror(errno)));
  }
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  std::string arg0 = hopd_binary, arg1 = "--config", arg2 = config_path;
  char* argv[] = {arg0.data(), arg1.data(), arg2.data(), nullptr};
  const pid_t pid = fork();
  if (pid < 0) {
    const int err = errno;
    close(log_fd);
    close(devnull);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(err)));
  }
  if (pid == 0) {
    setpgid(0, 0);
    dup2(devnull, STDIN_FILENO);
    dup2(log_fd, STDOUT_FILENO);
    dup2(log_fd, STDERR_FILENO);
    execv(argv[0], argv);
    const char msg[] = "HopdProcess: cannot execute ";
    (void)!write(STDERR_FILENO, msg, sizeof(msg) - 1);
    (void)!write(STDERR_FILENO, argv[0], std::strlen(argv[0]));
    (void)!write(STDERR_FILENO, "\n", 1);
    _exit(127);
  }
  setpgid(pid, pid);
  close(log_fd);
  close(devnull);
  pid_ = pid;
  exit_code_ = -1;

  for (int waited = 0; waited < kStartTimeoutMs; waited += kPollMs) {
    if (CanConnectLoopback(api_port)) return absl::OkStatus();
    const int code = WaitFor(0);
    if (code != -2) {
      return absl::UnavailableError(absl::StrCat(
          hopd_binary, " exited with ", code, " before listening on 127.0.0.1:", api_port, "; log ",
          log_path, " ends with:\n", FileTail(log_path)));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
  Kill();
  return absl::UnavailableError(absl::StrCat(hopd_binary, " did not listen on 127.0.0.1:", api_port,
                                             " within 30 s (killed); log ", log_path,
                                             " ends with:\n", FileTail(log_path)));
}

int HopdProcess::WaitFor(int timeout_ms) {
  if (pid_ < 0) return exit_code_;
  for (int waited = 0;; waited += kPollMs) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      pid_ = -1;
      exit_code_ = ExitCodeOf(status);
      return exit_code_;
    }
    if (r < 0 && errno != EINTR) {  // not our child any more (reaped elsewhere)
      pid_ = -1;
      exit_code_ = -1;
      return exit_code_;
    }
    if (waited >= timeout_ms) return -2;
    std::this_thread::sleep_for(std::chrono::milliseconds(kPollMs));
  }
}

bool HopdProcess::running() { return pid_ > 0 && WaitFor(0) == -2; }

int HopdProcess::Stop() {
  if (pid_ < 0) return -1;
  int code = WaitFor(0);
  if (code != -2) return code;  // it had exited already
  kill(pid_, SIGTERM);
  code = WaitFor(kStopTimeoutMs);
  if (code != -2) return code;
  return Kill();
}

int HopdProcess::Kill() {
  if (pid_ < 0) return -1;
  const int code = WaitFor(0);
  if (code != -2) return code;  // it had exited already
  kill(-pid_, SIGKILL);         // its process group, in case it started helpers
  kill(pid_, SIGKILL);
  int status = 0;
  pid_t r;
  while ((r = waitpid(pid_, &status, 0)) < 0 && errno == EINTR) {
  }
  exit_code_ = r == pid_ ? ExitCodeOf(status) : -1;
  pid_ = -1;
  return exit_code_;
}

}  // namespace hop::testing
