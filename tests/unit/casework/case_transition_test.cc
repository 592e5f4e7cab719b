// CaseBook::ChangeInstitution over a real RocksDB store (issue 13): who takes over at each
// stage and on the child-protection track, the former institution's period, who may move a
// case, and refusals that change nothing.
#include "gmock/gmock.h"
#include "tests/unit/casework/casework_fixture.h"

namespace hop::casework {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kDay = 24 * 60 * 60;

class CaseTransitionTest : public CaseworkTest {
 protected:
  void SetUp() override {
    CaseworkTest::SetUp();
    for (const Actor& a : {teacher_, other_teacher_, coordinator_, manager_, protection_}) {
      hop::v1::User u;
      u.set_user_id(a.user_id);
      u.set_name(a.user_id);
      u.set_role(a.role);
      u.set_institution_id(a.institution_id);
      ASSERT_TRUE(users_->Add("admin", u).ok()) << a.user_id;
    }
  }

  absl::StatusOr<hop::v1::Case> Move(const Actor& actor, const std::string& id,
                                     const std::string& to, const std::string& responsible = "") {
    hop::v1::ChangeInstitutionRequest req;
    req.set_case_id(id);
    req.set_institution_id(to);
    req.set_reason("the family moved");
    req.set_responsible_user(responsible);
    return cases_->ChangeInstitution(actor, req);
  }
};

TEST_F(CaseTransitionTest, StageIGoesToTheNewSchoolWithTheDefaultPeriod) {
  const std::string id = Open(teacher_, school_)->id();
  // A teacher of the old school cannot take it to the new one.
  EXPECT_THAT(Move(manager_, id, other_school_, "mari").status().message(),
              HasSubstr("give a teacher of the new institution"));
  absl::StatusOr<hop::v1::Case> moved = Move(manager_, id, other_school_);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->institution_id(), other_school_);
  EXPECT_EQ(moved->responsible_user(), "") << "nobody until the new school assigns";
  ASSERT_EQ(moved->former_institutions_size(), 1);
  EXPECT_EQ(moved->former_institutions(0).left_at(), kNow);
  EXPECT_EQ(moved->former_institutions(0).read_until(), kNow + 90 * kDay);
  const hop::v1::StageChange& last = moved->history(moved->history_size() - 1);
  EXPECT_EQ(last.event(), hop::v1::CASE_EVENT_INSTITUTION_CHANGED);
  EXPECT_EQ(last.from_stage(), hop::v1::STAGE_I);
  EXPECT_EQ(last.to_stage(), hop::v1::STAGE_I);
  EXPECT_EQ(last.reason(), "the family moved");

  // The new school's teacher works on it; the old teacher (who opened it) reads only.
  EXPECT_TRUE(cases_->Get(other_teacher_, id).ok());
  EXPECT_EQ(cases_->Get(teacher_, id)->history_size(), 0);
  hop::v1::AddNoteRequest note;
  note.set_case_id(id);
  note.set_text("x");
  EXPECT_EQ(cases_->AddNote(teacher_, note).status().code(), absl::StatusCode::kPermissionDenied);

  // Moved again with a teacher of the new institution taking over.
  absl::StatusOr<hop::v1::Case> back = Move(manager_, id, school_, "mari");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(back->responsible_user(), "mari");
  EXPECT_EQ(back->former_institutions_size(), 2);
}

TEST_F(CaseTransitionTest, AtStageIIIAndOnTheTrackTheResponsiblePersonStays) {
  const std::string id = Open(teacher_, school_)->id();
  ASSERT_TRUE(Escalate(coordinator_, id, hop::v1::STAGE_II).ok());
  ASSERT_TRUE(Escalate(manager_, id, hop::v1::STAGE_III).ok());
  EXPECT_THAT(Move(manager_, id, other_school_, "juta").status().message(),
              HasSubstr("stays with its responsible person tiina at stage III"));
  absl::StatusOr<hop::v1::Case> moved = Move(manager_, id, other_school_);
  ASSERT_TRUE(moved.ok()) << moved.status();
  EXPECT_EQ(moved->responsible_user(), "tiina");
  EXPECT_EQ(moved->case_manager(), "tiina");

  const std::string cp = Open(teacher_, school_, "51505050005")->id();
  hop::v1::MoveToChildProtectionRequest protect;
  protect.set_case_id(cp);
  protect.set_reason("child in danger");
  ASSERT_TRUE(cases_->MoveToChildProtection(protection_, protect).ok());
  absl::StatusOr<hop::v1::Case> on_track = Move(protection_, cp, other_school_);
  ASSERT_TRUE(on_track.ok()) << on_track.status();
  EXPECT_EQ(on_track->responsible_user(), "peeter");
  // The old school's coordinator reads nothing on the track.
  EXPECT_EQ(cases_->Get(coordinator_, cp).status().code(), absl::StatusCode::kPermissionDenied);
}

TEST_F(CaseTransitionTest, WhoMayMoveAndRefusalsChangeNothing) {
  const std::string id = Open(teacher_, school_)->id();
  // The teacher works on it but does not move it; another school's coordinator cannot see it.
  EXPECT_EQ(Move(teacher_, id, other_school_).status().code(), absl::StatusCode::kPermissionDenied);
  Actor other_coordinator = {"kerli", hop::v1::ROLE_INSTITUTION_COORDINATOR, other_school_};
  EXPECT_EQ(Move(other_coordinator, id, other_school_).status().code(),
            absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(Move(coordinator_, id, "0793-I999999").status().message(),
              HasSubstr("institution_id"));
  EXPECT_THAT(Move(coordinator_, id, "").status().message(), HasSubstr("institution_id: required"));

  // A retired institution is not a destination.
  ASSERT_TRUE(records_
                  ->Mutate([&](Mutation& m) {
                    hop::v1::Institution gone = *records_->GetInstitution(other_school_).value();
                    gone.set_retired_at(kNow - 1);
                    m.PutInstitution(gone);
                    return absl::OkStatus();
                  })
                  .ok());
  EXPECT_THAT(Move(coordinator_, id, other_school_).status().message(), HasSubstr("is retired"));
  const hop::v1::Case unchanged = *cases_->Get(coordinator_, id);
  EXPECT_EQ(unchanged.institution_id(), school_);
  EXPECT_EQ(unchanged.former_institutions_size(), 0);
  EXPECT_EQ(unchanged.history_size(), 1);
}

// A reader (the institution the case left, within its period) sees a redacted view: it may
// not reopen the case, and nothing of the whole case is lost by trying.
TEST_F(CaseTransitionTest, AReaderCannotReopenTheCase) {
  const std::string id = Open(teacher_, school_)->id();
  hop::v1::AddNoteRequest note;
  note.set_case_id(id);
  note.set_text("kept");
  ASSERT_TRUE(cases_->AddNote(manager_, note).ok());
  ASSERT_TRUE(Move(manager_, id, other_school_).ok());
  hop::v1::CloseCaseRequest close;
  close.set_case_id(id);
  close.set_reason("support given");
  ASSERT_TRUE(cases_->Close(manager_, close).ok());
  ASSERT_TRUE(cases_->Get(coordinator_, id).ok()) << "the former school's coordinator reads";

  hop::v1::ReopenCaseRequest reopen;
  reopen.set_case_id(id);
  reopen.set_reason("needs support again");
  EXPECT_EQ(cases_->Reopen(coordinator_, reopen).status().code(),
            absl::StatusCode::kPermissionDenied);
  absl::StatusOr<hop::v1::Case> whole = cases_->Get(manager_, id);
  ASSERT_TRUE(whole.ok()) << whole.status();
  EXPECT_EQ(whole->status(), hop::v1::CASE_CLOSED);
  EXPECT_EQ(whole->notes_size(), 1);

  absl::StatusOr<hop::v1::Case> reopened = cases_->Reopen(manager_, reopen);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ(reopened->notes_size(), 1);
  EXPECT_EQ(reopened->former_institutions_size(), 1);
}

}  // namespace
}  // namespace hop::casework
