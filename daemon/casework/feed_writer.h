// Keeps every peer's change feed in step with this node's records, inside the same
// Mutation (so the same WriteBatch) as the change that causes it (DESIGN.md "Per-peer change
// feeds"): a case's summary as each peer may now see it (daemon/feed/projection.h) or a
// tombstone when it no longer may; directory entries to every peer (a retired one as a
// tombstone); a withdrawal notice
// (daemon/feed/withdrawal_notice.h) to every peer a withdrawn consent named, tombstoned once
// the consent's validity has ended.
// Thread-safe (stateless apart from the immutable peer list).
#ifndef HOP_DAEMON_CASEWORK_FEED_WRITER_H_
#define HOP_DAEMON_CASEWORK_FEED_WRITER_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "daemon/casework/record_store.h"
#include "daemon/security/node_secret.h"

namespace hop::casework {

class FeedWriter {
 public:
  // `records` must outlive the FeedWriter; `peers` are the EHAK codes of the configured peers.
  // `secret` (may be null: no withdrawal notices are written, e.g. offline tools) makes the
  // notices' tokens and must outlive the FeedWriter.
  FeedWriter(const RecordStore* records, std::vector<std::string> peers,
             const security::NodeSecret* secret = nullptr)
      : records_(records), peers_(std::move(peers)), secret_(secret) {}

  // After `c` or the child's consents changed: `consents` must be all of the child's consents
  // as they will be after this mutation.
  absl::Status CaseChanged(Mutation& m, const hop::v1::Case& c,
                           absl::Span<const hop::v1::Consent> consents) const;
  // As CaseChanged, reading the child's consents from the store.
  absl::Status CaseChanged(Mutation& m, const hop::v1::Case& c) const;
  // After the child's consents changed: recomputes every case of the child.
  absl::Status ConsentsChanged(Mutation& m, const std::string& child,
                               absl::Span<const hop::v1::Consent> consents) const;
  // After consent `c` was withdrawn or its validity ended: the withdrawal notice of `c` in
  // the feed of every configured peer it names while feed::NoticeNeeded, else a tombstone of
  // it (written only where a peer holds one).
  absl::Status ConsentNotices(Mutation& m, const hop::v1::Consent& c) const;
  // A directory entry to every peer; a retired one (retired_at set) as a tombstone.
  absl::Status InstitutionChanged(Mutation& m, const hop::v1::Institution& i) const;
  absl::Status ContactChanged(Mutation& m, const hop::v1::Contact& c) const;
  // After user `u` changed (Admin.UpdateUser; `u` as it will be stored by this mutation):
  // recomputes every open case whose published responsible contact is `u` (its responsible
  // person, or its case manager when it has none), with `u`'s new name, role, phone and
  // e-mail. A scan of every case under the write lock: fine for a rare admin action (a node
  // has thousands of cases, not millions); all in this one mutation. Returns how many cases.
  absl::StatusOr<int> UserChanged(Mutation& m, const hop::v1::User& u) const;

  const std::vector<std::string>& peers() const { return peers_; }

 private:
  // The published contact of the case's responsible person (or case manager).
  absl::StatusOr<hop::v1::ResponsibleContact> ResponsibleOf(const hop::v1::Case& c) const;
  // CaseChanged with the responsible contact given.
  absl::Status Project(Mutation& m, const hop::v1::Case& c,
                       absl::Span<const hop::v1::Consent> consents,
                       const hop::v1::ResponsibleContact& responsible) const;

  const RecordStore* const records_;
  const std::vector<std::string> peers_;
  const security::NodeSecret* const secret_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_FEED_WRITER_H_
