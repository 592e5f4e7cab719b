// rogue_peer: a test-only hop.v1.Federation server that misbehaves on purpose, for the security
// tests of the puller (tests/federation/rogue_peer_test.cc). Not part of hopd; never deploy.
//
// Contract:
//   rogue_peer --listen HOST:PORT --ca CA.pem --cert NODE.pem --key NODE.key --origin EHAK
//              --scenario mixed|wrong-origin|bloated|ask-forever|quiet
//   rogue_peer --nudge HOST:PORT --nudge_server EHAK --nudges N --ca CA.pem --cert NODE.pem
//              --key NODE.key
// - Serves hop.v1.Federation over mutual TLS only (hop::security::MakeServerCredentials: the
//   caller must present a certificate of the same CA); there is no plaintext mode.
// - Prints "ready" on stdout (flushed) once listening, then serves until SIGTERM or SIGINT and
//   exits 0. Exits 2 on a usage error, 1 if the credentials or the listener cannot be set up.
// - Every Pull answers the scenario's batches (epoch "rogue-epoch-1", through_seq increasing,
//   digest unset), skipping those a caller in the same epoch already has (since_seq).
//   mixed:        origin = --origin; a valid institution of --origin, then four entries the
//                 receiver must refuse: a case summary of 0793, an institution of 0793, a case
//                 summary of --origin with an invalid isikukood, an entry with no payload.
//   wrong-origin: origin = "0793" (not the certificate's municipality), one institution of 0793.
//   bloated:      origin = --origin; an institution and a case summary of --origin, then a
//                 summary with 100,000 need areas, an entry marked withheld (too large at its
//                 owner) and a tombstone of the first summary: the receiver must refuse the two
//                 and still apply the tombstone after them.
//   ask-forever:  origin = --origin; an institution of --origin to a caller without an epoch;
//                 every later Pull is answered by asking for withdrawal notices again (as a
//                 restored origin would, but never serving): the receiver must give up.
//   quiet:        origin = --origin; one valid institution of --origin (an honest, idle peer).
// - With --nudge (client mode, no server): sends N Federation.Nudge calls one after another
//   over mutual TLS to the node at HOST:PORT (whose certificate must name --nudge_server),
//   prints "nudges: <ok> ok, <refused> refused[, last error: <code> <message>]" on stdout and
//   exits 0 (1 when the credentials cannot be set up, 2 on a usage error).
// - Logs one line per Pull on stderr (the caller's address, the number of withdrawal notices
//   handed back; never record contents).
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "hop/v1/federation.grpc.pb.h"

ABSL_FLAG(std::string, listen, "", "HOST:PORT to serve hop.v1.Federation on (mutual TLS)");
ABSL_FLAG(std::string, ca, "", "PEM of the federation CA");
ABSL_FLAG(std::string, cert, "", "node certificate to present (PEM)");
ABSL_FLAG(std::string, key, "", "its private key (PEM)");
ABSL_FLAG(std::string, origin, "", "EHAK code written into PullBatch.origin (scenario mixed)");
ABSL_FLAG(std::string, scenario, "", "what to answer: mixed, wrong-origin, bloated or quiet");
ABSL_FLAG(std::string, nudge, "", "client mode: HOST:PORT of a node's federation port to nudge");
ABSL_FLAG(std::string, nudge_server, "", "client mode: the EHAK code the nudged node must have");
ABSL_FLAG(int, nudges, 1, "client mode: how many nudges to send");

namespace hop {
namespace {

constexpr char kEpoch[] = "rogue-epoch-1";
constexpr char kOtherMunicipality[] = "0793";
constexpr char kValidChild[] = "60001019906";
constexpr char kInvalidChild[] = "60001019907";  // wrong check digit

v1::FeedEntry Institution(uint64_t seq, const std::string& municipality, const std::string& name) {
  v1::FeedEntry e;
  e.set_seq(seq);
  const std::string id = absl::StrCat(municipality, "-I000001");
  e.set_record_key(absl::StrCat("institution/", id));
  v1::Institution* i = e.mutable_institution();
  i->set_id(id);
  i->set_name(name);
  i->set_kind(v1::INSTITUTION_SCHOOL);
  i->set_ownership(v1::OWNERSHIP_MUNICIPAL);
  i->set_municipality(municipality);
  i->set_seq(seq);
  return e;
}

v1::FeedEntry CaseSummary(uint64_t seq, const std::string& origin, const std::string& number,
                          const std::string& child) {
  v1::FeedEntry e;
  e.set_seq(seq);
  const std::string id = absl::StrCat(origin, "-C", number);
  e.set_record_key(absl::StrCat("case/", id));
  v1::CaseSummary* s = e.mutable_case_summary();
  s->set_case_id(id);
  s->set_origin(origin);
  s->set_child_isikukood(child);
  s->set_basis(v1::SHARE_BASIS_CONSENT);
  s->set_level(v1::LEVEL_SCHOOL);
  s->set_stage(v1::STAGE_I);
  return e;
}

v1::PullBatch Batch(const std::string& origin, uint64_t through_seq,
                    std::vector<v1::FeedEntry> entries) {
  v1::PullBatch batch;
  batch.set_origin(origin);
  batch.set_epoch(kEpoch);
  batch.set_through_seq(through_seq);
  for (v1::FeedEntry& e : entries) *batch.add_entries() = std::move(e);
  return batch;
}

// The batches of a scenario, or an empty vector for an unknown scenario.
std::vector<v1::PullBatch> ScenarioBatches(const std::string& scenario, const std::string& origin) {
  std::vector<v1::PullBatch> batches;
  if (scenario == "mixed") {
    v1::FeedEntry no_payload;
    no_payload.set_seq(5);
    no_payload.set_record_key(absl::StrCat("contact/", origin, "-P000001"));
    batches.push_back(Batch(origin, 3,
                            {Institution(1, origin, "Rogue Kool"),
                             CaseSummary(2, kOtherMunicipality, "000001", kValidChild),
                             Institution(3, kOtherMunicipality, "Võõras Kool")}));
    batches.push_back(
        Batch(origin, 5, {CaseSummary(4, origin, "000002", kInvalidChild), std::move(no_payload)}));
  } else if (scenario == "bloated") {
    v1::FeedEntry bloated = CaseSummary(3, origin, "000003", kValidChild);
    for (int i = 0; i < 100000; ++i) bloated.mutable_case_summary()->add_need_areas("x");
    v1::FeedEntry withheld;
    withheld.set_seq(4);
    withheld.set_record_key(absl::StrCat("case/", origin, "-C000004"));
    withheld.set_withheld(true);
    v1::FeedEntry withdrawn;
    withdrawn.set_seq(5);
    withdrawn.set_record_key(absl::StrCat("case/", origin, "-C000002"));
    withdrawn.set_tombstone(true);
    batches.push_back(Batch(
        origin, 2,
        {Institution(1, origin, "Rogue Kool"), CaseSummary(2, origin, "000002", kValidChild)}));
    batches.push_back(
        Batch(origin, 5, {std::move(bloated), std::move(withheld), std::move(withdrawn)}));
  } else if (scenario == "ask-forever" || scenario == "quiet") {
    batches.push_back(Batch(origin, 1, {Institution(1, origin, "Rogue Kool")}));
  } else if (scenario == "wrong-origin") {
    batches.push_back(
        Batch(kOtherMunicipality, 1, {Institution(1, kOtherMunicipality, "Võõras Kool")}));
  }
  return batches;
}

class RogueFederation final : public v1::Federation::Service {
 public:
  RogueFederation(std::vector<v1::PullBatch> batches, bool ask_forever)
      : batches_(std::move(batches)), ask_forever_(ask_forever) {}

  grpc::Status Pull(grpc::ServerContext* context, const v1::PullRequest* request,
                    grpc::ServerWriter<v1::PullBatch>* writer) override {
    std::fprintf(stderr,
                 "rogue_peer: Pull from %s (epoch \"%s\", since_seq %llu, %d withdrawal notices "
                 "handed back)\n",
                 context->peer().c_str(), request->epoch().c_str(),
                 static_cast<unsigned long long>(request->since_seq()),
                 request->withdrawals().notices_size());
    if (ask_forever_ && !request->epoch().empty()) {
      v1::PullBatch ask;
      ask.set_origin(batches_.front().origin());
      ask.set_epoch("rogue-epoch-2");
      ask.set_hand_back_withdrawals(true);
      writer->Write(ask);
      return grpc::Status::OK;
    }
    const bool same_epoch = request->epoch() == kEpoch;
    for (const v1::PullBatch& batch : batches_) {
      if (same_epoch && batch.through_seq() <= request->since_seq()) continue;
      if (!writer->Write(batch)) return grpc::Status(grpc::StatusCode::CANCELLED, "caller left");
    }
    return grpc::Status::OK;
  }

 private:
  const std::vector<v1::PullBatch> batches_;
  const bool ask_forever_;
};

// Client mode: a flood of nudges.
int Nudge(const security::TlsPaths& tls) {
  const std::string target = absl::GetFlag(FLAGS_nudge);
  const std::string server = absl::GetFlag(FLAGS_nudge_server);
  const int count = absl::GetFlag(FLAGS_nudges);
  if (server.empty() || count < 1 || tls.ca_cert.empty() || tls.cert.empty() || tls.key.empty()) {
    std::fprintf(stderr,
                 "rogue_peer: --nudge needs --nudge_server, --nudges >= 1, --ca, "
                 "--cert and --key\n");
    return 2;
  }
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      security::MakeChannelCredentials(tls, security::NodeSpiffeId(server));
  if (!creds.ok()) {
    std::fprintf(stderr, "rogue_peer: %s\n", std::string(creds.status().message()).c_str());
    return 1;
  }
  std::unique_ptr<v1::Federation::Stub> stub =
      v1::Federation::NewStub(grpc::CreateChannel(target, *creds));
  int ok = 0;
  int refused = 0;
  grpc::Status last;
  for (int i = 0; i < count; ++i) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    v1::NudgeResponse response;
    grpc::Status status = stub->Nudge(&context, v1::NudgeRequest(), &response);
    if (status.ok()) {
      ++ok;
    } else {
      ++refused;
      last = status;
    }
  }
  std::printf("nudges: %d ok, %d refused", ok, refused);
  if (!last.ok())
    std::printf(", last error: %d %s", last.error_code(), last.error_message().c_str());
  std::printf("\n");
  return 0;
}

int Run() {
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const std::string scenario = absl::GetFlag(FLAGS_scenario);
  const std::string origin = absl::GetFlag(FLAGS_origin);
  const security::TlsPaths tls{absl::GetFlag(FLAGS_ca), absl::GetFlag(FLAGS_cert),
                               absl::GetFlag(FLAGS_key)};
  if (!absl::GetFlag(FLAGS_nudge).empty()) return Nudge(tls);
  if (listen.empty() || tls.ca_cert.empty() || tls.cert.empty() || tls.key.empty() ||
      origin.empty()) {
    std::fprintf(stderr, "rogue_peer: --listen, --ca, --cert, --key and --origin are required\n");
    return 2;
  }
  std::vector<v1::PullBatch> batches = ScenarioBatches(scenario, origin);
  if (batches.empty()) {
    std::fprintf(stderr,
                 "rogue_peer: --scenario \"%s\": expected mixed, wrong-origin, bloated, "
                 "ask-forever or quiet\n",
                 scenario.c_str());
    return 2;
  }

  // Block the stop signals in every thread (gRPC's included); main waits for them below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> creds =
      security::MakeServerCredentials(tls);
  if (!creds.ok()) {
    std::fprintf(stderr, "rogue_peer: %s\n", std::string(creds.status().message()).c_str());
    return 1;
  }
  RogueFederation service(std::move(batches), scenario == "ask-forever");
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort(listen, *creds, &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    std::fprintf(stderr, "rogue_peer: cannot listen on %s\n", listen.c_str());
    return 1;
  }
  std::printf("ready\n");
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  server->Shutdown();
  server->Wait();
  return 0;
}

}  // namespace
}  // namespace hop

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "rogue_peer --listen HOST:PORT --ca CA --cert CERT --key KEY --origin EHAK "
      "--scenario mixed|wrong-origin|bloated|ask-forever\n\n"
      "Test-only hop.v1.Federation server (mutual TLS) that serves entries a receiver must\n"
      "refuse. Prints \"ready\" once listening; stops on SIGTERM or SIGINT.");
  absl::ParseCommandLine(argc, argv);
  return hop::Run();
}
