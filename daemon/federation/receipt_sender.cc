#include "daemon/federation/receipt_sender.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/domain/limits.h"
#include "daemon/ops/metrics.h"
#include "grpcpp/client_context.h"

namespace hop::federation {
namespace {

// Bytes of receipts in one call, well below the owner's 64 KiB request limit.
constexpr size_t kBatchBytes = 48 << 10;

}  // namespace

void ReceiptSender::Start() {
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [origin, count] : outbox_->PendingByOrigin()) poked_.insert(origin);
  }
  thread_ = std::thread([this] { Run(); });
}

void ReceiptSender::Shutdown() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void ReceiptSender::Poke(const std::string& origin) {
  absl::MutexLock lock(&mu_);
  poked_.insert(origin);
}

std::string ReceiptSender::LastError(const std::string& origin) const {
  absl::MutexLock lock(&mu_);
  auto it = state_.find(origin);
  return it == state_.end() ? "" : it->second.last_error;
}

std::set<std::string> ReceiptSender::Due(absl::Time now, absl::Time& wake) {
  std::set<std::string> due = std::move(poked_);
  poked_.clear();
  wake = absl::InfiniteFuture();
  for (const auto& [origin, count] : outbox_->PendingByOrigin()) {
    const PeerState& s = state_[origin];
    if (s.next_try <= now) {
      due.insert(origin);
    } else {
      wake = std::min(wake, s.next_try);
    }
  }
  return due;
}

void ReceiptSender::Run() {
  for (;;) {
    std::set<std::string> due;
    {
      absl::MutexLock lock(&mu_);
      absl::Time wake;
      due = Due(absl::Now(), wake);
      if (due.empty() && !stopping_) {
        // Wake for a poke, a stop, the next retry, or at least every few seconds to notice
        // receipts queued by a look-up whose poke raced with this wait.
        wake = std::min(wake, absl::Now() + absl::Seconds(5));
        auto woken = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
          return stopping_ || !poked_.empty();
        };
        mu_.AwaitWithDeadline(absl::Condition(&woken), wake);
        continue;
      }
      if (stopping_) return;
    }
    for (const std::string& origin : due) {
      auto peer = std::find_if(peers_.begin(), peers_.end(),
                               [&](const PeerEndpoint& p) { return p.municipality == origin; });
      absl::Status delivered =
          peer == peers_.end()
              ? absl::FailedPreconditionError(absl::StrCat(
                    origin, " is not a configured peer: its look-up receipts wait until it is"))
              : Deliver(*peer);
      absl::MutexLock lock(&mu_);
      PeerState& s = state_[origin];
      if (delivered.ok()) {
        s = PeerState{};
        continue;
      }
      ++s.failures;
      absl::Duration delay = options_.retry_initial;
      for (uint32_t i = 1; i < s.failures && delay < options_.retry_max; ++i) delay *= 2;
      s.next_try = absl::Now() + std::min(delay, options_.retry_max);
      s.last_error = std::string(delivered.message());
      if (stopping_) return;
    }
  }
}

absl::Status ReceiptSender::Deliver(const PeerEndpoint& peer) {
  for (;;) {
    absl::StatusOr<size_t> acknowledged = DeliverBatch(peer);
    if (!acknowledged.ok()) {
      LogWarning(
          "federation", "look-up receipts not delivered",
          {{"peer", peer.municipality}, {"error", std::string(acknowledged.status().message())}});
      return acknowledged.status();
    }
    if (*acknowledged == 0) return absl::OkStatus();  // nothing left (or nothing taken)
    absl::MutexLock lock(&mu_);
    if (stopping_) return absl::OkStatus();
  }
}

absl::StatusOr<size_t> ReceiptSender::DeliverBatch(const PeerEndpoint& peer) {
  absl::StatusOr<std::vector<ReceiptOutbox::Queued>> queued =
      outbox_->Peek(peer.municipality, domain::kMaxReceiptsPerCall, kBatchBytes);
  if (!queued.ok()) return queued.status();
  if (queued->empty()) return 0;
  absl::StatusOr<std::shared_ptr<FederationStub>> stub =
      channels_->Stub(peer, options_.connect_timeout);
  if (!stub.ok()) return stub.status();
  hop::v1::LookupReceiptBatch request;
  std::map<std::string, std::string> key_of;  // receipt id -> outbox key
  for (ReceiptOutbox::Queued& q : *queued) {
    key_of[q.receipt.id()] = q.key;
    *request.add_receipts() = std::move(q.receipt);
  }
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + options_.call_timeout));
  hop::v1::LookupReceiptAck ack;
  grpc::Status status = (*stub)->Receipts(&context, request, &ack);
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()),
                        absl::StrCat(peer.municipality, " did not take the look-up receipts: ",
                                     status.error_message()));
  }
  std::vector<std::string> done;
  for (const std::string& id : ack.accepted()) {
    if (auto it = key_of.find(id); it != key_of.end()) done.push_back(it->second);
  }
  const size_t accepted = done.size();
  for (const hop::v1::LookupReceiptRefusal& r : ack.refused()) {
    auto it = key_of.find(r.id());
    if (it == key_of.end()) continue;
    done.push_back(it->second);
    LogWarning("federation", "the owner refused a look-up receipt",
               {{"peer", peer.municipality}, {"reason", r.reason().substr(0, 300)}});
  }
  if (absl::Status removed = outbox_->Remove(peer.municipality, done); !removed.ok()) {
    return removed;
  }
  ops::Registry& metrics = ops::Registry::Default();
  metrics.Count("hop_receipts_delivered_total", {{"peer", peer.municipality}},
                static_cast<double>(accepted));
  if (done.size() > accepted) {
    metrics.Count("hop_receipts_refused_by_owner_total", {{"peer", peer.municipality}},
                  static_cast<double>(done.size() - accepted));
  }
  if (done.empty()) {
    return absl::ResourceExhaustedError(absl::StrCat(peer.municipality, " acknowledged none of ",
                                                     request.receipts_size(),
                                                     " look-up receipts; trying again later"));
  }
  return done.size();
}

}  // namespace hop::federation
