// Delivers the look-up receipts of the outbox (federation/receipt_outbox.h) to their owners
// with Federation.Receipts, on one background thread (issue 11). Per origin: batches of at
// most domain::kMaxReceiptsPerCall receipts, oldest first; every receipt the owner names in
// its acknowledgement (accepted, or refused for good) is deleted; a failed call is retried
// with backoff (Options), and the others go on. Delivery to an origin is tried at once when
// a look-up queued a receipt for it (Poke) and right after each successful pull from it, so
// an owner that was down gets its receipts as soon as it is back.
//
// Metrics: hop_receipts_delivered_total{peer}, hop_receipts_refused_by_owner_total{peer}
// (refused receipts are also logged, with the owner's reason; no personal data).
// Thread-safe. Borrowed pointers must outlive the sender; Shutdown() (also run by the
// destructor) stops and joins the thread, finishing a call in progress.
#ifndef HOP_DAEMON_FEDERATION_RECEIPT_SENDER_H_
#define HOP_DAEMON_FEDERATION_RECEIPT_SENDER_H_

#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/federation/peer_channels.h"
#include "daemon/federation/receipt_outbox.h"

namespace hop::federation {

class ReceiptSender {
 public:
  struct Options {
    absl::Duration retry_initial = absl::Seconds(5);
    absl::Duration retry_max = absl::Minutes(10);
    absl::Duration call_timeout = absl::Seconds(10);
    absl::Duration connect_timeout = absl::Seconds(3);
  };
  ReceiptSender(Options options, ReceiptOutbox* outbox, PeerTransport* channels,
                std::vector<PeerEndpoint> peers)
      : options_(options), outbox_(outbox), channels_(channels), peers_(std::move(peers)) {}
  ~ReceiptSender() { Shutdown(); }
  ReceiptSender(const ReceiptSender&) = delete;
  ReceiptSender& operator=(const ReceiptSender&) = delete;

  // Starts the thread; it first tries every origin with receipts waiting.
  void Start();
  void Shutdown();

  // Try `origin` now (a receipt was queued for it, or it was just pulled from). Never blocks.
  void Poke(const std::string& origin);

  // Why the last delivery to `origin` failed; "" after a success or before any attempt.
  std::string LastError(const std::string& origin) const;

 private:
  struct PeerState {
    uint32_t failures = 0;
    absl::Time next_try = absl::InfinitePast();
    std::string last_error;
  };
  void Run();
  // Delivers `origin`'s receipts until none are left or a call fails.
  absl::Status Deliver(const PeerEndpoint& peer);
  // One call: up to kMaxReceiptsPerCall receipts; how many the owner acknowledged.
  absl::StatusOr<size_t> DeliverBatch(const PeerEndpoint& peer);
  // Origins to try now; sets `wake` to when the next retry is due.
  std::set<std::string> Due(absl::Time now, absl::Time& wake) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const Options options_;
  ReceiptOutbox* const outbox_;
  PeerTransport* const channels_;
  const std::vector<PeerEndpoint> peers_;
  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::set<std::string> poked_ ABSL_GUARDED_BY(mu_);
  std::map<std::string, PeerState> state_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_RECEIPT_SENDER_H_
