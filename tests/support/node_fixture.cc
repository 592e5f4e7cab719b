// NodeFixture: one running hopd with its PKI and config (see harness.h).
#include <sys/stat.h>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "tests/support/harness.h"

namespace hop::testing {
namespace {

std::string Quote(const std::string& s) { return absl::StrCat("\"", absl::CEscape(s), "\""); }

std::string Loopback(int port) { return absl::StrCat("127.0.0.1:", port); }

}  // namespace

absl::StatusOr<std::unique_ptr<NodeFixture>> NodeFixture::Start(const std::string& ehak) {
  NodeOptions options;
  options.ehak = ehak;
  return Start(options);
}

absl::StatusOr<std::unique_ptr<NodeFixture>> NodeFixture::Start(const NodeOptions& options) {
  std::unique_ptr<NodeFixture> node(new NodeFixture(options));
  NodeOptions& o = node->options_;
  if (o.hopd_binary.empty()) o.hopd_binary = BinaryDir() + "/daemon/hopd";
  if (o.hopctl_binary.empty()) o.hopctl_binary = BinaryDir() + "/client/hopctl";

  absl::StatusOr<Pki> pki =
      o.pki_dir.empty() ? Pki::Create(node->temp_dir_.Path("pki")) : Pki::Open(o.pki_dir);
  if (!pki.ok()) return pki.status();
  node->pki_ = std::make_unique<Pki>(*std::move(pki));

  absl::StatusOr<CertPaths> node_cert =
      node->pki_->IssueNode(o.ehak, {"--dns", "localhost", "--ip", "127.0.0.1"});
  if (!node_cert.ok()) return node_cert.status();
  node->node_cert_ = *std::move(node_cert);
  absl::StatusOr<CertPaths> admin = node->pki_->IssueStaff(o.ehak, "admin");
  if (!admin.ok()) return admin.status();
  node->staff_["admin"] = *std::move(admin);

  std::vector<int> ports = PickFreePorts(3);
  if (o.api_port == 0) o.api_port = ports[0];
  if (o.federation_port == 0) o.federation_port = ports[1];
  if (o.metrics_port == 0) o.metrics_port = ports[2];

  if (mkdir(node->temp_dir_.Path("data").c_str(), 0700) != 0) {
    return absl::InternalError(absl::StrCat("mkdir ", node->temp_dir_.Path("data")));
  }
  absl::Status status = WriteFile(node->config_path(), node->ConfigText());
  if (!status.ok()) return status;
  status = node->StartHopd();
  if (!status.ok()) return status;
  return node;
}

NodeFixture::~NodeFixture() { process_.Stop(); }

std::string NodeFixture::ConfigText() const {
  return absl::StrCat(
      "# Written by hop::testing::NodeFixture.\n", "municipality: ", Quote(options_.ehak), "\n",
      "data_dir: ", Quote(temp_dir_.Path("data")), "\n", "api_listen: ", Quote(api_address()), "\n",
      "federation_listen: ", Quote(federation_address()), "\n",
      "metrics_listen: ", Quote(metrics_address()), "\n", "tls { ca_cert: ", Quote(pki_->ca_cert()),
      " cert: ", Quote(node_cert_.cert), " key: ", Quote(node_cert_.key),
      " crl: ", Quote(pki_->crl()), " }\n", "bootstrap_admins: \"admin\"\n", options_.extra_config,
      options_.extra_config.empty() ? "" : "\n");
}

absl::Status NodeFixture::StartHopd() {
  return process_.Start(options_.hopd_binary, config_path(), log_path(), options_.api_port);
}

absl::Status NodeFixture::Restart() {
  process_.Stop();
  return StartHopd();
}

int NodeFixture::Stop() { return process_.Stop(); }

CertPaths NodeFixture::Staff(const std::string& user) {
  auto it = staff_.find(user);
  if (it != staff_.end()) return it->second;
  absl::StatusOr<CertPaths> paths = pki_->IssueStaff(options_.ehak, user);
  if (!paths.ok()) {
    ADD_FAILURE() << "NodeFixture::Staff(\"" << user << "\"): " << paths.status();
    return CertPaths{};
  }
  return staff_[user] = *std::move(paths);
}

CertPaths NodeFixture::Ops(const std::string& name) {
  auto it = ops_.find(name);
  if (it != ops_.end()) return it->second;
  absl::StatusOr<CertPaths> paths = pki_->IssueOps(options_.ehak, name);
  if (!paths.ok()) {
    ADD_FAILURE() << "NodeFixture::Ops(\"" << name << "\"): " << paths.status();
    return CertPaths{};
  }
  return ops_[name] = *std::move(paths);
}

CommandResult NodeFixture::Hopctl(const std::string& user, std::vector<std::string> args,
                                  int timeout_seconds) {
  return HopctlWith(Staff(user), std::move(args), timeout_seconds);
}

CommandResult NodeFixture::HopctlWith(const CertPaths& cert, std::vector<std::string> args,
                                      int timeout_seconds) {
  std::vector<std::string> argv = {options_.hopctl_binary,
                                   "--server",
                                   api_address(),
                                   "--ca",
                                   pki_->ca_cert(),
                                   "--crl",
                                   pki_->crl(),
                                   "--cert",
                                   cert.cert,
                                   "--key",
                                   cert.key};
  argv.insert(argv.end(), std::make_move_iterator(args.begin()),
              std::make_move_iterator(args.end()));
  return RunCommand(argv, {}, timeout_seconds);
}

std::string NodeFixture::api_address() const { return Loopback(options_.api_port); }
std::string NodeFixture::federation_address() const { return Loopback(options_.federation_port); }
std::string NodeFixture::metrics_address() const { return Loopback(options_.metrics_port); }

std::string NodeFixture::log() const {
  absl::StatusOr<std::string> contents = ReadFile(log_path());
  return contents.ok() ? *contents : "";
}

}  // namespace hop::testing
