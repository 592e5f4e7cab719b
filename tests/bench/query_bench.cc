// query_bench: the issue-4 query benchmark. A program, not a test (not registered with ctest).
//
// The eight Tartu County nodes run as real hopd processes on loopback, all peers of each other
// over mTLS, with a throwaway PKI made by certs/hop-pki. Each of the seven other nodes holds a
// case of the same child with a guardian's consent naming Tartu linn (0793). From 0793, a case
// manager then asks, at a steady rate (--rate per second, --queries in all, one at a time):
//   1. live query: CaseWork.QueryPeers fanned out to the seven peers (each answer carries one
//      summary; every query writes an audit entry at 0793 and at each of the seven owners, and
//      an inbox entry at each owner);
//   2. lookup from local copies: CaseWork.Lookup after 0793 has synced from every peer.
// Latency is measured at the client, end to end (mTLS staff call included); the summary gives
// p50, p90, p99 and max per kind. Every answer is checked (7 answered peers, 7 held copies).
//
// Run:   tests/bench/run_query_bench.sh          (builds, then runs with the defaults)
//   or   build/tests/bench/query_bench --queries 1000 --rate 20
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/create_channel.h"
#include "hop/v1/casework.grpc.pb.h"
#include "tests/support/harness.h"

ABSL_FLAG(int, queries, 1000, "calls of each kind");
ABSL_FLAG(double, rate, 20, "calls per second (steady, one at a time)");
ABSL_FLAG(int, warmup, 20, "calls of each kind before measuring (connections, caches)");

namespace hop::bench {
namespace {

constexpr char kAsker[] = "0793";
const std::vector<std::string> kCounty = {"0793", "0171", "0283", "0291",
                                          "0432", "0528", "0586", "0796"};
constexpr char kChild[] = "61604150239";
constexpr char kGuardian[] = "49403136526";

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "query_bench: %s\n", what.c_str());
  std::exit(1);
}

// Runs hopctl at `node` as `user` and returns stdout; exits on failure.
std::string Hopctl(testing::NodeFixture& node, const std::string& user,
                   const std::vector<std::string>& args) {
  testing::CommandResult r = node.Hopctl(user, args);
  if (r.exit_code != 0) Fail(absl::StrCat("hopctl at ", node.ehak(), " failed: ", r.err));
  return r.out;
}

std::string JsonField(const std::string& json, const std::string& field) {
  const std::string key = absl::StrCat("\"", field, "\": \"");
  const size_t at = json.find(key);
  if (at == std::string::npos) Fail(absl::StrCat("no ", field, " in ", json));
  const size_t start = at + key.size();
  return json.substr(start, json.find('"', start) - start);
}

// Starts the eight nodes in parallel, each listing the seven others as peers.
std::vector<std::unique_ptr<testing::NodeFixture>> StartCounty(const std::string& pki_dir) {
  if (absl::StatusOr<testing::Pki> pki = testing::Pki::Create(pki_dir); !pki.ok()) {
    Fail(std::string(pki.status().message()));
  }
  const int n = static_cast<int>(kCounty.size());
  const std::vector<int> ports = testing::PickFreePorts(3 * n);
  std::vector<absl::StatusOr<std::unique_ptr<testing::NodeFixture>>> started(n);
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      testing::NodeOptions options;
      options.ehak = kCounty[i];
      options.pki_dir = pki_dir;
      options.api_port = ports[3 * i];
      options.federation_port = ports[3 * i + 1];
      options.metrics_port = ports[3 * i + 2];
      for (int j = 0; j < n; ++j) {
        if (j == i) continue;
        options.extra_config +=
            absl::StrCat("peers { municipality: \"", kCounty[j],
                         "\" address: \"127.0.0.1:", ports[3 * j + 1], "\" }\n");
      }
      options.extra_config +=
          "limits { queries_per_user_per_minute: 100000 queries_per_peer_per_minute: 100000 }\n";
      started[i] = testing::NodeFixture::Start(options);
    });
  }
  for (std::thread& t : threads) t.join();
  std::vector<std::unique_ptr<testing::NodeFixture>> nodes;
  for (int i = 0; i < n; ++i) {
    if (!started[i].ok()) Fail(absl::StrCat(kCounty[i], ": ", started[i].status().message()));
    nodes.push_back(*std::move(started[i]));
  }
  return nodes;
}

// At `node`: a case manager, a school, a case of kChild and a consent naming 0793.
void SeedOwner(testing::NodeFixture& node) {
  Hopctl(node, "admin", {"user", "add", "cm", "--role", "case-manager", "--name", "Case Manager"});
  const std::string school =
      JsonField(Hopctl(node, "cm",
                       {"--json", "directory", "institution", "add", "--name", "Kool", "--kind",
                        "school", "--ownership", "municipal", "--municipality", node.ehak()}),
                "id");
  const std::string case_id =
      JsonField(Hopctl(node, "cm",
                       {"--json", "case", "open", "--child", kChild, "--name", "Mari", "--level",
                        "school", "--institution", school, "--reason", "reading difficulties"}),
                "id");
  Hopctl(node, "cm", {"case", "assign", case_id, "--case-manager", "cm"});
  Hopctl(
      node, "cm",
      {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", kAsker, "--scope",
       "summary,contact", "--purpose", "benchmark", "--until", hop::testing::DateFromToday(365)});
}

struct Percentiles {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

Percentiles Summarize(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) {
    return ms[std::min(ms.size() - 1, static_cast<size_t>(q * static_cast<double>(ms.size())))];
  };
  return {at(0.50), at(0.90), at(0.99), ms.back()};
}

// Calls `call` --warmup times, then --queries times at --rate per second; latencies in ms.
std::vector<double> Measure(const std::string& kind, const std::function<void()>& call) {
  for (int i = 0; i < absl::GetFlag(FLAGS_warmup); ++i) call();
  const int n = absl::GetFlag(FLAGS_queries);
  const auto interval = std::chrono::duration<double>(1.0 / absl::GetFlag(FLAGS_rate));
  std::vector<double> ms;
  ms.reserve(n);
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; ++i) {
    std::this_thread::sleep_until(
        start + std::chrono::duration_cast<std::chrono::steady_clock::duration>(interval * i));
    const auto t0 = std::chrono::steady_clock::now();
    call();
    ms.push_back(
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if ((i + 1) % 200 == 0) std::fprintf(stderr, "  %s: %d/%d\n", kind.c_str(), i + 1, n);
  }
  return ms;
}

int Run() {
  testing::TempDir work("hop-query-bench");
  std::fprintf(stderr, "starting the eight nodes ...\n");
  std::vector<std::unique_ptr<testing::NodeFixture>> nodes = StartCounty(work.Path("pki"));
  testing::NodeFixture& asker = *nodes[0];
  for (size_t i = 1; i < nodes.size(); ++i) SeedOwner(*nodes[i]);
  Hopctl(asker, "admin", {"user", "add", "cm", "--role", "case-manager", "--name", "Asker"});
  const testing::CertPaths cert = asker.Staff("cm");
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      security::MakeChannelCredentials({asker.pki().ca_cert(), cert.cert, cert.key},
                                       security::NodeSpiffeId(kAsker));
  if (!creds.ok()) Fail(std::string(creds.status().message()));
  auto stub = hop::v1::CaseWork::NewStub(grpc::CreateChannel(asker.api_address(), *creds));

  const size_t peers = nodes.size() - 1;
  hop::v1::QueryPeersRequest query;
  query.set_child_isikukood(kChild);
  query.set_purpose("benchmark: earlier support?");
  query.set_deadline_ms(5000);
  std::fprintf(stderr, "live queries to %zu peers ...\n", peers);
  const std::vector<double> live = Measure("query", [&] {
    grpc::ClientContext ctx;
    hop::v1::QueryPeersResponse r;
    grpc::Status s = stub->QueryPeers(&ctx, query, &r);
    if (!s.ok()) Fail(absl::StrCat("QueryPeers: ", s.error_message()));
    int answered = 0;
    for (const hop::v1::PeerAnswer& a : r.answers()) {
      answered += a.outcome() == hop::v1::PEER_OUTCOME_ANSWERED && a.summaries_size() == 1;
    }
    if (answered != static_cast<int>(peers)) Fail(absl::StrCat("answers: ", r.DebugString()));
  });

  std::fprintf(stderr, "syncing 0793 from every peer ...\n");
  Hopctl(asker, "admin", {"--timeout", "120", "sync"});
  hop::v1::LookupRequest lookup;
  lookup.set_child_isikukood(kChild);
  lookup.set_purpose("benchmark: earlier support?");
  std::fprintf(stderr, "lookups from local copies ...\n");
  const std::vector<double> local = Measure("lookup", [&] {
    grpc::ClientContext ctx;
    hop::v1::LookupResponse r;
    grpc::Status s = stub->Lookup(&ctx, lookup, &r);
    if (!s.ok()) Fail(absl::StrCat("Lookup: ", s.error_message()));
    if (r.held_size() != static_cast<int>(peers)) Fail(absl::StrCat("held: ", r.held_size()));
  });

  const Percentiles q = Summarize(live), l = Summarize(local);
  std::printf(
      "\nquery_bench summary (%d calls of each kind at %.0f/s, one at a time; ms, end to end)\n"
      "  %-34s p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f\n"
      "  %-34s p50 %7.2f  p90 %7.2f  p99 %7.2f  max %7.2f\n"
      "  ratio of p50s (live / local): %.1f\n",
      absl::GetFlag(FLAGS_queries), absl::GetFlag(FLAGS_rate),
      absl::StrCat("live query, ", peers, " peers").c_str(), q.p50, q.p90, q.p99, q.max,
      "lookup from local copies", l.p50, l.p90, l.p99, l.max, q.p50 / l.p50);
  return 0;
}

}  // namespace
}  // namespace hop::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "query latency of a live query fanned out to the seven other Tartu County nodes and of a "
      "lookup from local copies (real hopd processes over mTLS on loopback)");
  absl::ParseCommandLine(argc, argv);
  // The harness finds hopd, hopctl and certs/hop-pki through these (as ctest sets them).
  const std::string self = std::filesystem::canonical("/proc/self/exe").string();
  setenv("HOP_SOURCE_DIR", HOP_BENCH_SOURCE_DIR, 0);
  setenv("HOP_BINARY_DIR",
         std::filesystem::path(self).parent_path().parent_path().parent_path().c_str(), 0);
  return hop::bench::Run();
}
