// Staff notifications (issue 4, as England's CP-IS): when another municipality asks about a
// child this node has a case of, the case's responsible person and case manager each get an
// entry saying who asked, from where, when and why.
//
// Key layout (users family): n/<user_id>/<id as 16 hex digits> -> hop.v1.InboxEntry. Ids are
// unique across users and increase; Open() finds the newest by scanning the entries.
// Notify() only adds puts to the caller's WriteBatch (written with the audit entry of the
// answered query); List/Acknowledge read and write directly. Thread-safe.
#ifndef HOP_DAEMON_CASEWORK_INBOX_H_
#define HOP_DAEMON_CASEWORK_INBOX_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/clock.h"
#include "daemon/store/store.h"
#include "hop/v1/records.pb.h"

namespace hop::casework {

class Inbox {
 public:
  // Finds the last id issued (DataLoss if an inbox key is malformed). `store` and `clock`
  // must outlive the Inbox.
  static absl::StatusOr<std::unique_ptr<Inbox>> Open(store::Store* store, const Clock* clock);

  // Adds `entry` (id and time set here) for each of `users` (empty ids skipped, duplicates
  // once) to `batch`. Nothing is stored until the caller writes the batch.
  void Notify(store::WriteBatch& batch, const std::vector<std::string>& users,
              hop::v1::InboxEntry entry);

  // `user_id`'s entries, oldest first; acknowledged ones only when asked for.
  absl::StatusOr<std::vector<hop::v1::InboxEntry>> List(const std::string& user_id,
                                                        bool include_acknowledged) const;

  // Marks `ids` (or, with `all`, every unacknowledged entry) of `user_id` acknowledged now;
  // returns how many changed. NotFound naming the id when one is not in the user's inbox (and
  // then nothing changes).
  absl::StatusOr<uint32_t> Acknowledge(const std::string& user_id,
                                       const std::vector<std::string>& ids, bool all);

 private:
  Inbox(store::Store* store, const Clock* clock) : store_(store), clock_(clock) {}

  store::Store* const store_;
  const Clock* const clock_;
  absl::Mutex mu_;
  uint64_t last_id_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_INBOX_H_
