#include "daemon/federation/nudger.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/ops/metrics.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {
namespace {

std::map<std::string, PeerEndpoint> ByMunicipality(std::vector<PeerEndpoint> peers) {
  std::map<std::string, PeerEndpoint> by_code;
  for (PeerEndpoint& peer : peers) {
    std::string code = peer.municipality;
    by_code.emplace(std::move(code), std::move(peer));
  }
  return by_code;
}

}  // namespace

Nudger::Nudger(PeerTransport* channels, std::vector<PeerEndpoint> peers,
               absl::Duration call_timeout)
    : channels_(channels), peers_(ByMunicipality(std::move(peers))), call_timeout_(call_timeout) {}

void Nudger::Start() {
  absl::MutexLock lock(&mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Run(); });
}

void Nudger::Stop() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
    pending_.clear();
    if (in_flight_ != nullptr) in_flight_->TryCancel();
  }
  if (thread_.joinable()) thread_.join();
}

void Nudger::TombstonesCommitted(const std::set<std::string>& peers) {
  absl::MutexLock lock(&mu_);
  if (stopping_) return;
  for (const std::string& peer : peers) {
    if (peers_.count(peer) != 0) pending_.insert(peer);
  }
}

bool Nudger::Send(const PeerEndpoint& peer) {
  absl::Status status;
  absl::StatusOr<std::shared_ptr<FederationStub>> stub =
      channels_->Stub(peer, /*connect_timeout=*/absl::ZeroDuration());
  if (!stub.ok()) {
    status = stub.status();
  } else {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + call_timeout_));
    {
      absl::MutexLock lock(&mu_);
      if (stopping_) return false;
      in_flight_ = &context;
    }
    hop::v1::NudgeResponse response;
    const grpc::Status sent = (*stub)->Nudge(&context, hop::v1::NudgeRequest(), &response);
    {
      absl::MutexLock lock(&mu_);
      in_flight_ = nullptr;
    }
    if (!sent.ok()) {
      status = absl::Status(static_cast<absl::StatusCode>(sent.error_code()), sent.error_message());
    }
  }
  ops::Registry::Default().Count(
      "hop_nudges_sent_total",
      {{"peer", peer.municipality}, {"outcome", status.ok() ? "ok" : "failed"}});
  if (!status.ok()) {
    LogInfo("nudger", "nudge not delivered; the peer gets the change at its next pull",
            {{"peer", peer.municipality}, {"error", std::string(status.message())}});
  }
  return status.ok();
}

void Nudger::Run() {
  for (;;) {
    std::set<std::string> due;
    {
      absl::MutexLock lock(&mu_);
      auto ready = [this]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
        return stopping_ || !pending_.empty();
      };
      mu_.Await(absl::Condition(&ready));
      if (stopping_) return;
      due.swap(pending_);
    }
    for (const std::string& code : due) Send(peers_.at(code));
  }
}

}  // namespace hop::federation
