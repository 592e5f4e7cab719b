// Access by assignment and transitions inside a municipality (issue 13, items 6 and 2),
// through hopctl against a real hopd:
//  - the school nurse sees her case and no other; she loses it when unassigned or when the
//    case goes onto the child-protection track;
//  - the teacher who opened a case keeps read access to its stage and needs after it moved on,
//    sees no notes, and cannot change it;
//  - a case follows the child to another school: the new coordinator takes over, the old one
//    reads only what the old school wrote, until the configured period ends (hopd restarted
//    with its clock moved on: HOP_CLOCK_OFFSET_SECONDS);
//  - refusals name the field and change nothing.
#include <cstdlib>

#include "hop/v1/records.pb.h"
#include "tests/integration/hopctl_fixture.h"

namespace hop::integration {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int64_t kDay = 24 * 60 * 60;

class AssignmentTest : public HopctlTest {
 protected:
  void SetUp() override {
    hop::testing::NodeOptions options;
    options.extra_config = "casework { former_institution_read_days: 1 }";
    auto node = hop::testing::NodeFixture::Start(options);
    ASSERT_TRUE(node.ok()) << node.status();
    node_ = *std::move(node);
    AddCast();
    if (HasFatalFailure()) return;
    Must("admin", {"user", "add", "ode", "--role", "school-nurse", "--name", "Ode Õde",
                   "--institution", school_id_});
    hop::v1::Institution other = MustJson<hop::v1::Institution>(
        "juht", {"directory", "institution", "add", "--name", "Tartu Annelinna Gümnaasium",
                 "--kind", "school", "--ownership", "municipal", "--municipality", "0793"});
    school2_id_ = other.id();
    Must("admin", {"user", "add", "koord2", "--role", "coordinator", "--name", "Kerli Kask",
                   "--institution", school2_id_});
  }

  hop::v1::Case GetJson(const std::string& user, const std::string& id) {
    return MustJson<hop::v1::Case>(user, {"case", "get", id});
  }

  std::string school2_id_;
};

TEST_F(AssignmentTest, TheNurseSeesHerCaseAndNoOther) {
  const std::string hers = OpenCase(kChild, "Mati Maasikas");
  const std::string other = OpenCase(kChild2, "Kati Kuusk");
  EXPECT_THAT(Must("ode", {"case", "list"}), HasSubstr("no cases"));
  MustFail("ode", {"case", "get", hers}, "PERMISSION_DENIED");

  const std::string assigned =
      Must("koord", {"case", "assign", hers, "--add-assignee", "ode:school nurse: suicide risk"});
  EXPECT_THAT(assigned, HasSubstr("assignees:"));
  EXPECT_THAT(assigned, HasSubstr("ode: school nurse: suicide risk"));
  EXPECT_THAT(assigned, HasSubstr("assigned  by koord: added ode"));

  // Hers: whole, and she works on it. Any other: refused, not listed.
  EXPECT_THAT(Must("ode", {"case", "get", hers}), HasSubstr("Mati Maasikas"));
  Must("ode", {"case", "note", hers, "talked", "with", "the", "child"});
  EXPECT_EQ(GetJson("ode", hers).notes(0).text(), "talked with the child");
  const std::string denied = MustFail("ode", {"case", "get", other}, "PERMISSION_DENIED");
  EXPECT_THAT(denied, HasSubstr("support specialists work on the cases they are assigned to"));
  MustFail("ode", {"case", "note", other, "x"}, "PERMISSION_DENIED");
  const std::string list = Must("ode", {"case", "list"});
  EXPECT_THAT(list, HasSubstr(hers));
  EXPECT_THAT(list, Not(HasSubstr(other)));
  // Her role opens nothing, handles no consents, looks nobody up.
  MustFail("ode",
           {"case", "open", "--child", kChild3, "--name", "X", "--level", "school", "--institution",
            school_id_, "--need", "reading"},
           "PERMISSION_DENIED");
  MustFail("ode", {"consent", "list", "--child", kChild}, "PERMISSION_DENIED");
  MustFail("ode", {"lookup", "--child", kChild, "--purpose", "x"}, "PERMISSION_DENIED");

  // The nurse as the case's manager (Rakvere): responsible, and still no other case.
  Must("koord", {"case", "assign", hers, "--responsible", "ode"});
  EXPECT_EQ(GetJson("koord", hers).responsible_user(), "ode");

  // On the child-protection track only child-protection specialists see it.
  Must("lks", {"case", "protect", hers, "--reason", "child in danger"});
  EXPECT_THAT(MustFail("ode", {"case", "get", hers}, "PERMISSION_DENIED"),
              HasSubstr("child-protection track"));

  // Unassigned: gone.
  Must("koord", {"case", "assign", other, "--add-assignee", "ode:speech"});
  Must("ode", {"case", "get", other});
  Must("koord", {"case", "assign", other, "--remove-assignee", "ode"});
  MustFail("ode", {"case", "get", other}, "PERMISSION_DENIED");
}

TEST_F(AssignmentTest, TheOpenerKeepsStageAndNeedsAfterTheCaseMovedOn) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  Must("opetaja", {"case", "note", id, "mother", "worried"});
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "needs a coordinator"});
  Must("koord", {"case", "note", id, "coordinator's", "plan"});

  const hop::v1::Case seen = GetJson("opetaja", id);
  EXPECT_EQ(seen.stage(), hop::v1::STAGE_II);
  EXPECT_EQ(seen.status(), hop::v1::CASE_OPEN);
  EXPECT_THAT(seen.need_areas(), ::testing::ElementsAre("reading"));
  EXPECT_EQ(seen.notes_size(), 0);
  EXPECT_EQ(seen.history_size(), 0);
  EXPECT_TRUE(seen.responsible_user().empty());
  EXPECT_THAT(Must("opetaja", {"case", "list"}), HasSubstr(id));

  const std::string refused =
      MustFail("opetaja", {"case", "note", id, "more"}, "PERMISSION_DENIED");
  EXPECT_THAT(refused, HasSubstr("has read access only"));
  MustFail("opetaja", {"case", "need", id, "speech"}, "PERMISSION_DENIED");
  EXPECT_EQ(GetJson("koord", id).notes_size(), 2);  // nothing changed
  EXPECT_EQ(GetJson("koord", id).need_areas_size(), 1);
}

TEST_F(AssignmentTest, TheCaseFollowsTheChildToAnotherSchool) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "needs a coordinator"});
  Must("koord", {"case", "note", id, "old", "school", "note"});
  Must("koord", {"case", "assess", id, "--date", "2025-03-01", "--conclusion", "reads slowly"});
  Must("kati", {"case", "note", id, "case", "manager", "note"});
  Must("koord", {"case", "assign", id, "--add-assignee", "ode:school nurse"});

  const std::string moved =
      Must("koord", {"case", "move-institution", id, "--to", school2_id_, "--reason",
                     "the family moved across town", "--responsible", "koord2"});
  EXPECT_THAT(moved, HasSubstr("former institutions:"));
  EXPECT_THAT(moved, HasSubstr(school_id_ + ": left"));
  EXPECT_THAT(moved, HasSubstr("institution " + school_id_ + " -> " + school2_id_ +
                               "  by koord: the family moved across town"));
  const hop::v1::Case now = GetJson("koord2", id);
  EXPECT_EQ(now.institution_id(), school2_id_);
  EXPECT_EQ(now.responsible_user(), "koord2");
  EXPECT_EQ(now.assignees_size(), 0);  // the old school's nurse is no longer assigned
  ASSERT_EQ(now.former_institutions_size(), 1);
  EXPECT_EQ(now.former_institutions(0).institution_id(), school_id_);
  EXPECT_EQ(now.former_institutions(0).read_until() - now.former_institutions(0).left_at(), kDay);
  const hop::v1::StageChange& last = now.history(now.history_size() - 1);
  EXPECT_EQ(last.event(), hop::v1::CASE_EVENT_INSTITUTION_CHANGED);
  EXPECT_EQ(last.from_institution(), school_id_);
  EXPECT_EQ(last.to_institution(), school2_id_);
  EXPECT_EQ(last.by_user(), "koord");

  // The new coordinator works on it.
  Must("koord2", {"case", "note", id, "welcome"});
  // The old coordinator reads what the old school wrote, and changes nothing.
  const hop::v1::Case old = GetJson("koord", id);
  ASSERT_EQ(old.notes_size(), 1);
  EXPECT_EQ(old.notes(0).text(), "old school note");
  EXPECT_EQ(old.assessments_size(), 1);
  EXPECT_EQ(old.institution_id(), school2_id_);
  EXPECT_THAT(MustFail("koord", {"case", "note", id, "x"}, "PERMISSION_DENIED"),
              HasSubstr("read access only"));
  MustFail("ode", {"case", "get", id}, "PERMISSION_DENIED");
  EXPECT_EQ(GetJson("opetaja", id).stage(), hop::v1::STAGE_II);  // the opener, in the period

  // After the period (1 day here), the old school reads nothing; the new one still works.
  {
    setenv("HOP_CLOCK_OFFSET_SECONDS", std::to_string(kDay + 3600).c_str(), 1);
    const absl::Status restarted = node_->Restart();
    unsetenv("HOP_CLOCK_OFFSET_SECONDS");
    ASSERT_TRUE(restarted.ok()) << restarted;
  }
  EXPECT_THAT(MustFail("koord", {"case", "get", id}, "PERMISSION_DENIED"),
              HasSubstr("belongs to another institution"));
  EXPECT_THAT(Must("koord", {"case", "list"}), Not(HasSubstr(id)));
  MustFail("opetaja", {"case", "get", id}, "PERMISSION_DENIED");  // the opener, too
  EXPECT_EQ(GetJson("koord2", id).notes_size(), 3);
}

TEST_F(AssignmentTest, RefusalsNameTheFieldAndChangeNothing) {
  const std::string id = OpenCase(kChild, "Mati Maasikas");
  Must("opetaja", {"case", "escalate", id, "--to", "II", "--reason", "needs a coordinator"});
  const int history = GetJson("koord", id).history_size();
  auto move_args = [&](const std::vector<std::string>& extra) {
    std::vector<std::string> args = {"case", "move-institution", id};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  };
  EXPECT_THAT(
      MustFail("koord", move_args({"--to", "0793-I999999", "--reason", "r"}), "INVALID_ARGUMENT"),
      HasSubstr("institution_id"));
  EXPECT_THAT(
      MustFail("koord",
               move_args({"--to", "0171-I000001", "--reason", "r", "--responsible", "koord2"}),
               "INVALID_ARGUMENT"),
      HasSubstr("is not an institution of this municipality's directory"));
  EXPECT_THAT(MustFail("koord",
                       move_args({"--to", school2_id_, "--reason", " ", "--responsible", "koord2"}),
                       "INVALID_ARGUMENT"),
              HasSubstr("reason"));
  EXPECT_THAT(
      MustFail("koord", move_args({"--to", school_id_, "--reason", "r"}), "INVALID_ARGUMENT"),
      HasSubstr("already at"));
  EXPECT_THAT(
      MustFail("koord", move_args({"--to", school2_id_, "--reason", "r"}), "INVALID_ARGUMENT"),
      HasSubstr("responsible_user: required at stage II"));
  EXPECT_THAT(
      MustFail("koord", move_args({"--to", school2_id_, "--reason", "r", "--responsible", "koord"}),
               "INVALID_ARGUMENT"),
      HasSubstr("give a coordinator of the new institution"));
  // Not the case's institution's coordinator; a teacher: refused.
  MustFail("koord2", move_args({"--to", school2_id_, "--reason", "r", "--responsible", "koord2"}),
           "PERMISSION_DENIED");
  MustFail("opetaja", move_args({"--to", school2_id_, "--reason", "r", "--responsible", "koord2"}),
           "PERMISSION_DENIED");

  // Assignment refusals.
  EXPECT_THAT(
      MustFail("koord", {"case", "assign", id, "--add-assignee", "nobody:x"}, "INVALID_ARGUMENT"),
      HasSubstr("add_assignees[0].user_id"));
  EXPECT_THAT(
      MustFail("koord", {"case", "assign", id, "--add-assignee", "juht:x"}, "INVALID_ARGUMENT"),
      HasSubstr("network-leader and cannot take this responsibility"));
  EXPECT_THAT(
      MustFail("koord", {"case", "assign", id, "--remove-assignee", "ode"}, "INVALID_ARGUMENT"),
      HasSubstr("remove_assignees[0]"));
  EXPECT_THAT(
      MustFail("koord", {"case", "assign", id, "--add-assignee", "ode:" + std::string(201, 'a')},
               "INVALID_ARGUMENT"),
      HasSubstr("add_assignees[0].task"));
  std::vector<std::string> many = {"case", "assign", id};
  for (int i = 0; i < 21; ++i) {
    many.push_back("--add-assignee");
    many.push_back("ode:x");
  }
  EXPECT_THAT(MustFail("koord", many, "INVALID_ARGUMENT"), HasSubstr("at most 20"));
  Must("koord", {"case", "assign", id, "--add-assignee", "ode:x"});
  EXPECT_THAT(
      MustFail("koord", {"case", "assign", id, "--add-assignee", "ode:y"}, "INVALID_ARGUMENT"),
      HasSubstr("already assigned"));
  // A usage error before any call.
  const CommandResult bad = Run("koord", {"case", "assign", id, "--add-assignee", "ode"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
  EXPECT_THAT(bad.err, HasSubstr("USER_ID:TASK"));

  const hop::v1::Case after = GetJson("koord", id);
  EXPECT_EQ(after.institution_id(), school_id_);
  EXPECT_EQ(after.history_size(), history + 1);  // the one assignment that was allowed
  EXPECT_EQ(after.assignees_size(), 1);
}

}  // namespace
}  // namespace hop::integration
