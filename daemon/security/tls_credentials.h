// gRPC mutual-TLS credentials for hop. There is no plaintext mode anywhere.
// Both sides present a certificate of the federation CA and verify the other's chain to it.
// Server certificates are checked by their SPIFFE identity, not by host name, so a node can be
// reached by any address.
// Thread-safe; the returned credentials may be shared.
#ifndef HOP_DAEMON_SECURITY_TLS_CREDENTIALS_H_
#define HOP_DAEMON_SECURITY_TLS_CREDENTIALS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
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

// Client side: presents cert/key, verifies the server chain to the CA and that the server's
// certificate carries the URI SAN `expected_server_id` (e.g. NodeSpiffeId("0793")); a server
// with another identity fails the handshake (the call fails with UNAVAILABLE).
// Errors as MakeServerCredentials.
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
