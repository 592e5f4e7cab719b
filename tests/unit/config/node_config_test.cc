// Node configuration parsing and validation: every problem is named by field.
#include "daemon/config/node_config.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "gtest/gtest.h"

namespace hop::config {
namespace {

constexpr char kValid[] = R"pb(
  municipality: "0793"
  data_dir: "/var/lib/hop"
  api_listen: "127.0.0.1:7443"
  federation_listen: "[::1]:7444"
  tls { ca_cert: "/x/ca.pem" cert: "/x/node.pem" key: "/x/node.key" crl: "/x/crl.pem" }
  peers { municipality: "0171" address: "hop-0171.example:7444" }
  sync { nightly_at: "02:30" jitter_minutes: 30 }
  bootstrap_admins: "it-admin"
)pb";

absl::Status Parse(const std::string& text) {
  return ParseNodeConfig(text, "test.textproto", FileCheck::kSkip).status();
}

TEST(NodeConfigTest, ValidConfigParses) {
  absl::StatusOr<hop::v1::NodeConfig> c = ParseNodeConfig(kValid, "t", FileCheck::kSkip);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->municipality(), "0793");
  EXPECT_EQ(c->peers(0).municipality(), "0171");
}

TEST(NodeConfigTest, SyntaxErrorHasLineAndColumn) {
  absl::Status s = Parse("municipality: \"0793\"\napi_listen 7443\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("test.textproto:2:"), std::string::npos) << s;
}

TEST(NodeConfigTest, UnknownFieldIsRefused) {
  absl::Status s = Parse(std::string(kValid) + "colour: \"blue\"\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("colour"), std::string::npos) << s;
}

TEST(NodeConfigTest, UnknownMunicipalityIsRefusedByName) {
  std::string text = kValid;
  text.replace(text.find("\"0793\""), 6, "\"0999\"");
  absl::Status s = Parse(text);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("municipality: "), std::string::npos) << s;
  EXPECT_NE(s.message().find("0999"), std::string::npos) << s;
}

TEST(NodeConfigTest, EveryProblemIsListed) {
  absl::Status s = Parse(R"pb(
    municipality: "0793"
    api_listen: "nonsense"
    peers { municipality: "0793" address: "a:1" }
    peers { municipality: "1234" address: "b" }
    sync { nightly_at: "25:00" jitter_minutes: 9999 }
    limits { queries_per_user_per_minute: 100001 queries_per_peer_per_minute: 4000000 }
    bootstrap_admins: "Bad Name"
  )pb");
  ASSERT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  for (const char* field :
       {"data_dir:", "api_listen:", "tls.ca_cert:", "tls.cert:", "tls.key:", "tls.crl:",
        "peers[0].municipality:", "peers[1].municipality:", "peers[1].address:", "sync.nightly_at:",
        "sync.jitter_minutes:", "limits.queries_per_user_per_minute: 100001 is too large",
        "limits.queries_per_peer_per_minute: 4000000", "bootstrap_admins[0]:"}) {
    EXPECT_NE(s.message().find(field), std::string::npos) << field << " missing in: " << s;
  }
}

TEST(NodeConfigTest, EraseWithinIsBoundedToAnHour) {
  EXPECT_TRUE(Parse(std::string(kValid) + "retention { erase_within_seconds: 3600 }\n").ok());
  EXPECT_TRUE(Parse(std::string(kValid) + "retention { erase_within_seconds: 1 }\n").ok());
  absl::Status s = Parse(std::string(kValid) + "retention { erase_within_seconds: 3601 }\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("retention.erase_within_seconds: 3601 is too long; expected 1 to "
                             "3600"),
            std::string::npos)
      << s;
}

TEST(NodeConfigTest, DuplicatePeerIsRefused) {
  absl::Status s =
      Parse(std::string(kValid) + "peers { municipality: \"0171\" address: \"other:7444\" }\n");
  EXPECT_NE(s.message().find("peers[1].municipality: \"0171\" is listed twice"), std::string::npos)
      << s;
}

TEST(NodeConfigTest, MissingTlsFilesAreNamedWhenChecked) {
  absl::Status s = ParseNodeConfig(kValid, "t", FileCheck::kCheck).status();
  EXPECT_NE(s.message().find("tls.cert: file \"/x/node.pem\" does not exist"), std::string::npos)
      << s;
}

TEST(NodeConfigTest, HostPort) {
  EXPECT_TRUE(ValidateHostPort("127.0.0.1:1", "f").ok());
  EXPECT_TRUE(ValidateHostPort("[::1]:65535", "f").ok());
  EXPECT_TRUE(ValidateHostPort("hop.example:7443", "f").ok());
  EXPECT_FALSE(ValidateHostPort("127.0.0.1", "f").ok());
  EXPECT_FALSE(ValidateHostPort(":80", "f").ok());
  EXPECT_FALSE(ValidateHostPort("h:0", "f").ok());
  EXPECT_FALSE(ValidateHostPort("h:70000", "f").ok());
  EXPECT_FALSE(ValidateHostPort("[::1:80", "f").ok());
}

TEST(NodeConfigTest, ConsentRules) {
  absl::StatusOr<hop::v1::NodeConfig> c = ParseNodeConfig(
      std::string(kValid) + "consent_rules { max_validity_years: 18 max_backdate_days: 365 }\n",
      "t", FileCheck::kSkip);
  ASSERT_TRUE(c.ok()) << c.status();
  EXPECT_EQ(c->consent_rules().max_validity_years(), 18u);
  absl::Status s = Parse(std::string(kValid) +
                         "consent_rules { max_validity_years: 19 max_backdate_days: 366 }\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("consent_rules.max_validity_years: 19 is too long; expected 1 to 18"),
            std::string::npos)
      << s;
  EXPECT_NE(s.message().find("consent_rules.max_backdate_days: 366 is too long"), std::string::npos)
      << s;
}

TEST(NodeConfigTest, RetentionClosedCaseDays) {
  for (const char* ok : {"0", "30", "1825", "36500"}) {
    EXPECT_TRUE(Parse(std::string(kValid) + "retention { closed_case_days: " + ok + " }\n").ok())
        << ok;
  }
  for (const char* bad : {"1", "29", "36501"}) {
    absl::Status s = Parse(std::string(kValid) + "retention { closed_case_days: " + bad + " }\n");
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(s.message().find(std::string("retention.closed_case_days: ") + bad +
                               " is out of range; expected 30 to 36500"),
              std::string::npos)
        << s;
    EXPECT_NE(s.message().find("or 0 to keep closed cases for ever"), std::string::npos) << s;
  }
}

// Issue 13: how long a former institution reads what it wrote in a case that left it.
TEST(NodeConfigTest, CaseWorkFormerInstitutionReadDays) {
  for (const char* ok : {"0", "1", "90", "3650"}) {
    EXPECT_TRUE(
        Parse(std::string(kValid) + "casework { former_institution_read_days: " + ok + " }\n").ok())
        << ok;
  }
  absl::Status s = Parse(std::string(kValid) + "casework { former_institution_read_days: 3651 }\n");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("casework.former_institution_read_days: 3651 is too long; expected 1 "
                             "to 3650 days, or 0 for the default 90"),
            std::string::npos)
      << s;
}

TEST(NodeConfigTest, DeployExamplesForAllEightMunicipalitiesAreValid) {
  const char* source = std::getenv("HOP_SOURCE_DIR");
  ASSERT_NE(source, nullptr);
  int count = 0;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(source) + "/deploy/config")) {
    if (entry.path().extension() != ".textproto") continue;
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    absl::StatusOr<hop::v1::NodeConfig> c =
        ParseNodeConfig(text, entry.path().string(), FileCheck::kSkip);
    ASSERT_TRUE(c.ok()) << c.status();
    EXPECT_EQ(c->peers_size(), 7) << entry.path();
    ++count;
  }
  EXPECT_EQ(count, 8);
}

}  // namespace
}  // namespace hop::config
