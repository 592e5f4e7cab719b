#include "daemon/federation/peer_channels.h"

#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/cert_checks.h"
#include "daemon/security/identity.h"
#include "grpcpp/create_channel.h"

namespace hop::federation {
namespace {

// A peer that was down is tried again soon after it is back, not after gRPC's default
// backoff of up to two minutes.
constexpr int kMaxReconnectBackoffMs = 2000;
constexpr int kInitialReconnectBackoffMs = 200;

}  // namespace

absl::StatusOr<PeerChannels::Link> PeerChannels::LinkFor(const PeerEndpoint& peer) {
  absl::MutexLock lock(&mu_);
  auto it = links_.find(peer.municipality);
  if (it != links_.end() && it->second.address == peer.address) {
    const std::string pem = it->second.record->server_cert_pem();
    if (pem.empty()) return it->second;
    absl::StatusOr<std::string> still = security::VerifyPeerCertificate(
        pem, security::CertUse::kServer, *crl_->Current(), clock_->NowUnix());
    if (still.ok()) return it->second;
    LogWarning("federation", "peer channel dropped: its server certificate no longer passes",
               {{"peer", peer.municipality}, {"reason", std::string(still.status().message())}});
    links_.erase(it);
  }
  Link link;
  link.address = peer.address;
  link.record = std::make_shared<security::HandshakeRecord>();
  HOP_ASSIGN_OR_RETURN(std::shared_ptr<grpc::ChannelCredentials> creds,
                       security::MakeChannelCredentials(
                           tls_, security::ServerCheck{security::NodeSpiffeId(peer.municipality),
                                                       crl_, clock_, link.record}));
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, kMaxReconnectBackoffMs);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, kInitialReconnectBackoffMs);
  link.channel = grpc::CreateCustomChannel(peer.address, creds, args);
  link.stub = hop::v1::Federation::NewStub(link.channel);
  links_[peer.municipality] = link;
  return link;
}

absl::StatusOr<std::shared_ptr<FederationStub>> PeerChannels::Stub(const PeerEndpoint& peer,
                                                                   absl::Duration connect_timeout) {
  HOP_RETURN_IF_ERROR(crl_->CheckFresh(clock_->NowUnix()));
  HOP_ASSIGN_OR_RETURN(Link link, LinkFor(peer));
  if (link.channel->GetState(false) == GRPC_CHANNEL_TRANSIENT_FAILURE) {
    // Someone is waiting now: try the peer again at once rather than after the backoff.
    grpc::experimental::ChannelResetConnectionBackoff(link.channel.get());
  }
  if (connect_timeout > absl::ZeroDuration() &&
      !link.channel->WaitForConnected(absl::ToChronoTime(absl::Now() + connect_timeout))) {
    const std::string refusal = link.record->refusal();
    return absl::UnavailableError(
        absl::StrCat("cannot connect to ", peer.address, refusal.empty() ? "" : ": ", refusal));
  }
  return link.stub;
}

std::string PeerChannels::Refusal(const std::string& municipality) const {
  absl::MutexLock lock(&mu_);
  auto it = links_.find(municipality);
  return it == links_.end() ? "" : it->second.record->refusal();
}

void PeerChannels::DropAll() {
  absl::MutexLock lock(&mu_);
  links_.clear();
}

}  // namespace hop::federation
