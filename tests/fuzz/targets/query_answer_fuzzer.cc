// Fuzzes what a peer can answer to a live query: the bytes of one hop.v1.ChildQueryAnswer as
// the asking node receives them, sorted by federation::ReadAnswer (peer_query.h) for askers of
// every role, and described for the log and the audit (DescribeAnswers).
// Contracts: no crash or undefined behaviour; only the peer's own summaries of the child asked
// about that the asker's role may see come through, each passing Puller::CheckEntry; the
// outcome says answered exactly when something came through; a failed call passes nothing.
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "daemon/domain/access.h"
#include "daemon/domain/isikukood.h"
#include "daemon/federation/peer_query.h"
#include "daemon/federation/puller.h"
#include "tests/fuzz/targets/fuzz_util.h"

namespace {

namespace fed = hop::federation;
using hop::fuzz::Require;

constexpr char kPeer[] = "0171";
constexpr char kDefaultChild[] = "37605030299";

void CheckAnswer(const hop::v1::PeerAnswer& answer, const std::string& child,
                 const hop::domain::Actor& actor) {
  Require(answer.municipality() == kPeer, "answer names another peer");
  for (const hop::v1::CaseSummary& s : answer.summaries()) {
    hop::v1::FeedEntry entry;
    entry.set_record_key(absl::StrCat("case/", s.case_id()));
    *entry.mutable_case_summary() = s;
    Require(fed::Puller::CheckEntry(kPeer, entry).ok(), "a summary the peer may not send passed");
    Require(s.child_isikukood() == child, "a summary of another child passed");
    Require(hop::domain::CanSeeHeldSummary(actor, s.basis()), "a summary the role may not see");
  }
  Require((answer.outcome() == hop::v1::PEER_OUTCOME_ANSWERED) == (answer.summaries_size() > 0),
          "outcome disagrees with the summaries passed");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  hop::v1::ChildQueryAnswer raw;
  if (!raw.ParseFromArray(data, static_cast<int>(size))) return 0;
  // Ask about the child the answer's first summary names (when valid), so matching answers are
  // reachable; else a fixed child.
  std::string child = kDefaultChild;
  if (raw.summaries_size() > 0 &&
      hop::domain::ValidateIsikukood(raw.summaries(0).child_isikukood()).ok()) {
    child = raw.summaries(0).child_isikukood();
  }
  hop::v1::QueryPeersResponse response;
  for (int role = hop::v1::Role_MIN; role <= hop::v1::Role_MAX; ++role) {
    hop::domain::Actor actor;
    actor.user_id = "fuzz";
    actor.role = static_cast<hop::v1::Role>(role);
    hop::v1::PeerAnswer answer = fed::ReadAnswer(kPeer, child, actor, grpc::Status::OK, raw);
    CheckAnswer(answer, child, actor);
    *response.add_answers() = std::move(answer);
  }
  // A failed call: whatever arrived is ignored, the peer's message is passed on as detail.
  for (grpc::StatusCode code : {grpc::StatusCode::DEADLINE_EXCEEDED,
                                grpc::StatusCode::PERMISSION_DENIED, grpc::StatusCode::INTERNAL}) {
    hop::domain::Actor actor;
    actor.role = hop::v1::ROLE_CASE_MANAGER;
    hop::v1::PeerAnswer answer =
        fed::ReadAnswer(kPeer, child, actor, grpc::Status(code, raw.origin()), raw);
    Require(answer.summaries_size() == 0, "a failed call passed summaries");
    *response.add_answers() = std::move(answer);
  }
  Require(!fed::DescribeAnswers(response).empty(), "DescribeAnswers");
  return 0;
}
