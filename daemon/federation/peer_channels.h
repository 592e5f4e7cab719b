// Peer channels (DESIGN.md "Round 2 direction: Peer channels"): the one module that makes
// and caches hopd's outgoing channels to its peers (the puller's pulls, live queries, witness
// calls) and hands out Federation stubs through PeerTransport, the transport seam for tests.
//
// Every handshake checks the server as the server side checks its clients (ServerCheck in
// security/tls_credentials.h): the peer's node identity, validity against the node's clock,
// end-entity with one URI SAN and serverAuth, and the federation CRL. A cached channel whose
// server certificate (as seen at its last handshake) has since expired or been revoked is
// dropped and made anew, so the next call needs a new handshake (which then fails). While the
// CRL is stale (CrlSource::CheckFresh) no stub is handed out at all.
// Thread-safe.
#ifndef HOP_DAEMON_FEDERATION_PEER_CHANNELS_H_
#define HOP_DAEMON_FEDERATION_PEER_CHANNELS_H_

#include <map>
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "daemon/base/clock.h"
#include "daemon/security/crl.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/channel.h"
#include "hop/v1/federation.grpc.pb.h"

namespace hop::federation {

struct PeerEndpoint {
  std::string municipality;  // EHAK
  std::string address;       // host:port of its federation listener
};

using FederationStub = hop::v1::Federation::StubInterface;

// Hands out stubs for peers. Implementations are thread-safe.
class PeerTransport {
 public:
  virtual ~PeerTransport() = default;

  // A stub for `peer`. With `connect_timeout` > 0, waits until the channel is connected:
  // Unavailable naming the address and, when this node refused the server's certificate, the
  // reason. FailedPrecondition when the node may not make federation calls (stale CRL).
  // The stub stays usable while held, even after DropAll.
  virtual absl::StatusOr<std::shared_ptr<FederationStub>> Stub(const PeerEndpoint& peer,
                                                               absl::Duration connect_timeout) = 0;

  // Why this node refused `municipality`'s server certificate at the last handshake, ""
  // if it did not.
  virtual std::string Refusal(const std::string& municipality) const = 0;

  // Forgets every channel: the next Stub connects anew (after a certificate reload).
  virtual void DropAll() = 0;
};

// The real transport: mTLS channels with this node's certificate.
class PeerChannels final : public PeerTransport {
 public:
  // `crl` and `clock` must outlive the PeerChannels.
  PeerChannels(security::TlsPaths tls, const security::CrlSource* crl, const Clock* clock)
      : tls_(std::move(tls)), crl_(crl), clock_(clock) {}

  absl::StatusOr<std::shared_ptr<FederationStub>> Stub(const PeerEndpoint& peer,
                                                       absl::Duration connect_timeout) override;
  std::string Refusal(const std::string& municipality) const override;
  void DropAll() override;

 private:
  struct Link {
    std::string address;
    std::shared_ptr<grpc::Channel> channel;
    std::shared_ptr<FederationStub> stub;
    std::shared_ptr<security::HandshakeRecord> record;
  };
  // The cached link to `peer`, made anew when missing, for another address, or when the
  // server certificate it holds no longer passes the checks.
  absl::StatusOr<Link> LinkFor(const PeerEndpoint& peer) ABSL_LOCKS_EXCLUDED(mu_);

  const security::TlsPaths tls_;
  const security::CrlSource* const crl_;
  const Clock* const clock_;
  mutable absl::Mutex mu_;
  std::map<std::string, Link> links_ ABSL_GUARDED_BY(mu_);  // by municipality
};

}  // namespace hop::federation

#endif  // HOP_DAEMON_FEDERATION_PEER_CHANNELS_H_
