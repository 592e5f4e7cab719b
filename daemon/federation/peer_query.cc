#include "daemon/federation/peer_query.h"

#include <chrono>
#include <functional>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/fields.h"
#include "daemon/domain/isikukood.h"
#include "daemon/domain/limits.h"
#include "daemon/domain/municipalities.h"
#include "daemon/federation/peer_fanout.h"
#include "daemon/ops/metrics.h"
#include "daemon/security/identity.h"

namespace hop::federation {

std::pair<hop::v1::PeerOutcome, std::string> FailedCallOutcome(const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::DEADLINE_EXCEEDED:
      return {hop::v1::PEER_OUTCOME_TIMED_OUT, "no answer within the deadline"};
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
    case grpc::StatusCode::PERMISSION_DENIED:
    case grpc::StatusCode::UNAUTHENTICATED:
    case grpc::StatusCode::INVALID_ARGUMENT:
    case grpc::StatusCode::FAILED_PRECONDITION:
      return {hop::v1::PEER_OUTCOME_REFUSED, status.error_message()};
    default:
      return {hop::v1::PEER_OUTCOME_UNREACHABLE, status.error_message()};
  }
}

hop::v1::PeerAnswer ReadAnswer(const std::string& peer, const std::string& child,
                               const domain::Actor& actor, const grpc::Status& status,
                               const hop::v1::ChildQueryAnswer& raw) {
  hop::v1::PeerAnswer answer;
  answer.set_municipality(peer);
  if (!status.ok()) {
    auto [outcome, detail] = FailedCallOutcome(status);
    answer.set_outcome(outcome);
    answer.set_detail(std::move(detail));
    return answer;
  }
  int dropped = 0;
  for (const hop::v1::CaseSummary& s : raw.summaries()) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(absl::StrCat("case/", s.case_id()));
    *entry.mutable_case_summary() = s;
    if (!Puller::CheckEntry(peer, entry).ok() || s.child_isikukood() != child) {
      ++dropped;
      continue;
    }
    if (domain::CanSeeHeldSummary(actor, s.basis())) *answer.add_summaries() = s;
  }
  if (dropped > 0) {
    LogWarning("federation", "query answer held records the peer may not send",
               {{"peer", peer}, {"dropped", absl::StrCat(dropped)}});
    answer.set_detail(
        absl::StrCat(dropped, " summaries refused: not ", peer, "'s own records of this child"));
  }
  answer.set_outcome(answer.summaries_size() > 0 ? hop::v1::PEER_OUTCOME_ANSWERED
                                                 : hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS);
  return answer;
}

std::string DescribeAnswers(const hop::v1::QueryPeersResponse& response) {
  std::vector<std::string> parts;
  for (const hop::v1::PeerAnswer& a : response.answers()) {
    switch (a.outcome()) {
      case hop::v1::PEER_OUTCOME_ANSWERED:
        parts.push_back(absl::StrCat(a.municipality(), " answered (", a.summaries_size(), ")",
                                     a.detail().empty() ? "" : absl::StrCat("; ", a.detail())));
        break;
      case hop::v1::PEER_OUTCOME_NO_VISIBLE_RECORDS:
        parts.push_back(absl::StrCat(a.municipality(), " no visible records",
                                     a.detail().empty() ? "" : absl::StrCat("; ", a.detail())));
        break;
      case hop::v1::PEER_OUTCOME_TIMED_OUT:
        parts.push_back(absl::StrCat(a.municipality(), " timed out"));
        break;
      case hop::v1::PEER_OUTCOME_REFUSED:
        parts.push_back(absl::StrCat(a.municipality(), " refused"));
        break;
      default:
        parts.push_back(absl::StrCat(a.municipality(), " unreachable"));
    }
  }
  return absl::StrJoin(parts, ", ");
}

absl::StatusOr<std::vector<const PeerEndpoint*>> PeerQuery::Chosen(
    const hop::v1::QueryPeersRequest& request) const {
  std::vector<const PeerEndpoint*> chosen;
  HOP_RETURN_IF_ERROR(
      domain::CheckCount(request.peers_size(), domain::kMaxQueryPeers, "peers", "municipalities"));
  if (request.peers().empty()) {
    for (const PeerEndpoint& p : peers_) chosen.push_back(&p);
  }
  for (int i = 0; i < request.peers_size(); ++i) {
    const std::string& code = request.peers(i);
    const std::string field = absl::StrCat("peers[", i, "]");
    HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(code, field));
    const PeerEndpoint* found = nullptr;
    for (const PeerEndpoint& p : peers_) {
      if (p.municipality == code) found = &p;
    }
    if (found == nullptr) {
      std::vector<std::string> known;
      for (const PeerEndpoint& p : peers_) known.push_back(p.municipality);
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", code, " is not a peer of this node; its peers are ",
          known.empty() ? "none (see peers in the node's config)" : absl::StrJoin(known, ",")));
    }
    bool twice = false;
    for (const PeerEndpoint* p : chosen) twice = twice || p == found;
    if (!twice) chosen.push_back(found);
  }
  if (chosen.empty()) {
    return absl::FailedPreconditionError(
        "this node has no peers configured; add peers to its config to ask other "
        "municipalities");
  }
  return chosen;
}

absl::StatusOr<hop::v1::QueryPeersResponse> PeerQuery::Ask(
    const domain::Actor& actor, const std::string& asker_id,
    const hop::v1::QueryPeersRequest& request) {
  ops::ScopedTimer timer("hop_query_duration_seconds", {});
  HOP_RETURN_IF_ERROR(domain::ValidateIsikukood(request.child_isikukood(), "child_isikukood"));
  HOP_RETURN_IF_ERROR(domain::ValidatePurpose(request.purpose(), "purpose"));
  if (request.deadline_ms() > kMaxQueryDeadlineMs) {
    return absl::InvalidArgumentError(absl::StrCat("deadline_ms: ", request.deadline_ms(),
                                                   " is too long; expected at most ",
                                                   kMaxQueryDeadlineMs, " (30 s)"));
  }
  HOP_ASSIGN_OR_RETURN(std::vector<const PeerEndpoint*> chosen, Chosen(request));
  HOP_RETURN_IF_ERROR(limiter_.Take(asker_id, absl::StrCat("queries by ", asker_id)));

  hop::v1::ChildQuery question;
  question.set_child_isikukood(request.child_isikukood());
  question.set_purpose(request.purpose());
  question.set_asker(asker_id);
  question.set_asker_role(actor.role);
  const uint32_t deadline_ms =
      request.deadline_ms() == 0 ? kDefaultQueryDeadlineMs : request.deadline_ms();
  const auto deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms);

  const std::vector<std::shared_ptr<PeerCall<hop::v1::ChildQueryAnswer>>> calls =
      Fanout<hop::v1::ChildQueryAnswer>(
          *channels_, chosen, deadline,
          [&question](FederationStub& stub, grpc::ClientContext* context,
                      hop::v1::ChildQueryAnswer* raw, std::function<void(grpc::Status)> done) {
            stub.async()->Query(context, &question, raw, std::move(done));
          });
  hop::v1::QueryPeersResponse response;
  for (const auto& c : calls) {
    hop::v1::PeerAnswer answer =
        ReadAnswer(c->peer->municipality, request.child_isikukood(), actor, c->status, c->answer);
    answer.set_latency_ms(static_cast<uint32_t>(absl::ToInt64Milliseconds(c->took)));
    *response.add_answers() = std::move(answer);
  }
  return response;
}

}  // namespace hop::federation
