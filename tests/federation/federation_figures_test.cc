// County figures for network leaders (issue 13) across real hopd processes over mTLS: Tartu linn
// 0793, Kambja 0283 and Elva 0171 (Tartumaa) and Rakvere linn 0663 (Lääne-Virumaa), all peers of
// each other. This suite proves that:
//  - `hopctl figures` at 0793 gathers 0793, 0283 and 0171 (never 0663, another county) and the
//    county sum; Tartu's stage II cell of 3 is hidden, and so is its stage I cell that would
//    reveal it (8 - 0 - ? = 3), and the county cells of those stages too;
//  - only network leaders get figures: a case manager and the admin are refused;
//  - no isikukood, child name or case id is in the answer (the serialized response, the CSV,
//    and a raw Federation.Figures answer);
//  - a stopped peer shows as a gap with its reason, the others still answer;
//  - on the federation port, a peer of another county, an asker who is not a network leader,
//    and an asker the calling node may not vouch for are refused; the answer and each refusal
//    are in the answering node's audit trail, naming no child.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "daemon/domain/isikukood.h"
#include "daemon/store/store.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "gtest/gtest.h"
#include "hop/v1/audit.pb.h"
#include "hop/v1/casework.pb.h"
#include "hop/v1/federation.grpc.pb.h"
#include "tests/federation/federation_fixture.h"

namespace hop {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kChildName[] = "Mari Maasikas";

// The n-th invented child: born 2016-04-15, serial 100 + n, a valid check digit.
std::string Child(int n) {
  const std::string first_ten = absl::StrCat("6160415", 100 + n);
  return absl::StrCat(first_ten, domain::IsikukoodCheckDigit(first_ten));
}

// "12 <5 0 | 17": a vector's cells, "<5" for suppressed ones, then its total.
std::string Shown(const hop::v1::FigureVector& v) {
  std::string out;
  for (const hop::v1::FigureCell& c : v.cells()) {
    out += (c.suppressed() ? std::string("<5") : std::to_string(c.count())) + " ";
  }
  return out + "| " + (v.total().suppressed() ? "<5" : std::to_string(v.total().count()));
}

class FederationFiguresTest : public Federation {
 protected:
  // `user` (a case manager of `node`) opens `n` cases at a new school; their ids.
  std::vector<std::string> OpenCases(const std::string& node, const std::string& user, int n) {
    const std::string school = AddSchool(node, user);
    std::vector<std::string> ids;
    for (int i = 0; i < n; ++i) {
      const std::string child = Child(next_child_++);
      children_.push_back(child);
      const std::string id =
          Json<hop::v1::Case>(
              node, user,
              {"case", "open", "--child", child, "--name", kChildName, "--level", "school",
               "--institution", school, "--need", "reading", "--reason", "reading difficulties"})
              .id();
      EXPECT_FALSE(id.empty());
      ids.push_back(id);
      case_ids_.push_back(id);
    }
    return ids;
  }

  // No seeded isikukood, child name or case id (nor the case-id shape "-C0") in `bytes`.
  void ExpectNoPersonalData(const std::string& bytes, const std::string& what) {
    for (const std::string& child : children_) {
      EXPECT_THAT(bytes, Not(HasSubstr(child))) << what;
    }
    for (const std::string& id : case_ids_) EXPECT_THAT(bytes, Not(HasSubstr(id))) << what;
    EXPECT_THAT(bytes, Not(HasSubstr("Maasikas"))) << what;
    EXPECT_THAT(bytes, Not(HasSubstr("-C0"))) << what;
  }

  static grpc::Status AskFigures(hop::v1::Federation::Stub& stub, const std::string& asker,
                                 hop::v1::Role role, hop::v1::FiguresAnswer* answer) {
    hop::v1::FiguresRequest request;
    request.set_asker(asker);
    request.set_asker_role(role);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return stub.Figures(&context, request, answer);
  }
  static std::string Staff(const std::string& code, const std::string& user) {
    return absl::StrCat("spiffe://hop.tartumaa.ee/municipality/", code, "/staff/", user);
  }

  int next_child_ = 0;
  std::vector<std::string> children_;
  std::vector<std::string> case_ids_;
};

TEST_F(FederationFiguresTest, LeaderGetsSuppressedCountyFiguresWithoutPersonalData) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0283", "0171", "0663"}));
  Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
  Ok("0793", "admin", {"user", "add", "juht", "--role", "network-leader", "--name", "Juta"});
  Ok("0283", "admin", {"user", "add", "kalle", "--role", "case-manager", "--name", "Kalle"});
  // Tartu: 8 open cases, 3 of them at stage II. Kambja: 5 at stage I. Elva: none.
  const std::vector<std::string> tartu = OpenCases("0793", "tiina", 8);
  for (int i = 0; i < 3; ++i) {
    Ok("0793", "tiina", {"case", "escalate", tartu[i], "--to", "II", "--reason", "more support"});
  }
  OpenCases("0283", "kalle", 5);

  const hop::v1::CountyFiguresResponse r =
      Json<hop::v1::CountyFiguresResponse>("0793", "juht", {"figures"});
  EXPECT_EQ(r.threshold(), 5u);
  EXPECT_EQ(r.gaps_size(), 0) << r.DebugString();
  ASSERT_EQ(r.municipalities_size(), 3) << r.DebugString();
  std::map<std::string, hop::v1::MunicipalityFigures> by_code;
  for (const hop::v1::MunicipalityFigures& m : r.municipalities()) by_code[m.municipality()] = m;
  ASSERT_EQ(by_code.count("0663"), 0u) << "Rakvere is in another county";
  ASSERT_EQ(by_code["0793"].vectors_size(), 7);
  ASSERT_EQ(r.county_size(), 7);
  EXPECT_EQ(by_code["0793"].vectors(0).dimension(), hop::v1::FIGURE_BY_STAGE);
  // Stage II = 3 is hidden; stage I = 5 would reveal it (8 - 5 - 0), so it is hidden too.
  EXPECT_EQ(Shown(by_code["0793"].vectors(0)), "<5 <5 0 | 8");
  EXPECT_EQ(Shown(by_code["0283"].vectors(0)), "5 0 0 | 5");
  EXPECT_EQ(Shown(by_code["0171"].vectors(0)), "0 0 0 | 0");
  EXPECT_EQ(Shown(r.county(0)), "<5 <5 0 | 13") << "the county cells Tartu hid stay hidden";
  // Level: every case at school; need areas: reading for all 13.
  EXPECT_EQ(Shown(r.county(1)), "0 13 0 | 13");
  EXPECT_EQ(r.county(2).cells(0).category(), "reading");
  EXPECT_EQ(r.county(2).cells(0).count(), 13u);
  // Opened this month: 13 in the last cell of the trend.
  EXPECT_EQ(r.county(4).cells(11).count(), 13u);

  ExpectNoPersonalData(r.SerializeAsString(), "CountyFiguresResponse");
  const std::string human = Ok("0793", "juht", {"figures"});
  EXPECT_THAT(human, HasSubstr("0793 Tartu linn"));
  EXPECT_THAT(human, HasSubstr("Tartumaa (county)"));
  EXPECT_THAT(human, HasSubstr("<5"));
  ExpectNoPersonalData(human, "hopctl figures");
  const std::string csv = Ok("0793", "juht", {"figures", "--csv"});
  EXPECT_EQ(csv.rfind("municipality,dimension,category,count,suppressed\r\n", 0), 0u) << csv;
  EXPECT_THAT(csv, HasSubstr("0793,stage,II,,true\r\n"));
  EXPECT_THAT(csv, HasSubstr("0283,stage,I,5,false\r\n"));
  EXPECT_THAT(csv, HasSubstr("county,stage,total,13,false\r\n"));
  ExpectNoPersonalData(csv, "hopctl figures --csv");

  // Only network leaders.
  EXPECT_THAT(Refused("0793", "tiina", {"figures"}), HasSubstr("PERMISSION_DENIED"));
  EXPECT_THAT(Refused("0793", "admin", {"figures"}), HasSubstr("PERMISSION_DENIED"));
  // A municipality outside the county is refused by name.
  EXPECT_THAT(Refused("0793", "juht", {"figures", "--municipality", "0663"}),
              HasSubstr("municipalities[0]: 0663"));

  // Elva stops: a gap, the others still answer.
  nodes_.at("0171")->Stop();
  const hop::v1::CountyFiguresResponse gap = Json<hop::v1::CountyFiguresResponse>(
      "0793", "juht", {"--timeout", "20", "figures", "--deadline", "3"});
  ASSERT_EQ(gap.gaps_size(), 1) << gap.DebugString();
  EXPECT_EQ(gap.gaps(0).municipality(), "0171");
  EXPECT_EQ(gap.gaps(0).outcome(), hop::v1::PEER_OUTCOME_UNREACHABLE) << gap.DebugString();
  EXPECT_EQ(gap.municipalities_size(), 2);
  EXPECT_EQ(Shown(gap.county(0)), "<5 <5 0 | 13");
  EXPECT_THAT(Ok("0793", "juht", {"--timeout", "20", "figures", "--deadline", "3"}),
              HasSubstr("missing: 0171 Elva vald: unreachable"));
}

TEST_F(FederationFiguresTest, FederationPortAnswersNetworkLeadersOfTheCountyOnly) {
  ASSERT_NO_FATAL_FAILURE(StartNodes({"0793", "0283", "0663"}));
  Ok("0793", "admin", {"user", "add", "tiina", "--role", "case-manager", "--name", "Tiina"});
  OpenCases("0793", "tiina", 6);

  hop::v1::FiguresAnswer answer;
  std::unique_ptr<hop::v1::Federation::Stub> kambja = FederationStubAs("0283", "0793");
  grpc::Status ok =
      AskFigures(*kambja, Staff("0283", "juht"), hop::v1::ROLE_NETWORK_LEADER, &answer);
  ASSERT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_EQ(answer.figures().municipality(), "0793");
  EXPECT_EQ(Shown(answer.figures().vectors(0)), "6 0 0 | 6");
  ExpectNoPersonalData(answer.SerializeAsString(), "raw Federation.Figures answer");

  // Not a network leader.
  grpc::Status role =
      AskFigures(*kambja, Staff("0283", "kalle"), hop::v1::ROLE_CASE_MANAGER, &answer);
  EXPECT_EQ(role.error_code(), grpc::StatusCode::PERMISSION_DENIED) << role.error_message();
  EXPECT_THAT(role.error_message(), HasSubstr("only network leaders"));
  // Kambja's node may not vouch for Elva's staff.
  grpc::Status asker =
      AskFigures(*kambja, Staff("0171", "juht"), hop::v1::ROLE_NETWORK_LEADER, &answer);
  EXPECT_EQ(asker.error_code(), grpc::StatusCode::PERMISSION_DENIED) << asker.error_message();
  // Rakvere is a configured peer, but of another county.
  std::unique_ptr<hop::v1::Federation::Stub> rakvere = FederationStubAs("0663", "0793");
  grpc::Status county =
      AskFigures(*rakvere, Staff("0663", "juht"), hop::v1::ROLE_NETWORK_LEADER, &answer);
  EXPECT_EQ(county.error_code(), grpc::StatusCode::PERMISSION_DENIED) << county.error_message();
  EXPECT_THAT(county.error_message(), HasSubstr("another county"));

  // Tartu's audit trail: the answer (the asker named, no child) and each refusal.
  NodeFixture& tartu = *nodes_.at("0793");
  tartu.Stop();
  absl::StatusOr<std::unique_ptr<store::Store>> db = store::Store::Open({tartu.dir() + "/data"});
  ASSERT_TRUE(db.ok()) << db.status();
  std::vector<hop::v1::AuditEntry> figures;
  ASSERT_TRUE((*db)
                  ->Scan(store::Family::kAudit, "e/", "",
                         [&](absl::string_view, absl::string_view v) {
                           hop::v1::AuditEntry e;
                           e.ParseFromArray(v.data(), static_cast<int>(v.size()));
                           if (e.action().rfind("Federation.Figures", 0) == 0) figures.push_back(e);
                           return true;
                         })
                  .ok());
  ASSERT_EQ(figures.size(), 4u);
  EXPECT_EQ(figures[0].action(), "Federation.Figures: answered");
  EXPECT_EQ(figures[0].actor(), Staff("0283", "juht"));
  EXPECT_EQ(figures[0].actor_municipality(), "0283");
  EXPECT_EQ(figures[0].subjects_size(), 0);
  for (size_t i = 1; i < figures.size(); ++i) {
    EXPECT_EQ(figures[i].outcome().rfind("refused: ", 0), 0u) << figures[i].DebugString();
    EXPECT_EQ(figures[i].subjects_size(), 0);
  }
  EXPECT_THAT(figures[3].actor(), HasSubstr("0663"));
}

}  // namespace
}  // namespace hop
