// Transport security of real hopd processes over real mTLS on loopback, tried as an attacker
// would (issue 10, "Transport"): TLS 1.2 refused on every port and on outgoing connections;
// a revoked node refused as a server by the puller, the live query and hopctl; a certificate
// that expires refused on an already open connection; an older CRL cannot replace a newer
// one; a stale CRL makes federation calls fail closed; a CA certificate, a certificate with
// two identities and one without clientAuth are refused as staff. Each refusal: the status,
// the reason named, nothing changed.
#include <sys/stat.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "daemon/security/x509.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.grpc.pb.h"
#include "tests/federation/federation_fixture.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CertPaths;
using ::hop::testing::CommandResult;
using ::hop::testing::RunCommand;

constexpr int64_t kDay = 86400;

// `openssl s_client` to 127.0.0.1:port with `version` ("-tls1_2", "-tls1_3") presenting
// `cert`; its stdout and stderr together, and whether the handshake completed.
struct Handshake {
  bool established = false;
  std::string output;
};
Handshake SClient(int port, const std::string& version, const std::string& ca,
                  const CertPaths& cert) {
  CommandResult r =
      RunCommand({"openssl", "s_client", "-connect", absl::StrCat("127.0.0.1:", port), version,
                  "-brief", "-CAfile", ca, "-cert", cert.cert, "-key", cert.key},
                 {}, 30);
  Handshake h;
  h.output = r.out + r.err;
  // gRPC then closes the connection (s_client speaks no HTTP/2): the exit code says nothing.
  h.established = absl::StrContains(h.output, "CONNECTION ESTABLISHED");
  return h;
}

std::string Scrape(const std::string& address) {
  return RunCommand({"curl", "-sS", "--max-time", "10", "http://" + address + "/metrics"}).out;
}

// WhoAmI on the staff API at `address` (expecting node `ehak`) over `channel`.
grpc::Status WhoAmI(const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = hop::v1::Admin::NewStub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  hop::v1::WhoAmIResponse response;
  return stub->WhoAmI(&ctx, hop::v1::WhoAmIRequest(), &response);
}

class TransportSecurityTest : public Federation {
 protected:
  NodeFixture& Node(const std::string& ehak) { return *nodes_.at(ehak); }
  // A channel to `ehak`'s staff API presenting `client` (test client: identity check only).
  std::shared_ptr<grpc::Channel> StaffChannel(const std::string& ehak, const CertPaths& client) {
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
        security::MakeChannelCredentials({Node(ehak).pki().ca_cert(), client.cert, client.key},
                                         security::NodeSpiffeId(ehak));
    EXPECT_TRUE(creds.ok()) << creds.status();
    return grpc::CreateChannel(Node(ehak).api_address(), *creds);
  }
  std::string UserList(const std::string& ehak) { return Ok(ehak, "admin", {"user", "list"}); }
};

TEST_F(TransportSecurityTest, Tls12IsRefusedOnEveryPortAndTls13Accepted) {
  StartNodes({"0793"});
  NodeFixture& node = Node("0793");
  const CertPaths staff = node.Staff("admin");
  for (const std::string& address : {node.api_address(), node.federation_address()}) {
    const int port = std::stoi(address.substr(address.rfind(':') + 1));
    Handshake old = SClient(port, "-tls1_2", node.pki().ca_cert(), staff);
    EXPECT_FALSE(old.established) << address << ":\n" << old.output;
    for (const std::string& older : {"-tls1_1", "-tls1"}) {
      EXPECT_FALSE(SClient(port, older, node.pki().ca_cert(), staff).established) << older;
    }
    Handshake current = SClient(port, "-tls1_3", node.pki().ca_cert(), staff);
    EXPECT_TRUE(current.established) << address << ":\n" << current.output;
    EXPECT_TRUE(absl::StrContains(current.output, "Protocol version: TLSv1.3")) << current.output;
  }
  // gRPC closes the connection without an alert; its log says why.
  EXPECT_TRUE(absl::StrContains(node.log(), "unsupported protocol")) << node.log();
}

// A "peer" and a "staff API" that speak only TLS 1.2: hopd's pull and hopctl do not connect.
TEST_F(TransportSecurityTest, OutgoingConnectionsDoNotSpeakTls12) {
  const int fake_port = testing::PickFreePort();
  StartNodes({"0793"}, {{"0793", PeerLine("0171", fake_port)}});
  NodeFixture& node = Node("0793");
  absl::StatusOr<CertPaths> elva = node.pki().IssueNode("0171", {"--ip", "127.0.0.1"});
  ASSERT_TRUE(elva.ok()) << elva.status();
  const std::string script = pki_dir_.Path("tls12_server.sh");
  ASSERT_TRUE(
      testing::WriteFile(script, absl::StrCat("#!/bin/sh\nexec openssl s_server -www "
                                              "-tls1_2 -accept 127.0.0.1:",
                                              fake_port, " -cert ", elva->cert, " -key ", elva->key,
                                              " -CAfile ", node.pki().ca_cert(), " -Verify 1\n"))
          .ok());
  ASSERT_EQ(chmod(script.c_str(), 0700), 0);
  testing::HopdProcess fake;
  ASSERT_TRUE(fake.Start(script, "-", pki_dir_.Path("tls12_server.log"), fake_port).ok())
      << testing::FileTail(pki_dir_.Path("tls12_server.log"));
  // The staff API's TLS 1.2 twin really works for TLS 1.2 clients.
  EXPECT_TRUE(SClient(fake_port, "-tls1_2", node.pki().ca_cert(), node.Staff("admin")).established);

  PeerStates states = Sync("0793");
  ASSERT_TRUE(states.count("0171"));
  EXPECT_EQ(states["0171"].checkpoint().failures_in_row(), 1u);
  EXPECT_TRUE(absl::StrContains(states["0171"].checkpoint().last_error(), "cannot connect"))
      << states["0171"].checkpoint().last_error();

  const CertPaths staff = node.Staff("admin");
  CommandResult hopctl = RunCommand({testing::BinaryDir() + "/client/hopctl", "--server",
                                     absl::StrCat("127.0.0.1:", fake_port), "--ca",
                                     node.pki().ca_cert(), "--crl", node.pki().crl(), "--cert",
                                     staff.cert, "--key", staff.key, "--timeout", "5", "whoami"});
  EXPECT_EQ(hopctl.exit_code, 1) << hopctl.out << hopctl.err;
  EXPECT_TRUE(absl::StrContains(hopctl.err, "UNAVAILABLE")) << hopctl.err;
  fake.Stop();
  const std::string log = testing::FileTail(pki_dir_.Path("tls12_server.log"), 1 << 16);
  EXPECT_FALSE(absl::StrContains(log, "ACCEPT\nNew, TLSv1.2")) << log;
  EXPECT_TRUE(absl::StrContains(log, "unsupported protocol") ||
              absl::StrContains(log, "no shared cipher") || absl::StrContains(log, "version"))
      << log;
}

// 0171's node certificate is revoked while 0171 keeps serving with it: 0793's puller (even
// with a channel already open), its live query and hopctl at 0171's staff API refuse it.
TEST_F(TransportSecurityTest, ARevokedNodeIsRefusedAsAServer) {
  StartNodes({"0793", "0171"});
  PeerStates before = Sync("0793");
  ASSERT_EQ(before["0171"].checkpoint().failures_in_row(), 0u)
      << before["0171"].checkpoint().last_error();
  const std::string held_before = Ok("0793", "admin", {"--json", "peers"});

  ASSERT_TRUE(Node("0171").pki().Revoke(Node("0171").node_cert().cert, "keyCompromise").ok());
  PeerStates after = Sync("0793");
  EXPECT_EQ(after["0171"].checkpoint().failures_in_row(), 1u);
  EXPECT_TRUE(
      absl::StrContains(after["0171"].checkpoint().last_error(), "revoked by the federation CRL"))
      << after["0171"].checkpoint().last_error();
  EXPECT_TRUE(absl::StrContains(after["0171"].checkpoint().last_error(), "municipality/0171/node"))
      << after["0171"].checkpoint().last_error();
  EXPECT_EQ(after["0171"].checkpoint().last_success(), before["0171"].checkpoint().last_success());

  Ok("0793", "admin", {"user", "add", "cm", "--role", "case-manager", "--name", "Case Manager"});
  CommandResult query = Run(
      "0793", "cm", {"query", "--child", kChild, "--purpose", "attack test", "--peers", "0171"});
  EXPECT_EQ(query.exit_code, 0) << query.err;
  EXPECT_TRUE(absl::StrContains(query.out, "0171 Elva vald: UNREACHABLE")) << query.out;
  EXPECT_TRUE(absl::StrContains(query.out, "revoked")) << query.out;

  CommandResult staff = Run("0171", "admin", {"whoami"});
  EXPECT_EQ(staff.exit_code, 1) << staff.out;
  EXPECT_EQ(staff.out, "");
  EXPECT_TRUE(absl::StrContains(staff.err, "UNAVAILABLE")) << staff.err;
  EXPECT_TRUE(absl::StrContains(staff.err, "revoked by the federation CRL")) << staff.err;
}

// A staff certificate valid for a few seconds: served while valid, and the next call on the
// same open channel after its notAfter is refused, naming the expiry.
TEST_F(TransportSecurityTest, AnExpiredCertificateIsRefusedOnAnOpenConnection) {
  StartNodes({"0793"});
  NodeFixture& node = Node("0793");
  absl::StatusOr<CertPaths> brief = node.pki().IssueStaff("0793", "brief", {"--seconds", "20"});
  ASSERT_TRUE(brief.ok()) << brief.status();
  absl::StatusOr<int64_t> not_after = security::CertificateNotAfter(brief->cert);
  ASSERT_TRUE(not_after.ok());
  auto channel = StaffChannel("0793", *brief);
  grpc::Status first = WhoAmI(channel);
  ASSERT_TRUE(first.ok()) << first.error_message() << " (the machine took over 20 s?)";
  while (absl::ToUnixSeconds(absl::Now()) <= *not_after + 1) {
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
  ASSERT_EQ(channel->GetState(false), GRPC_CHANNEL_READY) << "the same connection";
  grpc::Status later = WhoAmI(channel);
  EXPECT_EQ(later.error_code(), grpc::StatusCode::UNAUTHENTICATED) << later.error_message();
  EXPECT_TRUE(absl::StrContains(later.error_message(), "staff/brief expired at"))
      << later.error_message();
}

// The CA's newest CRL revokes a certificate; an older CRL copied over it is refused (logged,
// counted) and the certificate stays refused.
TEST_F(TransportSecurityTest, AnOlderCrlCannotUnrevoke) {
  StartNodes({"0793"});
  NodeFixture& node = Node("0793");
  const CertPaths victim = node.Staff("victim");
  auto channel = StaffChannel("0793", victim);
  ASSERT_TRUE(WhoAmI(channel).ok());
  absl::StatusOr<std::string> older = testing::ReadFile(node.pki().crl());
  ASSERT_TRUE(older.ok());
  ASSERT_TRUE(node.pki().Revoke(victim.cert).ok());
  grpc::Status revoked = WhoAmI(channel);
  EXPECT_EQ(revoked.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_TRUE(absl::StrContains(revoked.error_message(), "revoked")) << revoked.error_message();

  const std::string staged = node.pki().crl() + ".rollback";
  ASSERT_TRUE(testing::WriteFile(staged, *older).ok());
  ASSERT_EQ(std::rename(staged.c_str(), node.pki().crl().c_str()), 0);
  grpc::Status still = WhoAmI(channel);
  EXPECT_EQ(still.error_code(), grpc::StatusCode::UNAUTHENTICATED) << "the rollback un-revoked";
  EXPECT_TRUE(absl::StrContains(still.error_message(), "revoked")) << still.error_message();
  EXPECT_TRUE(absl::StrContains(node.log(), "new CRL refused: its CRL number is lower"));
  EXPECT_TRUE(
      absl::StrContains(Scrape(node.metrics_address()), "hop_crl_rollbacks_refused_total 1"));
  EXPECT_TRUE(WhoAmI(StaffChannel("0793", node.Staff("admin"))).ok()) << "others still served";

  // Nor across a restart: the node remembers the highest CRL number it had in force.
  EXPECT_FALSE(node.Restart().ok());
  EXPECT_TRUE(absl::StrContains(node.log(), "which this node already had in force")) << node.log();
  ASSERT_TRUE(node.pki().RegenerateCrl().ok());
  ASSERT_TRUE(node.Restart().ok());
  EXPECT_EQ(WhoAmI(StaffChannel("0793", victim)).error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// 0793's clock runs 32 days ahead: its CRL (30 days) is past nextUpdate + the 24 h grace.
// It refuses federation calls both ways with a clear FAILED_PRECONDITION, raises
// hop_crl_stale, and its staff API still answers (to see and fix it).
TEST_F(TransportSecurityTest, AStaleCrlFailsFederationCallsClosed) {
  StartNodes({"0793", "0171"});
  ASSERT_EQ(Sync("0171")["0793"].checkpoint().failures_in_row(), 0u);
  {
    ScopedClockOffset later(32 * kDay);
    ASSERT_TRUE(Node("0793").Restart().ok());
  }
  const std::string crl = Node("0793").pki().crl();
  PeerStates outgoing = Sync("0793");
  EXPECT_EQ(outgoing["0171"].checkpoint().failures_in_row(), 1u);
  for (const std::string& error : {outgoing["0171"].checkpoint().last_error(),
                                   Sync("0171")["0793"].checkpoint().last_error()}) {
    EXPECT_TRUE(absl::StrContains(error, "FAILED_PRECONDITION") ||
                absl::StrContains(error, "failed precondition") ||
                absl::StrContains(error, "the federation CRL"))
        << error;
    EXPECT_TRUE(absl::StrContains(error, "the federation CRL " + crl + " expired at")) << error;
    EXPECT_TRUE(absl::StrContains(error, "hop-pki crl")) << error;
  }
  EXPECT_TRUE(absl::StrContains(Scrape(Node("0793").metrics_address()), "hop_crl_stale 1"));
  EXPECT_TRUE(absl::StrContains(Scrape(Node("0171").metrics_address()), "hop_crl_stale 0"));
  Ok("0793", "admin", {"whoami"});
}

// Certificates signed by the federation CA that hop-pki never issues, presented as staff
// "admin": each refused UNAUTHENTICATED (or at the handshake) naming why; nothing changes.
TEST_F(TransportSecurityTest, OddCertificatesAreRefusedAsStaff) {
  StartNodes({"0793"});
  NodeFixture& node = Node("0793");
  const std::string users = UserList("0793");
  const std::string admin_uri = "URI:" + security::StaffSpiffeId("0793", "admin");
  struct Case {
    std::string name, extensions, reason;
  };
  const Case cases[] = {
      {"ca-true",
       "basicConstraints = critical, CA:true\nkeyUsage = critical, digitalSignature, keyCertSign\n"
       "extendedKeyUsage = clientAuth\nsubjectAltName = " +
           admin_uri,
       "not an end-entity certificate"},
      {"two-uris",
       "basicConstraints = critical, CA:false\nextendedKeyUsage = clientAuth\nsubjectAltName = " +
           admin_uri + ", URI:" + security::StaffSpiffeId("0793", "mallory"),
       "2 URI subjectAltNames"},
      {"server-only",
       "basicConstraints = critical, CA:false\nextendedKeyUsage = serverAuth\nsubjectAltName = " +
           admin_uri,
       "clientAuth"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<CertPaths> cert = node.pki().IssueCustom(c.name, c.extensions);
    ASSERT_TRUE(cert.ok()) << cert.status();
    grpc::Status status = WhoAmI(StaffChannel("0793", *cert));
    if (status.error_code() == grpc::StatusCode::UNAVAILABLE) {
      // OpenSSL itself refused the certificate at the handshake (it checks the purpose of a
      // client certificate); then the node never saw a call.
      EXPECT_EQ(c.name, "server-only") << status.error_message();
    } else {
      EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << c.name << ": " << status.error_message();
      EXPECT_TRUE(absl::StrContains(status.error_message(), c.reason))
          << c.name << ": " << status.error_message();
    }
    CommandResult add =
        node.HopctlWith(*cert, {"user", "add", "mallory", "--role", "admin", "--name", "Mallory"});
    EXPECT_EQ(add.exit_code, 1) << c.name << ": " << add.out;
    EXPECT_EQ(UserList("0793"), users) << c.name << " changed the user registry";
  }
}

}  // namespace
}  // namespace hop
