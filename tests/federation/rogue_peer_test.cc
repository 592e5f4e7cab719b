// Security tests with real processes: a peer presenting another municipality's records is
// refused. A real hopd for Kambja (0283) pulls from tests/federation/rogue_peer, a misbehaving
// hop.v1.Federation server that holds Elva's (0171) genuine node certificate of the same
// federation CA, over mutual TLS on loopback.
//
// Contract checked:
// - MixedBatch: of a batch with one valid entry of 0171 and four bad ones (records of 0793, an
//   invalid isikukood, no payload), only the valid one is kept; each bad one is counted, logged
//   as "entry refused" without the child's isikukood, and the sync itself succeeds. The
//   directory shows 0171's institution and nothing of 0793.
// - WrongOriginBatch: a batch whose origin is not the sender's municipality is refused whole.
// - BloatedEntries: a summary with 100,000 need areas and an entry its owner withheld as too
//   large are refused one by one (counted, shown in hopctl peers, audited) and the tombstone
//   after them still arrives: no single record stops the link.
// - WrongCertificateForAddress: a peer configured as Nõo (0528) that presents Elva's certificate
//   fails the TLS identity check: nothing is pulled, the error is reported.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CommandResult;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

constexpr char kRogue[] = "0171";     // the certificate the rogue presents (Elva)
constexpr char kReceiver[] = "0283";  // the real hopd (Kambja)
constexpr char kImpostor[] = "0528";  // Nõo: configured at the rogue's address in one test
constexpr char kVictim[] = "0793";    // Tartu linn: whose records the rogue claims
const char* const kIsikukoods[] = {"60001019906", "60001019907"};

// One rogue_peer child process: stdout is a pipe (read until "ready"), stderr a log file.
class RogueProcess {
 public:
  RogueProcess() = default;
  ~RogueProcess() { Stop(); }
  RogueProcess(const RogueProcess&) = delete;
  RogueProcess& operator=(const RogueProcess&) = delete;

  // Starts `argv` and blocks until it prints "ready" (OK) or closes its stdout (Unavailable,
  // with the log's tail; the child is then reaped).
  absl::Status Start(const std::vector<std::string>& argv, const std::string& log_path) {
    log_path_ = log_path;
    std::vector<std::string> args_copy = argv;
    std::vector<char*> args;
    for (std::string& s : args_copy) args.push_back(s.data());
    args.push_back(nullptr);
    int out_pipe[2];
    if (pipe2(out_pipe, O_CLOEXEC) != 0) {
      return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
    }
    const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (log_fd < 0 || devnull < 0) return absl::InternalError(absl::StrCat("open ", log_path));
    pid_ = fork();
    if (pid_ < 0) return absl::InternalError(absl::StrCat("fork: ", std::strerror(errno)));
    if (pid_ == 0) {
      setpgid(0, 0);
      dup2(devnull, STDIN_FILENO);
      dup2(out_pipe[1], STDOUT_FILENO);
      dup2(log_fd, STDERR_FILENO);
      execv(args[0], args.data());
      _exit(127);
    }
    setpgid(pid_, pid_);
    close(devnull);
    close(log_fd);
    close(out_pipe[1]);
    out_fd_ = out_pipe[0];
    std::string out;
    char buffer[256];
    while (!absl::StrContains(out, "ready\n")) {
      const ssize_t n = read(out_fd_, buffer, sizeof(buffer));
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        const int code = Stop();
        return absl::UnavailableError(absl::StrCat("rogue_peer exited (", code,
                                                   ") before it was ready; stdout: ", out,
                                                   "\nlog:\n", testing::FileTail(log_path)));
      }
      out.append(buffer, static_cast<size_t>(n));
    }
    return absl::OkStatus();
  }

  // SIGTERM, then SIGKILL if it has not exited after 10 s; returns the exit code (128+N when
  // killed by signal N), or -1 when there is no process.
  int Stop() {
    if (pid_ <= 0) return -1;
    kill(pid_, SIGTERM);
    int status = 0;
    pid_t reaped = 0;
    for (int i = 0; i < 1000 && reaped == 0; ++i) {
      reaped = waitpid(pid_, &status, WNOHANG);
      if (reaped == 0) usleep(10000);
    }
    if (reaped == 0) {
      kill(-pid_, SIGKILL);
      reaped = waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    if (out_fd_ >= 0) close(out_fd_);
    out_fd_ = -1;
    if (reaped < 0) return -1;
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
  }

  bool started() const { return pid_ > 0; }
  std::string log() const {
    absl::StatusOr<std::string> contents = testing::ReadFile(log_path_);
    return contents.ok() ? *contents : "";
  }

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  std::string log_path_;
};

class RoguePeerTest : public ::testing::Test {
 protected:
  // Makes the PKI, starts rogue_peer with 0171's node certificate and `scenario`, then hopd
  // 0283 with each of `peer_codes` configured at the rogue's address.
  void StartFederation(const std::string& scenario, const std::vector<std::string>& peer_codes) {
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(dir_.Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    absl::StatusOr<testing::CertPaths> cert =
        pki->IssueNode(kRogue, {"--dns", "localhost", "--ip", "127.0.0.1"});
    ASSERT_TRUE(cert.ok()) << cert.status();
    const std::string rogue_address = absl::StrCat("127.0.0.1:", testing::PickFreePort());
    absl::Status started =
        rogue_.Start({testing::BinaryDir() + "/tests/federation/rogue_peer", "--listen",
                      rogue_address, "--ca", pki->ca_cert(), "--cert", cert->cert, "--key",
                      cert->key, "--origin", kRogue, "--scenario", scenario},
                     dir_.Path("rogue_peer.log"));
    ASSERT_TRUE(started.ok()) << started;

    NodeOptions options;
    options.ehak = kReceiver;
    options.pki_dir = dir_.Path("pki");
    for (const std::string& code : peer_codes) {
      options.extra_config +=
          absl::StrCat("peers { municipality: \"", code, "\" address: \"", rogue_address, "\" }\n");
    }
    absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
  }

  void TearDown() override {
    if (node_ != nullptr) node_->Stop();
    if (!rogue_.started()) return;
    EXPECT_EQ(rogue_.Stop(), 0) << "rogue_peer stops cleanly on SIGTERM:\n" << rogue_.log();
  }

  std::string Ok(const std::string& user, std::vector<std::string> args) {
    CommandResult r = node_->Hopctl(user, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << r.err << r.out;
    return r.out;
  }

  // Syncs 0283 with `peer` now (as the bootstrap admin) and returns its state of that peer.
  hop::v1::PeerSyncState Sync(const std::string& peer) {
    const std::string json = Ok("admin", {"--json", "sync", "--peer", peer});
    for (const char* code : kIsikukoods) EXPECT_FALSE(absl::StrContains(json, code)) << json;
    hop::v1::SyncNowResponse response;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
    for (const hop::v1::PeerSyncState& state : response.peers()) {
      if (state.municipality() == peer) return state;
    }
    ADD_FAILURE() << "no state of peer " << peer << " in: " << json;
    return hop::v1::PeerSyncState();
  }

  // The directory of `municipality` as a network leader of 0283 sees it.
  hop::v1::SearchDirectoryResponse Directory(const std::string& municipality) {
    const std::string json =
        Ok("juhan", {"--json", "directory", "search", "--municipality", municipality});
    hop::v1::SearchDirectoryResponse response;
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
    return response;
  }

  testing::TempDir dir_{"hop-rogue"};
  RogueProcess rogue_;
  std::unique_ptr<NodeFixture> node_;
};

TEST_F(RoguePeerTest, MixedBatch) {
  ASSERT_NO_FATAL_FAILURE(StartFederation("mixed", {kRogue}));

  const hop::v1::PeerSyncState state = Sync(kRogue);
  EXPECT_EQ(state.checkpoint().refused_in(), 4u)
      << "0793's case, 0793's institution, the invalid isikukood, the empty entry";
  EXPECT_EQ(state.checkpoint().records_in(), 1u) << "only 0171's own institution";
  EXPECT_EQ(state.records_held(), 1u);
  EXPECT_TRUE(state.checkpoint().last_error().empty()) << state.checkpoint().last_error();
  EXPECT_EQ(state.checkpoint().seq(), 5u) << "the refused entries are behind the checkpoint";

  Ok("admin", {"user", "add", "juhan", "--role", "network-leader", "--name", "Juhan"});
  const hop::v1::SearchDirectoryResponse victim = Directory(kVictim);
  for (const hop::v1::Institution& i : victim.institutions()) {
    EXPECT_NE(i.municipality(), kVictim) << "0171 may not supply 0793's directory: " << i.id();
  }
  EXPECT_EQ(victim.institutions_size(), 0);
  const hop::v1::SearchDirectoryResponse elva = Directory(kRogue);
  ASSERT_EQ(elva.institutions_size(), 1) << "the held copy of 0171's institution";
  EXPECT_EQ(elva.institutions(0).name(), "Rogue Kool");
  EXPECT_EQ(elva.institutions(0).id(), "0171-I000001");

  const std::string log = node_->log();
  int refused = 0;
  for (absl::string_view line : absl::StrSplit(log, '\n')) {
    if (absl::StrContains(line, "entry refused")) ++refused;
  }
  EXPECT_EQ(refused, 4) << log;
  for (const char* code : kIsikukoods) {
    EXPECT_FALSE(absl::StrContains(log, code)) << "personal data in hopd's log:\n" << log;
  }
}

TEST_F(RoguePeerTest, BloatedEntries) {
  ASSERT_NO_FATAL_FAILURE(StartFederation("bloated", {kRogue}));

  const hop::v1::PeerSyncState state = Sync(kRogue);
  EXPECT_TRUE(state.checkpoint().last_error().empty()) << state.checkpoint().last_error();
  EXPECT_EQ(state.checkpoint().refused_in(), 2u) << "the bloated and the withheld entry";
  EXPECT_EQ(state.checkpoint().records_in(), 3u) << "institution, summary, its tombstone";
  EXPECT_EQ(state.checkpoint().seq(), 5u) << "the link went past the refused entries";
  EXPECT_EQ(state.records_held(), 1u) << "the institution; the summary was withdrawn after";
  EXPECT_TRUE(absl::StartsWith(state.checkpoint().last_refusal(), "seq 4: "))
      << state.checkpoint().last_refusal();
  EXPECT_TRUE(absl::StrContains(state.checkpoint().last_refusal(), "withheld"));

  const std::string peers = Ok("admin", {"peers"});
  EXPECT_TRUE(absl::StrContains(peers, "0171: newest refused entry: seq 4")) << peers;
  const std::string log = node_->log();
  EXPECT_TRUE(absl::StrContains(log, "need_areas: at most 64")) << log;
  for (const char* code : kIsikukoods) {
    EXPECT_FALSE(absl::StrContains(log, code)) << "personal data in hopd's log:\n" << log;
  }
  // The child named by the refused summary sees the attempt in its access report.
  Ok("admin", {"user", "add", "kadri", "--role", "case-manager", "--name", "Kadri"});
  const std::string report = Ok("kadri", {"audit", "subject", "--child", kIsikukoods[0]});
  EXPECT_TRUE(absl::StrContains(report, "entries refused")) << report;
}

TEST_F(RoguePeerTest, AnOriginAskingForWithdrawalsForeverIsGivenUpOn) {
  ASSERT_NO_FATAL_FAILURE(StartFederation("ask-forever", {kRogue}));
  ASSERT_EQ(Sync(kRogue).records_held(), 1u) << "the first pull serves an institution";

  // Now every pull asks for withdrawal notices: they are handed back once (none are held),
  // and asking again fails the sync without touching what is held.
  const hop::v1::PeerSyncState state = Sync(kRogue);
  EXPECT_TRUE(absl::StrContains(state.checkpoint().last_error(), "asked again for withdrawal"))
      << state.checkpoint().last_error();
  EXPECT_EQ(state.records_held(), 1u) << "an ask is never applied";
  EXPECT_EQ(state.checkpoint().full_resyncs(), 0u);
  EXPECT_EQ(state.checkpoint().withdrawals_handed_back(), 0u);
  int pulls = 0;
  for (absl::string_view line : absl::StrSplit(rogue_.log(), '\n')) {
    if (absl::StrContains(line, "Pull from")) ++pulls;
  }
  EXPECT_EQ(pulls, 3) << "first sync, the ask, the handback; then the receiver gives up:\n"
                      << rogue_.log();
}

TEST_F(RoguePeerTest, WrongOriginBatch) {
  ASSERT_NO_FATAL_FAILURE(StartFederation("wrong-origin", {kRogue}));

  const hop::v1::PeerSyncState state = Sync(kRogue);
  const std::string& error = state.checkpoint().last_error();
  EXPECT_FALSE(error.empty());
  EXPECT_TRUE(absl::StrContains(error, kVictim)) << "names the claimed origin: " << error;
  EXPECT_EQ(state.records_held(), 0u);
  EXPECT_EQ(state.checkpoint().records_in(), 0u);
  EXPECT_EQ(state.checkpoint().last_success(), 0);
  EXPECT_EQ(state.checkpoint().seq(), 0u) << "the batch's checkpoint is not taken either";
}

TEST_F(RoguePeerTest, WrongCertificateForAddress) {
  // 0171 at the same address is the control: the rogue is up and serving there.
  ASSERT_NO_FATAL_FAILURE(StartFederation("mixed", {kImpostor, kRogue}));

  const hop::v1::PeerSyncState impostor = Sync(kImpostor);
  EXPECT_FALSE(impostor.checkpoint().last_error().empty());
  EXPECT_EQ(impostor.records_held(), 0u);
  EXPECT_EQ(impostor.checkpoint().records_in(), 0u);
  EXPECT_EQ(impostor.checkpoint().last_success(), 0);
  EXPECT_FALSE(absl::StrContains(rogue_.log(), "Pull from"))
      << "no call may pass the failed handshake:\n"
      << rogue_.log();

  const hop::v1::PeerSyncState control = Sync(kRogue);
  EXPECT_TRUE(control.checkpoint().last_error().empty()) << control.checkpoint().last_error();
  EXPECT_EQ(control.records_held(), 1u);
  EXPECT_TRUE(absl::StrContains(rogue_.log(), "Pull from")) << rogue_.log();
}

// A flood of nudges from a peer costs at most one pull at once and one per 10 s after it; a
// node that is not a configured peer is refused and costs nothing.
TEST_F(RoguePeerTest, NudgeFloodCostsAtMostOnePullPerTenSeconds) {
  ASSERT_NO_FATAL_FAILURE(StartFederation("quiet", {kRogue}));
  absl::StatusOr<testing::Pki> pki = testing::Pki::Open(dir_.Path("pki"));
  ASSERT_TRUE(pki.ok()) << pki.status();
  auto pulls = [&] {
    const std::string log = rogue_.log();
    int n = 0;
    for (size_t at = log.find("Pull from"); at != std::string::npos;
         at = log.find("Pull from", at + 1)) {
      ++n;
    }
    return n;
  };
  auto flood = [&](const std::string& cert, const std::string& key, int count) {
    return testing::RunCommand({testing::BinaryDir() + "/tests/federation/rogue_peer", "--nudge",
                                node_->federation_address(), "--nudge_server", kReceiver,
                                "--nudges", std::to_string(count), "--ca", pki->ca_cert(), "--cert",
                                cert, "--key", key});
  };
  const int before = pulls();
  const auto start = std::chrono::steady_clock::now();
  const std::string own = pki->dir() + "/nodes/" + kRogue + "/node";
  const CommandResult flooded = flood(own + ".pem", own + ".key", 300);
  ASSERT_EQ(flooded.exit_code, 0) << flooded.err;
  EXPECT_TRUE(absl::StrContains(flooded.out, "nudges: 300 ok, 0 refused")) << flooded.out;

  // The first nudge is served at once; the other 299 coalesce into one more pull 10 s later.
  const auto deadline = start + std::chrono::seconds(40);
  while (pulls() - before < 2 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  const int64_t elapsed_s =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - start)
          .count();
  const int made = pulls() - before;
  std::cout << "300 nudges cost " << made << " pulls in " << elapsed_s << " s\n";
  EXPECT_GE(made, 1) << "a nudge makes the node pull\n" << node_->log();
  EXPECT_LE(made, 2 + elapsed_s / 10)
      << "300 nudges in " << elapsed_s << " s may cost one pull at once and one per 10 s\n"
      << rogue_.log();

  absl::StatusOr<testing::CertPaths> impostor = pki->IssueNode(kImpostor);
  ASSERT_TRUE(impostor.ok()) << impostor.status();
  const int before_impostor = pulls();
  const CommandResult refused = flood(impostor->cert, impostor->key, 20);
  ASSERT_EQ(refused.exit_code, 0) << refused.err;
  EXPECT_TRUE(absl::StrContains(refused.out, "nudges: 0 ok, 20 refused")) << refused.out;
  EXPECT_TRUE(absl::StrContains(refused.out, "not a configured peer node")) << refused.out;
  EXPECT_EQ(pulls(), before_impostor) << "a refused nudge costs no pull";
}

}  // namespace
}  // namespace hop
