// The object-level access rules (daemon/domain/access.h): every role by role alone, by
// assignment, as the opener, as staff of a former institution within and after its period,
// and on the child-protection track; what a read-limited reader gets (RedactForReader).
#include "daemon/domain/access.h"

#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace hop::domain {
namespace {

using hop::v1::Case;
using hop::v1::Role;
using ::testing::HasSubstr;

constexpr char kSchool[] = "0793-I000001";
constexpr char kOtherSchool[] = "0793-I000002";
constexpr char kFormerSchool[] = "0793-I000003";
constexpr int64_t kNow = 1'800'000'000;
constexpr int64_t kReadUntil = kNow + 1000;

const Role kAllRoles[] = {hop::v1::ROLE_TEACHER,           hop::v1::ROLE_INSTITUTION_COORDINATOR,
                          hop::v1::ROLE_CASE_MANAGER,      hop::v1::ROLE_CHILD_PROTECTION,
                          hop::v1::ROLE_NETWORK_LEADER,    hop::v1::ROLE_ADMIN,
                          hop::v1::ROLE_SCHOOL_NURSE,      hop::v1::ROLE_SOCIAL_PEDAGOGUE,
                          hop::v1::ROLE_SPECIAL_PEDAGOGUE, hop::v1::ROLE_SPEECH_THERAPIST,
                          hop::v1::ROLE_PSYCHOLOGIST};

Actor Make(Role role, const std::string& institution = kSchool, const std::string& id = "u") {
  Actor a;
  a.user_id = id;
  a.role = role;
  a.institution_id = RoleNeedsInstitution(role) ? institution : "";
  return a;
}

// A stage II case at kSchool, opened elsewhere, left kFormerSchool (readable until kReadUntil).
Case Sample(hop::v1::Stage stage = hop::v1::STAGE_II, bool child_protection = false) {
  Case c;
  c.set_id("0793-C000001");
  c.set_stage(stage);
  c.set_child_protection(child_protection);
  c.set_institution_id(kSchool);
  c.set_opened_by("opener");
  c.set_responsible_user("koord");
  c.set_case_manager("kati");
  c.add_need_areas("speech");
  hop::v1::FormerInstitution* former = c.add_former_institutions();
  former->set_institution_id(kFormerSchool);
  former->set_left_at(kNow - 100);
  former->set_read_until(kReadUntil);
  return c;
}

bool IsCaseWorkerOrSpecialist(Role r) {
  return r != hop::v1::ROLE_NETWORK_LEADER && r != hop::v1::ROLE_ADMIN;
}

TEST(AccessTest, ByRoleAlone) {
  struct Row {
    Role role;
    CaseAccess stage_i_own, stage_ii_own, other_institution, cp_track;
  };
  const CaseAccess F = CaseAccess::kFull, N = CaseAccess::kNone;
  const Row rows[] = {
      {hop::v1::ROLE_TEACHER, F, N, N, N},
      {hop::v1::ROLE_INSTITUTION_COORDINATOR, F, F, N, N},
      {hop::v1::ROLE_CASE_MANAGER, F, F, F, N},
      {hop::v1::ROLE_CHILD_PROTECTION, F, F, F, F},
      {hop::v1::ROLE_NETWORK_LEADER, N, N, N, N},
      {hop::v1::ROLE_ADMIN, N, N, N, N},
      {hop::v1::ROLE_SCHOOL_NURSE, N, N, N, N},
      {hop::v1::ROLE_SOCIAL_PEDAGOGUE, N, N, N, N},
      {hop::v1::ROLE_SPECIAL_PEDAGOGUE, N, N, N, N},
      {hop::v1::ROLE_SPEECH_THERAPIST, N, N, N, N},
      {hop::v1::ROLE_PSYCHOLOGIST, N, N, N, N},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(RoleName(row.role));
    const Actor own = Make(row.role);
    const Actor other = Make(row.role, kOtherSchool);
    EXPECT_EQ(AccessTo(own, Sample(hop::v1::STAGE_I), kNow), row.stage_i_own);
    EXPECT_EQ(AccessTo(own, Sample(hop::v1::STAGE_II), kNow), row.stage_ii_own);
    EXPECT_EQ(AccessTo(other, Sample(hop::v1::STAGE_II), kNow),
              RoleNeedsInstitution(row.role) ? N : row.other_institution);
    EXPECT_EQ(AccessTo(own, Sample(hop::v1::STAGE_II, true), kNow), row.cp_track);
    EXPECT_EQ(CanWorkOnCase(own, Sample(hop::v1::STAGE_II)), row.stage_ii_own == F);
  }
}

TEST(AccessTest, AssignedPeopleWorkOnTheirCaseOffTheChildProtectionTrack) {
  for (Role role : kAllRoles) {
    SCOPED_TRACE(RoleName(role));
    // Another institution's user: nothing by role, so the assignment decides.
    const Actor actor = Make(role, kOtherSchool, "ode");
    Case assigned = Sample();
    hop::v1::Assignee* a = assigned.add_assignees();
    a->set_user_id("ode");
    a->set_task("school nurse: suicide risk");
    Case responsible = Sample();
    responsible.set_responsible_user("ode");
    const CaseAccess expected =
        IsCaseWorkerOrSpecialist(role) ? CaseAccess::kFull : CaseAccess::kNone;
    EXPECT_EQ(AccessTo(actor, assigned, kNow), expected);
    EXPECT_EQ(AccessTo(actor, responsible, kNow), expected);
    // Not assigned: what the role gives (case managers and child protection see it anyway).
    EXPECT_EQ(AccessTo(actor, Sample(), kNow),
              CanWorkOnCase(actor, Sample()) ? CaseAccess::kFull : CaseAccess::kNone);

    // On the child-protection track only a child-protection specialist keeps it.
    assigned.set_child_protection(true);
    EXPECT_EQ(AccessTo(actor, assigned, kNow),
              role == hop::v1::ROLE_CHILD_PROTECTION ? CaseAccess::kFull : CaseAccess::kNone);
  }
}

TEST(AccessTest, TheNurseSeesHerCaseAndNoOther) {
  const Actor nurse = Make(hop::v1::ROLE_SCHOOL_NURSE, kSchool, "ode");
  Case hers = Sample(hop::v1::STAGE_I);
  hers.add_assignees()->set_user_id("ode");
  const Case other = Sample(hop::v1::STAGE_I);  // same school, not hers
  EXPECT_TRUE(CanWorkOnCase(nurse, hers));
  EXPECT_FALSE(CanWorkOnCase(nurse, other));
  const absl::Status denied = CheckCaseAccess(nurse, other, kNow, CaseAccess::kReadLimited);
  EXPECT_EQ(denied.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(denied.message(), HasSubstr("support specialists work on the cases they are "
                                          "assigned to only"));
}

TEST(AccessTest, TheOpenerKeepsReadAccessOffTheTrack) {
  for (Role role : kAllRoles) {
    SCOPED_TRACE(RoleName(role));
    const Actor opener = Make(role, kSchool, "opener");
    const CaseAccess by_role = AccessTo(opener, Sample(), kNow);
    if (by_role == CaseAccess::kFull) continue;  // the case manager, child protection
    EXPECT_EQ(by_role,
              IsCaseWorkerOrSpecialist(role) ? CaseAccess::kReadLimited : CaseAccess::kNone);
    EXPECT_EQ(AccessTo(opener, Sample(hop::v1::STAGE_II, true), kNow), CaseAccess::kNone);
  }
  // Once the case has left the opener's institution, the former institution's period decides.
  EXPECT_EQ(AccessTo(Make(hop::v1::ROLE_TEACHER, kOtherSchool, "opener"), Sample(), kNow),
            CaseAccess::kNone);
  EXPECT_EQ(AccessTo(Make(hop::v1::ROLE_TEACHER, kFormerSchool, "opener"), Sample(), kNow),
            CaseAccess::kReadLimited);
  EXPECT_EQ(AccessTo(Make(hop::v1::ROLE_TEACHER, kFormerSchool, "opener"), Sample(), kReadUntil),
            CaseAccess::kNone);
  const Actor teacher = Make(hop::v1::ROLE_TEACHER, kSchool, "opener");
  const absl::Status change = CheckCaseAccess(teacher, Sample(), kNow, CaseAccess::kFull);
  EXPECT_EQ(change.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_THAT(change.message(), HasSubstr("has read access only"));
  EXPECT_THAT(change.message(), HasSubstr("nothing changed"));
  EXPECT_TRUE(CheckCaseAccess(teacher, Sample(), kNow, CaseAccess::kReadLimited).ok());
}

TEST(AccessTest, FormerInstitutionReadsWithinItsPeriodOnly) {
  const Actor coordinator = Make(hop::v1::ROLE_INSTITUTION_COORDINATOR, kFormerSchool, "old");
  EXPECT_EQ(AccessTo(coordinator, Sample(), kNow), CaseAccess::kReadLimited);
  EXPECT_EQ(AccessTo(coordinator, Sample(), kReadUntil - 1), CaseAccess::kReadLimited);
  EXPECT_EQ(AccessTo(coordinator, Sample(), kReadUntil), CaseAccess::kNone);
  EXPECT_EQ(AccessTo(coordinator, Sample(hop::v1::STAGE_II, true), kNow), CaseAccess::kNone);
  EXPECT_THAT(CheckCaseAccess(coordinator, Sample(), kNow, CaseAccess::kFull).message(),
              HasSubstr("the case left your institution 0793-I000003"));

  // Other staff of the former institution: only if they wrote in the case.
  const Actor teacher = Make(hop::v1::ROLE_TEACHER, kFormerSchool, "writer");
  const Actor nurse = Make(hop::v1::ROLE_SCHOOL_NURSE, kFormerSchool, "nurse");
  EXPECT_EQ(AccessTo(teacher, Sample(), kNow), CaseAccess::kNone);
  Case written = Sample();
  written.add_notes()->set_by_user("writer");
  written.add_action_plan()->set_responsible_user("nurse");
  EXPECT_EQ(AccessTo(teacher, written, kNow), CaseAccess::kReadLimited);
  EXPECT_EQ(AccessTo(nurse, written, kNow), CaseAccess::kReadLimited);
  EXPECT_EQ(AccessTo(teacher, written, kReadUntil), CaseAccess::kNone);
  // A case manager or network leader is not staff of an institution.
  EXPECT_EQ(AccessTo(Make(hop::v1::ROLE_NETWORK_LEADER, kFormerSchool), written, kNow),
            CaseAccess::kNone);
}

TEST(AccessTest, RedactForReaderKeepsStageNeedsAndWhatTheReaderInstitutionWrote) {
  Case c = Sample();
  c.mutable_child()->set_isikukood("51505050005");
  c.set_status(hop::v1::CASE_OPEN);
  hop::v1::Note* ours = c.add_notes();
  ours->set_by_user("old-teacher");
  ours->set_text("noticed in class");
  c.add_notes()->set_by_user("koord");
  c.add_assessments()->set_by_user("old-koord");
  c.add_assessments()->set_by_user("koord");
  c.add_action_plan()->set_responsible_user("old-teacher");
  c.add_action_plan()->set_responsible_user("koord");
  c.add_services()->set_type("speech-therapy");
  c.add_assignees()->set_user_id("ode");
  c.add_history()->set_by_user("old-teacher");
  c.mutable_related()->set_registered_residence("0171");
  const UserInstitutions institution_of = {
      {"old-teacher", kFormerSchool}, {"old-koord", kFormerSchool}, {"koord", kSchool}};
  EXPECT_EQ(EntryAuthors(c), (std::vector<std::string>{"koord", "old-koord", "old-teacher"}));

  const Actor former = Make(hop::v1::ROLE_INSTITUTION_COORDINATOR, kFormerSchool, "old-koord");
  const Case read = RedactForReader(c, former, kNow, institution_of);
  EXPECT_EQ(read.id(), c.id());
  EXPECT_EQ(read.stage(), hop::v1::STAGE_II);
  EXPECT_EQ(read.status(), hop::v1::CASE_OPEN);
  EXPECT_EQ(read.child().isikukood(), "51505050005");
  EXPECT_THAT(read.need_areas(), ::testing::ElementsAre("speech"));
  ASSERT_EQ(read.notes_size(), 1);
  EXPECT_EQ(read.notes(0).text(), "noticed in class");
  ASSERT_EQ(read.assessments_size(), 1);
  EXPECT_EQ(read.assessments(0).by_user(), "old-koord");
  ASSERT_EQ(read.action_plan_size(), 1);
  EXPECT_EQ(read.action_plan(0).responsible_user(), "old-teacher");
  EXPECT_TRUE(read.responsible_user().empty());
  EXPECT_TRUE(read.case_manager().empty());
  EXPECT_EQ(read.services_size(), 0);
  EXPECT_EQ(read.assignees_size(), 0);
  EXPECT_EQ(read.history_size(), 0);
  EXPECT_EQ(read.former_institutions_size(), 0);
  EXPECT_FALSE(read.has_related());

  // After the period, and for the opener: stage, status and needs only.
  EXPECT_EQ(RedactForReader(c, former, kReadUntil, institution_of).notes_size(), 0);
  const Actor opener = Make(hop::v1::ROLE_TEACHER, kSchool, "opener");
  const Case opened = RedactForReader(c, opener, kNow, institution_of);
  EXPECT_EQ(opened.stage(), hop::v1::STAGE_II);
  EXPECT_EQ(opened.need_areas_size(), 1);
  EXPECT_EQ(opened.notes_size() + opened.assessments_size() + opened.action_plan_size(), 0);
}

TEST(AccessTest, SupportSpecialistsAreInstitutionBoundAndMayNotOpenCases) {
  for (Role role :
       {hop::v1::ROLE_SCHOOL_NURSE, hop::v1::ROLE_SOCIAL_PEDAGOGUE, hop::v1::ROLE_SPECIAL_PEDAGOGUE,
        hop::v1::ROLE_SPEECH_THERAPIST, hop::v1::ROLE_PSYCHOLOGIST}) {
    SCOPED_TRACE(RoleName(role));
    EXPECT_TRUE(IsSupportSpecialist(role));
    EXPECT_TRUE(RoleNeedsInstitution(role));
    EXPECT_TRUE(RoleSeesPersonalData(role));
    const absl::Status open = CheckCanOpenCase(Make(role), kSchool);
    EXPECT_EQ(open.code(), absl::StatusCode::kPermissionDenied);
    EXPECT_THAT(open.message(), HasSubstr("--add-assignee"));
  }
  EXPECT_FALSE(IsSupportSpecialist(hop::v1::ROLE_TEACHER));
  EXPECT_STREQ(RoleName(hop::v1::ROLE_SCHOOL_NURSE), "school-nurse");
  EXPECT_STREQ(RoleName(hop::v1::ROLE_SOCIAL_PEDAGOGUE), "social-pedagogue");
  EXPECT_STREQ(RoleName(hop::v1::ROLE_SPECIAL_PEDAGOGUE), "special-pedagogue");
  EXPECT_STREQ(RoleName(hop::v1::ROLE_SPEECH_THERAPIST), "speech-therapist");
  EXPECT_STREQ(RoleName(hop::v1::ROLE_PSYCHOLOGIST), "psychologist");
}

}  // namespace
}  // namespace hop::domain
