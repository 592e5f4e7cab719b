// Cuts one peer's feed into the batches of a Pull stream, by count and by bytes, so that no
// batch is above what a receiver accepts (domain/limits.h): entries are added while the batch
// stays within kPullBatchTargetBytes and kMaxPullBatchEntries; a batch holds at least one
// entry. An entry above kMaxFeedEntryBytes (a record stored before the limits existed) is sent
// without its content and marked `withheld`, so the receiver refuses that one entry, keeps the
// digest in step and goes on with the rest: no single record can stop a link.
// Not thread-safe: one per Pull.
#ifndef HOP_DAEMON_FEDERATION_FEED_BATCHER_H_
#define HOP_DAEMON_FEDERATION_FEED_BATCHER_H_

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "absl/strings/string_view.h"
#include "hop/v1/federation.pb.h"

namespace hop::federation {

class FeedBatcher {
 public:
  // `send` writes one batch to the receiver; false when the receiver went away.
  using Sink = std::function<bool(const hop::v1::PullBatch&)>;
  // The batches carry `origin` and `epoch`; the first one continues after `since`.
  FeedBatcher(std::string origin, std::string epoch, uint64_t since, Sink send);

  enum class Added { kOk, kCorrupt, kCancelled };
  // Adds one stored feed entry (its serialized bytes), sending the batch first when the entry
  // would take it past the byte target, and after it when the batch is full. The child of a
  // case summary added goes into `subjects`. kCorrupt: the bytes do not parse (nothing sent);
  // kCancelled: the receiver went away.
  Added Add(absl::string_view bytes, std::set<std::string>& subjects);

  // Sends the last batch (possibly empty) with the digest and, unless null, the audit head;
  // false when the receiver went away.
  bool Finish(hop::v1::SetDigest digest, const hop::v1::AuditHead* head);

  uint64_t sent() const { return sent_; }          // entries sent
  uint64_t last_seq() const { return last_seq_; }  // newest seq added (0: none)
  uint64_t withheld() const { return withheld_; }  // of those, sent without content
  // Children (in `subjects` of Add) whose summaries went under the child-protection basis.
  const std::set<std::string>& child_protection_subjects() const { return cp_subjects_; }
  uint64_t batches() const { return batches_; }
  bool cancelled() const { return cancelled_; }

 private:
  bool Flush();
  void Start(uint64_t through);

  const std::string origin_;
  const std::string epoch_;
  const Sink send_;
  hop::v1::PullBatch batch_;
  size_t batch_bytes_ = 0;
  uint64_t sent_ = 0, withheld_ = 0, batches_ = 0, last_seq_ = 0;
  std::set<std::string> cp_subjects_;
  bool cancelled_ = false;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_FEED_BATCHER_H_
