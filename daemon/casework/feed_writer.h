// Keeps every peer's change feed in step with this node's records, inside the same
// Mutation (so the same WriteBatch) as the change that causes it (DESIGN.md "Per-peer change
// feeds"): a case's summary as each peer may now see it (daemon/feed/projection.h) or a
// tombstone when it no longer may; directory entries to every peer.
// Thread-safe (stateless apart from the immutable peer list).
#ifndef HOP_DAEMON_CASEWORK_FEED_WRITER_H_
#define HOP_DAEMON_CASEWORK_FEED_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "daemon/casework/record_store.h"

namespace hop::casework {

class FeedWriter {
 public:
  // `records` must outlive the FeedWriter; `peers` are the EHAK codes of the configured peers.
  FeedWriter(const RecordStore* records, std::vector<std::string> peers)
      : records_(records), peers_(std::move(peers)) {}

  // After `c` or the child's consents changed: `consents` must be all of the child's consents
  // as they will be after this mutation.
  absl::Status CaseChanged(Mutation& m, const hop::v1::Case& c,
                           absl::Span<const hop::v1::Consent> consents) const;
  // As CaseChanged, reading the child's consents from the store.
  absl::Status CaseChanged(Mutation& m, const hop::v1::Case& c) const;
  // After the child's consents changed: recomputes every case of the child.
  absl::Status ConsentsChanged(Mutation& m, const std::string& child,
                               absl::Span<const hop::v1::Consent> consents) const;
  absl::Status InstitutionChanged(Mutation& m, const hop::v1::Institution& i) const;
  absl::Status ContactChanged(Mutation& m, const hop::v1::Contact& c) const;

  const std::vector<std::string>& peers() const { return peers_; }

 private:
  // The published contact of the case's responsible person (or case manager).
  absl::StatusOr<hop::v1::ResponsibleContact> ResponsibleOf(const hop::v1::Case& c) const;

  const RecordStore* const records_;
  const std::vector<std::string> peers_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_FEED_WRITER_H_
