// What an operations team sees of real hopd processes (issue 5): the Prometheus endpoint
// after a sync and a query between two nodes (its text passes `promtool check metrics`, the
// per-peer figures are right, nothing in it or in the logs names a child), and the standard
// gRPC health service on both ports, turning NOT_SERVING as soon as a SIGTERM drain begins.
#include <httplib.h>
#include <signal.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_split.h"
#include "daemon/security/identity.h"
#include "daemon/security/tls_credentials.h"
#include "gmock/gmock.h"
#include "grpc/health/v1/health.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::grpc::health::v1::HealthCheckResponse;
using ::testing::HasSubstr;
using ::testing::Not;

// GET http://<address>/metrics; "" on failure (with a test failure).
std::string Scrape(const std::string& address) {
  const size_t colon = address.rfind(':');
  httplib::Client client(address.substr(0, colon), std::stoi(address.substr(colon + 1)));
  client.set_connection_timeout(5);
  httplib::Result r = client.Get("/metrics");
  if (!r || r->status != 200) {
    ADD_FAILURE() << "GET /metrics at " << address << " failed";
    return "";
  }
  EXPECT_THAT(r->get_header_value("Content-Type"), HasSubstr("text/plain; version=0.0.4"));
  return r->body;
}

// The value of the sample line `series` (name with labels, exactly as exposed); NaN if absent.
double Sample(const std::string& text, const std::string& series) {
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    if (absl::StartsWith(line, series + " ")) {
      double v = 0;
      if (absl::SimpleAtod(line.substr(series.size() + 1), &v)) return v;
    }
  }
  return std::nan("");
}
double SampleOrZero(const std::string& text, const std::string& series) {
  const double v = Sample(text, series);
  return std::isnan(v) ? 0 : v;
}

class NodeOpsTest : public Federation {
 protected:
  // Runs `promtool check metrics` on `text`; its combined output is "" when clean.
  static testing::CommandResult Promtool(const std::string& text) {
    testing::TempDir dir("hop-promtool");
    EXPECT_TRUE(testing::WriteFile(dir.Path("metrics.txt"), text).ok());
    return testing::RunCommand(
        {"sh", "-c", "promtool check metrics < " + dir.Path("metrics.txt") + " 2>&1"});
  }

  HealthCheckResponse::ServingStatus Health(const std::string& node, const std::string& address) {
    NodeFixture& n = *nodes_.at(node);
    absl::StatusOr<std::shared_ptr<grpc::ChannelCredentials>> creds =
        security::MakeChannelCredentials(
            {n.pki().ca_cert(), n.Ops("monitor").cert, n.Ops("monitor").key},
            security::NodeSpiffeId(node));
    EXPECT_TRUE(creds.ok()) << creds.status();
    auto stub = grpc::health::v1::Health::NewStub(grpc::CreateChannel(address, *creds));
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(2));
    HealthCheckResponse response;
    grpc::Status s = stub->Check(&ctx, grpc::health::v1::HealthCheckRequest(), &response);
    return s.ok() ? response.status() : HealthCheckResponse::UNKNOWN;
  }
};

TEST_F(NodeOpsTest, MetricsAfterASyncPassPromtoolAndNeverNameAChild) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171"}));
  Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
  Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle"});
  const std::string school =
      Json<hop::v1::Institution>("0793", "tiina",
                                 {"directory", "institution", "add", "--name", "Kool", "--kind",
                                  "school", "--ownership", "municipal", "--municipality", "0793"})
          .id();
  Ok("0793", "tiina",
     {"case", "open", "--child", kChild, "--name", "Mari Maasikas", "--level", "school",
      "--institution", school, "--reason", "reading"});
  Ok("0793", "tiina",
     {"consent", "grant", "--child", kChild, "--guardian", kGuardian, "--to", "0171", "--scope",
      "summary", "--purpose", "support", "--until", LocalDate(365)});
  Sync("0171");
  Ok("0171", "elle", {"query", "--child", kChild, "--purpose", "moved here"});
  Ok("0171", "elle", {"lookup", "--child", kChild, "--purpose", "moved here"});
  Refused("0171", "elle", {"case", "get", "0171-C999999"});

  const std::string elva = Scrape(nodes_.at("0171")->metrics_address());
  const std::string tartu = Scrape(nodes_.at("0793")->metrics_address());
  for (const std::string* text : {&elva, &tartu}) {
    testing::CommandResult lint = Promtool(*text);
    EXPECT_EQ(lint.exit_code, 0) << lint.out;
    EXPECT_EQ(lint.out, "") << "promtool check metrics found problems:\n" << lint.out;
    EXPECT_THAT(*text, Not(HasSubstr(kChild)));
    EXPECT_THAT(*text, Not(HasSubstr(kGuardian)));
    EXPECT_THAT(*text, Not(HasSubstr("Maasikas")));
  }

  EXPECT_EQ(Sample(elva, "hop_build_info{version=\"" HOP_VERSION "\",municipality=\"0171\"}"), 1);
  EXPECT_GT(Sample(elva, "hop_peer_last_success_timestamp_seconds{peer=\"0793\"}"), 0);
  // The last attempt (stamped when a pull starts) is the one that succeeded (stamped when it
  // ends, possibly a second later on a slow machine).
  EXPECT_LE(Sample(elva, "hop_peer_last_attempt_timestamp_seconds{peer=\"0793\"}"),
            Sample(elva, "hop_peer_last_success_timestamp_seconds{peer=\"0793\"}"));
  EXPECT_EQ(Sample(elva, "hop_peer_records_in_total{peer=\"0793\"}"), 2)
      << "the school and the case summary";
  EXPECT_EQ(Sample(elva, "hop_peer_records_held{peer=\"0793\"}"), 2);
  EXPECT_GT(Sample(elva, "hop_peer_bytes_in_total{peer=\"0793\"}"), 100);
  EXPECT_EQ(Sample(elva, "hop_peer_digest_mismatches_total{peer=\"0793\"}"), 0);
  EXPECT_EQ(Sample(elva, "hop_sync_duration_seconds_count{peer=\"0793\"}"), 1);
  EXPECT_EQ(Sample(elva, "hop_query_duration_seconds_count"), 1);
  EXPECT_EQ(Sample(elva, "hop_api_request_duration_seconds_count{method=\"Lookup\"}"), 1);
  EXPECT_EQ(SampleOrZero(elva, "hop_refusals_total{api=\"staff\",reason=\"permission_denied\"}") +
                SampleOrZero(elva, "hop_refusals_total{api=\"staff\",reason=\"not_found\"}"),
            1)
      << "the case of another municipality";
  EXPECT_GT(Sample(elva, "hop_certificate_expiry_timestamp_seconds{certificate=\"node\"}"),
            time(nullptr) + 30 * 86400);
  EXPECT_GT(Sample(elva, "hop_certificate_expiry_timestamp_seconds{certificate=\"ca\"}"),
            time(nullptr) + 30 * 86400);
  EXPECT_GT(Sample(elva, "hop_crl_next_update_timestamp_seconds"), time(nullptr));
  EXPECT_GT(Sample(elva, "hop_store_size_bytes{column_family=\"replicas\"}"), 0);
  EXPECT_GT(Sample(elva, "hop_audit_entries"), 0);

  EXPECT_EQ(Sample(tartu, "hop_peer_records_out_total{peer=\"0171\"}"), 2);
  EXPECT_GT(Sample(tartu, "hop_peer_bytes_out_total{peer=\"0171\"}"), 100);
  EXPECT_GT(Sample(tartu, "hop_peer_feed_lag{peer=\"0171\"}"), 0)
      << "Elva acknowledges what it received on its next pull";
  Sync("0171");
  EXPECT_EQ(
      Sample(Scrape(nodes_.at("0793")->metrics_address()), "hop_peer_feed_lag{peer=\"0171\"}"), 0);

  // No personal data in the logs either (both nodes handled the child's case, sync and query).
  for (const auto& [code, node] : nodes_) {
    const std::string log = node->log();
    EXPECT_THAT(log, HasSubstr("\"component\":")) << code << ": JSON lines";
    EXPECT_THAT(log, Not(HasSubstr(kChild))) << code;
    EXPECT_THAT(log, Not(HasSubstr(kGuardian))) << code;
    EXPECT_THAT(log, Not(HasSubstr("Maasikas"))) << code;
  }
}

TEST_F(NodeOpsTest, HealthIsServingOnBothPortsAndNotServingFromTheStartOfADrain) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793"}, {{"0793", "drain_seconds: 4\n"}}));
  NodeFixture& node = *nodes_.at("0793");
  EXPECT_EQ(Health("0793", node.api_address()), HealthCheckResponse::SERVING);
  EXPECT_EQ(Health("0793", node.federation_address()), HealthCheckResponse::SERVING);

  ASSERT_EQ(kill(node.process().pid(), SIGTERM), 0);
  EXPECT_TRUE(Eventually(std::chrono::seconds(3), [&] {
    return Health("0793", node.api_address()) == HealthCheckResponse::NOT_SERVING &&
           Health("0793", node.federation_address()) == HealthCheckResponse::NOT_SERVING;
  })) << "health must say NOT_SERVING while the node drains";
  EXPECT_EQ(node.Stop(), 0) << "then it stops cleanly\n" << node.log();
  EXPECT_THAT(node.log(), HasSubstr("draining"));
}

TEST_F(NodeOpsTest, FederationStatusShowsEveryNodeWithAnOpsCertificateOfAnyMunicipality) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0171", "0283"}));
  Ok("0171", "admin", {"user", "add", "elle", "--role", "case-manager", "--name", "Elle"});
  Sync("0171");
  nodes_.at("0283")->Stop();
  // Tartu linn's ops team: one hopctl config listing the county's nodes.
  NodeFixture& tartu = *nodes_.at("0793");
  const testing::CertPaths ops = tartu.Ops("monitor");
  std::string conf = "ca = " + tartu.pki().ca_cert() + "\ncrl = " + tartu.pki().crl() +
                     "\ncert = " + ops.cert + "\nkey = " + ops.key + "\n";
  for (const auto& [code, node] : nodes_)
    conf += "node = " + code + " " + node->api_address() + "\n";
  testing::TempDir dir("hop-ops-conf");
  ASSERT_TRUE(testing::WriteFile(dir.Path("ops.conf"), conf).ok());
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), testing::BinaryDir() + "/client/hopctl");
    return testing::RunCommand(args, {{"HOPCTL_CONFIG", dir.Path("ops.conf")}});
  };

  testing::CommandResult table = run({"federation", "status"});
  EXPECT_EQ(table.exit_code, 1) << "a node did not answer\n" << table.out << table.err;
  EXPECT_THAT(table.out, ::testing::ContainsRegex("0793 Tartu linn +up"));
  EXPECT_THAT(table.out,
              ::testing::ContainsRegex("0171 Elva vald +up +[0-9.]+ +[0-9a-z ]+ +[0-9]+ KiB +2/2"))
      << "Elva has synced from both peers";
  EXPECT_THAT(table.out, ::testing::ContainsRegex("0283 Kambja vald +UNREACHABLE"));
  EXPECT_THAT(table.out, HasSubstr("2 of 3 nodes answered"));

  testing::CommandResult json = run({"--json", "federation", "status"});
  hop::v1::FederationStatus report;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json.out, &report).ok()) << json.out;
  ASSERT_EQ(report.nodes_size(), 3);
  std::map<std::string, hop::v1::FederationNodeStatus> by_code;
  for (const auto& row : report.nodes()) by_code[row.municipality()] = row;
  EXPECT_TRUE(by_code["0171"].reachable());
  EXPECT_EQ(by_code["0171"].status().municipality(), "0171");
  EXPECT_GT(by_code["0171"].status().node_cert_expires_at(), 0);
  EXPECT_FALSE(by_code["0283"].reachable());
  EXPECT_THAT(by_code["0283"].error(), HasSubstr("UNAVAILABLE"));

  // One node's own status (an ops certificate of that node) shows the stopped peer failing.
  EXPECT_FALSE(Sync("0171")["0283"].checkpoint().last_error().empty());
  testing::CommandResult status =
      nodes_.at("0171")->HopctlWith(nodes_.at("0171")->Ops("monitor"), {"status"});
  EXPECT_EQ(status.exit_code, 0) << status.err;
  EXPECT_THAT(status.out, ::testing::ContainsRegex("node certificate: +20[0-9-]+ [0-9:]+ \\(in"));
  EXPECT_THAT(status.out, ::testing::ContainsRegex("0283 +127.0.0.1:[0-9]+ .*cannot connect"));
  EXPECT_THAT(status.out, ::testing::ContainsRegex("0793 +127.0.0.1:[0-9]+ .* - *\n"))
      << "Tartu linn syncs without error";
}

}  // namespace
}  // namespace hop
