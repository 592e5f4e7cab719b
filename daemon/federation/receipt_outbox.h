// The durable outbox of look-up receipts (issue 11, "every look-up reaches the owner"): when
// staff are shown a copy held from origin O (`hopctl lookup`), a receipt for O is written in
// the same WriteBatch as the look-up's audit entry, and stays here until O acknowledges it
// (federation/receipt_sender.h). A crash, a restart or an owner that is down for days loses
// nothing; a receipt acknowledged is deleted.
//
// Key layout (sync_state family): rcpt/<origin>/<seq as 16 hex digits> -> hop.v1.LookupReceipt
// (seq orders the receipts of all origins; Open() finds the newest by scanning).
//
// Bounds (domain/limits.h): at most kMaxOutboxReceipts receipts and kMaxOutboxBytes bytes.
// When a commit would go beyond them it is refused with ResourceExhausted and nothing is
// written: the caller (the look-up) then does not show the held copies (no receipt, no copy).
// full() and the per-origin counts feed the metrics and `hopctl peers` / `hopctl status`.
//
// Thread-safe. `store` and `clock` must outlive the outbox.
#ifndef HOP_DAEMON_FEDERATION_RECEIPT_OUTBOX_H_
#define HOP_DAEMON_FEDERATION_RECEIPT_OUTBOX_H_

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/store/store.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

class ReceiptOutbox {
 public:
  struct Limits {
    size_t max_receipts;
    size_t max_bytes;
  };
  // A receipt waiting, with its key.
  struct Queued {
    std::string key;
    hop::v1::LookupReceipt receipt;
  };

  // Counts what is queued (DataLoss when a receipt cannot be parsed).
  static absl::StatusOr<std::unique_ptr<ReceiptOutbox>> Open(store::Store* store, Limits limits);

  // Adds `receipts` (origin -> its receipts) to `batch`, then runs `write(batch)` (which writes it,
  // e.g. AuditLog::Commit), all under the outbox's lock. ResourceExhausted (nothing written) when
  // the outbox would go beyond its limits; `write`'s error otherwise.
  absl::Status Commit(store::WriteBatch& batch,
                      const std::map<std::string, std::vector<hop::v1::LookupReceipt>>& receipts,
                      const std::function<absl::Status(store::WriteBatch&)>& write);

  // Up to `max_count` of `origin`'s receipts (at most `max_bytes` serialized, at least one),
  // oldest first.
  absl::StatusOr<std::vector<Queued>> Peek(const std::string& origin, size_t max_count,
                                           size_t max_bytes) const;

  // Deletes the receipts at `keys` (of `origin`); keys no longer there are skipped.
  absl::Status Remove(const std::string& origin, const std::vector<std::string>& keys);

  // Receipts waiting per origin (origins with none are absent), and in all.
  std::map<std::string, uint64_t> PendingByOrigin() const;
  uint64_t pending() const;
  uint64_t pending_bytes() const;
  // True when the last commit was refused for want of room and nothing was removed since.
  bool full() const;

 private:
  ReceiptOutbox(store::Store* store, Limits limits) : store_(store), limits_(limits) {}

  struct Count {
    uint64_t receipts = 0;
    uint64_t bytes = 0;
  };
  store::Store* const store_;
  const Limits limits_;
  mutable absl::Mutex mu_;
  uint64_t last_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<std::string, Count> by_origin_ ABSL_GUARDED_BY(mu_);
  Count total_ ABSL_GUARDED_BY(mu_);
  bool full_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_RECEIPT_OUTBOX_H_
