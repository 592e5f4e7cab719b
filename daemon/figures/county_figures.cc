#include "daemon/figures/county_figures.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/domain/municipalities.h"
#include "daemon/federation/peer_fanout.h"
#include "daemon/federation/peer_query.h"
#include "daemon/figures/suppression.h"

namespace hop::figures {
namespace {

absl::string_view CountyOf(absl::string_view code) {
  const domain::Municipality* m = domain::FindMunicipality(code);
  return m == nullptr ? absl::string_view() : m->county;
}

// The gap for a failed call.
hop::v1::FiguresGap GapFor(const std::string& peer, const grpc::Status& status) {
  hop::v1::FiguresGap gap;
  gap.set_municipality(peer);
  auto [outcome, detail] = federation::FailedCallOutcome(status);
  gap.set_outcome(outcome);
  gap.set_detail(std::move(detail));
  return gap;
}

bool SameShape(const hop::v1::FigureVector& a, const hop::v1::FigureVector& b) {
  if (a.dimension() != b.dimension() || a.cells_size() != b.cells_size()) return false;
  for (int i = 0; i < a.cells_size(); ++i) {
    if (a.cells(i).category() != b.cells(i).category()) return false;
  }
  return true;
}

}  // namespace

absl::Status CheckAnswer(const std::string& peer, const hop::v1::MunicipalityFigures& own,
                         hop::v1::FiguresAnswer& answer) {
  if (answer.ByteSizeLong() > kMaxFiguresAnswerBytes) {
    return absl::FailedPreconditionError(absl::StrCat(
        "answer refused: ", answer.ByteSizeLong(), " bytes, more than ", kMaxFiguresAnswerBytes));
  }
  hop::v1::MunicipalityFigures& f = *answer.mutable_figures();
  if (f.municipality() != peer) {
    return absl::FailedPreconditionError(absl::StrCat("answer refused: it names municipality \"",
                                                      f.municipality().substr(0, 8), "\", not ",
                                                      peer));
  }
  if (f.vectors_size() != own.vectors_size()) {
    return absl::FailedPreconditionError(absl::StrCat("answer refused: ", f.vectors_size(),
                                                      " vectors, expected ", own.vectors_size()));
  }
  for (int i = 0; i < f.vectors_size(); ++i) {
    if (!SameShape(f.vectors(i), own.vectors(i))) {
      return absl::FailedPreconditionError(absl::StrCat(
          "answer refused: vector ", i, " (",
          hop::v1::FigureDimension_Name(own.vectors(i).dimension()),
          ") has other categories than this node counts (another code list or month?)"));
    }
    *f.mutable_vectors(i) = Suppress(std::move(*f.mutable_vectors(i)));
  }
  return absl::OkStatus();
}

std::vector<hop::v1::FigureVector> CountySum(
    const std::vector<hop::v1::MunicipalityFigures>& municipalities) {
  std::vector<hop::v1::FigureVector> county;
  if (municipalities.empty()) return county;
  for (int d = 0; d < municipalities[0].vectors_size(); ++d) {
    std::vector<const hop::v1::FigureVector*> column;
    for (const hop::v1::MunicipalityFigures& m : municipalities) column.push_back(&m.vectors(d));
    county.push_back(SumCounty(column));
  }
  return county;
}

CountyFigures::CountyFigures(std::string municipality, federation::PeerTransport* channels,
                             std::vector<federation::PeerEndpoint> peers, OwnFigures own)
    : municipality_(std::move(municipality)), channels_(channels), own_(std::move(own)) {
  const absl::string_view county = CountyOf(municipality_);
  for (federation::PeerEndpoint& p : peers) {
    if (!county.empty() && CountyOf(p.municipality) == county) {
      county_peers_.push_back(std::move(p));
    }
  }
}

absl::StatusOr<std::vector<const federation::PeerEndpoint*>> CountyFigures::Chosen(
    const hop::v1::CountyFiguresRequest& request, bool& own) const {
  std::vector<const federation::PeerEndpoint*> chosen;
  own = request.municipalities().empty();
  if (request.municipalities().empty()) {
    for (const federation::PeerEndpoint& p : county_peers_) chosen.push_back(&p);
    return chosen;
  }
  if (request.municipalities_size() > static_cast<int>(domain::AllMunicipalities().size())) {
    return absl::InvalidArgumentError(
        absl::StrCat("municipalities: at most ", domain::AllMunicipalities().size(),
                     " codes (found ", request.municipalities_size(), ")"));
  }
  std::vector<std::string> known = {municipality_};
  for (const federation::PeerEndpoint& p : county_peers_) known.push_back(p.municipality);
  for (int i = 0; i < request.municipalities_size(); ++i) {
    const std::string& code = request.municipalities(i);
    const std::string field = absl::StrCat("municipalities[", i, "]");
    HOP_RETURN_IF_ERROR(domain::ValidateMunicipalityCode(code, field));
    const federation::PeerEndpoint* found = nullptr;
    for (const federation::PeerEndpoint& p : county_peers_) {
      if (p.municipality == code) found = &p;
    }
    if (code == municipality_) {
      own = true;
    } else if (found == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ": ", code, " is not a municipality of this node's county (",
          CountyOf(municipality_), ") among its peers; ask one of ", absl::StrJoin(known, ", "),
          ", or leave out --municipality for the whole county"));
    } else if (std::find(chosen.begin(), chosen.end(), found) == chosen.end()) {
      chosen.push_back(found);
    }
  }
  return chosen;
}

absl::StatusOr<hop::v1::CountyFiguresResponse> CountyFigures::Ask(
    const std::string& asker_id, hop::v1::Role asker_role,
    const hop::v1::CountyFiguresRequest& request) const {
  if (request.deadline_ms() > kMaxFiguresDeadlineMs) {
    return absl::InvalidArgumentError(absl::StrCat("deadline_ms: ", request.deadline_ms(),
                                                   " is too long; expected at most ",
                                                   kMaxFiguresDeadlineMs, " (30 s)"));
  }
  bool want_own = false;
  HOP_ASSIGN_OR_RETURN(std::vector<const federation::PeerEndpoint*> chosen,
                       Chosen(request, want_own));
  HOP_ASSIGN_OR_RETURN(hop::v1::MunicipalityFigures own, own_());
  hop::v1::FiguresRequest question;
  question.set_asker(asker_id);
  question.set_asker_role(asker_role);
  const uint32_t deadline_ms =
      request.deadline_ms() == 0 ? kDefaultFiguresDeadlineMs : request.deadline_ms();
  const auto deadline = std::chrono::system_clock::now() + std::chrono::milliseconds(deadline_ms);
  const std::vector<std::shared_ptr<federation::PeerCall<hop::v1::FiguresAnswer>>> calls =
      federation::Fanout<hop::v1::FiguresAnswer>(
          *channels_, chosen, deadline,
          [&question](federation::FederationStub& stub, grpc::ClientContext* context,
                      hop::v1::FiguresAnswer* answer, std::function<void(grpc::Status)> done) {
            stub.async()->Figures(context, &question, answer, std::move(done));
          });
  hop::v1::CountyFiguresResponse response;
  response.set_threshold(kThreshold);
  std::vector<hop::v1::MunicipalityFigures> answered;
  if (want_own) answered.push_back(own);
  for (const auto& c : calls) {
    const std::string& code = c->peer->municipality;
    grpc::Status status = c->status;
    if (status.ok()) {
      if (absl::Status checked = CheckAnswer(code, own, c->answer); !checked.ok()) {
        LogWarning("figures", "a peer's figures were refused",
                   {{"peer", code}, {"error", std::string(checked.message())}});
        status =
            grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, std::string(checked.message()));
      }
    }
    if (!status.ok()) {
      *response.add_gaps() = GapFor(code, status);
      continue;
    }
    answered.push_back(std::move(*c->answer.mutable_figures()));
  }
  for (hop::v1::FigureVector& v : CountySum(answered)) *response.add_county() = std::move(v);
  for (hop::v1::MunicipalityFigures& m : answered) *response.add_municipalities() = std::move(m);
  return response;
}

}  // namespace hop::figures
