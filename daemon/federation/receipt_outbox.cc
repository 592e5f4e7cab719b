#include "daemon/federation/receipt_outbox.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "daemon/base/status_macros.h"

namespace hop::federation {
namespace {

using store::Family;

constexpr char kPrefix[] = "rcpt/";

std::string OriginPrefix(const std::string& origin) { return absl::StrCat(kPrefix, origin, "/"); }

}  // namespace

absl::StatusOr<std::unique_ptr<ReceiptOutbox>> ReceiptOutbox::Open(store::Store* store,
                                                                   Limits limits) {
  std::unique_ptr<ReceiptOutbox> outbox(new ReceiptOutbox(store, limits));
  absl::MutexLock lock(&outbox->mu_);
  bool bad = false;
  HOP_RETURN_IF_ERROR(
      store->Scan(Family::kSyncState, kPrefix, "", [&](absl::string_view key, absl::string_view v) {
        const absl::string_view rest = key.substr(sizeof(kPrefix) - 1);
        const size_t slash = rest.find('/');
        uint64_t seq = 0;
        if (slash == absl::string_view::npos ||
            !absl::SimpleHexAtoi(rest.substr(slash + 1), &seq)) {
          bad = true;
          return false;
        }
        outbox->last_seq_ = std::max(outbox->last_seq_, seq);
        Count& c = outbox->by_origin_[std::string(rest.substr(0, slash))];
        ++c.receipts;
        c.bytes += v.size();
        ++outbox->total_.receipts;
        outbox->total_.bytes += v.size();
        return true;
      }));
  if (bad)
    return absl::DataLossError("a look-up receipt key of the sync_state family is malformed");
  return outbox;
}

absl::Status ReceiptOutbox::Commit(
    store::WriteBatch& batch,
    const std::map<std::string, std::vector<hop::v1::LookupReceipt>>& receipts,
    const std::function<absl::Status(store::WriteBatch&)>& write) {
  absl::MutexLock lock(&mu_);
  std::map<std::string, Count> added;
  Count sum;
  uint64_t seq = last_seq_;
  for (const auto& [origin, list] : receipts) {
    for (const hop::v1::LookupReceipt& r : list) {
      const std::string value = r.SerializeAsString();
      batch.Put(Family::kSyncState, absl::StrFormat("%s%016x", OriginPrefix(origin), ++seq), value);
      ++added[origin].receipts;
      added[origin].bytes += value.size();
      ++sum.receipts;
      sum.bytes += value.size();
    }
  }
  if (total_.receipts + sum.receipts > limits_.max_receipts ||
      total_.bytes + sum.bytes > limits_.max_bytes) {
    full_ = true;
    return absl::ResourceExhaustedError(absl::StrCat(
        "the look-up receipts outbox is full (", total_.receipts, " receipts, ", total_.bytes,
        " bytes; at most ", limits_.max_receipts, " and ", limits_.max_bytes,
        "): copies held from other municipalities cannot be shown until their owners "
        "acknowledge the receipts waiting for them (hopctl peers shows which)"));
  }
  HOP_RETURN_IF_ERROR(write(batch));
  last_seq_ = seq;
  for (const auto& [origin, c] : added) {
    by_origin_[origin].receipts += c.receipts;
    by_origin_[origin].bytes += c.bytes;
  }
  total_.receipts += sum.receipts;
  total_.bytes += sum.bytes;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<ReceiptOutbox::Queued>> ReceiptOutbox::Peek(const std::string& origin,
                                                                       size_t max_count,
                                                                       size_t max_bytes) const {
  std::vector<Queued> out;
  size_t bytes = 0;
  bool bad = false;
  HOP_RETURN_IF_ERROR(store_->Scan(
      Family::kSyncState, OriginPrefix(origin), "",
      [&](absl::string_view key, absl::string_view value) {
        if (out.size() >= max_count || (!out.empty() && bytes + value.size() > max_bytes)) {
          return false;
        }
        Queued q;
        q.key = std::string(key);
        if (!q.receipt.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = true;
          return false;
        }
        bytes += value.size();
        out.push_back(std::move(q));
        return true;
      }));
  if (bad)
    return absl::DataLossError(absl::StrCat("a look-up receipt for ", origin, " cannot be parsed"));
  return out;
}

absl::Status ReceiptOutbox::Remove(const std::string& origin,
                                   const std::vector<std::string>& keys) {
  absl::MutexLock lock(&mu_);
  store::WriteBatch batch = store_->NewBatch();
  Count removed;
  for (const std::string& key : keys) {
    HOP_ASSIGN_OR_RETURN(std::optional<std::string> value, store_->Get(Family::kSyncState, key));
    if (!value.has_value()) continue;
    batch.Delete(Family::kSyncState, key);
    ++removed.receipts;
    removed.bytes += value->size();
  }
  HOP_RETURN_IF_ERROR(store_->Write(batch));
  Count& c = by_origin_[origin];
  c.receipts -= std::min(c.receipts, removed.receipts);
  c.bytes -= std::min(c.bytes, removed.bytes);
  if (c.receipts == 0) by_origin_.erase(origin);
  total_.receipts -= std::min(total_.receipts, removed.receipts);
  total_.bytes -= std::min(total_.bytes, removed.bytes);
  if (removed.receipts > 0) full_ = false;
  return absl::OkStatus();
}

std::map<std::string, uint64_t> ReceiptOutbox::PendingByOrigin() const {
  absl::MutexLock lock(&mu_);
  std::map<std::string, uint64_t> out;
  for (const auto& [origin, c] : by_origin_) out[origin] = c.receipts;
  return out;
}

uint64_t ReceiptOutbox::pending() const {
  absl::MutexLock lock(&mu_);
  return total_.receipts;
}

uint64_t ReceiptOutbox::pending_bytes() const {
  absl::MutexLock lock(&mu_);
  return total_.bytes;
}

bool ReceiptOutbox::full() const {
  absl::MutexLock lock(&mu_);
  return full_;
}

}  // namespace hop::federation
