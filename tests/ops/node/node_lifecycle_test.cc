// A node's life cycle with real hopd processes (issue 5): a backup taken with
// `hopctl admin backup` while staff keep writing restores, with `hopd --restore`, to a
// consistent store under a new epoch; a renewed node certificate is taken up on SIGHUP without
// a restart, and the old one, revoked, is refused.
#include <signal.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;

// The serial of the certificate the TLS server at 127.0.0.1:`port` presents ("" on failure),
// read with the openssl CLI presenting `client`.
std::string ServedSerial(int port, const std::string& ca, const testing::CertPaths& client) {
  testing::CommandResult r =
      testing::RunCommand({"sh", "-c",
                           absl::StrCat("openssl s_client -connect 127.0.0.1:", port, " -CAfile ",
                                        ca, " -cert ", client.cert, " -key ", client.key,
                                        " </dev/null 2>/dev/null | openssl x509 -noout -serial")},
                          {}, 20);
  return r.exit_code == 0 ? r.out : "";
}

std::string FileSerial(const std::string& cert) {
  return testing::RunCommand({"openssl", "x509", "-in", cert, "-noout", "-serial"}).out;
}

int PortOf(const std::string& address) { return std::stoi(address.substr(address.rfind(':') + 1)); }

class NodeLifecycleTest : public Federation {};

TEST_F(NodeLifecycleTest, ABackupTakenUnderWriteLoadRestoresToAConsistentStoreWithANewEpoch) {
  testing::TempDir backups("hop-backups");
  ASSERT_NO_FATAL_FAILURE(
      StartNodes({"0793"}, {{"0793", "backup_dir: \"" + backups.Path("node") + "\"\n"}}));
  NodeFixture& node = *nodes_.at("0793");
  Ok("0793", "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta"});
  const std::string epoch_before = Json<hop::v1::NodeStatus>("0793", "admin", {"status"}).epoch();

  // Staff keep writing while three backups are taken.
  std::atomic<bool> stop{false};
  std::atomic<int> written{0};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      testing::CommandResult r = node.Hopctl(
          "juht", {"directory", "institution", "add", "--name", absl::StrCat("Kool ", i), "--kind",
                   "school", "--ownership", "municipal", "--municipality", "0793"});
      if (r.exit_code == 0) ++written;
    }
  });
  std::vector<uint32_t> ids;
  for (int i = 0; i < 3; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    hop::v1::BackupResponse b = Json<hop::v1::BackupResponse>("0793", "admin", {"admin", "backup"});
    ids.push_back(b.backup_id());
    EXPECT_GT(b.size_bytes(), 0u);
    EXPECT_EQ(b.directory(), backups.Path("node"));
  }
  stop.store(true);
  writer.join();
  EXPECT_EQ(ids, (std::vector<uint32_t>{1, 2, 3}));
  ASSERT_GT(written.load(), 3) << "the writer must have run during the backups";
  const testing::CommandResult human = node.Hopctl("admin", {"admin", "backup"});
  EXPECT_THAT(human.out, HasSubstr("backup 4 taken at"));
  EXPECT_THAT(human.out, HasSubstr("hopd --config FILE --restore --backup_id 4"));

  // The disk is lost: the data directory goes, backup 3 (taken mid-load) comes back.
  ASSERT_EQ(node.Stop(), 0);
  std::filesystem::rename(node.dir() + "/data", node.dir() + "/data.lost");
  const std::string hopd = testing::BinaryDir() + "/daemon/hopd";
  testing::CommandResult restored =
      testing::RunCommand({hopd, "--config", node.config_path(), "--restore", "--backup_id", "3"});
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_THAT(restored.out, HasSubstr("restored backup 3"));
  EXPECT_THAT(restored.out, HasSubstr("every peer will resync"));
  testing::CommandResult again =
      testing::RunCommand({hopd, "--config", node.config_path(), "--restore"});
  EXPECT_EQ(again.exit_code, 1) << "a data_dir holding a store is never overwritten";
  EXPECT_THAT(again.err, HasSubstr("already holds a store"));
  ASSERT_TRUE(node.Restart().ok()) << node.log();

  // Consistent: the audit chain (written in the same batches as the changes) checks out, every
  // institution the counters issued is there, and the store lives under a new epoch.
  EXPECT_THAT(Ok("0793", "admin", {"audit", "verify"}), HasSubstr("audit trail intact"));
  const hop::v1::NodeStatus status = Json<hop::v1::NodeStatus>("0793", "admin", {"status"});
  EXPECT_NE(status.epoch(), epoch_before) << "peers must resync a restored store";
  const hop::v1::SearchDirectoryResponse found = Json<hop::v1::SearchDirectoryResponse>(
      "0793", "juht", {"directory", "search", "--municipality", "0793"});
  int institutions = 0;
  for (const hop::v1::Institution& i : found.institutions()) {
    institutions += i.municipality() == "0793" && i.name().rfind("Kool ", 0) == 0;
  }
  EXPECT_EQ(static_cast<uint64_t>(institutions), status.institutions())
      << "every institution id the restored counters issued has its record, and no more";
  EXPECT_GT(institutions, 0);
  EXPECT_LE(institutions, written.load());
}

TEST_F(NodeLifecycleTest, SighupTakesUpARenewedCertificateAndTheRevokedOldOneIsRefused) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171"}));
  NodeFixture& tartu = *nodes_.at("0793");
  NodeFixture& elva = *nodes_.at("0171");
  const testing::CertPaths old_cert = tartu.node_cert();
  testing::TempDir keep("hop-old-cert");
  std::filesystem::copy_file(old_cert.cert, keep.Path("old.pem"));
  std::filesystem::copy_file(old_cert.key, keep.Path("old.key"));
  const std::string old_serial = FileSerial(keep.Path("old.pem"));
  const int tartu_port = PortOf(tartu.federation_address());
  ASSERT_EQ(ServedSerial(tartu_port, tartu.pki().ca_cert(), elva.node_cert()), old_serial);

  // The CA operator renews Tartu's node certificate (same paths) and revokes the old one.
  absl::StatusOr<testing::CertPaths> renewed =
      tartu.pki().IssueNode("0793", {"--dns", "localhost", "--ip", "127.0.0.1"});
  ASSERT_TRUE(renewed.ok()) << renewed.status();
  ASSERT_EQ(renewed->cert, old_cert.cert) << "renewed in place";
  ASSERT_TRUE(tartu.pki().Revoke(keep.Path("old.pem")).ok());
  const std::string new_serial = FileSerial(renewed->cert);
  ASSERT_NE(new_serial, old_serial);

  ASSERT_EQ(kill(tartu.process().pid(), SIGHUP), 0);
  EXPECT_TRUE(Eventually(std::chrono::seconds(15), [&] {
    return ServedSerial(tartu_port, tartu.pki().ca_cert(), elva.node_cert()) == new_serial;
  })) << "new connections get the renewed certificate, without a restart";
  EXPECT_THAT(tartu.log(), HasSubstr("certificates and CRL reloaded"));
  EXPECT_TRUE(tartu.process().running()) << "SIGHUP does not stop the node";

  // Both directions sync with the renewed certificate (Elva checks Tartu's against the CRL).
  EXPECT_TRUE(Sync("0793")["0171"].checkpoint().last_error().empty());
  EXPECT_TRUE(Sync("0171")["0793"].checkpoint().last_error().empty());

  // Whoever still holds the old certificate and key is refused as revoked.
  absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
      security::MakeChannelCredentials(
          {elva.pki().ca_cert(), keep.Path("old.pem"), keep.Path("old.key")},
          security::NodeSpiffeId("0171"));
  ASSERT_TRUE(creds.ok()) << creds.status();
  auto stub = hop::v1::Federation::NewStub(grpc::CreateChannel(elva.federation_address(), *creds));
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  std::unique_ptr<grpc::ClientReader<hop::v1::PullBatch>> reader =
      stub->Pull(&ctx, hop::v1::PullRequest());
  hop::v1::PullBatch batch;
  EXPECT_FALSE(reader->Read(&batch));
  grpc::Status refused = reader->Finish();
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::UNAUTHENTICATED) << refused.error_message();
  EXPECT_THAT(refused.error_message(), HasSubstr("revoked"));
}

}  // namespace
}  // namespace hop
