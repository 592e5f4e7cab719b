// The asking side of county figures (CaseWork.CountyFigures, issue 13): a network leader's
// node asks every peer of its own county (configured peers whose municipality lies in the
// same county, domain/municipalities.h) in parallel over mTLS with one deadline
// (Federation.Figures, through PeerTransport as federation/peer_query.h does), adds its own
// figures, and sums the county (suppression.h: SumCounty).
//
// What comes back is checked before it is used: the answer names the municipality asked,
// holds exactly the dimensions and categories this node publishes (same order), at most
// kMaxFiguresAnswerBytes; a cell a peer sent unsuppressed with 1..4 cases is suppressed here
// anyway (Suppress again). A peer that is unreachable, times out, refuses, or sends an answer
// that fails these checks is a FiguresGap with the outcome and why; the county sums the rest.
// Errors (nothing asked): InvalidArgument naming the field (an unknown code, one outside the
// county or not a peer, too many codes, a deadline above 30 s). Thread-safe.
#ifndef HOP_DAEMON_FIGURES_COUNTY_FIGURES_H_
#define HOP_DAEMON_FIGURES_COUNTY_FIGURES_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "daemon/federation/peer_channels.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.pb.h"
#include "hop/v1/figures.pb.h"

namespace hop::figures {

// Largest answer accepted from a peer (7 vectors of at most a few dozen cells are ~4 KiB).
inline constexpr size_t kMaxFiguresAnswerBytes = 64 << 10;
// Default and largest deadline, in milliseconds.
inline constexpr uint32_t kDefaultFiguresDeadlineMs = 5000;
inline constexpr uint32_t kMaxFiguresDeadlineMs = 30000;

// OK when `answer` from `peer` is `peer`'s and has the shape of `own` (same dimensions and
// categories in the same order); else FailedPrecondition saying what is wrong. `answer` is
// then re-suppressed in place.
absl::Status CheckAnswer(const std::string& peer, const hop::v1::MunicipalityFigures& own,
                         hop::v1::FiguresAnswer& answer);

// The county vectors over `municipalities` (all of the same shape), one per dimension.
std::vector<hop::v1::FigureVector> CountySum(
    const std::vector<hop::v1::MunicipalityFigures>& municipalities);

class CountyFigures {
 public:
  using OwnFigures = std::function<absl::StatusOr<hop::v1::MunicipalityFigures>()>;

  // `channels` must outlive this. `peers`: all configured peers (those of other counties are
  // never asked). `own` gives this node's published figures.
  CountyFigures(std::string municipality, federation::PeerTransport* channels,
                std::vector<federation::PeerEndpoint> peers, OwnFigures own);

  // Asks for the network leader `asker_id` (role `asker_role`).
  absl::StatusOr<hop::v1::CountyFiguresResponse> Ask(
      const std::string& asker_id, hop::v1::Role asker_role,
      const hop::v1::CountyFiguresRequest& request) const;

 private:
  // The peers to ask and whether this node's own figures are wanted.
  absl::StatusOr<std::vector<const federation::PeerEndpoint*>> Chosen(
      const hop::v1::CountyFiguresRequest& request, bool& own) const;

  const std::string municipality_;
  federation::PeerTransport* const channels_;
  std::vector<federation::PeerEndpoint> county_peers_;
  const OwnFigures own_;
};

}  // namespace hop::figures

#endif  // HOP_DAEMON_FIGURES_COUNTY_FIGURES_H_
