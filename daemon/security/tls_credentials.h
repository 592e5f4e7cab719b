// gRPC mutual-TLS credentials for hop. There is no plaintext mode anywhere.
// Both sides present a certificate of the federation CA and verify the other's chain to it.
// Server certificates are checked by their SPIFFE identity, not by host name, so a node can be
// reached by any address.
// Thread-safe; the returned credentials may be shared.
#ifndef HOP_DAEMON_SECURITY_TLS_CREDENTIALS_H_
#define HOP_DAEMON_SECURITY_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "daemon/base/clock.h"
#include "daemon/security/crl.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"

namespace hop::security {

struct TlsPaths {
  std::string ca_cert;  // PEM of the federation CA
  std::string cert;     // own certificate (PEM)
  std::string key;      // own private key (PEM)
};

// Server side: requires and verifies a client certificate chained to the CA.
// Errors: NotFound / PermissionDenied / InvalidArgument naming the unreadable or malformed file,
// or a key that does not match its certificate.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> MakeServerCredentials(
    const TlsPaths& paths);

// What one outgoing channel's handshakes found (shared with the channel's verifier; a
// reconnect is a new handshake). Thread-safe.
class HandshakeRecord {
 public:
  void Accepted(std::string server_cert_pem);
  void Refused(std::string reason);
  // The server certificate of the last accepted handshake ("" if none yet).
  std::string server_cert_pem() const;
  // Why the last handshake was refused by this side ("" if the last one was accepted).
  std::string refusal() const;

 private:
  mutable absl::Mutex mu_;
  std::string server_cert_pem_ ABSL_GUARDED_BY(mu_);
  std::string refusal_ ABSL_GUARDED_BY(mu_);
};

// How a client checks the server at every handshake, beyond the chain to the CA: its
// certificate must carry the URI SAN `expected_id` (e.g. NodeSpiffeId("0793")) and pass
// VerifyPeerCertificate as a server (validity by `clock`, end-entity, one URI SAN,
// serverAuth) against `crl`. Pointers must outlive the credentials; `record` may be null.
struct ServerCheck {
  std::string expected_id;
  const CrlSource* crl = nullptr;
  const Clock* clock = nullptr;
  std::shared_ptr<HandshakeRecord> record;
};

// Client side: presents cert/key, verifies the server chain to the CA and `check`; a server
// that fails it fails the handshake (the call fails with UNAVAILABLE).
// Errors as MakeServerCredentials.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsPaths& paths, ServerCheck check);

// Test clients only: checks the server's identity, not the CRL or the usage. hop's own
// outgoing connections use the ServerCheck form.
absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> MakeChannelCredentials(
    const TlsPaths& paths, const std::string& expected_server_id);

// Reads a whole file; NotFound / PermissionDenied naming the path.
absl::StatusOr<std::string> ReadFileToString(const std::string& path);

// The SPIFFE URI SAN of a PEM certificate file (first URI SAN); InvalidArgument if none.
absl::StatusOr<std::string> CertificateSpiffeId(const std::string& cert_path);

// The notAfter (unix seconds) of the first certificate in the PEM file `cert_path`.
absl::StatusOr<int64_t> CertificateNotAfter(const std::string& cert_path);

// How often the TLS listeners re-read the certificate, key and CA files: a renewed
// certificate is used for new connections within this time.
inline constexpr unsigned int kCertRefreshSeconds = 5;

// Checks that the cert, key and CA files are readable and well formed and that the key
// belongs to the certificate; InvalidArgument / NotFound naming the file otherwise.
absl::Status CheckTlsFiles(const TlsPaths& paths);

}  // namespace hop::security

#endif  // HOP_DAEMON_SECURITY_TLS_CREDENTIALS_H_
