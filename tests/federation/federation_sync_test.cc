// Consent-gated sync between three real hopd processes (Tartu linn 0793 owns the case; Elva
// 0171 and Kambja 0283 pull): the consented peer gets the summary, the other only the
// directory; withdrawal purges the copy at the next sync; an unchanged store transfers
// nothing; a stopped peer is reported while the others sync.
#include <map>
#include <memory>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/support/harness.h"

namespace hop {
namespace {

using ::hop::testing::CommandResult;
using ::hop::testing::NodeFixture;
using ::hop::testing::NodeOptions;

constexpr char kChild[] = "61604150239";
const char* const kCodes[] = {"0793", "0171", "0283"};

class FederationSyncTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<testing::Pki> pki = testing::Pki::Create(pki_dir_.Path("pki"));
    ASSERT_TRUE(pki.ok()) << pki.status();
    std::map<std::string, int> ports;
    for (const char* code : kCodes) ports[code] = testing::PickFreePort();
    for (const char* code : kCodes) {
      NodeOptions options;
      options.ehak = code;
      options.pki_dir = pki_dir_.Path("pki");
      options.federation_port = ports[code];
      for (const char* other : kCodes) {
        if (std::string(other) == code) continue;
        options.extra_config += "peers { municipality: \"" + std::string(other) +
                                "\" address: \"127.0.0.1:" + std::to_string(ports[other]) +
                                "\" }\n";
      }
      absl::StatusOr<std::unique_ptr<NodeFixture>> node = NodeFixture::Start(options);
      ASSERT_TRUE(node.ok()) << node.status();
      nodes_[code] = std::move(*node);
    }
    Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
    const std::string inst =
        Ok("0793", "tiina",
           {"--json", "directory", "institution", "add", "--name", "Kool", "--kind", "school",
            "--ownership", "municipal", "--municipality", "0793"});
    institution_ = Field(inst, "id");
    case_id_ = Field(Ok("0793", "tiina",
                        {"--json", "case", "open", "--child", kChild, "--name", "Laps", "--level",
                         "school", "--institution", institution_}),
                     "id");
  }

  std::string Ok(const std::string& node, const std::string& user, std::vector<std::string> args) {
    CommandResult r = nodes_[node]->Hopctl(user, std::move(args));
    EXPECT_EQ(r.exit_code, 0) << node << ": " << r.err;
    return r.out;
  }
  static std::string Field(const std::string& json, const std::string& name) {
    const size_t at = json.find("\"" + name + "\"");
    if (at == std::string::npos) return "";
    const size_t open = json.find('"', json.find(':', at) + 1);
    return json.substr(open + 1, json.find('"', open + 1) - open - 1);
  }
  // Syncs `node` now and returns its view of each peer.
  std::map<std::string, hop::v1::PeerSyncState> Sync(const std::string& node) {
    hop::v1::SyncNowResponse response;
    const std::string json = Ok(node, "admin", {"--json", "sync"});
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
    std::map<std::string, hop::v1::PeerSyncState> by_peer;
    for (const auto& p : response.peers()) by_peer[p.municipality()] = p;
    return by_peer;
  }

  // What `peer` holds of the child, as the owner 0793 reports it (consent list --delivery).
  hop::v1::DeliveryState Delivery(const std::string& peer) {
    hop::v1::ListConsentsResponse response;
    const std::string json =
        Ok("0793", "tiina", {"--json", "consent", "list", "--child", kChild, "--delivery"});
    EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &response).ok()) << json;
    for (const auto& d : response.deliveries()) {
      for (const auto& r : d.recipients()) {
        if (r.municipality() == peer) return r.state();
      }
    }
    return hop::v1::DELIVERY_STATE_UNSPECIFIED;
  }

  testing::TempDir pki_dir_;
  std::map<std::string, std::unique_ptr<NodeFixture>> nodes_;
  std::string institution_, case_id_;
};

TEST_F(FederationSyncTest, ConsentGatesTheSummaryAndWithdrawalPurgesIt) {
  // Without consent, both peers get the directory entry only.
  EXPECT_EQ(Sync("0171")["0793"].records_held(), 1u);
  EXPECT_EQ(Sync("0283")["0793"].records_held(), 1u);

  Ok("0793", "tiina",
     {"consent", "grant", "--child", kChild, "--guardian", "49403136526", "--to", "0171", "--scope",
      "summary,contact", "--purpose", "support in Elva", "--until",
      hop::testing::DateFromToday(365)});
  EXPECT_EQ(Delivery("0171"), hop::v1::DELIVERY_PENDING) << "granted, not yet pulled";
  auto elva = Sync("0171");
  EXPECT_EQ(elva["0793"].records_held(), 2u) << "directory entry + case summary";
  EXPECT_EQ(Delivery("0171"), hop::v1::DELIVERY_HOLDS);
  EXPECT_TRUE(elva["0793"].checkpoint().last_error().empty());
  EXPECT_EQ(Sync("0283")["0793"].records_held(), 1u) << "no consent names Kambja";

  // An unchanged store transfers nothing but the check.
  const uint64_t in_before = elva["0793"].checkpoint().records_in();
  EXPECT_EQ(Sync("0171")["0793"].checkpoint().records_in(), in_before);

  Ok("0793", "tiina",
     {"consent", "withdraw", "--child", kChild, "--guardian", "37605030299", "--evidence", "F-1"});
  // The withdrawal nudges Elva, which may already have pulled the removal.
  const hop::v1::DeliveryState withdrawn = Delivery("0171");
  EXPECT_TRUE(withdrawn == hop::v1::DELIVERY_REMOVAL_PENDING ||
              withdrawn == hop::v1::DELIVERY_REMOVED)
      << withdrawn;
  EXPECT_EQ(Sync("0171")["0793"].records_held(), 1u) << "the tombstone purged the copy";
  // REMOVED, or NOTHING once a later pull (the nudge's and this one) confirmed the removal
  // and the owner collected the tombstone: either way no copy.
  const hop::v1::DeliveryState after = Delivery("0171");
  EXPECT_TRUE(after == hop::v1::DELIVERY_REMOVED || after == hop::v1::DELIVERY_NOTHING) << after;
  EXPECT_EQ(Delivery("0283"), hop::v1::DELIVERY_STATE_UNSPECIFIED) << "not a recipient";
}

TEST_F(FederationSyncTest, AStoppedPeerIsReportedAndTheOthersSync) {
  nodes_["0283"]->Stop();
  auto states = Sync("0171");
  EXPECT_FALSE(states["0283"].checkpoint().last_error().empty());
  EXPECT_EQ(states["0283"].checkpoint().last_success(), 0);
  EXPECT_TRUE(states["0793"].checkpoint().last_error().empty());
  EXPECT_EQ(states["0793"].records_held(), 1u);
  ASSERT_TRUE(nodes_["0283"]->Restart().ok());
  auto again = Sync("0171");
  EXPECT_TRUE(again["0283"].checkpoint().last_error().empty()) << "caught up when back";
  EXPECT_GT(again["0283"].checkpoint().last_success(), 0);
}

}  // namespace
}  // namespace hop
