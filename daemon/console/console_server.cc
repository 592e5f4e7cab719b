#include "daemon/console/console_server.h"

#include <httplib.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "daemon/base/log.h"
#include "daemon/base/status_macros.h"
#include "daemon/console/http_guard.h"
#include "daemon/console/json_api.h"
#include "daemon/domain/code_lists.h"
#include "daemon/domain/municipalities.h"
#include "daemon/ops/metrics.h"
#include "daemon/security/peer_identity.h"
#include "grpcpp/client_context.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "hop/v1/codes.pb.h"

namespace hop::console {
namespace {

namespace fs = std::filesystem;

std::string ContentType(const std::string& path) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".ico", "image/x-icon"},
      {".woff2", "font/woff2"},
      {".map", "application/json"},
      {".txt", "text/plain; charset=utf-8"}};
  for (const auto& [ext, type] : kTypes) {
    if (absl::EndsWith(path, ext)) return type;
  }
  return "application/octet-stream";
}

// Every regular file under `dir`, keyed by its URL path; "/" is index.html.
absl::StatusOr<std::map<std::string, std::string>> LoadStaticFiles(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_regular_file(fs::path(dir) / "index.html", ec)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "console.static_dir: ", dir,
        " has no index.html; point it at the built console (build/client/console/dist in a "
        "build tree, /usr/local/share/hop/console when installed)"));
  }
  std::map<std::string, std::string> files;
  size_t total = 0;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::end(it);
       it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const std::string rel = fs::relative(it->path(), dir).generic_string();
    std::ifstream in(it->path(), std::ios::binary);
    std::stringstream body;
    body << in.rdbuf();
    total += body.str().size();
    if (total > kMaxStaticBytes) {
      return absl::InvalidArgumentError(absl::StrCat("console.static_dir: ", dir, " holds over ",
                                                     kMaxStaticBytes >> 20, " MiB; is it right?"));
    }
    files["/" + rel] = body.str();
  }
  if (ec) return absl::InvalidArgumentError(absl::StrCat("console.static_dir: ", ec.message()));
  files["/"] = files["/index.html"];
  return files;
}

std::string ReferenceJson(const std::string& municipality) {
  hop::v1::ConsoleReference reference;
  reference.set_this_municipality(municipality);
  for (const domain::Municipality& m : domain::AllMunicipalities()) {
    hop::v1::MunicipalityName* out = reference.add_municipalities();
    out->set_code(std::string(m.code));
    out->set_name(std::string(m.name));
    out->set_county(std::string(m.county));
  }
  *reference.mutable_codes() = domain::CountyCodes().lists();
  return MessageJson(reference);
}

absl::StatusOr<std::pair<std::string, int>> SplitListen(const std::string& address) {
  const size_t colon = address.rfind(':');
  int port = 0;
  if (colon == std::string::npos || !absl::SimpleAtoi(address.substr(colon + 1), &port) ||
      port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("console_listen ", address, ": expected host:port, e.g. 0.0.0.0:8443"));
  }
  std::string host = address.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  return std::make_pair(host, port);
}

// TLS 1.3 only, the node's certificate, client certificates asked for (not required: without
// one the pages load and the API answers 401) and verified against `trust`.
bool SetUpTls(SSL_CTX& ctx, const ConsoleServer::Options& o, const security::ClientTrust& trust) {
  if (SSL_CTX_set_min_proto_version(&ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(&ctx, TLS1_3_VERSION) != 1 ||
      SSL_CTX_use_certificate_chain_file(&ctx, o.cert_file.c_str()) != 1 ||
      SSL_CTX_use_PrivateKey_file(&ctx, o.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
      SSL_CTX_check_private_key(&ctx) != 1) {
    return false;
  }
  SSL_CTX_set_cert_store(&ctx, trust.NewHandshakeStore());
  STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(o.ca_file.c_str());
  if (names == nullptr) return false;
  for (const std::string& f : o.id_card_ca_files) {
    SSL_add_file_cert_subjects_to_stack(names, f.c_str());
  }
  SSL_CTX_set_client_CA_list(&ctx, names);
  SSL_CTX_set_verify(&ctx, SSL_VERIFY_PEER, nullptr);
  static const unsigned char kSessionContext[] = "hop-console";
  SSL_CTX_set_session_id_context(&ctx, kSessionContext, sizeof(kSessionContext) - 1);
  return true;
}

void SetHeaders(httplib::Response& res, bool personal) {
  for (auto& [name, value] : SecurityHeaders(personal)) res.set_header(name, value);
}

void SendError(httplib::Response& res, const absl::Status& status) {
  res.status = HttpStatus(status.code());
  res.set_content(ErrorJson(status), "application/json");
  ops::Registry::Default().Count(
      "hop_refusals_total",
      {{"api", "console"}, {"reason", absl::StatusCodeToString(status.code())}});
}

// Calls `method` on the staff server with the signed-in person's certificate.
absl::StatusOr<std::string> CallStaffApi(grpc::GenericStub& stub, const std::string& method,
                                         const std::string& request, const std::string& cert_der,
                                         const char* kind, const std::string& token) {
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + kCallDeadline));
  context.AddMetadata(security::kConsoleTokenKey, token);
  if (!cert_der.empty()) {
    context.AddMetadata(security::kConsoleCertKey, cert_der);
    context.AddMetadata(security::kConsoleKindKey, kind);
  }
  grpc::Slice slice(request);
  grpc::ByteBuffer request_buffer(&slice, 1);
  grpc::ByteBuffer response_buffer;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &request_buffer, &response_buffer,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  const grpc::Status status = done.get_future().get();
  if (!status.ok()) {
    return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
  }
  std::vector<grpc::Slice> slices;
  if (!response_buffer.Dump(&slices).ok()) return absl::InternalError("unreadable response");
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

}  // namespace

std::string NewConsoleToken() {
  unsigned char bytes[32];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) return "";
  return std::string(reinterpret_cast<char*>(bytes), sizeof(bytes));
}

absl::StatusOr<std::unique_ptr<ConsoleServer>> ConsoleServer::Start(
    Options options, std::shared_ptr<grpc::Channel> staff_channel, const Clock* clock) {
  if (options.token.empty()) return absl::InternalError("console token missing");
  HOP_ASSIGN_OR_RETURN(auto host_port, SplitListen(options.listen));
  std::unique_ptr<ConsoleServer> s(new ConsoleServer());
  HOP_ASSIGN_OR_RETURN(s->files_, LoadStaticFiles(options.static_dir));
  HOP_ASSIGN_OR_RETURN(s->trust_,
                       security::ClientTrust::Load(options.ca_file, options.id_card_ca_files));
  s->options_ = std::move(options);
  s->stub_ = std::make_unique<grpc::GenericStub>(std::move(staff_channel));
  s->clock_ = clock;
  s->reference_json_ = ReferenceJson(s->options_.municipality);
  const Options& o = s->options_;
  const security::ClientTrust& trust = *s->trust_;
  s->server_ = std::make_unique<httplib::SSLServer>(
      [&o, &trust](SSL_CTX& ctx) { return SetUpTls(ctx, o, trust); });
  if (!s->server_->is_valid()) {
    return absl::InvalidArgumentError(
        absl::StrCat("console_listen ", o.listen, ": cannot set up TLS with tls.cert ", o.cert_file,
                     " and tls.key ", o.key_file, " (unreadable, or not a pair?)"));
  }
  s->Route();
  if (!s->server_->bind_to_port(host_port.first, host_port.second)) {
    return absl::UnavailableError(absl::StrCat("console_listen ", o.listen,
                                               ": cannot listen (address in use or not local?)"));
  }
  httplib::SSLServer* server = s->server_.get();
  s->thread_ = std::thread([server] { server->listen_after_bind(); });
  return s;
}

ConsoleServer::~ConsoleServer() { Stop(); }

void ConsoleServer::Stop() {
  if (server_ != nullptr) server_->stop();
  if (thread_.joinable()) thread_.join();
}

void ConsoleServer::Route() {
  server_->new_task_queue = [] { return new httplib::ThreadPool(kThreads); };
  server_->set_payload_max_length(kMaxBodyBytes);
  server_->set_read_timeout(30, 0);
  server_->set_keep_alive_max_count(100);
  server_->Get("/api/reference",
               [this](const httplib::Request&, httplib::Response& res) { ServeReference(res); });
  auto api = [this](const httplib::Request& req, httplib::Response& res) { ServeApi(req, res); };
  server_->Post(R"(/api/.*)", api);
  server_->Get(R"(/api/.*)", api);
  server_->Put(R"(/api/.*)", api);
  server_->Delete(R"(/api/.*)", api);
  server_->Patch(R"(/api/.*)", api);
  server_->Options(R"(/api/.*)", api);
  server_->Get(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
    ServeStatic(req, res);
  });
}

void ConsoleServer::ServeReference(httplib::Response& res) {
  SetHeaders(res, /*personal=*/false);
  res.set_content(reference_json_, "application/json");
}

void ConsoleServer::ServeStatic(const httplib::Request& req, httplib::Response& res) {
  SetHeaders(res, /*personal=*/false);
  auto it = files_.find(req.path);
  if (it == files_.end()) {
    res.status = 404;
    res.set_content("not found\n", "text/plain; charset=utf-8");
    return;
  }
  res.set_content(it->second, ContentType(req.path == "/" ? "/index.html" : req.path));
}

void ConsoleServer::ServeApi(const httplib::Request& req, httplib::Response& res) {
  SetHeaders(res, /*personal=*/true);
  const std::string path = req.path.substr(std::string("/api/").size());
  absl::Status allowed = CheckApiRequest(
      {req.method, req.get_header_value("Content-Type"),
       req.get_header_value(std::string(kClientHeader)), req.get_header_value("Origin"),
       req.get_header_value("Host"), req.get_header_value("Sec-Fetch-Site")});
  if (!allowed.ok()) {
    LogWarning(
        "console", "request refused",
        {{"path", path}, {"peer", req.remote_addr}, {"why", std::string(allowed.message())}});
    return SendError(res, allowed);
  }
  absl::StatusOr<const google::protobuf::MethodDescriptor*> method = FindStaffMethod(path);
  if (!method.ok()) return SendError(res, method.status());
  absl::StatusOr<std::string> request = RequestFromJson(**method, req.body);
  if (!request.ok()) return SendError(res, request.status());

  std::string cert_der;
  const char* kind = "";
  SSL* ssl = const_cast<SSL*>(req.ssl);
  X509* leaf = ssl == nullptr ? nullptr : SSL_get1_peer_certificate(ssl);
  if (leaf != nullptr) {
    absl::StatusOr<security::ClientCertKind> classified =
        trust_->Classify(leaf, SSL_get_peer_cert_chain(ssl), clock_->NowUnix());
    if (!classified.ok()) {
      X509_free(leaf);
      return SendError(res, classified.status());
    }
    kind = security::ClientCertKindName(*classified);
    cert_der = security::CertificateDer(leaf);
    X509_free(leaf);
  }
  absl::StatusOr<std::string> response =
      CallStaffApi(*stub_, absl::StrCat("/", path), *request, cert_der, kind, options_.token);
  if (!response.ok()) return SendError(res, response.status());
  absl::StatusOr<std::string> json = ResponseToJson(**method, *response);
  if (!json.ok()) return SendError(res, json.status());
  res.set_content(*json, "application/json");
}

}  // namespace hop::console
