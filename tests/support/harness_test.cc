// Tests of the integration-test harness itself (tests/support/harness.h). hopd is played by
// this very binary in "fake hopd" mode (below), so these tests need no daemon.
#include "tests/support/harness.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace hop::testing {
namespace {

// ---- fake hopd ------------------------------------------------------------------------------
// With env HOP_FAKE_HOPD set, this binary stands in for `hopd --config FILE` before gtest runs:
//   listen: listens on the port of api_listen in FILE, exits 0 on SIGTERM;
//   fail:   prints a config error and exits 3.
[[noreturn]] void RunFakeHopd(const std::string& mode) {
  std::ifstream cmdline("/proc/self/cmdline", std::ios::binary);
  std::string arg, config;
  bool next_is_config = false;
  while (std::getline(cmdline, arg, '\0')) {
    if (next_is_config) config = arg;
    next_is_config = arg == "--config";
  }
  if (mode == "fail") {
    std::fprintf(stderr, "fake hopd: config %s: municipality: bad code\n", config.c_str());
    std::exit(3);
  }
  std::ifstream in(config);
  std::string line;
  int port = 0;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "api_listen: \"127.0.0.1:")) port = std::atoi(line.c_str() + 23);
  }
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  if (port == 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
      listen(fd, 16) != 0) {
    std::fprintf(stderr, "fake hopd: cannot listen on port %d\n", port);
    std::exit(4);
  }
  std::fprintf(stderr, "fake hopd: listening on 127.0.0.1:%d\n", port);
  signal(SIGTERM, [](int) { _exit(0); });
  for (;;) pause();
}

[[maybe_unused]] const bool kIsFakeHopd = [] {
  const char* mode = std::getenv("HOP_FAKE_HOPD");
  if (mode != nullptr) RunFakeHopd(mode);
  return false;
}();

std::string SelfExe() {
  char buf[4096];
  const ssize_t n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  return n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
}

// Sets an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) {
    const char* old = std::getenv(name);
    if (old != nullptr) {
      old_ = old;
      had_ = true;
    }
    Set(name, value);
  }
  ~ScopedEnv() { Set(name_.c_str(), had_ ? old_.c_str() : nullptr); }

 private:
  static void Set(const char* name, const char* value) {
    if (value != nullptr) {
      setenv(name, value, 1);
    } else {
      unsetenv(name);
    }
  }

  std::string name_, old_;
  bool had_ = false;
};

bool Exists(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0;
}

int Mode(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

// ---- RunCommand -----------------------------------------------------------------------------
TEST(RunCommandTest, ReportsExitCodes) {
  EXPECT_EQ(RunCommand({"true"}).exit_code, 0);
  EXPECT_EQ(RunCommand({"false"}).exit_code, 1);
  EXPECT_EQ(RunCommand({"sh", "-c", "exit 42"}).exit_code, 42);
  EXPECT_EQ(RunCommand({"sh", "-c", "kill -TERM $$"}).exit_code, 128 + SIGTERM);
  CommandResult missing = RunCommand({"/nonexistent/hop-binary"});
  EXPECT_EQ(missing.exit_code, 127);
  EXPECT_TRUE(absl::StrContains(missing.err, "/nonexistent/hop-binary")) << missing.err;
  EXPECT_FALSE(missing.timed_out);
}

TEST(RunCommandTest, SeparatesStdoutAndStderr) {
  CommandResult r = RunCommand({"sh", "-c", "echo out1; echo err1 >&2; echo out2"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "out1\nout2\n");
  EXPECT_EQ(r.err, "err1\n");
}

TEST(RunCommandTest, PassesArgumentsWithoutShell) {
  CommandResult r = RunCommand({"printf", "%s|", "a b", "$HOME", "*"});
  EXPECT_EQ(r.out, "a b|$HOME|*|");
}

TEST(RunCommandTest, ExtraEnvAddsAndOverrides) {
  CommandResult r = RunCommand({"sh", "-c", "printf '%s %s' \"$HOP_X\" \"$HOME\""},
                               {{"HOP_X", "x1"}, {"HOME", "/nowhere"}});
  EXPECT_EQ(r.out, "x1 /nowhere");
}

TEST(RunCommandTest, StdinIsEmpty) {
  CommandResult r = RunCommand({"cat"}, {}, 10);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out, "");
}

TEST(RunCommandTest, KillsProcessGroupOnTimeout) {
  const auto start = std::chrono::steady_clock::now();
  // The background sleep holds the pipes too: it must die with the group.
  CommandResult r = RunCommand({"sh", "-c", "echo started; sleep 30 & sleep 30"}, {}, 1);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.timed_out);
  EXPECT_EQ(r.exit_code, 128 + SIGKILL);
  EXPECT_EQ(r.out, "started\n");
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST(RunCommandTest, LargeOutputOnBothStreamsDoesNotDeadlock) {
  // 3 MiB to stderr before anything on stdout, then 2 MiB to stdout: reading one pipe only
  // would deadlock once the other's 64 KiB buffer fills.
  CommandResult r = RunCommand(
      {"sh", "-c", "head -c 3145728 /dev/zero >&2; head -c 2097152 /dev/zero; echo end"}, {}, 60);
  EXPECT_FALSE(r.timed_out);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.err.size(), 3145728u);
  EXPECT_EQ(r.out.size(), 2097152u + 4);
  EXPECT_TRUE(absl::EndsWith(r.out, "end\n"));
}

// ---- TempDir, ports -------------------------------------------------------------------------
TEST(TempDirTest, RemovedRecursivelyOnDestruction) {
  ScopedEnv keep("HOP_KEEP_TMP", nullptr);
  std::string path;
  {
    TempDir dir("hop-harness-test");
    path = dir.path();
    EXPECT_EQ(Mode(path), 0700);
    ASSERT_EQ(mkdir(dir.Path("a").c_str(), 0700), 0);
    ASSERT_EQ(mkdir(dir.Path("a/b").c_str(), 0500), 0);
    ASSERT_TRUE(WriteFile(dir.Path("a/f"), "x").ok());
    ASSERT_TRUE(Exists(dir.Path("a/f")));
    TempDir moved = std::move(dir);  // only `moved` owns it now
    EXPECT_EQ(moved.path(), path);
    EXPECT_TRUE(dir.path().empty());
  }
  EXPECT_FALSE(Exists(path));
}

TEST(TempDirTest, KeptWithHopKeepTmp) {
  std::string path;
  {
    ScopedEnv keep("HOP_KEEP_TMP", "1");
    TempDir dir("hop-harness-keep");
    path = dir.path();
  }
  EXPECT_TRUE(Exists(path));
  EXPECT_EQ(RunCommand({"rm", "-rf", path}).exit_code, 0);
}

TEST(PickFreePortTest, PortsAreDistinctAndBindable) {
  std::vector<int> ports = PickFreePorts(3);
  ASSERT_EQ(ports.size(), 3u);
  EXPECT_NE(ports[0], ports[1]);
  EXPECT_NE(ports[1], ports[2]);
  EXPECT_NE(ports[0], ports[2]);
  const int port = PickFreePort();
  EXPECT_GT(port, 0);
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  close(fd);
}

TEST(EnvTest, SourceAndBinaryDirsAreSet) {
  EXPECT_TRUE(Exists(SourceDir() + "/certs/hop-pki"));
  EXPECT_TRUE(Exists(BinaryDir() + "/CMakeCache.txt"));
}

// ---- Pki ------------------------------------------------------------------------------------
TEST(PkiTest, IssuesStaffCertificate) {
  TempDir dir;
  absl::StatusOr<Pki> pki = Pki::Create(dir.Path("pki"));
  ASSERT_TRUE(pki.ok()) << pki.status();
  EXPECT_TRUE(Exists(pki->ca_cert()));
  EXPECT_TRUE(Exists(pki->crl()));
  absl::StatusOr<CertPaths> staff = pki->IssueStaff("0793", "mari");
  ASSERT_TRUE(staff.ok()) << staff.status();
  EXPECT_EQ(staff->cert, dir.Path("pki/staff/0793/mari/staff.pem"));
  EXPECT_TRUE(Exists(staff->cert));
  EXPECT_EQ(Mode(staff->key), 0600);
  CommandResult san =
      RunCommand({"openssl", "x509", "-in", staff->cert, "-noout", "-ext", "subjectAltName"});
  EXPECT_TRUE(
      absl::StrContains(san.out, "URI:spiffe://hop.tartumaa.ee/municipality/0793/staff/mari"))
      << san.out;
}

TEST(PkiTest, ReportsErrors) {
  TempDir dir;
  absl::StatusOr<Pki> pki = Pki::Create(dir.Path("pki"));
  ASSERT_TRUE(pki.ok()) << pki.status();
  EXPECT_EQ(Pki::Create(dir.Path("pki")).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(pki->IssueStaff("793", "mari").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(pki->IssueOps("0793", "Bad Name").status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_FALSE(Exists(dir.Path("pki/staff")));
  EXPECT_EQ(Pki::Open(dir.Path("nothing")).status().code(), absl::StatusCode::kNotFound);
  EXPECT_TRUE(Pki::Open(dir.Path("pki")).ok());
}

TEST(PkiTest, RevokedCertificateFailsCrlCheck) {
  TempDir dir;
  absl::StatusOr<Pki> pki = Pki::Create(dir.Path("pki"));
  ASSERT_TRUE(pki.ok()) << pki.status();
  absl::StatusOr<CertPaths> node = pki->IssueNode("0793", {"--ip", "127.0.0.1"});
  absl::StatusOr<CertPaths> ops = pki->IssueOps("0793", "prometheus");
  ASSERT_TRUE(node.ok() && ops.ok());
  ASSERT_TRUE(pki->Revoke(ops->cert, "superseded").ok());
  auto verify = [&](const std::string& cert) {
    return RunCommand({"openssl", "verify", "-crl_check", "-CAfile", pki->ca_cert(), "-CRLfile",
                       pki->crl(), cert})
        .exit_code;
  };
  EXPECT_NE(verify(ops->cert), 0);
  EXPECT_EQ(verify(node->cert), 0);
  EXPECT_TRUE(pki->RegenerateCrl(7).ok());
  EXPECT_NE(verify(ops->cert), 0);
}

// ---- HopdProcess and NodeFixture with the fake hopd -----------------------------------------
TEST(HopdProcessTest, StartsStopsAndKills) {
  TempDir dir;
  const int port = PickFreePort();
  ASSERT_TRUE(
      WriteFile(dir.Path("c.textproto"), absl::StrCat("api_listen: \"127.0.0.1:", port, "\"\n"))
          .ok());
  ScopedEnv fake("HOP_FAKE_HOPD", "listen");
  HopdProcess hopd;
  absl::Status started = hopd.Start(SelfExe(), dir.Path("c.textproto"), dir.Path("log"), port);
  ASSERT_TRUE(started.ok()) << started;
  EXPECT_TRUE(hopd.running());
  EXPECT_GT(hopd.pid(), 0);
  EXPECT_EQ(hopd.Start(SelfExe(), dir.Path("c.textproto"), dir.Path("log"), port).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(hopd.Stop(), 0);
  EXPECT_FALSE(hopd.running());
  EXPECT_EQ(hopd.Stop(), -1);
  ASSERT_TRUE(hopd.Start(SelfExe(), dir.Path("c.textproto"), dir.Path("log"), port).ok());
  EXPECT_EQ(hopd.Kill(), 128 + SIGKILL);
  absl::StatusOr<std::string> log = ReadFile(dir.Path("log"));
  ASSERT_TRUE(log.ok());
  EXPECT_TRUE(absl::StrContains(*log, "fake hopd: listening")) << *log;
}

TEST(HopdProcessTest, ExitBeforeListeningIsAnErrorWithLogTail) {
  TempDir dir;
  ScopedEnv fake("HOP_FAKE_HOPD", "fail");
  HopdProcess hopd;
  absl::Status started =
      hopd.Start(SelfExe(), dir.Path("c.textproto"), dir.Path("log"), PickFreePort());
  EXPECT_EQ(started.code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(started.message(), "exited with 3")) << started;
  EXPECT_TRUE(absl::StrContains(started.message(), "municipality: bad code")) << started;
  EXPECT_FALSE(hopd.running());
}

TEST(NodeFixtureTest, WritesConfigStartsHopdAndRunsHopctl) {
  ScopedEnv keep("HOP_KEEP_TMP", nullptr);
  ScopedEnv fake("HOP_FAKE_HOPD", "listen");
  NodeOptions options;
  options.ehak = "0624";
  options.hopd_binary = SelfExe();
  options.hopctl_binary = "echo";  // shows the argv hopctl would get
  options.extra_config = "peers { municipality: \"0793\" address: \"127.0.0.1:1\" }";
  absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
  ASSERT_TRUE(node.ok()) << node.status();
  NodeFixture& n = **node;
  const std::string dir = n.dir();

  absl::StatusOr<std::string> config = ReadFile(n.config_path());
  ASSERT_TRUE(config.ok());
  for (const std::string& want :
       {absl::StrCat("municipality: \"0624\"\n"), absl::StrCat("data_dir: \"", dir, "/data\"\n"),
        absl::StrCat("api_listen: \"", n.api_address(), "\"\n"),
        absl::StrCat("federation_listen: \"", n.federation_address(), "\"\n"),
        absl::StrCat("metrics_listen: \"", n.metrics_address(), "\"\n"),
        absl::StrCat("tls { ca_cert: \"", n.pki().ca_cert(), "\" cert: \"", dir,
                     "/pki/nodes/0624/node.pem\" key: \"", dir,
                     "/pki/nodes/0624/node.key\" crl: \"", n.pki().crl(), "\" }\n"),
        std::string("bootstrap_admins: \"admin\"\n"), options.extra_config}) {
    EXPECT_TRUE(absl::StrContains(*config, want)) << "missing " << want << " in\n" << *config;
  }
  EXPECT_TRUE(Exists(n.pki().dir() + "/staff/0624/admin/staff.pem"));

  CommandResult r = n.Hopctl("mari", {"case", "list"});
  const CertPaths mari = n.Staff("mari");
  EXPECT_EQ(Mode(mari.key), 0600);
  EXPECT_EQ(r.out, absl::StrCat("--server ", n.api_address(), " --ca ", n.pki().ca_cert(),
                                " --crl ", n.pki().crl(), " --cert ", mari.cert, " --key ",
                                mari.key, " case list\n"));
  EXPECT_TRUE(absl::StrContains(n.HopctlWith(n.Ops("prom"), {"status"}).out, "/ops/0624/prom/"));

  const pid_t first = n.process().pid();
  ASSERT_TRUE(n.Restart().ok());
  EXPECT_NE(n.process().pid(), first);
  EXPECT_TRUE(absl::StrContains(n.log(), "fake hopd: listening"));
  EXPECT_EQ(n.Stop(), 0);
  node->reset();
  EXPECT_FALSE(Exists(dir));
}

TEST(NodeFixtureTest, StartFailureCarriesHopdLog) {
  ScopedEnv fake("HOP_FAKE_HOPD", "fail");
  NodeOptions options;
  options.hopd_binary = SelfExe();
  absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
  EXPECT_EQ(node.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(absl::StrContains(node.status().message(), "bad code")) << node.status();
}

}  // namespace
}  // namespace hop::testing
