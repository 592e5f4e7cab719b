// Cross-municipal lookup from local copies (`hopctl lookup`): a child's cases on this node
// that the caller may see, and the case summaries held from other municipalities that the
// caller's role may see (domain::CanSeeHeldSummary), each with its origin, responsible
// contact and freshness. Expired copies are never shown. A purpose is required.
// Errors: InvalidArgument naming the field (isikukood, purpose). Thread-safe; borrowed
// pointers must outlive the ChildLookup.
#ifndef HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_
#define HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_

#include "absl/status/statusor.h"
#include "daemon/base/clock.h"
#include "daemon/casework/case_book.h"
#include "daemon/domain/access.h"
#include "daemon/federation/puller.h"
#include "daemon/federation/replica_store.h"
#include "hop/v1/casework.pb.h"

namespace hop::federation {

class ChildLookup {
 public:
  ChildLookup(const casework::CaseBook* cases, const ReplicaStore* replicas, const Puller* puller,
              const Clock* clock)
      : cases_(cases), replicas_(replicas), puller_(puller), clock_(clock) {}

  absl::StatusOr<hop::v1::LookupResponse> Lookup(const domain::Actor& actor,
                                                 const hop::v1::LookupRequest& request) const;

 private:
  const casework::CaseBook* const cases_;
  const ReplicaStore* const replicas_;
  const Puller* const puller_;
  const Clock* const clock_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_CHILD_LOOKUP_H_
