// The case path through hopctl against a real hopd: open at stage I, escalate to II and III,
// case management, closing; the child-protection track; counts; list filters.
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kWhen[] = "[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}";

class CaseTest : public HopctlTest {
 protected:
  void SetUp() override {
    HopctlTest::SetUp();
    if (HasFatalFailure()) return;
    AddCast();
  }
};

TEST_F(CaseTest, TeacherOpensACaseForOwnInstitution) {
  const std::string out =
      Must("opetaja", {"case", "open", "--child", kChild, "--name", "Mati Maasikas", "--level",
                       "school", "--institution", school_id_, "--need", "reading", "--need",
                       "speech", "--reason", "noticed in class"});
  // The new id comes first, on its own line, then the case.
  EXPECT_THAT(out, ContainsRegex("^0793-C[0-9]+\n\ncase: +0793-C[0-9]+\n"));
  for (const char* part :
       {"child:", kChild, "Mati Maasikas", "level:", "school",
        "stage:", "child-protection track: no", "needs:", "reading (Lugemisraskused), speech",
        "status:", "open", "stage history:"}) {
    EXPECT_THAT(out, HasSubstr(part)) << out;
  }
  EXPECT_THAT(
      out, ContainsRegex(std::string(kWhen) + "  opened at stage I  by opetaja: noticed in class"));
  const std::string list = Must("opetaja", {"case", "list"});
  EXPECT_THAT(list, HasSubstr("CASE"));
  EXPECT_THAT(list, HasSubstr("Mati Maasikas"));
}

TEST_F(CaseTest, FullPathFromTeacherToClosing) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");

  // I -> II by the teacher; afterwards the teacher, who opened it, keeps read access to its
  // stage and needs (issue 13) and can no longer change it.
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "needs a coordinator"});
  EXPECT_THAT(Must("opetaja", {"case", "get", id}), ContainsRegex("stage: +II"));
  MustFail("opetaja", {"case", "escalate", id, "--to", "III", "--reason", "x"},
           "PERMISSION_DENIED");

  // The coordinator sees it at stage II and escalates to III.
  EXPECT_THAT(Must("koord", {"case", "list", "--stage", "II"}), HasSubstr(id));
  Must("koord", {"case", "escalate", id, "--to", "III", "--reason", "cross-sector help"});

  // The case manager runs it.
  std::string out = Must("kati", {"case", "assign", id, "--case-manager", "kati"});
  EXPECT_THAT(out, ContainsRegex("case manager: +kati"));
  Must("kati", {"case", "need", id, "speech", "social"});
  Must("kati", {"case", "plan", id, "--description", "speech therapy twice a week", "--responsible",
                "kati", "--due", "2025-06-01", "--evaluate", "2025-03-01"});
  Must("kati", {"case", "service", id, "--type", "speech-therapy", "--provider", school_id_,
                "--municipality", "0793", "--start", "2025-01-10", "--end", "2025-06-30",
                "--transport-payment", "Elva pays transport", "--outcome", "improved"});
  Must("kati", {"case", "assess", id, "--date", "2025-03-01", "--conclusion", "reading improved"});
  Must("kati", {"case", "relate", id, "--registered", "0171", "--actual", "0171,0793",
                "--institution-municipality", "0793"});
  // Options not given keep their values.
  Must("kati", {"case", "relate", id, "--registered", "0283"});
  Must("kati", {"case", "note", id, "mother", "called"});
  out = Must("kati", {"case", "close", id, "--reason", "goals reached"});
  EXPECT_THAT(out, ContainsRegex("status: +closed \\(goals reached\\)"));

  out = Must("kati", {"case", "get", id});
  for (const std::string& part : std::vector<std::string>{
           "stage:", "III", "case manager:",
           "reading (Lugemisraskused), speech (Kõne ja keel), social (Suhtlemine ja sotsiaalsed "
           "oskused)",
           "speech therapy twice a week (responsible kati; due 2025-06-01; evaluate 2025-03-01)",
           "speech-therapy (Logopeediline abi) by " + school_id_ +
               " in 0793, 2025-01-10 to "
               "2025-06-30; transport/payment: Elva pays transport; outcome: improved (Olukord "
               "paranes)",
           "2025-03-01: reading improved (by kati)", "registered residence: 0283",
           "actual residence: 0171, 0793", "institution municipality: 0793", "kati: mother called",
           "closed (goals reached)"}) {
    EXPECT_THAT(out, HasSubstr(part)) << out;
  }
  // Stage history: who, when, why.
  const std::string w(kWhen);
  EXPECT_THAT(out, ContainsRegex(w + "  opened at stage I  by opetaja: noticed in class"));
  EXPECT_THAT(out, ContainsRegex(w + "  I -> II  by opetaja: needs a coordinator"));
  EXPECT_THAT(out, ContainsRegex(w + "  II -> III  by koord: cross-sector help"));

  // The same as JSON.
  auto c = MustJson<hop::v1::Case>("kati", {"case", "get", id});
  EXPECT_EQ(c.id(), id);
  EXPECT_EQ(c.origin(), "0793");
  EXPECT_EQ(c.child().isikukood(), kChild);
  EXPECT_EQ(c.stage(), hop::v1::STAGE_III);
  EXPECT_EQ(c.status(), hop::v1::CASE_CLOSED);
  EXPECT_EQ(c.closing_reason(), "goals reached");
  EXPECT_EQ(c.case_manager(), "kati");
  EXPECT_EQ(c.services_size(), 1);
  EXPECT_EQ(c.action_plan_size(), 1);
  EXPECT_EQ(c.assessments_size(), 1);
  EXPECT_EQ(c.related().registered_residence(), "0283");
  ASSERT_GE(c.history_size(), 3);
  EXPECT_EQ(c.history(1).from_stage(), hop::v1::STAGE_I);
  EXPECT_EQ(c.history(1).to_stage(), hop::v1::STAGE_II);
  EXPECT_EQ(c.history(1).by_user(), "opetaja");
  EXPECT_EQ(c.history(1).reason(), "needs a coordinator");
  EXPECT_GT(c.history(1).at(), 0);
  EXPECT_EQ(c.history(2).by_user(), "koord");

  // JSON keeps proto field names and prints every field.
  const std::string json = Must("kati", {"case", "get", id, "--json"});
  EXPECT_THAT(json, HasSubstr("\"closing_reason\": \"goals reached\""));
  EXPECT_THAT(json, HasSubstr("\"child_protection\": false"));
}

TEST_F(CaseTest, ChildProtectionTrack) {
  const std::string id = OpenCase(kChild2, "Kati Kapsas");
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "worried"});
  const std::string out =
      Must("koord", {"case", "protect", id, "--reason", "child may be in danger"});
  EXPECT_THAT(out, ContainsRegex("stage II -> child-protection track  by koord: child may be "
                                 "in danger"));
  // Only the child-protection specialist sees it now (not even its opener, issue 13).
  MustFail("opetaja", {"case", "get", id}, "PERMISSION_DENIED");
  MustFail("koord", {"case", "get", id}, "PERMISSION_DENIED");
  MustFail("kati", {"case", "get", id}, "PERMISSION_DENIED");
  const std::string list = Must("lks", {"case", "list", "--child-protection"});
  EXPECT_THAT(list, HasSubstr(id));
  EXPECT_THAT(Must("lks", {"case", "get", id}), HasSubstr("child-protection track: yes"));
}

TEST_F(CaseTest, NetworkLeaderSeesCountsOnly) {
  OpenCase(kChild, "Mati Maasikas");
  const std::string id = OpenCase(kChild2, "Kati Kapsas");
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "worried"});
  const std::string counts = Must("juht", {"case", "counts"});
  EXPECT_THAT(counts, HasSubstr("LEVEL"));
  // Cells of 1 are never printed (issue 13): both rows and the total are under 5.
  EXPECT_THAT(counts, ContainsRegex("school +I +no +open +<5"));
  EXPECT_THAT(counts, ContainsRegex("school +II +no +open +<5"));
  EXPECT_THAT(counts, HasSubstr("total: <5"));
  EXPECT_THAT(counts, Not(HasSubstr("Maasikas")));
  auto json = MustJson<hop::v1::CountCasesResponse>("juht", {"case", "counts"});
  EXPECT_EQ(json.total(), 0u);
  ASSERT_EQ(json.counts_size(), 2);
  for (const hop::v1::CaseCount& row : json.counts()) {
    EXPECT_TRUE(row.suppressed());
    EXPECT_EQ(row.count(), 0u);
  }
  MustFail("juht", {"case", "list"}, "PERMISSION_DENIED");
  MustFail("juht", {"case", "get", id}, "PERMISSION_DENIED");
}

TEST_F(CaseTest, ListFiltersAndLimit) {
  OpenCase(kChild, "Mati Maasikas");
  OpenCase(kChild2, "Kati Kapsas");
  const std::string third = OpenCase(kChild3, "Juku Juurikas");
  Must("opetaja", {"case", "escalate", third, "--to", "II", "--reason", "worried"});

  auto all = MustJson<hop::v1::ListCasesResponse>("kati", {"case", "list"});
  EXPECT_EQ(all.cases_size(), 3);
  auto limited = MustJson<hop::v1::ListCasesResponse>("kati", {"case", "list", "--limit", "2"});
  EXPECT_EQ(limited.cases_size(), 2);
  const std::string limited_text = Must("kati", {"case", "list", "--limit", "2"});
  EXPECT_THAT(limited_text, HasSubstr("stopped at --limit 2"));

  auto by_child =
      MustJson<hop::v1::ListCasesResponse>("kati", {"case", "list", "--child", kChild2});
  ASSERT_EQ(by_child.cases_size(), 1);
  EXPECT_EQ(by_child.cases(0).child().name(), "Kati Kapsas");
  auto stage_two = MustJson<hop::v1::ListCasesResponse>("kati", {"case", "list", "--stage", "II"});
  ASSERT_EQ(stage_two.cases_size(), 1);
  EXPECT_EQ(stage_two.cases(0).id(), third);
  auto closed =
      MustJson<hop::v1::ListCasesResponse>("kati", {"case", "list", "--status", "closed"});
  EXPECT_EQ(closed.cases_size(), 0);
  EXPECT_EQ(Must("kati", {"case", "list", "--status", "closed"}), "no cases\n");
}

}  // namespace
}  // namespace hop::integration
