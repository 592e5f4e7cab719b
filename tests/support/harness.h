// Integration-test harness: temp dirs, subprocesses, a throwaway federation PKI (certs/hop-pki),
// a hopd child process, and NodeFixture, one running hopd with its own PKI and config.
//
// Conventions:
// - Paths are absolute unless said otherwise.
// - Failures of the test environment itself (env var missing, mkdtemp failing, no free port)
//   abort the test binary with a message; failures a test may want to assert on are returned
//   as absl::Status.
// - Nothing here is thread-safe unless said so: use one object from one thread. RunCommand
//   itself may be called from several threads at once.
// - Set HOP_KEEP_TMP=1 to keep every TempDir (its path is printed) for a post-mortem.
#ifndef HOP_TESTS_SUPPORT_HARNESS_H_
#define HOP_TESTS_SUPPORT_HARNESS_H_

#include <sys/types.h>

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace hop::testing {

// The source tree root (env HOP_SOURCE_DIR) and the CMake build root (env HOP_BINARY_DIR).
// ctest sets both (hop_add_gtest); if one is missing, prints how to set it and aborts.
std::string SourceDir();
std::string BinaryDir();

// A fresh directory (mkdtemp under $TMPDIR, else /tmp), mode 0700, removed recursively by the
// destructor unless env HOP_KEEP_TMP=1. Movable, not copyable. Aborts if it cannot be made.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "hop-test");
  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + relative.
  std::string Path(const std::string& relative) const { return path_ + "/" + relative; }

 private:
  void Remove();
  std::string path_;  // empty once moved from
};

struct CommandResult {
  int exit_code = -1;      // exit status; 128+N if killed by signal N; 127 if exec failed
  std::string out;         // everything written to stdout
  std::string err;         // everything written to stderr
  bool timed_out = false;  // killed (SIGKILL to its process group) after the timeout
};

// Runs argv[0] (searched in the current PATH when it has no '/') with argv, no shell, stdin
// /dev/null, the current environment plus `extra_env` (which overrides same-named variables).
// Captures stdout and stderr separately (poll; no deadlock however much either produces).
// The child runs in its own process group; after `timeout_seconds` (0: none) the whole group
// is SIGKILLed and the result has timed_out set. Returns when the child has exited and both
// pipes are closed (at most ~2 s after a timeout kill). Thread-safe.
CommandResult RunCommand(const std::vector<std::string>& argv,
                         const std::vector<std::pair<std::string, std::string>>& extra_env = {},
                         int timeout_seconds = 60);

// A TCP port on 127.0.0.1 that was free a moment ago (bind to port 0, read, close).
// PickFreePorts(n) returns n distinct ports (all held open until all are picked).
// Aborts if no socket can be bound.
int PickFreePort();
std::vector<int> PickFreePorts(int n);

// True if something accepts TCP connections on 127.0.0.1:port right now.
bool CanConnectLoopback(int port);
// A waitpid() status as an exit code: the exit status, or 128+N if killed by signal N.
int ExitCodeOf(int wait_status);

// The local date `days` from today as "YYYY-MM-DD" (hopctl's --from/--until), e.g. a consent
// valid for a year: DateFromToday(365). Consents must end within the node's maximum validity
// (3 years by default) and by the child's 18th birthday, so tests never use fixed far dates.
std::string DateFromToday(int days);

// Reads a whole file; NotFound/PermissionDenied naming the path.
absl::StatusOr<std::string> ReadFile(const std::string& path);
// Writes (replaces) a whole file with mode 0600; Internal naming the path on error.
absl::Status WriteFile(const std::string& path, const std::string& contents);

struct CertPaths {
  std::string cert;  // PEM certificate
  std::string key;   // PEM private key (mode 0600)
};

// A federation PKI made with certs/hop-pki (run as `bash SourceDir()/certs/hop-pki ...`).
// Every method runs the script once (tens of milliseconds). Errors: InvalidArgument when the
// script reports a usage error (exit 2, e.g. a bad EHAK or user id), Internal otherwise; the
// message holds the script's stderr. Several Pki objects (also in other processes) may share
// one directory: the script locks the CA.
class Pki {
 public:
  // Creates a new CA in `dir` (made if missing); AlreadyExists if `dir` already holds one.
  static absl::StatusOr<Pki> Create(const std::string& dir);
  // Uses an existing CA made by Create; NotFound if `dir` holds none.
  static absl::StatusOr<Pki> Open(const std::string& dir);

  // Issues (or re-issues, replacing key and cert) dir()/nodes/EHAK/node.{pem,key};
  // `extra_args` go to `hop-pki node`, e.g. {"--dns", "localhost", "--ip", "127.0.0.1"}.
  absl::StatusOr<CertPaths> IssueNode(const std::string& ehak,
                                      const std::vector<std::string>& extra_args = {}) const;
  // dir()/staff/EHAK/USER/staff.{pem,key}; `extra_args` go to `hop-pki staff`, e.g.
  // {"--seconds", "20"} for a certificate that expires 20 s from now.
  absl::StatusOr<CertPaths> IssueStaff(const std::string& ehak, const std::string& user,
                                       const std::vector<std::string>& extra_args = {}) const;
  // dir()/ops/EHAK/NAME/ops.{pem,key}.
  absl::StatusOr<CertPaths> IssueOps(const std::string& ehak, const std::string& name) const;
  // Revokes a certificate of this CA and rewrites crl() (atomically: readers never see half a
  // file). `reason`: empty or a hop-pki reason such as "keyCompromise".
  absl::Status Revoke(const std::string& cert_path, const std::string& reason = "") const;
  // Rewrites crl() with a validity of `days`.
  absl::Status RegenerateCrl(int days = 30) const;
  // A certificate hop-pki would never issue, for attack tests: a new P-256 key signed by this
  // CA's key with `openssl x509 -req`, valid 30 days, with exactly the X.509v3 extensions in
  // `extensions` (openssl config syntax, one per line, e.g. "basicConstraints = CA:true").
  // Written to dir()/custom/NAME.{pem,key}; `name`: [a-z0-9-]+. Internal with openssl's
  // output on failure.
  absl::StatusOr<CertPaths> IssueCustom(const std::string& name,
                                        const std::string& extensions) const;

  const std::string& dir() const { return dir_; }
  std::string ca_cert() const { return dir_ + "/ca/ca.pem"; }
  std::string crl() const { return dir_ + "/ca/crl.pem"; }

 private:
  explicit Pki(std::string dir) : dir_(std::move(dir)) {}
  absl::Status Run(const std::vector<std::string>& args) const;
  std::string dir_;
};

// One hopd child process: `hopd --config FILE`, stdout and stderr appended to a log file.
// The destructor stops it (Stop()).
class HopdProcess {
 public:
  HopdProcess() = default;
  ~HopdProcess();
  HopdProcess(const HopdProcess&) = delete;
  HopdProcess& operator=(const HopdProcess&) = delete;

  // Starts the process and waits up to 30 s until 127.0.0.1:api_port accepts a TCP connection.
  // FailedPrecondition if already running; Internal if fork/exec/log file fails;
  // Unavailable if it exits first or does not listen in time (it is then killed); those
  // messages include the tail of the log.
  absl::Status Start(const std::string& hopd_binary, const std::string& config_path,
                     const std::string& log_path, int api_port);
  // SIGTERM, wait up to 10 s, then SIGKILL. Returns the exit code (128+N when killed by signal
  // N; also the code of a process that had already exited on its own), or -1 if there is no
  // process (never started, or already stopped).
  int Stop();
  // SIGKILL to its process group now (a crash); returns like Stop().
  int Kill();

  pid_t pid() const { return pid_; }  // -1 if never started or reaped
  bool running();                     // reaps the process if it has exited

 private:
  int WaitFor(int timeout_ms);  // exit code, or -2 if still running at the timeout
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

// The last `max_bytes` of a file (for error messages); "" if unreadable.
std::string FileTail(const std::string& path, size_t max_bytes = 4096);

struct NodeOptions {
  std::string ehak = "0793";
  // An existing PKI (Pki::Create) shared with other nodes of a federation test; empty: the
  // fixture makes its own in dir()/pki.
  std::string pki_dir;
  // 0: pick a free port. Give ports to know peers' addresses before they start.
  int api_port = 0;
  int federation_port = 0;
  int metrics_port = 0;
  // Textproto appended to the generated config, e.g. `peers { municipality: "0624" ... }`.
  std::string extra_config;
  // Empty: BinaryDir() + "/daemon/hopd" and BinaryDir() + "/client/hopctl".
  std::string hopd_binary;
  std::string hopctl_binary;
};

// One running hopd in a TempDir, with its own (or a shared) PKI, node certificate (URI SAN
// plus DNS:localhost and IP:127.0.0.1) and config file:
//   municipality: "<ehak>"  data_dir: "<dir>/data"
//   api_listen / federation_listen / metrics_listen: "127.0.0.1:<port>"
//   tls { ca_cert cert key crl }   bootstrap_admins: "admin"   <extra_config>
// A staff certificate for "admin" is issued before hopd starts. The destructor stops hopd,
// then removes the directory (see HOP_KEEP_TMP).
class NodeFixture {
 public:
  static absl::StatusOr<std::unique_ptr<NodeFixture>> Start(const std::string& ehak = "0793");
  static absl::StatusOr<std::unique_ptr<NodeFixture>> Start(const NodeOptions& options);
  ~NodeFixture();
  NodeFixture(const NodeFixture&) = delete;
  NodeFixture& operator=(const NodeFixture&) = delete;

  // Staff/ops certificates of this node's municipality, issued on first use and cached.
  // On failure records a gtest failure (ADD_FAILURE) and returns empty paths.
  CertPaths Staff(const std::string& user);
  CertPaths Ops(const std::string& name);

  // Runs hopctl --server <api_address()> --ca <ca> --crl <crl> --cert <cert> --key <key> ARGS...
  // Hopctl uses Staff(user); HopctlWith any certificate (an ops one, a revoked one, ...).
  CommandResult Hopctl(const std::string& user, std::vector<std::string> args,
                       int timeout_seconds = 60);
  CommandResult HopctlWith(const CertPaths& cert, std::vector<std::string> args,
                           int timeout_seconds = 60);

  // Restarts hopd with the same config, ports and data (Stop, then Start).
  absl::Status Restart();
  // Stops hopd (see HopdProcess::Stop); Restart() starts it again.
  int Stop();

  std::string api_address() const;         // "127.0.0.1:<api port>"
  std::string federation_address() const;  // "127.0.0.1:<federation port>"
  std::string metrics_address() const;     // "127.0.0.1:<metrics port>"
  const std::string& ehak() const { return options_.ehak; }
  Pki& pki() { return *pki_; }
  const std::string& dir() const { return temp_dir_.path(); }
  std::string config_path() const { return temp_dir_.Path("hopd.textproto"); }
  std::string log_path() const { return temp_dir_.Path("hopd.log"); }
  std::string log() const;  // hopd's log so far
  HopdProcess& process() { return process_; }
  const CertPaths& node_cert() const { return node_cert_; }

 private:
  explicit NodeFixture(NodeOptions options) : options_(std::move(options)) {}
  std::string ConfigText() const;
  absl::Status StartHopd();

  TempDir temp_dir_;  // declared first: removed after hopd has stopped
  NodeOptions options_;
  std::unique_ptr<Pki> pki_;
  CertPaths node_cert_;
  std::map<std::string, CertPaths> staff_;
  std::map<std::string, CertPaths> ops_;
  HopdProcess process_;
};

}  // namespace hop::testing

#endif  // HOP_TESTS_SUPPORT_HARNESS_H_
