// Retention of closed cases (config `retention { closed_case_days }`, issue 11 "Promises
// kept"). The owner's periodic sweep (federation/scheduler.h housekeeping, every minute)
// purges each case closed at least closed_case_days ago, for good, in one audited write per
// case ("case purged after retention"; object = the case id, purpose = the rule; the child is
// named only as the entry's subject):
//  - the case record and its indexes;
//  - every inbox entry about the case (who asked about the child);
//  - when it was the child's last case at this node, every consent of the child: a consent
//    lets this node share the child's case, and with no case left it covers nothing (a case
//    opened again later needs a new consent);
//  - a tombstone into the feed of any peer that still holds a summary of it (normally none:
//    closing already sent one), so the peer is nudged and drops it.
// The audit entries about the case stay (the audit log is append-only).
// The closing time of a case is its updated_at (a closed case never changes; reopening it,
// CaseBook::Reopen, takes it out of the closed index, and closing it again starts anew).
// closed_case_days 0 keeps closed cases for ever (its range: domain/limits.h). Thread-safe (each
// purge is one Mutate).
#ifndef HOP_DAEMON_CASEWORK_RETENTION_H_
#define HOP_DAEMON_CASEWORK_RETENTION_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "daemon/casework/feed_writer.h"
#include "daemon/casework/inbox.h"
#include "daemon/casework/record_store.h"

namespace hop::casework {

// At most this many cases are purged per sweep; the rest at the next one.
inline constexpr int kMaxPurgesPerSweep = 500;

class Retention {
 public:
  // Borrowed pointers must outlive the Retention.
  Retention(RecordStore* records, const FeedWriter* feeds, const Inbox* inbox,
            uint32_t closed_case_days)
      : records_(records), feeds_(feeds), inbox_(inbox), closed_case_days_(closed_case_days) {}

  // Purges the cases closed at least closed_case_days before the records' clock says now;
  // returns how many. Cheap when none is due (one seek in the closed-case index). The first
  // sweep indexes the cases closed before this index existed.
  absl::StatusOr<int> Sweep();

 private:
  // Adds every closed case to the closed index, once per store.
  absl::Status IndexClosedCases();
  // Purges one case if it is (still) closed at or before `cutoff`; true if it did.
  absl::StatusOr<bool> Purge(const std::string& case_id, int64_t cutoff);

  RecordStore* const records_;
  const FeedWriter* const feeds_;
  const Inbox* const inbox_;
  const uint32_t closed_case_days_;
};

}  // namespace hop::casework

#endif  // HOP_DAEMON_CASEWORK_RETENTION_H_
