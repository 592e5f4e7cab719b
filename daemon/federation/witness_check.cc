#include "daemon/federation/witness_check.h"

#include <chrono>
#include <thread>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {
namespace {

constexpr auto kWitnessDeadline = std::chrono::seconds(5);

struct Asked {
  grpc::Status status;
  hop::v1::AuditWitness witness;
};

Asked Ask(PeerTransport& channels, const PeerEndpoint& peer) {
  Asked asked;
  absl::StatusOr<std::shared_ptr<FederationStub>> stub = channels.Stub(peer, absl::ZeroDuration());
  if (!stub.ok()) {
    asked.status = grpc::Status(static_cast<grpc::StatusCode>(stub.status().code()),
                                std::string(stub.status().message()));
    return asked;
  }
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kWitnessDeadline);
  asked.status = (*stub)->Witness(&context, hop::v1::WitnessRequest(), &asked.witness);
  const std::string refusal = channels.Refusal(peer.municipality);
  if (asked.status.error_code() == grpc::StatusCode::UNAVAILABLE && !refusal.empty()) {
    asked.status = grpc::Status(grpc::StatusCode::UNAVAILABLE, refusal);
  }
  return asked;
}

}  // namespace

void WitnessCheck::Check(hop::v1::VerifyAuditResponse& result) const {
  std::vector<Asked> answers(peers_.size());
  std::vector<std::thread> askers;
  for (size_t i = 0; i < peers_.size(); ++i) {
    askers.emplace_back([&, i] { answers[i] = Ask(*channels_, peers_[i]); });
  }
  for (std::thread& t : askers) t.join();
  for (size_t i = 0; i < peers_.size(); ++i) {
    const std::string& peer = peers_[i].municipality;
    const Asked& a = answers[i];
    if (!a.status.ok()) {
      result.add_witnesses_unavailable(absl::StrCat(peer, ": ", a.status.error_message()));
      continue;
    }
    const hop::v1::AuditHead& head = a.witness.head();
    if (head.seq() == 0) {
      result.add_witnesses_unavailable(absl::StrCat(peer, ": has not pulled from this node yet"));
      continue;
    }
    if (a.witness.epoch() != records_->epoch()) {
      result.add_witnesses_unavailable(
          absl::StrCat(peer,
                       ": witnessed before this store took a new epoch (a restore); renewed at its "
                       "next pull"));
      continue;
    }
    const std::string when = absl::FormatTime(
        "%Y-%m-%d %H:%M UTC", absl::FromUnixSeconds(a.witness.witnessed_at()), absl::UTCTimeZone());
    absl::StatusOr<std::string> hash = log_->HashAt(head.seq());
    std::string problem;
    if (head.seq() > result.entries() || !hash.ok()) {
      problem = absl::StrCat("entry ", head.seq(), ", which ", peer, " witnessed on ", when,
                             ", is no longer in the log (entries were removed)");
    } else if (*hash != head.hash()) {
      problem =
          absl::StrCat("entry ", head.seq(), " differs from what ", peer, " witnessed on ", when,
                       ": an entry at or before it was altered and the chain re-hashed");
    }
    if (problem.empty()) {
      result.set_witnesses_checked(result.witnesses_checked() + 1);
      continue;
    }
    if (result.intact() || head.seq() < result.first_broken_seq()) {
      result.set_intact(false);
      result.set_first_broken_seq(head.seq());
      result.set_problem(problem);
      result.clear_head_hash();
    }
  }
}

}  // namespace hop::federation
