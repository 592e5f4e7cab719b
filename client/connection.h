// A mutual-TLS connection from hopctl to its own municipality's hopd.
//
// The client presents the user's certificate and accepts only a server whose certificate
// carries the node identity of the municipality named in the user's own certificate
// (spiffe://hop.tartumaa.ee/municipality/<EHAK>/node), is valid now, is an end-entity
// certificate with serverAuth usage, and is not listed by the federation CRL (--crl).
// There is no plaintext mode.
//
// Thread-compatible: one Connection per hopctl run; calls are made one at a time.
#ifndef HOP_CLIENT_CONNECTION_H_
#define HOP_CLIENT_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "client/client_config.h"
#include "daemon/security/crl.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "hop/v1/admin.grpc.pb.h"
#include "hop/v1/audit.grpc.pb.h"
#include "hop/v1/casework.grpc.pb.h"

namespace hop::client {

// grpc::Status -> absl::Status (the codes are the same numbers).
absl::Status FromGrpcStatus(const grpc::Status& status);

class Connection {
 public:
  // Checks that server, ca, cert and key are set and the files readable and well formed, reads
  // the user's identity from the certificate and prepares the channel (gRPC connects on the
  // first call). Every error is a usage error naming the option at fault.
  // `node_municipality`: the node expected at config.server (default: the certificate's own
  // municipality).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(
      const ClientConfig& config, absl::Duration timeout,
      const std::string& node_municipality = "");

  hop::v1::CaseWork::Stub& casework() { return *casework_; }
  hop::v1::Admin::Stub& admin() { return *admin_; }
  hop::v1::Audit::Stub& audit() { return *audit_; }

  // Runs one unary call with the per-call deadline. Returns the server's status on failure.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                const Request& request) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(absl::Now() + timeout_));
    Response response;
    grpc::Status status = (stub.*method)(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    return response;
  }

  // A hint for a failed call with this status ("" if none): for UNAVAILABLE, which address and
  // identity were expected; for DEADLINE_EXCEEDED, the timeout.
  std::string HintFor(const absl::Status& status) const;

  // The SPIFFE id the server must present, e.g. spiffe://hop.tartumaa.ee/municipality/0793/node.
  const std::string& expected_server_id() const { return expected_server_id_; }

 private:
  Connection(ClientConfig config, absl::Duration timeout, std::string expected_server_id,
             std::unique_ptr<security::CrlSource> crl,
             std::shared_ptr<security::HandshakeRecord> record,
             std::shared_ptr<grpc::Channel> channel);

  const ClientConfig config_;
  const absl::Duration timeout_;
  const std::string expected_server_id_;
  const std::unique_ptr<security::CrlSource> crl_;  // used by the channel's verifier
  const std::shared_ptr<security::HandshakeRecord> record_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<hop::v1::CaseWork::Stub> casework_;
  std::unique_ptr<hop::v1::Admin::Stub> admin_;
  std::unique_ptr<hop::v1::Audit::Stub> audit_;
};

}  // namespace hop::client

#endif  // HOP_CLIENT_CONNECTION_H_
