// sync_bench: the issue-3 sync benchmark. A program, not a test (not registered with ctest).
//
// In one run, on this machine:
//   1. the owner (0793) is filled offline through the casework library with --cases cases,
//      each child with a guardian's consent naming the peer (0171);
//   2. raw ceiling: a bench-only gRPC server stream (tests/bench/bench.proto) over real mTLS on
//      127.0.0.1 into RocksDB (hop::store::Store, one durable WriteBatch per batch of 500),
//      --raw_records records of 1 KiB, and again at the size of hop's feed entries;
//   3. hop initial pull: two real hopd processes; the wall time of
//      `hopctl --json sync --peer 0793` against 0171 (an empty store each run), records/s;
//   4. hop incremental: the owner stopped, 1% of the cases changed offline (a new need area),
//      restarted, synced again; then syncs of an unchanged store.
// Each timed phase runs --repeats times (default 3); the summary reports the medians.
// Certificates come from a throwaway PKI made with certs/hop-pki.
//
// Run:   tests/bench/run_sync_bench.sh            (builds, then runs with the defaults)
//   or   build/tests/bench/sync_bench --cases 100000 --raw_records 200000
// Flags: --cases --raw_records --raw_record_bytes --repeats --work_dir --keep --hopd --hopctl
//        --fill_tmpfs (see --help).
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "daemon/base/status_macros.h"
#include "tests/bench/bench_process.h"
#include "tests/bench/hop_nodes.h"
#include "tests/bench/owner_fill.h"
#include "tests/bench/raw_ceiling.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, cases, 100000, "cases at the owner visible to the peer (each with a consent)");
ABSL_FLAG(int64_t, raw_records, 200000, "records streamed for the raw ceiling (0: skip it)");
ABSL_FLAG(int, raw_record_bytes, 1024, "payload bytes per raw-ceiling record");
ABSL_FLAG(bool, raw_pipelined, true,
          "raw ceiling: write each batch on a second thread while the next one is received "
          "(false: receive, write, receive, ... on one thread, as hop's puller does)");
ABSL_FLAG(int, repeats, 3, "runs of each timed phase; the summary reports the median");
ABSL_FLAG(std::string, work_dir, "",
          "scratch directory (must be empty or absent); default: a fresh mkdtemp under $TMPDIR "
          "or /tmp. Removed at the end unless --keep");
ABSL_FLAG(bool, keep, false, "keep the work directory (stores, configs, hopd logs, PKI)");
ABSL_FLAG(std::string, hopd, "", "hopd binary; default: <build>/daemon/hopd next to this one");
ABSL_FLAG(std::string, hopctl, "", "hopctl binary; default: <build>/client/hopctl");
ABSL_FLAG(std::string, fill_tmpfs, "/dev/shm",
          "fill the owner's store on this tmpfs, then copy it to the work directory (the fill "
          "is not timed; every change is an fsync'd write). Empty: fill in place");

namespace hop::bench {
namespace {

namespace fs = std::filesystem;

constexpr char kOwner[] = "0793";        // Tartu linn: owns the cases
constexpr char kPeer[] = "0171";         // Elva: pulls them
constexpr uint32_t kBatchRecords = 500;  // as hop's Federation.Pull (domain::kMaxPullBatchEntries)
constexpr size_t kChangeStride = 100;    // every 100th case changes: 1%

struct Run {
  double seconds = 0;
  uint64_t records = 0;
  int64_t hopd_ms = 0;  // the receiver's own checkpoint.last_duration_ms (0: not reported)
};

struct Certs {
  std::string ca, crl;
  testing::CertPaths owner, peer, admin;  // node certs; the peer's admin staff cert
};

struct Summary {
  FillResult fill;
  RawCeilingResult raw;        // at --raw_record_bytes (records 0: skipped)
  RawCeilingResult raw_entry;  // at hop's average feed entry size
  Run initial, incremental, unchanged;
};

// The run with the median time (the lower middle one for an even count).
template <typename T>
T Median(std::vector<T> runs) {
  std::sort(runs.begin(), runs.end(), [](const T& a, const T& b) { return a.seconds < b.seconds; });
  return runs[(runs.size() - 1) / 2];
}

double Rate(uint64_t records, double seconds) { return seconds > 0 ? records / seconds : 0; }

std::string Resolve(const std::string& flag, const std::string& relative) {
  if (!flag.empty()) return flag;
  std::error_code ec;
  const fs::path self_dir = fs::read_symlink("/proc/self/exe", ec).parent_path();
  const fs::path p = fs::weakly_canonical(self_dir / relative, ec);
  return ec ? (self_dir / relative).string() : p.string();
}

absl::Status Check(const absl::Status& s, absl::string_view what) {
  if (s.ok()) return s;
  return absl::Status(s.code(), absl::StrCat(what, ": ", s.message()));
}

absl::StatusOr<std::string> MakeWorkDir(const std::string& flag) {
  if (!flag.empty()) {
    std::error_code ec;
    if (fs::exists(flag, ec) && !fs::is_empty(flag, ec)) {
      return absl::InvalidArgumentError(
          absl::StrCat("--work_dir ", flag,
                       " is not empty; give an empty or new directory (it is removed at the end "
                       "unless --keep)"));
    }
    fs::create_directories(flag, ec);
    if (ec) return absl::InternalError(absl::StrCat("--work_dir ", flag, ": ", ec.message()));
    return fs::absolute(flag).string();
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string templ =
      absl::StrCat((tmp != nullptr && *tmp != '\0') ? tmp : "/tmp", "/hop-sync-bench.XXXXXX");
  if (mkdtemp(templ.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp ", templ, ": ", std::strerror(errno)));
  }
  return templ;
}

// Removes the work directory when the benchmark ends, whichever way (unless --keep).
class WorkDirGuard {
 public:
  WorkDirGuard(std::string path, bool keep) : path_(std::move(path)), keep_(keep) {
    if (!keep_) RegisterScratchDir(path_);
  }
  ~WorkDirGuard() {
    if (keep_) {
      std::printf("work directory kept: %s\n", path_.c_str());
      return;
    }
    std::error_code ignored;
    fs::remove_all(path_, ignored);
    UnregisterScratchDir(path_);
  }

 private:
  std::string path_;
  bool keep_;
};

// On failure, shows the end of each hopd log before the work directory goes.
class LogsOnFailure {
 public:
  explicit LogsOnFailure(std::vector<HopNode*> nodes) : nodes_(std::move(nodes)) {}
  ~LogsOnFailure() {
    if (succeeded_) return;
    for (HopNode* n : nodes_) {
      n->Stop();
      std::fprintf(stderr, "--- %s ends with:\n%s\n", n->log_path().c_str(),
                   LogTail(n->log_path()).c_str());
    }
  }
  void Succeeded() { succeeded_ = true; }

 private:
  std::vector<HopNode*> nodes_;
  bool succeeded_ = false;
};

void PrintRun(const char* phase, int i, const Run& r) {
  const std::string hopd =
      r.hopd_ms > 0 ? absl::StrCat(" (hopd's own pull time: ", r.hopd_ms, " ms)") : "";
  std::printf("  %s run %d: %llu records in %.3f s = %.0f rec/s%s\n", phase, i + 1,
              static_cast<unsigned long long>(r.records), r.seconds, Rate(r.records, r.seconds),
              hopd.c_str());
  std::fflush(stdout);
}

absl::StatusOr<Certs> MakePki(const std::string& dir) {
  std::printf("PKI (certs/hop-pki) in %s\n", dir.c_str());
  absl::StatusOr<testing::Pki> pki = testing::Pki::Create(dir);
  if (!pki.ok()) return Check(pki.status(), "making the PKI");
  Certs certs{pki->ca_cert(), pki->crl(), {}, {}, {}};
  const std::vector<std::string> san = {"--dns", "localhost", "--ip", "127.0.0.1"};
  HOP_ASSIGN_OR_RETURN(certs.owner, pki->IssueNode(kOwner, san));
  HOP_ASSIGN_OR_RETURN(certs.peer, pki->IssueNode(kPeer, san));
  HOP_ASSIGN_OR_RETURN(certs.admin, pki->IssueStaff(kPeer, "admin"));
  return certs;
}

absl::StatusOr<FillResult> FillPhase(const std::string& data_dir, int cases) {
  std::printf("filling the owner %s offline: %d cases, each with a consent naming %s\n", kOwner,
              cases, kPeer);
  FillOptions fill;
  fill.data_dir = data_dir;
  fill.owner = kOwner;
  fill.peer = kPeer;
  fill.cases = cases;
  const std::string tmpfs = absl::GetFlag(FLAGS_fill_tmpfs);
  std::string scratch;
  if (!tmpfs.empty()) {
    scratch = tmpfs + "/hop-sync-bench-fill.XXXXXX";
    if (mkdtemp(scratch.data()) == nullptr) {
      return absl::InternalError(absl::StrCat("mkdtemp ", scratch, ": ", std::strerror(errno),
                                              " (pass --fill_tmpfs= to fill in place)"));
    }
    RegisterScratchDir(scratch);
    fill.scratch_dir = scratch + "/data";
  }
  absl::StatusOr<FillResult> filled = FillOwner(fill);
  if (!scratch.empty()) {
    std::error_code ignored;
    fs::remove_all(scratch, ignored);
    UnregisterScratchDir(scratch);
  }
  if (!filled.ok()) return Check(filled.status(), "filling the owner");
  const std::string where = scratch.empty() ? ""
                                            : absl::StrFormat(" on %s, copied to disk in %.1f s",
                                                              tmpfs, filled->copy_seconds);
  std::printf(
      "  filled in %.1f s (%.0f cases/s)%s; the peer's feed: %llu entries, %llu case "
      "summaries of %.0f B on average\n",
      filled->fill_seconds, Rate(cases, filled->fill_seconds), where.c_str(),
      static_cast<unsigned long long>(filled->feed_entries),
      static_cast<unsigned long long>(filled->feed_summaries),
      filled->feed_summaries == 0
          ? 0.0
          : static_cast<double>(filled->feed_summary_bytes) / filled->feed_summaries);
  return filled;
}

absl::StatusOr<RawCeilingResult> RawPhase(const Certs& certs, const std::string& work,
                                          uint64_t records, uint32_t record_bytes, int repeats) {
  const bool pipelined = absl::GetFlag(FLAGS_raw_pipelined);
  std::printf("raw ceiling: %llu records of %u B over mTLS into RocksDB, batches of %u, %s\n",
              static_cast<unsigned long long>(records), record_bytes, kBatchRecords,
              pipelined ? "pipelined" : "sequential");
  std::vector<RawCeilingResult> runs;
  for (int i = 0; i < repeats; ++i) {
    RawCeilingOptions o;
    o.server_tls = {certs.ca, certs.owner.cert, certs.owner.key};
    o.server_ehak = kOwner;
    o.client_tls = {certs.ca, certs.peer.cert, certs.peer.key};
    o.store_dir = absl::StrCat(work, "/raw-", record_bytes, "-", i);
    o.records = records;
    o.record_bytes = record_bytes;
    o.batch_records = kBatchRecords;
    o.pipelined = pipelined;
    absl::StatusOr<RawCeilingResult> r = RunRawCeiling(o);
    if (!r.ok()) return Check(r.status(), "raw ceiling");
    PrintRun("raw", i, Run{r->seconds, r->records, 0});
    runs.push_back(*r);
  }
  return Median(runs);
}

// The initial pull (into an empty receiver each run), the incremental syncs after 1% of the
// cases changed, and the syncs of an unchanged store.
absl::Status HopPhases(const Certs& certs, const std::string& work, int repeats, Summary& out) {
  const std::string hopd = Resolve(absl::GetFlag(FLAGS_hopd), "../../daemon/hopd");
  const std::string hopctl = Resolve(absl::GetFlag(FLAGS_hopctl), "../../client/hopctl");
  const std::vector<int> ports = testing::PickFreePorts(6);
  const int fed_owner = ports[1], fed_peer = ports[4];
  NodeSetup owner_setup{kOwner,         work + "/node-" + kOwner,
                        ports[0],       fed_owner,
                        ports[2],       kPeer,
                        fed_peer,       certs.ca,
                        certs.crl,      certs.owner.cert,
                        certs.owner.key};
  NodeSetup peer_setup{kPeer,         work + "/node-" + kPeer,
                       ports[3],      fed_peer,
                       ports[5],      kOwner,
                       fed_owner,     certs.ca,
                       certs.crl,     certs.peer.cert,
                       certs.peer.key};
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<HopNode> owner, HopNode::Create(owner_setup, hopd));
  HOP_ASSIGN_OR_RETURN(std::unique_ptr<HopNode> peer, HopNode::Create(peer_setup, hopd));
  LogsOnFailure logs({owner.get(), peer.get()});
  HOP_RETURN_IF_ERROR(owner->Start());
  HOP_RETURN_IF_ERROR(peer->Start());
  const HopctlTarget target{hopctl,    peer->api_address(), certs.ca,
                            certs.crl, certs.admin.cert,    certs.admin.key};

  std::printf("hop initial pull: hopctl --json sync --peer %s against %s (empty store each run)\n",
              kOwner, kPeer);
  std::vector<Run> initial;
  for (int i = 0; i < repeats; ++i) {
    if (i > 0) {
      peer->Stop();
      std::error_code ignored;
      fs::remove_all(peer->data_dir(), ignored);
      HOP_RETURN_IF_ERROR(peer->Start());
    }
    absl::StatusOr<TimedSync> s = RunTimedSync(target, kOwner);
    if (!s.ok()) return Check(s.status(), "initial pull");
    if (s->peer.records_held() != out.fill.feed_entries) {
      return absl::InternalError(absl::StrCat("initial pull: the receiver holds ",
                                              s->peer.records_held(), " records, expected ",
                                              out.fill.feed_entries));
    }
    const hop::v1::SyncCheckpoint& cp = s->peer.checkpoint();
    initial.push_back(Run{s->seconds, cp.records_in(), cp.last_duration_ms()});
    PrintRun("initial", i, initial.back());
  }
  out.initial = Median(initial);
  uint64_t records_in = initial.back().records;  // the receiver's all-time count so far

  std::printf("hop incremental: 1%% of the cases get a new need area (owner stopped), then sync\n");
  std::vector<Run> incremental;
  const std::vector<std::string>& all = out.fill.case_ids;
  // Need area codes the fill never uses, one per run (a different 1% of cases each run).
  const char* const kFollowUpNeeds[] = {"vision",     "hearing",     "health",
                                        "giftedness", "mathematics", "writing",
                                        "emotional",  "autism",      "intellectual"};
  constexpr int kFollowUps = sizeof(kFollowUpNeeds) / sizeof(kFollowUpNeeds[0]);
  for (int i = 0; i < repeats; ++i) {
    std::vector<std::string> ids;  // a different 1% each run
    for (size_t j = i % kChangeStride; j < all.size(); j += kChangeStride) ids.push_back(all[j]);
    if (ids.empty()) ids.push_back(all[i % all.size()]);
    owner->Stop();
    absl::StatusOr<double> changed =
        ChangeCases(owner->data_dir(), kOwner, kPeer, ids, kFollowUpNeeds[i % kFollowUps]);
    if (!changed.ok()) return Check(changed.status(), "changing cases");
    HOP_RETURN_IF_ERROR(owner->Start());
    absl::StatusOr<TimedSync> s = RunTimedSync(target, kOwner);
    if (!s.ok()) return Check(s.status(), "incremental sync");
    const hop::v1::SyncCheckpoint& cp = s->peer.checkpoint();
    incremental.push_back(Run{s->seconds, cp.records_in() - records_in, cp.last_duration_ms()});
    records_in = cp.records_in();
    PrintRun("incremental", i, incremental.back());
    if (incremental.back().records != ids.size()) {
      std::printf("  note: %zu cases changed but %llu records came\n", ids.size(),
                  static_cast<unsigned long long>(incremental.back().records));
    }
  }
  out.incremental = Median(incremental);

  std::printf("hop unchanged store: sync again with nothing changed\n");
  std::vector<Run> unchanged;
  for (int i = 0; i < repeats; ++i) {
    absl::StatusOr<TimedSync> s = RunTimedSync(target, kOwner);
    if (!s.ok()) return Check(s.status(), "sync of an unchanged store");
    const hop::v1::SyncCheckpoint& cp = s->peer.checkpoint();
    unchanged.push_back(Run{s->seconds, cp.records_in() - records_in, cp.last_duration_ms()});
    records_in = cp.records_in();
    PrintRun("unchanged", i, unchanged.back());
  }
  out.unchanged = Median(unchanged);
  peer->Stop();
  owner->Stop();
  logs.Succeeded();
  return absl::OkStatus();
}

absl::Status RunBench(const std::string& work, Summary& out) {
  const int repeats = std::max(1, absl::GetFlag(FLAGS_repeats));
  const int cases = absl::GetFlag(FLAGS_cases);
  if (cases < 1) return absl::InvalidArgumentError("--cases: must be at least 1");
  for (const std::string& binary : {Resolve(absl::GetFlag(FLAGS_hopd), "../../daemon/hopd"),
                                    Resolve(absl::GetFlag(FLAGS_hopctl), "../../client/hopctl")}) {
    if (access(binary.c_str(), X_OK) != 0) {
      return absl::NotFoundError(absl::StrCat(
          binary,
          " is not an executable; build it (--target hopd hopctl) or pass --hopd/--hopctl"));
    }
  }
  HOP_ASSIGN_OR_RETURN(const Certs certs, MakePki(work + "/pki"));
  HOP_ASSIGN_OR_RETURN(out.fill, FillPhase(work + "/node-" + kOwner + "/data", cases));
  fs::create_directories(work + "/node-" + kPeer);

  const int64_t raw_records = absl::GetFlag(FLAGS_raw_records);
  if (raw_records > 0) {
    HOP_ASSIGN_OR_RETURN(out.raw, RawPhase(certs, work, raw_records,
                                           absl::GetFlag(FLAGS_raw_record_bytes), repeats));
    if (out.fill.feed_summaries > 0) {
      const uint32_t entry_bytes =
          static_cast<uint32_t>(out.fill.feed_summary_bytes / out.fill.feed_summaries);
      HOP_ASSIGN_OR_RETURN(out.raw_entry, RawPhase(certs, work, raw_records, entry_bytes, repeats));
    }
  }
  return HopPhases(certs, work, repeats, out);
}

void PrintSummary(const Summary& s, int repeats, const std::string& command) {
  const double raw_rate = Rate(s.raw.records, s.raw.seconds);
  const double entry_rate = Rate(s.raw_entry.records, s.raw_entry.seconds);
  const double init_rate = Rate(s.initial.records, s.initial.seconds);
  const Run& inc = s.incremental;
  std::printf("\n== sync benchmark: median of %d runs, %u cores, %zu cases ==\n", repeats,
              std::thread::hardware_concurrency(), s.fill.case_ids.size());
  for (const RawCeilingResult* r : {&s.raw, &s.raw_entry}) {
    if (r->records == 0) continue;
    std::printf(
        "raw mTLS->RocksDB ceiling: %.0f rec/s, %.1f MiB/s (%llu B records, batches of %u, %s)\n",
        Rate(r->records, r->seconds), r->payload_bytes / r->seconds / (1 << 20),
        static_cast<unsigned long long>(r->payload_bytes / r->records), kBatchRecords,
        absl::GetFlag(FLAGS_raw_pipelined) ? "pipelined" : "sequential");
  }
  std::printf("hop initial pull:          %llu records in %.2f s = %.0f rec/s",
              static_cast<unsigned long long>(s.initial.records), s.initial.seconds, init_rate);
  if (raw_rate > 0) std::printf(" (%.2f of the 1 KiB ceiling", init_rate / raw_rate);
  if (entry_rate > 0) std::printf(", %.2f of the same-size ceiling", init_rate / entry_rate);
  if (raw_rate > 0) std::printf(")");
  std::printf("; %.1f us/record\n", 1e6 * s.initial.seconds / s.initial.records);
  if (s.initial.hopd_ms > 0) {
    std::printf("                           (hopd's own pull time %.2f s = %.0f rec/s)\n",
                s.initial.hopd_ms / 1e3, Rate(s.initial.records, s.initial.hopd_ms / 1e3));
  }
  std::printf("                           (%llu case summaries of %.0f B + %llu directory entry)\n",
              static_cast<unsigned long long>(s.fill.feed_summaries),
              s.fill.feed_summaries == 0
                  ? 0.0
                  : static_cast<double>(s.fill.feed_summary_bytes) / s.fill.feed_summaries,
              static_cast<unsigned long long>(s.fill.feed_entries - s.fill.feed_summaries));
  std::printf(
      "hop incremental (1%%):      %llu records in %.3f s (%.1f%% of the initial pull "
      "time); %.1f us/record\n",
      static_cast<unsigned long long>(inc.records), inc.seconds,
      100 * inc.seconds / s.initial.seconds,
      inc.records == 0 ? 0.0 : 1e6 * inc.seconds / inc.records);
  if (inc.records > 0 && inc.seconds > s.unchanged.seconds) {
    std::printf("                           (%.1f us/record beyond the unchanged-store sync)\n",
                1e6 * (inc.seconds - s.unchanged.seconds) / inc.records);
  }
  std::printf("hop unchanged store:       %.3f s, %llu records\n", s.unchanged.seconds,
              static_cast<unsigned long long>(s.unchanged.records));
  std::printf(
      "hop times: wall time of `hopctl --json sync --peer %s` against %s (hopctl start, "
      "both mTLS handshakes, the pull, the reply)\n",
      kOwner, kPeer);
  std::printf("command: %s\n", command.c_str());
}

}  // namespace
}  // namespace hop::bench

int main(int argc, char** argv) {
  hop::bench::InstallSignalCleanup();  // before any thread exists
  absl::SetProgramUsageMessage(
      "the issue-3 sync benchmark: hop initial pull, 1% incremental sync and an unchanged-store "
      "sync between two real hopd processes, against this machine's raw mTLS->RocksDB "
      "ceiling.\nUsage: sync_bench [--cases N] [--raw_records N] [--repeats N] [--work_dir DIR] "
      "[--keep] [--hopd PATH] [--hopctl PATH]");
  const std::string command = absl::StrJoin(argv, argv + argc, " ");
  absl::ParseCommandLine(argc, argv);
  // testing::Pki runs $HOP_SOURCE_DIR/certs/hop-pki.
  const char* source = std::getenv("HOP_SOURCE_DIR");
  if (source == nullptr || *source == '\0') setenv("HOP_SOURCE_DIR", HOP_BENCH_SOURCE_DIR, 1);

  absl::StatusOr<std::string> work = hop::bench::MakeWorkDir(absl::GetFlag(FLAGS_work_dir));
  if (!work.ok()) {
    std::fprintf(stderr, "sync_bench: %s\n", work.status().ToString().c_str());
    return 1;
  }
  std::printf("sync_bench: work directory %s\n", work->c_str());
  hop::bench::Summary summary;
  absl::Status status;
  {
    hop::bench::WorkDirGuard guard(*work, absl::GetFlag(FLAGS_keep));
    status = hop::bench::RunBench(*work, summary);
  }
  if (!status.ok()) {
    std::fprintf(stderr, "sync_bench: %s\n", status.ToString().c_str());
    return 1;
  }
  hop::bench::PrintSummary(summary, std::max(1, absl::GetFlag(FLAGS_repeats)), command);
  return 0;
}
