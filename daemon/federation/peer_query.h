// The asking side of a live query (`hopctl query`, CaseWork.QueryPeers, issue 4): asks the
// chosen peers in parallel over mTLS with one deadline and reports, per peer in the order
// asked: answered (with the summaries the caller may see), no visible records, unreachable,
// timed out, or refused (with the peer's reason).
//
// The asker's identity, role and purpose travel with the question. What comes back is
// checked as a synced copy would be (Puller::CheckEntry: the peer's own records only, of the
// child asked about) and filtered by the caller's role (domain::CanSeeHeldSummary) whatever
// the peer sent. Channels come from PeerTransport (one per peer, kept and reused); a peer
// whose server certificate this node refuses is reported unreachable with the reason.
// Errors: InvalidArgument naming the field, ResourceExhausted (the user's query limit).
// Thread-safe.
#ifndef HOP_DAEMON_FEDERATION_PEER_QUERY_H_
#define HOP_DAEMON_FEDERATION_PEER_QUERY_H_

#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/rate_limiter.h"
#include "daemon/domain/access.h"
#include "daemon/federation/peer_channels.h"
#include "daemon/federation/puller.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {

// Default of limits.queries_per_user_per_minute.
inline constexpr uint32_t kDefaultQueriesPerUserPerMinute = 30;
// Default and largest deadline of a query, in milliseconds.
inline constexpr uint32_t kDefaultQueryDeadlineMs = 5000;
inline constexpr uint32_t kMaxQueryDeadlineMs = 30000;

class PeerQuery {
 public:
  // `channels` and `clock` must outlive the PeerQuery.
  PeerQuery(PeerTransport* channels, std::vector<PeerEndpoint> peers, uint32_t per_user_per_minute,
            const Clock* clock)
      : channels_(channels), peers_(std::move(peers)), limiter_(per_user_per_minute, clock) {}

  // Asks for `actor` (staff identity `asker_id`).
  absl::StatusOr<hop::v1::QueryPeersResponse> Ask(const domain::Actor& actor,
                                                  const std::string& asker_id,
                                                  const hop::v1::QueryPeersRequest& request);

 private:
  // The peers to ask, in order; InvalidArgument naming an unknown or unconfigured code.
  absl::StatusOr<std::vector<const PeerEndpoint*>> Chosen(
      const hop::v1::QueryPeersRequest& request) const;
  PeerTransport* const channels_;
  const std::vector<PeerEndpoint> peers_;
  RateLimiter limiter_;
};

// How a failed call (status not OK) to a peer is reported: timed out (DEADLINE_EXCEEDED, detail
// "no answer within the deadline"), refused (the peer said no: RESOURCE_EXHAUSTED,
// PERMISSION_DENIED, UNAUTHENTICATED, INVALID_ARGUMENT, FAILED_PRECONDITION; detail its
// message), else unreachable (detail the message).
std::pair<hop::v1::PeerOutcome, std::string> FailedCallOutcome(const grpc::Status& status);

// Sorts one peer's raw answer into a PeerAnswer for `actor` asking about `child`.
hop::v1::PeerAnswer ReadAnswer(const std::string& peer, const std::string& child,
                               const domain::Actor& actor, const grpc::Status& status,
                               const hop::v1::ChildQueryAnswer& raw);

// "0171 answered (2), 0624 no visible records, 0795 unreachable": for logs and the audit.
std::string DescribeAnswers(const hop::v1::QueryPeersResponse& response);

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PEER_QUERY_H_
