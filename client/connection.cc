#include "client/connection.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/status_macros.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/channel_arguments.h"

namespace hop::client {
namespace {

// hopctl reads the time from the wall clock (validity of the server's certificate).
const RealClock kClock;

// Checks one file option is readable; usage error naming the option otherwise.
absl::Status CheckReadable(absl::string_view flag, const std::string& path) {
  absl::StatusOr<std::string> content = security::ReadFileToString(path);
  if (!content.ok()) return UsageError(absl::StrCat("--", flag, ": ", content.status().message()));
  return absl::OkStatus();
}

}  // namespace

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const ClientConfig& config,
                                                             absl::Duration timeout,
                                                             const std::string& node_municipality) {
  HOP_RETURN_IF_ERROR(RequireComplete(config));
  HOP_RETURN_IF_ERROR(CheckReadable("ca", config.ca));
  HOP_RETURN_IF_ERROR(CheckReadable("crl", config.crl));
  HOP_RETURN_IF_ERROR(CheckReadable("cert", config.cert));
  HOP_RETURN_IF_ERROR(CheckReadable("key", config.key));
  absl::StatusOr<std::string> own_id = security::CertificateSpiffeId(config.cert);
  if (!own_id.ok()) return UsageError(absl::StrCat("--cert: ", own_id.status().message()));
  absl::StatusOr<security::Principal> own = security::ParseSpiffeId(*own_id);
  if (!own.ok()) {
    return UsageError(absl::StrCat("--cert: ", config.cert,
                                   " is not a hop certificate: ", own.status().message()));
  }
  std::string expected =
      security::NodeSpiffeId(node_municipality.empty() ? own->municipality : node_municipality);
  absl::StatusOr<std::unique_ptr<security::CrlSource>> crl =
      security::CrlSource::Open(config.crl, config.ca);
  if (!crl.ok()) return UsageError(absl::StrCat("--crl: ", crl.status().message()));
  auto record = std::make_shared<security::HandshakeRecord>();
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> credentials =
      security::MakeChannelCredentials(
          security::TlsPaths{config.ca, config.cert, config.key},
          security::ServerCheck{expected, crl->get(), &kClock, record});
  if (!credentials.ok()) {
    return UsageError(absl::StrCat("--ca/--cert/--key: ", credentials.status().message()));
  }
  grpc::ChannelArguments args;
  std::shared_ptr<grpc::Channel> channel =
      grpc::CreateCustomChannel(config.server, *credentials, args);
  return std::unique_ptr<Connection>(new Connection(config, timeout, std::move(expected),
                                                    *std::move(crl), std::move(record),
                                                    std::move(channel)));
}

Connection::Connection(ClientConfig config, absl::Duration timeout, std::string expected_server_id,
                       std::unique_ptr<security::CrlSource> crl,
                       std::shared_ptr<security::HandshakeRecord> record,
                       std::shared_ptr<grpc::Channel> channel)
    : config_(std::move(config)),
      timeout_(timeout),
      expected_server_id_(std::move(expected_server_id)),
      crl_(std::move(crl)),
      record_(std::move(record)),
      channel_(std::move(channel)),
      casework_(hop::v1::CaseWork::NewStub(channel_)),
      admin_(hop::v1::Admin::NewStub(channel_)),
      audit_(hop::v1::Audit::NewStub(channel_)) {}

std::string Connection::HintFor(const absl::Status& status) const {
  if (status.code() == absl::StatusCode::kUnavailable && !record_->refusal().empty()) {
    return absl::StrCat("hint: hopctl refused the server at ", config_.server, ": ",
                        record_->refusal(),
                        "\n      (checked against --ca, --crl and the expected identity ",
                        expected_server_id_, ")");
  }
  // hopd's own UNAVAILABLE (its store cannot write) says what to do; only the transport's
  // needs the connection hint.
  if (status.code() == absl::StatusCode::kUnavailable &&
      !absl::StrContains(status.message(), "the store cannot write")) {
    return absl::StrCat(
        "hint: could not reach hopd at ", config_.server,
        ". Check that hopd runs there and that --server is\n"
        "      your municipality's staff API (HOST:PORT); that --ca is the federation CA and\n"
        "      --cert/--key your own valid, unrevoked certificate; the server must present\n"
        "      ",
        expected_server_id_, "\n      (HOPCTL_DEBUG=1 shows gRPC's own log).");
  }
  if (status.code() == absl::StatusCode::kDeadlineExceeded) {
    return absl::StrCat("hint: no answer from ", config_.server, " within ",
                        absl::FormatDuration(timeout_), "; try a longer --timeout.");
  }
  return "";
}

}  // namespace hop::client
