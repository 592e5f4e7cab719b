// One question to several peers at once (live queries: peer_query.h; county figures:
// figures/county_figures.h): every call starts at once over the peer channels
// (PeerTransport), with one deadline, and Fanout returns when all have ended. A peer whose
// stub cannot be had ends at once with that error; an UNAVAILABLE peer whose server
// certificate this node refused gets the reason as its message (gRPC says only that the
// handshake failed). Thread-safe: the calls' state is shared with gRPC's completion callbacks
// (which may still be leaving the lock when the asking thread goes on).
#ifndef HOP_DAEMON_FEDERATION_PEER_FANOUT_H_
#define HOP_DAEMON_FEDERATION_PEER_FANOUT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "daemon/federation/peer_channels.h"
#include "grpcpp/client_context.h"

namespace hop::federation {

// One peer's call and how it ended.
template <typename Answer>
struct PeerCall {
  const PeerEndpoint* peer = nullptr;
  std::shared_ptr<FederationStub> stub;
  grpc::ClientContext context;
  Answer answer;
  grpc::Status status;
  absl::Time started;
  absl::Duration took;
};

// Starts one call: stub->async()->Method(context, &request, answer, done).
template <typename Answer>
using StartCall = std::function<void(FederationStub& stub, grpc::ClientContext* context,
                                     Answer* answer, std::function<void(grpc::Status)> done)>;

// Asks every peer of `peers` with `start`, all by `deadline`; the calls in the order given.
template <typename Answer>
std::vector<std::shared_ptr<PeerCall<Answer>>> Fanout(
    PeerTransport& channels, const std::vector<const PeerEndpoint*>& peers,
    std::chrono::system_clock::time_point deadline, const StartCall<Answer>& start) {
  struct Shared {
    absl::Mutex mu;
    std::vector<std::shared_ptr<PeerCall<Answer>>> calls;
    size_t done ABSL_GUARDED_BY(mu) = 0;
    bool AllDone() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) { return done == calls.size(); }
  };
  auto shared = std::make_shared<Shared>();
  for (const PeerEndpoint* peer : peers) {
    auto call = std::make_shared<PeerCall<Answer>>();
    call->peer = peer;
    call->context.set_deadline(deadline);
    call->started = absl::Now();
    shared->calls.push_back(std::move(call));
  }
  for (const std::shared_ptr<PeerCall<Answer>>& call : shared->calls) {
    PeerCall<Answer>* c = call.get();
    auto finish = [shared, c](grpc::Status status) {
      absl::MutexLock lock(&shared->mu);
      c->status = std::move(status);
      c->took = absl::Now() - c->started;
      ++shared->done;
    };
    absl::StatusOr<std::shared_ptr<FederationStub>> stub =
        channels.Stub(*c->peer, absl::ZeroDuration());
    if (!stub.ok()) {
      finish(grpc::Status(static_cast<grpc::StatusCode>(stub.status().code()),
                          std::string(stub.status().message())));
      continue;
    }
    c->stub = *std::move(stub);
    start(*c->stub, &c->context, &c->answer, finish);
  }
  absl::MutexLock lock(&shared->mu);
  shared->mu.Await(absl::Condition(shared.get(), &Shared::AllDone));
  for (const std::shared_ptr<PeerCall<Answer>>& c : shared->calls) {
    if (c->status.error_code() != grpc::StatusCode::UNAVAILABLE) continue;
    const std::string refusal = channels.Refusal(c->peer->municipality);
    if (!refusal.empty()) c->status = grpc::Status(grpc::StatusCode::UNAVAILABLE, refusal);
  }
  return shared->calls;
}

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PEER_FANOUT_H_
