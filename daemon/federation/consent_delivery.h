// What each recipient of a consent holds of the child now (issue 12, the console's consents
// page): from the recipient's feed at this node (the newest entry of each of the child's
// cases) and how far the recipient has pulled it (sync_state "out/<peer>" in this epoch: the
// feed up to FeedProgress.served_seq went out in its last completed pull).
// Per recipient, over the child's cases (hop.v1.DeliveryState):
//   HOLDS            a summary is in its feed and it pulled it (every such summary);
//   PENDING          a summary is in its feed, not all pulled yet;
//   REMOVED          only removals (tombstones) are in its feed, and it pulled them;
//   REMOVAL_PENDING  only removals, not all pulled yet;
//   NOTHING          no entry of the child's cases in its feed: it never held a copy, or its
//                    removal was confirmed by a later pull and the tombstone collected.
// A recipient that is no configured peer has no feed: NOTHING. Reads only; thread-safe.
#ifndef HOP_DAEMON_FEDERATION_CONSENT_DELIVERY_H_
#define HOP_DAEMON_FEDERATION_CONSENT_DELIVERY_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "daemon/casework/record_store.h"
#include "daemon/store/store.h"
#include "hop/v1/casework.pb.h"

namespace hop::federation {

class ConsentDelivery {
 public:
  // Borrowed pointers must outlive the object.
  ConsentDelivery(const casework::RecordStore* records, const store::Store* store)
      : records_(records), store_(store) {}

  // Fills response.deliveries, one per response.consents, in order.
  absl::Status Describe(hop::v1::ListConsentsResponse& response) const;

 private:
  // `progress_of`: each peer's FeedProgress, read once per Describe.
  absl::StatusOr<hop::v1::RecipientDelivery> Recipient(
      const std::string& peer, const std::vector<hop::v1::Case>& cases, const std::string& epoch,
      std::map<std::string, hop::v1::FeedProgress>& progress_of) const;

  const casework::RecordStore* const records_;
  const store::Store* const store_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_CONSENT_DELIVERY_H_
