// Case work, complete (issue 13) through hopctl against a real hopd: ending a service with an
// outcome, marking action items done, reopening a closed case, leaving the child-protection
// track, retiring directory entries and updating users. Each happy path, and each refusal
// (wrong state, missing reason, bad code, future date, wrong role) changes nothing.
#include "absl/strings/str_cat.h"
#include "hop/v1/admin.pb.h"
#include "hop/v1/casework.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kFuture[] = "2199-01-01";  // in the future of any test run (years to 2200)

class CaseWork2Test : public HopctlTest {
 protected:
  void SetUp() override {
    HopctlTest::SetUp();
    if (HasFatalFailure()) return;
    AddCast();
  }
  hop::v1::Case Get(const std::string& id) {
    return MustJson<hop::v1::Case>("kati", {"case", "get", id});
  }
  // A case at stage III run by kati, with service S1 (from 2025-01-10) and action item A1.
  std::string CaseWithPlan() {
    const std::string id = OpenCase(kChild, "Mati Maasikas");
    Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "needs a coordinator"});
    Must("koord", {"case", "escalate", id, "--to", "III", "--reason", "cross-sector help"});
    Must("kati", {"case", "service", id, "--type", "speech-therapy", "--municipality", "0793",
                  "--start", "2025-01-10"});
    Must("kati",
         {"case", "plan", id, "--description", "reading with a tutor", "--responsible", "kati"});
    return id;
  }
};

TEST_F(CaseWork2Test, EndServiceRecordsTheOutcomeAndRefusesBadInput) {
  const std::string id = CaseWithPlan();
  const hop::v1::Case before = Get(id);

  EXPECT_THAT(MustFail("kati",
                       {"case", "end-service", id, "S9", "--end-date", "2025-05-31", "--outcome",
                        "improved"},
                       "NOT_FOUND"),
              HasSubstr("its services: S1"));
  EXPECT_THAT(
      MustFail("kati",
               {"case", "end-service", id, "S1", "--end-date", kFuture, "--outcome", "improved"},
               "INVALID_ARGUMENT"),
      HasSubstr("end_date: 2199-01-01 is in the future"));
  EXPECT_THAT(MustFail("kati",
                       {"case", "end-service", id, "S1", "--end-date", "2025-01-09", "--outcome",
                        "improved"},
                       "INVALID_ARGUMENT"),
              HasSubstr("before the service's start 2025-01-10"));
  EXPECT_THAT(MustFail("kati",
                       {"case", "end-service", id, "S1", "--end-date", "2025-05-31", "--outcome",
                        "very-good"},
                       "INVALID_ARGUMENT"),
              HasSubstr("outcome"));
  EXPECT_THAT(MustFail("kati",
                       {"case", "end-service", id, "S1", "--end-date", "2025-05-31", "--outcome",
                        "ongoing"},
                       "INVALID_ARGUMENT"),
              HasSubstr("not the outcome of an ended service"));
  EXPECT_EQ(Get(id).services(0).DebugString(), before.services(0).DebugString())
      << "refusals change nothing";

  const std::string out = Must("kati", {"case", "end-service", id, "S1", "--end-date", "2025-05-31",
                                        "--outcome", "goal-reached"});
  EXPECT_THAT(out, HasSubstr("2025-01-10 to 2025-05-31; outcome: goal-reached")) << out;
  MustFail("kati",
           {"case", "end-service", id, "S1", "--end-date", "2025-06-01", "--outcome", "improved"},
           "FAILED_PRECONDITION");
  EXPECT_EQ(Get(id).services(0).end_date(), "2025-05-31");
  EXPECT_EQ(Get(id).services(0).outcome(), "goal-reached");
  // A teacher no longer sees the stage III case, so cannot end its services.
  MustFail("opetaja",
           {"case", "end-service", id, "S1", "--end-date", "2025-05-31", "--outcome", "improved"},
           "PERMISSION_DENIED");
}

TEST_F(CaseWork2Test, DoneMarksAnActionItemWithItsEvaluation) {
  const std::string id = CaseWithPlan();
  EXPECT_THAT(
      MustFail("kati", {"case", "done", id, "A1", "--evaluation", "   "}, "INVALID_ARGUMENT"),
      HasSubstr("evaluation"));
  EXPECT_THAT(
      MustFail("kati", {"case", "done", id, "A1", "--evaluation", "reads", "--date", kFuture},
               "INVALID_ARGUMENT"),
      HasSubstr("done_date: 2199-01-01 is in the future"));
  MustFail("kati", {"case", "done", id, "A7", "--evaluation", "reads"}, "NOT_FOUND");
  EXPECT_TRUE(Get(id).action_plan(0).done_date().empty()) << "refusals change nothing";

  const std::string out = Must("kati", {"case", "done", id, "A1", "--evaluation",
                                        "reads fluently now", "--date", "2025-03-14"});
  EXPECT_THAT(out, HasSubstr("done 2025-03-14 by kati: reads fluently now")) << out;
  const hop::v1::ActionItem item = Get(id).action_plan(0);
  EXPECT_EQ(item.done_by(), "kati");
  EXPECT_EQ(item.evaluation(), "reads fluently now");
  EXPECT_THAT(
      MustFail("kati", {"case", "done", id, "A1", "--evaluation", "again"}, "FAILED_PRECONDITION"),
      HasSubstr("was marked done on 2025-03-14"));

  // Without --date it is done today.
  Must("kati", {"case", "plan", id, "--description", "meet the family"});
  EXPECT_FALSE(MustJson<hop::v1::Case>("kati", {"case", "done", id, "A2", "--evaluation", "met"})
                   .action_plan(1)
                   .done_date()
                   .empty());
}

TEST_F(CaseWork2Test, ReopenBringsAClosedCaseBackWithHistory) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  EXPECT_THAT(MustFail("kati", {"case", "reopen", id, "--reason", "again"}, "FAILED_PRECONDITION"),
              HasSubstr("is not closed"));
  Must("kati", {"case", "close", id, "--reason", "goals reached"});
  MustFail("opetaja", {"case", "reopen", id, "--reason", "again"}, "PERMISSION_DENIED");
  MustFail("kati", {"case", "reopen", id, "--reason", " "}, "INVALID_ARGUMENT");
  EXPECT_EQ(Get(id).status(), hop::v1::CASE_CLOSED) << "refusals change nothing";
  // A closed case still changes no more, except by reopening.
  MustFail("kati", {"case", "note", id, "still", "closed"}, "FAILED_PRECONDITION");

  const std::string out =
      Must("koord", {"case", "reopen", id, "--reason", "difficulties returned"});
  EXPECT_THAT(out, ContainsRegex("status: +open"));
  EXPECT_THAT(out, HasSubstr("closed at stage I  by kati: goals reached"));
  EXPECT_THAT(out, HasSubstr("reopened at stage I  by koord: difficulties returned"));
  const hop::v1::Case reopened = Get(id);
  EXPECT_EQ(reopened.closing_reason(), "") << "the CLOSED history entry keeps it";
  ASSERT_GE(reopened.history_size(), 3);
  EXPECT_EQ(reopened.history(reopened.history_size() - 2).event(), hop::v1::CASE_EVENT_CLOSED);
  EXPECT_EQ(reopened.history(reopened.history_size() - 1).event(), hop::v1::CASE_EVENT_REOPENED);
  Must("kati", {"case", "note", id, "open", "again"});
}

TEST_F(CaseWork2Test, OnlyAChildProtectionSpecialistLeavesTheTrack) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  EXPECT_THAT(
      MustFail("lks", {"case", "leave-protection", id, "--reason", "safe"}, "FAILED_PRECONDITION"),
      HasSubstr("not on the child-protection track"));
  Must("lks", {"case", "protect", id, "--reason", "child in danger"});
  MustFail("kati", {"case", "leave-protection", id, "--reason", "safe"}, "PERMISSION_DENIED");
  MustFail("lks", {"case", "leave-protection", id, "--reason", " "}, "INVALID_ARGUMENT");
  EXPECT_TRUE(MustJson<hop::v1::Case>("lks", {"case", "get", id}).child_protection());

  const std::string out = Must("lks", {"case", "leave-protection", id, "--reason", "safe again"});
  EXPECT_THAT(out, ContainsRegex("child-protection track: +no"));
  EXPECT_THAT(out, HasSubstr("left the child-protection track at stage I  by lks: safe again"));
  const hop::v1::Case left = MustJson<hop::v1::Case>("lks", {"case", "get", id});
  EXPECT_EQ(left.stage(), hop::v1::STAGE_I) << "the case keeps its stage";
  EXPECT_EQ(left.responsible_user(), "lks") << "and its responsible person until reassigned";
  EXPECT_THAT(Must("kati", {"case", "list"}), HasSubstr(id)) << "the case manager sees it again";
  // Leaving the track reveals that there was one: in the child's access report for
  // child-protection specialists only.
  EXPECT_THAT(Must("lks", {"audit", "subject", "--child", kChild, "--json"}),
              HasSubstr("LeaveChildProtection"));
  EXPECT_THAT(Must("kati", {"audit", "subject", "--child", kChild, "--json"}),
              Not(HasSubstr("LeaveChildProtection")));
}

TEST_F(CaseWork2Test, RetiringDirectoryEntriesIsGuarded) {
  const std::string contact =
      MustJson<hop::v1::Contact>(
          "koord", {"directory", "contact", "add", "--institution", school_id_, "--name",
                    "Kati Kask", "--role", "HEVKO", "--phone", "+3725550000"})
          .id();
  const std::string other =
      MustJson<hop::v1::Institution>(
          "juht", {"directory", "institution", "add", "--name", "Lasteaed", "--kind",
                   "kindergarten", "--ownership", "municipal", "--municipality", "0793"})
          .id();
  const std::string other_contact =
      MustJson<hop::v1::Contact>(
          "juht", {"directory", "contact", "add", "--institution", other, "--name", "Liis",
                   "--role", "AEVKO", "--phone", "+3725550001"})
          .id();
  const std::string id = OpenCase(kChild, "Mati Maasikas");

  MustFail("opetaja", {"directory", "retire-contact", contact, "--reason", "left"},
           "PERMISSION_DENIED");
  MustFail("koord", {"directory", "retire-contact", other_contact, "--reason", "left"},
           "PERMISSION_DENIED");
  MustFail("koord", {"directory", "retire-contact", contact, "--reason", "  "}, "INVALID_ARGUMENT");
  MustFail("koord", {"directory", "retire-contact", "0793-P999999", "--reason", "left"},
           "NOT_FOUND");
  const std::string refused =
      MustFail("juht", {"directory", "retire-institution", school_id_, "--reason", "merged"},
               "FAILED_PRECONDITION");
  EXPECT_THAT(refused, HasSubstr("1 active contact(s)"));
  EXPECT_THAT(refused, HasSubstr("1 open case(s)"));
  EXPECT_THAT(refused, HasSubstr("2 user(s) bound to it (koord, opetaja)"));
  EXPECT_THAT(Must("juht", {"directory", "search", "--municipality", "0793"}), HasSubstr(contact))
      << "refusals change nothing";

  const std::string out =
      Must("koord", {"directory", "retire-contact", contact, "--reason", "left in June"});
  EXPECT_THAT(out, ContainsRegex("retired: +[0-9-]+ [0-9:]+ by koord"));
  EXPECT_THAT(Must("juht", {"directory", "search", "--municipality", "0793"}),
              Not(HasSubstr(contact)));
  EXPECT_THAT(Must("juht", {"directory", "search", "--municipality", "0793", "--include-retired"}),
              HasSubstr("Kati Kask [retired]"));
  // The kindergarten, with its contact retired and nothing else on it, retires.
  Must("juht", {"directory", "retire-contact", other_contact, "--reason", "left"});
  Must("juht", {"directory", "retire-institution", other, "--reason", "closed"});
  MustFail("juht", {"directory", "retire-institution", other, "--reason", "closed"},
           "FAILED_PRECONDITION");
  EXPECT_THAT(MustFail("juht",
                       {"directory", "contact", "add", "--institution", other, "--name", "Mai",
                        "--role", "AEVKO", "--phone", "+3725550002"},
                       "FAILED_PRECONDITION"),
              HasSubstr("is retired"));
  EXPECT_THAT(MustFail("kati",
                       {"case", "service", id, "--type", "speech-therapy", "--provider", other,
                        "--municipality", "0793", "--start", "2025-01-10"},
                       "INVALID_ARGUMENT"),
              HasSubstr("service.provider: " + other + " is retired"));
  EXPECT_THAT(MustFail("admin",
                       {"user", "add", "uus", "--role", "teacher", "--name", "Uus Õpetaja",
                        "--institution", other},
                       "INVALID_ARGUMENT"),
              HasSubstr("needs an active institution"));
}

TEST_F(CaseWork2Test, UserUpdateChangesOnlyWhatIsGiven) {
  Must("admin", {"user", "add", "mari", "--role", "case-manager", "--name", "Mari Mets", "--phone",
                 "+3725551111", "--id-code", kGuardian1});
  const hop::v1::User updated = MustJson<hop::v1::User>(
      "admin", {"user", "update", "kati", "--phone", "+372 5555 1234", "--email", "kati@tartu.ee"});
  EXPECT_EQ(updated.phone(), "+372 5555 1234");
  EXPECT_EQ(updated.name(), "Kati Kask");
  EXPECT_EQ(updated.role(), hop::v1::ROLE_CASE_MANAGER);
  EXPECT_EQ(updated.updated_by(), "admin");
  EXPECT_NE(updated.updated_at(), 0);

  // A teacher becomes the coordinator of the same school; then a network leader (no school).
  EXPECT_EQ(MustJson<hop::v1::User>("admin", {"user", "update", "opetaja", "--role", "coordinator"})
                .institution_id(),
            school_id_);
  EXPECT_EQ(
      MustJson<hop::v1::User>("admin", {"user", "update", "opetaja", "--role", "network-leader"})
          .institution_id(),
      "");

  EXPECT_THAT(
      MustFail("admin", {"user", "update", "kati", "--role", "teacher"}, "INVALID_ARGUMENT"),
      HasSubstr("institution_id: a teacher needs an active institution"));
  EXPECT_THAT(
      MustFail("admin", {"user", "update", "kati", "--phone", "call me"}, "INVALID_ARGUMENT"),
      HasSubstr("phone"));
  EXPECT_THAT(
      MustFail("admin", {"user", "update", "kati", "--id-code", kGuardian1}, "ALREADY_EXISTS"),
      HasSubstr("already signs in as user mari"));
  EXPECT_THAT(MustFail("admin", {"user", "update", "admin", "--role", "case-manager"},
                       "FAILED_PRECONDITION"),
              HasSubstr("last admin"));
  MustFail("admin", {"user", "update", "nobody", "--name", "N"}, "NOT_FOUND");
  MustFail("kati", {"user", "update", "kati", "--phone", "+3725550009"}, "PERMISSION_DENIED");
  const CommandResult nothing = Run("admin", {"user", "update", "kati"});
  EXPECT_EQ(nothing.exit_code, 2) << nothing.err;
  const auto users = MustJson<hop::v1::ListUsersResponse>("admin", {"user", "list"});
  for (const hop::v1::User& u : users.users()) {
    if (u.user_id() != "kati") continue;
    EXPECT_EQ(u.phone(), "+372 5555 1234") << "refusals change nothing";
    EXPECT_EQ(u.role(), hop::v1::ROLE_CASE_MANAGER);
    EXPECT_EQ(u.id_code(), "");
  }
}

}  // namespace
}  // namespace hop::integration
