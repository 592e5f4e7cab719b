#include "daemon/federation/feed_batcher.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/domain/limits.h"

namespace hop::federation {
namespace {

// Bytes a repeated message field adds around each entry (tag and length).
constexpr size_t kPerEntryFraming = 8;

}  // namespace

FeedBatcher::FeedBatcher(std::string origin, std::string epoch, uint64_t since, Sink send)
    : origin_(std::move(origin)), epoch_(std::move(epoch)), send_(std::move(send)) {
  Start(since);
}

void FeedBatcher::Start(uint64_t through) {
  batch_.Clear();
  batch_.set_origin(origin_);
  batch_.set_epoch(epoch_);
  batch_.set_through_seq(through);
  batch_bytes_ = 0;
}

bool FeedBatcher::Flush() {
  const uint64_t through = batch_.through_seq();
  sent_ += batch_.entries_size();
  ++batches_;
  if (!send_(batch_)) {
    cancelled_ = true;
    return false;
  }
  Start(through);
  return true;
}

FeedBatcher::Added FeedBatcher::Add(absl::string_view bytes, std::set<std::string>& subjects) {
  const size_t cost = std::min(bytes.size(), domain::kMaxFeedEntryBytes) + kPerEntryFraming;
  if (batch_.entries_size() > 0 && batch_bytes_ + cost > domain::kPullBatchTargetBytes &&
      !Flush()) {
    return Added::kCancelled;
  }
  hop::v1::FeedEntry* e = batch_.add_entries();  // parsed in place: no copy per entry
  if (!e->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) return Added::kCorrupt;
  last_seq_ = std::max(last_seq_, e->seq());
  if (bytes.size() > domain::kMaxFeedEntryBytes) {
    LogError("federation", "feed entry too large to send; sent without content",
             {{"record", e->record_key()},
              {"bytes", absl::StrCat(bytes.size())},
              {"limit", absl::StrCat(domain::kMaxFeedEntryBytes)}});
    const uint64_t seq = e->seq();
    const bool tombstone = e->tombstone();
    std::string key = e->record_key();
    e->Clear();
    e->set_seq(seq);
    e->set_record_key(std::move(key));
    e->set_tombstone(tombstone);
    e->set_withheld(true);
    ++withheld_;
  } else if (e->has_case_summary()) {
    subjects.insert(e->case_summary().child_isikukood());
    if (e->case_summary().basis() == hop::v1::SHARE_BASIS_CHILD_PROTECTION) {
      cp_subjects_.insert(e->case_summary().child_isikukood());
    }
  }
  batch_.set_through_seq(e->seq());
  batch_bytes_ += cost;
  if (batch_.entries_size() >= domain::kMaxPullBatchEntries && !Flush()) {
    return Added::kCancelled;
  }
  return Added::kOk;
}

bool FeedBatcher::Finish(hop::v1::SetDigest digest, const hop::v1::AuditHead* head) {
  *batch_.mutable_digest() = std::move(digest);
  if (head != nullptr) *batch_.mutable_audit_head() = *head;
  return Flush();
}

}  // namespace hop::federation
